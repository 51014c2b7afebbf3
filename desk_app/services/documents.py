"""Content for the printed documents, and the archive of what was printed (issue #6).

:class:`DocumentService` fills the frozen ``*Content`` records of
:mod:`desk_app.domain.documents` from the database; ``reports`` turns them into PDFs (the
core never imports ``reports``: ``ui`` and the command line put the two together).
ID numbers and phones reach the content **masked** — the registry's read models never
carry them in full — so paper is masked by default whatever the builder does.

Every print, PDF export or posting of a document is recorded with who, what and when;
the PDF itself is stored once per distinct content (SHA-256), so the hall can show later
exactly what was handed over, posted or signed (:meth:`DocumentService.record`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk_app.domain.documents import (
    APPLICATION_ITEMS,
    ApplicationContent,
    ApprovalLevel,
    AuthorisationContent,
    CommitmentContent,
    DocumentKind,
    FormMember,
    Person,
    ReceiptContent,
    ReceiptMatter,
    ReferralContent,
    TemporaryAidContent,
)
from desk_app.domain.ids import age_on, mask_id_number, mask_phone
from desk_app.domain.intake import CameAs, Handling
from desk_app.domain.registry import LABELS
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    ArchivedDocument,
    Cause,
    Department,
    DocumentEvent,
    Household,
    Intake,
    IntakeMatter,
    MatterType,
    Paper,
    Referral,
    Site,
)
from desk_app.persistence.models import (
    Person as PersonRow,
)
from desk_app.services import audit
from desk_app.services.assistance import chosen_rules
from desk_app.services.context import ServiceContext, requires
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

ACTIONS = ("print", "pdf", "publish")


@dataclass(frozen=True, slots=True)
class ArchivedInfo:
    id: int
    kind: DocumentKind
    number: str
    title: str
    household_id: int | None
    sha256: str
    pages: int
    size: int
    created_at: dt.datetime
    actor: str
    events: tuple[DocumentEventRow, ...]


@dataclass(frozen=True, slots=True)
class DocumentEventRow:
    action: str
    copies: int
    at: dt.datetime
    actor: str


@dataclass(frozen=True, slots=True)
class TemporaryAidInput:
    """What the clerk enters for a D12 临时救助审批表; limits come from the parameter set."""

    household_id: int
    event: str
    event_at: dt.datetime
    requested: Decimal
    proposed: Decimal
    granted_this_year: Decimal = Decimal(0)
    advance_aid: bool = False
    paperwork_due: dt.date | None = None


class DocumentService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # --- content -------------------------------------------------------------------------

    @requires(Permission.PRINT)
    def receipt(self, intake_id: int) -> ReceiptContent:
        """D2 受理回执 for an intake, with the 一次性告知 list per matter."""
        with self._uow(write=False) as uow:
            s = uow.session
            intake = s.scalars(
                select(Intake)
                .where(Intake.id == intake_id)
                .options(selectinload(Intake.matters).selectinload(IntakeMatter.referrals))
            ).first()
            if intake is None:
                raise NotFoundError(_missing("找不到该受理记录。"))
            household = _household(s, intake.household_id)
            site = _site(s)
            applicant = s.get(PersonRow, intake.applicant_id) if intake.applicant_id else None
            names = _paper_names(s)
            matters = []
            for m in intake.matters:
                matter = s.get(MatterType, m.matter_code)
                department = s.get(Department, m.department_code)
                referral = m.referrals[-1] if m.referrals else None
                matters.append(
                    ReceiptMatter(
                        matter_name=matter.name if matter else m.matter_code,
                        handling=Handling(m.handling),
                        department_name=department.name if department else m.department_code,
                        papers_received=tuple(names.get(c, c) for c in json.loads(m.papers_received)),
                        papers_missing=tuple(names.get(c, c) for c in json.loads(m.papers_missing)),
                        limit_days=referral.limit_days if referral else None,
                        due_date=m.due_date,
                        due_uncertain=m.due_uncertain,
                        referral_number=referral.number if referral else "",
                    )
                )  # fmt: skip
            return ReceiptContent(
                number=intake.number, received_at=intake.received_at,
                township=site.township_name, window=_window_title(site), clerk=intake.clerk,
                household_number=household.number, village=household.village,
                group_name=household.group_name,
                applicant_name=applicant.name if applicant else _head(household).name,
                came_as=CameAs(intake.came_as).label, agent_name=intake.agent_name,
                matters=tuple(matters), hotline=site.phone,
            )  # fmt: skip

    @requires(Permission.PRINT)
    def referral(self, referral_id: int) -> ReferralContent:
        """D10 转介单 with its 回执联, for one referral."""
        with self._uow(write=False) as uow:
            s = uow.session
            referral = s.get(Referral, referral_id)
            if referral is None:
                raise NotFoundError(_missing("找不到该转介记录。"))
            matter = referral.matter
            intake = matter.intake
            household = _household(s, intake.household_id)
            site = _site(s)
            person_row = (
                s.get(PersonRow, intake.applicant_id) if intake.applicant_id else None
            ) or _head(household)
            department = s.get(Department, referral.department_code)
            matter_type = s.get(MatterType, matter.matter_code)
            names = _paper_names(s)
            contact = ""
            if department is not None:
                contact = "　".join(x for x in (department.contact, department.phone) if x)
            need = matter.route_reason or (matter_type.reason if matter_type else "")
            return ReferralContent(
                number=referral.number, intake_number=intake.number,
                created_on=referral.created_at.date(), township=site.township_name,
                window=_window_title(site), clerk=intake.clerk, window_phone=site.phone,
                window_address=site.address,
                department_name=department.name if department else referral.department_code,
                department_contact=contact, household_number=household.number,
                village=f"{household.village}{household.group_name}",
                person=_person(person_row, household),
                matter_name=matter_type.name if matter_type else matter.matter_code,
                need=need,
                evidence=tuple(names.get(c, c) for c in json.loads(matter.papers_received)),
                limit_days=referral.limit_days, due_date=referral.due_date,
                # Referral is made at the applicant's request at the window (一门受理): the
                # slip records that consent; the phone is printed masked all the same.
                consent_to_share=True,
            )  # fmt: skip

    @requires(Permission.PRINT)
    def application(self, household_id: int, intake_id: int | None = None) -> ApplicationContent:
        """D1 社会救助申请书, pre-filled from the registry (and the intake, if given)."""
        with self._uow(write=False) as uow:
            s = uow.session
            household = _household(s, household_id)
            site = _site(s)
            on = self._context.today()
            number = ""
            causes: tuple[str, ...] = ()
            items: tuple[str, ...] = ()
            applicant_row = _head(household)
            if intake_id is not None:
                intake = s.get(Intake, intake_id)
                if intake is None or intake.household_id != household_id:
                    raise NotFoundError(_missing("找不到该受理记录。"))
                number = intake.number
                cause_names = dict(s.execute(select(Cause.code, Cause.name)).all())
                causes = tuple(cause_names.get(c, c) for c in json.loads(intake.causes))
                wanted = {
                    (s.get(MatterType, m.matter_code) or MatterType(name="")).name
                    for m in intake.matters
                }
                items = tuple(i for i in APPLICATION_ITEMS if any(i in w or w in i for w in wanted))
                if intake.applicant_id:
                    applicant_row = s.get(PersonRow, intake.applicant_id) or applicant_row
            members = tuple(
                FormMember(
                    name=m.name,
                    relation=LABELS["Relation"].get(m.relation or "", ""),
                    id_number=mask_id_number(m.id_number),
                    labour=LABELS["LabourAbility"].get(m.labour_ability, ""),
                    occupation=_occupation(m, on),
                )
                for m in household.members
            )
            return ApplicationContent(
                number=number, township=site.township_name, village=household.village,
                group_name=household.group_name, address=household.address,
                household_number=household.number,
                applicant=_person(applicant_row, household), guardian=None, members=members,
                causes=causes, other_cause="", items=items,
                monthly_income_total=None, property_note="", statement="", applied_on=on,
            )  # fmt: skip

    @requires(Permission.PRINT)
    def authorisation(self, household_id: int) -> AuthorisationContent:
        """D3 核对授权书: a signature row for every adult member."""
        with self._uow(write=False) as uow:
            s = uow.session
            household = _household(s, household_id)
            on = self._context.today()
            return AuthorisationContent(
                number=household.number, township=_site(s).township_name,
                village=household.village, household_number=household.number,
                applicant_name=_head(household).name,
                members=_adults(household, on), signed_on=on,
            )  # fmt: skip

    @requires(Permission.PRINT)
    def commitment(self, household_id: int, items: tuple[str, ...] = ()) -> CommitmentContent:
        """D4 如实申报承诺书, signed by every adult member."""
        with self._uow(write=False) as uow:
            s = uow.session
            household = _household(s, household_id)
            on = self._context.today()
            return CommitmentContent(
                number=household.number, township=_site(s).township_name,
                village=household.village, household_number=household.number,
                applicant_name=_head(household).name,
                items=items or (APPLICATION_ITEMS[0],), members=_adults(household, on),
                signed_on=on,
            )  # fmt: skip

    @requires(Permission.PRINT)
    def temporary_aid(self, data: TemporaryAidInput) -> TemporaryAidContent:
        """D12 临时救助审批表: approval level and cap from the chosen parameter set (§1.5)."""
        problems: list[FieldProblem] = []
        if not data.event.strip():
            problems.append(problem("event", "事由", "请写明遭遇的困难或事件"))
        for name, label, amount in (
            ("requested", "申请金额", data.requested),
            ("proposed", "拟救助金额", data.proposed),
            ("granted_this_year", "本年已获救助", data.granted_this_year),
        ):
            if amount < 0:
                problems.append(problem(name, label, "金额不能为负数"))
        if problems:
            raise ValidationError(problems)
        with self._uow(write=False) as uow:
            s = uow.session
            household = _household(s, data.household_id)
            on = self._context.today()
            rules = chosen_rules(s)
            limit = _decimal(rules.value("temporary.township_limit", on) if rules else None)
            cap = _decimal(rules.value("temporary.annual_cap", on) if rules else None)
            missing = [
                n for n, v in (("乡镇审批限额", limit), ("临时救助家庭年度上限", cap)) if v is None
            ]
            if missing:
                raise ValidationError(
                    [FieldProblem("rule_set", QT_TRANSLATE_NOOP("fields", "参数集"), Message(
                        "validation",
                        QT_TRANSLATE_NOOP("validation", "所选参数集没有设定：{names}。请在系统设置 → 救助参数集中设定后再打印审批表"),
                        {"names": "、".join(missing)}))]
                )  # fmt: skip
            assert limit is not None
            assert cap is not None
            level = ApprovalLevel.TOWNSHIP if data.proposed <= limit else ApprovalLevel.COUNTY
            after = data.granted_this_year + data.proposed
            return TemporaryAidContent(
                number=f"{household.number}-LS{on:%Y%m%d}", township=_site(s).township_name,
                household_number=household.number, village=household.village,
                applicant=_person(_head(household), household),
                family_size=len(household.members), event=data.event.strip(),
                event_at=data.event_at, requested=data.requested, proposed=data.proposed,
                approval_level=level, township_limit=limit,
                granted_this_year=data.granted_this_year, annual_cap=cap,
                case_by_case=after > cap, advance_aid=data.advance_aid,
                paperwork_due=data.paperwork_due, payee_name=_head(household).name,
                bank_name="", bank_account="", prepared_on=on,
            )  # fmt: skip

    # --- archive and print log --------------------------------------------------------

    @requires(Permission.PRINT)
    def record(
        self,
        kind: DocumentKind,
        number: str,
        title: str,
        pdf: bytes,
        pages: int,
        action: str,
        *,
        household_id: int | None = None,
        copies: int = 1,
    ) -> ArchivedInfo:
        """Log a print, PDF export or posting and keep the PDF (once per distinct file)."""
        if action not in ACTIONS:
            raise ValueError(action)
        if copies < 1:
            raise ValidationError([problem("copies", "份数", "份数至少为1")])
        digest = hashlib.sha256(pdf).hexdigest()
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            document = s.scalars(
                select(ArchivedDocument).where(ArchivedDocument.sha256 == digest)
            ).first()
            if document is None:
                document = ArchivedDocument(
                    kind=kind.value, number=number, title=title[:100], household_id=household_id,
                    sha256=digest, pages=pages, pdf=pdf, created_at=now, actor=self._context.actor,
                )  # fmt: skip
                s.add(document)
                s.flush()
            s.add(
                DocumentEvent(
                    document_id=document.id,
                    action=action,
                    copies=copies,
                    at=now,
                    actor=self._context.actor,
                )
            )
            s.flush()
            audit.record(
                s, self._context, action, "archived_document", document.id,
                kind=kind.value, number=number, copies=copies,
            )  # fmt: skip
            info = _archived(s, document)
            uow.commit()
        # Kind and reference number only: no names or ID numbers in the log (brief: privacy).
        log.info("document %s: %s %s x%d", action, kind.value, number, copies)
        return info

    @requires(Permission.PRINT)
    def archived(
        self, household_id: int | None = None, limit: int = 200
    ) -> tuple[ArchivedInfo, ...]:
        """Archived documents, newest first (one household's, or all)."""
        with self._uow(write=False) as uow:
            s = uow.session
            query = select(ArchivedDocument).order_by(ArchivedDocument.id.desc()).limit(limit)
            if household_id is not None:
                query = query.where(ArchivedDocument.household_id == household_id)
            return tuple(_archived(s, d) for d in s.scalars(query))

    @requires(Permission.PRINT)
    def archived_pdf(self, document_id: int) -> bytes:
        with self._uow(write=False) as uow:
            document = uow.session.get(ArchivedDocument, document_id)
            if document is None:
                raise NotFoundError(_missing("找不到该存档文书。"))
            return bytes(document.pdf)


# --- helpers ------------------------------------------------------------------------------


def _missing(text: str) -> Message:
    return Message("errors", text)


def _site(s: Session) -> Site:
    site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
    if site is None:
        return Site(township_name="", township_code="", window_name="", phone="", address="")
    return site


def _window_title(site: Site) -> str:
    """青石镇社会救助综合服务窗口: the township's name leads unless the window name has it."""
    if site.township_name and not site.window_name.startswith(site.township_name):
        return site.township_name + site.window_name
    return site.window_name


def _household(s: Session, household_id: int) -> Household:
    found = s.scalars(
        select(Household)
        .where(Household.id == household_id)
        .options(selectinload(Household.members))
    ).first()
    if found is None:
        raise NotFoundError(_missing("找不到该户，可能已被删除或数据库已更换。"))
    return found


def _head(household: Household) -> PersonRow:
    head = next((m for m in household.members if m.relation == "head"), None)
    if head is None:
        head = household.members[0] if household.members else None
    if head is None:
        raise NotFoundError(_missing("该户没有成员。"))
    return head


def _person(p: PersonRow, household: Household) -> Person:
    return Person(
        name=p.name,
        id_number=mask_id_number(p.id_number),
        relation=LABELS["Relation"].get(p.relation or "", ""),
        phone=mask_phone(p.phone) if p.phone else "",
        address=household.address,
    )


def _adults(household: Household, on: dt.date) -> tuple[Person, ...]:
    return tuple(_person(m, household) for m in household.members if age_on(m.birth_date, on) >= 18)


def _occupation(p: PersonRow, on: dt.date) -> str:
    if p.schooling_stage and p.schooling_stage != "none":
        return LABELS["SchoolingStage"].get(p.schooling_stage, "")
    if age_on(p.birth_date, on) < 16:
        return ""
    return LABELS["Employment"].get(p.employment, "")


def _paper_names(s: Session) -> dict[str, str]:
    return dict(s.execute(select(Paper.code, Paper.name)).all())


def _decimal(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _archived(s: Session, d: ArchivedDocument) -> ArchivedInfo:
    events = s.scalars(
        select(DocumentEvent).where(DocumentEvent.document_id == d.id).order_by(DocumentEvent.id)
    ).all()
    return ArchivedInfo(
        id=d.id, kind=DocumentKind(d.kind), number=d.number, title=d.title,
        household_id=d.household_id, sha256=d.sha256, pages=d.pages, size=len(d.pdf),
        created_at=d.created_at, actor=d.actor,
        events=tuple(DocumentEventRow(e.action, e.copies, e.at, e.actor) for e in events),
    )  # fmt: skip
