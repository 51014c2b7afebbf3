"""How the one search box reads what the clerk typed; and the core stays Qt-free."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.services.search import read_query

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("typed", ["", " ", "\u3000", "\t\n"])
def test_blank_lists_everyone(typed: str) -> None:
    assert read_query(typed) == ("all", "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", ("id_suffix", "1")),
        ("0028", ("id_suffix", "0028")),
        ("002x", ("id_suffix", "002X")),  # trailing x is upper-cased
        ("002X", ("id_suffix", "002X")),
        (" 0028 ", ("id_suffix", "0028")),
        ("1231 002X", ("id_suffix", "1231002X")),
        ("12345678", ("id_suffix", "12345678")),  # 8: still an ending
        ("123456789", ("id_prefix", "123456789")),  # 9: a beginning, typed from the left
        ("520402 19800101", ("id_prefix", "52040219800101")),
        ("11010519491231002", ("id_prefix", "11010519491231002")),  # 17 characters
        ("9491231002X", ("id_suffix", "9491231002X")),  # X only ever ends a number
        ("9491231002x", ("id_suffix", "9491231002X")),
        ("11010519491231002X", ("id_exact", "11010519491231002X")),
        ("11010519491231002x", ("id_exact", "11010519491231002X")),
        ("520402198001010028", ("id_exact", "520402198001010028")),
    ],
)
def test_digits_are_an_id_number(typed: str, expected: tuple[str, str]) -> None:
    assert read_query(typed) == expected


def test_full_width_digits_and_x() -> None:
    assert read_query("００２ｘ") == ("id_suffix", "002X")
    assert read_query("５２０４０２１９８０") == ("id_prefix", "5204021980")
    assert read_query("１１０１０５１９４９１２３１００２Ｘ") == ("id_exact", "11010519491231002X")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("zw", ("initials", "zw")),
        ("ZW", ("initials", "zw")),
        ("Zw", ("initials", "zw")),
        ("z w", ("initials", "zw")),
        ("ｚｗ", ("initials", "zw")),  # full-width Latin from an IME
        ("oynn", ("initials", "oynn")),
    ],
)
def test_latin_letters_are_pinyin_initials(typed: str, expected: tuple[str, str]) -> None:
    assert read_query(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("伟", ("name", "伟")),
        ("秀英", ("name", "秀英")),
        ("王秀英", ("name", "王秀英")),
        ("张 伟", ("name", "张伟")),
        (" 张伟\u3000", ("name", "张伟")),
        ("阿卜杜拉·买买提", ("name", "阿卜杜拉·买买提")),
        ("阿卜杜拉•买买提", ("name", "阿卜杜拉·买买提")),
        ("张3", ("name", "张3")),
    ],
)
def test_chinese_is_a_name_fragment(typed: str, expected: tuple[str, str]) -> None:
    assert read_query(typed) == expected


@pytest.mark.parametrize("typed", ["X", "x002", "1X2", "1234567890123456789", "0028X1"])
def test_letters_not_at_the_end_or_too_long_are_not_id_numbers(typed: str) -> None:
    mode, _ = read_query(typed)
    assert mode not in ("id_suffix", "id_prefix", "id_exact")


def test_the_core_imports_without_qt() -> None:
    """desk_app must not pull in PySide6 (pytest-qt would, so check in a fresh process)."""
    code = (
        "import sys\n"
        "import desk_app.bootstrap, desk_app.config, desk_app.errors, desk_app.i18n, desk_app.jobs\n"
        "import desk_app.services.households, desk_app.services.search, desk_app.services.site\n"
        "import desk_app.services.dto, desk_app.services.unit_of_work\n"
        "import desk_app.domain.ids, desk_app.domain.names, desk_app.domain.household\n"
        "import desk_app.persistence.models, desk_app.persistence.migrate\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui', 'reports'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
