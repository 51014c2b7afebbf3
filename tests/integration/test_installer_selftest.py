"""``desk-app self-test --gui``: the window check the installed build runs (issue #11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_self_test_gui_shows_the_window_with_the_bundled_font(tmp_path: Path) -> None:
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "ui", "self-test", "--gui"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    window = next(line for line in lines if line.startswith("window: ok"))
    assert "font 'Desk Hei' draws Chinese" in window
    assert "buttons 取消/确定" in window
    for step in ("bundled data: ok", "diagnostic bundle: ok (source", "backup and restore: ok"):
        assert any(line.startswith(step) for line in lines), step
    assert lines[-1].startswith("self-test ok")
    assert not (tmp_path / "data").exists()  # a temporary database, not the clerk's


def test_plain_self_test_in_a_source_checkout_skips_the_window(tmp_path: Path) -> None:
    from ui.cli import build_parser

    assert build_parser().parse_args(["self-test"]).gui is None
    assert build_parser().parse_args(["self-test", "--no-gui"]).gui is False
