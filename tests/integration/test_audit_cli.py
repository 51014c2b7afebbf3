"""``desk-app audit verify --db PATH`` (issue #8): a database whose audit rows are intact
exits 0 with the count; one row edited directly in SQLite exits 1 naming that row."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desk_app.bootstrap import Services
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audited(services: Services, register: Any, db_path: Path) -> Path:
    """A database with a few audited changes (registration, a member)."""
    register()
    register()
    services.close()
    return db_path


def _ids(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM audit_log ORDER BY id")]


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT * FROM audit_log ORDER BY id"))


def test_an_intact_chain_exits_0_with_the_count(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = len(_ids(audited))
    assert rows >= 4
    assert main(["audit", "verify", "--db", str(audited)]) == 0
    assert capsys.readouterr().out == f"审计链完整：共 {rows} 条记录\n"


def test_one_edited_row_exits_1_naming_it(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _ids(audited)
    tampered = ids[len(ids) // 2]
    conn = sqlite3.connect(audited)
    with conn:
        conn.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = ?", (tampered,))
    conn.close()
    edited = _rows(audited)
    assert main(["audit", "verify", "--db", str(audited)]) == 1
    out = capsys.readouterr().out
    assert f"第 {tampered} 条记录起被改动或删除" in out
    assert f"此前 {ids.index(tampered)} 条完整" in out
    assert _rows(audited) == edited  # the check writes nothing


def test_a_deleted_row_is_caught_at_the_next_one(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _ids(audited)
    conn = sqlite3.connect(audited)
    with conn:
        conn.execute("DELETE FROM audit_log WHERE id = ?", (ids[1],))
    conn.close()
    assert main(["audit", "verify", "--db", str(audited)]) == 1
    assert f"第 {ids[2]} 条记录起" in capsys.readouterr().out


def test_the_installed_command_runs_without_qt(audited: Path) -> None:
    """A separate process (as an administrator runs it): no Qt module is imported."""
    code = (
        "import sys; from ui.cli import main; rc = main(sys.argv[1:]);"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]; sys.exit(rc)"
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", code, "audit", "verify", "--db", str(audited)],
        capture_output=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "审计链完整" in done.stdout.decode("utf-8")
