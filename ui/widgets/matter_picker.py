"""诉求事项 picker: a filter line over the matter catalogue and a checkable list by group.

Made for the keyboard: type part of a name, a keyword or its pinyin initials (the
catalogue's keywords carry them, e.g. ``db`` for 低保, ``yljz`` for 医疗救助), then Enter
ticks the best match and selects the filter text so the next matter can be typed at once.
Down moves into the list, where Space or Enter toggles and typing starts a new filter.
The catalogue is small (about fifty matters), so it is loaded whole and filtered in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.catalogue import MatterRow

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
"""Item data: the matter code (None on group headers)."""

_NO_MATCH = 99


def _terms(text: str) -> list[str]:
    return [t for t in text.casefold().split() if t]


def match_score(matter: MatterRow, text: str) -> int | None:
    """How well ``matter`` answers the filter ``text``: lower is better, None = no match.

    Every space-separated term must occur in the name, group, department or keywords.
    The score of the first term ranks: 0 an exact keyword (``db``, ``低保``) or name,
    1 the name starts with it, 2 a keyword starts with it, 3 it occurs somewhere.
    """
    terms = _terms(text)
    if not terms:
        return _NO_MATCH
    name = matter.name.casefold()
    tokens = matter.keywords.casefold().split()
    haystack = " ".join((name, matter.group.casefold(), matter.department_name.casefold(), *tokens))
    if not all(t in haystack for t in terms):
        return None
    first = terms[0]
    if first == name or first in tokens:
        return 0
    if name.startswith(first):
        return 1
    if any(t.startswith(first) for t in tokens):
        return 2
    return 3


class _MatterList(QListWidget):
    """The list: Enter toggles like Space; printable keys go back to the filter line."""

    toggle_requested = Signal()
    """Enter/Return on the current item."""
    typed = Signal(QKeyEvent)
    """A printable key to hand to the filter line."""
    left_top = Signal()
    """Up on the first visible item: focus goes back to the filter line."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == Qt.KeyboardModifier.NoModifier:
            self.toggle_requested.emit()
            return
        if key == Qt.Key.Key_Up and mods == Qt.KeyboardModifier.NoModifier:
            before = self.currentRow()
            super().keyPressEvent(event)
            if self.currentRow() == before:
                self.left_top.emit()
            return
        text = event.text()
        if (
            text
            and text.isprintable()
            and not text.isspace()
            and not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.typed.emit(event)
            return
        super().keyPressEvent(event)


class MatterPicker(QWidget):
    """Filter + checkable matter list. Signals: ``choice_changed()`` after a tick or untick.

    The chosen codes keep the order in which the clerk ticked them (:meth:`chosen`).
    """

    choice_changed = Signal()
    """A matter was ticked or unticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matters: dict[str, MatterRow] = {}
        self._items: dict[str, QListWidgetItem] = {}
        self._headers: list[tuple[QListWidgetItem, list[str]]] = []
        self._chosen: list[str] = []

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("matterFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("名称、关键词或拼音首字母，回车勾选"))
        self.list = _MatterList()
        self.list.setObjectName("matterList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)  # long names wrap instead of being cut off
        self.list.setAccessibleName(self.tr("诉求事项"))
        self.setFocusProxy(self.filter_edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.returnPressed.connect(self._on_filter_edit_return_pressed)
        self.filter_edit.installEventFilter(self)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.list.toggle_requested.connect(self._on_list_toggle_requested)
        self.list.typed.connect(self._on_list_typed)
        self.list.left_top.connect(
            lambda: self.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        )

    # ----------------------------------------------------------------- content
    def set_matters(self, matters: Sequence[MatterRow]) -> None:
        """Fill the list, grouped by the catalogue's group in catalogue order."""
        chosen = [c for c in self._chosen if any(m.code == c for m in matters)]
        self._matters = {m.code: m for m in matters}
        groups: dict[str, list[MatterRow]] = {}
        for m in matters:
            groups.setdefault(m.group, []).append(m)
        self.list.blockSignals(True)
        try:
            self.list.clear()
            self._items.clear()
            self._headers.clear()
            header_font = QFont(self.list.font())
            header_font.setBold(True)
            header_brush = QBrush(self.palette().color(QPalette.ColorRole.Window))
            for group, rows in groups.items():
                header = QListWidgetItem(group)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setFont(header_font)
                header.setBackground(header_brush)
                header.setForeground(QBrush(self.palette().color(QPalette.ColorRole.Text)))
                self.list.addItem(header)
                self._headers.append((header, [m.code for m in rows]))
                for m in rows:
                    item = QListWidgetItem(m.name)
                    item.setData(CODE_ROLE, m.code)
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsUserCheckable
                    )
                    item.setCheckState(
                        Qt.CheckState.Checked if m.code in chosen else Qt.CheckState.Unchecked
                    )
                    item.setToolTip(
                        self.tr("{group}｜{department}（{queue}）").format(
                            group=m.group, department=m.department_name, queue=m.queue
                        )
                    )
                    self.list.addItem(item)
                    self._items[m.code] = item
        finally:
            self.list.blockSignals(False)
        self._chosen = chosen
        self.apply_filter()

    def matter(self, code: str) -> MatterRow | None:
        return self._matters.get(code)

    def chosen(self) -> list[str]:
        """Ticked matter codes, in the order they were ticked."""
        return list(self._chosen)

    def is_chosen(self, code: str) -> bool:
        return code in self._chosen

    def set_chosen(self, code: str, chosen: bool) -> None:
        item = self._items.get(code)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def toggle(self, code: str) -> None:
        self.set_chosen(code, not self.is_chosen(code))

    def clear_choice(self) -> None:
        for code in list(self._chosen):
            self.set_chosen(code, False)
        self.filter_edit.clear()

    def visible_codes(self) -> list[str]:
        return [c for c, item in self._items.items() if not item.isHidden()]

    def current_code(self) -> str | None:
        row = self.list.currentRow()  # the stubs claim currentItem() is never None
        return self.list.item(row).data(CODE_ROLE) if row >= 0 else None

    # ----------------------------------------------------------------- filter
    def apply_filter(self) -> None:
        text = self.filter_edit.text()
        best: tuple[int, int, str] | None = None
        for order, (code, item) in enumerate(self._items.items()):
            score = match_score(self._matters[code], text)
            item.setHidden(score is None)
            if score is not None and (best is None or (score, order) < best[:2]):
                best = (score, order, code)
        for header, codes in self._headers:
            header.setHidden(all(self._items[c].isHidden() for c in codes))
        if best is not None and _terms(text):
            item = self._items[best[2]]
            self.list.setCurrentItem(item)
            self.list.scrollToItem(item)
        else:
            self.list.setCurrentRow(-1)

    def _on_filter_edit_text_changed(self, _text: str) -> None:
        self.apply_filter()

    def _on_filter_edit_return_pressed(self) -> None:
        if not _terms(self.filter_edit.text()):
            return
        code = self.current_code()
        if code is None or self._items[code].isHidden():
            return
        self.toggle(code)
        self.filter_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self._enter_list()
                return True
            if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def _enter_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        code = self.current_code()
        if code is None or self._items[code].isHidden():
            visible = self.visible_codes()
            if visible:
                self.list.setCurrentItem(self._items[visible[0]])

    # ----------------------------------------------------------------- list
    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        code = item.data(CODE_ROLE)
        if code is None:
            return
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and code not in self._chosen:
            self._chosen.append(code)
        elif not checked and code in self._chosen:
            self._chosen.remove(code)
        else:
            return
        self.choice_changed.emit()

    def _on_list_toggle_requested(self) -> None:
        code = self.current_code()
        if code is not None:
            self.toggle(code)

    def _on_list_typed(self, event: QKeyEvent) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.filter_edit.selectAll()  # typing from the list starts a new search
        self.filter_edit.insert(event.text())
