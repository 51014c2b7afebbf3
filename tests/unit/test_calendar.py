"""Working-day arithmetic (desk_app.domain.calendar) over the real chinese-calendar data.

The 2026 arrangement (State Council, as carried by chinese-calendar): 中秋节 Fri 25 – Sun 27
September; 国庆节 Thu 1 – Wed 7 October; make-up working days (调休上班) Sun 20 September and
Sat 10 October. The library knows 2004–2026 only; 2027 is counted by weekends until the
administrator's holiday table is marked complete (domain.md §3.3 "明确办理时限", §8 item 2).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.calendar import Deadline, WorkingCalendar, library_knows

D = dt.date
CAL = WorkingCalendar()


# ------------------------------------------------------------------- the 2026 holidays
@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (D(2026, 9, 19), False),  # Saturday
        (D(2026, 9, 20), True),  # Sunday, 调休上班 for 国庆
        (D(2026, 9, 24), True),  # Thursday before 中秋
        (D(2026, 9, 25), False),  # 中秋节 (Friday)
        (D(2026, 9, 27), False),  # 中秋 holiday (Sunday)
        (D(2026, 9, 28), True),  # Monday
        (D(2026, 10, 1), False),  # 国庆节
        (D(2026, 10, 5), False),  # a Monday inside the 国庆 holiday
        (D(2026, 10, 7), False),  # last 国庆 day (Wednesday)
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, 调休上班
        (D(2026, 10, 11), False),  # Sunday
    ],
)
def test_2026_mid_autumn_and_national_day_are_known(day: dt.date, workday: bool) -> None:
    assert CAL.is_workday(day) is workday


def test_ten_working_days_from_24_september_2026_end_on_15_october() -> None:
    # Counted by hand, the acceptance day itself not counted:
    #   Fri 25 – Sun 27 Sep   中秋 holiday          —
    #   Mon 28, Tue 29, Wed 30 Sep                  1, 2, 3
    #   Thu 1 – Wed 7 Oct     国庆 holiday          —
    #   Thu 8, Fri 9 Oct                            4, 5
    #   Sat 10 Oct            调休上班 (make-up)    6
    #   Sun 11 Oct                                  —
    #   Mon 12 … Thu 15 Oct                         7, 8, 9, 10
    # A plain weekday count would have said 8 October.
    assert CAL.add_working_days(D(2026, 9, 24), 10) == Deadline(D(2026, 10, 15), ())


def test_make_up_sunday_20_september_is_a_working_day_to_count() -> None:
    # Fri 18 Sep + 1 working day: Sat 19 is off, Sun 20 is 调休上班.
    assert CAL.add_working_days(D(2026, 9, 18), 1).due == D(2026, 9, 20)


def test_the_day_before_the_holidays_plus_one_is_after_them() -> None:
    assert CAL.add_working_days(D(2026, 9, 24), 1).due == D(2026, 9, 28)
    assert CAL.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 8)
    assert CAL.add_working_days(D(2026, 10, 9), 1).due == D(2026, 10, 10)


def test_thirty_working_days_for_dibao_from_24_september_2026() -> None:
    # 3 days in September after the 24th, then from 8 October: 8, 9, 10 (Sat, make-up),
    # 12–16, 19–23, 26–30 October = 3 + 3 + 15 = 21; 2–6 and 9–12 November = 9 → 30.
    assert CAL.add_working_days(D(2026, 9, 24), 30).due == D(2026, 11, 12)


def test_zero_days_is_the_start_and_negative_days_are_refused() -> None:
    assert CAL.add_working_days(D(2026, 9, 24), 0) == Deadline(D(2026, 9, 24), ())
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(D(2026, 9, 24), -1)


# ------------------------------------------------------------------- unknown years
def test_library_knows_2004_to_2026_only() -> None:
    assert library_knows(2004)
    assert library_knows(2026)
    assert not library_knows(2003)
    assert not library_knows(2027)


def test_deadline_reaching_2027_counts_weekends_only_and_says_so() -> None:
    # Tue 22 Dec … Thu 31 Dec 2026 = 8 working days (Christmas is a working day in China);
    # Fri 1 Jan 2027 is counted as a working day because 2027 is unknown (9); Mon 4 Jan (10).
    deadline = CAL.add_working_days(D(2026, 12, 21), 10)
    assert deadline == Deadline(D(2027, 1, 4), (2027,))
    assert deadline.uncertain


def test_a_count_entirely_in_an_unknown_year_does_not_crash() -> None:
    deadline = CAL.add_working_days(D(2027, 3, 1), 5)  # Monday
    assert deadline == Deadline(D(2027, 3, 8), (2027,))
    assert CAL.is_workday(D(2027, 1, 1))  # 元旦 not yet known: a plain Friday
    assert not CAL.is_workday(D(2027, 1, 2))  # Saturday
    assert CAL.working_days_between(D(2027, 3, 1), D(2027, 3, 8)) == 5


def test_a_count_across_two_unknown_years_names_both() -> None:
    deadline = CAL.add_working_days(D(2027, 12, 20), 20)
    assert deadline.uncertain_years == (2027, 2028)


def test_a_deadline_within_a_known_year_is_certain() -> None:
    assert not CAL.add_working_days(D(2026, 12, 1), 10).uncertain
    # Ending on 31 Dec 2026 does not touch 2027.
    assert CAL.add_working_days(D(2026, 12, 30), 1) == Deadline(D(2026, 12, 31), ())


# ------------------------------------------------------------------- the holiday table
def test_overrides_win_over_the_library() -> None:
    cal = WorkingCalendar({D(2026, 10, 8): False, D(2026, 10, 5): True})
    assert not cal.is_workday(D(2026, 10, 8))
    assert cal.is_workday(D(2026, 10, 5))
    # 30 Sep + 1: Mon 5 Oct is now a working day.
    assert cal.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 5)
    # 5 Oct + 1: Tue 6, Wed 7 still off, Thu 8 now off too, so Fri 9.
    assert cal.add_working_days(D(2026, 10, 5), 1).due == D(2026, 10, 9)


def test_entered_days_of_an_incomplete_year_count_but_stay_uncertain() -> None:
    cal = WorkingCalendar({D(2027, 1, 1): False})
    assert cal.add_working_days(D(2026, 12, 21), 10) == Deadline(D(2027, 1, 5), (2027,))


def test_marking_2027_complete_removes_the_uncertainty() -> None:
    cal = WorkingCalendar({D(2027, 1, 1): False}, frozenset({2027}))
    assert cal.knows(2027)
    assert cal.add_working_days(D(2026, 12, 21), 10) == Deadline(D(2027, 1, 5), ())
    # A make-up working day entered for a complete year counts.
    cal = WorkingCalendar({D(2027, 1, 9): True}, frozenset({2027}))  # a Saturday
    assert cal.add_working_days(D(2027, 1, 8), 1) == Deadline(D(2027, 1, 9), ())


# ------------------------------------------------------------------- between
def test_working_days_between_sign_and_symmetry() -> None:
    a, b = D(2026, 9, 24), D(2026, 10, 15)
    assert CAL.working_days_between(a, b) == 10
    assert CAL.working_days_between(b, a) == -10
    assert CAL.working_days_between(a, a) == 0
    # Only holidays in between: no working day after the 24th up to Sunday 27th.
    assert CAL.working_days_between(a, D(2026, 9, 27)) == 0
    assert CAL.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 6, 30))


@settings(max_examples=150, deadline=None)
@given(start=DAYS, n=st.integers(min_value=0, max_value=60))
def test_add_working_days_is_strictly_monotone_and_lands_on_a_working_day(
    start: dt.date, n: int
) -> None:
    this = CAL.add_working_days(start, n).due
    following = CAL.add_working_days(start, n + 1).due
    assert following > this
    assert CAL.is_workday(following)
    assert CAL.working_days_between(start, following) == n + 1


@settings(max_examples=150, deadline=None)
@given(a=DAYS, offset=st.integers(min_value=-120, max_value=120))
def test_working_days_between_is_antisymmetric(a: dt.date, offset: int) -> None:
    b = a + dt.timedelta(days=offset)
    forward = CAL.working_days_between(a, b)
    assert forward == -CAL.working_days_between(b, a)
    assert forward >= 0 if b >= a else forward <= 0
