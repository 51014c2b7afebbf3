"""Move one member to another household (户内迁移): find the target, pick the relation.

Moving is explicit and visible: the sentence "将 张三 从 户 X 迁入 户 Y" is shown above
the buttons before anything is saved, and nothing is saved until 保存.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.household import PERSON_FIELDS, relation_problem
from desk_app.domain.registry import Relation
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import HouseholdDetail, PersonDetail, PersonRow, SearchPage
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    form_layout,
    label_text,
    reload_offer,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_label, tr_message
from ui.widgets.enum_combo import EnumCombo

SearchFn = Callable[[str], SearchPage]
SaveMove = Callable[[int, Relation], HouseholdDetail]

SEARCH_DELAY_MS = 200
"""Wait for a pause in typing before searching: one query per word, not per keystroke."""

_HOUSEHOLD_ID_ROLE = Qt.ItemDataRole.UserRole
_HOUSEHOLD_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


class MovePersonDialog(QDialog):
    """Search households, choose one and a relation, then move ``person`` there.

    Args:
        person: the member to move.
        source: the household the member is in now.
        search: ``services.search.search``.
        save: the move, e.g. a lambda around
            ``services.households.move_person(person.id, person.version, target_id, relation)``.
        parent: Qt parent.

    After 保存 succeeds, ``result_detail`` holds the target household as saved.
    """

    def __init__(
        self,
        person: PersonDetail,
        source: HouseholdDetail,
        *,
        search: SearchFn,
        save: SaveMove,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_stale: Callable[[], None] | None = None
        """Set by the page: shows the record afresh (see :func:`ui.dialogs.reload_offer`)."""
        self._person = person
        self._source = source
        self._search = search
        self._save = save
        self._error_box: QMessageBox | None = None
        self.result_detail: HouseholdDetail | None = None
        self.setWindowTitle(self.tr("迁移成员 — {name}").format(name=person.name))
        self.setStyleSheet(FORM_STYLE)

        intro = QLabel(
            self.tr("{name}（{sex}，{age}岁，{id}）现属户 {number}。请查找要迁入的户。").format(
                name=person.name,
                sex=person.sex,
                age=person.age,
                id=person.id_masked,
                number=source.number,
            )
        )
        intro.setWordWrap(True)

        form = form_layout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("姓名、拼音首字母或身份证号后几位"))
        self.search_edit.setClearButtonEnabled(True)
        form.addRow(self.tr("查找户(&F)："), self.search_edit)
        self.result_list = QListWidget()
        self.result_list.setAccessibleName(self.tr("查找结果"))
        form.addRow(self.tr("迁入户(&T)："), self.result_list)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #666666;")
        form.addRow("", self.status_label)
        self.relation_combo = EnumCombo(
            Relation,
            members=[r for r in Relation if r is not Relation.HEAD],
            allow_none=True,
            none_text=self.tr("（请选择）"),
        )
        form.addRow(label_text(PERSON_FIELDS["relation"], "R"), self.relation_combo)
        unmark_on_change(self.relation_combo)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.problem_label = ProblemLabel(self)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.result_list.currentItemChanged.connect(self._on_result_list_current_item_changed)
        self.relation_combo.currentIndexChanged.connect(
            self._on_relation_combo_current_index_changed
        )
        # Enter in the search box searches now; Enter on a result goes on to the relation.
        self.search_edit.installEventFilter(self)
        self.result_list.installEventFilter(self)

        QWidget.setTabOrder(self.search_edit, self.result_list)
        QWidget.setTabOrder(self.result_list, self.relation_combo)
        self.resize(560, 480)
        self.search_edit.setFocus()
        self._update_summary()

    # -------------------------------------------------------------------- API
    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def target(self) -> tuple[int, str] | None:
        """``(household id, 户编号)`` of the chosen household."""
        selected = self.result_list.selectedItems()
        if not selected:
            return None
        item = selected[0]
        return int(item.data(_HOUSEHOLD_ID_ROLE)), str(item.data(_HOUSEHOLD_NUMBER_ROLE))

    def search_now(self) -> None:
        self._timer.stop()
        self._run_search(self.search_edit.text())

    # ------------------------------------------------------------ Qt override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.search_edit:
                self.search_now()
                if self.result_list.count():
                    self.result_list.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if watched is self.result_list and self.relation_combo.value() is None:
                self.relation_combo.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ slots
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self._run_search(self.search_edit.text())

    def _on_result_list_current_item_changed(
        self, _current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        set_invalid(self.result_list, False)
        self._update_summary()

    def _on_relation_combo_current_index_changed(self, _index: int) -> None:
        self._update_summary()

    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        set_invalid(self.relation_combo, False)
        set_invalid(self.result_list, False)
        target = self.target()
        relation = self.relation_combo.value()
        try:
            problems = []
            if target is None:
                problems.append(_target_required())
            rel_problem = relation_problem(relation)
            if rel_problem is not None:
                problems.append(rel_problem)
            if problems:
                raise ValidationError(problems)
            assert target is not None
            assert relation is not None
            detail = self._save(target[0], relation)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc, on_reload=reload_offer(self, self.on_stale))
            return
        self.result_detail = detail
        self.accept()

    # ---------------------------------------------------------------- helpers
    def _run_search(self, text: str) -> None:
        previous = self.target()
        self.result_list.clear()
        if not text.strip():
            self.status_label.setText("")
            self._update_summary()
            return
        try:
            page = self._search(text)
        except DeskAppError as exc:
            self.status_label.setText(tr_message(exc.message))
            # One box at a time: a broken database must not spawn one per keystroke.
            if self._error_box is None or not self._error_box.isVisible():
                self._error_box = show_error(self, exc)
            self._update_summary()
            return
        rows = self._households(page.rows)
        for row in rows:
            item = QListWidgetItem(self._row_text(row))
            item.setData(_HOUSEHOLD_ID_ROLE, row.household_id)
            item.setData(_HOUSEHOLD_NUMBER_ROLE, row.household_number)
            self.result_list.addItem(item)
            if previous is not None and row.household_id == previous[0]:
                self.result_list.setCurrentItem(item)
        if not rows:
            self.status_label.setText(self.tr("没有找到其他户"))
        elif page.next_cursor is not None:
            self.status_label.setText(self.tr("只列出前面一部分，请输入更完整的姓名"))
        else:
            self.status_label.setText(self.tr("找到 {count} 户").format(count=len(rows)))
        self._update_summary()

    def _households(self, rows: Sequence[PersonRow]) -> list[PersonRow]:
        """One line per household (the first matching member), without the source."""
        seen: set[int] = set()
        result: list[PersonRow] = []
        for row in rows:
            if row.household_id is None or row.household_id == self._source.id:
                continue
            if row.household_id in seen:
                continue
            seen.add(row.household_id)
            result.append(row)
        return result

    def _row_text(self, row: PersonRow) -> str:
        relation = tr_label("registry", row.relation_label) if row.relation_label else ""
        who = f"{row.name}（{relation}）" if relation else row.name
        place = "".join(part for part in (row.village, row.group_name) if part)
        return "　".join(
            part
            for part in (self.tr("户 {number}").format(number=row.household_number), who, place)
            if part
        )

    def _update_summary(self) -> None:
        target = self.target()
        if target is None:
            self.summary_label.setText(self.tr("尚未选择迁入户。"))
            self.save_button().setEnabled(False)
            return
        self.summary_label.setText(
            self.tr("将 {name} 从 户 {source} 迁入 户 {target}").format(
                name=self._person.name, source=self._source.number, target=target[1]
            )
        )
        self.save_button().setEnabled(True)

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        widgets = {"relation": self.relation_combo, "household": self.result_list}
        marked = [w for w in (widgets.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)


def _target_required() -> FieldProblem:
    return FieldProblem(
        "household",
        QT_TRANSLATE_NOOP("fields", "迁入户"),
        Message("validation", QT_TRANSLATE_NOOP("validation", "请在查找结果中选择要迁入的户")),
    )
