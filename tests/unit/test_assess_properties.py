"""Invariants of the whole assessment (issue #5), over random households and every shipped set.

The rule modules have their own property tests; these run the full :func:`assess`
pipeline, where deductions, coverage, supplements and case parameters interact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.assistance.assess import CAT_DIBAO, Case, Member, assess
from desk_app.domain.assistance.dibao import SupplementClass
from desk_app.domain.assistance.income import Deduction, DeductionKind, IncomeItem, IncomeSource
from desk_app.domain.assistance.locality import load_localities

ON = dt.date(2021, 6, 10)
amounts = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False)
rules = st.sampled_from(load_localities())
STANDARD = {
    "dibao.standard.rural.monthly": Decimal(375),
    "dibao.standard.urban.monthly": Decimal(600),
}


@st.composite
def households(draw: st.DrawFn) -> Case:
    size = draw(st.integers(1, 6))
    members = tuple(
        Member(
            name=f"成员{i}",
            age=draw(st.integers(0, 100)),
            incomes=tuple(
                IncomeItem(draw(st.sampled_from(list(IncomeSource))), draw(amounts))
                for _ in range(draw(st.integers(0, 2)))
            ),
            covered=draw(st.sampled_from([None, True, False])),
            dibao_classes=frozenset(
                draw(st.sets(st.sampled_from(list(SupplementClass)), max_size=1))
            ),
            medical_cost=draw(st.none() | amounts),
            other_medical_subsidies=draw(amounts),
        )
        for i in range(size)
    )
    return Case(
        locality="x",
        date=ON,
        urban=draw(st.booleans()),
        members=members,
        categories=frozenset({CAT_DIBAO}),
        deductions=tuple(
            Deduction(draw(st.sampled_from(list(DeductionKind))), draw(amounts))
            for _ in range(draw(st.integers(0, 2)))
        ),
        parameters={**STANDARD, "medical.elderly_age": 60},
    )


def _payment(case: Case, rule_set: object) -> Decimal:
    found = {c.key: c.figure for c in assess(case, rule_set)}  # type: ignore[arg-type]
    figure = found["dibao.payment"]
    assert isinstance(figure, Decimal)
    return figure


@settings(max_examples=150, deadline=None)
@given(case=households(), rule_set=rules)
def test_no_amount_is_ever_negative_and_no_subsidy_exceeds_the_cost(case: Case, rule_set) -> None:
    for c in assess(case, rule_set):
        if isinstance(c.figure, Decimal):
            assert c.figure >= 0, c.key
    for m in case.members:
        if m.medical_cost is None:
            continue
        subsidy = next(
            c.figure for c in assess(case, rule_set) if c.key == f"medical.assistance:{m.name}"
        )
        if isinstance(subsidy, Decimal):
            # seed 003 篇六: help never exceeds what the person paid themselves
            assert subsidy <= m.medical_cost


@settings(max_examples=150, deadline=None)
@given(
    case=households(), rule_set=rules, extra=amounts.filter(lambda a: a > 0), who=st.integers(0, 5)
)
def test_raising_any_income_never_raises_the_dibao_payment(
    case: Case, rule_set, extra: Decimal, who: int
) -> None:
    i = who % len(case.members)
    m = case.members[i]
    richer = replace(m, incomes=(*m.incomes, IncomeItem(IncomeSource.WAGES, extra)))
    members = (*case.members[:i], richer, *case.members[i + 1 :])
    assert _payment(replace(case, members=members), rule_set) <= _payment(case, rule_set)
