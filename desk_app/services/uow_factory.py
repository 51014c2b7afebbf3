"""The callable services use to open a unit of work."""

from __future__ import annotations

from typing import Protocol

from desk_app.services.unit_of_work import UnitOfWork


class UowFactory(Protocol):
    def __call__(self, *, write: bool) -> UnitOfWork: ...
