"""A combo box over a :class:`~desk_app.domain.registry.Labelled` enum.

Items show the translated Chinese label; the item data is the member's code. PySide6
stores a ``StrEnum`` in a QVariant as a plain ``str``, so :meth:`EnumCombo.value` maps
the code back to the member instead of trusting ``itemData`` to keep the type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

from desk_app.domain.registry import Labelled
from ui.i18n import tr_label

E = TypeVar("E", bound=Labelled)

_LABEL_CONTEXT = "registry"


class EnumCombo(QComboBox, Generic[E]):
    """Pick one member of ``enum_cls`` (optionally none) by its label.

    Args:
        enum_cls: the vocabulary, e.g. ``Relation``.
        parent: Qt parent.
        members: the members offered, in order; default every member in enum order.
        allow_none: add a first item meaning "not filled in", whose value is None.
        none_text: the text of that item; default "（未填）".
    """

    def __init__(
        self,
        enum_cls: type[E],
        parent: QWidget | None = None,
        *,
        members: Iterable[E] | None = None,
        allow_none: bool = False,
        none_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._enum_cls = enum_cls
        self._allow_none = allow_none
        self._none_text = none_text
        # Long labels (不适用（学生、老人等）) must not widen the whole form.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_members(list(enum_cls) if members is None else list(members))

    def set_members(self, members: Iterable[E]) -> None:
        """Replace the offered members, keeping the current value when it is still offered."""
        current = self.value() if self.count() else None
        self.blockSignals(True)
        try:
            self.clear()
            if self._allow_none:
                self.addItem(self._none_text or self.tr("（未填）"), None)
            for member in members:
                self.addItem(tr_label(_LABEL_CONTEXT, member.label), member.value)
        finally:
            self.blockSignals(False)
        self.set_value(current)

    def members(self) -> list[E]:
        """The members offered, in display order (without the none item)."""
        return [m for m in (self._member_at(i) for i in range(self.count())) if m is not None]

    def value(self) -> E | None:
        """The chosen member, or None for the none item (or an empty combo)."""
        return self._member_at(self.currentIndex())

    def set_value(self, value: E | str | None) -> None:
        """Select ``value`` (a member or its code). None selects the none item, else the first."""
        code = value.value if isinstance(value, Labelled) else value
        index = self.findData(code) if code is not None else -1
        if index < 0:
            index = 0 if self.count() else -1
        self.setCurrentIndex(index)

    def _member_at(self, index: int) -> E | None:
        if index < 0:
            return None
        code = self.itemData(index)
        return None if code is None else self._enum_cls(code)
