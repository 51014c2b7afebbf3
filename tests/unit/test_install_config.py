"""The installed program's data directory: desk_app.ini beside the executable (issue #11)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk_app import config
from desk_app.config import INSTALL_INI, app_dirs, load_config, read_install_ini


def _ini(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / INSTALL_INI
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),  # an editor's UTF-8 with BOM
        ("utf-16-le", b"\xff\xfe"),  # WritePrivateProfileString on a Unicode file
        ("gbk", b""),  # Inno Setup's [INI] on a Chinese Windows: the ANSI code page
    ],
)
def test_data_dir_is_read_in_every_encoding_windows_writes(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    target = tmp_path / "社会救助数据"
    text = f"[paths]\r\ndata_dir={target}\r\n"
    ini = _ini(tmp_path / "app", prefix + text.encode(encoding))
    assert read_install_ini(ini) == target


def test_relative_data_dir_is_taken_from_the_ini_folder(tmp_path: Path) -> None:
    ini = _ini(tmp_path / "usb" / "desk_app", b"[paths]\ndata_dir=data\n")
    assert read_install_ini(ini) == (tmp_path / "usb" / "desk_app" / "data").resolve()


def test_environment_variables_are_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_TEST_ROOT", str(tmp_path))
    ini = _ini(tmp_path / "app", b"[paths]\ndata_dir=$DESK_TEST_ROOT/hall\n")
    assert read_install_ini(ini) == tmp_path / "hall"


@pytest.mark.parametrize(
    "content",
    [b"", b"[paths]\n", b"[paths]\ndata_dir=\n", b"[other]\ndata_dir=/x\n", b"not an ini"],
)
def test_an_ini_without_a_data_dir_is_ignored(tmp_path: Path, content: bytes) -> None:
    assert read_install_ini(_ini(tmp_path, content)) is None


def test_a_missing_ini_is_ignored(tmp_path: Path) -> None:
    assert read_install_ini(tmp_path / INSTALL_INI) is None


def test_ini_sets_data_and_logs_and_keeps_settings_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DESK_APP_HOME")
    monkeypatch.setattr(config.platformdirs, "user_config_dir", lambda *a: str(tmp_path / "u"))
    ini = _ini(tmp_path / "app", f"[paths]\ndata_dir={tmp_path / 'hall'}\n".encode())
    (tmp_path / "hall").mkdir()  # the installer creates it ([Dirs])
    loaded = load_config(install_ini=ini)
    assert loaded.data_dir == tmp_path / "hall"
    assert loaded.log_dir == tmp_path / "hall" / "logs"
    assert loaded.config_dir == tmp_path / "u"
    assert loaded.sqlite_path == (tmp_path / "hall" / "desk_app.sqlite3").resolve()
    assert loaded.data_dir.is_dir()


def test_a_chosen_folder_that_is_missing_is_not_recreated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A USB drive not plugged in: never a new empty database in its place (issue #9)."""
    monkeypatch.delenv("DESK_APP_HOME")
    monkeypatch.setattr(config.platformdirs, "user_log_dir", lambda *a: str(tmp_path / "ulog"))
    ini = _ini(tmp_path / "app", f"[paths]\ndata_dir={tmp_path / 'usb'}\n".encode())
    loaded = load_config(install_ini=ini)
    assert loaded.sqlite_path == (tmp_path / "usb" / "desk_app.sqlite3").resolve()
    assert loaded.log_dir == tmp_path / "ulog"  # logs meanwhile in the user's own folder
    assert not (tmp_path / "usb").exists()


def test_desk_app_home_wins_over_the_ini(tmp_path: Path, isolated_home: Path) -> None:
    ini = _ini(tmp_path / "app", f"[paths]\ndata_dir={tmp_path / 'hall'}\n".encode())
    assert app_dirs(ini) == (
        isolated_home / "data",
        isolated_home / "logs",
        isolated_home / "config",
    )


def test_frozen_program_reads_the_ini_beside_its_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DESK_APP_HOME")
    app = tmp_path / "Program Files" / "desk_app"
    _ini(app, f"[paths]\ndata_dir={tmp_path / 'ProgramData' / 'desk_app'}\n".encode())
    monkeypatch.setattr(sys, "executable", str(app / "desk-app.exe"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert config.default_install_ini() == (app / INSTALL_INI).resolve()
    assert app_dirs()[0] == tmp_path / "ProgramData" / "desk_app"


def test_source_checkout_ignores_an_ini_beside_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DESK_APP_HOME")
    monkeypatch.delattr(sys, "frozen", raising=False)
    _ini(tmp_path, f"[paths]\ndata_dir={tmp_path / 'elsewhere'}\n".encode())
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(config.platformdirs, "user_data_dir", lambda *a: str(tmp_path / "user"))
    assert config.default_install_ini() is None
    assert app_dirs()[0] == tmp_path / "user"
