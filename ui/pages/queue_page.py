"""转介队列: follow every referral until the receiving department's reply is recorded.

Left, one entry per external department with its counts (待办 · 逾期 · 将到期) and a
"全部部门" entry; right, the referrals of the chosen queue sorted by due date with
filters (status, village, clerk, 受理日期), and below them the chosen referral: why it
was routed there, the papers that were missing, every step with who, when and why, and
the actions its status allows (domain.md §3.3). Each action opens
:class:`~ui.dialogs.referral_action_dialog.ReferralActionDialog` (non-blocking); after
it the counts, the row and the detail are read again.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.intake import ACTION_LABELS, ReferralAction, ReferralStatus, allowed_actions
from desk_app.errors import DeskAppError
from desk_app.services.dto import QueueCount, ReferralDetail, ReferralEventRow
from desk_app.services.referrals import ReferralFilter
from ui.dialogs import ERROR_COLOR, open_dialog
from ui.dialogs.document_preview import Opened, open_preview
from ui.dialogs.referral_action_dialog import ReferralActionDialog
from ui.dialogs.referral_reroute_dialog import ReferralRerouteDialog
from ui.dialogs.referral_timeline_dialog import HouseholdTimelineDialog
from ui.errors import show_error
from ui.i18n import tr_label
from ui.models.referral_table_model import (
    COLUMN_KEYS,
    OVERDUE_BACKGROUND,
    REFERRAL_ROW_ROLE,
    UNCERTAIN_MARK,
    UNCERTAIN_TIP,
    ReferralTableModel,
)
from ui.widgets.timeline_view import kind_label, status_label

log = logging.getLogger(__name__)

DATE_FORMAT = "yyyy-MM-dd"
ALL_DEPARTMENTS = ""
"""Item data of the "全部部门" entry."""
STATUS_OPEN = "open"
STATUS_ALL = "all"
FIND_PAGES = 50
"""How many pages :meth:`QueuePage.show_referral` loads at most to find a row."""

_ACTION_BUTTON_TEXT: dict[ReferralAction, str] = {
    ReferralAction.SEND: "{label}(&O)",
    ReferralAction.ACCEPT: "{label}(&A)",
    ReferralAction.COMPLETE: "{label}(&D)…",
    ReferralAction.RETURN: "{label}(&T)…",
    ReferralAction.REMIND: "{label}(&U)",
    ReferralAction.FOLLOW_UP: "{label}(&W)…",
}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    # A wrapping label's own minimum width is generous; without this the form grows
    # wider than its scroll area (large font) and the text is cut instead of wrapped.
    label.setMinimumWidth(40)
    return label


class ReferralDetailPanel(QWidget):
    """The chosen referral: route reason, papers, result, events and the action buttons.

    Signals ask the page to act, so every change goes through one place.
    """

    action_requested = Signal(object)
    """A :class:`ReferralAction` button was clicked."""
    reroute_requested = Signal()
    """改派 (only for a 退回 referral)."""
    timeline_requested = Signal()
    print_requested = Signal()
    """打印转介单 (D10 with its 回执联) of the shown referral."""
    """一户一条救助链 of the referral's household."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ReferralDetail | None = None
        self.paper_names: dict[str, str] = {}

        self.title = QLabel(self.tr("请在上方选择一条转介"))
        self.title.setObjectName("referralTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)

        self.action_buttons: dict[ReferralAction, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for action in ReferralAction:
            text = _ACTION_BUTTON_TEXT[action].format(
                label=tr_label("registry", ACTION_LABELS[action])
            )
            button = QPushButton(text)
            button.setObjectName(f"action_{action.value}")
            button.clicked.connect(lambda _c=False, a=action: self.action_requested.emit(a))
            self.action_buttons[action] = button
            buttons.addWidget(button)
        self.reroute_button = QPushButton(self.tr("改派(&P)…"))
        self.reroute_button.setToolTip(self.tr("部门退回后，把同一事项转给另一个部门"))
        self.reroute_button.clicked.connect(self.reroute_requested.emit)
        buttons.addWidget(self.reroute_button)
        buttons.addStretch(1)
        self.timeline_button = QPushButton(self.tr("一户一条救助链(&L)"))
        self.timeline_button.setToolTip(self.tr("该户所有诉求、事项与转介，按时间排列"))
        self.timeline_button.clicked.connect(self.timeline_requested.emit)
        self.print_button = QPushButton(self.tr("打印转介单(&Y)…"))
        self.print_button.setObjectName("printReferralButton")
        self.print_button.setToolTip(self.tr("预览并打印随件送往部门的转介单和回执联"))
        self.print_button.clicked.connect(self.print_requested.emit)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.print_button)
        title_row.addWidget(self.timeline_button)

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        self.form_labels: dict[str, QLabel] = {}
        for key, text in (
            ("household", self.tr("户：")),
            ("intake", self.tr("受理：")),
            ("department", self.tr("接收部门：")),
            ("status", self.tr("状态：")),
            ("due", self.tr("办理时限：")),
            ("result", self.tr("办理结果：")),
            ("returned", self.tr("退回原因：")),
            ("reason", self.tr("转介理由：")),
            ("override", self.tr("改变去向：")),
            ("papers", self.tr("受理时缺材料：")),
        ):
            value = _value_label()
            label = QLabel(text)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.values[key] = value
            self.form_labels[key] = label
            form.addRow(label, value)
        # Right under 办理时限: a deadline counted by weekends only must be seen at once.
        self.uncertain_label = _value_label()
        self.uncertain_label.setObjectName("uncertainWarning")
        self.uncertain_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.uncertain_label.setWordWrap(False)  # one short sentence; wrapping left a gap
        due_row = list(self.values).index("due")  # rows were added in this order
        form.insertRow(due_row + 1, "", self.uncertain_label)
        self._form = form
        form_host = QWidget()
        form_box = QVBoxLayout(form_host)
        form_box.setContentsMargins(0, 0, 4, 0)
        form_box.addLayout(form)
        form_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_host)

        self.events = QTableWidget(0, 5)
        self.events.setObjectName("referralEvents")
        self.events.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("经办人"), self.tr("环节"), self.tr("状态"), self.tr("说明")]
        )
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.setWordWrap(True)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        events_box = QGroupBox(self.tr("办理经过（谁、何时、为什么）"))
        events_layout = QVBoxLayout(events_box)
        events_layout.setContentsMargins(6, 6, 6, 6)
        events_layout.addWidget(self.events)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(scroll)
        body.addWidget(events_box)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([460, 500])
        body.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addLayout(buttons)
        layout.addWidget(body, 1)
        self.show_detail(None)

    # ----------------------------------------------------------------- showing
    def show_detail(self, detail: ReferralDetail | None) -> None:
        self.detail = detail
        allowed = set(allowed_actions(detail.row.status)) if detail else set()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)
        self.reroute_button.setEnabled(
            detail is not None and detail.row.status is ReferralStatus.RETURNED
        )
        self.timeline_button.setEnabled(detail is not None)
        self.print_button.setEnabled(detail is not None)
        if detail is None:
            self.title.setText(self.tr("请在上方选择一条转介"))
            for value in self.values.values():
                value.clear()
            self._form.setRowVisible(self.uncertain_label, False)
            self.events.setRowCount(0)
            for key in ("override", "result", "returned"):
                self._set_row_visible(key, False)
            return
        row = detail.row
        self.title.setText(f"{row.number}　{row.matter_name}")
        v = self.values
        v["household"].setText(
            self.tr("{number}　户主 {head}（{village}）").format(
                number=row.household_number, head=row.head_name or "—", village=row.village
            )
        )
        v["intake"].setText(
            self.tr("{number}　{at:%Y-%m-%d %H:%M}　经办人 {clerk}").format(
                number=detail.intake_number, at=row.created_at, clerk=row.clerk
            )
        )
        v["department"].setText(row.department_name)
        v["status"].setText(tr_label("registry", row.status.label))
        v["due"].setText(self._due_text(detail))
        v["reason"].setText(
            self.tr("{reason}\n依据：{basis}").format(reason=detail.reason, basis=detail.basis)
            if detail.basis
            else detail.reason
        )
        v["override"].setText(detail.override_reason)
        self._set_row_visible("override", bool(detail.override_reason))
        missing = [self.paper_names.get(code, code) for code in detail.papers_missing]
        v["papers"].setText("、".join(missing) if missing else self.tr("无（材料齐全）"))
        v["result"].setText(self._result_text(detail))
        self._set_row_visible("result", row.status is ReferralStatus.DONE)
        v["returned"].setText(detail.return_reason)
        self._set_row_visible("returned", bool(detail.return_reason))
        tip = QCoreApplication.translate("ReferralTableModel", UNCERTAIN_TIP)
        self.uncertain_label.setText(f"{UNCERTAIN_MARK}{tip}")
        self._form.setRowVisible(self.uncertain_label, row.due_uncertain)
        self._fill_events(detail.events)

    def _set_row_visible(self, key: str, visible: bool) -> None:
        self._form.setRowVisible(self.values[key], visible)

    def _due_text(self, detail: ReferralDetail) -> str:
        row = detail.row
        due = f"{row.due_date:%Y-%m-%d}"
        if not row.status.open:
            replied = next(
                (e.at for e in reversed(detail.events) if e.kind in ("complete", "return")), None
            )
            if replied is None:
                return due
            on_time = replied.date() <= row.due_date
            return (
                self.tr("{due}（{day:%Y-%m-%d} 登记答复，按时）")
                if on_time
                else self.tr("{due}（{day:%Y-%m-%d} 登记答复，超过期限）")
            ).format(due=due, day=replied)
        if row.overdue:
            return self.tr("{due}（已逾期 {days} 个工作日）").format(due=due, days=-row.days_left)
        if row.days_left <= 0:
            return self.tr("{due}（今日到期）").format(due=due)
        if row.due_soon:
            return self.tr("{due}（将到期：剩余 {days} 个工作日）").format(
                due=due, days=row.days_left
            )
        return self.tr("{due}（剩余 {days} 个工作日）").format(due=due, days=row.days_left)

    def _result_text(self, detail: ReferralDetail) -> str:
        parts = [detail.result]
        if detail.amount is not None:
            parts.append(self.tr("金额 {amount:,.2f} 元").format(amount=detail.amount))
        if detail.result_date is not None:
            parts.append(self.tr("办结日期 {day:%Y-%m-%d}").format(day=detail.result_date))
        return "\n".join(p for p in parts if p)

    def _fill_events(self, events: tuple[ReferralEventRow, ...]) -> None:
        self.events.setRowCount(len(events))
        for i, e in enumerate(events):
            if e.from_status and e.from_status != e.to_status:
                status = f"{status_label(e.from_status)} → {status_label(e.to_status)}"
            else:
                status = status_label(e.to_status)
            note = e.note
            if e.eased is not None:
                eased = tr_label("registry", e.eased.label)
                note = f"{eased}：{note}" if note else eased
            cells = (f"{e.at:%Y-%m-%d %H:%M}", e.actor, kind_label(e.kind), status, note)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4 and text:
                    item.setToolTip(text)
                self.events.setItem(i, column, item)
        self.events.resizeRowsToContents()
        if events:
            self.events.scrollToBottom()


class QueuePage(QWidget):
    """The referral queues.

    Signals: ``referral_changed(referral_id)`` after an action or 改派 was saved;
    ``counts_changed(open, overdue, due_soon)`` whenever the queue counts were read.
    Slots for the main window: :meth:`show_department`, :meth:`show_overdue`,
    :meth:`show_referral`, :meth:`reload`.
    """

    referral_changed = Signal(int)
    """An action or 改派 on this referral (id) was saved."""
    counts_changed = Signal(int, int, int)
    """Open, overdue and due-soon referrals over all departments, after each read."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.counts: tuple[QueueCount, ...] = ()
        self.action_dialog: ReferralActionDialog | ReferralRerouteDialog | None = None
        self.timeline_dialog: HouseholdTimelineDialog | None = None
        self._applying = False
        self._loaded = False
        self._stale = False
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(self._reload_if_stale)
        today = services.context.today()

        # ---- left: queues
        self.department_list = QListWidget()
        self.department_list.setObjectName("queueList")
        self.department_list.setWordWrap(True)
        self.department_list.setSpacing(1)
        queues_label = QLabel(self.tr("转介队列(&Q)"))
        queues_label.setBuddy(self.department_list)
        left = self.queue_column = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(queues_label)
        left_layout.addWidget(self.department_list, 1)

        # ---- right: filters
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("未办结"), STATUS_OPEN)
        self.status_combo.addItem(self.tr("全部状态"), STATUS_ALL)
        for status in ReferralStatus:
            self.status_combo.addItem(tr_label("registry", status.label), status.value)
        self.village_combo = QComboBox()
        self.village_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.clerk_combo = QComboBox()
        self.clerk_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.date_check = QCheckBox(self.tr("受理日期(&J)"))
        self.date_from = QDateEdit(_qdate(today - dt.timedelta(days=30)))
        self.date_to = QDateEdit(_qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setEnabled(False)
        self.reload_button = QPushButton(self.tr("刷新"))
        self.reload_button.setToolTip(self.tr("重新读取队列（F5）"))

        # Two short rows rather than one long one: with the large font (适老化) a single
        # row would need more width than 1366 pixels leave beside the queue list.
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for text, widget in (
            (self.tr("状态(&Z)："), self.status_combo),
            (self.tr("村(&C)："), self.village_combo),
            (self.tr("经办人(&K)："), self.clerk_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.reload_button)

        self.result_label = QLabel()
        self.result_label.setObjectName("queueSummary")
        self.result_label.setWordWrap(True)
        dates = QHBoxLayout()
        dates.setSpacing(6)
        dates.addWidget(self.date_check)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.date_to)
        dates.addSpacing(12)
        dates.addWidget(self.result_label, 1)

        self.model = ReferralTableModel(
            lambda flt, cursor: services.referrals.page(flt, cursor), self
        )
        self.table = QTableView()
        self.table.setObjectName("referralTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self._set_column_widths()

        self.detail_panel = ReferralDetailPanel()

        table_host = QWidget()
        table_layout = QVBoxLayout(table_host)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(filters)
        table_layout.addLayout(dates)
        table_layout.addWidget(self.table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(table_host)
        right.addWidget(self.detail_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        right.setSizes([380, 300])

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([210, 990])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # ---- wiring
        self.department_list.currentItemChanged.connect(lambda *_a: self._apply_filters())
        self.status_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.village_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.clerk_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.date_check.toggled.connect(self._on_date_check_toggled)
        self.date_from.dateChanged.connect(lambda _d: self._apply_filters())
        self.date_to.dateChanged.connect(lambda _d: self._apply_filters())
        self.reload_button.clicked.connect(self.reload)
        self.model.modelReset.connect(self._update_result_label)
        self.model.rowsInserted.connect(lambda *_a: self._update_result_label())
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.detail_panel.action_requested.connect(self.act)
        self.detail_panel.reroute_requested.connect(self.reroute)
        self.detail_panel.timeline_requested.connect(self.show_timeline)
        self.detail_panel.print_requested.connect(self.print_referral)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):  # 大字体 on/off
            self._set_column_widths()

    def _set_column_widths(self) -> None:
        metrics = self.department_list.fontMetrics()
        widest = max(
            metrics.horizontalAdvance("县人力资源和社会保障局"),
            metrics.horizontalAdvance(self.tr("待办 99 · 逾期 99 · 将到期 99")),
        )
        self.queue_column.setMinimumWidth(widest + 36)
        metrics = self.table.fontMetrics()
        samples = {
            "number": "▲ ZJ2026-000000",
            "matter_name": "家庭经济困难学生资助（学费/生",
            "head_name": "欧阳小明",
            "village": "新华村社区",
            "department_name": "县住房和城乡建设局",
            "status": "已转出",
            "due_date": "2026-05-07 ！",
            "days_left": "▲逾期 999",
            "clerk": "经办人",
            "reminders": "催办次数",
        }
        for column, key in enumerate(COLUMN_KEYS):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(samples[key]) + 16)
        # The matter takes what is left (elided, full name in the tooltip): every other
        # column stays readable at 1366×768 without a horizontal scroll bar.
        matter = COLUMN_KEYS.index("matter_name")
        self.table.horizontalHeader().setSectionResizeMode(matter, QHeaderView.ResizeMode.Stretch)

    # ----------------------------------------------------------------- loading
    @property
    def loaded(self) -> bool:
        """The queue has been read at least once."""
        return self._loaded

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Read on first show, or if a reload was asked for while hidden. Deferred: when
        # the main window calls reload() right after showing the page, that one read is
        # enough and the deferred check finds nothing to do.
        if self._stale or not self._loaded:
            self._show_timer.start()

    def _reload_if_stale(self) -> None:
        if self._stale or not self._loaded:
            self._reload_now()

    def reload(self) -> None:
        """Read counts, filter choices, the table and the shown referral again (F5).

        While the page is hidden this only notes that it must be read when shown, so an
        intake saved on another page costs nothing until the clerk opens the queue.
        """
        if not self.isVisible():
            self._stale = True
            return
        self._reload_now()

    def _reload_now(self) -> None:
        self._stale = False
        keep = self.detail_panel.detail.row.id if self.detail_panel.detail else None
        try:
            self.detail_panel.paper_names = {
                p.code: p.name for p in self.services.catalogue.papers()
            }
            villages = self.services.referrals.villages()
            clerks = self.services.referrals.clerks()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._applying = True
        try:
            self._refill(self.village_combo, self.tr("全部村（社区）"), villages)
            self._refill(self.clerk_combo, self.tr("全部经办人"), clerks)
            self._refresh_counts()
        finally:
            self._applying = False
        self._loaded = True
        self._apply_filters(keep, keep_detail=True)

    @staticmethod
    def _refill(combo: QComboBox, all_text: str, values: tuple[str, ...]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(all_text, "")
        for value in values:
            if value:
                combo.addItem(value, value)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)

    def _refresh_counts(self) -> None:
        try:
            self.counts = self.services.referrals.counts()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        was_applying = self._applying
        self._applying = True
        try:
            current = self.department_code()
            self.department_list.clear()
            total = (
                sum(c.open for c in self.counts),
                sum(c.overdue for c in self.counts),
                sum(c.due_soon for c in self.counts),
            )
            self._add_queue_item(self.tr("全部部门"), ALL_DEPARTMENTS, *total, "")
            for c in self.counts:
                self._add_queue_item(
                    c.department_name, c.department_code, c.open, c.overdue, c.due_soon, c.queue
                )
            self._select_department(current)
        finally:
            self._applying = was_applying
        self.counts_changed.emit(*total)

    def _add_queue_item(
        self, name: str, code: str, open_: int, overdue: int, due_soon: int, queue: str
    ) -> None:
        counts = self.tr("待办 {open} · 逾期 {overdue} · 将到期 {soon}").format(
            open=open_, overdue=overdue, soon=due_soon
        )
        item = QListWidgetItem(f"{name}\n{counts}")
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setToolTip(
            self.tr("{queue}队列：{name}").format(queue=queue, name=name) if queue else name
        )
        if overdue:
            item.setBackground(QBrush(OVERDUE_BACKGROUND))
            item.setForeground(QBrush(Qt.GlobalColor.black))
        elif open_ == 0 and code:
            item.setForeground(self.palette().placeholderText())
        if not code:
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        self.department_list.addItem(item)

    def _select_department(self, code: str) -> None:
        for i in range(self.department_list.count()):
            if self.department_list.item(i).data(Qt.ItemDataRole.UserRole) == code:
                self.department_list.setCurrentRow(i)
                return
        self.department_list.setCurrentRow(0)

    # ----------------------------------------------------------------- filters
    def department_code(self) -> str:
        """The chosen queue's department code; '' for 全部部门."""
        row = self.department_list.currentRow()
        if row < 0:
            return ALL_DEPARTMENTS
        code = self.department_list.item(row).data(Qt.ItemDataRole.UserRole)
        return code if isinstance(code, str) else ALL_DEPARTMENTS

    def current_filter(self) -> ReferralFilter:
        key = self.status_combo.currentData()
        if key == STATUS_OPEN:
            statuses = tuple(s for s in ReferralStatus if s.open)
        elif key == STATUS_ALL:
            statuses = ()
        else:
            statuses = (ReferralStatus(key),)
        dated = self.date_check.isChecked()
        return ReferralFilter(
            department_code=self.department_code() or None,
            statuses=statuses,
            village=self.village_combo.currentData() or "",
            clerk=self.clerk_combo.currentData() or "",
            received_from=_to_date(self.date_from.date()) if dated else None,
            received_to=_to_date(self.date_to.date()) if dated else None,
        )

    def set_status_filter(self, key: str) -> None:
        """``open`` (未办结), ``all`` or a :class:`ReferralStatus` value."""
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(key), 0))

    def _on_date_check_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self._apply_filters()

    def _apply_filters(self, keep: int | None = None, *, keep_detail: bool = False) -> None:
        """Load the table for the current filters and re-select ``keep`` (default: the
        referral shown). Not in the loaded rows: the detail is cleared, or with
        ``keep_detail`` read again and kept (a reload must not lose what the clerk reads).
        """
        if self._applying or not self._loaded:
            return
        if keep is None and self.detail_panel.detail is not None:
            keep = self.detail_panel.detail.row.id
        try:
            self.model.set_filter(self.current_filter())
        except DeskAppError as exc:
            show_error(self, exc)
            return
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self._select_row(row)
        elif keep is not None and keep_detail:
            self._reload_detail(keep)
        else:
            self.detail_panel.show_detail(None)

    def _clear_filters(self) -> None:
        self.village_combo.setCurrentIndex(0)
        self.clerk_combo.setCurrentIndex(0)
        self.date_check.setChecked(False)

    def _update_result_label(self) -> None:
        code = self.department_code()
        chosen = [c for c in self.counts if not code or c.department_code == code]
        name = chosen[0].department_name if code and chosen else self.tr("全部部门")
        shown = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        self.result_label.setText(
            self.tr(
                "{name}：未办结 {open} 件，其中逾期 {overdue} 件、将到期 {soon} 件。"
                "下表 {shown}{more} 件，按到期日排序。"
            ).format(
                name=name,
                open=sum(c.open for c in chosen),
                overdue=sum(c.overdue for c in chosen),
                soon=sum(c.due_soon for c in chosen),
                shown=shown,
                more=more,
            )
        )

    # ----------------------------------------------------------------- slots for the lead
    def show_department(self, code: str) -> None:
        """Show the open referrals of one department's queue ('' = all departments)."""
        if not self._loaded or self._stale:
            self._reload_now()
        self._applying = True
        try:
            self._clear_filters()
            self.set_status_filter(STATUS_OPEN)
            self._select_department(code)
        finally:
            self._applying = False
        self._apply_filters()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_overdue(self) -> None:
        """All departments' open referrals; overdue ones sort first, the first is chosen."""
        self.show_department(ALL_DEPARTMENTS)
        first = self.model.row_at(0)
        if first is not None and first.overdue:
            self._select_row(0)

    def show_referral(self, referral_id: int) -> None:
        """Show one referral: its queue, its row (loading pages as needed) and its detail."""
        try:
            detail = self.services.referrals.detail(referral_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        if not self._loaded or self._stale:
            self._reload_now()
        self._applying = True
        try:
            self._clear_filters()
            self.set_status_filter(STATUS_OPEN if detail.row.status.open else STATUS_ALL)
            self._select_department(detail.row.department_code)
        finally:
            self._applying = False
        self._apply_filters(referral_id)
        row = self.model.row_of(referral_id)
        pages = 0
        root = self.model.index(-1, -1)
        while row < 0 and self.model.canFetchMore(root) and pages < FIND_PAGES:
            self.model.fetchMore(root)
            row = self.model.row_of(referral_id)
            pages += 1
        if row >= 0:
            self._select_row(row)
        else:
            self.detail_panel.show_detail(detail)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----------------------------------------------------------------- selection
    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _on_table_selection_changed(
        self, selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        row = self.model.data(indexes[0], REFERRAL_ROW_ROLE)
        if row is None:
            return
        try:
            self.detail_panel.show_detail(self.services.referrals.detail(row.id))
        except DeskAppError as exc:
            show_error(self, exc)

    def selected_detail(self) -> ReferralDetail | None:
        return self.detail_panel.detail

    # ----------------------------------------------------------------- actions
    def act(self, action: ReferralAction) -> ReferralActionDialog | None:
        """Open the dialog for ``action`` on the shown referral (non-blocking)."""
        detail = self.detail_panel.detail
        if detail is None or action not in allowed_actions(detail.row.status):
            return None
        referral_id, version = detail.row.id, detail.row.version
        dialog = ReferralActionDialog(
            detail,
            action,
            lambda a, reply: self.services.referrals.act(referral_id, version, a, reply),
            today=self.services.context.today,
            parent=self,
        )
        self._open(dialog)
        return dialog

    def reroute(self) -> ReferralRerouteDialog | None:
        """改派 the shown 退回 referral to another department (non-blocking)."""
        detail = self.detail_panel.detail
        if detail is None or detail.row.status is not ReferralStatus.RETURNED:
            return None
        try:
            departments = self.services.catalogue.departments()
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        referral_id, version = detail.row.id, detail.row.version
        dialog = ReferralRerouteDialog(
            detail,
            departments,
            lambda code, reason: self.services.referrals.reroute(
                referral_id, version, code, reason
            ),
            parent=self,
        )
        self._open(dialog)
        return dialog

    def _open(self, dialog: ReferralActionDialog | ReferralRerouteDialog) -> None:
        self.action_dialog = dialog
        # finished (not accepted): a dialog closed on a concurrent change must reload too.
        dialog.finished.connect(lambda _r: self._after_dialog(dialog))
        open_dialog(dialog)

    def _after_dialog(self, dialog: ReferralActionDialog | ReferralRerouteDialog) -> None:
        if self.action_dialog is dialog:
            self.action_dialog = None
        result = dialog.result_detail
        if dialog.stale:
            # Another window acted first: show what is stored now.
            self._refresh_counts()
            self._apply_filters(dialog.detail.row.id, keep_detail=True)
            return
        if result is None:
            return
        self._refresh_counts()
        if result.row.id != dialog.detail.row.id:  # 改派 made a new referral
            self._apply_filters(result.row.id)
            if self.model.row_of(result.row.id) < 0:
                self.detail_panel.show_detail(result)
        else:
            self.model.replace_row(result.row)
            self.detail_panel.show_detail(result)
        self._update_result_label()
        self.referral_changed.emit(result.row.id)

    def _reload_detail(self, referral_id: int) -> None:
        try:
            detail = self.services.referrals.detail(referral_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.model.replace_row(detail.row)
        self.detail_panel.show_detail(detail)

    def print_referral(self) -> Opened:
        """打印转介单 of the shown referral: preview, then print or save (logged)."""
        detail = self.detail_panel.detail
        if detail is None:
            return None
        try:
            content = self.services.documents.referral(detail.row.id)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        return open_preview(
            self, self.services.documents, content, household_id=detail.row.household_id
        )

    def show_timeline(self) -> HouseholdTimelineDialog | None:
        """一户一条救助链 of the shown referral's household, in a non-modal window."""
        detail = self.detail_panel.detail
        if detail is None:
            return None
        row = detail.row
        title = self.tr("户 {number}　户主 {head}（{village}）").format(
            number=row.household_number, head=row.head_name or "—", village=row.village
        )
        try:
            dialog = HouseholdTimelineDialog.for_household(
                self.services, row.household_id, title, self
            )
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self.timeline_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "timeline_dialog", None))
        return dialog
