"""The holiday table and the working-day calendar built from it (domain.md §3.3).

When the administrator enters a year the library does not know and marks it complete,
every open deadline that was counted by weekends only is counted again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkingCalendar, library_knows
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import HolidayDay, HolidayYear, Intake, IntakeMatter, Referral
from desk_app.services.context import ServiceContext, requires
from desk_app.services.parameters import lookup_number
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HolidayRow:
    day: dt.date
    workday: bool
    name: str


@dataclass(frozen=True, slots=True)
class YearStatus:
    year: int
    known_by_library: bool
    complete: bool
    entered_days: int
    source: str

    @property
    def known(self) -> bool:
        return self.known_by_library or self.complete


def load_calendar(s: Session) -> WorkingCalendar:
    overrides = {row.day: row.workday for row in s.scalars(select(HolidayDay))}
    complete = frozenset(s.scalars(select(HolidayYear.year).where(HolidayYear.complete)))
    return WorkingCalendar(overrides, complete)


def recount_deadlines(
    s: Session, calendar: WorkingCalendar, changed_day: dt.date | None = None
) -> int:
    """Count open deadlines again after the holiday table changed.

    Always recounts deadlines that were counted by weekends only; with ``changed_day``
    also every open deadline counted from before that day (a corrected holiday in a
    year already complete moves them too). Deadlines counted from after the day cannot
    cross it and stay as they are.
    """
    open_statuses = ("pending", "sent", "accepted")
    stale: ColumnElement[bool] = Referral.due_uncertain.is_(True)
    if changed_day is not None:
        stale = or_(stale, Referral.created_at < dt.datetime.combine(changed_day, dt.time()))
    changed = 0
    for referral in s.scalars(select(Referral).where(stale, Referral.status.in_(open_statuses))):
        deadline = calendar.add_working_days(referral.created_at.date(), referral.limit_days)
        referral.due_date, referral.due_uncertain = deadline.due, deadline.uncertain
        changed += 1
    matter_stale: ColumnElement[bool] = IntakeMatter.due_uncertain.is_(True)
    if changed_day is not None:
        matter_stale = or_(
            matter_stale,
            IntakeMatter.intake.has(
                Intake.received_at < dt.datetime.combine(changed_day, dt.time())
            ),
        )
    for matter in s.scalars(
        select(IntakeMatter).where(
            matter_stale, IntakeMatter.due_date.is_not(None), IntakeMatter.status != "done"
        )
    ):
        if matter.referrals:
            # A referred matter's deadline is its latest referral's (recounted above).
            latest = matter.referrals[-1]
            matter.due_date, matter.due_uncertain = latest.due_date, latest.due_uncertain
            changed += 1
            continue
        received = matter.intake.received_at.date()
        limit, _src = lookup_number(s, (f"window.limit_days.{matter.matter_code}",), received)
        if limit is None:
            continue
        deadline = calendar.add_working_days(received, limit)
        matter.due_date, matter.due_uncertain = deadline.due, deadline.uncertain
        changed += 1
    return changed


class CalendarService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(None)
    def calendar(self) -> WorkingCalendar:
        with self._uow(write=False) as uow:
            return load_calendar(uow.session)

    @requires(None)
    def days(self, year: int) -> tuple[HolidayRow, ...]:
        with self._uow(write=False) as uow:
            rows = uow.session.scalars(
                select(HolidayDay)
                .where(
                    HolidayDay.day >= dt.date(year, 1, 1), HolidayDay.day <= dt.date(year, 12, 31)
                )
                .order_by(HolidayDay.day)
            )
            return tuple(HolidayRow(r.day, r.workday, r.name) for r in rows)

    @requires(None)
    def year_status(self, year: int) -> YearStatus:
        with self._uow(write=False) as uow:
            row = uow.session.get(HolidayYear, year)
            entered = len(self.days(year))
            return YearStatus(
                year,
                library_knows(year),
                bool(row and row.complete),
                entered,
                row.source if row else "",
            )

    @requires(None)
    def unknown_years_ahead(self, years: int = 2) -> tuple[int, ...]:
        """Years from now on that deadlines may reach but nobody has entered yet."""
        this = self._context.today().year
        return tuple(y for y in range(this, this + years + 1) if not self.year_status(y).known)

    @requires(Permission.SETTINGS)
    def set_day(self, day: dt.date, workday: bool, name: str) -> tuple[HolidayRow, ...]:
        if not name.strip():
            raise ValidationError(
                [
                    FieldProblem(
                        "name",
                        QT_TRANSLATE_NOOP("fields", "名称"),
                        Message(
                            "validation",
                            QT_TRANSLATE_NOOP("validation", "请填写节日名称或“调休上班”"),
                        ),
                    )
                ]
            )
        with self._uow(write=True) as uow:
            row = uow.session.get(HolidayDay, day)
            if row is None:
                uow.session.add(HolidayDay(day=day, workday=workday, name=name.strip()))
            else:
                row.workday, row.name = workday, name.strip()
            uow.session.flush()
            recount_deadlines(uow.session, load_calendar(uow.session), day)
            uow.commit()
        return self.days(day.year)

    @requires(Permission.SETTINGS)
    def remove_day(self, day: dt.date) -> tuple[HolidayRow, ...]:
        with self._uow(write=True) as uow:
            row = uow.session.get(HolidayDay, day)
            if row is not None:
                uow.session.delete(row)
                uow.session.flush()
                recount_deadlines(uow.session, load_calendar(uow.session), day)
            uow.commit()
        return self.days(day.year)

    @requires(Permission.SETTINGS)
    def mark_year(self, year: int, complete: bool, source: str) -> YearStatus:
        """Mark a year's holiday arrangement as fully entered; open deadlines are recounted."""
        if complete and not source.strip():
            raise ValidationError(
                [
                    FieldProblem(
                        "source",
                        QT_TRANSLATE_NOOP("fields", "依据"),
                        Message(
                            "validation",
                            QT_TRANSLATE_NOOP(
                                "validation", "请写明依据，如国务院办公厅当年的放假安排通知"
                            ),
                        ),
                    )
                ]
            )
        if complete and not library_knows(year) and not self.days(year):
            # A year with nothing entered would turn weekends-only guesses into
            # "certain" deadlines without a single holiday in them.
            raise ValidationError(
                [
                    FieldProblem(
                        "year",
                        QT_TRANSLATE_NOOP("fields", "年份"),
                        Message(
                            "validation",
                            QT_TRANSLATE_NOOP(
                                "validation",
                                "{year}年还没有录入任何放假或调休日，请先录入再标记完整",
                            ),
                            {"year": year},
                        ),
                    )
                ]
            )
        with self._uow(write=True) as uow:
            row = uow.session.get(HolidayYear, year)
            if row is None:
                row = HolidayYear(year=year, updated_at=self._context.clock())
                uow.session.add(row)
            row.complete, row.source, row.updated_at = (
                complete,
                source.strip(),
                self._context.clock(),
            )
            uow.session.flush()
            changed = recount_deadlines(
                uow.session, load_calendar(uow.session), dt.date(year, 12, 31)
            )
            uow.commit()
            log.info(
                "holiday year %s marked complete=%s; %d deadlines recounted",
                year,
                complete,
                changed,
            )
        return self.year_status(year)
