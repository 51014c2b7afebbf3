"""A windowed desk-app.exe has no stdout/stderr: headless commands still run (issue #11)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desk_app import __version__
from ui import console
from ui.cli import main


@contextmanager
def windowed() -> Iterator[None]:
    """sys.stdout and sys.stderr are None, as in a PyInstaller console=False program.

    Inside the test body, not a fixture: pytest's capture puts its own streams back
    between the phases of a test.
    """
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = None  # type: ignore[assignment]
    try:
        yield
    finally:
        replaced = {sys.stdout, sys.stderr} - {None}
        sys.stdout, sys.stderr = saved
        for stream in replaced:
            stream.close()


def test_write_utf8_ignores_a_missing_stream() -> None:
    console.write_utf8(None, "无处可写\n")


def test_missing_streams_go_to_the_console_log(tmp_path: Path) -> None:
    with windowed():
        path = console.ensure_streams(tmp_path / "logs", ["backup", "--out", "x.bak"])
        console.out("备份完成\n")
        console.err("注意\n")
        print("plain print")
    assert path == tmp_path / "logs" / console.CONSOLE_LOG
    text = path.read_text("utf-8")
    assert "desk-app backup\n" in text
    assert "x.bak" not in text  # arguments are not logged (see the next test)
    assert "备份完成" in text
    assert "注意" in text
    assert "plain print" in text


def test_the_console_log_never_holds_arguments(tmp_path: Path) -> None:
    """A server password in --db, a roster file named after a household, an operator."""
    argv = ["--db", "postgresql+psycopg://desk:s3cret@hall/desk", "import", "低保",
            "张三户名册.xlsx", "--operator", "王芳"]  # fmt: skip
    with windowed():
        path = console.ensure_streams(tmp_path / "logs", argv)
    assert path is not None
    text = path.read_text("utf-8")
    for secret in ("s3cret", "张三", "王芳", "hall"):
        assert secret not in text


def test_existing_streams_are_left_alone(tmp_path: Path) -> None:
    before = (sys.stdout, sys.stderr)
    assert console.ensure_streams(tmp_path / "logs") is None
    assert (sys.stdout, sys.stderr) == before
    assert not (tmp_path / "logs").exists()


def test_unwritable_log_folder_still_lets_the_command_run(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be")
    with windowed():
        assert console.ensure_streams(blocker) is None
        console.out("discarded\n")
        assert sys.stdout is not None


def test_cli_in_a_windowed_process_writes_its_answer_to_the_log(isolated_home: Path) -> None:
    with windowed(), pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    log = isolated_home / "logs" / console.CONSOLE_LOG
    assert f"desk-app {__version__}" in log.read_text("utf-8")


def test_diagnose_in_a_windowed_process(isolated_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "诊断包.zip"
    with windowed():
        assert main(["diagnose", "--out", str(out)]) == 0
    assert out.is_file()
    assert "诊断包已生成" in (isolated_home / "logs" / console.CONSOLE_LOG).read_text("utf-8")
