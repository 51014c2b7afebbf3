"""Backups and restore on real SQLite files (issue #9): consistent while writing, verified
before they are kept or used, optionally encrypted, and a restore keeps the old database."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from desk_app.backup import BackupError, backup, restore, rotate
from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from ui.cli import main

# The SQLite file itself is under test; PostgreSQL keeps its own files (docs/database.md).
pytestmark = pytest.mark.sqlite_only


def _fill(services: Services, make_id: Any, n: int, village: str = "红星村") -> None:
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    for i in range(n):
        services.households.register(
            HouseholdInput(village=village),
            PersonInput(name=f"张{given[i % 20]}{given[i // 20]}", id_number=make_id()),
        )


def _count(path: Path, table: str = "household") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_backup_while_writing_is_consistent_and_verified(
    services: Services, make_id: Any, db_path: Path, tmp_path: Path
) -> None:
    _fill(services, make_id, 20)
    stop = threading.Event()
    writer_ids = [make_id() for _ in range(60)]

    def write() -> None:  # another window keeps registering during the backup
        writer = open_services(sqlite_url(db_path), identity=SYSTEM)
        try:
            for number in writer_ids:
                if stop.is_set():
                    break
                writer.households.register(
                    HouseholdInput(village="东风村"), PersonInput(name="李", id_number=number)
                )
        finally:
            writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        info = backup(db_path, tmp_path / "b.bak")
    finally:
        stop.set()
        thread.join()
    assert 20 <= info.rows["household"] <= 80
    assert info.rows["household"] == info.rows["person"]  # never half a registration
    assert info.audit_rows > 0
    assert _count(info.path) == info.rows["household"]


def test_encrypted_backup_restores_only_with_the_passphrase_and_keeps_the_old_db(
    services: Services, make_id: Any, db_path: Path, tmp_path: Path
) -> None:
    _fill(services, make_id, 5)
    info = backup(db_path, tmp_path / "b.bak", passphrase="青石镇 2026 备份")
    assert info.encrypted
    assert not info.path.read_bytes().startswith(b"SQLite format 3")
    assert "张伟伟".encode() not in info.path.read_bytes()
    _fill(services, make_id, 3, village="东风村")  # work done after the backup
    services.close()
    target = tmp_path / "restored" / "t.sqlite3"
    with pytest.raises(BackupError, match="口令"):
        restore(info.path, target, "wrong")
    with pytest.raises(BackupError, match="口令"):
        restore(info.path, target, None)
    assert not target.exists()
    restored, kept = restore(
        info.path, db_path, "青石镇 2026 备份", now=lambda: dt.datetime(2026, 11, 23, 8, 0)
    )
    assert restored.rows["household"] == 5
    assert _count(db_path) == 5
    assert kept == db_path.with_name("t.sqlite3.before-restore-20261123-080000")
    assert _count(kept) == 8  # the replaced database, complete with its WAL


def test_a_corrupt_or_tampered_backup_replaces_nothing(
    services: Services, make_id: Any, db_path: Path, tmp_path: Path
) -> None:
    _fill(services, make_id, 4)
    info = backup(db_path, tmp_path / "b.bak")
    services.close()
    before = db_path.read_bytes()
    broken = tmp_path / "broken.bak"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="不是本程序的数据库"):
        restore(broken, db_path)
    tampered = tmp_path / "tampered.bak"
    tampered.write_bytes(info.path.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("UPDATE audit_log SET actor = 'x' WHERE id = 2")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="审计记录在第 2 条"):
        restore(tampered, db_path)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.before-restore-*"))


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    import os

    for i in range(5):
        path = tmp_path / f"desk-app-{i}.bak"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    removed = rotate(tmp_path, keep=3)
    assert sorted(p.name for p in removed) == ["desk-app-0.bak", "desk-app-1.bak"]
    assert len(list(tmp_path.glob("*.bak"))) == 3


def test_backup_and_restore_commands(
    services: Services, make_id: Any, db_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _fill(services, make_id, 3)
    services.close()
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BACKUP_PASS", "口令-很长的一句话")
    out = tmp_path / "cli.bak"
    assert (
        main(["backup", "--db", str(db_path), "--out", str(out), "--passphrase-env", "BACKUP_PASS"])
        == 0
    )
    assert "校验通过" in capsys.readouterr().out
    target = tmp_path / "other.sqlite3"
    assert main(["restore", str(out), "--db", str(target)]) == 1  # no passphrase given
    assert "口令" in capsys.readouterr().err
    assert main(["restore", str(out), "--db", str(target), "--passphrase-env", "BACKUP_PASS"]) == 0
    assert _count(target) == 3
    assert (
        main(["backup", "--db", str(db_path), "--out", str(out), "--passphrase-env", "NOPE"]) == 2
    )
