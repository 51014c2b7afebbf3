"""Engine and session factory: SQLite on one PC by default, PostgreSQL by configuration.

Every SQLite connection gets WAL, ``synchronous=FULL`` (a power cut loses no committed
intake), foreign keys on and a busy timeout. Transactions are begun by us rather than by
the sqlite3 module, so a write unit of work can take the write lock up front
(``BEGIN IMMEDIATE``) instead of failing half-way when another window writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
BEGIN_MODE_OPTION = "desk_app_begin"
"""Execution option read at BEGIN: ``"IMMEDIATE"`` for write units of work."""

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Disable the driver's own implicit BEGIN; _on_begin below issues it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(BEGIN_MODE_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for ``url``.

    A SQLite file's folder is not created here: a missing folder means a missing drive
    (``desk_app.config.load_config`` creates the program's own data folder).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # hide_parameters: an error message must never carry names or ID numbers into a log.
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services copy rows into DTOs after commit; nothing lazy
    # is ever touched outside the unit of work, but a DTO built after commit must not
    # trigger a reload on a closed session.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
