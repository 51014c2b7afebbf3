"""户籍与成员: search as you type, the household page, and every registry action.

Each action is one service call (one unit of work). Dialogs collect input and call the
service themselves so a validation error keeps the dialog open with what was typed.
Every dialog is opened window-modal with ``open()`` and deletes itself once it has
finished and its result has been read, so a long day at the window leaks nothing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.registry import Relation
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import HouseholdDetail
from ui.dialogs import open_dialog
from ui.dialogs.category_dialog import CategoryDialog, EndCategoryDialog
from ui.dialogs.household_dialog import HouseholdDialog
from ui.dialogs.move_person_dialog import MovePersonDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.referral_timeline_dialog import HouseholdTimelineDialog
from ui.errors import show_error
from ui.i18n import tr_label
from ui.models.person_search_model import PERSON_ROW_ROLE, PersonSearchModel
from ui.pages.household_panel import HouseholdPanel

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150
_MODE_TEXT = {
    "all": QT_TRANSLATE_NOOP("RegistryPage", "全部人员（按姓名排序）"),
    "name": QT_TRANSLATE_NOOP("RegistryPage", "按姓名查找"),
    "initials": QT_TRANSLATE_NOOP("RegistryPage", "按拼音首字母查找"),
    "id_suffix": QT_TRANSLATE_NOOP("RegistryPage", "按身份证号码尾号查找"),
    "id_prefix": QT_TRANSLATE_NOOP("RegistryPage", "按身份证号码开头查找"),
    "id_exact": QT_TRANSLATE_NOOP("RegistryPage", "按身份证号码查找"),
}
"""How the query was read (``SearchPage.mode``), as the result line says it."""


def search_mode_text(mode: str) -> str:
    """The translated words for a search mode, shared by every page with a search box."""
    source = _MODE_TEXT.get(mode)
    return QCoreApplication.translate("RegistryPage", source) if source else ""


class RegistryPage(QWidget):
    """Signals: ``household_shown(household_id)`` when the right-hand page changes."""

    household_shown = Signal(int)
    """A household's page is now shown."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            self.tr("输入姓名、拼音首字母（如 zw）或身份证号码后几位")
        )
        self.result_label = QLabel()
        self.new_household_button = QPushButton(self.tr("新建户(&N)"))
        self.new_household_button.setToolTip(self.tr("登记一个新的家庭户（Ctrl+N）"))

        self.model = PersonSearchModel(
            lambda text, cursor: services.search.search(text, cursor), self
        )
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        # Short columns fit their text; masked ID numbers must never be cut off.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.panel = HouseholdPanel(services.context.today, services=services)

        top = QHBoxLayout()
        search_label = QLabel(self.tr("查找(&F)："))
        search_label.setBuddy(self.search_box)
        top.addWidget(search_label)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_household_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.result_label)
        left_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        # Enough for every search column at the normal font; the panel needs about 480.
        splitter.setSizes([700, 540])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _t: self._timer.start())
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.model.searched.connect(self._on_model_searched)
        self.model.rowsInserted.connect(lambda *_a: self._update_result_label())
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.activated.connect(lambda _i: self.panel.members.setFocus())
        self.new_household_button.clicked.connect(self.new_household)
        p = self.panel
        p.edit_household_requested.connect(self.edit_household)
        p.add_member_requested.connect(self.add_member)
        p.edit_member_requested.connect(self.edit_member)
        p.move_member_requested.connect(self.move_member)
        p.change_head_requested.connect(self.change_head)
        p.timeline_requested.connect(self.show_timeline)
        p.add_category_requested.connect(self.add_category)
        p.end_category_requested.connect(self.end_category)

    # ----------------------------------------------------------------- search
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def run_search(self) -> None:
        self._timer.stop()
        try:
            self.model.set_query(self.search_box.text())
        except DeskAppError as exc:
            show_error(self, exc)

    def _on_search_box_return_pressed(self) -> None:
        self.run_search()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_model_searched(self, _mode: str) -> None:
        self._update_result_label()

    def _update_result_label(self) -> None:
        count = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        mode = search_mode_text(self.model.mode)
        if count == 0 and self.model.query.strip():
            self.result_label.setText(
                self.tr("{mode}：没有找到。可按 Ctrl+N 登记新户。").format(mode=mode)
            )
        else:
            self.result_label.setText(
                self.tr("{mode}：{count}{more} 人").format(mode=mode, count=count, more=more)
            )

    def _on_table_selection_changed(
        self, selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        row = self.model.data(indexes[0], PERSON_ROW_ROLE)
        if row is not None and row.household_id is not None:
            self.show_household(row.household_id, select_person=row.person_id)

    # ----------------------------------------------------------------- household
    def show_household(self, household_id: int, select_person: int | None = None) -> None:
        try:
            detail = self.services.households.get(household_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._show(detail, select_person)

    def _show(self, detail: HouseholdDetail, select_person: int | None = None) -> None:
        self.panel.show_detail(detail, select_person)
        self.household_shown.emit(detail.id)

    def reload(self) -> None:
        """F5: re-run the search and reload the shown household from the database."""
        self.run_search()
        self.reload_household()

    def reload_household(self) -> None:
        """Show the household afresh, as saved now (another window may have changed it)."""
        if self.panel.detail is not None:
            self.show_household(self.panel.detail.id)

    def _after_change(
        self, detail: HouseholdDetail | None, select_person: int | None = None
    ) -> None:
        if detail is None:  # a dialog closed without saving
            return
        self._show(detail, select_person)
        self.model.refresh()
        self._update_result_label()

    def new_household(self) -> HouseholdDialog:
        dialog = HouseholdDialog(
            villages=self.services.households.villages(),
            save_new=self.services.households.register,
            today=self.services.context.today,
            parent=self,
        )
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail))

    def edit_household(self) -> HouseholdDialog | None:
        detail = self.panel.detail
        if detail is None:
            return None
        dialog = HouseholdDialog(
            parent=self,
            villages=self.services.households.villages(),
            existing=detail,
            save_edit=lambda data: self.services.households.update_household(
                detail.id, detail.version, data
            ),
            today=self.services.context.today,
        )
        dialog.on_stale = self.reload_household
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail))

    def add_member(self) -> PersonDialog | None:
        detail = self.panel.detail
        if detail is None:
            return None
        choices = [r for r in Relation if r is not Relation.HEAD or detail.head is None]
        dialog = PersonDialog(
            parent=self,
            title=self.tr("添加成员 — {number}").format(number=detail.number),
            save=lambda data, relation: self.services.households.add_member(
                detail.id, data, relation
            ),
            with_relation=True,
            relation_choices=choices,
            today=self.services.context.today,
        )
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail))

    def edit_member(self, person_id: int) -> PersonDialog | None:
        detail = self.panel.detail
        member = next((m for m in detail.members if m.id == person_id), None) if detail else None
        if member is None:
            return None
        dialog = PersonDialog(
            parent=self,
            title=self.tr("修改成员 — {name}").format(name=member.name),
            save=lambda data, relation: self.services.households.update_person(
                member.id, member.version, data, relation
            ),
            existing=member,
            with_relation=True,
            relation_choices=list(Relation)
            if member.relation == Relation.HEAD.value
            else [r for r in Relation if r is not Relation.HEAD],
            today=self.services.context.today,
        )
        dialog.on_stale = self.reload_household
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail, member.id))

    def move_member(self, person_id: int) -> MovePersonDialog | None:
        detail = self.panel.detail
        member = next((m for m in detail.members if m.id == person_id), None) if detail else None
        if detail is None or member is None:
            return None
        dialog = MovePersonDialog(
            member,
            detail,
            parent=self,
            search=lambda text: self.services.search.search(text),
            save=lambda target, relation: self.services.households.move_person(
                member.id, member.version, target, relation
            ),
        )
        dialog.on_stale = self.reload_household
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail, member.id))

    def show_timeline(self) -> HouseholdTimelineDialog | None:
        """一户一条救助链 of the shown household, beside the window (non-modal)."""
        detail = self.panel.detail
        if detail is None:
            return None
        head = detail.head.name if detail.head else detail.number
        return HouseholdTimelineDialog.for_household(
            self.services, detail.id, self.tr("{head}户 · 救助链").format(head=head), self
        )

    def change_head(self, person_id: int) -> QInputDialog | None:
        detail = self.panel.detail
        if detail is None:
            return None
        member = next((m for m in detail.members if m.id == person_id), None)
        if member is None:
            return None
        relations = [r for r in Relation if r is not Relation.HEAD]
        labels = [tr_label("registry", r.label) for r in relations]
        former = detail.head.name if detail.head else ""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("变更户主"))
        dialog.setLabelText(
            self.tr("将“{new}”设为户主。原户主“{old}”与新户主的关系：").format(
                new=member.name, old=former
            )
        )
        dialog.setComboBoxItems(labels)
        dialog.setComboBoxEditable(False)

        def apply(label: str) -> None:
            relation = relations[labels.index(label)]
            try:
                self._after_change(
                    self.services.households.change_head(
                        detail.id, detail.version, member.id, relation
                    ),
                    member.id,
                )
            except DeskAppError as exc:
                show_error(self, exc, on_reload=self.reload_household)

        # QInputDialog reports the choice after ``finished``; deletion waits for the loop.
        dialog.textValueSelected.connect(apply)
        return open_dialog(dialog)

    def add_category(self) -> CategoryDialog | None:
        detail = self.panel.detail
        if detail is None:
            return None
        dialog = CategoryDialog(
            parent=self,
            household=detail,
            save=lambda category, start, end, note: self.services.households.add_category(
                detail.id, category, start, end, note
            ),
            today=self.services.context.today,
        )
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail))

    def end_category(self, record_id: int) -> EndCategoryDialog | None:
        """Ask for the last day of an open category record, then end it."""
        detail = self.panel.detail
        record = next((c for c in detail.categories if c.id == record_id), None) if detail else None
        if detail is None or record is None or record.end_date is not None:
            return None
        dialog = EndCategoryDialog(
            lambda end: self.services.households.end_category(record_id, end),
            record,
            household=detail,
            today=self.services.context.today,
            parent=self,
        )
        return open_dialog(dialog, lambda: self._after_change(dialog.result_detail))
