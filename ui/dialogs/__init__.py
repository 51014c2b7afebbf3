"""Registry dialogs: each gathers one form, calls one service, and shows problems inline.

Shared here is how a problem looks, so every dialog marks fields the same way: the
offending widget gets the dynamic property ``invalid=true`` (a red border from
:data:`FORM_STYLE`) and a red list of "字段：说明" lines sits above the buttons.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import FieldProblem
from ui.i18n import tr_label, tr_message

ERROR_COLOR = "#c62828"
"""Red with enough contrast on white (about 5.6:1) for small text."""

FORM_STYLE = f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QDateEdit[invalid="true"] {{
    border: 1px solid {ERROR_COLOR};
    border-radius: 2px;
    padding: 1px 2px;
}}
QComboBox[invalid="true"] {{
    border: 1px solid {ERROR_COLOR};
    border-radius: 2px;
    padding: 1px 18px 1px 3px;
}}
QLineEdit[readOnly="true"] {{ background: palette(window); }}
QCheckBox[invalid="true"], QListWidget[invalid="true"] {{ color: {ERROR_COLOR}; }}
"""
"""Set on each dialog: red borders on ``invalid=true``; masked read-only numbers look inert."""

D = TypeVar("D", bound=QDialog)


def open_dialog(dialog: D, on_accepted: Callable[[], None] | None = None) -> D:
    """Open ``dialog`` window-modal (``open()``, not ``exec()``); delete it once finished.

    ``on_accepted`` runs first (Qt emits ``accepted`` before ``finished``), and deletion
    is deferred to the event loop, so the dialog's results can still be read there.
    """
    if on_accepted is not None:
        dialog.accepted.connect(on_accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def reload_offer(dialog: QDialog, on_stale: Callable[[], None] | None) -> Callable[[], None] | None:
    """What “重新载入” does when a save is refused because another window changed the record.

    The dialog closes and the page shows the record as saved now. Choosing “关闭” instead
    keeps the dialog open with everything typed, so nothing is lost either way.
    """
    if on_stale is None:
        return None

    def reload() -> None:
        dialog.reject()
        on_stale()

    return reload


def problem_line(problem: FieldProblem) -> str:
    """``字段：说明`` with both parts translated."""
    return f"{tr_label('fields', problem.label)}：{tr_message(problem.message)}"


def is_invalid(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark or unmark ``widget`` as holding a wrong value (red border via FORM_STYLE)."""
    if is_invalid(widget) == invalid:
        return
    widget.setProperty("invalid", invalid)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Style sheets read properties in selectors only when the widget is polished again."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def unmark_on_change(widget: QWidget) -> None:
    """Drop the red border as soon as the clerk edits the field: the fix is under way."""

    def unmark(*_args: object) -> None:
        set_invalid(widget, False)

    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(unmark)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(unmark)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(unmark)
    elif isinstance(widget, QComboBox):
        widget.activated.connect(unmark)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(unmark)


class ProblemLabel(QLabel):
    """The red list of problems above the dialog's buttons; hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problem_label")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setAccessibleName(QCoreApplication.translate("dialogs", "需要修改的内容"))
        self.hide()

    def show_lines(self, lines: Iterable[str]) -> None:
        text = "\n".join(lines)
        self.setText(text)
        self.setVisible(bool(text))

    def show_problems(self, problems: Iterable[FieldProblem]) -> None:
        self.show_lines(problem_line(p) for p in problems)

    def clear_problems(self) -> None:
        self.clear()
        self.hide()

    def lines(self) -> list[str]:
        return self.text().splitlines() if self.text() else []


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """保存/取消 (texts from Qt's own translation) with Ctrl+S as a second way to save.

    The caller connects ``accepted``; Esc and 取消 reject the dialog.
    """
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    save = box.button(QDialogButtonBox.StandardButton.Save)
    save.setDefault(True)
    box.rejected.connect(dialog.reject)
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), dialog)
    shortcut.activated.connect(save.click)
    return box


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab visits ``widgets`` in this order (keyboard-only use follows reading order)."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """The one form layout every dialog uses: right-aligned "标签：" labels, growing fields.

    With a ``parent`` the rows sit at the top of it: a QFormLayout would otherwise spread
    spare height between its rows, which reads as gaps in a tab page.
    """
    layout = QFormLayout()
    if parent is not None:
        outer = QVBoxLayout(parent)
        outer.addLayout(layout)
        outer.addStretch(1)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    return layout


def add_row(
    form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget | None = None
) -> QLabel:
    """Add a row whose label's "(&X)" mnemonic focuses ``buddy`` (default: ``field``).

    QFormLayout sets a buddy only when the field is a widget; for a row built from a
    layout the label would show a literal "&" without one.
    """
    label = QLabel(text)
    target = buddy if buddy is not None else field if isinstance(field, QWidget) else None
    if target is not None:
        label.setBuddy(target)
    form.addRow(label, field)
    return label


def align_labels(forms: Iterable[QFormLayout]) -> None:
    """Give the label columns of several forms (e.g. tab pages) one common width."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                labels.append(widget)
    width = max((w.sizeHint().width() for w in labels), default=0)
    for widget in labels:
        widget.setMinimumWidth(width)
        if isinstance(widget, QLabel):
            # The label is now wider than its text: keep the text against the field.
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def align_label_with(form: QFormLayout, field: QWidget, first_line: QWidget) -> None:
    """Put the label of ``field`` level with ``first_line`` instead of ``field``'s middle.

    For fields taller than one line whose first line is the input, e.g. the ID number
    with its hint underneath: a centred label would sit between the two.
    """
    label = form.labelForField(field)
    if not isinstance(label, QLabel):
        return
    top = max(0, (first_line.sizeHint().height() - label.sizeHint().height()) // 2)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, top, 0, 0)


def label_text(source: str, mnemonic: str = "") -> str:
    """A field label as shown in forms: translated, optional "(&X)" mnemonic, "：" colon."""
    text = tr_label("fields", source)
    return f"{text}(&{mnemonic})：" if mnemonic else f"{text}："
