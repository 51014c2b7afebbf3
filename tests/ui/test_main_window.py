"""The main window and the registry page, driven through real widgets offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.bootstrap import Services, open_services
from desk_app.config import AppConfig, load_config
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import Relation
from ui.app import build_main_window
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.household_dialog import HouseholdDialog
from ui.fonts import LARGE_POINT_SIZE, NORMAL_POINT_SIZE, load_bundled_fonts
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.models.person_search_model import PERSON_ROW_ROLE


def _id(base17: str) -> str:
    return base17 + check_character(base17)


@pytest.fixture
def config(isolated_home: Path) -> AppConfig:
    return load_config(str(isolated_home / "window.sqlite3"))


@pytest.fixture
def services(config: AppConfig, qapp: QApplication) -> Iterator[Services]:
    load_bundled_fonts()
    install_translators(qapp)
    s = open_services(config.db_url)
    yield s
    s.close()


def _window(qtbot: object, services: Services, config: AppConfig) -> MainWindow:
    window = build_main_window(services, config)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    return window


def _start_active(qtbot: object, window: MainWindow) -> None:
    """Show and activate the window: shortcuts only reach the active window."""
    window.start()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # type: ignore[attr-defined]


def _ready(services: Services, window: MainWindow, clerk: str = "王芳") -> None:
    services.site.save("宁谷镇", "520402102000", "社会救助综合服务窗口")
    window.settings.clerk_name = clerk
    window.refresh_site()


def test_first_start_asks_for_township_window_and_clerk(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    window = _window(qtbot, services, config)
    window.start()
    qtbot.waitUntil(lambda: window.findChild(FirstStartDialog) is not None)  # type: ignore[attr-defined]
    dialog = window.findChild(FirstStartDialog)
    assert dialog is not None
    assert dialog.isVisible()
    dialog.township_edit.setText("宁谷镇")
    dialog.code_edit.setText("520402102000")
    dialog.clerk_edit.setText("王芳")
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.isVisible())  # type: ignore[attr-defined]
    assert services.site.get() is not None
    assert "宁谷镇" in window.site_label.text()
    assert "王芳" in window.clerk_label.text()
    assert services.context.operator.name == "王芳"
    assert window.config.db_label in window.db_label.text()


def test_register_then_find_by_initials_and_id_suffix(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    window = _window(qtbot, services, config)
    _ready(services, window)
    _start_active(qtbot, window)
    page = window.registry_page
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.findChild(HouseholdDialog) is not None)  # type: ignore[attr-defined]
    dialog = page.findChild(HouseholdDialog)
    assert dialog is not None
    dialog.village_edit.setText("龙宫村")
    dialog.group_edit.setText("三组")
    form = dialog.person_form
    assert form is not None
    form.name_edit.setText("张堃")
    number = _id("52040219800101123")
    qtbot.keyClicks(form.id_edit.line_edit, number)  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.panel.detail is not None)  # type: ignore[attr-defined]
    assert page.panel.detail is not None
    assert page.panel.detail.head is not None
    assert page.panel.detail.head.name == "张堃"
    assert page.panel.members.item(0, 4).text() == number[:6] + "********" + number[-4:]

    for query in ("zk", number[-4:]):
        page.search_box.clear()
        qtbot.keyClicks(page.search_box, query)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda q=query: page.model.query == q and page.model.rowCount() == 1)  # type: ignore[attr-defined]
        row = page.model.data(page.model.index(0, 0), PERSON_ROW_ROLE)
        assert row.name == "张堃"


def test_keyboard_only_search_then_open_household(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    window = _window(qtbot, services, config)
    _ready(services, window)
    services.households.register(
        HouseholdInput(village="新场村"),
        PersonInput(name="李秀英", id_number=_id("52040219700505124")),
    )
    _start_active(qtbot, window)
    page = window.registry_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is page.search_box
    qtbot.keyClicks(page.search_box, "lxy")  # type: ignore[attr-defined]
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.panel.detail is not None)  # type: ignore[attr-defined]
    assert page.panel.detail is not None
    assert page.panel.detail.village == "新场村"


def test_two_windows_cannot_overwrite_each_other(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    detail = services.households.register(
        HouseholdInput(village="龙宫村"),
        PersonInput(name="赵文", id_number=_id("52040219650303121")),
    )
    first = _window(qtbot, services, config)
    second = _window(qtbot, services, config)
    for w in (first, second):
        _ready(services, w)
        w.registry_page.show_household(detail.id)
    # The first window opens the edit dialog and starts typing …
    first.registry_page.edit_household()
    dialog_a = first.registry_page.findChild(HouseholdDialog)
    assert dialog_a is not None
    dialog_a.address_edit.setText("龙宫村一组8号")
    # … while the second window saves a change to the same household.
    second.registry_page.edit_household()
    dialog_b = second.registry_page.findChild(HouseholdDialog)
    assert dialog_b is not None
    dialog_b.group_edit.setText("二组")
    qtbot.mouseClick(dialog_b.save_button(), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog_b.isVisible())  # type: ignore[attr-defined]

    qtbot.mouseClick(dialog_a.save_button(), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    )
    box = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    assert "其他窗口修改" in box.text()
    box.close()
    # Nothing was lost: the dialog is still open with what was typed, the DB has B's change.
    assert dialog_a.isVisible()
    assert dialog_a.address_edit.text() == "龙宫村一组8号"
    stored = services.households.get(detail.id)
    assert stored.group_name == "二组"
    assert stored.address == ""


def test_large_font_option_survives_restart(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    window = _window(qtbot, services, config)
    _ready(services, window)
    assert QApplication.font().pointSize() == NORMAL_POINT_SIZE
    window.large_font_action.trigger()
    assert QApplication.font().pointSize() == LARGE_POINT_SIZE
    window.close()
    again = _window(qtbot, services, config)
    assert again.large_font_action.isChecked()
    assert QApplication.font().pointSize() == LARGE_POINT_SIZE
    again.large_font_action.trigger()
    assert QApplication.font().pointSize() == NORMAL_POINT_SIZE


def test_settings_stay_in_the_test_home(
    services: Services, config: AppConfig, isolated_home: Path, qtbot: object
) -> None:
    window = _window(qtbot, services, config)
    assert window.settings.path.is_relative_to(isolated_home)
    assert window.settings.unknown_keys() == []


def test_member_history_shows_masked_numbers_only(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    number = _id("52040219900909123")
    detail = services.households.register(
        HouseholdInput(village="龙宫村"), PersonInput(name="孙犇", id_number=number)
    )
    head = detail.head
    assert head is not None
    services.households.update_person(
        head.id,
        head.version,
        PersonInput(name="孙犇", id_number=_id("52040219900909131")),
        Relation.HEAD,
    )
    window = _window(qtbot, services, config)
    _ready(services, window)
    window.registry_page.show_household(detail.id)
    history = window.registry_page.panel.history
    texts = [history.item(r, c).text() for r in range(history.rowCount()) for c in range(5)]
    assert any("********" in t for t in texts)
    assert not any(number in t for t in texts)
