"""domain.md §7 scenarios that concern routing and deadlines, one test each.

Each runs against a real SQLite file with the catalogue seeded by migration 0002 from
domain.md §1, §3.2 and §8, so a test fails when the seeded routing matrix drifts from the
brief. Amounts, eligibility and review cycles in the scenarios belong to other issues; here
only the route (window or queue, receiving department), the reason, the papers and the
working-day deadline are checked. Not here: T18 (roster matching, a later issue) and the
scenarios about eligibility or assessment only (T1, T2, T4, T10, T11, T15, T16, T19, T22,
T25–T28).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import Handling, ReferralAction, Urgency
from desk_app.domain.registry import CertificateCheck, ChildStatus, DisabilityCategory, Relation
from desk_app.domain.routing import MemberFacts
from desk_app.services.context import SYSTEM
from desk_app.services.dto import RouteProposal
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply

D = dt.date
W, R = Handling.WINDOW, Handling.REFERRAL


class MovingClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def moving_clock() -> MovingClock:
    return MovingClock(dt.datetime(2026, 9, 24, 9, 30))


@pytest.fixture
def app(db_url: str, moving_clock: MovingClock) -> Iterator[Services]:
    svc = open_services(db_url, clock=moving_clock, identity=SYSTEM)
    svc.context.operator.name = "李芳"
    try:
        yield svc
    finally:
        svc.close()


ACCEPTED_ON = D(2026, 9, 24)  # Thursday before 中秋 (25–27 Sep) and 国庆 (1–7 Oct)


def propose(app: Services, *codes: str, on: dt.date = ACCEPTED_ON) -> dict[str, RouteProposal]:
    return {r.matter_code: r for r in app.intake.propose([MatterChoice(c) for c in codes], on=on)}


def route_of(r: RouteProposal) -> tuple[Handling, str, str]:
    return r.handling, r.queue, r.department_code


def facts(name: str, age: int, **changes: object) -> MemberFacts:
    values: dict[str, object] = {
        "name": name, "age": age, "has_disability_cert": False, "disability_category": None,
        "disability_grade": None, "disability_check": None, "mental_disorder": False,
        "dropped_out": False, "child_status": "none",
    }  # fmt: skip
    values.update(changes)
    return MemberFacts(**values)  # type: ignore[arg-type]


def test_T5_medical_costs_go_to_the_medical_queue(app: Services) -> None:
    """§7 T5 (domain.md §1.6, §3.2): a 低保 member's and his mother's self-paid in-patient
    costs → 医疗 queue, 县医疗保障局. The ≥80 % / ≥90 % rates are the 医保局's to apply."""
    routes = propose(app, "medical_assistance", "major_illness_assistance")
    for r in routes.values():
        assert route_of(r) == (R, "医疗", "medical_insurance")
        assert r.department_name == "县医疗保障局"
        assert "§1.6" in r.basis or "§3.2" in r.basis
        assert (r.limit_days, r.due_date) == (10, D(2026, 10, 15))
    missing = [p.code for p in routes["medical_assistance"].papers_missing]
    assert {"diagnosis_proof", "medical_bills"} <= set(missing)


def test_T6_house_fire_disaster_relief_temporary_assistance_and_rebuilding(
    app: Services, make_id: Callable[..., str], moving_clock: MovingClock
) -> None:
    """§7 T6 (domain.md §1.10, §1.8, §2.2): a house fire at 21:00, a family of four homeless →
    受灾 aid in-house (basic needs within 12 hours), 临时救助 at the window, and 灾后重建 →
    住房 queue (住建). The 12-hour limit is a parameter (disaster.basic_needs_hours)."""
    moving_clock.now = dt.datetime(2026, 9, 24, 21, 0)
    routes = propose(app, "disaster_relief", "temporary_assistance", "post_disaster_rebuild")
    assert route_of(routes["disaster_relief"]) == (W, "受灾", "township_disaster_relief")
    assert route_of(routes["temporary_assistance"]) == (W, "民政", "township_civil_affairs")
    assert route_of(routes["post_disaster_rebuild"]) == (R, "住房", "housing")
    assert routes["post_disaster_rebuild"].due_date == D(2026, 10, 15)
    hours = app.parameters.value("disaster.basic_needs_hours", on=D(2026, 9, 24))
    assert hours is not None
    assert (hours.value, hours.unit) == (12, "小时")
    assert "000_89b2e135f6acbe8f" in hours.source
    # Saved as one emergency intake: one referral (住房), two matters at the window.
    head = app.households.register(
        HouseholdInput(village="红星村", group_name="三组"),
        PersonInput(name="赵强", id_number=make_id(D(1978, 4, 4))),
    )
    receipt = app.intake.save(
        IntakeInput(
            head.id,
            tuple(MatterChoice(c) for c in routes),
            urgency=Urgency.EMERGENCY,
            causes=("disaster", "housing"),
            note="21:00 房屋失火，一家四口无处居住",
        )
    )
    assert [bool(r.referral_number) for r in receipt.matters] == [False, False, True]
    (row,) = app.referrals.page(ReferralFilter(department_code="housing")).rows
    assert (row.queue, row.due_date) == ("住房", D(2026, 10, 15))


def test_T8_left_behind_boarding_pupil_gets_meals_through_education(app: Services) -> None:
    """§7 T8 (domain.md §1.7, §1.13): a left-behind 低保 child boarding at middle school →
    教育 queue for boarding nutrition meals and living allowance; registration by the
    儿童主任 stays at the window (留守儿童关爱登记)."""
    routes = propose(app, "boarding_meals", "left_behind_child_care")
    assert route_of(routes["boarding_meals"]) == (R, "教育", "education")
    assert routes["boarding_meals"].department_name == "县教育局（教体局）"
    assert route_of(routes["left_behind_child_care"]) == (W, "民政", "township_civil_affairs")


def test_T9_drop_out_goes_back_to_school_through_education(
    app: Services, make_id: Callable[..., str]
) -> None:
    """§7 T9 (domain.md §1.7, §1.12): a 13-year-old 困境儿童 dropped out to care for an ill
    grandmother → 教育 queue (return to compulsory education), 低保 or 临时救助 at the window,
    a child report to the 督导员. The program suggests the school and child matters itself."""
    routes = propose(app, "dropout_return", "dibao", "temporary_assistance", "child_protection")
    assert route_of(routes["dropout_return"]) == (R, "教育", "education")
    assert route_of(routes["child_protection"]) == (R, "儿童", "child_supervisor")
    assert routes["dibao"].handling is W
    assert routes["temporary_assistance"].handling is W
    child = facts("小芳", 13, dropped_out=True, child_status="in_difficulty")
    assert [s.matter_code for s in app.intake.suggestions_for([child])] == [
        "dropout_return",
        "child_protection",
    ]
    # The same from the registry: the household's own data points to both.
    detail = app.households.register(
        HouseholdInput(village="红星村"),
        PersonInput(name="王奶奶", id_number=make_id(D(1950, 1, 1))),
    )
    app.households.add_member(
        detail.id,
        PersonInput(
            name="王小芳",
            id_number=make_id(D(2013, 3, 1), female=True),
            dropped_out=True,
            child_status=ChildStatus.IN_DIFFICULTY,
        ),
        Relation.GRANDCHILD,
    )
    assert [s.matter_code for s in app.intake.suggestions(detail.id)] == [
        "dropout_return",
        "child_protection",
    ]


def test_T12_zero_employment_family_goes_to_the_employment_queue(app: Services) -> None:
    """§7 T12 (domain.md §1.9, §3.2): an urban 零就业家庭, father 40 able to work → 就业 queue
    (training, placement, 公益岗)."""
    routes = propose(app, "zero_employment_family", "public_welfare_job", "employment_assistance")
    assert route_of(routes["zero_employment_family"]) == (R, "就业", "township_social_security")
    assert route_of(routes["public_welfare_job"]) == (R, "就业", "township_social_security")
    assert route_of(routes["employment_assistance"]) == (R, "就业", "human_resources")
    assert {r.due_date for r in routes.values()} == {D(2026, 10, 15)}


def test_T13_uncertified_mental_illness_and_lapsed_certificate_go_to_the_federation(
    app: Services,
) -> None:
    """§7 T13 (domain.md §1.11): a woman clearly mentally ill without a 残疾证 → listed
    separately, 残联 assessment; another person's certificate not renewed → urge renewal."""
    woman = facts("某女", 45, mental_disorder=True)
    lapsed = facts(
        "某男",
        60,
        has_disability_cert=True,
        disability_category=DisabilityCategory.PHYSICAL.value,
        disability_grade=4,
        disability_check=CertificateCheck.NOT_RENEWED.value,
    )
    suggestions = app.intake.suggestions_for([woman, lapsed])
    assert [(s.person_name, s.matter_code) for s in suggestions] == [
        ("某女", "disability_certificate_new"),
        ("某男", "disability_certificate_renewal"),
    ]
    routes = propose(app, *(s.matter_code for s in suggestions))
    for r in routes.values():
        assert route_of(r) == (R, "残联", "disabled_persons_federation")
    assert "diagnosis_proof" in [
        p.code for p in routes["disability_certificate_new"].papers_missing
    ]


def test_T17_unaccompanied_child_begging_goes_to_the_rescue_station(app: Services) -> None:
    """§7 T17 (domain.md §1.17, §1.12): an unaccompanied 12-year-old found begging → escort to
    the 救助管理机构 with a written handover (护送交接单); a child report to the 督导员."""
    routes = propose(app, "homeless_assistance", "child_protection")
    assert route_of(routes["homeless_assistance"]) == (R, "救助管理", "rescue_station")
    assert "handover_record" in [p.code for p in routes["homeless_assistance"].papers_missing]
    assert route_of(routes["child_protection"]) == (R, "儿童", "child_supervisor")


def test_T20_leukaemia_expense_poverty_dibao_temporary_aid_and_medical_queue(
    app: Services,
) -> None:
    """§7 T20 (domain.md §1.2, §1.5, §1.6): a farmer of 50 with leukaemia, unable to work →
    支出型低保 and 临时救助 at the window, 医疗 queue; the county 爱心扶贫基金 → 慈善."""
    routes = propose(
        app,
        "dibao_expense_poverty",
        "temporary_assistance",
        "major_illness_assistance",
        "charity_assistance",
    )
    assert route_of(routes["dibao_expense_poverty"]) == (W, "民政", "township_civil_affairs")
    assert route_of(routes["temporary_assistance"]) == (W, "民政", "township_civil_affairs")
    assert route_of(routes["major_illness_assistance"]) == (R, "医疗", "medical_insurance")
    assert route_of(routes["charity_assistance"]) == (R, "慈善", "charity")
    assert "medical_bills" in [p.code for p in routes["dibao_expense_poverty"].papers_missing]


def test_T23_relocated_household_gets_one_off_temporary_assistance_at_the_window(
    app: Services,
) -> None:
    """§7 T23 (domain.md §1.1, §1.5): a household relocated to an urban resettlement site →
    低保 (urban standard) and one-off 临时救助, both at the window."""
    routes = propose(app, "dibao", "temporary_assistance")
    assert route_of(routes["temporary_assistance"]) == (W, "民政", "township_civil_affairs")
    assert route_of(routes["dibao"]) == (W, "民政", "township_civil_affairs")
    assert routes["dibao"].due_date == D(2026, 11, 12)  # 30 working days (〔非种子〕§8)
    assert routes["temporary_assistance"].due_date is None  # no limit in the seeds


def test_T3_extended_dibao_with_a_high_school_child_refers_education(app: Services) -> None:
    """§7 T3 (domain.md §1.3, §1.7): 清流 June review, 延保 from July with a child in high
    school → refer 教育 (student aid). Only the route is checked here; 延保 is the review's."""
    routes = propose(app, "student_aid", on=D(2026, 6, 15))
    assert route_of(routes["student_aid"]) == (R, "教育", "education")
    # 15 June + 10 working days: 16–18, 22–26, 29, 30 (端午 19–21 June off) → 30 June.
    assert routes["student_aid"].due_date == D(2026, 6, 30)


def test_T24_township_with_45_of_60_on_time_is_flagged_for_a_talk(
    app: Services, make_id: Callable[..., str], moving_clock: MovingClock
) -> None:
    """§7 T24 (domain.md §3.3, §3.7; seed 001_132aebca7b0b4260.txt): 45 of 60 referrals
    handled on time = 75 % < 80 % → 约谈提醒, 跟踪督办. Here the 15 late ones were answered
    after their deadline; 60 referrals to 住建 through 15 intakes."""
    household = app.households.register(
        HouseholdInput(village="红星村"), PersonInput(name="孙某", id_number=make_id())
    )
    moving_clock.now = dt.datetime(2026, 4, 1, 9, 0)  # Wednesday; +10 → 16 April (清明 4–6 April)
    for _ in range(15):
        app.intake.save(
            IntakeInput(
                household.id,
                tuple(
                    MatterChoice(c)
                    for c in ("dangerous_house_renovation", "public_rental_housing",
                              "post_disaster_rebuild", "youth_league_student_aid")
                ),
            )
        )  # fmt: skip
    housing = app.referrals.page(ReferralFilter(department_code="housing")).rows
    youth = app.referrals.page(ReferralFilter(department_code="youth_league")).rows
    assert (len(housing), len(youth)) == (45, 15)
    due = housing[0].due_date
    assert due == D(2026, 4, 16)
    for rows, day in ((housing, due), (youth, due + dt.timedelta(days=1))):
        moving_clock.now = dt.datetime.combine(day, dt.time(16))
        for r in rows:
            sent = app.referrals.act(r.id, r.version, ReferralAction.SEND, Reply())
            app.referrals.act(
                r.id, sent.row.version, ReferralAction.COMPLETE,
                Reply(result="已办结", result_date=day),
            )  # fmt: skip
    # One township-wide figure (all departments), then per department.
    rows = app.referrals.kpi(D(2026, 4, 1), D(2026, 4, 1))
    counted = sum(r.counted for r in rows)
    on_time = sum(r.on_time for r in rows)
    assert (counted, on_time) == (60, 45)
    assert on_time / counted == pytest.approx(0.75)
    target = app.parameters.value("kpi.on_time_target")
    assert target is not None
    assert target.value == 0.8
    assert on_time / counted < target.value
    by_department = {r.department_code: r for r in rows}
    assert not by_department["housing"].below_target
    assert by_department["youth_league"].below_target
    assert by_department["youth_league"].share == 0.0


def test_deadlines_across_the_2026_mid_autumn_and_national_day_holidays(app: Services) -> None:
    """Issue #4 tests: a referral accepted on Thursday 24 September 2026 is due 15 October
    (中秋 25–27 Sep and 国庆 1–7 Oct off; 调休 Saturday 10 Oct worked), not 8 October; the
    30-working-day 低保 limit ends 12 November (domain.md §3.3, §8)."""
    routes = propose(app, "medical_assistance", "dibao")
    assert routes["medical_assistance"].due_date == D(2026, 10, 15)
    assert routes["dibao"].due_date == D(2026, 11, 12)
    # Accepted on the make-up Sunday 20 September, the count starts on Monday 21st.
    (sunday,) = app.intake.propose([MatterChoice("medical_assistance")], on=D(2026, 9, 20))
    # 21–24 and 28–30 September = 7; 8, 9 October = 9; Saturday 10 October (调休) = 10.
    assert sunday.due_date == D(2026, 10, 10)


def test_deadline_reaching_2027_is_counted_by_weekends_and_recounted_when_entered(
    app: Services, make_id: Callable[..., str], moving_clock: MovingClock
) -> None:
    """Issue #4 tests, domain.md §3.3, §8: chinese-calendar stops at 2026. An intake on
    21 December 2026 gets 2027 deadlines counted by weekends only and says so; once the
    administrator enters 元旦 and marks 2027 complete, both the referral and the window
    matter are recounted and no longer uncertain."""
    moving_clock.now = dt.datetime(2026, 12, 21, 9, 0)
    routes = propose(app, "medical_assistance", "dibao", on=D(2026, 12, 21))
    assert (routes["medical_assistance"].due_date, routes["dibao"].due_date) == (
        D(2027, 1, 4),  # 22–25, 28–31 Dec = 8; Fri 1 Jan counted (unknown) = 9; Mon 4 Jan = 10
        D(2027, 2, 1),
    )
    assert routes["medical_assistance"].due_uncertain_years == (2027,)
    assert routes["dibao"].due_uncertain_years == (2027,)
    household = app.households.register(
        HouseholdInput(village="红星村"), PersonInput(name="钱某", id_number=make_id())
    )
    receipt = app.intake.save(
        IntakeInput(household.id, (MatterChoice("medical_assistance"), MatterChoice("dibao")))
    )
    assert [r.due_uncertain_years for r in receipt.matters] == [(2027,), (2027,)]
    (row,) = app.referrals.page(ReferralFilter()).rows
    assert row.due_uncertain
    app.calendar.set_day(D(2027, 1, 1), False, "元旦")
    app.calendar.mark_year(2027, True, "国务院办公厅关于2027年部分节假日安排的通知（测试用，虚构）")
    again = {r.matter_code: r for r in app.intake.get(receipt.intake_id).matters}
    assert again["medical_assistance"].due_date == D(2027, 1, 5)
    assert again["dibao"].due_date == D(2027, 2, 2)
    assert all(r.due_uncertain_years == () for r in again.values())
    (row,) = app.referrals.page(ReferralFilter()).rows
    assert (row.due_date, row.due_uncertain) == (D(2027, 1, 5), False)
