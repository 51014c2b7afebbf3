"""Roster rules without a database: header detection, column suggestions, row checks whose
messages never carry a name or a number, and the four-list match with the follow-ups of
domain.md §3.5 and scenario T18."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from desk_app.domain.ids import check_character
from desk_app.domain.ledgers import CategoryGroup, OnTime, looks_like_formula, on_time
from desk_app.domain.registry import HouseholdCategory
from desk_app.domain.rosters import (
    MatchInput,
    OurHousehold,
    OurPerson,
    Outcome,
    RosterField,
    RosterImportError,
    RosterKind,
    RosterRow,
    cell_text,
    check_mapping,
    find_header_row,
    follow_up,
    header_names,
    match,
    parse_row,
    same_group,
    same_village,
    suggest_mapping,
)

TODAY = dt.date(2024, 6, 15)
F = RosterField


def make_id(seq: int, birth: str = "19800101") -> str:
    first17 = f"520402{birth}{seq:03d}"
    return first17 + check_character(first17)


DIGITS_RE = re.compile(r"\d{6,}")


def test_suggestion_reads_our_own_ledger_headers_and_county_variants() -> None:
    ours = (
        "户编号",
        "村（社区）",
        "组",
        "户主姓名",
        "户主身份证号",
        "类别",
        "家庭人口",
        "保障人数",
        "月保障金额（元）",
    )
    assert suggest_mapping(ours) == {
        "户主身份证号": F.ID_NUMBER,  # a household list: the head's number is the key
        "户主姓名": F.NAME,
        "村（社区）": F.VILLAGE,
        "组": F.GROUP,
        "类别": F.CATEGORY,
        "保障人数": F.PEOPLE,  # preferred over 家庭人口 for a 低保 list
        "月保障金额（元）": F.AMOUNT,
    }
    members = ("序号", "姓名", "公民身份号码", "户主身份证号码", "与户主关系", "村民小组", "备注")
    assert suggest_mapping(members) == {
        "公民身份号码": F.ID_NUMBER,
        "户主身份证号码": F.HEAD_ID_NUMBER,
        "姓名": F.NAME,
        "村民小组": F.GROUP,
        "备注": F.NOTE,
    }


def test_header_row_is_found_below_a_title_and_blank_or_repeated_headers_get_names() -> None:
    rows = [("2024年第二季度低保名册", "", ""), ("", "", ""), ("序号", "姓名", "身份证号")]
    assert find_header_row(rows) == 3
    assert header_names(("姓名", "", "姓名")) == ("姓名", "第2列", "姓名（第3列）")


def test_mapping_problems_are_reported_together() -> None:
    problems = check_mapping(("姓名", "号码"), {"姓名": F.NAME, "人口": F.PEOPLE, "号码": F.NAME})
    text = "；".join(p.render() for p in problems)
    assert "“人口”" in text  # a mapped column the file does not have
    assert "对应了两列" in text
    assert "身份证号" in text  # the key column is required
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "身份证号码为空"),
        ("52040219800101001", "应为18位，现在是17位"),
        (make_id(11)[:-1] + ("0" if make_id(11)[-1] != "0" else "1"), "校验位不对"),
        ("520402198013010011", "第7–14位不是有效的出生日期"),
        ("990402198001010011", "前两位不是有效的省级行政区划代码"),
        (520402198001010011.0, "被存成了数字"),
    ],
)
def test_a_bad_id_number_is_explained_without_repeating_any_digit_of_it(
    value: object, reason: str
) -> None:
    row, problems = parse_row(7, {F.ID_NUMBER: value}, {F.ID_NUMBER: "身份证号"}, TODAY)  # type: ignore[dict-item]
    assert row is None
    [problem] = problems
    text = problem.render()
    assert text.startswith("第7行“身份证号”：")
    assert reason in text
    assert not DIGITS_RE.search(text.replace("18位", "").replace("17位", ""))


def test_every_problem_of_a_row_comes_at_once_and_values_are_cleaned() -> None:
    columns = {F.ID_NUMBER: "身份证号", F.NAME: "姓名", F.PEOPLE: "人数", F.AMOUNT: "金额"}
    row, problems = parse_row(
        4, {F.ID_NUMBER: "bad", F.NAME: "", F.PEOPLE: "0", F.AMOUNT: "-5"}, columns, TODAY
    )
    assert row is None
    assert [p.column for p in problems] == ["身份证号", "姓名", "人数", "金额"]

    good, problems = parse_row(
        5,
        {F.ID_NUMBER: " " + make_id(3).lower() + " ", F.NAME: "张 伟", F.PEOPLE: 3.0,
         F.AMOUNT: "1,200.5元"},
        columns,
        TODAY,
    )  # fmt: skip
    assert problems == []
    assert good == RosterRow(5, make_id(3), name="张伟", people=3, amount=Decimal("1200.50"))


def test_amounts_and_people_refuse_what_is_not_money_or_a_count() -> None:
    columns = {F.ID_NUMBER: "号", F.PEOPLE: "人数", F.AMOUNT: "金额"}
    for people, amount in (("2.5", "1.234"), (True, dt.date(2024, 1, 1)), ("100", "1e20")):
        _row, problems = parse_row(2, {F.ID_NUMBER: make_id(5), F.PEOPLE: people, F.AMOUNT: amount}, columns, TODAY)  # fmt: skip
        assert [p.column for p in problems] == ["人数", "金额"]


def test_cell_text_of_spreadsheet_values() -> None:
    assert cell_text(3.0) == "3"
    assert cell_text(dt.datetime(2024, 1, 2)) == "2024-01-02"
    assert cell_text(float("nan")) == ""
    assert cell_text(None) == ""


def test_village_and_group_spellings_that_mean_the_same() -> None:
    assert same_village("红星村", "红星村委会")
    assert same_village("城关社区", "城关")
    assert not same_village("红星村", "红旗村")
    assert same_group("一组", "1组")
    assert same_group("十二组", "12")
    assert not same_group("二组", "3组")


def test_import_error_counts_rows_and_keeps_every_problem() -> None:
    _row, problems = parse_row(3, {F.ID_NUMBER: ""}, {F.ID_NUMBER: "身份证号"}, TODAY)
    error = RosterImportError(row_problems=problems * 2)
    assert "有 1 行不符合要求（共 2 处）" in str(error)
    assert len(error.row_problems) == 2


def test_formula_prefixes_and_the_kpi_on_time_rule() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert looks_like_formula(text)
    assert not looks_like_formula("张三")
    due = dt.date(2024, 6, 10)
    assert on_time(due, dt.date(2024, 6, 10), False, TODAY) is OnTime.ON_TIME
    assert on_time(due, dt.date(2024, 6, 11), False, TODAY) is OnTime.LATE
    assert on_time(due, None, True, TODAY) is OnTime.OVERDUE
    assert on_time(dt.date(2024, 6, 20), None, True, TODAY) is OnTime.NOT_DUE


# ----------------------------------------------------------------------------- matching


def _person(household_id: int, name: str, *, bedridden: bool = False) -> OurPerson:
    return OurPerson(household_id, name, labour_lost=bedridden, bedridden=bedridden,
                     severe_disability=False, has_certificate=False, disability_category=None)  # fmt: skip


def _household(
    hid: int, head_id: str, name: str, categories: set[HouseholdCategory], *, needs_care: int = 0
) -> OurHousehold:
    return OurHousehold(
        id=hid, number=f"H{hid}", village="红星村", group_name="一组", head_name=name,
        head_id_number=head_id, members=2, categories=frozenset(categories), covered=None,
        amount=Decimal("250.00") if categories & CategoryGroup.DIBAO.categories else None,
        labour_lost_members=needs_care, needs_care_members=needs_care, certificate_members=0,
    )  # fmt: skip


def test_t18_both_lists_and_their_follow_ups() -> None:
    """T18: A is on 低保 but not 建档立卡 → list to 扶贫; B is 建档立卡 with a bedridden
    member and not on 低保 → 低保 check, 单人户/分户 possible; C is on both."""
    a, b, c, d = make_id(1), make_id(3), make_id(5), make_id(7)
    households = {
        1: _household(1, a, "甲", {HouseholdCategory.DIBAO_A}),
        2: _household(2, b, "乙", {HouseholdCategory.POVERTY_UNLIFTED}, needs_care=1),
        3: _household(3, c, "丙", {HouseholdCategory.DIBAO_B, HouseholdCategory.POVERTY_LIFTED}),
    }
    persons = {a: _person(1, "甲"), b: _person(2, "乙", bedridden=True), c: _person(3, "丙")}
    theirs = (
        RosterRow(2, b, name="乙", category="未脱贫"),
        RosterRow(3, c, name="丙", category="已脱贫"),
        RosterRow(4, d, name="丁"),  # not registered here at all
    )
    items = match(
        MatchInput(RosterKind.POVERTY, CategoryGroup.DIBAO, False, theirs, persons, households,
                   frozenset({1, 3}))
    )  # fmt: skip
    by_key = {i.key: i for i in items}
    assert by_key[a].outcome is Outcome.OURS_ONLY
    assert "报扶贫部门" in by_key[a].follow_up
    assert "T18（A）" in by_key[a].basis
    assert by_key[b].outcome is Outcome.THEIRS_ONLY
    assert "单人户或分户" in by_key[b].follow_up
    assert "T18（B）" in by_key[b].basis
    assert by_key[c].outcome is Outcome.BOTH
    assert by_key[c].differences == ()
    assert by_key[d].outcome is Outcome.THEIRS_ONLY
    assert by_key[d].follow_up.startswith("本系统未登记该户")
    assert [i.outcome for i in items][-1] is Outcome.OURS_ONLY  # ours-only come last


def test_conflicts_name_each_differing_attribute() -> None:
    a = make_id(9)
    households = {1: _household(1, a, "张伟", {HouseholdCategory.DIBAO_A})}
    theirs = (RosterRow(2, a, name="张玮", village="红旗村", group_name="1组", category="B类",
                        people=3, amount=Decimal("300")),)  # fmt: skip
    [item] = match(
        MatchInput(RosterKind.DIBAO, CategoryGroup.DIBAO, False, theirs, {a: _person(1, "张伟")},
                   households, frozenset({1}))
    )  # fmt: skip
    assert item.outcome is Outcome.CONFLICT
    text = "；".join(item.differences)
    for expected in ("姓名写法不同（第2行）", "村（社区）", "类别", "人数：本系统 2 人，名单 3 人",
                     "金额：本系统 250.00 元，名单 300.00 元"):  # fmt: skip
        assert expected in text
    assert "组" not in text.replace("村（社区）", "")  # 1组 and 一组 are the same group


def test_follow_ups_exist_for_every_kind_scope_and_outcome() -> None:
    for kind in RosterKind:
        for scope in CategoryGroup:
            for outcome in Outcome:
                for registered in (True, False):
                    text, basis = follow_up(kind, scope, outcome, registered=registered,
                                            needs_care=registered, has_certificate=registered)  # fmt: skip
                    assert text
                    assert basis.startswith("domain.md §")
