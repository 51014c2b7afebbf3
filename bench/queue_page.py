"""The referral queue page over a county, offscreen, in a fresh process (a child of run.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/queue_page.py ours|plain DB

Prints one JSON line:

* ``first_paint_ms``: from constructing the page (``ours``: the real ``QueuePage`` with
  its keyset-paged model, as the main window shows it; ``plain``: every referral read
  through sqlite3 into a list behind a minimal ``QAbstractTableModel``) until the table's
  viewport has finished its first paint;
* ``scroll_ms``: from choosing 全部状态 (every referral; ``plain`` already has them all)
  until the view stands at the last row, moving the scroll bar to its maximum and
  processing events until no more rows come (the keyset model fetches as it scrolls);
* ``rows``: rows in the model at the end; ``peak_rss_mb`` / ``rss_mb``: resident memory.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import PeakRss, rss_mb, wait_for_paint  # noqa: E402 - bench/ is the script's folder
from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QTableView, QWidget  # noqa: E402

_PLAIN_SQL = (
    "SELECT r.number, m.name, h.name, hh.village, d.name, r.status, r.due_date, '', i.clerk, "
    "r.reminders FROM referral r JOIN department d ON d.code = r.department_code "
    "JOIN intake_matter im ON im.id = r.matter_id JOIN matter_type m ON m.code = im.matter_code "
    "JOIN intake i ON i.id = im.intake_id JOIN household hh ON hh.id = i.household_id "
    "LEFT JOIN person h ON h.household_id = hh.id AND h.relation = 'head' "
    "ORDER BY r.due_date, r.id"
)


class PlainModel(QAbstractTableModel):
    """The baseline: a list of tuples, strings on demand, nothing else."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 10

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return str(self.rows[index.row()][index.column()])


def _scroll_to_end(app: QApplication, view: QTableView) -> None:
    model = view.model()
    bar = view.verticalScrollBar()
    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        bar.setValue(bar.maximum())
        app.processEvents()
        if not model.canFetchMore(QModelIndex()) and bar.value() == bar.maximum():
            break
    app.processEvents()


def ours(db: str) -> dict[str, Any]:
    from desk_app.bootstrap import open_services  # noqa: PLC0415
    from desk_app.domain.intake import ReferralStatus  # noqa: PLC0415, F401
    from desk_app.persistence.db import sqlite_url  # noqa: PLC0415
    from desk_app.services.context import SYSTEM  # noqa: PLC0415
    from ui.app import create_application  # noqa: PLC0415
    from ui.pages.queue_page import STATUS_ALL, QueuePage  # noqa: PLC0415

    app = create_application([])
    services = open_services(sqlite_url(Path(db)), identity=SYSTEM)
    peak = PeakRss()
    host = QWidget()
    host.resize(1280, 800)
    started = time.perf_counter()
    page = QueuePage(services, host)
    page.resize(1280, 800)
    host.show()
    wait_for_paint(app, page.table.viewport(), 60)
    first_paint = time.perf_counter() - started
    started = time.perf_counter()
    page.status_combo.setCurrentIndex(page.status_combo.findData(STATUS_ALL))
    app.processEvents()
    _scroll_to_end(app, page.table)
    scroll = time.perf_counter() - started
    rows = page.model.rowCount()
    out = {"first_paint_ms": first_paint * 1000, "scroll_ms": scroll * 1000, "rows": rows,
           "peak_rss_mb": peak.done()["peak"], "rss_mb": rss_mb()}  # fmt: skip
    services.close()
    return out


def plain(db: str) -> dict[str, Any]:
    app = QApplication([])
    peak = PeakRss()
    host = QWidget()
    host.resize(1280, 800)
    started = time.perf_counter()
    with sqlite3.connect(db) as conn:
        model = PlainModel(conn.execute(_PLAIN_SQL).fetchall())
    view = QTableView(host)
    view.setModel(model)
    view.resize(1280, 800)
    host.show()
    wait_for_paint(app, view.viewport(), 60)
    first_paint = time.perf_counter() - started
    started = time.perf_counter()
    _scroll_to_end(app, view)
    scroll = time.perf_counter() - started
    return {"first_paint_ms": first_paint * 1000, "scroll_ms": scroll * 1000,
            "rows": model.rowCount(), "peak_rss_mb": peak.done()["peak"], "rss_mb": rss_mb()}  # fmt: skip


def main() -> int:
    kind, db = sys.argv[1], sys.argv[2]
    print(json.dumps(ours(db) if kind == "ours" else plain(db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
