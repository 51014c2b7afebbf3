"""D12 临时救助审批表: what the clerk enters; the registry and the parameter set do the rest.

``services.documents.temporary_aid`` fills the applicant, household, township limit, annual
cap, approval level and 一事一议 from the registry and the chosen parameter set; the clerk
gives the event, the amounts, whether aid was paid first (先行救助) and, optionally, the
payee's bank (the account prints with its last four digits only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QCoreApplication, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.documents import AnyContent
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.documents import TemporaryAidInput
from desk_app.services.dto import HouseholdDetail
from ui.dialogs import add_row
from ui.dialogs.form_dialog import (
    DocumentFormDialog,
    date_edit,
    parse_amount,
    problem,
    qdate,
    text_box,
    to_date,
)


def _tr(source: str) -> str:
    return QCoreApplication.translate("DocumentForms", source)


PAPERWORK_DAYS = 10
"""Default time to bring the papers after 先行救助 (editable)."""


def _amount_row(edit: QLineEdit, unit: str) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(QLabel(unit))
    return row


class TemporaryAidDialog(DocumentFormDialog):
    """临时救助审批表 for one household."""

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("临时救助审批表"), parent)
        self.event_edit = text_box(3, self)
        self.event_edit.setPlaceholderText(
            _tr("遭遇的困难或事件，如：住房失火，生活用品基本烧毁，一家四口无处居住")
        )
        add_row(self.form, _tr("事由(&E)："), self.event_edit)
        now = services.context.clock()
        self.event_at_edit = QDateTimeEdit(
            QDateTime(qdate(now.date()), QTime(now.hour, now.minute))
        )
        self.event_at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.event_at_edit.setCalendarPopup(True)
        add_row(self.form, _tr("发生时间(&W)："), self.event_at_edit)
        self.requested_edit = QLineEdit()
        self.requested_edit.setPlaceholderText(_tr("如 8000"))
        add_row(
            self.form,
            _tr("申请金额(&Q)："),
            _amount_row(self.requested_edit, _tr("元")),
            self.requested_edit,
        )
        self.proposed_edit = QLineEdit()
        self.proposed_edit.setPlaceholderText(_tr("经办人拟救助的金额"))
        add_row(
            self.form,
            _tr("拟救助金额(&N)："),
            _amount_row(self.proposed_edit, _tr("元")),
            self.proposed_edit,
        )
        self.granted_edit = QLineEdit("0")
        add_row(
            self.form,
            _tr("本年已获临时救助(&G)："),
            _amount_row(self.granted_edit, _tr("元")),
            self.granted_edit,
        )
        self.advance_check = QCheckBox(_tr("已先行救助（先救助、后补材料）"))
        add_row(self.form, _tr("先行救助(&X)："), self.advance_check)
        self.paperwork_edit = date_edit(self.today + dt.timedelta(days=PAPERWORK_DAYS))
        self.paperwork_edit.setEnabled(False)
        self.advance_check.toggled.connect(self.paperwork_edit.setEnabled)
        add_row(self.form, _tr("补齐材料期限(&B)："), self.paperwork_edit)
        self.bank_edit = QLineEdit()
        self.bank_edit.setMaxLength(60)
        self.bank_edit.setPlaceholderText(_tr("可不填，如：某某农村信用社某某支行"))
        add_row(self.form, _tr("开户银行(&K)："), self.bank_edit)
        self.account_edit = QLineEdit()
        self.account_edit.setMaxLength(30)
        self.account_edit.setPlaceholderText(_tr("可不填；表上只印后四位"))
        add_row(self.form, _tr("银行账号(&A)："), self.account_edit)
        note = QLabel(_tr("审批层级、年度上限和是否一事一议按所选救助参数集计算，印在表上。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        self.form.addRow("", note)
        self.fields.update(
            event=self.event_edit,
            event_at=self.event_at_edit,
            requested=self.requested_edit,
            proposed=self.proposed_edit,
            granted_this_year=self.granted_edit,
            paperwork_due=self.paperwork_edit,
            bank_account=self.account_edit,
        )
        self.finish(
            [
                self.event_edit, self.event_at_edit, self.requested_edit, self.proposed_edit,
                self.granted_edit, self.advance_check, self.paperwork_edit, self.bank_edit,
                self.account_edit,
            ],
            width=560,
        )  # fmt: skip

    def aid_input(self) -> TemporaryAidInput:
        """What the clerk entered; amounts checked here so every problem shows at once."""
        problems: list[FieldProblem] = []
        requested = parse_amount(
            self.requested_edit.text(), "requested",
            QT_TRANSLATE_NOOP("fields", "申请金额"), problems,
        )  # fmt: skip
        proposed = parse_amount(
            self.proposed_edit.text(), "proposed",
            QT_TRANSLATE_NOOP("fields", "拟救助金额"), problems,
        )  # fmt: skip
        granted = parse_amount(
            self.granted_edit.text() or "0", "granted_this_year",
            QT_TRANSLATE_NOOP("fields", "本年已获救助"), problems,
        )  # fmt: skip
        if not self.event_edit.toPlainText().strip():
            problems.append(
                problem("event", QT_TRANSLATE_NOOP("fields", "事由"),
                        QT_TRANSLATE_NOOP("validation", "请写明遭遇的困难或事件"))
            )  # fmt: skip
        event_at = self.event_at_edit.dateTime().toPython()
        assert isinstance(event_at, dt.datetime)
        if event_at > self.services.context.clock() + dt.timedelta(minutes=1):
            problems.append(
                problem("event_at", QT_TRANSLATE_NOOP("fields", "发生时间"),
                        QT_TRANSLATE_NOOP("validation", "发生时间不能晚于现在"))
            )  # fmt: skip
        account = self.account_edit.text().replace(" ", "")
        if account and not account.isdigit():
            problems.append(
                problem("bank_account", QT_TRANSLATE_NOOP("fields", "银行账号"),
                        QT_TRANSLATE_NOOP("validation", "账号只能是数字"))
            )  # fmt: skip
        if problems:
            raise ValidationError(problems)
        assert requested is not None
        assert proposed is not None
        assert granted is not None
        advance = self.advance_check.isChecked()
        return TemporaryAidInput(
            household_id=self.household.id,
            event=self.event_edit.toPlainText(),
            event_at=event_at.replace(second=0, microsecond=0),
            requested=requested,
            proposed=proposed,
            granted_this_year=granted,
            advance_aid=advance,
            paperwork_due=to_date(self.paperwork_edit.date()) if advance else None,
        )

    def content(self) -> AnyContent:
        content = self.services.documents.temporary_aid(self.aid_input())
        bank = self.bank_edit.text().strip()
        account = self.account_edit.text().replace(" ", "")
        if bank or account:
            content = dataclasses.replace(content, bank_name=bank, bank_account=account)
        return content
