"""Every applicable assistance computation for one household (issue #5; decision support).

:func:`assess` runs the pure rules of this package in a fixed order for a :class:`Case`
with a locality's :class:`~desk_app.domain.assistance.locality.LocalityRules`: income →
eligibility proposal → payment → supplements → coverage → 单人户 routes → transition →
特困 standard → 临时救助 → 医疗救助 → review dates → 3+1 ranking. A parameter the set leaves
open never raises: the computation that needs it lists it in ``missing``. The case may
supply a value the set leaves open (``parameters``); each such value is reported first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from desk_app.domain.assistance.dibao import (
    AssetBase,
    SinglePersonFacts,
    Standard,
    SupplementClass,
    SupplementRates,
    carer_exemption,
    coverage_review,
    dibao_payment,
    eligibility_proposal,
    full_standard_for_member,
    member_supplement,
    single_person_routes,
)
from desk_app.domain.assistance.income import (
    Deduction,
    IncomeItem,
    MemberIncome,
    household_per_capita_income,
)
from desk_app.domain.assistance.locality import LocalityRules, Value
from desk_app.domain.assistance.medical import BASIS as MEDICAL_BASIS
from desk_app.domain.assistance.medical import MedicalPatient, medical_assistance
from desk_app.domain.assistance.result import Computation
from desk_app.domain.assistance.reviews import ReviewPopulation, next_review_date
from desk_app.domain.assistance.scoring import ApplicantScores, rank_applicants
from desk_app.domain.assistance.tekun import (
    BASIS_STANDARD,
    ElderCircumstances,
    tekun_care_arrangement,
    tekun_living_standard,
)
from desk_app.domain.assistance.temporary import (
    BASIS_ILLNESS,
    illness_temporary_aid,
    temporary_aid_against_cap,
    temporary_aid_approval_level,
)
from desk_app.domain.assistance.transition import (
    anhui_jiantui_period,
    jiantui_status,
    qingliu_extension,
    voluntary_exit_payment,
)
from desk_app.domain.ids import age_on

# Household categories the case may name.
CAT_DIBAO = "低保"
CAT_TEKUN = "特困"
CAT_REGISTERED_POOR = "建档立卡未脱贫"
CAT_HARDSHIP_SUPPORT = "困难帮扶"
CATEGORIES = (CAT_DIBAO, CAT_TEKUN, CAT_REGISTERED_POOR, CAT_HARDSHIP_SUPPORT)

LABOUR_ABILITIES = ("full", "partial", "none")

# 重度残疾 (seed 003 篇九, 篇五): grade 1 or 2, or grade 3 intellectual or mental.
_SEVERE_GRADE3 = frozenset({"智力", "精神"})


@dataclass(frozen=True, slots=True)
class Disability:
    certified: bool
    category: str | None = None
    grade: int | None = None

    @property
    def severe(self) -> bool:
        if not self.certified or self.grade is None:
            return False
        return self.grade <= 2 or (self.grade == 3 and self.category in _SEVERE_GRADE3)


@dataclass(frozen=True, slots=True)
class Member:
    """One co-resident family member as the clerk recorded them."""

    name: str
    relation: str = ""
    birth_date: dt.date | None = None
    age: int | None = None
    disability: Disability | None = None
    serious_illness: bool = False
    mental_illness: bool = False
    infectious_disease: bool = False
    labour_ability: str | None = None
    incomes: tuple[IncomeItem, ...] = ()
    covered: bool | None = None  # on 低保 now (None: not said)
    dibao_classes: frozenset[SupplementClass] = frozenset()
    applicant: bool = False
    legal_carer: bool = False
    counted: bool = True
    medical_cost: Decimal | None = None  # compliant cost left after insurance
    other_medical_subsidies: Decimal = Decimal(0)
    elder: ElderFacts | None = None

    def age_on(self, on: dt.date) -> int | None:
        if self.birth_date is not None:
            return age_on(self.birth_date, on)
        return self.age

    @property
    def severely_disabled(self) -> bool:
        return self.disability is not None and self.disability.severe


@dataclass(frozen=True, slots=True)
class ElderFacts:
    """What the 特困 集中供养 rule needs besides the age (tekun.ElderCircumstances)."""

    has_spouse: bool
    has_children: bool
    lives_alone: bool
    has_stable_income: bool


@dataclass(frozen=True, slots=True)
class Case:
    """A household as described for ``desk-app assess`` (docs/assess.md)."""

    locality: str
    date: dt.date
    urban: bool
    members: tuple[Member, ...]
    categories: frozenset[str] = frozenset()
    deductions: tuple[Deduction, ...] = ()
    financial_assets_per_capita: Decimal | None = None
    property_compliant: bool | None = None
    current_dibao_monthly: Decimal | None = None
    voluntary_exit: bool = False
    medical_education_or_job_difficulty: bool = False
    income_unstable: bool = False
    temporary_requested: Decimal | None = None
    temporary_granted_this_year: Decimal = Decimal(0)
    temporary_illness: bool = False
    last_review: dt.date | None = None
    single_person: SinglePersonFacts | None = None
    applicants: tuple[ApplicantScores, ...] = ()
    parameters: Mapping[str, Decimal | int] = field(default_factory=dict)


class _Params:
    def __init__(self, case: Case, rules: LocalityRules) -> None:
        self.case = case
        self.rules = rules

    def get(self, key: str) -> Value:
        if key in self.case.parameters:
            return self.case.parameters[key]
        return self.rules.value(key, self.case.date)

    def dec(self, key: str) -> Decimal | None:
        v = self.get(key)
        return None if v is None else Decimal(v)

    def whole(self, key: str) -> int | None:
        v = self.get(key)
        return None if v is None else int(v)


def _named(c: Computation, name: str) -> Computation:
    return dataclasses.replace(c, key=f"{c.key}:{name}")


def _overrides(case: Case, rules: LocalityRules) -> list[Computation]:
    out = []
    for key, value in case.parameters.items():
        in_set = rules.value(key, case.date)
        rule = f"本案例提供参数 {key} = {value}" + (
            f"（参数集为 {in_set}，本案例以案例值为准）"
            if in_set is not None
            else "（参数集未设定此值）"
        )
        out.append(
            Computation(
                f"parameter.case:{key}",
                value,
                rule,
                "案例输入；参数集 " + rules.code,
                ("case_parameter",),
            )
        )
    return out


def assess(case: Case, rules: LocalityRules) -> tuple[Computation, ...]:
    """Every computation that applies to ``case`` under ``rules``, in a stable order."""
    p = _Params(case, rules)
    on = case.date
    out: list[Computation] = _overrides(case, rules)
    if not case.members:
        # Only a 3+1 ranking was asked for.
        return (*out, *_ranking(case, p))
    urban_std = p.dec("dibao.standard.urban.monthly")
    rural_std = p.dec("dibao.standard.rural.monthly")
    standard = (
        Standard(urban_std, "城市低保标准") if case.urban else Standard(rural_std, "农村低保标准")
    )

    # --- 单人户: carer exemption decides whether the carers are counted -----------------
    applicant = next((m for m in case.members if m.applicant), None)
    exemption: Computation | None = None
    carers = [m for m in case.members if m.legal_carer]
    if applicant is not None and applicant.severely_disabled and carers:
        births = [m.birth_date for m in carers if m.birth_date is not None]
        base_multiple = p.whole("single.asset_base")
        asset_base = (
            None
            if base_multiple is None
            else (AssetBase.ANNUAL if base_multiple == 12 else AssetBase.MONTHLY)
        )
        if len(births) == len(carers):
            exemption = carer_exemption(
                True,
                births,
                on,
                case.financial_assets_per_capita,
                standard,
                carer_age_over=p.whole("single.carer_age_over"),
                asset_multiple=p.dec("single.asset_multiple"),
                asset_base=asset_base,
            )
        else:
            exemption = Computation(
                "dibao.single_person.carer_exemption",
                None,
                "赡养人须有出生日期才能判断是否超过年龄界限",
                "domain.md §1.1；seed 003_538988cd989ea5d8.txt 篇十五",
                missing=("赡养人出生日期",),
            )
    alone = exemption is not None and exemption.figure == "适用"

    members = [
        MemberIncome(m.name, m.incomes, counted=m.counted and not (alone and m is not applicant))
        for m in case.members
    ]
    income = household_per_capita_income(members, case.deductions, exclude_support=alone)
    out.append(income)
    pci = income.figure if isinstance(income.figure, Decimal) else None

    out.append(
        eligibility_proposal(
            pci,
            standard,
            low_income_multiple=p.dec("low_income.multiple"),
            property_compliant=case.property_compliant,
        )
    )

    counted = [m for m, mi in zip(case.members, members, strict=True) if mi.counted]
    said = [m for m in counted if m.covered is not None]
    covered = sum(1 for m in counted if m.covered) if said else len(counted)
    per_person, total = dibao_payment(pci, standard, covered)
    out += [per_person, total]

    # --- supplements and 本人全额救助 ------------------------------------------------------
    own = per_person.figure if isinstance(per_person.figure, Decimal) else None
    rates = SupplementRates(a=p.dec("dibao.supplement.a"), b=p.dec("dibao.supplement.b"), c=None)
    full_enabled = p.whole("dibao.full_standard.enabled")
    for m in counted:
        if m.covered is False:
            continue
        if m.dibao_classes and own is not None:
            out.append(_named(member_supplement(m.name, m.dibao_classes, own, rates), m.name))
        if full_enabled and own is not None and (m.severely_disabled or m.serious_illness):
            out.append(
                _named(full_standard_for_member(m.name, True, own, standard, enabled=True), m.name)
            )

    # --- coverage -------------------------------------------------------------------
    if len(counted) > 1:
        disabled_or_ill = sum(1 for m in counted if m.disability is not None or m.serious_illness)
        out.append(coverage_review(len(counted), covered, disabled_or_ill))

    # --- 单人户 routes --------------------------------------------------------------
    if exemption is not None:
        out.append(exemption)
    if case.single_person is not None:
        out += single_person_routes(case.single_person)

    # --- transition (the household is on 低保 already) --------------------------------
    out += _transition(case, p, pci, standard, total)

    # --- 特困 -----------------------------------------------------------------------
    if CAT_TEKUN in case.categories or any(m.elder is not None for m in case.members):
        out.append(_tekun_standard(urban_std, p.dec("tekun.multiplier")))
    for m in case.members:
        if m.elder is not None and m.birth_date is not None:
            person = ElderCircumstances(
                m.birth_date,
                m.elder.has_spouse,
                m.elder.has_children,
                m.elder.lives_alone,
                m.elder.has_stable_income,
                m.mental_illness,
                m.infectious_disease,
            )
            out.append(
                _named(
                    tekun_care_arrangement(
                        person, on=on, age_threshold=p.whole("tekun.institutional_age")
                    ),
                    m.name,
                )
            )

    # --- 临时救助 --------------------------------------------------------------------
    if case.temporary_requested is not None:
        out += temporary_aid_against_cap(
            requested=case.temporary_requested,
            granted_this_year=case.temporary_granted_this_year,
            annual_cap=p.dec("temporary.annual_cap"),
        )
        out.append(
            temporary_aid_approval_level(
                amount=case.temporary_requested, township_limit=p.dec("temporary.township_limit")
            )
        )
        if case.temporary_illness:
            if urban_std is None:
                out.append(
                    Computation(
                        "temporary.illness_amount",
                        None,
                        "因病临时救助按城市低保标准的若干倍计发；城市低保标准和倍数需设定",
                        BASIS_ILLNESS,
                        missing=tuple(
                            n
                            for n, v in (
                                ("城市低保标准", urban_std),
                                ("因病临时救助倍数", p.dec("temporary.illness_multiple")),
                            )
                            if v is None
                        ),
                    )
                )
            else:
                out.append(
                    illness_temporary_aid(
                        urban_dibao_monthly=urban_std,
                        multiple=p.dec("temporary.illness_multiple"),
                    )
                )

    # --- 医疗救助 --------------------------------------------------------------------
    for m in case.members:
        if m.medical_cost is not None:
            out.append(_named(_medical(m, p, on), m.name))

    # --- reviews ----------------------------------------------------------------------
    if case.last_review is not None and CAT_DIBAO in case.categories:
        out += _reviews(case, p, case.last_review)

    # --- 3+1 ----------------------------------------------------------------------------
    out += _ranking(case, p)
    return tuple(out)


def _ranking(case: Case, p: _Params) -> tuple[Computation, ...]:
    if not case.applicants:
        return ()
    return rank_applicants(
        case.applicants, deliberation_weight=p.dec("scoring.deliberation_weight")
    )


def _tekun_standard(urban_std: Decimal | None, multiplier: Decimal | None) -> Computation:
    if urban_std is None:
        missing = ["城市低保标准"]
        if multiplier is None:
            missing.append("特困基本生活标准倍数")
        return Computation(
            "tekun.living_standard",
            None,
            "特困人员基本生活标准按城市低保标准的倍数计；城市低保标准未设定",
            BASIS_STANDARD,
            missing=tuple(missing),
        )
    return tekun_living_standard(urban_dibao_monthly=urban_std, multiplier=multiplier)


def _transition(
    case: Case,
    p: _Params,
    pci: Decimal | None,
    standard: Standard,
    total: Computation,
) -> list[Computation]:
    if CAT_DIBAO not in case.categories:
        return []
    out: list[Computation] = []
    std = standard.monthly
    if pci is None or std is None:
        missing = tuple(n for n, v in ((standard.label, std), ("家庭人均月收入", pci)) if v is None)
        return [
            Computation(
                "transition",
                None,
                "缺少比较所需数值，无法判断渐退、延保",
                "domain.md §1.3",
                missing=missing,
            )
        ]
    above = pci > std
    if CAT_REGISTERED_POOR in case.categories:
        out.append(
            jiantui_status(
                per_capita_income=pci,
                standard=std,
                exit_multiple=p.dec("jiantui.exit_multiple"),
                registered_poor_unlifted=True,
            )
        )
    months = p.whole("jiantui.months")
    if above and (months is not None or CAT_HARDSHIP_SUPPORT in case.categories):
        out += anhui_jiantui_period(found_on=case.date, months=months)
    if case.voluntary_exit:
        monthly = case.current_dibao_monthly
        if monthly is None and isinstance(total.figure, Decimal):
            monthly = total.figure
        if monthly is not None:
            out += voluntary_exit_payment(
                monthly_payment=monthly,
                min_months=p.whole("exit.voluntary_min_months"),
                max_months=p.whole("exit.voluntary_max_months"),
            )
    lo, hi = p.whole("extension.min_months"), p.whole("extension.max_months")
    if above and (lo is not None or hi is not None):
        multiple = p.dec("low_income.multiple")
        still_low = multiple is not None and pci <= std * multiple
        out += qingliu_extension(
            decided_on=case.date,
            min_months=lo,
            max_months=hi,
            still_low_income=still_low,
            has_medical_education_or_job_difficulty=case.medical_education_or_job_difficulty,
        )
    return out


def _medical(m: Member, p: _Params, on: dt.date) -> Computation:
    assert m.medical_cost is not None
    base, bonus = p.dec("medical.base_rate"), p.dec("medical.bonus_points")
    age = m.age_on(on)
    missing = tuple(
        n
        for n, v in (("医疗救助基础比例", base), ("医疗救助提高百分点", bonus), ("年龄", age))
        if v is None
    )
    if base is None or bonus is None or age is None:
        return Computation(
            "medical.assistance",
            None,
            f"{m.name}合规自付{m.medical_cost}元；缺少计算所需数值",
            MEDICAL_BASIS,
            missing=missing,
        )
    return medical_assistance(
        compliant_cost_after_insurance=m.medical_cost,
        patient=MedicalPatient(age, m.severely_disabled, m.serious_illness),
        base_rate=base,
        bonus_points=bonus,
        elderly_age=p.whole("medical.elderly_age"),
        other_subsidies=m.other_medical_subsidies,
    )


def _reviews(case: Case, p: _Params, last: dt.date) -> list[Computation]:
    out: list[Computation] = []
    classes = set().union(*(m.dibao_classes for m in case.members))
    for cls, population, key in (
        (SupplementClass.A, ReviewPopulation.DIBAO_A, "review.ab_months"),
        (SupplementClass.B, ReviewPopulation.DIBAO_B, "review.ab_months"),
        (SupplementClass.C, ReviewPopulation.DIBAO_C, "review.c_months"),
    ):
        if cls not in classes:
            continue
        months = p.whole(key)
        if months is None:
            out.append(
                Computation(
                    f"review.next.{population.name.lower()}",
                    None,
                    f"{population.value}的核查周期未在参数集中设定",
                    "domain.md §2.3",
                    missing=(f"{population.value}核查周期",),
                )
            )
        else:
            out.append(next_review_date(population, last, cycle_months=months))
    able = any(m.labour_ability == "full" for m in case.members)
    if case.income_unstable and able:
        out.append(next_review_date(ReviewPopulation.UNSTABLE_INCOME_ABLE_TO_WORK, last))
    out.append(next_review_date(ReviewPopulation.PLATFORM_RECHECK, last))
    return sorted(out, key=lambda c: (c.figure is None, str(c.figure)))
