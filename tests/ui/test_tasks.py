"""The task runner: results on the GUI thread, delayed progress dialog, cancel rolls back."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from desk_app.jobs import CancelToken, ProgressFn
from ui.tasks import TaskRunner


def test_result_arrives_on_gui_thread(qtbot: object) -> None:
    runner = TaskRunner()
    worker_threads: list[str] = []

    def job(progress: ProgressFn, cancel: CancelToken) -> int:
        worker_threads.append(threading.current_thread().name)
        progress(1.0, "done")
        return 42

    seen: list[tuple[int, bool]] = []
    task = runner.run("计算", job)
    task.succeeded.connect(
        lambda r: seen.append((r, QThread.currentThread() is QApplication.instance().thread()))
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)  # type: ignore[attr-defined]
    assert seen == [(42, True)]
    assert worker_threads[0].startswith("desk-job")
    runner.shutdown()


def test_failure_is_delivered_not_lost(qtbot: object) -> None:
    runner = TaskRunner()

    def job(progress: ProgressFn, cancel: CancelToken) -> None:
        raise ValueError("boom")

    task = runner.run("失败", job)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:  # type: ignore[attr-defined]
        pass
    assert isinstance(blocker.args[0], ValueError)
    runner.shutdown()


def test_progress_dialog_appears_late_and_cancel_stops_the_job(qtbot: object) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)  # type: ignore[attr-defined]
    runner = TaskRunner()
    started = threading.Event()
    steps: list[int] = []

    def job(progress: ProgressFn, cancel: CancelToken) -> None:
        started.set()
        for i in range(100_000):
            cancel.check()
            steps.append(i)
            progress(i / 100_000, "处理中")
            cancel._event.wait(0.001)  # a slow step; returns at once when cancelled

    task = runner.run("长任务", job, parent)
    assert task.progress_dialog is None  # never flashes for quick jobs
    qtbot.waitUntil(lambda: task.progress_dialog is not None, timeout=5000)  # type: ignore[attr-defined]
    assert started.is_set()
    dialog = task.progress_dialog
    assert dialog is not None
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None
    assert cancel_button.text() == "取消"
    with qtbot.waitSignal(task.cancelled, timeout=5000):  # type: ignore[attr-defined]
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert len(steps) < 100_000
    assert task.progress_dialog is None
    runner.shutdown()
