"""近亲属备案: the register of recipients related to officials and village cadres.

The seeds do not refuse such applicants; they require the relation to be filed and the
case handled normally (domain.md §3.4 "Near-relative 备案 register", §6.2 "near relative
of an official (备案)"; seed 003_538988cd989ea5d8.txt 篇三; §7 T15). The register is
exported with the other ledgers (:class:`~desk_app.services.ledgers.LedgerService`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from desk_app.domain.ids import mask_id_number
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import Household, NearRelativeFiling, Person
from desk_app.services.context import ServiceContext, requires
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

_F = "fields"
_V = "validation"

RELATIONSHIPS = (
    QT_TRANSLATE_NOOP("ledgers", "配偶"),
    QT_TRANSLATE_NOOP("ledgers", "父母"),
    QT_TRANSLATE_NOOP("ledgers", "子女"),
    QT_TRANSLATE_NOOP("ledgers", "兄弟姐妹"),
    QT_TRANSLATE_NOOP("ledgers", "祖父母、外祖父母"),
    QT_TRANSLATE_NOOP("ledgers", "孙子女、外孙子女"),
    QT_TRANSLATE_NOOP("ledgers", "其他近亲属"),
)
"""Suggestions for the form's relationship box; any short text is accepted."""


@dataclass(frozen=True, slots=True)
class NearRelativeInput:
    household_id: int
    person_id: int | None
    """The applicant or recipient the relation is about; None for the household."""
    official_name: str
    official_position: str
    """职务, e.g. 村委会委员, 乡镇民政办工作人员."""
    relationship: str
    """How the official is related to the person, e.g. 兄弟姐妹."""
    official_unit: str = ""
    filed_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class NearRelativeRow:
    id: int
    household_id: int
    household_number: str
    person_id: int | None
    person_name: str
    person_id_masked: str
    official_name: str
    official_position: str
    official_unit: str
    relationship: str
    filed_on: dt.date
    note: str
    actor: str


class NearRelativeService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(Permission.EDIT_REGISTRY)
    def record(self, entry: NearRelativeInput) -> NearRelativeRow:
        """File one relation; every problem is reported at once."""
        today = self._context.today()
        problems: list[FieldProblem] = []
        name, position = entry.official_name.strip(), entry.official_position.strip()
        relationship, unit = entry.relationship.strip(), entry.official_unit.strip()
        for field_name, label, value, limit in (
            ("official_name", QT_TRANSLATE_NOOP(_F, "干部姓名"), name, 40),
            ("official_position", QT_TRANSLATE_NOOP(_F, "职务"), position, 60),
            ("relationship", QT_TRANSLATE_NOOP(_F, "与对象关系"), relationship, 20),
        ):
            if not value:
                problems.append(problem(field_name, label, QT_TRANSLATE_NOOP(_V, "请填写此项")))
            elif len(value) > limit:
                problems.append(
                    problem(field_name, label, QT_TRANSLATE_NOOP(_V, "内容过长，请精简"))
                )
        if len(unit) > 60:
            problems.append(problem("official_unit", QT_TRANSLATE_NOOP(_F, "工作单位"), QT_TRANSLATE_NOOP(_V, "内容过长，请精简")))  # fmt: skip
        filed_on = entry.filed_on or today
        if filed_on > today:
            problems.append(problem("filed_on", QT_TRANSLATE_NOOP(_F, "备案日期"), QT_TRANSLATE_NOOP(_V, "备案日期不能晚于今天")))  # fmt: skip
        with self._uow(write=True) as uow:
            s = uow.session
            if s.get(Household, entry.household_id) is None:
                raise NotFoundError(Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该户，可能已被删除或数据库已更换。")))  # fmt: skip
            if entry.person_id is not None:
                person = s.get(Person, entry.person_id)
                if person is None or person.household_id != entry.household_id:
                    problems.append(problem("person_id", QT_TRANSLATE_NOOP(_F, "救助对象"), QT_TRANSLATE_NOOP(_V, "请选择本户的成员")))  # fmt: skip
            if problems:
                raise ValidationError(problems)
            row = NearRelativeFiling(
                household_id=entry.household_id, person_id=entry.person_id, official_name=name,
                official_position=position, official_unit=unit, relationship=relationship,
                filed_on=filed_on, note=entry.note.strip(), created_at=self._context.clock(),
                actor=self._context.actor,
            )  # fmt: skip
            s.add(row)
            s.flush()
            new_id = row.id
            uow.commit()
        log.info(
            "near-relative filing recorded: household=%s filing=%s", entry.household_id, new_id
        )
        return next(r for r in self.entries(entry.household_id) if r.id == new_id)

    @requires(Permission.READ_REGISTRY)
    def entries(self, household_id: int | None = None) -> tuple[NearRelativeRow, ...]:
        """Filings of one household, or of all, oldest first (ID numbers masked)."""
        head = aliased(Person)
        subject = aliased(Person)
        f = NearRelativeFiling
        stmt = (
            select(f, Household.number, subject.name, subject.id_number)
            .join(Household, Household.id == f.household_id)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .outerjoin(subject, subject.id == f.person_id)
            .order_by(f.filed_on, f.id)
        )
        if household_id is not None:
            stmt = stmt.where(f.household_id == household_id)
        with self._uow(write=False) as uow:
            rows = uow.session.execute(stmt).all()
            return tuple(
                NearRelativeRow(
                    id=r[0].id, household_id=r[0].household_id, household_number=r[1],
                    person_id=r[0].person_id, person_name=r[2] or "",
                    person_id_masked=mask_id_number(r[3]) if r[3] else "",
                    official_name=r[0].official_name, official_position=r[0].official_position,
                    official_unit=r[0].official_unit, relationship=r[0].relationship,
                    filed_on=r[0].filed_on, note=r[0].note, actor=r[0].actor,
                )
                for r in rows
            )  # fmt: skip

    @requires(Permission.EDIT_REGISTRY)
    def remove(self, filing_id: int) -> None:
        """Delete a filing entered by mistake."""
        with self._uow(write=True) as uow:
            row = uow.session.get(NearRelativeFiling, filing_id)
            if row is None:
                raise NotFoundError(Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该备案记录。")))  # fmt: skip
            uow.session.delete(row)
            uow.commit()
        log.info("near-relative filing removed: filing=%s", filing_id)
