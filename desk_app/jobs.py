"""Qt-free protocol for long jobs: progress callback and cancel token.

A job is a plain function ``job(..., progress=..., cancel=...)``. ``ui.tasks`` runs it off
the GUI thread; tests call it directly with lambdas. Cancelling raises
:class:`desk_app.errors.Cancelled` inside the job so its unit of work rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from desk_app.errors import Cancelled

ProgressFn = Callable[[float, str], None]
"""``progress(fraction 0..1, status text)``."""


def no_progress(fraction: float, status: str) -> None:
    """A progress callback that ignores everything (headless callers)."""
    del fraction, status


class CancelToken:
    """Thread-safe cancel flag checked by jobs between steps."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancel was requested."""
        if self._event.is_set():
            raise Cancelled


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Give a sub-step the ``start..end`` part of the parent's progress bar."""

    def inner(fraction: float, status: str) -> None:
        progress(start + max(0.0, min(1.0, fraction)) * (end - start), status)

    return inner
