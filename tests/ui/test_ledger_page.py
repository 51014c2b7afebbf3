"""The 台账 page driven as a clerk would: export, import a list, compare — real services
on a real SQLite file, real .xlsx files written with openpyxl.

File dialogs are skipped: the tabs' ``export_to(path)`` / ``load_file(path)`` are what a
chosen file leads to. Long work runs on the page's task runner; a test waits for the
task's ``ended`` signal. Chinese text goes in with ``setText``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.config import load_config
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.ledgers import LedgerKind
from desk_app.domain.registry import HouseholdCategory
from desk_app.domain.rosters import Outcome, RosterField, RosterKind
from desk_app.domain.security import Role
from desk_app.services.context import SYSTEM, Identity
from ui.app import build_main_window
from ui.pages.ledger_page import LedgerPage
from ui.tasks import SHOW_AFTER_MS, Task

LIST_DATE = dt.date(2026, 3, 31)


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


ID_WANG = make_id("52040219700101001")
ID_LI = make_id("52040219720202002")
ID_ZHAO = make_id("52040219750303003")
ID_STRANGER = make_id("52040219800404004")


@pytest.fixture
def county(services: Services) -> dict[str, int]:
    """Three 低保 households in 红星村 (王甲, 李乙) and 东风村 (赵丙)."""
    out: dict[str, int] = {}
    for name, id_number, village, group in (
        ("王甲", ID_WANG, "红星村", "一组"),
        ("李乙", ID_LI, "红星村", "二组"),
        ("赵丙", ID_ZHAO, "东风村", "三组"),
    ):
        detail = services.households.register(
            HouseholdInput(village, group), PersonInput(name, id_number)
        )
        services.households.add_category(detail.id, HouseholdCategory.DIBAO_A, dt.date(2026, 1, 1))
        out[name] = detail.id
    return out


@pytest.fixture
def page(qtbot: QtBot, services: Services) -> Iterator[LedgerPage]:
    widget = LedgerPage(services)
    qtbot.addWidget(widget)
    widget.resize(1240, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.tasks.shutdown()


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def wait(qtbot: QtBot, task: Task | None, timeout: int = 20_000) -> None:
    assert task is not None
    with qtbot.waitSignal(task.ended, timeout=timeout):
        pass


def error_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


# ----------------------------------------------------------------------- 导出台账


def test_export_writes_the_ledger_and_says_rows_and_size(
    qtbot: QtBot, page: LedgerPage, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.export_tab
    labels = [tab.list.item(i).text() for i in range(tab.list.count())]
    assert "家庭户及成员台账" in labels
    assert "近亲属备案台账" in labels
    tab.select(LedgerKind.HOUSEHOLDS)
    assert tab.description_label.text()  # what the ledger holds
    assert tab.options.isRowVisible(tab.scope_combo)
    assert not tab.options.isRowVisible(tab.period_widget)  # households: no period

    # 导出… proposes the service's file name in a save dialog.
    dialog = tab.ask_export()
    assert isinstance(dialog, QFileDialog)
    assert dialog.selectedFiles()[0].endswith("中华路街道_家庭户及成员台账_20260501.xlsx")
    dialog.reject()

    target = tmp_path / "out" / "低保户台账.xlsx"
    target.parent.mkdir()
    wait(qtbot, tab.export_to(target))
    assert target.exists()
    wb = openpyxl.load_workbook(target, read_only=True)
    assert wb.sheetnames[0] == "家庭户"
    header = next(wb["家庭户"].iter_rows(max_row=1, values_only=True))
    assert "户编号" in header or any("户" in str(h) for h in header)
    wb.close()
    assert tab.last_summary is not None
    assert tab.last_summary.rows >= 3
    text = tab.result_label.text()
    assert "已导出" in text
    assert "家庭户 3 行" in text
    assert "KB" in text or "字节" in text
    assert tab.open_folder_button.isVisible()
    assert tab.export_button.isEnabled()


def test_period_options_show_only_for_ledgers_that_read_them(page: LedgerPage) -> None:
    tab = page.export_tab
    tab.select(LedgerKind.REFERRALS)
    assert tab.options.isRowVisible(tab.period_widget)
    assert not tab.options.isRowVisible(tab.scope_combo)
    tab.period_check.setChecked(True)
    request = tab.request()
    assert request is not None
    assert request.date_from is not None
    assert request.date_to is not None
    tab.select(LedgerKind.NEAR_RELATIVES)
    assert not tab.options.isRowVisible(tab.period_widget)
    assert not tab.options.isRowVisible(tab.on_edit)


def test_full_ids_are_offered_with_a_warning_to_a_role_that_may_see_them(
    page: LedgerPage,
) -> None:
    tab = page.export_tab
    assert tab.options.isRowVisible(tab.full_ids_check)
    assert not tab.options.isRowVisible(tab.full_ids_warning)
    tab.full_ids_check.setChecked(True)
    assert tab.options.isRowVisible(tab.full_ids_warning)
    assert "完整号码" in tab.full_ids_warning.text()
    request = tab.request()
    assert request is not None
    assert request.full_ids


def test_cancelling_an_export_from_the_progress_dialog_leaves_no_file(
    qtbot: QtBot, page: LedgerPage, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.export_tab
    tab.select(LedgerKind.HOUSEHOLDS)
    # Hold the single worker so the export is still waiting when the dialog appears.
    gate = threading.Event()
    page.tasks.run("hold", lambda _p, _c: gate.wait(10))
    target = tmp_path / "cancelled.xlsx"
    task = tab.export_to(target)
    assert task is not None
    assert not tab.export_button.isEnabled()  # one export at a time
    qtbot.wait(SHOW_AFTER_MS // 2)
    assert task.progress_dialog is None  # quick jobs never flash a dialog
    qtbot.waitUntil(lambda: task.progress_dialog is not None, timeout=3000)
    dialog = task.progress_dialog
    assert dialog is not None
    assert dialog.isVisible()
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None
    assert cancel_button.text() == "取消"
    cancel_button.click()
    with qtbot.waitSignal(task.ended, timeout=20_000):
        gate.set()
    assert not page.tasks.busy  # the held job ended too
    assert not target.exists()
    assert list(tmp_path.glob(".~*")) == []  # no half-written temporary file either
    assert "已取消导出" in tab.result_label.text()
    assert "没有生成文件" in tab.result_label.text()
    assert tab.export_button.isEnabled()


# ----------------------------------------------------------------------- 导入名册


def bad_roster(tmp_path: Path) -> Path:
    wrong_check = ID_LI[:-1] + ("0" if ID_LI[-1] != "0" else "1")
    return write_xlsx(
        tmp_path / "县低保名单.xlsx",
        [
            ("县级低保名单（2026年一季度）",),
            ("姓名", "身份证号", "村", "组", "保障人数"),
            ("王甲", ID_WANG, "红星村", "一组", 1),
            ("李乙", wrong_check, "红星村", "二组", 1),
            ("", ID_ZHAO, "东风村", "三组", 1),
            ("合计", None, None, None, 3),
        ],
    )


def test_a_roster_with_bad_rows_lists_every_row_and_imports_only_when_excluded(
    qtbot: QtBot, page: LedgerPage, services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.import_tab
    page.tabs.setCurrentWidget(tab)
    preview = tab.load_file(bad_roster(tmp_path))
    assert preview is not None
    assert preview.header_row == 2  # the title row above is skipped
    # The preview: headers, the first rows with ID numbers masked, fields suggested.
    assert tab.preview_table.columnCount() == 5
    assert tab.preview_table.horizontalHeaderItem(1).text() == "身份证号"
    sample = tab.preview_table.item(1, 1).text()
    assert sample.startswith(ID_WANG[:6])
    assert ID_WANG not in sample
    assert tab.mapping()["身份证号"] is RosterField.ID_NUMBER
    assert tab.mapping()["姓名"] is RosterField.NAME
    assert not tab.import_button.isEnabled()  # not before a dry run
    tab.set_list(RosterKind.DIBAO, LIST_DATE)

    wait(qtbot, tab.dry_run())
    plan = tab.plan
    assert plan is not None
    assert plan.rows_valid == 1
    rows = {
        (tab.problem_table.item(r, 0).text(), tab.problem_table.item(r, 1).text())
        for r in range(tab.problem_table.rowCount())
    }
    assert ("4", "身份证号") in rows  # wrong check character
    assert ("5", "姓名") in rows  # empty name
    reasons = [tab.problem_table.item(r, 2).text() for r in range(tab.problem_table.rowCount())]
    assert any("校验位" in reason for reason in reasons)
    assert all(ID_LI[6:] not in reason for reason in reasons)  # never a number
    assert "2 行有问题" in tab.plan_label.text()
    assert "2 行" in tab.problem_title.text()

    # 导入 stays disabled until the clerk explicitly leaves the bad rows out.
    assert not tab.import_button.isEnabled()
    assert "排除有问题的行" in tab.import_hint.text()
    assert tab.exclude_check.isVisible()
    tab.exclude_check.setChecked(True)
    assert tab.import_button.isEnabled()
    # Changing the mapping makes the dry run stale: 导入 waits for a new one.
    tab.set_field("组", None)
    assert not tab.import_button.isEnabled()
    assert "重新试导入" in tab.import_hint.text()
    tab.set_field("组", RosterField.GROUP)
    assert tab.import_button.isEnabled()

    tab.import_button.click()
    wait(qtbot, tab.task)
    assert tab.result is not None
    roster = tab.result.roster
    assert roster.rows == 1
    assert roster.excluded_rows == (4, 5)
    assert "已导入" in tab.result_label.text()
    assert "4、5" in tab.result_label.text()
    assert [r.id for r in services.rosters.rosters()] == [roster.id]
    assert not tab.import_button.isEnabled()  # imported: no second import of the same plan


def test_cancelled_import_writes_nothing(
    qtbot: QtBot, page: LedgerPage, services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.import_tab
    path = write_xlsx(tmp_path / "clean.xlsx", [("姓名", "身份证号"), ("王甲", ID_WANG)])
    tab.load_file(path)
    wait(qtbot, tab.dry_run())
    assert tab.import_button.isEnabled()
    gate = threading.Event()
    page.tasks.run("hold", lambda _p, _c: gate.wait(10))
    task = tab.import_now()
    assert task is not None
    task.cancel()
    with qtbot.waitSignal(task.ended, timeout=20_000):
        gate.set()
    assert services.rosters.rosters() == ()
    assert "已取消导入" in tab.result_label.text()
    assert "没有写入任何数据" in tab.result_label.text()


def test_saved_mapping_is_offered_for_the_next_file(
    page: LedgerPage, services: Services, tmp_path: Path
) -> None:
    tab = page.import_tab
    rows = [("对象", "证件", "备注说明"), ("王甲", ID_WANG, "")]
    tab.load_file(write_xlsx(tmp_path / "first.xlsx", rows))
    assert RosterField.ID_NUMBER not in tab.mapping().values()  # nothing recognised
    tab.set_field("证件", RosterField.ID_NUMBER)
    tab.set_field("对象", RosterField.NAME)
    assert tab.save_mapping_as("民政局季度名单")
    assert services.rosters.mapping("民政局季度名单").as_dict() == {
        "证件": RosterField.ID_NUMBER,
        "对象": RosterField.NAME,
    }
    assert "已保存" in tab.mapping_status.text()

    tab.title_edit.clear()
    tab.load_file(write_xlsx(tmp_path / "second.xlsx", rows))
    assert tab.saved_combo.currentText() == "民政局季度名单"  # applied at once
    assert tab.mapping() == {"证件": RosterField.ID_NUMBER, "对象": RosterField.NAME}
    assert tab.title_edit.text() == "second"


def test_importing_the_same_list_again_needs_an_explicit_replace(
    qtbot: QtBot, page: LedgerPage, services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.import_tab
    page.tabs.setCurrentWidget(tab)
    path = write_xlsx(tmp_path / "list.xlsx", [("姓名", "身份证号"), ("王甲", ID_WANG)])
    tab.load_file(path)
    tab.set_list(RosterKind.POVERTY, LIST_DATE)
    wait(qtbot, tab.dry_run())
    wait(qtbot, tab.import_now())
    assert tab.result is not None

    tab.load_file(path)
    tab.set_list(RosterKind.POVERTY, LIST_DATE)
    wait(qtbot, tab.dry_run())
    assert "将替换" in tab.plan_label.text() or "替换它" in tab.plan_label.text()
    assert tab.replace_check.isVisible()
    assert not tab.import_button.isEnabled()
    tab.replace_check.setChecked(True)
    assert tab.import_button.isEnabled()
    tab.result = None
    wait(qtbot, tab.import_now())
    assert tab.result is not None  # replaced: still one list of that kind and date
    assert len(services.rosters.rosters()) == 1


# ----------------------------------------------------------------------- 台账比对


def test_clean_roster_imports_and_the_comparison_counts_each_list(
    qtbot: QtBot, page: LedgerPage, services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    tab = page.import_tab
    page.tabs.setCurrentWidget(tab)
    path = write_xlsx(
        tmp_path / "县低保名单.xlsx",
        [
            ("姓名", "身份证号", "村", "组"),
            ("王甲", ID_WANG, "红星村", "一组"),
            ("李乙", ID_LI, "红星村", "五组"),  # our register says 二组
            ("钱丁", ID_STRANGER, "红星村", "一组"),  # not registered here
        ],
    )
    tab.load_file(path)
    tab.set_list(RosterKind.DIBAO, LIST_DATE)
    tab.title_edit.setText("县级低保名单")
    wait(qtbot, tab.dry_run())
    assert tab.plan is not None
    assert tab.plan.clean
    assert not tab.problem_table.isVisible()
    assert "新建一份名单" in tab.plan_label.text()
    assert not tab.exclude_check.isVisible()
    assert tab.import_button.isEnabled()
    wait(qtbot, tab.import_now())
    assert tab.compare_button.isVisible()

    tab.compare_button.click()  # 去比对
    match = page.match_tab
    assert page.tabs.currentWidget() is match
    assert match.roster_info() is not None
    assert match.roster_combo.currentText().startswith("低保名单（县级） 2026-03-31 县级低保名单")
    wait(qtbot, match.run_match())
    report = match.report
    assert report is not None
    assert report.count(Outcome.BOTH) == 1  # 王甲
    assert report.count(Outcome.CONFLICT) == 1  # 李乙's group
    assert report.count(Outcome.OURS_ONLY) == 1  # 赵丙
    assert report.count(Outcome.THEIRS_ONLY) == 1  # 钱丁
    assert match.count_buttons[Outcome.CONFLICT].text().endswith(" 1")
    assert match.count_buttons[None].text().endswith(" 4")
    assert match.model.rowCount() == 4

    match.show_outcome(Outcome.CONFLICT)
    assert match.model.rowCount() == 1
    row = match.selected_row()
    assert row is not None
    assert row.outcome is Outcome.CONFLICT
    assert ID_LI not in match.detail.text()  # masked
    assert "后续处理" in match.detail.text()
    assert "不一致" in match.detail.text()
    match.show_outcome(Outcome.THEIRS_ONLY)
    row = match.selected_row()
    assert row is not None
    assert row.follow_up
    assert match.model.index(0, 9).data() == row.follow_up

    target = tmp_path / "比对结果.xlsx"
    wait(qtbot, match.export_to(target))
    assert target.exists()
    assert "已导出比对结果" in match.result_label.text()
    sheets = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert "信息不一致" in sheets


# ----------------------------------------------------------------------- roles (#8)


def test_a_role_without_export_sees_export_disabled_and_the_service_refusal(
    qtbot: QtBot, page: LedgerPage, services: Services, tmp_path: Path
) -> None:
    services.context.identity = Identity(7, "cunzhuli", Role.VILLAGE)
    page.refresh()
    tab = page.export_tab
    assert tab.list.count() == len(LedgerKind)  # the names, for what there is
    assert not tab.export_button.isEnabled()
    assert "导出台账" in tab.export_button.toolTip()
    assert tab.permission_label.isVisible()
    assert not tab.options.isRowVisible(tab.full_ids_check)  # no 查看完整证件号 either
    # 导入名册 and 台账比对 need 导入名册.
    assert not page.import_tab.choose_button.isEnabled()
    assert "导入名册" in page.import_tab.choose_button.toolTip()
    assert not page.match_tab.match_button.isEnabled()
    assert not page.match_tab.export_button.isEnabled()

    # Whatever the window shows, the service refuses, and the refusal is shown.
    wait(qtbot, tab.export_to(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
    boxes = error_boxes()
    assert boxes
    assert "没有权限" in boxes[-1].windowTitle() or "没有" in boxes[-1].text()
    for box in boxes:
        box.close()


def test_a_county_reviewer_exports_masked_only(page: LedgerPage, services: Services) -> None:
    services.context.identity = Identity(8, "xian", Role.COUNTY)
    page.refresh()
    tab = page.export_tab
    assert tab.export_button.isEnabled()
    assert not tab.options.isRowVisible(tab.full_ids_check)
    request = tab.request()
    assert request is not None
    assert not request.full_ids
    services.context.identity = SYSTEM


# ----------------------------------------------------------------------- 近亲属备案


def test_near_relative_filing_is_recorded_listed_and_removed(
    qtbot: QtBot, page: LedgerPage, services: Services, county: dict[str, int]
) -> None:
    tab = page.near_relative_tab
    page.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 0
    dialog = tab.add()
    dialog.save_button().click()  # nobody chosen, nothing filled in
    assert dialog.isVisible()
    assert any("救助对象" in line for line in dialog.problem_label.lines())

    dialog.search_edit.setText("李乙")
    assert dialog.result_list.count() == 1  # the only match is chosen at once
    assert ID_LI not in dialog.result_list.item(0).text()  # masked
    dialog.name_edit.setText("李某")
    dialog.position_edit.setText("村委会委员")
    dialog.unit_edit.setText("红星村村民委员会")
    dialog.relationship_combo.setEditText("兄弟姐妹")
    dialog.save_button().click()
    assert not dialog.isVisible()
    entries = services.near_relatives.entries()
    assert [(e.person_name, e.official_name, e.relationship) for e in entries] == [
        ("李乙", "李某", "兄弟姐妹")
    ]
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 4).text() == "李某"
    assert tab.remove_button.isEnabled()
    assert tab.remove(entries[0].id)
    assert tab.table.rowCount() == 0
    assert services.near_relatives.entries() == ()


# ----------------------------------------------------------------------- the window


def test_the_window_opens_the_ledger_page_before_settings(
    qtbot: QtBot, services: Services, isolated_home: Path
) -> None:
    window = build_main_window(services, load_config(str(isolated_home / "w.sqlite3")))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[-2:] == ["台账", "系统设置"]
    row = window.pages.indexOf(window.ledger_page)
    assert window.go_actions[row].shortcut().toString() == f"Ctrl+{row + 1}"
    assert window.ledger_page.tasks is window.tasks  # one worker for every database job
    window.go_actions[row].trigger()
    assert window.pages.currentWidget() is window.ledger_page
