"""Start-up never fails silently: the clerk gets a blocking box, the log gets the reason."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from desk_app.config import AppConfig, db_url_from
from desk_app.errors import KnownEnvironmentError
from desk_app.i18n import Message
from ui import app as ui_app
from ui import errors
from ui.cli import main


@pytest.fixture
def quiet_globals(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_gui`` installs process-wide hooks; give them back after the test.

    Qt's message handler stays pytest-qt's, so a Qt warning still fails the test.
    """
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(errors, "log_location", errors.log_location)
    monkeypatch.setattr(ui_app, "qInstallMessageHandler", lambda _handler: None)


@pytest.fixture
def junk_db(tmp_path: Path) -> Path:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    return path


def _config(db: Path, log: Any) -> AppConfig:
    home = db.parent
    return AppConfig(
        data_dir=home / "data",
        log_dir=log.path.parent,  # the desk_log fixture's folder: its finaliser cleans up
        config_dir=home / "config",
        db_url=db_url_from(str(db)),
    )


def test_junk_file_shows_a_blocking_box_and_exits_1(
    qtbot: object, quiet_globals: None, junk_db: Path, desk_log: Any, modal_answers: Any
) -> None:
    before = junk_db.read_bytes()
    assert ui_app.run_gui(_config(junk_db, desk_log)) == 1
    (box,) = modal_answers.seen
    assert box["class"] == "QMessageBox"
    assert box["title"] == "无法启动"
    assert "不是本程序的数据库" in box["text"]
    assert str(desk_log.path) in box["informative"]
    assert junk_db.read_bytes() == before  # the clerk's file is left as it was
    text = desk_log.text()
    assert "start-up failed" in text
    assert text.count("start-up failed") == 1


def test_desk_app_db_junk_from_the_command_line(
    qtbot: object,
    quiet_globals: None,
    junk_db: Path,
    desk_log: Any,
    modal_answers: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESK_APP_HOME", str(desk_log.path.parent.parent))
    assert main(["--db", str(junk_db)]) == 1
    (box,) = modal_answers.seen
    assert "不是本程序的数据库" in box["text"]


def test_environment_error_from_bootstrap_is_shown(
    qtbot: object,
    quiet_globals: None,
    junk_db: Path,
    desk_log: Any,
    modal_answers: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    newer = "这个数据库由更新版本的程序创建（结构版本 {revision}），本程序无法打开。请安装新版本后再打开。"

    def refuse(_url: str, **_kwargs: object) -> object:
        raise KnownEnvironmentError(Message("errors", newer, {"revision": "0099"}))

    monkeypatch.setattr(ui_app, "open_services", refuse)
    assert ui_app.run_gui(_config(junk_db, desk_log)) == 1
    (box,) = modal_answers.seen
    assert box["text"] == newer.format(revision="0099")
    assert str(desk_log.path) in box["informative"]


def test_unexpected_start_up_bug_names_the_log_once(
    qtbot: object,
    quiet_globals: None,
    junk_db: Path,
    desk_log: Any,
    modal_answers: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(_url: str, **_kwargs: object) -> object:
        raise RuntimeError("driver exploded")

    monkeypatch.setattr(ui_app, "open_services", broken)
    assert ui_app.run_gui(_config(junk_db, desk_log)) == 1
    (box,) = modal_answers.seen
    assert box["title"] == "无法启动"
    assert str(desk_log.path) in box["text"]  # the bug text names the log itself …
    assert box["informative"] == ""  # … so it is not said twice
    text = desk_log.text()
    assert text.count("RuntimeError: driver exploded") == 1  # logged once, with traceback
