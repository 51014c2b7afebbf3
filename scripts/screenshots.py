"""Take screenshots of the real program on a fictional demo database.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUT_DIR

Used to look at every page we change (and, later, for the clerk's manual). Runs under
any display, Xvfb included; with QT_QPA_PLATFORM=offscreen it grabs widgets instead.
"""

from __future__ import annotations

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

from desk_app.bootstrap import open_services  # noqa: E402
from desk_app.config import load_config  # noqa: E402
from desk_app.demo import generate_demo  # noqa: E402
from desk_app.domain.registry import Employment, HouseholdCategory  # noqa: E402
from ui.app import build_main_window, create_application  # noqa: E402
from ui.dialogs.category_dialog import CategoryDialog, EndCategoryDialog  # noqa: E402
from ui.dialogs.first_start_dialog import FirstStartDialog  # noqa: E402
from ui.dialogs.household_dialog import HouseholdDialog  # noqa: E402
from ui.dialogs.move_person_dialog import MovePersonDialog  # noqa: E402
from ui.dialogs.person_dialog import PersonDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

D = TypeVar("D", bound=QDialog)


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


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    os.environ["DESK_APP_HOME"] = str(home)
    app = create_application(sys.argv[:1])
    config = load_config(str(home / "demo.sqlite3"))
    services = open_services(config.db_url)
    generate_demo(services, 300, seed=2026)
    window = build_main_window(services, config)
    window.settings.clerk_name = "王芳"
    window.start()
    window.resize(1366, 740)
    window.move(0, 0)
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

    shots: list[tuple[str, Callable[[], QWidget]]] = [
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
        ("registry-large-font", large_font),
        ("household-dialog-large-font", household_dialog_large),
    ]
    for name, make in shots:
        _grab(app, make(), out / f"{name}.png")
    _close_dialogs(app)
    window.large_font_action.setChecked(False)
    MainWindow.close(window)
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
