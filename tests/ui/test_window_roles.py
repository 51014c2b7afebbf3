"""The window adapts to the signed-in role (issue #8), and the services refuse anyway:
a greyed page or button names the missing permission; a refusal that reaches the window
is shown as 没有权限."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.config import AppConfig, load_config
from desk_app.domain.security import Role
from desk_app.errors import PermissionDeniedError
from desk_app.services.dto import HouseholdDetail
from desk_app.services.intake import IntakeInput, MatterChoice
from ui.app import build_main_window
from ui.errors import describe, show_error
from ui.main_window import MainWindow

PASSWORD = "hall-window-2026"  # the add_user fixture's (tests/ui/conftest.py)


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    return load_config(str(tmp_path / "t.sqlite3"))


def _signed_in_window(
    qtbot: QtBot,
    services: Services,
    config: AppConfig,
    add_user: Callable[..., None],
    role: Role,
    **user: str,
) -> MainWindow:
    add_user("someone", "王芳", role, **user)
    services.context.identity = None
    services.users.sign_in("someone", PASSWORD)
    window = build_main_window(services, config)
    qtbot.addWidget(window)
    window.start()
    return window


def _nav_enabled(window: MainWindow, page: object) -> bool:
    item = window.nav.item(window.pages.indexOf(page))  # type: ignore[arg-type]
    return bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)


def test_a_clerk_sees_no_settings_and_no_users_tab(
    qtbot: QtBot, services: Services, config: AppConfig, add_user: Callable[..., None]
) -> None:
    window = _signed_in_window(qtbot, services, config, add_user, Role.CLERK)
    assert _nav_enabled(window, window.intake_page)
    assert not _nav_enabled(window, window.admin_page)
    item = window.nav.item(window.pages.indexOf(window.admin_page))
    assert item.toolTip() == "需要“系统设置”权限（当前角色：窗口受理员）"
    window.show_page(window.admin_page)  # Ctrl+7 does not open it either
    assert window.pages.currentWidget() is not window.admin_page
    assert not window.go_actions[window.pages.indexOf(window.admin_page)].isEnabled()
    tabs = window.admin_page.tabs
    assert not tabs.isTabVisible(tabs.indexOf(window.admin_page.users_tab))
    assert not tabs.isTabVisible(tabs.indexOf(window.admin_page.audit_tab))
    assert window.intake_page.save_button.isEnabled()
    assert not window.site_action.isEnabled()


def test_an_administrator_sees_the_users_and_audit_tabs(
    qtbot: QtBot, services: Services, config: AppConfig, add_user: Callable[..., None]
) -> None:
    window = _signed_in_window(qtbot, services, config, add_user, Role.ADMIN)
    assert _nav_enabled(window, window.admin_page)
    tabs = window.admin_page.tabs
    assert all(tabs.isTabVisible(i) for i in range(tabs.count()))
    assert [tabs.tabText(i) for i in range(5, 7)] == ["用户(&6)", "审计(&7)"]
    # An administrator does not register households or take intakes.
    assert not window.intake_page.save_button.isEnabled()
    assert not window.new_household_action.isEnabled()


def test_a_county_user_cannot_save_an_intake(
    qtbot: QtBot,
    services: Services,
    config: AppConfig,
    add_user: Callable[..., None],
    household: HouseholdDetail,
) -> None:
    window = _signed_in_window(qtbot, services, config, add_user, Role.COUNTY)
    button = window.intake_page.save_button
    assert not button.isEnabled()
    assert button.toolTip() == "需要“窗口受理”权限（当前角色：县民政审核员（只读、导出））"
    button.setEnabled(True)  # the page re-enabling it after a change does not undo the gate
    assert not button.isEnabled()
    # … and the service refuses whatever the window shows.
    with pytest.raises(PermissionDeniedError) as refused:
        services.intake.save(IntakeInput(household.id, (MatterChoice("dibao"),)))
    title, text, icon = describe(refused.value)
    assert title == "没有权限"
    assert (
        text == "您的角色（县民政审核员（只读、导出））没有“窗口受理”权限。如需办理，请联系管理员。"
    )
    assert icon is QMessageBox.Icon.Warning
    box = show_error(window, refused.value)
    assert box is not None
    assert box.windowTitle() == "没有权限"
    box.close()
    panel = window.registry_page.panel
    assert not panel.add_member_button.isEnabled()
    window.registry_page.show_household(household.id)
    assert not panel.edit_household_button.isEnabled()  # still, after a household is shown


def test_a_department_contact_starts_on_the_queue(
    qtbot: QtBot, services: Services, config: AppConfig, add_user: Callable[..., None]
) -> None:
    window = _signed_in_window(
        qtbot, services, config, add_user, Role.DEPARTMENT, department_code="housing"
    )
    assert window.pages.currentWidget() is window.queue_page
    for page in (window.intake_page, window.registry_page, window.notice_page):
        assert not _nav_enabled(window, page)
    assert _nav_enabled(window, window.queue_page)
    buttons = window.queue_page.detail_panel.action_buttons
    names = {action.value: b for action, b in buttons.items()}
    assert "需要“办理转介" in names["send"].toolTip()
    assert names["complete"].toolTip() == ""  # a department replies
