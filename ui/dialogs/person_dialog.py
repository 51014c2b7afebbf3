"""Add a member to a household or edit one member (one service call on 保存)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from desk_app.domain.household import PersonInput
from desk_app.domain.registry import Relation
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.services.dto import HouseholdDetail, PersonDetail
from ui.dialogs import FORM_STYLE, ProblemLabel, reload_offer, save_cancel_buttons
from ui.dialogs.person_form import PersonForm
from ui.errors import show_error

SavePerson = Callable[[PersonInput, Relation | None], HouseholdDetail]


class PersonDialog(QDialog):
    """A :class:`PersonForm` with 保存/取消.

    Args:
        save: the service call, e.g. ``partial(services.households.add_member, household_id)``
            or a lambda around ``update_person(person_id, version, data, relation)``.
        existing: the member being edited; None adds a new member.
        title: window title; a sensible default otherwise.
        with_relation: show 与户主关系.
        relation_choices: relations offered (leave out 户主 when the household has one).
        today: the services' date, for ages.
        parent: Qt parent.

    After 保存 succeeds, ``result_detail`` holds the household as saved.
    """

    def __init__(
        self,
        save: SavePerson,
        *,
        existing: PersonDetail | None = None,
        title: str = "",
        with_relation: bool = True,
        relation_choices: Sequence[Relation] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_stale: Callable[[], None] | None = None
        """Set by the page: shows the record afresh (see :func:`ui.dialogs.reload_offer`)."""
        self._save = save
        self.result_detail: HouseholdDetail | None = None
        if title:
            self.setWindowTitle(title)
        elif existing is None:
            self.setWindowTitle(self.tr("登记家庭成员"))
        else:
            self.setWindowTitle(self.tr("修改成员信息 — {name}").format(name=existing.name))
        self.setStyleSheet(FORM_STYLE)

        self.form = PersonForm(
            self,
            existing=existing,
            with_relation=with_relation,
            relation_choices=relation_choices,
            today=today,
        )
        self.problem_label = ProblemLabel(self)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)
        self.resize(640, 440)
        self.form.name_edit.setFocus()

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def _on_button_box_accepted(self) -> None:
        self.form.clear_problems()
        self.problem_label.clear_problems()
        try:
            data = self.form.to_input()
            detail = self._save(data, self.form.relation())
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc, on_reload=reload_offer(self, self.on_stale))
            return
        self.result_detail = detail
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        self.form.show_problems(problems)
