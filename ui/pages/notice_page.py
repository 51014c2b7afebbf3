"""公示: notices for a village or the whole township, their objection period and objections.

The list shows every notice (newest first); the pane below shows the chosen notice's
households with where each case stands (``NoticeService.entries``: 有异议待处理 and
异议成立 are marked by colour *and* by their text) and the objections recorded.

Lifecycle (domain.md §2.1, issue #6): 新建公示 drafts the rows from the registry (what a
公示 may show only) → 预览/打印 → 张贴 fixes the posting date and the objection period
(the posted sheet is archived as ``publish``, and printing it again is recorded as
``publish`` too) → objections are recorded and settled → 结束公示 once the period has
passed with no open objection. Every refusal shows the service's own message.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.documents import NoticeStage
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.notices import EntryRow, EntryState, NoticeInfo, ObjectionRow
from ui.dialogs import ERROR_COLOR, open_dialog
from ui.dialogs.document_preview import PUBLISH_ACTION, Opened, open_preview
from ui.dialogs.notice_dialogs import (
    NoticeDraftDialog,
    NoticePostDialog,
    ObjectionDialog,
    ResolveObjectionDialog,
    scope_text,
)
from ui.errors import show_error
from ui.i18n import tr_label

log = logging.getLogger(__name__)

_C = "NoticePage"

NOTICE_COLUMNS = (
    QT_TRANSLATE_NOOP("NoticePage", "编号"),
    QT_TRANSLATE_NOOP("NoticePage", "类型"),
    QT_TRANSLATE_NOOP("NoticePage", "救助项目"),
    QT_TRANSLATE_NOOP("NoticePage", "范围"),
    QT_TRANSLATE_NOOP("NoticePage", "期间"),
    QT_TRANSLATE_NOOP("NoticePage", "状态"),
    QT_TRANSLATE_NOOP("NoticePage", "张贴日期"),
    QT_TRANSLATE_NOOP("NoticePage", "异议截止"),
    QT_TRANSLATE_NOOP("NoticePage", "户数"),
    QT_TRANSLATE_NOOP("NoticePage", "未处理异议"),
)
ENTRY_COLUMNS = (
    QT_TRANSLATE_NOOP("NoticePage", "序号"),
    QT_TRANSLATE_NOOP("NoticePage", "户主姓名"),
    QT_TRANSLATE_NOOP("NoticePage", "村/组"),
    QT_TRANSLATE_NOOP("NoticePage", "保障人数"),
    QT_TRANSLATE_NOOP("NoticePage", "类别"),
    QT_TRANSLATE_NOOP("NoticePage", "金额（元/月）"),
    QT_TRANSLATE_NOOP("NoticePage", "办理状态"),
)
OBJECTION_COLUMNS = (
    QT_TRANSLATE_NOOP("NoticePage", "收到日期"),
    QT_TRANSLATE_NOOP("NoticePage", "对象"),
    QT_TRANSLATE_NOOP("NoticePage", "方式"),
    QT_TRANSLATE_NOOP("NoticePage", "异议内容"),
    QT_TRANSLATE_NOOP("NoticePage", "处理情况"),
    QT_TRANSLATE_NOOP("NoticePage", "核查结论"),
)
OPEN_BACKGROUND = QColor("#fff3cd")
"""有异议待处理: amber, as due-soon rows elsewhere."""
UPHELD_BACKGROUND = QColor("#f8d7da")
"""异议成立: the case stops — light red, as overdue rows elsewhere."""
_OBJECTION_STATUS = {
    "open": QT_TRANSLATE_NOOP("NoticePage", "待处理"),
    "upheld": QT_TRANSLATE_NOOP("NoticePage", "异议成立"),
    "dismissed": QT_TRANSLATE_NOOP("NoticePage", "异议不成立"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def status_text(info: NoticeInfo, today: dt.date) -> str:
    """草稿 / 公示中 / 期满待结束 / 长期公示中 / 已结束."""
    if info.status == "draft":
        return _tr("草稿（未张贴）")
    if info.status == "closed":
        return _tr("已结束")
    if info.stage is NoticeStage.STANDING:
        return _tr("长期公示中")
    if info.objection_until is not None and today > info.objection_until:
        return _tr("期满待结束")
    return _tr("公示中")


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([_tr(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class NoticePage(QWidget):
    """Signals: ``changed(notice_id)`` after any change (drafted, posted, objection, closed)."""

    changed = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.infos: list[NoticeInfo] = []
        self.entries: tuple[EntryRow, ...] = ()
        self.objections: tuple[ObjectionRow, ...] = ()
        self.dialog: object = None
        """The dialog the page opened last (tests and screenshots reach it here)."""

        self.new_button = QPushButton(_tr("新建公示(&N)…"))
        self.preview_button = QPushButton(_tr("预览/打印(&P)…"))
        self.post_button = QPushButton(_tr("张贴(&T)…"))
        self.close_button = QPushButton(_tr("结束公示(&E)"))
        self.close_button.setToolTip(_tr("公示期满且异议都已处理后，结束公示，相关户可继续办理"))
        self.reload_button = QPushButton(_tr("刷新"))
        top = QHBoxLayout()
        for b in (self.new_button, self.preview_button, self.post_button, self.close_button):
            top.addWidget(b)
        top.addStretch(1)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        top.addWidget(self.reload_button)

        self.table = _table(NOTICE_COLUMNS, "noticeTable")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_notice_selected)
        self.table.itemDoubleClicked.connect(lambda _i: self.preview())

        self.title = QLabel(_tr("请在上方选择一份公示"))
        self.title.setObjectName("noticeTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)

        self.entry_table = _table(ENTRY_COLUMNS, "entryTable")
        self.entry_table.itemSelectionChanged.connect(self._update_buttons)
        entries_box = QGroupBox(_tr("公示名单与办理状态"))
        entries_layout = QVBoxLayout(entries_box)
        entries_layout.setContentsMargins(6, 6, 6, 6)
        entries_layout.addWidget(self.entry_table)

        self.objection_table = _table(OBJECTION_COLUMNS, "objectionTable")
        self.objection_table.setWordWrap(True)
        self.objection_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch
        )
        self.objection_table.horizontalHeader().setStretchLastSection(False)
        self.objection_table.horizontalHeader().setSectionResizeMode(
            5, QHeaderView.ResizeMode.Stretch
        )
        self.objection_table.itemSelectionChanged.connect(self._update_buttons)
        self.objection_button = QPushButton(_tr("记录异议(&O)…"))
        self.resolve_button = QPushButton(_tr("处理异议(&C)…"))
        objection_buttons = QHBoxLayout()
        objection_buttons.addWidget(self.objection_button)
        objection_buttons.addWidget(self.resolve_button)
        objection_buttons.addStretch(1)
        objections_box = QGroupBox(_tr("异议（谁、何时、如何处理）"))
        objections_layout = QVBoxLayout(objections_box)
        objections_layout.setContentsMargins(6, 6, 6, 6)
        objections_layout.addLayout(objection_buttons)
        objections_layout.addWidget(self.objection_table)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(entries_box)
        body.addWidget(objections_box)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(body, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.new_button.clicked.connect(self.new_notice)
        self.preview_button.clicked.connect(self.preview)
        self.post_button.clicked.connect(self.post)
        self.close_button.clicked.connect(self.close_notice)
        self.reload_button.clicked.connect(self.reload)
        self.objection_button.clicked.connect(self.record_objection)
        self.resolve_button.clicked.connect(self.resolve_objection)
        self._update_buttons()

    # ------------------------------------------------------------------ loading
    def showEvent(self, event: QShowEvent) -> None:
        # Read each time the page is opened: other pages record decisions and households,
        # and the states of a notice move with the date.
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    def reload(self, keep: int | None = None) -> None:
        """Read the notices again, keeping the chosen one (or choosing ``keep``)."""
        keep = keep if keep is not None else self.selected_id()
        try:
            infos = self.services.notices.notices()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.infos = list(infos)
        today = self.services.context.today()
        self.table.blockSignals(True)
        self.table.setRowCount(len(infos))
        for row, info in enumerate(infos):
            texts = (
                info.number,
                tr_label("documents", info.stage.label),
                tr_label("documents", info.scheme),
                scope_text(info.village),
                info.period_label,
                status_text(info, today),
                _day(info.posted_on),
                _day(info.objection_until),
                str(info.households),
                str(info.open_objections) if info.open_objections else "",
            )
            for col, text in enumerate(texts):
                item = _item(text, align_right=col in (8, 9))
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                if info.open_objections and col == 9:
                    item.setForeground(QBrush(QColor(ERROR_COLOR)))
                    item.setBackground(QBrush(OPEN_BACKGROUND))
                if info.status == "closed":
                    item.setForeground(QBrush(Qt.GlobalColor.gray))
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self.count_label.setText(_tr("共 {count} 份公示").format(count=len(infos)))
        index = next((i for i, info in enumerate(infos) if info.id == keep), 0 if infos else -1)
        if index >= 0:
            self.table.selectRow(index)
        self._on_notice_selected()

    def selected_info(self) -> NoticeInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        notice_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((i for i in self.infos if i.id == notice_id), None)

    def selected_id(self) -> int | None:
        info = self.selected_info()
        return info.id if info else None

    def select_notice(self, notice_id: int) -> None:
        for row, info in enumerate(self.infos):
            if info.id == notice_id:
                self.table.selectRow(row)
                return

    def _on_notice_selected(self) -> None:
        info = self.selected_info()
        self.entries, self.objections = (), ()
        if info is not None:
            try:
                self.entries = self.services.notices.entries(info.id)
                self.objections = self.services.notices.objections(info.id)
            except DeskAppError as exc:
                show_error(self, exc)
        self._show_detail(info)

    def _show_detail(self, info: NoticeInfo | None) -> None:
        if info is None:
            self.title.setText(_tr("请在上方选择一份公示，或新建公示"))
        else:
            period = (
                _tr("异议期至 {day}").format(day=info.objection_until.isoformat())
                if info.objection_until
                else _tr("长期公示，随时可提异议")
                if info.stage is NoticeStage.STANDING
                else _tr("张贴后计算异议期")
            )
            self.title.setText(
                _tr("{number}　{stage}（{scheme}）　{scope}　{period_label}　{status}　{period}").format(
                    number=info.number,
                    stage=tr_label("documents", info.stage.label),
                    scheme=tr_label("documents", info.scheme),
                    scope=scope_text(info.village),
                    period_label=info.period_label,
                    status=status_text(info, self.services.context.today()),
                    period=period,
                )
            )  # fmt: skip
        self.entry_table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            texts = (
                str(row + 1), e.row.head_name, e.row.village_group, str(e.row.people_covered),
                tr_label("documents", e.row.category), f"{e.row.monthly_amount:,.2f}",
                tr_label("documents", e.state.label),
            )  # fmt: skip
            background = {
                EntryState.OBJECTION_OPEN: OPEN_BACKGROUND,
                EntryState.OBJECTION_UPHELD: UPHELD_BACKGROUND,
            }.get(e.state)
            for col, text in enumerate(texts):
                item = _item(text, align_right=col in (0, 3, 5))
                item.setData(Qt.ItemDataRole.UserRole, e.household_id)
                if background is not None:
                    item.setBackground(QBrush(background))
                    if col == 6:
                        item.setForeground(QBrush(QColor(ERROR_COLOR)))
                self.entry_table.setItem(row, col, item)
        self.objection_table.setRowCount(len(self.objections))
        for row, o in enumerate(self.objections):
            status = _tr(_OBJECTION_STATUS.get(o.status, o.status))
            if o.late:
                status += _tr("（期满后收到）")
            resolution = (
                f"{o.resolved_on.isoformat()}：{o.resolution}" if o.resolved_on else o.resolution
            )
            cells = (
                o.received_on.isoformat(), o.head_name, tr_label("documents", o.channel),
                o.summary, status, resolution,
            )  # fmt: skip
            for col, text in enumerate(cells):
                item = _item(text)
                item.setData(Qt.ItemDataRole.UserRole, o.id)
                if o.status == "open":
                    item.setBackground(QBrush(OPEN_BACKGROUND))
                self.objection_table.setItem(row, col, item)
        self.objection_table.resizeRowsToContents()
        self._update_buttons()

    def selected_entry(self) -> EntryRow | None:
        rows = self.entry_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.entries[rows[0].row()] if rows[0].row() < len(self.entries) else None

    def selected_objection(self) -> ObjectionRow | None:
        rows = self.objection_table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.objections[row] if row < len(self.objections) else None

    def _update_buttons(self) -> None:
        info = self.selected_info()
        status = info.status if info else None
        self.preview_button.setEnabled(info is not None)
        self.post_button.setEnabled(status == "draft")
        self.close_button.setEnabled(status == "posted")
        self.objection_button.setEnabled(status in ("posted", "closed"))
        objection = self.selected_objection()
        self.resolve_button.setEnabled(objection is not None and objection.status == "open")

    # ------------------------------------------------------------------ actions
    def _after_change(self, notice_id: int) -> None:
        self.reload(keep=notice_id)
        self.changed.emit(notice_id)

    def new_notice(self) -> NoticeDraftDialog | None:
        try:
            villages = self.services.households.villages()
            site = self.services.site.get()
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        dialog = NoticeDraftDialog(
            self.services.notices, villages, site, self.services.context.today(), self
        )
        dialog.drafted.connect(lambda draft: self._after_change(draft.notice.id))
        self.dialog = dialog
        return open_dialog(dialog)

    def preview(self) -> Opened:
        """预览/打印 the chosen notice; printing a posted one is recorded as publishing."""
        info = self.selected_info()
        if info is None:
            return None
        try:
            content = self.services.notices.content(info.id)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        opened = open_preview(
            self, self.services.documents, content, publish=info.status == "posted"
        )
        self.dialog = opened
        return opened

    def post(self) -> NoticePostDialog | None:
        info = self.selected_info()
        if info is None or info.status != "draft":
            return None
        notice_id, version = info.id, info.version
        dialog = NoticePostDialog(
            info,
            lambda day: self.services.notices.post(notice_id, day, version),
            self.services.context.today(),
            self,
        )
        dialog.accepted.connect(lambda: self._after_post(notice_id))
        dialog.finished.connect(lambda _r: self.reload(keep=notice_id) if dialog.stale else None)
        self.dialog = dialog
        return open_dialog(dialog)

    def _after_post(self, notice_id: int) -> None:
        """The posted sheet is archived at once (``publish``) and shown, ready to print."""
        self._after_change(notice_id)
        try:
            content = self.services.notices.content(notice_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.dialog = open_preview(
            self, self.services.documents, content, publish=True, archive_on_open=PUBLISH_ACTION
        )

    def record_objection(self) -> ObjectionDialog | None:
        info = self.selected_info()
        if info is None or info.status == "draft":
            return None
        entry = self.selected_entry()
        notice_id = info.id
        dialog = ObjectionDialog(
            info,
            self.entries,
            lambda household, day, channel, summary: self.services.notices.record_objection(
                notice_id, household, day, channel, summary
            ),
            self.services.context.today(),
            self,
            household_id=entry.household_id if entry else None,
        )
        self.dialog = dialog
        return open_dialog(dialog, lambda: self._after_change(notice_id))

    def resolve_objection(self) -> ResolveObjectionDialog | None:
        objection = self.selected_objection()
        if objection is None or objection.status != "open":
            return None
        dialog = ResolveObjectionDialog(
            objection,
            lambda upheld, text, day: self.services.notices.resolve_objection(
                objection.id, upheld, text, day
            ),
            self.services.context.today(),
            self,
        )
        self.dialog = dialog
        return open_dialog(dialog, lambda: self._after_change(objection.notice_id))

    def close_notice(self) -> NoticeInfo | None:
        """结束公示: refused with the service's reason while the period runs or objections
        are open."""
        info = self.selected_info()
        if info is None:
            return None
        try:
            closed = self.services.notices.close(info.id, info.version)
        except DeskAppError as exc:
            show_error(self, exc)
            self.reload(keep=info.id)
            return None
        log.info("notice closed from the page: %s", closed.id)
        self._after_change(closed.id)
        return closed
