"""Guard the Qt binding pin: PySide6 6.12.0 on CPython 3.11 loses a reference to ``True``
on every signal emit and aborts the interpreter after a few hundred (aesthetics.md §0.1)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

EMITS = 3000


class _Emitter(QObject):
    fired = Signal(bool)
    """Carries a bool, the type whose refcount the broken wheel corrupts."""


def test_three_thousand_emits_keep_refcount_of_true(qapp: object) -> None:
    emitter = _Emitter()
    calls = 0
    trues = 0

    def count(value: bool) -> None:
        # Keep no reference to ``value``: a list of it would add one per emit and hide
        # a leak that takes one away.
        nonlocal calls, trues
        calls += 1
        trues += value is True

    emitter.fired.connect(count)
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        emitter.fired.emit(True)
    after = sys.getrefcount(True)
    assert (calls, trues) == (EMITS, EMITS)
    # On 3.12+ True is immortal and the count is constant anyway; on 3.11 a leak (either
    # way) moves it by about one per emit.
    assert abs(after - before) <= 5, f"refcount of True went from {before} to {after}"
