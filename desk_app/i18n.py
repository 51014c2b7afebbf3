"""Translatable text in the Qt-free core.

The core cannot call Qt's translator, yet every string the clerk reads must go through
it so another language could be added. Core code therefore wraps user-facing text in
:func:`QT_TRANSLATE_NOOP` — the name ``pyside6-lupdate`` already recognises — and hands
out :class:`Message` values; ``ui`` translates ``(context, source)`` and then formats.
Simplified Chinese is the source language, so untranslated text is already right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - name fixed by lupdate
    """Mark ``source`` for extraction under ``context`` and return it unchanged."""
    del context
    return source


@dataclass(frozen=True, slots=True)
class Message:
    """A user-facing sentence: translation context, source text and format fields."""

    context: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        """Format the message, translating the template first when ``translate`` is given.

        Args:
            translate: ``callable(context, source) -> str``, e.g. ``QCoreApplication.translate``.
        """
        template = translate(self.context, self.source) if translate else self.source
        return template.format(**self.params) if self.params else template

    def __str__(self) -> str:
        return self.render()
