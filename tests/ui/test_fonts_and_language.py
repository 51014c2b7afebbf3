"""Bundled fonts render real glyphs and Qt's own buttons speak Chinese."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtGui import QFontDatabase, QFontMetrics, QImage, QRawFont
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from desk_app.bootstrap import Services
from desk_app.services.dto import HouseholdDetail
from resources import DOCUMENT_FONT_FAMILY, UI_FONT_FAMILY
from ui.fonts import load_bundled_fonts, ui_font
from ui.i18n import install_translators
from ui.models.person_search_model import PersonSearchModel
from ui.pages.registry_page import RegistryPage

# Names use GBK characters outside GB2312 (堃喆犇镕), plus Ext-A and full-width punctuation.
SAMPLE = "张伟 堃喆犇镕玥珺赟祎 社会救助综合服务窗口（一门受理）：①②。㐀"


def test_bundled_families_are_registered(qapp: object) -> None:
    families = load_bundled_fonts()
    assert UI_FONT_FAMILY in families
    assert DOCUMENT_FONT_FAMILY in families
    assert UI_FONT_FAMILY in QFontDatabase.families()


def test_label_renders_every_character_with_the_bundled_face(qtbot: object) -> None:
    load_bundled_fonts()
    label = QLabel(SAMPLE)
    label.setFont(ui_font(large=True))
    qtbot.addWidget(label)  # type: ignore[attr-defined]
    label.adjustSize()
    assert label.fontInfo().family() == UI_FONT_FAMILY
    raw = QRawFont.fromFont(label.font())
    # ord(): PySide6 converts a one-character str argument to QChar wrongly for some
    # characters (supportsCharacter('社') is False while supportsCharacter(0x793E) is True).
    missing = [ch for ch in SAMPLE if not ch.isspace() and not raw.supportsCharacter(ord(ch))]
    assert missing == []
    metrics = QFontMetrics(label.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in SAMPLE if not ch.isspace())
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(
        1
        for y in range(image.height())
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 200, "the label rendered (almost) nothing"


def test_qt_buttons_read_chinese_after_translators(qapp: QCoreApplication) -> None:
    loaded = install_translators(qapp)
    assert "qtbase" in loaded
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    texts = {b.text() for b in box.buttons()}
    assert texts == {"确定", "取消"}


def _translator(tmp_path: Path, messages: dict[str, dict[str, str]]) -> QTranslator:
    """A translator built the way a real one is: a .ts file compiled by ``lrelease``."""
    ts = tmp_path / "desk_app_en.ts"
    contexts = "".join(
        f"<context><name>{escape(context)}</name>"
        + "".join(
            f"<message><source>{escape(source)}</source>"
            f"<translation>{escape(target)}</translation></message>"
            for source, target in pairs.items()
        )
        + "</context>"
        for context, pairs in messages.items()
    )
    ts.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS>'
        f'<TS version="2.1" language="en" sourcelanguage="zh_CN">{contexts}</TS>',
        encoding="utf-8",
    )
    qm = tmp_path / "desk_app_en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    return translator


@pytest.fixture
def english(qapp: QCoreApplication, tmp_path: Path) -> Iterator[None]:
    translator = _translator(
        tmp_path,
        {
            "RegistryPage": {
                "新建户(&N)": "New household(&N)",
                "按拼音首字母查找": "By pinyin initials",
            },
            "registry": {"户主": "Head"},
            "HouseholdPanel": {"登记建户": "Registered"},
        },
    )
    qapp.installTranslator(translator)
    try:
        yield
    finally:
        qapp.removeTranslator(translator)


def test_page_speaks_an_installed_translation(
    qtbot: object, english: None, services: Services, household: HouseholdDetail
) -> None:
    # Our strings really go through Qt's translator, constants and vocabulary included.
    page = RegistryPage(services)
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    assert page.new_household_button.text() == "New household(&N)"
    page.search_box.setText("zs")
    page.run_search()
    assert page.result_label.text().startswith("By pinyin initials")
    relation_column = 4
    assert page.model.headerData(relation_column, Qt.Orientation.Horizontal) == "与户主关系"
    assert page.model.index(0, relation_column).data() == "Head"
    page.show_household(household.id)
    history = page.panel.history
    assert history.item(history.rowCount() - 1, 2).text() == "Registered"


def test_search_rows_show_the_relation_through_the_translator(
    qapp: QCoreApplication, services: Services, household: HouseholdDetail
) -> None:
    page = services.search.search("")
    model = PersonSearchModel(lambda _text, _cursor: page)
    model.set_query("")
    assert page.rows[0].relation_label == "户主"
    assert model.index(0, 4).data() == "户主"  # the source language, untranslated


def test_lupdate_extracts_the_registry_constants(tmp_path: Path) -> None:
    """Strings kept in tables (not literal ``tr()`` calls) are marked, so lupdate finds them."""
    ts = tmp_path / "extracted.ts"
    root = Path(__file__).resolve().parents[2]
    sources = [
        root / "ui" / "pages" / "registry_page.py",
        root / "ui" / "pages" / "household_panel.py",
        root / "ui" / "errors.py",
    ]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *map(str, sources), "-ts", str(ts)], check=True, capture_output=True
    )
    found = {
        (context.findtext("name"), message.findtext("source"))
        for context in ElementTree.parse(ts).getroot().iter("context")
        for message in context.iter("message")
    }
    expected = {
        ("RegistryPage", "按拼音首字母查找"),
        ("RegistryPage", "全部人员（按姓名排序）"),
        ("HouseholdPanel", "登记建户"),
        ("HouseholdPanel", "结束类别"),
        ("HouseholdPanel", "卧床"),
        ("HouseholdPanel", "二级"),
        ("errors", "程序错误"),
    }
    assert expected <= found, sorted(expected - found)
