"""Per-user UI state in one INI file: window geometry, large font, last clerk name.

Business parameters never live here (they are in the database, changed by services).
Every key is a constant with a typed getter, so a typo is an AttributeError, not a
silently new setting. Bump ``SETTINGS_VERSION`` when a key is renamed or removed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_VERSION = 1
_VERSION = "meta/version"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_LARGE_FONT = "view/large_font"
_CLERK = "window/clerk_name"

KEYS = frozenset({_VERSION, _GEOMETRY, _STATE, _LARGE_FONT, _CLERK})


class UiSettings:
    def __init__(self, config_dir: Path) -> None:
        config_dir.mkdir(parents=True, exist_ok=True)
        self.path = config_dir / "ui.ini"
        self._s = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._s.value(_VERSION, 0, type=int) != SETTINGS_VERSION:
            self._s.setValue(_VERSION, SETTINGS_VERSION)

    @property
    def large_font(self) -> bool:
        return bool(self._s.value(_LARGE_FONT, False, type=bool))

    @large_font.setter
    def large_font(self, value: bool) -> None:
        self._s.setValue(_LARGE_FONT, value)

    @property
    def clerk_name(self) -> str:
        return str(self._s.value(_CLERK, "", type=str))

    @clerk_name.setter
    def clerk_name(self, value: str) -> None:
        self._s.setValue(_CLERK, value)

    @property
    def geometry(self) -> QByteArray | None:
        value = self._s.value(_GEOMETRY)
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue(_GEOMETRY, value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self._s.value(_STATE)
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue(_STATE, value)

    def sync(self) -> None:
        self._s.sync()

    def unknown_keys(self) -> list[str]:
        return [k for k in self._s.allKeys() if k not in KEYS]
