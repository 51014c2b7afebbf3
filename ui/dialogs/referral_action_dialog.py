"""One step of a referral's lifecycle, recorded at the window (domain.md §3.3).

One dialog adapts its fields to the action:

* 转出 / 登记部门受理 / 催办 — an optional note;
* 登记办结 — the department's result, the date it was settled and an optional amount (元);
* 登记退回 — the department's reason (required);
* 回访 — whether the hardship eased, and what the visit found.

The dialog calls the service itself so that a validation problem keeps it open with
what was typed; a concurrent change (another window acted first) is shown and the
dialog closes so that the page reloads the referral.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.intake import ACTION_LABELS, Eased, ReferralAction
from desk_app.errors import ConcurrentEditError, DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import ReferralDetail
from desk_app.services.referrals import Reply
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    add_row,
    chain_tab_order,
    form_layout,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_label
from ui.widgets.enum_combo import EnumCombo

ActFn = Callable[[ReferralAction, Reply], ReferralDetail]

DATE_FORMAT = "yyyy-MM-dd"
NOTE_MAX = 1000

_NOTE_LABELS: dict[ReferralAction, tuple[str, str]] = {
    # action: (label, placeholder)
    ReferralAction.SEND: (
        QT_TRANSLATE_NOOP("ReferralActionDialog", "转出说明(&N)："),
        QT_TRANSLATE_NOOP("ReferralActionDialog", "可不填。如：材料已随件送县医保局，联系人张科长"),
    ),
    ReferralAction.ACCEPT: (
        QT_TRANSLATE_NOOP("ReferralActionDialog", "受理说明(&N)："),
        QT_TRANSLATE_NOOP(
            "ReferralActionDialog", "可不填。如：部门电话告知已受理，受理号 2026-118"
        ),
    ),
    ReferralAction.REMIND: (
        QT_TRANSLATE_NOOP("ReferralActionDialog", "催办情况(&N)："),
        QT_TRANSLATE_NOOP("ReferralActionDialog", "可不填。如：电话催办，对方答复本周内办结"),
    ),
    ReferralAction.RETURN: (
        QT_TRANSLATE_NOOP("ReferralActionDialog", "退回原因(&N)："),
        QT_TRANSLATE_NOOP(
            "ReferralActionDialog", "部门退回的原因，如：不属本部门职责，建议转县卫健局"
        ),
    ),
    ReferralAction.FOLLOW_UP: (
        QT_TRANSLATE_NOOP("ReferralActionDialog", "回访情况(&N)："),
        QT_TRANSLATE_NOOP(
            "ReferralActionDialog", "回访时看到、听到的情况，如：已报销住院费，生活基本稳定"
        ),
    ),
}


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def referral_heading(detail: ReferralDetail) -> str:
    """One line naming the referral, so the clerk sees what the dialog acts on."""
    row = detail.row
    return QCoreApplication.translate(
        "ReferralActionDialog",
        "{number}　{matter}\n{department}　户主 {head}（{village}）　到期 {due}　当前状态：{status}",
    ).format(
        number=row.number,
        matter=row.matter_name,
        department=row.department_name,
        head=row.head_name or "—",
        village=row.village,
        due=f"{row.due_date:%Y-%m-%d}",
        status=tr_label("registry", row.status.label),
    )


def fitting_width(widget: QWidget, text: str, least: int) -> int:
    """A width that shows each line of ``text`` unwrapped (large font too), within the
    screen; at least ``least`` pixels."""
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0)
    screen = widget.screen().availableGeometry().width() if widget.screen() else 1366
    return max(least, min(widest + 48, int(screen * 0.9)))


class ReferralActionDialog(QDialog):
    """Record one :class:`ReferralAction` on one referral.

    Args:
        detail: the referral as last read (its version guards against concurrent edits).
        action: what to record; the fields shown depend on it.
        act: ``(action, reply) -> ReferralDetail``, e.g. a lambda over
            ``services.referrals.act(id, version, …)``.
        today: the services' date (default 办结日期, and its latest allowed value).
        parent: Qt parent.

    After 保存 succeeds, :attr:`result_detail` holds the referral as now stored.
    :attr:`stale` is set when another window acted first (the dialog then closes).
    """

    def __init__(
        self,
        detail: ReferralDetail,
        action: ReferralAction,
        act: ActFn,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.detail = detail
        self.action = action
        self._act = act
        self.result_detail: ReferralDetail | None = None
        self.stale = False
        self.setWindowTitle(
            self.tr("{action} — {number}").format(
                action=tr_label("registry", ACTION_LABELS[action]), number=detail.row.number
            )
        )
        self.setStyleSheet(FORM_STYLE)

        layout = QVBoxLayout(self)
        heading = QLabel(referral_heading(detail))
        heading.setObjectName("referralHeading")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)

        form = form_layout()
        self.result_edit: QPlainTextEdit | None = None
        self.amount_edit: QLineEdit | None = None
        self.result_date_edit: QDateEdit | None = None
        self.eased_combo: EnumCombo[Eased] | None = None
        self.note_edit: QPlainTextEdit | None = None
        self._field_widgets: dict[str, QWidget] = {}
        order: list[QWidget] = []

        if action is ReferralAction.COMPLETE:
            self.result_edit = QPlainTextEdit()
            self.result_edit.setPlaceholderText(
                self.tr("部门答复的办理结果，如：已纳入医疗救助，报销住院自付费用")
            )
            self.result_edit.setTabChangesFocus(True)
            self.result_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            add_row(form, self.tr("办理结果(&R)："), self.result_edit)
            self.result_date_edit = QDateEdit(_qdate(today()))
            self.result_date_edit.setCalendarPopup(True)
            self.result_date_edit.setDisplayFormat(DATE_FORMAT)
            self.result_date_edit.setMinimumDate(_qdate(detail.row.created_at.date()))
            self.result_date_edit.setMaximumDate(_qdate(today()))
            add_row(form, self.tr("办结日期(&D)："), self.result_date_edit)
            self.amount_edit = QLineEdit()
            self.amount_edit.setMaxLength(16)
            self.amount_edit.setPlaceholderText(self.tr("可不填，如 1200 或 1200.50"))
            amount_row = QHBoxLayout()
            amount_row.addWidget(self.amount_edit, 1)
            amount_row.addWidget(QLabel(self.tr("元")))
            add_row(form, self.tr("救助金额(&A)："), amount_row, self.amount_edit)
            self._field_widgets.update(
                result=self.result_edit,
                result_date=self.result_date_edit,
                amount=self.amount_edit,
            )
            order += [self.result_edit, self.result_date_edit, self.amount_edit]
        if action is ReferralAction.FOLLOW_UP:
            self.eased_combo = EnumCombo(Eased, allow_none=True, none_text=self.tr("（请选择）"))
            add_row(form, self.tr("困难是否缓解(&E)："), self.eased_combo)
            self._field_widgets["eased"] = self.eased_combo
            order.append(self.eased_combo)
        if action in _NOTE_LABELS:
            label, placeholder = _NOTE_LABELS[action]
            self.note_edit = QPlainTextEdit()
            self.note_edit.setPlaceholderText(self.tr(placeholder))
            self.note_edit.setTabChangesFocus(True)
            self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            add_row(form, self.tr(label), self.note_edit)
            self._field_widgets["note"] = self.note_edit
            order.append(self.note_edit)
        layout.addLayout(form)
        layout.addStretch(1)

        for widget in self._field_widgets.values():
            unmark_on_change(widget)
        self.problem_label = ProblemLabel(self)
        layout.addWidget(self.problem_label)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)
        layout.addWidget(self.button_box)
        chain_tab_order([*order, self.save_button()])
        self.resize(fitting_width(self, heading.text(), 520), self.sizeHint().height())
        if order:
            order[0].setFocus()

    # ----------------------------------------------------------------- API
    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def field_widget(self, field: str) -> QWidget | None:
        return self._field_widgets.get(field)

    def reply(self) -> Reply:
        """What the clerk entered, as the service takes it."""
        return Reply(
            note=self.note_edit.toPlainText().strip() if self.note_edit else "",
            result=self.result_edit.toPlainText().strip() if self.result_edit else "",
            amount=self.amount_edit.text().strip() if self.amount_edit else "",
            result_date=_to_date(self.result_date_edit.date()) if self.result_date_edit else None,
            eased=self.eased_combo.value() if self.eased_combo else None,
        )

    # ----------------------------------------------------------------- saving
    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        reply = self.reply()
        try:
            problems = self._local_problems(reply)
            if problems:
                raise ValidationError(problems)
            detail = self._act(self.action, reply)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except ConcurrentEditError as exc:
            self.stale = True
            show_error(self.parentWidget(), exc)
            self.reject()
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.result_detail = detail
        self.accept()

    def _local_problems(self, reply: Reply) -> list[FieldProblem]:
        """Length limits, and a 回访 needs what the visit found as well as the answer.

        The service checks the answer (``eased``) but not the note; both are asked here
        so the clerk sees every problem at once.
        """
        problems: list[FieldProblem] = []
        too_long = Message("validation", QT_TRANSLATE_NOOP("validation", "最多1000字"))
        if len(reply.result) > NOTE_MAX:
            problems.append(
                FieldProblem("result", QT_TRANSLATE_NOOP("fields", "办理结果"), too_long)
            )
        if len(reply.note) > NOTE_MAX:
            problems.append(FieldProblem("note", QT_TRANSLATE_NOOP("fields", "说明"), too_long))
        if self.action is ReferralAction.FOLLOW_UP and reply.eased is None:
            problems.append(
                FieldProblem(
                    "eased",
                    QT_TRANSLATE_NOOP("fields", "回访结果"),
                    Message("validation", QT_TRANSLATE_NOOP("validation", "请选择困难是否缓解")),
                )
            )
        if self.action is ReferralAction.FOLLOW_UP and len(reply.note) < 2:
            problems.append(
                FieldProblem(
                    "note",
                    QT_TRANSLATE_NOOP("fields", "回访情况"),
                    Message(
                        "validation", QT_TRANSLATE_NOOP("validation", "请简要记录回访看到的情况")
                    ),
                )
            )
        return problems

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = [w for w in (self._field_widgets.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)
