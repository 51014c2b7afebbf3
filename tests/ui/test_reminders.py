"""The start-up reminder: overdue referrals and those due today, opened in the queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.intake import ReferralAction
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply
from ui.dialogs.reminders_dialog import RemindersDialog
from ui.pages.queue_page import QueuePage

MONDAY = dt.datetime(2026, 6, 1, 9, 0)
"""Due 15 June (10 working days)."""
NEXT_MONDAY = dt.datetime(2026, 6, 8, 9, 0)
"""Due 23 June (19 June is 端午)."""


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    s = open_services(sqlite_url(tmp_path / "remind.sqlite3"), clock=clock, identity=SYSTEM)
    s.site.save("中华路街道", "520402102", "社会救助综合服务窗口")
    s.context.operator.name = "王芳"
    yield s
    s.close()


@pytest.fixture
def referrals(services: Services, clock: Clock) -> dict[str, int]:
    """Ids of: 'overdue' (due 15 June, sent, reminded once), 'today' (due 23 June),
    'done' (due 15 June but replied) and 'later' (due after 23 June)."""
    household = services.households.register(
        HouseholdInput("新华村", "1组"),
        PersonInput("张三", "52040219800101001" + check_character("52040219800101001")),
    )
    services.intake.save(
        IntakeInput(household.id, (MatterChoice("medical_assistance"), MatterChoice("student_aid")))
    )
    clock.now = NEXT_MONDAY
    services.intake.save(IntakeInput(household.id, (MatterChoice("charity_assistance"),)))
    clock.now = NEXT_MONDAY + dt.timedelta(days=1)
    services.intake.save(IntakeInput(household.id, (MatterChoice("public_welfare_job"),)))
    rows = {r.department_code: r for r in services.referrals.page(ReferralFilter()).rows}
    overdue, done = rows["medical_insurance"], rows["education"]
    sent = services.referrals.act(overdue.id, overdue.version, ReferralAction.SEND, Reply())
    services.referrals.act(overdue.id, sent.row.version, ReferralAction.REMIND, Reply())
    sent = services.referrals.act(done.id, done.version, ReferralAction.SEND, Reply())
    services.referrals.act(
        done.id,
        sent.row.version,
        ReferralAction.COMPLETE,
        Reply(result="已资助", result_date=clock.now.date()),
    )
    clock.now = dt.datetime(2026, 6, 23, 8, 30)
    return {
        "overdue": overdue.id,
        "today": rows["charity"].id,
        "done": done.id,
        "later": rows["township_social_security"].id,
    }


def shown(qtbot: QtBot, services: Services, parent: QWidget | None = None) -> RemindersDialog:
    dialog = RemindersDialog.maybe_show(services, parent)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def double_click(qtbot: QtBot, widget: QListWidget, row: int) -> None:
    """A real double-click: Qt's test double-click alone lacks the first press/release."""
    rect = widget.visualItemRect(widget.item(row))
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_long_backlog_lists_the_first_lines_and_says_how_many_more(
    qtbot: QtBot, services: Services, referrals: dict[str, int], clock: Clock
) -> None:
    clock.now = dt.datetime(2026, 7, 31, 9, 0)  # the 23 June ones are overdue too by now
    backlog = services.referrals.reminders(lines=1)
    assert backlog.overdue_total > 1
    dialog = RemindersDialog(backlog)
    qtbot.addWidget(dialog)
    assert dialog.referral_ids("overdue") == [referrals["overdue"]]  # the most overdue
    rest = backlog.overdue_total - 1
    assert dialog.overdue_label.text() == (
        f"已逾期(&O)：{backlog.overdue_total} 件"
        f"（列出最早的 1 件，其余 {rest} 件请点“在转介队列中查看”）"
    )


def test_nothing_due_shows_nothing(
    qtbot: QtBot, services: Services, referrals: dict[str, int], clock: Clock
) -> None:
    clock.now = dt.datetime(2026, 6, 10, 9, 0)
    assert RemindersDialog.maybe_show(services) is None


def test_lists_overdue_and_due_today_with_counts(
    qtbot: QtBot, services: Services, referrals: dict[str, int]
) -> None:
    dialog = shown(qtbot, services)
    assert not dialog.isModal()
    assert dialog.referral_ids("overdue") == [referrals["overdue"]]
    assert dialog.referral_ids("due_today") == [referrals["today"]]
    assert dialog.overdue_label.text() == "已逾期(&O)：1 件"
    assert dialog.due_today_label.text() == "今日到期(&T)：1 件"
    overdue_text = dialog.overdue_list.item(0).text()
    assert "县医疗保障局" in overdue_text
    assert "▲逾期 5 个工作日" in overdue_text  # 16, 17, 18, 22, 23 June
    assert "已催办 1 次" in overdue_text
    assert "●今日到期" in dialog.due_today_list.item(0).text()


def test_double_click_opens_the_referral_in_the_queue(
    qtbot: QtBot, services: Services, referrals: dict[str, int]
) -> None:
    page = QueuePage(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    dialog = shown(qtbot, services, page)
    dialog.open_referral.connect(page.show_referral)
    with qtbot.waitSignal(dialog.open_referral) as blocker:
        double_click(qtbot, dialog.due_today_list, 0)
    assert blocker.args == [referrals["today"]]
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == referrals["today"]
    assert page.department_code() == "charity"
    assert dialog.isVisible()  # stays open to work through the list

    with qtbot.waitSignal(dialog.open_referral) as blocker:
        double_click(qtbot, dialog.overdue_list, 0)
    assert blocker.args == [referrals["overdue"]]
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == referrals["overdue"]

    with qtbot.waitSignal(dialog.show_overdue_requested):
        qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    page.show_overdue()
    assert page.department_code() == ""
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == referrals["overdue"]


def test_closing_deletes_the_dialog(
    qtbot: QtBot, services: Services, referrals: dict[str, int]
) -> None:
    dialog = RemindersDialog.maybe_show(services)
    assert dialog is not None
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()
