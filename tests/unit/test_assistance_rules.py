"""Assistance rules other than income and the 低保 payment (issue #5; domain.md §1.3–§1.6,
§2.3, §4.1). Scenario numbers refer to domain.md §7; all people are fictional.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.assistance.medical import MedicalPatient, medical_assistance
from desk_app.domain.assistance.result import Computation
from desk_app.domain.assistance.reviews import (
    ReviewPopulation,
    add_months,
    next_review_date,
    next_review_dates,
)
from desk_app.domain.assistance.scoring import ApplicantScores, combined_score, rank_applicants
from desk_app.domain.assistance.tekun import (
    CARE_HOME,
    CARE_INSTITUTIONAL,
    ElderCircumstances,
    tekun_care_arrangement,
    tekun_living_standard,
)
from desk_app.domain.assistance.temporary import (
    LEVEL_COUNTY,
    LEVEL_TOWNSHIP,
    illness_temporary_aid,
    temporary_aid_against_cap,
    temporary_aid_approval_level,
)
from desk_app.domain.assistance.transition import (
    STATUS_DIBAO,
    STATUS_EXIT,
    STATUS_JIANTUI,
    anhui_jiantui_period,
    jiantui_status,
    qingliu_extension,
    voluntary_exit_payment,
)

D = Decimal
STANDARD = D("375")  # 安顺 2020 rural 4,500 元/年 = 375 元/月 (domain.md §7 baseline)

money_values = st.decimals(min_value=0, max_value=1_000_000, places=2)


def assert_explained(c: Computation) -> None:
    assert c.rule
    assert c.basis.startswith("domain.md §")
    assert "seed 00" in c.basis


# ------------------------------------------------------------------ T1 荣昌 渐退
def test_T1_below_twice_the_standard_stays_under_jiantui() -> None:
    c = jiantui_status(
        per_capita_income=D(1230) / 3,
        standard=STANDARD,
        exit_multiple=D(2),
        registered_poor_unlifted=True,
    )
    assert c.figure == STATUS_JIANTUI
    assert "stays_jiantui" in c.flags
    assert "1.09倍" in c.rule
    assert c.basis == "domain.md §1.3；seed 004_9aab8ecee895941a.txt"


def test_T1_at_or_above_twice_the_standard_leaves_through_review() -> None:
    c = jiantui_status(
        per_capita_income=D(2400) / 3,
        standard=STANDARD,
        exit_multiple=D(2),
        registered_poor_unlifted=True,
    )
    assert c.figure == STATUS_EXIT
    assert "2.13倍" in c.rule
    exactly = jiantui_status(
        per_capita_income=D(750),
        standard=STANDARD,
        exit_multiple=D(2),
        registered_poor_unlifted=True,
    )
    assert exactly.figure == STATUS_EXIT


def test_jiantui_below_standard_and_other_households() -> None:
    below = jiantui_status(
        per_capita_income=D(300),
        standard=STANDARD,
        exit_multiple=D(2),
        registered_poor_unlifted=True,
    )
    assert below.figure == STATUS_DIBAO
    other = jiantui_status(
        per_capita_income=D(410),
        standard=STANDARD,
        exit_multiple=D(2),
        registered_poor_unlifted=False,
    )
    assert other.figure is None
    assert "not_applicable" in other.flags


def test_jiantui_without_multiple_is_missing() -> None:
    c = jiantui_status(
        per_capita_income=D(410),
        standard=STANDARD,
        exit_multiple=None,
        registered_poor_unlifted=True,
    )
    assert c.figure is None
    assert c.missing == ("渐退上限倍数",)


# ------------------------------------------------------------------ T2 安徽
def test_T2_twelve_month_jiantui_period_from_the_month_after_march() -> None:
    start, end = anhui_jiantui_period(found_on=dt.date(2024, 3, 18), months=12)
    assert (start.figure, end.figure) == ("2024-04", "2025-03")
    assert "start_month_assumed" in start.flags
    assert start.basis == "domain.md §1.3；seed 003_538988cd989ea5d8.txt 篇三"


def test_T2_period_without_months_is_missing() -> None:
    start, end = anhui_jiantui_period(found_on=dt.date(2024, 3, 18), months=None)
    assert start.figure is None
    assert end.missing == ("渐退期月数",)


def test_T2_voluntary_exit_pays_one_to_three_months() -> None:
    low, high = voluntary_exit_payment(monthly_payment=D("215.50"), min_months=1, max_months=3)
    assert low.figure == D("215.50")
    assert high.figure == D("646.50")
    assert_explained(low)


def test_voluntary_exit_without_months_is_missing() -> None:
    low, high = voluntary_exit_payment(monthly_payment=D(200), min_months=None, max_months=3)
    assert low.figure is None
    assert high.figure is None
    assert low.missing == ("主动退出发放月数下限",)


# ------------------------------------------------------------------ T3 清流 延保
def test_T3_extension_starts_july_after_a_june_decision() -> None:
    start, earliest, latest = qingliu_extension(
        decided_on=dt.date(2024, 6, 20),
        min_months=6,
        max_months=12,
        still_low_income=True,
        has_medical_education_or_job_difficulty=True,
    )
    assert start.figure == "2024-07"
    assert earliest.figure == "2024-12"
    assert latest.figure == "2025-06"
    assert start.basis == "domain.md §1.3；seed 003_538988cd989ea5d8.txt 篇十五"


def test_extension_without_reason_does_not_apply() -> None:
    result = qingliu_extension(
        decided_on=dt.date(2024, 6, 20),
        min_months=6,
        max_months=12,
        still_low_income=False,
        has_medical_education_or_job_difficulty=False,
    )
    assert all(c.figure is None and "not_applicable" in c.flags for c in result)


def test_extension_without_months_keeps_the_start() -> None:
    start, earliest, _ = qingliu_extension(
        decided_on=dt.date(2024, 12, 5),
        min_months=None,
        max_months=12,
        still_low_income=True,
        has_medical_education_or_job_difficulty=False,
    )
    assert start.figure == "2025-01"
    assert earliest.figure is None
    assert earliest.missing == ("延保月数下限",)


# ------------------------------------------------------------------ T10 特困
def test_T10_living_standard_is_1_3_times_urban_standard() -> None:
    c = tekun_living_standard(urban_dibao_monthly=D(620), multiplier=D("1.3"))
    assert c.figure == D("806.00")
    assert "minimum" in c.flags
    assert c.basis == (
        "domain.md §1.4；seed 000_89b2e135f6acbe8f.txt；seed 004_9aab8ecee895941a.txt"
    )
    missing = tekun_living_standard(urban_dibao_monthly=D(620), multiplier=None)
    assert missing.figure is None
    assert missing.missing


def widower(**changes: bool) -> ElderCircumstances:
    base = {
        "has_spouse": False,
        "has_children": False,
        "lives_alone": True,
        "has_stable_income": False,
        "mental_illness": False,
        "infectious_disease": False,
    }
    base.update(changes)
    return ElderCircumstances(birth_date=dt.date(1942, 3, 1), **base)


ON = dt.date(2024, 6, 1)  # the widower is 82


def test_T10_elderly_widower_is_proposed_for_institutional_care() -> None:
    c = tekun_care_arrangement(widower(), on=ON, age_threshold=80)
    assert c.figure == CARE_INSTITUTIONAL
    assert "82周岁" in c.rule
    assert c.basis == "domain.md §1.4；seed 003_538988cd989ea5d8.txt 篇五, 篇六, 篇九"


@pytest.mark.parametrize("illness", ["mental_illness", "infectious_disease"])
def test_T10_illness_turns_it_into_home_care_with_agreement(illness: str) -> None:
    c = tekun_care_arrangement(widower(**{illness: True}), on=ON, age_threshold=80)
    assert c.figure == CARE_HOME
    assert {"home_care_agreement", "wuyou"} <= set(c.flags)
    assert "五有" in c.rule


def test_T11_widow_with_sons_is_not_gugua() -> None:
    c = tekun_care_arrangement(widower(has_children=True), on=ON, age_threshold=80)
    assert c.figure is None
    assert "not_applicable" in c.flags
    assert "非孤寡" in c.rule


def test_care_age_missing_and_under_age() -> None:
    assert tekun_care_arrangement(widower(), on=ON, age_threshold=None).missing == ("集中供养年龄",)
    young = tekun_care_arrangement(widower(), on=ON, age_threshold=85)
    assert young.figure is None
    assert "未满85周岁" in young.rule


# ------------------------------------------------------------------ 临时救助
def test_cap_room_within_the_cap() -> None:
    room, within = temporary_aid_against_cap(
        requested=D(3000), granted_this_year=D(12000), annual_cap=D(20000)
    )
    assert room.figure == D("8000.00")
    assert within.figure == D("3000.00")
    assert room.flags == ()
    assert room.basis == "domain.md §1.5；seed 003_538988cd989ea5d8.txt 篇十五"


def test_cap_exceeded_is_flagged_for_case_by_case_not_refused() -> None:
    room, within = temporary_aid_against_cap(
        requested=D(10000), granted_this_year=D(15000), annual_cap=D(20000)
    )
    assert room.figure == D("5000.00")
    assert within.figure == D("5000.00")
    assert {"exceeds_cap", "case_by_case"} <= set(within.flags)
    assert "一事一议" in within.rule
    full, _ = temporary_aid_against_cap(
        requested=D(1), granted_this_year=D(25000), annual_cap=D(20000)
    )
    assert full.figure == D("0.00")


def test_cap_missing() -> None:
    room, _ = temporary_aid_against_cap(requested=D(1), granted_this_year=D(0), annual_cap=None)
    assert room.figure is None
    assert room.missing


@pytest.mark.parametrize(
    ("amount", "level"),
    [(D(3000), LEVEL_TOWNSHIP), (D(5000), LEVEL_TOWNSHIP), (D("5000.01"), LEVEL_COUNTY)],
)
def test_approval_level_by_township_limit(amount: Decimal, level: str) -> None:
    c = temporary_aid_approval_level(amount=amount, township_limit=D(5000))
    assert c.figure == level
    assert "seed 004_9aab8ecee895941a.txt" in c.basis


def test_approval_level_without_limit_is_missing() -> None:
    c = temporary_aid_approval_level(amount=D(100), township_limit=None)
    assert c.figure is None
    assert c.missing == ("乡镇审批限额",)


def test_illness_amount_is_a_placeholder_until_set() -> None:
    c = illness_temporary_aid(urban_dibao_monthly=D(620), multiple=None)
    assert c.figure is None
    assert c.missing == ("因病临时救助倍数",)
    assert c.basis == "domain.md §1.5；seed 003_538988cd989ea5d8.txt 篇九"
    set_ = illness_temporary_aid(urban_dibao_monthly=D(620), multiple=D(2))
    assert set_.figure == D("1240.00")


# ------------------------------------------------------------------ T5 医疗救助
def patient(age: int, *, disabled: bool = False, ill: bool = False) -> MedicalPatient:
    return MedicalPatient(age=age, severely_disabled=disabled, seriously_ill=ill)


COST = D(10000)


def medical(p: MedicalPatient, cost: Decimal = COST, **kw: object) -> Computation:
    params: dict[str, object] = {
        "base_rate": D("0.80"),
        "bonus_points": D("0.10"),
        "elderly_age": 60,
    }
    params.update(kw)
    return medical_assistance(compliant_cost_after_insurance=cost, patient=p, **params)  # type: ignore[arg-type]


def test_T5_son_gets_80_percent_and_mother_90_percent() -> None:
    son = medical(patient(45))
    mother = medical(patient(72))
    assert son.figure == D("8000.00")
    assert mother.figure == D("9000.00")
    assert "老年人" in mother.rule
    assert son.basis.startswith("domain.md §1.6；seed 002_20f40e1960017597.txt")


@pytest.mark.parametrize("p", [patient(30, disabled=True), patient(30, ill=True), patient(17)])
def test_other_listed_groups_get_the_bonus(p: MedicalPatient) -> None:
    assert medical(p).figure == D("9000.00")


def test_elderly_age_missing_only_when_it_matters() -> None:
    unknown = medical(patient(72), elderly_age=None)
    assert unknown.figure is None
    assert unknown.missing == ("医疗救助老年人年龄",)
    minor = medical(patient(10), elderly_age=None)
    assert minor.figure == D("9000.00")


def test_subsidy_capped_by_what_is_left_to_pay() -> None:
    c = medical(patient(72), other_subsidies=D(2000))
    assert c.figure == D("8000.00")
    assert c.flags == ("capped_at_self_paid",)


@given(
    cost=money_values,
    other=money_values,
    age=st.integers(min_value=0, max_value=110),
    disabled=st.booleans(),
    base=st.decimals(min_value=0, max_value=1, places=2),
    bonus=st.decimals(min_value=0, max_value=1, places=2),
)
def test_property_subsidy_never_exceeds_self_paid_and_never_negative(
    cost: Decimal, other: Decimal, age: int, disabled: bool, base: Decimal, bonus: Decimal
) -> None:
    c = medical(
        patient(age, disabled=disabled),
        cost,
        base_rate=base,
        bonus_points=bonus,
        other_subsidies=other,
    )
    assert isinstance(c.figure, Decimal)
    assert D(0) <= c.figure <= max(D(0), cost - other)


# ------------------------------------------------------------------ amounts never negative
@given(
    requested=money_values,
    granted=money_values,
    cap=money_values,
    monthly=money_values,
    mult=st.decimals(min_value=0, max_value=10, places=2),
)
def test_property_amounts_never_negative(
    requested: Decimal, granted: Decimal, cap: Decimal, monthly: Decimal, mult: Decimal
) -> None:
    room, within = temporary_aid_against_cap(
        requested=requested, granted_this_year=granted, annual_cap=cap
    )
    figures = [room.figure, within.figure]
    figures.append(tekun_living_standard(urban_dibao_monthly=monthly, multiplier=mult).figure)
    figures.append(illness_temporary_aid(urban_dibao_monthly=monthly, multiple=mult).figure)
    figures.extend(
        c.figure
        for c in voluntary_exit_payment(monthly_payment=monthly, min_months=1, max_months=3)
    )
    for f in figures:
        assert isinstance(f, Decimal)
        assert f >= 0
    assert isinstance(within.figure, Decimal)
    assert within.figure <= requested


def test_negative_inputs_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        temporary_aid_against_cap(requested=D(-1), granted_this_year=D(0), annual_cap=D(1))
    with pytest.raises(ValueError, match="negative"):
        medical(patient(40), D(-5))


# ------------------------------------------------------------------ §2.3 reviews
@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (ReviewPopulation.DIBAO_A, dt.date(2025, 3, 15)),
        (ReviewPopulation.DIBAO_B, dt.date(2025, 3, 15)),
        (ReviewPopulation.DIBAO_C, dt.date(2024, 9, 15)),
        (ReviewPopulation.SANWU, dt.date(2025, 3, 15)),
        (ReviewPopulation.UNSTABLE_INCOME_ABLE_TO_WORK, dt.date(2024, 9, 15)),
        (ReviewPopulation.PLATFORM_RECHECK, dt.date(2024, 9, 15)),
    ],
)
def test_review_cycles(population: ReviewPopulation, expected: dt.date) -> None:
    c = next_review_date(population, dt.date(2024, 3, 15))
    assert c.figure == expected.isoformat()
    assert_explained(c)


def test_review_clamps_to_month_end_and_takes_override() -> None:
    c = next_review_date(ReviewPopulation.DIBAO_C, dt.date(2023, 8, 31))
    assert c.figure == "2024-02-29"
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    quarterly = next_review_date(ReviewPopulation.DIBAO_A, dt.date(2024, 1, 31), cycle_months=3)
    assert quarterly.figure == "2024-04-30"
    with pytest.raises(ValueError, match="at least one month"):
        next_review_date(ReviewPopulation.DIBAO_A, dt.date(2024, 1, 31), cycle_months=0)


def test_household_reviews_earliest_first() -> None:
    found = next_review_dates(
        [ReviewPopulation.DIBAO_A, ReviewPopulation.PLATFORM_RECHECK], dt.date(2024, 1, 10)
    )
    assert [c.figure for c in found] == ["2024-07-10", "2025-01-10"]


@given(
    last=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    population=st.sampled_from(list(ReviewPopulation)),
    cycle=st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
)
def test_property_next_review_after_last(
    last: dt.date, population: ReviewPopulation, cycle: int | None
) -> None:
    c = next_review_date(population, last, cycle_months=cycle)
    assert isinstance(c.figure, str)
    assert dt.date.fromisoformat(c.figure) > last


# ------------------------------------------------------------------ T25 3+1
def app(name: str, h: int, i: int, p: int, d: int | None) -> ApplicantScores:
    return ApplicantScores(name, D(h), D(i), D(p), None if d is None else D(d))


FIVE = [
    app("甲", 20, 30, 10, 8),
    app("乙", 30, 30, 20, 5),
    app("丙", 10, 10, 10, 2),
    app("丁", 25, 25, 20, 12),
    app("戊", 30, 30, 20, 5),
]


def test_T25_reverse_ranking_most_deprived_first_ties_in_applicant_order() -> None:
    ranked = rank_applicants(FIVE, deliberation_weight=D("2"))
    assert [c.key.split(":")[1] for c in ranked] == ["丁", "乙", "戊", "甲", "丙"]
    assert [c.figure for c in ranked] == [1, 2, 3, 4, 5]
    assert "tie" in ranked[1].flags
    assert "tie" in ranked[2].flags
    assert "tie" not in ranked[0].flags
    assert all("不自动决定" in c.rule for c in ranked)
    assert ranked[0].basis == "domain.md §4.1；seed 002_20f40e1960017597.txt"


def test_weight_is_a_parameter_without_default() -> None:
    c = combined_score(FIVE[0], deliberation_weight=None)
    assert c.figure is None
    assert c.missing == ("民主评议权重",)
    ranked = rank_applicants(FIVE, deliberation_weight=None)
    assert all(r.figure is None and "not_ranked" in r.flags for r in ranked)
    assert [r.key.split(":")[1] for r in ranked] == ["甲", "乙", "丙", "丁", "戊"]


def test_applicant_without_deliberation_is_listed_last() -> None:
    ranked = rank_applicants(
        [app("甲", 1, 1, 1, None), app("乙", 0, 0, 0, 1)], deliberation_weight=D(1)
    )
    assert [(r.key, r.figure) for r in ranked] == [
        ("scoring.rank:乙", 1),
        ("scoring.rank:甲", None),
    ]
    assert ranked[1].missing == ("民主评议得分",)


scores = st.decimals(min_value=0, max_value=100, places=1)


@given(
    rows=st.lists(st.tuples(scores, scores, scores, scores), max_size=12),
    weight=st.decimals(min_value=0, max_value=5, places=2),
)
def test_property_ranking_is_a_permutation_sorted_by_score(
    rows: list[tuple[Decimal, Decimal, Decimal, Decimal]], weight: Decimal
) -> None:
    applicants = [ApplicantScores(f"A{n}", *row) for n, row in enumerate(rows)]
    ranked = rank_applicants(applicants, deliberation_weight=weight)
    ids = [c.key.split(":")[1] for c in ranked]
    assert sorted(ids) == sorted(a.applicant_id for a in applicants)
    assert [c.figure for c in ranked] == list(range(1, len(applicants) + 1))
    by_id = {a.applicant_id: a for a in applicants}
    totals = [combined_score(by_id[i], deliberation_weight=weight).figure for i in ids]
    assert all(isinstance(t, Decimal) for t in totals)
    assert totals == sorted(totals, key=lambda t: -t if isinstance(t, Decimal) else 0)
    for n in range(len(ids) - 1):
        if totals[n] == totals[n + 1]:
            assert int(ids[n][1:]) < int(ids[n + 1][1:])  # ties keep applicant order
