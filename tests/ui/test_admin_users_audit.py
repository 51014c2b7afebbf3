"""系统设置 → 用户 and 审计 (issue #8), driven as an administrator on a real database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desk_app.bootstrap import Services
from desk_app.domain.security import Role
from desk_app.services.users import SignInError
from ui.pages import admin_audit
from ui.pages.admin_audit import AuditTab, detail_text
from ui.pages.admin_users import UsersTab

PASSWORD = "hall-window-2026"  # the add_user fixture's (tests/ui/conftest.py)


@pytest.fixture
def admin(services: Services, add_user: Callable[..., None]) -> Services:
    add_user("admin", "王管理", Role.ADMIN)
    add_user("wangfang", "王芳", Role.CLERK)
    services.context.identity = None
    services.users.sign_in("admin", PASSWORD)
    return services


def _users_tab(qtbot: QtBot, services: Services) -> UsersTab:
    tab = UsersTab(services)
    qtbot.addWidget(tab)
    tab.show()  # loads when shown
    return tab


def test_users_are_listed_with_role_department_and_state(qtbot: QtBot, admin: Services) -> None:
    tab = _users_tab(qtbot, admin)
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    assert headers == ["用户名", "姓名", "角色", "部门", "状态", "锁定至", "最近登录"]
    rows = [[tab.table.item(r, c).text() for c in range(5)] for r in range(tab.table.rowCount())]
    assert rows == [
        ["admin", "王管理", "管理员", "", "启用"],
        ["wangfang", "王芳", "窗口受理员", "", "启用"],
    ]
    assert tab.table.item(0, 6).text()  # the administrator has signed in


def test_new_department_contact_needs_a_department(qtbot: QtBot, admin: Services) -> None:
    tab = _users_tab(qtbot, admin)
    dialog = tab.new_user()
    assert dialog is not None
    assert [dialog.role_combo.itemText(i) for i in range(dialog.role_combo.count())] == [
        "窗口受理员", "乡镇审核员", "村协理员/儿童主任", "县民政审核员（只读、导出）",
        "部门对接人", "管理员",
    ]  # fmt: skip
    assert not dialog.form.isRowVisible(dialog.department_combo)
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.DEPARTMENT.value))
    assert dialog.form.isRowVisible(dialog.department_combo)
    dialog.username_edit.setText("zhujian")
    dialog.name_edit.setText("赵住建")
    dialog.save_button().click()
    assert dialog.isVisible()
    assert dialog.problem_label.lines() == ["对接部门：请选择部门对接人所在的部门"]
    assert dialog.department_combo.property("invalid")
    names = [dialog.department_combo.itemText(i) for i in range(dialog.department_combo.count())]
    dialog.department_combo.setCurrentIndex(
        next(i for i, n in enumerate(names) if "住房" in n or "住建" in n)
    )
    dialog.save_button().click()
    assert not dialog.isVisible()
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == "zhujian")
    assert tab.table.item(row, 2).text() == "部门对接人"
    assert tab.table.item(row, 3).text()  # the department's name
    assert tab.selected_user() is not None
    assert tab.selected_user().username == "zhujian"
    assert tab.values["password"].text() == "临时密码，下次登录时须修改"


def test_disable_enable_and_reset_password(qtbot: QtBot, admin: Services) -> None:
    tab = _users_tab(qtbot, admin)
    tab.table.selectRow(1)
    assert tab.selected_user().username == "wangfang"  # type: ignore[union-attr]
    assert tab.active_button.text() == "停用(&T)"
    tab.active_button.click()
    assert tab.table.item(1, 4).text() == "已停用"
    assert tab.active_button.text() == "启用(&T)"
    assert "该用户" not in tab.status.text()
    assert "已停用 wangfang" in tab.status.text()
    context = admin.context
    saved = context.identity, context.operator.name
    with pytest.raises(SignInError, match="已停用"):
        admin.users.sign_in("wangfang", PASSWORD)
    context.identity, context.operator.name = saved
    tab.active_button.click()
    assert tab.table.item(1, 4).text() == "启用"

    # Locked out after five wrong passwords: the list shows until when; a reset lifts it.
    for _ in range(5):
        with pytest.raises(SignInError):
            admin.users.sign_in("wangfang", "wrong-wrong-wrong")
    context.identity, context.operator.name = saved
    tab.reload()
    tab.table.selectRow(1)
    assert tab.table.item(1, 5).text() == "2026-05-01 09:45"
    dialog = tab.reset_password()
    assert dialog is not None
    temporary = dialog.password_text
    assert len(temporary) == 14
    dialog.save_button().click()
    assert not dialog.isVisible()
    assert tab.table.item(1, 5).text() == ""
    assert tab.values["password"].text() == "临时密码，下次登录时须修改"
    admin.users.sign_in("wangfang", temporary)
    me = admin.users.current_user()
    assert me is not None
    assert me.must_change


def test_the_administrator_cannot_disable_themselves(qtbot: QtBot, admin: Services) -> None:
    tab = _users_tab(qtbot, admin)
    tab.table.selectRow(0)
    assert tab.toggle_active() is None  # the service refuses; the box says why
    assert tab.table.item(0, 4).text() == "启用"


# --- 审计 ------------------------------------------------------------------------------------


def _audit_tab(qtbot: QtBot, services: Services) -> AuditTab:
    tab = AuditTab(services)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_audit_rows_newest_first_with_filters_and_paging(
    qtbot: QtBot, admin: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = _audit_tab(qtbot, admin)
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    assert headers == ["时间", "操作人", "角色", "操作", "对象", "编号", "内容"]
    assert tab.table.rowCount() == len(tab.rows) > 5
    first = [tab.table.item(0, c).text() for c in range(1, 5)]
    assert first == ["admin", "管理员", "登录", "用户"]  # the newest: this sign-in
    assert tab.rows == sorted(tab.rows, key=lambda r: -r.id)

    tab.action_combo.setCurrentIndex(tab.action_combo.findData("sign_in"))
    tab.search_button.click()
    assert {tab.table.item(r, 3).text() for r in range(tab.table.rowCount())} == {"登录"}
    tab.actor_edit.setText("wangfang")
    tab.search_button.click()
    assert [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())] == ["wangfang"]
    tab.set_dates(
        admin.context.today().replace(year=2020), admin.context.today().replace(year=2020)
    )
    tab.search_button.click()
    assert tab.table.rowCount() == 0
    assert tab.count_label.text() == "已显示 0 条"

    # Keyset paging: 3 at a time, each page before the last row shown.
    monkeypatch.setattr(admin_audit, "PAGE_SIZE", 3)
    tab.date_check.setChecked(False)
    tab.actor_edit.clear()
    tab.action_combo.setCurrentIndex(0)
    tab.search_button.click()
    assert tab.table.rowCount() == 3
    assert tab.more_button.isEnabled()
    assert "还有更早的记录" in tab.count_label.text()
    before = tab.rows[-1].id
    assert tab.load_more() == 3
    assert all(r.id < before for r in tab.rows[3:])
    while tab.load_more():
        pass
    assert not tab.more_button.isEnabled()
    with admin.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert len(tab.rows) == total


def test_verify_reports_an_intact_chain_and_then_a_tampered_row(
    qtbot: QtBot, admin: Services, tmp_path: Path
) -> None:
    tab = _audit_tab(qtbot, admin)
    tab.verify_button.click()
    qtbot.waitUntil(lambda: tab.result is not None, timeout=10_000)
    assert tab.result is not None
    total = tab.result.rows
    assert tab.verify_label.text() == f"审计链完整，共 {total} 条"

    tampered = tab.rows[len(tab.rows) // 2].id
    conn = sqlite3.connect(tmp_path / "t.sqlite3")
    with conn:
        conn.execute("UPDATE audit_log SET actor = 'someone' WHERE id = ?", (tampered,))
    conn.close()
    tab.verify()
    qtbot.waitUntil(lambda: tab.result is not None, timeout=10_000)
    assert tab.result is not None
    assert tab.result.first_broken == tampered
    assert tab.verify_label.text().startswith(f"第 {tampered} 条记录起被改动或删除")


def test_detail_text_reads_old_and_new_in_chinese() -> None:
    assert detail_text('{"name": ["张*", "李*"], "village": "红星村"}') == (
        "姓名：张* → 李*；村（社区）：红星村"
    )
    assert detail_text('{"field": "id_number"}') == "field：id_number"
    assert detail_text("") == ""
