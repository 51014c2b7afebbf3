"""Where the program keeps its data, and which database it opens.

Precedence: ``--db`` on the command line, then ``DESK_APP_DB``, then the SQLite file in
the user data directory (platformdirs). ``DESK_APP_HOME`` moves data and logs together,
which tests use so they never touch a real profile; ``config_dir`` holds the per-user UI
settings (window size, large font), never business data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from desk_app.persistence.db import sqlite_url

APP_NAME = "desk_app"
APP_AUTHOR = "desk_app"
DB_FILE = "desk_app.sqlite3"
DEMO_DB_FILE = "demo.sqlite3"


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


def load_config(db: str | None = None, *, demo: bool = False) -> AppConfig:
    home = os.environ.get("DESK_APP_HOME")
    if home:
        data_dir = Path(home) / "data"
        log_dir = Path(home) / "logs"
        config_dir = Path(home) / "config"
    else:
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
        log_dir = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    if db:
        url = db_url_from(db)
    elif os.environ.get("DESK_APP_DB") and not demo:
        url = db_url_from(os.environ["DESK_APP_DB"])
    else:
        # Only the program's own folder is created on demand. A database the user named
        # whose folder is missing is most likely on a drive that is not plugged in: that
        # must be an error, never a new empty database (issue #9).
        data_dir.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(data_dir / (DEMO_DB_FILE if demo else DB_FILE))
    return AppConfig(data_dir=data_dir, log_dir=log_dir, config_dir=config_dir, db_url=url)
