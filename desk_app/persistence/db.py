"""Engine and session factory: SQLite on one PC by default, PostgreSQL by configuration.

Every SQLite connection gets WAL, ``synchronous=FULL`` (a power cut loses no committed
intake), foreign keys on and a busy timeout. Transactions are begun by us rather than by
the sqlite3 module, so a write unit of work can take the write lock up front
(``BEGIN IMMEDIATE``) instead of failing half-way when another window writes.

PostgreSQL gets the same rule: a write unit of work first takes one transaction-scoped
advisory lock, waiting at most as long as SQLite would. Writes from every window are thus
serialised as on SQLite, so the running numbers (户编号, 受理编号), the audit log's hash
chain and "read the version, then update" checks behave the same on both; reads never
wait. A clerk's save takes milliseconds, so the queue is never felt at a hall's scale
(docs/database.md).
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
WRITE_LOCK = 0x6465736B01
"""PostgreSQL advisory lock key of the write lock (any constant, the same everywhere)."""

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


def _on_postgresql_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(BEGIN_MODE_OPTION) != "IMMEDIATE":
        return
    # SET LOCAL: the timeout ends with this transaction; a lock not granted in time raises
    # "lock timeout", which the unit of work turns into the "database busy" message.
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


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
    engine = create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,  # a server restarted overnight: reconnect, don't fail the clerk
        hide_parameters=True,
        connect_args={"connect_timeout": 10, "application_name": "desk_app"},
    )
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "begin", _on_postgresql_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services copy rows into DTOs after commit; nothing lazy
    # is ever touched outside the unit of work, but a DTO built after commit must not
    # trigger a reload on a closed session.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
