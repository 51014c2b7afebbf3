"""Every document renders (pypdfium2, the preview's engine) to pages that are not blank."""

from __future__ import annotations

import pytest

from desk_app.domain.documents import DocumentKind, Paper
from reports import examples
from reports.documents import build_document
from reports.pages import ink_share, page_count, render_pages


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_pages_are_not_blank(kind: DocumentKind) -> None:
    pdf = build_document(examples.EXAMPLES[kind]())
    images = render_pages(pdf, dpi=40)
    assert len(images) == page_count(pdf) >= 1
    # Text, rules and tables: a real page inks a few percent of its area; a page of
    # tofu-free but missing glyphs (blank text) would fall to the table lines alone.
    assert ink_share(images[0]) > 0.04
    for image in images[1:]:
        assert ink_share(image) > 0.01


@pytest.mark.parametrize(
    ("paper", "size"),
    [(Paper.A4_LANDSCAPE, (842, 595)), (Paper.A3_LANDSCAPE, (1191, 842))],
)
def test_notices_use_the_chosen_sheet(paper: Paper, size: tuple[int, int]) -> None:
    pdf = build_document(examples.result_notice(paper))
    width, height = render_pages(pdf, dpi=72)[0].size
    # A4 is 595.3 × 841.9 pt; the renderer rounds up.
    assert abs(width - size[0]) <= 1
    assert abs(height - size[1]) <= 1


def test_forms_are_a4_portrait() -> None:
    width, height = render_pages(build_document(examples.receipt()), dpi=72)[0].size
    assert abs(width - 595) <= 1
    assert abs(height - 842) <= 1
