"""Measuring helpers shared by the benchmark children: resident memory and first paint.

Imports nothing heavy at module level: ``bench/startup.py`` times its own imports, so Qt
is imported inside :func:`wait_for_paint` only.
"""

from __future__ import annotations

import os
import threading
import time


def rss_mb() -> float:
    """Current resident set size. Not ``ru_maxrss``: Linux carries the parent's peak over
    ``fork``+``exec``, so a child's maxrss would start at the bench process's own peak."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """Samples the RSS every 5 ms on a thread while a job runs."""

    def __init__(self) -> None:
        self.before = rss_mb()
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def done(self) -> dict[str, float]:
        """``{"before": …, "peak": …}`` in MB; stops sampling."""
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        return {"before": self.before, "peak": self.peak}


def wait_for_paint(app: object, widget: object, timeout: float) -> float:
    """Process events until ``widget`` has been painted once; return that moment
    (``time.perf_counter()``). Gives up after ``timeout`` seconds."""
    from PySide6.QtCore import QEvent, QObject  # noqa: PLC0415 - see the module docstring
    from PySide6.QtWidgets import QApplication, QWidget  # noqa: PLC0415

    assert isinstance(app, QApplication)
    assert isinstance(widget, QWidget)
    painted: list[bool] = []

    class Watch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watch = Watch()
    widget.installEventFilter(watch)
    deadline = time.perf_counter() + timeout
    while not painted and time.perf_counter() < deadline:
        app.processEvents()
    moment = time.perf_counter()
    widget.removeEventFilter(watch)
    return moment
