"""节假日: the holiday table for years chinese-calendar does not know (domain.md §3.3).

Deadlines count Chinese working days. For 2004–2026 the program uses the State Council's
arrangements shipped in chinese-calendar; for later years the administrator enters each
day off and each 调休 working day from the 国务院办公厅 notice, then marks the year
complete with that notice as the source. Until then, deadlines reaching the year are
counted by weekends only and say so; marking the year complete counts them again.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.errors import DeskAppError, ValidationError
from desk_app.services.calendar import HolidayRow, YearStatus
from ui.dialogs import (
    ERROR_COLOR,
    FORM_STYLE,
    ProblemLabel,
    add_row,
    form_layout,
    unmark_on_change,
)
from ui.errors import show_error
from ui.pages.admin_common import (
    BANNER_STYLE,
    OK_COLOR,
    AdminTab,
    clear_problems,
    date_text,
    fill_row,
    from_qdate,
    note_label,
    scrolling,
    selected_code,
    setup_table,
    show_problems,
    status_label,
    table_item,
    ui_problem,
    weekday_text,
)

log = logging.getLogger(__name__)

COLUMNS = ("日期", "星期", "类型", "名称")
FIRST_YEAR = 2004
MAX_RANGE_DAYS = 31
HOLIDAY_NAMES = (
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
    "中秋节、国庆节",
    "调休上班",
)


class HolidaysTab(AdminTab):
    """节假日: a year's entered days, adding and removing days, and marking the year complete.

    Signals: ``unknown_years_changed(tuple)`` with the years still unknown ahead, for the
    page's tab marker.
    """

    unknown_years_changed = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self.status_info: YearStatus | None = None
        self.unknown_ahead: tuple[int, ...] = ()
        today = services.context.today()

        self.banner = QLabel()
        self.banner.setObjectName("holidayBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.goto_button = QPushButton()
        self.goto_button.setObjectName("gotoUnknownYear")
        self.goto_button.hide()

        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("holidayYear")
        self.year_spin.setRange(FIRST_YEAR, today.year + 10)
        self.year_spin.setValue(today.year)
        self.year_status = QLabel()
        self.year_status.setObjectName("yearStatus")
        self.year_status.setWordWrap(True)
        self.year_status.setTextFormat(Qt.TextFormat.PlainText)

        self.table = QTableWidget()
        self.table.setObjectName("holidayTable")
        setup_table(self.table, [self.tr(c) for c in COLUMNS])
        self.remove_button = QPushButton(self.tr("删除所选日期(&D)"))
        self.remove_button.setObjectName("removeDay")
        self.remove_button.setEnabled(False)

        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("holidayFrom")
        self.until_edit = QDateEdit()
        self.until_edit.setObjectName("holidayUntil")
        for edit in (self.day_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.off_radio = QRadioButton(self.tr("放假(&O)"))
        self.work_radio = QRadioButton(self.tr("调休上班(&W)"))
        self.off_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.off_radio)
        self.kind_group.addButton(self.work_radio)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("holidayName")
        self.name_edit.setMaxLength(40)
        self.name_edit.setPlaceholderText(self.tr("如：春节；调休的日子填“调休上班”"))
        completer = QCompleter([self.tr(n) for n in HOLIDAY_NAMES], self.name_edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.name_edit.setCompleter(completer)
        self.complete_note = note_label(
            self.tr(
                "本年已标记完整。此后添加或删除的日期用于今后计算的期限；"
                "已经算出的未办结期限不会自动重算。"
            )
        )
        self.complete_note.hide()
        self.add_problems = ProblemLabel()
        self.add_status = status_label()
        self.add_button = QPushButton(self.tr("添加(&A)"))
        self.add_button.setObjectName("addDay")

        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("yearSource")
        self.source_edit.setMaxLength(200)
        self.source_edit.setPlaceholderText(
            self.tr("如：国务院办公厅关于2027年部分节假日安排的通知")
        )
        self.mark_problems = ProblemLabel()
        self.mark_status = status_label()
        self.mark_button = QPushButton(self.tr("标记本年已录入完整(&M)"))
        self.mark_button.setObjectName("markYear")
        self.unmark_button = QPushButton(self.tr("撤销完整标记"))
        self.unmark_button.setObjectName("unmarkYear")

        self._build_layout()
        self._add_widgets = {"day": self.day_edit, "until": self.until_edit, "name": self.name_edit}
        self._mark_widgets = {"source": self.source_edit}
        unmark_on_change(self.name_edit)
        unmark_on_change(self.until_edit)
        unmark_on_change(self.source_edit)

        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(selected_code(self.table) is not None)
        )
        self.remove_button.clicked.connect(self.remove_selected)
        self.day_edit.dateChanged.connect(self._on_day_changed)
        self.work_radio.toggled.connect(self._on_kind_toggled)
        self.add_button.clicked.connect(self.add_days)
        self.mark_button.clicked.connect(lambda: self.mark(True))
        self.unmark_button.clicked.connect(lambda: self.mark(False))
        self.goto_button.clicked.connect(self._go_to_first_unknown)
        self._set_date_range()

    def _build_layout(self) -> None:
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.goto_button, 0, Qt.AlignmentFlag.AlignVCenter)

        year_row = QHBoxLayout()
        year_label = QLabel(self.tr("年份(&Y)："))
        year_label.setBuddy(self.year_spin)
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_spin)
        year_row.addSpacing(12)
        year_row.addWidget(self.year_status, 1)

        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        left.addLayout(remove_row)

        add_box = QGroupBox(self.tr("添加日期"))
        add_layout = QVBoxLayout(add_box)
        form = form_layout()
        add_row(form, self.tr("日期(&T)："), self.day_edit)
        add_row(form, self.tr("至(&U)："), self.until_edit)
        kind = QHBoxLayout()
        kind.addWidget(self.off_radio)
        kind.addWidget(self.work_radio)
        kind.addStretch(1)
        add_row(form, self.tr("类型："), kind, self.off_radio)
        add_row(form, self.tr("名称(&N)："), self.name_edit)
        add_layout.addLayout(form)
        add_layout.addWidget(
            note_label(
                self.tr("连续放假的几天可一次添加：填写起止日期。周末放假也请录入，与通知一致。")
            )
        )
        add_layout.addWidget(self.complete_note)
        add_layout.addWidget(self.add_problems)
        add_buttons = QHBoxLayout()
        add_buttons.addWidget(self.add_status, 1)
        add_buttons.addWidget(self.add_button)
        add_layout.addLayout(add_buttons)

        mark_box = QGroupBox(self.tr("本年已录入完整"))
        mark_layout = QVBoxLayout(mark_box)
        mark_form = form_layout()
        add_row(mark_form, self.tr("依据(&B)："), self.source_edit)
        mark_layout.addLayout(mark_form)
        mark_layout.addWidget(
            note_label(
                self.tr(
                    "全部放假和调休上班日期录入后再标记。标记后，按周末暂算的"
                    "未办结期限将按本表重新计算。"
                )
            )
        )
        mark_layout.addWidget(self.mark_problems)
        mark_buttons = QHBoxLayout()
        mark_buttons.addWidget(self.mark_status, 1)
        mark_buttons.addWidget(self.unmark_button)
        mark_buttons.addWidget(self.mark_button)
        mark_layout.addLayout(mark_buttons)

        right = QVBoxLayout()
        right.addWidget(add_box)
        right.addWidget(mark_box)
        right.addStretch(1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(scrolling(right_widget), 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(banner_row)
        layout.addLayout(year_row)
        layout.addLayout(body, 1)

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        self.refresh_banner()
        if self.unknown_ahead and not self._year_chosen:
            self.year_spin.setValue(self.unknown_ahead[0])
        self._show_year()

    _year_chosen = False

    def refresh_banner(self) -> tuple[int, ...]:
        """Show the amber banner when a year deadlines may reach has no holidays entered."""
        try:
            unknown = self.services.calendar.unknown_years_ahead()
        except DeskAppError as exc:
            show_error(self, exc)
            return self.unknown_ahead
        self.unknown_ahead = unknown
        if unknown:
            years = "、".join(self.tr("{year}年").format(year=y) for y in unknown)
            self.banner.setText(
                self.tr(
                    "注意：{years}的节假日安排尚未录入。到期日落在上述年份的期限暂按周末计算，"
                    "可能与实际放假安排不符。请按国务院办公厅公布的放假通知录入，并标记本年已录入完整。"
                ).format(years=years)
            )
            self.goto_button.setText(self.tr("录入{year}年(&I)").format(year=unknown[0]))
        self.banner.setVisible(bool(unknown))
        self.goto_button.setVisible(bool(unknown))
        self.unknown_years_changed.emit(unknown)
        return unknown

    def year(self) -> int:
        return self.year_spin.value()

    def _on_year_changed(self, _year: int) -> None:
        self._year_chosen = True
        self._set_date_range()
        self._show_year()

    def _go_to_first_unknown(self) -> None:
        if self.unknown_ahead:
            self.year_spin.setValue(self.unknown_ahead[0])
            self.day_edit.setFocus()

    def _set_date_range(self) -> None:
        year = self.year()
        for edit in (self.day_edit, self.until_edit):
            edit.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
            edit.setDate(QDate(year, 1, 1))

    def _on_day_changed(self, day: QDate) -> None:
        if self.until_edit.date() < day or self.until_edit.date() > day.addDays(MAX_RANGE_DAYS):
            self.until_edit.setDate(day)

    def _on_kind_toggled(self, workday: bool) -> None:
        if workday and not self.name_edit.text().strip():
            self.name_edit.setText(self.tr("调休上班"))
        elif not workday and self.name_edit.text() == self.tr("调休上班"):
            self.name_edit.clear()

    def _show_year(self) -> None:
        year = self.year()
        try:
            status = self.services.calendar.year_status(year)
            days = self.services.calendar.days(year)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.status_info = status
        self._fill_table(days)
        text, warn = self._status_text(status)
        self.year_status.setText(text)
        self.year_status.setStyleSheet(f"color: {ERROR_COLOR if warn else OK_COLOR};")
        self.mark_button.setVisible(not status.complete)
        self.mark_button.setEnabled(not status.known_by_library)
        self.unmark_button.setVisible(status.complete)
        self.complete_note.setVisible(status.complete)
        self.source_edit.setEnabled(not status.known_by_library and not status.complete)
        self.source_edit.setText(status.source)
        clear_problems(self.mark_problems, self._mark_widgets)
        clear_problems(self.add_problems, self._add_widgets)

    def _status_text(self, status: YearStatus) -> tuple[str, bool]:
        """The status line and whether it is a warning (red)."""
        year = status.year
        if status.complete:
            return self.tr("{year}年：已录入完整（依据：{source}）").format(
                year=year, source=status.source
            ), False
        if status.known_by_library:
            text = self.tr("{year}年：使用国家公布的安排（chinese-calendar）").format(year=year)
            if status.entered_days:
                text += self.tr("；另有本表录入的 {n} 天优先使用").format(n=status.entered_days)
            return text, False
        if status.entered_days:
            return self.tr(
                "{year}年：已录入 {n} 天，尚未标记完整，期限暂按周末和已录入的日期计算"
            ).format(year=year, n=status.entered_days), True
        return self.tr("{year}年：尚未录入，期限暂按周末计算").format(year=year), True

    def _fill_table(self, days: tuple[HolidayRow, ...]) -> None:
        self.table.setRowCount(len(days))
        for row, d in enumerate(days):
            kind = self.tr("调休上班") if d.workday else self.tr("放假")
            fill_row(
                self.table,
                row,
                (
                    table_item(date_text(d.day), code=d.day.isoformat()),
                    table_item(weekday_text(d.day), center=True),
                    table_item(kind, color=ERROR_COLOR if d.workday else "", center=True),
                    table_item(d.name),
                ),
            )
        self.remove_button.setEnabled(False)

    # ----------------------------------------------------------------- actions
    def add_days(self) -> bool:
        first = from_qdate(self.day_edit.date())
        last = from_qdate(self.until_edit.date())
        workday = self.work_radio.isChecked()
        name = self.name_edit.text()
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            show_problems(
                self.add_problems,
                [
                    ui_problem(
                        "until",
                        self.tr("至"),
                        self.tr("结束日期应在开始日期当天或之后，一次最多{n}天").format(
                            n=MAX_RANGE_DAYS
                        ),
                    )
                ],
                self._add_widgets,
            )
            return False
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        try:
            for day in days:
                self.services.calendar.set_day(day, workday, name)
        except ValidationError as exc:
            show_problems(self.add_problems, exc.problems, self._add_widgets)
            self.add_status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            self._show_year()
            return False
        log.info("holiday table: %d day(s) from %s entered", len(days), first)
        self._after_change()
        kind = self.tr("调休上班") if workday else self.tr("放假")
        span = date_text(first) if first == last else f"{date_text(first)} 至 {date_text(last)}"
        self.add_status.setText(
            self.tr("已添加 {span}（{kind}，{name}）").format(
                span=span, kind=kind, name=name.strip()
            )
        )
        self.name_edit.clear()
        return True

    def remove_selected(self) -> bool:
        code = selected_code(self.table)
        if code is None:
            return False
        day = dt.date.fromisoformat(str(code))
        try:
            self.services.calendar.remove_day(day)
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("holiday table: %s removed", day)
        self._after_change()
        self.add_status.setText(self.tr("已删除 {day}").format(day=date_text(day)))
        return True

    def mark(self, complete: bool) -> bool:
        status = self.status_info
        if status is None:
            return False
        if complete and status.entered_days == 0:
            show_problems(
                self.mark_problems,
                [
                    ui_problem(
                        "days",
                        self.tr("节假日"),
                        self.tr("本年还没有录入任何放假日期，请先按通知录入，再标记完整"),
                    )
                ],
                self._mark_widgets,
            )
            return False
        try:
            self.services.calendar.mark_year(status.year, complete, self.source_edit.text())
        except ValidationError as exc:
            show_problems(self.mark_problems, exc.problems, self._mark_widgets)
            self.mark_status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("holiday year %s marked complete=%s", status.year, complete)
        self._after_change()
        self.mark_status.setText(
            self.tr("已标记{year}年录入完整；按周末暂算的未办结期限已重新计算。").format(
                year=status.year
            )
            if complete
            else self.tr("已撤销{year}年的完整标记。").format(year=status.year)
        )
        return True

    def _after_change(self) -> None:
        self.add_status.clear()
        self.mark_status.clear()
        self.refresh_banner()
        self._show_year()
        self.changed.emit("holidays")
