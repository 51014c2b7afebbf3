"""The 窗口受理 page driven like a clerk would, against real services on a SQLite file.

Keys go to whatever widget has the focus (``QApplication.focusWidget()``), so the tests
follow the real focus path: Alt+1, typing, Enter, Ctrl+S. ASCII is typed with
``keyClicks``; Chinese goes in with ``setText`` (``keyClicks`` aborts on non-ASCII).
The database is checked through the services afterwards.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.intake import CameAs, Handling
from desk_app.persistence import db as db_module
from desk_app.persistence.db import sqlite_url
from desk_app.services.catalogue import MatterRow
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail, IntakeReceipt
from desk_app.services.intake import MatterChoice
from desk_app.services.referrals import ReferralFilter
from ui.dialogs import is_invalid
from ui.dialogs.household_dialog import HouseholdDialog
from ui.models.matter_route_model import DEADLINE, MISSING, ROUTE, MatterRouteModel
from ui.models.person_search_model import PERSON_ROW_ROLE
from ui.pages.intake_page import IntakePage
from ui.widgets.matter_picker import match_score

NOW = dt.datetime(2026, 5, 6, 9, 30)  # a Wednesday after the May Day holiday
DECEMBER = dt.datetime(2026, 12, 24, 10, 0)  # ten working days later is in 2027
NO = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


def open_at(path: Path, now: dt.datetime) -> Services:
    services = open_services(sqlite_url(path), clock=lambda: now, identity=SYSTEM)
    services.site.save("中华路街道", "520402102", "社会救助综合服务窗口")
    services.context.operator.name = "王芳"
    return services


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    s = open_at(tmp_path / "t.sqlite3", NOW)
    yield s
    s.close()


def register(
    services: Services, name: str, first17: str, village: str = "新华村"
) -> HouseholdDetail:
    return services.households.register(
        HouseholdInput(village, "3组"), PersonInput(name, make_id(first17))
    )


@pytest.fixture
def zhang(services: Services) -> HouseholdDetail:
    """张三's household, and 张松 elsewhere: "zs" finds both, as at a real window."""
    zhang_san = register(services, "张三", "52040219800101001")
    register(services, "张松", "52040219700303002", "东门社区")
    return zhang_san


class Clerk:
    """Sends keys to whatever has the focus and counts the actions.

    One action is one keystroke group: a typed word, one key, or one chord (Ctrl+S).
    """

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.actions = 0

    @staticmethod
    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        self.actions += 1
        self.qtbot.keyClicks(self.focus(), text)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
        self.actions += 1
        self.qtbot.keyClick(self.focus(), key, modifier)


def shown_page(qtbot: QtBot, services: Services) -> IntakePage:
    """The page as its own active window: shortcuts only reach the active window."""
    page = IntakePage(services)
    qtbot.addWidget(page)
    page.resize(1230, 680)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def pick(qtbot: QtBot, page: IntakePage, initials: str, name: str) -> None:
    """Find by pinyin initials and pick ``name``'s household from the keyboard."""
    clerk = Clerk(qtbot)
    clerk.press(Qt.Key.Key_1, ALT)
    clerk.type(initials)
    clerk.press(Qt.Key.Key_Return)
    if page.household() is None:
        row = page.model.data(page.results.currentIndex(), PERSON_ROW_ROLE)
        assert row is not None
        assert row.name == name
        clerk.press(Qt.Key.Key_Return)
    detail = page.household()
    assert detail is not None
    assert detail.head is not None
    assert detail.head.name == name


def choose(qtbot: QtBot, page: IntakePage, *filters: str) -> None:
    """Tick matters from the filter line: Alt+2, then a word and Enter for each."""
    clerk = Clerk(qtbot)
    clerk.press(Qt.Key.Key_2, ALT)
    for text in filters:
        clerk.type(text)
        clerk.press(Qt.Key.Key_Return)


def open_referrals(services: Services) -> int:
    return len(services.referrals.page(ReferralFilter()).rows)


# ------------------------------------------------------------------ the clerk's path
def test_known_household_with_two_matters_in_ten_actions(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    clerk = Clerk(qtbot)
    with qtbot.waitSignal(page.intake_saved, timeout=5000) as saved:
        clerk.press(Qt.Key.Key_1, ALT)  # 1: to the search box
        clerk.type("zs")  # 2: 张三 by pinyin initials (张松 matches too)
        clerk.press(Qt.Key.Key_Return)  # 3: to the results, first row
        assert page.model.data(page.results.currentIndex(), PERSON_ROW_ROLE).name == "张三"
        clerk.press(Qt.Key.Key_Return)  # 4: pick; focus moves to the matter filter
        assert page.household() is not None
        assert clerk.focus() is page.picker.filter_edit
        clerk.type("db")  # 5: 低保
        clerk.press(Qt.Key.Key_Return)  # 6: tick it
        clerk.type("yljz")  # 7: 医疗救助 (replaces the selected filter)
        clerk.press(Qt.Key.Key_Return)  # 8: tick it
        assert page.picker.chosen() == ["dibao", "medical_assistance"]
        clerk.press(Qt.Key.Key_S, CTRL)  # 9: 保存受理
    print(f"\nkeyboard-only intake of a known household with two matters: {clerk.actions} actions")
    assert clerk.actions <= 10

    receipt: IntakeReceipt = saved.args[0]
    assert page.receipt() == receipt
    stored = services.intake.get(receipt.intake_id)
    assert [m.matter_code for m in stored.matters] == ["dibao", "medical_assistance"]
    assert [m.handling for m in stored.matters] == [Handling.WINDOW, Handling.REFERRAL]
    assert stored.applicant_name == "张三"  # the 户主 by default
    assert stored.came_as is CameAs.APPLICANT
    referrals = services.referrals.page(ReferralFilter()).rows
    assert len(referrals) == 1
    assert referrals[0].department_code == "medical_insurance"
    assert referrals[0].number == stored.matters[1].referral_number
    # The receipt is in the page: number, referral number, the 一次性告知 list.
    text = page.receipt_view.toPlainText()
    assert receipt.number in text
    assert referrals[0].number in text
    assert "一次性告知" in text
    assert "疾病诊断证明或病历" in text  # a missing paper of 医疗救助

    # 新的受理: an empty form, ready to search again.
    clerk.press(Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert page.stack.currentWidget() is page.form_page
    assert page.household() is None
    assert page.picker.chosen() == []
    assert page.route_model.rowCount() == 0
    assert clerk.focus() is page.search_box


def test_changed_route_needs_a_reason_which_is_kept(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    pick(qtbot, page, "zs", "张三")
    choose(qtbot, page, "yljz")
    route = page.route_model.route_at(0)
    assert route is not None
    assert route.handling is Handling.REFERRAL
    assert "医疗" in page.route_model.data(page.route_model.index(0, ROUTE))
    assert route.basis in page.detail_label.text()  # why: the rule and its seed basis

    clerk = Clerk(qtbot)
    clerk.press(Qt.Key.Key_D, ALT)  # 改派
    assert clerk.focus() is page.handling_combo
    clerk.press(Qt.Key.Key_Up)  # 转介 → 窗口办理; the department follows (民政)
    changed = page.route_model.route_at(0)
    assert changed is not None
    assert changed.handling is Handling.WINDOW
    assert changed.overridden
    assert "改派" in page.route_model.data(page.route_model.index(0, ROUTE))

    clerk.press(Qt.Key.Key_S, CTRL)
    assert page.receipt() is None
    assert "请写明理由" in page.problem_label.text()
    assert page.problem_label.isVisible()
    assert is_invalid(page.reason_edit)
    assert clerk.focus() is page.reason_edit
    assert page.route_model.problems() == {"medical_assistance"}
    assert services.intake.timeline(zhang.id) == ()

    page.reason_edit.setText("本人已在县医保局申请过，本次先由民政临时救助")
    clerk.press(Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves too
    receipt = page.receipt()
    assert receipt is not None
    stored = services.intake.get(receipt.intake_id)
    matter = stored.matters[0]
    assert matter.handling is Handling.WINDOW
    assert matter.proposed_handling is Handling.REFERRAL
    assert matter.override_reason == "本人已在县医保局申请过，本次先由民政临时救助"
    assert open_referrals(services) == 0
    assert "改派理由" in page.receipt_view.toPlainText()


def test_missing_papers_follow_the_ticks(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    pick(qtbot, page, "zs", "张三")
    choose(qtbot, page, "db")
    dibao = next(m for m in services.catalogue.matters() if m.code == "dibao")
    first, second = dibao.required_papers[:2]
    required = len(dibao.required_papers)
    missing_cell = page.route_model.index(0, MISSING)
    assert page.route_model.data(missing_cell) == str(required)
    assert first.name in page.missing_label.text()

    clerk = Clerk(qtbot)
    clerk.press(Qt.Key.Key_3, ALT)
    assert clerk.focus() is page.routes
    clerk.press(Qt.Key.Key_P, ALT)
    assert clerk.focus() is page.papers_list
    clerk.press(Qt.Key.Key_Space)  # the first paper is received
    assert page.route_model.data(missing_cell) == str(required - 1)
    assert first.name not in page.missing_label.text()
    assert second.name in page.missing_label.text()
    clerk.press(Qt.Key.Key_Down)
    clerk.press(Qt.Key.Key_Space)
    assert page.route_model.data(missing_cell) == str(required - 2)
    assert second.name not in page.missing_label.text()
    clerk.press(Qt.Key.Key_Space)  # unticked again: missing again
    assert second.name in page.missing_label.text()
    clerk.press(Qt.Key.Key_Space)

    clerk.press(Qt.Key.Key_S, CTRL)
    receipt = page.receipt()
    assert receipt is not None
    stored = services.intake.get(receipt.intake_id).matters[0]
    assert {p.code for p in stored.papers_received} == {first.code, second.code}
    assert len(stored.papers_missing) == required - 2


def test_deadline_reaching_2027_is_flagged(qtbot: QtBot, tmp_path: Path) -> None:
    services = open_at(tmp_path / "dec.sqlite3", DECEMBER)
    try:
        register(services, "张三", "52040219800101001")
        page = shown_page(qtbot, services)
        assert not page.deadline_warning.isVisible()
        pick(qtbot, page, "zs", "张三")
        choose(qtbot, page, "yljz")
        route = page.route_model.route_at(0)
        assert route is not None
        assert route.due_date is not None
        assert route.due_date.year == 2027
        assert route.due_uncertain_years == (2027,)
        assert page.deadline_warning.isVisible()
        assert "2027年节假日安排尚未录入" in page.deadline_warning.text()
        assert page.route_model.data(page.route_model.index(0, DEADLINE)).endswith("！")
        Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
        assert "2027年节假日安排尚未录入" in page.receipt_view.toPlainText()
    finally:
        services.close()


@pytest.fixture
def impatient_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """Services that give up on a locked database after 0.2 s instead of 5 s."""
    pragmas = tuple(
        "PRAGMA busy_timeout=200" if p.startswith("PRAGMA busy_timeout") else p
        for p in db_module.SQLITE_PRAGMAS
    )
    monkeypatch.setattr(db_module, "SQLITE_PRAGMAS", pragmas)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    s = open_at(tmp_path / "locked.sqlite3", NOW)
    yield s
    s.close()


def test_failed_save_keeps_everything_and_writes_nothing(
    qtbot: QtBot, impatient_services: Services, tmp_path: Path
) -> None:
    services = impatient_services
    household = register(services, "张三", "52040219800101001")
    page = shown_page(qtbot, services)
    pick(qtbot, page, "zs", "张三")
    choose(qtbot, page, "db", "yljz")
    page.came_as_combo.set_value(CameAs.PROXY)
    page.agent_name_edit.setText("李四")
    page.agent_relation_edit.setText("村干部")
    page.causes_list.item(0).setCheckState(Qt.CheckState.Checked)
    page.note_edit.setPlainText("户主住院，由村干部代办")
    page.papers_list.item(0).setCheckState(Qt.CheckState.Checked)

    # Another program holds the write lock, as a second window or a backup tool would.
    other = sqlite3.connect(tmp_path / "locked.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        assert len(boxes) == 1
        assert "占用" in boxes[0].text()
        boxes[0].close()
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert services.intake.timeline(household.id) == ()
    assert open_referrals(services) == 0
    # Everything typed is still there.
    assert page.receipt() is None
    assert page.household() is not None
    assert page.picker.chosen() == ["dibao", "medical_assistance"]
    assert page.came_as_combo.value() is CameAs.PROXY
    assert page.agent_name_edit.text() == "李四"
    assert page.agent_relation_edit.text() == "村干部"
    assert page.chosen_causes() == [page.causes_list.item(0).data(Qt.ItemDataRole.UserRole)]
    assert page.note_edit.toPlainText() == "户主住院，由村干部代办"
    data = page.intake_input()
    assert data is not None
    assert data.matters[-1].papers_received  # the ticked paper of the selected matter

    # The lock is gone: the same form saves as it is.
    Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
    receipt = page.receipt()
    assert receipt is not None
    assert receipt.agent_name == "李四"
    assert receipt.note == "户主住院，由村干部代办"
    assert open_referrals(services) == 1


def test_new_household_through_the_dialog_then_intake(qtbot: QtBot, services: Services) -> None:
    page = shown_page(qtbot, services)
    clerk = Clerk(qtbot)
    clerk.press(Qt.Key.Key_N, ALT)  # a button's mnemonic clicks it a moment later
    qtbot.waitUntil(lambda: page.findChild(HouseholdDialog) is not None)
    dialog = page.findChild(HouseholdDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.village_edit.setText("东门社区")
    dialog.group_edit.setText("1组")
    assert dialog.person_form is not None
    dialog.person_form.name_edit.setText("李四")
    qtbot.keyClicks(dialog.person_form.id_edit.line_edit, make_id("52040219750505003"))
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    detail = page.household()
    assert detail is not None
    assert detail.head is not None
    assert detail.head.name == "李四"
    assert "东门社区" in page.summary_title.text()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    assert Clerk.focus() is page.picker.filter_edit
    choose(qtbot, page, "lsjz")  # 临时救助
    Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
    receipt = page.receipt()
    assert receipt is not None
    assert receipt.household_id == detail.id
    assert receipt.head_name == "李四"
    assert [m.matter_code for m in receipt.matters] == ["temporary_assistance"]


# ------------------------------------------------------------------ smaller rules
def test_save_without_household_or_agent_shows_problems_inline(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
    assert "来访家庭" in page.problem_label.text()
    assert is_invalid(page.search_box)

    pick(qtbot, page, "zs", "张三")
    page.came_as_combo.set_value(CameAs.GUARDIAN)
    Clerk(qtbot).press(Qt.Key.Key_S, CTRL)  # no matter, no guardian's name
    text = page.problem_label.text()
    assert "来办人姓名" in text
    assert "诉求事项" in text
    assert is_invalid(page.agent_name_edit)
    assert is_invalid(page.picker.list)
    assert page.receipt() is None


def test_suggestions_from_household_data_add_with_one_key(qtbot: QtBot, services: Services) -> None:
    detail = services.households.register(
        HouseholdInput("新华村", "3组"),
        PersonInput("王五", make_id("52040219900101003"), mental_disorder=True),
    )
    page = shown_page(qtbot, services)
    pick(qtbot, page, "ww", "王五")
    buttons = page.suggestion_buttons()
    assert buttons
    assert "残疾人证办理" in buttons[0].text()
    assert "王五" in buttons[0].text()
    # the button's shortcut clicks it a moment later
    Clerk(qtbot).press(Qt.Key.Key_1, CTRL | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.picker.chosen() == ["disability_certificate_new"])
    assert buttons[0].isChecked()
    assert page.route_model.route_at(0) is not None
    assert page.route_model.route_at(0).department_code == "disabled_persons_federation"
    assert detail.id == page.household().id  # type: ignore[union-attr]


def test_four_matter_save_time(qtbot: QtBot, services: Services, zhang: HouseholdDetail) -> None:
    """Measured, not asserted: how long ``IntakeService.save`` takes with four matters."""
    page = shown_page(qtbot, services)
    pick(qtbot, page, "zs", "张三")
    choose(qtbot, page, "db", "yljz", "wfgz", "jnpx")  # 低保, 医疗, 危房, 就业
    assert len(page.picker.chosen()) == 4
    original = services.intake.save
    took: list[float] = []

    def timed(data: object) -> IntakeReceipt:
        start = time.perf_counter()
        try:
            return original(data)  # type: ignore[arg-type]
        finally:
            took.append(time.perf_counter() - start)

    services.intake.save = timed  # type: ignore[method-assign]
    Clerk(qtbot).press(Qt.Key.Key_S, CTRL)
    receipt = page.receipt()
    assert receipt is not None
    assert len(receipt.matters) == 4
    print(
        f"\nIntakeService.save with four matters ({sum(1 for m in receipt.matters if m.referral_number)} referrals): {took[0] * 1000:.1f} ms"
    )


def test_matter_filter_reads_names_keywords_and_initials() -> None:
    def matter(name: str, keywords: str) -> MatterRow:
        return MatterRow(
            code="x", name=name, group="医疗救助", handling=Handling.REFERRAL,
            department_code="d", department_name="县医疗保障局", queue="医疗", reason="",
            basis="", keywords=keywords, active=True, required_papers=(), optional_papers=(),
        )  # fmt: skip

    yljz = matter("医疗救助（住院/门诊自付费用）", "医疗救助 看病 住院 yljz")
    assert match_score(yljz, "yljz") == 0
    assert match_score(yljz, "医疗") == 1
    assert match_score(yljz, "yl") == 2
    assert match_score(yljz, "住院") == 0
    assert match_score(yljz, "保障局") == 3  # the department counts
    assert match_score(yljz, "医疗 住院") == 1  # every term must match
    assert match_score(yljz, "医疗 低保") is None
    assert match_score(yljz, "db") is None


def test_route_model_passes_qt_model_tester(
    qtmodeltester: object, services: Services, zhang: HouseholdDetail
) -> None:
    model = MatterRouteModel()
    routes = services.intake.propose(
        [MatterChoice("dibao"), MatterChoice("medical_assistance", ("application_form",))]
    )
    model.set_routes(routes)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 2
    model.set_routes(routes[:1])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 1


def test_matter_list_is_keyboard_only(
    qtbot: QtBot, services: Services, zhang: HouseholdDetail
) -> None:
    page = shown_page(qtbot, services)
    pick(qtbot, page, "zs", "张三")
    clerk = Clerk(qtbot)
    clerk.type("lsjz")
    clerk.press(Qt.Key.Key_Down)  # into the list, on the best match
    assert clerk.focus() is page.picker.list
    assert page.picker.current_code() == "temporary_assistance"
    clerk.press(Qt.Key.Key_Space)
    assert page.picker.chosen() == ["temporary_assistance"]
    clerk.press(Qt.Key.Key_Return)  # Enter toggles as well
    assert page.picker.chosen() == []
    clerk.press(Qt.Key.Key_Space)
    clerk.type("t")  # typing goes back to the filter, replacing the old words
    assert clerk.focus() is page.picker.filter_edit
    assert page.picker.filter_edit.text() == "t"
    clerk.press(Qt.Key.Key_Escape)  # clears the filter: the whole catalogue again
    assert page.picker.filter_edit.text() == ""
    assert len(page.picker.visible_codes()) == len(services.catalogue.matters())
    assert page.picker.chosen() == ["temporary_assistance"]
    assert page.route_model.rowCount() == 1
