"""The household page: members, categories and history of one household, with its actions.

It shows a :class:`HouseholdDetail` and asks the registry page (through signals) to run
the actions, so that every change goes through one place that calls the services.

救助测算… opens :class:`~ui.dialogs.assessment_dialog.AssessmentDialog` itself (it only
reads the household and records decisions through the assistance service), and the line
beside the button summarises the latest recorded decision.

打印文书 opens the household's documents and its archive (:mod:`ui.pages.household_documents`);
the 公示 line shows the latest posted notice the household is on and where its case stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.household import HOUSEHOLD_FIELDS, PERSON_FIELDS
from desk_app.domain.registry import (
    ChildStatus,
    DisabilityCategory,
    HouseholdCategory,
    Relation,
    ResidenceType,
)
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.assistance import DecisionRow
from desk_app.services.dto import CategoryRecord, HouseholdDetail, PersonDetail
from ui.dialogs import open_dialog
from ui.dialogs.assessment_dialog import AssessmentDialog
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.household_documents import DocumentsMenu, notice_state_text
from ui.widgets.reveal import NOT_ALLOWED_TEXT, MemberNumbers

_CONTEXT = "HouseholdPanel"

_EVENT_KINDS = {
    "registered": QT_TRANSLATE_NOOP("HouseholdPanel", "登记建户"),
    "household_updated": QT_TRANSLATE_NOOP("HouseholdPanel", "修改户信息"),
    "member_added": QT_TRANSLATE_NOOP("HouseholdPanel", "添加成员"),
    "person_updated": QT_TRANSLATE_NOOP("HouseholdPanel", "修改成员信息"),
    "member_moved_in": QT_TRANSLATE_NOOP("HouseholdPanel", "成员迁入"),
    "member_moved_out": QT_TRANSLATE_NOOP("HouseholdPanel", "成员迁出"),
    "head_changed": QT_TRANSLATE_NOOP("HouseholdPanel", "变更户主"),
    "category_added": QT_TRANSLATE_NOOP("HouseholdPanel", "添加类别"),
    "category_ended": QT_TRANSLATE_NOOP("HouseholdPanel", "结束类别"),
}
"""History kinds as the clerk reads them (context ``HouseholdPanel``)."""

_GRADES = {
    1: QT_TRANSLATE_NOOP("HouseholdPanel", "一级"),
    2: QT_TRANSLATE_NOOP("HouseholdPanel", "二级"),
    3: QT_TRANSLATE_NOOP("HouseholdPanel", "三级"),
    4: QT_TRANSLATE_NOOP("HouseholdPanel", "四级"),
}

# Short flags for the members table; shorter than the form's field labels on purpose.
_REMARKS = (
    ("major_illness", QT_TRANSLATE_NOOP("HouseholdPanel", "重特大疾病")),
    ("chronic_illness", QT_TRANSLATE_NOOP("HouseholdPanel", "慢性病")),
    ("mental_disorder", QT_TRANSLATE_NOOP("HouseholdPanel", "精神障碍")),
    ("bedridden", QT_TRANSLATE_NOOP("HouseholdPanel", "卧床")),
    ("left_behind", QT_TRANSLATE_NOOP("HouseholdPanel", "留守")),
    ("living_alone", QT_TRANSLATE_NOOP("HouseholdPanel", "独居")),
    ("solitary", QT_TRANSLATE_NOOP("HouseholdPanel", "孤寡")),
    ("dropped_out", QT_TRANSLATE_NOOP("HouseholdPanel", "辍学")),
)


def _tr(source: str) -> str:
    return QCoreApplication.translate(_CONTEXT, source)


def event_kind_text(kind: str) -> str:
    """The history's 事项 column; an unknown kind shows as stored."""
    source = _EVENT_KINDS.get(kind)
    return _tr(source) if source is not None else kind


def member_remarks(m: PersonDetail) -> str:
    """Short flags for the members table: disability, illness, care and child status."""
    parts: list[str] = []
    if m.has_disability_cert and m.disability_category:
        grade = _GRADES.get(m.disability_grade or 0)
        parts.append(
            tr_label("registry", DisabilityCategory(m.disability_category).label)
            + (_tr(grade) if grade else "")
        )
    parts.extend(_tr(label) for flag, label in _REMARKS if getattr(m, flag))
    if m.child_status != ChildStatus.NONE.value:
        parts.append(tr_label("registry", ChildStatus(m.child_status).label))
    # A role without the permission sees a note, not a blank that reads as "none" (#8).
    if m.health_hidden:
        parts.append(_tr("残疾疾病") + _tr(NOT_ALLOWED_TEXT))
    if m.child_hidden:
        parts.append(_tr("儿童情况") + _tr(NOT_ALLOWED_TEXT))
    return QCoreApplication.translate("HouseholdPanel", "、").join(parts)


class HouseholdPanel(QWidget):
    """Signals ask the page to act on the shown household."""

    edit_household_requested = Signal()
    """修改户信息."""
    add_member_requested = Signal()
    """添加成员."""
    edit_member_requested = Signal(int)
    """修改成员; carries the person id."""
    move_member_requested = Signal(int)
    """迁移成员; carries the person id."""
    change_head_requested = Signal(int)
    """设为户主 for the given person id."""
    timeline_requested = Signal()
    """一户一条救助链: every request, matter and referral of the shown household."""
    add_category_requested = Signal()
    """添加类别."""
    end_category_requested = Signal(int)
    """结束类别; carries the category record id."""

    def __init__(
        self,
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        services: Services | None = None,
    ) -> None:
        """``today``: the services' date (``services.context.today``), for active categories.

        ``services`` (for 救助测算): when not given, those of the nearest enclosing page
        with a ``services`` attribute (the registry page) are used.
        """
        super().__init__(parent)
        self.detail: HouseholdDetail | None = None
        self._today = today
        self._services = services

        self.title = QLabel(self.tr("请在左侧搜索并选择一户，或按 Ctrl+N 新建户"))
        self.title.setObjectName("householdTitle")
        self.title.setWordWrap(True)
        self._scale_title()

        self.info = QFormLayout()
        self.info_labels: dict[str, QLabel] = {}
        for key, label in (
            ("number", self.tr("户编号")), ("township", self.tr("乡镇（街道）")),
            ("village", tr_label("fields", HOUSEHOLD_FIELDS["village"])),
            ("group_name", tr_label("fields", HOUSEHOLD_FIELDS["group_name"])),
            ("residence", tr_label("fields", HOUSEHOLD_FIELDS["residence"])),
            ("address", tr_label("fields", HOUSEHOLD_FIELDS["address"])),
        ):  # fmt: skip
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info_labels[key] = value
            self.info.addRow(label + "：", value)
        info_box = QGroupBox(self.tr("户籍信息"))
        info_box.setLayout(self.info)

        self.edit_household_button = QPushButton(self.tr("修改户信息(&E)"))
        self.add_member_button = QPushButton(self.tr("添加成员(&A)"))
        self.edit_member_button = QPushButton(self.tr("修改成员(&M)"))
        self.move_member_button = QPushButton(self.tr("迁移成员(&V)"))
        self.change_head_button = QPushButton(self.tr("设为户主(&H)"))
        self.timeline_button = QPushButton(self.tr("救助链(&L)"))
        self.timeline_button.setToolTip(
            self.tr("一户一条救助链：本户每次受理、每个事项和转介的经过")
        )
        buttons = QHBoxLayout()
        for b in (self.edit_household_button, self.add_member_button, self.edit_member_button,
                  self.move_member_button, self.change_head_button):  # fmt: skip
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.timeline_button)
        self.timeline_button.clicked.connect(self.timeline_requested)

        self.assessment_button = QPushButton(self.tr("救助测算(&J)…"))
        self.assessment_button.setObjectName("assessmentButton")
        self.assessment_button.setToolTip(
            self.tr("按本户情况测算低保、临时救助、医疗救助等，并记录审核结论")
        )
        self.assessment_button.clicked.connect(self.open_assessment)
        self.assessment_label = QLabel()
        self.assessment_label.setObjectName("assessmentSummary")
        self.assessment_label.setWordWrap(True)
        self.assessment_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info.addRow(self.tr("救助审核："), self.assessment_label)
        # 打印文书 (issue #6): the menu and the household's latest 公示 state.
        self.documents_button = QPushButton(self.tr("打印文书(&D)"))
        self.documents_button.setObjectName("documentsButton")
        self.documents_menu = DocumentsMenu(self.find_services, lambda: self.detail, self)
        self.documents_button.setMenu(self.documents_menu)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("noticeSummary")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info.addRow(self.tr("公示："), self.notice_label)
        # 近亲属备案 (seed 003 篇三; issue #8): flag a household related to a clerk or a village
        # official, so everyone handling it sees the filing.
        self.near_relative_label = QLabel()
        self.near_relative_label.setObjectName("nearRelativeFlag")
        self.near_relative_label.setWordWrap(True)
        self.near_relative_label.setTextFormat(Qt.TextFormat.PlainText)
        self.near_relative_label.setStyleSheet("color: #8a5a00;")
        self.info.addRow(self.tr("近亲属备案："), self.near_relative_label)

        self.members = QTableWidget(0, 6)
        self.members.setHorizontalHeaderLabels([
            tr_label("fields", PERSON_FIELDS["name"]), tr_label("fields", PERSON_FIELDS["relation"]),
            self.tr("性别"), self.tr("年龄"), tr_label("fields", PERSON_FIELDS["id_number"]),
            self.tr("残疾、疾病与关爱"),
        ])  # fmt: skip
        self._setup_table(self.members)
        self.members.itemSelectionChanged.connect(self._update_buttons)
        self.members.itemDoubleClicked.connect(
            lambda _i: self._emit_member(self.edit_member_requested)
        )

        self.categories = QTableWidget(0, 4)
        self.categories.setHorizontalHeaderLabels(
            [self.tr("类别"), self.tr("开始日期"), self.tr("结束日期"), self.tr("备注")]
        )
        self._setup_table(self.categories)
        self.categories.itemSelectionChanged.connect(self._update_buttons)
        self.add_category_button = QPushButton(self.tr("添加类别(&C)"))
        self.end_category_button = QPushButton(self.tr("结束所选类别"))
        category_buttons = QHBoxLayout()
        category_buttons.addWidget(self.add_category_button)
        category_buttons.addWidget(self.end_category_button)
        category_buttons.addStretch(1)
        category_page = QWidget()
        category_layout = QVBoxLayout(category_page)
        category_layout.addWidget(self.categories)
        category_layout.addLayout(category_buttons)

        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(
            [
                self.tr("时间"),
                self.tr("经办人"),
                self.tr("事项"),
                self.tr("成员"),
                self.tr("变更内容"),
            ]
        )
        self._setup_table(self.history)
        # A change list is often longer than the panel is wide: wrap it, never cut it off.
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.tabs = QTabWidget()
        self.tabs.addTab(category_page, self.tr("类别与标识"))
        self.tabs.addTab(self.history, self.tr("变更历史"))

        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        # 显示完整 of the selected member's numbers, for roles that may (#8).
        self.member_numbers = MemberNumbers(self.find_services, self.members, 4, self)
        title_row.addWidget(self.member_numbers.button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.assessment_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.documents_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addWidget(info_box)
        layout.addLayout(buttons)
        layout.addWidget(self.members, 1)
        layout.addWidget(self.tabs, 1)

        self.edit_household_button.clicked.connect(self.edit_household_requested)
        self.add_member_button.clicked.connect(self.add_member_requested)
        self.edit_member_button.clicked.connect(
            lambda: self._emit_member(self.edit_member_requested)
        )
        self.move_member_button.clicked.connect(
            lambda: self._emit_member(self.move_member_requested)
        )
        self.change_head_button.clicked.connect(
            lambda: self._emit_member(self.change_head_requested)
        )
        self.add_category_button.clicked.connect(self.add_category_requested)
        self.end_category_button.clicked.connect(self._on_end_category_button_clicked)
        self.show_detail(None)

    def _scale_title(self) -> None:
        # An explicitly set font no longer follows the application font, so the title is
        # re-derived whenever the large-font option changes it.
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._scale_title()
        super().changeEvent(event)

    @staticmethod
    def _setup_table(table: QTableWidget) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setAlternatingRowColors(True)

    def show_detail(self, detail: HouseholdDetail | None, select_person: int | None = None) -> None:
        self.detail = detail
        for value_label in self.info_labels.values():
            value_label.clear()
        for table in (self.members, self.categories, self.history):
            table.setRowCount(0)
        self.show_latest_decision()
        self.show_notice_state()
        if detail is None:
            self.title.setText(self.tr("请在左侧搜索并选择一户，或按 Ctrl+N 新建户"))
            self._update_buttons()
            return
        head = detail.head
        self.title.setText(
            self.tr("{head}户 · {count}人").format(
                head=head.name if head else self.tr("（无户主）"), count=len(detail.members)
            )
        )
        values = {
            "number": detail.number, "township": detail.township, "village": detail.village,
            "group_name": detail.group_name,
            "residence": tr_label("registry", ResidenceType(detail.residence).label),
            "address": detail.address,
        }  # fmt: skip
        for key, value in values.items():
            self.info_labels[key].setText(value)
        for row, m in enumerate(detail.members):
            self.members.insertRow(row)
            relation = tr_label("registry", Relation(m.relation).label) if m.relation else ""
            for col, text in enumerate(
                (m.name, relation, m.sex, str(m.age), m.id_masked, member_remarks(m))
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                self.members.setItem(row, col, item)
            if m.id == select_person:
                self.members.selectRow(row)
        today = self._today()
        for row, c in enumerate(detail.categories):
            self.categories.insertRow(row)
            active = c.active_on(today)
            label = tr_label("registry", HouseholdCategory(c.category).label)
            for col, text in enumerate((label, c.start_date.isoformat(),
                                        c.end_date.isoformat() if c.end_date else self.tr("至今"), c.note)):  # fmt: skip
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                if not active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.categories.setItem(row, col, item)
        for row, e in enumerate(detail.events):
            self.history.insertRow(row)
            changes = "\n".join(  # one changed field per line
                f"{tr_label('fields', PERSON_FIELDS.get(f, HOUSEHOLD_FIELDS.get(f, f)))}：{old or '—'} → {new or '—'}"
                for f, old, new in e.changes
            )
            texts = (
                e.at.strftime("%Y-%m-%d %H:%M"),
                e.actor,
                event_kind_text(e.kind),
                e.person_name,
                changes,
            )
            for col, text in enumerate(texts):
                self.history.setItem(row, col, QTableWidgetItem(text))
        self._update_buttons()

    # ----------------------------------------------------------------- 救助测算
    def find_services(self) -> Services | None:
        """The services for 救助测算: given, or those of the enclosing page."""
        if self._services is not None:
            return self._services
        widget = self.parentWidget()
        while widget is not None:
            found = getattr(widget, "services", None)
            if isinstance(found, Services):
                return found
            widget = widget.parentWidget()
        return None

    def show_latest_decision(self) -> None:
        """One line: the latest recorded 审核结论 of the shown household, if any."""
        services = self.find_services()
        if self.detail is None or services is None:
            self.assessment_label.clear()
            return
        try:
            decisions = services.assistance.decisions(self.detail.id)
        except DeskAppError:
            # Only a summary line: the dialog shows any error when it is opened.
            self.assessment_label.clear()
            return
        latest = decisions[0] if decisions else None
        self.assessment_label.setText(decision_summary(latest))
        self.assessment_label.setToolTip(
            self.tr("最近一次审核结论。理由：{reason}；审核人：{actor}").format(
                reason=latest.reason or "—", actor=latest.actor
            )
            if latest
            else ""
        )

    def show_notice_state(self) -> None:
        """One line: the latest posted 公示 the shown household is on, and its state there."""
        services = self.find_services()
        if self.detail is None or services is None:
            self.notice_label.clear()
            return
        try:
            state = services.notices.household_state(self.detail.id)
        except DeskAppError:
            self.notice_label.clear()  # only a summary line; the 公示 page shows errors
            return
        self.notice_label.setText(notice_state_text(state))
        self.show_near_relatives()

    def show_near_relatives(self) -> None:
        services = self.find_services()
        if self.detail is None or services is None:
            self.info.setRowVisible(self.near_relative_label, False)
            return
        try:
            entries = services.near_relatives.entries(self.detail.id)
        except DeskAppError:
            self.info.setRowVisible(self.near_relative_label, False)
            return
        self.near_relative_label.setText(
            "；".join(
                self.tr("{person}与{official}（{position}）系{relation}，{day}备案").format(
                    person=e.person_name or self.tr("本户"),
                    official=e.official_name,
                    position=e.official_position,
                    relation=e.relationship,
                    day=e.filed_on.isoformat(),
                )
                for e in entries
            )
        )
        # Shown only when there is a filing: a flag, not one more empty line in the panel.
        self.info.setRowVisible(self.near_relative_label, bool(entries))

    def open_assessment(self) -> AssessmentDialog | None:
        """救助测算与审核 for the shown household (window-modal)."""
        services = self.find_services()
        if self.detail is None or services is None:
            return None
        try:
            dialog = AssessmentDialog(services, self.detail.id, self)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        dialog.decision_recorded.connect(lambda _row: self.show_latest_decision())
        return open_dialog(dialog)

    def selected_member(self) -> PersonDetail | None:
        if self.detail is None:
            return None
        rows = self.members.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.members.item(rows[0].row(), 0)
        person_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((m for m in self.detail.members if m.id == person_id), None)

    def selected_category(self) -> CategoryRecord | None:
        if self.detail is None:
            return None
        rows = self.categories.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.categories.item(rows[0].row(), 0)
        record_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((c for c in self.detail.categories if c.id == record_id), None)

    def selected_category_id(self) -> int | None:
        record = self.selected_category()
        return record.id if record is not None else None

    def _emit_member(self, signal: SignalInstance) -> None:
        member = self.selected_member()
        if member is not None:
            signal.emit(member.id)

    def _on_end_category_button_clicked(self) -> None:
        record = self.selected_category()
        if record is not None and record.end_date is None:
            self.end_category_requested.emit(record.id)

    def _update_buttons(self) -> None:
        has = self.detail is not None
        member = self.selected_member()
        self.member_numbers.set_person(member)
        for b in (self.edit_household_button, self.add_member_button, self.add_category_button,
                  self.timeline_button):  # fmt: skip
            b.setEnabled(has)
        self.assessment_button.setEnabled(has and self.find_services() is not None)
        self.documents_button.setEnabled(has and self.find_services() is not None)
        self.edit_member_button.setEnabled(member is not None)
        self.move_member_button.setEnabled(member is not None)
        self.change_head_button.setEnabled(
            member is not None and member.relation != Relation.HEAD.value
        )
        # Only an open record can be ended; an ended one keeps its date (the service agrees).
        category = self.selected_category()
        self.end_category_button.setEnabled(category is not None and category.end_date is None)


def decision_summary(decision: DecisionRow | None) -> str:
    """The panel's line about the latest 审核结论 (``None``: nothing recorded yet)."""
    if decision is None:
        return _tr("尚无审核记录")
    differs = _tr("（不同于测算）") if decision.differs else ""
    return _tr("{day} {title}：结论 {decided}，测算 {proposed}{differs}").format(
        day=decision.on.isoformat(),
        title=decision.subject_title,
        proposed=decision.proposed or "—",
        decided=decision.decided,
        differs=differs,
    )
