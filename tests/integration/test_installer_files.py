"""The packaging files (installer/, issue #11) say what docs/installer.md promises.

The bundle itself is built and run by ``installer/build.sh ci`` (too slow for the suite);
these checks read the files, so a broken spec, version resource or Inno Setup script is
caught before anybody builds on Windows.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from desk_app import __version__

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def _iss() -> str:
    raw = (INSTALLER / "desk_app.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs the UTF-8 BOM for Chinese text"
    return raw[3:].decode("utf-8")


def _section(text: str, name: str) -> str:
    match = re.search(rf"^\[{re.escape(name)}\]\r?\n(.*?)(?=^\[\w+\]\r?$|\Z)", text, re.M | re.S)
    assert match, f"[{name}] missing"
    return match.group(1)


def test_spec_builds_a_windowed_program_and_a_console_twin() -> None:
    spec = (INSTALLER / "desk_app.spec").read_text("utf-8")
    assert 'window_exe = _exe("desk-app", console=False)' in spec
    assert 'cli_exe = _exe("desk-app-cli", console=True)' in spec
    assert "upx=False" in spec
    assert "version=str(VERSION_FILE) if WINDOWS else None" in spec
    assert '"desk_app/persistence/migrations"' in spec
    assert "qtbase_zh_CN.qm" in spec


def _eval_version_file(text: str) -> dict[str, Any]:
    """Evaluate the --version-file text with stand-ins for PyInstaller's classes (their
    module imports pefile, which only Windows builds install)."""
    found: dict[str, Any] = {}

    def record(name: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
            if name == "StringStruct":
                found[args[0]] = args[1]
            if name == "FixedFileInfo":
                found["filevers"] = kwargs["filevers"]
            return (name, args, kwargs)

        return make

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct")  # fmt: skip
    eval(text, {n: record(n) for n in names})  # our own template, not input
    return found


def test_version_resource_carries_the_package_version() -> None:
    template = (INSTALLER / "version_info.txt.in").read_text("utf-8")
    numbers = [int(n) for n in re.findall(r"\d+", __version__)[:4]]
    filled = template.replace("@VERSION@", __version__).replace(
        "@VERSION_TUPLE@", repr(tuple(numbers + [0] * (4 - len(numbers))))
    )
    found = _eval_version_file(filled)
    assert found["FileVersion"] == found["ProductVersion"] == __version__
    assert found["ProductName"] == "社会救助综合服务窗口"
    assert found["OriginalFilename"] == "desk-app.exe"
    assert list(found["filevers"][:3]) == numbers[:3]


def test_inno_setup_script_installs_per_machine_with_a_start_menu_entry() -> None:
    iss = _iss()
    setup = _section(iss, "Setup")
    assert re.search(r"^PrivilegesRequired=admin\r?$", setup, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}\\desk_app\r?$", setup, re.M)
    assert re.search(r"^AppVersion=\{#AppVersion\}\r?$", setup, re.M)
    icons = _section(iss, "Icons")
    assert r'Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"' in icons
    assert '#define AppName "社会救助综合服务窗口"' in iss
    assert r'Source: "{#Bundle}\*"; DestDir: "{app}"' in _section(iss, "Files")


def test_inno_setup_asks_for_the_data_directory_and_writes_the_ini() -> None:
    iss = _iss()
    code = _section(iss, "Code")
    assert "CreateInputDirPage(wpSelectDir," in code
    assert "ExpandConstant('{commonappdata}\\desk_app')" in code
    ini = _section(iss, "INI")
    assert (
        r'Filename: "{app}\desk_app.ini"; Section: "paths"; Key: "data_dir"; '
        r'String: "{code:GetDataDir}"' in ini
    )
    dirs = _section(iss, "Dirs")
    assert '"{code:GetDataDir}"; Permissions: users-modify; Flags: uninsneveruninstall' in dirs


def test_uninstall_deletes_nothing_of_the_data_directory() -> None:
    iss = _iss()
    entries = [
        line
        for line in _section(iss, "UninstallDelete").splitlines()
        if line.strip() and not line.startswith(";")
    ]
    assert entries == [r'Type: files; Name: "{app}\desk_app.ini"']
    assert "DelTree" not in iss
    assert "uninsdeletesection" not in iss
    assert "uninsdeletekey" not in iss


def test_build_script_parses_and_ci_runs_it() -> None:
    subprocess.run(["bash", "-n", str(INSTALLER / "build.sh")], check=True)
    ci = (ROOT / ".ci" / "run").read_text("utf-8").strip().splitlines()
    assert ci[-1] == "bash installer/build.sh ci"
    usage = subprocess.run(
        ["bash", str(INSTALLER / "build.sh")], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2
    for command in ("bundle", "verify", "selftest", "measure", "installer", "clean", "ci"):
        assert f"build.sh {command}" in usage.stdout


def test_installer_command_explains_where_it_runs() -> None:
    result = subprocess.run(
        ["bash", str(INSTALLER / "build.sh"), "installer"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    assert f'ISCC.exe" /DAppVersion={__version__} installer/desk_app.iss' in result.stdout
    assert "Windows" in result.stdout
