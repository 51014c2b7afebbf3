"""Test-wide safety: offscreen Qt, no real user data, no hanging modal dialogs.

Unit tests of ``desk_app`` must run without PySide6, so nothing here imports Qt at
module level; the Qt fixtures import it lazily.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point data, logs and UI settings at a fresh folder: no test touches a real profile."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DESK_APP_HOME", str(home))
    monkeypatch.delenv("DESK_APP_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_leaked_log_handlers() -> Iterator[None]:
    """Fail a test that leaves the program's log handler on the root logger.

    ``setup_logging`` installs a file handler in a test's tmp folder; left behind, every
    later test would write into it. Use the ``desk_log`` fixture, which removes it.
    """
    import logging

    from desk_app.logs import is_ours

    yield
    root = logging.getLogger()
    leaked = [h for h in root.handlers if is_ours(h)]
    for handler in leaked:
        root.removeHandler(handler)
        handler.close()
    assert not leaked, f"test left log handlers installed: {leaked}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)


# Static helpers that build a dialog and exec() it in C++: patching QDialog.exec does not
# reach them, and unanswered they would hang until the 120 s timeout.
_STATIC_MODALS = {
    "QMessageBox": ("information", "warning", "critical", "question", "about", "aboutQt"),
    "QInputDialog": ("getText", "getMultiLineText", "getItem", "getInt", "getDouble"),
    "QFileDialog": (
        "getOpenFileName", "getOpenFileNames", "getOpenFileUrl", "getOpenFileUrls",
        "getSaveFileName", "getSaveFileUrl", "getExistingDirectory", "getExistingDirectoryUrl",
    ),
    "QColorDialog": ("getColor",),
    "QFontDialog": ("getFont",),
}  # fmt: skip


@pytest.fixture(autouse=True)
def no_unexpected_modal(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a GUI test that opens a modal dialog nobody answers, instead of hanging.

    Refuses ``exec()`` and the static helpers (``QMessageBox.warning``,
    ``QInputDialog.getText``, ``QFileDialog.getOpenFileName``…). A test that expects a
    modal uses the ``modal_answers`` fixture to script the answer.
    """
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6 import QtWidgets
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(self: QDialog, *args: object) -> int:
        raise AssertionError(
            f"unexpected modal dialog: {type(self).__name__} {self.windowTitle()!r}"
        )

    def refuse_static(qualname: str) -> object:
        def refused(*args: object, **kwargs: object) -> object:
            raise AssertionError(f"unexpected modal dialog: {qualname}()")

        return staticmethod(refused)

    mp = pytest.MonkeyPatch()
    for cls in (QDialog, QMessageBox, *_print_dialogs()):
        mp.setattr(cls, "exec", refuse)
        mp.setattr(cls, "exec_", refuse)
    for class_name, names in _STATIC_MODALS.items():
        cls = getattr(QtWidgets, class_name)
        for name in names:
            mp.setattr(cls, name, refuse_static(f"{class_name}.{name}"))
    try:
        yield
    finally:
        mp.undo()


def _print_dialogs() -> tuple[type, ...]:
    try:
        from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog
    except ImportError:  # a wheel without print support: nothing to guard
        return ()
    return (QPrintDialog, QPageSetupDialog)


@dataclass
class ModalAnswers:
    """Dialogs that ran ``exec()`` during a test, and the answer each one got."""

    answer: int = 0
    """What ``exec()`` returns; 0 is Rejected (and no button)."""
    seen: list[dict[str, str]] = field(default_factory=list)
    """Per dialog: its class, title, text and informative text, read when it ran."""


@pytest.fixture
def modal_answers(no_unexpected_modal: None) -> Iterator[ModalAnswers]:
    """Let ``exec()`` run for this test: record each dialog and return ``answer``.

    Depends on the guard, so it is set up after it and undone before it.
    """
    from PySide6.QtWidgets import QDialog, QMessageBox

    answers = ModalAnswers()

    def record(self: QDialog, *args: object) -> int:
        entry = {"class": type(self).__name__, "title": self.windowTitle()}
        if isinstance(self, QMessageBox):
            entry |= {"text": self.text(), "informative": self.informativeText()}
        answers.seen.append(entry)
        return answers.answer

    with pytest.MonkeyPatch.context() as mp:
        for cls in (QDialog, QMessageBox):
            mp.setattr(cls, "exec", record)
        yield answers


@dataclass
class LogFile:
    """The program's log file as ``setup_logging`` writes it."""

    path: Path

    def text(self) -> str:
        """Everything logged so far (buffers are flushed first)."""
        import logging

        for handler in logging.getLogger().handlers:
            handler.flush()
        return self.path.read_text(encoding="utf-8") if self.path.exists() else ""


@pytest.fixture
def desk_log(tmp_path: Path) -> Iterator[LogFile]:
    """``desk_app.logs.setup_logging`` into ``tmp_path``; its handlers go again afterwards.

    Without the finaliser the root logger would keep a file handler (and INFO level) for
    every later test.
    """
    import logging

    from desk_app.logs import remove_handlers, setup_logging

    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path / "logs")
    try:
        yield LogFile(path)
    finally:
        remove_handlers()
        root.setLevel(level)
