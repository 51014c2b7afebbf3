"""台账 spreadsheets: a :class:`~desk_app.domain.ledgers.LedgerBook` streamed into an .xlsx.

openpyxl's write-only mode keeps memory flat however many rows arrive (feasibility.md
§3b: 100k × 20 cells in 27 MB, against 656 MB for a normal workbook). Every sheet gets a
styled header row, set column widths, a frozen header, a filter and print titles; the
book ends with a 说明 sheet saying what it is, when and by whom it was made, and whether
it carries full ID numbers.

Safety:

* **No formulas from data.** A text starting with ``=``, ``+``, ``-``, ``@``, tab or CR is
  written as a string cell with Excel's quote-prefix flag, so neither openpyxl nor a
  spreadsheet program ever reads it as a formula (CSV/formula injection).
* **No half-written file.** The book is written to a temporary file in the target folder
  and moved over the target with ``os.replace`` only when complete; a cancel, a full disk
  or any error removes the temporary file and leaves an existing target untouched.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from desk_app.domain.ledgers import (
    Cell,
    CellKind,
    Column,
    LedgerBook,
    WrittenBook,
    looks_like_formula,
)
from desk_app.errors import KnownEnvironmentError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.jobs import CancelToken, ProgressFn, no_progress

_C = "ledgers"
log = logging.getLogger(__name__)
PROGRESS_EVERY = 250
"""Rows between progress reports and cancel checks: about 20–40 ms of writing."""
MAX_CELL_CHARS = 32_767
"""Excel's limit for one cell."""
NOTES_SHEET = "说明"

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot carry (openpyxl would refuse the whole row)."""
_FORMATS = {
    CellKind.MONEY: "#,##0.00",
    CellKind.DATE: "yyyy-mm-dd",
    CellKind.DATETIME: "yyyy-mm-dd hh:mm",
    CellKind.PERCENT: "0.0%",
    CellKind.INT: "0",
    CellKind.ID: "@",
}
_THIN = Side(style="thin", color="999999")
_HEADER_FONT = Font(name="宋体", bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

WRITE_FAILED = QT_TRANSLATE_NOOP(
    _C,
    "无法保存文件“{name}”：{reason}。请确认文件夹存在且可以写入、磁盘（U盘）有空间；如果该文件正在 Excel 或 WPS 中打开，请先关闭",
)
_REASONS = {
    errno.ENOSPC: QT_TRANSLATE_NOOP(_C, "磁盘空间已满"),
    errno.EACCES: QT_TRANSLATE_NOOP(_C, "没有写入权限，或文件正被其他程序打开"),
    errno.EPERM: QT_TRANSLATE_NOOP(_C, "没有写入权限，或文件正被其他程序打开"),
    errno.ENOENT: QT_TRANSLATE_NOOP(_C, "文件夹不存在"),
    errno.EROFS: QT_TRANSLATE_NOOP(_C, "磁盘是只读的"),
}


class XlsxSink:
    """A :class:`~desk_app.domain.ledgers.LedgerSink` writing an .xlsx file at ``path``.

    ``services.ledgers.export(request, XlsxSink(path), progress=..., cancel=...)``.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __call__(self, book: LedgerBook, progress: ProgressFn, cancel: CancelToken) -> WrittenBook:
        return write_ledger(self.path, book, progress, cancel)


def write_ledger(
    path: Path,
    book: LedgerBook,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> WrittenBook:
    """Write ``book`` to ``path`` atomically; see the module docstring."""
    cancel = cancel or CancelToken()
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=".xlsx.part", dir=path.parent)
    except OSError as exc:
        raise _environment(path, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    wb = Workbook(write_only=True)
    try:
        written = _write(wb, book, progress, cancel)
        wb.properties.title = book.title
        wb.properties.creator = "desk-app"
        try:
            wb.save(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise _environment(path, exc) from exc
    except BaseException:
        _discard(wb)
        tmp.unlink(missing_ok=True)
        raise
    progress(1.0, QT_TRANSLATE_NOOP(_C, "已保存"))
    return written


def _environment(path: Path, exc: OSError) -> KnownEnvironmentError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return KnownEnvironmentError(Message(_C, WRITE_FAILED, {"name": path.name, "reason": reason}))


def _discard(wb: Any) -> None:
    """Remove the temporary files a write-only workbook keeps per sheet (openpyxl would
    only delete them at interpreter exit)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # Finish the sheet's row generator while its file is open (it writes the closing
        # tags), then close and delete the file. Private openpyxl state, hence the broad
        # except: cleaning up must never hide the error that made us clean up.
        try:
            rows = getattr(ws, "_rows", None)
            if rows is not None:
                rows.close()
            writer.close()
            writer.cleanup()
        except Exception:
            log.debug("discarding a write-only sheet failed", exc_info=True)


def _write(wb: Any, book: LedgerBook, progress: ProgressFn, cancel: CancelToken) -> WrittenBook:
    total = book.total
    done = 0
    counts: list[tuple[str, int]] = []
    last_report = 0.0
    for sheet in book.sheets:
        cancel.check()
        ws = wb.create_sheet(_sheet_title(sheet.name, wb))
        _prepare(ws, sheet.columns)
        ws.append([_header(ws, c.title) for c in sheet.columns])
        cells = _RowCells(ws, sheet.columns)
        rows = 0
        status = QT_TRANSLATE_NOOP(_C, "正在写入“{sheet}”：{rows} 行")
        progress(done / total if total else 0.0, status.format(sheet=sheet.name, rows=0))
        for values in sheet.rows:
            ws.append(cells(values))
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                cancel.check()
                now = time.monotonic()
                if now - last_report >= 0.05:
                    last_report = now
                    fraction = (done + rows) / total if total else 0.0
                    progress(min(fraction, 0.99), status.format(sheet=sheet.name, rows=f"{rows:,}"))
        done += rows
        counts.append((sheet.name, rows))
        last = get_column_letter(max(1, len(sheet.columns)))
        ws.auto_filter.ref = f"A1:{last}{rows + 1}"
    cancel.check()
    _notes(wb, book)
    progress(0.99, QT_TRANSLATE_NOOP(_C, "正在保存文件…"))
    return WrittenBook(tuple(counts))


def _sheet_title(name: str, wb: Any) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    taken = {ws.title for ws in wb.worksheets}
    title, n = clean, 2
    while title in taken:
        suffix = f"({n})"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return title


def _prepare(ws: Any, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _header(ws: Any, title: str) -> Any:
    cell = WriteOnlyCell(ws, value=_text(title))
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = _HEADER_ALIGN
    cell.border = _HEADER_BORDER
    if looks_like_formula(title):
        _as_text(cell)
    return cell


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value)[:MAX_CELL_CHARS]


def _as_text(cell: Any) -> None:
    # openpyxl marks a string starting with "=" as a formula when it is assigned; setting
    # the type afterwards keeps it a plain string, and quotePrefix tells Excel and
    # LibreOffice to keep treating it as text when a user edits the cell.
    cell.data_type = "s"
    cell.quotePrefix = True


class _RowCells:
    """Turns one sheet's rows of values into what ``ws.append`` takes.

    A formatted cell (ID text, money, percent, date) must be a cell object. Creating one
    per value costs seconds per 100,000 rows, so each column reuses one: openpyxl writes
    a row completely inside ``append``, and the object is free again for the next row.
    Each column has its own objects, so two date columns in a row never share one.
    """

    def __init__(self, ws: Any, columns: Sequence[Column]) -> None:
        self.ws = ws
        self.kinds = tuple(c.kind for c in columns)
        self._reused: dict[tuple[int, str], Any] = {}

    def _cell(self, index: int, number_format: str, value: Cell) -> Any:
        cell = self._reused.get((index, number_format))
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            cell.number_format = number_format
            self._reused[(index, number_format)] = cell
        cell.value = value
        return cell

    def __call__(self, values: Sequence[Cell]) -> list[Any]:
        out: list[Any] = []
        for index, (value, kind) in enumerate(zip(values, self.kinds, strict=True)):
            if value is None or value == "":
                out.append(None)
            elif isinstance(value, str):
                text = _text(value)
                if looks_like_formula(text):
                    cell = WriteOnlyCell(self.ws, value=text)
                    _as_text(cell)
                    out.append(cell)
                elif kind is CellKind.ID:
                    out.append(self._cell(index, _FORMATS[CellKind.ID], text))
                else:
                    out.append(text)
            elif isinstance(value, bool):
                out.append("是" if value else "否")
            elif isinstance(value, dt.datetime):
                out.append(self._cell(index, _FORMATS[CellKind.DATETIME], value))
            elif isinstance(value, dt.date):
                out.append(self._cell(index, _FORMATS[CellKind.DATE], value))
            elif kind in (CellKind.MONEY, CellKind.PERCENT):
                out.append(self._cell(index, _FORMATS[kind], value))
            else:
                out.append(value)
        return out


def _notes(wb: Any, book: LedgerBook) -> None:
    ws = wb.create_sheet(_sheet_title(NOTES_SHEET, wb))
    _prepare(ws, (Column("项目", 18), Column("内容", 90)))
    ws.append([_header(ws, "项目"), _header(ws, "内容")])
    for item, text in book.notes:
        cells: list[Any] = []
        for value in (item, text):
            cell = WriteOnlyCell(ws, value=_text(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if looks_like_formula(value):
                _as_text(cell)
            cells.append(cell)
        ws.append(cells)
