"""What the four 系统设置 tabs share: read-only tables, inline problems, parameter texts.

Every tab edits one record at a time in a form beside a table. A form with unsaved edits
keeps its row selected (the table does not switch away and lose them silently); the
clerk saves or reverts first. Problems are shown in the form, never in a modal box.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import FieldProblem
from desk_app.i18n import Message
from ui.dialogs import ERROR_COLOR, ProblemLabel, set_invalid

CODE_ROLE = Qt.ItemDataRole.UserRole
"""Item data holding the record's code (matter, department, parameter key, day)."""

INACTIVE_COLOR = "#6b6b6b"
"""Grey for inactive records and superseded values (still readable: about 5.3:1)."""

OK_COLOR = "#2e7d32"

BANNER_STYLE = (
    "QLabel { background: #fff4e5; color: #7a3e00; border: 1px solid #f0b46c;"
    " border-radius: 3px; padding: 6px 8px; }"
)
"""Amber box for things the administrator should act on (unknown holiday years)."""


def _t(text: str) -> str:
    return QCoreApplication.translate("AdminPage", text)


# ------------------------------------------------------------------ values
LOCAL_TEXT = "（需当地确定）"


def number_text(value: Any) -> str:
    """A parameter value as stored (JSON): a number without a needless ``.0``."""
    if value is None:
        return _t(LOCAL_TEXT)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def value_text(value: Any, unit: str) -> str:
    """``10 工作日``, ``0.8（80%）``, or （需当地确定） for a value left open."""
    if value is None:
        return _t(LOCAL_TEXT)
    text = number_text(value)
    if unit == "比例" and isinstance(value, (int, float)):
        percent = format((Decimal(str(value)) * 100).normalize(), "f")
        return f"{text}（{percent}%）"
    return f"{text} {unit}".strip()


def locality_text(locality: str, names: Mapping[str, str] | None = None) -> str:
    if not locality:
        return _t("全部地区")
    name = (names or {}).get(locality)
    return f"{name}（{locality}）" if name else locality


def date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def datetime_text(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def weekday_text(day: dt.date) -> str:
    return _t(WEEKDAYS[day.weekday()])


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


# ------------------------------------------------------------------ tables
class CompactTable(QTableWidget):
    """A table whose preferred height is a few rows: in a scrolling form it takes the
    height that is left instead of pushing the buttons below the screen."""

    def __init__(self, rows: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = rows

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        line = self.fontMetrics().lineSpacing() + 10
        return QSize(hint.width(), line * (self._rows + 1))


def actor_text(actor: str) -> str:
    """Who entered a row; rows written by a migration are the program's seed data."""
    return _t("初始数据") if actor.startswith("migration") else actor


def setup_table(table: QTableWidget, headers: Sequence[str], stretch: int | None = None) -> None:
    """Read-only, one row selected at a time, columns fitted to their text.

    ``stretch``: the column that takes the spare width (long names), default the last.
    """
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setHighlightSections(False)
    last = len(headers) - 1
    if stretch is None or stretch == last:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def table_item(
    text: str,
    *,
    code: object = None,
    tooltip: str = "",
    grey: bool = False,
    bold: bool = False,
    color: str = "",
    center: bool = False,
) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if code is not None:
        item.setData(CODE_ROLE, code)
    if tooltip:
        item.setToolTip(tooltip)
    if grey or color:
        item.setForeground(QBrush(QColor(color or INACTIVE_COLOR)))
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    if center:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def fill_row(table: QTableWidget, row: int, items: Iterable[QTableWidgetItem]) -> None:
    for column, item in enumerate(items):
        table.setItem(row, column, item)


def row_code(table: QTableWidget, row: int) -> Any:
    item = table.item(row, 0)
    return item.data(CODE_ROLE) if item is not None else None


def find_row(table: QTableWidget, code: object) -> int:
    for row in range(table.rowCount()):
        if row_code(table, row) == code:
            return row
    return -1


def selected_code(table: QTableWidget) -> Any:
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    return row_code(table, rows[0].row()) if rows else None


def select_code(table: QTableWidget, code: object) -> bool:
    """Select and show the row holding ``code``; False when no row holds it."""
    row = find_row(table, code)
    if row < 0:
        return False
    table.selectRow(row)
    table.scrollTo(table.model().index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
    return True


# ------------------------------------------------------------------ forms
def show_problems(
    label: ProblemLabel,
    problems: Sequence[FieldProblem],
    widgets: Mapping[str, QWidget | Sequence[QWidget]],
) -> None:
    """Red list above the buttons and a red border on each field named by a problem."""
    label.show_problems(problems)
    named = {p.field for p in problems}
    for field, targets in widgets.items():
        for widget in targets if isinstance(targets, Sequence) else (targets,):
            set_invalid(widget, field in named)


def clear_problems(label: ProblemLabel, widgets: Mapping[str, QWidget | Sequence[QWidget]]) -> None:
    show_problems(label, (), widgets)
    label.clear_problems()


def ui_problem(field: str, label: str, text: str) -> FieldProblem:
    """A problem found by the form itself (before any service call), in the same shape."""
    return FieldProblem(field, label, Message("AdminPage", text))


def status_label() -> QLabel:
    """The quiet line under a form's buttons: "已保存…" after a save."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {OK_COLOR};")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def note_label(text: str = "") -> QLabel:
    """A grey explanatory line inside a form."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {INACTIVE_COLOR};")
    return label


def error_text_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    return label


class FormScrollArea(QScrollArea):
    """Scrolls a form vertically only, and asks the splitter for the form's full width,
    so the large-font mode on a 1366×768 screen scrolls instead of cutting fields off."""

    def minimumSizeHint(self) -> QSize:
        widget = self.widget()
        if widget is None:
            return super().minimumSizeHint()
        width = widget.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width + 2 * self.frameWidth(), 120)


def scrolling(widget: QWidget) -> QScrollArea:
    """Wrap a form so the large-font mode on a 1366×768 screen never cuts it off."""
    area = FormScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


# ------------------------------------------------------------------ tabs
class AdminTab(QWidget):
    """A tab of 系统设置: loads when first shown, and again after another tab changed data.

    Signals: ``changed(area)`` after a save, ``area`` one of ``matters``, ``departments``,
    ``parameters``, ``holidays``.
    """

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = True

    def reload(self) -> None:
        """Read everything the tab shows from the services again."""
        self._stale = False
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def mark_stale(self) -> None:
        """Data changed elsewhere: reload now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def ensure_loaded(self) -> None:
        if self._stale:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()


class RecordTab(AdminTab):
    """A table of records beside a form editing the selected one.

    While the form holds unsaved edits the selection stays on its row: the clerk saves
    or reverts first, so no edit is dropped by a stray click.
    """

    table: QTableWidget
    status: QLabel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code: Any = None
        self._saved_state: object = None
        self._guarding = False

    # -- for subclasses
    def form_state(self) -> object:
        """Everything the form would save, comparable with ``==``."""
        raise NotImplementedError

    def show_record(self, code: Any) -> None:
        """Fill the form from the record ``code`` and remember it as unchanged."""
        raise NotImplementedError

    def record_name(self) -> str:
        raise NotImplementedError

    # -- shared
    @property
    def current_code(self) -> Any:
        return self._code

    def is_dirty(self) -> bool:
        return self._code is not None and self.form_state() != self._saved_state

    def remember_saved(self) -> None:
        self._saved_state = self.form_state()
        self.update_buttons()

    def update_buttons(self) -> None:
        """Enable save/revert only when there is something to save; subclasses extend."""

    def _on_table_selection_changed(self) -> None:
        if self._guarding:
            return
        code = selected_code(self.table)
        if code is None or code == self._code:
            return
        if self.is_dirty():
            self._guarding = True
            try:
                select_code(self.table, self._code)
            finally:
                self._guarding = False
            self.status.setStyleSheet(f"color: {ERROR_COLOR};")
            self.status.setText(
                _t("“{name}”有未保存的修改：请先保存或撤销修改，再选择其他行。").format(
                    name=self.record_name()
                )
            )
            return
        self.status.clear()
        self.show_record(code)

    def say_saved(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {OK_COLOR};")
        self.status.setText(text)

    def reselect(self, preferred: Any) -> None:
        """After the table is refilled: select ``preferred`` (or the first row) and show it."""
        code = preferred if find_row(self.table, preferred) >= 0 else row_code(self.table, 0)
        self._code = None
        if code is None:
            return
        self._guarding = True
        try:
            select_code(self.table, code)
        finally:
            self._guarding = False
        self.show_record(code)


def list_beside_form(
    page: QWidget, left: QWidget, right: QWidget, stretch: tuple[int, int], sizes: tuple[int, int]
) -> QSplitter:
    """Lay out an admin tab: the list on the left, its form on the right, neither collapsible."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setSizes(list(sizes))
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    return splitter
