"""The pure part of the demo-data generator: no database, fixed seed and date.

Failures report counts and row positions, never generated names or numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.demo import (
    RARE_CHARACTERS,
    DemoGenerator,
    DemoHousehold,
    DemoPerson,
    birth_date_for_age,
    county_codes,
    make_id_number,
    mobile_number,
)
from desk_app.domain.household import (
    CategoryPeriod,
    PersonInput,
    category_conflicts,
    validate_person,
)
from desk_app.domain.ids import age_on, check_id_number
from desk_app.domain.registry import (
    CertificateCheck,
    ChildStatus,
    DisabilityCategory,
    Employment,
    HouseholdCategory,
    LabourAbility,
    Relation,
    ResidenceType,
    SchoolingStage,
    SelfCare,
)
from desk_app.persistence.models import Person

TODAY = dt.date(2025, 6, 15)
CHILD_RELATIONS = {Relation.SON.value, Relation.DAUGHTER.value}


def _generate(seed: int, count: int) -> list[DemoHousehold]:
    return list(DemoGenerator(random.Random(seed), TODAY).households(count))


@pytest.fixture(scope="module")
def sample() -> list[DemoHousehold]:
    return _generate(7, 3000)


@pytest.fixture(scope="module")
def people(sample: list[DemoHousehold]) -> list[DemoPerson]:
    return [p for hh in sample for p in hh.members]


def _age(p: DemoPerson) -> int:
    return age_on(p.birth_date, TODAY)


def test_same_seed_gives_same_households() -> None:
    assert _generate(11, 200) == _generate(11, 200)


def test_different_seeds_give_different_people() -> None:
    first = [p.id_number for hh in _generate(11, 100) for p in hh.members]
    second = [p.id_number for hh in _generate(12, 100) for p in hh.members]
    assert first != second
    assert len(set(first) & set(second)) < len(first) // 10


def test_demo_person_covers_every_person_column() -> None:
    """A column added to ``person`` must be filled by the generator (or be a key column)."""
    generated = {f.name for f in dataclasses.fields(DemoPerson)}
    written_by_writer = {
        "id", "household_id", "name_initials", "id_rev", "note", "version", "created_at",
        "updated_at",
    }  # fmt: skip
    assert generated | written_by_writer == set(Person.__table__.columns.keys())


def test_id_numbers_are_valid_unique_and_match_the_person(people: list[DemoPerson]) -> None:
    numbers = [p.id_number for p in people]
    assert len(set(numbers)) == len(numbers)
    bad = []
    for i, p in enumerate(people):
        check = check_id_number(p.id_number, TODAY)
        if check.id is None or check.id.sex.value != p.sex or check.id.birth_date != p.birth_date:
            bad.append(i)
    assert bad == []


def test_id_address_codes_come_from_the_townships_province(people: list[DemoPerson]) -> None:
    codes = Counter(p.id_number[:6] for p in people)
    assert set(codes) <= set(county_codes("520402102000"))
    assert codes.most_common(1)[0][0] == "520402"  # the township's own county dominates


def test_generated_people_pass_the_registration_form_checks(people: list[DemoPerson]) -> None:
    bad = []
    for i, p in enumerate(people):
        form = PersonInput(
            name=p.name, id_number=p.id_number, phone=p.phone,
            has_disability_cert=p.has_disability_cert, disability_cert_no=p.disability_cert_no,
            disability_category=DisabilityCategory(p.disability_category) if p.disability_category else None,
            disability_grade=p.disability_grade,
            disability_check=CertificateCheck(p.disability_check) if p.disability_check else None,
            child_status=ChildStatus(p.child_status),
        )  # fmt: skip
        problems, parsed = validate_person(form, TODAY)
        if problems or parsed is None:
            bad.append(i)
    assert bad == []


def test_households_have_one_head_first_and_one_to_six_members(
    sample: list[DemoHousehold],
) -> None:
    sizes = Counter(len(hh.members) for hh in sample)
    assert set(sizes) <= set(range(1, 7))
    assert all(hh.members[0].relation == Relation.HEAD.value for hh in sample)
    assert all(sum(m.relation == Relation.HEAD.value for m in hh.members) == 1 for hh in sample)
    # Weighted like the brief: 1 ≈ 12%, 2 ≈ 20%, 3 ≈ 25%, 4 ≈ 22%, 5 ≈ 13%, 6 ≈ 8%.
    for size, share in {1: 0.12, 2: 0.20, 3: 0.25, 4: 0.22, 5: 0.13, 6: 0.08}.items():
        assert abs(sizes[size] / len(sample) - share) < 0.03, size


def _relation_ok(m: DemoPerson, hh: DemoHousehold) -> bool:
    head = hh.members[0]
    gap = _age(m) - _age(head)  # positive: older than the head
    relations = {x.relation for x in hh.members}
    match Relation(m.relation):
        case Relation.SPOUSE:
            return m.sex != head.sex and abs(gap) <= 8 and _age(m) >= 20
        case Relation.SON:
            return m.sex == "男" and -40 <= gap <= -18
        case Relation.DAUGHTER:
            return m.sex == "女" and -40 <= gap <= -18
        case Relation.PARENT:
            return 18 <= gap <= 40
        case Relation.PARENT_IN_LAW:
            return Relation.SPOUSE.value in relations
        case Relation.GRANDCHILD:
            return gap <= -36
        case Relation.DAUGHTER_IN_LAW:
            return m.sex == "女" and Relation.SON.value in relations
        case Relation.SON_IN_LAW:
            return m.sex == "男" and Relation.DAUGHTER.value in relations
        case Relation.HEAD:
            return False
        case _:
            return True


def test_relations_are_plausible(sample: list[DemoHousehold]) -> None:
    problems = Counter(
        m.relation for hh in sample for m in hh.members[1:] if not _relation_ok(m, hh)
    )
    two_spouses = [
        i for i, hh in enumerate(sample)
        if sum(m.relation == Relation.SPOUSE.value for m in hh.members) > 1
    ]  # fmt: skip
    assert problems == Counter()
    assert two_spouses == []


def test_children_usually_carry_the_fathers_surname(sample: list[DemoHousehold]) -> None:
    same = total = 0
    for hh in sample:
        head = hh.members[0]
        if head.sex != "男":
            continue
        for m in hh.members:
            if m.relation in CHILD_RELATIONS:
                total += 1
                same += m.name[0] == head.name[0]
    assert same / total > 0.85


def test_birth_dates_are_before_the_reference_date(people: list[DemoPerson]) -> None:
    assert all(p.birth_date < TODAY for p in people)
    assert all(0 <= _age(p) <= 100 for p in people)


def test_every_code_is_a_registry_code(
    sample: list[DemoHousehold], people: list[DemoPerson]
) -> None:
    def codes(enum: type[StrEnum]) -> set[str]:
        return {m.value for m in enum}

    assert {hh.residence for hh in sample} <= codes(ResidenceType)
    assert {p.relation for p in people} <= codes(Relation)
    assert {p.labour_ability for p in people} <= codes(LabourAbility)
    assert {p.self_care for p in people} <= codes(SelfCare)
    assert {p.employment for p in people} <= codes(Employment)
    assert {p.schooling_stage for p in people} <= codes(SchoolingStage)
    assert {p.child_status for p in people} <= codes(ChildStatus)
    assert {p.disability_category for p in people} - {None} <= codes(DisabilityCategory)
    assert {p.disability_check for p in people} - {None} <= codes(CertificateCheck)
    assert {c.category for hh in sample for c in hh.categories} <= codes(HouseholdCategory)
    assert all(type(p.relation) is str and type(p.employment) is str for p in people)


def test_child_statuses_only_under_18(people: list[DemoPerson]) -> None:
    statuses = Counter(p.child_status for p in people if _age(p) < 18)
    assert all(p.child_status == ChildStatus.NONE.value for p in people if _age(p) >= 18)
    assert statuses[ChildStatus.LEFT_BEHIND.value] > 0
    assert statuses[ChildStatus.NONE.value] > 0.8 * sum(statuses.values())


def test_schooling_and_work_fit_the_age(people: list[DemoPerson]) -> None:
    bad: Counter[str] = Counter()
    for p in people:
        age, stage = _age(p), p.schooling_stage
        allowed = {SchoolingStage.NONE.value}
        if 3 <= age <= 5:
            allowed.add(SchoolingStage.PRESCHOOL.value)
        if 6 <= age <= 15:
            allowed.add(SchoolingStage.COMPULSORY.value)
        if 16 <= age <= 18:
            allowed |= {SchoolingStage.HIGH_SCHOOL.value, SchoolingStage.VOCATIONAL.value}
        if 18 <= age <= 22:
            allowed.add(SchoolingStage.HIGHER.value)
        if stage not in allowed:
            bad["stage"] += 1
        if p.boarding and stage == SchoolingStage.NONE.value:
            bad["boarding"] += 1
        if age < 16 and p.employment != Employment.NOT_APPLICABLE.value:
            bad["child_work"] += 1
        if age < 16 and p.labour_ability == LabourAbility.FULL.value:
            bad["child_labour"] += 1
        if (
            p.labour_ability == LabourAbility.LOST.value
            and p.employment != Employment.NOT_APPLICABLE.value
        ):
            bad["lost_labour_work"] += 1
        if p.bedridden and p.self_care != SelfCare.DISABLED.value:
            bad["bedridden"] += 1
    assert bad == Counter()


def test_disability_fields_hang_together(people: list[DemoPerson]) -> None:
    holders = [p for p in people if p.has_disability_cert]
    assert 0.04 < len(holders) / len(people) < 0.08  # ≈ 6%
    assert all(
        p.disability_category and p.disability_grade in (1, 2, 3, 4) and p.disability_check
        and len(p.disability_cert_no) == 16 and p.disability_cert_no.isdigit()
        and p.disability_cert_no[:6] == p.id_number[:6]
        and p.disability_cert_no[-1] == str(p.disability_grade)
        for p in holders
    )  # fmt: skip
    assert all(
        p.disability_category is None and p.disability_grade is None
        and p.disability_check is None and p.disability_cert_no == ""
        for p in people if not p.has_disability_cert
    )  # fmt: skip
    assert all(p.mental_disorder for p in holders if p.disability_category == "mental")


def test_elderly_flags_and_phones(sample: list[DemoHousehold], people: list[DemoPerson]) -> None:
    alone = [p for p in people if p.living_alone or p.solitary]
    assert alone
    assert all(_age(p) >= 60 for p in alone)
    single = {id(hh.members[0]) for hh in sample if len(hh.members) == 1}
    assert all(id(p) in single for p in alone)
    adults = [p for p in people if _age(p) >= 18]
    assert 0.6 < sum(bool(p.phone) for p in adults) / len(adults) < 0.8  # ≈ 70%
    phones = [p.phone for p in people if p.phone]
    assert all(len(x) == 11 and x.isdigit() and x[:2] in ("13", "15", "18") for x in phones)


def test_villages_residence_and_addresses(sample: list[DemoHousehold]) -> None:
    villages = {hh.village for hh in sample}
    assert 15 <= len(villages) <= 25
    assert all(hh.residence == "rural" for hh in sample if hh.village.endswith("村"))
    community = [hh for hh in sample if hh.village.endswith("社区")]
    assert sum(hh.residence == "urban" for hh in community) > 0.7 * len(community)
    assert all(hh.address.startswith(hh.village) and hh.address.endswith("号") for hh in sample)
    assert all(hh.group_name.endswith("组") for hh in sample)


def test_category_rates_and_periods(sample: list[DemoHousehold]) -> None:
    def share(*codes: str) -> float:
        return sum(any(c.category in codes for c in hh.categories) for hh in sample) / len(sample)

    assert 0.05 < share("dibao_a", "dibao_b", "dibao_c") < 0.11  # ≈ 8%
    assert 0.005 < share("tekun_dispersed", "tekun_centralized") < 0.03  # ≈ 1.5%
    assert 0.07 < share("poverty_lifted", "poverty_unlifted", "poverty_relapsed") < 0.14  # ≈ 10%
    assert 0.01 < share("monitored") < 0.05
    assert 0.02 < share("low_income") < 0.07
    records = [c for hh in sample for c in hh.categories]
    assert all(c.start_date < TODAY for c in records)
    assert all(c.end_date is None or c.start_date <= c.end_date < TODAY for c in records)
    assert sum(c.end_date is None for c in records) > 0.7 * len(records)
    tekun = [hh for hh in sample if any(c.category.startswith("tekun") for c in hh.categories)]
    assert all(len(hh.members) == 1 for hh in tekun)


def test_names_are_chinese_gbk_and_include_rare_characters(people: list[DemoPerson]) -> None:
    assert all(2 <= len(p.name) <= 4 for p in people)
    assert all(p.name.encode("gbk") for p in people)  # raises on a non-GBK character
    with_rare = sum(any(ch in RARE_CHARACTERS for ch in p.name) for p in people)
    assert 0 < with_rare < 0.03 * len(people)
    assert len({p.name for p in people}) > 0.5 * len(people)


@given(
    age=st.integers(min_value=0, max_value=100),
    today=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_birth_date_for_age_gives_that_age(age: int, today: dt.date, seed: int) -> None:
    birth = birth_date_for_age(random.Random(seed), age, today)
    assert birth < today
    assert age_on(birth, today) == age


def test_birth_date_on_29_february() -> None:
    leap = dt.date(2024, 2, 29)
    for seed in range(200):
        birth = birth_date_for_age(random.Random(seed), 30, leap)
        assert age_on(birth, leap) == 30


@pytest.mark.parametrize("male", [True, False])
def test_make_id_number_parity_and_collisions(male: bool) -> None:
    rng = random.Random(3)
    birth = dt.date(1980, 5, 17)
    used: set[str] = set()
    numbers = [make_id_number(rng, "520402", birth, male, used) for _ in range(300)]
    assert len(set(numbers)) == 300
    assert set(numbers) == used
    for n in numbers:
        check = check_id_number(n, TODAY)
        assert check.id is not None
        assert (check.id.sex.value == "男") is male
        assert n[14:17] != "000"


def test_make_id_number_gives_up_when_every_sequence_is_taken() -> None:
    rng = random.Random(3)
    birth = dt.date(1980, 5, 17)
    used: set[str] = set()
    for _ in range(499):  # every even sequence number 002…998
        make_id_number(rng, "520402", birth, False, used)
    with pytest.raises(RuntimeError):
        make_id_number(rng, "520402", birth, False, used)


def test_county_codes() -> None:
    assert county_codes("520402102000")[0] == "520402"
    assert {c[:2] for c in county_codes("520402102000")} == {"52"}
    assert county_codes("510104003000")[0] == "510104"
    assert {c[:2] for c in county_codes("510104")} == {"51"}
    assert county_codes("620102001000") == ("620102",)  # province without a list
    assert county_codes("000000000000")[0].startswith("52")  # unknown province: demo default
    assert all(len(c) == 6 and c.isdigit() for c in county_codes("110000000000"))


def test_mobile_numbers() -> None:
    rng = random.Random(1)
    numbers = {mobile_number(rng) for _ in range(500)}
    assert all(len(n) == 11 and n.isdigit() for n in numbers)
    assert {n[:2] for n in numbers} == {"13", "15", "18"}


def test_categories_obey_the_registrys_rules(sample: list[DemoHousehold]) -> None:
    """Demo households could all be entered through add_category: no double or exclusive
    records at one time (desk_app.domain.household.category_conflicts)."""
    broken = 0
    for hh in sample:
        seen: list[CategoryPeriod] = []
        for c in hh.categories:
            category = HouseholdCategory(c.category)
            if category_conflicts(category, c.start_date, c.end_date, seen):
                broken += 1
            seen.append(CategoryPeriod(category, c.start_date, c.end_date))
    assert broken == 0
