"""Search results as a lazily paged table model.

Pages come from ``SearchService.search`` by keyset cursor; the paging itself is
:class:`ui.models.keyset_model.KeysetTableModel`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal

from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import PersonRow, SearchCursor, SearchPage
from ui.models.keyset_model import Index, KeysetTableModel

SearchFn = Callable[[str, SearchCursor | None], SearchPage]

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


class PersonSearchModel(KeysetTableModel[PersonRow, SearchCursor]):
    """Rows of :class:`PersonRow`; Signals: ``searched(mode)`` after each new query."""

    searched = Signal(str)
    """A new query's first page is in; carries how the query was read (name, initials…)."""

    def __init__(self, search: SearchFn, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = search
        self._query = ""
        self.mode = "all"

    # ------------------------------------------------------------ our API
    def set_query(self, text: str) -> None:
        """Run a new search; the first page replaces the current rows."""
        page = self._search(text, None)
        self._query = text
        self.mode = page.mode
        self._reset_rows(page.rows, page.next_cursor)
        self.searched.emit(page.mode)

    def refresh(self) -> None:
        self.set_query(self._query)

    @property
    def query(self) -> str:
        return self._query

    def _next_page(self, cursor: SearchCursor) -> tuple[Sequence[PersonRow], SearchCursor | None]:
        page = self._search(self._query, cursor)
        return page.rows, page.next_cursor

    # ------------------------------------------------------------ Qt API
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
