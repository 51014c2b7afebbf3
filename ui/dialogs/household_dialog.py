"""Register a household with its 户主, or edit the household's own fields.

Registering is one service call (household and head in one transaction), so a failure
leaves nothing half-saved and the dialog keeps everything typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.household import HOUSEHOLD_FIELDS, HouseholdInput, PersonInput
from desk_app.domain.registry import ResidenceType
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.services.dto import HouseholdDetail
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    add_row,
    chain_tab_order,
    form_layout,
    label_text,
    problem_line,
    reload_offer,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.dialogs.person_form import PersonForm
from ui.errors import show_error
from ui.widgets.enum_combo import EnumCombo

SaveNew = Callable[[HouseholdInput, PersonInput], HouseholdDetail]
SaveEdit = Callable[[HouseholdInput], HouseholdDetail]

HEAD_PREFIX = "head."
"""``register()`` names the 户主's fields ``head.name``, ``head.note``…; household ones plainly."""
_NOTE_LINES = 2


def _field(key: str, mnemonic: str = "") -> str:
    return label_text(HOUSEHOLD_FIELDS[key], mnemonic)


class HouseholdDialog(QDialog):
    """Household fields (+ the 户主's form when registering).

    Args:
        villages: known 村（社区） names offered while typing.
        save_new: ``services.households.register``; required when ``existing`` is None.
        save_edit: the edit call, e.g. a lambda around ``update_household(id, version, data)``;
            required when ``existing`` is given.
        existing: the household being edited.
        today: the services' date, for ages.
        parent: Qt parent.

    After 保存 succeeds, ``result_detail`` holds the household as saved.
    """

    def __init__(
        self,
        *,
        villages: Sequence[str] = (),
        save_new: SaveNew | None = None,
        save_edit: SaveEdit | None = None,
        existing: HouseholdDetail | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_stale: Callable[[], None] | None = None
        """Set by the page: shows the record afresh (see :func:`ui.dialogs.reload_offer`)."""
        if existing is None and save_new is None:
            raise ValueError("registering a household needs save_new")
        if existing is not None and save_edit is None:
            raise ValueError("editing a household needs save_edit")
        self._save_new = save_new
        self._save_edit = save_edit
        self._existing = existing
        self.result_detail: HouseholdDetail | None = None
        self.setStyleSheet(FORM_STYLE)
        if existing is None:
            self.setWindowTitle(self.tr("登记新户"))
        else:
            self.setWindowTitle(self.tr("修改户信息 — {number}").format(number=existing.number))

        household_box = QGroupBox(self.tr("户信息"), self)
        form = form_layout(household_box)
        if existing is not None:
            number = QLabel(existing.number)
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.tr("户编号："), number)
        self.village_edit = QLineEdit()
        self.village_edit.setMaxLength(60)
        self.village_edit.setPlaceholderText(self.tr("如：新华村、东门社区"))
        completer = QCompleter(sorted(set(villages)), self.village_edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.village_edit.setCompleter(completer)
        self.group_edit = QLineEdit()
        self.group_edit.setMaxLength(30)
        self.group_edit.setPlaceholderText(self.tr("如：3组"))
        # 村 and 组 share a row: they are read together, and the dialog must fit 700 px.
        group_label = QLabel(_field("group_name", "G"))
        group_label.setBuddy(self.group_edit)
        place_row = QHBoxLayout()
        place_row.addWidget(self.village_edit, 3)
        place_row.addWidget(group_label)
        place_row.addWidget(self.group_edit, 1)
        add_row(form, _field("village", "V"), place_row, buddy=self.village_edit)
        self.residence_combo = EnumCombo(ResidenceType)
        self.residence_combo.set_value(ResidenceType.RURAL)
        form.addRow(_field("residence"), self.residence_combo)
        self.address_edit = QLineEdit()
        self.address_edit.setMaxLength(200)
        form.addRow(_field("address", "A"), self.address_edit)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * _NOTE_LINES + 12)
        form.addRow(_field("note"), self.note_edit)
        self._field_widgets: dict[str, QWidget] = {
            "village": self.village_edit,
            "group_name": self.group_edit,
            "residence": self.residence_combo,
            "address": self.address_edit,
            "note": self.note_edit,
        }
        for widget in self._field_widgets.values():
            unmark_on_change(widget)

        self.person_form: PersonForm | None = None
        # The fields scroll, the problems and buttons do not: with the large font the
        # form is taller than a 1024×700 screen, and 保存 must stay reachable.
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(household_box)
        if existing is None:
            head_box = QGroupBox(self.tr("户主"), content)
            head_layout = QVBoxLayout(head_box)
            self.person_form = PersonForm(head_box, today=today)
            head_layout.addWidget(self.person_form)
            content_layout.addWidget(head_box, 1)
        else:
            self._fill(existing)
            content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self._content = content
        self._scroll = scroll
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        self.problem_label = ProblemLabel(self)
        layout.addWidget(self.problem_label)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)
        layout.addWidget(self.button_box)

        chain: list[QWidget] = [
            self.village_edit, self.group_edit, self.residence_combo, self.address_edit, self.note_edit,
        ]  # fmt: skip
        if self.person_form is not None:
            chain.append(self.person_form.name_edit)
        chain_tab_order(chain)
        self._fit_to_screen(content, 600 if existing is None else 320)
        self.village_edit.setFocus()

    def _fit_to_screen(self, content: QWidget, preferred_height: int) -> None:
        """Open tall enough for the whole form when the screen allows, else scroll."""
        chrome = self.button_box.sizeHint().height() + 40  # buttons, margins, spacing
        wanted = max(preferred_height, content.minimumSizeHint().height() + chrome)
        width = max(680, content.minimumSizeHint().width() + 40)
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry().height() - 60  # title bar and a margin
            wanted = min(wanted, room)
        self.resize(width, wanted)

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def household_input(self) -> HouseholdInput:
        residence = self.residence_combo.value()
        assert residence is not None  # no none item
        return HouseholdInput(
            village=self.village_edit.text().strip(),
            group_name=self.group_edit.text().strip(),
            residence=residence,
            address=self.address_edit.text().strip(),
            note=self.note_edit.toPlainText().strip(),
        )

    def field_widget(self, field: str) -> QWidget | None:
        return self._field_widgets.get(field)

    def _fill(self, h: HouseholdDetail) -> None:
        self.village_edit.setText(h.village)
        self.group_edit.setText(h.group_name)
        self.residence_combo.set_value(h.residence)
        self.address_edit.setText(h.address)
        self.note_edit.setPlainText(h.note)

    def _on_button_box_accepted(self) -> None:
        self._clear_problems()
        household = self.household_input()
        try:
            if self.person_form is not None:
                assert self._save_new is not None
                head = self.person_form.to_input()
                detail = self._save_new(household, head)
            else:
                assert self._save_edit is not None
                detail = self._save_edit(household)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc, on_reload=reload_offer(self, self.on_stale))
            return
        self.result_detail = detail
        self.accept()

    def _clear_problems(self) -> None:
        self.problem_label.clear_problems()
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        if self.person_form is not None:
            self.person_form.clear_problems()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        own, theirs = split_head_problems(problems)
        # "户主姓名：…", "户主备注：…": both forms have a 备注, so say whose it is.
        head = self.tr("户主")
        self.problem_label.show_lines(
            [*(problem_line(p) for p in own), *(head + problem_line(p) for p in theirs)]
        )
        first: QWidget | None = None
        for problem in own:
            widget = self._field_widgets.get(problem.field)
            if widget is not None:
                set_invalid(widget, True)
                first = first or widget
        if self.person_form is not None:
            self.person_form.show_problems(theirs, focus=first is None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self._make_room()

    def _make_room(self) -> None:
        """Grow (within the screen) so the problem list does not push the form into scrolling."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        viewport = self._scroll.viewport()
        # Wrapped hints (ID number, problems) make the height depend on the width.
        needed = max(
            self._content.minimumSizeHint().height(), self._content.heightForWidth(viewport.width())
        )
        hidden = needed - viewport.height()
        if hidden <= 0:
            return
        wanted = self.height() + hidden
        screen = self.screen()
        if screen is not None:
            wanted = min(wanted, screen.availableGeometry().height() - 60)
        if wanted > self.height():
            self.resize(self.width(), wanted)


def split_head_problems(
    problems: Sequence[FieldProblem],
) -> tuple[list[FieldProblem], list[FieldProblem]]:
    """``(household problems, 户主 problems)``; the 户主's lose their ``head.`` prefix."""
    own: list[FieldProblem] = []
    theirs: list[FieldProblem] = []
    for problem in problems:
        if problem.field.startswith(HEAD_PREFIX):
            theirs.append(replace(problem, field=problem.field.removeprefix(HEAD_PREFIX)))
        else:
            own.append(problem)
    return own, theirs
