"""转介队列 through ReferralService on real SQLite files (domain.md §3.3, §3.7, §7 T24).

Lifecycle 待转出 → 已转出 → 已受理 → 办结 / 退回; 催办 and 回访; a referral is closed only by
the department's reply recorded at the window, never by the hand-off. Deadlines count
working days (chinese-calendar plus the holiday table); the KPI is the share of replies
within the limit per department and month of the due date, flagged below 80 %
(seed 001_132aebca7b0b4260.txt). Every clock here is fixed and moved by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import Eased, ReferralAction, ReferralStatus
from desk_app.errors import ConcurrentEditError, NotFoundError, ValidationError
from desk_app.services.context import SYSTEM
from desk_app.services.dto import ReferralDetail
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply

D = dt.date
A = ReferralAction
S = ReferralStatus
CREATED = dt.datetime(2026, 9, 24, 9, 30)  # Thursday before 中秋 and 国庆
DUE = D(2026, 10, 15)  # + 10 working days (tests/unit/test_calendar.py counts it by hand)

MEDICAL_MATTERS = (
    "medical_assistance",
    "major_illness_assistance",
    "insurance_premium_subsidy",
    "chronic_medicine_assistance",
)  # all four go to 县医疗保障局


class MovingClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def on(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour))


@pytest.fixture
def moving_clock() -> MovingClock:
    return MovingClock(CREATED)


@pytest.fixture
def app(db_url: str, moving_clock: MovingClock) -> Iterator[Services]:
    svc = open_services(db_url, clock=moving_clock, identity=SYSTEM)
    svc.context.operator.name = "李芳"
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def household_id(app: Services, make_id: Callable[..., str]) -> int:
    return app.households.register(
        HouseholdInput(village="红星村", group_name="一组"),
        PersonInput(name="张伟", id_number=make_id(D(1981, 5, 1))),
    ).id


@pytest.fixture
def refer(app: Services, household_id: int) -> Callable[..., list[ReferralDetail]]:
    """Save one intake with the given referral matters; returns their details."""

    def _refer(*codes: str) -> list[ReferralDetail]:
        receipt = app.intake.save(
            IntakeInput(
                household_id, tuple(MatterChoice(c) for c in codes or ("medical_assistance",))
            )
        )
        numbers = {r.referral_number for r in receipt.matters if r.referral_number}
        rows = [
            r for r in app.referrals.page(ReferralFilter(), limit=1000).rows if r.number in numbers
        ]
        return [app.referrals.detail(r.id) for r in sorted(rows, key=lambda r: r.number)]

    return _refer


def act(
    app: Services, d: ReferralDetail, action: ReferralAction, **reply: object
) -> ReferralDetail:
    return app.referrals.act(d.row.id, d.row.version, action, Reply(**reply))  # type: ignore[arg-type]


def completed(app: Services, d: ReferralDetail, day: dt.date) -> ReferralDetail:
    return act(app, d, A.COMPLETE, result="已办结", amount="", result_date=day)


def to_status(app: Services, d: ReferralDetail, status: ReferralStatus) -> ReferralDetail:
    steps = {
        S.PENDING: [],
        S.SENT: [(A.SEND, {})],
        S.ACCEPTED: [(A.SEND, {}), (A.ACCEPT, {})],
        S.DONE: [(A.SEND, {}), (A.COMPLETE, {"result": "已办结", "result_date": CREATED.date()})],
        S.RETURNED: [(A.SEND, {}), (A.RETURN, {"note": "不属本部门职责"})],
    }[status]
    for action, reply in steps:
        d = act(app, d, action, **reply)
    assert d.row.status is status
    return d


# ----------------------------------------------------------------------- lifecycle
def test_the_whole_lifecycle_is_recorded_with_who_when_and_why(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    assert (d.row.status, d.row.number, d.row.due_date, d.row.queue) == (
        S.PENDING,
        "ZJ2026-000001",
        DUE,
        "医疗",
    )
    steps = [
        (dt.datetime(2026, 9, 24, 11, 0), "王五", A.SEND, {"note": "纸质转介单已送医保局"}, S.SENT),
        (dt.datetime(2026, 9, 28, 9, 0), "王五", A.ACCEPT, {"note": "医保局张科长签收"}, S.ACCEPTED),
        (dt.datetime(2026, 10, 9, 16, 0), "李芳", A.REMIND, {"note": "电话催办"}, S.ACCEPTED),
        (
            dt.datetime(2026, 10, 12, 10, 0),
            "李芳",
            A.COMPLETE,
            {"result": "核拨医疗救助", "amount": "8,000.50", "result_date": D(2026, 10, 10)},
            S.DONE,
        ),
        (dt.datetime(2026, 11, 2, 15, 0), "王五", A.FOLLOW_UP, {"note": "已出院", "eased": Eased.YES}, S.DONE),
    ]  # fmt: skip
    for at, actor, action, reply, status in steps:
        moving_clock.now = at
        app.context.operator.name = actor
        d = act(app, d, action, **reply)
        assert d.row.status is status
    assert (d.result, d.amount, d.result_date) == (
        "核拨医疗救助",
        Decimal("8000.50"),
        D(2026, 10, 10),
    )
    assert d.row.reminders == 1
    events = [(e.at, e.actor, e.kind, e.from_status, e.to_status, e.note) for e in d.events]
    assert events == [
        (CREATED, "李芳", "created", "", "pending", ""),
        (steps[0][0], "王五", "send", "pending", "sent", "纸质转介单已送医保局"),
        (steps[1][0], "王五", "accept", "sent", "accepted", "医保局张科长签收"),
        (steps[2][0], "李芳", "remind", "accepted", "accepted", "电话催办"),
        (steps[3][0], "李芳", "complete", "accepted", "done", "核拨医疗救助"),
        (steps[4][0], "王五", "follow_up", "done", "done", "已出院"),
    ]
    assert d.events[-1].eased is Eased.YES


ALLOWED = {
    S.PENDING: {A.SEND},
    S.SENT: {A.ACCEPT, A.COMPLETE, A.RETURN, A.REMIND},
    S.ACCEPTED: {A.COMPLETE, A.RETURN, A.REMIND},
    S.DONE: {A.FOLLOW_UP},
    S.RETURNED: set(),
}
REPLIES: dict[ReferralAction, dict[str, object]] = {
    A.SEND: {},
    A.ACCEPT: {},
    A.COMPLETE: {"result": "已办结", "result_date": CREATED.date()},
    A.RETURN: {"note": "材料不全"},
    A.REMIND: {},
    A.FOLLOW_UP: {"eased": Eased.PARTLY},
}


@pytest.mark.parametrize("status", list(S))
def test_every_transition_not_allowed_is_refused_and_changes_nothing(
    app: Services, refer: Callable[..., list[ReferralDetail]], status: ReferralStatus
) -> None:
    (start,) = refer()
    start = to_status(app, start, status)
    for action in A:
        before = app.referrals.detail(start.row.id)
        if action in ALLOWED[status]:
            after = act(app, before, action, **REPLIES[action])
            assert len(after.events) == len(before.events) + 1
            # Put it back for the next action: a fresh referral in the same status.
            (start,) = refer()
            start = to_status(app, start, status)
            continue
        with pytest.raises(ValidationError) as err:
            act(app, before, action, **REPLIES[action])
        assert [p.field for p in err.value.problems] == ["status"]
        assert app.referrals.detail(start.row.id) == before


def test_hand_off_never_closes_a_referral(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND, note="已转出")
    d = act(app, d, A.ACCEPT)
    assert d.row.status.open
    assert d.result == ""
    moving_clock.on(D(2026, 10, 16))  # past the deadline: still open, now overdue
    d = app.referrals.detail(d.row.id)
    assert d.row.status is S.ACCEPTED
    assert d.row.overdue
    (count,) = [c for c in app.referrals.counts() if c.department_code == "medical_insurance"]
    assert (count.open, count.overdue) == (1, 1)
    d = act(app, d, A.RETURN, note="不符合医疗救助条件")
    assert not d.row.status.open
    assert d.return_reason == "不符合医疗救助条件"
    assert not d.row.overdue


def test_remind_counts_every_reminder(
    app: Services, refer: Callable[..., list[ReferralDetail]]
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    for n in range(1, 4):
        d = act(app, d, A.REMIND, note=f"第{n}次催办")
        assert d.row.reminders == n
    assert [e.note for e in d.events if e.kind == "remind"] == [
        "第1次催办",
        "第2次催办",
        "第3次催办",
    ]


def test_follow_up_only_after_completion_and_needs_an_answer(
    app: Services, refer: Callable[..., list[ReferralDetail]]
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    with pytest.raises(ValidationError):
        act(app, d, A.FOLLOW_UP, eased=Eased.YES)
    d = completed(app, d, CREATED.date())
    with pytest.raises(ValidationError) as err:
        act(app, d, A.FOLLOW_UP)
    assert [p.field for p in err.value.problems] == ["eased"]
    d = act(app, d, A.FOLLOW_UP, eased=Eased.NO, note="仍需临时救助")
    assert d.events[-1].eased is Eased.NO


def test_completion_needs_result_and_a_date_not_in_the_future(
    app: Services, refer: Callable[..., list[ReferralDetail]]
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    with pytest.raises(ValidationError) as err:
        act(app, d, A.COMPLETE, result=" ", result_date=None)
    assert {p.field for p in err.value.problems} == {"result", "result_date"}
    with pytest.raises(ValidationError) as err:
        act(app, d, A.COMPLETE, result="已办结", result_date=CREATED.date() + dt.timedelta(days=1))
    assert [p.field for p in err.value.problems] == ["result_date"]
    with pytest.raises(ValidationError) as err:
        act(app, d, A.RETURN, note="")
    assert [p.field for p in err.value.problems] == ["note"]


@pytest.mark.parametrize(
    "amount", ["-5", "1.234", "abc", "12元", "NaN", "Infinity", "-inf", "1e12", "10000000000"]
)
def test_bad_amounts_are_field_problems(
    app: Services, refer: Callable[..., list[ReferralDetail]], amount: str
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    with pytest.raises(ValidationError) as err:
        act(app, d, A.COMPLETE, result="已办结", amount=amount, result_date=CREATED.date())
    assert [p.field for p in err.value.problems] == ["amount"]
    assert app.referrals.detail(d.row.id).row.status is S.SENT


@pytest.mark.parametrize(
    ("amount", "stored"),
    [("1200", Decimal("1200")), ("1,200.5", Decimal("1200.5")), ("0", Decimal("0")),
     ("", None), ("9999999999.99", Decimal("9999999999.99"))],
)  # fmt: skip
def test_good_amounts_are_kept(
    app: Services, refer: Callable[..., list[ReferralDetail]], amount: str, stored: Decimal | None
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    d = act(app, d, A.COMPLETE, result="已办结", amount=amount, result_date=CREATED.date())
    assert d.amount == stored


def test_a_stale_version_is_refused(
    app: Services, refer: Callable[..., list[ReferralDetail]]
) -> None:
    (d,) = refer()
    seen_by_window_two = d
    d = act(app, d, A.SEND)
    with pytest.raises(ConcurrentEditError):
        act(app, seen_by_window_two, A.SEND)
    with pytest.raises(ConcurrentEditError):
        app.referrals.reroute(d.row.id, seen_by_window_two.row.version, "charity", "改派慈善")
    with pytest.raises(NotFoundError):
        app.referrals.act(999_999, 1, A.SEND, Reply())
    assert [e.kind for e in app.referrals.detail(d.row.id).events] == ["created", "send"]


# ----------------------------------------------------------------------- reroute
def test_reroute_only_after_return_and_only_once(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    with pytest.raises(ValidationError) as err:
        app.referrals.reroute(d.row.id, d.row.version, "charity", "医保不予受理")
    assert [p.field for p in err.value.problems] == ["status"]
    moving_clock.on(D(2026, 9, 30))
    d = act(app, d, A.RETURN, note="已享受医疗救助年度上限")
    with pytest.raises(ValidationError) as err:
        app.referrals.reroute(d.row.id, d.row.version, "charity", " ")
    assert [p.field for p in err.value.problems] == ["reason"]
    with pytest.raises(ValidationError) as err:
        app.referrals.reroute(d.row.id, d.row.version, "township_civil_affairs", "改派民政")
    assert [p.field for p in err.value.problems] == ["department"]
    new = app.referrals.reroute(d.row.id, d.row.version, "charity", "医保已到上限，转慈善会")
    assert (new.row.status, new.row.department_code, new.row.number) == (
        S.PENDING,
        "charity",
        "ZJ2026-000002",
    )
    assert new.row.due_date == D(2026, 10, 20)  # 30 Sep + 10 working days
    assert new.events[0].kind == "rerouted"
    assert "ZJ2026-000001" in new.events[0].note
    old = app.referrals.detail(d.row.id)
    assert old.row.status is S.RETURNED
    # The same returned referral cannot be rerouted a second time (a second window).
    with pytest.raises(ValidationError) as err:
        app.referrals.reroute(old.row.id, old.row.version, "trade_union", "再改派工会")
    assert "ZJ2026-000002" in err.value.problems[0].message.render()
    # The matter follows the new referral, on the receipt too.
    (receipt_route,) = app.intake.get(1).matters
    assert (receipt_route.department_code, receipt_route.due_date) == ("charity", D(2026, 10, 20))
    assert receipt_route.referral_number == "ZJ2026-000002"


def test_reroute_to_a_department_without_a_limit_is_refused(
    app: Services, refer: Callable[..., list[ReferralDetail]]
) -> None:
    (d,) = refer()
    d = to_status(app, d, S.RETURNED)
    # An empty limit as a database kept from version 0.1.0 may hold (the parameter page of
    # that version accepted one; ParameterService refuses it now).
    with app.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parameter (key, locality, effective_from, value, unit, source,"
                " created_at, actor) VALUES ('referral.limit_days.charity', '', :day, 'null',"
                " '工作日', '当地尚未确定', :day, '旧版本')"
            ),
            {"day": D(2026, 1, 1)},
        )
    with pytest.raises(ValidationError) as err:
        app.referrals.reroute(d.row.id, d.row.version, "charity", "转慈善会")
    assert [p.field for p in err.value.problems] == ["department"]
    assert len(app.referrals.page(ReferralFilter()).rows) == 1


# ----------------------------------------------------------------------- queue clocks
def test_counts_and_reminders_follow_the_clock(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    act(app, d, A.SEND)

    def medical() -> tuple[int, int, int]:
        (c,) = [c for c in app.referrals.counts() if c.department_code == "medical_insurance"]
        return c.open, c.overdue, c.due_soon

    # (day, (open, overdue, due soon), days left, overdue list, due today list)
    expected = [
        (D(2026, 9, 24), (1, 0, 0), 10, 0, 0),
        (D(2026, 10, 1), (1, 0, 0), 7, 0, 0),  # 国庆: 8, 9, 10 (Sat), 12, 13, 14, 15 = 7
        (D(2026, 10, 12), (1, 0, 0), 3, 0, 0),
        (D(2026, 10, 13), (1, 0, 1), 2, 0, 0),  # two working days: stands out
        (D(2026, 10, 15), (1, 0, 1), 0, 0, 1),  # due today
        (D(2026, 10, 16), (1, 1, 0), -1, 1, 0),  # overdue
        (D(2026, 10, 19), (1, 1, 0), -2, 1, 0),
    ]
    for day, counts, days_left, overdue, due_today in expected:
        moving_clock.on(day)
        assert medical() == counts, day
        row = app.referrals.detail(d.row.id).row
        assert row.days_left == days_left, day
        assert (row.overdue, row.due_soon) == (counts[1] == 1, counts[2] == 1), day
        reminders = app.referrals.reminders()
        assert (len(reminders.overdue), len(reminders.due_today)) == (overdue, due_today), day
        assert (reminders.overdue_total, reminders.due_today_total) == (overdue, due_today), day
    # Saturday 10 October is a 调休 working day and counts: from Friday 9th, 10, 12, 13, 14, 15.
    moving_clock.on(D(2026, 10, 9))
    assert app.referrals.detail(d.row.id).row.days_left == 5


def test_the_start_up_notice_lists_the_most_overdue_first_and_counts_the_rest(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    """A county with thousands overdue: the notice opens at once with the first lines."""
    older = refer("medical_assistance")[0]  # due 2026-10-15 (10 working days)
    moving_clock.on(D(2026, 10, 2))
    newer = refer("medical_assistance")[0]  # saved later, due later
    assert newer.row.due_date > older.row.due_date
    moving_clock.on(D(2026, 12, 1))
    everything = app.referrals.reminders()
    assert [r.id for r in everything.overdue] == [older.row.id, newer.row.id]
    capped = app.referrals.reminders(lines=1)
    assert [r.id for r in capped.overdue] == [older.row.id]  # the most overdue
    assert (capped.overdue_total, capped.due_today_total) == (2, 0)


def test_a_closed_referral_leaves_the_counts(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    d = act(app, d, A.SEND)
    moving_clock.on(D(2026, 10, 16))
    completed(app, d, D(2026, 10, 16))
    (c,) = [c for c in app.referrals.counts() if c.department_code == "medical_insurance"]
    assert (c.open, c.overdue, c.due_soon) == (0, 0, 0)
    assert app.referrals.reminders().overdue == ()


# ----------------------------------------------------------------------- KPI
def kpi_row(app: Services, month: dt.date, department: str = "medical_insurance"):  # type: ignore[no-untyped-def]
    rows = [r for r in app.referrals.kpi(month, month) if r.department_code == department]
    return rows[0] if rows else None


def test_kpi_on_time_late_and_not_yet_due(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    early, on_due, late, open_late, returned = [
        act(app, d, A.SEND) for d in refer(*MEDICAL_MATTERS) + refer("medical_assistance")
    ]
    assert {d.row.due_date for d in (early, on_due, late, open_late, returned)} == {DUE}
    moving_clock.on(D(2026, 9, 30))
    completed(app, early, D(2026, 9, 30))  # replied before the due date
    moving_clock.on(DUE, hour=17)
    completed(app, on_due, DUE)  # replied on the due date itself: on time
    act(app, returned, A.RETURN, note="非本部门职责")  # 退回 is a reply too
    moving_clock.on(D(2026, 10, 16))
    completed(app, late, D(2026, 10, 16))  # recorded one day late
    # open_late stays open past its deadline: counted late.
    (not_due,) = refer("medical_assistance")  # due 30 October: open, not yet due
    assert not_due.row.due_date == D(2026, 10, 30)
    refer("family_doctor")  # 卫健, also due 30 October
    row = kpi_row(app, D(2026, 10, 1))
    assert row is not None
    assert (row.month, row.counted, row.on_time, row.late) == ("2026-10", 5, 3, 2)
    assert row.share == pytest.approx(0.6)
    assert row.below_target
    assert kpi_row(app, D(2026, 10, 1), "health_commission") is None  # nothing to judge yet
    # Counted in the month of the due date, not of the hand-off or an early reply.
    assert app.referrals.kpi(D(2026, 9, 1), D(2026, 9, 1)) == ()
    # Once the not-yet-due one is answered, it counts (on time) although its day is ahead.
    completed(app, act(app, not_due, A.SEND), D(2026, 10, 16))
    row = kpi_row(app, D(2026, 10, 1))
    assert row is not None
    assert (row.counted, row.on_time, row.late) == (6, 4, 2)


def test_kpi_counts_an_open_referral_late_only_once_its_deadline_has_passed(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    (d,) = refer()
    act(app, d, A.SEND)
    moving_clock.on(DUE)
    assert kpi_row(app, DUE) is None  # due today: not yet late
    moving_clock.on(DUE + dt.timedelta(days=1))
    row = kpi_row(app, DUE)
    assert row is not None
    assert (row.counted, row.on_time, row.late, row.share) == (1, 0, 1, 0.0)


def test_T24_45_of_60_on_time_is_75_percent_and_flagged(
    app: Services, household_id: int, moving_clock: MovingClock
) -> None:
    """domain.md §7 T24, §3.7: 45 of 60 referrals on time (75 %) → below 80 %, 约谈提醒.

    Here the 15 late ones are still open after their deadline (counted late).
    """
    moving_clock.on(D(2026, 3, 2))  # Monday; 10 working days → Monday 16 March
    for _ in range(15):
        app.intake.save(IntakeInput(household_id, tuple(MatterChoice(c) for c in MEDICAL_MATTERS)))
    rows = app.referrals.page(ReferralFilter(department_code="medical_insurance")).rows
    assert len(rows) == 60
    assert {r.due_date for r in rows} == {D(2026, 3, 16)}
    moving_clock.on(D(2026, 3, 16), hour=16)
    for r in rows[:45]:
        sent = app.referrals.act(r.id, r.version, A.SEND, Reply())
        app.referrals.act(
            r.id, sent.row.version, A.COMPLETE, Reply(result="已办结", result_date=D(2026, 3, 16))
        )
    moving_clock.on(D(2026, 3, 17))
    row = kpi_row(app, D(2026, 3, 1))
    assert row is not None
    assert (row.counted, row.on_time, row.late) == (60, 45, 15)
    assert row.share == pytest.approx(0.75)
    assert row.below_target


@pytest.mark.parametrize(("on_time", "flagged"), [(4, False), (5, False), (3, True)])
def test_kpi_at_or_above_80_percent_is_not_flagged(
    app: Services,
    refer: Callable[..., list[ReferralDetail]],
    moving_clock: MovingClock,
    on_time: int,
    flagged: bool,
) -> None:
    moving_clock.on(D(2026, 3, 2))
    referrals = refer(*MEDICAL_MATTERS) + refer("medical_assistance")
    moving_clock.on(D(2026, 3, 16), hour=16)
    for d in referrals[:on_time]:
        completed(app, act(app, d, A.SEND), D(2026, 3, 16))
    moving_clock.on(D(2026, 3, 18))
    for d in referrals[on_time:]:
        completed(app, act(app, d, A.SEND), D(2026, 3, 18))
    row = kpi_row(app, D(2026, 3, 1))
    assert row is not None
    assert (row.counted, row.on_time) == (5, on_time)
    assert row.below_target is flagged


def test_the_kpi_target_is_a_parameter(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    moving_clock.on(D(2026, 3, 2))
    referrals = refer(*MEDICAL_MATTERS)
    moving_clock.on(D(2026, 3, 16))
    for d in referrals[:3]:
        completed(app, act(app, d, A.SEND), D(2026, 3, 16))
    moving_clock.on(D(2026, 3, 17))
    assert kpi_row(app, D(2026, 3, 1)).below_target  # type: ignore[union-attr]
    app.parameters.set("kpi.on_time_target", 0.7, D(2026, 3, 1), "测试：县考核办法（虚构）")
    assert not kpi_row(app, D(2026, 3, 1)).below_target  # type: ignore[union-attr]


# ----------------------------------------------------------------------- holiday table
def test_a_deadline_in_2027_is_uncertain_until_the_year_is_entered(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    """Late December 2026 + 10 working days reaches 2027, which chinese-calendar does not know."""
    moving_clock.on(D(2026, 12, 21))
    (d,) = refer()
    assert (d.row.due_date, d.row.due_uncertain) == (D(2027, 1, 4), True)  # 1 Jan counted
    (receipt_route,) = app.intake.get(1).matters
    assert receipt_route.due_uncertain_years == (2027,)
    assert app.calendar.unknown_years_ahead(1) == (2027,)
    # Entering a day recounts at once, but the year is still not complete.
    app.calendar.set_day(D(2027, 1, 1), False, "元旦")
    d = app.referrals.detail(d.row.id)
    assert (d.row.due_date, d.row.due_uncertain) == (D(2027, 1, 5), True)
    status = app.calendar.mark_year(2027, True, "国务院办公厅2027年节假日安排通知（测试用，虚构）")
    assert status.known
    assert status.entered_days == 1
    d = app.referrals.detail(d.row.id)
    assert (d.row.due_date, d.row.due_uncertain) == (D(2027, 1, 5), False)
    # The intake's own copy of the deadline follows (the receipt reprint).
    (receipt_route,) = app.intake.get(1).matters
    assert (receipt_route.due_date, receipt_route.due_uncertain_years) == (D(2027, 1, 5), ())
    assert app.calendar.unknown_years_ahead(1) == ()


def test_marking_a_year_needs_a_source(app: Services) -> None:
    with pytest.raises(ValidationError) as err:
        app.calendar.mark_year(2027, True, " ")
    assert [p.field for p in err.value.problems] == ["source"]
    assert not app.calendar.year_status(2027).known


def test_a_closed_referral_keeps_its_deadline_when_the_year_is_entered(
    app: Services, refer: Callable[..., list[ReferralDetail]], moving_clock: MovingClock
) -> None:
    moving_clock.on(D(2026, 12, 21))
    (d,) = refer()
    d = act(app, d, A.SEND)
    completed(app, d, D(2026, 12, 21))
    app.calendar.set_day(D(2027, 1, 1), False, "元旦")
    app.calendar.mark_year(2027, True, "测试（虚构）")
    assert app.referrals.detail(d.row.id).row.due_date == D(2027, 1, 4)
