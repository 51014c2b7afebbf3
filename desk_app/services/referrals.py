"""转介队列: follow every referral until the receiving department replies.

Lifecycle (domain.md §3.3): 待转出 → 已转出 → 已受理 → 办结 (result, amount, date) or
退回 (reason, back to the window). The window may 催办 an open referral and 回访 a closed
one. A referral is closed only by the department's reply recorded here — never by the
hand-off. Every transition keeps who, when and why. The KPI is the share of replies
within the limit per department and month; below 80 % is flagged (seed
001_132aebca7b0b4260.txt; domain.md §3.7, §7 T24).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Row, and_, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from desk_app.domain.calendar import WorkingCalendar
from desk_app.domain.intake import (
    TRANSITIONS,
    Eased,
    ReferralAction,
    ReferralStatus,
)
from desk_app.domain.security import Permission, Role
from desk_app.errors import (
    ConcurrentEditError,
    FieldProblem,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    Department,
    Household,
    Intake,
    IntakeMatter,
    MatterType,
    Person,
    Referral,
    ReferralEvent,
    Site,
)
from desk_app.services.calendar import load_calendar
from desk_app.services.context import ServiceContext, requires
from desk_app.services.dto import (
    KpiRow,
    QueueCount,
    ReferralCursor,
    ReferralDetail,
    ReferralEventRow,
    ReferralPage,
    ReferralRow,
    Reminders,
)
from desk_app.services.parameters import lookup, lookup_number
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

PAGE_SIZE = 100
AMOUNT_LIMIT = Decimal(10) ** 10
"""referral.amount is NUMERIC(12, 2): at most ten digits before the point."""
OPEN = tuple(s.value for s in ReferralStatus if s.open)
_F = "fields"
_V = "validation"


@dataclass(frozen=True, slots=True)
class ReferralFilter:
    department_code: str | None = None
    statuses: tuple[ReferralStatus, ...] = ()
    village: str = ""
    clerk: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the clerk enters with an action: a note, or the department's result."""

    note: str = ""
    result: str = ""
    amount: str = ""
    result_date: dt.date | None = None
    eased: Eased | None = None


def _head() -> Any:
    return aliased(Person)


def _base_query() -> Any:
    head = _head()
    return (
        select(
            Referral.id,
            Referral.number,
            Referral.status,
            Referral.department_code,
            Department.name.label("department_name"),
            Department.queue,
            MatterType.name.label("matter_name"),
            Household.id.label("household_id"),
            Household.number.label("household_number"),
            head.name.label("head_name"),
            Household.village,
            Intake.clerk,
            Referral.created_at,
            Referral.due_date,
            Referral.due_uncertain,
            Referral.reminders,
            Referral.version,
        )
        .join(Department, Department.code == Referral.department_code)
        .join(IntakeMatter, IntakeMatter.id == Referral.matter_id)
        .join(MatterType, MatterType.code == IntakeMatter.matter_code)
        .join(Intake, Intake.id == IntakeMatter.intake_id)
        .join(Household, Household.id == Intake.household_id)
        .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
    )


REMINDER_LINES = 200
"""Lines per list in the start-up notice; the rest are counted and found in the queue."""


class ReferralService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # ----------------------------------------------------------------- reading
    @requires(Permission.READ_REFERRALS)
    def counts(self) -> tuple[QueueCount, ...]:
        """Open, overdue and due-soon referrals per department (the queue list)."""
        today = self._context.today()
        with self._uow(write=False) as uow:
            s = uow.session
            soon = self._soon_date(s, load_calendar(s), today)
            rows = s.execute(
                select(
                    Department.code,
                    Department.name,
                    Department.queue,
                    func.count(Referral.id),
                    func.count(Referral.id).filter(Referral.due_date < today),
                    func.count(Referral.id).filter(
                        Referral.due_date >= today, Referral.due_date <= soon
                    ),
                )
                .outerjoin(
                    Referral,
                    and_(Referral.department_code == Department.code, Referral.status.in_(OPEN)),
                )
                .where(
                    Department.in_house.is_(False),
                    Department.active,
                    *([Department.code == own] if (own := self._own_department()) else []),
                )
                .group_by(Department.code, Department.name, Department.queue, Department.sort)
                .order_by(Department.sort)
            ).all()
            return tuple(QueueCount(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows)

    @requires(Permission.READ_REFERRALS)
    def page(
        self, flt: ReferralFilter, after: ReferralCursor | None = None, limit: int = PAGE_SIZE
    ) -> ReferralPage:
        """Referrals matching ``flt``, by due date (keyset paging)."""
        today = self._context.today()
        # Conditions on the referral row alone, and those that need the joined tables.
        own_row: list[Any] = []
        own = self._own_department()
        if own is not None:
            own_row.append(Referral.department_code == own)
        if flt.department_code:
            own_row.append(Referral.department_code == flt.department_code)
        if flt.statuses:
            own_row.append(Referral.status.in_([s.value for s in flt.statuses]))
        if after is not None:
            own_row.append(
                tuple_(Referral.due_date, Referral.id) > tuple_(after.due_date, after.id)
            )
        stmt = _base_query().where(*own_row)
        if not (flt.village or flt.clerk or flt.received_from or flt.received_to):
            # Pick the page's referrals from their own table first, then join only those:
            # joining all 50,000 of a county before sorting took 0.1-0.5 s a page.
            pick = (
                select(Referral.id.label("pick_id"))
                .where(*own_row)
                .order_by(Referral.due_date, Referral.id)
                .limit(limit + 1)
                .subquery("pick")
            )
            stmt = stmt.join(pick, pick.c.pick_id == Referral.id)
        if flt.village:
            stmt = stmt.where(Household.village == flt.village)
        if flt.clerk:
            stmt = stmt.where(Intake.clerk == flt.clerk)
        if flt.received_from:
            stmt = stmt.where(
                Intake.received_at >= dt.datetime.combine(flt.received_from, dt.time())
            )
        if flt.received_to:
            stmt = stmt.where(
                Intake.received_at
                < dt.datetime.combine(flt.received_to + dt.timedelta(days=1), dt.time())
            )
        stmt = stmt.order_by(Referral.due_date, Referral.id).limit(limit + 1)
        with self._uow(write=False) as uow:
            s = uow.session
            rows = s.execute(stmt).all()
            calendar = load_calendar(s)
            soon_days = self._soon_days(s, today)
        has_more = len(rows) > limit
        out = tuple(_rows(rows[:limit], today, calendar, soon_days))
        cursor = ReferralCursor(out[-1].due_date, out[-1].id) if has_more and out else None
        return ReferralPage(out, cursor)

    @requires(Permission.READ_REFERRALS)
    def villages(self) -> tuple[str, ...]:
        with self._uow(write=False) as uow:
            return tuple(
                uow.session.scalars(
                    select(Household.village).distinct().order_by(Household.village)
                )
            )

    @requires(Permission.READ_REFERRALS)
    def clerks(self) -> tuple[str, ...]:
        with self._uow(write=False) as uow:
            return tuple(
                uow.session.scalars(select(Intake.clerk).distinct().order_by(Intake.clerk))
            )

    @requires(Permission.READ_REFERRALS)
    def detail(self, referral_id: int) -> ReferralDetail:
        today = self._context.today()
        with self._uow(write=False) as uow:
            detail = self._detail(uow.session, referral_id, today)
        self._check_department(detail.row.department_code)
        return detail

    def _own_department(self) -> str | None:
        """A 部门对接人 sees and answers only their own department's referrals (#8)."""
        identity = self._context.identity
        if identity is not None and identity.role is Role.DEPARTMENT:
            return identity.department_code
        return None

    def _check_department(self, department_code: str) -> None:
        own = self._own_department()
        if own is not None and own != department_code:
            raise PermissionDeniedError(
                Message("errors", QT_TRANSLATE_NOOP("errors", "这条转介不属于您对接的部门。"))
            )

    @requires(Permission.READ_REFERRALS)
    def reminders(self, lines: int = REMINDER_LINES) -> Reminders:
        """Overdue referrals and those due today, for the start-up notice.

        At most ``lines`` of each, the most overdue first, with the full counts.
        """
        today = self._context.today()
        own = self._own_department()
        mine = [Referral.department_code == own] if own else []
        open_ = Referral.status.in_(OPEN)
        with self._uow(write=False) as uow:
            s = uow.session
            overdue_total, today_total = s.execute(
                select(
                    func.count().filter(Referral.due_date < today),
                    func.count().filter(Referral.due_date == today),
                ).where(open_, Referral.due_date <= today, *mine)
            ).one()
            picked: list[Row[Any]] = []
            for when in (Referral.due_date < today, Referral.due_date == today):
                picked += s.execute(
                    _base_query()
                    .where(open_, when, *mine)
                    .order_by(Referral.due_date, Referral.id)
                    .limit(lines)
                ).all()
            calendar = load_calendar(s)
            soon_days = self._soon_days(s, today)
        all_rows = _rows(picked, today, calendar, soon_days)
        return Reminders(
            tuple(r for r in all_rows if r.due_date < today),
            tuple(r for r in all_rows if r.due_date == today),
            overdue_total,
            today_total,
        )

    @requires(Permission.READ_REFERRALS)
    def kpi(self, first_month: dt.date, last_month: dt.date) -> tuple[KpiRow, ...]:
        """On-time share per department and month of due date.

        A referral counts in the month its deadline fell once the department has replied
        (办结 or 退回) or the deadline has passed; it is on time when the reply was
        recorded on or before the due date.
        """
        today = self._context.today()
        start = first_month.replace(day=1)
        end = (last_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        with self._uow(write=False) as uow:
            s = uow.session
            target_row = lookup(s, "kpi.on_time_target", today)
            target = float(target_row.value) if target_row and target_row.value is not None else 0.8
            rows = s.execute(
                select(
                    Referral.department_code,
                    Department.name,
                    Referral.due_date,
                    Referral.replied_at,
                    Referral.status,
                )
                .join(Department, Department.code == Referral.department_code)
                .where(Referral.due_date >= start, Referral.due_date < end)
            ).all()
        buckets: dict[tuple[str, str, str], list[int]] = {}
        for code, name, due, replied, status in rows:
            replied_on = replied.date() if replied else None
            if replied_on is None and (due >= today or status not in OPEN):
                continue  # not due yet: nothing to judge
            bucket = buckets.setdefault((code, name, f"{due:%Y-%m}"), [0, 0])
            bucket[0] += 1
            if replied_on is not None and replied_on <= due:
                bucket[1] += 1
        out = []
        for (code, name, month), (counted, on_time) in sorted(
            buckets.items(), key=lambda kv: (kv[0][2], kv[0][0])
        ):
            share = on_time / counted if counted else None
            out.append(KpiRow(code, name, month, counted, on_time, counted - on_time, share,
                              share is not None and share < target))  # fmt: skip
        return tuple(out)

    # ----------------------------------------------------------------- acting
    @requires(Permission.READ_REFERRALS)
    def act(
        self, referral_id: int, expected_version: int, action: ReferralAction, reply: Reply
    ) -> ReferralDetail:
        """Apply one lifecycle action; every action is recorded with who, when and why."""
        today = self._context.today()
        now = self._context.clock()
        # The department's side (accept, complete, return) is a reply; the rest is the
        # window's work on the referral (send, remind, follow up).
        replying = action in (ReferralAction.ACCEPT, ReferralAction.COMPLETE, ReferralAction.RETURN)
        self._context.require(Permission.REPLY_REFERRALS if replying else Permission.WORK_REFERRALS)
        amount = _check_reply(action, reply, today)
        with self._uow(write=True) as uow:
            s = uow.session
            referral = s.get(Referral, referral_id)
            if referral is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该转介记录。"))
                )
            self._check_department(referral.department_code)
            if referral.version != expected_version:
                raise ConcurrentEditError(
                    Message(
                        "errors",
                        QT_TRANSLATE_NOOP("errors", "该转介刚被其他窗口处理过。请刷新后再操作。"),
                    )
                )
            status = ReferralStatus(referral.status)
            sources, target = TRANSITIONS[action]
            if status not in sources:
                raise ValidationError([FieldProblem("status", QT_TRANSLATE_NOOP(_F, "状态"), Message(
                    _V, QT_TRANSLATE_NOOP(_V, "当前状态“{status}”不能进行这一步"), {"status": status.label}))])  # fmt: skip
            if action is ReferralAction.SEND:
                referral.sent_at = now
            elif action is ReferralAction.ACCEPT:
                referral.accepted_at = now
            elif action is ReferralAction.COMPLETE:
                referral.replied_at = now
                referral.result, referral.amount, referral.result_date = (
                    reply.result.strip(),
                    amount,
                    reply.result_date,
                )
                referral.matter.status = "done"
            elif action is ReferralAction.RETURN:
                referral.replied_at = now
                referral.return_reason = reply.note.strip()
                referral.matter.status = "returned"
            elif action is ReferralAction.REMIND:
                referral.reminders += 1
            if target is not None:
                referral.status = target.value
            s.add(ReferralEvent(
                referral_id=referral.id, at=now, actor=self._context.actor, kind=action.value,
                from_status=status.value, to_status=(target or status).value,
                note=(reply.result if action is ReferralAction.COMPLETE else reply.note).strip(),
                hardship_eased=reply.eased.value if reply.eased else None,
            ))  # fmt: skip
            uow.commit()
            log.info(
                "referral %s: %s (%s → %s)",
                referral.id,
                action.value,
                status.value,
                (target or status).value,
            )
            return self._detail(s, referral_id, today)

    @requires(Permission.WORK_REFERRALS)
    def reroute(
        self, referral_id: int, expected_version: int, department_code: str, reason: str
    ) -> ReferralDetail:
        """After 退回: refer the same matter to another department, with a new deadline."""
        now = self._context.clock()
        if len(reason.strip()) < 2:
            raise ValidationError(
                [
                    FieldProblem(
                        "reason",
                        QT_TRANSLATE_NOOP(_F, "改派理由"),
                        Message(_V, QT_TRANSLATE_NOOP(_V, "请写明改派理由")),
                    )
                ]
            )
        with self._uow(write=True) as uow:
            s = uow.session
            old = s.get(Referral, referral_id)
            if old is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该转介记录。"))
                )
            if old.version != expected_version:
                raise ConcurrentEditError(
                    Message(
                        "errors",
                        QT_TRANSLATE_NOOP("errors", "该转介刚被其他窗口处理过。请刷新后再操作。"),
                    )
                )
            if old.status != ReferralStatus.RETURNED.value:
                raise ValidationError(
                    [
                        FieldProblem(
                            "status",
                            QT_TRANSLATE_NOOP(_F, "状态"),
                            Message(_V, QT_TRANSLATE_NOOP(_V, "只有被退回的转介可以改派")),
                        )
                    ]
                )
            latest = old.matter.referrals[-1]
            if latest.id != old.id:
                # The returned row itself is not changed by a reroute, so its version does
                # not move: without this check a second window could reroute it again.
                raise ValidationError([FieldProblem("status", QT_TRANSLATE_NOOP(_F, "状态"), Message(
                    _V, QT_TRANSLATE_NOOP(_V, "该转介已改派为 {number}，请刷新后再操作"), {"number": latest.number}))])  # fmt: skip
            dep = s.get(Department, department_code)
            if dep is None or dep.in_house or not dep.active:
                raise ValidationError(
                    [
                        FieldProblem(
                            "department",
                            QT_TRANSLATE_NOOP(_F, "接收部门"),
                            Message(_V, QT_TRANSLATE_NOOP(_V, "请选择一个启用中的外部门")),
                        )
                    ]
                )
            limit, _src = lookup_number(
                s, (f"referral.limit_days.{dep.code}", "referral.limit_days.default"), now.date()
            )
            if limit is None:
                # An empty limit parameter must not silently become "due today".
                raise ValidationError([FieldProblem("department", QT_TRANSLATE_NOOP(_F, "接收部门"), Message(
                    _V, QT_TRANSLATE_NOOP(_V, "{department}的办理时限（参数 referral.limit_days.{code}）为空，无法计算期限；请管理员先设置时限"),
                    {"department": dep.name, "code": dep.code}))])  # fmt: skip
            deadline = load_calendar(s).add_working_days(now.date(), limit)
            site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
            assert site is not None
            site.referral_seq += 1
            new = Referral(
                number=f"ZJ{now.year}-{site.referral_seq:06d}", matter_id=old.matter_id,
                department_code=dep.code, status=ReferralStatus.PENDING.value, created_at=now,
                limit_days=limit, due_date=deadline.due, due_uncertain=deadline.uncertain, version=1,
            )  # fmt: skip
            s.add(new)
            old.matter.department_code = dep.code
            old.matter.status = "referred"
            old.matter.due_date, old.matter.due_uncertain = deadline.due, deadline.uncertain
            s.flush()
            s.add(ReferralEvent(referral_id=new.id, at=now, actor=self._context.actor, kind="rerouted",
                                to_status=ReferralStatus.PENDING.value, note=f"{old.number}：{reason.strip()}"))  # fmt: skip
            uow.commit()
            log.info("referral %s rerouted as %s", old.id, new.id)
            return self._detail(s, new.id, now.date())

    # ----------------------------------------------------------------- helpers
    def _soon_days(self, s: Session, today: dt.date) -> int:
        days, _src = lookup_number(s, ("referral.due_soon_days",), today)
        return 2 if days is None else days

    def _soon_date(self, s: Session, calendar: WorkingCalendar, today: dt.date) -> dt.date:
        return calendar.add_working_days(today, self._soon_days(s, today)).due

    def _detail(self, s: Session, referral_id: int, today: dt.date) -> ReferralDetail:
        row = s.execute(_base_query().where(Referral.id == referral_id)).first()
        if row is None:
            raise NotFoundError(
                Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该转介记录。"))
            )
        referral = s.get(Referral, referral_id)
        assert referral is not None
        matter = referral.matter
        return ReferralDetail(
            row=_row(row, today, load_calendar(s), self._soon_days(s, today)),
            intake_number=matter.intake.number, reason=matter.route_reason, basis=matter.route_basis,
            override_reason=matter.override_reason, papers_missing=tuple(json.loads(matter.papers_missing)),
            result=referral.result, amount=referral.amount, result_date=referral.result_date,
            return_reason=referral.return_reason,
            events=tuple(
                ReferralEventRow(e.at, e.actor, e.kind, e.from_status, e.to_status, e.note,
                                 Eased(e.hardship_eased) if e.hardship_eased else None)
                for e in referral.events
            ),
        )  # fmt: skip


def _rows(
    rows: Sequence[Row[Any]], today: dt.date, calendar: WorkingCalendar, soon_days: int
) -> list[ReferralRow]:
    """Rows of one query: the working days left are counted once per due date."""
    days_left: dict[dt.date, int] = {}
    return [_row(r, today, calendar, soon_days, days_left) for r in rows]


def _row(
    r: Row[Any],
    today: dt.date,
    calendar: WorkingCalendar,
    soon_days: int,
    memo: dict[dt.date, int] | None = None,
) -> ReferralRow:
    status = ReferralStatus(r.status)
    if memo is None:
        days_left = calendar.working_days_between(today, r.due_date)
    else:
        if r.due_date not in memo:
            memo[r.due_date] = calendar.working_days_between(today, r.due_date)
        days_left = memo[r.due_date]
    overdue = status.open and r.due_date < today
    return ReferralRow(
        id=r.id, number=r.number, status=status, department_code=r.department_code,
        department_name=r.department_name, queue=r.queue, matter_name=r.matter_name,
        household_id=r.household_id, household_number=r.household_number, head_name=r.head_name or "",
        village=r.village, clerk=r.clerk, created_at=r.created_at, due_date=r.due_date,
        due_uncertain=r.due_uncertain, days_left=days_left, overdue=overdue,
        due_soon=status.open and not overdue and days_left <= soon_days,
        reminders=r.reminders, version=r.version,
    )  # fmt: skip


def _check_reply(action: ReferralAction, reply: Reply, today: dt.date) -> Decimal | None:
    problems: list[FieldProblem] = []
    amount: Decimal | None = None
    if action is ReferralAction.COMPLETE:
        if not reply.result.strip():
            problems.append(
                FieldProblem(
                    "result",
                    QT_TRANSLATE_NOOP(_F, "办理结果"),
                    Message(_V, QT_TRANSLATE_NOOP(_V, "请填写部门答复的办理结果")),
                )
            )
        if reply.result_date is None:
            problems.append(
                FieldProblem(
                    "result_date",
                    QT_TRANSLATE_NOOP(_F, "办结日期"),
                    Message(_V, QT_TRANSLATE_NOOP(_V, "请填写部门办结的日期")),
                )
            )
        elif reply.result_date > today:
            problems.append(
                FieldProblem(
                    "result_date",
                    QT_TRANSLATE_NOOP(_F, "办结日期"),
                    Message(_V, QT_TRANSLATE_NOOP(_V, "办结日期不能晚于今天")),
                )
            )
        if reply.amount.strip():
            try:
                amount = Decimal(reply.amount.strip().replace(",", "").replace("，", ""))
            except InvalidOperation:
                amount = None
                problems.append(
                    FieldProblem(
                        "amount",
                        QT_TRANSLATE_NOOP(_F, "金额"),
                        Message(
                            _V, QT_TRANSLATE_NOOP(_V, "请填写数字金额（元），如 1200 或 1200.50")
                        ),
                    )
                )
            else:
                if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
                    # "NaN"/"Infinity" parse as Decimals but cannot be compared or stored.
                    problems.append(
                        FieldProblem(
                            "amount",
                            QT_TRANSLATE_NOOP(_F, "金额"),
                            Message(
                                _V,
                                QT_TRANSLATE_NOOP(_V, "请填写数字金额（元），如 1200 或 1200.50"),
                            ),
                        )
                    )
                elif amount < 0 or amount != amount.quantize(Decimal("0.01")):
                    problems.append(
                        FieldProblem(
                            "amount",
                            QT_TRANSLATE_NOOP(_F, "金额"),
                            Message(_V, QT_TRANSLATE_NOOP(_V, "金额不能为负，最多两位小数")),
                        )
                    )
    if action is ReferralAction.RETURN and len(reply.note.strip()) < 2:
        problems.append(
            FieldProblem(
                "note",
                QT_TRANSLATE_NOOP(_F, "退回原因"),
                Message(_V, QT_TRANSLATE_NOOP(_V, "请填写部门退回的原因")),
            )
        )
    if action is ReferralAction.FOLLOW_UP and reply.eased is None:
        problems.append(
            FieldProblem(
                "eased",
                QT_TRANSLATE_NOOP(_F, "回访结果"),
                Message(_V, QT_TRANSLATE_NOOP(_V, "请选择困难是否缓解")),
            )
        )
    if problems:
        raise ValidationError(problems)
    return amount
