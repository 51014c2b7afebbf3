"""Household per-capita income for 低保 (domain.md §1.1 收入核算, §1.2; §7 T1, T12, T27)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.assistance.income import (
    Deduction,
    DeductionKind,
    IncomeItem,
    IncomeSource,
    MemberIncome,
    household_per_capita_income,
)

D = Decimal


def member(name: str, *items: tuple[IncomeSource, str], counted: bool = True) -> MemberIncome:
    return MemberIncome(name, tuple(IncomeItem(s, D(a)) for s, a in items), counted)


def test_t1_three_people_1230_is_410_each() -> None:
    c = household_per_capita_income(
        [member("甲", (IncomeSource.WAGES, "1230")), member("乙"), member("丙")]
    )
    assert c.key == "income.per_capita"
    assert c.figure == D("410.00")
    assert "3 人" in c.rule
    assert "410.00" in c.rule
    assert "domain.md §1.1" in c.basis


def test_t1_later_2400_is_800_each() -> None:
    c = household_per_capita_income(
        [member("甲", (IncomeSource.WAGES, "2400")), member("乙"), member("丙")]
    )
    assert c.figure == D("800.00")


def test_basic_pension_not_counted() -> None:
    c = household_per_capita_income(
        [member("老人", (IncomeSource.BASIC_PENSION, "150"), (IncomeSource.OTHER, "360"))]
    )
    assert c.figure == D("360.00")
    assert "pension_excluded" in c.flags
    assert "seed 002_20f40e1960017597.txt" in c.basis
    assert "seed 001_132aebca7b0b4260.txt" in c.basis
    assert "单人户" in c.rule


def test_several_deductions_together() -> None:
    c = household_per_capita_income(
        [member("父", (IncomeSource.WAGES, "2000")), member("子")],
        [
            Deduction(DeductionKind.JOB_COST, D("100")),
            Deduction(DeductionKind.MEDICAL, D("500")),
            Deduction(DeductionKind.SCHOOLING, D("200")),
            Deduction(DeductionKind.DISABILITY, D("100")),
        ],
    )
    assert c.figure == D("550.00")
    assert {"deductions_applied", "several_deductions"} <= set(c.flags)
    assert "seed 003_538988cd989ea5d8.txt 篇五" in c.basis
    assert "seed 003_538988cd989ea5d8.txt 篇三" in c.basis
    assert "就业成本 100.00 元" in c.rule


def test_floor_at_zero_when_deductions_exceed_income() -> None:
    c = household_per_capita_income(
        [member("甲", (IncomeSource.WAGES, "300"))],
        [Deduction(DeductionKind.MEDICAL, D("900"))],
    )
    assert c.figure == D("0.00")
    assert "floored_at_zero" in c.flags
    assert "按 0 元计" in c.rule


def test_rounding_half_up_to_fen() -> None:
    c = household_per_capita_income(
        [member("甲", (IncomeSource.WAGES, "1000")), member("乙"), member("丙")]
    )
    assert c.figure == D("333.33")
    c = household_per_capita_income([member("甲", (IncomeSource.WAGES, "0.05")), member("乙")])
    assert c.figure == D("0.03")
    c = household_per_capita_income(
        [member("甲", (IncomeSource.WAGES, "1000")), member("乙"), member("丙")],
        quantum=D("1"),
    )
    assert c.figure == D("333")


def test_carers_left_out_and_support_not_counted() -> None:
    c = household_per_capita_income(
        [
            member("申请人", (IncomeSource.SUPPORT, "200"), (IncomeSource.TRANSFER, "100")),
            member("父", (IncomeSource.WAGES, "3000"), counted=False),
            member("母", counted=False),
        ],
        exclude_support=True,
    )
    assert c.figure == D("100.00")
    assert "support_not_counted" in c.flags
    assert "父" in c.rule
    assert "单人户" in c.rule


def test_no_counted_member_gives_no_figure() -> None:
    c = household_per_capita_income([member("甲", counted=False)])
    assert c.figure is None
    assert "no_members_counted" in c.flags


def test_negative_amount_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        IncomeItem(IncomeSource.WAGES, D("-1"))
    with pytest.raises(ValueError, match="不能为负数"):
        Deduction(DeductionKind.MEDICAL, D("-1"))


amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)


@given(
    incomes=st.lists(amounts, min_size=1, max_size=6),
    deductions=st.lists(amounts, max_size=4),
)
def test_per_capita_never_negative(incomes: list[Decimal], deductions: list[Decimal]) -> None:
    members = [
        MemberIncome(str(i), (IncomeItem(IncomeSource.WAGES, a),)) for i, a in enumerate(incomes)
    ]
    kinds = list(DeductionKind)
    c = household_per_capita_income(
        members, [Deduction(kinds[i % len(kinds)], a) for i, a in enumerate(deductions)]
    )
    assert isinstance(c.figure, Decimal)
    assert c.figure >= 0
