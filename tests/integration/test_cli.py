"""The headless commands, run as a clerk's administrator would: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESK_APP_HOME": str(env_home), "PYTHONPATH": str(ROOT)}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_self_test_prints_ok_without_display(tmp_path: Path) -> None:
    result = _run("self-test", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("self-test ok")
    for step in ("intake: ok", "receipt PDF: ok", "ledger XLSX: ok", "audit chain: ok",
                 "backup and restore: ok"):  # fmt: skip
        assert step in result.stdout, step
    # It used a temporary database, not the clerk's.
    assert not (tmp_path / "data").exists()


def test_headless_commands_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from ui.cli import main; rc = main(['self-test']);"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_demo_command_writes_the_requested_households(tmp_path: Path) -> None:
    db = tmp_path / "county.sqlite3"
    result = _run("demo", "--db", str(db), "--households", "50", "--seed", "3", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "50 户" in result.stdout
    import sqlite3

    with sqlite3.connect(db) as conn:
        households = conn.execute("SELECT count(*) FROM household").fetchone()[0]
        heads = conn.execute("SELECT count(*) FROM person WHERE relation = 'head'").fetchone()[0]
    assert households == heads == 50


def test_window_without_display_explains_instead_of_crashing(tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "x.sqlite3"), env_home=tmp_path)
    assert result.returncode == 2
    assert "DISPLAY" in result.stderr


def test_bad_arguments_exit_with_usage(tmp_path: Path) -> None:
    result = _run("demo", "--households", "5", env_home=tmp_path)
    assert result.returncode == 2
    assert "--db" in result.stderr


def test_diagnose_writes_a_bundle_without_personal_data(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "diag.zip"
    result = _run("diagnose", "--out", str(out), env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "诊断包已生成" in result.stdout
    with zipfile.ZipFile(out) as bundle:
        assert "about.json" in bundle.namelist()
