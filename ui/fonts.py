"""Load the bundled CJK fonts: a fresh machine has none and would show boxes."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from resources import DOCUMENT_FONT_FILE, UI_FONT_FAMILY, UI_FONT_FILE

log = logging.getLogger(__name__)

NORMAL_POINT_SIZE = 10
LARGE_POINT_SIZE = 14
"""适老化: the large-font option for clerks and applicants who read the screen together."""


class FontsMissingError(RuntimeError):
    """The installation lacks its bundled fonts; Chinese would render as boxes."""


def load_bundled_fonts() -> list[str]:
    """Register the bundled faces with Qt; return their family names."""
    families: list[str] = []
    for path in (UI_FONT_FILE, DOCUMENT_FONT_FILE):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise FontsMissingError(f"cannot load bundled font {path.name}")
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    log.info("bundled fonts loaded: %s", families)
    return families


def ui_font(large: bool = False) -> QFont:
    font = QFont([UI_FONT_FAMILY])
    font.setPointSize(LARGE_POINT_SIZE if large else NORMAL_POINT_SIZE)
    return font


def apply_ui_font(app: QApplication, large: bool) -> None:
    """Set the application font; widgets created later and existing ones follow it."""
    app.setFont(ui_font(large))
