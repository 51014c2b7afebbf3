"""Agreements signed with a household: D14 委托照料, D16 入住（托养）, D17 赡养, D18 结对帮扶.

The registry gives the parties it knows — the household, the person concerned (a member,
head first), the township and the village committee that witnesses — and each form asks
for the rest: the carer, the institution, the supporters, the helper, amounts and dates.
Standard clauses are prefilled and editable. 预览/打印… builds the content record and
opens the preview; nothing is stored until it is printed or saved (then it is archived).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.documents import (
    APPLICATION_CAUSES,
    AnyContent,
    CareAgreementContent,
    DocumentKind,
    FeePayer,
    PairingAgreementContent,
    PairingMeasure,
    Person,
    PlacementAgreementContent,
    SupportAgreementContent,
    Supporter,
)
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import HouseholdDetail
from ui.dialogs import add_row
from ui.dialogs.form_dialog import (
    DocumentFormDialog,
    RowsTable,
    add_months,
    date_edit,
    issuer_name,
    member_combo,
    next_month_start,
    parse_amount,
    person_of,
    problem,
    text_box,
    to_date,
    village_committee,
)
from ui.i18n import tr_label


def _tr(source: str) -> str:
    return QCoreApplication.translate("DocumentForms", source)


NUMBER_PREFIX = {
    DocumentKind.CARE_AGREEMENT: "ZL",
    DocumentKind.PLACEMENT_AGREEMENT: "RZ",
    DocumentKind.SUPPORT_AGREEMENT: "SY",
    DocumentKind.PAIRING_AGREEMENT: "JD",
    DocumentKind.CHANGE_NOTICE: "BG",
}
"""Default reference: 户编号-ZL20260501 (editable; the township may number its own)."""

CARE_DUTIES = (
    "日常生活照料：协助做饭、洗衣、打扫居室卫生，保持居住环境整洁",
    "每月协助理发不少于1次",
    "患病时及时陪同就医，住院期间做好陪护或落实护理",
    "发现异常情况及时报告村（居）委会和乡镇（街道）",
)
CARE_STANDARD = "吃、穿、住、医、葬有保障，居室整洁，个人卫生良好"
CARE_VISITS = "照料人每日探视；上门照料和清洁每月不少于2次"
CARE_EMERGENCY = "突发疾病或意外时，照料人立即拨打120并通知村（居）委会和乡镇（街道）"
SUPPORT_VISITS = "每周电话问候不少于1次，每月回家探望不少于1次"
PAIRING_VISITS = "每季度走访不少于2次，每半年召开一次帮扶会议"
PAIRING_KINDS = "产业、就业、教育、医疗、住房、兜底"


def _line(text: str = "", placeholder: str = "", length: int = 60) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setMaxLength(length)
    edit.setCursorPosition(0)  # a long prefilled clause shows its beginning
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def _required(
    edit: QLineEdit, field: str, label: str, problems: list[FieldProblem], text: str
) -> str:
    value = edit.text().strip()
    if not value:
        problems.append(problem(field, label, text))
    return value


_NAME_NEEDED = QT_TRANSLATE_NOOP("validation", "请填写姓名")
_DATES_ORDER = QT_TRANSLATE_NOOP("validation", "结束日期应晚于开始日期")


def _row(
    form: QFormLayout,
    label: str,
    parts: tuple[QWidget | tuple[QWidget, int], ...],
    buddy: QWidget,
    *,
    stretch: bool = False,
) -> None:
    """A form row of several widgets side by side (``(widget, stretch)`` to weight one)."""
    line = QHBoxLayout()
    for part in parts:
        widget, factor = part if isinstance(part, tuple) else (part, 0)
        line.addWidget(widget, factor)
    if stretch:
        line.addStretch(1)
    add_row(form, label, line, buddy)


class AgreementDialog(DocumentFormDialog):
    """Shared rows: the person concerned, the reference and the signing date."""

    kind: DocumentKind

    def __init__(
        self,
        services: Services,
        household: HouseholdDetail,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, household, title, parent)
        self.number_edit = _line(
            f"{household.number}-{NUMBER_PREFIX[self.kind]}{self.today:%Y%m%d}", length=40
        )
        self.signed_edit = date_edit(self.today)
        self.issuer = issuer_name(self.township)
        self.committee = village_committee(self.township, household.village)
        self.fields.update(number=self.number_edit, signed_on=self.signed_edit)

    def common_rows(self) -> None:
        add_row(self.form, _tr("协议编号："), self.number_edit)
        add_row(self.form, _tr("签订日期："), self.signed_edit)

    def check_number(self, problems: list[FieldProblem]) -> str:
        return _required(
            self.number_edit, "number", QT_TRANSLATE_NOOP("fields", "协议编号"), problems,
            QT_TRANSLATE_NOOP("validation", "请填写协议编号"),
        )  # fmt: skip

    def chosen(self, combo: QComboBox) -> Person:
        member = self.member(combo)
        assert member is not None
        return person_of(member, self.household)


# ======================================================================== D14 委托照料
class CareAgreementDialog(AgreementDialog):
    kind = DocumentKind.CARE_AGREEMENT

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("特困人员委托照料协议"), parent)
        self.person_combo = member_combo(household)
        add_row(self.form, _tr("特困人员(&R)："), self.person_combo)
        self.guardian_edit = _line(placeholder=_tr("没有监护人可不填"))
        self.guardian_relation_edit = _line(placeholder=_tr("关系"), length=10)
        _row(
            self.form,
            _tr("监护人(&G)："),
            (
                (self.guardian_edit, 2),
                (self.guardian_relation_edit, 1),
            ),
            self.guardian_edit,
        )
        self.carer_edit = _line(placeholder=_tr("照料人姓名"))
        self.carer_relation_edit = _line(placeholder=_tr("与特困人员关系，如 侄子"), length=10)
        _row(
            self.form,
            _tr("照料人(&Z)："),
            (
                (self.carer_edit, 2),
                (self.carer_relation_edit, 1),
            ),
            self.carer_edit,
        )
        self.carer_phone_edit = _line(placeholder=_tr("照料人电话"), length=20)
        add_row(self.form, _tr("照料人电话(&H)："), self.carer_phone_edit)
        self.carer_address_edit = _line(placeholder=_tr("照料人住址"), length=100)
        add_row(self.form, _tr("照料人住址："), self.carer_address_edit)
        self.duties_edit = text_box(4, self)
        self.duties_edit.setPlainText("\n".join(_tr(d) for d in CARE_DUTIES))
        add_row(self.form, _tr("照料内容（每行一条）："), self.duties_edit)
        self.standard_edit = _line(_tr(CARE_STANDARD), length=100)
        add_row(self.form, _tr("服务标准："), self.standard_edit)
        self.visits_edit = _line(_tr(CARE_VISITS), length=100)
        add_row(self.form, _tr("探视与照料频次："), self.visits_edit)
        self.emergency_edit = _line(_tr(CARE_EMERGENCY), length=100)
        add_row(self.form, _tr("应急预案："), self.emergency_edit)
        self.emergency_phone_edit = _line(self.site.phone if self.site else "", length=20)
        add_row(self.form, _tr("应急联系电话："), self.emergency_phone_edit)
        self.pay_edit = _line(placeholder=_tr("如 300"), length=12)
        _row(
            self.form,
            _tr("照料费(&F)："),
            (
                (self.pay_edit, 1),
                QLabel(_tr("元/月")),
            ),
            self.pay_edit,
        )
        start = next_month_start(self.today)
        self.start_edit = date_edit(start)
        self.end_edit = date_edit(add_months(start, 12) - dt.timedelta(days=1))
        _row(
            self.form,
            _tr("协议期限："),
            (
                self.start_edit,
                QLabel(_tr("至")),
                self.end_edit,
            ),
            self.start_edit,
            stretch=True,
        )
        self.common_rows()
        self.fields.update(
            carer=self.carer_edit, duties=self.duties_edit, monthly_pay=self.pay_edit,
            end=self.end_edit, emergency_phone=self.emergency_phone_edit,
        )  # fmt: skip
        self.finish(
            [
                self.person_combo, self.guardian_edit, self.guardian_relation_edit,
                self.carer_edit, self.carer_relation_edit, self.carer_phone_edit,
                self.carer_address_edit, self.duties_edit, self.standard_edit, self.visits_edit,
                self.emergency_edit, self.emergency_phone_edit, self.pay_edit, self.start_edit,
                self.end_edit, self.number_edit, self.signed_edit,
            ],
            width=700,
            scroll=True,
        )  # fmt: skip

    def content(self) -> AnyContent:
        problems: list[FieldProblem] = []
        carer = _required(
            self.carer_edit, "carer", QT_TRANSLATE_NOOP("fields", "照料人"), problems, _NAME_NEEDED
        )
        duties = tuple(
            line.strip() for line in self.duties_edit.toPlainText().splitlines() if line.strip()
        )
        if not duties:
            problems.append(
                problem("duties", QT_TRANSLATE_NOOP("fields", "照料内容"),
                        QT_TRANSLATE_NOOP("validation", "请至少写一条照料内容"))
            )  # fmt: skip
        pay = parse_amount(
            self.pay_edit.text(), "monthly_pay", QT_TRANSLATE_NOOP("fields", "照料费"), problems
        )
        start, end = to_date(self.start_edit.date()), to_date(self.end_edit.date())
        if end <= start:
            problems.append(problem("end", QT_TRANSLATE_NOOP("fields", "协议期限"), _DATES_ORDER))
        number = self.check_number(problems)
        if problems:
            raise ValidationError(problems)
        assert pay is not None
        guardian_name = self.guardian_edit.text().strip()
        return CareAgreementContent(
            number=number, township=self.issuer, village_committee=self.committee,
            person=self.chosen(self.person_combo),
            guardian=Person(guardian_name, relation=self.guardian_relation_edit.text().strip())
            if guardian_name else None,
            carer=Person(
                carer, relation=self.carer_relation_edit.text().strip(),
                phone=self.carer_phone_edit.text().strip(),
                address=self.carer_address_edit.text().strip(),
            ),
            duties=duties, service_standard=self.standard_edit.text().strip(),
            visit_cycle=self.visits_edit.text().strip(),
            emergency_plan=self.emergency_edit.text().strip(),
            emergency_phone=self.emergency_phone_edit.text().strip(),
            monthly_pay=pay, start=start, end=end, signed_on=to_date(self.signed_edit.date()),
        )  # fmt: skip


# ==================================================================== D16 入住（托养）
class PlacementAgreementDialog(AgreementDialog):
    kind = DocumentKind.PLACEMENT_AGREEMENT

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("入住（托养）协议"), parent)
        self.person_combo = member_combo(household)
        add_row(self.form, _tr("入住人(&R)："), self.person_combo)
        self.institution_edit = _line(placeholder=_tr("如：某某镇敬老院"))
        add_row(self.form, _tr("供养服务机构(&J)："), self.institution_edit)
        self.institution_address_edit = _line(length=100)
        add_row(self.form, _tr("机构地址："), self.institution_address_edit)
        self.relatives_table = RowsTable([_tr("姓名"), _tr("关系"), _tr("电话")], 4)
        self.relatives_table.setObjectName("relativesTable")
        add_row(self.form, _tr("直系亲属(&Q)："), self.relatives_table)
        self.wish_check = QCheckBox(_tr("已确认入住人本人意愿"))
        self.agree_check = QCheckBox(_tr("直系亲属同意入住"))
        _row(
            self.form,
            _tr("意愿(&W)："),
            (
                self.wish_check,
                self.agree_check,
            ),
            self.wish_check,
            stretch=True,
        )
        self.health_check = QCheckBox(_tr("已体检，无传染病和精神疾病，体检日期"))
        self.health_edit = date_edit(self.today)
        self.health_edit.setEnabled(False)
        self.health_check.toggled.connect(self.health_edit.setEnabled)
        _row(
            self.form,
            _tr("健康检查(&K)："),
            (
                self.health_check,
                self.health_edit,
            ),
            self.health_check,
            stretch=True,
        )
        self.payer_combo = QComboBox()
        for payer in FeePayer:
            self.payer_combo.addItem(tr_label("documents", payer.label), payer.value)
        self.fee_edit = _line(placeholder=_tr("如 1200"), length=12)
        _row(
            self.form,
            _tr("费用(&F)："),
            (
                self.payer_combo,
                (self.fee_edit, 1),
                QLabel(_tr("元/月")),
            ),
            self.payer_combo,
        )
        self.start_edit = date_edit(next_month_start(self.today))
        add_row(self.form, _tr("入住日期："), self.start_edit)
        self.common_rows()
        self.fields.update(
            institution=self.institution_edit, relatives=self.relatives_table,
            consent=self.wish_check, monthly_fee=self.fee_edit,
        )  # fmt: skip
        self.finish(
            [
                self.person_combo, self.institution_edit, self.institution_address_edit,
                self.relatives_table, self.wish_check, self.agree_check, self.health_check,
                self.health_edit, self.payer_combo, self.fee_edit, self.start_edit,
                self.number_edit, self.signed_edit,
            ],
            width=620,
            scroll=True,
        )  # fmt: skip

    def content(self) -> AnyContent:
        problems: list[FieldProblem] = []
        institution = _required(
            self.institution_edit, "institution", QT_TRANSLATE_NOOP("fields", "供养服务机构"),
            problems, QT_TRANSLATE_NOOP("validation", "请填写供养服务机构名称"),
        )  # fmt: skip
        relatives = []
        for _row, (name, relation, phone) in self.relatives_table.filled_rows():
            if not name or not relation:
                problems.append(
                    problem("relatives", QT_TRANSLATE_NOOP("fields", "直系亲属"),
                            QT_TRANSLATE_NOOP("validation", "每位亲属请填写姓名和关系"))
                )  # fmt: skip
                break
            relatives.append(Person(name, relation=relation, phone=phone))
        if not self.wish_check.isChecked():
            problems.append(
                problem("consent", QT_TRANSLATE_NOOP("fields", "意愿"),
                        QT_TRANSLATE_NOOP("validation", "入住须经本人同意：请先确认本人意愿"))
            )  # fmt: skip
        fee = parse_amount(
            self.fee_edit.text(), "monthly_fee", QT_TRANSLATE_NOOP("fields", "每月费用"), problems
        )
        number = self.check_number(problems)
        if problems:
            raise ValidationError(problems)
        assert fee is not None
        return PlacementAgreementContent(
            number=number, township=self.issuer, institution=institution,
            institution_address=self.institution_address_edit.text().strip(),
            person=self.chosen(self.person_combo), relatives=tuple(relatives),
            wish_confirmed=True, relatives_agree=self.agree_check.isChecked(),
            health_checked_on=to_date(self.health_edit.date())
            if self.health_check.isChecked() else None,
            fee_payer=FeePayer(self.payer_combo.currentData()), monthly_fee=fee,
            start=to_date(self.start_edit.date()), signed_on=to_date(self.signed_edit.date()),
        )  # fmt: skip


# ========================================================================== D17 赡养
class SupportAgreementDialog(AgreementDialog):
    kind = DocumentKind.SUPPORT_AGREEMENT

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("赡养协议"), parent)
        self.elder_combo = member_combo(household, adults_only=True)
        add_row(self.form, _tr("被赡养人(&R)："), self.elder_combo)
        self.supporters_table = RowsTable(
            [_tr("赡养人"), _tr("关系"), _tr("电话"), _tr("每月（元）"),
             _tr("承担事项")],
            4,
        )  # fmt: skip
        self.supporters_table.setObjectName("supportersTable")
        add_row(self.form, _tr("赡养人(&S)："), self.supporters_table)
        self.contact_edit = _line(placeholder=_tr("联系人姓名"))
        self.contact_relation_edit = _line(placeholder=_tr("关系"), length=10)
        self.contact_phone_edit = _line(placeholder=_tr("电话"), length=20)
        _row(
            self.form,
            _tr("联系人(&L)："),
            (
                (self.contact_edit, 2),
                (self.contact_relation_edit, 1),
                (self.contact_phone_edit, 2),
            ),
            self.contact_edit,
        )
        self.visits_edit = _line(_tr(SUPPORT_VISITS), length=100)
        add_row(self.form, _tr("探望安排："), self.visits_edit)
        self.common_rows()
        self.fields.update(supporters=self.supporters_table, contact=self.contact_edit)
        self.finish(
            [
                self.elder_combo, self.supporters_table, self.contact_edit,
                self.contact_relation_edit, self.contact_phone_edit, self.visits_edit,
                self.number_edit, self.signed_edit,
            ],
            width=680,
        )  # fmt: skip

    def content(self) -> AnyContent:
        problems: list[FieldProblem] = []
        supporters = []
        for _row, (name, relation, phone, money, duties) in self.supporters_table.filled_rows():
            if not name or not relation:
                problems.append(
                    problem("supporters", QT_TRANSLATE_NOOP("fields", "赡养人"),
                            QT_TRANSLATE_NOOP("validation", "每位赡养人请填写姓名和关系"))
                )  # fmt: skip
                break
            amount = parse_amount(
                money or "0", "supporters", QT_TRANSLATE_NOOP("fields", "赡养费"), problems
            )
            supporters.append(
                Supporter(
                    Person(name, relation=relation, phone=phone), amount or Decimal(0), duties
                )
            )
        if not supporters and not problems:
            problems.append(
                problem("supporters", QT_TRANSLATE_NOOP("fields", "赡养人"),
                        QT_TRANSLATE_NOOP("validation", "请至少填写一位赡养人"))
            )  # fmt: skip
        contact = _required(
            self.contact_edit, "contact", QT_TRANSLATE_NOOP("fields", "联系人"), problems,
            _NAME_NEEDED,
        )  # fmt: skip
        number = self.check_number(problems)
        if problems:
            raise ValidationError(problems)
        return SupportAgreementContent(
            number=number, township=self.issuer, village_committee=self.committee,
            elder=self.chosen(self.elder_combo), supporters=tuple(supporters),
            contact=Person(contact, relation=self.contact_relation_edit.text().strip(),
                           phone=self.contact_phone_edit.text().strip()),
            visit_schedule=self.visits_edit.text().strip(),
            signed_on=to_date(self.signed_edit.date()),
        )  # fmt: skip


# ====================================================================== D18 结对帮扶
class PairingAgreementDialog(AgreementDialog):
    kind = DocumentKind.PAIRING_AGREEMENT

    def __init__(
        self, services: Services, household: HouseholdDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, household, _tr("结对帮扶协议"), parent)
        self.helper_edit = _line(placeholder=_tr("帮扶责任人姓名"))
        self.helper_phone_edit = _line(placeholder=_tr("电话"), length=20)
        _row(
            self.form,
            _tr("帮扶责任人(&Z)："),
            (
                (self.helper_edit, 1),
                (self.helper_phone_edit, 1),
            ),
            self.helper_edit,
        )
        self.unit_edit = _line(placeholder=_tr("如：县农业农村局"))
        self.position_edit = _line(placeholder=_tr("职务"), length=20)
        _row(
            self.form,
            _tr("帮扶单位(&U)："),
            (
                (self.unit_edit, 2),
                (self.position_edit, 1),
            ),
            self.unit_edit,
        )
        self.cause_checks: list[QCheckBox] = []
        causes = QHBoxLayout()
        for cause in APPLICATION_CAUSES:
            check = QCheckBox(tr_label("documents", cause))
            check.setProperty("cause", cause)
            self.cause_checks.append(check)
            causes.addWidget(check)
        causes.addStretch(1)
        add_row(self.form, _tr("致困原因："), causes, self.cause_checks[0])
        self.measures_table = RowsTable([_tr("类别"), _tr("帮扶措施"), _tr("完成时限")], 4)
        self.measures_table.setObjectName("measuresTable")
        self.measures_table.setToolTip(_tr("类别：{kinds}").format(kinds=PAIRING_KINDS))
        add_row(self.form, _tr("一户一策(&M)："), self.measures_table)
        self.visits_edit = _line(_tr(PAIRING_VISITS), length=100)
        add_row(self.form, _tr("走访频次："), self.visits_edit)
        self.special_edit = _line(placeholder=_tr("特惠项目，原则上每户每年一项"), length=100)
        add_row(self.form, _tr("特惠项目："), self.special_edit)
        start = next_month_start(self.today)
        self.start_edit = date_edit(start)
        self.end_edit = date_edit(add_months(start, 12) - dt.timedelta(days=1))
        _row(
            self.form,
            _tr("帮扶期限："),
            (
                self.start_edit,
                QLabel(_tr("至")),
                self.end_edit,
            ),
            self.start_edit,
            stretch=True,
        )
        self.common_rows()
        self.fields.update(
            helper=self.helper_edit, helper_unit=self.unit_edit,
            measures=self.measures_table, end=self.end_edit,
        )  # fmt: skip
        self.finish(
            [
                self.helper_edit, self.helper_phone_edit, self.unit_edit, self.position_edit,
                *self.cause_checks, self.measures_table, self.visits_edit, self.special_edit,
                self.start_edit, self.end_edit, self.number_edit, self.signed_edit,
            ],
            width=680,
            scroll=True,
        )  # fmt: skip

    def content(self) -> AnyContent:
        problems: list[FieldProblem] = []
        helper = _required(
            self.helper_edit, "helper", QT_TRANSLATE_NOOP("fields", "帮扶责任人"), problems,
            _NAME_NEEDED,
        )  # fmt: skip
        unit = _required(
            self.unit_edit, "helper_unit", QT_TRANSLATE_NOOP("fields", "帮扶单位"), problems,
            QT_TRANSLATE_NOOP("validation", "请填写帮扶单位"),
        )  # fmt: skip
        measures = [
            PairingMeasure(kind, content, target)
            for _row, (kind, content, target) in self.measures_table.filled_rows()
        ]
        if not measures or any(not m.content for m in measures):
            problems.append(
                problem("measures", QT_TRANSLATE_NOOP("fields", "一户一策"),
                        QT_TRANSLATE_NOOP("validation", "请至少写一条帮扶措施（类别、措施、时限）"))
            )  # fmt: skip
        start, end = to_date(self.start_edit.date()), to_date(self.end_edit.date())
        if end <= start:
            problems.append(problem("end", QT_TRANSLATE_NOOP("fields", "帮扶期限"), _DATES_ORDER))
        number = self.check_number(problems)
        if problems:
            raise ValidationError(problems)
        head = self.household.head or self.household.members[0]
        return PairingAgreementContent(
            number=number, township=self.issuer, village_committee=self.committee,
            household_number=self.household.number, head=person_of(head, self.household),
            helper=Person(helper, phone=self.helper_phone_edit.text().strip()),
            helper_unit=unit, helper_position=self.position_edit.text().strip(),
            causes=tuple(str(c.property("cause")) for c in self.cause_checks if c.isChecked()),
            measures=tuple(measures), visit_cycle=self.visits_edit.text().strip(),
            special_item=self.special_edit.text().strip(), start=start, end=end,
            signed_on=to_date(self.signed_edit.date()),
        )  # fmt: skip


AGREEMENT_DIALOGS: dict[
    DocumentKind, Callable[[Services, HouseholdDetail, QWidget | None], AgreementDialog]
] = {
    DocumentKind.CARE_AGREEMENT: CareAgreementDialog,
    DocumentKind.PLACEMENT_AGREEMENT: PlacementAgreementDialog,
    DocumentKind.SUPPORT_AGREEMENT: SupportAgreementDialog,
    DocumentKind.PAIRING_AGREEMENT: PairingAgreementDialog,
}
"""The form for each agreement kind (the household panel's 打印文书 menu)."""
