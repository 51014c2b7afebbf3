"""Files shipped with the program: fonts, translations, icons. Paths only, no Qt."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
FONTS_DIR = RESOURCES_DIR / "fonts"
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"

UI_FONT_FILE = FONTS_DIR / "DeskHei-Regular.ttf"
"""Hei (sans) face for the interface and tables: Noto Sans CJK SC, GBK + Ext-A subset."""
DOCUMENT_FONT_FILE = FONTS_DIR / "DeskSong-Regular.ttf"
"""Song (serif) face for formal documents: Noto Serif CJK SC, GBK + Ext-A subset."""
UI_FONT_FAMILY = "Desk Hei"
DOCUMENT_FONT_FAMILY = "Desk Song"
