"""低保 proposals: payment, a/b supplements, coverage, 单人户/分户 routes, eligibility.

domain.md §1.1, §1.2, §1.14. Every result is a proposal with its explanation for the
township reviewer (供审核参考); nothing here refuses an application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desk_app.domain.assistance.result import CENT, Computation, money
from desk_app.domain.ids import age_on

SEED_000 = "seed 000_89b2e135f6acbe8f.txt"
SEED_001 = "seed 001_132aebca7b0b4260.txt"
SEED_002 = "seed 002_20f40e1960017597.txt"
SEED_003 = "seed 003_538988cd989ea5d8.txt"
SEED_004 = "seed 004_9aab8ecee895941a.txt"

REVIEW_NOTE = "供审核参考"


@dataclass(frozen=True, slots=True)
class Standard:
    """The 低保标准 that applies to this household, per person per month.

    The caller picks urban or rural from the household's situation (e.g. a household
    resettled on an urban site takes the urban standard, domain.md §7 T23); ``monthly`` is
    None when the locality's parameter set has no value yet.
    """

    monthly: Decimal | None
    label: str = "低保标准"


def _fmt(amount: Decimal) -> str:
    return f"{money(amount):,.2f}"


def _join(*cites: str) -> str:
    return "；".join(cites)


# --- payment ---------------------------------------------------------------------------


def dibao_payment(
    per_capita_income: Decimal | None,
    standard: Standard,
    covered_persons: int,
    *,
    quantum: Decimal = CENT,
) -> tuple[Computation, Computation]:
    """The monthly 低保金 as the difference to the standard (按差额发给, seed 002).

    Returns ``(dibao.payment_per_person, dibao.payment)``: the difference per covered
    person and the household total (difference × covered persons).
    """
    basis = _join("domain.md §1.1", SEED_002)
    missing: list[str] = []
    if standard.monthly is None:
        missing.append("低保标准")
    if per_capita_income is None:
        missing.append("家庭人均月收入")
    if missing:
        rule = "缺少计算所需数值，无法按差额计算低保金"
        return (
            Computation("dibao.payment_per_person", None, rule, basis, missing=tuple(missing)),
            Computation("dibao.payment", None, rule, basis, missing=tuple(missing)),
        )
    assert standard.monthly is not None
    assert per_capita_income is not None
    if covered_persons < 0:
        raise ValueError(f"保障人数不能为负数：{covered_persons}")

    flags: list[str] = []
    difference = standard.monthly - per_capita_income
    if difference <= 0:
        # Income at or above the standard leaves no difference to pay; it is never negative.
        flags.append("no_difference")
        difference = Decimal(0)
    per_person = money(difference, quantum)
    total = money(per_person * covered_persons, quantum)
    if covered_persons == 0:
        flags.append("no_one_covered")
    rule_person = (
        f"{standard.label} {_fmt(standard.monthly)} 元 － 家庭人均月收入 "
        f"{_fmt(per_capita_income)} 元 = 每人每月 {per_person:,.2f} 元（不为负数）"
    )
    rule_total = f"{rule_person}；× 保障人数 {covered_persons} 人 = 全户每月 {total:,.2f} 元"
    return (
        Computation("dibao.payment_per_person", per_person, rule_person, basis, tuple(flags)),
        Computation("dibao.payment", total, rule_total, basis, tuple(flags)),
    )


# --- a/b supplements and 清流 本人全额救助 ---------------------------------------------------


class SupplementClass(StrEnum):
    """分类施保 classes. The seeds give rates for a and b only; c has none (domain.md §8 3)."""

    A = "a类"
    B = "b类"
    C = "c类"


@dataclass(frozen=True, slots=True)
class SupplementRates:
    """Minimum supplement shares of the member's own 低保金 (seed 003 篇一: a ≥30 %, b ≥20 %)."""

    a: Decimal | None = Decimal("0.30")
    b: Decimal | None = Decimal("0.20")
    c: Decimal | None = None

    def rate(self, cls: SupplementClass) -> Decimal | None:
        return {SupplementClass.A: self.a, SupplementClass.B: self.b, SupplementClass.C: self.c}[
            cls
        ]


def member_supplement(
    name: str,
    classes: frozenset[SupplementClass],
    own_payment: Decimal,
    rates: SupplementRates = SupplementRates(),
    *,
    quantum: Decimal = CENT,
) -> Computation:
    """增发 for one member: the higher of the classes met, never two (就高不重复, 篇一)."""
    basis = _join("domain.md §1.1", f"{SEED_003} 篇一")
    if own_payment < 0:
        raise ValueError(f"本人低保金不能为负数：{own_payment}")
    if not classes:
        return Computation(
            "dibao.supplement",
            Decimal(0),
            f"{name}不属于 a/b/c 类，无增发",
            basis,
            ("no_class",),
        )
    flags: list[str] = []
    missing = [f"{c.value}增发比例" for c in sorted(classes) if rates.rate(c) is None]
    known = [(c, r) for c in sorted(classes) if (r := rates.rate(c)) is not None]
    if not known:
        return Computation(
            "dibao.supplement",
            None,
            f"{name}属于{'、'.join(c.value for c in sorted(classes))}，当地未设定增发比例",
            basis,
            missing=tuple(missing),
        )
    # Same base for every class, so the highest rate gives the highest amount.
    chosen, rate = max(known, key=lambda cr: cr[1])
    amount = money(own_payment * rate, quantum)
    flags.append(f"class_{chosen.name.lower()}")
    rule = (
        f"{name}本人低保金 {_fmt(own_payment)} 元 × {chosen.value}增发比例 {rate:.0%} "
        f"= 每月增发 {amount:,.2f} 元（比例为最低标准）"
    )
    if len(classes) > 1:
        flags.append("higher_only")
        others = "、".join(c.value for c in sorted(classes) if c is not chosen)
        rule += f"；同时符合{others}，按就高原则只增发{chosen.value}，不重复增发"
    return Computation(
        "dibao.supplement", amount, rule, basis, tuple(flags), missing=tuple(missing)
    )


def full_standard_for_member(
    name: str,
    severely_disabled_or_ill: bool,
    own_payment: Decimal,
    standard: Standard,
    *,
    enabled: bool,
    quantum: Decimal = CENT,
) -> Computation:
    """清流's 本人全额救助: a severely disabled or seriously ill member gets the full standard.

    A locality switch (seed 003 篇十五); elsewhere the member keeps the difference.
    """
    basis = _join("domain.md §1.1", f"{SEED_003} 篇十五")
    if not enabled or not severely_disabled_or_ill:
        why = "当地未采用本人全额救助" if not enabled else f"{name}不是重度残疾或重病人员"
        return Computation(
            "dibao.full_standard",
            money(own_payment, quantum),
            f"{why}，{name}按差额领取 {_fmt(own_payment)} 元",
            basis,
            ("not_applied",),
        )
    if standard.monthly is None:
        return Computation(
            "dibao.full_standard",
            None,
            f"{name}可按{standard.label}全额救助，但当地低保标准未设定",
            basis,
            missing=("低保标准",),
        )
    full = money(standard.monthly, quantum)
    top_up = money(max(full - own_payment, Decimal(0)), quantum)
    return Computation(
        "dibao.full_standard",
        full,
        f"建议{name}（重度残疾/重病）按{standard.label}本人全额救助每月 {full:,.2f} 元，"
        f"比差额 {_fmt(own_payment)} 元多 {top_up:,.2f} 元；{REVIEW_NOTE}",
        basis,
        ("full_standard",),
    )


# --- coverage --------------------------------------------------------------------------


def coverage_review(household_size: int, covered: int, disabled_or_ill: int = 0) -> Computation:
    """Whole household vs partial coverage (保人不保户 is to be avoided, seed 002; seed 001)."""
    basis = _join("domain.md §1.1", SEED_002, SEED_001)
    if not 0 <= covered <= household_size or disabled_or_ill < 0:
        raise ValueError(
            f"人数不合理：全户 {household_size}，保障 {covered}，残病 {disabled_or_ill}"
        )
    if covered == household_size:
        return Computation(
            "dibao.coverage",
            "全户",
            f"全户 {household_size} 人均纳入保障",
            basis,
            ("whole_household",),
        )
    if covered == 0:
        return Computation("dibao.coverage", "未保", "全户均未纳入低保", basis, ("none_covered",))
    flags = ["partial_coverage", "whole_household_review"]
    notes = [f"一户 {household_size} 人仅保 {covered} 人（一户多人仅保部分）"]
    if household_size >= 3 and covered <= 2:
        flags.append("few_covered")
        notes.append("一户多人仅保一两人")
    if disabled_or_ill >= 2:
        flags.append("multi_disabled_or_ill")
        notes.append(f"一户多残多病（{disabled_or_ill} 人）")
    rule = "；".join(notes) + f"；建议全户复核，提高整户保障比例；{REVIEW_NOTE}"
    return Computation("dibao.coverage", "部分", rule, basis, tuple(flags))


# --- 单人户 / 分户 -------------------------------------------------------------------------


class AssetBase(StrEnum):
    """Which 低保标准 the 8× financial-asset test multiplies; 篇十五 does not say."""

    MONTHLY = "月低保标准"
    ANNUAL = "年低保标准"


def carer_exemption(
    applicant_severely_disabled: bool,
    carer_birth_dates: Sequence[dt.date],
    on: dt.date,
    financial_assets_per_capita: Decimal | None,
    standard: Standard,
    *,
    carer_age_over: int | None,
    asset_multiple: Decimal | None,
    asset_base: AssetBase | None,
) -> Computation:
    """Severely disabled person applying alone: carers >age and assets ≤ multiple × standard.

    Then the carers' income and the support they owe are neither checked nor counted
    (seed 003 篇十五; 清流 uses 70 and 8).
    """
    basis = _join("domain.md §1.1", f"{SEED_003} 篇十五")
    key = "dibao.single_person.carer_exemption"
    if not applicant_severely_disabled:
        return Computation(
            key, "不适用", "申请人不是重度残疾人，本条不适用", basis, ("not_applicable",)
        )
    if not carer_birth_dates:
        return Computation(
            key, "不适用", "未登记法定赡养/抚养/扶养人，本条无须适用", basis, ("no_carers_listed",)
        )
    missing = []
    if carer_age_over is None:
        missing.append("赡养人年龄界限")
    if asset_multiple is None:
        missing.append("金融资产倍数")
    if asset_base is None:
        missing.append("金融资产倍数的基数（月/年低保标准）")
    if standard.monthly is None:
        missing.append("低保标准")
    if financial_assets_per_capita is None:
        missing.append("家庭人均金融资产")
    if missing:
        return Computation(key, None, "缺少判断所需数值", basis, missing=tuple(missing))
    assert carer_age_over is not None
    assert asset_multiple is not None
    assert asset_base is not None
    assert standard.monthly is not None
    assert financial_assets_per_capita is not None

    ages = [age_on(b, on) for b in carer_birth_dates]
    # "超过70周岁": strictly older, in completed years, and every legal carer must be.
    ages_ok = all(a > carer_age_over for a in ages)
    base = standard.monthly * (12 if asset_base is AssetBase.ANNUAL else 1)
    limit = money(base * asset_multiple)
    assets_ok = financial_assets_per_capita <= limit
    ages_text = "、".join(f"{a} 岁" for a in ages)
    rule = (
        f"法定赡养/抚养/扶养人 {ages_text}（须均超过 {carer_age_over} 周岁："
        f"{'是' if ages_ok else '否'}）；家庭人均金融资产 {_fmt(financial_assets_per_capita)} 元，"
        f"上限 {asset_base.value} {_fmt(base)} 元 × {asset_multiple} = {limit:,.2f} 元"
        f"（{'未超过' if assets_ok else '超过'}）"
    )
    if ages_ok and assets_ok:
        return Computation(
            key,
            "适用",
            rule + f"；建议按单人户审核，不核查、不计算赡养人收入和应付赡养费；{REVIEW_NOTE}",
            basis,
            ("single_person", "carers_income_not_counted", "support_not_counted"),
        )
    return Computation(
        key,
        "不适用",
        rule + f"；本条件不满足，可按其他单人户途径或全户审核；{REVIEW_NOTE}",
        basis,
        ("carer_exemption_not_met",),
    )


@dataclass(frozen=True, slots=True)
class SinglePersonFacts:
    """What the clerk knows about a person who may be covered alone (domain.md §1.1 list)."""

    severely_disabled: bool = False
    serious_illness_recognised: bool = False
    mental_illness: bool = False
    lonely_elderly: bool = False  # 鳏寡孤独老人
    adult: bool = False
    unemployed: bool = False
    rural: bool = False
    depends_on_family: bool = False  # 依靠家庭供养且无法单独立户
    edge_household: bool = False  # 低保边缘家庭
    registered_poor: bool = False  # 建档立卡, not yet lifted out
    hardship_support_household: bool = False  # 困难帮扶家庭 (篇三)
    clergy_years_at_site: int | None = None
    clergy_in_hardship: bool = False
    county_designated: bool = False
    carers_ability_proof: bool | None = None  # None: not yet asked
    deliberation_found_hardship: bool | None = None  # 民主评议 result; None: not held
    notice_objection: bool | None = None  # 公示 result; None: not yet posted


def single_person_routes(
    facts: SinglePersonFacts, *, clergy_min_years: int = 3
) -> tuple[Computation, ...]:
    """Every 单人户 / 分户 route the facts open, each as a flag with its reason.

    The carer-age and asset exemption (篇十五) is :func:`carer_exemption`.
    """
    f = facts
    out: list[Computation] = []

    def add(route: str, rule: str, basis: str, *flags: str) -> None:
        out.append(
            Computation(
                f"dibao.single_person.{route}",
                "建议按单人户审核" if route != "separate_accounting" else "建议分户计算收入",
                f"{rule}；{REVIEW_NOTE}",
                _join("domain.md §1.1", basis),
                (route, *flags),
            )
        )

    if f.edge_household and f.severely_disabled:
        add(
            "edge_severe_disability", "低保边缘家庭中持证重度残疾人，可单独申请", f"{SEED_003} 篇一"
        )
    if f.edge_household and f.serious_illness_recognised:
        add(
            "edge_serious_illness",
            "低保边缘家庭中经认定的重特大疾病患者，可单独申请",
            f"{SEED_003} 篇一",
        )
    years = f.clergy_years_at_site
    if years is not None and years >= clergy_min_years and f.clergy_in_hardship:
        add(
            "clergy",
            f"脱离家庭在宗教场所居住 {years} 年（满 {clergy_min_years} 年，含）"
            "且生活困难的宗教教职人员，可单独申请",
            f"{SEED_003} 篇一",
        )
    if f.county_designated:
        add("county_designated", "县级以上民政部门规定的其他情形", f"{SEED_003} 篇一")
    if f.adult and f.unemployed and f.severely_disabled and f.rural and f.depends_on_family:
        add(
            "adult_severe_disability_rural",
            "成年无业重度残疾人依靠家庭供养且无法单独立户，经本人或其法定监护人申请按单人户纳入",
            SEED_002,
            "applied_by_person_or_guardian",
        )
    severe = f.severely_disabled or f.serious_illness_recognised
    if f.registered_poor and severe and f.depends_on_family:
        add(
            "separate_accounting",
            "未脱贫建档立卡户中依靠家庭供养的重残、重病人员，分户计算收入",
            SEED_004,
        )
    if f.hardship_support_household and severe and f.depends_on_family:
        add(
            "hardship_household_member",
            "困难帮扶家庭中依靠家庭供养的重残、重病人员，按单人户纳入；全户符合条件的全户纳入",
            f"{SEED_003} 篇三",
            "check_whole_household",
        )
    seg = f.lonely_elderly or f.severely_disabled or f.mental_illness
    if seg and f.depends_on_family:
        if f.registered_poor:
            add(
                "registered_poor_dependant",
                "建档立卡户中依靠家庭供养的鳏寡孤独老人、重度残疾人、精神病人，按单人户纳入",
                f"{SEED_003} 篇九",
            )
        elif f.carers_ability_proof is not True:
            out.append(_deliberation_route(f))
    return tuple(out)


def _deliberation_route(f: SinglePersonFacts) -> Computation:
    # 篇九: carers who cannot prove ability to support → 民主评议 on "事实生活困难", then 公示;
    # only a notice without objection leads to 单人户. Each step still to do is a flag.
    basis = _join("domain.md §1.1", f"{SEED_003} 篇九")
    key = "dibao.single_person.de_facto_hardship"
    head = (
        "非建档立卡户中依靠家庭供养的鳏寡孤独老人、重度残疾人或精神病人，赡养人无法提供赡养能力证明"
    )
    if f.deliberation_found_hardship is None or (
        f.deliberation_found_hardship and f.notice_objection is None
    ):
        step = (
            "需村民代表民主评议认定事实生活困难并公示"
            if f.deliberation_found_hardship is None
            else "民主评议已认定事实生活困难，需公示"
        )
        return Computation(
            key,
            "待民主评议和公示",
            f"{head}；{step}，公示无异议后建议按单人户纳入；{REVIEW_NOTE}",
            basis,
            ("de_facto_hardship", "needs_deliberation_and_notice"),
        )
    if not f.deliberation_found_hardship:
        return Computation(
            key,
            "民主评议未认定",
            f"{head}；民主评议未认定事实生活困难，建议按其他途径审核；{REVIEW_NOTE}",
            basis,
            ("de_facto_hardship", "deliberation_not_found"),
        )
    if f.notice_objection:
        return Computation(
            key,
            "公示有异议",
            f"{head}；公示有异议，建议核实异议后再审核；{REVIEW_NOTE}",
            basis,
            ("de_facto_hardship", "notice_objection"),
        )
    return Computation(
        key,
        "建议按单人户审核",
        f"{head}；民主评议认定事实生活困难，公示无异议，建议按单人户纳入低保；{REVIEW_NOTE}",
        basis,
        ("de_facto_hardship", "single_person"),
    )


# --- eligibility -----------------------------------------------------------------------


def eligibility_proposal(
    per_capita_income: Decimal | None,
    standard: Standard,
    *,
    low_income_multiple: Decimal | None,
    property_compliant: bool | None,
) -> Computation:
    """Compare per-capita income with the standard: 低保 (≤1×), 低收入 (≤ multiple ×), or watch.

    ``property_compliant`` None means the property check is not recorded yet.
    """
    key = "dibao.eligibility"
    basis_parts = ["domain.md §1.1", "domain.md §1.14", f"{SEED_003} 篇一", f"{SEED_003} 篇五"]
    missing: list[str] = []
    if standard.monthly is None:
        missing.append("低保标准")
    if per_capita_income is None:
        missing.append("家庭人均月收入")
    if missing:
        return Computation(
            key, None, "缺少比较所需数值", _join(*basis_parts), missing=tuple(missing)
        )
    assert standard.monthly is not None
    assert per_capita_income is not None

    flags: list[str] = []
    ratio = (per_capita_income / standard.monthly).quantize(CENT) if standard.monthly else None
    head = (
        f"家庭人均月收入 {_fmt(per_capita_income)} 元，{standard.label} {_fmt(standard.monthly)} 元"
        + (f"（{ratio} 倍）" if ratio is not None else "")
    )
    if per_capita_income <= standard.monthly:
        # "低于当地低保标准" (篇一) vs "1倍(含)" (篇五): read as ≤, so equal still proposes 低保.
        figure = "建议纳入低保"
        flags.append("proposes_dibao")
        text = f"{head}，不高于标准，建议纳入低保"
    elif low_income_multiple is None:
        figure = "建议按低收入人口核查"
        flags.append("above_standard")
        missing.append("低收入人口倍数")
        text = f"{head}，高于标准；低收入人口倍数未设定，建议人工判断是否列入低收入人口"
    elif per_capita_income <= standard.monthly * low_income_multiple:
        figure = "建议列入低收入人口"
        flags.append("low_income_edge")
        basis_parts.append(f"{SEED_003} 篇十五")
        text = f"{head}，在 1–{low_income_multiple} 倍（含）之间，建议列入低收入人口（低保边缘）动态监测"
    else:
        figure = "建议列为潜在救助对象"
        flags.append("potential_recipient_watch")
        basis_parts.append(f"{SEED_003} 篇三")
        text = f"{head}，高于 {low_income_multiple} 倍；如仍有困难，建议列为潜在救助对象观察"

    if property_compliant is None:
        flags.append("property_not_checked")
        text += "；家庭财产尚未核对"
    elif not property_compliant:
        flags.append("property_check_needed")
        text += "；家庭财产记录为不符合当地规定，请审核人核实"
    else:
        text += "；家庭财产符合当地规定"
    return Computation(
        key, figure, f"{text}；{REVIEW_NOTE}", _join(*basis_parts), tuple(flags), tuple(missing)
    )
