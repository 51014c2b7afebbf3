"""The referral queue page driven like a clerk would, against real services on SQLite.

A controllable clock (``now``) makes referrals overdue or due soon. Chinese text is put
in with ``setText``/``setPlainText`` (``qtbot.keyClicks`` aborts on non-ASCII); digits
are typed. Every action goes through the page's button and the dialog's 保存 button, and
the database is read back through ``services.referrals`` afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.intake import Eased, ReferralAction, ReferralStatus, allowed_actions
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail, ReferralRow
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import PAGE_SIZE, ReferralFilter, Reply
from ui.dialogs import is_invalid
from ui.dialogs.referral_action_dialog import ReferralActionDialog
from ui.dialogs.referral_reroute_dialog import ReferralRerouteDialog
from ui.models.referral_table_model import (
    COLUMN_KEYS,
    DUE_SOON_BACKGROUND,
    OVERDUE_BACKGROUND,
    REFERRAL_ROW_ROLE,
    ReferralTableModel,
)
from ui.pages.queue_page import QueuePage

MONDAY = dt.datetime(2026, 6, 1, 9, 0)
"""Intakes are saved on Monday 1 June 2026; a 10-working-day limit falls due on 15 June."""
DUE = dt.date(2026, 6, 15)
FIVE_REFERRALS = (
    "medical_assistance",
    "student_aid",
    "dangerous_house_renovation",
    "employment_assistance",
    "charity_assistance",
)


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


class Clock:
    """The services' clock, moved by the test."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def open_clocked(path: Path, clock: Clock) -> Services:
    services = open_services(sqlite_url(path), clock=clock, identity=SYSTEM)
    services.site.save("中华路街道", "520402102", "社会救助综合服务窗口")
    services.context.operator.name = "王芳"
    return services


def register(services: Services, name: str, id17: str, village: str) -> HouseholdDetail:
    return services.households.register(
        HouseholdInput(village, "1组"), PersonInput(name, make_id(id17))
    )


def intake(services: Services, household: HouseholdDetail, *codes: str) -> list[int]:
    """Save one intake; the ids of the referrals it made, in matter order."""
    receipt = services.intake.save(IntakeInput(household.id, tuple(MatterChoice(c) for c in codes)))
    numbers = [m.referral_number for m in receipt.matters if m.referral_number]
    rows = all_rows(services)
    return [next(r.id for r in rows if r.number == n) for n in numbers]


def all_rows(services: Services, flt: ReferralFilter | None = None) -> list[ReferralRow]:
    flt = flt or ReferralFilter()
    page = services.referrals.page(flt)
    rows = list(page.rows)
    while page.next_cursor is not None:
        page = services.referrals.page(flt, page.next_cursor)
        rows += page.rows
    return rows


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    s = open_clocked(tmp_path / "queue.sqlite3", clock)
    yield s
    s.close()


@pytest.fixture
def zhang(services: Services) -> HouseholdDetail:
    return register(services, "张三", "52040219800101001", "新华村")


@pytest.fixture
def li(services: Services) -> HouseholdDetail:
    return register(services, "李四", "52040219750203002", "青山村")


def shown_page(qtbot: QtBot, services: Services) -> QueuePage:
    page = QueuePage(services)
    qtbot.addWidget(page)
    page.resize(1240, 720)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded)  # read on first show
    return page


def select(page: QueuePage, referral_id: int) -> None:
    row = page.model.row_of(referral_id)
    assert row >= 0, f"referral {referral_id} not in the table"
    page.table.selectRow(row)
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == referral_id


def click_action(qtbot: QtBot, page: QueuePage, action: ReferralAction) -> ReferralActionDialog:
    button = page.detail_panel.action_buttons[action]
    assert button.isEnabled(), f"{action} should be allowed"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.action_dialog
    assert isinstance(dialog, ReferralActionDialog)
    assert dialog.action is action
    qtbot.waitExposed(dialog)
    return dialog


def save(qtbot: QtBot, dialog: ReferralActionDialog | ReferralRerouteDialog) -> None:
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)


def cell(
    page: QueuePage, referral_id: int, key: str, role: int = Qt.ItemDataRole.DisplayRole
) -> object:
    row = page.model.row_of(referral_id)
    return page.model.data(page.model.index(row, COLUMN_KEYS.index(key)), role)


def background(page: QueuePage, referral_id: int) -> QColor | None:
    brush = cell(page, referral_id, "number", Qt.ItemDataRole.BackgroundRole)
    return brush.color() if isinstance(brush, QBrush) else None


def enabled_actions(page: QueuePage) -> set[ReferralAction]:
    return {a for a, b in page.detail_panel.action_buttons.items() if b.isEnabled()}


def visible_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


# --------------------------------------------------------------------------- the model
@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """21 intakes × 5 referral matters = 105 referrals, more than one page."""
    clock = Clock(MONDAY)
    services = open_clocked(tmp_path_factory.mktemp("many") / "many.sqlite3", clock)
    household = register(services, "王五", "52040219900101003", "新华村")
    for day in range(21):
        clock.now = MONDAY + dt.timedelta(days=day)
        services.intake.save(
            IntakeInput(household.id, tuple(MatterChoice(c) for c in FIVE_REFERRALS))
        )
    yield services
    services.close()


def test_model_passes_qt_model_tester(qtmodeltester: object, many: Services) -> None:
    model = ReferralTableModel(lambda flt, cursor: many.referrals.page(flt, cursor))
    model.set_filter(ReferralFilter())
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model, force_py=False)  # type: ignore[attr-defined]


def test_fetch_more_reaches_every_referral_once_in_due_order(qapp: object, many: Services) -> None:
    model = ReferralTableModel(lambda flt, cursor: many.referrals.page(flt, cursor))
    model.set_filter(ReferralFilter())
    root = model.index(-1, -1)
    while model.canFetchMore(root):
        model.fetchMore(root)
    rows = [model.data(model.index(r, 0), REFERRAL_ROW_ROLE) for r in range(model.rowCount())]
    assert len(rows) == len({r.id for r in rows}) == 105
    assert [(r.due_date, r.id) for r in rows] == sorted((r.due_date, r.id) for r in rows)
    assert not model.has_more
    model.fetchMore(root)  # nothing more: a no-op, no warning
    assert model.rowCount() == 105


def test_table_scrolls_to_the_end(qtbot: QtBot, many: Services) -> None:
    page = shown_page(qtbot, many)
    assert page.model.rowCount() == PAGE_SIZE
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 105)
    assert "105 件" in page.result_label.text()


# --------------------------------------------------------------------------- the lifecycle
def test_full_lifecycle_through_the_dialog(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "medical_assistance")
    page = shown_page(qtbot, services)
    select(page, referral_id)
    assert enabled_actions(page) == {ReferralAction.SEND}
    assert "待办 1" in page.department_list.item(0).text()

    dialog = click_action(qtbot, page, ReferralAction.SEND)
    assert dialog.note_edit is not None
    dialog.note_edit.setPlainText("材料随件送县医保局")
    save(qtbot, dialog)
    assert services.referrals.detail(referral_id).row.status is ReferralStatus.SENT
    assert cell(page, referral_id, "status") == "已转出"
    assert enabled_actions(page) == set(allowed_actions(ReferralStatus.SENT))

    clock.now = MONDAY + dt.timedelta(days=1)
    save(qtbot, click_action(qtbot, page, ReferralAction.ACCEPT))
    assert services.referrals.detail(referral_id).row.status is ReferralStatus.ACCEPTED

    clock.now = MONDAY + dt.timedelta(days=3)
    dialog = click_action(qtbot, page, ReferralAction.COMPLETE)
    assert dialog.result_edit is not None
    assert dialog.amount_edit is not None
    assert dialog.result_date_edit is not None
    save(qtbot, dialog)  # nothing filled in: the dialog stays open and says why
    assert dialog.isVisible()
    assert is_invalid(dialog.result_edit)
    assert "办理结果" in dialog.problem_label.text()
    assert services.referrals.detail(referral_id).row.status is ReferralStatus.ACCEPTED

    dialog.result_edit.setPlainText("已纳入医疗救助，报销住院自付费用")
    qtbot.keyClicks(dialog.amount_edit, "1200.50")
    dialog.result_date_edit.setDate(QDate(2026, 6, 3))
    save(qtbot, dialog)
    assert not dialog.isVisible()

    stored = services.referrals.detail(referral_id)
    assert stored.row.status is ReferralStatus.DONE
    assert stored.result == "已纳入医疗救助，报销住院自付费用"
    assert stored.amount == Decimal("1200.50")
    assert stored.result_date == dt.date(2026, 6, 3)
    assert [e.kind for e in stored.events] == ["created", "send", "accept", "complete"]
    assert all(e.actor == "王芳" for e in stored.events)
    assert stored.events[1].note == "材料随件送县医保局"
    # the page shows it: row, detail and counts
    assert cell(page, referral_id, "status") == "办结"
    assert cell(page, referral_id, "days_left") == "—"
    assert page.detail_panel.values["result"].isVisible()
    assert "1,200.50 元" in page.detail_panel.values["result"].text()
    assert "按时" in page.detail_panel.values["due"].text()
    assert page.detail_panel.events.rowCount() == 4
    assert "待办 0" in page.department_list.item(0).text()
    assert enabled_actions(page) == {ReferralAction.FOLLOW_UP}


def test_follow_up_after_done(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "student_aid")
    d = services.referrals.act(referral_id, 1, ReferralAction.SEND, Reply())
    clock.now = MONDAY + dt.timedelta(days=2)
    services.referrals.act(
        referral_id,
        d.row.version,
        ReferralAction.COMPLETE,
        Reply(result="已发放助学金", amount="2000", result_date=clock.now.date()),
    )
    clock.now = MONDAY + dt.timedelta(days=20)
    page = shown_page(qtbot, services)
    page.set_status_filter("all")
    select(page, referral_id)

    dialog = click_action(qtbot, page, ReferralAction.FOLLOW_UP)
    save(qtbot, dialog)  # the answer and the note are both asked for, at once
    assert dialog.isVisible()
    assert dialog.eased_combo is not None
    assert dialog.note_edit is not None
    assert is_invalid(dialog.eased_combo)
    assert is_invalid(dialog.note_edit)
    assert len(dialog.problem_label.lines()) == 2

    dialog.eased_combo.set_value(Eased.PARTLY)
    dialog.note_edit.setPlainText("学费已缴清，生活费仍紧张")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    last = services.referrals.detail(referral_id).events[-1]
    assert (last.kind, last.eased, last.note) == (
        "follow_up",
        Eased.PARTLY,
        "学费已缴清，生活费仍紧张",
    )
    events = page.detail_panel.events
    last_note = events.item(events.rowCount() - 1, 4)
    assert last_note is not None
    assert "部分缓解" in last_note.text()


def test_return_then_reroute_to_another_department(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "medical_assistance")
    services.referrals.act(referral_id, 1, ReferralAction.SEND, Reply())
    page = shown_page(qtbot, services)
    select(page, referral_id)
    assert not page.detail_panel.reroute_button.isEnabled()

    dialog = click_action(qtbot, page, ReferralAction.RETURN)
    save(qtbot, dialog)  # a return needs the department's reason
    assert dialog.isVisible()
    assert dialog.note_edit is not None
    assert is_invalid(dialog.note_edit)
    dialog.note_edit.setPlainText("不属本部门职责，建议转县卫健局")
    save(qtbot, dialog)
    returned = services.referrals.detail(referral_id)
    assert returned.row.status is ReferralStatus.RETURNED
    assert returned.return_reason == "不属本部门职责，建议转县卫健局"
    assert page.detail_panel.values["returned"].text() == "不属本部门职责，建议转县卫健局"
    assert page.detail_panel.reroute_button.isEnabled()
    assert enabled_actions(page) == set()

    clock.now = MONDAY + dt.timedelta(days=2)
    qtbot.mouseClick(page.detail_panel.reroute_button, Qt.MouseButton.LeftButton)
    reroute = page.action_dialog
    assert isinstance(reroute, ReferralRerouteDialog)
    offered = [
        reroute.department_combo.itemData(i) for i in range(reroute.department_combo.count())
    ]
    assert "medical_insurance" not in offered  # not back to the same department
    assert "township_civil_affairs" not in offered  # 民政 itself is no referral
    reroute.set_department("health_commission")
    reroute.reason_edit.setPlainText("县医保局答复应由卫健局办理")
    save(qtbot, reroute)
    assert not reroute.isVisible()

    rows = all_rows(services)
    new = next(r for r in rows if r.id != referral_id)
    assert (new.department_code, new.status) == ("health_commission", ReferralStatus.PENDING)
    assert services.referrals.detail(referral_id).row.status is ReferralStatus.RETURNED
    new_detail = services.referrals.detail(new.id)
    assert new_detail.events[0].kind == "rerouted"
    assert "县医保局答复应由卫健局办理" in new_detail.events[0].note
    # the page follows the new referral
    shown = page.selected_detail()
    assert shown is not None
    assert shown.row.id == new.id
    assert page.model.row_of(new.id) >= 0
    health = next(c for c in page.counts if c.department_code == "health_commission")
    assert health.open == 1


def test_remind_increments_the_count(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "dangerous_house_renovation")
    services.referrals.act(referral_id, 1, ReferralAction.SEND, Reply())
    page = shown_page(qtbot, services)
    select(page, referral_id)
    assert cell(page, referral_id, "reminders") == "0"

    dialog = click_action(qtbot, page, ReferralAction.REMIND)
    assert dialog.note_edit is not None
    dialog.note_edit.setPlainText("电话催办，对方答复本周内办结")
    save(qtbot, dialog)
    save(qtbot, click_action(qtbot, page, ReferralAction.REMIND))

    stored = services.referrals.detail(referral_id)
    assert stored.row.reminders == 2
    assert stored.row.status is ReferralStatus.SENT
    assert [e.kind for e in stored.events][-2:] == ["remind", "remind"]
    assert cell(page, referral_id, "reminders") == "2"


def test_another_window_acting_first_is_shown_and_reloaded(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "employment_assistance")
    page = shown_page(qtbot, services)
    select(page, referral_id)
    dialog = click_action(qtbot, page, ReferralAction.SEND)
    services.referrals.act(referral_id, 1, ReferralAction.SEND, Reply(note="另一窗口"))
    save(qtbot, dialog)
    boxes = visible_boxes()
    assert len(boxes) == 1
    assert "其他窗口" in boxes[0].text()
    boxes[0].accept()
    assert not dialog.isVisible()
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.status is ReferralStatus.SENT
    assert [e.kind for e in services.referrals.detail(referral_id).events] == ["created", "send"]


# --------------------------------------------------------------------------- marking
def test_overdue_and_due_soon_rows_stand_out(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail, li: HouseholdDetail
) -> None:
    (early,) = intake(services, zhang, "medical_assistance")  # due 15 June
    clock.now = MONDAY + dt.timedelta(days=7)  # Monday 8 June: due 23 June (19th: 端午)
    (later,) = intake(services, li, "medical_assistance")
    clock.now = dt.datetime(2026, 6, 11, 9, 0)  # Thursday: two working days before 15 June
    page = shown_page(qtbot, services)
    assert page.model.row_at(0) is not None
    assert cell(page, early, "days_left") == "●将到期 2"
    assert str(cell(page, early, "number")).startswith("● ZJ")
    assert str(cell(page, later, "number")).startswith("\u3000 ZJ")
    assert background(page, early) == DUE_SOON_BACKGROUND
    assert cell(page, later, "days_left") == "7"
    assert background(page, later) is None

    clock.now = dt.datetime(2026, 6, 17, 9, 0)  # two working days late
    page.reload()
    assert cell(page, early, "days_left") == "▲逾期 2"
    assert str(cell(page, early, "number")).startswith("▲ ZJ")  # the first column, too
    assert background(page, early) == OVERDUE_BACKGROUND
    assert "超过办理时限 2 个工作日" in str(
        cell(page, early, "days_left", Qt.ItemDataRole.ToolTipRole)
    )
    assert cell(page, later, "days_left") == "3"  # 18, 22, 23 June
    medical = next(
        page.department_list.item(i)
        for i in range(page.department_list.count())
        if page.department_list.item(i).data(Qt.ItemDataRole.UserRole) == "medical_insurance"
    )
    assert "县医疗保障局" in medical.text()
    assert "待办 2 · 逾期 1 · 将到期 0" in medical.text()
    assert "逾期 1 件" in page.result_label.text()

    page.show_overdue()
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == early
    assert "已逾期 2 个工作日" in page.detail_panel.values["due"].text()


def test_deadline_in_an_unknown_year_is_marked(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail
) -> None:
    clock.now = dt.datetime(2026, 12, 28, 9, 0)
    (referral_id,) = intake(services, zhang, "medical_assistance")
    page = shown_page(qtbot, services)
    row = page.model.row_at(page.model.row_of(referral_id))
    assert row is not None
    assert row.due_uncertain
    assert row.due_date.year == 2027
    assert str(cell(page, referral_id, "due_date")).endswith("！")
    tip = "该期限跨入节假日未录入的年份，暂按周末计算"
    assert cell(page, referral_id, "due_date", Qt.ItemDataRole.ToolTipRole) == tip
    select(page, referral_id)
    assert page.detail_panel.uncertain_label.isVisible()
    assert tip in page.detail_panel.uncertain_label.text()


# --------------------------------------------------------------------------- filters
def test_filters_narrow_the_table(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail, li: HouseholdDetail
) -> None:
    a, b = intake(services, zhang, "medical_assistance", "student_aid")
    clock.now = MONDAY + dt.timedelta(days=9)
    services.context.operator.name = "李娜"
    (c,) = intake(services, li, "medical_assistance")
    services.referrals.act(c, 1, ReferralAction.SEND, Reply())
    page = shown_page(qtbot, services)

    def ids() -> set[int]:
        return {page.model.row_at(i).id for i in range(page.model.rowCount())}  # type: ignore[union-attr]

    assert ids() == {a, b, c}

    page.village_combo.setCurrentIndex(page.village_combo.findData("青山村"))
    assert ids() == {c}
    page.village_combo.setCurrentIndex(0)
    page.clerk_combo.setCurrentIndex(page.clerk_combo.findData("王芳"))
    assert ids() == {a, b}
    page.clerk_combo.setCurrentIndex(0)

    page.set_status_filter(ReferralStatus.SENT.value)
    assert ids() == {c}
    page.set_status_filter("open")
    assert ids() == {a, b, c}

    page.date_from.setDate(QDate(2026, 6, 5))
    page.date_to.setDate(QDate(2026, 6, 30))
    assert ids() == {a, b, c}  # the date filter is off until ticked
    qtbot.mouseClick(page.date_check, Qt.MouseButton.LeftButton)
    assert page.date_check.isChecked()
    assert ids() == {c}
    page.date_check.setChecked(False)

    page.show_department("education")
    assert ids() == {b}
    assert "县教育局" in page.result_label.text()
    page.show_department("")
    assert ids() == {a, b, c}


def test_completed_referrals_leave_the_open_filter_on_reload(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    (referral_id,) = intake(services, zhang, "charity_assistance")
    d = services.referrals.act(referral_id, 1, ReferralAction.SEND, Reply())
    page = shown_page(qtbot, services)
    services.referrals.act(
        referral_id,
        d.row.version,
        ReferralAction.COMPLETE,
        Reply(result="已资助", result_date=MONDAY.date()),
    )
    page.reload()
    assert page.model.rowCount() == 0
    page.set_status_filter(ReferralStatus.DONE.value)
    assert page.model.row_of(referral_id) == 0


def test_show_referral_finds_it_in_its_queue(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    ids = intake(services, zhang, *FIVE_REFERRALS)
    page = shown_page(qtbot, services)
    page.village_combo.setCurrentIndex(page.village_combo.count() - 1)
    page.show_referral(ids[3])
    assert page.department_code() == "human_resources"
    assert page.village_combo.currentIndex() == 0
    detail = page.selected_detail()
    assert detail is not None
    assert detail.row.id == ids[3]
    assert page.table.selectionModel().selectedRows()[0].row() == page.model.row_of(ids[3])


# --------------------------------------------------------------------------- household chain
def test_timeline_button_opens_the_household_chain(
    qtbot: QtBot, services: Services, clock: Clock, zhang: HouseholdDetail
) -> None:
    first, _second = intake(services, zhang, "medical_assistance", "student_aid")
    clock.now = MONDAY + dt.timedelta(hours=2)
    services.referrals.act(first, 1, ReferralAction.SEND, Reply(note="已送达"))
    page = shown_page(qtbot, services)
    select(page, first)
    qtbot.mouseClick(page.detail_panel.timeline_button, Qt.MouseButton.LeftButton)
    dialog = page.timeline_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    view = dialog.view
    entries = services.intake.timeline(zhang.id)
    assert view.row_count() == len(entries) == 4  # intake, two referrals, one hand-off
    texts = [view.cell_text(i, 1) for i in range(view.row_count())]
    assert texts == ["窗口受理", "登记转介", "登记转介", "转出"]
    assert view.cell_text(3, 5) == "已转出"
    assert "张三" in dialog.windowTitle()
    assert "1 次受理，2 项转介" in view.summary.text()
    dialog.close()


def test_reload_while_hidden_waits_until_shown(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    assert page.model.rowCount() == 0
    page.hide()
    (referral_id,) = intake(services, zhang, "medical_assistance")  # e.g. the intake page
    page.reload()
    assert page.model.rowCount() == 0  # nothing read while hidden
    page.show()
    qtbot.waitUntil(lambda: page.model.row_of(referral_id) == 0)
    assert "待办 1" in page.department_list.item(0).text()
