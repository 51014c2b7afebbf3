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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from desk_app.bootstrap import open_services  # noqa: E402
from desk_app.config import load_config  # noqa: E402
from desk_app.demo import generate_demo  # noqa: E402
from ui.app import build_main_window, create_application  # noqa: E402
from ui.dialogs.household_dialog import HouseholdDialog  # noqa: E402
from ui.dialogs.person_dialog import PersonDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def _settle(app: QApplication, ms: int = 150) -> None:
    loop_done = []
    QTimer.singleShot(ms, lambda: loop_done.append(True))
    while not loop_done:
        app.processEvents()


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


def _find(window: QWidget, kind: type[QDialog]) -> QDialog:
    found = window.findChild(kind)
    if found is None:
        raise RuntimeError(f"{kind.__name__} did not open")
    return found


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
    shots: list[tuple[str, Callable[[], QWidget]]] = []

    def registry() -> QWidget:
        page.search_box.setText("王")
        page.run_search()
        page.table.selectRow(3)
        return window

    def household_dialog() -> QWidget:
        page.new_household()
        dialog = _find(page, HouseholdDialog)
        dialog.village_edit.setText("龙宫村")  # type: ignore[attr-defined]
        return dialog

    def person_dialog() -> QWidget:
        for d in page.findChildren(QDialog):
            d.reject()
        page.add_member()
        return _find(page, PersonDialog)

    def person_edit() -> QWidget:
        for d in page.findChildren(QDialog):
            d.reject()
        page.panel.members.selectRow(0)
        member = page.panel.selected_member()
        assert member is not None
        page.edit_member(member.id)
        return _find(page, PersonDialog)

    def history() -> QWidget:
        for d in page.findChildren(QDialog):
            d.reject()
        page.panel.tabs.setCurrentIndex(1)
        return window

    def first_start() -> QWidget:
        for d in page.findChildren(QDialog):
            d.reject()
        return window.ask_site()

    def large_font() -> QWidget:
        for d in window.findChildren(QDialog):
            d.reject()
        window.large_font_action.setChecked(True)
        return window

    shots = [
        ("registry", registry),
        ("household-dialog", household_dialog),
        ("person-dialog", person_dialog),
        ("person-edit", person_edit),
        ("history", history),
        ("first-start", first_start),
        ("registry-large-font", large_font),
    ]
    for name, make in shots:
        _grab(app, make(), out / f"{name}.png")
    window.large_font_action.setChecked(False)
    MainWindow.close(window)
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
