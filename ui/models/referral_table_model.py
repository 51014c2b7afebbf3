"""The referral queue as a lazily paged table model.

Pages come from ``ReferralService.page`` by keyset cursor (sorted by due date); Qt asks
for more through ``canFetchMore``/``fetchMore`` as the view scrolls — the same pattern
as :mod:`ui.models.person_search_model` (parent check, inclusive ``- 1`` end, re-entrancy
guard; checked by ``qtmodeltester``).

Overdue rows and rows due within the due-soon window (two working days by default) are
marked by a background colour and by text: ▲/● before the number and "▲逾期 n" /
"●将到期 n" in the 剩余工作日 column, so the state is never carried by colour alone. A deadline that reaches a year whose holidays
are not entered yet carries "！" beside the date and an explaining tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import ReferralCursor, ReferralPage, ReferralRow
from desk_app.services.referrals import ReferralFilter
from ui.i18n import tr_label
from ui.models.keyset_model import Index, KeysetTableModel

FetchFn = Callable[[ReferralFilter, ReferralCursor | None], ReferralPage]

REFERRAL_ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_CTX = "ReferralTableModel"

OVERDUE_BACKGROUND = QColor("#f8d7da")
"""Light red; with the default dark text the contrast stays above 10:1."""
DUE_SOON_BACKGROUND = QColor("#fff3cd")
"""Light amber."""
MARKED_FOREGROUND = QColor("#1a1a1a")
"""Text on a marked row stays dark even under a dark palette."""

UNCERTAIN_MARK = "！"
UNCERTAIN_TIP = QT_TRANSLATE_NOOP(_CTX, "该期限跨入节假日未录入的年份，暂按周末计算")

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", QT_TRANSLATE_NOOP(_CTX, "编号")),
    ("matter_name", QT_TRANSLATE_NOOP(_CTX, "事项")),
    ("head_name", QT_TRANSLATE_NOOP(_CTX, "户主")),
    ("village", QT_TRANSLATE_NOOP(_CTX, "村")),
    ("department_name", QT_TRANSLATE_NOOP(_CTX, "接收部门")),
    ("status", QT_TRANSLATE_NOOP(_CTX, "状态")),
    ("due_date", QT_TRANSLATE_NOOP(_CTX, "到期日")),
    ("days_left", QT_TRANSLATE_NOOP(_CTX, "剩余工作日")),
    ("clerk", QT_TRANSLATE_NOOP(_CTX, "经办人")),
    ("reminders", QT_TRANSLATE_NOOP(_CTX, "催办次数")),
)
COLUMN_KEYS = tuple(key for key, _label in _COLUMNS)


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def days_left_text(row: ReferralRow) -> str:
    """The 剩余工作日 cell: a number, or a text marker for overdue and due-soon rows."""
    if not row.status.open:
        return "—"
    if row.overdue:
        return _t("▲逾期 {days}").format(days=-row.days_left)
    if row.due_soon:
        if row.days_left <= 0:
            return _t("●今日到期")
        return _t("●将到期 {days}").format(days=row.days_left)
    return str(row.days_left)


def row_mark(row: ReferralRow) -> str:
    """The mark before the number: ▲ overdue, ● due soon, else a full-width space.

    The first column always shows, even when a narrow window or the large font hides
    剩余工作日 behind the horizontal scroll bar.
    """
    if row.overdue:
        return "▲"
    if row.due_soon:
        return "●"
    return "\u3000"


def due_date_text(row: ReferralRow) -> str:
    text = f"{row.due_date:%Y-%m-%d}"
    return f"{text} {UNCERTAIN_MARK}" if row.due_uncertain else text


def row_background(row: ReferralRow) -> QColor | None:
    if row.overdue:
        return OVERDUE_BACKGROUND
    if row.due_soon:
        return DUE_SOON_BACKGROUND
    return None


class ReferralTableModel(KeysetTableModel[ReferralRow, ReferralCursor]):
    """Rows of :class:`ReferralRow` for one :class:`ReferralFilter`.

    Args:
        fetch: ``(filter, cursor) -> ReferralPage``, e.g. ``services.referrals.page``.
        parent: Qt parent.
    """

    def __init__(self, fetch: FetchFn, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._filter = ReferralFilter()

    # ------------------------------------------------------------ our API
    def set_filter(self, flt: ReferralFilter) -> None:
        """Load the first page for ``flt``; it replaces the current rows."""
        page = self._fetch(flt, None)
        self._filter = flt
        self._reset_rows(page.rows, page.next_cursor)

    def refresh(self) -> None:
        self.set_filter(self._filter)

    @property
    def filter(self) -> ReferralFilter:
        return self._filter

    def row_of(self, referral_id: int) -> int:
        """The model row showing ``referral_id`` among the rows loaded so far, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == referral_id), -1)

    def replace_row(self, new: ReferralRow) -> int:
        """Show ``new`` in place of the loaded row with the same id (after an action).

        The row stays where it is even if it no longer matches the filter, so the clerk
        does not lose the line just acted on; the next :meth:`refresh` re-sorts.
        """
        i = self.row_of(new.id)
        if i >= 0:
            self._rows[i] = new
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(_COLUMNS) - 1))
        return i

    def _next_page(
        self, cursor: ReferralCursor
    ) -> tuple[Sequence[ReferralRow], ReferralCursor | None]:
        page = self._fetch(self._filter, cursor)
        return page.rows, page.next_cursor

    # ------------------------------------------------------------ Qt API
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(_COLUMNS):
            return None
        row = self._rows[index.row()]
        key = _COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == REFERRAL_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole:
            color = row_background(row)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(MARKED_FOREGROUND) if row_background(row) is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("days_left", "reminders"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_COLUMNS)
        ):
            return _t(_COLUMNS[section][1])
        return None

    # ------------------------------------------------------------ cells
    @staticmethod
    def _display(row: ReferralRow, key: str) -> str:
        if key == "status":
            return tr_label("registry", row.status.label)
        if key == "due_date":
            return due_date_text(row)
        if key == "days_left":
            return days_left_text(row)
        if key == "head_name":
            return row.head_name or "—"
        if key == "number":
            return f"{row_mark(row)} {row.number}"
        return str(getattr(row, key))

    @staticmethod
    def _tooltip(row: ReferralRow, key: str) -> str | None:
        if key == "due_date" and row.due_uncertain:
            return _t(UNCERTAIN_TIP)
        if key == "days_left" and row.overdue:
            return _t("已超过办理时限 {days} 个工作日").format(days=-row.days_left)
        if key == "days_left" and row.due_soon:
            return _t("即将到期：剩余 {days} 个工作日").format(days=max(row.days_left, 0))
        if key in ("matter_name", "department_name"):
            return str(getattr(row, key))
        return None
