"""Search results as a lazily paged table model.

Pages come from ``SearchService.search`` by keyset cursor; Qt asks for more through
``canFetchMore``/``fetchMore`` as the view scrolls. Ported from Qt's C++ ``fetchmore``
example, not the Python port: the parent check, the inclusive ``- 1`` end and the
re-entrancy guard all matter (aesthetics.md §0.2; checked by ``qtmodeltester``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import PersonRow, SearchCursor, SearchPage

SearchFn = Callable[[str, SearchCursor | None], SearchPage]
Index = QModelIndex | QPersistentModelIndex

PERSON_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_LABEL_CONTEXT = "registry"
"""Translation context of the vocabulary labels (``desk_app.domain.registry.LABELS``)."""

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("PersonSearchModel", "姓名")),
    ("id_masked", QT_TRANSLATE_NOOP("PersonSearchModel", "身份证号码")),
    ("sex", QT_TRANSLATE_NOOP("PersonSearchModel", "性别")),
    ("age", QT_TRANSLATE_NOOP("PersonSearchModel", "年龄")),
    ("relation_label", QT_TRANSLATE_NOOP("PersonSearchModel", "与户主关系")),
    ("household_number", QT_TRANSLATE_NOOP("PersonSearchModel", "户编号")),
    ("village", QT_TRANSLATE_NOOP("PersonSearchModel", "村（社区）")),
    ("group_name", QT_TRANSLATE_NOOP("PersonSearchModel", "组")),
)


class PersonSearchModel(QAbstractTableModel):
    """Rows of :class:`PersonRow`; Signals: ``searched(mode)`` after each new query."""

    searched = Signal(str)
    """A new query's first page is in; carries how the query was read (name, initials…)."""

    def __init__(self, search: SearchFn, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = search
        self._query = ""
        self._rows: list[PersonRow] = []
        self._cursor: SearchCursor | None = None
        self._fetching = False
        self.mode = "all"

    # ------------------------------------------------------------ our API
    def set_query(self, text: str) -> None:
        """Run a new search; the first page replaces the current rows."""
        page = self._search(text, None)
        self.beginResetModel()
        self._query = text
        self._rows = list(page.rows)
        self._cursor = page.next_cursor
        self.mode = page.mode
        self.endResetModel()
        self.searched.emit(page.mode)

    def refresh(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> PersonRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def query(self) -> str:
        return self._query

    @property
    def has_more(self) -> bool:
        return self._cursor is not None

    # ------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            key = _COLUMNS[index.column()][0]
            if key == "relation_label":
                # The service hands out the source label (marked in desk_app.domain.registry).
                label = row.relation_label
                return QCoreApplication.translate(_LABEL_CONTEXT, label) if label else ""
            return str(getattr(row, key))
        if role == PERSON_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and _COLUMNS[index.column()][0] == "age":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_COLUMNS)
        ):
            return QCoreApplication.translate("PersonSearchModel", _COLUMNS[section][1])
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._cursor is not None

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._cursor is None or self._fetching:
            return
        self._fetching = True
        try:
            page = self._search(self._query, self._cursor)
            if page.rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self._cursor = page.next_cursor
                self.endInsertRows()
            else:
                self._cursor = None
        finally:
            self._fetching = False
