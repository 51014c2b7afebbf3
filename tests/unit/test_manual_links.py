"""Every link and picture in the manual (docs/manual/*.md) points at something that exists.

No Qt: the pictures themselves are taken and checked by ``scripts/manual_screenshots.py``,
which CI runs; this catches a renamed page, a deleted picture or a mistyped anchor in a
second.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from manual_links import MANUAL, links, manual_pages  # noqa: E402 - a script folder

PAGES = manual_pages()
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(
        c for c in text if c in " -" or unicodedata.category(c)[0] in "LNM"
    )  # letters (CJK too), numbers, marks
    return kept.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            slug = _slug(match.group(2))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def test_the_manual_has_its_pages() -> None:
    assert {p.name for p in PAGES} >= {"README.md", "clerk.md", "admin.md"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_and_picture_exists(page: Path) -> None:
    missing: list[str] = []
    for number, target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto: — not checked offline
        path_part, _, anchor = target.partition("#")
        file = (page.parent / path_part).resolve() if path_part else page
        if not file.exists():
            missing.append(f"{page.name}:{number}: {target} (no such file)")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            missing.append(f"{page.name}:{number}: {target} (no heading #{anchor})")
    assert not missing, "\n".join(missing)


def test_every_picture_in_img_is_shown() -> None:
    shown = {
        (page.parent / target).resolve()
        for page in PAGES
        for _n, target in links(page)
        if target.startswith("img/")
    }
    unused = sorted(p.name for p in (MANUAL / "img").glob("*") if p.resolve() not in shown)
    assert not unused, f"pictures no manual page shows: {unused}"


def test_pictures_stay_small() -> None:
    sizes = {p.name: p.stat().st_size for p in (MANUAL / "img").glob("*.png")}
    assert sum(sizes.values()) < 4_000_000, "run scripts/manual_screenshots.py --update"
    assert max(sizes.values(), default=0) < 250_000, max(sizes, key=sizes.__getitem__)
