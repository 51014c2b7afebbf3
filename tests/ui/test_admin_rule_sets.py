"""系统设置 → 救助参数集 through its real widgets, against real services on SQLite.

Chinese text is entered with ``setText``; rows are chosen by clicking them and every
change is checked through the services. Example sets can be read, chosen and copied,
never changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from ui.dialogs import is_invalid
from ui.pages.admin_common import find_row
from ui.pages.admin_page import AdminPage
from ui.pages.admin_rule_sets import CopyRuleSetDialog, RuleSetsTab, rule_value_text

TODAY = dt.date(2026, 5, 1)  # the services' clock in conftest
URBAN = "dibao.standard.urban.monthly"


@pytest.fixture
def page(qtbot: QtBot, services: Services) -> AdminPage:
    services.context.operator.name = "王芳"
    widget = AdminPage(services)
    qtbot.addWidget(widget)
    widget.resize(1240, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def tab(page: AdminPage) -> RuleSetsTab:
    page.tabs.setCurrentIndex(4)
    assert page.tabs.currentWidget() is page.rule_sets_tab
    return page.rule_sets_tab


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible(), button.text()
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, table: QTableWidget, code: object) -> None:
    row = find_row(table, code)
    assert row >= 0, code
    item = table.item(row, 0)
    assert item is not None
    table.scrollToItem(item)
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(table: QTableWidget, code: object, column: int) -> str:
    item = table.item(find_row(table, code), column)
    assert item is not None
    return item.text()


def copy_via_dialog(qtbot: QtBot, tab: RuleSetsTab, name: str | None = None) -> CopyRuleSetDialog:
    click(qtbot, tab.copy_button)
    dialog = tab.copy_dialog
    assert dialog is not None
    assert dialog.isVisible()
    if name is not None:
        dialog.name_edit.setText(name)
    click(qtbot, dialog.ok_button())
    return dialog


def test_the_tab_is_the_fifth_of_system_settings(page: AdminPage) -> None:
    assert page.tabs.tabText(4) == "救助参数集(&5)"
    assert page.rule_sets_tab in page.all_tabs()


def test_examples_are_listed_and_cannot_be_changed(
    qtbot: QtBot, services: Services, tab: RuleSetsTab
) -> None:
    examples = [s for s in services.assistance.rule_sets() if s.example]
    assert tab.table.rowCount() == len(examples) == 6
    assert tab.in_use_label.text() == "尚未选用参数集：救助测算前请选用一个。"
    click_row(qtbot, tab.table, "anshun")
    assert cell(tab.table, "anshun", 1) == "示例"
    assert tab.values_title.text() == "贵州安顺（示例）"
    rows = services.assistance.values("anshun")
    assert tab.values.rowCount() == len(rows)
    # The whole history: both rural standards, newest first, the older one superseded.
    rural = [r for r in range(tab.values.rowCount()) if "元/人/月" in tab.values.item(r, 2).text()]  # type: ignore[union-attr]
    texts = [(tab.values.item(r, 1).text(), tab.values.item(r, 3).text()) for r in rural]  # type: ignore[union-attr]
    assert ("375", "2020-01-01（现行）") in texts
    assert ("325.67", "2018-01-01（已被取代）") in texts
    assert ("需当地确定", "2000-01-01（现行）") in texts  # the urban standard is left open

    assert tab.locked_label.isVisible()
    assert tab.locked_label.text() == "示例参数集不能修改，请先复制为本地参数集"
    assert not tab.add_button.isEnabled()
    assert not tab.value_edit.isEnabled()
    # Even past the disabled button the service refuses, and the form says why.
    tab.value_edit.setText("650")
    tab.source_edit.setPlainText("县民政局通知")
    assert tab.add_value() is None
    assert "示例参数集不能修改" in tab.problems.text()
    assert len(services.assistance.values("anshun")) == len(rows)


def test_choosing_a_set_marks_it_in_use(
    qtbot: QtBot, services: Services, page: AdminPage, tab: RuleSetsTab
) -> None:
    click_row(qtbot, tab.table, "qingliu")
    with qtbot.waitSignal(page.changed) as signal:
        click(qtbot, tab.choose_button)
    assert signal.args == ["rule_sets"]
    chosen = services.assistance.chosen()
    assert chosen is not None
    assert chosen.code == "qingliu"
    assert cell(tab.table, "qingliu", 2) == "在用"
    assert cell(tab.table, "anshun", 2) == ""
    assert tab.in_use_label.text() == "在用：福建三明清流县"
    assert not tab.choose_button.isEnabled()  # already in use
    assert "已选用" in tab.status.text()

    click_row(qtbot, tab.table, "anshun")
    click(qtbot, tab.choose_button)
    assert cell(tab.table, "anshun", 2) == "在用"
    assert cell(tab.table, "qingliu", 2) == ""


def test_copying_an_example_gives_an_editable_local_set(
    qtbot: QtBot, services: Services, tab: RuleSetsTab
) -> None:
    click_row(qtbot, tab.table, "anshun")
    click(qtbot, tab.copy_button)
    dialog = tab.copy_dialog
    assert dialog is not None
    assert dialog.name_edit.text() == "中华路街道参数集"  # the township's name by default
    click(qtbot, dialog.ok_button())

    local = next(s for s in services.assistance.rule_sets() if not s.example)
    assert (local.name, local.based_on) == ("中华路街道参数集", "anshun")
    assert tab.table.rowCount() == 7
    assert cell(tab.table, local.code, 1) == "本地"
    assert cell(tab.table, local.code, 3) == "贵州安顺"
    assert tab.selected_set() == local
    assert not tab.locked_label.isVisible()
    assert tab.add_button.isEnabled()
    assert tab.values.rowCount() == len(services.assistance.values("anshun"))

    tab.key_combo.setCurrentIndex(tab.key_combo.findData(URBAN))
    assert "城市（城镇）居民最低生活保障标准" in tab.help_label.text()
    assert tab.unit_label.text() == "元/人/月"
    tab.value_edit.setText("650")
    tab.from_edit.setDate(tab.from_edit.date().addDays(-30))
    tab.source_edit.setPlainText("县民政局关于提高城乡低保标准的通知")
    click(qtbot, tab.add_button)

    added = [v for v in services.assistance.values(local.code) if v.key == URBAN]
    assert [v.value for v in added] == [Decimal(650), None]  # newest first, the old row kept
    assert added[0].effective_from == TODAY - dt.timedelta(days=30)
    assert added[0].source == "县民政局关于提高城乡低保标准的通知"
    assert added[0].actor == "王芳"
    assert "原有取值和已记录的审核结论不变" in tab.form_status.text()
    assert cell(tab.values, added[0].id, 1) == "650"
    assert cell(tab.values, added[0].id, 3).endswith("（现行）")
    assert cell(tab.values, added[1].id, 3).endswith("（已被取代）")
    # The example itself is untouched.
    assert [v.value for v in services.assistance.values("anshun") if v.key == URBAN] == [None]


def test_a_value_needs_its_source_and_can_be_left_open(
    qtbot: QtBot, services: Services, tab: RuleSetsTab
) -> None:
    click_row(qtbot, tab.table, "anshun")
    copy_via_dialog(qtbot, tab, "本地副本")
    code = tab.selected_set().code  # type: ignore[union-attr]
    before = len(services.assistance.values(code))
    tab.key_combo.setCurrentIndex(tab.key_combo.findData("temporary.annual_cap"))
    tab.value_edit.setText("20000")
    click(qtbot, tab.add_button)
    assert "请写明依据" in tab.problems.text()
    assert is_invalid(tab.source_edit)
    assert tab.value_edit.text() == "20000"
    assert len(services.assistance.values(code)) == before

    tab.value_edit.setText("abc")
    tab.source_edit.setPlainText("县民政局临时救助实施细则")
    click(qtbot, tab.add_button)
    assert "请填写数字" in tab.problems.text()
    assert len(services.assistance.values(code)) == before

    tab.open_check.setChecked(True)
    assert not tab.value_edit.isEnabled()
    tab.from_edit.setDate(tab.from_edit.date().addDays(1))
    click(qtbot, tab.add_button)
    rows = [v for v in services.assistance.values(code) if v.key == "temporary.annual_cap"]
    assert rows[0].value is None
    assert rows[0].effective_from == TODAY + dt.timedelta(days=1)
    assert cell(tab.values, rows[0].id, 3).endswith("（待生效）")


def test_copy_with_a_taken_name_keeps_the_dialog_open(
    qtbot: QtBot, services: Services, tab: RuleSetsTab
) -> None:
    click_row(qtbot, tab.table, "anshun")
    copy_via_dialog(qtbot, tab, "本地副本")
    click_row(qtbot, tab.table, "ganxian")
    dialog = copy_via_dialog(qtbot, tab, "本地副本")
    assert dialog.isVisible()
    assert "已有同名参数集" in dialog.problem_label.text()
    assert is_invalid(dialog.name_edit)
    assert dialog.name_edit.text() == "本地副本"
    assert len([s for s in services.assistance.rule_sets() if not s.example]) == 1
    dialog.reject()


def test_values_read_as_numbers_not_scientific_notation() -> None:
    assert rule_value_text(Decimal("1E+1"), "月") == "10"
    assert rule_value_text(Decimal("0.30"), "比例") == "0.3（30%）"
    assert rule_value_text(None, "倍") == "需当地确定"
