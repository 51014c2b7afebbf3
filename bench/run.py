"""Benchmarks: our path against the raw library doing the same work, in the same run.

    python bench/run.py [--quick] [--json OUT]

Builds a synthetic county once (``desk-app demo``; cached under ``bench/.cache``) and
prints median and p95 per line with the raw baseline and the ratio, so the figures hold
on a noisy machine. Speed targets live here, never in timed tests.
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
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.bootstrap import Services, open_services  # noqa: E402
from desk_app.demo import generate_demo  # noqa: E402
from desk_app.domain.names import reversed_id  # noqa: E402
from desk_app.persistence.db import sqlite_url  # noqa: E402
from desk_app.services.context import SYSTEM  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


@dataclass(frozen=True)
class Line:
    work: str
    ours_median_ms: float
    ours_p95_ms: float
    baseline_median_ms: float | None
    ratio: float | None
    target: str


def _timed_each(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    """Milliseconds for ``fn(q)`` for each query."""
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def county(households: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"county-{households}.sqlite3"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        services = open_services(sqlite_url(tmp), identity=SYSTEM)
        started = time.perf_counter()
        generate_demo(services, households, seed=10)
        services.close()
        print(
            f"built {households} households in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        tmp.rename(path)
    return path


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
    """Our search service against the same indexed SQL through plain sqlite3."""
    with sqlite3.connect(db) as conn:
        sample = conn.execute(
            "SELECT name, name_initials, id_number FROM person ORDER BY random() LIMIT 400"
        ).fetchall()
    cases: list[tuple[str, list[str], str, Callable[[str], tuple[str, ...]]]] = [
        ("name prefix (2 characters)", [s[0][:2] for s in sample], _GRAM_SQL, lambda q: (q,)),
        ("1-character substring", [s[0][-1] for s in sample], _GRAM_SQL, lambda q: (q,)),
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
        ours = _timed_each(services.search.search, qs)
        base = _timed_each(
            lambda q, sql=sql, params=params: raw.execute(sql, params(q)).fetchall(), qs
        )
        med, base_med = statistics.median(ours), statistics.median(base)
        lines.append(
            Line(f"search: {work}", med, _p95(ours), base_med, med / base_med, "p95 ≤ 3 ms")
        )
    raw.close()
    return lines


def bench_startup(repeat: int) -> list[Line]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_APP_HOME": str(CACHE / "home")}
    code_ours = (
        "import time; t=time.perf_counter(); "
        "from ui.app import create_application, build_main_window; "
        "from desk_app.bootstrap import open_services; from desk_app.config import load_config; "
        "from desk_app.persistence.db import sqlite_url; from desk_app.services.context import SYSTEM; "
        f"c=load_config({str(CACHE / 'startup.sqlite3')!r}); app=create_application([]); "
        "s=open_services(c.db_url, identity=SYSTEM); w=build_main_window(s, c); w.show(); app.processEvents(); "
        "print((time.perf_counter()-t)*1000)"
    )
    code_base = (
        "import time; t=time.perf_counter(); "
        "from PySide6.QtWidgets import QApplication, QMainWindow; import sqlalchemy.orm, alembic; "
        "app=QApplication([]); w=QMainWindow(); w.show(); app.processEvents(); "
        "print((time.perf_counter()-t)*1000)"
    )

    def run(code: str) -> float:
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                             text=True, check=True)  # fmt: skip
        return float(out.stdout.strip().splitlines()[-1])

    ours = [run(code_ours) for _ in range(repeat)]
    base = [run(code_base) for _ in range(repeat)]
    return [Line("start-up to a usable main window (offscreen, in-process)", statistics.median(ours),
                 _p95(ours), statistics.median(base), statistics.median(ours) / statistics.median(base),
                 "≤ 1.0 s and ≤ 1.6× baseline")]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small county, few repeats (CI smoke test)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    households = 500 if args.quick else 30_000
    repeat = 50 if args.quick else 400
    db = county(households)
    services = open_services(sqlite_url(db), identity=SYSTEM)
    lines = bench_search(services, db, repeat)
    services.close()
    lines += bench_startup(2 if args.quick else 7)
    print(f"{'work':58} {'median':>9} {'p95':>9} {'baseline':>9} {'ratio':>6}  target")
    for ln in lines:
        base = f"{ln.baseline_median_ms:9.2f}" if ln.baseline_median_ms is not None else " " * 9
        ratio = f"{ln.ratio:6.2f}" if ln.ratio is not None else " " * 6
        print(
            f"{ln.work:58} {ln.ours_median_ms:9.2f} {ln.ours_p95_ms:9.2f} {base} {ratio}  {ln.target}"
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(ln) for ln in lines], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
