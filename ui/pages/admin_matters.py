"""事项目录: the matter catalogue and its routing matrix (domain.md §3.2), one row per matter.

The form edits what ``CatalogueService.save_matter`` accepts: the name, how the matter
is handled (at the window by 民政, or referred), the receiving department, the reason the
window gives the applicant (去向说明), the papers (必需 → the 一次性告知 list; 视情况提供),
and whether the window still offers it. The seed basis is shown, not edited.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.intake import Handling
from desk_app.errors import DeskAppError, ValidationError
from desk_app.services.catalogue import DepartmentRow, MatterRow, PaperRow
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    add_row,
    chain_tab_order,
    form_layout,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.admin_common import (
    CODE_ROLE,
    RecordTab,
    clear_problems,
    fill_row,
    list_beside_form,
    note_label,
    scrolling,
    setup_table,
    show_problems,
    status_label,
    table_item,
)
from ui.widgets.enum_combo import EnumCombo

log = logging.getLogger(__name__)

COLUMNS = ("名称", "类别", "办理方式", "部门", "队列", "必需材料数", "启用")
_NAME, _GROUP, _HANDLING, _DEPARTMENT, _QUEUE, _PAPERS, _ACTIVE = range(len(COLUMNS))

MatterState = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], bool]


def handling_text(handling: Handling) -> str:
    return tr_label("registry", handling.label)


class PaperList(QListWidget):
    """Papers as check boxes: checked ones first in their saved order, then the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)
        self.setUniformItemSizes(True)

    def sizeHint(self) -> QSize:
        # Qt's default (192 px) would make the form taller than a 768-pixel screen;
        # the lists take whatever height is left instead.
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * 5)

    def fill(self, papers: tuple[PaperRow, ...], chosen: tuple[str, ...]) -> None:
        by_code = {p.code: p for p in papers}
        self.blockSignals(True)
        try:
            self.clear()
            order = [by_code[c] for c in chosen if c in by_code]
            order += [p for p in papers if p.code not in chosen and p.active]
            for paper in order:
                item = QListWidgetItem(paper.name if paper.active else f"{paper.name}（已停用）")
                item.setData(CODE_ROLE, paper.code)
                item.setToolTip(paper.note)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                checked = paper.code in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.addItem(item)
        finally:
            self.blockSignals(False)

    def all_items(self) -> list[QListWidgetItem]:
        return [self.item(i) for i in range(self.count())]

    def chosen(self) -> tuple[str, ...]:
        return tuple(
            str(item.data(CODE_ROLE))
            for item in self.all_items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def item_for(self, code: str) -> QListWidgetItem | None:
        return next((i for i in self.all_items() if i.data(CODE_ROLE) == code), None)

    def set_checked(self, code: str, checked: bool) -> None:
        item = self.item_for(code)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def apply_filter(self, text: str) -> None:
        """Hide unchecked papers whose name does not contain ``text``; checked stay visible."""
        text = text.strip()
        for item in self.all_items():
            item.setHidden(
                bool(text)
                and item.checkState() != Qt.CheckState.Checked
                and text not in item.text()
            )


class MattersTab(RecordTab):
    """事项目录: the routing matrix as a table, and a form for the selected matter."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self._matters: dict[str, MatterRow] = {}
        self._departments: dict[str, DepartmentRow] = {}
        self._papers: tuple[PaperRow, ...] = ()
        self._filling = False

        # ---- table
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("matterFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("按名称、类别、部门或队列筛选"))
        self.count_label = QLabel()
        self.table = QTableWidget()
        self.table.setObjectName("matterTable")
        setup_table(self.table, [self.tr(c) for c in COLUMNS], stretch=_NAME)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(_DEPARTMENT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            _DEPARTMENT, self.fontMetrics().horizontalAdvance("县住房和城乡建设局") + 16
        )
        self.table.setSortingEnabled(True)

        # ---- form
        self.title = QLabel()
        self.title.setObjectName("matterTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.code_label = QLabel()
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(60)
        self.handling_combo: EnumCombo[Handling] = EnumCombo(Handling)
        self.department_combo = QComboBox()
        self.department_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.department_combo.setMinimumContentsLength(16)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("窗口向群众解释为什么这样办理"))
        self.basis_view = QPlainTextEdit()
        self.basis_view.setReadOnly(True)
        self.basis_view.setTabChangesFocus(True)
        self.basis_view.setObjectName("matterBasis")
        line = self.fontMetrics().lineSpacing()
        self.reason_edit.setFixedHeight(line * 3 + 12)
        self.basis_view.setFixedHeight(line * 3 + 12)
        self.active_check = QCheckBox(self.tr("启用（窗口受理时可选择此事项）(&E)"))

        self.paper_filter = QLineEdit()
        self.paper_filter.setClearButtonEnabled(True)
        self.paper_filter.setPlaceholderText(self.tr("筛选材料名称"))
        self.required_list = PaperList()
        self.required_list.setObjectName("requiredPapers")
        self.optional_list = PaperList()
        self.optional_list.setObjectName("optionalPapers")
        self.required_label = QLabel()
        self.required_label.setBuddy(self.required_list)
        self.optional_label = QLabel()
        self.optional_label.setBuddy(self.optional_list)

        self.problems = ProblemLabel()
        self.status = status_label()
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("saveMatter")
        self.save_button.setToolTip(self.tr("保存对此事项的修改（Ctrl+S）"))
        self.revert_button = QPushButton(self.tr("撤销修改"))

        self._build_layout()
        self._field_widgets: dict[str, Any] = {
            "name": self.name_edit,
            "handling": self.handling_combo,
            "department": self.department_combo,
            "reason": self.reason_edit,
            "papers": [self.required_list, self.optional_list],
            "active": self.active_check,
        }
        for widget in (self.name_edit, self.reason_edit, self.department_combo):
            unmark_on_change(widget)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.handling_combo.currentIndexChanged.connect(self._on_handling_changed)
        for signal in (
            self.name_edit.textChanged,
            self.reason_edit.textChanged,
            self.department_combo.currentIndexChanged,
            self.active_check.toggled,
        ):
            signal.connect(self._on_edited)
        self.required_list.itemChanged.connect(
            lambda item: self._on_paper_changed(item, self.optional_list)
        )
        self.optional_list.itemChanged.connect(
            lambda item: self._on_paper_changed(item, self.required_list)
        )
        self.paper_filter.textChanged.connect(self._apply_paper_filter)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        chain_tab_order(
            [
                self.filter_edit, self.table, self.name_edit, self.handling_combo,
                self.department_combo, self.reason_edit, self.basis_view, self.active_check,
                self.paper_filter, self.required_list, self.optional_list, self.revert_button,
                self.save_button,
            ]
        )  # fmt: skip
        self._set_form_enabled(False)

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        find = QLabel(self.tr("筛选(&L)："))
        find.setBuddy(self.filter_edit)
        top.addWidget(find)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)

        self.form_box = QGroupBox()
        box_layout = QVBoxLayout(self.form_box)
        box_layout.addWidget(self.title)
        form = form_layout()
        add_row(form, self.tr("代码："), self.code_label)
        add_row(form, self.tr("事项名称(&N)："), self.name_edit)
        add_row(form, self.tr("办理方式(&H)："), self.handling_combo)
        add_row(form, self.tr("办理部门(&D)："), self.department_combo)
        add_row(form, self.tr("去向说明(&R)："), self.reason_edit)
        add_row(form, self.tr("依据："), self.basis_view)
        add_row(form, "", self.active_check)
        box_layout.addLayout(form)

        papers = QGridLayout()
        papers.addWidget(self.required_label, 0, 0)
        papers.addWidget(self.optional_label, 0, 1)
        papers.addWidget(self.required_list, 1, 0)
        papers.addWidget(self.optional_list, 1, 1)
        papers.setRowStretch(1, 1)
        filter_row = QHBoxLayout()
        paper_find = QLabel(self.tr("材料(&P)："))
        paper_find.setBuddy(self.paper_filter)
        filter_row.addWidget(paper_find)
        filter_row.addWidget(self.paper_filter, 1)
        box_layout.addLayout(filter_row)
        box_layout.addLayout(papers, 1)
        box_layout.addWidget(
            note_label(
                self.tr(
                    "必需材料组成窗口的一次性告知清单；同一材料只能在一边勾选。"
                    "修改只影响今后的受理，已受理的记录保持当时的去向和材料。"
                )
            )
        )
        box_layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        box_layout.addLayout(buttons)

        right = scrolling(self.form_box)
        list_beside_form(self, left, right, stretch=(1, 1), sizes=(700, 480))

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        try:
            matters = self.services.catalogue.matters(include_inactive=True)
            departments = self.services.catalogue.departments(include_inactive=True)
            self._papers = self.services.catalogue.papers()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._matters = {m.code: m for m in matters}
        self._departments = {d.code: d for d in departments}
        self._fill_table()
        if self.is_dirty():
            return  # keep the administrator's unsaved edits in the form
        self.reselect(self.current_code)

    def _fill_table(self) -> None:
        table = self.table
        self._guarding = True
        table.setSortingEnabled(False)
        try:
            table.setRowCount(len(self._matters))
            for row, m in enumerate(self._matters.values()):
                grey = not m.active
                fill_row(
                    table,
                    row,
                    (
                        table_item(m.name, code=m.code, tooltip=f"{m.name}\n{m.reason}", grey=grey),
                        table_item(m.group, grey=grey),
                        table_item(handling_text(m.handling), grey=grey),
                        table_item(m.department_name, tooltip=m.department_name, grey=grey),
                        table_item(m.queue, grey=grey),
                        table_item(str(len(m.required_papers)), grey=grey, center=True),
                        table_item(
                            self.tr("是") if m.active else self.tr("否"), grey=grey, center=True
                        ),
                    ),
                )
        finally:
            table.setSortingEnabled(True)
            self._guarding = False
        self._apply_filter()

    def _apply_filter(self) -> None:
        text = self.filter_edit.text().strip()
        shown = 0
        for row in range(self.table.rowCount()):
            cells = (self.table.item(row, c) for c in (_NAME, _GROUP, _DEPARTMENT, _QUEUE))
            hit = not text or any(c is not None and text in c.text() for c in cells)
            self.table.setRowHidden(row, not hit)
            shown += hit
        total = self.table.rowCount()
        self.count_label.setText(
            self.tr("{shown}/{total} 项").format(shown=shown, total=total)
            if text
            else self.tr("共 {total} 项").format(total=total)
        )

    # ----------------------------------------------------------------- the form
    def record_name(self) -> str:
        matter = self._matters.get(self.current_code)
        return matter.name if matter else ""

    def show_record(self, code: Any) -> None:
        matter = self._matters.get(code)
        if matter is None:
            return
        self._code = code
        self._filling = True
        try:
            self.title.setText(f"{matter.name} · {matter.group}")
            self.code_label.setText(matter.code)
            self.name_edit.setText(matter.name)
            self.handling_combo.set_value(matter.handling)
            self._fill_departments(matter.handling, matter.department_code)
            self.reason_edit.setPlainText(matter.reason)
            self.basis_view.setPlainText(matter.basis)
            self.active_check.setChecked(matter.active)
            self.paper_filter.clear()
            self.required_list.fill(self._papers, tuple(p.code for p in matter.required_papers))
            self.optional_list.fill(self._papers, tuple(p.code for p in matter.optional_papers))
        finally:
            self._filling = False
        clear_problems(self.problems, self._field_widgets)
        self._set_form_enabled(True)
        self._update_paper_labels()
        self.remember_saved()

    def _fill_departments(self, handling: Handling, current: str) -> None:
        """民政's own departments for window matters, outside departments for referrals."""
        want_in_house = handling is Handling.WINDOW
        combo = self.department_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("（请选择部门）"), "")
            for d in self._departments.values():
                if d.in_house != want_in_house or (not d.active and d.code != current):
                    continue
                text = d.name if d.active else self.tr("{name}（已停用）").format(name=d.name)
                combo.addItem(f"{text} — {d.queue}", d.code)
                combo.setItemData(combo.count() - 1, d.basis, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)

    def form_state(self) -> MatterState:
        handling = self.handling_combo.value()
        return (
            self.name_edit.text(),
            handling.value if handling else "",
            str(self.department_combo.currentData() or ""),
            self.reason_edit.toPlainText(),
            self.required_list.chosen(),
            self.optional_list.chosen(),
            self.active_check.isChecked(),
        )

    def _on_handling_changed(self) -> None:
        if self._filling:
            return
        handling = self.handling_combo.value()
        if handling is not None:
            self._fill_departments(handling, str(self.department_combo.currentData() or ""))
        self._on_edited()

    def _on_paper_changed(self, item: QListWidgetItem, other: PaperList) -> None:
        if self._filling:
            return
        if item.checkState() == Qt.CheckState.Checked:
            # One paper is either required or optional, never both.
            other.blockSignals(True)
            try:
                other.set_checked(str(item.data(CODE_ROLE)), False)
            finally:
                other.blockSignals(False)
        self._update_paper_labels()
        self._on_edited()

    def _update_paper_labels(self) -> None:
        self.required_label.setText(
            self.tr("必需材料(&Q)（已选 {n} 项）：").format(n=len(self.required_list.chosen()))
        )
        self.optional_label.setText(
            self.tr("视情况提供(&O)（已选 {n} 项）：").format(n=len(self.optional_list.chosen()))
        )

    def _apply_paper_filter(self, text: str) -> None:
        self.required_list.apply_filter(text)
        self.optional_list.apply_filter(text)

    def _on_edited(self) -> None:
        if not self._filling:
            self.status.clear()
            self.update_buttons()

    def update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _set_form_enabled(self, enabled: bool) -> None:
        self.form_box.setEnabled(enabled)
        if not enabled:
            self.title.setText(self.tr("请在左侧选择一个事项"))

    # ----------------------------------------------------------------- actions
    def revert(self) -> None:
        if self.current_code is not None:
            self.status.clear()
            self.show_record(self.current_code)

    def save(self) -> bool:
        code = self.current_code
        if code is None or not self.is_dirty():
            return False
        handling = self.handling_combo.value() or Handling.WINDOW
        try:
            saved = self.services.catalogue.save_matter(
                code,
                name=self.name_edit.text(),
                handling=handling,
                department_code=str(self.department_combo.currentData() or ""),
                reason=self.reason_edit.toPlainText(),
                required_papers=self.required_list.chosen(),
                optional_papers=self.optional_list.chosen(),
                active=self.active_check.isChecked(),
            )
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, self._field_widgets)
            self.status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("matter saved from the admin page: %s", code)
        self._matters[code] = saved
        self._code = None  # the form shows the saved record: nothing is unsaved
        self._fill_table()
        self.reselect(code)
        self.say_saved(
            self.tr("已保存“{name}”。今后受理时按新的去向和材料办理。").format(name=saved.name)
        )
        self.changed.emit("matters")
        return True
