"""The main window and the registry page, driven through real widgets offscreen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.config import AppConfig, load_config
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import DisabilityCategory, HouseholdCategory, Relation
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail
from ui.app import build_main_window
from ui.dialogs.category_dialog import CategoryDialog, EndCategoryDialog
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.household_dialog import HouseholdDialog
from ui.fonts import LARGE_POINT_SIZE, NORMAL_POINT_SIZE, load_bundled_fonts
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.models.person_search_model import PERSON_ROW_ROLE
from ui.pages.registry_page import RegistryPage


def _id(base17: str) -> str:
    return base17 + check_character(base17)


@pytest.fixture
def config(isolated_home: Path) -> AppConfig:
    return load_config(str(isolated_home / "window.sqlite3"))


@pytest.fixture
def services(config: AppConfig, qapp: QApplication) -> Iterator[Services]:
    load_bundled_fonts()
    install_translators(qapp)
    s = open_services(config.db_url, identity=SYSTEM)
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


def _visible_box(qtbot: object) -> QMessageBox:
    """The message box that opens (window-modal, with ``open()``) after an action."""

    def shown() -> list[QMessageBox]:
        widgets = QApplication.topLevelWidgets()
        return [w for w in widgets if isinstance(w, QMessageBox) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()))  # type: ignore[attr-defined]
    return shown()[0]


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
    # The window opens on 窗口受理, where Ctrl+F searches that page's household box.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is window.intake_page.search_box
    # Ctrl+2 goes to 户籍与成员; Ctrl+F there focuses its own search box.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    page = window.registry_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is page.search_box
    qtbot.keyClicks(page.search_box, "lxy")  # type: ignore[attr-defined]
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.panel.detail is not None)  # type: ignore[attr-defined]
    assert page.panel.detail is not None
    assert page.panel.detail.village == "新场村"


def test_suggestion_keys_and_navigation_keys_both_work_in_the_window(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    """Ctrl+digit navigates, Ctrl+Alt+digit picks a suggestion: one key, one meaning
    (two shortcuts on one key make Qt do nothing at all)."""
    window = _window(qtbot, services, config)
    _ready(services, window)
    detail = services.households.register(
        HouseholdInput(village="新场村"),
        PersonInput(name="王五", id_number=_id("52040219900101003"), mental_disorder=True),
    )
    _start_active(qtbot, window)
    page = window.intake_page
    page.pick_household(detail.id)
    qtbot.waitUntil(lambda: bool(page.suggestion_buttons()))  # type: ignore[attr-defined]
    alt_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window, Qt.Key.Key_1, alt_ctrl)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.picker.chosen() == ["disability_certificate_new"])  # type: ignore[attr-defined]
    assert window.pages.currentWidget() is page
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.registry_page)  # type: ignore[attr-defined]


def test_two_windows_cannot_overwrite_each_other(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    services.site.save("宁谷镇", "520402102000", "社会救助综合服务窗口")
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
    box = _visible_box(qtbot)
    assert "其他窗口修改" in box.text()
    box.close()
    # Nothing was lost: the dialog is still open with what was typed, the DB has B's change.
    assert dialog_a.isVisible()
    assert dialog_a.address_edit.text() == "龙宫村一组8号"
    stored = services.households.get(detail.id)
    assert stored.group_name == "二组"
    assert stored.address == ""
    assert first.registry_page.panel.detail is not None
    assert first.registry_page.panel.detail.group_name != "二组"  # still what A saw

    # Saving again offers 重新载入: the dialog closes and A's page shows B's change.
    qtbot.mouseClick(dialog_a.save_button(), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    box = _visible_box(qtbot)
    reload_button = box.button(QMessageBox.StandardButton.Retry)
    assert reload_button is not None
    assert reload_button.text() == "重新载入"
    qtbot.mouseClick(reload_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog_a.isVisible())  # type: ignore[attr-defined]
    shown = first.registry_page.panel.detail
    assert shown is not None
    assert (shown.group_name, shown.version) == ("二组", stored.version)


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
    services.site.save("宁谷镇", "520402102000", "社会救助综合服务窗口")
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


# ------------------------------------------------------------------ registry page
CLOCK = dt.datetime(2026, 5, 1, 9, 30)
"""The services' clock in the page tests; deliberately not the machine's date."""


@pytest.fixture
def clocked(config: AppConfig, qapp: QApplication) -> Iterator[Services]:
    """Services on a fixed clock, with the window's identity already set."""
    install_translators(qapp)
    s = open_services(config.db_url, clock=lambda: CLOCK, identity=SYSTEM)
    s.site.save("宁谷镇", "520402102000", "社会救助综合服务窗口")
    yield s
    s.close()


@pytest.fixture
def page(qtbot: QtBot, clocked: Services) -> RegistryPage:
    page = RegistryPage(clocked)
    qtbot.addWidget(page)
    page.show()
    return page


def _family(services: Services) -> HouseholdDetail:
    """户主 孙犇 and his son, with one open and one ended category."""
    detail = services.households.register(
        HouseholdInput(village="龙宫村"), PersonInput("孙犇", _id("52040219800101123"))
    )
    services.households.add_member(
        detail.id, PersonInput("孙小犇", _id("52040220100202123")), Relation.SON
    )
    services.households.add_category(
        detail.id, HouseholdCategory.MONITORED, dt.date(2026, 3, 1), dt.date(2026, 6, 30)
    )
    return services.households.add_category(
        detail.id, HouseholdCategory.DIBAO_B, dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )


def _select_category(page: RegistryPage, category: HouseholdCategory) -> None:
    table = page.panel.categories
    label = category.label
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == label)
    table.selectRow(row)


def _cancel(dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Cancel).click()


def _flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_every_registry_dialog_is_deleted_after_it_closes(
    qtbot: QtBot, page: RegistryPage, clocked: Services
) -> None:
    detail = clocked.households.add_category(
        _family(clocked).id, HouseholdCategory.LOW_INCOME, dt.date(2026, 1, 1)
    )
    page.show_household(detail.id)
    _head, son = detail.members
    _select_category(page, HouseholdCategory.LOW_INCOME)
    record = page.panel.selected_category()
    assert record is not None
    openers: dict[str, Callable[[], QDialog | None]] = {
        "new_household": page.new_household,
        "edit_household": page.edit_household,
        "add_member": page.add_member,
        "edit_member": lambda: page.edit_member(son.id),
        "move_member": lambda: page.move_member(son.id),
        "change_head": lambda: page.change_head(son.id),
        "add_category": page.add_category,
        "end_category": lambda: page.end_category(record.id),
    }
    for name, opener in openers.items():
        for _ in range(5):
            dialog = opener()
            assert dialog is not None, name
            assert dialog.isVisible(), name
            _cancel(dialog)
        _flush_deletes()
        assert page.findChildren(QDialog) == [], name
    # A dialog whose result is used is deleted too, after the page has read it.
    dialog = page.add_category()
    assert isinstance(dialog, CategoryDialog)
    dialog.category_combo.set_value(HouseholdCategory.DISASTER)
    dialog.start_edit.setDate(QDate(2025, 1, 1))
    dialog.end_check.setChecked(True)
    dialog.end_edit.setDate(QDate(2025, 2, 1))
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)
    _flush_deletes()
    assert page.findChildren(QDialog) == []
    assert page.panel.detail is not None
    assert len(page.panel.detail.categories) == 4


def test_end_category_asks_the_date_and_only_open_records_end(
    qtbot: QtBot, page: RegistryPage, clocked: Services
) -> None:
    detail = clocked.households.add_category(
        _family(clocked).id, HouseholdCategory.LOW_INCOME, dt.date(2026, 1, 1)
    )
    page.show_household(detail.id)
    button = page.panel.end_category_button
    _select_category(page, HouseholdCategory.DIBAO_B)  # ended 2025-12-31
    assert not button.isEnabled()
    _select_category(page, HouseholdCategory.LOW_INCOME)  # open
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(EndCategoryDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.end_date() == CLOCK.date()  # the services' today, not the machine's
    dialog.end_edit.setDate(QDate(2026, 4, 30))
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = {c.category: c for c in clocked.households.get(detail.id).categories}
    assert stored["low_income"].end_date == dt.date(2026, 4, 30)
    _select_category(page, HouseholdCategory.LOW_INCOME)
    assert not button.isEnabled()  # ended now: the button cannot end it again
    assert page.end_category(stored["low_income"].id) is None


def test_page_and_dialogs_use_the_services_clock(
    qtbot: QtBot, page: RegistryPage, clocked: Services
) -> None:
    detail = _family(clocked)
    page.show_household(detail.id)
    table = page.panel.categories
    colours = {
        table.item(r, 0).text(): table.item(r, 0).foreground().color()
        for r in range(table.rowCount())
    }
    # 2026-03-01 — 2026-06-30 is active on the services' 2026-05-01, whatever the machine says.
    assert colours[HouseholdCategory.MONITORED.label] != QColor(Qt.GlobalColor.gray)
    assert colours[HouseholdCategory.DIBAO_B.label] == QColor(Qt.GlobalColor.gray)

    registering = page.new_household()
    assert registering.person_form is not None
    registering.person_form.id_edit.set_value(_id("52040219800801123"))
    assert registering.person_form.id_edit.hint_text() == "男 · 1980-08-01 · 45岁"
    _cancel(registering)
    adding = page.add_member()
    assert adding is not None
    adding.form.id_edit.set_value(_id("52040219800801123"))
    assert adding.form.id_edit.hint_text().endswith("45岁")
    _cancel(adding)
    category = page.add_category()
    assert category is not None
    assert category.start_edit.date() == QDate(2026, 5, 1)
    _cancel(category)


def test_village_completer_offers_every_registered_village(
    qtbot: QtBot, page: RegistryPage, clocked: Services
) -> None:
    for village, number in (("龙宫村", "52040219800101123"), ("东门社区", "52040219810101123")):
        clocked.households.register(
            HouseholdInput(village=village), PersonInput("王芳", _id(number))
        )
    page.search_box.setText("zzz")  # the loaded search rows show none of them
    page.run_search()
    assert page.model.rowCount() == 0
    dialog = page.new_household()
    completer = dialog.village_edit.completer()
    model = completer.model()
    offered = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert offered == list(clocked.households.villages()) == ["东门社区", "龙宫村"]
    _cancel(dialog)


def test_history_and_remarks_read_as_labels(
    qtbot: QtBot, page: RegistryPage, clocked: Services
) -> None:
    detail = _family(clocked)
    son = detail.members[1]
    clocked.households.update_person(
        son.id,
        son.version,
        PersonInput(
            "孙小犇", None, left_behind=True, bedridden=True, has_disability_cert=True,
            disability_category=DisabilityCategory.PHYSICAL, disability_grade=2,
            disability_cert_no=_id("52040220100202123") + "11",
        ),
        Relation.SON,
    )  # fmt: skip
    page.show_household(detail.id)
    members = page.panel.members
    remarks = members.item(1, 5).text()
    assert remarks == "肢体二级、卧床、留守"
    history = page.panel.history
    kinds = [history.item(r, 2).text() for r in range(history.rowCount())]
    assert kinds[0] == "修改成员信息"
    assert "登记建户" in kinds
    assert all(not k.isascii() for k in kinds)  # no raw event codes


def test_registration_search_and_edit_log_no_personal_data(
    qtbot: QtBot, services: Services, config: AppConfig, desk_log: Any
) -> None:
    window = _window(qtbot, services, config)
    _ready(services, window)
    _start_active(qtbot, window)
    page = window.registry_page
    name, number, phone = "欧阳堃", _id("52040219770707123"), "13987654321"
    dialog = page.new_household()
    dialog.village_edit.setText("龙宫村")
    form = dialog.person_form
    assert form is not None
    form.name_edit.setText(name)
    qtbot.keyClicks(form.id_edit.line_edit, number)
    qtbot.keyClicks(form.phone_edit, phone)
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.panel.detail is not None)
    qtbot.keyClicks(page.search_box, number[-6:])
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    head = page.panel.selected_member()
    assert head is not None
    editing = page.edit_member(head.id)
    assert editing is not None
    editing.form.name_edit.setText("欧阳犇")
    assert editing.form.change_phone_check is not None
    editing.form.change_phone_check.setChecked(True)
    qtbot.keyClicks(editing.form.phone_edit, "13711112222")
    qtbot.mouseClick(editing.save_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editing.isVisible())
    assert page.panel.detail is not None
    assert page.panel.detail.head is not None
    assert page.panel.detail.head.name == "欧阳犇"

    text = desk_log.text()
    assert "household registered" in text  # the log was written at all
    assert re.search(r"[0-9]{17}[0-9X]", text) is None
    for secret in (name, "欧阳犇", phone, "13711112222", number[-6:]):
        assert secret not in text, secret


def test_household_page_opens_its_chain_of_requests_and_referrals(
    qtbot: object, services: Services, config: AppConfig
) -> None:
    """一户一条救助链 from the household page: the intake and its referral appear in order."""
    from desk_app.services.intake import IntakeInput, MatterChoice
    from ui.dialogs.referral_timeline_dialog import HouseholdTimelineDialog

    window = _window(qtbot, services, config)
    _ready(services, window)
    detail = services.households.register(
        HouseholdInput(village="龙宫村"),
        PersonInput(name="周红", id_number=_id("52040219800808124")),
    )
    receipt = services.intake.save(
        IntakeInput(detail.id, (MatterChoice("dibao"), MatterChoice("medical_assistance")))
    )
    page = window.registry_page
    page.show_household(detail.id)
    assert page.panel.timeline_button.isEnabled()
    qtbot.mouseClick(page.panel.timeline_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    dialog = page.findChild(HouseholdTimelineDialog)
    assert dialog is not None
    text = " ".join(
        dialog.view.table.item(r, c).text()
        for r in range(dialog.view.table.rowCount())
        for c in range(dialog.view.table.columnCount())
        if dialog.view.table.item(r, c) is not None
    )
    assert receipt.number in text
    assert receipt.matters[1].referral_number in text
    dialog.close()


def test_about_shows_version_and_folders_and_saves_a_diagnostic_bundle(
    qtbot: QtBot, services: Services, config: AppConfig, tmp_path: Path
) -> None:
    import json
    import zipfile

    window = _window(qtbot, services, config)
    _ready(services, window)
    config.log_dir.mkdir(parents=True, exist_ok=True)
    (config.log_dir / "desk-app.log").write_text(
        "2026-11-23 INFO something about 520402198001011234 and 13812345678\n", encoding="utf-8"
    )
    box = window.show_about()
    assert str(config.log_dir) in box.text()
    assert str(config.data_dir) in box.text()
    buttons = [b.text() for b in box.buttons()]
    assert any("诊断包" in t for t in buttons)
    out = window.save_diagnostic_bundle(str(tmp_path / "diag.zip"))
    assert out is not None
    with zipfile.ZipFile(out) as bundle:
        about = json.loads(bundle.read("about.json"))
        log_text = bundle.read("logs/desk-app.log").decode("utf-8")
    assert about["database"]["rows"]["site"] == 1
    assert "520402198001011234" not in log_text
    assert "520402********1234" in log_text
    assert "13812345678" not in log_text
    box.close()


def test_a_near_relative_filing_is_flagged_on_the_household_page(
    page: RegistryPage, clocked: Services
) -> None:
    from desk_app.services.near_relatives import NearRelativeInput

    detail = _family(clocked)
    page.show_household(detail.id)
    assert not page.panel.info.isRowVisible(page.panel.near_relative_label)
    clocked.near_relatives.record(
        NearRelativeInput(
            detail.id,
            detail.members[0].id,
            "孙建国",
            "村委会委员",
            "兄弟",
            filed_on=dt.date(2024, 6, 1),
        )
    )
    page.show_household(detail.id)
    assert page.panel.info.isRowVisible(page.panel.near_relative_label)
    flag = page.panel.near_relative_label.text()
    assert "孙建国（村委会委员）系兄弟" in flag
    assert "2024-06-01" in flag
