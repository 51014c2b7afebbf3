"""``users.current_user()``: the signed-in user's own row, for the window after sign-in
(must the password be changed first?)."""

from __future__ import annotations

import pytest

from desk_app.bootstrap import Services
from desk_app.domain.security import Role
from desk_app.errors import PermissionDeniedError
from desk_app.services.context import SYSTEM
from desk_app.services.users import UserInput

PASSWORD = "hall-window-2026"


def test_current_user_tells_whether_the_password_must_be_changed(services: Services) -> None:
    services.context.identity = None
    with pytest.raises(PermissionDeniedError, match="请先登录"):
        services.users.current_user()
    services.users.create_first_admin(UserInput("admin", "王管理", Role.ADMIN, PASSWORD))
    services.users.sign_in("admin", PASSWORD)
    me = services.users.current_user()
    assert me is not None
    assert (me.username, me.display_name, me.role, me.must_change) == (
        "admin", "王管理", Role.ADMIN, False,
    )  # fmt: skip
    services.users.create(UserInput("wangfang", "王芳", Role.CLERK, "temporary-pass-77"))
    services.users.sign_out()

    services.users.sign_in("wangfang", "temporary-pass-77")
    me = services.users.current_user()
    assert me is not None
    assert me.role is Role.CLERK
    assert me.must_change
    services.users.change_own_password("temporary-pass-77", "a-new-and-long-one-88")
    me = services.users.current_user()
    assert me is not None
    assert not me.must_change


def test_the_command_line_has_no_user_row(services: Services) -> None:
    services.context.identity = SYSTEM
    assert services.users.current_user() is None
