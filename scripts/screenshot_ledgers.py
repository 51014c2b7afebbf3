"""Screenshots of the 台账 page (issue #7), for ``scripts/screenshots.py``.

Kept in its own module so the main script only adds one line to its list. A county 低保
list is made from the demo database itself (our own export with full numbers, as the
round trip in docs/ledgers.md), then spoilt the way real lists are: a wrong check
character, a missing name, an ID stored as a number by Excel, a repeated person, a
different 组, households missing and people we never registered.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.ids import check_character
from desk_app.domain.ledgers import CategoryGroup, LedgerKind
from desk_app.domain.rosters import Outcome, RosterKind
from desk_app.services.ledgers import LedgerRequest
from desk_app.services.near_relatives import NearRelativeInput
from reports.ledgers import XlsxSink
from ui.main_window import MainWindow
from ui.tasks import Task

Shot = tuple[str, Callable[[], QWidget]]


def _wrong_check(number: str) -> str:
    right = number[-1]
    return number[:-1] + ("0" if right != "0" else "1")


def _county_list(services: Services, folder: Path) -> Path:
    """A 低保 list as the county might send it, built from our own households."""
    ours = folder / "ours.xlsx"
    services.ledgers.export(
        LedgerRequest(LedgerKind.HOUSEHOLDS, full_ids=True, scope=CategoryGroup.DIBAO),
        XlsxSink(ours),
    )
    wb = openpyxl.load_workbook(ours, read_only=True)
    rows = list(wb["家庭户"].iter_rows(min_row=2, values_only=True))
    wb.close()
    out = openpyxl.Workbook()
    ws = out.active
    ws.title = "低保花名册"
    ws.append(["XX县城乡低保对象花名册（2026年一季度）"])
    ws.append(["序号", "村（社区）", "组", "户主姓名", "身份证号码", "保障类别", "保障人数", "月保障金额", "备注"])  # fmt: skip
    n = 0
    for index, row in enumerate(rows):
        _number, village, group, head, id_number, category, members = row[:7]
        if index % 9 == 4:
            continue  # not on the county list: 仅本系统有
        n += 1
        name, number, group_text = head, str(id_number), group
        if n == 3:
            number = _wrong_check(number)
        elif n == 6:
            name = ""
        elif n == 8:
            number = int(number[:15] + "000") if number[:-1].isdigit() else number  # type: ignore[assignment]
        elif n == 11:
            group_text = "九组"  # differs from ours: 信息不一致
        ws.append([n, village, group_text, name, number, category, members, None, ""])
        if n == 13:
            n += 1
            ws.append([n, village, group, head, str(id_number), category, members, None, "重复"])
    for k in range(4):
        first17 = f"5204021965{k + 1:02d}0{k + 1}12{k}"
        n += 1
        ws.append([n, "新华村", f"{k + 1}组", ("陈", "吴", "郑", "冯")[k] + "某某",
                   first17 + check_character(first17), "A类", 2, 520, ""])  # fmt: skip
    ws.append(["合计", None, None, None, None, None, None, None, None])
    path = folder / "XX县低保花名册_2026年一季度.xlsx"
    out.save(path)
    return path


def ledger_shots(
    app: QApplication,
    window: MainWindow,
    services: Services,
    close_dialogs: Callable[[QApplication], None],
    settle: Callable[..., None],
) -> list[Shot]:
    page = window.ledger_page
    folder = Path(tempfile.mkdtemp(prefix="desk-ledgers-"))
    state: dict[str, Any] = {}

    def finish(task: Task | None) -> None:
        if task is None:
            raise RuntimeError("the page did not start the job")
        while not task.done:
            app.processEvents()
        settle(app, 100)

    def export_tab() -> QWidget:
        close_dialogs(app)
        window.show_page(page)
        page.tabs.setCurrentWidget(page.export_tab)
        tab = page.export_tab
        tab.select(LedgerKind.HOUSEHOLDS)
        tab.scope_combo.setCurrentIndex(tab.scope_combo.findData(CategoryGroup.DIBAO.value))
        request = tab.request()
        assert request is not None
        finish(tab.export_to(folder / services.ledgers.file_name(request)))
        return window

    def export_full_ids() -> QWidget:
        tab = page.export_tab
        tab.select(LedgerKind.REVIEWS)
        tab.full_ids_check.setChecked(True)
        return window

    def import_errors() -> QWidget:
        page.export_tab.full_ids_check.setChecked(False)
        page.tabs.setCurrentWidget(page.import_tab)
        tab = page.import_tab
        state["list"] = _county_list(services, folder)
        tab.load_file(state["list"])
        tab.set_list(RosterKind.DIBAO, services.context.today() - dt.timedelta(days=30))
        finish(tab.dry_run())
        return window

    def import_excluded() -> QWidget:
        tab = page.import_tab
        tab.exclude_check.setChecked(True)
        finish(tab.import_now())
        return window

    def match_all() -> QWidget:
        tab = page.import_tab
        tab.compare_button.click()
        finish(page.match_tab.run_match())
        return window

    def match_conflicts() -> QWidget:
        page.match_tab.show_outcome(Outcome.CONFLICT)
        return window

    def match_theirs_only() -> QWidget:
        page.match_tab.show_outcome(Outcome.THEIRS_ONLY)
        return window

    def near_relatives() -> QWidget:
        for n, (position, relationship) in enumerate(
            (("村委会委员", "兄弟姐妹"), ("乡镇民政办工作人员", "子女"))
        ):
            row = services.search.search("").rows[5 + n * 7]
            assert row.household_id is not None
            services.near_relatives.record(
                NearRelativeInput(row.household_id, row.person_id, ("刘", "何")[n] + "某某",
                                  position, relationship, official_unit="宁谷镇")
            )  # fmt: skip
        page.tabs.setCurrentWidget(page.near_relative_tab)
        page.near_relative_tab.reload()
        return window

    def near_relative_dialog() -> QWidget:
        dialog = page.near_relative_tab.add()
        dialog.search_edit.setText("王")
        dialog.result_list.setCurrentRow(1)
        dialog.position_edit.setText("村民小组长")
        return dialog

    return [
        ("ledger-export", export_tab),
        ("ledger-export-full-ids", export_full_ids),
        ("ledger-import-errors", import_errors),
        ("ledger-import-done", import_excluded),
        ("ledger-match", match_all),
        ("ledger-match-conflicts", match_conflicts),
        ("ledger-match-theirs-only", match_theirs_only),
        ("ledger-near-relatives", near_relatives),
        ("ledger-near-relative-dialog", near_relative_dialog),
    ]
