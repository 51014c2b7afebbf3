"""A 1,000-household notice: head row on every page, page numbers right, no row lost."""

from __future__ import annotations

import re

import pytest

from desk_app.domain.documents import Paper
from reports import examples, notice
from reports.pages import page_texts

HEAD = "序号 户主姓名 村/组 保障人数 类别 金额（元/月） 期间"


@pytest.mark.parametrize("paper", [Paper.A4_LANDSCAPE, Paper.A3_LANDSCAPE])
def test_long_notice_repeats_head_and_numbers_pages(paper: Paper) -> None:
    content = examples.long_notice(1000, paper)
    pages = page_texts(notice.build(content))
    total = len(pages)
    assert total > 10
    numbers: list[int] = []
    for n, text in enumerate(pages, start=1):
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert HEAD in lines, f"page {n} has no head row"
        assert f"第 {n} 页 共 {total} 页" in text
        numbers += [int(m.group(1)) for m in re.finditer(r"^(\d+) \S", text, re.MULTILINE)]
    # Every household once, in order, then the total row.
    assert [x for x in numbers if x <= 1000] == list(range(1, 1001))
    assert "1000户" in pages[-1]
    assert f"{content.total_people}" in pages[-1]
