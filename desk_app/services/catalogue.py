"""The matter catalogue, receiving departments, papers and causes (the routing matrix).

Seeded by migration 0002 from domain.md §1, §3.2 and §5; edited by an administrator.
Codes never change; names, routes, papers and contacts may.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk_app.domain.intake import Handling
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import Cause, Department, MatterPaper, MatterType, Paper
from desk_app.services.context import ServiceContext, requires
from desk_app.services.parameters import lookup_number
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    code: str
    name: str
    queue: str
    in_house: bool
    contact: str
    phone: str
    basis: str
    active: bool
    limit_days: int | None
    """Reply limit in working days in force today (a parameter; None for 民政 itself)."""


@dataclass(frozen=True, slots=True)
class PaperRow:
    code: str
    name: str
    note: str
    active: bool


@dataclass(frozen=True, slots=True)
class MatterRow:
    code: str
    name: str
    group: str
    handling: Handling
    department_code: str
    department_name: str
    queue: str
    reason: str
    basis: str
    keywords: str
    active: bool
    required_papers: tuple[PaperRow, ...]
    optional_papers: tuple[PaperRow, ...]


@dataclass(frozen=True, slots=True)
class CauseRow:
    code: str
    name: str


def _paper(p: Paper) -> PaperRow:
    return PaperRow(p.code, p.name, p.note, p.active)


def load_matters(s: Session, *, include_inactive: bool = False) -> dict[str, MatterRow]:
    # Plain column rows, not ORM objects: routing reads the whole catalogue on every
    # proposal while the clerk ticks matters, so this must stay cheap.
    departments = {
        r.code: r for r in s.execute(select(Department.code, Department.name, Department.queue))
    }
    papers = {
        r.code: PaperRow(r.code, r.name, r.note, r.active)
        for r in s.execute(select(Paper.code, Paper.name, Paper.note, Paper.active))
    }
    required: dict[str, list[PaperRow]] = {}
    optional: dict[str, list[PaperRow]] = {}
    for link in s.execute(
        select(MatterPaper.matter_code, MatterPaper.paper_code, MatterPaper.required).order_by(
            MatterPaper.sort
        )
    ):
        (required if link.required else optional).setdefault(link.matter_code, []).append(
            papers[link.paper_code]
        )
    stmt = select(
        MatterType.code, MatterType.name, MatterType.group_name, MatterType.handling,
        MatterType.department_code, MatterType.reason, MatterType.basis, MatterType.keywords,
        MatterType.active,
    ).order_by(MatterType.sort, MatterType.code)  # fmt: skip
    if not include_inactive:
        stmt = stmt.where(MatterType.active)
    out: dict[str, MatterRow] = {}
    for m in s.execute(stmt):
        dep = departments[m.department_code]
        out[m.code] = MatterRow(
            code=m.code, name=m.name, group=m.group_name, handling=Handling(m.handling),
            department_code=dep.code, department_name=dep.name, queue=dep.queue,
            reason=m.reason, basis=m.basis, keywords=m.keywords, active=m.active,
            required_papers=tuple(required.get(m.code, ())),
            optional_papers=tuple(optional.get(m.code, ())),
        )  # fmt: skip
    return out


def load_departments(
    s: Session, today: dt.date, *, include_inactive: bool = False
) -> dict[str, DepartmentRow]:
    stmt = select(Department).order_by(Department.sort, Department.code)
    if not include_inactive:
        stmt = stmt.where(Department.active)
    out: dict[str, DepartmentRow] = {}
    for d in s.scalars(stmt):
        limit = None
        if not d.in_house:
            limit, _src = lookup_number(
                s,
                (f"referral.limit_days.{d.code}", "referral.limit_days.default"),
                today,
            )
        out[d.code] = DepartmentRow(
            d.code, d.name, d.queue, d.in_house, d.contact, d.phone, d.basis, d.active, limit
        )
    return out


class CatalogueService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(None)
    def matters(self, *, include_inactive: bool = False) -> tuple[MatterRow, ...]:
        with self._uow(write=False) as uow:
            return tuple(load_matters(uow.session, include_inactive=include_inactive).values())

    @requires(None)
    def departments(self, *, include_inactive: bool = False) -> tuple[DepartmentRow, ...]:
        with self._uow(write=False) as uow:
            return tuple(
                load_departments(
                    uow.session, self._context.today(), include_inactive=include_inactive
                ).values()
            )

    @requires(None)
    def papers(self) -> tuple[PaperRow, ...]:
        with self._uow(write=False) as uow:
            return tuple(_paper(p) for p in uow.session.scalars(select(Paper).order_by(Paper.name)))

    @requires(None)
    def causes(self) -> tuple[CauseRow, ...]:
        with self._uow(write=False) as uow:
            rows = uow.session.scalars(select(Cause).where(Cause.active).order_by(Cause.sort))
            return tuple(CauseRow(c.code, c.name) for c in rows)

    @requires(Permission.SETTINGS)
    def save_department(
        self, code: str, *, name: str, contact: str, phone: str, active: bool
    ) -> DepartmentRow:
        """Change a department's name, contact person, phone or whether it takes referrals."""
        problems: list[FieldProblem] = []
        if not name.strip():
            problems.append(
                problem(
                    "name",
                    QT_TRANSLATE_NOOP("fields", "部门名称"),
                    QT_TRANSLATE_NOOP("validation", "请填写部门名称"),
                )
            )
        if len(contact) > 40 or len(phone) > 40:
            problems.append(
                problem(
                    "contact",
                    QT_TRANSLATE_NOOP("fields", "联系人"),
                    QT_TRANSLATE_NOOP("validation", "联系人和电话各不超过40个字"),
                )
            )
        if problems:
            raise ValidationError(problems)
        with self._uow(write=True) as uow:
            dep = uow.session.get(Department, code)
            if dep is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该部门。"))
                )
            if not active:
                used = uow.session.scalar(
                    select(MatterType.code)
                    .where(MatterType.department_code == code, MatterType.active)
                    .limit(1)
                )
                if used is not None:
                    raise ValidationError(
                        [
                            problem(
                                "active",
                                QT_TRANSLATE_NOOP("fields", "启用"),
                                QT_TRANSLATE_NOOP(
                                    "validation", "仍有事项默认转介到该部门，请先修改这些事项的去向"
                                ),
                            )
                        ]
                    )
            dep.name, dep.contact, dep.phone, dep.active = (
                name.strip(),
                contact.strip(),
                phone.strip(),
                active,
            )
            uow.commit()
            log.info("department changed: %s", code)
        return next(d for d in self.departments(include_inactive=True) if d.code == code)

    @requires(Permission.SETTINGS)
    def save_matter(
        self,
        code: str,
        *,
        name: str,
        handling: Handling,
        department_code: str,
        reason: str,
        required_papers: tuple[str, ...],
        optional_papers: tuple[str, ...] = (),
        active: bool = True,
    ) -> MatterRow:
        """Change a catalogue entry: its route (the routing matrix row) and its papers."""
        problems: list[FieldProblem] = []
        if not name.strip():
            problems.append(
                problem(
                    "name",
                    QT_TRANSLATE_NOOP("fields", "事项名称"),
                    QT_TRANSLATE_NOOP("validation", "请填写事项名称"),
                )
            )
        if not reason.strip():
            problems.append(
                problem(
                    "reason",
                    QT_TRANSLATE_NOOP("fields", "去向说明"),
                    QT_TRANSLATE_NOOP("validation", "请说明为什么这样办理，窗口会向群众解释"),
                )
            )
        if set(required_papers) & set(optional_papers):
            problems.append(
                problem(
                    "papers",
                    QT_TRANSLATE_NOOP("fields", "材料"),
                    QT_TRANSLATE_NOOP("validation", "同一材料不能既是必需又是视情况提供"),
                )
            )
        with self._uow(write=True) as uow:
            s = uow.session
            matter = s.get(MatterType, code)
            dep = s.get(Department, department_code)
            if matter is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该事项。"))
                )
            if dep is None or not dep.active:
                problems.append(
                    problem(
                        "department",
                        QT_TRANSLATE_NOOP("fields", "办理部门"),
                        QT_TRANSLATE_NOOP("validation", "请选择一个启用中的部门"),
                    )
                )
            elif dep.in_house != (handling is Handling.WINDOW):
                problems.append(
                    problem(
                        "department",
                        QT_TRANSLATE_NOOP("fields", "办理部门"),
                        QT_TRANSLATE_NOOP(
                            "validation", "窗口办理的事项应选民政部门，转介的事项应选外部门"
                        ),
                    )
                )
            known = set(s.scalars(select(Paper.code)))
            if not set(required_papers) | set(optional_papers) <= known:
                problems.append(
                    problem(
                        "papers",
                        QT_TRANSLATE_NOOP("fields", "材料"),
                        QT_TRANSLATE_NOOP("validation", "材料清单中有不存在的材料"),
                    )
                )
            if problems:
                raise ValidationError(problems)
            matter.name, matter.handling, matter.department_code = (
                name.strip(),
                handling.value,
                department_code,
            )
            matter.reason, matter.active = reason.strip(), active
            s.execute(delete(MatterPaper).where(MatterPaper.matter_code == code))
            for required, codes in ((True, required_papers), (False, optional_papers)):
                for i, paper in enumerate(codes):
                    s.add(
                        MatterPaper(matter_code=code, paper_code=paper, required=required, sort=i)
                    )
            uow.commit()
            log.info("matter changed: %s", code)
        with self._uow(write=False) as uow:
            return load_matters(uow.session, include_inactive=True)[code]
