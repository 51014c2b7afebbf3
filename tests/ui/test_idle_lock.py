"""The idle lock (issue #8): after the (here: injected, short) idle time the window is
covered; only the signed-in user's password opens it, and what was typed is still there.
切换用户 signs out and gives the next user a fresh window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.config import AppConfig, load_config
from desk_app.domain.security import Role
from desk_app.services.audit import AuditRow
from desk_app.services.context import SYSTEM
from ui.app import build_main_window
from ui.dialogs.household_dialog import HouseholdDialog
from ui.dialogs.sign_in import SignInDialog
from ui.main_window import MainWindow
from ui.widgets.idle_lock import IdleWatcher, LockScreen
from ui.widgets.window_host import WindowHost

PASSWORD = "hall-window-2026"  # the add_user fixture's (tests/ui/conftest.py)


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    return load_config(str(tmp_path / "t.sqlite3"))


@pytest.fixture
def clerk(signed_out: Services, add_user: Callable[..., None]) -> Services:
    add_user("wangfang", "王芳", Role.CLERK)
    signed_out.users.sign_in("wangfang", PASSWORD)
    return signed_out


def _window(qtbot: QtBot, services: Services, config: AppConfig) -> MainWindow:
    window = build_main_window(services, config)
    qtbot.addWidget(window)
    window.idle_lock.timeout_ms = 300
    return window


def test_idle_lock_covers_the_window_and_keeps_what_was_typed(
    qtbot: QtBot, clerk: Services, config: AppConfig
) -> None:
    window = _window(qtbot, clerk, config)
    window.start()
    assert window.idle_lock.armed
    window.show_page(window.registry_page)
    window.registry_page.search_box.setText("张")
    dialog = window.registry_page.new_household()
    dialog.village_edit.setText("龙宫村")
    dialog.person_form.name_edit.setText("李四")
    assert isinstance(dialog, HouseholdDialog)
    assert dialog.isVisible()

    qtbot.waitUntil(lambda: window.idle_lock.locked, timeout=3000)
    screen = window.idle_lock.screen
    assert isinstance(screen, LockScreen)
    assert screen.isVisible()
    assert screen.who_label.text() == "当前用户：王芳（窗口受理员）"
    assert not dialog.isVisible()  # nothing of the form shows while locked
    assert screen.geometry() == window.geometry()
    assert not window.idle_lock.armed  # no second lock over the first

    QTest.keyClick(screen, Qt.Key.Key_Escape)  # Esc does not leave the lock
    assert screen.isVisible()
    screen.password_edit.setText("not-my-password")
    assert not screen.unlock()
    assert screen.message() == "密码不正确，请重新输入。"
    assert window.idle_lock.locked

    screen.password_edit.setText(PASSWORD)
    QTest.keyClick(screen.password_edit, Qt.Key.Key_Return)
    assert not window.idle_lock.locked
    assert dialog.isVisible()
    assert dialog.village_edit.text() == "龙宫村"
    assert dialog.person_form.name_edit.text() == "李四"
    assert window.registry_page.search_box.text() == "张"
    assert window.idle_lock.armed  # counting again
    actions = [r.action for r in _audit(clerk)]
    assert actions[:2] == ["unlock", "unlock_failed"]


def _audit(services: Services) -> list[AuditRow]:
    saved = services.context.identity
    services.context.identity = SYSTEM
    try:
        return list(services.audit.rows(limit=5))
    finally:
        services.context.identity = saved


def test_input_keeps_the_lock_away(qtbot: QtBot, clerk: Services, config: AppConfig) -> None:
    window = _window(qtbot, clerk, config)
    window.idle_lock.timeout_ms = 600
    window.start()
    for _ in range(6):  # keep typing for longer than the timeout
        qtbot.wait(150)
        QTest.keyClick(window.registry_page.search_box, Qt.Key.Key_A)
    assert not window.idle_lock.locked
    qtbot.waitUntil(lambda: window.idle_lock.locked, timeout=3000)


def test_switch_user_on_the_lock_screen_opens_a_fresh_window(
    qtbot: QtBot, clerk: Services, config: AppConfig
) -> None:
    host = WindowHost(lambda: _window(qtbot, clerk, config))
    window = host.open()
    window.registry_page.search_box.setText("王")
    screen = window.idle_lock.lock()
    screen.switch_button.click()
    assert clerk.context.identity is None
    fresh = host.window
    assert fresh is not None
    assert fresh is not window
    assert not window.isVisible()
    assert fresh.registry_page.search_box.text() == ""  # nothing of the last user's work
    dialog = fresh.sign_in_flow.dialog
    assert isinstance(dialog, SignInDialog)
    assert dialog.isVisible()
    assert dialog.username_edit.text() == ""
    assert fresh.clerk_label.text() == "未登录"
    # The old window's search timer still fires after sign-out: it must not pop
    # "请先登录" boxes over the sign-in dialog.
    window.registry_page.run_search()
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert boxes == []


def test_no_lock_without_a_user(qtbot: QtBot, services: Services, config: AppConfig) -> None:
    """The command line's identity (screenshots, older tests) has no password to ask for."""
    window = _window(qtbot, services, config)
    window.start()
    assert not window.idle_lock.armed
    window.lock_screen()
    assert not window.idle_lock.locked


def test_the_timeout_comes_from_the_parameter(qtbot: QtBot, clerk: Services) -> None:
    watcher = IdleWatcher()
    watcher.start(clerk.users.idle_lock_minutes() * 60_000)
    assert watcher.timeout_ms == 10 * 60_000
    watcher.stop()
    assert not watcher.active
