"""显示完整: an ID number and phone in full, for a while (issue #8 field masking).

Masked is the default everywhere. Only a role with ``Permission.REVEAL_FULL`` sees the
显示完整 button; each look goes through ``services.households.reveal_id_number`` /
``reveal_phone``, which write an audit row. The full values are taken back after the
parameter ``auth.reveal_seconds`` (default 60), when another person is selected, and on
恢复遮盖.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QTableWidget, QTableWidgetItem, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.services.dto import PersonDetail
from ui.errors import show_error

DEFAULT_REVEAL_SECONDS = 60
NOT_ALLOWED_TEXT = "（无权查看）"
"""Shown instead of a blank where the role may not see health or child details."""


def _tr(source: str) -> str:
    return QCoreApplication.translate("Reveal", source)


def services_of(widget: QWidget | None) -> Services | None:
    """The services of the nearest enclosing widget with a ``services`` attribute."""
    while widget is not None:
        found = getattr(widget, "services", None)
        if isinstance(found, Services):
            return found
        widget = widget.parentWidget()
    return None


def reveal_seconds(services: Services) -> int:
    try:
        value = services.parameters.value("auth.reveal_seconds")
    except DeskAppError:
        return DEFAULT_REVEAL_SECONDS
    number = value.value if value is not None else None
    return int(number) if isinstance(number, int | float) and number > 0 else DEFAULT_REVEAL_SECONDS


class Revealer(QObject):
    """Fetches one person's full numbers (audited) and takes them back after a while.

    Signals: ``revealed(dict)`` with ``id_number`` and, when stored, ``phone``;
    ``remasked()`` when the masked values are to be shown again.
    ``timeout_ms``: fixed time for tests; None reads ``auth.reveal_seconds``.
    """

    revealed = Signal(object)
    remasked = Signal()

    def __init__(
        self, find_services: Callable[[], Services | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._find_services = find_services
        self._widget = parent
        self.timeout_ms: int | None = None
        self.seconds = DEFAULT_REVEAL_SECONDS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.remask)
        self.active = False

    def allowed(self) -> bool:
        services = self._find_services()
        return services is not None and services.context.can(Permission.REVEAL_FULL)

    def reveal(self, person_id: int, *, phone: bool = True) -> dict[str, str] | None:
        services = self._find_services()
        if services is None:
            return None
        try:
            values = {"id_number": services.households.reveal_id_number(person_id)}
            if phone:
                values["phone"] = services.households.reveal_phone(person_id)
        except DeskAppError as exc:
            show_error(self._widget, exc)
            return None
        self.seconds = reveal_seconds(services)
        self._timer.start(self.timeout_ms if self.timeout_ms is not None else self.seconds * 1000)
        self.active = True
        self.revealed.emit(values)
        return values

    def remask(self) -> None:
        self._timer.stop()
        if self.active:
            self.active = False
            self.remasked.emit()


class RevealButton(QPushButton):
    """显示完整 / 恢复遮盖 for one person; hidden for roles without the permission."""

    def __init__(self, revealer: Revealer, parent: QWidget | None = None) -> None:
        super().__init__(_tr("显示完整(&Q)"), parent)
        self.setObjectName("revealButton")
        self.revealer = revealer
        self.person_id: int | None = None
        self.has_phone = False
        self.setAutoDefault(False)
        self.clicked.connect(self._on_clicked)
        revealer.revealed.connect(lambda _values: self._show_state())
        revealer.remasked.connect(self._show_state)
        self._show_state()

    def set_person(self, person_id: int | None, *, has_phone: bool = False) -> None:
        if person_id != self.person_id:
            self.revealer.remask()
        self.person_id = person_id
        self.has_phone = has_phone
        self._show_state()

    def _show_state(self) -> None:
        self.setVisible(self.revealer.allowed())
        self.setEnabled(self.person_id is not None)
        if self.revealer.active:
            self.setText(_tr("恢复遮盖(&Q)"))
            self.setToolTip("")
        else:
            self.setText(_tr("显示完整(&Q)"))
            self.setToolTip(
                _tr(
                    "显示完整的身份证号码和电话，{seconds}秒后自动恢复遮盖。每次查看都记入审计日志。"
                ).format(seconds=self.revealer.seconds)
            )

    def _on_clicked(self) -> None:
        if self.revealer.active:
            self.revealer.remask()
        elif self.person_id is not None:
            self.revealer.reveal(self.person_id, phone=self.has_phone)


class MemberNumbers(QObject):
    """显示完整 for the member selected in a table: their ID number cell shows the full
    number for a while, then the masked number again (the phone, not in the table, is
    shown in full in the person dialog).

    The table takes no extra line on the household page (1366×768, large font); the
    button sits wherever the page puts it. Rows carry the person id in column 0's
    ``UserRole`` data.
    """

    def __init__(
        self,
        find_services: Callable[[], Services | None],
        table: QTableWidget,
        id_column: int,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.person: PersonDetail | None = None
        self._table = table
        self._column = id_column
        self._values: dict[str, str] = {}
        self.revealer = Revealer(find_services, parent)
        self.button = RevealButton(self.revealer)
        self.revealer.revealed.connect(self._on_revealed)
        self.revealer.remasked.connect(self._show_masked)

    def set_person(self, person: PersonDetail | None) -> None:
        """Follow the selection: another person (or none, e.g. while the table is
        refilled) masks what was shown in full."""
        changed = (person.id if person else None) != (self.person.id if self.person else None)
        if changed:
            self.revealer.remask()  # while self.person is still the one shown in full
        self.person = person
        # The table shows no phone: only the ID number is fetched (and audited).
        self.button.set_person(person.id if person else None, has_phone=False)
        if self.revealer.active:
            self._on_revealed(self._values)

    def _cell(self) -> QTableWidgetItem | None:
        if self.person is None:
            return None
        for row in range(self._table.rowCount()):
            first = self._table.item(row, 0)
            if first is not None and first.data(Qt.ItemDataRole.UserRole) == self.person.id:
                return self._table.item(row, self._column)
        return None

    def shown_id_number(self) -> str:
        cell = self._cell()
        return cell.text() if cell is not None else ""

    def _on_revealed(self, values: dict[str, str]) -> None:
        self._values = dict(values)
        cell = self._cell()
        if cell is None:
            return
        cell.setText(values.get("id_number", ""))
        cell.setToolTip(_tr("{seconds}秒后自动恢复遮盖").format(seconds=self.revealer.seconds))

    def _show_masked(self) -> None:
        self._values = {}
        cell = self._cell()
        if cell is not None and self.person is not None:
            cell.setText(self.person.id_masked)
            cell.setToolTip("")
