"""特困人员救助供养: basic living standard and the proposed care arrangement (domain.md §1.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.assistance.result import Computation, money
from desk_app.domain.ids import age_on

BASIS_STANDARD = "domain.md §1.4；seed 000_89b2e135f6acbe8f.txt；seed 004_9aab8ecee895941a.txt"
BASIS_CARE = "domain.md §1.4；seed 003_538988cd989ea5d8.txt 篇五, 篇六, 篇九"

CARE_INSTITUTIONAL = "集中供养"
CARE_HOME = "分散供养（签订照护协议，落实“五有”）"


def tekun_living_standard(
    *, urban_dibao_monthly: Decimal, multiplier: Decimal | None
) -> Computation:
    """Monthly 特困 basic living standard = ``multiplier`` × the urban 低保 standard (T10).

    The seeds say "不低于" 1.3×, so the figure is a floor; a locality may pay more.
    """
    if urban_dibao_monthly < 0:
        raise ValueError("urban 低保 standard must not be negative")
    key = "tekun.living_standard"
    if multiplier is None:
        return Computation(
            key,
            None,
            f"城市低保标准每月{urban_dibao_monthly}元；缺少特困基本生活标准倍数",
            BASIS_STANDARD,
            missing=("特困基本生活标准倍数",),
        )
    figure = money(urban_dibao_monthly * multiplier)
    return Computation(
        key,
        figure,
        f"特困人员基本生活标准不低于城市低保标准的{multiplier}倍：{urban_dibao_monthly}元×{multiplier}={figure}元/月",
        BASIS_STANDARD,
        ("minimum",),
    )


@dataclass(frozen=True, slots=True)
class ElderCircumstances:
    """What the 80+ 孤寡 rule needs to know about one person."""

    birth_date: dt.date
    has_spouse: bool
    has_children: bool
    lives_alone: bool
    has_stable_income: bool
    mental_illness: bool
    infectious_disease: bool


def tekun_care_arrangement(
    person: ElderCircumstances, *, on: dt.date, age_threshold: int | None
) -> Computation:
    """Propose 集中供养 for a 孤寡 elder living alone at or above ``age_threshold`` (seed: 80)
    with no stable income; with mental or infectious illness, propose home care under an
    agreement meeting the "五有" instead (T10). Otherwise say the rule does not apply.
    """
    key = "tekun.care_arrangement"
    age = age_on(person.birth_date, on)
    if age_threshold is None:
        return Computation(
            key, None, f"{age}周岁；缺少集中供养年龄", BASIS_CARE, missing=("集中供养年龄",)
        )
    # 孤寡 = no spouse (寡) and no children (孤); an elder with sons is not 孤寡 (T11).
    gugua = not person.has_spouse and not person.has_children
    met = age >= age_threshold and gugua and person.lives_alone and not person.has_stable_income
    if not met:
        unmet = [
            text
            for text, ok in (
                (f"未满{age_threshold}周岁", age >= age_threshold),
                ("非孤寡", gugua),
                ("非独居", person.lives_alone),
                ("有稳定收入", not person.has_stable_income),
            )
            if not ok
        ]
        return Computation(
            key,
            None,
            f"{age}周岁，{'、'.join(unmet)}：不属于{age_threshold}岁以上孤寡无稳定收入老人，由工作人员按其他政策判断",
            BASIS_CARE,
            ("not_applicable",),
        )
    illnesses = [
        text
        for text, present in (
            ("精神疾病", person.mental_illness),
            ("传染病", person.infectious_disease),
        )
        if present
    ]
    if illnesses:
        return Computation(
            key,
            CARE_HOME,
            f"{age}周岁孤寡独居、无稳定收入，符合特困；但患{'、'.join(illnesses)}，不宜集中供养："
            "建议分散供养，签订照护协议，落实有照护协议、有服务标准、有定期探访、有动态管理、有应急预案“五有”",
            BASIS_CARE,
            ("home_care_agreement", "wuyou"),
        )
    return Computation(
        key,
        CARE_INSTITUTIONAL,
        f"{age}周岁（≥{age_threshold}）孤寡独居、无稳定收入：建议纳入特困集中供养（须本人意愿，愿进全进）",
        BASIS_CARE,
        ("propose_institutional",),
    )
