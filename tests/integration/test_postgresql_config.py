"""Choosing PostgreSQL by configuration (issue #9): what an administrator meets.

Reaching no server and naming a database that does not exist give the Chinese sentence
of docs/database.md; the file backup command points to pg_dump instead of failing.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desk_app.bootstrap import Services, open_services
from desk_app.config import load_config
from desk_app.domain.household import HouseholdInput
from desk_app.errors import KnownEnvironmentError, UnexpectedDatabaseError
from desk_app.persistence import db
from desk_app.services.context import SYSTEM
from ui.cli import main

PG_ADMIN_URL = os.environ.get("DESK_APP_TEST_PG", "")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def test_no_server_listening_is_a_clear_message() -> None:
    url = f"postgresql+psycopg://desk@127.0.0.1:{_closed_port()}/desk"
    with pytest.raises(KnownEnvironmentError) as err:
        open_services(url, identity=SYSTEM)
    assert "无法连接数据库服务器" in str(err.value)


@pytest.mark.postgresql_only
def test_a_database_that_does_not_exist_is_a_clear_message() -> None:
    url = make_url(PG_ADMIN_URL).set(database="desk_no_such_database")
    with pytest.raises(KnownEnvironmentError) as err:
        open_services(url.render_as_string(hide_password=False), identity=SYSTEM)
    assert "没有这个数据库" in str(err.value)


def test_the_status_bar_shows_the_server_without_the_password() -> None:
    config = load_config("postgresql+psycopg://desk:s3cret@hall-server:5432/desk")
    assert not config.is_sqlite
    assert config.sqlite_path is None
    assert "s3cret" not in config.db_label
    assert "hall-server" in config.db_label


def test_file_backup_of_a_server_database_points_to_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://desk@127.0.0.1:5432/desk"
    assert main(["backup", "--db", url, "--out", str(tmp_path / "b.bak")]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "b.bak").exists()


@pytest.mark.postgresql_only
def test_a_refusal_that_is_a_bug_reaches_the_log_without_the_rows_values(
    services: Services, register: Any, make_id: Any
) -> None:
    """PostgreSQL's message repeats the failing row (name, ID number): it must not travel."""
    number = make_id()
    detail = register(name="张三丰", id_number=number)

    def bad_update() -> None:  # a bug: a value the check constraint refuses
        with services.unit_of_work(write=True) as uow:
            uow.session.execute(
                text("UPDATE person SET sex = 'X' WHERE id = :id"), {"id": detail.members[0].id}
            )
            uow.commit()

    with pytest.raises(UnexpectedDatabaseError) as err:
        bad_update()
    printed = "".join(traceback.format_exception(err.value))
    assert "ck_person_sex" in printed  # what a maintainer needs: constraint and SQLSTATE
    assert "23514" in printed
    assert "张三丰" not in printed
    assert number not in printed


@pytest.mark.postgresql_only
def test_the_write_lock_makes_writes_wait_reads_not_and_a_timeout_is_a_sentence(
    services: Services, register: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = register(name="李四")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # read at each BEGIN
    holder = create_engine(services.engine.url)
    try:
        with holder.connect() as other:  # another window in the middle of a long save
            other.execute(text(f"SELECT pg_advisory_xact_lock({db.WRITE_LOCK})"))
            assert services.households.get(detail.id).id == detail.id  # reads never wait
            started = time.monotonic()
            with pytest.raises(KnownEnvironmentError, match="数据库正被其他窗口占用"):
                services.households.update_household(
                    detail.id, detail.version, HouseholdInput(village="红星村", address="1号")
                )
            assert time.monotonic() - started < 5
            other.rollback()  # the other save ends: its lock goes with its transaction
        saved = services.households.update_household(
            detail.id, detail.version, HouseholdInput(village="红星村", address="1号")
        )
        assert saved.address == "1号"
    finally:
        holder.dispose()
