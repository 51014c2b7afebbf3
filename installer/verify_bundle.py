"""Check a PyInstaller bundle of desk_app: what must be inside, and what must not.

    .venv/bin/python installer/verify_bundle.py dist/desk-app

Run by ``installer/build.sh verify`` (and ``ci``) before the frozen self-test, so a missing
data file is named here rather than found as a traceback on a hall PC. Needs PyInstaller
(the ``build`` extra) to read the module archive embedded in the executables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

WINDOWS = sys.platform.startswith("win")
EXE = ".exe" if WINDOWS else ""

REQUIRED_FILES = (
    f"desk-app{EXE}",
    f"desk-app-cli{EXE}",
    "_internal/desk_app/persistence/migrations/env.py",
    "_internal/desk_app/persistence/migrations/script.py.mako",
    "_internal/desk_app/persistence/migrations/data/0002_catalogue.json",
    "_internal/desk_app/persistence/migrations/data/0003_localities.json",
    "_internal/desk_app/domain/assistance/localities.json",
    "_internal/desk_app/domain/common_passwords.txt",
    "_internal/resources/fonts/DeskHei-Regular.ttf",
    "_internal/resources/fonts/DeskSong-Regular.ttf",
    "_internal/resources/fonts/OFL.txt",
    "_internal/pypinyin/pinyin_dict.json",
    "_internal/pypinyin/phrases_dict.json",
)
REQUIRED_GLOBS = {
    "Qt's Chinese strings (qtbase_zh_CN.qm)": "_internal/PySide6/**/translations/qtbase_zh_CN.qm",
    "offscreen platform plugin (self-test)": "_internal/PySide6/**/platforms/*qoffscreen*",
    "native platform plugin": "_internal/PySide6/**/platforms/"
    + ("qwindows.dll" if WINDOWS else "libqxcb.so"),
    "psycopg's binary implementation (PostgreSQL)": "_internal/psycopg_binary/_psycopg*",
}
REQUIRED_MODULES = (
    "ui.cli",
    "ui.app",
    "ui.selftest_gui",
    "desk_app.selftest",
    "reports.documents",
    "alembic.op",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "cryptography.hazmat.primitives.ciphers.aead",
    "openpyxl",
    "reportlab.pdfbase.ttfonts",
    "pypdfium2",
)
FORBIDDEN_MODULE_PREFIXES = (
    "tests", "bench", "installer", "pytest", "_pytest", "pytestqt", "hypothesis", "mypy",
    "PyInstaller", "fontTools", "pip", "setuptools", "pkg_resources", "importlinter", "ruff",
    "tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSvg",
)  # fmt: skip
FORBIDDEN_FILE_PARTS = ("QtQml", "QtQuick", "Qt6Qml", "Qt6Quick", "QtWebEngine", "Qt6WebEngine")


def modules_in(executable: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader  # noqa: PLC0415 - build extra

    pkg = CArchiveReader(str(executable))
    names: set[str] = set()
    for name, entry in pkg.toc.items():
        if entry[-1] == "z":  # the PYZ module archive
            names.update(pkg.open_embedded_archive(name).toc)
    return names


def check(bundle: Path) -> list[str]:
    problems: list[str] = []
    for rel in REQUIRED_FILES:
        if not (bundle / rel).is_file():
            problems.append(f"missing {rel}")
    versions = list((bundle / "_internal/desk_app/persistence/migrations/versions").glob("0*.py"))
    if len(versions) < 6:
        problems.append(f"only {len(versions)} migration scripts bundled")
    for what, pattern in REQUIRED_GLOBS.items():
        if not any(bundle.glob(pattern)):
            problems.append(f"missing {what}: {pattern}")
    translations = [p.name for p in bundle.glob("_internal/PySide6/**/translations/*.qm")]
    if sorted(translations) != ["qtbase_zh_CN.qm"]:
        problems.append(f"unexpected Qt translations: {sorted(translations)}")
    for path in bundle.rglob("*"):
        if any(part in path.name for part in FORBIDDEN_FILE_PARTS):
            problems.append(f"unused Qt module shipped: {path.relative_to(bundle)}")
    modules = modules_in(bundle / f"desk-app-cli{EXE}")
    for module in REQUIRED_MODULES:
        if module not in modules:
            problems.append(f"module not bundled: {module}")
    for module in sorted(modules):
        if any(module == p or module.startswith(p + ".") for p in FORBIDDEN_MODULE_PREFIXES):
            problems.append(f"development or unused module bundled: {module}")
    if modules_in(bundle / f"desk-app{EXE}") != modules:
        problems.append("desk-app and desk-app-cli carry different modules")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bundle", type=Path)
    args = parser.parse_args()
    problems = check(args.bundle)
    for problem in problems:
        print(f"verify: {problem}", file=sys.stderr)
    if problems:
        print(f"verify: {len(problems)} problem(s) in {args.bundle}", file=sys.stderr)
        return 1
    files = sum(1 for p in args.bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"verify: ok ({args.bundle}: {files} files, required data and modules present)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
