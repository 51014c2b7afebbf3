"""Verified backups and restore for the embedded SQLite database (issue #9).

A backup is taken with SQLite's online backup API, so it is consistent while the window
keeps writing; it is checked (``PRAGMA integrity_check``, the audit chain) before it is
kept, written through a temporary file and renamed, and optionally encrypted with a
passphrase (AES-256-GCM, key from scrypt; anchors.md §5 R3 11.3.2). Restore checks the
backup the same way *before* it touches anything, and keeps the database it replaces
beside it (``….before-restore-YYYYmmdd-HHMMSS``).

File format of an encrypted backup: ``DESKBAK1`` · 16-byte salt · 12-byte nonce ·
ciphertext with its GCM tag. A plain backup is the SQLite file itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message

log = logging.getLogger(__name__)

MAGIC = b"DESKBAK1"
SALT_BYTES = 16
NONCE_BYTES = 12
# scrypt cost: n=2**15, r=8 (32 MiB, ~0.1 s here) — the passphrase guards a file that may
# leave the hall on a USB stick.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# Tables whose row counts a restore reports (and compares with what the backup says).
COUNTED = ("household", "person", "intake", "referral", "audit_log")


class BackupError(DeskAppError):
    """A backup could not be made, read or verified; nothing was replaced."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    sha256: str
    encrypted: bool
    rows: dict[str, int]
    audit_rows: int
    seconds: float


def _fail(text: str, **params: object) -> BackupError:
    return BackupError(Message("errors", text, dict(params)))


def _key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
        maxmem=64 * 1024 * 1024, dklen=32,
    )  # fmt: skip


def _encrypt(data: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


def _decrypt(blob: bytes, passphrase: str | None) -> bytes:
    from cryptography.exceptions import InvalidTag  # noqa: PLC0415
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

    if passphrase is None:
        raise _fail(QT_TRANSLATE_NOOP("errors", "这个备份已加密，请提供备份口令。"))
    salt = blob[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    nonce = blob[len(MAGIC) + SALT_BYTES : len(MAGIC) + SALT_BYTES + NONCE_BYTES]
    body = blob[len(MAGIC) + SALT_BYTES + NONCE_BYTES :]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, body, MAGIC)
    except InvalidTag:
        raise _fail(QT_TRANSLATE_NOOP("errors", "备份口令不正确，或备份文件已损坏。")) from None


def _check(path: Path) -> tuple[dict[str, int], int]:
    """Integrity, row counts and the audit chain of a database file; raises BackupError."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _fail(
            QT_TRANSLATE_NOOP("errors", "无法打开备份中的数据库：{detail}"), detail=exc
        ) from exc
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _fail(
                QT_TRANSLATE_NOOP("errors", "备份文件不是本程序的数据库，或已损坏。")
            ) from exc
        if result != "ok":
            raise _fail(
                QT_TRANSLATE_NOOP("errors", "数据库完整性检查未通过：{detail}"), detail=result
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "household" not in tables:
            raise _fail(QT_TRANSLATE_NOOP("errors", "备份文件不是本程序的数据库，或已损坏。"))
        rows = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in COUNTED
            if t in tables
        }
    finally:
        conn.close()
    audit_rows = _verify_audit(path) if "audit_log" in tables else 0
    return rows, audit_rows


def _verify_audit(path: Path) -> int:
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - heavy; only here
    from desk_app.persistence.db import sqlite_url  # noqa: PLC0415
    from desk_app.services.audit import verify_chain  # noqa: PLC0415

    services = open_services(sqlite_url(path), upgrade=False)
    try:
        check = verify_chain(services.unit_of_work)
    finally:
        services.close()
    if check.first_broken is not None:
        raise _fail(
            QT_TRANSLATE_NOOP("errors", "审计记录在第 {row} 条处被改动或删除，该备份不可信。"),
            row=check.first_broken,
        )
    return check.rows


def backup(db_path: Path, out: Path, passphrase: str | None = None) -> BackupInfo:
    """Copy the live database to ``out`` consistently, verify it, then (optionally) encrypt."""
    start = dt.datetime.now()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".desk-app-backup-") as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        try:
            source = sqlite3.connect(db_path)
            target = sqlite3.connect(copy)
            try:
                # Pages are copied in steps so a writer is never blocked for long; SQLite
                # restarts the copy if the source changes meanwhile, so the result is one
                # consistent state.
                source.backup(target, pages=1024)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
                source.close()
        except sqlite3.Error as exc:
            raise _fail(QT_TRANSLATE_NOOP("errors", "备份失败：{detail}"), detail=exc) from exc
        rows, audit_rows = _check(copy)
        data = copy.read_bytes()
        payload = _encrypt(data, passphrase) if passphrase else data
        staged = Path(tmp) / "out"
        with open(staged, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(staged, out)
    seconds = (dt.datetime.now() - start).total_seconds()
    log.info(
        "backup written: %d bytes, encrypted=%s, %.2f s", len(payload), bool(passphrase), seconds
    )
    return BackupInfo(
        out, len(payload), hashlib.sha256(payload).hexdigest(), bool(passphrase), rows,
        audit_rows, seconds,
    )  # fmt: skip


def restore(
    backup_file: Path,
    db_path: Path,
    passphrase: str | None = None,
    *,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> tuple[BackupInfo, Path | None]:
    """Verify ``backup_file`` and put it in place of ``db_path``; the old file is kept.

    Returns the backup's figures and where the replaced database was moved (None when
    there was none). Nothing is touched unless every check passes.
    """
    start = dt.datetime.now()
    try:
        blob = backup_file.read_bytes()
    except OSError as exc:
        raise _fail(
            QT_TRANSLATE_NOOP("errors", "无法读取备份文件：{detail}"), detail=exc.strerror or exc
        ) from exc
    encrypted = blob.startswith(MAGIC)
    data = _decrypt(blob, passphrase) if encrypted else blob
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".desk-app-restore-") as tmp:
        staged = Path(tmp) / "restored.sqlite3"
        staged.write_bytes(data)
        rows, audit_rows = _check(staged)
        kept: Path | None = None
        if db_path.exists():
            kept = db_path.with_name(f"{db_path.name}.before-restore-{now():%Y%m%d-%H%M%S}")
            # Fold the old database's WAL into it first, so the kept copy is complete.
            conn = sqlite3.connect(db_path)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            shutil.copy2(db_path, kept)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(staged, db_path)
    seconds = (dt.datetime.now() - start).total_seconds()
    log.info("database restored from backup (%d bytes, %.2f s)", len(blob), seconds)
    info = BackupInfo(
        backup_file, len(blob), hashlib.sha256(blob).hexdigest(), encrypted, rows, audit_rows,
        seconds,
    )  # fmt: skip
    return info, kept


def rotate(folder: Path, keep: int, pattern: str = "desk-app-*.bak") -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups in ``folder``; returns the deleted."""
    backups = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


AUTO_PATTERN = "desk-app-*.bak"
AUTO_KEEP = 14
"""Automatic backups kept: two a day (on a schedule and at exit) for about a week."""


def auto_backup(
    db_path: Path,
    folder: Path,
    *,
    keep: int = AUTO_KEEP,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> BackupInfo:
    """A scheduled or at-exit backup into ``folder``, then the oldest beyond ``keep`` go."""
    out = folder / f"desk-app-{now():%Y%m%d-%H%M%S}.bak"
    info = backup(db_path, out)
    rotate(folder, keep, AUTO_PATTERN)
    return info
