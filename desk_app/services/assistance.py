"""Assistance decision support (issue #5): parameter sets per locality, computations for a
registered household, and the reviewer's decision.

The program proposes and explains; people decide. Nothing here refuses an application:
:meth:`AssistanceService.assess` only computes, and :meth:`AssistanceService.record_decision`
stores whatever the reviewer decides — with a reason when it differs from the proposal.

Parameter sets: the seeds' localities are read-only examples (migration 0003); a township
picks one or copies it and edits the copy. Values are append-only rows with an effective
date, a source, who and when — the rows are the audit trail. A decision stores a snapshot
of the facts, every parameter value in force and every computation, so changing a value
later never rewrites what was decided.

Facts come from two places: the registry (ages, disabilities, illness, labour ability,
residence, current categories; domain.md §6.2–§6.3) and what the clerk enters for this
computation (incomes, deductions, assets, amounts requested: :class:`HouseholdFacts`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desk_app.domain.assistance.assess import (
    CAT_DIBAO,
    CAT_REGISTERED_POOR,
    CAT_TEKUN,
    Case,
    Disability,
    ElderFacts,
    Member,
    assess,
)
from desk_app.domain.assistance.dibao import SinglePersonFacts, SupplementClass
from desk_app.domain.assistance.income import Deduction, DeductionKind, IncomeItem, IncomeSource
from desk_app.domain.assistance.locality import LocalityRules
from desk_app.domain.assistance.locality import ParameterValue as RuleEntry
from desk_app.domain.assistance.result import Computation
from desk_app.domain.assistance.scoring import ApplicantScores, rank_applicants
from desk_app.domain.assistance.specs import BY_KEY, SPECS, keys_for_missing, title_of
from desk_app.domain.registry import LABELS, HouseholdCategory, LabourAbility, Relation
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    AssessmentRecord,
    Household,
    Person,
    RuleSet,
    RuleSetChoice,
    RuleValue,
)
from desk_app.services.context import ServiceContext, requires
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

# Registry categories as the rules name them (domain.md §6.2 → assess.CATEGORIES).
_CATEGORY_MAP: dict[HouseholdCategory, str] = {
    HouseholdCategory.DIBAO_A: CAT_DIBAO,
    HouseholdCategory.DIBAO_B: CAT_DIBAO,
    HouseholdCategory.DIBAO_C: CAT_DIBAO,
    HouseholdCategory.DIBAO_SINGLE_PERSON: CAT_DIBAO,
    HouseholdCategory.DIBAO_SEPARATE: CAT_DIBAO,
    HouseholdCategory.TEKUN_CENTRALIZED: CAT_TEKUN,
    HouseholdCategory.TEKUN_DISPERSED: CAT_TEKUN,
    HouseholdCategory.POVERTY_UNLIFTED: CAT_REGISTERED_POOR,
}
_LABOUR = {LabourAbility.FULL: "full", LabourAbility.PARTIAL: "partial", LabourAbility.LOST: "none"}
_CHILD_RELATIONS = frozenset({Relation.SON, Relation.DAUGHTER})


# --- read models -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    code: str
    name: str
    example: bool
    based_on: str
    in_use: bool
    values: int


@dataclass(frozen=True, slots=True)
class RuleValueRow:
    """One dated value of a parameter, with who set it and why."""

    id: int
    key: str
    label: str
    value: Decimal | None
    unit: str
    effective_from: dt.date
    source: str
    created_at: dt.datetime
    actor: str


@dataclass(frozen=True, slots=True)
class ParameterPrompt:
    """A value the set leaves open that a computation needs (xx 倍, xx 小时 …)."""

    key: str
    label: str
    unit: str
    help: str


@dataclass(frozen=True, slots=True)
class ComputationRow:
    key: str
    title: str
    figure: str
    """The figure as text ('' when the rule cannot give one)."""
    rule: str
    basis: str
    flags: tuple[str, ...]
    missing: tuple[str, ...]


# --- what the clerk enters -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the clerk records about one member for this computation."""

    person_id: int
    incomes: tuple[IncomeItem, ...] = ()
    covered: bool | None = None
    dibao_class: SupplementClass | None = None
    legal_carer: bool = False
    counted: bool = True
    medical_cost: Decimal | None = None
    other_medical_subsidies: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """The household-level facts of one computation (registry facts are read, not entered)."""

    members: tuple[MemberFacts, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    financial_assets_per_capita: Decimal | None = None
    property_compliant: bool | None = None
    current_dibao_monthly: Decimal | None = None
    voluntary_exit: bool = False
    income_unstable: bool = False
    medical_education_or_job_difficulty: bool = False
    temporary_requested: Decimal | None = None
    temporary_granted_this_year: Decimal = Decimal(0)
    temporary_illness: bool = False
    last_review: dt.date | None = None
    single_person: SinglePersonFacts | None = None
    parameters: Mapping[str, Decimal] = field(default_factory=dict)
    """Values for parameters the set leaves open, entered for this computation only."""

    def member(self, person_id: int) -> MemberFacts:
        return next((m for m in self.members if m.person_id == person_id), MemberFacts(person_id))


@dataclass(frozen=True, slots=True)
class MemberView:
    person_id: int
    name: str
    relation: str
    age: int
    notes: str
    """What the registry says that the rules use (残疾、重病 …), for the form."""


@dataclass(frozen=True, slots=True)
class Assessment:
    household_id: int
    household_number: str
    on: dt.date
    urban: bool
    rule_set: RuleSetInfo
    members: tuple[MemberView, ...]
    facts: HouseholdFacts
    rows: tuple[ComputationRow, ...]
    prompts: tuple[ParameterPrompt, ...]


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: int
    on: dt.date
    rule_set_code: str
    subject_key: str
    subject_title: str
    proposed: str
    decided: str
    differs: bool
    reason: str
    decided_at: dt.datetime
    actor: str
    rows: tuple[ComputationRow, ...]
    """The computations as they stood when the decision was made (from the snapshot)."""


# --- service -------------------------------------------------------------------------------


class AssistanceService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # parameter sets ------------------------------------------------------------------------

    @requires(None)
    def rule_sets(self) -> tuple[RuleSetInfo, ...]:
        with self._uow(write=False) as uow:
            s = uow.session
            chosen = _chosen_id(s)
            counts = dict(
                s.execute(
                    select(RuleValue.rule_set_id, func.count()).group_by(RuleValue.rule_set_id)
                ).all()
            )
            sets = s.scalars(select(RuleSet).order_by(RuleSet.example.desc(), RuleSet.id)).all()
            return tuple(_info(r, chosen, counts.get(r.id, 0)) for r in sets)

    @requires(None)
    def chosen(self) -> RuleSetInfo | None:
        """The set the window computes with, or None before one is chosen."""
        return next((r for r in self.rule_sets() if r.in_use), None)

    @requires(None)
    def values(self, code: str) -> tuple[RuleValueRow, ...]:
        """Every row of a set (its whole history), in parameter order, newest date first."""
        with self._uow(write=False) as uow:
            rule_set = _rule_set(uow.session, code)
            order = {s.key: i for i, s in enumerate(SPECS)}
            rows = sorted(
                rule_set.values,
                key=lambda v: (order.get(v.key, len(order)), v.key, -v.effective_from.toordinal()),
            )
            return tuple(_value_row(v) for v in rows)

    @requires(None)
    def rules_by_code(self) -> dict[str, LocalityRules]:
        """Every set in the database as the pure rules see it (for ``desk-app assess --db``)."""
        with self._uow(write=False) as uow:
            sets = uow.session.scalars(select(RuleSet).options(selectinload(RuleSet.values)))
            return {r.code: _rules(r) for r in sets}

    @requires(Permission.SETTINGS)
    def choose(self, code: str) -> RuleSetInfo:
        with self._uow(write=True) as uow:
            rule_set = _rule_set(uow.session, code)
            uow.session.add(
                RuleSetChoice(
                    rule_set_id=rule_set.id,
                    chosen_at=self._context.clock(),
                    actor=self._context.actor,
                )
            )
            uow.commit()
            log.info("rule set chosen: %s", code)
        return next(r for r in self.rule_sets() if r.code == code)

    @requires(Permission.SETTINGS)
    def copy(self, code: str, name: str) -> RuleSetInfo:
        """Copy a set (usually an example) into an editable local set with the same history."""
        name = name.strip()
        if not name or len(name) > 60:
            raise ValidationError.single(
                "name",
                QT_TRANSLATE_NOOP("fields", "参数集名称"),
                Message(
                    "validation",
                    QT_TRANSLATE_NOOP(
                        "validation", "请填写参数集名称（不超过60个字），例如本乡镇名称"
                    ),
                ),
            )
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            source = _rule_set(s, code)
            if s.scalar(select(RuleSet.id).where(RuleSet.name == name)) is not None:
                raise ValidationError.single(
                    "name",
                    QT_TRANSLATE_NOOP("fields", "参数集名称"),
                    Message(
                        "validation",
                        QT_TRANSLATE_NOOP("validation", "已有同名参数集，请换一个名称"),
                    ),
                )
            serial = (s.scalar(select(func.max(RuleSet.id))) or 0) + 1
            copy = RuleSet(
                code=f"local-{serial}", name=name, example=False, based_on=source.code,
                created_at=now, actor=self._context.actor,
            )  # fmt: skip
            copy.values = [
                RuleValue(
                    key=v.key,
                    value=v.value,
                    unit=v.unit,
                    effective_from=v.effective_from,
                    source=v.source,
                    created_at=now,
                    actor=self._context.actor,
                )
                for v in source.values
            ]
            s.add(copy)
            s.flush()
            new_code = copy.code
            uow.commit()
            log.info("rule set copied: %s -> %s", code, new_code)
        return next(r for r in self.rule_sets() if r.code == new_code)

    @requires(Permission.SETTINGS)
    def set_value(
        self,
        code: str,
        key: str,
        value: Decimal | None,
        effective_from: dt.date,
        source: str,
    ) -> RuleValueRow:
        """Add a value from ``effective_from`` on; earlier rows and past decisions stay."""
        spec = BY_KEY.get(key)
        problems: list[FieldProblem] = []
        if spec is None:
            problems.append(
                problem(
                    "key",
                    QT_TRANSLATE_NOOP("fields", "参数"),
                    QT_TRANSLATE_NOOP("validation", "请从列表中选择参数"),
                )
            )
        elif value is not None:
            why = spec.check(value)
            if why is not None:
                problems.append(problem("value", "数值", why))
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
        if problems:
            raise ValidationError(problems)
        assert spec is not None
        with self._uow(write=True) as uow:
            s = uow.session
            rule_set = _rule_set(s, code)
            if rule_set.example:
                raise ValidationError(
                    [problem("rule_set", QT_TRANSLATE_NOOP("fields", "参数集"), QT_TRANSLATE_NOOP("validation", "示例参数集不能修改；请先“复制为本地参数集”，再修改副本"))]
                )  # fmt: skip
            clash = s.scalar(
                select(RuleValue.id).where(
                    RuleValue.rule_set_id == rule_set.id, RuleValue.key == key,
                    RuleValue.effective_from == effective_from,
                )
            )  # fmt: skip
            if clash is not None:
                raise ValidationError(
                    [problem("effective_from", QT_TRANSLATE_NOOP("fields", "生效日期"), QT_TRANSLATE_NOOP("validation", "这一天已有一个取值；请选择另一个生效日期（原值不会被改写）"))]
                )  # fmt: skip
            row = RuleValue(
                rule_set_id=rule_set.id, key=key,
                value=None if value is None else str(int(value) if spec.whole else value),
                unit=spec.unit, effective_from=effective_from, source=source.strip(),
                created_at=self._context.clock(), actor=self._context.actor,
            )  # fmt: skip
            s.add(row)
            s.flush()
            result = _value_row(row)
            uow.commit()
            log.info("rule value set: %s %s from %s", code, key, effective_from)
            return result

    # computations --------------------------------------------------------------------------

    @requires(Permission.ASSESS)
    def facts_for(self, household_id: int) -> HouseholdFacts:
        """The facts of the last decision for this household, or empty facts to fill in."""
        with self._uow(write=False) as uow:
            last = uow.session.scalars(
                select(AssessmentRecord)
                .where(AssessmentRecord.household_id == household_id)
                .order_by(AssessmentRecord.id.desc())
                .limit(1)
            ).first()
            if last is not None:
                return facts_from_json(json.loads(last.snapshot)["facts"])
            household = _household(uow.session, household_id)
            return HouseholdFacts(members=tuple(MemberFacts(p.id) for p in household.members))

    @requires(Permission.ASSESS)
    def assess(
        self, household_id: int, facts: HouseholdFacts, on: dt.date | None = None
    ) -> Assessment:
        """Every computation that applies to the household under the chosen set."""
        on = on or self._context.today()
        _check_facts(facts)
        with self._uow(write=False) as uow:
            return self._assess(uow.session, household_id, facts, on)[0]

    @requires(Permission.DECIDE)
    def record_decision(
        self,
        household_id: int,
        facts: HouseholdFacts,
        subject_key: str,
        decided: str,
        reason: str = "",
        on: dt.date | None = None,
    ) -> DecisionRow:
        """Store the reviewer's decision on one computation, with a full snapshot.

        The computation is run again here (the screen's copy is not trusted). A decision
        that differs from the proposal needs a reason; one that agrees may carry a note.
        """
        on = on or self._context.today()
        _check_facts(facts)
        decided, reason = decided.strip(), reason.strip()
        with self._uow(write=True) as uow:
            s = uow.session
            assessment, snapshot = self._assess(s, household_id, facts, on)
            subject = next((r for r in assessment.rows if r.key == subject_key), None)
            problems: list[FieldProblem] = []
            if subject is None:
                problems.append(
                    problem(
                        "subject",
                        QT_TRANSLATE_NOOP("fields", "审核事项"),
                        QT_TRANSLATE_NOOP("validation", "请选择测算结果中的一项作为审核事项"),
                    )
                )
            if not decided:
                problems.append(
                    problem("decided", QT_TRANSLATE_NOOP("fields", "审核结论"), QT_TRANSLATE_NOOP("validation", "请填写审核结论：同意测算的金额，或另行决定的金额、意见"))
                )  # fmt: skip
            proposed = subject.figure if subject is not None else ""
            differs = bool(decided) and not _same(decided, proposed)
            if differs and not reason:
                problems.append(
                    problem("reason", QT_TRANSLATE_NOOP("fields", "理由"), QT_TRANSLATE_NOOP("validation", "审核结论与测算结果不同，请写明理由（例如民主评议意见、入户调查发现）"))
                )  # fmt: skip
            if len(decided) > 60:
                problems.append(
                    problem(
                        "decided",
                        QT_TRANSLATE_NOOP("fields", "审核结论"),
                        QT_TRANSLATE_NOOP(
                            "validation", "审核结论不超过60个字；详细情况请写在理由中"
                        ),
                    )
                )
            if problems:
                raise ValidationError(problems)
            assert subject is not None
            record = AssessmentRecord(
                household_id=household_id, on_date=on, rule_set_code=assessment.rule_set.code,
                subject_key=subject_key, proposed=proposed, decided=decided, differs=differs,
                reason=reason, snapshot=json.dumps(snapshot, ensure_ascii=False),
                decided_at=self._context.clock(), actor=self._context.actor,
            )  # fmt: skip
            s.add(record)
            s.flush()
            row = _decision_row(record)
            uow.commit()
            log.info(
                "assessment decision recorded: household=%s subject=%s", household_id, subject_key
            )
            return row

    @requires(Permission.READ_REGISTRY)
    def decisions(self, household_id: int) -> tuple[DecisionRow, ...]:
        """Every decision for the household, newest first, as it was made."""
        with self._uow(write=False) as uow:
            records = uow.session.scalars(
                select(AssessmentRecord)
                .where(AssessmentRecord.household_id == household_id)
                .order_by(AssessmentRecord.id.desc())
            ).all()
            return tuple(_decision_row(r) for r in records)

    @requires(Permission.ASSESS)
    def rank(
        self,
        applicants: tuple[ApplicantScores, ...],
        on: dt.date | None = None,
        weight: Decimal | None = None,
    ) -> tuple[ComputationRow, ...]:
        """3+1 combined scores and the reverse ranking, most deprived first (domain.md §4.1).

        The 民主评议 weight comes from the chosen set on ``on``; ``weight`` supplies it for
        this ranking when the set leaves it open. Nobody is admitted or refused here.
        """
        on = on or self._context.today()
        with self._uow(write=False) as uow:
            in_set = _require_rules(uow.session).value("scoring.deliberation_weight", on)
        used = weight if weight is not None else (None if in_set is None else Decimal(in_set))
        return tuple(
            _computation_row(c) for c in rank_applicants(applicants, deliberation_weight=used)
        )

    # internals -----------------------------------------------------------------------------

    def _assess(
        self, s: Session, household_id: int, facts: HouseholdFacts, on: dt.date
    ) -> tuple[Assessment, dict[str, Any]]:
        rule_set = chosen_rule_set(s)
        if rule_set is None:
            raise ValidationError([_no_rule_set()])
        chosen_id = rule_set.id
        rules = _rules(rule_set)
        household = _household(s, household_id)
        urban = household.residence == "urban"
        case = _case(household, facts, rules.code, on, urban)
        computations = assess(case, rules)
        rows = tuple(_computation_row(c) for c in computations)
        prompts = _prompts(computations, urban, facts)
        members = tuple(_member_view(p, on) for p in household.members)
        info = _info(rule_set, chosen_id, len(rule_set.values))
        assessment = Assessment(
            household_id=household.id, household_number=household.number, on=on, urban=urban,
            rule_set=info, members=members, facts=facts, rows=rows, prompts=prompts,
        )  # fmt: skip
        snapshot = {
            "on": on.isoformat(),
            "rule_set": {"code": rule_set.code, "name": rule_set.name},
            "parameters": {
                k: {"value": _text(rules.value(k, on)), "source": rules.source(k, on)}
                for k in rules.keys()  # noqa: SIM118 - LocalityRules, not a dict
            },
            "members": [dataclasses.asdict(m) for m in members],
            "facts": facts_to_json(facts),
            "computations": [_row_json(r) for r in rows],
        }
        return assessment, snapshot


# --- helpers ------------------------------------------------------------------------------


def _no_rule_set() -> FieldProblem:
    return problem(
        "rule_set",
        QT_TRANSLATE_NOOP("fields", "参数集"),
        QT_TRANSLATE_NOOP(
            "validation", "还没有选择参数集：请到“系统设置 → 救助参数集”选用或复制一个"
        ),
    )


def _chosen_id(s: Session) -> int | None:
    return s.scalar(select(RuleSetChoice.rule_set_id).order_by(RuleSetChoice.id.desc()).limit(1))


def chosen_rule_set(s: Session) -> RuleSet | None:
    """The set the window computes with (the newest choice), with its values loaded."""
    chosen = _chosen_id(s)
    if chosen is None:
        return None
    return s.scalars(
        select(RuleSet).where(RuleSet.id == chosen).options(selectinload(RuleSet.values))
    ).one()


def chosen_rules(s: Session) -> LocalityRules | None:
    """The chosen set as the pure rules read it (also for printed forms: documents.py)."""
    rule_set = chosen_rule_set(s)
    return None if rule_set is None else _rules(rule_set)


def _require_rules(s: Session) -> LocalityRules:
    rules = chosen_rules(s)
    if rules is None:
        raise ValidationError([_no_rule_set()])
    return rules


def _info(r: RuleSet, chosen: int | None, count: int) -> RuleSetInfo:
    return RuleSetInfo(r.code, r.name, r.example, r.based_on, r.id == chosen, count)


def _rule_set(s: Session, code: str) -> RuleSet:
    found = s.scalars(
        select(RuleSet).where(RuleSet.code == code).options(selectinload(RuleSet.values))
    ).first()
    if found is None:
        raise NotFoundError(
            Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该参数集，可能已被删除或数据库已更换。"))
        )  # fmt: skip
    return found


def _household(s: Session, household_id: int) -> Household:
    found = s.scalars(
        select(Household)
        .where(Household.id == household_id)
        .options(selectinload(Household.members), selectinload(Household.categories))
    ).first()
    if found is None:
        raise NotFoundError(
            Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该户，可能已被删除或数据库已更换。"))
        )  # fmt: skip
    return found


def _decimal(text: str | None, unit: str) -> Decimal | int | None:
    if text is None:
        return None
    value = Decimal(text)
    spec_whole = unit in ("月", "周岁", "开关", "月/年")
    return int(value) if spec_whole else value


def _rules(rule_set: RuleSet) -> LocalityRules:
    return LocalityRules(
        rule_set.code,
        rule_set.name,
        tuple(
            RuleEntry(v.key, _decimal(v.value, v.unit), v.unit, v.effective_from, v.source)
            for v in rule_set.values
        ),
    )


def _value_row(v: RuleValue) -> RuleValueRow:
    spec = BY_KEY.get(v.key)
    return RuleValueRow(
        id=v.id, key=v.key, label=spec.label if spec else v.key,
        value=None if v.value is None else Decimal(v.value), unit=v.unit,
        effective_from=v.effective_from, source=v.source, created_at=v.created_at, actor=v.actor,
    )  # fmt: skip


def _active_categories(household: Household, on: dt.date) -> frozenset[str]:
    out = set()
    for c in household.categories:
        if c.start_date <= on and (c.end_date is None or c.end_date >= on):
            mapped = _CATEGORY_MAP.get(HouseholdCategory(c.category))
            if mapped is not None:
                out.add(mapped)
    return frozenset(out)


def _disability(p: Person) -> Disability | None:
    if not p.has_disability_cert:
        return None
    category = p.disability_category
    label = LABELS["DisabilityCategory"].get(category) if category else None
    return Disability(True, label, p.disability_grade)


def _elder(p: Person, household: Household, income: Decimal) -> ElderFacts:
    """特困 elder circumstances as far as the registry tells them (domain.md §1.4).

    Spouse and children count only when registered in the same household with the
    elder as 户主; the clerk corrects the registry when family lives elsewhere.
    """
    others = [m for m in household.members if m.id != p.id]
    is_head = p.relation == Relation.HEAD
    return ElderFacts(
        has_spouse=is_head and any(m.relation == Relation.SPOUSE for m in others),
        has_children=is_head and any(m.relation in _CHILD_RELATIONS for m in others),
        lives_alone=p.living_alone or not others,
        has_stable_income=income > 0,
    )


def _case(household: Household, facts: HouseholdFacts, code: str, on: dt.date, urban: bool) -> Case:
    categories = _active_categories(household, on)
    members = []
    for p in household.members:
        f = facts.member(p.id)
        income = sum((i.monthly for i in f.incomes), Decimal(0))
        members.append(
            Member(
                name=p.name,
                relation=LABELS["Relation"].get(p.relation or "", ""),
                birth_date=p.birth_date,
                disability=_disability(p),
                serious_illness=p.major_illness,
                mental_illness=p.mental_disorder,
                labour_ability=_LABOUR.get(LabourAbility(p.labour_ability)),
                incomes=f.incomes,
                covered=f.covered,
                dibao_classes=frozenset({f.dibao_class}) if f.dibao_class else frozenset(),
                applicant=p.relation == Relation.HEAD,
                legal_carer=f.legal_carer,
                counted=f.counted,
                medical_cost=f.medical_cost,
                other_medical_subsidies=f.other_medical_subsidies,
                elder=_elder(p, household, income) if CAT_TEKUN in categories else None,
            )
        )
    return Case(
        locality=code, date=on, urban=urban, members=tuple(members), categories=categories,
        deductions=facts.deductions, financial_assets_per_capita=facts.financial_assets_per_capita,
        property_compliant=facts.property_compliant,
        current_dibao_monthly=facts.current_dibao_monthly, voluntary_exit=facts.voluntary_exit,
        medical_education_or_job_difficulty=facts.medical_education_or_job_difficulty,
        income_unstable=facts.income_unstable, temporary_requested=facts.temporary_requested,
        temporary_granted_this_year=facts.temporary_granted_this_year,
        temporary_illness=facts.temporary_illness, last_review=facts.last_review,
        single_person=facts.single_person, parameters=dict(facts.parameters),
    )  # fmt: skip


def _member_view(p: Person, on: dt.date) -> MemberView:
    notes = []
    if p.has_disability_cert:
        grade = f"{p.disability_grade}级" if p.disability_grade else ""
        category = LABELS["DisabilityCategory"].get(p.disability_category or "", "")
        notes.append(f"残疾{grade}{category}")
    if p.major_illness:
        notes.append("重病")
    if p.mental_disorder:
        notes.append("精神障碍")
    notes.append(LABELS["LabourAbility"].get(p.labour_ability, ""))
    from desk_app.domain.ids import age_on  # noqa: PLC0415 - keeps the import list short

    return MemberView(
        p.id,
        p.name,
        LABELS["Relation"].get(p.relation or "", ""),
        age_on(p.birth_date, on),
        "、".join(n for n in notes if n),
    )


def _figure_text(value: Decimal | int | str | None) -> str:
    return "" if value is None else str(value)


def _computation_row(c: Computation) -> ComputationRow:
    return ComputationRow(
        c.key, title_of(c.key), _figure_text(c.figure), c.rule, c.basis, c.flags, c.missing
    )


def _row_json(r: ComputationRow) -> dict[str, Any]:
    return dataclasses.asdict(r)


def _row_from_json(d: Mapping[str, Any]) -> ComputationRow:
    return ComputationRow(
        d["key"], d["title"], d["figure"], d["rule"], d["basis"],
        tuple(d["flags"]), tuple(d["missing"]),
    )  # fmt: skip


def _prompts(
    computations: tuple[Computation, ...], urban: bool, facts: HouseholdFacts
) -> tuple[ParameterPrompt, ...]:
    keys: dict[str, None] = {}
    for c in computations:
        for key in keys_for_missing(c.missing, urban=urban):
            if key not in facts.parameters:
                keys[key] = None
    return tuple(ParameterPrompt(k, BY_KEY[k].label, BY_KEY[k].unit, BY_KEY[k].help) for k in keys)


def decided_amount(text: str) -> Decimal | None:
    """A reviewer's conclusion read as money (``1,230``, ``525元``), or None if it is words."""
    try:
        return Decimal(text.replace(",", "").removesuffix("元"))
    except InvalidOperation:
        return None


def _same(decided: str, proposed: str) -> bool:
    amount = decided_amount(decided)
    if amount is None:
        return decided == proposed
    try:
        return amount == Decimal(proposed)
    except InvalidOperation:
        return False


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _decision_row(r: AssessmentRecord) -> DecisionRow:
    snapshot = json.loads(r.snapshot)
    return DecisionRow(
        id=r.id, on=r.on_date, rule_set_code=r.rule_set_code, subject_key=r.subject_key,
        subject_title=title_of(r.subject_key), proposed=r.proposed, decided=r.decided,
        differs=r.differs, reason=r.reason, decided_at=r.decided_at, actor=r.actor,
        rows=tuple(_row_from_json(d) for d in snapshot["computations"]),
    )  # fmt: skip


def _check_facts(facts: HouseholdFacts) -> None:
    problems: list[FieldProblem] = []
    for key, value in facts.parameters.items():
        spec = BY_KEY.get(key)
        if spec is None:
            problems.append(problem(f"parameter.{key}", key, "不是已知的参数"))
            continue
        why = spec.check(value)
        if why is not None:
            problems.append(problem(f"parameter.{key}", spec.label, why))
    money_fields = (
        ("financial_assets_per_capita", "家庭人均金融资产", facts.financial_assets_per_capita),
        ("current_dibao_monthly", "现享低保月额", facts.current_dibao_monthly),
        ("temporary_requested", "临时救助申请金额", facts.temporary_requested),
        ("temporary_granted_this_year", "本年已获临时救助", facts.temporary_granted_this_year),
    )
    for name, label, amount in money_fields:
        if amount is not None and amount < 0:
            problems.append(problem(name, label, "金额不能为负数"))
    for m in facts.members:
        for amount in (m.medical_cost, m.other_medical_subsidies):
            if amount is not None and amount < 0:
                problems.append(problem(f"member.{m.person_id}", "医疗费用", "金额不能为负数"))
    if problems:
        raise ValidationError(problems)


# --- facts as JSON (the snapshot and the clerk's last entries) -----------------------------


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def facts_to_json(facts: HouseholdFacts) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal | dt.date):
            return str(value) if isinstance(value, Decimal) else value.isoformat()
        if isinstance(value, IncomeSource | DeductionKind | SupplementClass):
            return value.name
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    data = dataclasses.asdict(facts)
    data["parameters"] = dict(facts.parameters)
    return {k: plain(v) for k, v in data.items()}


def facts_from_json(data: Mapping[str, Any]) -> HouseholdFacts:
    members = tuple(
        MemberFacts(
            person_id=int(m["person_id"]),
            incomes=tuple(
                IncomeItem(IncomeSource[i["source"]], Decimal(i["monthly"])) for i in m["incomes"]
            ),
            covered=m["covered"],
            dibao_class=SupplementClass[m["dibao_class"]] if m["dibao_class"] else None,
            legal_carer=bool(m["legal_carer"]),
            counted=bool(m["counted"]),
            medical_cost=_dec(m["medical_cost"]),
            other_medical_subsidies=Decimal(m["other_medical_subsidies"]),
        )
        for m in data["members"]
    )
    single = data.get("single_person")
    last_review = data.get("last_review")
    return HouseholdFacts(
        members=members,
        deductions=tuple(
            Deduction(DeductionKind[d["kind"]], Decimal(d["monthly"])) for d in data["deductions"]
        ),
        financial_assets_per_capita=_dec(data["financial_assets_per_capita"]),
        property_compliant=data["property_compliant"],
        current_dibao_monthly=_dec(data["current_dibao_monthly"]),
        voluntary_exit=bool(data["voluntary_exit"]),
        income_unstable=bool(data["income_unstable"]),
        medical_education_or_job_difficulty=bool(data["medical_education_or_job_difficulty"]),
        temporary_requested=_dec(data["temporary_requested"]),
        temporary_granted_this_year=Decimal(data["temporary_granted_this_year"]),
        temporary_illness=bool(data["temporary_illness"]),
        last_review=dt.date.fromisoformat(last_review) if last_review else None,
        single_person=SinglePersonFacts(**single) if single else None,
        parameters={k: Decimal(v) for k, v in data["parameters"].items()},
    )
