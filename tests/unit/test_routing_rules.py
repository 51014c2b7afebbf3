"""Suggestion rules (desk_app.domain.routing): what a household's own data points to.

The rules only suggest matters for the clerk to raise; they never add or refuse one.
Sources: domain.md §1.7 (drop-outs → 教育), §1.11 (重度残疾 definition, certificate
hygiene → 残联), §1.12 (orphans, 事实无人抚养, 困境儿童), §7 T9 and T13.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desk_app.domain.routing import (
    COMPULSORY_SCHOOL_AGE_END,
    MemberFacts,
    SuggestedMatter,
    suggest_matters,
)


def member(**changes: object) -> MemberFacts:
    base = MemberFacts(
        name="甲",
        age=40,
        has_disability_cert=False,
        disability_category=None,
        disability_grade=None,
        disability_check=None,
        mental_disorder=False,
        dropped_out=False,
        child_status="none",
    )
    return dataclasses.replace(base, **changes)


def certified(category: str, grade: int, check: str = "valid", **changes: object) -> MemberFacts:
    return member(
        has_disability_cert=True,
        disability_category=category,
        disability_grade=grade,
        disability_check=check,
        **changes,
    )


def codes(*members: MemberFacts) -> list[str]:
    return [s.matter_code for s in suggest_matters(list(members))]


def test_nothing_to_suggest_for_an_ordinary_adult() -> None:
    assert suggest_matters([member()]) == []
    assert suggest_matters([]) == []


# ------------------------------------------------------------------- §1.11 / T13
def test_T13_mental_disorder_without_certificate_goes_to_the_federation_for_assessment() -> None:
    (s,) = suggest_matters([member(name="李某", mental_disorder=True)])
    assert s.matter_code == "disability_certificate_new"
    assert s.person_name == "李某"
    assert "残联" in s.reason
    assert "T13" in s.basis


def test_mental_disorder_with_a_certificate_needs_no_assessment() -> None:
    assert "disability_certificate_new" not in codes(certified("mental", 4, mental_disorder=True))


def test_T13_lapsed_certificate_is_urged_to_renew() -> None:
    assert codes(certified("physical", 4, "not_renewed")) == ["disability_certificate_renewal"]


@pytest.mark.parametrize("check", ["valid", "check_due", None])
def test_a_certificate_not_lapsed_is_not_flagged_for_renewal(check: str | None) -> None:
    assert "disability_certificate_renewal" not in codes(certified("physical", 4, check))


# ------------------------------------------------------------------- 重度残疾 (§1.11)
@pytest.mark.parametrize(
    ("category", "grade", "severe"),
    [
        ("physical", 1, True),
        ("visual", 2, True),
        ("hearing", 2, True),
        ("multiple", 1, True),
        ("intellectual", 3, True),  # 三级智力
        ("mental", 3, True),  # 三级精神
        ("physical", 3, False),
        ("visual", 3, False),
        ("multiple", 3, False),
        ("intellectual", 4, False),
        ("mental", 4, False),
        ("physical", 4, False),
    ],
)
def test_severely_disabled_definition(category: str, grade: int, severe: bool) -> None:
    m = certified(category, grade)
    assert m.severely_disabled is severe
    assert ("disability_care_allowance" in codes(m)) is severe


def test_without_a_certificate_nobody_is_severely_disabled() -> None:
    # The grade comes from the 残疾人证: without one there is no grade to go by.
    assert not member(disability_grade=1, disability_category="physical").severely_disabled
    assert not member(has_disability_cert=True, disability_grade=None).severely_disabled


def test_severe_and_lapsed_gives_both_suggestions_for_the_same_person() -> None:
    result = suggest_matters([certified("mental", 2, "not_renewed", name="王某")])
    assert [s.matter_code for s in result] == [
        "disability_certificate_renewal",
        "disability_care_allowance",
    ]
    assert {s.person_name for s in result} == {"王某"}


# ------------------------------------------------------------------- §1.7 drop-outs / T9
@pytest.mark.parametrize(
    ("age", "suggested"),
    [(6, True), (13, True), (COMPULSORY_SCHOOL_AGE_END - 1, True), (16, False), (17, False)],
)
def test_T9_drop_out_under_16_is_sent_back_to_school(age: int, suggested: bool) -> None:
    assert ("dropout_return" in codes(member(age=age, dropped_out=True))) is suggested


def test_a_child_in_school_is_not_a_drop_out() -> None:
    assert codes(member(age=13)) == []


# ------------------------------------------------------------------- §1.12 children
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("orphan", ["orphan_allowance"]),
        ("de_facto_unsupported", ["de_facto_unsupported_child"]),
        ("in_difficulty", ["child_protection"]),
        ("left_behind", []),
        ("none", []),
    ],
)
def test_children_by_status(status: str, expected: list[str]) -> None:
    assert codes(member(age=9, child_status=status)) == expected


def test_T9_thirteen_year_old_child_in_difficulty_who_dropped_out() -> None:
    """domain.md §7 T9: 教育 (return to school) and a child report to the 督导员."""
    result = codes(member(name="小红", age=13, dropped_out=True, child_status="in_difficulty"))
    assert result == ["dropout_return", "child_protection"]


def test_one_line_per_member_and_matter_in_member_order() -> None:
    result = suggest_matters(
        [
            member(name="母亲", mental_disorder=True),
            member(name="儿子", age=12, dropped_out=True),
            member(name="父亲"),
        ]
    )
    assert [(s.person_name, s.matter_code) for s in result] == [
        ("母亲", "disability_certificate_new"),
        ("儿子", "dropout_return"),
    ]


def test_every_suggestion_names_its_basis_in_domain_md() -> None:
    everyone = [
        member(mental_disorder=True),
        certified("intellectual", 3, "not_renewed"),
        member(age=10, dropped_out=True, child_status="orphan"),
        member(age=10, child_status="de_facto_unsupported"),
        member(age=10, child_status="in_difficulty"),
    ]
    result = suggest_matters(everyone)
    assert len(result) == 7
    for s in result:
        assert isinstance(s, SuggestedMatter)
        assert s.reason
        assert s.basis.startswith("domain.md §")


def test_member_facts_age_is_counted_on_the_day_given() -> None:
    class Person:
        name = "丙"
        birth_date = dt.date(2013, 10, 2)
        has_disability_cert = False
        disability_category = None
        disability_grade = None
        disability_check = None
        mental_disorder = False
        dropped_out = True
        child_status = "none"

    assert MemberFacts.of(Person(), dt.date(2029, 10, 1)).age == 15
    assert MemberFacts.of(Person(), dt.date(2029, 10, 2)).age == 16
    assert codes(MemberFacts.of(Person(), dt.date(2029, 10, 1))) == ["dropout_return"]
    assert codes(MemberFacts.of(Person(), dt.date(2029, 10, 2))) == []
