"""Run long jobs off the GUI thread, with delayed progress and cancel.

A job is a Qt-free function ``job(progress=..., cancel=...)`` from ``desk_app``. It runs
on a single-worker executor, so database jobs never overlap (Anki's rule); it never
touches a widget. Progress and the result come back through signals of a QObject that
lives on the GUI thread; callbacks therefore run on the GUI thread only. The progress
dialog appears only if the job is still running after ``SHOW_AFTER_MS``, so quick jobs
never flash one.

A task is owned by its runner, never by the widget that started it: that widget may be
closed mid-job, and a task destroyed with it would never report its end (the runner
would stay busy for ever). The widget only parents the progress dialog, and the task
lets go of both when the widget goes away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk_app.errors import Cancelled, DeskAppError
from desk_app.jobs import CancelToken, ProgressFn
from ui.errors import mark_logged

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 500
Job = Callable[[ProgressFn, CancelToken], Any]


class _Relay(QObject):
    progressed = Signal(float, str)
    """Progress from the worker thread, delivered on the GUI thread (queued)."""
    finished = Signal(object, object)
    """``(result, exception)`` — exactly one of them is not None (or both None)."""


class Task(QObject):
    """One running job. Signals: ``succeeded(result)``, ``failed(exception)``, ``cancelled()``.

    Args:
        title: the progress dialog's title.
        dialog_parent: the widget the progress dialog is modal to; may be destroyed mid-job.
        parent: the owner, normally the :class:`TaskRunner`.
    """

    succeeded = Signal(object)
    """The job returned; carries its result."""
    failed = Signal(object)
    """The job raised something other than a cancel; carries the exception."""
    cancelled = Signal()
    """The user cancelled; the job's transaction was rolled back."""
    ended = Signal(object)
    """After any of the three above: the task is over; carries the task itself."""

    def __init__(
        self, title: str, dialog_parent: QWidget | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self._title = title
        self._parent_widget = dialog_parent
        if dialog_parent is not None:
            dialog_parent.destroyed.connect(self._on_parent_destroyed)
        self._relay = _Relay(self)
        self._relay.progressed.connect(
            self._on_relay_progressed, Qt.ConnectionType.QueuedConnection
        )
        self._relay.finished.connect(self._on_relay_finished, Qt.ConnectionType.QueuedConnection)
        self._dialog: QProgressDialog | None = None
        self._last = (0.0, "")
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._on_show_timer_timeout)
        self.done = False

    def report(self, fraction: float, status: str) -> None:
        """Called on the worker thread; only emits (throttled to 0.5 % steps)."""
        if abs(fraction - self._last[0]) >= 0.005 or status != self._last[1] or fraction >= 1.0:
            self._last = (fraction, status)
            self._relay.progressed.emit(fraction, status)

    def _on_show_timer_timeout(self) -> None:
        if self.done:
            return
        dialog = QProgressDialog(
            self._last[1] or self._title, self.tr("取消"), 0, 1000, self._parent_widget
        )
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(int(self._last[0] * 1000))
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self._dialog = dialog

    def _on_parent_destroyed(self) -> None:
        # The progress dialog went with its parent; the job itself carries on.
        self._parent_widget = None
        self._dialog = None

    def cancel(self) -> None:
        self.token.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("正在取消，已做的部分不会保存…"))

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _on_relay_progressed(self, fraction: float, status: str) -> None:
        dialog = self._dialog
        if dialog is not None and not self.token.cancelled:
            # A window-modal QProgressDialog.setValue() runs the event loop: the job may
            # finish inside it and drop self._dialog, so keep the reference in hand.
            if status:
                dialog.setLabelText(status)
            dialog.setValue(int(fraction * 1000))

    def _on_relay_finished(self, result: object, exc: object) -> None:
        self.done = True
        self._show_timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self._parent_widget is not None:
            self._parent_widget.destroyed.disconnect(self._on_parent_destroyed)
            self._parent_widget = None
        try:
            if isinstance(exc, Cancelled):
                self.cancelled.emit()
            elif isinstance(exc, BaseException):
                self.failed.emit(exc)
            else:
                self.succeeded.emit(result)
        finally:
            self.ended.emit(self)


class TaskRunner(QObject):
    """Owns the worker thread; ``run()`` starts a job and returns its :class:`Task`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-job")
        self._tasks: set[Task] = set()

    def run(self, title: str, job: Job, parent: QWidget | None = None) -> Task:
        """Start ``job``; ``parent`` is the widget its progress dialog is modal to.

        The task belongs to the runner, so closing ``parent`` mid-job loses nothing.
        """
        task = Task(title, parent, self)
        self._tasks.add(task)
        # A bound method, not a lambda holding ``self``: the connection on the task's
        # signal must not keep the runner alive, or deleting the task could drop the
        # last reference to its own parent half-way through (a double delete).
        task.ended.connect(self._on_task_ended)
        task._show_timer.start(SHOW_AFTER_MS)
        relay = task._relay
        token = task.token
        report = task.report

        def work() -> None:
            try:
                result = job(report, token)
            except BaseException as exc:  # handed to the GUI thread, never lost
                if not isinstance(exc, Cancelled | DeskAppError):
                    log.exception("background job failed: %s", title)
                    mark_logged(exc)
                relay.finished.emit(None, exc)
            else:
                relay.finished.emit(result, None)

        future: Future[None] = self._executor.submit(work)
        del future
        return task

    def _on_task_ended(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._executor.shutdown(wait=True)
