"""Take screenshots of the real program on a fictional demo database.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUT_DIR

Used to look at every page we change (and, later, for the clerk's manual). Runs under
any display, Xvfb included; with QT_QPA_PLATFORM=offscreen it grabs widgets instead.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shiboken6  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QWidget  # noqa: E402
from screenshot_documents import document_shots  # noqa: E402  (scripts/, issue #6)
from screenshot_ledgers import ledger_shots  # noqa: E402  (scripts/, issue #7)
from screenshot_users import user_shots  # noqa: E402  (scripts/, issue #8)

from desk_app.bootstrap import Services, open_services  # noqa: E402
from desk_app.config import load_config  # noqa: E402
from desk_app.demo import generate_demo  # noqa: E402
from desk_app.domain.assistance.income import IncomeSource  # noqa: E402
from desk_app.domain.intake import ReferralAction  # noqa: E402
from desk_app.domain.registry import Employment, HouseholdCategory  # noqa: E402
from desk_app.services.context import SYSTEM  # noqa: E402
from desk_app.services.intake import IntakeInput, MatterChoice  # noqa: E402
from desk_app.services.referrals import ReferralFilter, Reply  # noqa: E402
from ui.app import build_main_window, create_application  # noqa: E402
from ui.dialogs.assessment_dialog import AssessmentDialog  # noqa: E402
from ui.dialogs.category_dialog import CategoryDialog, EndCategoryDialog  # noqa: E402
from ui.dialogs.first_start_dialog import FirstStartDialog  # noqa: E402
from ui.dialogs.household_dialog import HouseholdDialog  # noqa: E402
from ui.dialogs.move_person_dialog import MovePersonDialog  # noqa: E402
from ui.dialogs.person_dialog import PersonDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.pages.admin_rule_sets import CopyRuleSetDialog  # noqa: E402

D = TypeVar("D", bound=QDialog)
Shot = tuple[str, Callable[[], QWidget]]


def _settle(app: QApplication, ms: int = 150) -> None:
    loop_done = []
    QTimer.singleShot(ms, lambda: loop_done.append(True))
    while not loop_done:
        app.processEvents()
    # Closed dialogs delete themselves later; outside app.exec() that needs a nudge.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _grab(app: QApplication, widget: QWidget, path: Path) -> None:
    _settle(app)
    screen = widget.screen()
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or screen is None:
        widget.grab().save(str(path))
    else:
        # The window with its frame, as the clerk sees it.
        geo = widget.frameGeometry()
        screen.grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height()).save(str(path))
    print(path)


def _key(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def _opened(app: QApplication, kind: type[D], action: Callable[[], object]) -> D:
    """Run ``action`` and return the ``kind`` dialog it opened (never an older one)."""
    before = {_key(w) for w in app.allWidgets() if isinstance(w, QDialog)}
    action()
    _settle(app, 50)
    new = [
        w
        for w in app.allWidgets()
        if isinstance(w, kind) and w.isVisible() and _key(w) not in before
    ]
    if len(new) != 1:
        raise RuntimeError(f"expected one new {kind.__name__}, found {len(new)}")
    return new[0]


def _close_dialogs(app: QApplication) -> None:
    for widget in app.allWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    _settle(app, 50)


def _referral_history(services: Services, clock: list[dt.datetime], today: dt.datetime) -> None:
    """Fictional intakes over the last months, with replies, so queues and KPI have data."""
    rows = services.search.search("").rows
    matters = ("medical_assistance", "student_aid", "dangerous_house_renovation",
               "employment_assistance", "disability_certificate_new", "charity_assistance")  # fmt: skip
    services.context.operator.name = "王芳"
    for i in range(48):
        clock[0] = today - dt.timedelta(days=120 - i * 2, hours=-1)
        household = rows[i % len(rows)].household_id
        assert household is not None
        receipt = services.intake.save(
            IntakeInput(household, (MatterChoice(matters[i % len(matters)]), MatterChoice("dibao")))
        )
        referral = next(r for r in services.referrals.page(ReferralFilter()).rows
                        if r.number == receipt.matters[0].referral_number)  # fmt: skip
        detail = services.referrals.act(referral.id, referral.version, ReferralAction.SEND, Reply())
        if i % 4 == 3:
            continue  # left open: some become overdue
        clock[0] += dt.timedelta(days=6 + (i % 5) * 3)
        row = detail.row
        if clock[0] >= today:
            continue
        if i % 7 == 0:
            services.referrals.act(
                row.id, row.version, ReferralAction.RETURN, Reply(note="不属本部门职责")
            )
        else:
            services.referrals.act(row.id, row.version, ReferralAction.COMPLETE,
                                   Reply(result="已按政策办理", amount="800", result_date=clock[0].date()))  # fmt: skip
    clock[0] = today


def open_demo(households: int = 300) -> tuple[QApplication, Services, MainWindow]:
    """The window on a new fictional demo database in a temporary DESK_APP_HOME, as the
    command line (``SYSTEM``) with 王芳 as the clerk, 1366x740 at the screen's corner.
    Also used by ``scripts/manual_screenshots.py``."""
    home = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    os.environ["DESK_APP_HOME"] = str(home)
    app = create_application(sys.argv[:1])
    config = load_config(str(home / "demo.sqlite3"))
    # A movable clock: the referral history is written in the past, the pages show today.
    today = dt.datetime.now().replace(microsecond=0)
    clock = [today]
    services = open_services(config.db_url, clock=lambda: clock[0], identity=SYSTEM)
    generate_demo(services, households, seed=2026)
    _referral_history(services, clock, today)
    window = build_main_window(services, config)
    window.settings.clerk_name = "王芳"
    window.start()
    window.resize(1366, 740)
    window.move(0, 0)
    return app, services, window


def close_demo(app: QApplication, services: Services, window: MainWindow) -> None:
    _close_dialogs(app)
    window.large_font_action.setChecked(False)
    MainWindow.close(window)
    services.close()


def main_shots(app: QApplication, services: Services, window: MainWindow) -> list[Shot]:
    """Every shot, in the order they must run: later shots use what earlier ones saved."""
    page = window.registry_page
    panel = page.panel

    def registry() -> QWidget:
        _close_dialogs(app)  # e.g. start-up reminders
        window.nav.setCurrentRow(window.pages.indexOf(page))
        page.search_box.setText("王")
        page.run_search()
        page.table.selectRow(3)
        return window

    def household_dialog() -> QWidget:
        dialog = _opened(app, HouseholdDialog, page.new_household)
        dialog.village_edit.setText("龙宫村")
        return dialog

    def person_dialog() -> QWidget:
        _close_dialogs(app)
        return _opened(app, PersonDialog, page.add_member)

    def person_edit() -> QWidget:
        _close_dialogs(app)
        panel.members.selectRow(panel.members.rowCount() - 1)
        member = panel.selected_member()
        assert member is not None
        return _opened(app, PersonDialog, lambda: page.edit_member(member.id))

    def history() -> QWidget:
        # Save an edit first, so the history shows which fields changed and how.
        _close_dialogs(app)
        detail = panel.detail
        assert detail is not None
        adult = next(m for m in reversed(detail.members) if m.age >= 18)
        dialog = _opened(app, PersonDialog, lambda: page.edit_member(adult.id))
        form = dialog.form
        employment = form.employment_combo.value()
        form.employment_combo.set_value(
            Employment.FLEXIBLE if employment is not Employment.FLEXIBLE else Employment.EMPLOYED
        )
        form.chronic_illness_check.setChecked(not form.chronic_illness_check.isChecked())
        form.note_edit.setPlainText("2026年11月入户走访：外出务工，每月回家一次")
        dialog.save_button().click()  # saves at once; the dialog is deleted afterwards
        if dialog.isVisible():
            raise RuntimeError(f"edit not saved: {dialog.problem_label.text()}")
        panel.tabs.setCurrentIndex(1)
        return window

    def category_dialog() -> QWidget:
        _close_dialogs(app)
        return _opened(app, CategoryDialog, page.add_category)

    def end_category_dialog() -> QWidget:
        _close_dialogs(app)
        detail = panel.detail
        assert detail is not None
        held = {c.category for c in detail.categories}
        free = next(c for c in (HouseholdCategory.DISASTER, HouseholdCategory.YOUFU,
                                HouseholdCategory.HARDSHIP_WORKER) if c.value not in held)  # fmt: skip
        detail = services.households.add_category(
            detail.id, free, services.context.today().replace(month=1, day=1)
        )
        page.show_household(detail.id)
        panel.tabs.setCurrentIndex(0)
        table = panel.categories
        row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == free.label)
        table.selectRow(row)
        return _opened(app, EndCategoryDialog, panel.end_category_button.click)

    def move_dialog() -> QWidget:
        _close_dialogs(app)
        member = panel.selected_member() or (panel.detail.members[-1] if panel.detail else None)
        assert member is not None
        dialog = _opened(app, MovePersonDialog, lambda: page.move_member(member.id))
        dialog.search_edit.setText("李")
        dialog.search_now()
        if dialog.result_list.count():
            dialog.result_list.setCurrentRow(0)
        return dialog

    def change_head() -> QWidget:
        _close_dialogs(app)
        detail = panel.detail
        assert detail is not None
        other = next(m for m in detail.members if m.relation != "head")
        return _opened(app, QInputDialog, lambda: page.change_head(other.id))

    def first_start() -> QWidget:
        _close_dialogs(app)
        return _opened(app, FirstStartDialog, window.ask_site)

    def large_font() -> QWidget:
        _close_dialogs(app)
        window.large_font_action.setChecked(True)
        page.table.selectRow(3)
        _settle(app, 500)  # a font change re-lays out every widget over several passes
        return window

    def household_dialog_large() -> QWidget:
        _close_dialogs(app)
        return _opened(app, HouseholdDialog, page.new_household)

    def intake() -> QWidget:
        _settle(app, 300)  # the start-up reminder opens from the event loop
        _close_dialogs(app)
        window.show_page(window.intake_page)
        first = services.search.search("王").rows[2]
        assert first.household_id is not None
        window.intake_page.pick_household(first.household_id)
        for code in ("dibao", "medical_assistance", "dangerous_house_renovation"):
            window.intake_page.picker.set_chosen(code, True)
        return window

    def intake_receipt() -> QWidget:
        window.intake_page.save()
        return window

    def queue() -> QWidget:
        _close_dialogs(app)
        window.show_page(window.queue_page)
        window.queue_page.show_overdue()
        return window

    def kpi() -> QWidget:
        window.show_page(window.kpi_page)
        return window

    def admin(index: int) -> Callable[[], QWidget]:
        def shot() -> QWidget:
            window.show_page(window.admin_page)
            window.admin_page.tabs.setCurrentIndex(index)
            return window

        return shot

    # -- 救助测算 (issue #5): first without a parameter set, then with a local copy
    def three_person_household() -> int:
        for row in services.search.search("").rows:
            if row.household_id is None:
                continue
            detail = services.households.get(row.household_id)
            if len(detail.members) == 3 and detail.residence == "rural":
                return detail.id
        raise RuntimeError("no three-person rural household in the demo data")

    def open_assessment() -> AssessmentDialog:
        _close_dialogs(app)
        window.show_page(page)
        page.show_household(three_person_household())
        return _opened(app, AssessmentDialog, panel.open_assessment)

    def assessment_no_set() -> QWidget:
        return open_assessment()

    def rule_sets() -> QWidget:
        _close_dialogs(app)
        window.show_page(window.admin_page)
        window.admin_page.tabs.setCurrentIndex(4)
        return window

    def rule_set_copy() -> QWidget:
        tab = window.admin_page.rule_sets_tab
        return _opened(app, CopyRuleSetDialog, tab.copy_selected)

    def rule_sets_local() -> QWidget:
        tab = window.admin_page.rule_sets_tab
        dialog = tab.copy_dialog
        assert dialog is not None
        dialog.ok_button().click()
        _settle(app, 50)
        # A township's own urban standard, and the illness multiple the seed leaves as xx 倍.
        tab.key_combo.setCurrentIndex(tab.key_combo.findData("dibao.standard.urban.monthly"))
        tab.value_edit.setText("650")
        tab.from_edit.setDate(tab.from_edit.date().addMonths(-6))
        tab.source_edit.setPlainText("县民政局关于提高城乡低保标准的通知（示例）")
        if tab.add_value() is None:
            raise RuntimeError(tab.problems.text())
        tab.choose_selected()
        tab.key_combo.setCurrentIndex(tab.key_combo.findData("temporary.illness_multiple"))
        return window

    assessment: list[AssessmentDialog] = []

    def assessment_prompts() -> QWidget:
        dialog = open_assessment()
        assessment[:] = [dialog]
        head = next(iter(dialog.member_forms.values()))
        head.income_edits[IncomeSource.WAGES].setText("600")
        dialog.temporary_edit.setText("3000")
        dialog.illness_check.setChecked(True)
        dialog.compute()
        return dialog

    def assessment_computed() -> QWidget:
        dialog = assessment[0]
        for key, value in (
            ("temporary.illness_multiple", "2"),
            ("temporary.annual_cap", "20000"),
            ("temporary.township_limit", "5000"),
        ):
            if key in dialog.prompt_rows:
                dialog.prompt_rows[key].edit.setText(value)
        dialog.compute()
        return dialog

    def assessment_facts() -> QWidget:
        dialog = assessment[0]
        bar = dialog.facts_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        return dialog

    def assessment_error() -> QWidget:
        dialog = assessment[0]
        dialog.decided_edit.setText("500")
        dialog.record_decision()
        return dialog

    def assessment_history() -> QWidget:
        dialog = assessment[0]
        dialog.reason_edit.setPlainText("入户调查发现家庭另有季节性务工收入，经民主评议酌减")
        if dialog.record_decision() is None:
            raise RuntimeError("decision not recorded")
        dialog.tabs.setCurrentIndex(1)
        return dialog

    def registry_with_decision() -> QWidget:
        _close_dialogs(app)
        return window

    def assessment_large() -> QWidget:
        dialog = open_assessment()
        dialog.compute()
        return dialog

    def rule_sets_large() -> QWidget:
        _close_dialogs(app)
        return rule_sets()

    def reminders() -> QWidget:
        window.show_page(window.intake_page)
        dialog = window.show_reminders()
        assert dialog is not None
        return dialog

    shots: list[Shot] = [
        ("intake", intake),
        ("intake-receipt", intake_receipt),
        ("queue", queue),
        ("kpi", kpi),
        ("admin-matters", admin(0)),
        ("admin-departments", admin(1)),
        ("admin-parameters", admin(2)),
        ("admin-holidays", admin(3)),
        ("reminders", reminders),
        ("registry", registry),
        ("household-dialog", household_dialog),
        ("person-dialog", person_dialog),
        ("person-edit", person_edit),
        ("history-after-edit", history),
        ("category-dialog", category_dialog),
        ("end-category-dialog", end_category_dialog),
        ("move-dialog", move_dialog),
        ("change-head", change_head),
        ("first-start", first_start),
        ("assessment-no-set", assessment_no_set),
        ("admin-rule-sets", rule_sets),
        ("rule-set-copy-dialog", rule_set_copy),
        ("admin-rule-sets-local", rule_sets_local),
        ("assessment-prompts", assessment_prompts),
        ("assessment-computed", assessment_computed),
        ("assessment-household-facts", assessment_facts),
        ("assessment-decision-error", assessment_error),
        ("assessment-history", assessment_history),
        ("registry-with-decision", registry_with_decision),
        *document_shots(app, window, services, _opened, _close_dialogs, _settle),
        *ledger_shots(app, window, services, _close_dialogs, _settle),
        *user_shots(app, window, services, _opened, _close_dialogs, _settle),
        ("registry-large-font", large_font),
        ("household-dialog-large-font", household_dialog_large),
        ("assessment-large-font", assessment_large),
        ("admin-rule-sets-large-font", rule_sets_large),
    ]
    return shots


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app, services, window = open_demo()
    for name, make in main_shots(app, services, window):
        _grab(app, make(), out / f"{name}.png")
    close_demo(app, services, window)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
