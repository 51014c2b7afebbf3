"""Benchmarks at county scale: our path against the raw library doing the same work.

    .venv/bin/python bench/run.py [--quick] [--json OUT] [--only NAME ...]

Builds a synthetic county once (``generate_demo``: 30,000 households, about 100,000
persons, 50,000 referrals; cached under ``bench/.cache``, see ``bench/county.py``) and
prints, per line, the median and p95 of repeated runs of our path, the median of the raw
baseline measured in the same run (interleaved with ours, so a noisy machine slows both),
the ratio and the target. Work that needs its own memory figure or a fresh start runs in
child processes. ``--quick`` is the CI smoke test: a 1,000-household county and one or
two repeats; it must finish, its figures are not meant to meet the targets.

Lines (names for ``--only``): startup, search, intake, notice, ledger, roster, queue.
The latest full figures, the machine and what the profiles showed: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from county import CACHE, FULL, QUICK, county, remove_db, scratch_copy  # noqa: E402

from desk_app.bootstrap import Services, open_services  # noqa: E402
from desk_app.domain.names import reversed_id  # noqa: E402
from desk_app.persistence.db import sqlite_url  # noqa: E402
from desk_app.services.context import SYSTEM  # noqa: E402

LINES = ("startup", "search", "intake", "notice", "ledger", "roster", "queue")


@dataclass(frozen=True)
class Line:
    work: str
    unit: str
    """"ms", "s" or "MB"."""
    median: float
    p95: float
    baseline_median: float | None
    ratio: float | None
    target: str
    met: bool | None = None
    note: str = ""


def _p95(values: Sequence[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _child_env() -> dict[str, str]:
    """Children compile to bytecode once (as an installed program has its .pyc), into the
    bench cache instead of the source tree; offscreen Qt."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPYCACHEPREFIX": str(CACHE / "pycache")}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(script: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(BENCH / script), *args], env=_child_env(),
                         cwd=ROOT, capture_output=True, text=True, timeout=timeout)  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"{script} {args[:1]} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ----------------------------------------------------------------------------- start-up
def bench_startup(db: Path, repeat: int) -> list[Line]:
    """desk-app's start against a bare QApplication + QMainWindow, alternately."""
    work = scratch_copy(db, "startup")
    home = CACHE / "startup-home"
    (home / "config").mkdir(parents=True, exist_ok=True)
    # The clerk of this PC is known, as on every start but the first (no set-up dialog).
    (home / "config" / "ui.ini").write_text(
        "[meta]\nversion=1\n\n[window]\nclerk_name=演示经办人甲\n", encoding="utf-8"
    )
    try:
        _child("startup.py", "ours", str(work), str(home))  # warm-up: bytecode, file cache
        _child("startup.py", "bare")
        ours: list[dict[str, Any]] = []
        bare: list[dict[str, Any]] = []
        for _ in range(repeat):
            ours.append(_child("startup.py", "ours", str(work), str(home)))
            bare.append(_child("startup.py", "bare"))
    finally:
        remove_db(work)
    times = [o["ms"] for o in ours]
    base = _median([b["ms"] for b in bare])
    med = _median(times)
    phases = ", ".join(
        f"{k.removesuffix('_ms')} {_median([o[k] for o in ours]):.0f}"
        for k in ("imports_ms", "services_ms", "window_ms", "start_ms", "after_paint_ms")
    )
    return [
        Line("start-up to a usable main window (offscreen)", "ms", med, _p95(times), base,
             med / base, "≤ 1000 ms and ≤ 1.6× baseline",
             med <= 1000 and med / base <= 1.6,
             f"first paint {_median([o['paint_ms'] for o in ours]):.0f} ms; phases: {phases}")
    ]  # fmt: skip


# ----------------------------------------------------------------------------- search
_GRAM_SQL = (
    "SELECT g.person_id FROM person_name_gram g JOIN person p ON p.id = g.person_id "
    "LEFT JOIN household h ON h.id = p.household_id WHERE g.gram = ? "
    "ORDER BY g.name, g.person_id LIMIT 51"
)
_RANGE_SQL = (
    "SELECT p.id FROM person p LEFT JOIN household h ON h.id = p.household_id "
    "WHERE p.{col} >= ? AND p.{col} < ? || char(1114111) ORDER BY p.{col}, p.id LIMIT 51"
)


def bench_search(services: Services, db: Path, repeat: int) -> list[Line]:
    """Our search service against the same indexed SQL through plain sqlite3, query by
    query in turn."""
    with sqlite3.connect(db) as conn:
        sample = conn.execute(
            "SELECT name, name_initials, id_number FROM person WHERE length(name) >= 3 "
            "ORDER BY random() LIMIT 400"
        ).fetchall()
    cases: list[tuple[str, list[str], str, Callable[[str], tuple[str, ...]]]] = [
        ("name prefix (2 characters)", [s[0][:2] for s in sample], _GRAM_SQL, lambda q: (q,)),
        ("2-character substring", [s[0][1:3] for s in sample], _GRAM_SQL, lambda q: (q,)),
        ("pinyin initials", [s[1][:2] for s in sample], _RANGE_SQL.format(col="name_initials"),
         lambda q: (q, q)),
        ("ID-number suffix (4 digits)", [s[2][-4:] for s in sample], _RANGE_SQL.format(col="id_rev"),
         lambda q: (reversed_id(q), reversed_id(q))),
    ]  # fmt: skip
    rng = random.Random(5)
    raw = sqlite3.connect(db)
    lines = []
    for work, queries, sql, params in cases:
        rng.shuffle(queries)
        qs = (queries * (repeat // len(queries) + 1))[:repeat]
        services.search.search(qs[0])  # warm: compiled statement, pages in cache
        ours, base = [], []
        for q in qs:
            ours.append(_ms(lambda q=q: services.search.search(q)))
            base.append(_ms(lambda q=q, sql=sql, p=params: raw.execute(sql, p(q)).fetchall()))
        med, p95, base_med = _median(ours), _p95(ours), _median(base)
        lines.append(Line(f"search: {work}", "ms", med, p95, base_med, med / base_med,
                          "p95 ≤ 3 ms", p95 <= 3))  # fmt: skip
    raw.close()
    return lines


# ----------------------------------------------------------------------------- intake
def bench_intake(db: Path, repeat: int) -> list[Line]:
    """One window visit: an intake of 4 matters for a registered household (routes,
    deadlines, referral numbers, in one transaction), then its receipt PDF."""
    from desk_app.domain.intake import Handling  # noqa: PLC0415
    from desk_app.services.intake import IntakeInput, MatterChoice  # noqa: PLC0415
    from reports import styles  # noqa: PLC0415
    from reports.documents import build_document  # noqa: PLC0415

    work = scratch_copy(db, "intake")
    services = open_services(sqlite_url(work), identity=SYSTEM)
    try:
        styles.register_fonts()
        matters = services.catalogue.matters()
        referred = [m.code for m in matters if m.handling is Handling.REFERRAL]
        window = [m.code for m in matters if m.handling is Handling.WINDOW]
        with sqlite3.connect(work) as conn:
            households = [r[0] for r in conn.execute("SELECT id FROM household LIMIT 5000")]
        rng = random.Random(3)

        def visit() -> bytes:
            codes = rng.sample(referred, 3) + rng.sample(window, 1)
            receipt = services.intake.save(
                IntakeInput(_choice(rng, households), tuple(MatterChoice(c) for c in codes))
            )
            return build_document(services.documents.receipt(receipt.intake_id))

        visit()  # warm-up
        times = [_ms(visit) for _ in range(repeat)]
    finally:
        services.close()
        remove_db(work)
    med = _median(times)
    return [Line("intake save: 4 matters + routes + deadlines + receipt PDF", "ms", med,
                 _p95(times), None, None, "median ≤ 120 ms", med <= 120)]  # fmt: skip


def _choice(rng: random.Random, items: Sequence[int]) -> int:
    return items[int(rng.random() * len(items))]


# ----------------------------------------------------------------------------- 公示
def bench_notice(repeat: int) -> list[Line]:
    """The 1,000-household standing notice against reportlab alone drawing the same rows."""
    from documents import _raw_table  # noqa: PLC0415

    from desk_app.domain.documents import Paper  # noqa: PLC0415
    from reports import examples, styles  # noqa: PLC0415
    from reports.documents import build_document  # noqa: PLC0415
    from reports.pages import page_count  # noqa: PLC0415

    styles.register_fonts()
    content = examples.long_notice(1000, Paper.A4_LANDSCAPE)
    rows = [["序号", "户主姓名", "村/组", "保障人数", "类别", "金额（元/月）", "期间"]] + [
        [str(i), r.head_name, r.village_group, str(r.people_covered), r.category,
         f"{r.monthly_amount:,.2f}", r.period]
        for i, r in enumerate(content.rows, start=1)
    ]  # fmt: skip
    pdf = build_document(content)  # warm-up
    _raw_table(rows)
    ours, base = [], []
    for _ in range(repeat):
        ours.append(_ms(lambda: build_document(content)))
        base.append(_ms(lambda: _raw_table(rows)))
    med, base_med = _median(ours), _median(base)
    return [Line("公示 PDF, 1,000 households (A4 landscape)", "ms", med, _p95(ours), base_med,
                 med / base_med, "≤ 600 ms", med <= 600,
                 f"{page_count(pdf)} pages, {len(pdf) / 1024:.0f} KB")]  # fmt: skip


# ----------------------------------------------------------------------------- ledger
def bench_ledger(db: Path, repeat: int) -> list[Line]:
    """家庭成员 ledger sheet (every person) against openpyxl write-only writing the same
    rows from sqlite3; each in a fresh child process, alternately, with its peak RSS."""
    out = Path(tempfile.mkdtemp(dir=CACHE))
    ours, base = [], []
    try:
        for i in range(repeat):
            ours.append(_child("ledgers.py", "--child", "export", str(db), str(out / f"o{i}.xlsx")))
            base.append(_child("ledgers.py", "--child", "export-raw", str(db),
                               str(out / f"r{i}.xlsx")))  # fmt: skip
        columns = _columns(out / "o0.xlsx")
    finally:
        for f in out.iterdir():
            f.unlink()
        out.rmdir()
    secs = [o["seconds"] for o in ours]
    med, base_med = _median(secs), _median([b["seconds"] for b in base])
    peak = max(o["peak"] for o in ours)
    rows = ours[0]["rows"]
    return [
        Line(f"ledger export, {rows:,} rows × {columns} columns", "s", med, _p95(secs),
             base_med, med / base_med, "≤ 1.1× baseline", med / base_med <= 1.1),
        Line("ledger export: peak RSS", "MB", peak, peak,
             max(b["peak"] for b in base), peak / max(b["peak"] for b in base),
             "≤ 150 MB", peak <= 150),
    ]  # fmt: skip


def _columns(xlsx: Path) -> int:
    from openpyxl import load_workbook  # noqa: PLC0415

    wb = load_workbook(xlsx, read_only=True)
    try:
        header = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        return len(header)
    finally:
        wb.close()


# ----------------------------------------------------------------------------- roster
def bench_roster(db: Path, rows: int, repeat: int) -> list[Line]:
    """Import a per-person .xlsx roster and match it against the registry, against
    openpyxl read-only iterating the same file; child processes, alternately."""
    from ledgers import roster_files  # noqa: PLC0415

    xlsx, _csv = roster_files(db, rows)
    ours, base = [], []
    for _ in range(repeat):
        ours.append(_child("ledgers.py", "--child", "import:import+match", str(db), str(xlsx)))
        base.append(_child("ledgers.py", "--child", "read-raw", str(xlsx)))
    secs = [o["seconds"] for o in ours]
    med, base_med = _median(secs), _median([b["seconds"] for b in base])
    return [Line(f"roster import + match, {ours[0]['rows']:,} rows (.xlsx)", "s", med,
                 _p95(secs), base_med, med / base_med, "≤ 4 s", med <= 4)]  # fmt: skip


# ----------------------------------------------------------------------------- queue
def bench_queue(db: Path, repeat: int) -> list[Line]:
    """The real queue page (keyset-paged model) against a QTableView over a plain list
    model of the same rows; child processes, alternately."""
    ours, base = [], []
    for _ in range(repeat):
        ours.append(_child("queue_page.py", "ours", str(db)))
        base.append(_child("queue_page.py", "plain", str(db)))
    paint = [o["first_paint_ms"] for o in ours]
    scroll = [o["scroll_ms"] for o in ours]
    peak = max(o["peak_rss_mb"] for o in ours)
    base_peak = max(b["peak_rss_mb"] for b in base)
    rows = ours[0]["rows"]
    return [
        Line(f"queue page ({rows:,} referrals): first paint", "ms", _median(paint), _p95(paint),
             _median([b["first_paint_ms"] for b in base]),
             _median(paint) / _median([b["first_paint_ms"] for b in base]),
             "≤ 100 ms", _median(paint) <= 100),
        Line("queue page: scroll to the last row (全部状态)", "ms", _median(scroll), _p95(scroll),
             _median([b["scroll_ms"] for b in base]),
             _median(scroll) / _median([b["scroll_ms"] for b in base]), "—"),
        Line("queue page: peak RSS", "MB", peak, peak, base_peak, peak / base_peak,
             "≤ 200 MB", peak <= 200),
    ]  # fmt: skip


# ----------------------------------------------------------------------------- main
def _print(lines: Sequence[Line]) -> None:
    print(f"{'work':58} {'median':>10} {'p95':>10} {'baseline':>10} {'ratio':>6}  target")
    for ln in lines:
        unit = ln.unit
        base = f"{ln.baseline_median:8.2f}{unit:>2}" if ln.baseline_median is not None else ""
        ratio = f"{ln.ratio:6.2f}" if ln.ratio is not None else ""
        met = {True: "met", False: "MISSED", None: ""}[ln.met]
        print(f"{ln.work:58} {ln.median:8.2f}{unit:>2} {ln.p95:8.2f}{unit:>2} {base:>10} "
              f"{ratio:>6}  {ln.target} {met}")  # fmt: skip
        if ln.note:
            print(f"{'':60}{ln.note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small county, few repeats (CI)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--only", nargs="+", choices=LINES, help="run only these lines")
    args = parser.parse_args()
    quick: bool = args.quick
    only = set(args.only or LINES)
    started = time.perf_counter()
    db = county(QUICK if quick else FULL)
    print(f"county: {db.name} (ready in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    lines: list[Line] = []

    def run(name: str, fn: Callable[[], list[Line]]) -> None:
        if name in only:
            t = time.perf_counter()
            got = fn()
            lines.extend(got)
            print(f"{name}: {time.perf_counter() - t:.1f} s", file=sys.stderr)

    run("startup", lambda: bench_startup(db, 1 if quick else 7))
    if "search" in only:
        services = open_services(sqlite_url(db), identity=SYSTEM)
        try:
            run("search", lambda: bench_search(services, db, 50 if quick else 400))
        finally:
            services.close()
    run("intake", lambda: bench_intake(db, 5 if quick else 30))
    run("notice", lambda: bench_notice(1 if quick else 7))
    run("ledger", lambda: bench_ledger(db, 1 if quick else 3))
    run("roster", lambda: bench_roster(db, 1_000 if quick else 10_000, 1 if quick else 3))
    run("queue", lambda: bench_queue(db, 1 if quick else 3))
    _print(lines)
    print(f"total {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(ln) for ln in lines], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
