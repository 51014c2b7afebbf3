"""Qt set-up shared by the UI tests: bundled fonts, Qt's Chinese strings, real services.

Fonts are loaded when the bundled files exist; without them the tests still run (the
widgets do not depend on glyphs), only screenshots would show boxes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.security import Role
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail
from desk_app.services.users import UserInput
from resources import DOCUMENT_FONT_FILE, UI_FONT_FILE
from ui.fonts import apply_ui_font, load_bundled_fonts
from ui.i18n import install_translators

log = logging.getLogger(__name__)

NOW = dt.datetime(2026, 5, 1, 9, 30)
TODAY = NOW.date()


def make_id(first17: str) -> str:
    """A valid 18-character number from its first 17 digits."""
    return first17 + check_character(first17)


@pytest.fixture(scope="session", autouse=True)
def qt_environment(qapp: QApplication) -> QApplication:
    if UI_FONT_FILE.exists() and DOCUMENT_FONT_FILE.exists():
        load_bundled_fonts()
        apply_ui_font(qapp, large=False)
    else:
        log.warning("bundled fonts not built yet; UI tests run with the system font")
    install_translators(qapp)
    return qapp


def fixed_clock() -> dt.datetime:
    return NOW


def fixed_today() -> dt.date:
    return TODAY


@pytest.fixture
def bare_services(tmp_path: Path) -> Iterator[Services]:
    """Services on a new SQLite file, before the first-start dialog has run."""
    services = open_services(sqlite_url(tmp_path / "t.sqlite3"), clock=fixed_clock, identity=SYSTEM)
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def services(bare_services: Services) -> Services:
    bare_services.site.save("中华路街道", "520402102", "社会救助综合服务窗口")
    return bare_services


@pytest.fixture
def household(services: Services) -> HouseholdDetail:
    """户 00001: 张三 (户主, 男, 1980-01-01) in 新华村 3组."""
    return services.households.register(
        HouseholdInput("新华村", "3组"),
        PersonInput("张三", make_id("52040219800101001"), phone="13812345678"),
    )


# --- users and roles (issue #8) -------------------------------------------------------------

PASSWORD = "hall-window-2026"
"""Every test user's password (long enough, not a common one)."""

AddUser = Callable[..., None]


@pytest.fixture
def add_user(services: Services) -> AddUser:
    """Create a user as the command line would; ``must_change=False`` (the default) has the
    user set ``PASSWORD`` themselves, as after their first sign-in. Leaves the identity as
    it was."""

    def add(
        username: str,
        display_name: str,
        role: Role,
        *,
        department_code: str = "",
        must_change: bool = False,
    ) -> None:
        context = services.context
        saved = (context.identity, context.operator.name)
        context.identity = SYSTEM
        temporary = "temporary-" + PASSWORD
        services.users.create(
            UserInput(username, display_name, role, temporary if not must_change else PASSWORD,
                      department_code)
        )  # fmt: skip
        if not must_change:
            services.users.sign_in(username, temporary)
            services.users.change_own_password(temporary, PASSWORD)
            services.users.sign_out()
        context.identity, context.operator.name = saved

    return add


@pytest.fixture
def signed_out(services: Services) -> Services:
    """The services as the window finds them at start: nobody signed in."""
    services.context.identity = None
    services.context.operator.name = ""
    return services
