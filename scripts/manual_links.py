"""The manual's links, read without Qt: shared by ``scripts/manual_screenshots.py`` (which
pictures to take) and ``tests/unit/test_manual_links.py`` (that every target exists)."""

from __future__ import annotations

import re
from pathlib import Path

MANUAL = Path(__file__).resolve().parent.parent / "docs" / "manual"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def manual_pages() -> list[Path]:
    return sorted(MANUAL.glob("*.md"))


def links(page: Path) -> list[tuple[int, str]]:
    """(line, target) of every Markdown link and image on ``page``, in order; code blocks
    and code spans (which show Markdown rather than use it) are skipped."""
    found: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced:
            text = re.sub(r"`[^`]*`", "", line)
            found.extend((number, m.group(1)) for m in LINK.finditer(text))
    return found
