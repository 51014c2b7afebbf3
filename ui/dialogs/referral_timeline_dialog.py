"""A window around :class:`~ui.widgets.timeline_view.TimelineView` for one household."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desk_app.bootstrap import Services
from desk_app.services.dto import TimelineEntry
from ui.widgets.timeline_view import TimelineView


class HouseholdTimelineDialog(QDialog):
    """一户一条救助链 of one household; non-modal, with a 关闭 button.

    Args:
        entries: ``services.intake.timeline(household_id)``.
        title: who the household is, e.g. "户 520402102-00001　户主 张三（新华村）".
        parent: Qt parent.
    """

    def __init__(
        self, entries: Sequence[TimelineEntry], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("一户一条救助链 — {title}").format(title=title))
        heading = QLabel(title)
        heading.setObjectName("timelineHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        heading.setFont(font)
        self.view = TimelineView()
        self.view.set_entries(entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        table = self.view.table
        natural = sum(table.sizeHintForColumn(c) for c in range(table.columnCount() - 1))
        screen = self.screen().availableGeometry() if self.screen() else None
        most = int(screen.width() * 0.95) if screen else 1300
        width = max(1100, min(natural + self.fontMetrics().horizontalAdvance("说") * 24 + 60, most))
        self.resize(width, max(560, self.fontMetrics().height() * 28))

    @classmethod
    def for_household(
        cls, services: Services, household_id: int, title: str, parent: QWidget | None = None
    ) -> HouseholdTimelineDialog:
        """Read the household's timeline and show it beside the main window (non-modal,
        deleted when closed) so the clerk can keep working while reading it."""
        dialog = cls(services.intake.timeline(household_id), title, parent)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog
