"""An ID-number field that checks the number as the clerk types.

The hint under the field answers the two questions a clerk has while copying a number
from a card: "did I copy it right?" (the exact problem, e.g. the check character that
the number should end with) and "is it the right person?" (sex, birth date and age
derived from the number, to compare with the applicant in front of the window).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from desk_app.domain.ids import IdCheck, IdNumber, Sex, age_on, check_id_number, normalize_id_number
from ui.i18n import tr_message

ID_NUMBER_LENGTH = 18

# "partial" is a number still being typed (digits only, too short): grey, not an error yet.
_STYLE = """
QLabel[state="bad"] { color: #c62828; }
QLabel[state="partial"] { color: #666666; }
"""


class IdNumberEdit(QWidget):
    """A line edit for an 18-character ID number plus a live hint line.

    Full-width digits, spaces and a lower-case x are accepted: the domain normalises them.
    """

    validity_changed = Signal(bool)
    """Emitted when the number becomes valid or stops being valid."""

    def __init__(
        self, parent: QWidget | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._check: IdCheck | None = None
        self._valid = False

        self.line_edit = QLineEdit(self)
        self.line_edit.setMaxLength(ID_NUMBER_LENGTH)
        self.line_edit.setPlaceholderText(self.tr("18位身份证号码"))
        self.line_edit.setAccessibleName(self.tr("身份证号码"))
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(_STYLE)
        self.hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Reserve one line so the form does not jump when the first hint appears.
        self.hint.setMinimumHeight(self.hint.fontMetrics().height())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.line_edit)
        # Never take spare height from a form: the hint is one or two lines.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.line_edit.textChanged.connect(self._on_line_edit_text_changed)
        self._set_hint("", "partial")

    # ------------------------------------------------------------------ API
    def value(self) -> str:
        """The normalised number as typed (may be invalid; empty when nothing typed)."""
        return normalize_id_number(self.line_edit.text())

    def set_value(self, text: str) -> None:
        self.line_edit.setText(text)

    def is_valid(self) -> bool:
        return self._valid

    def id_number(self) -> IdNumber | None:
        """The parsed number when valid."""
        return self._check.id if self._check is not None else None

    def hint_text(self) -> str:
        return self.hint.text()

    def hint_state(self) -> str:
        """``ok``, ``partial`` (still typing) or ``bad``; tests and styles read this."""
        return str(self.hint.property("state"))

    # ---------------------------------------------------------------- slots
    def _on_line_edit_text_changed(self, text: str) -> None:
        value = normalize_id_number(text)
        if not value:
            self._check = None
            self._set_hint("", "partial")
            self._set_valid(False)
            return
        today = self._today()
        check = check_id_number(value, today)
        self._check = check
        if check.id is not None:
            self._set_hint(self._describe(check.id, today), "ok")
        else:
            assert check.problem is not None
            still_typing = len(value) < ID_NUMBER_LENGTH and value.isdigit()
            self._set_hint(tr_message(check.problem), "partial" if still_typing else "bad")
        self._set_valid(check.ok)

    # -------------------------------------------------------------- helpers
    def _describe(self, parsed: IdNumber, today: dt.date) -> str:
        sex = self.tr("男") if parsed.sex is Sex.MALE else self.tr("女")
        age = self.tr("{age}岁").format(age=age_on(parsed.birth_date, today))
        return f"{sex} · {parsed.birth_date.isoformat()} · {age}"

    def _set_hint(self, text: str, state: str) -> None:
        self.hint.setText(text)
        if self.hint.property("state") != state:
            self.hint.setProperty("state", state)
            # A dynamic property only restyles after an explicit re-polish.
            self.hint.style().unpolish(self.hint)
            self.hint.style().polish(self.hint)

    def _set_valid(self, valid: bool) -> None:
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
