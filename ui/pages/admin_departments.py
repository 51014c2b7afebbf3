"""接收部门: the receiving departments, their contacts, and each one's reply time limit.

Name, contact person, phone and 启用 are saved with ``CatalogueService.save_department``.
The reply limit (答复时限, working days) is a parameter, ``referral.limit_days.<code>``:
a new limit is added with an effective date and a source note, and the earlier values
stay in the history (referrals already made keep the limit they were made with).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.errors import DeskAppError, ValidationError
from desk_app.services.catalogue import DepartmentRow
from desk_app.services.parameters import ParameterValue
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    add_row,
    chain_tab_order,
    form_layout,
    unmark_on_change,
)
from ui.errors import show_error
from ui.pages.admin_common import (
    CompactTable,
    RecordTab,
    actor_text,
    clear_problems,
    date_text,
    datetime_text,
    fill_row,
    from_qdate,
    list_beside_form,
    locality_text,
    note_label,
    scrolling,
    setup_table,
    show_problems,
    status_label,
    table_item,
    to_qdate,
    value_text,
)

log = logging.getLogger(__name__)

COLUMNS = ("名称", "队列", "联系人", "电话", "答复时限(工作日)", "启用")
HISTORY_COLUMNS = ("生效日期", "地区", "时限", "依据", "录入人", "录入时间")
DEFAULT_KEY = "referral.limit_days.default"
MAX_LIMIT_DAYS = 365


def limit_key(code: str) -> str:
    return f"referral.limit_days.{code}"


class DepartmentsTab(RecordTab):
    """接收部门: the table of departments and a form for the selected one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self._departments: dict[str, DepartmentRow] = {}
        self._routed: dict[str, list[str]] = {}
        self._filling = False

        self.table = QTableWidget()
        self.table.setObjectName("departmentTable")
        setup_table(self.table, [self.tr(c) for c in COLUMNS], stretch=0)

        # ---- department
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(60)
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.active_check = QCheckBox(self.tr("启用（接收转介）(&E)"))
        self.routed_label = note_label()
        self.problems = ProblemLabel()
        self.status = status_label()
        self.save_button = QPushButton(self.tr("保存部门信息(&S)"))
        self.save_button.setObjectName("saveDepartment")
        self.revert_button = QPushButton(self.tr("撤销修改"))

        # ---- reply limit (a parameter)
        self.limit_now = QLabel()
        self.limit_now.setWordWrap(True)
        self.history = CompactTable(rows=2)
        self.history.setObjectName("limitHistory")
        setup_table(self.history, [self.tr(c) for c in HISTORY_COLUMNS], stretch=3)
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(1, MAX_LIMIT_DAYS)
        self.limit_spin.setSuffix(self.tr(" 个工作日"))
        self.limit_from = QDateEdit()
        self.limit_from.setCalendarPopup(True)
        self.limit_from.setDisplayFormat("yyyy-MM-dd")
        self.limit_source = QLineEdit()
        self.limit_source.setPlaceholderText(
            self.tr("文件名、文号或会议纪要，如：县政府办公室会议纪要〔2026〕3号")
        )
        self.limit_problems = ProblemLabel()
        self.limit_status = status_label()
        self.add_limit_button = QPushButton(self.tr("新增时限(&A)"))
        self.add_limit_button.setObjectName("addLimit")

        self._build_layout()
        self._field_widgets: dict[str, Any] = {
            "name": self.name_edit,
            "contact": [self.contact_edit, self.phone_edit],
            "active": self.active_check,
        }
        self._limit_widgets: dict[str, Any] = {
            "value": self.limit_spin,
            "effective_from": self.limit_from,
            "source": self.limit_source,
        }
        for widget in (self.name_edit, self.contact_edit, self.phone_edit, self.limit_source):
            unmark_on_change(widget)
        unmark_on_change(self.limit_from)

        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        for signal in (
            self.name_edit.textChanged,
            self.contact_edit.textChanged,
            self.phone_edit.textChanged,
            self.active_check.toggled,
        ):
            signal.connect(self._on_edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.add_limit_button.clicked.connect(self.add_limit)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self.department_box)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        chain_tab_order(
            [
                self.table, self.name_edit, self.contact_edit, self.phone_edit,
                self.active_check, self.revert_button, self.save_button, self.history,
                self.limit_spin, self.limit_from, self.limit_source, self.add_limit_button,
            ]
        )  # fmt: skip
        self.department_box.setEnabled(False)
        self.limit_box.setEnabled(False)

    def _build_layout(self) -> None:
        self.department_box = QGroupBox(self.tr("部门信息"))
        box = QVBoxLayout(self.department_box)
        box.addWidget(self.title)
        form = form_layout()
        add_row(form, self.tr("代码："), self.code_label)
        add_row(form, self.tr("部门名称(&N)："), self.name_edit)
        add_row(form, self.tr("联系人(&C)："), self.contact_edit)
        add_row(form, self.tr("电话(&T)："), self.phone_edit)
        add_row(form, "", self.active_check)
        box.addLayout(form)
        box.addWidget(self.routed_label)
        box.addWidget(self.problems)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        box.addLayout(buttons)

        self.limit_box = QGroupBox(self.tr("答复时限（工作日）"))
        limit = QVBoxLayout(self.limit_box)
        limit.addWidget(self.limit_now)
        limit.addWidget(self.history, 1)
        new = form_layout()
        add_row(new, self.tr("新时限(&L)："), self.limit_spin)
        add_row(new, self.tr("生效日期(&F)："), self.limit_from)
        add_row(new, self.tr("依据(&B)："), self.limit_source)
        limit.addLayout(new)
        limit.addWidget(
            note_label(
                self.tr("新时限从生效日期起用于新的转介；原有时限保留，已转出的事项仍按原时限。")
            )
        )
        limit.addWidget(self.limit_problems)
        limit_buttons = QHBoxLayout()
        limit_buttons.addWidget(self.limit_status, 1)
        limit_buttons.addWidget(self.add_limit_button)
        limit.addLayout(limit_buttons)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.department_box)
        right_layout.addWidget(self.limit_box, 1)
        scroll = scrolling(right)

        list_beside_form(self, self.table, scroll, stretch=(1, 1), sizes=(580, 580))

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        try:
            departments = self.services.catalogue.departments(include_inactive=True)
            matters = self.services.catalogue.matters(include_inactive=True)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._departments = {d.code: d for d in departments}
        self._routed = {}
        for m in matters:
            if m.active:
                self._routed.setdefault(m.department_code, []).append(m.name)
        self._fill_table()
        if self.is_dirty():
            self._show_limit(self.current_code)
            return
        self.reselect(self.current_code)

    def _fill_table(self) -> None:
        self._guarding = True
        try:
            self.table.setRowCount(len(self._departments))
            for row, d in enumerate(self._departments.values()):
                grey = not d.active
                if d.in_house:
                    limit = self.tr("—（民政本部门）")
                elif d.limit_days is None:
                    limit = value_text(None, "")
                else:
                    limit = str(d.limit_days)
                fill_row(
                    self.table,
                    row,
                    (
                        table_item(d.name, code=d.code, tooltip=d.basis, grey=grey),
                        table_item(d.queue, grey=grey),
                        table_item(d.contact, grey=grey),
                        table_item(d.phone, grey=grey),
                        table_item(limit, grey=grey, center=True),
                        table_item(
                            self.tr("是") if d.active else self.tr("否"), grey=grey, center=True
                        ),
                    ),
                )
        finally:
            self._guarding = False

    # ----------------------------------------------------------------- department form
    def record_name(self) -> str:
        dep = self._departments.get(self.current_code)
        return dep.name if dep else ""

    def show_record(self, code: Any) -> None:
        dep = self._departments.get(code)
        if dep is None:
            return
        self._code = code
        self._filling = True
        try:
            self.title.setText(
                f"{dep.name} · {dep.queue}"
                + (self.tr("（民政本部门，窗口办理）") if dep.in_house else "")
            )
            self.code_label.setText(dep.code)
            self.name_edit.setText(dep.name)
            self.contact_edit.setText(dep.contact)
            self.phone_edit.setText(dep.phone)
            self.active_check.setChecked(dep.active)
        finally:
            self._filling = False
        routed = self._routed.get(code, [])
        self.routed_label.setText(
            self.tr("默认办理/转介到本部门的事项 {n} 项：{names}").format(
                n=len(routed), names="、".join(routed)
            )
            if routed
            else self.tr("目前没有事项默认转介到本部门。")
        )
        clear_problems(self.problems, self._field_widgets)
        self.department_box.setEnabled(True)
        self.remember_saved()
        self._show_limit(code)

    def form_state(self) -> tuple[str, str, str, bool]:
        return (
            self.name_edit.text(),
            self.contact_edit.text(),
            self.phone_edit.text(),
            self.active_check.isChecked(),
        )

    def _on_edited(self) -> None:
        if not self._filling:
            self.status.clear()
            self.update_buttons()

    def update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def revert(self) -> None:
        if self.current_code is not None:
            self.status.clear()
            self.show_record(self.current_code)

    def save(self) -> bool:
        code = self.current_code
        if code is None or not self.is_dirty():
            return False
        try:
            saved = self.services.catalogue.save_department(
                code,
                name=self.name_edit.text(),
                contact=self.contact_edit.text(),
                phone=self.phone_edit.text(),
                active=self.active_check.isChecked(),
            )
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, self._field_widgets)
            self.status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("department saved from the admin page: %s", code)
        self._departments[code] = saved
        self._code = None
        self._fill_table()
        self.reselect(code)
        self.say_saved(self.tr("已保存“{name}”。").format(name=saved.name))
        self.changed.emit("departments")
        return True

    # ----------------------------------------------------------------- reply limit
    def _limit_rows(self, code: str) -> tuple[ParameterValue, ...]:
        key = limit_key(code)
        rows = self.services.parameters.history(key)
        return tuple(r for r in rows if r.key == key)

    def _show_limit(self, code: str) -> None:
        dep = self._departments.get(code)
        clear_problems(self.limit_problems, self._limit_widgets)
        if dep is None or dep.in_house:
            self.limit_box.setEnabled(False)
            self.history.setRowCount(0)
            self.limit_now.setText(
                self.tr(
                    "民政本部门的事项在窗口办理，不设转介答复时限；"
                    "窗口办理时限在“参数”页的“窗口办理时限”中设置。"
                )
            )
            return
        try:
            rows = self._limit_rows(code)
            default = self.services.parameters.value(DEFAULT_KEY)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.limit_box.setEnabled(True)
        today = self.services.context.today()
        in_force = next((r for r in rows if r.effective_from <= today and not r.locality), None)
        if in_force is not None:
            text = self.tr("现行：{value}（自 {day} 起）").format(
                value=value_text(in_force.value, in_force.unit or "工作日"),
                day=date_text(in_force.effective_from),
            )
        else:
            text = self.tr("本部门未单独设定，使用默认时限：{value}").format(
                value=value_text(default.value, default.unit) if default else value_text(None, "")
            )
        upcoming = [r for r in rows if r.effective_from > today]
        if upcoming:
            text += self.tr("；{day} 起改为 {value}").format(
                day=date_text(upcoming[-1].effective_from),
                value=value_text(upcoming[-1].value, upcoming[-1].unit or "工作日"),
            )
        self.limit_now.setText(text)
        self.history.setRowCount(len(rows))
        for row, r in enumerate(rows):
            current = r is in_force
            old = r.effective_from <= today and not current
            fill_row(
                self.history,
                row,
                (
                    table_item(date_text(r.effective_from), code=r.id, bold=current, grey=old),
                    table_item(locality_text(r.locality), grey=old),
                    table_item(value_text(r.value, r.unit), bold=current, grey=old),
                    table_item(r.source, tooltip=r.source, grey=old),
                    table_item(actor_text(r.actor), tooltip=r.actor, grey=old),
                    table_item(datetime_text(r.created_at), grey=old),
                ),
            )
        if in_force is not None and isinstance(in_force.value, int):
            self.limit_spin.setValue(in_force.value)
        elif dep.limit_days is not None:
            self.limit_spin.setValue(dep.limit_days)
        self.limit_from.setDate(to_qdate(today))
        self.limit_source.clear()

    def add_limit(self) -> bool:
        code = self.current_code
        dep = self._departments.get(code)
        if dep is None or dep.in_house:
            return False
        day: dt.date = from_qdate(self.limit_from.date())
        try:
            self.services.parameters.set(
                limit_key(code),
                self.limit_spin.value(),
                day,
                self.limit_source.text(),
                unit="工作日",
            )
        except ValidationError as exc:
            show_problems(self.limit_problems, exc.problems, self._limit_widgets)
            self.limit_status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("reply limit added for %s from %s", code, day)
        days = self.limit_spin.value()
        self.load()
        self.limit_status.setText(
            self.tr("已新增：自 {day} 起 {days} 个工作日；原有时限保留。").format(
                day=date_text(day), days=days
            )
        )
        self.changed.emit("parameters")
        return True
