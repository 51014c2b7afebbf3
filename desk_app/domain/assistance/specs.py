"""What each assistance parameter means, for people: label, unit, kind and help.

The rule modules report an open parameter by its Chinese name in ``Computation.missing``
(e.g. "因病临时救助倍数"); :data:`SPECS` maps those names back to parameter keys so the
window can ask for exactly the value a computation lacks (issue #5: "the program asks for
them where they are needed") instead of inventing a default. Names in ``missing`` that are
facts about the household (家庭人均月收入, 赡养人出生日期 …) are not parameters and are
listed in :data:`FACT_NAMES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    MONEY = "money"  # 元, Decimal, two places
    RATIO = "ratio"  # 0–1 share (0.8 = 80 %)
    MULTIPLE = "multiple"  # a factor (1.3 倍)
    MONTHS = "months"  # whole months
    YEARS = "years"  # whole years of age
    SWITCH = "switch"  # 1 on, 0 off
    BASE = "base"  # 1 = monthly standard, 12 = annual standard


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    key: str
    label: str
    unit: str
    kind: Kind
    help: str
    # Names the rule modules use for this parameter in Computation.missing.
    missing_names: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        return self.kind in (Kind.MONTHS, Kind.YEARS, Kind.SWITCH, Kind.BASE)

    def check(self, value: Decimal) -> str | None:
        """Why ``value`` cannot be stored for this parameter (Chinese), or None."""
        if value < 0:
            return "不能为负数"
        if self.whole and value != value.to_integral_value():
            return f"{self.unit}应为整数"
        if self.kind is Kind.RATIO and value > 1:
            return "比例请填写 0 到 1 之间的小数，例如 80% 填 0.8"
        if self.kind is Kind.SWITCH and value not in (0, 1):
            return "请填写 1（启用）或 0（不启用）"
        if self.kind is Kind.BASE and value not in (1, 12):
            return "请填写 1（按月标准）或 12（按年标准）"
        return None


SPECS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "dibao.standard.urban.monthly", "城市低保标准", "元/人/月", Kind.MONEY,
        "城市（城镇）居民最低生活保障标准，按月计（domain.md §1.1）",
        ("城市低保标准", "低保标准"),
    ),
    ParameterSpec(
        "dibao.standard.rural.monthly", "农村低保标准", "元/人/月", Kind.MONEY,
        "农村居民最低生活保障标准，按月计（domain.md §1.1）",
        ("农村低保标准", "低保标准"),
    ),
    ParameterSpec(
        "dibao.supplement.a", "A类增发比例", "比例", Kind.RATIO,
        "分类施保 a 类在补差额基础上增发的比例（domain.md §1.1；种子：30%）",
        ("a类增发比例",),
    ),
    ParameterSpec(
        "dibao.supplement.b", "B类增发比例", "比例", Kind.RATIO,
        "分类施保 b 类在补差额基础上增发的比例（domain.md §1.1；种子：20%）",
        ("b类增发比例",),
    ),
    ParameterSpec(
        "dibao.full_standard.enabled", "重度残疾、重病成员按全额标准", "开关", Kind.SWITCH,
        "1 表示重度残疾人、重病患者本人按当地低保标准全额救助（domain.md §1.1）",
    ),
    ParameterSpec(
        "jiantui.exit_multiple", "渐退上限倍数", "倍", Kind.MULTIPLE,
        "建档立卡户人均收入达到低保标准的这一倍数时退出渐退（domain.md §1.3；种子：2 倍）",
        ("渐退上限倍数",),
    ),
    ParameterSpec(
        "jiantui.months", "渐退期月数", "月", Kind.MONTHS,
        "收入超过标准后继续保障的月数（domain.md §1.3；安徽：12 个月）",
        ("渐退期月数",),
    ),
    ParameterSpec(
        "exit.voluntary_min_months", "主动退出发放月数下限", "月", Kind.MONTHS,
        "主动申请退出时一次性发放低保金的最少月数（domain.md §1.3；安徽：1 个月）",
        ("主动退出发放月数下限",),
    ),
    ParameterSpec(
        "exit.voluntary_max_months", "主动退出发放月数上限", "月", Kind.MONTHS,
        "主动申请退出时一次性发放低保金的最多月数（domain.md §1.3；安徽：3 个月）",
        ("主动退出发放月数上限",),
    ),
    ParameterSpec(
        "extension.min_months", "延保月数下限", "月", Kind.MONTHS,
        "符合退出条件但仍困难时延保的最短月数（domain.md §1.3；清流：6 个月）",
        ("延保月数下限",),
    ),
    ParameterSpec(
        "extension.max_months", "延保月数上限", "月", Kind.MONTHS,
        "延保的最长月数（domain.md §1.3；清流：12 个月）",
        ("延保月数上限",),
    ),
    ParameterSpec(
        "tekun.multiplier", "特困基本生活标准倍数", "倍", Kind.MULTIPLE,
        "特困人员基本生活标准不低于城市低保标准的倍数（domain.md §1.4；种子：1.3 倍）",
        ("特困基本生活标准倍数",),
    ),
    ParameterSpec(
        "tekun.institutional_age", "集中供养年龄", "周岁", Kind.YEARS,
        "达到此年龄的孤寡特困老人优先集中供养（domain.md §1.4；种子：80 周岁）",
        ("集中供养年龄",),
    ),
    ParameterSpec(
        "temporary.annual_cap", "临时救助家庭年度上限", "元/户/年", Kind.MONEY,
        "同一家庭一年内临时救助累计上限（domain.md §1.5；种子：20,000 元）",
        ("临时救助家庭年度上限",),
    ),
    ParameterSpec(
        "temporary.township_limit", "乡镇审批限额", "元", Kind.MONEY,
        "乡镇（街道）可直接审批的单次临时救助金额，超过报县级（domain.md §1.5；种子：5,000 元）",
        ("乡镇审批限额",),
    ),
    ParameterSpec(
        "temporary.illness_multiple", "因病临时救助倍数", "倍", Kind.MULTIPLE,
        "因病临时救助按城市低保标准的倍数计发；种子写作“xx 倍”，须由当地确定（domain.md §1.5）",
        ("因病临时救助倍数",),
    ),
    ParameterSpec(
        "medical.base_rate", "医疗救助基础比例", "比例", Kind.RATIO,
        "政策范围内自付费用的救助比例（domain.md §1.6；种子：80%）",
        ("医疗救助基础比例",),
    ),
    ParameterSpec(
        "medical.bonus_points", "医疗救助提高百分点", "比例", Kind.RATIO,
        "特定人群提高的比例，10 个百分点填 0.1（domain.md §1.6）",
        ("医疗救助提高百分点",),
    ),
    ParameterSpec(
        "medical.elderly_age", "医疗救助老年人年龄", "周岁", Kind.YEARS,
        "达到此年龄的救助对象提高救助比例；种子只写“老年人”，未给年龄，须由当地确定（domain.md §1.6）",
        ("医疗救助老年人年龄",),
    ),
    ParameterSpec(
        "single.carer_age_over", "赡养人年龄界限", "周岁", Kind.YEARS,
        "赡养人均超过此年龄时，重度残疾人可单独纳入低保（domain.md §1.1；种子：70 周岁）",
        ("赡养人年龄界限",),
    ),
    ParameterSpec(
        "single.asset_multiple", "金融资产倍数", "倍", Kind.MULTIPLE,
        "家庭人均金融资产不超过低保标准的这一倍数（domain.md §1.1；种子：8 倍）",
        ("金融资产倍数",),
    ),
    ParameterSpec(
        "single.asset_base", "金融资产倍数的基数", "月/年", Kind.BASE,
        "倍数按月标准（填 1）还是年标准（填 12）计算；种子未写明，须由当地确定（domain.md §8）",
        ("金融资产倍数的基数（月/年低保标准）",),
    ),
    ParameterSpec(
        "low_income.multiple", "低收入人口倍数", "倍", Kind.MULTIPLE,
        "人均收入不超过低保标准的这一倍数视为低收入（domain.md §1.14；清流：2 倍）",
        ("低收入人口倍数",),
    ),
    ParameterSpec(
        "scoring.deliberation_weight", "民主评议权重", "倍", Kind.MULTIPLE,
        "3+1 综合测评中民主评议得分的权重（domain.md §4.1）",
        ("民主评议权重",),
    ),
    ParameterSpec(
        "review.ab_months", "a、b类户核查周期", "月", Kind.MONTHS,
        "低保 a 类、b 类户的定期核查周期（domain.md §2.3；种子：每年一次）",
        ("低保a类户核查周期", "低保b类户核查周期"),
    ),
    ParameterSpec(
        "review.c_months", "c类户核查周期", "月", Kind.MONTHS,
        "低保 c 类户的定期核查周期（domain.md §2.3；种子：每半年一次）",
        ("低保c类户核查周期",),
    ),
    ParameterSpec(
        "disability.living_allowance.monthly", "困难残疾人生活补贴", "元/人/月", Kind.MONEY,
        "残疾人两项补贴之一（domain.md §1.11；赣县：100 元/人/月）",
    ),
    ParameterSpec(
        "disability.care_allowance.monthly", "重度残疾人护理补贴", "元/人/月", Kind.MONEY,
        "残疾人两项补贴之一（domain.md §1.11；赣县：100 元/人/月）",
    ),
)  # fmt: skip

BY_KEY: dict[str, ParameterSpec] = {s.key: s for s in SPECS}

# Names in Computation.missing that describe the household, not the parameter set: the
# clerk supplies them on the household's facts, not in the parameter set.
FACT_NAMES = frozenset(
    {
        "家庭人均月收入",
        "赡养人出生日期",
        "家庭人均金融资产",
        "年龄",
        "民主评议得分",
    }
)


def spec(key: str) -> ParameterSpec | None:
    return BY_KEY.get(key)


def keys_for_missing(names: tuple[str, ...], *, urban: bool) -> tuple[str, ...]:
    """Parameter keys behind the ``missing`` names of a computation, in first-seen order.

    "低保标准" alone is ambiguous between urban and rural: the household's residence decides.
    """
    out: dict[str, None] = {}
    for name in names:
        if name == "低保标准":
            out["dibao.standard.urban.monthly" if urban else "dibao.standard.rural.monthly"] = None
            continue
        for s in SPECS:
            if name in s.missing_names and name != "低保标准":
                out[s.key] = None
    return tuple(out)


# Titles of the computations (Computation.key, before any ":name" suffix), for the screen
# and the decision list. A key not listed shows as itself, so a new rule is never hidden.
TITLES: dict[str, str] = {
    "parameter.case": "本次补充的参数",
    "income.per_capita": "家庭人均月收入",
    "dibao.eligibility": "低保资格建议",
    "dibao.payment_per_person": "低保人均补差",
    "dibao.payment": "家庭月低保金",
    "dibao.supplement": "分类施保增发",
    "dibao.full_standard": "按全额标准救助",
    "dibao.coverage": "保障范围（一户多人）",
    "dibao.single_person.carer_exemption": "单人户：赡养人年龄和资产",
    "dibao.single_person.de_facto_hardship": "单人户：事实生活困难",
    "transition": "渐退、延保",
    "transition.jiantui_status": "建档立卡户渐退",
    "transition.anhui_jiantui.start": "渐退期开始",
    "transition.anhui_jiantui.end": "渐退期结束",
    "transition.voluntary_exit.low": "主动退出发放（最少）",
    "transition.voluntary_exit.high": "主动退出发放（最多）",
    "transition.qingliu_extension.start": "延保开始",
    "transition.qingliu_extension.end_earliest": "延保最早结束",
    "transition.qingliu_extension.end_latest": "延保最晚结束",
    "tekun.living_standard": "特困基本生活标准",
    "tekun.care_arrangement": "特困供养方式",
    "temporary.cap_room": "临时救助年度剩余额度",
    "temporary.within_cap": "临时救助可发金额",
    "temporary.approval_level": "临时救助审批层级",
    "temporary.illness_amount": "因病临时救助金额",
    "medical.assistance": "医疗救助金额",
    "review.next": "下次核查日期",
    "scoring.combined": "3+1 综合得分",
    "scoring.rank": "3+1 排序",
}


def title_of(key: str) -> str:
    """Chinese title of a computation key such as ``medical.assistance:张三``."""
    base, _, name = key.partition(":")
    title = TITLES.get(base)
    if title is None:
        prefix = next(
            (p for p in sorted(TITLES, key=len, reverse=True) if base.startswith(p + ".")), None
        )
        title = TITLES[prefix] if prefix else base
    return f"{title}（{name}）" if name else title
