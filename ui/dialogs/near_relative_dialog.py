"""登记近亲属备案: one recipient related to an official or village cadre (issue #7).

The seeds do not refuse such applicants; the relation is filed and the case handled as
any other (domain.md §3.4, §6.2; T15). The clerk finds the person with the registry's
search (name, pinyin initials or the end of the ID number), then names the official,
the position, the unit and the relationship. ``record`` is
``services.near_relatives.record``; its problems are shown on the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from desk_app.errors import DeskAppError, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import PersonRow, SearchPage
from desk_app.services.near_relatives import RELATIONSHIPS, NearRelativeInput, NearRelativeRow
from ui.dialogs import add_row
from ui.dialogs.form_dialog import FormDialog, date_edit, problem, qdate, text_box, to_date
from ui.errors import show_error
from ui.i18n import tr_label

_C = "NearRelativeDialog"
PERSON_ROLE = Qt.ItemDataRole.UserRole


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def person_text(row: PersonRow) -> str:
    place = " ".join(p for p in (row.village, row.group_name) if p)
    return f"{row.name}　{row.id_masked}　{row.household_number}　{place}"


class NearRelativeDialog(FormDialog):
    def __init__(
        self,
        search: Callable[[str], SearchPage],
        record: Callable[[NearRelativeInput], NearRelativeRow],
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_tr("登记近亲属备案"), _tr("保存(&S)"), parent)
        self._search = search
        self._record = record
        self.result_row: NearRelativeRow | None = None
        self.heading(
            _tr("救助对象与村（社区）干部或经办人员有近亲属关系的，如实备案，申请照常受理、审核。")
        )
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("nearRelativeSearch")
        self.search_edit.setPlaceholderText(_tr("姓名、拼音首字母或身份证号后几位"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.search_now)
        add_row(self.form, _tr("查找救助对象(&F)："), self.search_edit)
        self.result_list = QListWidget()
        self.result_list.setObjectName("nearRelativeResults")
        self.result_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        add_row(self.form, _tr("救助对象："), self.result_list)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(40)
        add_row(self.form, _tr("干部姓名(&N)："), self.name_edit)
        self.position_edit = QLineEdit()
        self.position_edit.setMaxLength(60)
        self.position_edit.setPlaceholderText(_tr("如：村委会委员、乡镇民政办工作人员"))
        add_row(self.form, _tr("职务(&P)："), self.position_edit)
        self.unit_edit = QLineEdit()
        self.unit_edit.setMaxLength(60)
        add_row(self.form, _tr("工作单位(&U)："), self.unit_edit)
        self.relationship_combo = QComboBox()
        self.relationship_combo.setEditable(True)
        for text in RELATIONSHIPS:
            self.relationship_combo.addItem(tr_label("ledgers", text))
        self.relationship_combo.setCurrentIndex(-1)
        add_row(self.form, _tr("与对象关系(&R)："), self.relationship_combo)
        self.date_edit = date_edit(today)
        self.date_edit.setMaximumDate(qdate(today))
        add_row(self.form, _tr("备案日期(&D)："), self.date_edit)
        self.note_edit = text_box(2, self)
        add_row(self.form, _tr("备注："), self.note_edit)
        self.fields.update(
            person_id=self.result_list,
            official_name=self.name_edit,
            official_position=self.position_edit,
            official_unit=self.unit_edit,
            relationship=self.relationship_combo,
            filed_on=self.date_edit,
            note=self.note_edit,
        )
        self.finish(
            [
                self.search_edit, self.result_list, self.name_edit, self.position_edit,
                self.unit_edit, self.relationship_combo, self.date_edit, self.note_edit,
            ],
            width=600,
        )  # fmt: skip

    def search_now(self, text: str | None = None) -> None:
        query = (self.search_edit.text() if text is None else text).strip()
        self.result_list.clear()
        if not query:
            return
        try:
            page = self._search(query)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        for row in page.rows:
            if row.household_id is None:
                continue
            item = QListWidgetItem(person_text(row))
            item.setData(PERSON_ROLE, (row.household_id, row.person_id))
            self.result_list.addItem(item)
        if self.result_list.count() == 1:
            self.result_list.setCurrentRow(0)

    def chosen(self) -> tuple[int, int] | None:
        # currentItem() is typed non-optional but is None without a current row.
        item: QListWidgetItem | None = self.result_list.currentItem()
        data = item.data(PERSON_ROLE) if item is not None else None
        return (int(data[0]), int(data[1])) if data else None

    def submit(self) -> bool:
        chosen = self.chosen()
        if chosen is None:
            raise ValidationError(
                [
                    problem(
                        "person_id",
                        QT_TRANSLATE_NOOP("fields", "救助对象"),
                        QT_TRANSLATE_NOOP("validation", "请查找并选中救助对象"),
                    )
                ]
            )
        household_id, person_id = chosen
        self.result_row = self._record(
            NearRelativeInput(
                household_id=household_id,
                person_id=person_id,
                official_name=self.name_edit.text(),
                official_position=self.position_edit.text(),
                relationship=self.relationship_combo.currentText(),
                official_unit=self.unit_edit.text(),
                filed_on=to_date(self.date_edit.date()),
                note=self.note_edit.toPlainText(),
            )
        )
        return True
