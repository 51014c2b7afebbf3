"""What every service needs besides a database: the clock and who is at the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    """Local wall-clock time without tz: halls work in one zone and read local times."""
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Operator:
    """The clerk working at this window; set at start-up (sign-in replaces it later)."""

    name: str = ""


@dataclass
class ServiceContext:
    clock: Clock = local_now
    operator: Operator = field(default_factory=Operator)

    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def actor(self) -> str:
        return self.operator.name or "—"
