"""Golden references: page count and text per page of every document built from its example.

A label, a column or a clause that changes without its reference being updated fails here.
After a deliberate change, regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/reports/test_golden.py
    git diff tests/reports/golden/
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from desk_app.domain.documents import AnyContent, ChangeKind, Paper
from reports import examples
from reports.documents import build_document
from reports.pages import page_texts

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

CASES: dict[str, Callable[[], AnyContent]] = {
    kind.value: make for kind, make in examples.EXAMPLES.items()
}
CASES["result_notice_a3"] = lambda: examples.result_notice(Paper.A3_LANDSCAPE)
CASES["standing_notice_a4"] = lambda: examples.standing_notice(Paper.A4_LANDSCAPE)
for _change in ChangeKind:
    CASES[f"change_notice_{_change.value}"] = lambda c=_change: examples.change_notice(c)


_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_MONTH = re.compile(r"\d{4}年\d{1,2}月")
_TIME = re.compile(r"\b\d{2}:\d{2}\b")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def normalise(text: str) -> str:
    """Page text as the references hold it: dates and times replaced, blank runs folded.

    Dates are normalised so that moving an example's date does not churn every reference;
    labels, numbers and line breaks (the layout) still count.
    """
    text = _DATE.sub("YYYY年M月D日", text)
    text = _MONTH.sub("YYYY年M月", text)
    text = _TIME.sub("HH:MM", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def reference_text(pdf: bytes) -> str:
    pages = page_texts(pdf)
    parts = [f"pages: {len(pages)}"]
    for number, text in enumerate(pages, start=1):
        parts.append(f"=== page {number} ===")
        parts.append(normalise(text))
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_document_matches_its_golden_reference(name: str) -> None:
    actual = reference_text(build_document(CASES[name]()))
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no reference {path.name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from {path.name}; if the change is intended, regenerate with "
        "UPDATE_GOLDEN=1 and review the diff"
    )


def test_every_golden_file_has_a_case() -> None:
    """A reference left behind by a removed case would hide nothing and rot."""
    stale = {p.stem for p in GOLDEN.glob("*.txt")} - set(CASES)
    assert stale == set()
