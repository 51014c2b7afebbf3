"""Screenshots of sign-in, users, the idle lock and the audit trail (issue #8), for
``scripts/screenshots.py``.

The main script opens the window as the command line (``SYSTEM``), which may do
everything; these shots add fictional users on the demo database, sign one in for the
lock screen, and give the window back to ``SYSTEM`` afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.security import Role
from desk_app.services.context import SYSTEM
from desk_app.services.users import SignInError, UserInput
from ui.dialogs.sign_in import ChangePasswordDialog, FirstAdminDialog, SignInDialog
from ui.dialogs.user_dialogs import NewUserDialog
from ui.main_window import MainWindow

Shot = tuple[str, Callable[[], QWidget]]
PASSWORD = "demo-window-2026"


def user_shots(
    app: QApplication,
    window: MainWindow,
    services: Services,
    opened: Callable[[QApplication, type[Any], Callable[[], object]], Any],
    close_dialogs: Callable[[QApplication], None],
    settle: Callable[..., None],
) -> list[Shot]:
    admin_page = window.admin_page
    registry = window.registry_page
    panel = registry.panel

    def add_users() -> None:
        for username, name, role, department in (
            ("admin", "周建国", Role.ADMIN, ""), ("wangfang", "王芳", Role.CLERK, ""),
            ("lina", "李娜", Role.REVIEWER, ""), ("chenjing", "陈静", Role.VILLAGE, ""),
            ("xianmz", "杨县审", Role.COUNTY, ""), ("zhujian", "赵住建", Role.DEPARTMENT, "housing"),
            ("liuqiang", "刘强", Role.CLERK, ""),
        ):  # fmt: skip
            services.users.create(UserInput(username, name, role, PASSWORD, department))
        for username in ("admin", "wangfang", "lina", "zhujian"):
            services.users.sign_in(username, PASSWORD)
            services.users.change_own_password(PASSWORD, PASSWORD + "!")
        for _ in range(5):  # 刘强 forgot his password: locked for a while
            with contextlib.suppress(SignInError):
                services.users.sign_in("liuqiang", "wrong-password")
        back_to_system()
        chen = next(u for u in services.users.users() if u.username == "chenjing")
        services.users.set_active(chen.id, False, chen.version)

    def back_to_system() -> None:
        services.context.identity = SYSTEM
        services.context.operator.name = "王芳"

    def first_admin() -> QWidget:
        close_dialogs(app)
        dialog = opened(
            app, FirstAdminDialog, lambda: FirstAdminDialog(services.users, window).open()
        )
        dialog.username_edit.setText("zhoujg")
        dialog.name_edit.setText("周建国")
        dialog.password_edit.setText("窗口123")
        dialog.confirm_edit.setText("窗口123")
        dialog.create_admin()  # too short: the rule is shown against the field
        return dialog

    def sign_in() -> QWidget:
        close_dialogs(app)
        add_users()
        dialog = opened(app, SignInDialog, lambda: SignInDialog(services.users, window).open())
        dialog.username_edit.setText("wangfang")
        dialog.password_edit.setText("wrong-password")
        dialog.sign_in()
        back_to_system()
        return dialog

    def change_password() -> QWidget:
        close_dialogs(app)
        return opened(
            app,
            ChangePasswordDialog,
            lambda: ChangePasswordDialog(services.users, window, forced=True).open(),
        )

    def users_tab() -> QWidget:
        close_dialogs(app)
        window.show_page(admin_page)
        admin_page.tabs.setCurrentWidget(admin_page.users_tab)
        admin_page.users_tab.reload()
        admin_page.users_tab.table.selectRow(5)
        return window

    def new_user() -> QWidget:
        dialog: NewUserDialog = opened(app, NewUserDialog, admin_page.users_tab.new_user)
        dialog.username_edit.setText("sunli")
        dialog.name_edit.setText("孙丽")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.DEPARTMENT.value))
        dialog.department_combo.setCurrentIndex(2)
        return dialog

    def audit_tab() -> QWidget:
        close_dialogs(app)
        window.show_page(admin_page)
        admin_page.tabs.setCurrentWidget(admin_page.audit_tab)
        tab = admin_page.audit_tab
        tab.reload()
        tab.verify()
        for _ in range(100):
            if tab.result is not None:
                break
            settle(app, 50)
        return window

    def reveal() -> QWidget:
        close_dialogs(app)
        window.show_page(registry)
        registry.search_box.setText("王")
        registry.run_search()
        registry.table.selectRow(3)
        settle(app, 100)
        panel.members.selectRow(0)
        panel.member_numbers.button.click()
        return window

    def lock_screen() -> QWidget:
        close_dialogs(app)
        window.show_page(registry)
        registry.edit_member(panel.selected_member().id if panel.selected_member() else 0)
        services.users.sign_in("wangfang", PASSWORD + "!")
        screen = window.idle_lock.lock()
        settle(app, 200)
        return screen

    def after_lock() -> QWidget:
        """Unlocked: the dialog open before the lock is back, as it was."""
        screen = window.idle_lock.screen
        if screen is not None:
            screen.password_edit.setText(PASSWORD + "!")
            screen.unlock()
        back_to_system()
        panel.member_numbers.revealer.remask()
        return window

    def near_relative_flag() -> QWidget:
        """The household page flags a 近亲属备案 filing (issue #8)."""
        from desk_app.services.near_relatives import NearRelativeInput  # noqa: PLC0415

        close_dialogs(app)
        back_to_system()
        window.show_page(registry)
        detail = panel.detail
        if detail is not None and not services.near_relatives.entries(detail.id):
            services.near_relatives.record(
                NearRelativeInput(detail.id, detail.members[0].id, "刘德明", "村委会主任", "叔侄")
            )
            registry.show_household(detail.id)
        return window

    def about_box() -> QWidget:
        close_dialogs(app)
        return window.show_about()

    return [
        ("first-admin", first_admin),
        ("sign-in", sign_in),
        ("change-password", change_password),
        ("admin-users", users_tab),
        ("new-user-dialog", new_user),
        ("admin-audit", audit_tab),
        ("registry-show-full", reveal),
        ("lock-screen", lock_screen),
        ("after-unlock", after_lock),
        ("registry-near-relative", near_relative_flag),
        ("about", about_box),
    ]
