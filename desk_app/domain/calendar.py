"""Chinese working days: weekends, public holidays and 调休 make-up working days.

Deadlines are counted in working days (domain.md §3.3 "明确办理时限"; KPI §3.7). The
``chinese-calendar`` package knows the State Council's holiday arrangements for 2004–2026
only. An administrator enters later years in the holiday table; until a year is marked
complete there, days in it count by weekends alone and every deadline touching it says
so (:attr:`Deadline.uncertain_years`), so the clerk is warned instead of misled.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import chinese_calendar


@functools.cache
def library_knows(year: int) -> bool:
    """Whether ``chinese-calendar`` has the official arrangement for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=16384)
def _library_workday(day: dt.date) -> bool:
    """The library's answer for ``day``; its tables never change while the program runs,
    and each of its lookups scans them (tens of microseconds)."""
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True, slots=True)
class Deadline:
    due: dt.date
    uncertain_years: tuple[int, ...] = ()
    """Years the count crossed without a known holiday arrangement (weekends only)."""

    @property
    def uncertain(self) -> bool:
        return bool(self.uncertain_years)


class WorkingCalendar:
    """Working-day arithmetic over the library plus the administrator's holiday table.

    Args:
        overrides: days from the holiday table, ``True`` for a working day (调休上班),
            ``False`` for a day off; they win over the library.
        complete_years: years the administrator marked as fully entered.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        complete_years: frozenset[int] = frozenset(),
    ) -> None:
        self._overrides = dict(overrides or {})
        self._complete_years = complete_years
        self._known: dict[dt.date, bool] = {}
        """Days already looked up: the library's lookup scans its tables on every call,
        and counting the days left of thousands of referrals asks for the same days."""

    def knows(self, year: int) -> bool:
        return year in self._complete_years or library_knows(year)

    def is_workday(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if library_knows(day.year):
            return _library_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The ``days``-th working day after ``start`` (the start day itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        unknown: set[int] = set()
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if not self.knows(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                counted += 1
        return Deadline(day, tuple(sorted(unknown)))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if before)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count
