"""The administrator's operations on the catalogue, departments, parameters and holidays.

Each test runs on its own SQLite file migrated by ``open_services`` (seeded from
domain.md by migration 0002), so these are the same operations the 系统设置 page calls.
Routes, deadlines and recounts are read back through the services the window uses
(``intake.propose``, ``intake.save``, ``referrals``), never through SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desk_app.bootstrap import Services
from desk_app.domain.intake import Handling
from desk_app.errors import ValidationError
from desk_app.services.catalogue import MatterRow
from desk_app.services.dto import HouseholdDetail, ReferralRow
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter

NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（测试用虚构内容）"


def matter(services: Services, code: str) -> MatterRow:
    return next(m for m in services.catalogue.matters(include_inactive=True) if m.code == code)


def save_as_is(services: Services, row: MatterRow, **changes: object) -> MatterRow:
    """save_matter with every field as it is now, except ``changes``."""
    fields: dict[str, object] = {
        "name": row.name,
        "handling": row.handling,
        "department_code": row.department_code,
        "reason": row.reason,
        "required_papers": tuple(p.code for p in row.required_papers),
        "optional_papers": tuple(p.code for p in row.optional_papers),
        "active": row.active,
    }
    fields.update(changes)
    return services.catalogue.save_matter(row.code, **fields)  # type: ignore[arg-type]


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


def set_clock(services: Services, at: dt.datetime) -> None:
    services.context.clock = lambda: at


def only_referral(services: Services) -> ReferralRow:
    rows = services.referrals.page(ReferralFilter()).rows
    assert len(rows) == 1
    return rows[0]


# ------------------------------------------------------------------ matters
def test_save_matter_changes_route_and_papers_and_intake_proposes_the_new_route(
    services: Services,
) -> None:
    before = services.intake.propose([MatterChoice("elderly_home_adaptation")])[0]
    assert before.handling is Handling.WINDOW
    assert before.department_code == "county_elderly_services"

    saved = save_as_is(
        services,
        matter(services, "elderly_home_adaptation"),
        name="适老化改造（住建）",
        handling=Handling.REFERRAL,
        department_code="housing",
        reason="本县适老化改造由住建部门统一实施，窗口转介。",
        required_papers=("application_form", "id_card"),
        optional_papers=("hukou_book",),
    )

    assert saved.handling is Handling.REFERRAL
    assert saved.department_code == "housing"
    assert [p.code for p in saved.required_papers] == ["application_form", "id_card"]
    assert [p.code for p in saved.optional_papers] == ["hukou_book"]
    assert matter(services, "elderly_home_adaptation") == saved
    proposal = services.intake.propose([MatterChoice("elderly_home_adaptation")])[0]
    assert proposal.matter_name == "适老化改造（住建）"
    assert proposal.handling is Handling.REFERRAL
    assert proposal.department_code == "housing"
    assert proposal.queue == "住房"
    assert proposal.reason == "本县适老化改造由住建部门统一实施，窗口转介。"
    assert proposal.limit_days == 10
    assert proposal.due_date is not None
    assert [p.code for p in proposal.papers_missing] == ["application_form", "id_card"]


def test_save_matter_keeps_the_order_of_required_papers(services: Services) -> None:
    row = matter(services, "dibao")
    reordered = tuple(reversed([p.code for p in row.required_papers]))
    saved = save_as_is(services, row, required_papers=reordered)
    assert tuple(p.code for p in saved.required_papers) == reordered
    missing = services.intake.propose([MatterChoice("dibao")])[0].papers_missing
    assert tuple(p.code for p in missing) == reordered


def test_deactivated_matter_is_no_longer_offered_at_the_window(services: Services) -> None:
    save_as_is(services, matter(services, "family_doctor"), active=False)
    assert "family_doctor" not in {m.code for m in services.catalogue.matters()}
    assert not matter(services, "family_doctor").active
    with pytest.raises(ValidationError) as exc:
        services.intake.propose([MatterChoice("family_doctor")])
    assert fields_of(exc) == {"matters"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": "  "}, {"name"}),
        ({"reason": ""}, {"reason"}),
        ({"department_code": "township_civil_affairs"}, {"department"}),  # referral → 民政
        ({"handling": Handling.WINDOW}, {"department"}),  # window → an outside department
        ({"department_code": ""}, {"department"}),
        ({"required_papers": ("id_card",), "optional_papers": ("id_card",)}, {"papers"}),
        ({"required_papers": ("no_such_paper",)}, {"papers"}),
        (
            {"name": "", "reason": "", "department_code": "nowhere"},
            {"name", "reason", "department"},
        ),
    ],
)
def test_save_matter_refuses_wrong_input_and_writes_nothing(
    services: Services, changes: dict[str, object], fields: set[str]
) -> None:
    row = matter(services, "student_aid")
    with pytest.raises(ValidationError) as exc:
        save_as_is(services, row, **changes)
    assert fields_of(exc) == fields
    assert matter(services, "student_aid") == row


def test_matter_cannot_be_routed_to_an_inactive_department(services: Services) -> None:
    for m in services.catalogue.matters(include_inactive=True):
        if m.department_code == "youth_league":
            save_as_is(services, m, department_code="education")
    services.catalogue.save_department(
        "youth_league", name="团县委", contact="", phone="", active=False
    )
    with pytest.raises(ValidationError) as exc:
        save_as_is(services, matter(services, "student_aid"), department_code="youth_league")
    assert fields_of(exc) == {"department"}


# -------------------------------------------------------------- departments
def test_save_department_changes_name_contact_and_phone(services: Services) -> None:
    saved = services.catalogue.save_department(
        "education", name=" 县教育体育局 ", contact="李老师", phone="0851-1234567", active=True
    )
    assert (saved.name, saved.contact, saved.phone) == ("县教育体育局", "李老师", "0851-1234567")
    assert saved.limit_days == 10
    proposal = services.intake.propose([MatterChoice("student_aid")])[0]
    assert proposal.department_name == "县教育体育局"


@pytest.mark.parametrize(
    ("name", "contact", "phone", "fields"),
    [
        ("", "", "", {"name"}),
        ("县教育局", "李" * 41, "", {"contact"}),
        ("县教育局", "", "1" * 41, {"contact"}),
        (" ", "李" * 41, "", {"name", "contact"}),
    ],
)
def test_save_department_refuses_wrong_input_and_writes_nothing(
    services: Services, name: str, contact: str, phone: str, fields: set[str]
) -> None:
    before = services.catalogue.departments(include_inactive=True)
    with pytest.raises(ValidationError) as exc:
        services.catalogue.save_department(
            "education", name=name, contact=contact, phone=phone, active=True
        )
    assert fields_of(exc) == fields
    assert services.catalogue.departments(include_inactive=True) == before


def test_department_cannot_be_deactivated_while_matters_are_routed_to_it(
    services: Services,
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.catalogue.save_department(
            "education", name="县教育局（教体局）", contact="", phone="", active=False
        )
    assert fields_of(exc) == {"active"}
    assert next(d for d in services.catalogue.departments() if d.code == "education").active

    # Once every matter routed there goes elsewhere, the department can be switched off.
    for m in services.catalogue.matters(include_inactive=True):
        if m.department_code == "education":
            save_as_is(services, m, department_code="youth_league")
    saved = services.catalogue.save_department(
        "education", name="县教育局（教体局）", contact="", phone="", active=False
    )
    assert not saved.active
    assert "education" not in {d.code for d in services.catalogue.departments()}
    assert "education" in {d.code for d in services.catalogue.departments(include_inactive=True)}


# --------------------------------------------------------------- parameters
def test_setting_a_parameter_adds_a_row_and_never_rewrites_the_old_one(
    services: Services,
) -> None:
    key = "referral.limit_days.education"
    old = services.parameters.value(key)
    assert old is not None
    assert old.value == 10
    before = services.parameters.history(key)

    new = services.parameters.set(
        key, 5, dt.date(2024, 7, 1), "县政府办公室2024年第3号会议纪要", unit="工作日"
    )

    assert new.id != old.id
    assert new.actor  # who entered it
    after = services.parameters.history(key)
    assert len(after) == len(before) + 1
    assert old in after  # the old row is unchanged, id, value and source alike
    assert services.parameters.value(key, on=dt.date(2024, 6, 30)) == old
    assert services.parameters.value(key, on=dt.date(2024, 7, 1)) == new
    # Today (2024-06-15) the department still answers within 10 days; from July on, 5.
    assert (
        next(d for d in services.catalogue.departments() if d.code == "education").limit_days == 10
    )
    set_clock(services, dt.datetime(2024, 7, 2, 9, 0))
    assert (
        next(d for d in services.catalogue.departments() if d.code == "education").limit_days == 5
    )
    assert services.intake.propose([MatterChoice("student_aid")])[0].limit_days == 5


def test_a_local_value_wins_over_the_default_only_for_that_locality(services: Services) -> None:
    key = "notice.objection_days"
    services.parameters.set(key, 5, dt.date(2024, 1, 1), "本镇文件", locality="520402102000")
    assert services.parameters.value(key, locality="520402102000").value == 5  # type: ignore[union-attr]
    # With no locality given, the window's own township (this site's code) applies …
    assert services.parameters.value(key).value == 5  # type: ignore[union-attr]
    # … while the default and any other township keep the general value.
    assert services.parameters.value(key, locality="").value == 7  # type: ignore[union-attr]
    assert services.parameters.value(key, locality="360721100000").value == 7  # type: ignore[union-attr]


def test_a_value_that_must_be_set_locally_is_null_and_can_be_filled(services: Services) -> None:
    key = "window.limit_days.temporary_assistance"
    assert services.parameters.value(key).value is None  # type: ignore[union-attr]
    assert services.intake.propose([MatterChoice("temporary_assistance")])[0].due_date is None
    services.parameters.set(key, 7, dt.date(2024, 6, 1), "县民政局临时救助实施细则", unit="工作日")
    proposal = services.intake.propose([MatterChoice("temporary_assistance")])[0]
    assert proposal.limit_days == 7
    assert proposal.due_date == dt.date(2024, 6, 25)  # after Sat 15 June: 17–21, 24, 25 June


@pytest.mark.parametrize(
    ("value", "on", "source", "field"),
    [
        (5, dt.date(2000, 1, 1), "重复的日期", "effective_from"),  # the seed's own date
        (5, dt.date(2024, 7, 1), "   ", "source"),
        (-1, dt.date(2024, 7, 1), "县文件", "value"),
    ],
)
def test_parameter_set_refuses_wrong_input_and_writes_nothing(
    services: Services, value: int, on: dt.date, source: str, field: str
) -> None:
    before = services.parameters.history()
    with pytest.raises(ValidationError) as exc:
        services.parameters.set("referral.limit_days.education", value, on, source)
    assert fields_of(exc) == {field}
    assert services.parameters.history() == before


@pytest.mark.parametrize("value", [7.5, "10天"])
def test_a_referral_limit_must_be_a_whole_number_of_days(services: Services, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        services.parameters.set(
            "referral.limit_days.education", value, dt.date(2024, 7, 1), "县文件"
        )
    assert fields_of(exc) == {"value"}


def test_a_referral_limit_cannot_be_left_open(
    services: Services, register: Callable[..., HouseholdDetail]
) -> None:
    """Every referral needs a deadline, so its department's limit cannot be 需当地确定."""
    with pytest.raises(ValidationError) as exc:
        services.parameters.set("referral.limit_days.education", None, dt.date(2024, 6, 1), "待定")
    assert fields_of(exc) == {"value"}
    household = register("王秀英")
    receipt = services.intake.save(IntakeInput(household.id, (MatterChoice("student_aid"),)))
    assert receipt.matters[0].limit_days == 10


def test_the_seeded_tekun_limit_applies_to_the_tekun_matter(services: Services) -> None:
    assert services.intake.propose([MatterChoice("tekun_support")])[0].limit_days == 30


def test_a_value_for_the_windows_own_township_is_used(services: Services) -> None:
    code = services.site.get().township_code  # type: ignore[union-attr]
    services.parameters.set(
        "referral.limit_days.education", 3, dt.date(2024, 1, 1), "本镇", locality=code
    )
    assert services.intake.propose([MatterChoice("student_aid")])[0].limit_days == 3


# ----------------------------------------------------------------- holidays
@pytest.fixture
def december_2026_referral(
    services: Services, register: Callable[..., HouseholdDetail]
) -> ReferralRow:
    """An open 教育 referral saved on Mon 28 Dec 2026, while 2027 is not yet known."""
    set_clock(services, dt.datetime(2026, 12, 28, 10, 0))
    household = register("王秀英")
    receipt = services.intake.save(
        IntakeInput(household.id, (MatterChoice("student_aid"), MatterChoice("dibao")))
    )
    referral_route = receipt.matters[0]
    assert referral_route.limit_days == 10
    assert referral_route.due_uncertain_years == (2027,)
    # Weekends only: 29–31 Dec, Fri 1 Jan, 4–8 Jan, Mon 11 Jan.
    assert referral_route.due_date == dt.date(2027, 1, 11)
    row = only_referral(services)
    assert row.due_uncertain
    return row


def test_unknown_years_ahead_and_year_status(services: Services) -> None:
    set_clock(services, dt.datetime(2026, 3, 1, 9, 0))
    assert services.calendar.unknown_years_ahead() == (2027, 2028)
    status = services.calendar.year_status(2026)
    assert status.known_by_library
    assert status.known
    status = services.calendar.year_status(2027)
    assert (status.known, status.complete, status.entered_days) == (False, False, 0)


def test_entering_2027_and_marking_it_complete_makes_an_open_deadline_certain(
    services: Services, december_2026_referral: ReferralRow
) -> None:
    services.calendar.set_day(dt.date(2027, 1, 1), False, "元旦")
    row = only_referral(services)
    assert row.due_date == dt.date(2027, 1, 12)  # recounted with the day entered …
    assert row.due_uncertain  # … but the year is not complete yet

    status = services.calendar.mark_year(2027, True, NOTICE_2027)

    assert (status.known, status.complete, status.source) == (True, True, NOTICE_2027)
    assert status.entered_days == 1
    row = only_referral(services)
    assert row.due_date == dt.date(2027, 1, 12)
    assert not row.due_uncertain
    assert services.calendar.unknown_years_ahead(years=0) == ()
    later = services.intake.propose([MatterChoice("student_aid")])[0]
    assert later.due_uncertain_years == ()


def test_a_make_up_working_day_counts_and_removing_a_day_recounts(
    services: Services, december_2026_referral: ReferralRow
) -> None:
    services.calendar.set_day(dt.date(2027, 1, 1), False, "元旦")
    services.calendar.set_day(dt.date(2027, 1, 9), True, "调休上班")  # a Saturday
    assert [(d.day, d.workday) for d in services.calendar.days(2027)] == [
        (dt.date(2027, 1, 1), False),
        (dt.date(2027, 1, 9), True),
    ]
    assert only_referral(services).due_date == dt.date(2027, 1, 11)
    services.calendar.remove_day(dt.date(2027, 1, 9))
    assert only_referral(services).due_date == dt.date(2027, 1, 12)
    assert [d.day for d in services.calendar.days(2027)] == [dt.date(2027, 1, 1)]


def test_marking_a_year_complete_needs_a_source(
    services: Services, december_2026_referral: ReferralRow
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.calendar.mark_year(2027, True, "  ")
    assert fields_of(exc) == {"source"}
    assert not services.calendar.year_status(2027).known
    assert only_referral(services).due_uncertain


def test_a_holiday_needs_a_name(services: Services) -> None:
    with pytest.raises(ValidationError) as exc:
        services.calendar.set_day(dt.date(2027, 10, 1), False, " ")
    assert fields_of(exc) == {"name"}
    assert services.calendar.days(2027) == ()


def test_correcting_a_complete_year_recounts_open_deadlines_that_cross_the_day(
    services: Services, december_2026_referral: ReferralRow
) -> None:
    services.calendar.set_day(dt.date(2027, 1, 1), False, "元旦")
    services.calendar.mark_year(2027, True, NOTICE_2027)
    assert only_referral(services).due_date == dt.date(2027, 1, 12)
    services.calendar.set_day(dt.date(2027, 1, 4), False, "元旦（补录）")
    assert only_referral(services).due_date == dt.date(2027, 1, 13)
