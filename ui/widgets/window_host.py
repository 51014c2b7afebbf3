"""Keeps the one main window, and replaces it after 注销/切换用户 (issue #8).

Every page holds what its user looked at and typed; the next user must see none of it.
So signing out does not clear pages one by one: a fresh window is built (signed out, it
asks for the next sign-in) and the old one is closed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from ui.main_window import MainWindow
from ui.tasks import Job


class WindowHost(QObject):
    """``window``: the current main window. ``build()`` makes a new, signed-out one."""

    def __init__(self, build: Callable[[], MainWindow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.window: MainWindow | None = None
        self.replaced = 0
        """How many times a window was replaced after a sign-out (for tests)."""

    def open(self, prepare: Job | None = None, title: str = "") -> MainWindow:
        window = self._build()
        window.replaced_on_sign_out = True
        window.signed_out.connect(self._replace)
        self.window = window
        window.start(prepare, title)
        return window

    def _replace(self) -> None:
        old = self.window
        self.open()  # shown before the old one closes: the program does not quit
        self.replaced += 1
        if old is not None:
            old.close()
            old.deleteLater()
