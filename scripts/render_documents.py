"""Write every printed document as PDF and PNG pages, to look at them.

    .venv/bin/python scripts/render_documents.py [OUT_DIR] [--dpi 60] [--long]

OUT_DIR defaults to ``build/documents`` (ignored by git). One PDF per example content
(``reports/examples.py``): each document kind, the 公示 on A4 and A3 landscape, and every
kind of change notice; ``--long`` adds the 1,000-household township notice. Pages are
rendered with pypdfium2, the engine the window's preview uses, so what you see here is
what the clerk sees. Nothing here needs Qt or a database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.domain.documents import AnyContent, ChangeKind, DocumentKind, Paper  # noqa: E402
from reports import examples  # noqa: E402
from reports.documents import build_document, file_name  # noqa: E402
from reports.pages import render_pages  # noqa: E402


def contents(long: bool) -> Iterator[tuple[str, AnyContent]]:
    for kind, make in examples.EXAMPLES.items():
        content = make()
        stem = file_name(content).removesuffix(".pdf")
        if kind is DocumentKind.RESULT_NOTICE:
            for paper in (Paper.A4_LANDSCAPE, Paper.A3_LANDSCAPE):
                yield f"{stem}-{paper.value}", examples.result_notice(paper)
        elif kind is DocumentKind.STANDING_NOTICE:
            for paper in (Paper.A4_LANDSCAPE, Paper.A3_LANDSCAPE):
                yield f"{stem}-{paper.value}", examples.standing_notice(paper)
        elif kind is DocumentKind.CHANGE_NOTICE:
            for change in ChangeKind:
                yield f"{stem}-{change.value}", examples.change_notice(change)
        else:
            yield stem, content
    if long:
        yield "D8-长期公示-1000户-A4", examples.long_notice(1000, Paper.A4_LANDSCAPE)
        yield "D8-长期公示-1000户-A3", examples.long_notice(1000, Paper.A3_LANDSCAPE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "documents")
    parser.add_argument("--dpi", type=float, default=60.0)
    parser.add_argument("--long", action="store_true", help="add the 1,000-household notice")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for stem, content in contents(args.long):
        pdf = build_document(content)
        (out / f"{stem}.pdf").write_bytes(pdf)
        pages = render_pages(pdf, args.dpi)
        for number, image in enumerate(pages, start=1):
            image.save(out / f"{stem}-p{number:02d}.png")
        print(f"{stem}.pdf  {len(pages)} page(s)  {len(pdf) / 1024:.0f} KB")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
