"""Fuzzed roster files never crash the importer (issue #7).

Random cells of every type, huge strings, broken zips, truncated and bit-flipped
workbooks, random bytes and wrong encodings: the importer answers with an
:class:`ImportPlan` or raises our :class:`RosterImportError` (a ValidationError) —
nothing else, whatever the file holds. The database is the test's own SQLite file.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.bootstrap import Services
from desk_app.domain.ids import check_character
from desk_app.domain.rosters import RosterField, RosterImportError, RosterKind
from desk_app.services.rosters import ImportPlan, ImportRequest

TODAY = dt.date(2024, 6, 15)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


def _valid_id(n: int) -> str:
    first17 = f"520402{1950 + n % 60}0101{n % 900 + 100:03d}"
    return first17 + check_character(first17)


# Text openpyxl can store (XML 1.0 has no control characters other than tab and newlines).
xml_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(32)))),
    max_size=40,
)
cells = st.one_of(
    st.none(),
    xml_text,
    st.text(alphabet="0123456789Xx -", min_size=15, max_size=20),
    st.builds(_valid_id, st.integers(0, 10_000)),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    st.sampled_from(["合计", "=1+1", "零", "1,200.50元", "¥-3", "1e400", "NaN", "3人"]),
    st.just("长" * 5000),  # a huge string
)
headers = st.lists(
    st.one_of(st.sampled_from(["身份证号", "姓名", "户主身份证号", "人数", "金额", "村", "组", "类别"]), xml_text),
    min_size=0,
    max_size=6,
)  # fmt: skip


def _answers_or_raises_ours(services: Services, path: Path) -> None:
    """Preview, dry-run and import; only our error type may come out."""
    refused: RosterImportError | None = None
    try:
        preview = services.rosters.preview(path)
        mapping = dict(preview.suggested) or {preview.headers[0]: RosterField.ID_NUMBER}
        req = ImportRequest(RosterKind.OTHER, TODAY, mapping)
        plan = services.rosters.dry_run(path, req)
        assert isinstance(plan, ImportPlan)
        if plan.rows_valid:
            services.rosters.import_file(path, req, exclude_bad_rows=True, replace=True)
    except RosterImportError as exc:
        refused = exc
    if refused is not None:
        assert refused.problems or refused.row_problems
        assert str(refused)


def _path(tmp_path: Path, suffix: str) -> Path:
    return tmp_path / f"fuzz{next(_counter)}{suffix}"


@FUZZ
@given(header=headers, rows=st.lists(st.lists(cells, max_size=8), max_size=12))
def test_random_cells_in_a_real_workbook(
    services: Services, tmp_path: Path, header: list[str], rows: list[list[Any]]
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [header, *rows]:
        ws.append(row)
    path = _path(tmp_path, ".xlsx")
    wb.save(path)
    _answers_or_raises_ours(services, path)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".csv", ".xls", ".txt", ""]))
def test_random_bytes_under_any_name(
    services: Services, tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = _path(tmp_path, suffix)
    path.write_bytes(data)
    _answers_or_raises_ours(services, path)


@FUZZ
@given(
    members=st.lists(
        st.tuples(
            st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                             "xl/_rels/workbook.xml.rels", "_rels/.rels", "xl/sharedStrings.xml",
                             "xl/styles.xml"]),
            st.one_of(st.binary(max_size=400), st.just(b"<?xml version='1.0'?><x/>")),
        ),
        max_size=7,
        unique_by=lambda m: m[0],
    )
)  # fmt: skip
def test_zips_that_are_not_workbooks(
    services: Services, tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    path = _path(tmp_path, ".xlsx")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    _answers_or_raises_ours(services, path)


def _good_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "人数", "金额"])
    for n in range(30):
        ws.append([f"人{n}", _valid_id(n), n % 5 + 1, 375.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = _good_workbook()


@FUZZ
@given(
    cut=st.integers(0, len(GOOD)),
    flips=st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(1, 255)), max_size=8),
)
def test_truncated_and_bit_flipped_workbooks(
    services: Services, tmp_path: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(GOOD)
    for at, mask in flips:
        data[at] ^= mask
    path = _path(tmp_path, ".xlsx")
    path.write_bytes(bytes(data[: max(cut, 1)] if flips or cut < len(GOOD) else data))
    _answers_or_raises_ours(services, path)


@FUZZ
@given(
    text=st.text(max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "latin-1", "cp1252", "big5"]),
    header=st.sampled_from(["身份证号,姓名\n", "户主身份证号\t人数\n", "", "\ufeff身份证号;金额\n"]),
)  # fmt: skip
def test_csv_in_wrong_encodings_and_odd_text(
    services: Services, tmp_path: Path, text: str, encoding: str, header: str
) -> None:
    path = _path(tmp_path, ".csv")
    path.write_bytes((header + text).encode(encoding, errors="replace"))
    _answers_or_raises_ours(services, path)


@pytest.mark.parametrize("size", [200_000])
def test_a_single_huge_csv_field_is_refused_cleanly(
    services: Services, tmp_path: Path, size: int
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("身份证号,备注\n" + _valid_id(1) + ',"' + "长" * size + '"\n', encoding="utf-8")
    with pytest.raises(RosterImportError, match="单元格内容过长"):
        services.rosters.dry_run(path, ImportRequest(RosterKind.OTHER, TODAY, {"身份证号": RosterField.ID_NUMBER, "备注": RosterField.NOTE}))  # fmt: skip
