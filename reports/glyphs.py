"""Glyph coverage: no character may print as a silent blank (issue #6).

The bundled faces cover GBK and CJK Ext-A (resources/fonts/README.md). A rarer character —
an Ext-B name character such as U+20000, an emoji pasted from a phone — would come out of
reportlab as an empty space, and nobody would notice until the paper is posted. Every
builder therefore checks all the text of its content first and raises
:class:`MissingGlyphs` naming the characters; the clerk fixes the text or confirms the
characters, and a confirmed character is printed as 〓 (U+3013, the mark Chinese typesetting
puts where a type is missing) so the gap stays visible and can be written in by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from reports.styles import register_fonts

PLACEHOLDER = "〓"
"""Printed instead of a confirmed missing character."""

T = TypeVar("T")


class MissingGlyphs(DeskAppError):  # noqa: N818 - the name issue #6 and its callers use
    """Text holds characters the bundled fonts cannot draw; lists them for the clerk."""

    def __init__(self, chars: tuple[str, ...]) -> None:
        self.chars = chars
        listed = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in chars)
        super().__init__(
            Message(
                "errors",
                QT_TRANSLATE_NOOP(
                    "errors",
                    "以下字符在打印字体中没有，打印出来会是空白：{chars}。"
                    "请改用规范写法，或确认后打印（该处印为“〓”，可手工补写）。",
                ),
                {"chars": listed},
            )
        )


def _cmaps() -> list[dict[int, int]]:
    return [face.face.charToGlyph for face in register_fonts().values()]


def missing_glyphs(texts: Iterable[str]) -> tuple[str, ...]:
    """Characters of ``texts`` that either bundled face lacks, in order of first use.

    Whitespace is skipped: layout turns it into space, never into a glyph.
    """
    cmaps = _cmaps()
    seen: set[str] = set()
    missing: list[str] = []
    for text in texts:
        for ch in text:
            if ch in seen or ch.isspace():
                continue
            seen.add(ch)
            code = ord(ch)
            if any(code not in cmap for cmap in cmaps):
                missing.append(ch)
    return tuple(missing)


def texts_of(value: object) -> Iterator[str]:
    """Every string inside a content record: fields of dataclasses, tuples, enums' labels."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Enum):
        label = getattr(value, "label", None)
        if isinstance(label, str):
            yield label
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts_of(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from texts_of(item)


def _replace(value: Any, chars: frozenset[str]) -> Any:
    if isinstance(value, Enum | int | Decimal | dt.date | bool) or value is None:
        return value
    if isinstance(value, str):
        return "".join(PLACEHOLDER if c in chars else c for c in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _replace(getattr(value, f.name), chars) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_replace(v, chars) for v in value)
    return value


def checked(content: T, allow_missing: frozenset[str] = frozenset(), *extra: str) -> T:
    """``content`` ready to print: raise for unconfirmed missing characters, mark confirmed ones.

    Args:
        content: a content record from :mod:`desk_app.domain.documents`.
        allow_missing: characters the clerk has seen and confirmed.
        extra: further text the page will carry that is not in the record.
    """
    missing = missing_glyphs([*texts_of(content), *extra])
    unconfirmed = tuple(c for c in missing if c not in allow_missing)
    if unconfirmed:
        raise MissingGlyphs(unconfirmed)
    if not missing:
        return content
    result: T = _replace(content, frozenset(missing))
    return result
