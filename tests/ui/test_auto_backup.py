"""Automatic backups (issue #9): on a worker thread, verified, rotated, reported in the
status line through a queued signal."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from desk_app.backup import AUTO_KEEP, auto_backup
from desk_app.config import AppConfig
from ui.auto_backup import AutoBackup, install


def test_a_background_backup_lands_in_the_folder_and_reports(
    qtbot: Any, services: Any, tmp_path: Path
) -> None:
    db = Path(services.engine.url.database)
    auto = AutoBackup(db, tmp_path / "backups")
    with qtbot.waitSignal(auto.finished, timeout=20_000) as blocker:
        auto.start_in_background()
    assert blocker.args[0].startswith("已自动备份：desk-app-")
    assert len(list((tmp_path / "backups").glob("desk-app-*.bak"))) == 1


def test_rotation_keeps_a_week(services: Any, tmp_path: Path) -> None:
    db = Path(services.engine.url.database)
    folder = tmp_path / "b"
    for i in range(AUTO_KEEP + 3):
        info = auto_backup(
            db, folder, now=lambda i=i: dt.datetime(2026, 11, 1) + dt.timedelta(hours=i)
        )
        os.utime(info.path, (1_700_000_000 + i, 1_700_000_000 + i))
    names = sorted(p.name for p in folder.glob("*.bak"))
    assert len(names) == AUTO_KEEP
    assert names[0] == "desk-app-20261101-030000.bak"


def test_the_status_line_is_set_on_the_window_thread(
    qtbot: Any, services: Any, tmp_path: Path
) -> None:
    """The worker thread's report reaches the callback on the thread that owns the widgets."""
    import threading

    from PySide6.QtCore import QObject

    config = AppConfig(tmp_path, tmp_path / "logs", tmp_path / "config", str(services.engine.url))
    seen: list[tuple[str, bool]] = []
    owner = QObject()
    auto = install(
        config,
        lambda text: seen.append((text, threading.current_thread() is threading.main_thread())),
        owner,
    )
    assert auto is not None
    auto.start_in_background()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    assert seen[0][0].startswith("已自动备份")
    assert seen[0][1], "the status callback ran on the backup thread"


def test_no_backup_for_a_server_database(tmp_path: Path) -> None:
    config = AppConfig(tmp_path, tmp_path, tmp_path, "postgresql+psycopg://u@h/db")
    assert config.sqlite_path is None
    assert install(config, print, None) is None  # type: ignore[arg-type]
