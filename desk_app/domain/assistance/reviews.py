"""定期核查: next review dates per population (domain.md §2.3).

The cycles below are the ones the seeds state; a locality's parameter set may pass another
cycle (``cycle_months``), since the issue makes review cycles part of that set.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from desk_app.domain.assistance.result import Computation


class ReviewPopulation(StrEnum):
    DIBAO_A = "低保a类户"
    DIBAO_B = "低保b类户"
    DIBAO_C = "低保c类户"
    SANWU = "三无人员"
    UNSTABLE_INCOME_ABLE_TO_WORK = "收入不稳定且有劳动能力成员的低保户"
    PLATFORM_RECHECK = "低保对象核对平台定期复核"


_BASIS_YI = "domain.md §2.3；seed 003_538988cd989ea5d8.txt 篇一"
_BASIS_QI = "domain.md §2.3；seed 003_538988cd989ea5d8.txt 篇七"

# (months, basis) exactly as the seed table in domain.md §2.3 gives them.
SEED_REVIEW_CYCLES: dict[ReviewPopulation, tuple[int, str]] = {
    ReviewPopulation.DIBAO_A: (12, _BASIS_YI),
    ReviewPopulation.DIBAO_B: (12, _BASIS_YI),
    ReviewPopulation.DIBAO_C: (6, _BASIS_YI),
    ReviewPopulation.SANWU: (12, _BASIS_QI),
    ReviewPopulation.UNSTABLE_INCOME_ABLE_TO_WORK: (6, _BASIS_QI),
    ReviewPopulation.PLATFORM_RECHECK: (6, _BASIS_QI),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; a day the target month lacks becomes its last day.

    31 August + 6 months is 28/29 February: a review must not slip into March just because
    February is short.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def next_review_date(
    population: ReviewPopulation,
    last_review: dt.date,
    *,
    cycle_months: int | None = None,
) -> Computation:
    """Next review date after ``last_review`` for one population.

    ``cycle_months`` overrides the seed cycle when the locality's parameter set says so.
    """
    seed_months, basis = SEED_REVIEW_CYCLES[population]
    months = seed_months if cycle_months is None else cycle_months
    if months < 1:
        # A zero or negative cycle would put the review on or before the last one.
        raise ValueError(f"review cycle must be at least one month, got {months}")
    due = add_months(last_review, months)
    return Computation(
        key=f"review.next.{population.name.lower()}",
        figure=due.isoformat(),
        rule=(
            f"{population.value}每{months}个月核查一次：上次核查{last_review.isoformat()}，"
            f"下次核查{due.isoformat()}（目标月无此日则取月末）"
        ),
        basis=basis,
    )


def next_review_dates(
    populations: Iterable[ReviewPopulation],
    last_review: dt.date,
) -> tuple[Computation, ...]:
    """Every applicable review for a household, earliest first (ties keep the input order)."""
    found = [next_review_date(p, last_review) for p in dict.fromkeys(populations)]
    return tuple(sorted(found, key=lambda c: str(c.figure)))
