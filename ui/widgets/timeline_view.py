"""一户一条救助链: every request, matter and referral step of one household, in time order.

Shows the :class:`~desk_app.services.dto.TimelineEntry` values from
``services.intake.timeline(household_id)`` as one vertical list, oldest first. Each
intake (受理) opens a block in bold; the steps of its matters and referrals follow where
they fall in time, so a household's whole chain reads top to bottom.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.intake import ReferralStatus
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import TimelineEntry
from ui.i18n import tr_label

_CTX = "TimelineView"

KIND_LABELS: dict[str, str] = {
    "intake": QT_TRANSLATE_NOOP(_CTX, "窗口受理"),
    "window": QT_TRANSLATE_NOOP(_CTX, "民政窗口办理"),
    "created": QT_TRANSLATE_NOOP(_CTX, "登记转介"),
    "rerouted": QT_TRANSLATE_NOOP(_CTX, "改派"),
    "send": QT_TRANSLATE_NOOP(_CTX, "转出"),
    "accept": QT_TRANSLATE_NOOP(_CTX, "部门受理"),
    "complete": QT_TRANSLATE_NOOP(_CTX, "部门办结"),
    "return": QT_TRANSLATE_NOOP(_CTX, "部门退回"),
    "remind": QT_TRANSLATE_NOOP(_CTX, "催办"),
    "follow_up": QT_TRANSLATE_NOOP(_CTX, "回访"),
}
"""What each step is called; shared with the referral detail's event list."""

_MATTER_STATUS = {
    "referred": QT_TRANSLATE_NOOP(_CTX, "已转介"),
}

COLUMNS = (
    QT_TRANSLATE_NOOP(_CTX, "时间"),
    QT_TRANSLATE_NOOP(_CTX, "环节"),
    QT_TRANSLATE_NOOP(_CTX, "受理编号"),
    QT_TRANSLATE_NOOP(_CTX, "事项"),
    QT_TRANSLATE_NOOP(_CTX, "部门"),
    QT_TRANSLATE_NOOP(_CTX, "状态"),
    QT_TRANSLATE_NOOP(_CTX, "说明"),
)
TEXT_COLUMN = len(COLUMNS) - 1


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def kind_label(kind: str) -> str:
    return _t(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def status_label(status: str) -> str:
    """The label of a referral status (or a matter's ``referred``); '' stays ''."""
    if not status:
        return ""
    if status in _MATTER_STATUS:
        return _t(_MATTER_STATUS[status])
    try:
        return tr_label("registry", ReferralStatus(status).label)
    except ValueError:
        return status


class TimelineView(QWidget):
    """A read-only list of one household's timeline entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("timelineSummary")
        self.summary.setWordWrap(True)
        # A table rather than a tree: QTreeView never grows a row for wrapped text.
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("timeline")
        self.table.setHorizontalHeaderLabels([_t(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the text column's width, so long texts wrap instead of
        # being cut with "…"; measured once the width has settled.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(self._on_section_resized)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.entries: tuple[TimelineEntry, ...] = ()
        self.set_entries(())

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.entries = tuple(entries)
        self.table.clearContents()
        self.table.setRowCount(len(self.entries))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, entry in enumerate(self.entries):
            for column, text in enumerate(self.row_texts(entry)):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, entry)
                if column in (3, TEXT_COLUMN) and text:
                    item.setToolTip(text)
                if entry.kind == "intake":
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        intakes = sum(1 for e in self.entries if e.kind == "intake")
        referrals = sum(1 for e in self.entries if e.kind in ("created", "rerouted"))
        if not self.entries:
            self.summary.setText(self.tr("该户还没有窗口受理记录。"))
        else:
            self.summary.setText(
                self.tr(
                    "共 {intakes} 次受理，{referrals} 项转介（含改派）；按时间先后排列。"
                ).format(intakes=intakes, referrals=referrals)
            )

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TEXT_COLUMN:
            self._relayout.start()

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    @staticmethod
    def row_texts(entry: TimelineEntry) -> list[str]:
        """The cells of one entry, as shown."""
        return [
            f"{entry.at:%Y-%m-%d %H:%M}",
            kind_label(entry.kind),
            entry.intake_number,
            entry.matter_name,
            entry.department_name,
            status_label(entry.status),
            entry.text,
        ]

    def row_count(self) -> int:
        return self.table.rowCount()
