"""Same content, same bytes: an archived document can be re-made exactly (issue #6)."""

from __future__ import annotations

import pytest

from desk_app.domain.documents import DocumentKind
from reports import examples
from reports.documents import build_document


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_building_twice_gives_identical_bytes(kind: DocumentKind) -> None:
    make = examples.EXAMPLES[kind]
    first = build_document(make())
    second = build_document(make())
    assert first == second


def test_pdf_dates_come_from_the_content_not_the_clock() -> None:
    pdf = build_document(examples.receipt())
    assert b"/CreationDate (D:20240715093000+08'00')" in pdf
    assert b"/ModDate (D:20240715093000+08'00')" in pdf
    notice = build_document(examples.standing_notice())
    assert b"/CreationDate (D:20240801000000+08'00')" in notice


def test_fonts_are_embedded_and_nothing_else_is_referenced() -> None:
    pdf = build_document(examples.referral())
    assert b"/FontFile2" in pdf
    assert b"Helvetica" not in pdf


def test_other_documents_built_in_between_change_nothing() -> None:
    """Fonts are subset per document: a long notice built first must not shift the subsets."""
    first = build_document(examples.receipt())
    build_document(examples.long_notice(200))
    build_document(examples.care_agreement())
    assert build_document(examples.receipt()) == first
