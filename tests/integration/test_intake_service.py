"""窗口受理 through IntakeService on real SQLite files (domain.md §2.1 steps 0–2, §3.1–§3.3).

The clock is fixed per test and moved by hand; nothing of ours is mocked. The acceptance day
is Thursday 24 September 2026, just before the 中秋 and 国庆 holidays, so every deadline
below crosses them (see tests/unit/test_calendar.py for the day-by-day count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import CameAs, Channel, Handling, ReferralAction, Urgency
from desk_app.domain.registry import CertificateCheck, ChildStatus, DisabilityCategory, Relation
from desk_app.domain.routing import MemberFacts
from desk_app.errors import NotFoundError, ValidationError
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply

D = dt.date
ACCEPTED = dt.datetime(2026, 9, 24, 9, 30)
INTAKE_TABLES = ("intake", "intake_matter", "referral", "referral_event")


class MovingClock:
    """A fixed clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def moving_clock() -> MovingClock:
    return MovingClock(ACCEPTED)


@pytest.fixture
def app(db_url: str, moving_clock: MovingClock) -> Iterator[Services]:
    svc = open_services(db_url, clock=moving_clock, identity=SYSTEM)
    svc.context.operator.name = "李芳"
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def household(app: Services, make_id: Callable[..., str]) -> HouseholdDetail:
    detail = app.households.register(
        HouseholdInput(village="红星村", group_name="一组"),
        PersonInput(name="张伟", id_number=make_id(D(1981, 5, 1))),
    )
    return app.households.add_member(
        detail.id,
        PersonInput(name="李秀英", id_number=make_id(D(1983, 2, 2), female=True)),
        Relation.SPOUSE,
    )


def intake_rows(app: Services) -> dict[str, Any]:
    """Every row of the intake tables and the site's running numbers."""
    with app.engine.connect() as conn:
        out: dict[str, Any] = {
            t: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))), key=repr)
            for t in INTAKE_TABLES
        }
        out["site"] = tuple(conn.execute(text("SELECT intake_seq, referral_seq FROM site")).one())
    return out


def empty_limit_parameter(app: Services, key: str, effective_from: dt.date) -> None:
    """An empty limit row, as version 0.1.0's parameter page could still write one.

    ParameterService now refuses an empty referral limit, but a database kept from that
    version (or filled by hand on a server) may hold one; saving must still fail cleanly.
    """
    with app.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parameter (key, locality, effective_from, value, unit, source,"
                " created_at, actor) VALUES (:key, '', :day, 'null', '工作日', '当地尚未确定',"
                " :now, '旧版本')"
            ),
            {"key": key, "day": effective_from, "now": dt.datetime(2026, 9, 1, 8, 0)},
        )


def save(app: Services, household: HouseholdDetail, *choices: MatterChoice | str) -> Any:
    matters = tuple(MatterChoice(c) if isinstance(c, str) else c for c in choices)
    return app.intake.save(IntakeInput(household.id, matters, applicant_id=household.members[0].id))


def by_code(routes: Any) -> dict[str, Any]:
    return {r.matter_code: r for r in routes}


# ----------------------------------------------------------------------- proposing
def test_propose_writes_nothing(app: Services, household: HouseholdDetail) -> None:
    before = intake_rows(app)
    routes = app.intake.propose(
        [MatterChoice("dibao"), MatterChoice("medical_assistance"), MatterChoice("student_aid")]
    )
    assert [r.matter_code for r in routes] == ["dibao", "medical_assistance", "student_aid"]
    assert all(r.referral_number == "" for r in routes)
    assert intake_rows(app) == before


def test_propose_routes_by_the_catalogue_with_reason_and_basis(app: Services) -> None:
    dibao, medical = app.intake.propose([MatterChoice("dibao"), MatterChoice("medical_assistance")])
    assert (dibao.handling, dibao.department_code, dibao.queue) == (
        Handling.WINDOW,
        "township_civil_affairs",
        "民政",
    )
    assert (medical.handling, medical.department_code, medical.queue) == (
        Handling.REFERRAL,
        "medical_insurance",
        "医疗",
    )
    assert medical.department_name == "县医疗保障局"
    for r in (dibao, medical):
        assert r.reason
        assert "domain.md" in r.basis
        assert not r.overridden
        assert (r.proposed_handling, r.proposed_department_code) == (
            r.handling,
            r.department_code,
        )


def test_propose_counts_from_the_day_given(app: Services) -> None:
    (medical,) = app.intake.propose([MatterChoice("medical_assistance")], on=D(2026, 9, 30))
    assert medical.due_date == D(2026, 10, 20)  # 8, 9, 10 (Sat, make-up), 12–16, 19, 20
    assert medical.limit_days == 10
    (today,) = app.intake.propose([MatterChoice("medical_assistance")])
    assert today.due_date == D(2026, 10, 15)


# ----------------------------------------------------------------------- deadlines
def test_window_matters_get_their_parameter_deadline_and_none_otherwise(app: Services) -> None:
    routes = by_code(
        app.intake.propose(
            [
                MatterChoice("dibao"),
                MatterChoice("temporary_assistance"),
                MatterChoice("disaster_relief"),
                MatterChoice("medical_assistance"),
            ]
        )
    )
    # window.limit_days.dibao = 30 working days (〔非种子〕 external reference, domain.md §8).
    assert (routes["dibao"].limit_days, routes["dibao"].due_date) == (30, D(2026, 11, 12))
    # window.limit_days.temporary_assistance exists but is empty: the seeds give no limit.
    assert (routes["temporary_assistance"].limit_days, routes["temporary_assistance"].due_date) == (
        None,
        None,
    )
    # No parameter at all for 受灾 (its limit is 12 hours, not working days).
    assert routes["disaster_relief"].due_date is None
    assert routes["medical_assistance"].due_date == D(2026, 10, 15)
    assert all(r.due_uncertain_years == () for r in routes.values())


def test_a_window_limit_set_later_applies_from_its_effective_date(app: Services) -> None:
    app.parameters.set(
        "window.limit_days.temporary_assistance", 5, D(2026, 10, 1), "测试：县民政局通知（虚构）"
    )
    (before,) = app.intake.propose([MatterChoice("temporary_assistance")], on=D(2026, 9, 30))
    (after,) = app.intake.propose([MatterChoice("temporary_assistance")], on=D(2026, 10, 8))
    assert before.due_date is None
    assert (after.limit_days, after.due_date) == (5, D(2026, 10, 14))  # 9, 10 (Sat), 12, 13, 14


def test_a_department_limit_changed_from_a_date_is_used_for_new_referrals(app: Services) -> None:
    app.parameters.set("referral.limit_days.medical_insurance", 15, D(2026, 9, 24), "测试（虚构）")
    (medical,) = app.intake.propose([MatterChoice("medical_assistance")])
    assert (medical.limit_days, medical.due_date) == (15, D(2026, 10, 22))
    (earlier,) = app.intake.propose([MatterChoice("medical_assistance")], on=D(2026, 9, 23))
    assert earlier.limit_days == 10


# ----------------------------------------------------------------------- papers
def test_missing_papers_are_required_minus_received_in_catalogue_order(app: Services) -> None:
    (dibao,) = app.intake.propose(
        [MatterChoice("dibao", papers_received=("hukou_book", "id_card", "bank_account"))]
    )
    required = [
        "application_form",
        "id_card",
        "hukou_book",
        "income_proof",
        "property_proof",
        "check_authorisation",
        "truthful_declaration",
    ]
    assert [p.code for p in dibao.papers_missing] == [
        c for c in required if c not in {"hukou_book", "id_card"}
    ]
    # Received papers are listed in catalogue order, optional ones included.
    assert [p.code for p in dibao.papers_received] == ["id_card", "hukou_book", "bank_account"]
    assert all(p.name for p in dibao.papers_missing)


def test_all_papers_received_leaves_nothing_missing(app: Services) -> None:
    (premium,) = app.intake.propose(
        [
            MatterChoice(
                "insurance_premium_subsidy",
                papers_received=("id_card", "hukou_book", "beneficiary_proof"),
            )
        ]
    )
    assert premium.papers_missing == ()


def test_a_paper_not_belonging_to_the_matter_is_refused(app: Services) -> None:
    with pytest.raises(ValidationError) as err:
        app.intake.propose([MatterChoice("medical_assistance", papers_received=("photo",))])
    assert [p.field for p in err.value.problems] == ["papers.medical_assistance"]


# ----------------------------------------------------------------------- overrides
def test_changing_a_route_needs_a_reason(app: Services) -> None:
    changed = MatterChoice("medical_assistance", department_code="charity")
    with pytest.raises(ValidationError) as err:
        app.intake.propose([changed])
    assert [p.field for p in err.value.problems] == ["route.medical_assistance"]
    assert "理由" in err.value.problems[0].message.render()
    with pytest.raises(ValidationError):
        app.intake.propose(
            [MatterChoice("medical_assistance", department_code="charity", override_reason=" 是 ")]
        )


def test_an_override_is_kept_beside_the_proposal(app: Services, household: HouseholdDetail) -> None:
    reason = "医保报销和医疗救助已用尽，申请慈善救助"
    receipt = save(
        app,
        household,
        MatterChoice("medical_assistance", department_code="charity", override_reason=reason),
    )
    (r,) = receipt.matters
    assert (r.department_code, r.department_name, r.queue) == ("charity", "县慈善总会", "慈善")
    assert (r.proposed_department_code, r.proposed_department_name) == (
        "medical_insurance",
        "县医疗保障局",
    )
    assert r.overridden
    assert r.override_reason == reason
    assert r.reason  # the catalogue's own reason and basis stay, for the record
    assert r.basis
    again = by_code(app.intake.get(receipt.intake_id).matters)["medical_assistance"]
    assert (again.department_code, again.proposed_department_code, again.override_reason) == (
        "charity",
        "medical_insurance",
        reason,
    )
    with app.engine.connect() as conn:
        note = conn.execute(text("SELECT note FROM referral_event")).scalar_one()
    assert note == reason


def test_a_reason_without_a_change_is_not_recorded_as_an_override(app: Services) -> None:
    (r,) = app.intake.propose([MatterChoice("medical_assistance", override_reason="随手写的")])
    assert not r.overridden
    assert r.override_reason == ""


def test_a_window_matter_cannot_be_referred_to_an_in_house_department(app: Services) -> None:
    with pytest.raises(ValidationError) as err:
        app.intake.propose(
            [
                MatterChoice(
                    "dibao",
                    handling=Handling.REFERRAL,
                    override_reason="想转给别的部门",
                )
            ]
        )
    assert err.value.problems[0].field == "route.dibao"
    # Referred to an outside department, with a reason, it is accepted as an override.
    (r,) = app.intake.propose(
        [
            MatterChoice(
                "temporary_assistance",
                handling=Handling.REFERRAL,
                department_code="charity",
                override_reason="本人只申请慈善救助",
            )
        ]
    )
    assert (r.handling, r.queue, r.limit_days, r.due_date) == (
        Handling.REFERRAL,
        "慈善",
        10,
        D(2026, 10, 15),
    )


# ----------------------------------------------------------------------- saving
def test_save_writes_intake_matters_referrals_and_deadlines(
    app: Services, household: HouseholdDetail
) -> None:
    receipt = app.intake.save(
        IntakeInput(
            household.id,
            (
                MatterChoice("dibao", papers_received=("id_card",)),
                MatterChoice("medical_assistance"),
            ),
            applicant_id=household.members[1].id,
            came_as=CameAs.PROXY,
            agent_name="王村干",
            agent_relation="村委会",
            channel=Channel.VILLAGE_REFERRAL,
            urgency=Urgency.URGENT,
            causes=("illness", "type_major_illness"),
            note="住院费用较多",
        )
    )
    assert receipt.number == "SL2026-000001"
    assert receipt.received_at == ACCEPTED
    assert receipt.clerk == "李芳"
    assert receipt.causes == ("因病", "大重病")
    assert (receipt.applicant_name, receipt.agent_name) == ("李秀英", "王村干")
    routes = by_code(receipt.matters)
    assert routes["dibao"].referral_number == ""
    assert routes["medical_assistance"].referral_number == "ZJ2026-000001"
    rows = intake_rows(app)
    assert len(rows["intake"]) == 1
    assert len(rows["intake_matter"]) == 2
    assert len(rows["referral"]) == 1
    assert len(rows["referral_event"]) == 1
    assert rows["site"] == (1, 1)
    with app.engine.connect() as conn:
        # str()/bool(): SQLite stores dates as text and booleans as 0/1, PostgreSQL as types
        matters = {
            code: str(due)
            for code, due in conn.execute(text("SELECT matter_code, due_date FROM intake_matter"))
        }
        referral = conn.execute(
            text("SELECT status, limit_days, due_date, due_uncertain FROM referral")
        ).one()
    assert matters == {"dibao": "2026-11-12", "medical_assistance": "2026-10-15"}
    status, limit_days, due, uncertain = referral
    assert (status, limit_days, str(due), bool(uncertain)) == ("pending", 10, "2026-10-15", False)


def test_save_is_one_transaction(app: Services, household: HouseholdDetail) -> None:
    """A referral whose department has no limit fails the save half-way: nothing is kept.

    教育局's limit parameter is empty (the seeds give no number, domain.md §8 item 2). 低保
    and 医疗救助 are written first; 教育 then cannot get a deadline.
    """
    save(app, household, "temporary_assistance", "medical_assistance")  # counters at 1 / 1
    empty_limit_parameter(app, "referral.limit_days.education", D(2026, 9, 1))
    (education,) = app.intake.propose([MatterChoice("student_aid")])
    assert (education.limit_days, education.due_date) == (None, None)  # propose still answers
    before = intake_rows(app)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split("(")[0].strip())

    event.listen(app.engine, "before_cursor_execute", record)
    try:
        with pytest.raises(ValidationError) as err:
            save(app, household, "dibao", "medical_assistance", "student_aid")
    finally:
        event.remove(app.engine, "before_cursor_execute", record)
    # The failure came half-way through the writes, not from a check before them …
    assert "INSERT INTO intake" in statements
    assert "INSERT INTO referral" in statements
    # … and left nothing behind: no intake, matter, referral or event; counters unchanged.
    assert intake_rows(app) == before
    assert before["site"] == (1, 1)
    (problem,) = err.value.problems
    assert problem.field == "route.student_aid"
    assert "referral.limit_days.education" in problem.message.render()
    # The next intake gets the next numbers, as if the failed one never happened.
    receipt = save(app, household, "dibao", "medical_assistance")
    assert receipt.number == "SL2026-000002"
    assert by_code(receipt.matters)["medical_assistance"].referral_number == "ZJ2026-000002"


def test_a_refused_intake_writes_nothing(app: Services, household: HouseholdDetail) -> None:
    before = intake_rows(app)
    for data in (
        IntakeInput(household.id, ()),
        IntakeInput(household.id, (MatterChoice("dibao"), MatterChoice("dibao"))),
        IntakeInput(household.id, (MatterChoice("no_such_matter"),)),
        IntakeInput(household.id, (MatterChoice("dibao"),), came_as=CameAs.GUARDIAN),
        IntakeInput(household.id, (MatterChoice("dibao"),), applicant_id=999_999),
        IntakeInput(household.id, (MatterChoice("dibao"),), causes=("no_such_cause",)),
    ):
        with pytest.raises(ValidationError):
            app.intake.save(data)
    with pytest.raises(NotFoundError):
        app.intake.save(IntakeInput(999_999, (MatterChoice("dibao"),)))
    assert intake_rows(app) == before


def test_intake_and_referral_numbers_are_unique_and_sequential(
    app: Services, household: HouseholdDetail
) -> None:
    numbers, referrals = [], []
    for matters in (
        ("dibao", "medical_assistance", "student_aid"),
        ("temporary_assistance",),
        ("dangerous_house_renovation", "zero_employment_family"),
    ):
        receipt = save(app, household, *matters)
        numbers.append(receipt.number)
        referrals += [r.referral_number for r in receipt.matters if r.referral_number]
    assert numbers == ["SL2026-000001", "SL2026-000002", "SL2026-000003"]
    assert referrals == [f"ZJ2026-{n:06d}" for n in range(1, 5)]
    assert intake_rows(app)["site"] == (3, 4)


def test_get_reprints_the_receipt_as_saved(app: Services, household: HouseholdDetail) -> None:
    receipt = save(
        app,
        household,
        MatterChoice("dibao", papers_received=("truthful_declaration", "id_card", "bank_account")),
        MatterChoice("medical_assistance", papers_received=("medical_bills",)),
    )
    again = app.intake.get(receipt.intake_id)
    for first, second in zip(receipt.matters, again.matters, strict=True):
        # Same papers in the same order (the order the clerk told them at the window).
        assert first.papers_missing == second.papers_missing
        assert first.papers_received == second.papers_received
        assert (first.due_date, first.referral_number) == (second.due_date, second.referral_number)
    assert again.number == receipt.number


# ----------------------------------------------------------------------- timeline
def test_timeline_shows_every_step_in_time_order(
    app: Services, household: HouseholdDetail, moving_clock: MovingClock
) -> None:
    first = save(app, household, "dibao", "medical_assistance")
    medical = by_code(first.matters)["medical_assistance"]
    page = app.referrals.page(ReferralFilter())
    (row,) = page.rows
    assert row.number == medical.referral_number
    moving_clock.now = dt.datetime(2026, 9, 28, 10, 0)
    sent = app.referrals.act(row.id, row.version, ReferralAction.SEND, Reply(note="已送医保局"))
    moving_clock.now = dt.datetime(2026, 10, 12, 15, 0)
    app.referrals.act(
        row.id,
        sent.row.version,
        ReferralAction.COMPLETE,
        Reply(result="已核拨医疗救助", amount="8000", result_date=D(2026, 10, 12)),
    )
    moving_clock.now = dt.datetime(2026, 10, 9, 11, 0)  # a later intake, recorded earlier in time
    second = save(app, household, "temporary_assistance")
    entries = app.intake.timeline(household.id)
    assert [(e.kind, e.intake_number, e.matter_name[:4]) for e in entries] == [
        ("intake", first.number, ""),
        ("window", first.number, "最低生活"),
        ("created", first.number, "医疗救助"),
        ("send", first.number, "医疗救助"),
        ("intake", second.number, ""),
        ("window", second.number, "临时救助"),
        ("complete", first.number, "医疗救助"),
    ]
    ats = [e.at for e in entries]
    assert ats == sorted(ats)
    assert entries[0].text == "最低生活保障（低保）、医疗救助（住院/门诊自付费用）"
    assert medical.referral_number in entries[3].text
    assert app.intake.timeline(999_999) == ()


# ----------------------------------------------------------------------- suggestions
def test_suggestions_from_the_household_members(
    app: Services, household: HouseholdDetail, make_id: Callable[..., str]
) -> None:
    assert app.intake.suggestions(household.id) == ()
    app.households.add_member(
        household.id,
        PersonInput(name="张小红", id_number=make_id(D(2013, 3, 1), female=True),
                    dropped_out=True, child_status=ChildStatus.IN_DIFFICULTY),
        Relation.DAUGHTER,
    )  # fmt: skip
    app.households.add_member(
        household.id,
        PersonInput(name="张大山", id_number=make_id(D(1950, 1, 1)), has_disability_cert=True,
                    disability_cert_no="", disability_category=DisabilityCategory.MENTAL,
                    disability_grade=3, disability_check=CertificateCheck.NOT_RENEWED),
        Relation.PARENT,
    )  # fmt: skip
    got = [(s.person_name, s.matter_code) for s in app.intake.suggestions(household.id)]
    assert sorted(got) == sorted(
        [
            ("张小红", "dropout_return"),
            ("张小红", "child_protection"),
            ("张大山", "disability_certificate_renewal"),
            ("张大山", "disability_care_allowance"),
        ]
    )
    for s in app.intake.suggestions(household.id):
        assert s.matter_name
        assert s.reason
        assert s.basis
    with pytest.raises(NotFoundError):
        app.intake.suggestions(999_999)


def test_suggestions_for_facts_given_with_the_request(app: Services) -> None:
    woman = MemberFacts("某女", 38, False, None, None, None, True, False, "none")
    boy = MemberFacts("某童", 13, False, None, None, None, False, True, "in_difficulty")
    got = app.intake.suggestions_for([woman, boy])
    assert [(s.person_name, s.matter_code, s.matter_name) for s in got] == [
        ("某女", "disability_certificate_new", "残疾人证办理（评残）"),
        ("某童", "dropout_return", "辍学儿童劝返复学"),
        ("某童", "child_protection", "困境儿童保障/儿童保护报告"),
    ]
    assert app.intake.suggestions_for([]) == ()


def test_suggestions_for_skips_matters_the_administrator_switched_off(app: Services) -> None:
    app.catalogue.save_matter(
        "child_protection",
        name="困境儿童保障/儿童保护报告",
        handling=Handling.REFERRAL,
        department_code="child_supervisor",
        reason="测试停用",
        required_papers=("child_report",),
        active=False,
    )
    boy = MemberFacts("某童", 13, False, None, None, None, False, True, "in_difficulty")
    assert [s.matter_code for s in app.intake.suggestions_for([boy])] == ["dropout_return"]
