"""救助测算与审核 driven through its real widgets, against real services on SQLite.

Chinese text is entered with ``setText`` (``qtbot.keyClicks`` with non-ASCII text aborts
the interpreter); buttons are clicked. Every decision is checked through the service: a
refused one must leave the form as typed and write nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.assistance.income import IncomeSource
from desk_app.domain.household import PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import Relation
from desk_app.services.dto import HouseholdDetail
from ui.dialogs import is_invalid
from ui.dialogs.assessment_dialog import (
    MISSING_BACKGROUND,
    AmountEdit,
    AssessmentDialog,
)
from ui.pages.registry_page import RegistryPage

TODAY = dt.date(2026, 5, 1)  # the services' clock in conftest
URBAN = "dibao.standard.urban.monthly"
RURAL = "dibao.standard.rural.monthly"
ILLNESS = "temporary.illness_multiple"


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def family(services: Services, household: HouseholdDetail) -> HouseholdDetail:
    """张三's rural household with his wife and son: three people."""
    services.households.add_member(
        household.id, PersonInput("李梅", make_id("52040219820202002")), Relation.SPOUSE
    )
    return services.households.add_member(
        household.id, PersonInput("张小明", make_id("52040220100303003")), Relation.SON
    )


@pytest.fixture
def local_set(services: Services) -> str:
    """A local copy of 安顺 with an urban standard, chosen for the window."""
    services.context.operator.name = "王芳"
    code = services.assistance.copy("anshun", "中华路街道参数集").code
    services.assistance.set_value(code, URBAN, Decimal(650), dt.date(2026, 1, 1), "县民政局通知")
    services.assistance.choose(code)
    return code


def open_dialog(qtbot: QtBot, services: Services, household_id: int) -> AssessmentDialog:
    dialog = AssessmentDialog(services, household_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible(), button.text()
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def head_id(detail: HouseholdDetail) -> int:
    head = detail.head
    assert head is not None
    return head.id


def result(table: QTableWidget, key: str) -> tuple[str, str, str]:
    """(项目, 结果, 说明) of the row for computation ``key``."""
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
            return tuple(table.item(row, c).text() for c in range(3))  # type: ignore[return-value, union-attr]
    raise AssertionError(f"no row {key}: {keys(table)}")


def keys(table: QTableWidget) -> list[str]:
    return [table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())]  # type: ignore[union-attr]


def compute_with_income(
    qtbot: QtBot, dialog: AssessmentDialog, detail: HouseholdDetail, income: str = "600"
) -> None:
    dialog.member_form(head_id(detail)).income_edits[IncomeSource.WAGES].setText(income)
    click(qtbot, dialog.compute_button)
    assert dialog.assessment is not None, dialog.problems.text()


# ------------------------------------------------------------------ computing
def test_three_person_rural_household_gets_the_difference_to_the_standard(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    assert "户编号 " + family.number in dialog.heading.text()
    assert "贵州安顺（示例参数集）" in dialog.rule_set_label.text()
    assert TODAY.isoformat() in dialog.rule_set_label.text()
    assert dialog.members_table.rowCount() == 3
    assert not dialog.record_button.isEnabled()  # nothing computed yet

    compute_with_income(qtbot, dialog, family)

    assert result(dialog.results, "income.per_capita")[1] == "200.00"
    title, figure, rule = result(dialog.results, "dibao.payment")
    assert (title, figure) == ("家庭月低保金", "525.00")
    assert "375.00" in rule
    payment_row = keys(dialog.results).index("dibao.payment")
    figure_item = dialog.results.item(payment_row, 1)
    assert figure_item is not None
    assert figure_item.textAlignment() & Qt.AlignmentFlag.AlignRight
    assert "375.00" in figure_item.toolTip()  # the full rule
    # The decision box offers 家庭月低保金 first, prefilled with the proposal.
    assert dialog.subject_combo.currentData() == "dibao.payment"
    assert dialog.proposed_edit.text() == "525.00"
    assert dialog.decided_edit.text() == "525.00"
    assert dialog.record_button.isEnabled()


def test_pension_is_entered_but_not_counted(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    form = dialog.member_form(head_id(family))
    form.income_edits[IncomeSource.BASIC_PENSION].setText("150")
    compute_with_income(qtbot, dialog, family)
    _title, figure, rule = result(dialog.results, "income.per_capita")
    assert figure == "200.00"
    assert "基础养老金 150.00 元不计入" in rule


def test_keyboard_f5_and_ctrl_enter_compute(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.members_table
    qtbot.keyClick(dialog.members_table, Qt.Key.Key_Tab)
    form = dialog.member_form(head_id(family))
    edit = form.income_edits[IncomeSource.WAGES]
    assert QApplication.focusWidget() is edit  # the selected member's first income
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.income_edits[IncomeSource.BUSINESS]
    edit.setFocus()
    qtbot.keyClicks(edit, "900")
    qtbot.keyClick(edit, Qt.Key.Key_F5)
    assert result(dialog.results, "income.per_capita")[1] == "300.00"
    edit.setText("1200")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert result(dialog.results, "income.per_capita")[1] == "400.00"


def test_money_fields_take_digits_only_and_unreadable_text_names_the_field(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    edit = dialog.member_form(head_id(family)).income_edits[IncomeSource.WAGES]
    qtbot.keyClicks(edit, "12a3.456")
    assert edit.text() == "123.45"  # letters refused, two decimals at most
    edit.clear()
    edit.insert("６００")  # full-width digits from a Chinese IME
    assert edit.text() == "600"
    assert isinstance(edit, AmountEdit)
    assert edit.amount() == Decimal("600")

    edit.setText(".")  # setText bypasses the validator: the form still checks
    click(qtbot, dialog.compute_button)
    assert dialog.assessment is None
    assert "张三 工资性收入" in dialog.problems.text()
    assert is_invalid(edit)
    assert edit.text() == "."  # what was typed stays


def test_without_a_chosen_set_the_dialog_offers_the_sets(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    dialog = open_dialog(qtbot, services, family.id)
    assert dialog.chooser.isVisible()
    assert dialog.chooser_combo.count() == len(services.assistance.rule_sets())
    assert dialog.members_table.rowCount() == 3  # the form is usable meanwhile

    dialog.member_form(head_id(family)).income_edits[IncomeSource.WAGES].setText("600")
    click(qtbot, dialog.compute_button)
    assert dialog.assessment is None
    assert "还没有选择参数集" in dialog.problems.text()

    dialog.chooser_combo.setCurrentIndex(dialog.chooser_combo.findData("anshun"))
    click(qtbot, dialog.choose_button)
    chosen = services.assistance.chosen()
    assert chosen is not None
    assert chosen.code == "anshun"
    assert not dialog.chooser.isVisible()
    click(qtbot, dialog.compute_button)
    assert result(dialog.results, "dibao.payment")[1] == "525.00"
    # The income typed before the set was chosen was used.
    assert dialog.member_form(head_id(family)).income_edits[IncomeSource.WAGES].text() == "600"


# ------------------------------------------------------------------ placeholders
def test_an_open_parameter_is_asked_for_and_used_when_entered(
    qtbot: QtBot, services: Services, family: HouseholdDetail, local_set: str
) -> None:
    dialog = open_dialog(qtbot, services, family.id)
    assert not dialog.prompt_box.isVisible()
    dialog.temporary_edit.setText("3000")
    dialog.illness_check.setChecked(True)
    compute_with_income(qtbot, dialog, family)

    title, figure, rule = result(dialog.results, "temporary.illness_amount")
    assert figure.startswith("缺少：")
    assert "因病临时救助倍数" in figure
    row = keys(dialog.results).index("temporary.illness_amount")
    item = dialog.results.item(row, 0)
    assert item is not None
    assert item.background().color() == QColor(MISSING_BACKGROUND)
    assert ILLNESS in dialog.prompt_keys()
    assert dialog.prompt_box.isVisible()
    prompt = dialog.prompt_rows[ILLNESS]
    assert prompt.edit.text() == ""  # no invented default
    assert "xx 倍" in prompt.help.text()
    assert prompt.unit.text() == "倍"

    prompt.edit.setText("2")
    click(qtbot, dialog.compute_button)
    assert result(dialog.results, "temporary.illness_amount")[1] == "1300.00"  # 650 × 2
    title, figure, rule = result(dialog.results, f"parameter.case:{ILLNESS}")
    assert (title, figure) == ("本次取值：因病临时救助倍数", "2")
    assert ILLNESS not in rule  # the key is shown by its Chinese name
    assert prompt.edit.text() == "2"  # the entered value stays for the next run
    assert dialog.assessment is not None
    assert dialog.assessment.facts.parameters == {ILLNESS: Decimal(2)}
    # The set itself is unchanged: the value was for this computation only.
    row_values = [v for v in services.assistance.values(local_set) if v.key == ILLNESS]
    assert [v.value for v in row_values] == [None]


def test_a_wrong_value_for_an_open_parameter_is_shown_at_its_field(
    qtbot: QtBot, services: Services, family: HouseholdDetail, local_set: str
) -> None:
    dialog = open_dialog(qtbot, services, family.id)
    dialog.member_form(head_id(family)).class_combo.setCurrentIndex(1)  # a类
    compute_with_income(qtbot, dialog, family)
    prompt = dialog.prompt_rows["dibao.supplement.a"]
    prompt.edit.setText("30")  # a ratio: 0.3 was meant
    click(qtbot, dialog.compute_button)
    assert "A类增发比例" in dialog.problems.text()
    assert "0 到 1" in dialog.problems.text()
    assert is_invalid(prompt.edit)
    assert prompt.edit.text() == "30"


# ------------------------------------------------------------------ decisions
def test_a_differing_decision_without_reason_shows_the_error_and_records_nothing(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    compute_with_income(qtbot, dialog, family)
    dialog.decided_edit.setText("500")
    click(qtbot, dialog.record_button)

    assert services.assistance.decisions(family.id) == ()
    assert dialog.reason_error.isVisible()
    assert "请写明理由" in dialog.reason_error.text()
    assert is_invalid(dialog.reason_edit)
    assert dialog.decided_edit.text() == "500"
    edit = dialog.member_form(head_id(family)).income_edits[IncomeSource.WAGES]
    assert edit.text() == "600"
    assert dialog.history.rowCount() == 0


def test_a_decision_with_reason_is_recorded_and_listed(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.context.operator.name = "王芳"
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    compute_with_income(qtbot, dialog, family)
    dialog.decided_edit.setText("500")
    dialog.reason_edit.setPlainText("入户调查发现另有季节性务工收入")
    with qtbot.waitSignal(dialog.decision_recorded) as signal:
        click(qtbot, dialog.record_button)

    (decision,) = services.assistance.decisions(family.id)
    assert signal.args == [decision]
    assert (decision.subject_key, decision.proposed, decision.decided) == (
        "dibao.payment",
        "525.00",
        "500",
    )
    assert decision.differs
    assert decision.reason == "入户调查发现另有季节性务工收入"
    assert dialog.history.rowCount() == 1
    texts = [dialog.history.item(0, c).text() for c in range(7)]  # type: ignore[union-attr]
    assert texts == [
        TODAY.isoformat(),
        "家庭月低保金",
        "525.00",
        "500",
        "是",
        "入户调查发现另有季节性务工收入",
        "王芳",
    ]
    assert "（1）" in dialog.tabs.tabText(1)
    assert result(dialog.snapshot, "dibao.payment")[1] == "525.00"
    assert "已记录" in dialog.decision_status.text()
    assert dialog.reason_edit.toPlainText() == ""

    # The next computation starts from what was decided on.
    again = open_dialog(qtbot, services, family.id)
    edit = again.member_form(head_id(family)).income_edits[IncomeSource.WAGES]
    assert edit.text() == "600"
    assert again.history.rowCount() == 1


def test_agreeing_decision_needs_no_reason(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    compute_with_income(qtbot, dialog, family)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.decided_edit.setFocus()
    qtbot.keyClick(dialog.decided_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (decision,) = services.assistance.decisions(family.id)
    assert not decision.differs
    assert dialog.history.item(0, 4).text() == "否"  # type: ignore[union-attr]


def test_editing_after_computing_recomputes_before_recording(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    dialog = open_dialog(qtbot, services, family.id)
    compute_with_income(qtbot, dialog, family)
    dialog.member_form(head_id(family)).income_edits[IncomeSource.WAGES].setText("900")
    click(qtbot, dialog.record_button)
    assert services.assistance.decisions(family.id) == ()
    assert result(dialog.results, "dibao.payment")[1] == "225.00"  # (375 - 300) × 3
    assert dialog.decided_edit.text() == "225.00"
    assert "重新测算" in dialog.decision_status.text()


def test_a_recorded_decision_keeps_its_figures_after_the_set_changes(
    qtbot: QtBot, services: Services, family: HouseholdDetail, local_set: str
) -> None:
    dialog = open_dialog(qtbot, services, family.id)
    compute_with_income(qtbot, dialog, family)
    click(qtbot, dialog.record_button)
    assert len(services.assistance.decisions(family.id)) == 1

    # The township raises its rural standard from today on.
    services.assistance.set_value(local_set, RURAL, Decimal(400), TODAY, "县民政局调标通知")

    later = open_dialog(qtbot, services, family.id)
    assert later.history.item(0, 2).text() == "525.00"  # type: ignore[union-attr]
    assert result(later.snapshot, "dibao.payment")[1] == "525.00"
    assert "375.00" in result(later.snapshot, "dibao.payment")[2]
    click(qtbot, later.compute_button)
    assert result(later.results, "dibao.payment")[1] == "600.00"  # (400 - 200) × 3
    assert "中华路街道参数集" in later.snapshot_label.text()


# ------------------------------------------------------------------ household page
def test_household_page_opens_the_dialog_and_shows_the_latest_decision(
    qtbot: QtBot, services: Services, family: HouseholdDetail
) -> None:
    services.assistance.choose("anshun")
    page = RegistryPage(services)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    page.show_household(family.id)
    panel = page.panel
    assert panel.assessment_button.isEnabled()
    assert panel.assessment_label.text() == "尚无审核记录"

    dialog = panel.open_assessment()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.household_id == family.id
    compute_with_income(qtbot, dialog, family)
    dialog.decided_edit.setText("500")
    dialog.reason_edit.setPlainText("民主评议意见")
    click(qtbot, dialog.record_button)
    assert panel.assessment_label.text() == (
        f"{TODAY.isoformat()} 家庭月低保金：结论 500，测算 525.00（不同于测算）"
    )
    assert "民主评议意见" in panel.assessment_label.toolTip()
    dialog.reject()


def test_the_panel_button_waits_for_a_household(qtbot: QtBot, services: Services) -> None:
    page = RegistryPage(services)
    qtbot.addWidget(page)
    assert not page.panel.assessment_button.isEnabled()
    assert page.panel.open_assessment() is None
