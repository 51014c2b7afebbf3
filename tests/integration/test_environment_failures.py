"""What the machine does to the database file (issue #9): disk full, read-only file, locked
by another program, the drive gone. Each gives a clear Chinese message, loses nothing
already saved, and the services keep working once the cause is gone.

Simulated through SQLite itself, because the suite runs as root (where chmod does not
stop writes): ``max_page_count`` fills the "disk", ``query_only`` makes the file read-only,
a second connection holding ``BEGIN EXCLUSIVE`` locks it, and a path on a folder that no
longer exists stands for a removed USB drive.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.errors import KnownEnvironmentError
from desk_app.persistence import db as db_module
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM

# The SQLite file itself is under test; PostgreSQL keeps its own files (docs/database.md).
pytestmark = pytest.mark.sqlite_only


def _register(services: Services, make_id: Any, name: str = "王伟") -> Any:
    return services.households.register(
        HouseholdInput(village="红星村", note="很长的备注" * 200),
        PersonInput(name=name, id_number=make_id()),
    )


def _households(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM household").fetchone()[0])
    finally:
        conn.close()


def _pragma_on_connect(services: Services, pragma: str) -> None:
    @event.listens_for(services.engine, "connect")
    def _set(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    services.engine.dispose()  # new connections get the pragma


def test_disk_full(services: Services, make_id: Any, db_path: Path) -> None:
    _register(services, make_id)
    with services.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    _pragma_on_connect(services, f"PRAGMA max_page_count={pages}")
    names = iter(["李娜", "李敏", "李静", "李丽", "李强", "李磊", "李军", "李洋"] * 10)

    def fill_up() -> None:
        for _ in range(80):
            _register(services, make_id, next(names))

    with pytest.raises(KnownEnvironmentError, match="磁盘空间已满"):
        fill_up()
    kept = _households(db_path)
    assert kept >= 1
    _pragma_on_connect(services, "PRAGMA max_page_count=1073741823")  # space freed
    _register(services, make_id, "赵敏")
    assert _households(db_path) == kept + 1


def test_read_only_file(services: Services, make_id: Any, db_path: Path) -> None:
    _register(services, make_id)
    _pragma_on_connect(services, "PRAGMA query_only=ON")
    with pytest.raises(KnownEnvironmentError, match="只读"):
        _register(services, make_id, "李娜")
    assert services.search.search("王伟").rows  # reading still works
    assert _households(db_path) == 1


def test_locked_by_another_program(
    services: Services, make_id: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(services, make_id)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)  # do not wait 5 s in a test
    locked = open_services(sqlite_url(db_path), identity=SYSTEM)
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(KnownEnvironmentError, match="被其他程序占用"):
            _register(locked, make_id, "李娜")
    finally:
        other.rollback()
        other.close()
    _register(locked, make_id, "赵敏")  # the other program let go: saving works again
    locked.close()
    assert _households(db_path) == 2


def test_drive_removed(services: Services, make_id: Any, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copyfile(services.engine.url.database or "", usb / "hall.sqlite3")
    shutil.rmtree(usb)  # the stick is pulled out
    with pytest.raises(KnownEnvironmentError, match=r"U盘已连接|磁盘"):
        open_services(sqlite_url(usb / "hall.sqlite3"), identity=SYSTEM)
    _register(services, make_id)  # the program itself keeps running on its own database
