"""参数: every value the seeds leave open (domain.md §8), with its whole history.

A value is never changed in place: "新增取值" adds a row valid from a date, for all
localities or one, with the document it rests on. The tree shows every row of every
key, the one in force today in bold, later ones as 待生效 and earlier ones as 已被取代,
so the administrator sees that the old values stay and what past deadlines were counted
with. A value left open by the seeds shows as （需当地确定）.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.intake import Handling
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.services.parameters import ParameterValue
from ui.dialogs import FORM_STYLE, ProblemLabel, add_row, form_layout, unmark_on_change
from ui.errors import show_error
from ui.pages.admin_common import (
    INACTIVE_COLOR,
    AdminTab,
    actor_text,
    clear_problems,
    date_text,
    datetime_text,
    from_qdate,
    list_beside_form,
    locality_text,
    note_label,
    number_text,
    scrolling,
    show_problems,
    status_label,
    to_qdate,
    ui_problem,
    value_text,
)

log = logging.getLogger(__name__)

COLUMNS = ("参数 / 生效日期", "地区", "取值", "单位", "依据", "录入人", "录入时间")
_WHEN, _LOCALITY, _VALUE, _UNIT, _SOURCE, _ACTOR, _AT = range(len(COLUMNS))
KEY_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

KEY_LABELS = {
    "referral.limit_days.default": "转介答复时限（未单独设定的部门）",
    "referral.due_soon_days": "转介临近到期提醒",
    "notice.objection_days": "公示天数",
    "window.limit_days.dibao_extended": "窗口办理时限：低保（特殊情况延长）",
    "emergency.advance_aid_hours": "急难先行救助时限",
    "disaster.basic_needs_hours": "受灾人员基本生活救助时限",
    "temporary_assistance.township_approval_limit": "临时救助乡镇审批额度",
    "temporary_assistance.annual_cap_per_family": "临时救助每户年度上限",
    "kpi.on_time_target": "按时办结率目标",
}
"""Chinese names of the seeded keys; keys not listed here show as stored."""

WHOLE_UNITS = frozenset({"工作日", "天", "小时"})
REFERRAL_PREFIX = "referral.limit_days."
WINDOW_PREFIX = "window.limit_days."


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key: str
    label: str
    unit: str
    order: tuple[int, int, str]
    """Window limits in catalogue order, then referral limits (the default first) in
    department order, then everything else by key."""


def _state_texts() -> dict[str, str]:
    return {"now": "现行", "later": "待生效", "old": "已被取代"}


class ParametersTab(AdminTab):
    """参数: all keys with their history, and the 新增取值 form."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self._keys: dict[str, KeyInfo] = {}
        self._rows: tuple[ParameterValue, ...] = ()
        self._localities: dict[str, str] = {}

        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("按参数名称或代码筛选"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("parameterTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([self.tr(c) for c in COLUMNS])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_SOURCE, QHeaderView.ResizeMode.Stretch)

        self.key_combo = QComboBox()
        self.key_combo.setObjectName("parameterKey")
        self.key_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.key_combo.setMinimumContentsLength(14)
        self.key_code = QLabel()
        self.key_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("parameterValue")
        self.value_edit.setPlaceholderText(self.tr("数字，如 10 或 0.8"))
        self.unit_label = QLabel()
        self.local_check = QCheckBox(self.tr("需当地确定（暂不填数值）(&U)"))
        self.from_edit = QDateEdit()
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.locality_combo = QComboBox()
        self.locality_combo.setEditable(True)
        self.locality_combo.setToolTip(
            self.tr("“全部地区”适用于所有乡镇；也可填写区划代码，只对该地区生效")
        )
        self.source_edit = QPlainTextEdit()
        self.source_edit.setObjectName("parameterSource")
        self.source_edit.setTabChangesFocus(True)
        self.source_edit.setPlaceholderText(
            self.tr(
                "必填：文件名、文号或会议纪要，如：县民政局关于临时救助的实施细则（×民发〔2026〕5号）"
            )
        )
        self.source_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.problems = ProblemLabel()
        self.status = status_label()
        self.add_button = QPushButton(self.tr("新增取值(&A)"))
        self.add_button.setObjectName("addParameter")

        self._build_layout()
        self._field_widgets: dict[str, Any] = {
            "key": self.key_combo,
            "value": self.value_edit,
            "effective_from": self.from_edit,
            "locality": self.locality_combo,
            "source": self.source_edit,
        }
        for widget in (self.value_edit, self.source_edit, self.from_edit):
            unmark_on_change(widget)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.key_combo.currentIndexChanged.connect(self._on_key_changed)
        self.local_check.toggled.connect(self._on_local_toggled)
        self.add_button.clicked.connect(self.add_value)

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        find = QLabel(self.tr("筛选(&L)："))
        find.setBuddy(self.filter_edit)
        top.addWidget(find)
        top.addWidget(self.filter_edit, 1)
        left_layout.addLayout(top)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(
            note_label(
                self.tr(
                    "“现行”为今天适用的取值；“已被取代”的旧值（灰色）仍然保留，"
                    "此前计算的期限和作出的决定按当时的取值。"
                )
            )
        )

        box = QGroupBox(self.tr("新增取值"))
        layout = QVBoxLayout(box)
        form = form_layout()
        add_row(form, self.tr("参数(&K)："), self.key_combo)
        add_row(form, self.tr("代码："), self.key_code)
        add_row(form, self.tr("现行："), self.current_label)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_edit, 1)
        value_row.addWidget(self.unit_label)
        add_row(form, self.tr("取值(&V)："), value_row, self.value_edit)
        add_row(form, "", self.local_check)
        add_row(form, self.tr("生效日期(&F)："), self.from_edit)
        add_row(form, self.tr("地区(&R)："), self.locality_combo)
        add_row(form, self.tr("依据(&B)："), self.source_edit)
        layout.addLayout(form)
        layout.addWidget(
            note_label(
                self.tr(
                    "新增的取值从生效日期起使用，不会改写原有取值。"
                    "同一参数、同一地区、同一生效日期只能有一个取值。"
                )
            )
        )
        layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        right = scrolling(box)

        list_beside_form(self, left, right, stretch=(3, 2), sizes=(740, 420))

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        try:
            rows = self.services.parameters.history()
            departments = self.services.catalogue.departments(include_inactive=True)
            matters = self.services.catalogue.matters(include_inactive=True)
            site = self.services.site.get()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._rows = rows
        names: dict[str, str] = {}
        position: dict[str, int] = {REFERRAL_PREFIX + "default": -1}
        for i, d in enumerate(departments):
            names[REFERRAL_PREFIX + d.code] = self.tr("转介答复时限：{name}").format(name=d.name)
            position[REFERRAL_PREFIX + d.code] = i
        for i, m in enumerate(matters):
            names[WINDOW_PREFIX + m.code] = self.tr("窗口办理时限：{name}").format(name=m.name)
            position[WINDOW_PREFIX + m.code] = i
        units: dict[str, str] = {}
        for r in rows:
            units.setdefault(r.key, r.unit)
        candidates = {r.key for r in rows}
        candidates |= {REFERRAL_PREFIX + d.code for d in departments if not d.in_house}
        candidates |= {
            WINDOW_PREFIX + m.code for m in matters if m.handling is Handling.WINDOW and m.active
        }
        self._keys = {}
        for key in candidates:
            label = KEY_LABELS.get(key) or names.get(key)
            if label is None:
                label = (
                    self.tr("{key}（没有对应的事项或部门，目前不起作用）").format(key=key)
                    if key.startswith((WINDOW_PREFIX, REFERRAL_PREFIX))
                    else key
                )
            unit = units.get(key) or (
                "工作日" if key.startswith((REFERRAL_PREFIX, WINDOW_PREFIX)) else ""
            )
            group = (
                0 if key.startswith(WINDOW_PREFIX) else 1 if key.startswith(REFERRAL_PREFIX) else 2
            )
            # A key like window.limit_days.dibao_extended sorts after its matter (dibao).
            near = max((k for k in position if key.startswith(k + "_")), key=len, default="")
            place = position.get(key, position.get(near, 999))
            self._keys[key] = KeyInfo(key, self.tr(label), unit, (group, place, key))
        self._localities = {}
        if site is not None:
            self._localities[site.township_code] = site.township_name
        self._fill_tree()
        self._fill_key_combo()
        self._fill_localities()
        self.from_edit.setDate(to_qdate(self.services.context.today()))

    def _ordered_keys(self) -> list[KeyInfo]:
        return sorted(self._keys.values(), key=lambda k: k.order)

    def _fill_tree(self) -> None:
        today = self.services.context.today()
        by_key: dict[str, list[ParameterValue]] = {}
        for r in self._rows:
            by_key.setdefault(r.key, []).append(r)
        current_key = self.selected_key()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        grey = QBrush(QColor(INACTIVE_COLOR))
        states = _state_texts()
        for info in self._ordered_keys():
            rows = by_key.get(info.key)
            if not rows:
                continue
            now = _in_force(rows, today, "")
            summary = value_text(now.value, now.unit) if now else self.tr("（尚无今天适用的取值）")
            top = QTreeWidgetItem(self.tree)
            top.setText(
                0, self.tr("{label}　现行：{value}").format(label=info.label, value=summary)
            )
            top.setToolTip(0, info.key)
            top.setData(0, KEY_ROLE, info.key)
            top.setFont(0, bold)
            top.setFirstColumnSpanned(True)
            for r in rows:
                state = _state(r, rows, today)
                child = QTreeWidgetItem(top)
                child.setData(0, KEY_ROLE, r.key)
                child.setData(0, ROW_ROLE, r.id)
                texts = {
                    _WHEN: f"{date_text(r.effective_from)}（{self.tr(states[state])}）",
                    _LOCALITY: locality_text(r.locality, self._localities),
                    _VALUE: number_text(r.value),
                    _UNIT: r.unit,
                    _SOURCE: r.source,
                    _ACTOR: actor_text(r.actor),
                    _AT: datetime_text(r.created_at),
                }
                for column, text in texts.items():
                    child.setText(column, text)
                child.setToolTip(_SOURCE, r.source)
                child.setToolTip(_ACTOR, r.actor)
                if state == "old":
                    for column in texts:
                        child.setForeground(column, grey)
        self.tree.expandAll()
        self.tree.setUpdatesEnabled(True)
        self._apply_filter()
        if current_key:
            self.select_key(current_key)

    def _fill_key_combo(self) -> None:
        current = self.key_combo.currentData()
        combo = self.key_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("（请选择参数）"), "")
            for info in self._ordered_keys():
                has_rows = any(r.key == info.key for r in self._rows)
                text = (
                    info.label
                    if has_rows
                    else self.tr("{label}（尚未设定）").format(label=info.label)
                )
                combo.addItem(text, info.key)
                combo.setItemData(combo.count() - 1, info.key, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        finally:
            combo.blockSignals(False)
        self._on_key_changed()

    def _fill_localities(self) -> None:
        combo = self.locality_combo
        combo.clear()
        combo.addItem(self.tr("全部地区"), "")
        for code, name in self._localities.items():
            combo.addItem(self.tr("本乡镇：{name}（{code}）").format(name=name, code=code), code)
        for locality in sorted({r.locality for r in self._rows} - {""} - set(self._localities)):
            combo.addItem(locality, locality)
        combo.setCurrentIndex(0)

    def top_items(self) -> list[QTreeWidgetItem]:
        root = self.tree.invisibleRootItem()
        items = (root.child(i) for i in range(root.childCount()))
        return [i for i in items if i is not None]

    def _apply_filter(self) -> None:
        text = self.filter_edit.text().strip().lower()
        for item in self.top_items():
            key = str(item.data(0, KEY_ROLE))
            item.setHidden(bool(text) and text not in item.text(0).lower() and text not in key)

    # ----------------------------------------------------------------- selection
    def selected_key(self) -> str:
        return str(self.key_combo.currentData() or "")

    def select_key(self, key: str) -> None:
        """Choose ``key`` in the form and show its group in the tree."""
        index = self.key_combo.findData(key)
        if index >= 0 and index != self.key_combo.currentIndex():
            self.key_combo.setCurrentIndex(index)
        item = self.key_item(key)
        if item is not None:
            self.tree.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)

    def key_item(self, key: str) -> QTreeWidgetItem | None:
        return next((i for i in self.top_items() if i.data(0, KEY_ROLE) == key), None)

    def _on_tree_current_changed(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if current is None:
            return
        key = current.data(0, KEY_ROLE)
        if key:
            index = self.key_combo.findData(key)
            if index >= 0:
                self.key_combo.setCurrentIndex(index)

    def _on_key_changed(self) -> None:
        key = self.selected_key()
        info = self._keys.get(key)
        self.key_code.setText(key)
        self.unit_label.setText(info.unit if info else "")
        referral = key.startswith(REFERRAL_PREFIX)
        self.local_check.setEnabled(not referral)
        self.local_check.setToolTip(
            self.tr("转介必须有答复时限，不能留待当地确定") if referral else ""
        )
        if referral:
            self.local_check.setChecked(False)
        today = self.services.context.today()
        rows = [r for r in self._rows if r.key == key]
        now = _in_force(rows, today, "") if rows else None
        if not key:
            self.current_label.clear()
        elif now is None:
            self.current_label.setText(self.tr("尚未设定"))
        else:
            self.current_label.setText(
                self.tr("{value}（自 {day} 起；依据：{source}）").format(
                    value=value_text(now.value, now.unit),
                    day=date_text(now.effective_from),
                    source=now.source,
                )
            )
        clear_problems(self.problems, self._field_widgets)

    def _on_local_toggled(self, checked: bool) -> None:
        self.value_edit.setEnabled(not checked)
        if checked:
            self.value_edit.clear()

    # ----------------------------------------------------------------- adding
    def _parse_value(self, info: KeyInfo | None) -> tuple[Any, list[FieldProblem]]:
        label = self.tr("取值")
        if self.local_check.isChecked():
            return None, []
        text = self.value_edit.text().strip().replace("，", "").replace(",", "")
        if not text:
            return None, [ui_problem("value", label, self.tr("请填写数值，或勾选“需当地确定”"))]
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, [ui_problem("value", label, self.tr("请填写数字，如 10 或 0.8"))]
        if not number.is_finite():
            return None, [ui_problem("value", label, self.tr("请填写数字，如 10 或 0.8"))]
        unit = info.unit if info else ""
        whole = unit in WHOLE_UNITS or bool(
            info and info.key.startswith((REFERRAL_PREFIX, WINDOW_PREFIX))
        )
        if whole and number != number.to_integral_value():
            return None, [
                ui_problem("value", label, self.tr("{unit}数请填写整数").format(unit=unit))
            ]
        if unit == "比例" and not Decimal(0) <= number <= Decimal(1):
            return None, [
                ui_problem("value", label, self.tr("比例请填写0到1之间的小数，如0.8表示80%"))
            ]
        if info and info.key.startswith(REFERRAL_PREFIX) and number < 1:
            return None, [ui_problem("value", label, self.tr("答复时限至少为1个工作日"))]
        value: Any = int(number) if number == number.to_integral_value() else float(number)
        return value, []

    def _locality(self) -> str:
        text = self.locality_combo.currentText().strip()
        index = self.locality_combo.findText(text)
        if index >= 0:
            return str(self.locality_combo.itemData(index) or "")
        return text

    def add_value(self) -> bool:
        key = self.selected_key()
        info = self._keys.get(key)
        value, problems = self._parse_value(info)
        if problems:
            show_problems(self.problems, problems, self._field_widgets)
            self.status.clear()
            return False
        day: dt.date = from_qdate(self.from_edit.date())
        locality = self._locality()
        try:
            added = self.services.parameters.set(
                key,
                value,
                day,
                self.source_edit.toPlainText(),
                locality=locality,
                unit=info.unit if info else "",
            )
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, self._field_widgets)
            self.status.clear()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        log.info("parameter added from the admin page: %s from %s", key, day)
        self.load()
        self.select_key(key)
        self.value_edit.clear()
        self.local_check.setChecked(False)
        self.source_edit.clear()
        self.status.setText(
            self.tr("已新增：{label} 自 {day} 起为 {value}（{locality}）。原有取值保留。").format(
                label=info.label if info else key,
                day=date_text(day),
                value=value_text(added.value, added.unit),
                locality=locality_text(locality, self._localities),
            )
        )
        self.changed.emit("parameters")
        return True


def _in_force(
    rows: Iterable[ParameterValue], today: dt.date, locality: str
) -> ParameterValue | None:
    """The row of ``locality`` in force ``today`` (rows newest first, as history() gives)."""
    candidates = [r for r in rows if r.locality == locality and r.effective_from <= today]
    return max(candidates, key=lambda r: (r.effective_from, r.id), default=None)


def _state(row: ParameterValue, rows: list[ParameterValue], today: dt.date) -> str:
    if row.effective_from > today:
        return "later"
    return "now" if _in_force(rows, today, row.locality) is row else "old"
