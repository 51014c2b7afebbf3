"""Where the program keeps its data, and which database it opens.

Precedence for the database: ``--db`` on the command line, then ``DESK_APP_DB``, then the
SQLite file in the data directory.

Precedence for the folders (data, logs, settings):

1. ``DESK_APP_HOME`` moves data, logs and settings into one folder (tests use it so they
   never touch a real profile; an administrator can use it too);
2. the installed program's ``desk_app.ini`` next to the executable (issue #11): the Windows
   installer asks for a per-machine data directory and writes ``[paths] data_dir=``. Read
   only when frozen (``sys.frozen``), or from the path given to :func:`load_config`;
3. the per-user folders of platformdirs (a source checkout, ``pip install``).

``config_dir`` holds the per-user UI settings (window size, large font), never business
data, so it stays per Windows account even when the data directory is per machine.
"""

from __future__ import annotations

import locale
import os
import sys
from configparser import ConfigParser
from configparser import Error as ConfigParserError
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from desk_app.persistence.db import sqlite_url

APP_NAME = "desk_app"
APP_AUTHOR = "desk_app"
DB_FILE = "desk_app.sqlite3"
DEMO_DB_FILE = "demo.sqlite3"
INSTALL_INI = "desk_app.ini"
"""Written by the installer next to the executable (installer/desk_app.iss)."""
LOG_SUBDIR = "logs"
"""Logs inside an installer-chosen data directory."""


@dataclass(frozen=True, slots=True)
class AppConfig:
    data_dir: Path
    log_dir: Path
    config_dir: Path
    db_url: str

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The embedded database's file, or None for a server database."""
        database = make_url(self.db_url).database if self.is_sqlite else None
        return Path(database) if database and database != ":memory:" else None

    @property
    def db_label(self) -> str:
        """The database as shown in the status bar: a path, or a server without password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return make_url(self.db_url).render_as_string(hide_password=True)


def db_url_from(value: str) -> str:
    """Accept a plain file path or a full SQLAlchemy URL."""
    if "://" in value:
        return value
    return sqlite_url(Path(value).expanduser().resolve())


def _ini_text(raw: bytes) -> str:
    """Decode an ini file whatever wrote it.

    Inno Setup's ``[INI]`` section writes through Windows' WritePrivateProfileString: a new
    file is in the ANSI code page (GBK on a Chinese Windows), a file that starts with a
    UTF-16 byte-order mark stays UTF-16. An administrator's editor may save UTF-8.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in (locale.getpreferredencoding(False), "gb18030"):
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("gb18030", "replace")


def read_install_ini(path: Path) -> Path | None:
    """The data directory named in ``path`` (``[paths] data_dir=``), or None.

    A missing or unreadable file, or an empty value, gives None (the per-user folders are
    used). ``%VARIABLES%`` and ``~`` are expanded; a relative path is taken from the ini
    file's folder, so a copy of the program on a USB stick can keep its data beside it.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    parser = ConfigParser(interpolation=None)
    try:
        parser.read_string(_ini_text(raw), source=str(path))
    except ConfigParserError:
        return None
    value = parser.get("paths", "data_dir", fallback="").strip().strip('"')
    if not value:
        return None
    data_dir = Path(os.path.expanduser(os.path.expandvars(value)))
    return data_dir if data_dir.is_absolute() else (path.parent / data_dir).resolve()


def default_install_ini() -> Path | None:
    """``desk_app.ini`` beside the frozen executable, or None when not frozen."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent / INSTALL_INI


_FROZEN_DEFAULT = Path()
"""Sentinel: ``install_ini`` not given, so :func:`default_install_ini` decides."""


def app_dirs(install_ini: Path | None = _FROZEN_DEFAULT) -> tuple[Path, Path, Path]:
    """``(data_dir, log_dir, config_dir)`` by the precedence in the module docstring.

    Creates nothing. ``install_ini``: the installer's ini file to honour (tests pass one);
    by default the one beside the frozen executable, and none in a source checkout.
    """
    data_dir, log_dir, config_dir, _chosen = _dirs(install_ini)
    return data_dir, log_dir, config_dir


def _dirs(install_ini: Path | None) -> tuple[Path, Path, Path, bool]:
    """:func:`app_dirs` and whether the data folder is one the administrator chose."""
    home = os.environ.get("DESK_APP_HOME")
    if home:
        return Path(home) / "data", Path(home) / "logs", Path(home) / "config", False
    config_dir = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    user_logs = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    ini = default_install_ini() if install_ini is _FROZEN_DEFAULT else install_ini
    installed = read_install_ini(ini) if ini is not None else None
    if installed is not None:
        # A chosen folder that is missing is most likely a drive not plugged in: logs go
        # to the user's own folder meanwhile, so nothing recreates the missing one.
        logs = installed / LOG_SUBDIR if installed.is_dir() else user_logs
        return installed, logs, config_dir, True
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)), user_logs, config_dir, False


def load_config(
    db: str | None = None, *, demo: bool = False, install_ini: Path | None = _FROZEN_DEFAULT
) -> AppConfig:
    data_dir, log_dir, config_dir, chosen = _dirs(install_ini)
    if db:
        url = db_url_from(db)
    elif os.environ.get("DESK_APP_DB") and not demo:
        url = db_url_from(os.environ["DESK_APP_DB"])
    else:
        # Only the program's own folder is created on demand. A database the user named
        # whose folder is missing is most likely on a drive that is not plugged in: that
        # must be an error, never a new empty database (issue #9). The same holds for
        # the folder the administrator chose in the installer (desk_app.ini): the
        # installer created it, so missing means unplugged, and opening the database
        # there fails with "请确认存放数据库的磁盘或U盘已连接".
        if not chosen:
            data_dir.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(data_dir / (DEMO_DB_FILE if demo else DB_FILE))
    return AppConfig(data_dir=data_dir, log_dir=log_dir, config_dir=config_dir, db_url=url)
