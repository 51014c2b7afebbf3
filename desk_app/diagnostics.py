"""A diagnostic bundle for support (issue #11): logs and version facts, no personal data.

The logs are already written without names, ID numbers, phones or bank accounts
(``desk_app.logs``); the bundle still masks anything shaped like an ID number or a phone
number on the way out, in case a library logged one. The database itself is never
included: only its schema revision, size and row counts.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import sqlite3
import sys
import zipfile
from pathlib import Path
from typing import Any

from desk_app import __version__
from desk_app.config import AppConfig

_ID = re.compile(r"(?<![0-9])[0-9]{6}(?:19|20)[0-9]{2}[0-1][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
MAX_LOG_BYTES = 5 * 1024 * 1024
"""Per log file, the newest part only: a support e-mail must stay small."""


def scrub(text: str) -> str:
    text = _ID.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)
    return _PHONE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def _database_facts(config: AppConfig) -> dict[str, Any]:
    path = config.sqlite_path
    if path is None:
        return {"kind": "server"}
    facts: dict[str, Any] = {"kind": "sqlite", "exists": path.exists()}
    if not path.exists():
        return facts
    facts["size_bytes"] = path.stat().st_size
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            facts["revision"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[
                0
            ]
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            facts["rows"] = {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in sorted(tables)
                if not t.startswith("sqlite_")
            }
            facts["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        facts["error"] = type(exc).__name__
    return facts


def make_bundle(config: AppConfig, out: Path, extra: dict[str, str] | None = None) -> Path:
    """Write ``out`` (a .zip) with ``about.json`` and the scrubbed logs; returns ``out``."""
    about = {
        "desk_app": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "frozen": bool(getattr(sys, "frozen", False)),
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "data_dir": str(config.data_dir),
        "log_dir": str(config.log_dir),
        "database": _database_facts(config),
        **(extra or {}),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("about.json", json.dumps(about, ensure_ascii=False, indent=2))
        if config.log_dir.exists():
            for log_file in sorted(config.log_dir.glob("*.log*")):
                data = log_file.read_bytes()[-MAX_LOG_BYTES:]
                bundle.writestr(f"logs/{log_file.name}", scrub(data.decode("utf-8", "replace")))
    return out
