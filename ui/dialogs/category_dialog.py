"""Record a category on a household (低保、特困、监测对象…) with its period, or end one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.household import HOUSEHOLD_FIELDS
from desk_app.domain.registry import HouseholdCategory
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import CategoryRecord, HouseholdDetail
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    form_layout,
    label_text,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_label
from ui.widgets.enum_combo import EnumCombo

SaveCategory = Callable[[HouseholdCategory, dt.date, dt.date | None, str], HouseholdDetail]
SaveEnd = Callable[[dt.date], HouseholdDetail]

DATE_FORMAT = "yyyy-MM-dd"
_EARLIEST = QDate(1950, 1, 1)


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(_EARLIEST)
    return edit


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _household_heading(household: HouseholdDetail, parent: QWidget) -> QLabel:
    head = household.head
    return QLabel(
        QCoreApplication.translate("CategoryDialog", "户编号 {number}　户主 {head}").format(
            number=household.number,
            head=head.name if head else QCoreApplication.translate("CategoryDialog", "（无）"),
        ),
        parent,
    )


class CategoryDialog(QDialog):
    """类别, 开始日期, optional 结束日期 and 备注.

    Args:
        save: e.g. ``partial(services.households.add_category, household_id)``.
        household: shown in the heading so the clerk sees which household this is for.
        today: default 开始日期 (the services' date).
        parent: Qt parent.
    """

    def __init__(
        self,
        save: SaveCategory,
        *,
        household: HouseholdDetail | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.result_detail: HouseholdDetail | None = None
        self.setWindowTitle(self.tr("添加类别"))
        self.setStyleSheet(FORM_STYLE)

        layout = QVBoxLayout(self)
        if household is not None:
            layout.addWidget(_household_heading(household, self))

        form = form_layout()
        self.category_combo = EnumCombo(
            HouseholdCategory, allow_none=True, none_text=self.tr("（请选择）")
        )
        form.addRow(label_text(HOUSEHOLD_FIELDS["category"], "K"), self.category_combo)
        day = today()
        self.start_edit = _date_edit(day)
        form.addRow(label_text(HOUSEHOLD_FIELDS["start_date"], "S"), self.start_edit)
        self.end_check = QCheckBox(self.tr("有结束日期(&E)"))
        self.end_edit = _date_edit(day)
        self.end_edit.setEnabled(False)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_check)
        end_row.addWidget(self.end_edit, 1)
        form.addRow(label_text(HOUSEHOLD_FIELDS["end_date"]), end_row)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("如：审批文号"))
        form.addRow(label_text(HOUSEHOLD_FIELDS["note"], "M"), self.note_edit)
        layout.addLayout(form)
        layout.addStretch(1)

        self._field_widgets: dict[str, QWidget] = {
            "category": self.category_combo,
            "start_date": self.start_edit,
            "end_date": self.end_edit,
            "note": self.note_edit,
        }
        for widget in self._field_widgets.values():
            unmark_on_change(widget)
        self.end_check.toggled.connect(self._on_end_check_toggled)

        self.problem_label = ProblemLabel(self)
        layout.addWidget(self.problem_label)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)
        layout.addWidget(self.button_box)
        self.resize(440, 240)
        self.category_combo.setFocus()

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def field_widget(self, field: str) -> QWidget | None:
        return self._field_widgets.get(field)

    def end_date(self) -> dt.date | None:
        return _to_date(self.end_edit.date()) if self.end_check.isChecked() else None

    def _on_end_check_toggled(self, checked: bool) -> None:
        self.end_edit.setEnabled(checked)
        if checked:
            self.end_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            set_invalid(self.end_edit, False)

    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        category = self.category_combo.value()
        try:
            if category is None:
                raise ValidationError([_category_required()])
            detail = self._save(
                category,
                _to_date(self.start_edit.date()),
                self.end_date(),
                self.note_edit.text().strip(),
            )
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.result_detail = detail
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = [w for w in (self._field_widgets.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)


def _category_required() -> FieldProblem:
    return FieldProblem(
        "category",
        HOUSEHOLD_FIELDS["category"],
        Message("validation", QT_TRANSLATE_NOOP("validation", "请选择类别")),
    )


class EndCategoryDialog(QDialog):
    """结束类别: the last day a category applies (default: the services' today).

    Args:
        save: e.g. ``partial(services.households.end_category, record.id)``.
        record: the category being ended; it has no end date yet.
        household: shown in the heading so the clerk sees which household this is for.
        today: the default 结束日期 (the services' date).
        parent: Qt parent.

    After 保存 succeeds, ``result_detail`` holds the household as saved.
    """

    def __init__(
        self,
        save: SaveEnd,
        record: CategoryRecord,
        *,
        household: HouseholdDetail | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.result_detail: HouseholdDetail | None = None
        self.setWindowTitle(self.tr("结束类别"))
        self.setStyleSheet(FORM_STYLE)

        layout = QVBoxLayout(self)
        if household is not None:
            layout.addWidget(_household_heading(household, self))
        form = form_layout()
        category = QLabel(tr_label("registry", HouseholdCategory(record.category).label))
        form.addRow(label_text(HOUSEHOLD_FIELDS["category"]), category)
        form.addRow(
            label_text(HOUSEHOLD_FIELDS["start_date"]), QLabel(record.start_date.isoformat())
        )
        self.end_edit = _date_edit(today())
        form.addRow(label_text(HOUSEHOLD_FIELDS["end_date"], "E"), self.end_edit)
        unmark_on_change(self.end_edit)
        hint = QLabel(self.tr("类别在结束日期当天仍然有效，次日起不再计入。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666666;")
        form.addRow("", hint)
        layout.addLayout(form)
        layout.addStretch(1)

        self.problem_label = ProblemLabel(self)
        layout.addWidget(self.problem_label)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)
        layout.addWidget(self.button_box)
        self.resize(400, 200)
        self.end_edit.setFocus()

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def end_date(self) -> dt.date:
        return _to_date(self.end_edit.date())

    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        set_invalid(self.end_edit, False)
        try:
            detail = self._save(self.end_date())
        except ValidationError as exc:
            self.problem_label.show_problems(exc.problems)
            if any(p.field == "end_date" for p in exc.problems):
                set_invalid(self.end_edit, True)
                self.end_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.result_detail = detail
        self.accept()
