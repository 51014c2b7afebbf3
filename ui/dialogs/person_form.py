"""Every field of a person (家庭成员), in tabs that fit a 1024×700 screen.

Used on its own page by :class:`~ui.dialogs.person_dialog.PersonDialog` and embedded
for the 户主 in :class:`~ui.dialogs.household_dialog.HouseholdDialog`. The form only
gathers input; the service validates it and the dialog shows the problems here.

Edit mode shows what the DTO carries: the ID number and the phone masked. A new full
number is typed only after ticking "更正身份证号码" / "更改联系电话", so an unchanged
number is never retyped, and a masked number is never saved by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.household import PERSON_FIELDS, PersonInput
from desk_app.domain.registry import (
    CertificateCheck,
    ChildStatus,
    DisabilityCategory,
    Employment,
    Labelled,
    LabourAbility,
    Relation,
    SchoolingStage,
    SelfCare,
)
from desk_app.errors import FieldProblem
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import PersonDetail
from ui.dialogs import (
    ERROR_COLOR,
    add_row,
    align_label_with,
    align_labels,
    chain_tab_order,
    form_layout,
    label_text,
    repolish,
    set_invalid,
    unmark_on_change,
)
from ui.widgets.enum_combo import EnumCombo
from ui.widgets.id_number_edit import IdNumberEdit
from ui.widgets.permission_gate import lock_widget
from ui.widgets.reveal import NOT_ALLOWED_TEXT, RevealButton, Revealer, services_of

_GRADES = (
    (1, QT_TRANSLATE_NOOP("PersonForm", "一级")),
    (2, QT_TRANSLATE_NOOP("PersonForm", "二级")),
    (3, QT_TRANSLATE_NOOP("PersonForm", "三级")),
    (4, QT_TRANSLATE_NOOP("PersonForm", "四级")),
)

_NOTE_LINES = 2

E = TypeVar("E", bound=Labelled)


def _field(key: str, mnemonic: str = "") -> str:
    return label_text(PERSON_FIELDS[key], mnemonic)


def _check_text(key: str) -> str:
    return QCoreApplication.translate("fields", PERSON_FIELDS[key])


class PersonForm(QWidget):
    """Input for one :class:`~desk_app.domain.household.PersonInput` (+ optional relation).

    Args:
        parent: Qt parent.
        existing: the person being edited; None registers a new person.
        with_relation: show 与户主关系.
        relation_choices: relations offered; default every relation except 户主 (the
            head is registered with the household). When editing the 户主 the combo
            shows only 户主 and is locked: the service changes heads via "变更户主".
        today: the date ages are computed on (the services' clock).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        existing: PersonDetail | None = None,
        with_relation: bool = False,
        relation_choices: Sequence[Relation] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._existing = existing
        self._stored_cert_no = False
        self._today = today
        self._field_widgets: dict[str, QWidget] = {}
        self._forms: list[QFormLayout] = []

        self.tabs = QTabWidget(self)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.addTab(self._basic_page(with_relation, relation_choices),
                         self.tr("基本信息"))  # fmt: skip
        self.tabs.addTab(self._disability_page(), self.tr("残疾"))
        self.tabs.addTab(self._ability_page(), self.tr("疾病与能力"))
        self.tabs.addTab(self._school_work_page(), self.tr("就学与就业"))
        self.tabs.addTab(self._care_page(), self.tr("关爱标记"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        for widget in self._field_widgets.values():
            unmark_on_change(widget)
        if existing is not None:
            self._fill(existing)
            self._lock_hidden(existing)
        else:
            self._fill_defaults()
        align_labels(self._forms)
        # The ID number's hint line sits under the input: keep its label on the input.
        align_label_with(self._basic_form, self.id_edit, self.id_edit.line_edit)
        # 更正身份证号码 / 更改联系电话 share one width, so the two masked fields line up.
        checks = [c for c in (self.correct_id_check, self.change_phone_check) if c is not None]
        width = max((c.sizeHint().width() for c in checks), default=0)
        for check in checks:
            check.setMinimumWidth(width)
        self._on_has_cert_check_toggled(self.has_cert_check.isChecked())
        self._set_tab_order()

    # ------------------------------------------------------------- masking (#8)
    def _reveal_button(self, existing: PersonDetail) -> RevealButton:
        """显示完整 for roles that may: the ID number and phone in full for a while."""
        self.revealer = Revealer(lambda: services_of(self), self)
        self.reveal_button = RevealButton(self.revealer)
        self.reveal_button.set_person(existing.id, has_phone=existing.has_phone)
        self.revealer.revealed.connect(self._on_revealed)
        self.revealer.remasked.connect(self._on_remasked)
        return self.reveal_button

    def _on_revealed(self, values: dict[str, str]) -> None:
        if self.id_masked_edit is not None:
            self.id_masked_edit.setText(values["id_number"])
        if "phone" in values and not self._phone_changing():
            self.phone_edit.setText(values["phone"])

    def _on_remasked(self) -> None:
        if self._existing is None:
            return
        if self.id_masked_edit is not None:
            self.id_masked_edit.setText(self._existing.id_masked)
        if self._existing.has_phone and not self._phone_changing():
            self._show_masked_phone()

    def _phone_changing(self) -> bool:
        return self.change_phone_check is not None and self.change_phone_check.isChecked()

    def _lock_hidden(self, p: PersonDetail) -> None:
        """Fields this role may not see arrive blank: say so and keep them untouchable
        (the service keeps what is stored whatever is sent)."""
        hidden_text = QCoreApplication.translate("Reveal", NOT_ALLOWED_TEXT)
        widgets: list[QWidget] = []
        if p.health_hidden:
            widgets += [
                self.category_combo, self.grade_combo, self.major_illness_check,
                self.chronic_illness_check, self.mental_disorder_check, self.bedridden_check,
                self.illness_note_edit,
            ]  # fmt: skip
            self.illness_note_edit.setPlaceholderText(hidden_text)
            for combo in (self.category_combo, self.grade_combo):
                combo.setItemText(0, hidden_text)
                combo.setCurrentIndex(0)
        if p.child_hidden:
            widgets += [self.child_status_combo, self.dropped_out_check, self.left_behind_check]
            self.child_status_combo.setItemText(self.child_status_combo.currentIndex(), hidden_text)
        for widget in widgets:
            lock_widget(widget, hidden_text)

    # ------------------------------------------------------------------ pages
    def _basic_page(
        self,
        with_relation: bool,
        relation_choices: Sequence[Relation] | None,
    ) -> QWidget:
        page = QWidget()
        form = form_layout(page)
        self._forms.append(form)
        self._basic_form: QFormLayout = form

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(40)
        self.name_edit.setPlaceholderText(self.tr("与身份证一致"))
        form.addRow(_field("name", "N"), self.name_edit)

        self.id_edit = IdNumberEdit(today=self._today)
        self.id_masked_edit: QLineEdit | None = None
        self.correct_id_check: QCheckBox | None = None
        if self._existing is None:
            form.addRow(_field("id_number", "I"), self.id_edit)
        else:
            self.id_masked_edit = QLineEdit(self._existing.id_masked)
            self.id_masked_edit.setReadOnly(True)
            self.id_masked_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.correct_id_check = QCheckBox(self.tr("更正身份证号码(&C)"))
            self.correct_id_check.toggled.connect(self._on_correct_id_check_toggled)
            row = QHBoxLayout()
            row.addWidget(self.id_masked_edit, 1)
            row.addWidget(self._reveal_button(self._existing))
            row.addWidget(self.correct_id_check)
            add_row(form, _field("id_number", "I"), row, buddy=self.correct_id_check)
            self.id_info_label = QLabel(self._derived_text(self._existing))
            self.id_info_label.setStyleSheet("color: #666666;")
            form.addRow("", self.id_info_label)
            form.addRow(self.tr("新号码："), self.id_edit)
            form.setRowVisible(self.id_edit, False)
        self._field_widgets["id_number"] = self.id_edit.line_edit

        self.relation_combo: EnumCombo[Relation] | None = None
        if with_relation:
            self.relation_combo = self._relation_combo(relation_choices)
            form.addRow(_field("relation", "R"), self.relation_combo)
            self._field_widgets["relation"] = self.relation_combo

        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(20)
        self.phone_edit.setPlaceholderText(self.tr("手机号或带区号的座机号"))
        self.change_phone_check: QCheckBox | None = None
        # A stored phone is shown masked; unless the clerk ticks 更改, it is kept as stored.
        if self._existing is not None and self._existing.has_phone:
            self.change_phone_check = QCheckBox(self.tr("更改联系电话(&H)"))
            self.change_phone_check.toggled.connect(self._on_change_phone_check_toggled)
            self._show_masked_phone()
            row = QHBoxLayout()
            row.addWidget(self.phone_edit, 1)
            row.addWidget(self.change_phone_check)
            add_row(form, _field("phone", "P"), row, buddy=self.phone_edit)
        else:
            form.addRow(_field("phone", "P"), self.phone_edit)
        self._field_widgets["name"] = self.name_edit
        self._field_widgets["phone"] = self.phone_edit

        self.note_edit = self._note_edit()
        form.addRow(_field("note"), self.note_edit)
        self._field_widgets["note"] = self.note_edit
        return page

    def _disability_page(self) -> QWidget:
        page = QWidget()
        form = form_layout(page)
        self._forms.append(form)
        self.has_cert_check = QCheckBox(_check_text("has_disability_cert"))
        self.has_cert_check.toggled.connect(self._on_has_cert_check_toggled)
        form.addRow("", self.has_cert_check)
        self.cert_no_edit = QLineEdit()
        self.cert_no_edit.setMaxLength(30)
        form.addRow(_field("disability_cert_no"), self.cert_no_edit)
        self.category_combo = EnumCombo(DisabilityCategory, allow_none=True)
        form.addRow(_field("disability_category"), self.category_combo)
        self.grade_combo = QComboBox()
        self.grade_combo.addItem(self.tr("（未填）"), None)
        for grade, text in _GRADES:
            self.grade_combo.addItem(self.tr(text), grade)
        form.addRow(_field("disability_grade"), self.grade_combo)
        self.check_combo = EnumCombo(CertificateCheck, allow_none=True)
        form.addRow(_field("disability_check"), self.check_combo)
        self._no_cert_hint = QLabel(
            self.tr("未持证的，等级不填；请在“疾病与能力”页的疾病说明中注明，并转残联评定。")
        )
        self._no_cert_hint.setWordWrap(True)
        self._no_cert_hint.setStyleSheet("color: #666666;")
        form.addRow("", self._no_cert_hint)
        self._field_widgets.update(
            has_disability_cert=self.has_cert_check,
            disability_cert_no=self.cert_no_edit,
            disability_category=self.category_combo,
            disability_grade=self.grade_combo,
            disability_check=self.check_combo,
        )
        return page

    def _ability_page(self) -> QWidget:
        page = QWidget()
        form = form_layout(page)
        self._forms.append(form)
        self.major_illness_check = QCheckBox(_check_text("major_illness"))
        self.chronic_illness_check = QCheckBox(_check_text("chronic_illness"))
        self.mental_disorder_check = QCheckBox(_check_text("mental_disorder"))
        self.bedridden_check = QCheckBox(_check_text("bedridden"))
        grid = QGridLayout()
        for i, box in enumerate(
            (self.major_illness_check, self.chronic_illness_check,
             self.mental_disorder_check, self.bedridden_check)
        ):  # fmt: skip
            grid.addWidget(box, i // 2, i % 2)
        grid.setColumnStretch(2, 1)
        form.addRow(self.tr("疾病情况："), grid)
        self.illness_note_edit = QLineEdit()
        self.illness_note_edit.setMaxLength(200)
        self.illness_note_edit.setPlaceholderText(self.tr("病名、诊断医院、未评定的残疾等"))
        form.addRow(_field("illness_note"), self.illness_note_edit)
        self.labour_combo = EnumCombo(LabourAbility)
        form.addRow(_field("labour_ability"), self.labour_combo)
        self.self_care_combo = EnumCombo(SelfCare)
        form.addRow(_field("self_care"), self.self_care_combo)
        self._field_widgets.update(
            major_illness=self.major_illness_check,
            chronic_illness=self.chronic_illness_check,
            mental_disorder=self.mental_disorder_check,
            bedridden=self.bedridden_check,
            illness_note=self.illness_note_edit,
            labour_ability=self.labour_combo,
            self_care=self.self_care_combo,
        )
        return page

    def _school_work_page(self) -> QWidget:
        page = QWidget()
        form = form_layout(page)
        self._forms.append(form)
        self.employment_combo = EnumCombo(Employment)
        form.addRow(_field("employment"), self.employment_combo)
        self.schooling_combo = EnumCombo(SchoolingStage)
        form.addRow(_field("schooling_stage"), self.schooling_combo)
        self.boarding_check = QCheckBox(_check_text("boarding"))
        self.dropped_out_check = QCheckBox(_check_text("dropped_out"))
        row = QHBoxLayout()
        row.addWidget(self.boarding_check)
        row.addWidget(self.dropped_out_check)
        row.addStretch(1)
        form.addRow(self.tr("在学情况："), row)
        self._field_widgets.update(
            employment=self.employment_combo,
            schooling_stage=self.schooling_combo,
            boarding=self.boarding_check,
            dropped_out=self.dropped_out_check,
        )
        return page

    def _care_page(self) -> QWidget:
        page = QWidget()
        form = form_layout(page)
        self._forms.append(form)
        self.child_status_combo = EnumCombo(ChildStatus)
        form.addRow(_field("child_status"), self.child_status_combo)
        self.left_behind_check = QCheckBox(_check_text("left_behind"))
        self.living_alone_check = QCheckBox(_check_text("living_alone"))
        self.solitary_check = QCheckBox(_check_text("solitary"))
        row = QHBoxLayout()
        for box in (self.left_behind_check, self.living_alone_check, self.solitary_check):
            row.addWidget(box)
        row.addStretch(1)
        form.addRow(self.tr("关爱对象："), row)
        self._field_widgets.update(
            child_status=self.child_status_combo,
            left_behind=self.left_behind_check,
            living_alone=self.living_alone_check,
            solitary=self.solitary_check,
        )
        return page

    def _relation_combo(self, choices: Sequence[Relation] | None) -> EnumCombo[Relation]:
        current = (
            Relation(self._existing.relation)
            if self._existing and self._existing.relation
            else None
        )
        if current is Relation.HEAD:
            combo = EnumCombo(Relation, members=[Relation.HEAD])
            combo.setEnabled(False)
            combo.setToolTip(self.tr("户主的变更请在户页面使用“变更户主”"))
            return combo
        members = (
            list(choices)
            if choices is not None
            else [r for r in Relation if r is not Relation.HEAD]
        )
        if current is not None and current not in members:
            members.append(current)
        combo = EnumCombo(
            Relation, members=members, allow_none=True, none_text=self.tr("（请选择）")
        )
        combo.set_value(current)
        return combo

    def _note_edit(self) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        # Tab moves on (keyboard-only use); a note needs no tab characters.
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * _NOTE_LINES + 12)
        return edit

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.name_edit]
        if self.correct_id_check is not None:
            chain.append(self.correct_id_check)
        chain.append(self.id_edit.line_edit)
        if self.relation_combo is not None:
            chain.append(self.relation_combo)
        chain.append(self.phone_edit)
        if self.change_phone_check is not None:
            chain.append(self.change_phone_check)
        chain += [
            self.note_edit, self.has_cert_check, self.cert_no_edit, self.category_combo,
            self.grade_combo, self.check_combo, self.major_illness_check,
            self.chronic_illness_check, self.mental_disorder_check, self.bedridden_check,
            self.illness_note_edit, self.labour_combo, self.self_care_combo,
            self.employment_combo, self.schooling_combo, self.boarding_check,
            self.dropped_out_check, self.child_status_combo, self.left_behind_check,
            self.living_alone_check, self.solitary_check,
        ]  # fmt: skip
        chain_tab_order(chain)

    # ------------------------------------------------------------------- data
    def _fill(self, p: PersonDetail) -> None:
        self.name_edit.setText(p.name)
        self.note_edit.setPlainText(p.note)
        self.has_cert_check.setChecked(p.has_disability_cert)
        # Shown masked as a hint only: an empty field keeps the stored number.
        self._stored_cert_no = bool(p.disability_cert_no_masked)
        if self._stored_cert_no:
            self.cert_no_edit.setPlaceholderText(
                self.tr("{masked}（不修改请留空）").format(masked=p.disability_cert_no_masked)
            )
        self.category_combo.set_value(p.disability_category)
        self.grade_combo.setCurrentIndex(max(0, self.grade_combo.findData(p.disability_grade)))
        self.check_combo.set_value(p.disability_check)
        self.major_illness_check.setChecked(p.major_illness)
        self.chronic_illness_check.setChecked(p.chronic_illness)
        self.mental_disorder_check.setChecked(p.mental_disorder)
        self.bedridden_check.setChecked(p.bedridden)
        self.illness_note_edit.setText(p.illness_note)
        self.labour_combo.set_value(p.labour_ability)
        self.self_care_combo.set_value(p.self_care)
        self.employment_combo.set_value(p.employment)
        self.schooling_combo.set_value(p.schooling_stage)
        self.boarding_check.setChecked(p.boarding)
        self.dropped_out_check.setChecked(p.dropped_out)
        self.child_status_combo.set_value(p.child_status)
        self.left_behind_check.setChecked(p.left_behind)
        self.living_alone_check.setChecked(p.living_alone)
        self.solitary_check.setChecked(p.solitary)

    def _derived_text(self, p: PersonDetail) -> str:
        """What the stored number says, e.g. "男 · 1980-01-01 · 46岁"."""
        sex = self.tr("男") if p.sex == "男" else self.tr("女")
        age = self.tr("{age}岁").format(age=p.age)
        return f"{sex} · {p.birth_date.isoformat()} · {age}"

    def _fill_defaults(self) -> None:
        """Start from the domain's defaults (e.g. 就业状况 "不适用"), not the first item."""
        blank = PersonInput(name="", id_number=None)
        self.labour_combo.set_value(blank.labour_ability)
        self.self_care_combo.set_value(blank.self_care)
        self.employment_combo.set_value(blank.employment)
        self.schooling_combo.set_value(blank.schooling_stage)
        self.child_status_combo.set_value(blank.child_status)

    def to_input(self) -> PersonInput:
        """The form as a :class:`PersonInput`; ``id_number`` None means "unchanged".

        Disability details count only while 持残疾人证 is ticked: the fields are disabled
        otherwise, and a grade without a certificate is not allowed.
        """
        cert = self.has_cert_check.isChecked()
        return PersonInput(
            name=self.name_edit.text(),
            id_number=self._id_number(),
            phone=None if self._phone_kept() else self.phone_edit.text().strip(),
            has_disability_cert=cert,
            disability_cert_no=self._cert_no() if cert else "",
            disability_category=self.category_combo.value() if cert else None,
            disability_grade=self.grade_combo.currentData() if cert else None,
            disability_check=self.check_combo.value() if cert else None,
            major_illness=self.major_illness_check.isChecked(),
            chronic_illness=self.chronic_illness_check.isChecked(),
            mental_disorder=self.mental_disorder_check.isChecked(),
            bedridden=self.bedridden_check.isChecked(),
            illness_note=self.illness_note_edit.text().strip(),
            labour_ability=self._required(self.labour_combo),
            self_care=self._required(self.self_care_combo),
            employment=self._required(self.employment_combo),
            schooling_stage=self._required(self.schooling_combo),
            boarding=self.boarding_check.isChecked(),
            dropped_out=self.dropped_out_check.isChecked(),
            child_status=self._required(self.child_status_combo),
            left_behind=self.left_behind_check.isChecked(),
            living_alone=self.living_alone_check.isChecked(),
            solitary=self.solitary_check.isChecked(),
            note=self.note_edit.toPlainText().strip(),
        )

    def relation(self) -> Relation | None:
        return self.relation_combo.value() if self.relation_combo is not None else None

    def _id_number(self) -> str | None:
        if self.correct_id_check is not None and not self.correct_id_check.isChecked():
            return None
        return self.id_edit.value()

    def _cert_no(self) -> str | None:
        typed = self.cert_no_edit.text().strip()
        return None if not typed and self._stored_cert_no else typed

    def _phone_kept(self) -> bool:
        """The stored phone stays as it is (the form only saw it masked)."""
        return self.change_phone_check is not None and not self.change_phone_check.isChecked()

    @staticmethod
    def _required(combo: EnumCombo[E]) -> E:
        value = combo.value()
        assert value is not None  # these combos have no none item
        return value

    # --------------------------------------------------------------- problems
    def field_widget(self, field: str) -> QWidget | None:
        """The widget showing ``field`` (a PersonInput attribute name or ``relation``)."""
        return self._field_widgets.get(field)

    def show_problems(self, problems: Sequence[FieldProblem], *, focus: bool = True) -> bool:
        """Mark the widgets named by ``problems``; return whether any was one of ours.

        The tabs holding a problem turn red; with ``focus`` the first one is shown and
        its widget gets the keyboard focus.
        """
        first: QWidget | None = None
        for problem in problems:
            widget = self._field_widgets.get(problem.field)
            if widget is None:
                continue
            if problem.field == "id_number" and self.correct_id_check is not None:
                # A problem with a stored number can only be fixed by correcting it.
                self.correct_id_check.setChecked(True)
            if problem.field == "phone" and self.change_phone_check is not None:
                self.change_phone_check.setChecked(True)
            set_invalid(widget, True)
            index = self._tab_of(widget)
            if index >= 0:
                self.tabs.tabBar().setTabTextColor(index, QColor(ERROR_COLOR))
            first = first or widget
        if first is not None and focus:
            self.focus_widget(first)
        return first is not None

    def focus_widget(self, widget: QWidget) -> None:
        index = self._tab_of(widget)
        if index >= 0:
            self.tabs.setCurrentIndex(index)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        for index in range(self.tabs.count()):
            self.tabs.tabBar().setTabTextColor(index, QColor())

    def _tab_of(self, widget: QWidget) -> int:
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and page.isAncestorOf(widget):
                return index
        return -1

    # ------------------------------------------------------------------ slots
    def _on_has_cert_check_toggled(self, checked: bool) -> None:
        for widget in (self.cert_no_edit, self.category_combo, self.grade_combo, self.check_combo):
            widget.setEnabled(checked)
        self._no_cert_hint.setVisible(not checked)

    def _on_correct_id_check_toggled(self, checked: bool) -> None:
        self._basic_form.setRowVisible(self.id_edit, checked)
        if checked:
            self.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            set_invalid(self.id_edit.line_edit, False)

    def _on_change_phone_check_toggled(self, checked: bool) -> None:
        if checked:
            self.phone_edit.setReadOnly(False)
            repolish(self.phone_edit)
            self.phone_edit.clear()
            self.phone_edit.setPlaceholderText(self.tr("新号码；留空表示删除"))
            self.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            set_invalid(self.phone_edit, False)
            self._show_masked_phone()

    def _show_masked_phone(self) -> None:
        assert self._existing is not None
        self.phone_edit.setText(self._existing.phone_masked)
        self.phone_edit.setReadOnly(True)
        repolish(self.phone_edit)
