"""Benchmark: printed documents — the receipt and a 1,000-household 公示.

    .venv/bin/python bench/documents.py [--repeat N] [--json OUT]

Prints median and p95 build time per document (fonts already registered; the one-off
registration is its own line), the PDF size and page count, and for the long notice the
raw reportlab baseline doing the same table (1,000 rows of plain strings, repeatRows=1) in
the same run, so the ratio holds on a noisy machine. Speed targets live here, never in
timed tests (issue #6 closing note: receipt and 1,000-household 公示 times, PDF sizes).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle  # noqa: E402

from desk_app.domain.documents import Paper  # noqa: E402
from reports import examples, styles  # noqa: E402
from reports.documents import build_document  # noqa: E402
from reports.pages import page_count  # noqa: E402


@dataclass(frozen=True)
class Line:
    work: str
    median_ms: float
    p95_ms: float
    pdf_kb: float | None
    pages: int | None
    baseline_median_ms: float | None
    ratio: float | None
    target: str


def _times(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    out: list[float] = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - started) * 1000)
    return out, result


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _raw_table(rows: list[list[str]]) -> bytes:
    """What reportlab alone does for the same 1,000-row table: no checks, no wrapping."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), invariant=1)
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.SONG, 10.5),
                ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ]
        )
    )
    doc.build([table])
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    repeat: int = args.repeat

    started = time.perf_counter()
    styles.register_fonts()
    register_ms = (time.perf_counter() - started) * 1000
    lines = [Line("register bundled fonts (once per process)", register_ms, register_ms,
                  None, None, None, None, "< 1 s")]  # fmt: skip

    cases: list[tuple[str, Callable[[], bytes], str]] = [
        ("D2 receipt (3 matters)", lambda: build_document(examples.receipt()), "< 300 ms"),
        (
            "D10 referral slip + return slip",
            lambda: build_document(examples.referral()),
            "< 300 ms",
        ),
    ]
    for work, fn, target in cases:
        times, pdf = _times(fn, repeat)
        assert isinstance(pdf, bytes)
        lines.append(Line(work, statistics.median(times), _p95(times), len(pdf) / 1024,
                          page_count(pdf), None, None, target))  # fmt: skip

    for paper in (Paper.A4_LANDSCAPE, Paper.A3_LANDSCAPE):
        content = examples.long_notice(1000, paper)
        rows = [["序号", "户主姓名", "村/组", "保障人数", "类别", "金额（元/月）", "期间"]] + [
            [str(i), r.head_name, r.village_group, str(r.people_covered), r.category,
             f"{r.monthly_amount:,.2f}", r.period]
            for i, r in enumerate(content.rows, start=1)
        ]  # fmt: skip
        notice_repeat = max(3, repeat // 2)
        times, pdf = _times(lambda c=content: build_document(c), notice_repeat)
        base, _ = _times(lambda r=rows: _raw_table(r), notice_repeat)
        assert isinstance(pdf, bytes)
        median = statistics.median(times)
        base_median = statistics.median(base)
        lines.append(Line(f"D8 standing notice, 1,000 households, {paper.value}", median, _p95(times),
                          len(pdf) / 1024, page_count(pdf), base_median, median / base_median,
                          "< 3 s"))  # fmt: skip

    print(
        f"{'work':46} {'median':>9} {'p95':>9} {'PDF':>8} {'pages':>5} {'raw':>9} {'ratio':>6}  target"
    )
    for x in lines:
        size = f"{x.pdf_kb:.0f} KB" if x.pdf_kb is not None else ""
        pages = str(x.pages) if x.pages is not None else ""
        raw = f"{x.baseline_median_ms:.0f} ms" if x.baseline_median_ms is not None else ""
        ratio = f"{x.ratio:.1f}" if x.ratio is not None else ""
        print(f"{x.work:46} {x.median_ms:7.0f} ms {x.p95_ms:7.0f} ms {size:>8} {pages:>5} "
              f"{raw:>9} {ratio:>6}  {x.target}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps([asdict(x) for x in lines], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
