"""The frame the document and 公示 dialogs share: a form, the red problem list, two buttons.

A subclass adds rows to :attr:`FormDialog.form`, registers each input under the field
name the service (or its own checks) reports in :attr:`FormDialog.fields`, calls
:meth:`FormDialog.finish` and implements :meth:`FormDialog.submit`. Problems keep the
dialog open with everything typed, mark the fields and name them in the red list, as in
every other dialog (:mod:`ui.dialogs`).

:class:`DocumentFormDialog` is the same frame for one household's document (临时救助审批表,
agreements, 告知书): 预览/打印… builds the content record and opens the preview over the
form, which stays open with what was typed. Helpers parse amounts (naming the field when
unreadable) and name the issuer and the village committee from the window's identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.documents import AnyContent, Person
from desk_app.domain.registry import Relation
from desk_app.errors import ConcurrentEditError, DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import HouseholdDetail, PersonDetail
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    chain_tab_order,
    form_layout,
    set_invalid,
    unmark_on_change,
)
from ui.dialogs.document_preview import open_preview
from ui.errors import show_error
from ui.i18n import tr_label

DATE_FORMAT = "yyyy-MM-dd"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def text_box(lines: int, widget: QWidget) -> QPlainTextEdit:
    """A plain-text box ``lines`` high where Tab moves on (the form stays keyboard-driven)."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(widget.fontMetrics().lineSpacing() * lines + 12)
    return box


def problem(field: str, label: str, text: str) -> FieldProblem:
    """A problem with a field label (context ``fields``) and a text (context ``validation``)."""
    return FieldProblem(field, label, Message("validation", text))


def parse_amount(
    text: str, field: str, label: str, problems: list[FieldProblem], *, required: bool = True
) -> Decimal | None:
    """An amount in 元 (``1200`` or ``1,200.50``); adds a problem naming ``label`` if wrong."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    if not cleaned:
        if required:
            problems.append(
                problem(field, label, QT_TRANSLATE_NOOP("validation", "请填写金额（元）"))
            )
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value > Decimal("10000000"):
        problems.append(
            problem(
                field, label, QT_TRANSLATE_NOOP("validation", "应为不小于0的金额，如 1200 或 1200.50")
            )
        )  # fmt: skip
        return None
    return value.quantize(Decimal("0.01"))


class FormDialog(QDialog):
    """A form with :attr:`problem_label` and an OK button named by the subclass.

    Attributes:
        stale: set when another window changed the record first (the dialog then closes).
    """

    def __init__(
        self, title: str, ok_text: str, parent: QWidget | None = None, *, cancel_text: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(FORM_STYLE)
        self.stale = False
        self.on_stale: Callable[[], None] | None = None
        """Set by the page: shows the record afresh when the clerk asks to reload it."""
        self.fields: dict[str, QWidget] = {}
        self.layout_ = QVBoxLayout(self)
        self.form = form_layout()
        self.form_host: QWidget | None = None
        """The widget holding :attr:`form` (set by :meth:`finish`)."""
        self.problem_label = ProblemLabel(self)
        self.button_box = QDialogButtonBox(self)
        self._ok = self.button_box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self._ok.setDefault(True)
        cancel = self.button_box.addButton(QDialogButtonBox.StandardButton.Cancel)
        if cancel_text:
            cancel.setText(cancel_text)
        self.button_box.accepted.connect(self._on_accepted)
        self.button_box.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._ok.click)

    def heading(self, text: str) -> QLabel:
        """A plain-text line above the form naming what the dialog acts on."""
        label = QLabel(text)
        label.setObjectName("dialogHeading")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.layout_.addWidget(label)
        return label

    def finish(
        self, order: Sequence[QWidget] = (), width: int = 520, *, scroll: bool = False
    ) -> None:
        """Put the form, the problems and the buttons in place; call once, last.

        ``scroll``: a long form scrolls inside the dialog, so the buttons stay on a
        1366x768 screen (large font too).
        """
        if scroll:
            host = QWidget()
            host.setLayout(self.form)
            self.form_host = host
            area = QScrollArea()
            area.setObjectName("formScroll")
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            area.setWidget(host)
            screen = self.screen().availableGeometry().height() if self.screen() else 768
            area.setMinimumHeight(min(host.sizeHint().height() + 4, int(screen * 0.68)))
            area.setMinimumWidth(host.sizeHint().width() + 24)
            self.layout_.addWidget(area, 1)
        else:
            self.form_host = QWidget()
            self.form_host.setLayout(self.form)
            self.form.setContentsMargins(0, 0, 0, 0)
            self.layout_.addWidget(self.form_host)
            self.layout_.addStretch(1)
        self.layout_.addWidget(self.problem_label)
        self.layout_.addWidget(self.button_box)
        for widget in self.fields.values():
            unmark_on_change(widget)
        if order:
            chain_tab_order([*order, self._ok])
            order[0].setFocus()
        self.resize(max(width, self.sizeHint().width()), self.sizeHint().height())

    def ok_button(self) -> QPushButton:
        return self._ok

    def save_button(self) -> QPushButton:
        """The OK button (the name the other dialogs' tests use)."""
        return self._ok

    def field_widget(self, field: str) -> QWidget | None:
        return self.fields.get(field)

    def submit(self) -> bool:
        """Check and act; True closes the dialog. Raise ``ValidationError`` for problems."""
        raise NotImplementedError

    def _on_accepted(self) -> None:
        self.problem_label.clear_problems()
        for widget in self.fields.values():
            set_invalid(widget, False)
        try:
            done = self.submit()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        except ConcurrentEditError as exc:
            self.stale = True
            show_error(self.parentWidget(), exc, on_reload=self.on_stale)
            self.reject()
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        if done:
            self.accept()

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = [w for w in (self.fields.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)


class RowsTable(QTableWidget):
    """A few editable lines (relatives, supporters, measures); empty lines are ignored."""

    def __init__(self, columns: Sequence[str], rows: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, len(columns), parent)
        self.setHorizontalHeaderLabels(list(columns))
        self.verticalHeader().setVisible(False)
        self.setTabKeyNavigation(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row in range(rows):
            for col in range(len(columns)):
                self.setItem(row, col, QTableWidgetItem(""))
        line = self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(header.sizeHint().height() + line * rows + 4)

    def set_row(self, row: int, values: Sequence[str]) -> None:
        for col, value in enumerate(values):
            self.setItem(row, col, QTableWidgetItem(value))

    def filled_rows(self) -> list[tuple[int, list[str]]]:
        """``(row, texts)`` of every line with anything typed in it."""
        out: list[tuple[int, list[str]]] = []
        for row in range(self.rowCount()):
            texts = []
            for col in range(self.columnCount()):
                item = self.item(row, col)
                texts.append(item.text().strip() if item is not None else "")
            if any(texts):
                out.append((row, texts))
        return out


def issuer_name(township: str) -> str:
    """The body that signs and seals: 某某镇人民政府 / 某某街道办事处."""
    if not township:
        return ""
    if township.endswith(("人民政府", "办事处")):
        return township
    return f"{township}办事处" if township.endswith("街道") else f"{township}人民政府"


def village_committee(township: str, village: str) -> str:
    """某某镇某某村民委员会 / 某某街道某某社区居民委员会 (the witness on agreements)."""
    if not village:
        return ""
    if village.endswith("社区"):
        return f"{township}{village}居民委员会"
    if village.endswith("村"):
        return f"{township}{village}民委员会"
    return f"{township}{village}村民委员会"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_month_start(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


# ======================================================================= document forms
def person_of(member: PersonDetail, household: HouseholdDetail) -> Person:
    """A registry member as a form names them: masked ID number and phone, as on screen."""
    relation = tr_label("registry", Relation(member.relation).label) if member.relation else ""
    return Person(
        name=member.name,
        id_number=member.id_masked,
        relation=relation,
        phone=member.phone_masked,
        address=household.address,
    )


def member_combo(household: HouseholdDetail, *, adults_only: bool = False) -> QComboBox:
    """The household's members (head first), the person id as item data."""
    combo = QComboBox()
    members = sorted(household.members, key=lambda m: m.relation != "head")
    for m in members:
        if adults_only and m.age < 18:
            continue
        relation = tr_label("registry", Relation(m.relation).label) if m.relation else ""
        combo.addItem(
            QCoreApplication.translate("DocumentForms", "{name}（{relation}，{age}岁）").format(
                name=m.name, relation=relation or "—", age=m.age
            ),
            m.id,
        )
    return combo


class DocumentFormDialog(FormDialog):
    """A form for one household's document: 预览/打印… builds it and opens the preview.

    The form stays open under the preview, so 返回修改 (missing characters) or a second
    look comes back to what was typed. Subclasses implement :meth:`content`.
    """

    def __init__(
        self,
        services: Services,
        household: HouseholdDetail,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            title,
            QCoreApplication.translate("DocumentForms", "预览/打印(&P)…"),
            parent,
            cancel_text=QCoreApplication.translate("DocumentForms", "关闭"),
        )
        self.services = services
        self.household = household
        self.site = services.site.get()
        self.today = services.context.today()
        self.preview: object = None
        """What 预览/打印 opened last (the preview, or the missing-characters question)."""
        head = household.head
        self.heading(
            QCoreApplication.translate(
                "DocumentForms", "户 {number}　户主 {head}　{village}{group}　{count}人"
            ).format(
                number=household.number,
                head=head.name if head else "—",
                village=household.village,
                group=household.group_name,
                count=len(household.members),
            )
        )

    @property
    def township(self) -> str:
        return self.site.township_name if self.site else self.household.township

    def member(self, combo: QComboBox) -> PersonDetail | None:
        person_id = combo.currentData()
        return next((m for m in self.household.members if m.id == person_id), None)

    def content(self) -> AnyContent:
        """The filled content record; raise ``ValidationError`` naming fields."""
        raise NotImplementedError

    def submit(self) -> bool:
        content = self.content()
        self.preview = open_preview(
            self, self.services.documents, content, household_id=self.household.id
        )
        return False
