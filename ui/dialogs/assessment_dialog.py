"""救助测算与审核: the assistance computations for one household, and the reviewer's decision.

Decision support (issue #5): the program proposes and explains, people decide. The clerk
enters what the registry does not know (monthly incomes, deductions, assets, the amount of
临时救助 asked for) in the form on the left, presses 测算 (F5 or Ctrl+Enter), and reads
every computation with its rule and basis on the right. Values the parameter set leaves
open (xx 倍 …) are asked for beside the results, for this computation only; nothing is
invented. The township reviewer then records a conclusion on one result, with a reason
when it differs. Recorded decisions keep the computations as they stood then: the
history shows them from the stored snapshot and never recomputes them.

Everything goes through :class:`desk_app.services.assistance.AssistanceService`; a
validation error leaves everything typed in place and names the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.assistance.dibao import SupplementClass
from desk_app.domain.assistance.income import (
    Deduction,
    DeductionKind,
    IncomeItem,
    IncomeSource,
)
from desk_app.domain.assistance.specs import BY_KEY
from desk_app.domain.registry import LABELS
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import Message
from desk_app.services.assistance import (
    Assessment,
    ComputationRow,
    DecisionRow,
    HouseholdFacts,
    MemberFacts,
    MemberView,
    ParameterPrompt,
    RuleSetInfo,
)
from desk_app.services.dto import HouseholdDetail, PersonDetail
from ui.dialogs import (
    ERROR_COLOR,
    FORM_STYLE,
    ProblemLabel,
    chain_tab_order,
    problem_line,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_label

log = logging.getLogger(__name__)

_CTX = "AssessmentDialog"

MISSING_BACKGROUND = "#fff4e5"
"""Amber for a result the parameter set or the facts leave open (same as admin banners)."""
MISSING_COLOR = "#7a3e00"
GREY = "#6b6b6b"
OK_COLOR = "#2e7d32"

PAYMENT_KEY = "dibao.payment"
"""The result the decision box offers first (家庭月低保金)."""

RESULT_COLUMNS = ("项目", "结果", "说明", "依据")
_TITLE, _FIGURE, _RULE, _BASIS = range(len(RESULT_COLUMNS))
HISTORY_COLUMNS = ("日期", "事项", "测算", "结论", "不同于测算", "理由", "审核人")
KEY_ROLE = Qt.ItemDataRole.UserRole

INCOME_FIELDS: tuple[tuple[IncomeSource, str], ...] = (
    (IncomeSource.WAGES, "工资性收入"),
    (IncomeSource.BUSINESS, "经营净收入"),
    (IncomeSource.PROPERTY, "财产净收入"),
    (IncomeSource.TRANSFER, "转移净收入"),
    (IncomeSource.OTHER, "其他收入"),
    (IncomeSource.SUPPORT, "赡养费等"),
    (IncomeSource.BASIC_PENSION, "基础养老金"),
)
"""Per-member monthly incomes, in the order of the form (labels short for two columns)."""

DEDUCTION_FIELDS: tuple[tuple[DeductionKind, str], ...] = (
    (DeductionKind.JOB_COST, "就业成本"),
    (DeductionKind.MEDICAL, "大病/医疗刚性支出"),
    (DeductionKind.DISABILITY, "残疾刚性支出"),
    (DeductionKind.SCHOOLING, "就学刚性支出"),
)

_CLASS_CHOICES: tuple[tuple[str, str], ...] = (("无", ""), ("a类", "A"), ("b类", "B"), ("c类", "C"))
_YES_NO_COVERED: tuple[tuple[str, str], ...] = (("未说明", ""), ("是", "yes"), ("否", "no"))
_YES_NO_PROPERTY: tuple[tuple[str, str], ...] = (("未核实", ""), ("是", "yes"), ("否", "no"))


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _ui_problem(field: str, label: str, text: str) -> FieldProblem:
    return FieldProblem(field, label, Message(_CTX, text))


# ------------------------------------------------------------------ amounts
class DecimalValidator(QValidator):
    """Digits with at most ``places`` decimals. Full-width digits typed by a Chinese IME
    and thousands separators are folded to plain ASCII as they are typed."""

    def __init__(self, places: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pattern = re.compile(rf"\d{{0,9}}(\.\d{{0,{places}}})?")

    def validate(self, text: str, pos: int) -> object:
        folded = unicodedata.normalize("NFKC", text).replace(",", "").replace("。", ".")
        if self._pattern.fullmatch(folded):
            return (QValidator.State.Acceptable, folded, min(pos, len(folded)))
        return (QValidator.State.Invalid, text, pos)


class AmountEdit(QLineEdit):
    """A non-negative decimal (元, or a parameter's unit); empty means "not given".

    Never a float: :meth:`amount` converts the text with ``Decimal(text)``.
    """

    def __init__(self, places: int = 2, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(DecimalValidator(places, self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if placeholder:
            self.setPlaceholderText(placeholder)
        width = self.fontMetrics().horizontalAdvance("0") * 8 + 16
        self.setMinimumWidth(width)
        self.setMaximumWidth(width * 2)
        unmark_on_change(self)

    def set_amount(self, value: Decimal | None) -> None:
        self.setText("" if value is None else format(value, "f"))

    def amount(self) -> Decimal | None:
        """The value, or None when empty; raises InvalidOperation on text like "."."""
        text = self.text().strip()
        if not text:
            return None
        value = Decimal(text)
        if not value.is_finite() or value < 0:
            raise InvalidOperation(text)
        return value


def read_amount(
    edit: AmountEdit, field: str, label: str, problems: list[FieldProblem]
) -> Decimal | None:
    """``edit``'s value; a problem naming ``label`` when the text is not a number."""
    try:
        return edit.amount()
    except InvalidOperation:
        problems.append(_ui_problem(field, label, _t("请填写不小于 0 的数字，如 600 或 600.50")))
        return None


def _choice_combo(choices: Sequence[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for text, data in choices:
        combo.addItem(_t(text), data)
    return combo


def _set_choice(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(max(combo.findData(data), 0))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _from_yes_no(data: object) -> bool | None:
    return None if not data else data == "yes"


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {GREY};")
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.hide()
    return label


def _money_text(value: Decimal) -> str:
    return f"{value:,.2f}"


# ------------------------------------------------------------------ result tables
class ResultTable(QTableWidget):
    """项目 / 结果 / 说明 / 依据; the short columns are refitted whenever the width changes,
    so 说明 keeps a readable share in the large-font mode too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        setup_result_table(self)
        self._fitted_width = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self._fitted_width = event.size().width()
            fit_result_columns(self)


def setup_result_table(table: QTableWidget) -> None:
    """项目 / 结果 / 说明 / 依据: read-only, wrapped text, rows as tall as their text."""
    table.setColumnCount(len(RESULT_COLUMNS))
    table.setHorizontalHeaderLabels([_t(c) for c in RESULT_COLUMNS])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.setTabKeyNavigation(False)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    for column in (_TITLE, _FIGURE, _BASIS):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(_RULE, QHeaderView.ResizeMode.Stretch)


def missing_text(row: ComputationRow) -> str:
    return _t("缺少：{names}").format(names="、".join(row.missing))


_SEED_FILE = re.compile(r"(seed \d{3})_[0-9a-f]{8,}\.txt")


def _basis_text(basis: str) -> str:
    """Seed files by their number ("seed 003 篇十五"): the full file names (in the
    tooltip) are long and without spaces, so a narrow column could not wrap them."""
    return _SEED_FILE.sub(r"\1", basis)


_CASE_PREFIX = "parameter.case:"
_SET_CODE = re.compile(r"参数集 ([A-Za-z0-9_-]+)")


def display_row(row: ComputationRow, set_names: Mapping[str, str]) -> ComputationRow:
    """A row as the clerk reads it: parameter keys by their Chinese names, sets by name.

    The core words a value entered for one computation for ``desk-app assess``
    ("本案例提供参数 temporary.illness_multiple = 2"); here it is 本次取值 with the label.
    """
    basis = _SET_CODE.sub(lambda m: "参数集 " + set_names.get(m[1], m[1]), row.basis)
    if not row.key.startswith(_CASE_PREFIX):
        return dataclasses.replace(row, basis=basis)
    key = row.key.removeprefix(_CASE_PREFIX)
    spec = BY_KEY.get(key)
    label = spec.label if spec else key
    rule = row.rule.replace(f"本案例提供参数 {key}", _t("本次填写 {label}").format(label=label))
    rule = rule.replace("本案例以案例值为准", _t("本次以填写的值为准"))
    return dataclasses.replace(
        row,
        title=_t("本次取值：{label}").format(label=label),
        rule=rule,
        basis=basis.replace("案例输入", _t("本次填写")),
    )


def fill_result_table(table: QTableWidget, rows: Sequence[ComputationRow]) -> None:
    """Show computations: missing ones on amber with what they lack; full text in tooltips."""
    table.setUpdatesEnabled(False)
    try:
        table.setRowCount(0)
        table.setRowCount(len(rows))
        amber = QBrush(QColor(MISSING_BACKGROUND))
        for r, row in enumerate(rows):
            figure = row.figure
            if row.missing:
                figure = f"{figure}\n{missing_text(row)}" if figure else missing_text(row)
            tooltip = _t("{title}\n\n{rule}\n\n依据：{basis}").format(
                title=row.title, rule=row.rule, basis=row.basis
            )
            if row.missing:
                tooltip += "\n" + missing_text(row)
            items = (
                QTableWidgetItem(row.title),
                QTableWidgetItem(figure),
                QTableWidgetItem(row.rule),
                QTableWidgetItem(_basis_text(row.basis)),
            )
            for column, item in enumerate(items):
                right = column == _FIGURE and not row.missing
                horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(horizontal | Qt.AlignmentFlag.AlignTop)
                item.setData(KEY_ROLE, row.key)
                item.setToolTip(tooltip)
                if row.missing:
                    item.setBackground(amber)
                    item.setForeground(QBrush(QColor(MISSING_COLOR)))
                table.setItem(r, column, item)
            if not row.missing:
                bold = QFont(items[_FIGURE].font())
                bold.setBold(True)
                items[_FIGURE].setFont(bold)
        fit_result_columns(table)
    finally:
        table.setUpdatesEnabled(True)


def fit_result_columns(table: QTableWidget) -> None:
    """Short columns fit their text up to a cap; 说明 takes the rest and wraps."""
    char = table.fontMetrics().horizontalAdvance("测")
    width = table.viewport().width()
    caps = {
        _TITLE: min(char * 11, int(width * 0.2)),
        _FIGURE: min(char * 9, int(width * 0.15)),
        _BASIS: min(char * 10, int(width * 0.17)),
    }
    minimum = {_TITLE: char * 5, _FIGURE: char * 4, _BASIS: char * 6}
    for column, cap in caps.items():
        natural = max(
            table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column)
        )
        table.setColumnWidth(column, max(minimum[column], min(natural + 8, cap)))


# ------------------------------------------------------------------ member form
class MemberForm(QWidget):
    """What the clerk records about one member for this computation."""

    edited = Signal()

    def __init__(self, member: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member = member
        self.heading = QLabel(
            self.tr("{name}（{relation}，{age} 岁）的情况").format(
                name=member.name, relation=member.relation or self.tr("成员"), age=member.age
            )
        )
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)

        self.income_edits: dict[IncomeSource, AmountEdit] = {}
        incomes = QGroupBox(self.tr("月收入（元/月，空白表示没有）"))
        grid = QGridLayout(incomes)
        grid.setHorizontalSpacing(8)
        for i, (source, text) in enumerate(INCOME_FIELDS):
            edit = AmountEdit(placeholder="")
            edit.setObjectName(f"income_{source.name.lower()}")
            edit.setToolTip(source.value)
            edit.setAccessibleName(f"{member.name} {source.value}")
            label = QLabel(self.tr(text) + "：")
            label.setBuddy(edit)
            label.setToolTip(source.value)
            row, pair = divmod(i, 2)
            grid.addWidget(label, row, pair * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(edit, row, pair * 2 + 1)
            self.income_edits[source] = edit
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        pension_note = _note(
            self.tr(
                "基础养老金指城乡居民基本养老保险基础养老金，按规定不计入家庭收入；"
                "填写后测算说明会列明已扣除。"
            )
        )
        grid.addWidget(pension_note, grid.rowCount(), 0, 1, 4)

        self.class_combo = _choice_combo(_CLASS_CHOICES)
        self.class_combo.setToolTip(self.tr("分类施保：a、b 类按参数集的比例增发，就高不重复"))
        self.covered_combo = _choice_combo(_YES_NO_COVERED)
        self.covered_combo.setToolTip(self.tr("一户多人时是否纳入保障；都未说明时全户按纳入计算"))
        self.carer_check = QCheckBox(self.tr("是申请人的法定赡养/抚养/扶养人"))
        self.counted_check = QCheckBox(self.tr("计入共同生活家庭人口"))
        self.counted_check.setChecked(True)
        self.medical_edit = AmountEdit(placeholder=self.tr("元"))
        self.medical_edit.setToolTip(
            self.tr("政策范围内、经基本医保和大病保险报销后的个人自付费用")
        )
        self.other_medical_edit = AmountEdit(placeholder=self.tr("元"))
        self.other_medical_edit.setToolTip(self.tr("已获得的其他医疗补助（如慈善、商业保险）"))

        other = QGroupBox(self.tr("分类、保障与医疗"))
        o = QGridLayout(other)
        o.setHorizontalSpacing(8)
        pairs: tuple[tuple[str, QWidget], ...] = (
            (self.tr("低保分类"), self.class_combo),
            (self.tr("纳入保障"), self.covered_combo),
            (self.tr("合规自付医疗费"), self.medical_edit),
            (self.tr("其他医疗补助"), self.other_medical_edit),
        )
        for i, (text, widget) in enumerate(pairs):
            label = QLabel(text + "：")
            label.setBuddy(widget)
            row, pair = divmod(i, 2)
            o.addWidget(label, row, pair * 2, Qt.AlignmentFlag.AlignRight)
            o.addWidget(widget, row, pair * 2 + 1)
        o.addWidget(self.carer_check, 2, 0, 1, 4)
        o.addWidget(self.counted_check, 3, 0, 1, 4)
        o.addWidget(
            _note(self.tr("合规自付医疗费：医保报销后的政策范围内自付部分，用于测算医疗救助。")),
            4,
            0,
            1,
            4,
        )
        o.setColumnStretch(1, 1)
        o.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(incomes)
        layout.addWidget(other)

        for edit in (*self.income_edits.values(), self.medical_edit, self.other_medical_edit):
            edit.textChanged.connect(self.edited)
        for combo in (self.class_combo, self.covered_combo):
            combo.currentIndexChanged.connect(self.edited)
        for check in (self.carer_check, self.counted_check):
            check.toggled.connect(self.edited)

    def focus_widgets(self) -> list[QWidget]:
        """In reading order, for the dialog's tab chain."""
        return [
            *self.income_edits.values(),
            self.class_combo,
            self.covered_combo,
            self.medical_edit,
            self.other_medical_edit,
            self.carer_check,
            self.counted_check,
        ]

    def load(self, facts: MemberFacts) -> None:
        totals: dict[IncomeSource, Decimal] = {}
        for item in facts.incomes:
            totals[item.source] = totals.get(item.source, Decimal(0)) + item.monthly
        for source, edit in self.income_edits.items():
            edit.set_amount(totals.get(source))
        _set_choice(self.class_combo, facts.dibao_class.name if facts.dibao_class else "")
        _set_choice(self.covered_combo, _yes_no(facts.covered))
        self.carer_check.setChecked(facts.legal_carer)
        self.counted_check.setChecked(facts.counted)
        self.medical_edit.set_amount(facts.medical_cost)
        other = facts.other_medical_subsidies
        self.other_medical_edit.set_amount(other if other else None)

    def facts(self, problems: list[FieldProblem]) -> MemberFacts:
        """The member's facts; unreadable amounts are added to ``problems``."""
        name = self.member.name
        prefix = f"member.{self.member.person_id}"
        incomes: list[IncomeItem] = []
        for source, text in INCOME_FIELDS:
            value = read_amount(
                self.income_edits[source],
                f"{prefix}.income.{source.name}",
                f"{name} {self.tr(text)}",
                problems,
            )
            if value is not None:
                incomes.append(IncomeItem(source, value))
        medical = read_amount(
            self.medical_edit, f"{prefix}.medical", name + " " + self.tr("合规自付医疗费"), problems
        )
        other = read_amount(
            self.other_medical_edit,
            f"{prefix}.other_medical",
            name + " " + self.tr("其他医疗补助"),
            problems,
        )
        cls = self.class_combo.currentData()
        return MemberFacts(
            person_id=self.member.person_id,
            incomes=tuple(incomes),
            covered=_from_yes_no(self.covered_combo.currentData()),
            dibao_class=SupplementClass[cls] if cls else None,
            legal_carer=self.carer_check.isChecked(),
            counted=self.counted_check.isChecked(),
            medical_cost=medical,
            other_medical_subsidies=other or Decimal(0),
        )

    def field_widgets(self) -> dict[str, QWidget]:
        prefix = f"member.{self.member.person_id}"
        out: dict[str, QWidget] = {
            f"{prefix}.income.{s.name}": e for s, e in self.income_edits.items()
        }
        out[f"{prefix}.medical"] = self.medical_edit
        out[f"{prefix}.other_medical"] = self.other_medical_edit
        return out

    def summary(self) -> str:
        """The 本次填写 column of the members table."""
        parts: list[str] = []
        total = Decimal(0)
        for source, edit in self.income_edits.items():
            try:
                value = edit.amount()
            except InvalidOperation:
                continue
            if value is not None and source is not IncomeSource.BASIC_PENSION:
                total += value
        if total:
            parts.append(self.tr("收入 {amount}").format(amount=_money_text(total)))
        if self.class_combo.currentData():
            parts.append(self.class_combo.currentText())
        if self.covered_combo.currentData() == "no":
            parts.append(self.tr("不纳入"))
        if self.carer_check.isChecked():
            parts.append(self.tr("赡养人"))
        if not self.counted_check.isChecked():
            parts.append(self.tr("不计人口"))
        if self.medical_edit.text().strip():
            parts.append(self.tr("医疗费"))
        return "；".join(parts)


# ------------------------------------------------------------------ prompts
class PromptRow:
    """本次取值 for one parameter the set leaves open."""

    def __init__(self, prompt: ParameterPrompt) -> None:
        self.key = prompt.key
        spec = BY_KEY.get(prompt.key)
        places = 0 if spec is not None and spec.whole else 4
        self.label = QLabel(_t("{label}：").format(label=prompt.label))
        self.label.setToolTip(prompt.key)
        self.edit = AmountEdit(places, placeholder=_t("本次取值"))
        self.edit.setObjectName(f"prompt_{prompt.key}")
        self.edit.setAccessibleName(_t("{label} 本次取值").format(label=prompt.label))
        self.edit.setToolTip(prompt.help)
        self.label.setBuddy(self.edit)
        self.unit = QLabel(prompt.unit)
        self.help = _note(prompt.help)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.label, self.edit, self.unit, self.help)


# ------------------------------------------------------------------ the dialog
class AssessmentDialog(QDialog):
    """救助测算与审核 for one registered household.

    Signals: ``decision_recorded(DecisionRow)`` after a decision is stored.
    """

    decision_recorded = Signal(object)

    def __init__(self, services: Services, household_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.household_id = household_id
        self.assessment: Assessment | None = None
        """The last computation shown (what 记录审核结论 is about)."""
        self.decisions: tuple[DecisionRow, ...] = ()
        self._rule_set: RuleSetInfo | None = None
        self._set_names: dict[str, str] = {}
        self._loaded = HouseholdFacts()
        self._members: tuple[MemberView, ...] = ()
        self.member_forms: dict[int, MemberForm] = {}
        self.prompt_rows: dict[str, PromptRow] = {}
        self._proposed_for_subject = ""
        self._shown = False

        self.setWindowTitle(self.tr("救助测算与审核"))
        self.setStyleSheet(FORM_STYLE)
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        detail = services.households.get(household_id)
        self.detail: HouseholdDetail = detail
        self._build_header(detail)
        left = self._build_facts()
        right = self._build_right()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.rejected.connect(self.reject)
        close = self.close_box.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(self.header_layout)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.close_box)

        for sequence in (
            QKeySequence(Qt.Key.Key_F5),
            QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
            QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter),
        ):
            QShortcut(sequence, self).activated.connect(self.compute)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(
            self.record_decision
        )

        self._size_to_screen()
        self.load()

    # ----------------------------------------------------------------- building
    def _build_header(self, detail: HouseholdDetail) -> None:
        head = detail.head
        residence = tr_label("registry", LABELS["ResidenceType"].get(detail.residence, ""))
        self.heading = QLabel(
            self.tr("户编号 {number}　户主 {head}　{village}　{residence}").format(
                number=detail.number,
                head=head.name if head else self.tr("（无户主）"),
                village=detail.village,
                residence=residence,
            )
        )
        self.heading.setObjectName("assessmentHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._scale_heading()
        self.rule_set_label = QLabel()
        self.rule_set_label.setObjectName("ruleSetLabel")
        self.rule_set_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rule_set_label.setWordWrap(True)

        self.chooser = QFrame()
        self.chooser.setObjectName("ruleSetChooser")
        self.chooser.setStyleSheet(
            f"QFrame#ruleSetChooser {{ background: {MISSING_BACKGROUND};"
            " border: 1px solid #f0b46c; border-radius: 3px; }"
        )
        self.chooser_combo = QComboBox()
        self.chooser_combo.setObjectName("chooserCombo")
        self.choose_button = QPushButton(self.tr("选用(&U)"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_rule_set)
        chooser_label = QLabel(self.tr("还没有选用参数集，请选择本乡镇采用的参数集(&P)："))
        chooser_label.setBuddy(self.chooser_combo)
        chooser_note = QLabel(
            self.tr(
                "示例参数集只能查看；如需改动取值，请到“系统设置 → 救助参数集”复制为本地参数集后选用。"
            )
        )
        chooser_note.setWordWrap(True)
        c = QGridLayout(self.chooser)
        c.addWidget(chooser_label, 0, 0)
        c.addWidget(self.chooser_combo, 0, 1)
        c.addWidget(self.choose_button, 0, 2)
        c.addWidget(chooser_note, 1, 0, 1, 3)
        c.setColumnStretch(1, 1)
        self.chooser.hide()

        line = QHBoxLayout()
        line.addWidget(self.heading)
        line.addSpacing(self.fontMetrics().horizontalAdvance("测") * 2)
        line.addWidget(self.rule_set_label, 1)
        self.header_layout = QVBoxLayout()
        self.header_layout.addLayout(line)
        self.header_layout.addWidget(self.chooser)

    def _scale_heading(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:
            # A widget with a style sheet keeps the font it was polished with: polish again
            # so the large-font option reaches every field.
            self.setStyleSheet("")
            self.setStyleSheet(FORM_STYLE)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._scale_heading()
            if hasattr(self, "reason_edit"):
                self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self._fit_panes()

    def _build_facts(self) -> QWidget:
        content = QWidget()
        v = QVBoxLayout(content)

        self.prompt_box = QGroupBox(self.tr("需当地确定的参数（本次取值）"))
        self.prompt_box.setObjectName("promptBox")
        self.prompt_box.setStyleSheet(
            f"QGroupBox#promptBox {{ background: {MISSING_BACKGROUND};"
            " border: 1px solid #f0b46c; border-radius: 3px; margin-top: 1.4em; }"
            " QGroupBox#promptBox::title { subcontrol-origin: margin; left: 8px; }"
        )
        p = QVBoxLayout(self.prompt_box)
        p.addWidget(
            _note(
                self.tr(
                    "参数集没有设定、测算又需要的数值：请填写本次取值后再按“测算”（不预设默认值）。"
                    "本次取值随审核结论保存；长期使用请管理员在“系统设置 → 救助参数集”设定。"
                )
            )
        )
        self.prompt_grid = QGridLayout()
        self.prompt_grid.setHorizontalSpacing(8)
        self.prompt_grid.setVerticalSpacing(2)
        self.prompt_grid.setColumnStretch(3, 1)
        p.addLayout(self.prompt_grid)
        self.prompt_box.hide()
        v.addWidget(self.prompt_box)

        members_box = QGroupBox(self.tr("家庭成员"))
        m = QVBoxLayout(members_box)
        self.members_table = QTableWidget(0, 5)
        self.members_table.setObjectName("assessmentMembers")
        self.members_table.setHorizontalHeaderLabels(
            [
                self.tr("姓名"),
                self.tr("关系"),
                self.tr("年龄"),
                self.tr("登记情况"),
                self.tr("本次填写"),
            ]
        )
        self.members_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_table.setTabKeyNavigation(False)
        self.members_table.setWordWrap(True)
        self.members_table.verticalHeader().setVisible(False)
        self.members_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        header = self.members_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.members_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        members_label = QLabel(self.tr("选择成员后在下方填写其本月情况(&M)："))
        members_label.setBuddy(self.members_table)
        self.member_stack = QStackedWidget()
        m.addWidget(members_label)
        m.addWidget(self.members_table)
        m.addWidget(self.member_stack)
        self.members_table.itemSelectionChanged.connect(self._on_member_selected)
        v.addWidget(members_box)

        self.deduction_edits: dict[DeductionKind, AmountEdit] = {}
        deductions = QGroupBox(self.tr("可扣减的支出（元/月，全户）"))
        d = QGridLayout(deductions)
        d.setHorizontalSpacing(8)
        for i, (kind, text) in enumerate(DEDUCTION_FIELDS):
            edit = AmountEdit()
            edit.setObjectName(f"deduction_{kind.name.lower()}")
            edit.setToolTip(kind.value)
            label = QLabel(self.tr(text) + "：")
            label.setBuddy(edit)
            row, pair = divmod(i, 2)
            d.addWidget(label, row, pair * 2, Qt.AlignmentFlag.AlignRight)
            d.addWidget(edit, row, pair * 2 + 1)
            self.deduction_edits[kind] = edit
        d.setColumnStretch(1, 1)
        d.setColumnStretch(3, 1)
        v.addWidget(deductions)

        household = QGroupBox(self.tr("财产与现状（全户）"))
        h = QGridLayout(household)
        h.setHorizontalSpacing(8)
        self.assets_edit = AmountEdit(placeholder=self.tr("元"))
        self.assets_edit.setObjectName("assetsEdit")
        self.property_combo = _choice_combo(_YES_NO_PROPERTY)
        self.property_combo.setObjectName("propertyCombo")
        self.current_dibao_edit = AmountEdit(placeholder=self.tr("元/月"))
        self.current_dibao_edit.setObjectName("currentDibaoEdit")
        self.voluntary_exit_check = QCheckBox(self.tr("主动申请退出低保"))
        self.unstable_check = QCheckBox(self.tr("收入不稳定"))
        self.difficulty_check = QCheckBox(self.tr("有就医、就学或就业困难"))
        self.review_check = QCheckBox(self.tr("上次核查日期"))
        self.review_edit = QDateEdit()
        self.review_edit.setCalendarPopup(True)
        self.review_edit.setDisplayFormat("yyyy-MM-dd")
        self.review_edit.setEnabled(False)
        self.review_check.toggled.connect(self.review_edit.setEnabled)
        rows: tuple[tuple[str, QWidget], ...] = (
            (self.tr("家庭人均金融资产"), self.assets_edit),
            (self.tr("财产状况符合"), self.property_combo),
            (self.tr("现享低保月额"), self.current_dibao_edit),
        )
        for i, (text, widget) in enumerate(rows):
            label = QLabel(text + "：")
            label.setBuddy(widget)
            h.addWidget(label, i, 0, Qt.AlignmentFlag.AlignRight)
            h.addWidget(widget, i, 1)
        h.addWidget(self.voluntary_exit_check, 0, 2)
        h.addWidget(self.unstable_check, 1, 2)
        h.addWidget(self.difficulty_check, 2, 2)
        h.addWidget(self.review_check, 3, 0, Qt.AlignmentFlag.AlignRight)
        h.addWidget(self.review_edit, 3, 1)
        h.setColumnStretch(1, 1)
        h.setColumnStretch(2, 1)
        v.addWidget(household)

        temporary = QGroupBox(self.tr("临时救助"))
        t = QGridLayout(temporary)
        t.setHorizontalSpacing(8)
        self.temporary_edit = AmountEdit(placeholder=self.tr("元"))
        self.temporary_edit.setObjectName("temporaryRequested")
        self.temporary_granted_edit = AmountEdit(placeholder=self.tr("元"))
        self.temporary_granted_edit.setObjectName("temporaryGranted")
        self.illness_check = QCheckBox(self.tr("因病致困"))
        self.illness_check.setObjectName("temporaryIllness")
        self.illness_check.setToolTip(self.tr("因病临时救助按城市低保标准的倍数计发"))
        for i, (text, widget) in enumerate(
            (
                (self.tr("本次申请金额"), self.temporary_edit),
                (self.tr("本年已获救助"), self.temporary_granted_edit),
            )
        ):
            label = QLabel(text + "：")
            label.setBuddy(widget)
            t.addWidget(label, 0, i * 2, Qt.AlignmentFlag.AlignRight)
            t.addWidget(widget, 0, i * 2 + 1)
        t.addWidget(self.illness_check, 1, 1, 1, 3)
        t.addWidget(_note(self.tr("填写申请金额才测算临时救助。")), 2, 0, 1, 4)
        t.setColumnStretch(1, 1)
        t.setColumnStretch(3, 1)
        v.addWidget(temporary)
        v.addStretch(1)

        self.household_widgets: dict[str, QWidget] = {
            "financial_assets_per_capita": self.assets_edit,
            "current_dibao_monthly": self.current_dibao_edit,
            "temporary_requested": self.temporary_edit,
            "temporary_granted_this_year": self.temporary_granted_edit,
            "last_review": self.review_edit,
            **{f"deduction.{k.name}": e for k, e in self.deduction_edits.items()},
        }

        self.facts_scroll = QScrollArea()
        self.facts_scroll.setObjectName("factsScroll")
        self.facts_scroll.setWidget(content)
        self.facts_scroll.setWidgetResizable(True)
        self.facts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.facts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.facts_scroll, 1)
        return box

    def _build_right(self) -> QWidget:
        self.compute_button = QPushButton(self.tr("测算(&C)"))
        self.compute_button.setObjectName("computeButton")
        self.compute_button.setToolTip(self.tr("按左侧情况和参数集测算（F5 或 Ctrl+Enter）"))
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.compute_status = QLabel(self.tr("填写左侧情况后按“测算”（F5 或 Ctrl+Enter）。"))
        self.compute_status.setWordWrap(True)
        self.compute_status.setTextFormat(Qt.TextFormat.PlainText)
        self.problems = ProblemLabel()
        self.problems.setObjectName("factsProblems")
        bar = QHBoxLayout()
        bar.addWidget(self.compute_button)
        bar.addWidget(self.compute_status, 1)

        # results + prompts
        self.results = ResultTable()
        self.results.setObjectName("assessmentResults")
        # history
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("decisionHistory")
        self.history.setHorizontalHeaderLabels([self.tr(c) for c in HISTORY_COLUMNS])
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)
        self.history.setWordWrap(True)
        self.history.verticalHeader().setVisible(False)
        self.history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh = self.history.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.history.itemSelectionChanged.connect(self._on_history_selected)
        self.snapshot_label = _note()
        self.snapshot = ResultTable()
        self.snapshot.setObjectName("decisionSnapshot")
        snapshot_page = QWidget()
        s = QVBoxLayout(snapshot_page)
        s.setContentsMargins(0, 0, 0, 0)
        s.addWidget(self.snapshot_label)
        s.addWidget(self.snapshot, 1)
        history_page = QSplitter(Qt.Orientation.Vertical)
        history_page.setChildrenCollapsible(False)
        history_page.addWidget(self.history)
        history_page.addWidget(snapshot_page)
        history_page.setStretchFactor(0, 1)
        history_page.setStretchFactor(1, 2)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("assessmentTabs")
        self.tabs.addTab(self.results, self.tr("测算结果(&R)"))
        self.tabs.addTab(history_page, self.tr("审核记录(&H)"))

        decision = self._build_decision()

        top = QWidget()
        t = QVBoxLayout(top)
        t.setContentsMargins(0, 0, 0, 0)
        t.addLayout(bar)
        t.addWidget(self.problems)
        t.addWidget(self.tabs, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(top)
        right.addWidget(decision)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        self.right_splitter = right
        return right

    def _build_decision(self) -> QWidget:
        box = QGroupBox(self.tr("审核（乡镇审核人填写）"))
        box.setObjectName("decisionBox")
        self.subject_combo = QComboBox()
        self.subject_combo.setObjectName("subjectCombo")
        self.subject_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.subject_combo.setMinimumContentsLength(10)
        self.proposed_edit = QLineEdit()
        self.proposed_edit.setObjectName("proposedEdit")
        self.proposed_edit.setReadOnly(True)
        self.proposed_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.decided_edit = QLineEdit()
        self.decided_edit.setObjectName("decidedEdit")
        self.decided_edit.setMaxLength(60)
        self.decided_edit.setPlaceholderText(
            self.tr("同意测算的，保留原数值；否则填写决定的金额或意见")
        )
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            self.tr("结论与测算不同时必填，如：民主评议意见、入户调查发现")
        )
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.record_button = QPushButton(self.tr("记录审核结论(&K)"))
        self.record_button.setObjectName("recordButton")
        self.record_button.setToolTip(self.tr("保存审核结论和当时的测算（Ctrl+S）"))
        self.record_button.setAutoDefault(False)
        self.record_button.clicked.connect(self.record_decision)
        self.decision_status = QLabel()
        self.decision_status.setWordWrap(True)
        self.decision_status.setTextFormat(Qt.TextFormat.PlainText)
        self.subject_error = _error_label()
        self.decided_error = _error_label()
        self.reason_error = _error_label()
        self.decision_errors: dict[str, QLabel] = {
            "subject": self.subject_error,
            "decided": self.decided_error,
            "reason": self.reason_error,
        }
        self.decision_widgets: dict[str, QWidget] = {
            "subject": self.subject_combo,
            "decided": self.decided_edit,
            "reason": self.reason_edit,
        }
        for widget in self.decision_widgets.values():
            unmark_on_change(widget)
        self.decided_edit.textEdited.connect(lambda _t: self._clear_decision_error("decided"))
        self.reason_edit.textChanged.connect(lambda: self._clear_decision_error("reason"))

        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        subject_label = QLabel(self.tr("审核事项(&S)："))
        subject_label.setBuddy(self.subject_combo)
        proposed_label = QLabel(self.tr("测算结果："))
        decided_label = QLabel(self.tr("审核结论(&D)："))
        decided_label.setBuddy(self.decided_edit)
        reason_label = QLabel(self.tr("理由(&Y)："))
        reason_label.setBuddy(self.reason_edit)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(subject_label, 0, 0, right)
        grid.addWidget(self.subject_combo, 0, 1, 1, 2)
        grid.addWidget(proposed_label, 0, 3, right)
        grid.addWidget(self.proposed_edit, 0, 4)
        grid.addWidget(self.subject_error, 1, 1, 1, 4)
        grid.addWidget(decided_label, 2, 0, right)
        grid.addWidget(self.decided_edit, 2, 1, 1, 4)
        grid.addWidget(self.decided_error, 3, 1, 1, 4)
        grid.addWidget(reason_label, 4, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.reason_edit, 4, 1, 1, 3)
        grid.addWidget(self.record_button, 4, 4, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(self.reason_error, 5, 1, 1, 4)
        grid.addWidget(self.decision_status, 6, 0, 1, 5)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        self.decision_status.hide()
        self.subject_combo.currentIndexChanged.connect(self._on_subject_changed)
        self._update_decision_enabled()

        self.decision_box = box
        return box

    def _size_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(1340, int(screen.width() * 0.98)) if screen else 1300
        height = min(820, int(screen.height() * 0.94)) if screen else 720
        self.resize(width, height)
        self.setMinimumSize(min(900, width), min(520, height))
        self._fit_panes()

    def _fit_panes(self) -> None:
        """The facts get their full width (never a sideways scroll), the results the rest;
        the decision box its natural height."""
        width = max(self.splitter.width(), self.width() - 24)
        content = self.facts_scroll.widget()
        need = (content.minimumSizeHint().width() if content is not None else 0) + (
            self.facts_scroll.verticalScrollBar().sizeHint().width() + 4
        )
        left = min(max(int(width * 0.38), need), int(width * 0.55))
        self.splitter.setSizes([left, width - left])
        height = max(self.right_splitter.height(), self.height() - 120)
        decision = self.decision_box.sizeHint().height()
        self.right_splitter.setSizes([height - decision, decision])

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        """Read the set in use, the last facts, the members and the decisions."""
        assistance = self.services.assistance
        self._set_names = {r.code: r.name for r in assistance.rule_sets()}
        facts = assistance.facts_for(self.household_id)
        self._loaded = facts
        members: tuple[MemberView, ...]
        try:
            first = assistance.assess(self.household_id, facts)
        except ValidationError as exc:
            members = tuple(
                _member_view(p, self.services.context.today()) for p in self.detail.members
            )
            self._show_rule_set(None)
            if not any(p.field == "rule_set" for p in exc.problems):
                self.show_problems(exc.problems)
        else:
            members = first.members
            self._show_rule_set(first.rule_set, first.on)
        self._build_members(members)
        self._load_facts(facts)
        self._ensure_prompt_rows((), facts.parameters)
        self.reload_history()
        self.members_table.setFocus()

    def _show_rule_set(self, info: RuleSetInfo | None, on: dt.date | None = None) -> None:
        self._rule_set = info
        if info is None:
            self.rule_set_label.hide()
            self.chooser_combo.clear()
            for r in self.services.assistance.rule_sets():
                kind = self.tr("示例") if r.example else self.tr("本地")
                self.chooser_combo.addItem(f"{r.name}（{kind}）", r.code)
            self.chooser.show()
            self.compute_status.setText(self.tr("请先选用参数集，再测算。"))
            return
        self.chooser.hide()
        self.rule_set_label.show()
        kind = self.tr("示例参数集") if info.example else self.tr("本地参数集")
        day = (on or self.services.context.today()).isoformat()
        self.rule_set_label.setText(
            self.tr("参数集：{name}（{kind}）　测算日期：{day}").format(
                name=info.name, kind=kind, day=day
            )
        )

    def _build_members(self, members: Sequence[MemberView]) -> None:
        self._members = tuple(members)
        self.members_table.setRowCount(len(members))
        for row, m in enumerate(members):
            texts = (m.name, m.relation, str(m.age), m.notes, "")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, m.person_id)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.members_table.setItem(row, column, item)
            form = MemberForm(m)
            form.edited.connect(lambda pid=m.person_id: self._refresh_member_summary(pid))
            self.member_forms[m.person_id] = form
            self.member_stack.addWidget(form)
        self._fit_members_table()
        if members:
            self.members_table.selectRow(0)
        chain: list[QWidget] = [self.members_table]
        for form in self.member_forms.values():
            chain.extend(form.focus_widgets())
        chain.extend(
            [
                *self.deduction_edits.values(),
                self.assets_edit,
                self.property_combo,
                self.current_dibao_edit,
                self.voluntary_exit_check,
                self.unstable_check,
                self.difficulty_check,
                self.review_check,
                self.review_edit,
                self.temporary_edit,
                self.temporary_granted_edit,
                self.illness_check,
                self.compute_button,
                self.tabs,
                self.results,
            ]
        )
        chain_tab_order(chain)
        self._chain_decision_tab_order()

    def _fit_members_table(self) -> None:
        """As tall as its rows (up to six), so the member's form stays in view below it."""
        table = self.members_table
        table.resizeRowsToContents()
        shown = min(table.rowCount(), 6)
        rows = sum(table.rowHeight(r) for r in range(shown)) if shown else 24
        height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2
        table.setFixedHeight(height)

    def _load_facts(self, facts: HouseholdFacts) -> None:
        for person_id, form in self.member_forms.items():
            form.load(facts.member(person_id))
            self._refresh_member_summary(person_id)
        by_kind: dict[DeductionKind, Decimal] = {}
        for d in facts.deductions:
            by_kind[d.kind] = by_kind.get(d.kind, Decimal(0)) + d.monthly
        for kind, edit in self.deduction_edits.items():
            edit.set_amount(by_kind.get(kind))
        self.assets_edit.set_amount(facts.financial_assets_per_capita)
        _set_choice(self.property_combo, _yes_no(facts.property_compliant))
        self.current_dibao_edit.set_amount(facts.current_dibao_monthly)
        self.voluntary_exit_check.setChecked(facts.voluntary_exit)
        self.unstable_check.setChecked(facts.income_unstable)
        self.difficulty_check.setChecked(facts.medical_education_or_job_difficulty)
        review = facts.last_review
        self.review_check.setChecked(review is not None)
        day = review or self.services.context.today()
        self.review_edit.setDate(QDate(day.year, day.month, day.day))
        self.temporary_edit.set_amount(facts.temporary_requested)
        granted = facts.temporary_granted_this_year
        self.temporary_granted_edit.set_amount(granted if granted else None)
        self.illness_check.setChecked(facts.temporary_illness)

    # ----------------------------------------------------------------- members
    def member_form(self, person_id: int) -> MemberForm:
        return self.member_forms[person_id]

    def _on_member_selected(self) -> None:
        rows = self.members_table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.members_table.item(rows[0].row(), 0)
        person_id = item.data(KEY_ROLE) if item is not None else None
        form = self.member_forms.get(person_id) if isinstance(person_id, int) else None
        if form is not None:
            self.member_stack.setCurrentWidget(form)

    def select_member(self, person_id: int) -> None:
        for row in range(self.members_table.rowCount()):
            item = self.members_table.item(row, 0)
            if item is not None and item.data(KEY_ROLE) == person_id:
                self.members_table.selectRow(row)
                return

    def _refresh_member_summary(self, person_id: int) -> None:
        form = self.member_forms.get(person_id)
        if form is None:
            return
        for row in range(self.members_table.rowCount()):
            item = self.members_table.item(row, 0)
            if item is not None and item.data(KEY_ROLE) == person_id:
                summary = self.members_table.item(row, 4)
                if summary is not None:
                    summary.setText(form.summary())

    # ----------------------------------------------------------------- facts
    def gather_facts(self) -> tuple[HouseholdFacts, list[FieldProblem]]:
        """Everything on the form as :class:`HouseholdFacts`, and what could not be read."""
        problems: list[FieldProblem] = []
        members = tuple(form.facts(problems) for form in self.member_forms.values())
        deductions: list[Deduction] = []
        for kind, text in DEDUCTION_FIELDS:
            value = read_amount(
                self.deduction_edits[kind], f"deduction.{kind.name}", self.tr(text), problems
            )
            if value is not None:
                deductions.append(Deduction(kind, value))
        assets = read_amount(
            self.assets_edit, "financial_assets_per_capita", self.tr("家庭人均金融资产"), problems
        )
        current = read_amount(
            self.current_dibao_edit, "current_dibao_monthly", self.tr("现享低保月额"), problems
        )
        requested = read_amount(
            self.temporary_edit, "temporary_requested", self.tr("临时救助申请金额"), problems
        )
        granted = read_amount(
            self.temporary_granted_edit,
            "temporary_granted_this_year",
            self.tr("本年已获临时救助"),
            problems,
        )
        parameters: dict[str, Decimal] = {}
        for key, row in self.prompt_rows.items():
            spec = BY_KEY.get(key)
            value = read_amount(row.edit, f"parameter.{key}", spec.label if spec else key, problems)
            if value is not None:
                parameters[key] = value
        review = self.review_edit.date()
        facts = HouseholdFacts(
            members=members,
            deductions=tuple(deductions),
            financial_assets_per_capita=assets,
            property_compliant=_from_yes_no(self.property_combo.currentData()),
            current_dibao_monthly=current,
            voluntary_exit=self.voluntary_exit_check.isChecked(),
            income_unstable=self.unstable_check.isChecked(),
            medical_education_or_job_difficulty=self.difficulty_check.isChecked(),
            temporary_requested=requested,
            temporary_granted_this_year=granted or Decimal(0),
            temporary_illness=self.illness_check.isChecked(),
            last_review=dt.date(review.year(), review.month(), review.day())
            if self.review_check.isChecked()
            else None,
            single_person=self._loaded.single_person,
            parameters=parameters,
        )
        return facts, problems

    def _field_widgets(self) -> dict[str, QWidget]:
        out = dict(self.household_widgets)
        for form in self.member_forms.values():
            out.update(form.field_widgets())
            prefix = f"member.{form.member.person_id}"
            out[prefix] = form.medical_edit
        for key, row in self.prompt_rows.items():
            out[f"parameter.{key}"] = row.edit
        return out

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Red list under 测算, red borders on the named fields; the first member named is shown."""
        self.problems.show_problems(problems)
        named = {p.field for p in problems}
        for field, widget in self._field_widgets().items():
            set_invalid(widget, field in named)
        for p in problems:
            if p.field.startswith("member."):
                person = p.field.split(".")[1]
                if person.isdigit():
                    self.select_member(int(person))
                    break

    def clear_problems(self) -> None:
        self.show_problems(())
        self.problems.clear_problems()

    # ----------------------------------------------------------------- computing
    def compute(self) -> Assessment | None:
        """测算: run every computation with what is on the form; keep the form as it is."""
        facts, problems = self.gather_facts()
        if problems:
            self.show_problems(problems)
            self.compute_status.setText(self.tr("请先改正标红的内容。"))
            return None
        try:
            assessment = self.services.assistance.assess(self.household_id, facts)
        except ValidationError as exc:
            if any(p.field == "rule_set" for p in exc.problems):
                self._show_rule_set(None)
            self.show_problems(exc.problems)
            self.compute_status.setText(self.tr("测算未完成，请按提示修改。"))
            return None
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self.clear_problems()
        self._say_decision("")
        self.assessment = assessment
        self._set_names[assessment.rule_set.code] = assessment.rule_set.name
        self._show_rule_set(assessment.rule_set, assessment.on)
        rows = [display_row(r, self._set_names) for r in assessment.rows]
        fill_result_table(self.results, rows)
        missing = sum(1 for r in assessment.rows if r.missing)
        text = self.tr("已测算 {count} 项").format(count=len(assessment.rows))
        if missing:
            text += self.tr("，其中 {missing} 项缺少数值（黄色）").format(missing=missing)
        if assessment.prompts:
            text += self.tr("；请在左侧“需当地确定的参数”中填写本次取值后再测算")
        self.compute_status.setText(text + self.tr("。仅供审核参考。"))
        self._ensure_prompt_rows(assessment.prompts, facts.parameters)
        self._fill_subjects(rows)
        self.tabs.setCurrentIndex(0)
        return assessment

    def _ensure_prompt_rows(
        self, prompts: Sequence[ParameterPrompt], given: Mapping[str, Decimal]
    ) -> None:
        """Inputs for what the set leaves open: asked for now, or already given a value.

        A row the clerk has typed into stays even when no computation asks for it any
        more, so nothing typed is lost; an empty row that is no longer asked for goes.
        """
        wanted: dict[str, ParameterPrompt] = {p.key: p for p in prompts}
        typed = [k for k, r in self.prompt_rows.items() if r.edit.text().strip()]
        for key in (*given, *typed):
            spec = BY_KEY.get(key)
            if key not in wanted and spec is not None:
                wanted[key] = ParameterPrompt(key, spec.label, spec.unit, spec.help)
        for key in [k for k in self.prompt_rows if k not in wanted]:
            row = self.prompt_rows.pop(key)
            for widget in row.widgets():
                self.prompt_grid.removeWidget(widget)
                widget.deleteLater()
        for key, prompt in wanted.items():
            if key not in self.prompt_rows:
                row = PromptRow(prompt)
                row.edit.set_amount(given.get(key))
                self.prompt_rows[key] = row
        for index, row in enumerate(self.prompt_rows.values()):
            self.prompt_grid.addWidget(row.label, index * 2, 0, Qt.AlignmentFlag.AlignRight)
            self.prompt_grid.addWidget(row.edit, index * 2, 1)
            self.prompt_grid.addWidget(row.unit, index * 2, 2)
            self.prompt_grid.addWidget(row.help, index * 2 + 1, 1, 1, 3)
        appeared = bool(self.prompt_rows) and self.prompt_box.isHidden()
        self.prompt_box.setVisible(bool(self.prompt_rows))
        if appeared:
            self.facts_scroll.verticalScrollBar().setValue(0)
        if self.prompt_rows:
            chain_tab_order([*(r.edit for r in self.prompt_rows.values()), self.members_table])

    def prompt_keys(self) -> list[str]:
        return list(self.prompt_rows)

    # ----------------------------------------------------------------- rule set
    def choose_rule_set(self) -> None:
        code = self.chooser_combo.currentData()
        if not code:
            return
        try:
            info = self.services.assistance.choose(str(code))
        except DeskAppError as exc:
            show_error(self, exc)
            return
        log.info("rule set chosen from the assessment dialog: %s", info.code)
        self.clear_problems()
        self._show_rule_set(info)
        self.compute_status.setText(
            self.tr("已选用参数集“{name}”。请填写情况后按“测算”。").format(name=info.name)
        )
        self.compute_button.setFocus()

    # ----------------------------------------------------------------- decision
    def _fill_subjects(self, rows: Sequence[ComputationRow]) -> None:
        current = self.subject_combo.currentData()
        combo = self.subject_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            for row in rows:
                if row.figure:
                    combo.addItem(f"{row.title}：{row.figure}", row.key)
                    combo.setItemData(combo.count() - 1, row.rule, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(current) if current else -1
            if index < 0:
                index = combo.findData(PAYMENT_KEY)
            combo.setCurrentIndex(max(index, 0) if combo.count() else -1)
        finally:
            combo.blockSignals(False)
        self._on_subject_changed()
        self._update_decision_enabled()

    def subject_row(self) -> ComputationRow | None:
        if self.assessment is None:
            return None
        key = self.subject_combo.currentData()
        return next((r for r in self.assessment.rows if r.key == key), None)

    def _on_subject_changed(self) -> None:
        row = self.subject_row()
        figure = row.figure if row is not None else ""
        self.proposed_edit.setText(figure)
        decided = self.decided_edit.text().strip()
        # Prefill with the proposal unless the reviewer has written their own conclusion.
        if not decided or decided == self._proposed_for_subject:
            self.decided_edit.setText(figure)
        self._proposed_for_subject = figure

    def _update_decision_enabled(self) -> None:
        ready = self.assessment is not None and self.subject_combo.count() > 0
        self.record_button.setEnabled(ready)

    def _clear_decision_error(self, field: str) -> None:
        label = self.decision_errors[field]
        label.clear()
        label.hide()

    def _show_decision_problems(self, problems: Iterable[FieldProblem]) -> None:
        shown: dict[str, list[str]] = {}
        other: list[FieldProblem] = []
        for p in problems:
            if p.field in self.decision_errors:
                shown.setdefault(p.field, []).append(problem_line(p))
            else:
                other.append(p)
        for field, label in self.decision_errors.items():
            lines = shown.get(field, [])
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))
            set_invalid(self.decision_widgets[field], bool(lines))
        if other:
            self.show_problems(other)
        first = next((f for f in self.decision_errors if f in shown), None)
        if first is not None:
            self.decision_widgets[first].setFocus()

    def record_decision(self) -> DecisionRow | None:
        """记录审核结论 on the chosen result, with the facts of the computation shown."""
        if self.assessment is None or not self.record_button.isEnabled():
            self._say_decision(self.tr("请先测算，再记录审核结论。"), ok=False)
            return None
        facts, problems = self.gather_facts()
        if problems:
            self.show_problems(problems)
            return None
        if facts != self.assessment.facts:
            # The form changed since the results were computed: show the new results first.
            if self.compute() is not None:
                self._say_decision(
                    self.tr("情况或参数已修改，已按新情况重新测算；请核对测算结果后再记录。"),
                    ok=False,
                )
            return None
        key = str(self.subject_combo.currentData() or "")
        try:
            row = self.services.assistance.record_decision(
                self.household_id,
                facts,
                key,
                self.decided_edit.text(),
                self.reason_edit.toPlainText(),
                on=self.assessment.on,
            )
        except ValidationError as exc:
            self._show_decision_problems(exc.problems)
            self._say_decision("")
            return None
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self._show_decision_problems(())
        log.info("decision recorded from the assessment dialog: household=%s", self.household_id)
        self.reason_edit.clear()
        self._loaded = facts
        differs = self.tr("（不同于测算）") if row.differs else self.tr("（与测算一致）")
        self._say_decision(
            self.tr("已记录：{title} 结论 {decided}{differs}。见“审核记录”。").format(
                title=row.subject_title, decided=row.decided, differs=differs
            )
        )
        self.reload_history(select=row.id)
        self.decision_recorded.emit(row)
        return row

    def _say_decision(self, text: str, *, ok: bool = True) -> None:
        self.decision_status.setStyleSheet(f"color: {OK_COLOR if ok else ERROR_COLOR};")
        self.decision_status.setText(text)
        self.decision_status.setVisible(bool(text))

    def _chain_decision_tab_order(self) -> None:
        chain_tab_order(
            [
                self.results,
                self.subject_combo,
                self.decided_edit,
                self.reason_edit,
                self.record_button,
                self.close_box.button(QDialogButtonBox.StandardButton.Close),
            ]
        )

    # ----------------------------------------------------------------- history
    def reload_history(self, select: int | None = None) -> None:
        try:
            self.decisions = self.services.assistance.decisions(self.household_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        table = self.history
        table.setRowCount(len(self.decisions))
        for r, d in enumerate(self.decisions):
            texts = (
                d.on.isoformat(),
                d.subject_title,
                d.proposed,
                d.decided,
                self.tr("是") if d.differs else self.tr("否"),
                d.reason,
                d.actor,
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, d.id)
                item.setToolTip(
                    self.tr("记录于 {at}").format(at=d.decided_at.strftime("%Y-%m-%d %H:%M"))
                )
                if column in (2, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 4 and d.differs:
                    item.setForeground(QBrush(QColor(ERROR_COLOR)))
                table.setItem(r, column, item)
        count = len(self.decisions)
        self.tabs.setTabText(
            1,
            self.tr("审核记录(&H)（{count}）").format(count=count)
            if count
            else self.tr("审核记录(&H)"),
        )
        if not self.decisions:
            self.snapshot.setRowCount(0)
            self.snapshot_label.setText(self.tr("本户还没有审核记录。"))
            return
        row = next((i for i, d in enumerate(self.decisions) if d.id == select), 0)
        table.selectRow(row)
        self._on_history_selected()

    def selected_decision(self) -> DecisionRow | None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.history.item(rows[0].row(), 0)
        decision_id = item.data(KEY_ROLE) if item is not None else None
        return next((d for d in self.decisions if d.id == decision_id), None)

    def _on_history_selected(self) -> None:
        d = self.selected_decision()
        if d is None:
            return
        name = self._set_names.get(d.rule_set_code, d.rule_set_code)
        self.snapshot_label.setText(
            self.tr(
                "{at} 由 {actor} 记录，参数集：{name}。以下是记录时的测算结果，"
                "之后修改参数集不会改变这些记录。"
            ).format(at=d.decided_at.strftime("%Y-%m-%d %H:%M"), actor=d.actor, name=name)
        )
        fill_result_table(self.snapshot, [display_row(r, self._set_names) for r in d.rows])


def _member_view(p: PersonDetail, on: dt.date) -> MemberView:
    """The members table before a set is chosen (the service gives the same after)."""
    notes: list[str] = []
    if p.has_disability_cert:
        grade = f"{p.disability_grade}级" if p.disability_grade else ""
        category = LABELS["DisabilityCategory"].get(p.disability_category or "", "")
        notes.append(f"残疾{grade}{tr_label('registry', category)}")
    if p.major_illness:
        notes.append(_t("重病"))
    if p.mental_disorder:
        notes.append(_t("精神障碍"))
    ability = LABELS["LabourAbility"].get(p.labour_ability, "")
    if ability:
        notes.append(tr_label("registry", ability))
    relation = LABELS["Relation"].get(p.relation or "", "")
    return MemberView(
        p.id, p.name, tr_label("registry", relation) if relation else "", p.age, "、".join(notes)
    )
