"""A table model loaded page by page from a service that pages by keyset.

Qt asks for more rows through ``canFetchMore``/``fetchMore`` as the view scrolls. Ported
from Qt's C++ ``fetchmore`` example, not its Python port: the parent check, the inclusive
``start + n - 1`` end and the re-entrancy guard all matter (aesthetics.md §0.2; every
subclass is checked with ``qtmodeltester``). Subclasses fetch the first page themselves
(so a failed query leaves the model as it was), hand it to :meth:`_reset_rows`, and
implement :meth:`_next_page`, ``columnCount``, ``data`` and ``headerData``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
C = TypeVar("C")


class KeysetTableModel(QAbstractTableModel, Generic[R, C]):
    """Rows of type ``R`` and a cursor of type ``C`` (None once the last page is in)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._cursor: C | None = None
        self._fetching = False

    def _next_page(self, cursor: C) -> tuple[Sequence[R], C | None]:
        """The rows after ``cursor`` and the cursor after them."""
        raise NotImplementedError

    def _reset_rows(self, rows: Sequence[R], cursor: C | None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cursor = cursor
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def has_more(self) -> bool:
        return self._cursor is not None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._cursor is not None

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._cursor is None or self._fetching:
            return
        self._fetching = True
        try:
            rows, cursor = self._next_page(self._cursor)
            if rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                self._cursor = cursor
                self.endInsertRows()
            else:
                self._cursor = None
        finally:
            self._fetching = False
