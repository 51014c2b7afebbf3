"""Benchmark: 台账 export and roster import (issue #7 closing note).

    .venv/bin/python bench/ledgers.py [--quick] [--json OUT]

Builds a synthetic county once (``generate_demo``; cached under ``bench/.cache``) and
measures, each in a fresh child process so the peak memory is the job's own:

* exporting the 家庭成员 ledger sheet (about 100,000 rows × 18 columns) through the
  service and the XLSX writer, against raw openpyxl write-only writing the same rows
  from plain sqlite3 (no styles, no masking, no formula guard);
* importing a 10,000-row per-person roster (.xlsx and UTF-8 .csv): dry run, import and
  台账比对, against openpyxl read-only merely iterating the same file.

Prints time, rows and peak RSS (growth over the process after start-up, and absolute).
Speed targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import PeakRss  # noqa: E402 - bench/ is the script's folder
from openpyxl import Workbook, load_workbook  # noqa: E402

from desk_app.bootstrap import open_services  # noqa: E402
from desk_app.demo import generate_demo  # noqa: E402
from desk_app.domain.ledgers import LedgerBook, LedgerKind  # noqa: E402
from desk_app.domain.rosters import RosterKind  # noqa: E402
from desk_app.jobs import CancelToken, ProgressFn  # noqa: E402
from desk_app.persistence.db import sqlite_url  # noqa: E402
from desk_app.services.context import SYSTEM  # noqa: E402
from desk_app.services.ledgers import LedgerRequest  # noqa: E402
from desk_app.services.rosters import ImportRequest  # noqa: E402
from reports.ledgers import write_ledger  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
IMPORT_ROWS = 10_000


@dataclass(frozen=True)
class Line:
    work: str
    rows: int
    seconds: float
    peak_growth_mb: float
    peak_rss_mb: float
    baseline_seconds: float | None
    ratio: float | None
    target: str


def county(households: int) -> Path:

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"ledgers-county-{households}.sqlite3"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        services = open_services(sqlite_url(tmp), identity=SYSTEM)
        started = time.perf_counter()
        generate_demo(services, households, seed=7)
        services.close()
        print(
            f"built {households} households in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        tmp.rename(path)
    return path


def roster_files(db: Path, rows: int) -> tuple[Path, Path]:
    """A per-person list of ``rows`` registered people, as .xlsx and as UTF-8 .csv."""

    xlsx, csv_path = (CACHE / f"roster-{db.stem}-{rows}.{ext}" for ext in ("xlsx", "csv"))
    if xlsx.exists() and csv_path.exists():
        return xlsx, csv_path
    with sqlite3.connect(db) as conn:
        data = conn.execute(
            "SELECT p.name, p.id_number, h.id_number, hh.village, hh.group_name "
            "FROM person p JOIN household hh ON hh.id = p.household_id "
            "JOIN person h ON h.household_id = p.household_id AND h.relation = 'head' "
            "ORDER BY hh.number, p.id LIMIT ?",
            (rows,),
        ).fetchall()
    header = ("姓名", "身份证号", "户主身份证号", "村", "组")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(header)
    for row in data:
        ws.append(row)
    wb.save(xlsx)
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(data)
    return xlsx, csv_path


# ----------------------------------------------------------------------------- children


def child_export(db: Path, out: Path) -> dict[str, Any]:

    services = open_services(sqlite_url(db), identity=SYSTEM)

    def members_only(book: LedgerBook, progress: ProgressFn, cancel: CancelToken) -> Any:
        # The 家庭成员 sheet alone: the household sheet's stream is never read.
        return write_ledger(
            out, dataclasses.replace(book, sheets=book.sheets[1:]), progress, cancel
        )

    peak = PeakRss()
    started = time.perf_counter()
    summary = services.ledgers.export(LedgerRequest(LedgerKind.HOUSEHOLDS), members_only)
    seconds = time.perf_counter() - started
    services.close()
    return {"rows": summary.rows, "seconds": seconds, **peak.done()}


def child_export_raw(db: Path, out: Path) -> dict[str, Any]:

    sql = (
        "SELECT hh.number, hh.village, hh.group_name, h.name, h.id_number, p.name, p.id_number, "
        "p.relation, p.sex, p.birth_date, 0, '', p.disability_category, p.disability_grade, "
        "p.labour_ability, p.self_care, p.bedridden, p.major_illness "
        "FROM person p JOIN household hh ON hh.id = p.household_id "
        "LEFT JOIN person h ON h.household_id = hh.id AND h.relation = 'head' "
        "ORDER BY hh.village, hh.group_name, hh.number, p.id"
    )
    peak = PeakRss()
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("家庭成员")
    rows = 0
    for row in conn.execute(sql):
        ws.append(row)
        rows += 1
    wb.save(out)
    conn.close()
    return {"rows": rows, "seconds": time.perf_counter() - started, **peak.done()}


def child_import(db: Path, roster: Path, step: str) -> dict[str, Any]:

    work = db.with_name(f"import-{os.getpid()}.sqlite3")
    shutil.copyfile(db, work)
    services = open_services(sqlite_url(work), identity=SYSTEM)
    try:
        preview = services.rosters.preview(roster)
        request = ImportRequest(RosterKind.POVERTY, dt.date(2024, 6, 30), preview.suggested)
        peak = PeakRss()
        started = time.perf_counter()
        if step == "dry-run":
            rows = services.rosters.dry_run(roster, request).rows_valid
        else:
            result = services.rosters.import_file(roster, request, replace=True)
            rows = result.roster.rows
            if step == "match":
                started = time.perf_counter()
                rows = len(services.rosters.match(result.roster.id).rows)
            elif step == "import+match":
                services.rosters.match(result.roster.id)
        seconds = time.perf_counter() - started
    finally:
        services.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
    return {"rows": rows, "seconds": seconds, **peak.done()}


def child_read_raw(roster: Path) -> dict[str, Any]:

    peak = PeakRss()
    started = time.perf_counter()
    wb = load_workbook(roster, read_only=True, data_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) - 1
    wb.close()
    return {"rows": rows, "seconds": time.perf_counter() - started, **peak.done()}


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=True, cwd=ROOT)  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _line(work: str, ours: dict[str, Any], base: dict[str, Any] | None, target: str) -> Line:
    return Line(
        work, ours["rows"], ours["seconds"], ours["peak"] - ours["before"], ours["peak"],
        base["seconds"] if base else None, ours["seconds"] / base["seconds"] if base else None,
        target,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small county (CI smoke test)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        fn = {"export": child_export, "export-raw": child_export_raw,
              "read-raw": child_read_raw}.get(kind)  # fmt: skip
        if kind.startswith("import:"):
            result = child_import(Path(rest[0]), Path(rest[1]), kind.split(":", 1)[1])
        else:
            assert fn is not None
            result = fn(*(Path(a) for a in rest))
        print(json.dumps(result))
        return 0

    households = 600 if args.quick else 31_000  # about 3.3 people each: ~100k member rows
    import_rows = 1_000 if args.quick else IMPORT_ROWS
    db = county(households)
    xlsx, csv_path = roster_files(db, import_rows)
    out = CACHE / "export.xlsx"
    lines = [
        _line("export 家庭成员 sheet (18 columns)", _child("export", str(db), str(out)),
              _child("export-raw", str(db), str(CACHE / "export-raw.xlsx")),
              "memory flat (< 50 MB growth); time ≈ raw openpyxl (ratio ≤ 1.3)"),
    ]  # fmt: skip
    raw_read = _child("read-raw", str(xlsx))
    for step in ("dry-run", "import", "match"):
        lines.append(_line(f"roster .xlsx: {step}", _child(f"import:{step}", str(db), str(xlsx)),
                           raw_read if step != "match" else None, "10k rows < 10 s"))  # fmt: skip
    lines.append(_line("roster .csv (UTF-8): import", _child("import:import", str(db), str(csv_path)),
                       None, "10k rows < 5 s"))  # fmt: skip
    print(
        f"{'work':38} {'rows':>8} {'time':>9} {'peak +':>9} {'peak':>9} {'raw':>9} {'ratio':>6}  target"
    )
    for ln in lines:
        raw = f"{ln.baseline_seconds:8.2f}s" if ln.baseline_seconds is not None else " " * 9
        ratio = f"{ln.ratio:6.2f}" if ln.ratio is not None else " " * 6
        print(f"{ln.work:38} {ln.rows:8,} {ln.seconds:8.2f}s {ln.peak_growth_mb:7.1f}MB "
              f"{ln.peak_rss_mb:7.1f}MB {raw} {ratio}  {ln.target}")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps([dataclasses.asdict(x) for x in lines], ensure_ascii=False, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
