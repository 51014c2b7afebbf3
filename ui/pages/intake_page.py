"""窗口受理: one household's requests in one sitting, each matter routed with a deadline.

Three steps side by side, all reachable from the keyboard (domain.md §2.1 steps 0–2,
§3.1–§3.3):

1. 来访家庭 (Alt+1): search as on the registry page, Enter picks; Alt+N registers a new
   household. Then who came, how, and how urgent.
2. 诉求事项 (Alt+2): type a name or pinyin initials, Enter ticks the best match. Matters
   the household's own data points to are offered above (Ctrl+Alt+1…; Ctrl+1… belongs to
   the main window's navigation).
3. 去向与材料 (Alt+3): the route the catalogue proposes for each matter, why, its deadline
   and the papers still missing (一次性告知); the selected matter's papers are ticked here
   and its route can be changed with a reason.

Every change asks ``IntakeService.propose`` again (no writes). 保存受理 (Ctrl+S or
Ctrl+Enter) is one ``IntakeService.save``: all or nothing. A refused save keeps every
field as typed and marks what to fix; a saved one shows the receipt in the page, and
打印受理回执 (Ctrl+P) previews and prints the D2 受理回执 for the applicant.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.intake import CameAs, Channel, Handling, Urgency
from desk_app.domain.registry import HouseholdCategory, Relation
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.catalogue import CauseRow, DepartmentRow, MatterRow
from desk_app.services.dto import HouseholdDetail, IntakeReceipt, RouteProposal, Suggestion
from desk_app.services.intake import IntakeInput, MatterChoice
from ui.dialogs import (
    ERROR_COLOR,
    FORM_STYLE,
    ProblemLabel,
    add_row,
    chain_tab_order,
    form_layout,
    problem_line,
    set_invalid,
    unmark_on_change,
)
from ui.dialogs.document_preview import Opened, open_preview
from ui.dialogs.household_dialog import HouseholdDialog
from ui.errors import show_error
from ui.i18n import tr_label
from ui.models.matter_route_model import (
    DEADLINE,
    MATTER,
    MISSING,
    ROUTE,
    MatterRouteModel,
    basis_text,
    due_text,
    route_text,
)
from ui.models.person_search_model import PERSON_ROW_ROLE, PersonSearchModel
from ui.pages.registry_page import search_mode_text
from ui.widgets.enum_combo import EnumCombo
from ui.widgets.matter_picker import MatterPicker

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150
MAX_SUGGESTIONS = 6
"""Suggestions get Ctrl+Alt+1 … Ctrl+Alt+6; more would be noise at the counter.

Not Ctrl+digit: the main window's navigation owns Ctrl+1…7, and two shortcuts on one key
in one window make Qt do nothing at all ("Ambiguous shortcut overload")."""
_PREVIEW_REASON = "待填写"
"""Stands in for a change reason not typed yet, so ``propose`` can preview the new route.

``save`` gets the clerk's real text and refuses an empty one (problem ``route.<code>``).
"""
_WARNING_COLOR = "#b35900"


class _WrappedLabel(QLabel):
    """A word-wrapped label that asks its layout for the height its text needs.

    Layouts inside a QSplitter or QScrollArea do not honour height-for-width, so a long
    wrapped text (members, a route's seed basis) would be cut off at the bottom; with its
    minimum height kept up to date the page scrolls instead (large font at 1366×768).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def clear(self) -> None:
        super().clear()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(max(self.width(), 50)) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)


@dataclass
class _Choice:
    """What the clerk decided for one matter so far (kept while the matter is unticked)."""

    papers: set[str] = field(default_factory=set)
    handling: Handling | None = None
    department: str | None = None
    reason: str = ""


class IntakePage(QWidget):
    """Signals: ``intake_saved(IntakeReceipt)``, ``household_opened(household_id)``."""

    intake_saved = Signal(object)
    """An intake was saved; carries its :class:`IntakeReceipt`."""
    household_opened = Signal(int)
    """The clerk asked to open this household in the registry."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self._detail: HouseholdDetail | None = None
        self._matters: dict[str, MatterRow] = {}
        self._departments: list[DepartmentRow] = []
        self._choices: dict[str, _Choice] = {}
        self._selected: str | None = None
        self._receipt: IntakeReceipt | None = None
        self._searched_once = False
        self._suggestion_buttons: list[QPushButton] = []

        self.stack = QStackedWidget()
        self.form_page = QWidget()
        self.receipt_page = QWidget()
        self.stack.addWidget(self.form_page)
        self.stack.addWidget(self.receipt_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.step1 = self._build_household_step()
        self.step2 = self._build_matter_step()
        self.step3 = self._build_route_step()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for step in (self.step1, self.step2, self.step3):
            self.splitter.addWidget(step)
        # Extra width goes to the routes, whose department names are the longest texts.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([350, 300, 550])

        self.problem_label = ProblemLabel()
        self.save_button = QPushButton(self.tr("保存受理"))
        self.save_button.setObjectName("saveIntake")
        self.save_button.setToolTip(self.tr("保存本次受理（Ctrl+S 或 Ctrl+Enter）"))
        self.save_hint = QLabel(
            self.tr("Alt+1 来访家庭　Alt+2 诉求事项　Alt+3 去向与材料　Ctrl+S 保存受理")
        )
        self.save_hint.setEnabled(False)
        bottom = QHBoxLayout()  # the problems take the hint's place while there are any
        bottom.addWidget(self.save_hint, 1)
        bottom.addWidget(self.problem_label, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        # The steps scroll when the screen is too small (large font at 1366×768); the
        # problems and 保存受理 below them never do.
        self.steps_scroll = QScrollArea()
        self.steps_scroll.setObjectName("intakeScroll")
        self.steps_scroll.setWidgetResizable(True)
        self.steps_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.steps_scroll.setWidget(self.splitter)
        form_layout_ = QVBoxLayout(self.form_page)
        form_layout_.setContentsMargins(0, 0, 0, 0)
        form_layout_.addWidget(self.steps_scroll, 1)
        form_layout_.addLayout(bottom)

        self._build_receipt_page()
        self._build_shortcuts()
        self._set_tab_order()
        self._connect()
        self.reload_catalogue()
        self._show_household(None)
        self._show_selected(None)

    # ================================================================= building
    def _build_household_step(self) -> QGroupBox:
        box = QGroupBox(self.tr("① 来访家庭（Alt+1）"))
        self.search_box = QLineEdit()
        self.search_box.setObjectName("intakeSearchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(self.tr("姓名、拼音或证号尾号"))
        self.search_box.setToolTip(
            self.tr("输入姓名、拼音首字母（如 zs）或身份证号码后几位，回车选择（Alt+1）")
        )
        self.new_household_button = QPushButton(self.tr("新建户(&N)"))
        self.new_household_button.setToolTip(self.tr("登记一个新的家庭户并为其受理（Alt+N）"))
        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("查找："))
        search_label.setBuddy(self.search_box)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.new_household_button)

        # Results while searching; the picked household with who came once picked.
        self.household_stack = QStackedWidget()
        results = QWidget()
        self.result_label = _WrappedLabel()
        self.model = PersonSearchModel(
            lambda text, cursor: self.services.search.search(text, cursor), self
        )
        self.results = QTableView()
        self.results.setObjectName("intakeSearchResults")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().setVisible(False)
        self.results.setAlternatingRowColors(True)
        self.results.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.results.horizontalHeader().setStretchLastSection(True)
        # The column is narrow: 性别, 户编号 and 组 show in the summary once picked, and
        # 村（社区） comes before the relation, which can be long (孙子女/外孙子女).
        for column in (2, 5, 7):
            self.results.setColumnHidden(column, True)
        self.results.horizontalHeader().moveSection(6, 4)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.result_label)
        results_layout.addWidget(self.results, 1)

        picked = QWidget()
        self.summary_title = _WrappedLabel()
        self.summary_title.setObjectName("householdTitle")
        title_font = self.summary_title.font()
        title_font.setBold(True)
        self.summary_title.setFont(title_font)
        self.summary_label = _WrappedLabel()
        self.summary_label.setObjectName("householdSummary")
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.open_household_button = QPushButton(self.tr("查看户籍(&O)"))
        self.open_household_button.setToolTip(self.tr("在“户籍与成员”中打开这一户"))
        self.applicant_combo = QComboBox()
        self.applicant_combo.setObjectName("applicantCombo")
        self.came_as_combo: EnumCombo[CameAs] = EnumCombo(CameAs)
        self.agent_name_edit = QLineEdit()
        self.agent_name_edit.setMaxLength(40)
        self.agent_name_edit.setPlaceholderText(self.tr("姓名"))
        self.agent_relation_edit = QLineEdit()
        self.agent_relation_edit.setMaxLength(20)
        self.agent_relation_edit.setPlaceholderText(self.tr("如：女儿"))
        self.agent_relation_edit.setToolTip(self.tr("来办人与申请人的关系，如：女儿、村干部"))
        self.channel_combo: EnumCombo[Channel] = EnumCombo(Channel)
        self.urgency_combo: EnumCombo[Urgency] = EnumCombo(Urgency)
        form = form_layout()
        add_row(form, self.tr("申请人(&A)："), self.applicant_combo)
        add_row(form, self.tr("来办人(&C)："), self.came_as_combo)
        # Shown only when a guardian or proxy came: the usual case keeps the form short.
        agent_row = QHBoxLayout()
        agent_row.addWidget(self.agent_name_edit, 3)
        relation_label = QLabel(self.tr("关系(&L)："))
        relation_label.setBuddy(self.agent_relation_edit)
        agent_row.addWidget(relation_label)
        agent_row.addWidget(self.agent_relation_edit, 2)
        add_row(form, self.tr("来办人姓名(&E)："), agent_row, buddy=self.agent_name_edit)
        self._who_form = form
        self._agent_form_row = form.rowCount() - 1
        add_row(form, self.tr("来源渠道(&Q)："), self.channel_combo)
        add_row(form, self.tr("紧急程度(&U)："), self.urgency_combo)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_title, 1)
        summary_row.addWidget(self.open_household_button)
        picked_layout = QVBoxLayout(picked)
        picked_layout.setContentsMargins(0, 0, 0, 0)
        picked_layout.addLayout(summary_row)
        picked_layout.addWidget(self.summary_label)
        picked_layout.addLayout(form)
        picked_layout.addStretch(1)
        self.household_stack.addWidget(results)
        self.household_stack.addWidget(picked)

        self.causes_list = QListWidget()
        self.causes_list.setObjectName("causesList")
        self.causes_list.setFlow(QListView.Flow.LeftToRight)
        self.causes_list.setWrapping(True)
        self.causes_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.causes_list.setAccessibleName(self.tr("困难原因"))
        causes_label = QLabel(self.tr("困难原因(&K)（可多选，空格勾选）："))
        causes_label.setBuddy(self.causes_list)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText(self.tr("来访情况、群众诉说的困难等（最多2000字）"))
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 2 + 14)
        note_label = QLabel(self.tr("备注(&B)："))
        note_label.setBuddy(self.note_edit)

        layout = QVBoxLayout(box)
        layout.addLayout(search_row)
        layout.addWidget(self.household_stack, 1)
        layout.addWidget(causes_label)
        layout.addWidget(self.causes_list)
        layout.addWidget(note_label)
        layout.addWidget(self.note_edit)
        return box

    def _build_matter_step(self) -> QGroupBox:
        box = QGroupBox(self.tr("② 诉求事项（Alt+2）"))
        self.suggestion_box = QWidget()
        self.suggestion_layout = QVBoxLayout(self.suggestion_box)
        self.suggestion_layout.setContentsMargins(0, 0, 0, 0)
        self.suggestion_layout.setSpacing(2)
        self.suggestion_title = QLabel(self.tr("建议询问（按 Ctrl+Alt+数字 勾选）："))
        self.suggestion_layout.addWidget(self.suggestion_title)
        self.picker = MatterPicker()
        self.chosen_label = _WrappedLabel()
        layout = QVBoxLayout(box)
        layout.addWidget(self.suggestion_box)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.chosen_label)
        return box

    def _build_route_step(self) -> QGroupBox:
        box = QGroupBox(self.tr("③ 去向与材料（Alt+3）"))
        self.route_model = MatterRouteModel(self)
        self.routes = QTableView()
        self.routes.setObjectName("routeTable")
        self.routes.setModel(self.route_model)
        self.routes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.routes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.routes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.routes.verticalHeader().setVisible(False)
        self.routes.setWordWrap(True)
        header = self.routes.horizontalHeader()
        # Matter and route share the room; dates and counts take what they need.
        header.setSectionResizeMode(MATTER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROUTE, QHeaderView.ResizeMode.Stretch)
        for column in (DEADLINE, MISSING):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.routes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows = self.routes.fontMetrics().lineSpacing() * 2 + 10
        self.routes.setMinimumHeight(header.sizeHint().height() + rows * 2 + 4)
        self.routes.setAccessibleName(self.tr("各事项的去向"))

        self.deadline_warning = _WrappedLabel()
        self.deadline_warning.setObjectName("deadlineWarning")
        self.deadline_warning.setStyleSheet(f"color: {_WARNING_COLOR}; font-weight: bold;")

        self.detail_box = QGroupBox()
        self.detail_label = _WrappedLabel()
        self.detail_label.setObjectName("routeDetail")
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.papers_list = QListWidget()
        self.papers_list.setObjectName("papersList")
        self.papers_list.setAccessibleName(self.tr("已收材料"))
        papers_label = QLabel(self.tr("已收材料(&P)（空格勾选）："))
        papers_label.setBuddy(self.papers_list)
        self.missing_label = _WrappedLabel()
        self.missing_label.setObjectName("missingPapers")
        self.missing_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.handling_combo: EnumCombo[Handling] = EnumCombo(Handling)
        self.handling_combo.setObjectName("handlingCombo")
        self.department_combo = QComboBox()
        self.department_combo.setObjectName("departmentCombo")
        self.department_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("改变建议去向时必填"))
        self.restore_button = QPushButton(self.tr("恢复建议(&J)"))
        self.restore_button.setToolTip(self.tr("改回事项目录建议的去向"))
        route_form = form_layout()
        change_row = QHBoxLayout()
        change_row.addWidget(self.handling_combo)
        department_label = QLabel(self.tr("部门(&T)："))
        department_label.setBuddy(self.department_combo)
        change_row.addWidget(department_label)
        change_row.addWidget(self.department_combo, 1)
        add_row(route_form, self.tr("改派(&D)："), change_row, buddy=self.handling_combo)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_edit, 1)
        reason_row.addWidget(self.restore_button)
        add_row(route_form, self.tr("改派理由(&Y)："), reason_row, buddy=self.reason_edit)

        detail_layout = QVBoxLayout(self.detail_box)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(papers_label)
        detail_layout.addWidget(self.papers_list)
        detail_layout.addWidget(self.missing_label)
        detail_layout.addLayout(route_form)

        layout = QVBoxLayout(box)
        layout.addWidget(self.routes, 1)
        layout.addWidget(self.deadline_warning)
        layout.addWidget(self.detail_box)
        return box

    def _build_receipt_page(self) -> None:
        self.receipt_view = QTextBrowser()
        self.receipt_view.setObjectName("receiptView")
        self.receipt_view.setOpenLinks(False)
        self.new_intake_button = QPushButton(self.tr("新的受理(&W)"))
        self.new_intake_button.setToolTip(self.tr("开始下一次受理（Ctrl+Shift+N）"))
        self.receipt_household_button = QPushButton(self.tr("查看户籍(&O)"))
        self.print_receipt_button = QPushButton(self.tr("打印受理回执(&Z)…"))
        self.print_receipt_button.setObjectName("printReceiptButton")
        self.print_receipt_button.setToolTip(
            self.tr("预览并打印交给申请人的受理回执，含一次性告知的缺少材料（Ctrl+P）")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(
            QLabel(self.tr("受理已保存。转介的事项可在“转介队列”中跟踪，直到部门答复。")), 1
        )
        buttons.addWidget(self.print_receipt_button)
        buttons.addWidget(self.receipt_household_button)
        buttons.addWidget(self.new_intake_button)
        layout = QVBoxLayout(self.receipt_page)
        layout.addWidget(self.receipt_view, 1)
        layout.addLayout(buttons)

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str, slot: object) -> QShortcut:
            s = QShortcut(QKeySequence(keys), self)
            s.setContext(Qt.ShortcutContext.WindowShortcut)
            s.activated.connect(slot)
            return s

        # Window context on this page: live only while the page is shown (a hidden widget's
        # shortcuts never fire), so other pages of the main window keep their own keys.
        self.save_shortcuts = [
            shortcut(keys, self._on_save_shortcut_activated)
            for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter")
        ]
        shortcut("Alt+1", self.focus_search)
        shortcut("Alt+2", self.focus_matters)
        shortcut("Alt+3", self.focus_routes)
        self.new_intake_shortcut = shortcut("Ctrl+Shift+N", self._on_new_intake_shortcut_activated)
        self.print_receipt_shortcut = shortcut("Ctrl+P", self.print_receipt)

    def _set_tab_order(self) -> None:
        chain_tab_order(
            [
                self.search_box, self.new_household_button, self.results,
                self.open_household_button, self.applicant_combo, self.came_as_combo,
                self.agent_name_edit, self.agent_relation_edit, self.channel_combo,
                self.urgency_combo, self.causes_list, self.note_edit,
                self.picker.filter_edit, self.picker.list,
                self.routes, self.papers_list, self.handling_combo, self.department_combo,
                self.reason_edit, self.restore_button, self.save_button,
            ]
        )  # fmt: skip

    def _connect(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_box.textEdited.connect(self._on_search_box_text_edited)
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.search_box.installEventFilter(self)
        self.results.installEventFilter(self)
        self.causes_list.viewport().installEventFilter(self)
        self.model.searched.connect(lambda _mode: self._update_result_label())
        self.model.rowsInserted.connect(lambda *_a: self._update_result_label())
        self.results.activated.connect(self._on_results_activated)
        self.new_household_button.clicked.connect(self.new_household)
        self.open_household_button.clicked.connect(self._on_open_household_clicked)
        self.receipt_household_button.clicked.connect(self._on_open_household_clicked)
        self.came_as_combo.currentIndexChanged.connect(lambda _i: self._update_agent_fields())
        self.picker.choice_changed.connect(self._on_picker_choice_changed)
        self.routes.selectionModel().selectionChanged.connect(self._on_routes_selection_changed)
        self.route_model.modelReset.connect(self._restore_route_selection)
        self.papers_list.itemChanged.connect(self._on_papers_list_item_changed)
        self.handling_combo.activated.connect(self._on_handling_combo_activated)
        self.department_combo.activated.connect(self._on_department_combo_activated)
        # textChanged (fills from code are blocked): whatever puts the reason in counts.
        self.reason_edit.textChanged.connect(self._on_reason_edit_text_changed)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.save_button.clicked.connect(self.save)
        self.new_intake_button.clicked.connect(self.new_intake)
        self.print_receipt_button.clicked.connect(self.print_receipt)
        for widget in (
            self.applicant_combo, self.agent_name_edit, self.note_edit, self.search_box,
            self.reason_edit,
        ):  # fmt: skip
            unmark_on_change(widget)
        self.causes_list.itemChanged.connect(lambda _i: set_invalid(self.causes_list, False))

    # ================================================================= catalogue
    def reload_catalogue(self) -> None:
        """Load matters, departments and causes (the catalogue is small: load it whole)."""
        try:
            matters = self.services.catalogue.matters()
            self._departments = list(self.services.catalogue.departments())
            causes = self.services.catalogue.causes()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._matters = {m.code: m for m in matters}
        self.picker.set_matters(matters)
        self._fill_causes(causes)
        self._repropose()

    def _fill_causes(self, causes: Sequence[CauseRow]) -> None:
        checked = set(self.chosen_causes())
        self.causes_list.clear()
        self.causes_list.setSpacing(1)
        for cause in causes:
            item = QListWidgetItem(cause.name)
            item.setData(Qt.ItemDataRole.UserRole, cause.code)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                Qt.CheckState.Checked if cause.code in checked else Qt.CheckState.Unchecked
            )
            self.causes_list.addItem(item)
        self._fit_causes()

    def _fit_causes(self) -> None:
        """As tall as the wrapped causes need (at most six rows, then it scrolls)."""
        count = self.causes_list.count()
        if not count:
            return
        spacing = self.causes_list.spacing()
        width = max(self.causes_list.viewport().width(), 200)
        x, rows = 0, 1
        for i in range(count):
            item_width = (
                self.causes_list.sizeHintForIndex(self.causes_list.model().index(i, 0)).width()
                + 2 * spacing
            )
            if x and x + item_width > width:
                rows, x = rows + 1, 0
            x += item_width
        row_height = self.causes_list.sizeHintForRow(0) + 2 * spacing
        frame = 2 * self.causes_list.frameWidth()
        self.causes_list.setFixedHeight(min(rows, 6) * row_height + frame + 2)

    def chosen_causes(self) -> list[str]:
        out = []
        for i in range(self.causes_list.count()):
            item = self.causes_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    # ================================================================= step 1: household
    def focus_search(self) -> None:
        if self.stack.currentWidget() is not self.form_page:
            return
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def run_search(self) -> None:
        self._timer.stop()
        self._searched_once = True
        try:
            self.model.set_query(self.search_box.text())
        except DeskAppError as exc:
            show_error(self, exc)

    def _on_search_box_text_edited(self, _text: str) -> None:
        self.household_stack.setCurrentIndex(0)
        self._timer.start()

    def _on_search_box_return_pressed(self) -> None:
        self.run_search()
        self.household_stack.setCurrentIndex(0)
        households = {
            row.household_id
            for row in (self.model.row_at(i) for i in range(self.model.rowCount()))
            if row is not None and row.household_id is not None
        }
        if len(households) == 1 and not self.model.has_more and self.search_box.text().strip():
            self.pick_household(households.pop())
        elif self.model.rowCount() > 0:
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            self.results.selectRow(0)

    def _update_result_label(self) -> None:
        count = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        mode = search_mode_text(self.model.mode)
        if count == 0 and self.model.query.strip():
            self.result_label.setText(
                self.tr("{mode}：没有找到。可按 Alt+N 登记新户。").format(mode=mode)
            )
        else:
            self.result_label.setText(
                self.tr("{mode}：{count}{more} 人，回车或双击选择其所在的户").format(
                    mode=mode, count=count, more=more
                )
            )

    def _on_results_activated(self, index: QModelIndex) -> None:
        row = self.model.data(index, PERSON_ROW_ROLE)
        if row is None:
            return
        if row.household_id is None:
            self.result_label.setText(
                self.tr("“{name}”目前不在任何户中，请先在户籍中安置。").format(name=row.name)
            )
            return
        self.pick_household(row.household_id)

    def pick_household(self, household_id: int) -> None:
        """Make ``household_id`` the visiting household and move on to the matters."""
        try:
            detail = self.services.households.get(household_id)
            suggestions = self.services.intake.suggestions(household_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._show_household(detail)
        self._show_suggestions(suggestions)
        set_invalid(self.search_box, False)
        self.picker.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.picker.filter_edit.selectAll()

    def household(self) -> HouseholdDetail | None:
        return self._detail

    def _show_household(self, detail: HouseholdDetail | None) -> None:
        self._detail = detail
        self.applicant_combo.clear()
        if detail is None:
            self.household_stack.setCurrentIndex(0)
            self.summary_title.clear()
            self.summary_label.clear()
            self._show_suggestions(())
            return
        today = self.services.context.today()
        head = detail.head
        place = f"{detail.village}{detail.group_name}"
        lines = [
            self.tr("户主 {head}　{place}").format(head=head.name if head else "—", place=place),
            self.tr("户编号 {number}").format(number=detail.number),
        ]
        members = []
        for m in detail.members:
            relation = tr_label("registry", Relation(m.relation).label) if m.relation else ""
            members.append(self.tr("{name}（{relation}，{age}岁）").format(
                name=m.name, relation=relation, age=m.age
            ))  # fmt: skip
            self.applicant_combo.addItem(f"{m.name}（{relation}）" if relation else m.name, m.id)
        lines.append(self.tr("成员 {count} 人：{members}").format(
            count=len(detail.members), members="、".join(members)
        ))  # fmt: skip
        categories = [
            tr_label("registry", HouseholdCategory(c.category).label)
            for c in detail.categories
            if c.active_on(today)
        ]
        if categories:
            lines.append(self.tr("在册类别：{categories}").format(categories="、".join(categories)))
        self.summary_title.setText(lines[0])
        self.summary_label.setText("\n".join(lines[1:]))
        if head is not None:
            self.applicant_combo.setCurrentIndex(self.applicant_combo.findData(head.id))
        self.household_stack.setCurrentIndex(1)
        self._update_agent_fields()

    def _update_agent_fields(self) -> None:
        proxy = self.came_as_combo.value() is not CameAs.APPLICANT
        self._who_form.setRowVisible(self._agent_form_row, proxy)

    def _villages(self) -> list[str]:
        rows = (self.model.row_at(i) for i in range(self.model.rowCount()))
        villages = {row.village for row in rows if row and row.village}
        if self._detail is not None and self._detail.village:
            villages.add(self._detail.village)
        return sorted(villages)

    def new_household(self) -> HouseholdDialog:
        """Alt+N: register a household in the dialog; once saved it is the visiting one."""
        dialog = HouseholdDialog(
            villages=self._villages(),
            save_new=self.services.households.register,
            today=self.services.context.today,
            parent=self,
        )
        dialog.accepted.connect(lambda: self._on_household_dialog_accepted(dialog))
        dialog.open()
        return dialog

    def _on_household_dialog_accepted(self, dialog: HouseholdDialog) -> None:
        detail = dialog.result_detail
        if detail is None:
            return
        self.search_box.setText(detail.head.name if detail.head else "")
        self.run_search()
        self.pick_household(detail.id)

    def _on_open_household_clicked(self) -> None:
        household_id = (
            self._receipt.household_id
            if self.stack.currentWidget() is self.receipt_page and self._receipt
            else self._detail.id
            if self._detail
            else None
        )
        if household_id is not None:
            self.household_opened.emit(household_id)

    # ================================================================= step 2: matters
    def focus_matters(self) -> None:
        if self.stack.currentWidget() is self.form_page:
            self.picker.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.picker.filter_edit.selectAll()

    def _show_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        for button in self._suggestion_buttons:
            self.suggestion_layout.removeWidget(button)
            button.deleteLater()
        self._suggestion_buttons.clear()
        merged: dict[str, list[Suggestion]] = {}
        for s in suggestions:
            merged.setdefault(s.matter_code, []).append(s)
        for number, (code, items) in enumerate(list(merged.items())[:MAX_SUGGESTIONS], start=1):
            people = "、".join(dict.fromkeys(s.person_name for s in items))
            button = QPushButton(
                self.tr("Ctrl+Alt+{n}　{matter}（{people}）").format(
                    n=number, matter=items[0].matter_name, people=people
                )
            )
            button.setObjectName(f"suggestion_{code}")
            button.setCheckable(True)
            button.setChecked(self.picker.is_chosen(code))
            button.setShortcut(QKeySequence(f"Ctrl+Alt+{number}"))
            button.setStyleSheet("text-align: left; padding: 2px 6px;")
            button.setToolTip(
                "\n".join(
                    f"{s.person_name}：{tr_label('routing', s.reason)}（{s.basis}）" for s in items
                )
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, c=code: self.picker.toggle(c))
            self.suggestion_layout.addWidget(button)
            button.setVisible(True)  # now, not after the layout's queued show: Ctrl+n works at once
            self._suggestion_buttons.append(button)
        self.suggestion_box.setVisible(bool(self._suggestion_buttons))

    def suggestion_buttons(self) -> list[QPushButton]:
        return list(self._suggestion_buttons)

    def _on_picker_choice_changed(self) -> None:
        chosen = self.picker.chosen()
        for code in chosen:
            self._choices.setdefault(code, _Choice())
        for button in self._suggestion_buttons:
            button.setChecked(
                self.picker.is_chosen(button.objectName().removeprefix("suggestion_"))
            )
        set_invalid(self.picker.list, False)
        previous = [r.matter_code for r in self.route_model.routes()]
        added = [c for c in chosen if c not in previous]
        if added:
            self._selected = added[-1]
        elif self._selected not in chosen:
            self._selected = chosen[-1] if chosen else None
        names = "、".join(self._matters[c].name for c in chosen if c in self._matters)
        self.chosen_label.setText(
            self.tr("已选 {count} 项：{names}").format(count=len(chosen), names=names)
            if chosen
            else self.tr("尚未选择事项")
        )
        self._repropose()

    # ================================================================= step 3: routes
    def focus_routes(self) -> None:
        if self.stack.currentWidget() is not self.form_page:
            return
        self.routes.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.routes.selectionModel().hasSelection() and self.route_model.rowCount():
            self.routes.selectRow(0)

    def matter_choices(self, *, preview: bool = False) -> list[MatterChoice]:
        """The chosen matters as the service takes them, in the order they were ticked."""
        out = []
        for code in self.picker.chosen():
            matter = self._matters.get(code)
            c = self._choices.setdefault(code, _Choice())
            if matter is None:
                out.append(MatterChoice(code))
                continue
            papers = tuple(
                p.code
                for p in matter.required_papers + matter.optional_papers
                if p.code in c.papers
            )
            changed = c.handling is not None and (c.handling, c.department) != (
                matter.handling,
                matter.department_code,
            )
            reason = c.reason.strip()
            if changed and preview and len(reason) < 2:
                reason = _PREVIEW_REASON
            out.append(
                MatterChoice(
                    code,
                    papers,
                    c.handling if changed else None,
                    c.department if changed else None,
                    reason if changed else "",
                )
            )
        return out

    def _repropose(self) -> None:
        """Ask the service for routes, deadlines and missing papers of the chosen matters."""
        choices = self.matter_choices(preview=True)
        routes: tuple[RouteProposal, ...] = ()
        if choices:
            try:
                routes = self.services.intake.propose(choices)
            except ValidationError as exc:
                self._show_problems(exc.problems)
                return
            except DeskAppError as exc:
                show_error(self, exc)
                return
        # The preview stand-in must never show: put back what the clerk actually typed.
        routes = tuple(
            replace(r, override_reason=self._choices[r.matter_code].reason.strip())
            if r.overridden
            else r
            for r in routes
        )
        self.route_model.set_routes(routes)
        self._update_deadline_warning(routes)
        self._restore_route_selection()

    def _update_deadline_warning(self, routes: Iterable[RouteProposal]) -> None:
        years = sorted({y for r in routes for y in r.due_uncertain_years})
        if years:
            self.deadline_warning.setText(
                self.tr(
                    "！{years}年节假日安排尚未录入，办理期限暂按周末计算；管理员录入后以重新计算的为准。"
                ).format(years="、".join(str(y) for y in years))
            )
        self.deadline_warning.setVisible(bool(years))

    def _restore_route_selection(self) -> None:
        row = self.route_model.row_of(self._selected) if self._selected else -1
        if row < 0 and self.route_model.rowCount():
            row = 0
        selection = self.routes.selectionModel()
        if row < 0:
            selection.clearSelection()
            self._show_selected(None)
            return
        current = selection.selectedRows()
        if not current or current[0].row() != row:
            selection.select(
                self.route_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            selection.setCurrentIndex(
                self.route_model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self.routes.scrollTo(self.route_model.index(row, 0))
        self._show_selected(self.route_model.route_at(row))

    def _on_routes_selection_changed(
        self, selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        route = self.route_model.route_at(indexes[0].row())
        if route is not None:
            self._selected = route.matter_code
            self._show_selected(route)

    def selected_matter(self) -> str | None:
        return self._selected if self.route_model.row_of(self._selected or "") >= 0 else None

    def _show_selected(self, route: RouteProposal | None) -> None:
        """The selected matter's reason, papers and route controls."""
        enabled = route is not None
        for w in (
            self.papers_list, self.handling_combo, self.department_combo, self.reason_edit,
            self.restore_button,
        ):  # fmt: skip
            w.setEnabled(enabled)
        if route is None:
            self.detail_box.setTitle(self.tr("所选事项"))
            self.detail_label.setText(
                self.tr("在“诉求事项”中勾选事项后，这里显示其去向、理由和材料。")
            )
            self.papers_list.clear()
            self._fit_papers()
            self.missing_label.clear()
            self.reason_edit.blockSignals(True)
            self.reason_edit.clear()
            self.reason_edit.blockSignals(False)
            self.reason_edit.setPlaceholderText(self.tr("改变建议去向时必填"))
            return
        matter = self._matters.get(route.matter_code)
        choice = self._choices.setdefault(route.matter_code, _Choice())
        self.detail_box.setTitle(self.tr("所选事项：{name}").format(name=route.matter_name))
        self.detail_label.setText(self._detail_text(route))
        if route.papers_missing:
            self.missing_label.setText(
                self.tr("一次性告知，还缺 {count} 件：{papers}").format(
                    count=len(route.papers_missing),
                    papers="、".join(p.name for p in route.papers_missing),
                )
            )
            self.missing_label.setStyleSheet(f"color: {ERROR_COLOR};")
        else:
            self.missing_label.setText(self.tr("必需材料已收齐。"))
            self.missing_label.setStyleSheet("")
        if matter is not None:
            self._fill_papers(matter, choice)
        self._fill_route_controls(route, choice)
        set_invalid(
            self.reason_edit, route.overridden and route.matter_code in self.route_model.problems()
        )

    def _fill_papers(self, matter: MatterRow, choice: _Choice) -> None:
        codes = [p.code for p in matter.required_papers + matter.optional_papers]
        shown = [
            self.papers_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.papers_list.count())
        ]
        self.papers_list.blockSignals(True)
        try:
            if shown != codes:  # another matter: rebuild; the same one: only the ticks
                self.papers_list.clear()
                for required, papers in (
                    (True, matter.required_papers),
                    (False, matter.optional_papers),
                ):
                    for p in papers:
                        text = p.name + (self.tr("（必需）") if required else self.tr("（视情况）"))
                        item = QListWidgetItem(text)
                        item.setData(Qt.ItemDataRole.UserRole, p.code)
                        item.setFlags(
                            Qt.ItemFlag.ItemIsEnabled
                            | Qt.ItemFlag.ItemIsSelectable
                            | Qt.ItemFlag.ItemIsUserCheckable
                        )
                        if p.note:
                            item.setToolTip(p.note)
                        self.papers_list.addItem(item)
                if self.papers_list.count():
                    self.papers_list.setCurrentRow(0)
                self._fit_papers()
            for i in range(self.papers_list.count()):
                item = self.papers_list.item(i)
                received = item.data(Qt.ItemDataRole.UserRole) in choice.papers
                item.setCheckState(Qt.CheckState.Checked if received else Qt.CheckState.Unchecked)
        finally:
            self.papers_list.blockSignals(False)

    def _fit_papers(self) -> None:
        """Tall enough for the matter's papers (up to nine, then it scrolls)."""
        rows = min(max(self.papers_list.count(), 3), 9)
        row_height = max(
            self.papers_list.sizeHintForRow(0), self.papers_list.fontMetrics().height() + 2
        )
        self.papers_list.setFixedHeight(rows * row_height + 2 * self.papers_list.frameWidth() + 2)

    def _fill_route_controls(self, route: RouteProposal, choice: _Choice) -> None:
        self.handling_combo.blockSignals(True)
        self.handling_combo.set_value(route.handling)
        self.handling_combo.blockSignals(False)
        self._fill_departments(route.handling, route.department_code)
        if self.reason_edit.text() != choice.reason:
            self.reason_edit.blockSignals(True)
            self.reason_edit.setText(choice.reason)
            self.reason_edit.blockSignals(False)
        self.restore_button.setEnabled(route.overridden)
        self.reason_edit.setPlaceholderText(
            self.tr("已改派：请写明理由（保存时必填）")
            if route.overridden
            else self.tr("改变建议去向时必填")
        )

    def _fill_departments(self, handling: Handling, current: str | None) -> None:
        window = handling is Handling.WINDOW
        self.department_combo.blockSignals(True)
        try:
            self.department_combo.clear()
            for d in self._departments:
                if d.in_house == window:
                    self.department_combo.addItem(f"{d.name} · {d.queue}", d.code)
            index = self.department_combo.findData(current) if current else -1
            self.department_combo.setCurrentIndex(max(index, 0))
        finally:
            self.department_combo.blockSignals(False)

    def _on_papers_list_item_changed(self, item: QListWidgetItem) -> None:
        code = self._selected
        if code is None:
            return
        choice = self._choices.setdefault(code, _Choice())
        paper = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            choice.papers.add(paper)
        else:
            choice.papers.discard(paper)
        self._repropose()

    def _on_handling_combo_activated(self, _index: int) -> None:
        code = self._selected
        handling = self.handling_combo.value()
        matter = self._matters.get(code or "")
        if code is None or handling is None or matter is None:
            return
        default = matter.department_code if handling is matter.handling else None
        self._fill_departments(handling, default)
        self._change_route(code, handling, self.department_combo.currentData())

    def _on_department_combo_activated(self, _index: int) -> None:
        code = self._selected
        handling = self.handling_combo.value()
        if code is None or handling is None:
            return
        self._change_route(code, handling, self.department_combo.currentData())

    def _change_route(self, code: str, handling: Handling, department: str | None) -> None:
        matter = self._matters[code]
        choice = self._choices.setdefault(code, _Choice())
        if department is None or (handling, department) == (
            matter.handling,
            matter.department_code,
        ):
            choice.handling, choice.department = None, None
        else:
            choice.handling, choice.department = handling, department
        self._repropose()

    def _detail_text(self, route: RouteProposal) -> str:
        return self.tr("{basis}\n办理期限：{due}").format(
            basis=basis_text(route), due=due_text(route)
        )

    def _on_reason_edit_text_changed(self, text: str) -> None:
        """The reason changes no route: shown at once, without asking the service again."""
        code = self._selected
        if code is None:
            return
        self._choices.setdefault(code, _Choice()).reason = text
        routes = [
            replace(r, override_reason=text.strip())
            if r.matter_code == code and r.overridden
            else r
            for r in self.route_model.routes()
        ]
        self.route_model.set_routes(routes)
        route = self.route_model.route_at(self.route_model.row_of(code))
        if route is not None:
            self.detail_label.setText(self._detail_text(route))

    def _on_restore_button_clicked(self) -> None:
        if self._selected is not None:
            choice = self._choices.setdefault(self._selected, _Choice())
            choice.handling, choice.department = None, None
            self._repropose()
            self.routes.setFocus(Qt.FocusReason.OtherFocusReason)

    # ================================================================= saving
    def intake_input(self) -> IntakeInput | None:
        """What 保存受理 would send; None while no household is picked."""
        if self._detail is None:
            return None
        came_as = self.came_as_combo.value() or CameAs.APPLICANT
        proxy = came_as is not CameAs.APPLICANT
        return IntakeInput(
            household_id=self._detail.id,
            matters=tuple(self.matter_choices()),
            applicant_id=self.applicant_combo.currentData(),
            came_as=came_as,
            agent_name=self.agent_name_edit.text().strip() if proxy else "",
            agent_relation=self.agent_relation_edit.text().strip() if proxy else "",
            channel=self.channel_combo.value() or Channel.WALK_IN,
            urgency=self.urgency_combo.value() or Urgency.NORMAL,
            causes=tuple(self.chosen_causes()),
            note=self.note_edit.toPlainText().strip(),
        )

    def _on_save_shortcut_activated(self) -> None:
        if self.stack.currentWidget() is self.form_page:
            self.save()

    def save(self) -> IntakeReceipt | None:
        """保存受理: one transaction; on success the receipt replaces the form."""
        self._clear_problems()
        data = self.intake_input()
        if data is None:
            self.problem_label.show_lines(
                [self.tr("来访家庭：请先查找并选择来访的家庭（Alt+1），或按 Alt+N 新建户")]
            )
            self.save_hint.hide()
            set_invalid(self.search_box, True)
            self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        try:
            receipt = self.services.intake.save(data)
        except ValidationError as exc:
            self._show_problems(exc.problems, focus=True)
            return None
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        log.info("intake saved from the window page: intake=%s", receipt.intake_id)
        self._show_receipt(receipt)
        self.intake_saved.emit(receipt)
        return receipt

    def _clear_problems(self) -> None:
        self.problem_label.clear_problems()
        self.save_hint.show()
        for widget in (
            self.search_box, self.applicant_combo, self.agent_name_edit, self.causes_list,
            self.note_edit, self.picker.list, self.reason_edit, self.papers_list,
        ):  # fmt: skip
            set_invalid(widget, False)
        self.route_model.set_problems(())

    def _field_widget(self, name: str) -> QWidget | None:
        return {
            "applicant": self.applicant_combo,
            "agent_name": self.agent_name_edit,
            "causes": self.causes_list,
            "note": self.note_edit,
            "matters": self.picker.filter_edit,
        }.get(name)

    def _show_problems(self, problems: Sequence[FieldProblem], *, focus: bool = False) -> None:
        """Red ``字段：说明`` lines; fields and matter rows marked; focus on the first."""
        lines = []
        for p in problems:
            matter = self._matters.get(p.field.partition(".")[2])
            line = problem_line(p)
            if matter is not None and matter.name not in line:
                line = f"{matter.name} — {line}"
            lines.append(line)
        self.problem_label.show_lines(lines)
        self.save_hint.setHidden(bool(lines))
        first: QWidget | None = None
        bad_rows: list[str] = []
        for p in problems:
            kind, _dot, code = p.field.partition(".")
            if kind in ("route", "papers") and code:
                bad_rows.append(code)
                continue
            widget = self._field_widget(kind)
            if widget is None:
                continue
            if widget is self.picker.filter_edit:
                set_invalid(self.picker.list, True)
            set_invalid(widget, True)
            first = first or widget
        if bad_rows:
            self.route_model.set_problems(bad_rows)
            self._selected = bad_rows[0]
            self._restore_route_selection()
            bad_kind = next(
                p.field.partition(".")[0] for p in problems if p.field.endswith("." + bad_rows[0])
            )
            route = self.route_model.route_at(self.route_model.row_of(bad_rows[0]))
            overridden = route is not None and route.overridden
            # A changed route lacks its reason; an unchanged one has a catalogue problem
            # (e.g. the department has no time limit): the red row and the line say which.
            marked: QWidget = (
                self.papers_list
                if bad_kind == "papers"
                else self.reason_edit
                if overridden
                else self.routes
            )
            set_invalid(marked, True)
            first = first or marked
        if focus and first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ================================================================= receipt
    def receipt(self) -> IntakeReceipt | None:
        return self._receipt if self.stack.currentWidget() is self.receipt_page else None

    def _show_receipt(self, receipt: IntakeReceipt) -> None:
        self._receipt = receipt
        self.receipt_view.setHtml(receipt_html(receipt))
        self.stack.setCurrentWidget(self.receipt_page)
        self.new_intake_button.setDefault(True)
        self.new_intake_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def print_receipt(self) -> Opened:
        """打印受理回执 (D2) of the intake just saved: preview, then print or save."""
        receipt = self.receipt()
        if receipt is None:
            return None
        try:
            content = self.services.documents.receipt(receipt.intake_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        return open_preview(
            self, self.services.documents, content, household_id=receipt.household_id
        )

    def _on_new_intake_shortcut_activated(self) -> None:
        if self.stack.currentWidget() is self.receipt_page:
            self.new_intake()

    def new_intake(self) -> None:
        """新的受理: an empty form, the search box ready."""
        self._receipt = None
        self._choices.clear()
        self._selected = None
        self._clear_problems()
        self.picker.blockSignals(True)
        self.picker.clear_choice()
        self.picker.blockSignals(False)
        self.chosen_label.setText(self.tr("尚未选择事项"))
        for i in range(self.causes_list.count()):
            self.causes_list.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.note_edit.clear()
        self.came_as_combo.set_value(CameAs.APPLICANT)
        self.agent_name_edit.clear()
        self.agent_relation_edit.clear()
        self.channel_combo.set_value(Channel.WALK_IN)
        self.urgency_combo.set_value(Urgency.NORMAL)
        self._show_household(None)
        self.search_box.clear()
        self._repropose()
        self.stack.setCurrentWidget(self.form_page)
        self.run_search()
        self.focus_search()

    # ================================================================= Qt
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # 大字体 switched on or off
            self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 2 + 14)
            self._fit_causes()
            self._fit_papers()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._searched_once:
            self.run_search()
            if self._detail is None:
                self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.causes_list.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._fit_causes)  # not inside the layout pass itself
            return False
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self._detail is not None
            and watched in (self.search_box, self.results)
            and self.household_stack.currentIndex() == 0
        ):
            self.household_stack.setCurrentIndex(1)
            self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and watched is self.search_box
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount()
        ):
            self.household_stack.setCurrentIndex(0)
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            self.results.selectRow(0)
            return True
        return super().eventFilter(watched, event)


# ===================================================================== receipt text
def _e(text: object) -> str:
    return html.escape(str(text))


def receipt_html(r: IntakeReceipt) -> str:
    """The receipt as shown in the page (printing comes with the 受理回执 document)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("IntakePage", text)

    who = tr_label("registry", r.came_as.label)
    if r.agent_name:
        who += f"：{r.agent_name}"
    facts = [
        (tr("受理时间"), r.received_at.strftime("%Y-%m-%d %H:%M")), (tr("经办人"), r.clerk),
        (tr("户编号"), r.household_number), (tr("户主"), r.head_name),
        (tr("村（社区）"), f"{r.village}{r.group_name}"), (tr("申请人"), r.applicant_name or "—"),
        (tr("来办人"), who), (tr("来源渠道"), tr_label("registry", r.channel.label)),
        (tr("紧急程度"), tr_label("registry", r.urgency.label)),
        (tr("困难原因"), "、".join(r.causes) or "—"),
    ]  # fmt: skip
    cells = [
        f"<td style='color:#555'>{_e(k)}：</td><td style='padding-right:24px'>{_e(v)}</td>"
        for k, v in facts
    ]
    fact_rows = "".join(
        "<tr>" + "".join(cells[i : i + 3]) + "</tr>" for i in range(0, len(cells), 3)
    )
    rows = []
    for m in r.matters:
        due = m.due_date.isoformat() if m.due_date else tr("未设时限")
        if m.due_uncertain_years:
            due += " ！"
        route = _e(route_text(m))
        if m.overridden:
            route += "<br/><small>" + _e(tr("改派理由：") + m.override_reason) + "</small>"
        rows.append(
            f"<tr><td>{_e(m.matter_name)}</td><td>{route}</td><td>{_e(m.department_name)}</td>"
            f"<td>{_e(m.referral_number or '—')}</td><td>{_e(due)}</td></tr>"
        )
    notices = []
    for m in r.matters:
        papers = "、".join(p.name for p in m.papers_missing) or tr("必需材料已收齐")
        notices.append(f"<li><b>{_e(m.matter_name)}</b>：{_e(papers)}</li>")
    years = sorted({y for m in r.matters for y in m.due_uncertain_years})
    warning = ""
    if years:
        text = tr(
            "！{years}年节假日安排尚未录入，带“！”的期限暂按周末计算，录入后以重新计算的为准。"
        )
        warning = (
            f"<p style='color:{_WARNING_COLOR}'><b>"
            f"{_e(text.format(years='、'.join(str(y) for y in years)))}</b></p>"
        )
    columns = "".join(
        f"<th align='left'>{_e(tr(c))}</th>"
        for c in (
            QT_TRANSLATE_NOOP("IntakePage", "事项"),
            QT_TRANSLATE_NOOP("IntakePage", "去向"),
            QT_TRANSLATE_NOOP("IntakePage", "接收部门"),
            QT_TRANSLATE_NOOP("IntakePage", "转介编号"),
            QT_TRANSLATE_NOOP("IntakePage", "办理期限"),
        )
    )
    note = f"<p>{_e(tr('备注'))}：{_e(r.note)}</p>" if r.note else ""
    return (
        f"<h2>{_e(tr('受理回执'))}　{_e(r.number)}</h2>"
        f"<p>{_e(r.township)}　{_e(r.window)}</p>"
        f"<table cellspacing='0' cellpadding='3'>{fact_rows}</table>"
        f"<h3>{_e(tr('事项与去向'))}</h3>"
        f"<table border='1' cellspacing='0' cellpadding='4' width='98%'>"
        f"<tr>{columns}</tr>{''.join(rows)}</table>"
        f"{warning}"
        f"<h3>{_e(tr('一次性告知：请补齐以下材料'))}</h3><ul>{''.join(notices)}</ul>"
        f"{note}"
    )
