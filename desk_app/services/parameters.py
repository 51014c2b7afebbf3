"""Parameters the seeds leave open (domain.md §8): values with an effective date,
a locality and a source note.

A value is never edited in place; setting one adds a row from a date on, so earlier
deadlines and decisions keep the value they were made with. Lookup takes the newest row
effective on the day, preferring the window's own locality over the default ('').
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.persistence.models import Parameter, Site
from desk_app.services.context import ServiceContext, requires
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParameterValue:
    id: int
    key: str
    locality: str
    effective_from: dt.date
    value: Any
    unit: str
    source: str
    created_at: dt.datetime
    actor: str


def site_locality(s: Session) -> str:
    """The locality whose values win over the defaults: the window's own 区划代码."""
    if "desk_app.locality" not in s.info:
        s.info["desk_app.locality"] = (
            s.scalar(select(Site.township_code).order_by(Site.id).limit(1)) or ""
        )
    return str(s.info["desk_app.locality"])


@dataclass(frozen=True, slots=True)
class ParameterTable:
    """Every parameter in force on one day for the window's locality (one query)."""

    values: dict[str, ParameterValue]

    def get(self, key: str) -> ParameterValue | None:
        return self.values.get(key)

    def number(self, *keys: str) -> tuple[int | None, ParameterValue | None]:
        """The first of ``keys`` that has a row (a department's limit, then the default)."""
        for key in keys:
            found = self.values.get(key)
            if found is not None:
                return (int(found.value) if found.value is not None else None), found
        return None, None


def parameters_on(s: Session, on: dt.date, locality: str | None = None) -> ParameterTable:
    """The values in force on ``on``: the locality's own row first, then the default ('').

    Cached for the life of the session (one unit of work), because routing asks for a
    limit per department and matter.
    """
    locality = site_locality(s) if locality is None else locality
    cache: dict[tuple[dt.date, str], ParameterTable] = s.info.setdefault("desk_app.parameters", {})
    if (on, locality) in cache:
        return cache[(on, locality)]
    rows = s.scalars(
        select(Parameter)
        .where(Parameter.locality.in_({locality, ""}), Parameter.effective_from <= on)
        .order_by(Parameter.effective_from.desc(), Parameter.id.desc())
    ).all()
    own: dict[str, ParameterValue] = {}
    default: dict[str, ParameterValue] = {}
    for row in rows:  # newest first: keep the first row seen per key and locality
        target = own if row.locality == locality and locality else default
        target.setdefault(row.key, _to_value(row))
    table = ParameterTable({**default, **own})
    cache[(on, locality)] = table
    return table


def lookup(s: Session, key: str, on: dt.date, locality: str | None = None) -> ParameterValue | None:
    """The value of ``key`` in force on ``on`` (see :func:`parameters_on`)."""
    return parameters_on(s, on, locality).get(key)


def lookup_number(
    s: Session, keys: tuple[str, ...], on: dt.date, locality: str | None = None
) -> tuple[int | None, ParameterValue | None]:
    """The first of ``keys`` that has a value (e.g. a department's limit, then the default)."""
    return parameters_on(s, on, locality).number(*keys)


def _to_value(row: Parameter) -> ParameterValue:
    return ParameterValue(
        id=row.id, key=row.key, locality=row.locality, effective_from=row.effective_from,
        value=json.loads(row.value), unit=row.unit, source=row.source,
        created_at=row.created_at, actor=row.actor,
    )  # fmt: skip


class ParameterService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(None)
    def value(
        self, key: str, on: dt.date | None = None, locality: str | None = None
    ) -> ParameterValue | None:
        """The value in force (``locality`` None: the window's own, falling back to '')."""
        with self._uow(write=False) as uow:
            return lookup(uow.session, key, on or self._context.today(), locality)

    @requires(None)
    def history(self, prefix: str = "") -> tuple[ParameterValue, ...]:
        """Every row (all dates and localities), newest first within each key."""
        with self._uow(write=False) as uow:
            rows = uow.session.scalars(
                select(Parameter)
                .where(Parameter.key.startswith(prefix, autoescape=True))
                .order_by(Parameter.key, Parameter.locality, Parameter.effective_from.desc())
            ).all()
            return tuple(_to_value(r) for r in rows)

    @requires(Permission.SETTINGS)
    def set(
        self,
        key: str,
        value: Any,
        effective_from: dt.date,
        source: str,
        *,
        locality: str = "",
        unit: str = "",
    ) -> ParameterValue:
        """Add a value from ``effective_from`` on. Earlier rows stay as they were."""
        problems: list[FieldProblem] = []
        if not key.strip():
            problems.append(
                problem(
                    "key",
                    QT_TRANSLATE_NOOP("fields", "参数"),
                    QT_TRANSLATE_NOOP("validation", "请选择参数"),
                )
            )
        if not source.strip():
            problems.append(
                problem(
                    "source",
                    QT_TRANSLATE_NOOP("fields", "依据"),
                    QT_TRANSLATE_NOOP(
                        "validation", "请写明依据（文件名、文号或会议纪要），便于日后核查"
                    ),
                )
            )
        value_problem = _value_problem(key, value)
        if value_problem is not None:
            problems.append(problem("value", QT_TRANSLATE_NOOP("fields", "数值"), value_problem))
        if problems:
            raise ValidationError(problems)
        with self._uow(write=True) as uow:
            existing = uow.session.scalars(
                select(Parameter).where(
                    Parameter.key == key, Parameter.locality == locality,
                    Parameter.effective_from == effective_from,
                )
            ).first()  # fmt: skip
            if existing is not None:
                raise ValidationError([
                    problem("effective_from", QT_TRANSLATE_NOOP("fields", "生效日期"),
                             QT_TRANSLATE_NOOP("validation", "这一天已有一个取值；请选择另一个生效日期（原值不会被改写）"))
                ])  # fmt: skip
            row = Parameter(
                key=key, locality=locality, effective_from=effective_from, value=json.dumps(value),
                unit=unit, source=source.strip(), created_at=self._context.clock(),
                actor=self._context.actor,
            )  # fmt: skip
            uow.session.add(row)
            uow.session.flush()
            result = _to_value(row)
            uow.commit()
            log.info("parameter set: %s from %s", key, effective_from)
            return result


# Keys counted in whole working days: a fraction would be cut silently by int().
_WHOLE_DAYS = ("referral.limit_days.", "window.limit_days.", "referral.due_soon_days")


def _value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be stored for ``key``, or None. Values are numbers or null."""
    if value is None:
        if key.startswith("referral.limit_days."):
            return QT_TRANSLATE_NOOP("validation", "转介答复时限必须填写天数，不能留待确定")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return QT_TRANSLATE_NOOP("validation", "请填写数字，或选择“需当地确定”")
    if value < 0:
        return QT_TRANSLATE_NOOP("validation", "不能为负数")
    if key.startswith(_WHOLE_DAYS):
        if value != int(value):
            return QT_TRANSLATE_NOOP("validation", "工作日数应为整数")
        if key.startswith("referral.limit_days.") and value < 1:
            return QT_TRANSLATE_NOOP("validation", "转介答复时限至少为1个工作日")
    return None
