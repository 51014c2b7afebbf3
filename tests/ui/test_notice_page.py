"""The 公示 page driven like a clerk would: draft, post, objection, close — real services.

A movable clock (the services' own) takes the notice through its objection period
(7 days as seeded, counting the posting day). Chinese text goes in with ``setText`` /
``setPlainText``; every action goes through the page's method or button and the dialog's
OK button, and the state is read back from the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.domain.assistance.income import IncomeItem, IncomeSource
from desk_app.domain.documents import NoticeStage
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import HouseholdCategory
from desk_app.persistence.db import sqlite_url
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from desk_app.services.context import SYSTEM
from desk_app.services.notices import EntryState
from ui.dialogs.document_preview import DocumentPreviewDialog
from ui.dialogs.notice_dialogs import (
    NoticeDraftDialog,
    NoticePostDialog,
    ObjectionDialog,
    ResolveObjectionDialog,
)
from ui.pages.notice_page import OPEN_BACKGROUND, NoticePage

START = dt.datetime(2026, 6, 1, 9, 0)
DIBAO = "最低生活保障"


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    s = open_services(sqlite_url(tmp_path / "notice.sqlite3"), clock=clock, identity=SYSTEM)
    s.site.save("中华路街道", "520402102", "社会救助综合服务窗口", phone="0851-1234567")
    s.context.operator.name = "王芳"
    s.assistance.choose("anshun")
    yield s
    s.close()


def dibao_household(services: Services, name: str, id17: str, *, decide: bool = True) -> int:
    detail = services.households.register(
        HouseholdInput("红星村", "二组"), PersonInput(name, make_id(id17), phone="13812345678")
    )
    services.households.add_category(detail.id, HouseholdCategory.DIBAO_A, dt.date(2026, 1, 1))
    if decide:
        head = detail.members[0].id
        facts = HouseholdFacts(
            members=(MemberFacts(head, incomes=(IncomeItem(IncomeSource.WAGES, Decimal(300)),)),)
        )
        services.assistance.record_decision(
            detail.id, facts, "dibao.payment", "420.00", "民主评议酌定"
        )
    return detail.id


@pytest.fixture
def village(services: Services) -> dict[str, int]:
    return {
        "王甲": dibao_household(services, "王甲", "52040219700101001"),
        "李乙": dibao_household(services, "李乙", "52040219710202002"),
        "赵丙": dibao_household(services, "赵丙", "52040219720303003", decide=False),
    }


@pytest.fixture
def page(qtbot: QtBot, services: Services) -> NoticePage:
    p = NoticePage(services)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def take_box_text(qtbot: QtBot) -> str:
    qtbot.waitUntil(lambda: bool(boxes()))
    shown = boxes()
    text = "\n".join(b.text() for b in shown)
    for b in shown:
        b.close()
    return text


def close_dialogs() -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.reject()


def draft(qtbot: QtBot, page: NoticePage) -> NoticeDraftDialog:
    dialog = page.new_notice()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.set_village("红星村")
    dialog.period_edit.setText("2026年第二季度")
    dialog.ok_button().click()
    return dialog


def test_the_whole_lifecycle_from_draft_to_close(
    qtbot: QtBot, page: NoticePage, services: Services, clock: Clock, village: dict[str, int]
) -> None:
    # --- draft: the household without a decided amount is listed with the reason
    dialog = draft(qtbot, page)
    assert dialog.result_draft is not None
    assert dialog.isVisible()
    assert dialog.skipped_table.rowCount() == 1
    assert "审核结论" in dialog.skipped_table.item(0, 1).text()
    dialog.done_button.click()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 5).text() == "草稿（未张贴）"
    assert page.table.item(0, 3).text() == "红星村"
    assert page.table.item(0, 8).text() == "2"
    assert [page.entry_table.item(r, 1).text() for r in range(2)] == ["王甲", "李乙"]
    assert page.entry_table.item(0, 6).text() == "未张贴"
    assert not page.objection_button.isEnabled()

    # --- post on today: archived as published, and the sheet opens to be printed
    post = page.post()
    assert isinstance(post, NoticePostDialog)
    post.ok_button().click()
    qtbot.waitUntil(lambda: isinstance(page.dialog, DocumentPreviewDialog))
    preview = page.dialog
    assert isinstance(preview, DocumentPreviewDialog)
    assert preview.document.print_action == "publish"
    archived = services.documents.archived()
    assert [e.action for e in archived[0].events] == ["publish"]
    preview.reject()
    info = page.selected_info()
    assert info is not None
    assert info.posted_on == START.date()
    assert info.objection_until == START.date() + dt.timedelta(days=6)
    assert page.table.item(0, 5).text() == "公示中"
    assert page.entry_table.item(0, 6).text() == "公示期内"

    # --- an objection against 王甲 holds that household
    page.entry_table.selectRow(0)
    clock.now += dt.timedelta(days=2)
    objection = page.record_objection()
    assert isinstance(objection, ObjectionDialog)
    assert objection.household_combo.currentData() == village["王甲"]
    objection.summary_edit.setPlainText("反映该户有经营性收入未申报")
    objection.ok_button().click()
    assert not objection.isVisible()
    assert page.table.item(0, 9).text() == "1"
    assert page.entry_table.item(0, 6).text() == "有异议待处理"
    assert page.entry_table.item(0, 6).background().color() == OPEN_BACKGROUND
    assert page.entry_table.item(1, 6).text() == "公示期内"
    assert page.objection_table.rowCount() == 1
    assert page.objection_table.item(0, 4).text() == "待处理"

    # --- closing is refused, with the service's words: first the period, then the objection
    assert page.close_notice() is None
    assert "公示期尚未届满" in take_box_text(qtbot)
    clock.now = START + dt.timedelta(days=7)  # the day after the last day
    page.reload()
    assert page.table.item(0, 5).text() == "期满待结束"
    assert page.close_notice() is None
    assert "还有 1 件异议未处理" in take_box_text(qtbot)
    assert page.entry_table.item(1, 6).text() == "公示期满无异议，可继续办理"

    # --- settle it: dismissed, with the conclusion
    page.objection_table.selectRow(0)
    assert page.resolve_button.isEnabled()
    resolve = page.resolve_objection()
    assert isinstance(resolve, ResolveObjectionDialog)
    resolve.ok_button().click()  # nothing chosen: both problems named, dialog stays
    assert resolve.isVisible()
    assert "核查结果" in resolve.problem_label.text()
    assert "核查结论" in resolve.problem_label.text()
    resolve.dismissed_radio.setChecked(True)
    resolve.resolution_edit.setPlainText("入户核查，经营收入已计入家庭收入，异议不成立")
    resolve.ok_button().click()
    assert not resolve.isVisible()
    assert page.objection_table.item(0, 4).text().startswith("异议不成立")
    assert page.entry_table.item(0, 6).text() == "公示期满无异议，可继续办理"

    # --- now it closes
    closed = page.close_notice()
    assert closed is not None
    assert closed.status == "closed"
    assert page.table.item(0, 5).text() == "已结束"
    states = {e.household_id: e.state for e in services.notices.entries(closed.id)}
    assert states[village["王甲"]] is EntryState.CLEARED


def test_printing_a_posted_notice_is_recorded_as_publishing(
    qtbot: QtBot, page: NoticePage, services: Services, village: dict[str, int], tmp_path: Path
) -> None:
    draft(qtbot, page).done_button.click()
    preview = page.preview()
    assert isinstance(preview, DocumentPreviewDialog)
    assert preview.document.print_action == "print"  # a draft is only a proof
    preview.reject()
    info = page.selected_info()
    assert info is not None
    services.notices.post(info.id, START.date(), info.version)
    page.reload()
    preview = page.preview()
    assert isinstance(preview, DocumentPreviewDialog)
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "posted.pdf"))
    printer.setResolution(72)
    printer.setCopyCount(3)
    record = preview.print_to(printer)
    assert record is not None
    assert [(e.action, e.copies) for e in record.events] == [("publish", 3)]
    preview.reject()


def test_draft_problems_are_named_and_the_channel_is_prefilled(
    qtbot: QtBot, page: NoticePage, services: Services, village: dict[str, int]
) -> None:
    dialog = page.new_notice()
    assert isinstance(dialog, NoticeDraftDialog)
    assert dialog.phone_edit.text() == "0851-1234567"  # the window's own, first time
    assert dialog.period_edit.text() == "2026年第二季度"
    dialog.period_edit.setText("")
    dialog.phone_edit.setText("")
    dialog.address_edit.setText("")
    dialog.ok_button().click()
    assert dialog.isVisible()
    text = dialog.problem_label.text()
    assert "公示期间" in text
    assert services.notices.notices() == ()
    dialog.period_edit.setText("2026年第二季度")
    dialog.phone_edit.setText("0851-7654321")
    dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData(NoticeStage.APPROVAL.value))
    dialog.ok_button().click()
    dialog.done_button.click()
    # The next notice offers the channel used last.
    again = page.new_notice()
    assert isinstance(again, NoticeDraftDialog)
    assert again.phone_edit.text() == "0851-7654321"
    close_dialogs()


def test_an_objection_needs_a_household_and_its_content(
    qtbot: QtBot, page: NoticePage, services: Services, village: dict[str, int]
) -> None:
    draft(qtbot, page).done_button.click()
    info = page.selected_info()
    assert info is not None
    services.notices.post(info.id, START.date(), info.version)
    page.reload()
    page.entry_table.clearSelection()
    dialog = page.record_objection()
    assert isinstance(dialog, ObjectionDialog)
    dialog.ok_button().click()
    assert dialog.isVisible()
    assert "异议对象" in dialog.problem_label.text()
    assert "异议内容" in dialog.problem_label.text()
    close_dialogs()
