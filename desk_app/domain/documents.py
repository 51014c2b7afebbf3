"""What every printed document says: frozen content records, no layout, no DB, no Qt.

This module is the contract between the core and ``reports``. A service (or a test, or
``reports/examples.py``) fills one of the ``*Content`` records below; a builder in
``reports`` turns it into a PDF. Whatever is not a field here cannot reach the page, which
is how privacy is enforced for the public notices (公示): :class:`NoticeRow` has no field
for an ID number, a phone, a bank account, a diagnosis, a disability, a child's status or a
religion, and :func:`notice_rows` is the one way from a richer household record to rows.

Documents and their fields: domain.md §5 (D1–D28); privacy rules for 公示 at the end of §5;
roles §6.1. Each record names the document it serves. Numbers follow the services:
受理编号 ``SL2024-000123``, 转介编号 ``ZJ2024-000045``, 户编号 ``<区划代码>-00012``.

ID numbers on forms (D1, D3, D4, D10, D12, agreements) are stored in full and *printed
masked* (:func:`desk_app.domain.ids.mask_id_number`) unless a record's
``full_id_numbers`` is set: a township that files the paper form with the full number
opts in per document, the default is the safe one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from desk_app.domain.intake import Handling
from desk_app.domain.registry import ChildStatus, DisabilityCategory, HouseholdCategory
from desk_app.i18n import QT_TRANSLATE_NOOP

_C = "documents"


class Paper(StrEnum):
    """Sheet and orientation. 公示 goes on boards: A4 or A3 landscape (issue #6)."""

    A4_PORTRAIT = "a4_portrait"
    A4_LANDSCAPE = "a4_landscape"
    A3_LANDSCAPE = "a3_landscape"


class DocumentKind(StrEnum):
    """Every document the program prints; the value is the ``desk-app print KIND`` code."""

    APPLICATION = "application"
    RECEIPT = "receipt"
    AUTHORISATION = "authorisation"
    COMMITMENT = "commitment"
    RESULT_NOTICE = "result_notice"
    STANDING_NOTICE = "standing_notice"
    REFERRAL = "referral"
    TEMPORARY_AID = "temporary_aid"
    CARE_AGREEMENT = "care_agreement"
    PLACEMENT_AGREEMENT = "placement_agreement"
    SUPPORT_AGREEMENT = "support_agreement"
    PAIRING_AGREEMENT = "pairing_agreement"
    CHANGE_NOTICE = "change_notice"

    @property
    def code(self) -> str:
        """The document's number in domain.md §5 (``D2`` …)."""
        return _KIND_CODES[self]

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_CODES: dict[DocumentKind, str] = {
    DocumentKind.APPLICATION: "D1",
    DocumentKind.RECEIPT: "D2",
    DocumentKind.AUTHORISATION: "D3",
    DocumentKind.COMMITMENT: "D4",
    DocumentKind.RESULT_NOTICE: "D7",
    DocumentKind.STANDING_NOTICE: "D8",
    DocumentKind.REFERRAL: "D10",
    DocumentKind.TEMPORARY_AID: "D12",
    DocumentKind.CARE_AGREEMENT: "D14",
    DocumentKind.PLACEMENT_AGREEMENT: "D16",
    DocumentKind.SUPPORT_AGREEMENT: "D17",
    DocumentKind.PAIRING_AGREEMENT: "D18",
    DocumentKind.CHANGE_NOTICE: "D21",
}

_KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.APPLICATION: QT_TRANSLATE_NOOP(_C, "社会救助申请书"),
    DocumentKind.RECEIPT: QT_TRANSLATE_NOOP(_C, "受理回执"),
    DocumentKind.AUTHORISATION: QT_TRANSLATE_NOOP(_C, "家庭经济状况核对授权书"),
    DocumentKind.COMMITMENT: QT_TRANSLATE_NOOP(_C, "如实申报承诺书"),
    DocumentKind.RESULT_NOTICE: QT_TRANSLATE_NOOP(_C, "审核/审批结果公示"),
    DocumentKind.STANDING_NOTICE: QT_TRANSLATE_NOOP(_C, "长期公示"),
    DocumentKind.REFERRAL: QT_TRANSLATE_NOOP(_C, "转介单"),
    DocumentKind.TEMPORARY_AID: QT_TRANSLATE_NOOP(_C, "临时救助审批表"),
    DocumentKind.CARE_AGREEMENT: QT_TRANSLATE_NOOP(_C, "委托照料协议"),
    DocumentKind.PLACEMENT_AGREEMENT: QT_TRANSLATE_NOOP(_C, "入住（托养）协议"),
    DocumentKind.SUPPORT_AGREEMENT: QT_TRANSLATE_NOOP(_C, "赡养协议"),
    DocumentKind.PAIRING_AGREEMENT: QT_TRANSLATE_NOOP(_C, "结对帮扶协议"),
    DocumentKind.CHANGE_NOTICE: QT_TRANSLATE_NOOP(_C, "救助变更（退出）告知书"),
}


class DocumentContent(Protocol):
    """What every content record offers the builder besides its own fields."""

    @property
    def number(self) -> str:
        """The document's reference (printed, and the PDF's subject)."""
        ...

    @property
    def document_date(self) -> dt.date:
        """The date the document carries; also the PDF creation date (never the clock)."""
        ...


# ------------------------------------------------------------------------------ people
@dataclass(frozen=True, slots=True)
class Person:
    """Someone named on a form. ``id_number`` is printed masked unless the form opts in."""

    name: str
    id_number: str = ""
    relation: str = ""
    """Relation to the household head or to the person cared for (a label, e.g. 配偶)."""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Signatory:
    """One signature row: who signs, in what capacity, and whether a seal is expected."""

    role: str
    """甲方 / 乙方 / 申请人 … as printed before the name."""
    name: str = ""
    """Printed name; empty leaves the line blank for the person to write."""
    seal: bool = False
    """An organisation signs with its seal (盖章) rather than a hand signature."""


# ------------------------------------------------------------------------- D2 receipt
@dataclass(frozen=True, slots=True)
class ReceiptMatter:
    """One matter accepted at the window (domain.md §5 D2; services ``RouteProposal``)."""

    matter_name: str
    handling: Handling
    department_name: str
    """民政 itself for window matters, the receiving department for referrals."""
    papers_received: tuple[str, ...] = ()
    papers_missing: tuple[str, ...] = ()
    """一次性告知 (domain.md §8: the applicant is told everything missing at once)."""
    limit_days: int | None = None
    """Working days allowed (configurable: domain.md §8 item 2)."""
    due_date: dt.date | None = None
    due_uncertain: bool = False
    """The count crossed a year whose holidays are unknown (weekends only)."""
    referral_number: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptContent:
    """D2 受理回执: handed over the counter (domain.md §5 D2)."""

    number: str
    """受理编号, also the inquiry number the applicant quotes on the phone."""
    received_at: dt.datetime
    township: str
    window: str
    clerk: str
    household_number: str
    village: str
    group_name: str
    applicant_name: str
    came_as: str
    """申请人本人 / 法定监护人 / 代办人 (label of ``CameAs``)."""
    agent_name: str
    matters: tuple[ReceiptMatter, ...]
    hotline: str
    """Inquiry phone (热线: seed 003 篇三, 篇九)."""
    papers_within_days: int | None = None
    """Working days to bring the missing papers; None prints no limit."""

    @property
    def document_date(self) -> dt.date:
        return self.received_at.date()


# ------------------------------------------------------------------------ D10 referral
@dataclass(frozen=True, slots=True)
class ReferralContent:
    """D10 转介单 with its tear-off 回执联 (domain.md §5 D10, §3.3)."""

    number: str
    intake_number: str
    created_on: dt.date
    township: str
    window: str
    clerk: str
    window_phone: str
    window_address: str
    department_name: str
    department_contact: str
    household_number: str
    village: str
    person: Person
    """The person the matter is about; phone printed only with consent (below)."""
    matter_name: str
    need: str
    """What is asked of the department, in the clerk's words."""
    evidence: tuple[str, ...]
    limit_days: int | None
    due_date: dt.date | None
    consent_to_share: bool
    """The applicant agreed that the window shares these data with the department."""
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.created_on


# --------------------------------------------------------------------- D7 / D8 公示
class NoticeStage(StrEnum):
    """审核结果公示 and 审批结果公示 (D7, seed 003 篇七) and the standing roster (D8)."""

    REVIEW = "review"
    APPROVAL = "approval"
    STANDING = "standing"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS: dict[NoticeStage, str] = {
    NoticeStage.REVIEW: QT_TRANSLATE_NOOP(_C, "审核结果公示"),
    NoticeStage.APPROVAL: QT_TRANSLATE_NOOP(_C, "审批结果公示"),
    NoticeStage.STANDING: QT_TRANSLATE_NOOP(_C, "长期公示"),
}


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One household on a 公示 sheet: exactly the six columns allowed (domain.md §5, privacy).

    There is deliberately no field for anything else; see :func:`notice_rows`.
    """

    head_name: str
    village_group: str
    people_covered: int
    category: str
    monthly_amount: Decimal
    period: str


@dataclass(frozen=True, slots=True)
class ObjectionChannel:
    """Where and until when an objection is received (domain.md §5 D7: phone, address)."""

    office: str
    phone: str
    address: str
    deadline: dt.date | None
    """Last day of the objection period; a standing notice (D8) has none."""


@dataclass(frozen=True, slots=True)
class NoticeContent:
    """D7 审核/审批结果公示 and D8 长期公示 for a village or a whole township."""

    stage: NoticeStage
    number: str
    issuer: str
    """The body that posts and seals the notice (乡镇人民政府 / 街道办事处)."""
    township: str
    village: str | None
    """None: township-wide notice (篇十四: 村级公示, then 乡镇公示)."""
    scheme: str
    """最低生活保障 / 特困人员救助供养 …"""
    period_label: str
    """The period the roster covers, e.g. 2024年第三季度."""
    posted_on: dt.date
    objection_days: int | None
    """公示 days from the parameter set (not in the seeds: domain.md §8 item 1)."""
    channel: ObjectionChannel
    rows: tuple[NoticeRow, ...]
    paper: Paper = Paper.A4_LANDSCAPE

    @property
    def document_date(self) -> dt.date:
        return self.posted_on

    @property
    def total_people(self) -> int:
        return sum(r.people_covered for r in self.rows)

    @property
    def total_amount(self) -> Decimal:
        return sum((r.monthly_amount for r in self.rows), Decimal(0))


@dataclass(frozen=True, slots=True)
class NoticeMember:
    """A covered member as the registry knows them: much more than a notice may show."""

    name: str
    id_number: str = ""
    diagnosis: str = ""
    disability_category: DisabilityCategory | None = None
    disability_grade: int | None = None
    child_status: ChildStatus = ChildStatus.NONE
    religion: str = ""


@dataclass(frozen=True, slots=True)
class NoticeHousehold:
    """The richer household record a service holds when it prepares a 公示."""

    head_name: str
    head_id_number: str
    phone: str
    bank_account: str
    village: str
    group_name: str
    category: HouseholdCategory
    covered: tuple[NoticeMember, ...]
    monthly_amount: Decimal
    start: dt.date
    end: dt.date | None = None
    single_person_cause: str = ""
    """Why a 单人户 was allowed (illness, disability …): kept on file, never posted."""


# Categories a 公示 may carry (domain.md §5 D7: 低保 a/b/c, 特困, 单人户).
_SINGLE_PERSON_TEXT = QT_TRANSLATE_NOOP(_C, "单人户（事实生活困难）")
NOTICE_CATEGORY_TEXT: dict[HouseholdCategory, str] = {
    HouseholdCategory.DIBAO_A: QT_TRANSLATE_NOOP(_C, "低保A类"),
    HouseholdCategory.DIBAO_B: QT_TRANSLATE_NOOP(_C, "低保B类"),
    HouseholdCategory.DIBAO_C: QT_TRANSLATE_NOOP(_C, "低保C类"),
    # 单人户 and 分户 both exist because of a member's illness or disability (domain.md
    # §1.1 items 1–8); the notice states the fact of hardship, never the medical cause.
    HouseholdCategory.DIBAO_SINGLE_PERSON: _SINGLE_PERSON_TEXT,
    HouseholdCategory.DIBAO_SEPARATE: _SINGLE_PERSON_TEXT,
    HouseholdCategory.TEKUN_CENTRALIZED: QT_TRANSLATE_NOOP(_C, "特困（集中供养）"),
    HouseholdCategory.TEKUN_DISPERSED: QT_TRANSLATE_NOOP(_C, "特困（分散供养）"),
}


def mask_given_name(name: str) -> str:
    """张*伟 / 李* / 买**·*力: keep the first and the last character (and any ·), star the rest.

    A township that prefers not to post full names chooses this; the seeds ask for names
    to be posted where people live (seed 002), so the default is the full name.
    """
    chars = list(name.strip())
    if len(chars) <= 1:
        return "".join(chars)
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "".join("·" if c == "·" else "*" for c in chars[1:-1]) + chars[-1]


def month_period_text(start: dt.date, end: dt.date | None) -> str:
    """``2024年7月起`` or ``2024年7月至2025年6月``: months, as boards show them."""
    begin = f"{start.year}年{start.month}月"
    if end is None:
        return begin + "起"
    return f"{begin}至{end.year}年{end.month}月"


def notice_rows(
    households: tuple[NoticeHousehold, ...] | list[NoticeHousehold],
    *,
    mask_given_names: bool = False,
) -> tuple[NoticeRow, ...]:
    """Reduce household records to what a 公示 may show (domain.md §5, privacy).

    Only name, 村/组, people covered, category, monthly amount and period cross over. A
    category that is not a 低保/特困 class raises ``ValueError``: nothing else is posted
    on these sheets. Rows keep the order given (services sort by village and group).
    """
    rows: list[NoticeRow] = []
    for h in households:
        try:
            category = NOTICE_CATEGORY_TEXT[h.category]
        except KeyError:
            raise ValueError(f"{h.category.value} is not a category posted on a 公示") from None
        name = mask_given_name(h.head_name) if mask_given_names else h.head_name.strip()
        group = f"{h.village}{h.group_name}" if h.group_name else h.village
        rows.append(
            NoticeRow(
                head_name=name,
                village_group=group,
                people_covered=len(h.covered),
                category=category,
                monthly_amount=h.monthly_amount,
                period=month_period_text(h.start, h.end),
            )
        )
    return tuple(rows)


# ---------------------------------------------------------------- D1 / D3 / D4 forms
APPLICATION_CAUSES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP(_C, "因病"),
    QT_TRANSLATE_NOOP(_C, "因残"),
    QT_TRANSLATE_NOOP(_C, "因学"),
    QT_TRANSLATE_NOOP(_C, "因灾（疫）"),
    QT_TRANSLATE_NOOP(_C, "缺劳力"),
    QT_TRANSLATE_NOOP(_C, "住房困难"),
    QT_TRANSLATE_NOOP(_C, "突发事件"),
)
"""Causes on the application form, printed as tick boxes (domain.md §5 D1, §6.2)."""

APPLICATION_ITEMS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP(_C, "最低生活保障"),
    QT_TRANSLATE_NOOP(_C, "特困人员救助供养"),
    QT_TRANSLATE_NOOP(_C, "临时救助"),
    QT_TRANSLATE_NOOP(_C, "医疗救助"),
    QT_TRANSLATE_NOOP(_C, "教育救助"),
    QT_TRANSLATE_NOOP(_C, "住房救助"),
    QT_TRANSLATE_NOOP(_C, "就业救助"),
)
"""Items one may apply for, printed as tick boxes (domain.md §5 D1, §1)."""

AUTHORISATION_SCOPE: tuple[str, ...] = (
    QT_TRANSLATE_NOOP(_C, "户籍、婚姻登记"),
    QT_TRANSLATE_NOOP(_C, "银行存款、理财及证券"),
    QT_TRANSLATE_NOOP(_C, "商业保险"),
    QT_TRANSLATE_NOOP(_C, "不动产登记"),
    QT_TRANSLATE_NOOP(_C, "机动车登记"),
    QT_TRANSLATE_NOOP(_C, "工商（市场主体）登记"),
    QT_TRANSLATE_NOOP(_C, "纳税记录"),
    QT_TRANSLATE_NOOP(_C, "社会保险及住房公积金"),
    QT_TRANSLATE_NOOP(_C, "其他与家庭经济状况有关的信息"),
)
"""What the 核对平台 may look up (domain.md §5 D3: bank, property, vehicles, business,
social insurance, tax …)."""


@dataclass(frozen=True, slots=True)
class FormMember:
    """A co-resident family member listed on the application (domain.md §5 D1, §6.3)."""

    name: str
    relation: str
    id_number: str
    labour: str = ""
    """劳动能力 label."""
    occupation: str = ""
    """Work or school, in a few words."""
    monthly_income: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ApplicationContent:
    """D1 社会救助申请书, pre-filled for signature (domain.md §5 D1, seed 003 篇一)."""

    number: str
    """The intake number the form is filed under."""
    township: str
    village: str
    group_name: str
    address: str
    household_number: str
    applicant: Person
    """One co-resident member named as applicant (篇一)."""
    guardian: Person | None
    """Legal guardian or proxy filing for the applicant (seed 002), if any."""
    members: tuple[FormMember, ...]
    causes: tuple[str, ...]
    other_cause: str
    items: tuple[str, ...]
    monthly_income_total: Decimal | None
    property_note: str
    statement: str
    """The applicant's own account of the hardship."""
    applied_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.applied_on


@dataclass(frozen=True, slots=True)
class AuthorisationContent:
    """D3 家庭经济状况核对授权书: one signature row per adult member (domain.md §5 D3)."""

    number: str
    township: str
    village: str
    household_number: str
    applicant_name: str
    members: tuple[Person, ...]
    """Adult members only: each signs for themselves (domain.md §8 external practice)."""
    signed_on: dt.date
    scope: tuple[str, ...] = AUTHORISATION_SCOPE
    purpose: str = QT_TRANSLATE_NOOP(_C, "申请社会救助并接受定期复核")
    valid_text: str = QT_TRANSLATE_NOOP(_C, "自签字之日起至享受的社会救助终止之日止")
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on


@dataclass(frozen=True, slots=True)
class CommitmentContent:
    """D4 如实申报承诺书 (domain.md §5 D4; fraud rules seed 003 篇一, 篇十三)."""

    number: str
    township: str
    village: str
    household_number: str
    applicant_name: str
    items: tuple[str, ...]
    """What is applied for, named in the promise."""
    members: tuple[Person, ...]
    """Adult members who sign the promise."""
    signed_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on


# ------------------------------------------------------------------- D12 临时救助
class ApprovalLevel(StrEnum):
    """分级审批 (domain.md §1.5: township up to its limit, county above)."""

    TOWNSHIP = "township"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return {
            ApprovalLevel.TOWNSHIP: QT_TRANSLATE_NOOP(_C, "乡镇（街道）审批"),
            ApprovalLevel.COUNTY: QT_TRANSLATE_NOOP(_C, "县级民政部门审批"),
        }[self]


@dataclass(frozen=True, slots=True)
class TemporaryAidContent:
    """D12 临时救助审批表 (domain.md §5 D12, §1.5)."""

    number: str
    township: str
    household_number: str
    village: str
    applicant: Person
    family_size: int
    event: str
    event_at: dt.datetime
    requested: Decimal
    proposed: Decimal
    approval_level: ApprovalLevel
    township_limit: Decimal
    granted_this_year: Decimal
    """Already granted to the family this year, before this case."""
    annual_cap: Decimal
    case_by_case: bool
    """一事一议: beyond the cap or the tier, decided case by case (篇九, 篇十五)."""
    advance_aid: bool
    """先行救助: paid first, paperwork afterwards (seed 004; 篇九)."""
    paperwork_due: dt.date | None
    payee_name: str
    bank_name: str
    bank_account: str
    """Printed with the last four digits only."""
    prepared_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.prepared_on

    @property
    def year_total_after(self) -> Decimal:
        return self.granted_this_year + self.proposed

    @property
    def over_cap(self) -> bool:
        return self.year_total_after > self.annual_cap


# ---------------------------------------------------------------- D21 change notice
class ChangeKind(StrEnum):
    """增发/减发/停发 (篇一, 篇七) and 渐退/延保/自愿退出 (domain.md §1.3)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    STOP = "stop"
    GRADUAL_EXIT = "gradual_exit"
    EXTENSION = "extension"
    VOLUNTARY_EXIT = "voluntary_exit"

    @property
    def label(self) -> str:
        return _CHANGE_LABELS[self]


_CHANGE_LABELS: dict[ChangeKind, str] = {
    ChangeKind.INCREASE: QT_TRANSLATE_NOOP(_C, "增发"),
    ChangeKind.DECREASE: QT_TRANSLATE_NOOP(_C, "减发"),
    ChangeKind.STOP: QT_TRANSLATE_NOOP(_C, "停发"),
    ChangeKind.GRADUAL_EXIT: QT_TRANSLATE_NOOP(_C, "渐退"),
    ChangeKind.EXTENSION: QT_TRANSLATE_NOOP(_C, "延保"),
    ChangeKind.VOLUNTARY_EXIT: QT_TRANSLATE_NOOP(_C, "自愿退出"),
}


@dataclass(frozen=True, slots=True)
class ChangeNoticeContent:
    """D21 增发/减发/停发 and 渐退/延保 告知书 (domain.md §5 D21)."""

    kind: ChangeKind
    number: str
    issuer: str
    household_number: str
    village: str
    head_name: str
    scheme: str
    decided_on: dt.date
    reason: str
    effective_month: dt.date
    """First month the new amount (or the stop) applies; day ignored."""
    old_amount: Decimal
    new_amount: Decimal
    """Monthly amount from ``effective_month``; 0 for 停发 and after a voluntary exit."""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    """渐退 / 延保 months (12 months; 6–12 months from the next month: §1.3)."""
    exit_payment_months: int | None = None
    """自愿退出: months of 低保金 still paid (1–3, seed 003 篇三)."""
    review_office: str = ""
    review_phone: str = ""
    """Where to ask for a review of the decision (appeal channel: domain.md §5 D21, X)."""

    @property
    def document_date(self) -> dt.date:
        return self.decided_on


# ------------------------------------------------------------------------ agreements
@dataclass(frozen=True, slots=True)
class CareAgreementContent:
    """D14 委托照料协议 for a 分散供养 特困 person (domain.md §5 D14; 篇三, 篇九 "五有").

    Parties (D14): 特困人员本人或监护人, 照料人, 村（居）委会, 乡镇（街道）.
    """

    number: str
    township: str
    """乡镇人民政府 / 街道办事处: commissions the care and pays."""
    village_committee: str
    person: Person
    guardian: Person | None
    carer: Person
    duties: tuple[str, ...]
    service_standard: str
    visit_cycle: str
    """Visits and cleaning ≥2 a month, a haircut ≥1 a month (篇九)."""
    emergency_plan: str
    emergency_phone: str
    monthly_pay: Decimal
    start: dt.date
    end: dt.date
    signed_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        """Every party D14 names: township, carer, the person (or guardian), village."""
        rows = [
            Signatory("甲方（委托方）", self.township, seal=True),
            Signatory("乙方（照料人）", self.carer.name),
            Signatory("丙方（特困人员）", self.person.name),
        ]
        if self.guardian is not None:
            rows.append(Signatory("丙方监护人", self.guardian.name))
        rows.append(Signatory("见证方（村（居）委会）", self.village_committee, seal=True))
        return tuple(rows)


class FeePayer(StrEnum):
    """Who bears the costs of a placement (篇十一: the family or the township)."""

    FAMILY = "family"
    TOWNSHIP = "township"

    @property
    def label(self) -> str:
        return {
            FeePayer.FAMILY: QT_TRANSLATE_NOOP(_C, "家庭承担"),
            FeePayer.TOWNSHIP: QT_TRANSLATE_NOOP(_C, "乡镇（街道）承担"),
        }[self]


@dataclass(frozen=True, slots=True)
class PlacementAgreementContent:
    """D16 入住（托养）协议 (domain.md §5 D16; seed 003 篇十一, 篇六).

    Placement needs the person's wish, the direct relatives' opinion and no infectious or
    mental illness (篇十一); parties sign: 入住人, 直系亲属, 供养服务机构, 乡镇（街道）.
    """

    number: str
    township: str
    institution: str
    institution_address: str
    person: Person
    relatives: tuple[Person, ...]
    wish_confirmed: bool
    relatives_agree: bool
    health_checked_on: dt.date | None
    """Date of the health check showing no infectious or mental illness."""
    fee_payer: FeePayer
    monthly_fee: Decimal
    start: dt.date
    signed_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        """Township, institution, the person and each direct relative consulted (篇十一)."""
        return (
            Signatory("甲方（乡镇、街道）", self.township, seal=True),
            Signatory("乙方（供养服务机构）", self.institution, seal=True),
            Signatory("丙方（入住人）", self.person.name),
            *(Signatory(f"直系亲属（{r.relation}）", r.name) for r in self.relatives),
        )


@dataclass(frozen=True, slots=True)
class Supporter:
    """A child or other person bound to support the elder (赡养人)."""

    person: Person
    monthly_money: Decimal
    duties: str


@dataclass(frozen=True, slots=True)
class SupportAgreementContent:
    """D17 赡养协议 with the contact-person register (domain.md §5 D17; 篇三).

    Parties: 被赡养人, every 赡养人, and the 村（居）委会 that witnesses and follows up.
    """

    number: str
    township: str
    village_committee: str
    elder: Person
    supporters: tuple[Supporter, ...]
    contact: Person
    """联系人 for the left-behind elder (篇三: 农村老年人联系人登记)."""
    visit_schedule: str
    signed_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        """The elder, every supporter, and the village committee as witness."""
        return (
            Signatory("被赡养人", self.elder.name),
            *(Signatory(f"赡养人（{s.person.relation}）", s.person.name) for s in self.supporters),
            Signatory("见证方（村（居）委会）", self.village_committee, seal=True),
        )


@dataclass(frozen=True, slots=True)
class PairingMeasure:
    """One line of 一户一策 (篇十四): kind of help, what, and by when."""

    kind: str
    """产业 / 就业 / 教育 / 医疗 / 住房 / 兜底."""
    content: str
    target: str


@dataclass(frozen=True, slots=True)
class PairingAgreementContent:
    """D18 结对帮扶协议 / 帮扶卡 (domain.md §5 D18; 篇二, 篇六, 篇十四, 篇十五).

    Parties: 帮扶对象（户主）, 帮扶责任人, 帮扶单位, and the village 两委 that confirms (篇六).
    """

    number: str
    township: str
    village_committee: str
    household_number: str
    head: Person
    helper: Person
    helper_unit: str
    helper_position: str
    causes: tuple[str, ...]
    measures: tuple[PairingMeasure, ...]
    visit_cycle: str
    """≥2 visits a quarter per contact point (篇二)."""
    special_item: str
    """特惠 item: in principle one per household per year (篇六)."""
    start: dt.date
    end: dt.date
    signed_on: dt.date
    full_id_numbers: bool = False

    @property
    def document_date(self) -> dt.date:
        return self.signed_on

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        """Household head, helper, helper's unit and the village 两委 (篇六)."""
        return (
            Signatory("帮扶对象（户主）", self.head.name),
            Signatory("帮扶责任人", self.helper.name),
            Signatory("帮扶单位", self.helper_unit, seal=True),
            Signatory("村（居）两委（确认）", self.village_committee, seal=True),
        )


AgreementContent = (
    CareAgreementContent
    | PlacementAgreementContent
    | SupportAgreementContent
    | PairingAgreementContent
)

AnyContent = (
    ApplicationContent
    | ReceiptContent
    | AuthorisationContent
    | CommitmentContent
    | NoticeContent
    | ReferralContent
    | TemporaryAidContent
    | ChangeNoticeContent
    | AgreementContent
)


def kind_of(content: AnyContent) -> DocumentKind:
    """Which document a content record prints as."""
    if isinstance(content, NoticeContent):
        return (
            DocumentKind.STANDING_NOTICE
            if content.stage is NoticeStage.STANDING
            else DocumentKind.RESULT_NOTICE
        )
    return _KIND_OF_TYPE[type(content)]


_KIND_OF_TYPE: dict[type, DocumentKind] = {
    ApplicationContent: DocumentKind.APPLICATION,
    ReceiptContent: DocumentKind.RECEIPT,
    AuthorisationContent: DocumentKind.AUTHORISATION,
    CommitmentContent: DocumentKind.COMMITMENT,
    ReferralContent: DocumentKind.REFERRAL,
    TemporaryAidContent: DocumentKind.TEMPORARY_AID,
    ChangeNoticeContent: DocumentKind.CHANGE_NOTICE,
    CareAgreementContent: DocumentKind.CARE_AGREEMENT,
    PlacementAgreementContent: DocumentKind.PLACEMENT_AGREEMENT,
    SupportAgreementContent: DocumentKind.SUPPORT_AGREEMENT,
    PairingAgreementContent: DocumentKind.PAIRING_AGREEMENT,
}
