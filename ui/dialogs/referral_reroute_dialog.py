"""改派: after a department returned a referral, refer the same matter to another one.

The service creates a new referral (new number, new deadline from the new department's
limit) and keeps the old one as 退回 with its reason; the reason for the change is kept
on the new referral's first event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import ConcurrentEditError, DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.catalogue import DepartmentRow
from desk_app.services.dto import ReferralDetail
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
from ui.dialogs.referral_action_dialog import fitting_width, referral_heading
from ui.errors import show_error

RerouteFn = Callable[[str, str], ReferralDetail]
"""``(department_code, reason) -> the new referral``."""


class ReferralRerouteDialog(QDialog):
    """Pick another external department and give the reason.

    Args:
        detail: the returned referral.
        departments: the catalogue's departments; only active external ones other than
            the referral's own are offered.
        reroute: ``(department_code, reason) -> ReferralDetail``, e.g. a lambda over
            ``services.referrals.reroute(id, version, …)``.
        parent: Qt parent.

    After 保存 succeeds, :attr:`result_detail` holds the new referral.
    """

    def __init__(
        self,
        detail: ReferralDetail,
        departments: Sequence[DepartmentRow],
        reroute: RerouteFn,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.detail = detail
        self._reroute = reroute
        self.result_detail: ReferralDetail | None = None
        self.stale = False
        self.setWindowTitle(self.tr("改派 — {number}").format(number=detail.row.number))
        self.setStyleSheet(FORM_STYLE)

        layout = QVBoxLayout(self)
        heading = QLabel(referral_heading(detail))
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        if detail.return_reason:
            returned = QLabel(self.tr("退回原因：{reason}").format(reason=detail.return_reason))
            returned.setWordWrap(True)
            returned.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(returned)

        form = form_layout()
        self.department_combo = QComboBox()
        self.department_combo.addItem(self.tr("（请选择）"), None)
        for dep in departments:
            if dep.in_house or not dep.active or dep.code == detail.row.department_code:
                continue
            limit = (
                self.tr("　{days}个工作日").format(days=dep.limit_days)
                if dep.limit_days is not None
                else ""
            )
            self.department_combo.addItem(f"{dep.queue} · {dep.name}{limit}", dep.code)
        add_row(form, self.tr("改派部门(&D)："), self.department_combo)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("如：县医保局答复应由卫健局办理"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        add_row(form, self.tr("改派理由(&R)："), self.reason_edit)
        layout.addLayout(form)
        layout.addStretch(1)

        self._field_widgets: dict[str, QWidget] = {
            "department": self.department_combo,
            "reason": self.reason_edit,
        }
        for widget in self._field_widgets.values():
            unmark_on_change(widget)
        self.problem_label = ProblemLabel(self)
        layout.addWidget(self.problem_label)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)
        layout.addWidget(self.button_box)
        chain_tab_order([self.department_combo, self.reason_edit, self.save_button()])
        self.resize(fitting_width(self, heading.text(), 520), self.sizeHint().height())
        self.department_combo.setFocus()

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def field_widget(self, field: str) -> QWidget | None:
        return self._field_widgets.get(field)

    def set_department(self, code: str) -> None:
        self.department_combo.setCurrentIndex(max(self.department_combo.findData(code), 0))

    def department_code(self) -> str | None:
        code = self.department_combo.currentData()
        return code if isinstance(code, str) else None

    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        code = self.department_code()
        reason = self.reason_edit.toPlainText().strip()
        try:
            if code is None:
                # The service would name only the department; name the reason too, at once.
                problems = [
                    FieldProblem(
                        "department",
                        QT_TRANSLATE_NOOP("fields", "接收部门"),
                        Message("validation", QT_TRANSLATE_NOOP("validation", "请选择改派的部门")),
                    )
                ]
                if len(reason) < 2:
                    problems.append(
                        FieldProblem(
                            "reason",
                            QT_TRANSLATE_NOOP("fields", "改派理由"),
                            Message(
                                "validation", QT_TRANSLATE_NOOP("validation", "请写明改派理由")
                            ),
                        )
                    )
                raise ValidationError(problems)
            detail = self._reroute(code, reason)
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

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = [w for w in (self._field_widgets.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)
