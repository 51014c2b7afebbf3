"""救助参数集: the assistance parameter sets, their values with full history, and the choice.

The seeds' localities ship as read-only examples (示例). A township chooses one (选用), or
copies one into a local set (复制为本地参数集…) and adds its own values there. A value is
never changed in place: 新增取值 adds a row valid from a date, with the document it rests
on; the old rows stay, and recorded decisions keep the values they were computed with.
A value the seeds leave open shows as 需当地确定; the household's 救助测算 then asks for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.assistance.specs import BY_KEY, SPECS, Kind
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.services.assistance import RuleSetInfo, RuleValueRow
from ui.dialogs import FORM_STYLE, ProblemLabel, add_row, form_layout, set_invalid, unmark_on_change
from ui.errors import show_error
from ui.pages.admin_common import (
    BANNER_STYLE,
    OK_COLOR,
    AdminTab,
    actor_text,
    clear_problems,
    date_text,
    datetime_text,
    fill_row,
    from_qdate,
    list_beside_form,
    note_label,
    row_code,
    scrolling,
    select_code,
    selected_code,
    setup_table,
    show_problems,
    status_label,
    table_item,
    to_qdate,
    ui_problem,
)

log = logging.getLogger(__name__)

SET_COLUMNS = ("名称", "类型", "在用", "基于", "取值")
VALUE_COLUMNS = ("参数", "数值", "单位", "生效日期", "依据", "设定人", "设定时间")
_PARAM, _VALUE, _UNIT, _FROM, _SOURCE, _ACTOR, _AT = range(len(VALUE_COLUMNS))
OPEN_TEXT = "需当地确定"
OPEN_COLOR = "#7a3e00"
"""Dark amber: a value the seeds leave open, asked for when a computation needs it."""
LOCKED_TEXT = "示例参数集不能修改，请先复制为本地参数集"


def rule_value_text(value: Decimal | None, unit: str) -> str:
    """``375``, ``0.3（30%）`` or 需当地确定; never scientific notation."""
    if value is None:
        return OPEN_TEXT
    text = format(value.normalize(), "f")
    if unit == "比例":
        percent = format((value * 100).normalize(), "f")
        return f"{text}（{percent}%）"
    return text


def in_force(rows: Sequence[RuleValueRow], today: dt.date) -> dict[str, int]:
    """Per parameter key, the id of the row that applies ``today``."""
    best: dict[str, RuleValueRow] = {}
    for r in rows:
        if r.effective_from > today:
            continue
        held = best.get(r.key)
        if held is None or (r.effective_from, r.id) > (held.effective_from, held.id):
            best[r.key] = r
    return {k: r.id for k, r in best.items()}


class CopyRuleSetDialog(QDialog):
    """Asks for the new local set's name and copies; problems stay in the dialog.

    Args:
        save: ``lambda name: services.assistance.copy(code, name)``.
        source: the set being copied, for the heading.
        default_name: e.g. "中华路街道参数集".
    """

    def __init__(
        self,
        save: Callable[[str], RuleSetInfo],
        source: RuleSetInfo,
        default_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.result_info: RuleSetInfo | None = None
        self.setWindowTitle(self.tr("复制为本地参数集"))
        self.setStyleSheet(FORM_STYLE)
        heading = QLabel(
            self.tr(
                "以“{name}”为基础，复制其全部取值和历史，成为本乡镇可以修改的本地参数集。"
                "复制后可在右侧新增取值，并“选用此参数集”。"
            ).format(name=source.name)
        )
        heading.setWordWrap(True)
        self.name_edit = QLineEdit(default_name)
        self.name_edit.setObjectName("copyName")
        self.name_edit.setMaxLength(60)
        self.name_edit.selectAll()
        unmark_on_change(self.name_edit)
        form = form_layout()
        add_row(form, self.tr("新参数集名称(&N)："), self.name_edit)
        self.problem_label = ProblemLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("复制(&C)"))
        ok.setDefault(True)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.resize(max(480, self.fontMetrics().horizontalAdvance("测") * 34), 180)
        self.name_edit.setFocus()

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _on_accepted(self) -> None:
        try:
            self.result_info = self._save(self.name_edit.text())
        except ValidationError as exc:
            self.problem_label.show_problems(exc.problems)
            set_invalid(self.name_edit, any(p.field == "name" for p in exc.problems))
            self.name_edit.setFocus()
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.accept()


class RuleSetsTab(AdminTab):
    """救助参数集: the sets on the left; the chosen set's values and 新增取值 on the right."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setStyleSheet(FORM_STYLE)
        self.sets: tuple[RuleSetInfo, ...] = ()
        self.rows: tuple[RuleValueRow, ...] = ()
        self.copy_dialog: CopyRuleSetDialog | None = None
        self._fitted = False

        # -- left: the sets
        self.table = QTableWidget()
        self.table.setObjectName("ruleSetTable")
        setup_table(self.table, [self.tr(c) for c in SET_COLUMNS], stretch=0)
        self.choose_button = QPushButton(self.tr("选用此参数集(&U)"))
        self.choose_button.setObjectName("chooseRuleSet")
        self.choose_button.setToolTip(self.tr("救助测算按选用的参数集计算"))
        self.copy_button = QPushButton(self.tr("复制为本地参数集(&C)…"))
        self.copy_button.setObjectName("copyRuleSet")
        self.status = status_label()
        self.in_use_label = QLabel()
        self.in_use_label.setWordWrap(True)
        self.in_use_label.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        sets_label = QLabel(self.tr("参数集(&S)："))
        sets_label.setBuddy(self.table)
        lv.addWidget(sets_label)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.in_use_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        lv.addLayout(buttons)
        lv.addWidget(self.status)
        lv.addWidget(
            note_label(
                self.tr(
                    "示例参数集来自各地资料，只能查看。本乡镇选用一个参数集；"
                    "需要改动取值的，先复制为本地参数集，在副本中新增取值后选用。"
                )
            )
        )

        # -- right: values with history, and the form
        self.values_title = QLabel()
        bold = self.values_title.font()
        bold.setBold(True)
        self.values_title.setFont(bold)
        self.values = QTableWidget()
        self.values.setObjectName("ruleValueTable")
        setup_table(self.values, [self.tr(c) for c in VALUE_COLUMNS], stretch=_SOURCE)
        values_box = QWidget()
        vv = QVBoxLayout(values_box)
        vv.setContentsMargins(0, 0, 0, 0)
        values_label = QLabel(self.tr("取值及历史(&V)："))
        values_label.setBuddy(self.values)
        head = QHBoxLayout()
        head.addWidget(values_label)
        head.addWidget(self.values_title, 1)
        vv.addLayout(head)
        vv.addWidget(self.values, 1)
        vv.addWidget(
            note_label(
                self.tr(
                    "粗体为今天适用的取值，灰色为已被取代的旧值（仍然保留）。"
                    "新增取值从生效日期起使用，不改写原有取值，也不改变已记录的审核结论。"
                )
            )
        )

        self.locked_label = QLabel(self.tr(LOCKED_TEXT))
        self.locked_label.setObjectName("lockedLabel")
        self.locked_label.setStyleSheet(BANNER_STYLE)
        self.locked_label.setWordWrap(True)
        self.key_combo = QComboBox()
        self.key_combo.setObjectName("ruleKey")
        self.key_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.key_combo.setMinimumContentsLength(14)
        for spec in SPECS:
            self.key_combo.addItem(spec.label, spec.key)
            self.key_combo.setItemData(
                self.key_combo.count() - 1, spec.help, Qt.ItemDataRole.ToolTipRole
            )
        self.help_label = note_label()
        self.help_label.setObjectName("ruleHelp")
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.current_label.setTextFormat(Qt.TextFormat.PlainText)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("ruleValue")
        self.unit_label = QLabel()
        self.open_check = QCheckBox(self.tr("需当地确定(&L)"))
        self.open_check.setToolTip(self.tr("暂不填数值：救助测算需要时会请经办人填写本次取值"))
        self.open_check.setObjectName("ruleOpen")
        self.from_edit = QDateEdit()
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.source_edit = QPlainTextEdit()
        self.source_edit.setObjectName("ruleSource")
        self.source_edit.setTabChangesFocus(True)
        self.source_edit.setPlaceholderText(
            self.tr("必填：文件名、文号或会议纪要，如：县民政局关于调整城乡低保标准的通知")
        )
        self.source_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        self.problems = ProblemLabel()
        self.form_status = status_label()
        self.add_button = QPushButton(self.tr("新增取值(&A)"))
        self.add_button.setObjectName("addRuleValue")

        self.form_box = QGroupBox(self.tr("新增取值"))
        fb = QVBoxLayout(self.form_box)
        fb.addWidget(self.locked_label)
        form = form_layout()
        form.setVerticalSpacing(4)
        add_row(form, self.tr("参数(&K)："), self.key_combo)
        add_row(form, "", self.help_label)
        add_row(form, self.tr("现行："), self.current_label)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_edit, 2)
        value_row.addWidget(self.unit_label)
        value_row.addSpacing(12)
        value_row.addWidget(self.open_check)
        value_row.addSpacing(12)
        from_label = QLabel(self.tr("生效日期(&F)："))
        from_label.setBuddy(self.from_edit)
        value_row.addWidget(from_label)
        value_row.addWidget(self.from_edit, 1)
        add_row(form, self.tr("数值(&N)："), value_row, self.value_edit)
        add_row(form, self.tr("依据(&B)："), self.source_edit)
        fb.addLayout(form)
        fb.addWidget(self.problems)
        row = QHBoxLayout()
        row.addWidget(self.form_status, 1)
        row.addWidget(self.add_button)
        fb.addLayout(row)
        fb.addStretch(1)
        self.form_widgets: list[QWidget] = [
            self.key_combo,
            self.value_edit,
            self.open_check,
            self.from_edit,
            self.source_edit,
            self.add_button,
        ]

        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(values_box)
        right.addWidget(scrolling(self.form_box))
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        self.right_splitter = right
        list_beside_form(self, left, right, stretch=(2, 5), sizes=(380, 820))

        self._field_widgets: dict[str, QWidget] = {
            "key": self.key_combo,
            "value": self.value_edit,
            "effective_from": self.from_edit,
            "source": self.source_edit,
        }
        for widget in (self.value_edit, self.source_edit, self.from_edit):
            unmark_on_change(widget)

        self.table.itemSelectionChanged.connect(self._on_set_selected)
        self.choose_button.clicked.connect(self.choose_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.key_combo.currentIndexChanged.connect(self._on_key_changed)
        self.open_check.toggled.connect(self._on_open_toggled)
        self.add_button.clicked.connect(self.add_value)
        self.values.itemSelectionChanged.connect(self._on_value_selected)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The form takes its natural height, so 新增取值 is in view; the table the rest.
        total = self.right_splitter.height()
        form = self.form_box.sizeHint().height() + 4
        if not self._fitted and total > form:
            self._fitted = True
            self.right_splitter.setSizes([total - form, form])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.source_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        super().changeEvent(event)

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        self.load_sets(selected_code(self.table))

    def load_sets(self, select: str | None = None) -> None:
        try:
            self.sets = self.services.assistance.rule_sets()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        names = {s.code: s.name for s in self.sets}
        table = self.table
        table.blockSignals(True)
        try:
            table.setRowCount(len(self.sets))
            for r, s in enumerate(self.sets):
                fill_row(
                    table,
                    r,
                    (
                        table_item(s.name, code=s.code, bold=s.in_use),
                        table_item(self.tr("示例") if s.example else self.tr("本地"), center=True),
                        table_item(self.tr("在用") if s.in_use else "", color=OK_COLOR, bold=True),
                        table_item(names.get(s.based_on, s.based_on)),
                        table_item(str(s.values), center=True),
                    ),
                )
        finally:
            table.blockSignals(False)
        chosen = next((s for s in self.sets if s.in_use), None)
        self.in_use_label.setText(
            self.tr("在用：{name}").format(name=chosen.name)
            if chosen
            else self.tr("尚未选用参数集：救助测算前请选用一个。")
        )
        self.from_edit.setDate(to_qdate(self.services.context.today()))
        code = select if select and any(s.code == select for s in self.sets) else None
        if code is None:
            code = chosen.code if chosen else row_code(table, 0)
        if code is not None:
            select_code(table, code)
        self._on_set_selected()

    def selected_set(self) -> RuleSetInfo | None:
        code = selected_code(self.table)
        return next((s for s in self.sets if s.code == code), None)

    def _on_set_selected(self) -> None:
        info = self.selected_set()
        self.choose_button.setEnabled(info is not None and not info.in_use)
        self.copy_button.setEnabled(info is not None)
        self._show_values(info)

    def _show_values(self, info: RuleSetInfo | None) -> None:
        clear_problems(self.problems, self._field_widgets)
        self.form_status.clear()
        if info is None:
            self.rows = ()
            self.values.setRowCount(0)
            self.values_title.clear()
            self._set_locked(True)
            return
        try:
            self.rows = self.services.assistance.values(info.code)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        kind = self.tr("示例") if info.example else self.tr("本地")
        self.values_title.setText(f"{info.name}（{kind}）")
        today = self.services.context.today()
        current = in_force(self.rows, today)
        table = self.values
        table.setRowCount(len(self.rows))
        previous = ""
        for r, v in enumerate(self.rows):
            state = (
                self.tr("待生效")
                if v.effective_from > today
                else self.tr("现行")
                if current.get(v.key) == v.id
                else self.tr("已被取代")
            )
            now = current.get(v.key) == v.id
            grey = not now and v.effective_from <= today
            spec = BY_KEY.get(v.key)
            label = v.label if v.key != previous else ""
            previous = v.key
            tooltip = spec.help if spec else v.key
            fill_row(
                table,
                r,
                (
                    table_item(label, code=v.id, tooltip=tooltip, bold=bool(label)),
                    table_item(
                        rule_value_text(v.value, v.unit),
                        grey=grey,
                        bold=now,
                        color=OPEN_COLOR if v.value is None and not grey else "",
                    ),
                    table_item(v.unit, grey=grey),
                    table_item(f"{date_text(v.effective_from)}（{state}）", grey=grey),
                    table_item(v.source, tooltip=v.source, grey=grey),
                    table_item(actor_text(v.actor), tooltip=v.actor, grey=grey),
                    table_item(datetime_text(v.created_at), grey=grey),
                ),
            )
        self._set_locked(info.example)
        self._on_key_changed()

    def _set_locked(self, locked: bool) -> None:
        self.locked_label.setVisible(locked)
        for widget in self.form_widgets:
            widget.setEnabled(not locked)
        if not locked:
            self._on_open_toggled(self.open_check.isChecked())

    def _on_value_selected(self) -> None:
        value_id = selected_code(self.values)
        row = next((r for r in self.rows if r.id == value_id), None)
        if row is not None:
            index = self.key_combo.findData(row.key)
            if index >= 0:
                self.key_combo.setCurrentIndex(index)

    def _on_key_changed(self) -> None:
        key = str(self.key_combo.currentData() or "")
        spec = BY_KEY.get(key)
        self.help_label.setText(spec.help if spec else "")
        self.unit_label.setText(spec.unit if spec else "")
        placeholder = {
            Kind.MONEY: self.tr("金额，如 375 或 325.67"),
            Kind.RATIO: self.tr("0 到 1 之间的小数，如 0.3 表示 30%"),
            Kind.MULTIPLE: self.tr("倍数，如 1.3"),
            Kind.MONTHS: self.tr("整数月数，如 6"),
            Kind.YEARS: self.tr("整数周岁，如 70"),
            Kind.SWITCH: self.tr("1 启用，0 不启用"),
            Kind.BASE: self.tr("1 按月标准，12 按年标准"),
        }
        self.value_edit.setPlaceholderText(placeholder.get(spec.kind, "") if spec else "")
        today = self.services.context.today()
        current = in_force(self.rows, today)
        row = next((r for r in self.rows if r.id == current.get(key)), None)
        if row is None:
            self.current_label.setText(self.tr("尚未设定"))
        else:
            self.current_label.setText(
                self.tr("{value}（自 {day} 起；依据：{source}）").format(
                    value=rule_value_text(row.value, row.unit),
                    day=date_text(row.effective_from),
                    source=row.source,
                )
            )
        clear_problems(self.problems, self._field_widgets)

    def _on_open_toggled(self, checked: bool) -> None:
        self.value_edit.setEnabled(not checked and self.add_button.isEnabled())
        if checked:
            self.value_edit.clear()

    # ----------------------------------------------------------------- actions
    def choose_selected(self) -> RuleSetInfo | None:
        info = self.selected_set()
        if info is None:
            return None
        try:
            chosen = self.services.assistance.choose(info.code)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        log.info("rule set chosen from the admin page: %s", chosen.code)
        self.load_sets(chosen.code)
        self.say(self.tr("已选用“{name}”：此后的救助测算按此参数集计算。").format(name=chosen.name))
        self.changed.emit("rule_sets")
        return chosen

    def copy_selected(self) -> CopyRuleSetDialog | None:
        info = self.selected_set()
        if info is None:
            return None
        try:
            site = self.services.site.get()
        except DeskAppError:
            site = None
        default = self.tr("{township}参数集").format(
            township=site.township_name if site else self.tr("本乡镇")
        )
        dialog = CopyRuleSetDialog(
            lambda name: self.services.assistance.copy(info.code, name), info, default, self
        )
        self.copy_dialog = dialog

        def done() -> None:
            copied = dialog.result_info
            if copied is None:
                return
            self.load_sets(copied.code)
            self.say(
                self.tr(
                    "已复制为本地参数集“{name}”，可在右侧新增取值；如需使用，请点“选用此参数集”。"
                ).format(name=copied.name)
            )
            self.changed.emit("rule_sets")

        dialog.accepted.connect(done)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "copy_dialog", None))
        dialog.open()
        return dialog

    def say(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {OK_COLOR};")
        self.status.setText(text)

    def _parse_value(self) -> tuple[Decimal | None, list[FieldProblem]]:
        if self.open_check.isChecked():
            return None, []
        label = self.tr("数值")
        text = self.value_edit.text().strip().replace("，", "").replace(",", "")
        if not text:
            return None, [ui_problem("value", label, self.tr("请填写数值，或勾选“需当地确定”"))]
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            return None, [ui_problem("value", label, self.tr("请填写数字，如 375 或 0.3"))]
        return number, []

    def add_value(self) -> RuleValueRow | None:
        info = self.selected_set()
        if info is None:
            return None
        key = str(self.key_combo.currentData() or "")
        value, problems = self._parse_value()
        if problems:
            show_problems(self.problems, problems, self._field_widgets)
            self.form_status.clear()
            return None
        day = from_qdate(self.from_edit.date())
        try:
            added = self.services.assistance.set_value(
                info.code, key, value, day, self.source_edit.toPlainText()
            )
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, self._field_widgets)
            self.form_status.clear()
            return None
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        log.info("rule value added from the admin page: %s %s from %s", info.code, key, day)
        self.load_sets(info.code)
        select_code(self.values, added.id)
        self.value_edit.clear()
        self.open_check.setChecked(False)
        self.source_edit.clear()
        self.form_status.setStyleSheet(f"color: {OK_COLOR};")
        self.form_status.setText(
            self.tr(
                "已新增：{label} 自 {day} 起为 {value}。原有取值和已记录的审核结论不变。"
            ).format(
                label=added.label,
                day=date_text(added.effective_from),
                value=rule_value_text(added.value, added.unit),
            )
        )
        self.changed.emit("rule_sets")
        return added
