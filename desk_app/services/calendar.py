"""The holiday table and the working-day calendar built from it (domain.md §3.3).

When the administrator enters a year the library does not know and marks it complete,
every open deadline that was counted by weekends only is counted again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkingCalendar, library_knows
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import HolidayDay, HolidayYear, IntakeMatter, Referral
from desk_app.services.context import ServiceContext
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


def recompute_uncertain(s: Session, calendar: WorkingCalendar) -> int:
    """Count again every open deadline that was counted by weekends only."""
    changed = 0
    for referral in s.scalars(
        select(Referral).where(
            Referral.due_uncertain, Referral.status.in_(("pending", "sent", "accepted"))
        )
    ):
        start = referral.created_at.date()
        deadline = calendar.add_working_days(start, referral.limit_days)
        referral.due_date, referral.due_uncertain = deadline.due, deadline.uncertain
        changed += 1
    for matter in s.scalars(select(IntakeMatter).where(IntakeMatter.due_uncertain)):
        limit, _src = lookup_number(
            s, (f"window.limit_days.{matter.matter_code}",), matter.intake.received_at.date()
        )
        if limit is None:
            continue
        deadline = calendar.add_working_days(matter.intake.received_at.date(), limit)
        matter.due_date, matter.due_uncertain = deadline.due, deadline.uncertain
        changed += 1
    return changed


class CalendarService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    def calendar(self) -> WorkingCalendar:
        with self._uow(write=False) as uow:
            return load_calendar(uow.session)

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

    def unknown_years_ahead(self, years: int = 2) -> tuple[int, ...]:
        """Years from now on that deadlines may reach but nobody has entered yet."""
        this = self._context.today().year
        return tuple(y for y in range(this, this + years + 1) if not self.year_status(y).known)

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
            recompute_uncertain(uow.session, load_calendar(uow.session))
            uow.commit()
        return self.days(day.year)

    def remove_day(self, day: dt.date) -> tuple[HolidayRow, ...]:
        with self._uow(write=True) as uow:
            row = uow.session.get(HolidayDay, day)
            if row is not None:
                uow.session.delete(row)
                uow.session.flush()
                recompute_uncertain(uow.session, load_calendar(uow.session))
            uow.commit()
        return self.days(day.year)

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
            changed = recompute_uncertain(uow.session, load_calendar(uow.session))
            uow.commit()
            log.info(
                "holiday year %s marked complete=%s; %d deadlines recounted",
                year,
                complete,
                changed,
            )
        return self.year_status(year)
