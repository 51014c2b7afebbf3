"""Automatic backups while the window runs and when it closes (issue #9).

Every few hours, and once more at exit, the embedded database is copied into the data
folder's ``backups`` with :func:`desk_app.backup.auto_backup` (online, verified, rotated).
The copy runs on a worker thread so the window never stalls; a failure is logged and
shown in the status bar, never as a modal box in the middle of an intake.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desk_app.backup import auto_backup
from desk_app.config import AppConfig
from desk_app.errors import DeskAppError

log = logging.getLogger(__name__)

INTERVAL_MS = 4 * 60 * 60 * 1000


class AutoBackup(QObject):
    finished = Signal(str)
    """A line for the status bar: where the backup went, or why it failed."""

    def __init__(
        self,
        db_path: Path,
        folder: Path,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self._folder = folder
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.start_in_background)

    def start(self) -> None:
        self._timer.start()

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="desk-app-backup", daemon=True)
        thread.start()
        return thread

    def run_now(self) -> None:
        """At exit: in the calling thread, after any backup still running."""
        self._timer.stop()
        self._run()

    def _run(self) -> None:
        if not self._lock.acquire(blocking=True, timeout=600):
            return
        try:
            if not self._db_path.exists():
                return
            info = auto_backup(self._db_path, self._folder)
            text = f"已自动备份：{info.path.name}"
        except (DeskAppError, OSError) as exc:
            log.warning("automatic backup failed: %s", type(exc).__name__)
            text = "自动备份失败，请检查磁盘空间；详情见日志"
        finally:
            self._lock.release()
        self.finished.emit(text)


def install(config: AppConfig, show: Callable[[str], None], parent: QObject) -> AutoBackup | None:
    """Start scheduled backups for an embedded database (None for a server database)."""
    path = config.sqlite_path
    if path is None:
        return None
    auto = AutoBackup(path, config.data_dir / "backups", parent)
    # The signal is emitted on the backup thread; connected to a plain callable, PySide6
    # delivers it queued on the emitter's (the window's) thread, where widgets may be
    # touched (tests/ui/test_auto_backup.py checks the thread).
    auto.finished.connect(show)
    auto.start()
    return auto
