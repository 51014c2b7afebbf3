"""SQLite settings on every connection, unit-of-work rollback, and a locked database."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.errors import KnownEnvironmentError

# The SQLite file itself is under test; PostgreSQL keeps its own files (docs/database.md).
pytestmark = pytest.mark.sqlite_only

SHORT_BUSY_MS = 100


def pragmas(conn) -> dict[str, object]:
    return {
        name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


def test_connection_pragmas(services) -> None:
    with services.engine.connect() as conn:
        values = pragmas(conn)
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL: a power cut loses no committed intake
    assert values["foreign_keys"] == 1
    assert values["busy_timeout"] > 0


def test_every_pooled_connection_gets_the_pragmas(services) -> None:
    services.engine.dispose()
    with services.engine.connect() as first, services.engine.connect() as second:
        assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        assert pragmas(first) == pragmas(second)
        assert pragmas(second)["synchronous"] == 2
        assert pragmas(second)["foreign_keys"] == 1


def test_sessions_of_a_unit_of_work_see_the_pragmas(services) -> None:
    with services.unit_of_work(write=False) as uow:
        assert uow.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert uow.session.execute(text("PRAGMA synchronous")).scalar() == 2


def test_foreign_keys_are_enforced(services) -> None:
    def event_of_a_missing_household() -> None:
        with services.unit_of_work(write=True) as uow:
            uow.session.execute(
                text(
                    "INSERT INTO household_event (household_id, at, actor, kind, detail)"
                    " VALUES (999, :at, 'x', 'k', '{}')"
                ),
                {"at": dt.datetime(2024, 1, 1)},
            )
            uow.commit()

    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        event_of_a_missing_household()


# ------------------------------------------------------------------ unit of work
def _insert_household(session, number: str) -> None:
    session.execute(
        text(
            "INSERT INTO household (number, township, village, group_name, residence, address, note,"
            " version, created_at, updated_at) VALUES (:n, 't', 'v', '', 'rural', '', '', 1, :at, :at)"
        ),
        {"n": number, "at": dt.datetime(2024, 1, 1)},
    )


def test_failed_unit_of_work_leaves_no_rows(services, counts) -> None:
    before = counts(services)

    class HalfWayError(Exception):
        pass

    def fail_half_way() -> None:
        with services.unit_of_work(write=True) as uow:
            _insert_household(uow.session, "X-00001")
            uow.session.flush()
            written = uow.session.execute(text("SELECT count(*) FROM household")).scalar()
            assert written == before["household"] + 1
            raise HalfWayError

    with pytest.raises(HalfWayError):
        fail_half_way()
    assert counts(services) == before


def test_unit_of_work_without_commit_keeps_nothing(services, counts) -> None:
    before = counts(services)
    with services.unit_of_work(write=True) as uow:
        _insert_household(uow.session, "X-00002")
    assert counts(services) == before
    with services.unit_of_work(write=True) as uow:
        _insert_household(uow.session, "X-00003")
        uow.commit()
    assert counts(services)["household"] == before["household"] + 1


def test_write_unit_of_work_takes_the_write_lock_at_begin(services, db_path) -> None:
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        # nothing written yet, but BEGIN IMMEDIATE already holds the write lock
        with (
            services.unit_of_work(write=True),
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released when the unit of work ends
        other.execute("ROLLBACK")
        with services.unit_of_work(write=False):
            other.execute("BEGIN IMMEDIATE")  # a read unit of work takes no write lock
            other.execute("ROLLBACK")
    finally:
        other.close()


# ------------------------------------------------------------------ locked database
@pytest.fixture
def short_busy_timeout(services):
    """Wait 100 ms instead of 5 s for a lock, so the test stays fast.

    Our connect listener sets busy_timeout=5000; this one runs after it on every new
    connection. The pool is emptied so no connection keeps the long timeout.
    """

    def shorten(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SHORT_BUSY_MS}")

    event.listen(services.engine, "connect", shorten)
    services.engine.dispose()
    with services.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SHORT_BUSY_MS
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    yield
    event.remove(services.engine, "connect", shorten)


def test_locked_database_is_a_known_environment_error(
    services, db_path, short_busy_timeout, make_id, counts
) -> None:
    before = counts(services)
    holder = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another window or program is writing

        def start_writing() -> None:
            with services.unit_of_work(write=True):
                pass

        with pytest.raises(KnownEnvironmentError) as caught:
            start_writing()
        message = str(caught.value)
        assert re.search(r"[\u4e00-\u9fff]", message), "the clerk reads Chinese"
        assert "占用" in message
        assert "稍后重试" in message
        assert "locked" not in message

        # a whole use case fails the same way and writes nothing
        with pytest.raises(KnownEnvironmentError):
            services.households.register(HouseholdInput("红星村"), PersonInput("张伟", make_id()))
        # reading still works while someone else writes (WAL)
        assert services.site.get() is not None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(services) == before
    services.households.register(HouseholdInput("红星村"), PersonInput("张伟", make_id()))
    assert counts(services)["person"] == before["person"] + 1
