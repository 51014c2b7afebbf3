"""Reading an external list from disk: .xlsx (openpyxl read-only) or .csv (UTF-8 / GB18030).

Files come from other offices on USB sticks and by e-mail, in whatever state. Whatever is
wrong with one — a broken zip, an old .xls renamed, a GBK CSV, a sheet that claims a
million rows — the clerk gets a :class:`RosterImportError` saying what to do, never a
traceback. Rows stream: a reader never holds the whole sheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from desk_app.domain.rosters import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    RawCell,
    RosterImportError,
)
from desk_app.errors import Cancelled
from desk_app.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

_C = "rosters"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et"}

BROKEN_XLSX = QT_TRANSLATE_NOOP(
    _C, "Excel 文件已损坏或格式不对，无法读取。请用 Excel 或 WPS 打开后“另存为”.xlsx 再导入"
)
OLD_XLS = QT_TRANSLATE_NOOP(
    _C, "这是旧版 Excel（.xls）或 WPS 格式的文件：请用 Excel 或 WPS 打开后“另存为”.xlsx 再导入"
)
UNKNOWN_ENCODING = QT_TRANSLATE_NOOP(
    _C, "CSV 文件的文字编码无法识别：请另存为 UTF-8 或 GB18030（GBK）编码的 CSV，或另存为 .xlsx"
)
BROKEN_CSV = QT_TRANSLATE_NOOP(
    _C, "CSV 文件格式不对，无法读取（{reason}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
)
TOO_MANY_ROWS = QT_TRANSLATE_NOOP(
    _C, "文件超过 {limit} 行，不像是一份名单。请检查是否选错了文件或工作表"
)
TOO_BIG = QT_TRANSLATE_NOOP(_C, "文件超过 {limit} MB，不像是一份名单。请检查是否选错了文件")
NO_SHEET = QT_TRANSLATE_NOOP(_C, "文件中没有名为“{sheet}”的工作表")
NO_WORKSHEET = QT_TRANSLATE_NOOP(_C, "文件中没有可读取的工作表")
CANNOT_OPEN = QT_TRANSLATE_NOOP(
    _C, "无法打开文件：{reason}。请确认文件存在、没有被其他程序独占，U盘已连接"
)
EMPTY = QT_TRANSLATE_NOOP(_C, "文件是空的")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    file_name: str
    format: str
    """``xlsx`` or ``csv``."""
    encoding: str
    """CSV text encoding as detected (UTF-8, GB18030, UTF-16); '' for xlsx."""
    sheets: tuple[str, ...]
    sheet: str
    estimated_rows: int | None
    """Rows the file claims to have (for progress); None when it does not say."""


class RosterSource:
    """An open list file. ``rows()`` yields ``(row number, cells)`` from row 1, once.

    Use as a context manager: an .xlsx keeps its zip open while rows are read.
    """

    def __init__(self, info: SourceInfo, rows: Iterator[tuple[int, tuple[RawCell, ...]]],
                 closer: Any = None) -> None:  # fmt: skip
        self.info = info
        self._rows = rows
        self._closer = closer

    def rows(self) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
        return self._rows

    def close(self) -> None:
        if self._closer is not None:
            try:
                self._closer()
            except Exception:  # closing a broken zip must not mask the real error
                log.debug("closing a roster file failed", exc_info=True)
            self._closer = None

    def __enter__(self) -> RosterSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(path: Path, sheet: str | None = None) -> RosterSource:
    """Open ``path`` as a list; raises :class:`RosterImportError` for anything unreadable."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise RosterImportError.file(
            CANNOT_OPEN, reason=exc.strerror or type(exc).__name__
        ) from exc
    if size > MAX_FILE_BYTES:
        raise RosterImportError.file(TOO_BIG, limit=MAX_FILE_BYTES // (1024 * 1024))
    if size == 0:
        raise RosterImportError.file(EMPTY)
    if head.startswith(_OLE_MAGIC):
        raise RosterImportError.file(OLD_XLS)
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(path, sheet)
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        raise RosterImportError.file(BROKEN_XLSX)
    return _open_csv(path)


# ----------------------------------------------------------------------------- xlsx


def _open_xlsx(path: Path, sheet: str | None) -> RosterSource:
    try:
        # openpyxl warns about features it skips (data validation, extensions, odd
        # styles); none matter for reading values, and the test suite turns warnings into
        # errors. The broad except is deliberate: on a malformed file openpyxl and its XML
        # parser raise whatever they meet (KeyError, ValueError, zipfile errors, XML
        # syntax errors, TypeError …), and every one means "this file cannot be read".
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Imported here: openpyxl costs ~0.2 s, and the window starts without it.
            import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # see above
        log.info("roster file unreadable as xlsx: %s", type(exc).__name__)
        raise RosterImportError.file(BROKEN_XLSX) from exc
    try:
        names = tuple(ws.title for ws in book.worksheets)
        if not names:
            raise RosterImportError.file(NO_WORKSHEET)
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise RosterImportError.file(NO_SHEET, sheet=chosen)
        ws = book[chosen]
        estimated = ws.max_row if isinstance(ws.max_row, int) else None
        # The dimension a file declares may be wrong (or hostile: A1:XFD1048576); reading
        # without it yields only the rows and cells really there.
        ws.reset_dimensions()
    except RosterImportError:
        book.close()
        raise
    except Exception as exc:  # as in load_workbook above
        book.close()
        raise RosterImportError.file(BROKEN_XLSX) from exc
    info = SourceInfo(path.name, "xlsx", "", names, chosen, estimated)
    return RosterSource(info, _xlsx_rows(ws), book.close)


def _xlsx_rows(ws: Any) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    raise RosterImportError.file(TOO_MANY_ROWS, limit=MAX_ROWS)
                yield number, tuple(_xlsx_value(v) for v in cells[:MAX_COLUMNS])
    except (RosterImportError, Cancelled, GeneratorExit):
        raise
    except Exception as exc:  # a sheet's XML can break anywhere mid-stream
        log.info("roster sheet unreadable: %s", type(exc).__name__)
        raise RosterImportError.file(BROKEN_XLSX) from exc


def _xlsx_value(value: object) -> RawCell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | Decimal):
        return value
    return str(value)  # a timedelta or an error value: text, checked like any text


# ----------------------------------------------------------------------------- csv


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found: BOM first, then strict UTF-8, then
    GB18030 (a superset of GBK and GB2312, which Excel and WPS on Chinese Windows write)."""
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise RosterImportError.file(UNKNOWN_ENCODING) from exc
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise RosterImportError.file(UNKNOWN_ENCODING)


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path) -> RosterSource:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterImportError.file(
            CANNOT_OPEN, reason=exc.strerror or type(exc).__name__
        ) from exc
    text, encoding = decode(data)
    if "\x00" in text:
        # A binary file with a .csv name (or UTF-16 without its BOM): not a list.
        raise RosterImportError.file(UNKNOWN_ENCODING)
    info = SourceInfo(path.name, "csv", encoding, (), "", text.count("\n") + 1)
    return RosterSource(info, _csv_rows(text))


def _csv_rows(text: str) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise RosterImportError.file(TOO_MANY_ROWS, limit=MAX_ROWS)
            yield number, tuple(cells[:MAX_COLUMNS])
    except csv.Error as exc:
        reason = QT_TRANSLATE_NOOP(_C, "单元格内容过长") if "field larger" in str(exc) else QT_TRANSLATE_NOOP(_C, "引号或分隔符不配对")  # fmt: skip
        raise RosterImportError.file(BROKEN_CSV, reason=reason) from exc
