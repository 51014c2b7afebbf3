"""考核统计: the share of referrals handled within their limit, per department and month.

Seed 001_132aebca7b0b4260.txt: a township whose share of matters handled within the set
time falls below 80 % is summoned for a talk and supervised (domain.md §3.7, §7 T24).
The target is the parameter ``kpi.on_time_target``. Rows below it are marked by colour
and by the text "未达80%", never by colour alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import KpiRow
from ui.errors import show_error
from ui.models.referral_table_model import MARKED_FOREGROUND, OVERDUE_BACKGROUND

log = logging.getLogger(__name__)

DEFAULT_TARGET = 0.8
MONTHS_SHOWN = 6
"""Default range: the last six months up to this one."""
TOTAL_BACKGROUND = QColor("#e8ecf2")
"""The month's overall line: a light grey-blue band."""

COLUMNS = (
    QT_TRANSLATE_NOOP("KpiPage", "月份"),
    QT_TRANSLATE_NOOP("KpiPage", "部门"),
    QT_TRANSLATE_NOOP("KpiPage", "应计件数"),
    QT_TRANSLATE_NOOP("KpiPage", "按时办结"),
    QT_TRANSLATE_NOOP("KpiPage", "超时"),
    QT_TRANSLATE_NOOP("KpiPage", "按时率"),
    QT_TRANSLATE_NOOP("KpiPage", "考核"),
)
"""Column headers (translated through ``KpiPage.tr``)."""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: str) -> str:
    """``2026-04`` → ``2026年4月``."""
    year, mon = month.split("-")
    return f"{int(year)}年{int(mon)}月"


@dataclass(frozen=True, slots=True)
class KpiLine:
    """One table line: a department's month, or the month's overall line."""

    month: str
    department: str
    counted: int
    on_time: int
    late: int
    share: float | None
    below_target: bool
    total: bool


def kpi_lines(rows: Sequence[KpiRow], target: float, order: Sequence[str] = ()) -> list[KpiLine]:
    """Department lines grouped by month, each month closed by its overall line.

    ``order``: department codes in the catalogue's order (others follow by name).
    """
    rank = {code: i for i, code in enumerate(order)}
    months: dict[str, list[KpiRow]] = {}
    for row in rows:
        months.setdefault(row.month, []).append(row)
    lines: list[KpiLine] = []
    for month in sorted(months):
        group = sorted(
            months[month], key=lambda r: (rank.get(r.department_code, len(rank)), r.department_name)
        )
        for r in group:
            lines.append(
                KpiLine(
                    month,
                    r.department_name,
                    r.counted,
                    r.on_time,
                    r.late,
                    r.share,
                    r.below_target,
                    total=False,
                )
            )
        counted = sum(r.counted for r in group)
        on_time = sum(r.on_time for r in group)
        share = on_time / counted if counted else None
        lines.append(
            KpiLine(
                month,
                "",
                counted,
                on_time,
                counted - on_time,
                share,
                share is not None and share < target,
                total=True,
            )
        )
    return lines


class KpiPage(QWidget):
    """Month range pickers and a department × month table with the 80 % flag."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.target = DEFAULT_TARGET
        self.lines: list[KpiLine] = []
        self._loaded = False
        self._stale = False
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(self._reload_if_stale)
        today = services.context.today()

        self.from_edit = self._month_edit(add_months(today, -(MONTHS_SHOWN - 1)))
        self.to_edit = self._month_edit(month_start(today))
        self.reload_button = QPushButton(self.tr("统计(&T)"))
        from_label = QLabel(self.tr("到期月份(&M)："))
        from_label.setBuddy(self.from_edit)
        top = QHBoxLayout()
        top.addWidget(from_label)
        top.addWidget(self.from_edit)
        top.addWidget(QLabel(self.tr("至")))
        top.addWidget(self.to_edit)
        top.addWidget(self.reload_button)
        top.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("kpiSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("kpiTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.explanation = QLabel()
        self.explanation.setObjectName("kpiExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.explanation)

        self.reload_button.clicked.connect(self.reload)
        self.from_edit.dateChanged.connect(lambda _d: self.reload())
        self.to_edit.dateChanged.connect(lambda _d: self.reload())
        self._update_explanation()

    def _month_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, 1))
        edit.setDisplayFormat("yyyy-MM")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(QDate(2000, 1, 1))
        return edit

    # ----------------------------------------------------------------- API
    def months(self) -> tuple[dt.date, dt.date]:
        """The chosen first and last month (first days), in order."""
        first = self.from_edit.date()
        last = self.to_edit.date()
        a = dt.date(first.year(), first.month(), 1)
        b = dt.date(last.year(), last.month(), 1)
        return (a, b) if a <= b else (b, a)

    def set_months(self, first: dt.date, last: dt.date) -> None:
        """Choose the range and read it (one read, not one per picker)."""
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, 1))
            edit.blockSignals(False)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Read on first show or when a reload was asked for while hidden; deferred so
        # that the main window's own reload() right after showing is the only read.
        if self._stale or not self._loaded:
            self._show_timer.start()

    def _reload_if_stale(self) -> None:
        if self._stale or not self._loaded:
            self._reload_now()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def reload(self) -> None:
        """Read the chosen months again; while hidden, only note that it is due."""
        if not self.isVisible():
            self._stale = True
            return
        self._reload_now()

    def _reload_now(self) -> None:
        self._stale = False
        first, last = self.months()
        try:
            target = self.services.parameters.value("kpi.on_time_target")
            rows = self.services.referrals.kpi(first, last)
            order = [d.code for d in self.services.catalogue.departments(include_inactive=True)]
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.target = (
            float(target.value)
            if target is not None and target.value is not None
            else DEFAULT_TARGET
        )
        self._update_explanation()
        self.lines = kpi_lines(rows, self.target, order)
        self._loaded = True
        self._fill()

    # ----------------------------------------------------------------- showing
    def target_text(self) -> str:
        return f"{self.target * 100:g}%"

    def flag_text(self) -> str:
        return self.tr("未达{target}").format(target=self.target_text())

    def _update_explanation(self) -> None:
        self.explanation.setText(
            self.tr(
                "统计口径：转介按到期日所在月份统计。部门已答复（办结或退回）或已过办理时限的转介"
                "计入“应计件数”；在到期日当天或之前于窗口登记部门答复的为“按时办结”，其余（含逾期"
                "仍未答复的）为“超时”。按时率 = 按时办结 ÷ 应计件数。按时率低于{target}的标红并注明"
                "“{flag}”：依据 seed 001，低于{target}的乡镇将被约谈提醒、跟踪督办。目标值取参数"
                " kpi.on_time_target。"
            ).format(target=self.target_text(), flag=self.flag_text())
        )

    def _fill(self) -> None:
        self.table.setRowCount(len(self.lines))
        bold = QFont(self.table.font())
        bold.setBold(True)
        shown_month = ""
        for i, line in enumerate(self.lines):
            month = month_label(line.month) if line.month != shown_month or line.total else ""
            shown_month = line.month
            share = "—" if line.share is None else f"{line.share * 100:.1f}%"
            if line.share is None:
                verdict = self.tr("无应计")
            elif line.below_target:
                verdict = self.flag_text()
            else:
                verdict = self.tr("达标")
            cells = (
                month,
                self.tr("本月全部部门") if line.total else line.department,
                str(line.counted),
                str(line.on_time),
                str(line.late),
                share,
                verdict,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2 and column <= 5:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if line.total:
                    item.setFont(bold)
                    item.setBackground(QBrush(TOTAL_BACKGROUND))
                    item.setForeground(QBrush(MARKED_FOREGROUND))
                if line.below_target:
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    item.setForeground(QBrush(MARKED_FOREGROUND))
                    if column == len(cells) - 1:
                        item.setFont(bold)
                self.table.setItem(i, column, item)
        flagged = [ln for ln in self.lines if ln.below_target and not ln.total]
        first, last = self.months()
        if not self.lines:
            self.summary.setText(
                self.tr("{first}至{last}没有需要考核的转介。").format(
                    first=month_label(f"{first:%Y-%m}"), last=month_label(f"{last:%Y-%m}")
                )
            )
        else:
            self.summary.setText(
                self.tr("{first}至{last}：{count} 个部门·月份的按时率低于{target}。").format(
                    first=month_label(f"{first:%Y-%m}"),
                    last=month_label(f"{last:%Y-%m}"),
                    count=len(flagged),
                    target=self.target_text(),
                )
            )
