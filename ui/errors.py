"""One place that turns exceptions into what the clerk sees.

Three kinds (``desk_app.errors``): validation (fixable input, shown as a warning naming
fields), environment (disk, lock, drive; shown with what to do) and bugs (logged with the
traceback, shown with the log location). Boxes are window-modal but non-blocking: they
open with ``QDialog.open()``, so the caller returns at once while the parent window (often
a dialog still holding what the clerk typed) waits for 确定. A reference is kept so they
are not collected; nothing is ever sent over the network.

Each exception is logged once: whoever logs it first (``ExceptHook``, the task runner)
marks it with :func:`mark_logged`, and :func:`show_error` does not log it again.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desk_app.errors import (
    Cancelled,
    ConcurrentEditError,
    DeskAppError,
    KnownEnvironmentError,
    NotSignedInError,
    PermissionDeniedError,
    ValidationError,
)
from ui.i18n import tr_label, tr_message

log = logging.getLogger(__name__)

_open_boxes: list[QMessageBox] = []
log_location: str = ""
"""Set by ``ui.app`` at start-up so bug reports can say where the log is."""

_LOGGED = "_desk_app_logged"


def mark_logged(exc: BaseException) -> None:
    """Note that ``exc`` has been logged with its traceback, so it is not logged twice."""
    # An exception type with __slots__ cannot be marked; logging it twice is harmless.
    with contextlib.suppress(AttributeError):
        setattr(exc, _LOGGED, True)


def is_logged(exc: BaseException) -> bool:
    return bool(getattr(exc, _LOGGED, False))


def log_bug(exc: BaseException, what: str = "unexpected error") -> None:
    """Log an unexpected exception with its traceback, once."""
    if not is_logged(exc):
        log.error("%s", what, exc_info=(type(exc), exc, exc.__traceback__))
        mark_logged(exc)


def describe(exc: BaseException) -> tuple[str, str, QMessageBox.Icon]:
    """``(title, text, icon)`` for an exception; pure so tests can check the wording."""
    if isinstance(exc, ValidationError):
        lines = [f"• {tr_label('fields', p.label)}：{tr_message(p.message)}" for p in exc.problems]
        return (
            QCoreApplication.translate("errors", "请修改以下内容"),
            "\n".join(lines),
            QMessageBox.Icon.Warning,
        )
    if isinstance(exc, ConcurrentEditError):
        return (
            QCoreApplication.translate("errors", "记录已被修改"),
            tr_message(exc.message),
            QMessageBox.Icon.Warning,
        )
    if isinstance(exc, PermissionDeniedError):
        # The services refuse whatever the window shows (issue #8): say so plainly.
        return (
            QCoreApplication.translate("errors", "没有权限"),
            tr_message(exc.message),
            QMessageBox.Icon.Warning,
        )
    if isinstance(exc, KnownEnvironmentError):
        return (
            QCoreApplication.translate("errors", "无法完成操作"),
            tr_message(exc.message),
            QMessageBox.Icon.Warning,
        )
    if isinstance(exc, DeskAppError):
        return (
            QCoreApplication.translate("errors", "无法完成操作"),
            tr_message(exc.message),
            QMessageBox.Icon.Information,
        )
    if isinstance(exc, OSError):
        return (
            QCoreApplication.translate("errors", "无法完成操作"),
            QCoreApplication.translate("errors", "读写文件时出错：{reason}").format(
                reason=exc.strerror or type(exc).__name__
            ),
            QMessageBox.Icon.Warning,
        )
    text = QCoreApplication.translate(
        "errors",
        "程序出现意外错误，刚才的操作没有完成，已保存的数据不受影响。\n错误已记入日志：{log}",
    ).format(log=log_location or "—")
    return QCoreApplication.translate("errors", "程序错误"), text, QMessageBox.Icon.Critical


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    *,
    on_reload: Callable[[], None] | None = None,
) -> QMessageBox | None:
    """Show ``exc`` to the clerk; a cancel shows nothing.

    The box is window-modal and opened with ``open()``, not ``exec()``: it blocks input
    to ``parent``'s window (a dialog keeps what was typed, untouchable until 确定) but
    this call returns at once. Bugs are logged here unless already logged.

    ``on_reload``: for a record another window changed meanwhile, the box offers
    “重新载入”, which calls it (the page shows what the other clerk saved).
    """
    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, NotSignedInError):
        # Signed out: the sign-in dialog is the answer; a page refreshing in the
        # background (a search timer of the window just left) must not pop a box over it.
        log.debug("ignored while signed out: %s", type(exc).__name__)
        return None
    if not isinstance(exc, DeskAppError):
        log_bug(exc)
    reload = on_reload if isinstance(exc, ConcurrentEditError) else None
    return _open_box(parent, exc, reload)


RELOAD_BUTTON = QMessageBox.StandardButton.Retry
"""The “重新载入” button of a changed-by-another-window box."""


def error_box(
    parent: QWidget | None, exc: BaseException, *, offer_reload: bool = False
) -> QMessageBox:
    """The box :func:`show_error` shows, not yet shown (start-up ``exec()``s it)."""
    title, text, icon = describe(exc)
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if offer_reload:
        box.setStandardButtons(RELOAD_BUTTON | QMessageBox.StandardButton.Close)
        box.button(RELOAD_BUTTON).setText(QCoreApplication.translate("errors", "重新载入"))
        box.setDefaultButton(RELOAD_BUTTON)
    if not isinstance(exc, DeskAppError):
        box.setDetailedText("".join(traceback.format_exception(exc)))
    return box


def _open_box(
    parent: QWidget | None, exc: BaseException, on_reload: Callable[[], None] | None = None
) -> QMessageBox:
    box = error_box(parent, exc, offer_reload=on_reload is not None)
    if on_reload is not None:
        box.finished.connect(lambda result: on_reload() if result == RELOAD_BUTTON else None)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_boxes.append(box)
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    box.open()  # window-modal, returns at once
    return box


class _ExceptionRelay(QObject):
    raised = Signal(object)
    """An exception caught off the GUI thread, delivered on it."""


class ExceptHook:
    """``sys.excepthook``: log every uncaught exception and show it; never exit silently."""

    def __init__(self, parent_getter: Callable[[], QWidget | None]) -> None:
        self._parent_getter = parent_getter
        self._relay = _ExceptionRelay()
        self._relay.raised.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = self._thread_hook

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if not is_logged(exc):
            log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
            mark_logged(exc)
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            self._show(exc)
        else:
            self._relay.raised.emit(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        _open_box(self._parent_getter(), exc)  # logged in __call__ already
