"""One place that turns exceptions into what the clerk sees.

Three kinds (``desk_app.errors``): validation (fixable input, shown as a warning naming
fields), environment (disk, lock, drive; shown with what to do) and bugs (logged with the
traceback, shown with the log location). Boxes are non-modal, keep a reference so they
are not collected, and never send anything over the network.
"""

from __future__ import annotations

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
    ValidationError,
)
from ui.i18n import tr_message

log = logging.getLogger(__name__)

_open_boxes: list[QMessageBox] = []
log_location: str = ""
"""Set by ``ui.app`` at start-up so bug reports can say where the log is."""


def _t(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def describe(exc: BaseException) -> tuple[str, str, QMessageBox.Icon]:
    """``(title, text, icon)`` for an exception; pure so tests can check the wording."""
    if isinstance(exc, ValidationError):
        lines = [f"• {p.label}：{tr_message(p.message)}" for p in exc.problems]
        return _t("请修改以下内容"), "\n".join(lines), QMessageBox.Icon.Warning
    if isinstance(exc, ConcurrentEditError):
        return _t("记录已被修改"), tr_message(exc.message), QMessageBox.Icon.Warning
    if isinstance(exc, KnownEnvironmentError):
        return _t("无法完成操作"), tr_message(exc.message), QMessageBox.Icon.Warning
    if isinstance(exc, DeskAppError):
        return _t("无法完成操作"), tr_message(exc.message), QMessageBox.Icon.Information
    if isinstance(exc, OSError):
        return (
            _t("无法完成操作"),
            _t("读写文件时出错：{reason}").format(reason=exc.strerror or type(exc).__name__),
            QMessageBox.Icon.Warning,
        )
    text = _t(
        "程序出现意外错误，刚才的操作没有完成，已保存的数据不受影响。\n错误已记入日志：{log}"
    ).format(log=log_location or "—")
    return _t("程序错误"), text, QMessageBox.Icon.Critical


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show ``exc`` to the clerk (non-modal). A cancel shows nothing."""
    if isinstance(exc, Cancelled):
        return None
    title, text, icon = describe(exc)
    if not isinstance(exc, DeskAppError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    if not isinstance(exc, DeskAppError):
        box.setDetailedText("".join(traceback.format_exception(exc)))
    _open_boxes.append(box)
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    box.show()
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
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            self._show(exc)
        else:
            self._relay.raised.emit(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, exc: BaseException) -> None:
        show_error(self._parent_getter(), exc)
