"""系统设置 driven through its real widgets, against real services on SQLite.

Chinese text is entered with ``setText`` (``qtbot.keyClicks`` with non-ASCII text aborts
the interpreter); digits are typed with ``keyClicks``. Rows are chosen by clicking them,
saves go through the buttons, and every change is checked through the services. A
wrong entry must show its problem in the form and write nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.intake import Handling
from desk_app.services.catalogue import MatterRow
from desk_app.services.dto import HouseholdDetail
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter
from ui.dialogs import is_invalid
from ui.pages.admin_common import CODE_ROLE, find_row
from ui.pages.admin_page import AdminPage

TODAY = dt.date(2026, 5, 1)  # the services' clock in conftest
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


@pytest.fixture
def page(qtbot: QtBot, services: Services) -> AdminPage:
    services.context.operator.name = "王芳"
    widget = AdminPage(services)
    qtbot.addWidget(widget)
    widget.resize(1240, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


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


def open_tab(page: AdminPage, index: int) -> QWidget:
    page.tabs.setCurrentIndex(index)
    widget = page.tabs.currentWidget()
    assert widget.isVisible()
    return widget


def matter(services: Services, code: str) -> MatterRow:
    return next(m for m in services.catalogue.matters(include_inactive=True) if m.code == code)


def error_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


# ------------------------------------------------------------------ page
def test_page_has_four_tabs_and_flags_the_holiday_tab(page: AdminPage) -> None:
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles[:3] == ["事项目录(&1)", "接收部门(&2)", "参数(&3)"]
    # 2027 and 2028 are beyond chinese-calendar and nothing is entered yet.
    assert titles[3] == "节假日(&4)（待录入）"
    assert "2027" in page.tabs.tabToolTip(3)
    assert page.matters_tab.table.rowCount() == len(
        page.services.catalogue.matters(include_inactive=True)
    )


# ------------------------------------------------------------------ 事项目录
def test_editing_a_matter_changes_its_route_and_papers_for_the_next_intake(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = page.matters_tab
    click_row(qtbot, tab.table, "elderly_home_adaptation")
    assert tab.code_label.text() == "elderly_home_adaptation"
    assert tab.handling_combo.value() is Handling.WINDOW
    assert "domain.md" in tab.basis_view.toPlainText()
    assert tab.basis_view.isReadOnly()
    assert not tab.save_button.isEnabled()  # nothing changed yet

    tab.handling_combo.setCurrentIndex(tab.handling_combo.findData(Handling.REFERRAL.value))
    offered = {tab.department_combo.itemData(i) for i in range(tab.department_combo.count())}
    assert "housing" in offered
    assert "township_civil_affairs" not in offered  # 民政 is not a referral target
    tab.department_combo.setCurrentIndex(tab.department_combo.findData("housing"))
    tab.reason_edit.setPlainText("本县适老化改造由住建部门统一实施，窗口转介并跟踪答复。")
    before = matter(services, "elderly_home_adaptation")
    dropped = before.required_papers[-1].code
    tab.required_list.set_checked(dropped, False)
    tab.optional_list.set_checked("hukou_book", True)
    assert tab.save_button.isEnabled()
    click(qtbot, tab.save_button)

    after = matter(services, "elderly_home_adaptation")
    assert (after.handling, after.department_code) == (Handling.REFERRAL, "housing")
    assert after.reason == "本县适老化改造由住建部门统一实施，窗口转介并跟踪答复。"
    assert dropped not in {p.code for p in after.required_papers}
    assert "hukou_book" in {p.code for p in after.optional_papers}
    proposal = services.intake.propose([MatterChoice("elderly_home_adaptation")])[0]
    assert (proposal.handling, proposal.department_code) == (Handling.REFERRAL, "housing")
    assert dropped not in {p.code for p in proposal.papers_missing}
    row = find_row(tab.table, "elderly_home_adaptation")
    assert tab.table.item(row, 2).text() == "转介"  # type: ignore[union-attr]
    assert tab.table.item(row, 3).text() == after.department_name  # type: ignore[union-attr]
    assert "已保存" in tab.status.text()
    assert not tab.save_button.isEnabled()


def test_a_matter_with_problems_is_not_saved_and_the_form_says_why(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = page.matters_tab
    click_row(qtbot, tab.table, "student_aid")
    before = matter(services, "student_aid")
    tab.name_edit.clear()
    tab.reason_edit.setPlainText("  ")
    tab.department_combo.setCurrentIndex(0)  # （请选择部门）
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    lines = tab.problems.lines()
    assert tab.problems.isVisible()
    assert "事项名称：请填写事项名称" in lines
    assert any(line.startswith("去向说明：") for line in lines)
    assert any(line.startswith("办理部门：") for line in lines)
    assert is_invalid(tab.name_edit)
    assert is_invalid(tab.reason_edit)
    assert is_invalid(tab.department_combo)
    assert not error_boxes()
    assert matter(services, "student_aid") == before


def test_unsaved_edits_keep_their_row_until_saved_or_reverted(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = page.matters_tab
    click_row(qtbot, tab.table, "student_aid")
    tab.name_edit.setText("学生资助（改）")
    click_row(qtbot, tab.table, "dibao")
    assert tab.current_code == "student_aid"
    assert tab.name_edit.text() == "学生资助（改）"
    assert "未保存" in tab.status.text()

    click(qtbot, tab.revert_button)
    assert tab.name_edit.text() == matter(services, "student_aid").name
    click_row(qtbot, tab.table, "dibao")
    assert tab.current_code == "dibao"


def test_a_paper_is_either_required_or_optional(qtbot: QtBot, page: AdminPage) -> None:
    tab = page.matters_tab
    click_row(qtbot, tab.table, "dibao")
    assert "id_card" in tab.required_list.chosen()
    tab.optional_list.set_checked("id_card", True)
    assert "id_card" in tab.optional_list.chosen()
    assert "id_card" not in tab.required_list.chosen()
    assert "（已选" in tab.required_label.text()


def test_the_matter_filter_hides_other_rows(qtbot: QtBot, page: AdminPage) -> None:
    tab = page.matters_tab
    tab.filter_edit.setText("县医疗保障局")
    shown = [r for r in range(tab.table.rowCount()) if not tab.table.isRowHidden(r)]
    assert len(shown) == 4  # 医疗救助, 重特大疾病, 医保缴费资助, 慢性病用药
    assert all(tab.table.item(r, 3).text() == "县医疗保障局" for r in shown)  # type: ignore[union-attr]
    assert tab.count_label.text() == f"4/{tab.table.rowCount()} 项"
    tab.filter_edit.clear()
    assert not any(tab.table.isRowHidden(r) for r in range(tab.table.rowCount()))


# ------------------------------------------------------------------ 接收部门
def test_editing_a_department_saves_its_contact(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 1)
    assert tab is page.departments_tab
    click_row(qtbot, tab.table, "education")
    tab.contact_edit.setText("李老师")
    qtbot.keyClicks(tab.phone_edit, "0851-1234567")
    click(qtbot, tab.save_button)

    dep = next(d for d in services.catalogue.departments() if d.code == "education")
    assert (dep.contact, dep.phone) == ("李老师", "0851-1234567")
    row = find_row(tab.table, "education")
    assert tab.table.item(row, 2).text() == "李老师"  # type: ignore[union-attr]


def test_a_department_with_problems_is_not_saved(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 1)
    assert tab is page.departments_tab
    before = services.catalogue.departments(include_inactive=True)
    click_row(qtbot, tab.table, "education")
    tab.name_edit.clear()
    tab.contact_edit.setText("李" * 41)
    click(qtbot, tab.save_button)
    assert "部门名称：请填写部门名称" in tab.problems.lines()
    assert is_invalid(tab.name_edit)
    assert is_invalid(tab.contact_edit)
    assert services.catalogue.departments(include_inactive=True) == before

    # Switching off a department that matters are still routed to is refused too.
    click(qtbot, tab.revert_button)
    tab.active_check.setChecked(False)
    click(qtbot, tab.save_button)
    assert any(line.startswith("启用：仍有事项默认转介到该部门") for line in tab.problems.lines())
    assert is_invalid(tab.active_check)
    assert services.catalogue.departments(include_inactive=True) == before
    assert not error_boxes()


def test_a_new_reply_limit_is_added_with_a_date_and_the_old_one_stays(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 1)
    assert tab is page.departments_tab
    click_row(qtbot, tab.table, "education")
    assert tab.limit_box.isEnabled()
    assert tab.history.rowCount() == 1
    key = "referral.limit_days.education"

    # No source: refused in the form, nothing written.
    tab.limit_spin.selectAll()
    qtbot.keyClicks(tab.limit_spin, "5")
    click(qtbot, tab.add_limit_button)
    assert any(line.startswith("依据：") for line in tab.limit_problems.lines())
    assert is_invalid(tab.limit_source)
    assert len(services.parameters.history(key)) == 1

    tab.limit_from.setDate(QDate(2026, 6, 1))
    tab.limit_source.setText("县政府办公室会议纪要〔2026〕3号")
    click(qtbot, tab.add_limit_button)

    rows = services.parameters.history(key)
    assert len(rows) == 2
    assert services.parameters.value(key, on=dt.date(2026, 5, 31)).value == 10  # type: ignore[union-attr]
    new = services.parameters.value(key, on=dt.date(2026, 6, 1))
    assert new is not None
    assert (new.value, new.source, new.actor) == (5, "县政府办公室会议纪要〔2026〕3号", "王芳")
    assert tab.history.rowCount() == 2
    assert "2026-06-01" in tab.limit_now.text()  # 现行 10, from 1 June 5
    assert "原有时限保留" in tab.limit_status.text()


def test_in_house_departments_have_no_reply_limit(qtbot: QtBot, page: AdminPage) -> None:
    tab = open_tab(page, 1)
    assert tab is page.departments_tab
    click_row(qtbot, tab.table, "township_civil_affairs")
    assert not tab.limit_box.isEnabled()
    assert "窗口办理" in tab.limit_now.text()


# ------------------------------------------------------------------ 参数
def test_adding_a_parameter_value_keeps_the_old_value(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 2)
    assert tab is page.parameters_tab
    key = "notice.objection_days"
    tab.key_combo.setCurrentIndex(tab.key_combo.findData(key))
    assert "7 天" in tab.current_label.text()
    assert tab.unit_label.text() == "天"
    qtbot.keyClicks(tab.value_edit, "5")
    tab.from_edit.setDate(QDate(2026, 5, 1))
    tab.source_edit.setPlainText("县民政局关于规范低保公示的通知")
    click(qtbot, tab.add_button)

    assert services.parameters.value(key).value == 5  # type: ignore[union-attr]
    assert services.parameters.value(key, on=dt.date(2026, 4, 30)).value == 7  # type: ignore[union-attr]
    group = tab.key_item(key)
    assert group is not None
    children = [group.child(i) for i in range(group.childCount())]
    assert [c.text(0) for c in children if c is not None] == [
        "2026-05-01（现行）",
        "2000-01-01（已被取代）",
    ]
    assert "原有取值保留" in tab.status.text()


def test_a_value_left_to_the_locality_can_be_entered_and_set_back(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 2)
    assert tab is page.parameters_tab
    key = "window.limit_days.temporary_assistance"
    group = tab.key_item(key)
    assert group is not None
    assert "（需当地确定）" in group.text(0)
    tab.tree.setCurrentItem(group)  # choosing the group in the tree picks the key
    assert tab.selected_key() == key
    qtbot.keyClicks(tab.value_edit, "7")
    tab.from_edit.setDate(QDate(2026, 4, 1))
    tab.source_edit.setPlainText("县民政局临时救助实施细则")
    click(qtbot, tab.add_button)
    assert services.intake.propose([MatterChoice("temporary_assistance")])[0].limit_days == 7

    tab.local_check.setChecked(True)
    assert not tab.value_edit.isEnabled()
    tab.from_edit.setDate(QDate(2026, 5, 1))
    tab.source_edit.setPlainText("细则废止，待重新确定")
    click(qtbot, tab.add_button)
    assert services.parameters.value(key).value is None  # type: ignore[union-attr]
    assert len(services.parameters.history(key)) == 3


@pytest.mark.parametrize(
    ("key", "typed", "problem"),
    [
        ("notice.objection_days", "", "取值：请填写数值，或勾选“需当地确定”"),
        ("notice.objection_days", "abc", "取值：请填写数字，如 10 或 0.8"),
        ("window.limit_days.dibao", "7.5", "取值：工作日数请填写整数"),
        ("kpi.on_time_target", "80", "取值：比例请填写0到1之间的小数，如0.8表示80%"),
        ("referral.limit_days.default", "0", "取值：答复时限至少为1个工作日"),
        ("temporary_assistance.township_approval_limit", "-5", "数值：不能为负数"),
    ],
)
def test_a_wrong_parameter_value_is_refused_in_the_form(
    qtbot: QtBot, page: AdminPage, services: Services, key: str, typed: str, problem: str
) -> None:
    tab = open_tab(page, 2)
    assert tab is page.parameters_tab
    before = services.parameters.history()
    tab.key_combo.setCurrentIndex(tab.key_combo.findData(key))
    qtbot.keyClicks(tab.value_edit, typed)
    tab.source_edit.setPlainText("测试依据")
    click(qtbot, tab.add_button)
    assert problem in tab.problems.lines()
    assert services.parameters.history() == before


def test_a_parameter_needs_a_source_and_a_free_date(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 2)
    assert tab is page.parameters_tab
    before = services.parameters.history()
    tab.key_combo.setCurrentIndex(tab.key_combo.findData("notice.objection_days"))
    qtbot.keyClicks(tab.value_edit, "5")
    click(qtbot, tab.add_button)
    assert any(line.startswith("依据：请写明依据") for line in tab.problems.lines())
    assert is_invalid(tab.source_edit)

    tab.source_edit.setPlainText("县文件")
    tab.from_edit.setDate(QDate(2000, 1, 1))  # the seeded value's own date
    click(qtbot, tab.add_button)
    assert any(line.startswith("生效日期：这一天已有一个取值") for line in tab.problems.lines())
    assert is_invalid(tab.from_edit)
    assert services.parameters.history() == before


def test_a_referral_limit_cannot_be_left_to_the_locality(page: AdminPage) -> None:
    tab = open_tab(page, 2)
    assert tab is page.parameters_tab
    tab.key_combo.setCurrentIndex(tab.key_combo.findData("referral.limit_days.education"))
    assert not tab.local_check.isEnabled()
    tab.key_combo.setCurrentIndex(tab.key_combo.findData("emergency.advance_aid_hours"))
    assert tab.local_check.isEnabled()


# ------------------------------------------------------------------ 节假日
def test_the_holiday_tab_warns_about_unknown_years(page: AdminPage) -> None:
    tab = open_tab(page, 3)
    assert tab is page.holidays_tab
    assert tab.banner.isVisible()
    assert "2027年、2028年" in tab.banner.text()
    assert tab.year_spin.value() == 2027  # opens on the first year to enter
    assert tab.year_status.text() == "2027年：尚未录入，期限暂按周末计算"

    tab.year_spin.setValue(2026)
    assert tab.year_status.text() == "2026年：使用国家公布的安排（chinese-calendar）"
    assert not tab.mark_button.isEnabled()


def test_entering_a_year_and_marking_it_complete_recounts_an_open_referral(
    qtbot: QtBot, page: AdminPage, services: Services, household: HouseholdDetail
) -> None:
    services.context.clock = lambda: dt.datetime(2026, 12, 28, 10, 0)
    services.intake.save(IntakeInput(household.id, (MatterChoice("student_aid"),)))
    (referral,) = services.referrals.page(ReferralFilter()).rows
    assert referral.due_uncertain
    assert referral.due_date == dt.date(2027, 1, 11)  # weekends only

    tab = open_tab(page, 3)
    assert tab is page.holidays_tab
    tab.year_spin.setValue(2027)

    # 元旦 on its own, then a span for 春节 and one 调休 working day.
    tab.day_edit.setDate(QDate(2027, 1, 1))
    tab.name_edit.setText("元旦")
    click(qtbot, tab.add_button)
    tab.day_edit.setDate(QDate(2027, 2, 6))
    tab.until_edit.setDate(QDate(2027, 2, 12))
    tab.name_edit.setText("春节")
    click(qtbot, tab.add_button)
    tab.day_edit.setDate(QDate(2027, 2, 20))
    tab.work_radio.setChecked(True)
    assert tab.name_edit.text() == "调休上班"
    click(qtbot, tab.add_button)

    days = services.calendar.days(2027)
    assert len(days) == 1 + 7 + 1
    assert [d.day for d in days if d.workday] == [dt.date(2027, 2, 20)]
    assert tab.table.rowCount() == 9
    assert tab.year_status.text().startswith("2027年：已录入 9 天，尚未标记完整")
    assert services.referrals.page(ReferralFilter()).rows[0].due_uncertain

    # Remove one day again.
    click_row(qtbot, tab.table, "2027-02-12")
    click(qtbot, tab.remove_button)
    assert dt.date(2027, 2, 12) not in {d.day for d in services.calendar.days(2027)}

    # Marking complete needs the notice it rests on.
    click(qtbot, tab.mark_button)
    assert any(line.startswith("依据：") for line in tab.mark_problems.lines())
    assert is_invalid(tab.source_edit)
    assert not services.calendar.year_status(2027).complete

    tab.source_edit.setText(NOTICE_2027)
    click(qtbot, tab.mark_button)
    status = services.calendar.year_status(2027)
    assert (status.complete, status.source) == (True, NOTICE_2027)
    assert tab.year_status.text() == f"2027年：已录入完整（依据：{NOTICE_2027}）"
    (referral,) = services.referrals.page(ReferralFilter()).rows
    assert not referral.due_uncertain
    assert referral.due_date == dt.date(2027, 1, 12)  # 1 January is a holiday
    assert tab.unmark_button.isVisible()
    assert not tab.mark_button.isVisible()
    # 2027 is done; the banner now names only 2028 (from the clock's year, 2026).
    assert "2027" not in tab.banner.text()
    assert "2028年" in tab.banner.text()


def test_a_year_without_any_day_cannot_be_marked_complete(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 3)
    assert tab is page.holidays_tab
    tab.year_spin.setValue(2028)
    tab.source_edit.setText("国务院办公厅关于2028年部分节假日安排的通知")
    click(qtbot, tab.mark_button)
    assert any("还没有录入任何放假日期" in line for line in tab.mark_problems.lines())
    assert not services.calendar.year_status(2028).complete


def test_a_holiday_needs_a_name_and_a_forward_span(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    tab = open_tab(page, 3)
    assert tab is page.holidays_tab
    tab.day_edit.setDate(QDate(2027, 10, 1))
    click(qtbot, tab.add_button)
    assert any(line.startswith("名称：") for line in tab.add_problems.lines())
    assert is_invalid(tab.name_edit)

    tab.name_edit.setText("国庆节")
    tab.until_edit.setDate(QDate(2027, 9, 30))
    click(qtbot, tab.add_button)
    assert any(line.startswith("至：") for line in tab.add_problems.lines())
    assert services.calendar.days(2027) == ()


def test_marking_the_last_unknown_year_clears_the_tab_flag(
    qtbot: QtBot, page: AdminPage, services: Services
) -> None:
    for year in (2027, 2028):
        services.calendar.set_day(dt.date(year, 1, 1), False, "元旦")
    services.calendar.mark_year(2027, True, NOTICE_2027)
    tab = open_tab(page, 3)
    assert tab is page.holidays_tab
    tab.year_spin.setValue(2028)
    tab.source_edit.setText("国务院办公厅关于2028年部分节假日安排的通知")
    with qtbot.waitSignal(page.changed) as blocker:
        click(qtbot, tab.mark_button)
    assert blocker.args == ["holidays"]
    assert not tab.banner.isVisible()
    assert page.tabs.tabText(3) == "节假日(&4)"


# ------------------------------------------------------------------ across tabs
def test_a_renamed_department_shows_in_the_matter_catalogue(qtbot: QtBot, page: AdminPage) -> None:
    tab = open_tab(page, 1)
    assert tab is page.departments_tab
    click_row(qtbot, tab.table, "education")
    tab.name_edit.setText("县教育体育局")
    with qtbot.waitSignal(page.changed) as blocker:
        click(qtbot, tab.save_button)
    assert blocker.args == ["departments"]
    matters = open_tab(page, 0)
    assert matters is page.matters_tab
    row = find_row(page.matters_tab.table, "student_aid")
    assert page.matters_tab.table.item(row, 3).text() == "县教育体育局"  # type: ignore[union-attr]
    item = page.matters_tab.table.item(row, 0)
    assert item is not None
    assert item.data(CODE_ROLE) == "student_aid"
