"""A character the bundled fonts lack is named to the clerk, never printed as a blank."""

from __future__ import annotations

import dataclasses

import pytest

from reports import examples, receipt
from reports.documents import build_document
from reports.glyphs import PLACEHOLDER, MissingGlyphs, missing_glyphs
from reports.pages import page_texts

EXT_B = "\U00020000"  # CJK Ext-B, outside the GBK + Ext-A subset
EMOJI = "\U0001f600"


def test_missing_glyphs_lists_each_character_once_in_order() -> None:
    assert missing_glyphs(["张三", f"李{EXT_B}{EMOJI}", f"{EXT_B}王"]) == (EXT_B, EMOJI)
    assert missing_glyphs(["窗口受理 SL2024-000123 ■□〓（）：；"]) == ()


def test_build_refuses_unconfirmed_characters_and_names_them() -> None:
    content = dataclasses.replace(examples.receipt(), applicant_name=f"王{EXT_B}英{EMOJI}")
    with pytest.raises(MissingGlyphs) as caught:
        receipt.build(content)
    assert caught.value.chars == (EXT_B, EMOJI)
    message = str(caught.value)
    assert EXT_B in message
    assert "U+20000" in message
    assert "U+1F600" in message


def test_confirmed_characters_print_as_a_visible_mark() -> None:
    content = dataclasses.replace(examples.receipt(), applicant_name=f"王{EXT_B}英")
    with pytest.raises(MissingGlyphs):
        build_document(content, allow_missing=frozenset({EMOJI}))
    pdf = build_document(content, allow_missing=frozenset({EXT_B}))
    text = page_texts(pdf)[0]
    assert f"王{PLACEHOLDER}英" in text
    assert EXT_B not in text


def test_every_example_is_fully_covered() -> None:
    for make in examples.EXAMPLES.values():
        build_document(make())  # would raise MissingGlyphs
