"""Choosing PostgreSQL by configuration (issue #9): what an administrator meets.

Reaching no server and naming a database that does not exist give the Chinese sentence
of docs/database.md; the file backup command points to pg_dump instead of failing.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from desk_app.bootstrap import open_services
from desk_app.config import load_config
from desk_app.errors import KnownEnvironmentError
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
