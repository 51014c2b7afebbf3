"""Guard the Qt binding pin: PySide6 6.12.0 on CPython 3.11 loses a reference to ``True``
on every signal emit and aborts the interpreter after a few hundred (aesthetics.md §0.1)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(bool)
    """Carries a bool, the type whose refcount the broken wheel corrupts."""


def test_three_thousand_emits_keep_refcount_of_true(qapp: object) -> None:
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(3000):
        emitter.fired.emit(True)
    after = sys.getrefcount(True)
    assert len(received) == 3000
    # On 3.12+ True is immortal and the count is constant anyway; on 3.11 a leak shows.
    assert after >= before - 10, f"refcount of True fell from {before} to {after}"
