"""窗口受理: record everything a household asks for in one sitting, and route each matter.

Rules: domain.md §2.1 steps 0–2, §3.1–§3.3. For each matter the catalogue's routing
matrix proposes a route with its reason and seed basis; the clerk may change it with a
reason, which is kept beside the proposal. Saving writes the intake, its matters, their
referrals and every deadline in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkingCalendar
from desk_app.domain.intake import CameAs, Channel, Eased, Handling, ReferralStatus, Urgency
from desk_app.domain.routing import MemberFacts, suggest_matters
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    Cause,
    Department,
    Household,
    Intake,
    IntakeMatter,
    Person,
    Referral,
    ReferralEvent,
    Site,
)
from desk_app.services.calendar import load_calendar
from desk_app.services.catalogue import DepartmentRow, MatterRow, load_departments, load_matters
from desk_app.services.context import ServiceContext, requires
from desk_app.services.dto import (
    IntakeReceipt,
    PaperRef,
    RouteProposal,
    Suggestion,
    TimelineEntry,
)
from desk_app.services.parameters import lookup_number
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

_F = "fields"
_V = "validation"


@dataclass(frozen=True, slots=True)
class MatterChoice:
    """A matter as chosen at the window; ``handling``/``department_code`` None = as proposed."""

    matter_code: str
    papers_received: tuple[str, ...] = ()
    handling: Handling | None = None
    department_code: str | None = None
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class IntakeInput:
    household_id: int
    matters: tuple[MatterChoice, ...]
    applicant_id: int | None = None
    came_as: CameAs = CameAs.APPLICANT
    agent_name: str = ""
    agent_relation: str = ""
    channel: Channel = Channel.WALK_IN
    urgency: Urgency = Urgency.NORMAL
    causes: tuple[str, ...] = ()
    note: str = ""


def route(
    choice: MatterChoice,
    matters: dict[str, MatterRow],
    departments: dict[str, DepartmentRow],
    calendar: WorkingCalendar,
    s: Session,
    on: dt.date,
) -> RouteProposal:
    """The route of one matter: the catalogue's proposal, the clerk's change, papers, deadline."""
    matter = matters[choice.matter_code]
    handling = choice.handling or matter.handling
    department_code = choice.department_code or matter.department_code
    department = departments[department_code]
    overridden = (handling, department_code) != (matter.handling, matter.department_code)
    received = set(choice.papers_received)
    limit: int | None
    if handling is Handling.REFERRAL:
        limit = department.limit_days
    else:
        limit, _src = lookup_number(s, (f"window.limit_days.{matter.code}",), on)
    deadline = calendar.add_working_days(on, limit) if limit is not None else None
    return RouteProposal(
        matter_code=matter.code,
        matter_name=matter.name,
        handling=handling,
        department_code=department.code,
        department_name=department.name,
        queue=department.queue,
        proposed_handling=matter.handling,
        proposed_department_code=matter.department_code,
        proposed_department_name=matter.department_name,
        reason=matter.reason,
        basis=matter.basis,
        overridden=overridden,
        override_reason=choice.override_reason.strip() if overridden else "",
        papers_received=tuple(
            PaperRef(p.code, p.name, p.note)
            for p in matter.required_papers + matter.optional_papers
            if p.code in received
        ),
        papers_missing=tuple(
            PaperRef(p.code, p.name, p.note)
            for p in matter.required_papers
            if p.code not in received
        ),
        limit_days=limit,
        due_date=deadline.due if deadline else None,
        due_uncertain_years=deadline.uncertain_years if deadline else (),
        referral_number="",
    )


class IntakeService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # ----------------------------------------------------------------- proposing
    @requires(Permission.INTAKE)
    def propose(
        self, choices: Sequence[MatterChoice], on: dt.date | None = None
    ) -> tuple[RouteProposal, ...]:
        """Routes, missing papers and deadlines for the matters chosen so far (no writes)."""
        on = on or self._context.today()
        with self._uow(write=False) as uow:
            s = uow.session
            matters = load_matters(s)
            departments = load_departments(s, on, include_inactive=True)
            _raise_if(self._check_choices(choices, matters, departments))
            calendar = load_calendar(s)
            return tuple(route(c, matters, departments, calendar, s, on) for c in choices)

    @requires(Permission.INTAKE)
    def suggestions(self, household_id: int) -> tuple[Suggestion, ...]:
        """Matters the household's own data points to (e.g. a lapsed 残疾人证 → 残联)."""
        today = self._context.today()
        with self._uow(write=False) as uow:
            s = uow.session
            household = s.get(Household, household_id)
            if household is None:
                raise NotFoundError(
                    Message(
                        "errors",
                        QT_TRANSLATE_NOOP("errors", "找不到该户，可能已被删除或数据库已更换。"),
                    )
                )
            matters = load_matters(s)
            facts = [MemberFacts.of(p, today) for p in household.members]
            out = []
            for rule in suggest_matters(facts):
                matter = matters.get(rule.matter_code)
                if matter is not None:
                    out.append(
                        Suggestion(
                            matter.code, matter.name, rule.person_name, rule.reason, rule.basis
                        )
                    )
            return tuple(out)

    @requires(Permission.INTAKE)
    def suggestions_for(self, members: Sequence[MemberFacts]) -> tuple[Suggestion, ...]:
        """Like :meth:`suggestions`, for facts given with the request (``desk-app route``).

        Nothing is read but the catalogue: the members need not be registered.
        """
        with self._uow(write=False) as uow:
            matters = load_matters(uow.session)
        out = []
        for rule in suggest_matters(list(members)):
            matter = matters.get(rule.matter_code)
            if matter is not None:
                out.append(
                    Suggestion(matter.code, matter.name, rule.person_name, rule.reason, rule.basis)
                )
        return tuple(out)

    # ----------------------------------------------------------------- saving
    @requires(Permission.INTAKE)
    def save(self, data: IntakeInput) -> IntakeReceipt:
        """Write the intake with its matters, referrals and deadlines in one transaction."""
        now = self._context.clock()
        on = now.date()
        with self._uow(write=True) as uow:
            s = uow.session
            household = s.get(Household, data.household_id)
            if household is None:
                raise NotFoundError(
                    Message(
                        "errors",
                        QT_TRANSLATE_NOOP("errors", "找不到该户，可能已被删除或数据库已更换。"),
                    )
                )
            matters = load_matters(s)
            departments = load_departments(s, on, include_inactive=True)
            problems = self._check_intake(s, data, household) + self._check_choices(
                data.matters, matters, departments
            )
            _raise_if(problems)
            site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
            if site is None:
                raise ValidationError(
                    [
                        problem(
                            "site",
                            QT_TRANSLATE_NOOP(_F, "窗口信息"),
                            QT_TRANSLATE_NOOP(_V, "请先在“设置 → 窗口与经办人”中填写本窗口信息"),
                        )
                    ]
                )
            calendar = load_calendar(s)
            site.intake_seq += 1
            intake = Intake(
                number=f"SL{on.year}-{site.intake_seq:06d}",
                household_id=household.id,
                applicant_id=data.applicant_id,
                came_as=data.came_as.value,
                agent_name=data.agent_name.strip(),
                agent_relation=data.agent_relation.strip(),
                channel=data.channel.value,
                urgency=data.urgency.value,
                causes=json.dumps(list(data.causes), ensure_ascii=False),
                note=data.note.strip(),
                received_at=now,
                clerk=self._context.actor,
            )
            s.add(intake)
            s.flush()
            routes = []
            for choice in data.matters:
                r = route(choice, matters, departments, calendar, s, on)
                matter = IntakeMatter(
                    intake_id=intake.id, matter_code=r.matter_code, handling=r.handling.value,
                    department_code=r.department_code, proposed_handling=r.proposed_handling.value,
                    proposed_department=r.proposed_department_code, route_reason=r.reason,
                    route_basis=r.basis, override_reason=r.override_reason,
                    papers_received=json.dumps([p.code for p in r.papers_received]),
                    papers_missing=json.dumps([p.code for p in r.papers_missing]),
                    status="referred" if r.handling is Handling.REFERRAL else "accepted",
                    due_date=r.due_date, due_uncertain=bool(r.due_uncertain_years),
                )  # fmt: skip
                s.add(matter)
                s.flush()
                number = ""
                if r.handling is Handling.REFERRAL:
                    if r.limit_days is None or r.due_date is None:
                        # A department whose limit parameter is empty: no deadline can be
                        # set, so nothing of this intake is kept (the unit of work rolls back).
                        raise ValidationError([_no_limit_problem(r)])
                    site.referral_seq += 1
                    number = f"ZJ{on.year}-{site.referral_seq:06d}"
                    referral = Referral(
                        number=number, matter_id=matter.id, department_code=r.department_code,
                        status=ReferralStatus.PENDING.value, created_at=now, limit_days=r.limit_days,
                        due_date=r.due_date, due_uncertain=bool(r.due_uncertain_years), version=1,
                    )  # fmt: skip
                    s.add(referral)
                    s.flush()
                    s.add(ReferralEvent(
                        referral_id=referral.id, at=now, actor=self._context.actor, kind="created",
                        to_status=ReferralStatus.PENDING.value,
                        note=r.override_reason,
                    ))  # fmt: skip
                routes.append(_with_number(r, number))
            uow.commit()
            log.info("intake saved: intake=%s household=%s matters=%d referrals=%d",
                     intake.id, household.id, len(routes), sum(1 for r in routes if r.referral_number))  # fmt: skip
            return self._receipt(s, intake, tuple(routes))

    @requires(Permission.READ_REGISTRY)
    def get(self, intake_id: int) -> IntakeReceipt:
        with self._uow(write=False) as uow:
            s = uow.session
            intake = s.get(Intake, intake_id)
            if intake is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该受理记录。"))
                )
            matters = load_matters(s, include_inactive=True)
            departments = load_departments(s, intake.received_at.date(), include_inactive=True)
            calendar = load_calendar(s)
            routes = []
            for m in intake.matters:
                catalogue = matters[m.matter_code]
                dep = departments[m.department_code]
                # Lists, not sets: the reprint lists the papers in the order first told.
                received = json.loads(m.papers_received)
                missing = json.loads(m.papers_missing)
                papers = {p.code: p for p in catalogue.required_papers + catalogue.optional_papers}
                referral = m.referrals[-1] if m.referrals else None
                routes.append(RouteProposal(
                    matter_code=m.matter_code, matter_name=catalogue.name, handling=Handling(m.handling),
                    department_code=dep.code, department_name=dep.name, queue=dep.queue,
                    proposed_handling=Handling(m.proposed_handling),
                    proposed_department_code=m.proposed_department,
                    proposed_department_name=departments[m.proposed_department].name,
                    reason=m.route_reason, basis=m.route_basis,
                    overridden=bool(m.override_reason), override_reason=m.override_reason,
                    papers_received=tuple(PaperRef(c, papers[c].name, papers[c].note) for c in received if c in papers),
                    papers_missing=tuple(PaperRef(c, papers[c].name, papers[c].note) for c in missing if c in papers),
                    limit_days=referral.limit_days if referral else None,
                    due_date=m.due_date,
                    due_uncertain_years=_unknown_years(
                        calendar, (referral.created_at if referral else intake.received_at).date(), m.due_date
                    ) if m.due_uncertain else (),
                    referral_number=referral.number if referral else "",
                ))  # fmt: skip
            return self._receipt(s, intake, tuple(routes))

    @requires(Permission.READ_REGISTRY)
    def timeline(self, household_id: int) -> tuple[TimelineEntry, ...]:
        """一户一条救助链: every intake, matter and referral step of a household, in order."""
        with self._uow(write=False) as uow:
            s = uow.session
            matters = load_matters(s, include_inactive=True)
            departments = {d.code: d.name for d in s.scalars(select(Department))}
            entries: list[TimelineEntry] = []
            intakes = s.scalars(
                select(Intake)
                .where(Intake.household_id == household_id)
                .order_by(Intake.received_at, Intake.id)
            )
            for intake in intakes:
                names = "、".join(
                    matters[m.matter_code].name for m in intake.matters if m.matter_code in matters
                )
                entries.append(
                    TimelineEntry(intake.received_at, "intake", intake.number, "", "", "", names)
                )
                for m in intake.matters:
                    matter_name = (
                        matters[m.matter_code].name if m.matter_code in matters else m.matter_code
                    )
                    if m.handling == Handling.WINDOW.value:
                        entries.append(TimelineEntry(intake.received_at, "window", intake.number, matter_name,
                                                     departments.get(m.department_code, ""), m.status, m.override_reason))  # fmt: skip
                    for referral in m.referrals:
                        for e in referral.events:
                            entries.append(TimelineEntry(
                                e.at, e.kind, intake.number, matter_name,
                                departments.get(referral.department_code, ""), e.to_status,
                                " ".join(filter(None, (
                                    referral.number,
                                    Eased(e.hardship_eased).label if e.hardship_eased else "",
                                    e.note,
                                ))),
                            ))  # fmt: skip
            # Stable sort: steps saved in the same second keep their recorded order.
            entries.sort(key=lambda e: e.at)
            return tuple(entries)

    # ----------------------------------------------------------------- helpers
    def _receipt(
        self, s: Session, intake: Intake, routes: tuple[RouteProposal, ...]
    ) -> IntakeReceipt:
        household = s.get(Household, intake.household_id)
        assert household is not None
        head = next((m for m in household.members if m.relation == "head"), None)
        applicant = s.get(Person, intake.applicant_id) if intake.applicant_id else None
        site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
        cause_names = {c.code: c.name for c in s.scalars(select(Cause))}
        return IntakeReceipt(
            intake_id=intake.id, number=intake.number, received_at=intake.received_at,
            clerk=intake.clerk, township=site.township_name if site else "",
            window=site.window_name if site else "", household_id=household.id,
            household_number=household.number, village=household.village,
            group_name=household.group_name, head_name=head.name if head else "",
            applicant_name=applicant.name if applicant else "", came_as=CameAs(intake.came_as),
            agent_name=intake.agent_name, channel=Channel(intake.channel),
            urgency=Urgency(intake.urgency),
            causes=tuple(cause_names.get(c, c) for c in json.loads(intake.causes)),
            note=intake.note, matters=routes,
        )  # fmt: skip

    def _check_intake(
        self, s: Session, data: IntakeInput, household: Household
    ) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        if data.applicant_id is not None and all(
            m.id != data.applicant_id for m in household.members
        ):
            problems.append(
                problem(
                    "applicant",
                    QT_TRANSLATE_NOOP(_F, "申请人"),
                    QT_TRANSLATE_NOOP(_V, "申请人应是本户的共同生活成员"),
                )
            )
        if data.came_as is not CameAs.APPLICANT and not data.agent_name.strip():
            problems.append(
                problem(
                    "agent_name",
                    QT_TRANSLATE_NOOP(_F, "来办人姓名"),
                    QT_TRANSLATE_NOOP(_V, "监护人或代办人来办时，请填写来办人姓名"),
                )
            )
        if len(data.agent_name) > 40 or len(data.agent_relation) > 20:
            problems.append(
                problem(
                    "agent_name",
                    QT_TRANSLATE_NOOP(_F, "来办人姓名"),
                    QT_TRANSLATE_NOOP(_V, "姓名最多40字，关系最多20字"),
                )
            )
        known = set(s.scalars(select(Cause.code)))
        unknown = [c for c in data.causes if c not in known]
        if unknown:
            problems.append(
                problem(
                    "causes",
                    QT_TRANSLATE_NOOP(_F, "困难原因"),
                    QT_TRANSLATE_NOOP(_V, "有{count}项原因不在原因目录中，请重新选择"),
                    count=len(unknown),
                )
            )
        if len(data.note) > 2000:
            problems.append(
                problem("note", QT_TRANSLATE_NOOP(_F, "备注"), QT_TRANSLATE_NOOP(_V, "最多2000字"))
            )
        return problems

    @staticmethod
    def _check_choices(
        choices: Sequence[MatterChoice],
        matters: dict[str, MatterRow],
        departments: dict[str, DepartmentRow],
    ) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        label = QT_TRANSLATE_NOOP(_F, "诉求事项")
        if not choices:
            return [problem("matters", label, QT_TRANSLATE_NOOP(_V, "请至少选择一项诉求事项"))]
        codes = [c.matter_code for c in choices]
        if len(set(codes)) != len(codes):
            problems.append(
                problem("matters", label, QT_TRANSLATE_NOOP(_V, "同一事项只需选择一次"))
            )
        for c in choices:
            matter = matters.get(c.matter_code)
            if matter is None:
                problems.append(
                    problem(
                        "matters",
                        label,
                        QT_TRANSLATE_NOOP(_V, "事项“{code}”不在事项目录中或已停用"),
                        code=c.matter_code,
                    )
                )
                continue
            handling = c.handling or matter.handling
            dep_code = c.department_code or matter.department_code
            dep = departments.get(dep_code)
            field = f"route.{c.matter_code}"
            route_label = QT_TRANSLATE_NOOP(_F, "办理去向")
            if dep is None or not dep.active:
                problems.append(
                    problem(
                        field,
                        route_label,
                        QT_TRANSLATE_NOOP(_V, "“{matter}”选择的部门不存在或已停用"),
                        matter=matter.name,
                    )
                )
                continue
            if dep.in_house != (handling is Handling.WINDOW):
                problems.append(
                    problem(
                        field,
                        route_label,
                        QT_TRANSLATE_NOOP(_V, "“{matter}”：窗口办理请选民政部门，转介请选外部门"),
                        matter=matter.name,
                    )
                )
            if (handling, dep_code) != (matter.handling, matter.department_code) and len(
                c.override_reason.strip()
            ) < 2:
                problems.append(
                    problem(
                        field,
                        route_label,
                        QT_TRANSLATE_NOOP(_V, "“{matter}”改变了建议去向，请写明理由"),
                        matter=matter.name,
                    )
                )
            unknown = set(c.papers_received) - {
                p.code for p in matter.required_papers + matter.optional_papers
            }
            if unknown:
                problems.append(
                    problem(
                        f"papers.{c.matter_code}",
                        QT_TRANSLATE_NOOP(_F, "已收材料"),
                        QT_TRANSLATE_NOOP(_V, "“{matter}”的已收材料中有不属于该事项的材料"),
                        matter=matter.name,
                    )
                )
        return problems


def _no_limit_problem(r: RouteProposal) -> FieldProblem:
    return problem(
        f"route.{r.matter_code}",
        QT_TRANSLATE_NOOP(_F, "办理去向"),
        QT_TRANSLATE_NOOP(
            _V,
            "“{matter}”转介给{department}，但该部门的办理时限（参数 referral.limit_days.{code}）为空，无法计算期限；请管理员先设置时限",
        ),
        matter=r.matter_name,
        department=r.department_name,
        code=r.department_code,
    )


def _unknown_years(
    calendar: WorkingCalendar, start: dt.date, due: dt.date | None
) -> tuple[int, ...]:
    """The years a stored deadline counted by weekends only (days after ``start`` to ``due``)."""
    if due is None or due <= start:
        return ()
    first = start + dt.timedelta(days=1)
    return tuple(y for y in range(first.year, due.year + 1) if not calendar.knows(y))


def _with_number(r: RouteProposal, number: str) -> RouteProposal:
    return replace(r, referral_number=number)


def _raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)
