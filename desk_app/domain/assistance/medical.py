"""医疗救助: the share of compliant costs left after insurance (domain.md §1.6)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.assistance.result import Computation, money

BASIS = "domain.md §1.6；seed 002_20f40e1960017597.txt；seed 003_538988cd989ea5d8.txt 篇六"

# 未成年人 is a legal term (under 18, 民法典 第十七条), not a locality value.
MINOR_BELOW_AGE = 18


@dataclass(frozen=True, slots=True)
class MedicalPatient:
    age: int
    severely_disabled: bool
    seriously_ill: bool


def medical_assistance(
    *,
    compliant_cost_after_insurance: Decimal,
    patient: MedicalPatient,
    base_rate: Decimal,
    bonus_points: Decimal,
    elderly_age: int | None,
    other_subsidies: Decimal = Decimal(0),
) -> Computation:
    """Subsidy = rate × compliant cost left after all insurance (T5).

    ``base_rate`` (seed: 0.80) applies to everyone; ``bonus_points`` (seed: 0.10) is added for
    severely disabled, seriously ill, elderly (≥ ``elderly_age``; the seed names 老年人 without
    an age) and minors. The subsidy never exceeds what the patient still pays after
    ``other_subsidies`` for the same cost (seed 003 篇六: 补助须低于自付费用).
    """
    cost = compliant_cost_after_insurance
    if cost < 0 or other_subsidies < 0:
        raise ValueError("costs and subsidies must not be negative")
    key = "medical.assistance"
    groups = [
        text
        for text, present in (
            ("重度残疾", patient.severely_disabled),
            ("重病", patient.seriously_ill),
            ("未成年", patient.age < MINOR_BELOW_AGE),
        )
        if present
    ]
    if elderly_age is not None and patient.age >= elderly_age:
        groups.append(f"老年人（≥{elderly_age}岁）")
    if not groups and elderly_age is None:
        # Only the elderly age could still raise the rate, and it is not set.
        return Computation(
            key,
            None,
            f"合规自付{cost}元，{patient.age}岁；是否属老年人需老年年龄参数",
            BASIS,
            missing=("医疗救助老年人年龄",),
        )
    rate = base_rate + bonus_points if groups else base_rate
    raw = money(cost * rate)
    self_paid = max(Decimal(0), cost - other_subsidies)
    figure = money(min(raw, self_paid))
    rule = f"医保报销后合规自付{cost}元×{rate * 100:.0f}%"
    if groups:
        rule += f"（基础{base_rate * 100:.0f}%，{'、'.join(groups)}提高{bonus_points * 100:.0f}个百分点）"
    rule += f"={raw}元"
    flags: tuple[str, ...] = ("minimum",)
    if figure < raw:
        # The seed's "≥" rate cannot hold past what is left to pay, so it is no longer a floor.
        flags = ("capped_at_self_paid",)
        rule += f"；已获其他补助{other_subsidies}元，补助不超过剩余自付{self_paid}元，取{figure}元"
    return Computation(key, figure, rule, BASIS, flags)
