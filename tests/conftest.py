"""Test-wide safety: offscreen Qt, no real user data, no hanging modal dialogs.

Unit tests of ``desk_app`` must run without PySide6, so nothing here imports Qt at
module level; the Qt fixtures import it lazily.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def no_unexpected_modal(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a GUI test that opens a modal dialog nobody answers, instead of hanging.

    Tests that expect a modal use the ``modal_answers`` fixture to script the answers.
    """
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(self: QDialog, *args: object) -> int:
        raise AssertionError(
            f"unexpected modal dialog: {type(self).__name__} {self.windowTitle()!r}"
        )

    mp = pytest.MonkeyPatch()
    mp.setattr(QDialog, "exec", refuse)
    mp.setattr(QMessageBox, "exec", refuse)
    for name in ("information", "warning", "critical", "question"):
        mp.setattr(QMessageBox, name, staticmethod(lambda *a, _n=name, **k: refuse(QDialog(), _n)))
    try:
        yield
    finally:
        mp.undo()
