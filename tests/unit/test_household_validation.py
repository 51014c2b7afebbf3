"""Checks on the household and person forms: every problem names its field and the fix."""

from __future__ import annotations

import datetime as dt

import pytest

from desk_app.domain.household import (
    EXCLUSIVE_CATEGORIES,
    HOUSEHOLD_FIELDS,
    PERSON_FIELDS,
    CategoryPeriod,
    HouseholdInput,
    PersonInput,
    category_conflicts,
    field_text,
    relation_problem,
    validate_category_period,
    validate_household,
    validate_person,
)
from desk_app.domain.ids import check_character
from desk_app.domain.registry import (
    ChildStatus,
    DisabilityCategory,
    HouseholdCategory,
    Relation,
)
from desk_app.errors import FieldProblem, ValidationError

TODAY = dt.date(2024, 6, 15)


def fictional_id(birth: dt.date, seq: str = "011") -> str:
    first17 = f"520402{birth:%Y%m%d}{seq}"
    return first17 + check_character(first17)


ADULT_ID = fictional_id(dt.date(1980, 1, 1))
CHILD_ID = fictional_id(dt.date(2015, 9, 1))


def person(**changes: object) -> PersonInput:
    base: dict[str, object] = {"name": "张伟", "id_number": ADULT_ID}
    base.update(changes)
    return PersonInput(**base)  # type: ignore[arg-type]


def fields_of(problems: list[FieldProblem]) -> list[str]:
    return [p.field for p in problems]


def assert_well_formed(problems: list[FieldProblem], labels: dict[str, str]) -> None:
    """Each problem carries the clerk's label for its field and a sentence that says what to do."""
    for p in problems:
        assert p.label == labels[p.field]
        text = p.message.render()
        assert text
        assert text != p.label
        assert p.render() == f"{p.label}：{text}"


# ------------------------------------------------------------------ person
def test_valid_adult_has_no_problems_and_parses_the_number() -> None:
    problems, parsed = validate_person(person(), TODAY)
    assert problems == []
    assert parsed is not None
    assert parsed.value == ADULT_ID
    assert parsed.birth_date == dt.date(1980, 1, 1)


def test_missing_name() -> None:
    problems, _ = validate_person(person(name="  "), TODAY)
    assert fields_of(problems) == ["name"]
    assert problems[0].label == "姓名"
    assert problems[0].message.render() == "请填写姓名"


@pytest.mark.parametrize("name", ["张伟1", "张伟!", "张_伟", "张伟."])
def test_name_with_digits_or_symbols_says_what_is_allowed(name: str) -> None:
    problems, _ = validate_person(person(name=name), TODAY)
    assert fields_of(problems) == ["name"]
    assert "汉字" in problems[0].message.render()


@pytest.mark.parametrize("name", ["张伟", "欧阳娜娜", "阿卜杜拉·买买提", "Anna", "张 伟", "𠀀伟"])
def test_acceptable_names(name: str) -> None:
    problems, _ = validate_person(person(name=name), TODAY)
    assert problems == []


def test_name_longer_than_40_is_refused_with_the_count() -> None:
    problems, _ = validate_person(person(name="张" * 41), TODAY)
    assert fields_of(problems) == ["name"]
    assert problems[0].message.params == {"limit": 40, "length": 41}
    assert validate_person(person(name="张" * 40), TODAY)[0] == []


def test_bad_id_number_is_reported_on_the_id_field() -> None:
    problems, parsed = validate_person(person(id_number="110105194912310021"), TODAY)
    assert parsed is None
    assert fields_of(problems) == ["id_number"]
    assert problems[0].label == PERSON_FIELDS["id_number"] == "身份证号码"
    assert "校验位应为“X”" in problems[0].message.render()


def test_id_number_none_means_unchanged_and_is_not_a_problem() -> None:
    problems, parsed = validate_person(person(id_number=None), TODAY)
    assert problems == []
    assert parsed is None


def test_many_problems_are_returned_at_once() -> None:
    problems, parsed = validate_person(
        person(
            name="",
            id_number="123",
            phone="12345",
            has_disability_cert=True,
            illness_note="病" * 201,
            note="注" * 2001,
            disability_cert_no="1" * 31,
        ),
        TODAY,
    )
    assert parsed is None
    assert sorted(fields_of(problems)) == sorted(
        [
            "name",
            "id_number",
            "phone",
            "disability_category",
            "disability_grade",
            "illness_note",
            "note",
            "disability_cert_no",
        ]
    )
    assert_well_formed(problems, PERSON_FIELDS)
    error = ValidationError(problems)
    assert error.problems == tuple(problems)
    rendered = str(error)
    assert f"有 {len(problems)} 处需要修改" in rendered
    for p in problems:
        assert p.label in rendered


# ------------------------------------------------------------------ children, disability
def test_child_status_for_an_adult_is_refused_with_the_age() -> None:
    problems, _ = validate_person(person(child_status=ChildStatus.LEFT_BEHIND), TODAY)
    assert fields_of(problems) == ["child_status"]
    assert problems[0].label == "儿童类别"
    assert problems[0].message.params == {"age": 44}
    assert "“无”" in problems[0].message.render()


def test_child_status_for_a_child_is_accepted() -> None:
    problems, _ = validate_person(
        person(id_number=CHILD_ID, child_status=ChildStatus.LEFT_BEHIND), TODAY
    )
    assert problems == []


def test_child_status_boundary_is_the_18th_birthday() -> None:
    turns_18_today = fictional_id(dt.date(2006, 6, 15))
    turns_18_tomorrow = fictional_id(dt.date(2006, 6, 16))
    assert fields_of(
        validate_person(person(id_number=turns_18_today, child_status=ChildStatus.ORPHAN), TODAY)[0]
    ) == ["child_status"]
    assert (
        validate_person(
            person(id_number=turns_18_tomorrow, child_status=ChildStatus.ORPHAN), TODAY
        )[0]
        == []
    )


def test_child_status_on_edit_uses_the_stored_birth_date() -> None:
    # id_number None = unchanged: the stored birth date decides
    problems, _ = validate_person(
        person(id_number=None, child_status=ChildStatus.ORPHAN),
        TODAY,
        birth_date=dt.date(1990, 1, 1),
    )
    assert fields_of(problems) == ["child_status"]


def test_disability_grade_without_certificate_is_refused() -> None:
    problems, _ = validate_person(person(disability_grade=2), TODAY)
    assert fields_of(problems) == ["disability_grade"]
    assert problems[0].label == "残疾等级"
    assert "残联" in problems[0].message.render()


def test_certificate_needs_category_and_grade() -> None:
    problems, _ = validate_person(person(has_disability_cert=True), TODAY)
    assert sorted(fields_of(problems)) == ["disability_category", "disability_grade"]
    assert_well_formed(problems, PERSON_FIELDS)


def test_certificate_with_category_and_grade_is_accepted() -> None:
    problems, _ = validate_person(
        person(
            has_disability_cert=True,
            disability_category=DisabilityCategory.PHYSICAL,
            disability_grade=1,
        ),
        TODAY,
    )
    assert problems == []


@pytest.mark.parametrize("grade", [0, 5, -1])
def test_disability_grade_out_of_range(grade: int) -> None:
    problems, _ = validate_person(
        person(
            has_disability_cert=True,
            disability_category=DisabilityCategory.VISUAL,
            disability_grade=grade,
        ),
        TODAY,
    )
    assert fields_of(problems) == ["disability_grade"]
    assert "一至四级" in problems[0].message.render()


# ------------------------------------------------------------------ phones
@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "19912345678",
        " 13800138000 ",
        "0851-12345678",
        "085112345678",
        "010-12345678",
        "010-1234567",
        "",
    ],
)
def test_phone_formats_accepted(phone: str) -> None:
    problems, _ = validate_person(person(phone=phone), TODAY)
    assert problems == []


@pytest.mark.parametrize(
    "phone",
    [
        "12800138000",  # no mobile network starts 12
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12345678",  # landline without area code
        "0851-123456",  # local number too short
        "851-12345678",  # area code without the leading 0
        "138-0013-8000",
        "+8613800138000",
        "电话13800138000",
    ],
)
def test_phone_formats_refused_with_an_example(phone: str) -> None:
    problems, _ = validate_person(person(phone=phone), TODAY)
    assert fields_of(problems) == ["phone"]
    assert problems[0].label == "联系电话"
    assert "0851-12345678" in problems[0].message.render()


# ------------------------------------------------------------------ household
def test_valid_household() -> None:
    assert (
        validate_household(
            HouseholdInput(village="红星村", group_name="一组", address="红星村一组3号")
        )
        == []
    )


def test_household_without_village() -> None:
    problems = validate_household(HouseholdInput(village="   "))
    assert fields_of(problems) == ["village"]
    assert problems[0].label == HOUSEHOLD_FIELDS["village"] == "村（社区）"
    assert "请填写" in problems[0].message.render()


def test_household_problems_all_at_once() -> None:
    problems = validate_household(
        HouseholdInput(village="", group_name="组" * 31, address="址" * 201, note="注" * 2001)
    )
    assert sorted(fields_of(problems)) == ["address", "group_name", "note", "village"]
    assert_well_formed(problems, HOUSEHOLD_FIELDS)


def test_household_limits_are_inclusive() -> None:
    assert (
        validate_household(
            HouseholdInput(
                village="村" * 60, group_name="组" * 30, address="址" * 200, note="注" * 2000
            )
        )
        == []
    )
    assert fields_of(validate_household(HouseholdInput(village="村" * 61))) == ["village"]


# ------------------------------------------------------------------ categories, relation
def test_category_period_end_before_start() -> None:
    problems = validate_category_period(
        HouseholdCategory.DIBAO_A, dt.date(2024, 6, 1), dt.date(2024, 5, 31)
    )
    assert fields_of(problems) == ["end_date"]
    assert problems[0].label == HOUSEHOLD_FIELDS["end_date"] == "结束日期"
    assert "不能早于开始日期" in problems[0].message.render()


@pytest.mark.parametrize("end", [None, dt.date(2024, 6, 1), dt.date(2025, 1, 1)])
def test_category_period_ok(end: dt.date | None) -> None:
    assert validate_category_period(HouseholdCategory.DIBAO_A, dt.date(2024, 6, 1), end) == []


def test_relation_is_required() -> None:
    problem = relation_problem(None)
    assert problem is not None
    assert problem.field == "relation"
    assert problem.label == "与户主关系"
    assert relation_problem(Relation.SON) is None


def test_every_field_label_is_chinese_text() -> None:
    for labels in (PERSON_FIELDS, HOUSEHOLD_FIELDS):
        for field, label in labels.items():
            assert label, field
            assert not label.isascii(), field


def test_validation_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        ValidationError([])


# ------------------------------------------------------------------ category rules
def _period(category: HouseholdCategory, start: dt.date, end: dt.date | None = None):
    return CategoryPeriod(category, start, end)


@pytest.mark.parametrize(
    ("existing_end", "start", "end", "overlap"),
    [
        (None, dt.date(2030, 1, 1), None, True),  # open record: everything after overlaps
        (None, dt.date(2019, 1, 1), dt.date(2019, 12, 31), False),  # wholly before it
        (None, dt.date(2019, 1, 1), dt.date(2020, 1, 1), True),  # ends on its first day
        (dt.date(2020, 12, 31), dt.date(2020, 12, 31), None, True),  # end dates count
        (dt.date(2020, 12, 31), dt.date(2021, 1, 1), None, False),  # the day after
    ],
)
def test_category_periods_overlap_on_shared_days(
    existing_end: dt.date | None, start: dt.date, end: dt.date | None, overlap: bool
) -> None:
    existing = _period(HouseholdCategory.LOW_INCOME, dt.date(2020, 1, 1), existing_end)
    assert existing.overlaps(start, end) is overlap
    problems = category_conflicts(HouseholdCategory.LOW_INCOME, start, end, [existing])
    assert fields_of(problems) == (["start_date"] if overlap else [])


def test_exclusive_rules_are_symmetric_and_name_the_other_record() -> None:
    dibao = _period(HouseholdCategory.DIBAO_A, dt.date(2020, 1, 1))
    tekun = _period(HouseholdCategory.TEKUN_DISPERSED, dt.date(2020, 1, 1))
    one = category_conflicts(tekun.category, dt.date(2024, 1, 1), None, [dibao])
    other = category_conflicts(dibao.category, dt.date(2024, 1, 1), None, [tekun])
    assert fields_of(one) == fields_of(other) == ["category"]
    assert "“低保 A类”（2020-01-01 至 今）" in one[0].message.render()
    assert "“特困 分散供养”" in other[0].message.render()
    assert_well_formed(one + other, HOUSEHOLD_FIELDS)


def test_every_category_pair_is_decided_by_the_rules() -> None:
    """Pairs refused are exactly the ones in the rules; everything else may coexist."""
    dibao, tekun = {"dibao_a", "dibao_b", "dibao_c"}, {"tekun_centralized", "tekun_dispersed"}
    poverty = {"poverty_unlifted", "poverty_lifted", "poverty_relapsed"}
    day = dt.date(2024, 1, 1)
    for a in HouseholdCategory:
        for b in HouseholdCategory:
            if a is b:
                continue
            refused = bool(category_conflicts(a, day, None, [_period(b, day)]))
            expected = any(
                (a.value in left and b.value in right) or (a.value in right and b.value in left)
                for left, right in (
                    (dibao, dibao),
                    (tekun, tekun),
                    (dibao, tekun),
                    (poverty, poverty),
                )
            )
            assert refused is expected, (a, b)
            assert any(r.forbids(a, b) for r in EXCLUSIVE_CATEGORIES) is expected


def test_field_text_shows_labels_not_codes() -> None:
    assert field_text("labour_ability", "full") == "有劳动能力"
    assert field_text("relation", "head") == "户主"
    assert field_text("residence", "urban") == "城镇"
    assert field_text("disability_grade", 1) == "一级"
    assert field_text("major_illness", True) == "是"
    assert field_text("boarding", False) == "否"
    assert field_text("disability_category", None) == ""
    assert field_text("birth_date", dt.date(1980, 1, 2)) == "1980-01-02"
    assert field_text("note", "原样") == "原样"
    assert field_text("labour_ability", "unknown_code") == "unknown_code"
