"""The task runner: results on the GUI thread, delayed progress dialog, cancel rolls back."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.demo import BATCH_HOUSEHOLDS, generate_demo
from desk_app.jobs import CancelToken, ProgressFn
from ui.tasks import TaskRunner


def test_result_arrives_on_gui_thread(qtbot: QtBot) -> None:
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
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(42, True)]
    assert worker_threads[0].startswith("desk-job")
    qtbot.waitUntil(lambda: not runner.busy)
    runner.shutdown()


def test_failure_is_delivered_not_lost(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def job(progress: ProgressFn, cancel: CancelToken) -> None:
        raise ValueError("boom")

    task = runner.run("失败", job)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)
    runner.shutdown()


def _cancel_button(qtbot: QtBot, task: object) -> QPushButton:
    qtbot.waitUntil(lambda: task.progress_dialog is not None, timeout=5000)  # type: ignore[attr-defined]
    dialog = task.progress_dialog  # type: ignore[attr-defined]
    button = dialog.findChild(QPushButton)
    assert button is not None
    assert button.text() == "取消"
    return button


def test_progress_dialog_appears_late_and_cancel_stops_the_job(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner()
    started = threading.Event()
    never = threading.Event()  # the test's own: a slow step is a short wait on it
    steps: list[int] = []

    def job(progress: ProgressFn, cancel: CancelToken) -> None:
        started.set()
        for i in range(100_000):
            cancel.check()
            steps.append(i)
            progress(i / 100_000, "处理中")
            never.wait(0.001)

    task = runner.run("长任务", job, parent)
    assert task.progress_dialog is None  # never flashes for quick jobs
    button = _cancel_button(qtbot, task)
    assert started.is_set()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(steps) < 100_000
    assert task.progress_dialog is None
    qtbot.waitUntil(lambda: not runner.busy)
    runner.shutdown()


def test_closing_the_parent_mid_job_still_ends_the_task(qtbot: QtBot) -> None:
    parent = QWidget()
    parent.show()
    runner = TaskRunner()
    release = threading.Event()

    def job(progress: ProgressFn, cancel: CancelToken) -> str:
        progress(0.5, "等待")
        release.wait(10)
        return "done"

    task = runner.run("父窗口关闭", job, parent)
    _cancel_button(qtbot, task)  # the progress dialog is up, a child of ``parent``
    assert runner.busy
    # The page that started the job goes away (its window closed) while the job runs.
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        release.set()
    assert blocker.args == ["done"]
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    runner.shutdown()


def test_cancel_rolls_back_the_rows_the_job_wrote(qtbot: QtBot, services: Services) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = TaskRunner()
    first_batch_written = threading.Event()
    clicked = threading.Event()
    households = 2 * BATCH_HOUSEHOLDS

    def job(progress: ProgressFn, cancel: CancelToken) -> object:
        def after_batch(fraction: float, status: str) -> None:
            progress(fraction, status)
            first_batch_written.set()
            clicked.wait(10)  # hold the open transaction until 取消 has been clicked

        return generate_demo(services, households, seed=3, progress=after_batch, cancel=cancel)

    task = runner.run("生成演示数据", job, parent)
    button = _cancel_button(qtbot, task)
    qtbot.waitUntil(first_batch_written.is_set, timeout=10_000)
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        clicked.set()
    qtbot.waitUntil(lambda: not runner.busy)
    runner.shutdown()
    # A whole batch had been inserted in the job's unit of work; none of it was kept.
    assert services.search.search("").rows == ()
