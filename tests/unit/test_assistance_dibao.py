"""低保 payment, supplements, coverage, 单人户 routes and eligibility (domain.md §1.1, §1.14, §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.assistance.dibao import (
    AssetBase,
    SinglePersonFacts,
    Standard,
    SupplementClass,
    SupplementRates,
    carer_exemption,
    coverage_review,
    dibao_payment,
    eligibility_proposal,
    full_standard_for_member,
    member_supplement,
    single_person_routes,
)
from desk_app.domain.assistance.result import Computation, money

D = Decimal
ANSHUN_RURAL = Standard(D("375"), "安顺农村低保标准")  # 4,500 元/年 (seed 000), §7 baseline
A, B, C = SupplementClass.A, SupplementClass.B, SupplementClass.C
TODAY = dt.date(2024, 6, 15)


# --- payment ---


def test_payment_is_the_difference_times_covered_persons() -> None:
    per_person, total = dibao_payment(D("125"), ANSHUN_RURAL, 3)
    assert per_person.key == "dibao.payment_per_person"
    assert total.key == "dibao.payment"
    assert per_person.figure == D("250.00")
    assert total.figure == D("750.00")
    assert "250.00" in total.rule
    assert "750.00" in total.rule
    assert "3 人" in total.rule
    assert total.basis == "domain.md §1.1；seed 002_20f40e1960017597.txt"


def test_t1_income_above_standard_pays_nothing_by_difference() -> None:
    _, total = dibao_payment(D("410"), ANSHUN_RURAL, 3)
    assert total.figure == D("0.00")
    assert "no_difference" in total.flags


def test_t23_urban_standard_is_the_argument() -> None:
    urban = Standard(D("600"), "城市低保标准")
    _, rural_total = dibao_payment(D("300"), ANSHUN_RURAL, 2)
    _, urban_total = dibao_payment(D("300"), urban, 2)
    assert rural_total.figure == D("150.00")
    assert urban_total.figure == D("600.00")
    assert "城市低保标准" in urban_total.rule


def test_payment_missing_standard_is_listed() -> None:
    _, total = dibao_payment(D("100"), Standard(None), 1)
    assert total.figure is None
    assert "低保标准" in total.missing


def test_payment_rounding() -> None:
    per_person, total = dibao_payment(D("333.335"), ANSHUN_RURAL, 3)
    assert per_person.figure == D("41.67")
    assert total.figure == D("125.01")


# --- supplements ---


def test_a_class_supplement_30_percent() -> None:
    c = member_supplement("甲", frozenset({A}), D("250"))
    assert c.figure == D("75.00")
    assert c.flags == ("class_a",)
    assert "seed 003_538988cd989ea5d8.txt 篇一" in c.basis


def test_b_class_supplement_20_percent() -> None:
    assert member_supplement("乙", frozenset({B}), D("250")).figure == D("50.00")


def test_both_a_and_b_gets_only_the_higher() -> None:
    c = member_supplement("丙", frozenset({A, B}), D("250"))
    assert c.figure == D("75.00")
    assert "higher_only" in c.flags
    assert "class_b" not in c.flags
    assert "就高" in c.rule


def test_c_class_has_no_rate_in_seeds() -> None:
    c = member_supplement("丁", frozenset({C}), D("250"))
    assert c.figure is None
    assert c.missing == ("c类增发比例",)


def test_qingliu_full_standard_switch() -> None:
    qingliu = Standard(D("800"), "清流低保标准")
    on = full_standard_for_member("戊", True, D("300"), qingliu, enabled=True)
    assert on.figure == D("800.00")
    assert "full_standard" in on.flags
    assert "seed 003_538988cd989ea5d8.txt 篇十五" in on.basis
    off = full_standard_for_member("戊", True, D("300"), qingliu, enabled=False)
    assert off.figure == D("300.00")
    assert "not_applied" in off.flags


# --- coverage ---


def test_t22_four_people_two_disabled_one_covered() -> None:
    c = coverage_review(4, 1, disabled_or_ill=2)
    assert c.figure == "部分"
    assert {
        "partial_coverage",
        "whole_household_review",
        "multi_disabled_or_ill",
        "few_covered",
    } <= set(c.flags)
    assert "一户多人仅保部分" in c.rule
    assert c.basis == "domain.md §1.1；seed 002_20f40e1960017597.txt；seed 001_132aebca7b0b4260.txt"


def test_whole_household_covered() -> None:
    assert coverage_review(3, 3).flags == ("whole_household",)


def test_coverage_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="人数不合理"):
        coverage_review(2, 3)


# --- 单人户 ---


def born(age: int) -> dt.date:
    return dt.date(TODAY.year - age, 1, 1)


def qingliu_exemption(ages: list[int], assets: Decimal) -> Computation:
    return carer_exemption(
        True,
        [born(a) for a in ages],
        TODAY,
        assets,
        Standard(D("375")),
        carer_age_over=70,
        asset_multiple=D("8"),
        asset_base=AssetBase.MONTHLY,
    )


def test_t4_parents_72_and_74_assets_6x_standard() -> None:
    c = qingliu_exemption([72, 74], D("375") * 6)
    assert c.figure == "适用"
    assert "carers_income_not_counted" in c.flags
    assert "72 岁、74 岁" in c.rule


def test_carer_exactly_70_is_not_over_70() -> None:
    c = qingliu_exemption([70, 74], D("100"))
    assert c.figure == "不适用"


def test_assets_above_8x_do_not_qualify() -> None:
    assert qingliu_exemption([72, 74], D("3000.01")).figure == "不适用"
    assert qingliu_exemption([72, 74], D("3000.00")).figure == "适用"


def test_carer_exemption_without_parameters_lists_them() -> None:
    c = carer_exemption(
        True,
        [born(72)],
        TODAY,
        D("100"),
        Standard(D("375")),
        carer_age_over=None,
        asset_multiple=None,
        asset_base=None,
    )
    assert c.figure is None
    assert len(c.missing) == 3


def test_t19_widow_needs_deliberation_and_notice() -> None:
    facts = SinglePersonFacts(
        lonely_elderly=True, depends_on_family=True, carers_ability_proof=False
    )
    (c,) = single_person_routes(facts)
    assert "needs_deliberation_and_notice" in c.flags
    assert "seed 003_538988cd989ea5d8.txt 篇九" in c.basis


def test_t19_after_notice_without_objection_proposes_single_person() -> None:
    facts = SinglePersonFacts(
        lonely_elderly=True,
        depends_on_family=True,
        carers_ability_proof=False,
        deliberation_found_hardship=True,
        notice_objection=False,
    )
    (c,) = single_person_routes(facts)
    assert c.figure == "建议按单人户审核"
    assert "single_person" in c.flags


def test_t19_objection_is_flagged_not_refused() -> None:
    facts = SinglePersonFacts(
        lonely_elderly=True,
        depends_on_family=True,
        deliberation_found_hardship=True,
        notice_objection=True,
    )
    (c,) = single_person_routes(facts)
    assert "notice_objection" in c.flags
    assert "供审核参考" in c.rule


def test_edge_household_and_registered_poor_routes() -> None:
    facts = SinglePersonFacts(
        severely_disabled=True, edge_household=True, registered_poor=True, depends_on_family=True
    )
    keys = {c.key for c in single_person_routes(facts)}
    assert keys == {
        "dibao.single_person.edge_severe_disability",
        "dibao.single_person.separate_accounting",
        "dibao.single_person.registered_poor_dependant",
    }


def test_clergy_three_years_included() -> None:
    assert single_person_routes(SinglePersonFacts(clergy_years_at_site=3, clergy_in_hardship=True))
    assert not single_person_routes(
        SinglePersonFacts(clergy_years_at_site=2, clergy_in_hardship=True)
    )


# --- eligibility ---


def test_t27_360_under_375_proposes_dibao() -> None:
    c = eligibility_proposal(
        D("360"), ANSHUN_RURAL, low_income_multiple=D("2"), property_compliant=True
    )
    assert c.figure == "建议纳入低保"
    assert "proposes_dibao" in c.flags
    assert "建议" in c.rule
    assert "供审核参考" in c.rule


def test_t1_410_is_low_income_edge() -> None:
    c = eligibility_proposal(
        D("410"), ANSHUN_RURAL, low_income_multiple=D("2"), property_compliant=True
    )
    assert "low_income_edge" in c.flags
    assert "1.09 倍" in c.rule


def test_t1_800_is_above_twice_the_standard() -> None:
    c = eligibility_proposal(
        D("800"), ANSHUN_RURAL, low_income_multiple=D("2"), property_compliant=None
    )
    assert "potential_recipient_watch" in c.flags
    assert "property_not_checked" in c.flags


def test_equal_to_standard_proposes_dibao_and_twice_is_low_income() -> None:
    assert (
        eligibility_proposal(
            D("375"), ANSHUN_RURAL, low_income_multiple=D("2"), property_compliant=True
        ).figure
        == "建议纳入低保"
    )
    assert (
        "low_income_edge"
        in eligibility_proposal(
            D("750"), ANSHUN_RURAL, low_income_multiple=D("2"), property_compliant=True
        ).flags
    )


def test_missing_multiple_is_listed() -> None:
    c = eligibility_proposal(
        D("500"), ANSHUN_RURAL, low_income_multiple=None, property_compliant=False
    )
    assert "低收入人口倍数" in c.missing
    assert "property_check_needed" in c.flags


# --- properties ---

money_st = st.decimals(min_value=0, max_value=50_000, places=2, allow_nan=False)


@given(income=money_st, standard=money_st, covered=st.integers(0, 10))
def test_payment_never_negative(income: Decimal, standard: Decimal, covered: int) -> None:
    per_person, total = dibao_payment(income, Standard(standard), covered)
    assert isinstance(total.figure, Decimal)
    assert isinstance(per_person.figure, Decimal)
    assert total.figure >= 0
    assert per_person.figure >= 0


@given(income=money_st, raise_by=money_st, standard=money_st, covered=st.integers(1, 10))
def test_raising_income_never_raises_payment(
    income: Decimal, raise_by: Decimal, standard: Decimal, covered: int
) -> None:
    _, before = dibao_payment(income, Standard(standard), covered)
    _, after = dibao_payment(income + raise_by, Standard(standard), covered)
    assert isinstance(before.figure, Decimal)
    assert isinstance(after.figure, Decimal)
    assert after.figure <= before.figure


@given(
    classes=st.frozensets(st.sampled_from([A, B]), min_size=1),
    own=money_st,
    a=st.decimals(min_value=0, max_value=1, places=2),
    b=st.decimals(min_value=0, max_value=1, places=2),
)
def test_supplement_never_both(
    classes: frozenset[SupplementClass], own: Decimal, a: Decimal, b: Decimal
) -> None:
    c = member_supplement("x", classes, own, SupplementRates(a=a, b=b))
    assert len([f for f in c.flags if f.startswith("class_")]) == 1
    assert isinstance(c.figure, Decimal)
    assert c.figure == max(
        money(own * a) if A in classes else D(0), money(own * b) if B in classes else D(0)
    )
