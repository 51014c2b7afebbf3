"""Bundled fonts render real glyphs and Qt's own buttons speak Chinese."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QFontDatabase, QFontMetrics, QImage, QRawFont
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from resources import DOCUMENT_FONT_FAMILY, UI_FONT_FAMILY
from ui.fonts import load_bundled_fonts, ui_font
from ui.i18n import install_translators

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


def test_our_strings_pass_through_the_translator(qapp: QCoreApplication) -> None:
    # Chinese is the source language: with no translation loaded, text comes back as is.
    source = QT_TRANSLATE_NOOP("RegistryPage", "新建户(&N)")
    assert QCoreApplication.translate("RegistryPage", source) == "新建户(&N)"
