"""Start-up to a usable main window, offscreen, in a fresh process (a child of bench/run.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py ours|bare DB HOME

Prints one JSON line: milliseconds from the first line of this script (before any import)
until the main window has painted and the work queued for after its first paint (the
start-up reminder of overdue referrals) is done, so the clerk can work; and the phases.

``ours`` does what ``desk-app`` does on start (``ui.app``): the application with fonts and
translators, the services on the county database (migrations checked), the main window
started as the command line's identity, then events until the window has painted.
``bare`` is the baseline: a QApplication and an empty QMainWindow after the same
third-party imports (PySide6 widgets, SQLAlchemy ORM, Alembic), painted the same way.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import wait_for_paint  # noqa: E402 - bench/ is the script's folder


def _painted(app: object, widget: object) -> float:
    """The time of ``widget``'s first paint, after processing what that queued (the
    deferred start-up work)."""
    painted = wait_for_paint(app, widget, 30)
    app.processEvents()  # type: ignore[attr-defined]
    return painted


def ours(db: str, home: str) -> dict[str, float]:
    import os  # noqa: PLC0415

    os.environ["DESK_APP_HOME"] = home
    import ui.app  # noqa: PLC0415, F401 - first, as desk-app's run_gui imports it
    from desk_app.bootstrap import open_services  # noqa: PLC0415
    from desk_app.config import load_config  # noqa: PLC0415
    from desk_app.services.context import SYSTEM  # noqa: PLC0415
    from ui.app import build_main_window, create_application  # noqa: PLC0415

    imported = time.perf_counter()
    config = load_config(db)
    app = create_application([])
    services = open_services(config.db_url, identity=SYSTEM)
    opened = time.perf_counter()
    window = build_main_window(services, config)
    built = time.perf_counter()
    window.start()
    painted = _painted(app, window)
    idle = time.perf_counter()
    services.close()
    return {
        "ms": (idle - T0) * 1000,
        "paint_ms": (painted - T0) * 1000,
        "after_paint_ms": (idle - painted) * 1000,
        "imports_ms": (imported - T0) * 1000,
        "services_ms": (opened - imported) * 1000,
        "window_ms": (built - opened) * 1000,
        "start_ms": (painted - built) * 1000,
    }


def bare() -> dict[str, float]:
    import alembic  # noqa: PLC0415, F401
    import sqlalchemy.orm  # noqa: PLC0415, F401
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: PLC0415

    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    painted = _painted(app, window)
    return {"ms": (time.perf_counter() - T0) * 1000, "paint_ms": (painted - T0) * 1000}


def main() -> int:
    kind = sys.argv[1]
    result = ours(sys.argv[2], sys.argv[3]) if kind == "ours" else bare()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
