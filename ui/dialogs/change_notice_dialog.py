"""D21 告知书: 增发/减发/停发, 渐退/延保 and 自愿退出, for one household.

The household, its head and village come from the registry, the issuer and the review
channel from the window's own identity (系统设置 → 窗口与经办人), the present monthly amount
from the latest recorded 审核结论 of the scheme. The clerk gives the decision: its kind,
reason, month, new amount and — by kind — the 渐退/延保 months or the months still paid
after a voluntary exit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.documents import AnyContent, ChangeKind, ChangeNoticeContent, DocumentKind
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import HouseholdDetail
from desk_app.services.notices import SCHEMES
from ui.dialogs import add_row
from ui.dialogs.agreement_dialog import NUMBER_PREFIX
from ui.dialogs.form_dialog import (
    DocumentFormDialog,
    add_months,
    date_edit,
    issuer_name,
    next_month_start,
    parse_amount,
    problem,
    qdate,
    text_box,
    to_date,
)
from ui.i18n import tr_label

_PERIOD_KINDS = (ChangeKind.GRADUAL_EXIT, ChangeKind.EXTENSION)
_ZERO_KINDS = (ChangeKind.STOP, ChangeKind.VOLUNTARY_EXIT)
PERIOD_MONTHS = {ChangeKind.GRADUAL_EXIT: 12, ChangeKind.EXTENSION: 6}
"""Default months: 渐退 12, 延保 6 to 12 from the next month (domain.md §1.3)."""


def _tr(source: str) -> str:
    return QCoreApplication.translate("DocumentForms", source)


class ChangeNoticeDialog(DocumentFormDialog):
    """救助变更（退出）告知书 for one household."""

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("救助变更（退出）告知书"), parent)
        self.kind_combo = QComboBox()
        for kind in ChangeKind:
            self.kind_combo.addItem(tr_label("documents", kind.label), kind.value)
        add_row(self.form, _tr("变更类型(&K)："), self.kind_combo)
        self.scheme_combo = QComboBox()
        for scheme in SCHEMES:
            self.scheme_combo.addItem(tr_label("documents", scheme), scheme)
        add_row(self.form, _tr("救助项目(&S)："), self.scheme_combo)
        self.reason_edit = text_box(3, self)
        self.reason_edit.setPlaceholderText(
            _tr("决定的理由，如：家庭成员稳定就业，家庭月人均收入增加")
        )
        add_row(self.form, _tr("变更理由(&Y)："), self.reason_edit)
        self.decided_edit = date_edit(self.today)
        add_row(self.form, _tr("决定日期(&D)："), self.decided_edit)
        self.effective_edit = date_edit(next_month_start(self.today))
        self.effective_edit.setDisplayFormat("yyyy-MM")
        add_row(self.form, _tr("起始月份(&M)："), self.effective_edit)
        self.old_edit = QLineEdit()
        self.new_edit = QLineEdit()
        amounts = QHBoxLayout()
        amounts.addWidget(QLabel(_tr("原")))
        amounts.addWidget(self.old_edit, 1)
        amounts.addWidget(QLabel(_tr("元/月，变更后")))
        amounts.addWidget(self.new_edit, 1)
        amounts.addWidget(QLabel(_tr("元/月")))
        add_row(self.form, _tr("月救助金(&A)："), amounts, self.old_edit)
        start = next_month_start(self.today)
        self.period_start_edit = date_edit(start)
        self.period_end_edit = date_edit(add_months(start, 12) - dt.timedelta(days=1))
        period = QHBoxLayout()
        period.addWidget(self.period_start_edit)
        period.addWidget(QLabel(_tr("至")))
        period.addWidget(self.period_end_edit)
        period.addStretch(1)
        self.period_label = add_row(
            self.form, _tr("渐退/延保期(&P)："), period, self.period_start_edit
        )
        self.exit_months_spin = QSpinBox()
        self.exit_months_spin.setRange(1, 3)
        self.exit_months_spin.setValue(3)
        self.exit_months_spin.setSuffix(_tr(" 个月"))
        self.exit_label = add_row(self.form, _tr("退出后继续发放："), self.exit_months_spin)
        window = self.site.window_name if self.site else ""
        self.office_edit = QLineEdit(f"{self.township}{window}" if window else "")
        self.office_edit.setMaxLength(60)
        self.phone_edit = QLineEdit(self.site.phone if self.site else "")
        self.phone_edit.setMaxLength(20)
        review = QHBoxLayout()
        review.addWidget(self.office_edit, 2)
        review.addWidget(self.phone_edit, 1)
        add_row(self.form, _tr("咨询和复核(&R)："), review, self.office_edit)
        self.number_edit = QLineEdit(
            f"{household.number}-{NUMBER_PREFIX[DocumentKind.CHANGE_NOTICE]}{self.today:%Y%m%d}"
        )
        self.number_edit.setMaxLength(40)
        add_row(self.form, _tr("文书编号："), self.number_edit)
        self.fields.update(
            reason=self.reason_edit, old_amount=self.old_edit, new_amount=self.new_edit,
            period_end=self.period_end_edit, number=self.number_edit,
            effective_month=self.effective_edit,
        )  # fmt: skip
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._on_kind_changed())
        self.scheme_combo.currentIndexChanged.connect(lambda _i: self._prefill_amount())
        self._prefill_amount()
        self._on_kind_changed()
        self.finish(
            [
                self.kind_combo, self.scheme_combo, self.reason_edit, self.decided_edit,
                self.effective_edit, self.old_edit, self.new_edit, self.period_start_edit,
                self.period_end_edit, self.exit_months_spin, self.office_edit, self.phone_edit,
                self.number_edit,
            ],
            width=600,
        )  # fmt: skip

    def kind(self) -> ChangeKind:
        return ChangeKind(self.kind_combo.currentData())

    def set_kind(self, kind: ChangeKind) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind.value)))

    def _prefill_amount(self) -> None:
        """The present amount: the latest 审核结论 recorded for the chosen scheme."""
        subject = SCHEMES[str(self.scheme_combo.currentData())][1]
        try:
            decisions = self.services.assistance.decisions(self.household.id)
        except DeskAppError:
            return  # only a default; the clerk types it otherwise
        latest = next((d for d in decisions if d.subject_key == subject), None)
        if latest is None:
            return
        try:
            amount = Decimal(latest.decided.replace(",", "").removesuffix("元"))
        except InvalidOperation:
            return
        self.old_edit.setText(f"{amount:.2f}")

    def _on_kind_changed(self) -> None:
        kind = self.kind()
        zero = kind in _ZERO_KINDS
        self.new_edit.setEnabled(not zero)
        if zero:
            self.new_edit.setText("0")
        period = kind in _PERIOD_KINDS
        for widget in (self.period_start_edit, self.period_end_edit):
            widget.setEnabled(period)
        if period:
            start = to_date(self.period_start_edit.date())
            end = add_months(start, PERIOD_MONTHS[kind]) - dt.timedelta(days=1)
            self.period_end_edit.setDate(qdate(end))
            if not self.new_edit.text():
                self.new_edit.setText(self.old_edit.text())
        self.exit_months_spin.setEnabled(kind is ChangeKind.VOLUNTARY_EXIT)

    def content(self) -> AnyContent:
        problems: list[FieldProblem] = []
        kind = self.kind()
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            problems.append(
                problem("reason", QT_TRANSLATE_NOOP("fields", "变更理由"),
                        QT_TRANSLATE_NOOP("validation", "请写明作出决定的理由"))
            )  # fmt: skip
        old = parse_amount(
            self.old_edit.text(), "old_amount", QT_TRANSLATE_NOOP("fields", "原月救助金"), problems
        )
        new = parse_amount(
            "0" if kind in _ZERO_KINDS else self.new_edit.text(), "new_amount",
            QT_TRANSLATE_NOOP("fields", "变更后月救助金"), problems,
        )  # fmt: skip
        if old is not None and new is not None:
            if kind is ChangeKind.INCREASE and new <= old:
                problems.append(
                    problem("new_amount", QT_TRANSLATE_NOOP("fields", "变更后月救助金"),
                            QT_TRANSLATE_NOOP("validation", "增发后的金额应高于原金额"))
                )  # fmt: skip
            if kind is ChangeKind.DECREASE and not Decimal(0) < new < old:
                problems.append(
                    problem("new_amount", QT_TRANSLATE_NOOP("fields", "变更后月救助金"),
                            QT_TRANSLATE_NOOP("validation", "减发后的金额应低于原金额且大于0；全部停发请选“停发”"))
                )  # fmt: skip
        period_start = period_end = None
        if kind in _PERIOD_KINDS:
            period_start = to_date(self.period_start_edit.date())
            period_end = to_date(self.period_end_edit.date())
            if period_end <= period_start:
                problems.append(
                    problem("period_end", QT_TRANSLATE_NOOP("fields", "渐退/延保期"),
                            QT_TRANSLATE_NOOP("validation", "结束日期应晚于开始日期"))
                )  # fmt: skip
        number = self.number_edit.text().strip()
        if not number:
            problems.append(
                problem("number", QT_TRANSLATE_NOOP("fields", "文书编号"),
                        QT_TRANSLATE_NOOP("validation", "请填写文书编号"))
            )  # fmt: skip
        if problems:
            raise ValidationError(problems)
        assert old is not None
        assert new is not None
        head = self.household.head
        return ChangeNoticeContent(
            kind=kind, number=number, issuer=issuer_name(self.township),
            household_number=self.household.number,
            village=f"{self.household.village}{self.household.group_name}",
            head_name=head.name if head else self.household.members[0].name,
            scheme=str(self.scheme_combo.currentData()),
            decided_on=to_date(self.decided_edit.date()), reason=reason,
            effective_month=to_date(self.effective_edit.date()).replace(day=1),
            old_amount=old, new_amount=new, period_start=period_start, period_end=period_end,
            exit_payment_months=self.exit_months_spin.value()
            if kind is ChangeKind.VOLUNTARY_EXIT else None,
            review_office=self.office_edit.text().strip(),
            review_phone=self.phone_edit.text().strip(),
        )  # fmt: skip
