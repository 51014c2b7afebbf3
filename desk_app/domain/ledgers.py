"""台账 ledgers as plain data: which ledgers exist, their columns, and the rows as streams.

Townships keep their work in spreadsheets and send them to the county every quarter and
half-year (domain.md §3.4 ledgers, §3.6 cadences). The services turn SQL row streams into
:class:`LedgerBook` values; ``reports.ledgers`` writes a book to XLSX. Neither side knows
the other: a book is columns plus iterables of plain cell values, so the writer never sees
the database and the services never see openpyxl (import-linter keeps it so).

A sheet's ``rows`` is a one-shot iterator read while the service's unit of work is open:
the sink must consume it inside the call it was given the book in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from desk_app.domain.registry import HouseholdCategory
from desk_app.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from desk_app.jobs import CancelToken, ProgressFn

_C = "ledgers"

Cell = str | int | float | Decimal | dt.date | dt.datetime | None
"""What a ledger cell may hold; booleans arrive already worded (是/否)."""

YES = QT_TRANSLATE_NOOP(_C, "是")
NO = QT_TRANSLATE_NOOP(_C, "否")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet may read a text starting with one of these as a formula (CSV/DDE
injection, OWASP "CSV Injection"): such cells are always written as text."""


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def yes_no(flag: bool) -> str:
    return YES if flag else NO


class CellKind(StrEnum):
    """How a column's values are formatted in the spreadsheet."""

    TEXT = "text"
    ID = "id"
    """An ID number: always text (18 digits would lose precision as a number)."""
    INT = "int"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    """Excel character units; a CJK character is about two."""
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True, slots=True)
class LedgerSheet:
    name: str
    columns: tuple[Column, ...]
    rows: Iterable[Sequence[Cell]]
    total: int | None
    """Number of rows the stream will yield (for progress), when known in advance."""


@dataclass(frozen=True, slots=True)
class LedgerBook:
    title: str
    sheets: tuple[LedgerSheet, ...]
    notes: tuple[tuple[str, str], ...]
    """Lines of the closing 说明 sheet: (item, text) — what, when, by whom, on what basis."""

    @property
    def total(self) -> int | None:
        totals = [s.total for s in self.sheets]
        if any(t is None for t in totals):
            return None
        return sum(t for t in totals if t is not None)


@dataclass(frozen=True, slots=True)
class WrittenBook:
    """What a sink wrote: rows per sheet, in order."""

    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _name, n in self.rows)


class LedgerSink(Protocol):
    """Writes a book somewhere (``reports.ledgers.XlsxSink`` writes an XLSX file).

    Must check ``cancel`` while writing and leave nothing half-written when it raises.
    """

    def __call__(
        self, book: LedgerBook, progress: ProgressFn, cancel: CancelToken
    ) -> WrittenBook: ...


class LedgerKind(StrEnum):
    """The ledgers the window can export (domain.md §3.4; issue #7)."""

    HOUSEHOLDS = "households"
    INTAKE = "intake"
    REFERRALS = "referrals"
    KPI = "kpi"
    NOTICES = "notices"
    REVIEWS = "reviews"
    NEAR_RELATIVES = "near-relatives"

    @property
    def label(self) -> str:
        return LEDGER_LABELS[self]


LEDGER_LABELS: dict[LedgerKind, str] = {
    LedgerKind.HOUSEHOLDS: QT_TRANSLATE_NOOP(_C, "家庭户及成员台账"),
    LedgerKind.INTAKE: QT_TRANSLATE_NOOP(_C, "诉求受理台账"),
    LedgerKind.REFERRALS: QT_TRANSLATE_NOOP(_C, "转介办理台账"),
    LedgerKind.KPI: QT_TRANSLATE_NOOP(_C, "按时办结率（按月、按部门）"),
    LedgerKind.NOTICES: QT_TRANSLATE_NOOP(_C, "公示及异议台账"),
    LedgerKind.REVIEWS: QT_TRANSLATE_NOOP(_C, "低保定期核查计划"),
    LedgerKind.NEAR_RELATIVES: QT_TRANSLATE_NOOP(_C, "近亲属备案台账"),
}


class CategoryGroup(StrEnum):
    """Which households a ledger or a roster comparison covers, by category held."""

    ALL = "all"
    DIBAO = "dibao"
    TEKUN = "tekun"
    DIBAO_OR_TEKUN = "dibao-tekun"
    POVERTY = "poverty"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]

    @property
    def categories(self) -> frozenset[HouseholdCategory]:
        """The categories that put a household in the group; empty for :attr:`ALL`."""
        return GROUP_CATEGORIES[self]


DIBAO_CATEGORIES = frozenset(
    {
        HouseholdCategory.DIBAO_A,
        HouseholdCategory.DIBAO_B,
        HouseholdCategory.DIBAO_C,
        HouseholdCategory.DIBAO_SINGLE_PERSON,
        HouseholdCategory.DIBAO_SEPARATE,
    }
)
TEKUN_CATEGORIES = frozenset(
    {HouseholdCategory.TEKUN_CENTRALIZED, HouseholdCategory.TEKUN_DISPERSED}
)
POVERTY_CATEGORIES = frozenset(
    {
        HouseholdCategory.POVERTY_UNLIFTED,
        HouseholdCategory.POVERTY_LIFTED,
        HouseholdCategory.POVERTY_RELAPSED,
        HouseholdCategory.MONITORED,
    }
)

GROUP_CATEGORIES: dict[CategoryGroup, frozenset[HouseholdCategory]] = {
    CategoryGroup.ALL: frozenset(),
    CategoryGroup.DIBAO: DIBAO_CATEGORIES,
    CategoryGroup.TEKUN: TEKUN_CATEGORIES,
    CategoryGroup.DIBAO_OR_TEKUN: DIBAO_CATEGORIES | TEKUN_CATEGORIES,
    CategoryGroup.POVERTY: POVERTY_CATEGORIES,
}

GROUP_LABELS: dict[CategoryGroup, str] = {
    CategoryGroup.ALL: QT_TRANSLATE_NOOP(_C, "全部登记户"),
    CategoryGroup.DIBAO: QT_TRANSLATE_NOOP(_C, "低保户"),
    CategoryGroup.TEKUN: QT_TRANSLATE_NOOP(_C, "特困户"),
    CategoryGroup.DIBAO_OR_TEKUN: QT_TRANSLATE_NOOP(_C, "低保户和特困户"),
    CategoryGroup.POVERTY: QT_TRANSLATE_NOOP(_C, "建档立卡户（含监测对象）"),
}

CATEGORY_ORDER = {c: i for i, c in enumerate(HouseholdCategory)}


def category_labels(codes: Iterable[str]) -> str:
    """Category codes as the clerk reads them, in pick-list order, joined by 、."""
    known = sorted(
        {HouseholdCategory(c) for c in codes if c in HouseholdCategory.__members__.values()},
        key=CATEGORY_ORDER.__getitem__,
    )
    return "、".join(c.label for c in known)


class OnTime(StrEnum):
    """A referral judged against its deadline, exactly as the KPI counts it (§3.7, T24)."""

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"

    @property
    def label(self) -> str:
        return ON_TIME_LABELS[self]


ON_TIME_LABELS: dict[OnTime, str] = {
    OnTime.ON_TIME: QT_TRANSLATE_NOOP(_C, "按时"),
    OnTime.LATE: QT_TRANSLATE_NOOP(_C, "超时答复"),
    OnTime.OVERDUE: QT_TRANSLATE_NOOP(_C, "逾期未答复"),
    OnTime.NOT_DUE: QT_TRANSLATE_NOOP(_C, "未到期"),
}


def on_time(due: dt.date, replied_on: dt.date | None, is_open: bool, today: dt.date) -> OnTime:
    """The ``ReferralService.kpi`` rule for one referral.

    On time when the reply was recorded on or before the due date; a referral without a
    reply counts (as late) once its deadline has passed and it is still open.
    """
    if replied_on is not None:
        return OnTime.ON_TIME if replied_on <= due else OnTime.LATE
    if due < today and is_open:
        return OnTime.OVERDUE
    return OnTime.NOT_DUE
