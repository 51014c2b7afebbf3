"""Household per-capita monthly income for the 低保 check (domain.md §1.1 收入核算, §1.2).

The seeds say what is counted and what may be taken off; they set no caps on the
deductions, so the amounts the clerk records (from receipts, the platform check or the
county's method for 就业成本) are used as entered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from desk_app.domain.assistance.result import CENT, Computation, money

SEED_000 = "seed 000_89b2e135f6acbe8f.txt"
SEED_001 = "seed 001_132aebca7b0b4260.txt"
SEED_002 = "seed 002_20f40e1960017597.txt"
SEED_003 = "seed 003_538988cd989ea5d8.txt"


class IncomeSource(StrEnum):
    """Where a member's monthly income comes from."""

    WAGES = "工资性收入"
    BUSINESS = "经营净收入"
    PROPERTY = "财产净收入"
    TRANSFER = "转移净收入"
    SUPPORT = "赡养费/抚养费/扶养费"
    BASIC_PENSION = "城乡居民基本养老保险基础养老金"
    OTHER = "其他收入"


class DeductionKind(StrEnum):
    """Rigid spending and costs the seeds allow to be taken off family income."""

    JOB_COST = "就业成本"
    MEDICAL = "大病/医疗刚性支出"
    DISABILITY = "残疾刚性支出"
    SCHOOLING = "就学刚性支出"


# Which seeds allow each deduction, cited as domain.md §1.1 cites them.
_DEDUCTION_BASIS: dict[DeductionKind, tuple[str, ...]] = {
    DeductionKind.JOB_COST: (SEED_002, SEED_000, SEED_001, f"{SEED_003} 篇三"),
    DeductionKind.MEDICAL: (SEED_000, f"{SEED_003} 篇三", SEED_002),
    DeductionKind.DISABILITY: (f"{SEED_003} 篇三", SEED_002),
    DeductionKind.SCHOOLING: (f"{SEED_003} 篇三",),
}


def _non_negative(amount: Decimal, what: str) -> None:
    # A negative amount is a data-entry error, not a hardship fact: reject it at the edge
    # so the sums below stay meaningful.
    if amount < 0:
        raise ValueError(f"{what}不能为负数：{amount}")


@dataclass(frozen=True, slots=True)
class IncomeItem:
    """One monthly income of one member, in 元."""

    source: IncomeSource
    monthly: Decimal

    def __post_init__(self) -> None:
        _non_negative(self.monthly, self.source.value)


@dataclass(frozen=True, slots=True)
class Deduction:
    """One monthly deduction for the household, in 元."""

    kind: DeductionKind
    monthly: Decimal

    def __post_init__(self) -> None:
        _non_negative(self.monthly, self.kind.value)


@dataclass(frozen=True, slots=True)
class MemberIncome:
    """A co-resident family member and their monthly incomes.

    ``counted`` is False for a person the case leaves out of the household count (e.g. the
    carers of a severely disabled person applying as 单人户 under seed 003 篇十五).
    """

    name: str
    incomes: tuple[IncomeItem, ...] = field(default=())
    counted: bool = True


def _fmt(amount: Decimal) -> str:
    return f"{money(amount):,.2f}"


def household_per_capita_income(
    members: Sequence[MemberIncome],
    deductions: Sequence[Deduction] = (),
    *,
    exclude_support: bool = False,
    quantum: Decimal = CENT,
) -> Computation:
    """Per-capita monthly income of the counted co-resident members, after the allowed deductions.

    ``exclude_support`` leaves out support payments owed by carers, for the 篇十五
    exemption (see :func:`desk_app.domain.assistance.dibao.carer_exemption`).
    """
    counted = [m for m in members if m.counted]
    left_out = [m.name for m in members if not m.counted]
    flags: list[str] = []
    basis = ["domain.md §1.1", SEED_002, SEED_001]

    gross = Decimal(0)
    pension = Decimal(0)
    support = Decimal(0)
    for member in counted:
        for item in member.incomes:
            if item.source is IncomeSource.BASIC_PENSION:
                pension += item.monthly
            elif item.source is IncomeSource.SUPPORT and exclude_support:
                support += item.monthly
            else:
                gross += item.monthly

    if pension:
        flags.append("pension_excluded")
    if support:
        flags.append("support_not_counted")

    by_kind: dict[DeductionKind, Decimal] = {}
    for d in deductions:
        by_kind[d.kind] = by_kind.get(d.kind, Decimal(0)) + d.monthly
    by_kind = {k: v for k, v in by_kind.items() if v}
    total_deducted = sum(by_kind.values(), Decimal(0))
    for kind in by_kind:
        for cite in _DEDUCTION_BASIS[kind]:
            if cite not in basis:
                basis.append(cite)
    if by_kind:
        flags.append("deductions_applied")
    if len(by_kind) > 1:
        # Several causes may be deducted together (支出型贫困, 篇五).
        flags.append("several_deductions")
        basis.append(f"{SEED_003} 篇五")

    parts = [f"计入的家庭月收入合计 {_fmt(gross)} 元"]
    if pension:
        parts.append(f"城乡居民基本养老保险基础养老金 {_fmt(pension)} 元不计入")
    if support:
        parts.append(f"法定赡养/抚养/扶养人应付的赡养费等 {_fmt(support)} 元不计入")
    if by_kind:
        listed = "、".join(f"{k.value} {_fmt(v)} 元" for k, v in by_kind.items())
        parts.append(f"扣减{listed}，共 {_fmt(total_deducted)} 元")
    if left_out:
        parts.append(f"不计入家庭人口：{'、'.join(left_out)}")

    if not counted:
        flags.append("no_members_counted")
        return Computation(
            key="income.per_capita",
            figure=None,
            rule="；".join([*parts, "没有计入的共同生活家庭成员，无法计算人均收入"]),
            basis="；".join(basis),
            flags=tuple(flags),
        )

    net = gross - total_deducted
    if net < 0:
        # Deductions larger than income: the household has nothing left, not a debt.
        flags.append("floored_at_zero")
        parts.append(f"扣减后为 {_fmt(net)} 元，按 0 元计")
        net = Decimal(0)
    n = len(counted)
    per_capita = money(net / n, quantum)
    who = "单人户，按本人 1 人计" if n == 1 else f"按共同生活家庭成员 {n} 人计"
    parts.append(f"{who}，人均月收入 {_fmt(net)} ÷ {n} = {per_capita:,.2f} 元")
    return Computation(
        key="income.per_capita",
        figure=per_capita,
        rule="；".join(parts),
        basis="；".join(basis),
        flags=tuple(flags),
    )
