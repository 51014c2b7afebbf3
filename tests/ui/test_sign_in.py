"""The window opens signed out (issue #8): the first administrator, then the site; the
sign-in dialog with the service's messages and the lockout; a temporary password changed
before work starts; 注销/切换用户 gives the next user a fresh window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.config import AppConfig, load_config
from desk_app.domain.security import Role
from desk_app.services.users import UserInput
from ui.app import build_main_window
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.sign_in import ChangePasswordDialog, FirstAdminDialog, SignInDialog
from ui.main_window import MainWindow
from ui.widgets.window_host import WindowHost

PASSWORD = "hall-window-2026"  # the add_user fixture's (tests/ui/conftest.py)
AddUser = Callable[..., None]


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    return load_config(str(tmp_path / "t.sqlite3"))


def _window(qtbot: QtBot, services: Services, config: AppConfig) -> MainWindow:
    window = build_main_window(services, config)
    qtbot.addWidget(window)
    return window


def test_first_start_creates_the_administrator_then_the_site(
    qtbot: QtBot, bare_services: Services, config: AppConfig
) -> None:
    services = bare_services
    services.context.identity = None  # as ui.app opens them
    window = _window(qtbot, services, config)
    window.start()
    dialog = window.sign_in_flow.dialog
    assert isinstance(dialog, FirstAdminDialog)
    assert dialog.isVisible()
    rules = dialog.findChild(QLabel, "passwordRules")
    assert rules is not None
    assert "至少8个字符" in rules.text()

    # Every problem names its field, and nothing is created.
    dialog.username_edit.setText("王")
    dialog.password_edit.setText("short")
    dialog.confirm_edit.setText("short")
    assert not dialog.create_admin()
    lines = dialog.problem_label.lines()
    assert [line.split("：")[0] for line in lines] == ["用户名", "姓名", "密码"]
    assert not services.users.has_users()
    dialog.username_edit.setText("wangguan")
    dialog.name_edit.setText("王管理")
    dialog.password_edit.setText(PASSWORD)
    dialog.confirm_edit.setText(PASSWORD + "x")
    assert not dialog.create_admin()
    assert dialog.problem_label.lines() == ["确认密码：两次输入的密码不一致，请重新输入"]
    assert dialog.confirm_edit.property("invalid")

    dialog.confirm_edit.setText(PASSWORD)
    dialog.create_button.click()
    identity = services.context.identity
    assert identity is not None
    assert identity.role is Role.ADMIN
    assert window.clerk_label.text() == "当前用户：王管理（管理员）"

    # Then the site, which the new administrator may save (it needs 系统设置).
    qtbot.waitUntil(lambda: window.findChild(FirstStartDialog) is not None)
    site = window.findChild(FirstStartDialog)
    assert site is not None
    assert site.isVisible()
    assert site.clerk_edit.text() == "王管理"
    site.township_edit.setText("宁谷镇")
    site.code_edit.setText("520402102000")
    site.save_button().click()
    assert not site.isVisible()
    stored = services.site.get()
    assert stored is not None
    assert stored.township_name == "宁谷镇"
    assert not window.needs_setup


def test_wrong_password_shows_the_message_and_five_lock_the_account(
    qtbot: QtBot, signed_out: Services, config: AppConfig
) -> None:
    signed_out.users.create_first_admin(UserInput("admin", "王管理", Role.ADMIN, PASSWORD))
    window = _window(qtbot, signed_out, config)
    window.start()
    dialog = window.sign_in_flow.dialog
    assert isinstance(dialog, SignInDialog)
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText("not-the-password")
    dialog.sign_in_button.click()
    assert dialog.isVisible()
    assert dialog.message() == "用户名或密码不正确。"
    assert dialog.password_edit.text() == ""
    for _ in range(3):
        dialog.password_edit.setText("not-the-password")
        assert not dialog.sign_in()
    assert "锁定" not in dialog.message()
    dialog.password_edit.setText("not-the-password")
    assert not dialog.sign_in()  # the fifth
    assert "密码错误次数过多，账号已锁定至 09:45" in dialog.message()
    dialog.password_edit.setText(PASSWORD)  # even the right one, until then
    assert not dialog.sign_in()
    assert "已锁定" in dialog.message()
    assert signed_out.context.identity is None
    assert not window.registry_page.search_box.text()


def test_enter_signs_in_and_the_window_opens_for_the_user(
    qtbot: QtBot, signed_out: Services, config: AppConfig, add_user: AddUser
) -> None:
    add_user("wangfang", "王芳", Role.CLERK)
    window = _window(qtbot, signed_out, config)
    window.start()
    dialog = window.sign_in_flow.dialog
    assert isinstance(dialog, SignInDialog)
    dialog.username_edit.setText("wangfang")
    dialog.password_edit.setText(PASSWORD)
    QTest.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: signed_out.context.identity is not None)
    assert not dialog.isVisible()
    assert window.clerk_label.text() == "当前用户：王芳（窗口受理员）"
    assert signed_out.context.operator.name == "王芳"
    assert window.sign_out_button.isVisible()
    assert window.idle_lock.armed
    assert [a.text() for a in window.menuBar().actions()[0].menu().actions()][:3] == [
        "锁定屏幕(&L)", "修改密码(&P)…", "注销/切换用户(&U)",
    ]  # fmt: skip


def test_a_user_created_by_the_administrator_changes_the_password_first(
    qtbot: QtBot, signed_out: Services, config: AppConfig
) -> None:
    services = signed_out
    services.users.create_first_admin(UserInput("admin", "王管理", Role.ADMIN, PASSWORD))
    services.users.sign_in("admin", PASSWORD)
    host = WindowHost(lambda: _window(qtbot, services, config))
    window = host.open()
    window.show_page(window.admin_page)
    tabs = window.admin_page.tabs
    tabs.setCurrentWidget(window.admin_page.users_tab)
    users_tab = window.admin_page.users_tab
    dialog = users_tab.new_user()
    assert dialog is not None
    dialog.username_edit.setText("lina")
    dialog.name_edit.setText("李娜")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.REVIEWER.value))
    temporary = dialog.password_text
    dialog.save_button().click()
    assert not dialog.isVisible()
    assert users_tab.table.rowCount() == 2

    # 注销: a fresh window asks who is there; the new user must set their own password.
    window.sign_out_action.trigger()
    assert host.replaced == 1
    fresh = host.window
    assert fresh is not None
    assert fresh is not window
    assert services.context.identity is None
    sign_in = fresh.sign_in_flow.dialog
    assert isinstance(sign_in, SignInDialog)
    sign_in.username_edit.setText("lina")
    sign_in.password_edit.setText(temporary)
    assert sign_in.sign_in()
    change = fresh.sign_in_flow.dialog
    assert isinstance(change, ChangePasswordDialog)
    assert change.forced
    assert change.cancel_button.text() == "注销"
    change.old_edit.setText(temporary)
    change.new_edit.setText("12345678")
    change.confirm_edit.setText("12345678")
    assert not change.change()
    assert change.problem_label.lines()[0].startswith("新密码：")
    change.new_edit.setText("my-own-long-passphrase")
    change.confirm_edit.setText("my-own-long-passphrase")
    change.save_button.click()
    assert fresh.sign_in_flow.dialog is None
    me = services.users.current_user()
    assert me is not None
    assert me.username == "lina"
    assert not me.must_change
    assert fresh.clerk_label.text() == "当前用户：李娜（乡镇审核员）"


def test_leaving_the_forced_change_signs_out_again(
    qtbot: QtBot, signed_out: Services, config: AppConfig, add_user: AddUser
) -> None:
    add_user("lina", "李娜", Role.REVIEWER, must_change=True)
    window = _window(qtbot, signed_out, config)
    window.start()
    dialog = window.sign_in_flow.dialog
    assert isinstance(dialog, SignInDialog)
    dialog.username_edit.setText("lina")
    dialog.password_edit.setText(PASSWORD)
    assert dialog.sign_in()
    change = window.sign_in_flow.dialog
    assert isinstance(change, ChangePasswordDialog)
    change.cancel_button.click()
    assert signed_out.context.identity is None
    again = window.sign_in_flow.dialog
    assert isinstance(again, SignInDialog)
    assert again.isVisible()
    assert again.username_edit.text() == "lina"


def test_quit_on_the_sign_in_dialog_closes_the_window(
    qtbot: QtBot, signed_out: Services, config: AppConfig, add_user: AddUser
) -> None:
    add_user("wangfang", "王芳", Role.CLERK)
    window = _window(qtbot, signed_out, config)
    window.start()
    dialog = window.sign_in_flow.dialog
    assert isinstance(dialog, SignInDialog)
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible())
