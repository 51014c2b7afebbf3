"""``desk-app audit verify --db PATH`` (issue #8): a database whose audit rows are intact
exits 0 with the count; one row edited directly in the database (behind the program's
back, with plain SQL) exits 1 naming that row. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from desk_app.bootstrap import Services
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audited(services: Services, register: Any, db_url: str) -> str:
    """A database with a few audited changes (registration, a member)."""
    register()
    register()
    services.close()
    return db_url


def _sql(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Plain SQL on a connection of its own: no program code in between."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _ids(url: str) -> list[int]:
    return [row[0] for row in _sql(url, "SELECT id FROM audit_log ORDER BY id")]


def _rows(url: str) -> list[tuple[Any, ...]]:
    return _sql(url, "SELECT * FROM audit_log ORDER BY id")


def test_an_intact_chain_exits_0_with_the_count(
    audited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = len(_ids(audited))
    assert rows >= 4
    assert main(["audit", "verify", "--db", audited]) == 0
    assert capsys.readouterr().out == f"审计链完整：共 {rows} 条记录\n"


def test_one_edited_row_exits_1_naming_it(audited: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _ids(audited)
    tampered = ids[len(ids) // 2]
    _sql(audited, "UPDATE audit_log SET actor = 'someone-else' WHERE id = :id", id=tampered)
    edited = _rows(audited)
    assert main(["audit", "verify", "--db", audited]) == 1
    out = capsys.readouterr().out
    assert f"第 {tampered} 条记录起被改动或删除" in out
    assert f"此前 {ids.index(tampered)} 条完整" in out
    assert _rows(audited) == edited  # the check writes nothing


def test_a_deleted_row_is_caught_at_the_next_one(
    audited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _ids(audited)
    _sql(audited, "DELETE FROM audit_log WHERE id = :id", id=ids[1])
    assert main(["audit", "verify", "--db", audited]) == 1
    assert f"第 {ids[2]} 条记录起" in capsys.readouterr().out


def test_the_installed_command_runs_without_qt(audited: str) -> None:
    """A separate process (as an administrator runs it): no Qt module is imported."""
    code = (
        "import sys; from ui.cli import main; rc = main(sys.argv[1:]);"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]; sys.exit(rc)"
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", code, "audit", "verify", "--db", audited],
        capture_output=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "审计链完整" in done.stdout.decode("utf-8")
