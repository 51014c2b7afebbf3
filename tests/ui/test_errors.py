"""What the clerk reads for each kind of failure, and that none is lost or logged twice."""

from __future__ import annotations

import errno
import logging
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk_app.domain.household import HOUSEHOLD_FIELDS, PERSON_FIELDS
from desk_app.errors import (
    Cancelled,
    ConcurrentEditError,
    FieldProblem,
    KnownEnvironmentError,
    ValidationError,
)
from desk_app.i18n import Message
from ui import errors
from ui.errors import ExceptHook, describe, show_error

LOG = "/var/log/desk_app/desk_app.log"


def _problem(field: str, label: str, text: str) -> FieldProblem:
    return FieldProblem(field, label, Message("validation", text))


@pytest.fixture
def log_location(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(errors, "log_location", LOG)
    return LOG


def _visible_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_validation_error_lists_every_field(qapp: QApplication) -> None:
    exc = ValidationError(
        [
            _problem("village", HOUSEHOLD_FIELDS["village"], "请填写村（社区）"),
            _problem("name", PERSON_FIELDS["name"], "请填写姓名"),
            _problem("phone", PERSON_FIELDS["phone"], "号码位数不对"),
        ]
    )
    title, text, icon = describe(exc)
    assert title == "请修改以下内容"
    assert text.splitlines() == [
        "• 村（社区）：请填写村（社区）",
        "• 姓名：请填写姓名",
        "• 联系电话：号码位数不对",
    ]
    assert icon is QMessageBox.Icon.Warning


def test_concurrent_edit_says_reload(qapp: QApplication) -> None:
    exc = ConcurrentEditError(Message("errors", "这条记录刚被其他窗口修改过。请重新载入后再修改。"))
    title, text, icon = describe(exc)
    assert title == "记录已被修改"
    assert "重新载入" in text
    assert icon is QMessageBox.Icon.Warning


def test_environment_error_says_what_to_do(qapp: QApplication, log_location: str) -> None:
    exc = KnownEnvironmentError(
        Message("errors", "磁盘空间已满，无法保存。请清理磁盘后重试，已保存的数据不受影响。")
    )
    title, text, icon = describe(exc)
    assert title == "无法完成操作"
    assert text.startswith("磁盘空间已满")
    assert log_location not in text  # not our bug: no log to send anyone
    assert icon is QMessageBox.Icon.Warning


def test_os_error_names_the_reason_not_a_traceback(qapp: QApplication) -> None:
    exc = OSError(errno.EACCES, "Permission denied", "/mnt/u盘/导出.xlsx")
    title, text, icon = describe(exc)
    assert title == "无法完成操作"
    assert text == "读写文件时出错：Permission denied"
    assert "Traceback" not in text
    assert icon is QMessageBox.Icon.Warning


def test_unknown_bug_points_to_the_log(qapp: QApplication, log_location: str) -> None:
    title, text, icon = describe(ZeroDivisionError("division by zero"))
    assert title == "程序错误"
    assert "已保存的数据不受影响" in text
    assert log_location in text
    assert "ZeroDivisionError" not in text  # the traceback is in the details and the log
    assert icon is QMessageBox.Icon.Critical


def test_show_error_shows_nothing_for_a_cancel(qtbot: QtBot) -> None:
    assert show_error(None, Cancelled()) is None
    assert _visible_boxes() == []


def test_show_error_is_window_modal_and_returns_at_once(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    try:
        raise KeyError("bug")
    except KeyError as exc:
        error = exc
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        box = show_error(parent, error)
    assert box is not None
    assert box.isVisible()  # opened, yet this call has already returned (open(), not exec())
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert box.parent() is parent
    assert "KeyError" in box.detailedText()
    assert len([r for r in caplog.records if r.exc_info]) == 1
    box.close()


def test_except_hook_logs_once_and_shows_on_the_gui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    hook = ExceptHook(lambda: parent)
    hook.install()
    shown_on: list[bool] = []
    hook._relay.raised.connect(
        lambda _exc: shown_on.append(QThread.currentThread() is QApplication.instance().thread())
    )

    def worker() -> None:
        raise RuntimeError("worker bug")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(hook._relay.raised, timeout=5000):
        thread = threading.Thread(target=worker, name="desk-job-test")
        thread.start()
        thread.join()
    assert shown_on == [True]
    qtbot.waitUntil(lambda: len(_visible_boxes()) == 1)
    (box,) = _visible_boxes()
    assert box.parent() is parent
    assert box.windowTitle() == "程序错误"
    assert "RuntimeError: worker bug" in box.detailedText()
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1  # the hook logged it; showing it did not log it again
    assert logged[0].exc_info[1].args == ("worker bug",)  # type: ignore[index]
    box.close()
