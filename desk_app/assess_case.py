"""``desk-app assess CASE.json``: a household described in JSON in, its computations out.

:func:`parse_case` reads the documented JSON (docs/assess.md) into an
:class:`~desk_app.domain.assistance.assess.Case`, collecting every problem with its JSON
path; :func:`run_case` picks the locality's parameter set and runs
:func:`~desk_app.domain.assistance.assess.assess`; :func:`dump_result` writes the output
document. No Qt and no database here: with ``--db`` the command line passes the
database's parameter sets (examples and the township's own copies) as ``rules``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desk_app.domain.assistance.assess import (
    CATEGORIES,
    LABOUR_ABILITIES,
    Case,
    Disability,
    ElderFacts,
    Member,
    assess,
)
from desk_app.domain.assistance.dibao import SinglePersonFacts, SupplementClass
from desk_app.domain.assistance.income import (
    Deduction,
    DeductionKind,
    IncomeItem,
    IncomeSource,
)
from desk_app.domain.assistance.locality import LocalityRules, load_localities
from desk_app.domain.assistance.result import Computation
from desk_app.domain.assistance.scoring import ApplicantScores

INCOME_KEYS: Mapping[str, IncomeSource] = {
    "wages": IncomeSource.WAGES,
    "business": IncomeSource.BUSINESS,
    "property": IncomeSource.PROPERTY,
    "transfer": IncomeSource.TRANSFER,
    "support": IncomeSource.SUPPORT,
    "basic_pension": IncomeSource.BASIC_PENSION,
    "other": IncomeSource.OTHER,
}
DEDUCTION_KEYS: Mapping[str, DeductionKind] = {
    "job_cost": DeductionKind.JOB_COST,
    "medical": DeductionKind.MEDICAL,
    "disability": DeductionKind.DISABILITY,
    "schooling": DeductionKind.SCHOOLING,
}
CLASS_KEYS: Mapping[str, SupplementClass] = {
    "a": SupplementClass.A,
    "b": SupplementClass.B,
    "c": SupplementClass.C,
}

_TOP = (
    "locality",
    "date",
    "urban",
    "categories",
    "members",
    "deductions",
    "financial_assets_per_capita",
    "property_compliant",
    "current_dibao_monthly",
    "voluntary_exit",
    "medical_education_or_job_difficulty",
    "income_unstable",
    "temporary_aid",
    "last_review",
    "single_person",
    "applicants",
    "parameters",
)
_MEMBER = (
    "name",
    "relation",
    "birth_date",
    "age",
    "disability",
    "serious_illness",
    "mental_illness",
    "infectious_disease",
    "labour_ability",
    "incomes",
    "covered",
    "dibao_classes",
    "applicant",
    "legal_carer",
    "counted",
    "medical_cost",
    "other_medical_subsidies",
    "elder",
)
_DISABILITY = ("certified", "category", "grade")
_ELDER = ("has_spouse", "has_children", "lives_alone", "has_stable_income")
_TEMPORARY = ("requested", "granted_this_year", "illness")
_APPLICANT = ("id", "health", "income", "property", "deliberation")
_SINGLE = tuple(f.name for f in SinglePersonFacts.__dataclass_fields__.values())
_MAX_MONEY = Decimal("100000000")


class CaseError(ValueError):
    """Bad input; ``problems`` are (JSON path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(f"{p}：{m}" for p, m in problems))
        self.problems = problems


class _P:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))


def _j(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _obj(value: object, path: str, allowed: tuple[str, ...], p: _P) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        p.add(path or "（根）", "应为一个对象 {...}")
        return None
    for key in value:
        if key not in allowed:
            p.add(_j(path, str(key)), f"不认识的字段；可用的字段：{'、'.join(allowed)}")
    return value


def _bool(obj: Mapping[str, Any], key: str, path: str, p: _P, default: bool = False) -> bool:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        p.add(_j(path, key), "应为 true 或 false")
        return default
    return value


def _opt_bool(obj: Mapping[str, Any], key: str, path: str, p: _P) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    p.add(_j(path, key), "应为 true、false 或 null")
    return None


def _num(value: object, path: str, p: _P, *, whole: bool = False) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        p.add(path, "应为数字（不加引号）")
        return None
    number = Decimal(value)
    if number < 0:
        p.add(path, "不能为负数")
        return None
    if number > _MAX_MONEY:
        p.add(path, "数值过大")
        return None
    if whole and number != number.to_integral_value():
        p.add(path, "应为整数")
        return None
    return number


def _opt_num(obj: Mapping[str, Any], key: str, path: str, p: _P) -> Decimal | None:
    value = obj.get(key)
    return None if value is None else _num(value, _j(path, key), p)


def _date(
    obj: Mapping[str, Any], key: str, path: str, p: _P, *, first_year: int = 2000
) -> dt.date | None:
    value = obj.get(key)
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        p.add(_j(path, key), "应为 YYYY-MM-DD 格式的有效日期，如 2020-06-01")
        return None
    if not first_year <= day.year <= 2099:
        p.add(_j(path, key), f"日期应在 {first_year}–2099 年之间")
        return None
    return day


def _str(obj: Mapping[str, Any], key: str, path: str, p: _P, *, limit: int = 40) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        p.add(_j(path, key), f"应为不超过 {limit} 个字的文字（加英文双引号）")
        return None
    return value.strip()


def _list(obj: Mapping[str, Any], key: str, path: str, p: _P) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        p.add(_j(path, key), "应为一个列表 [...]")
        return []
    return value


def _disability(value: object, path: str, p: _P) -> Disability | None:
    obj = _obj(value, path, _DISABILITY, p)
    if obj is None:
        return None
    grade = obj.get("grade")
    if grade is not None and (isinstance(grade, bool) or grade not in (1, 2, 3, 4)):
        p.add(_j(path, "grade"), "残疾等级应为 1–4 的整数")
        grade = None
    return Disability(
        certified=_bool(obj, "certified", path, p, default=True),
        category=_str(obj, "category", path, p, limit=10),
        grade=grade,
    )


def _member(value: object, path: str, on: dt.date | None, p: _P) -> Member | None:
    obj = _obj(value, path, _MEMBER, p)
    if obj is None:
        return None
    name = _str(obj, "name", path, p, limit=20)
    if name is None and "name" not in obj:
        p.add(_j(path, "name"), "必须填写姓名")
    birth = _date(obj, "birth_date", path, p, first_year=1880)
    if birth is not None and on is not None and birth > on:
        p.add(_j(path, "birth_date"), "出生日期不能晚于评估日期")
    age_raw = obj.get("age")
    age: int | None = None
    if age_raw is not None:
        n = _num(age_raw, _j(path, "age"), p, whole=True)
        if n is not None and n > 130:
            p.add(_j(path, "age"), "年龄应在 0–130 之间")
        elif n is not None:
            age = int(n)
    incomes: list[IncomeItem] = []
    inc = obj.get("incomes")
    if inc is not None:
        inc_obj = _obj(inc, _j(path, "incomes"), tuple(INCOME_KEYS), p)
        for key, raw in (inc_obj or {}).items():
            amount = _num(raw, _j(_j(path, "incomes"), key), p)
            if key in INCOME_KEYS and amount is not None:
                incomes.append(IncomeItem(INCOME_KEYS[key], amount))
    classes: set[SupplementClass] = set()
    for i, raw in enumerate(_list(obj, "dibao_classes", path, p)):
        if raw not in CLASS_KEYS:
            p.add(_j(_j(path, "dibao_classes"), i), '应为 "a"、"b" 或 "c"')
        else:
            classes.add(CLASS_KEYS[raw])
    labour = obj.get("labour_ability")
    if labour is not None and labour not in LABOUR_ABILITIES:
        p.add(_j(path, "labour_ability"), f"应为 {'、'.join(LABOUR_ABILITIES)} 之一")
        labour = None
    elder = None
    if obj.get("elder") is not None:
        e = _obj(obj["elder"], _j(path, "elder"), _ELDER, p)
        if e is not None:
            epath = _j(path, "elder")
            elder = ElderFacts(*(_bool(e, k, epath, p) for k in _ELDER))
            if birth is None:
                p.add(_j(path, "birth_date"), "填写 elder 时须有出生日期")
    cost = _opt_num(obj, "medical_cost", path, p)
    if cost is not None and birth is None and age is None:
        p.add(_j(path, "age"), "填写 medical_cost 时须有出生日期或年龄")
    return Member(
        name=name or "",
        relation=_str(obj, "relation", path, p, limit=10) or "",
        birth_date=birth,
        age=age,
        disability=(
            None
            if obj.get("disability") is None
            else _disability(obj["disability"], _j(path, "disability"), p)
        ),
        serious_illness=_bool(obj, "serious_illness", path, p),
        mental_illness=_bool(obj, "mental_illness", path, p),
        infectious_disease=_bool(obj, "infectious_disease", path, p),
        labour_ability=labour,
        incomes=tuple(incomes),
        covered=_opt_bool(obj, "covered", path, p),
        dibao_classes=frozenset(classes),
        applicant=_bool(obj, "applicant", path, p),
        legal_carer=_bool(obj, "legal_carer", path, p),
        counted=_bool(obj, "counted", path, p, default=True),
        medical_cost=cost,
        other_medical_subsidies=_opt_num(obj, "other_medical_subsidies", path, p) or Decimal(0),
        elder=elder,
    )


def _single(value: object, path: str, p: _P) -> SinglePersonFacts | None:
    obj = _obj(value, path, _SINGLE, p)
    if obj is None:
        return None
    kwargs: dict[str, Any] = {}
    for key in _SINGLE:
        if key == "clergy_years_at_site":
            raw = obj.get(key)
            if raw is not None:
                n = _num(raw, _j(path, key), p, whole=True)
                kwargs[key] = None if n is None else int(n)
        elif key in ("carers_ability_proof", "deliberation_found_hardship", "notice_objection"):
            kwargs[key] = _opt_bool(obj, key, path, p)
        else:
            kwargs[key] = _bool(obj, key, path, p)
    return SinglePersonFacts(**kwargs)


def _applicant(value: object, path: str, p: _P) -> ApplicantScores | None:
    obj = _obj(value, path, _APPLICANT, p)
    if obj is None:
        return None
    ident = _str(obj, "id", path, p, limit=20)
    if ident is None:
        p.add(_j(path, "id"), "必须填写申请人编号")
    scores = {}
    for key in ("health", "income", "property"):
        raw = obj.get(key)
        if raw is None:
            p.add(_j(path, key), "必须填写得分")
        scores[key] = None if raw is None else _num(raw, _j(path, key), p)
    delib = _opt_num(obj, "deliberation", path, p)
    h, i, pr = scores["health"], scores["income"], scores["property"]
    if ident is None or h is None or i is None or pr is None:
        return None
    return ApplicantScores(ident, h, i, pr, delib)


def shipped_rules() -> dict[str, LocalityRules]:
    """The example parameter sets that ship with the program, by code."""
    return {r.code: r for r in load_localities()}


def parse_case(text: str, rules_by_code: Mapping[str, LocalityRules] | None = None) -> Case:
    """The case in ``text``; raises :class:`CaseError` listing every bad field by path.

    ``rules_by_code``: the parameter sets ``locality`` may name (default: the shipped examples).
    """
    known = shipped_rules() if rules_by_code is None else rules_by_code
    p = _P()
    try:
        data: Any = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CaseError(
            [("（文件）", f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列")]
        ) from exc
    top = _obj(data, "", _TOP, p)
    if top is None:
        raise CaseError(p.items)
    locality = top.get("locality")
    if not isinstance(locality, str) or locality not in known:
        p.add("locality", f"应为参数集代码之一：{'、'.join(known)}")
    on = _date(top, "date", "", p)
    if on is None and "date" not in top:
        p.add("date", "必须填写评估日期（YYYY-MM-DD）")
    urban = top.get("urban")
    if not isinstance(urban, bool):
        p.add("urban", "必须填写 true（城市）或 false（农村）")
    categories: set[str] = set()
    for i, raw in enumerate(_list(top, "categories", "", p)):
        if raw not in CATEGORIES:
            p.add(f"categories[{i}]", f"应为 {'、'.join(CATEGORIES)} 之一")
        else:
            categories.add(raw)
    members: list[Member] = []
    raw_members = _list(top, "members", "", p)
    if not raw_members and not top.get("applicants"):
        p.add("members", "至少需要一名家庭成员（只做 3+1 排序时可只填 applicants）")
    for i, raw in enumerate(raw_members):
        m = _member(raw, f"members[{i}]", on, p)
        if m is not None:
            members.append(m)
    deductions: list[Deduction] = []
    if top.get("deductions") is not None:
        d = _obj(top["deductions"], "deductions", tuple(DEDUCTION_KEYS), p)
        for key, raw in (d or {}).items():
            amount = _num(raw, f"deductions.{key}", p)
            if key in DEDUCTION_KEYS and amount is not None:
                deductions.append(Deduction(DEDUCTION_KEYS[key], amount))
    requested: Decimal | None = None
    granted = Decimal(0)
    illness = False
    if top.get("temporary_aid") is not None:
        t = _obj(top["temporary_aid"], "temporary_aid", _TEMPORARY, p)
        if t is not None:
            requested = _opt_num(t, "requested", "temporary_aid", p)
            if requested is None and "requested" not in t:
                p.add("temporary_aid.requested", "必须填写本次申请金额")
            granted = _opt_num(t, "granted_this_year", "temporary_aid", p) or Decimal(0)
            illness = _bool(t, "illness", "temporary_aid", p)
    applicants = [
        a
        for i, raw in enumerate(_list(top, "applicants", "", p))
        if (a := _applicant(raw, f"applicants[{i}]", p)) is not None
    ]
    parameters: dict[str, Decimal | int] = {}
    rules = known.get(locality) if isinstance(locality, str) else None
    if top.get("parameters") is not None:
        allowed = rules.keys() if rules is not None else ()
        params = _obj(top["parameters"], "parameters", allowed, p) or {}
        for key, raw in params.items():
            if key not in allowed:
                continue
            n = _num(raw, f"parameters.{key}", p)
            if n is not None:
                parameters[key] = n
    single = (
        None
        if top.get("single_person") is None
        else _single(top["single_person"], "single_person", p)
    )
    assets = _opt_num(top, "financial_assets_per_capita", "", p)
    property_ok = _opt_bool(top, "property_compliant", "", p)
    current = _opt_num(top, "current_dibao_monthly", "", p)
    voluntary = _bool(top, "voluntary_exit", "", p)
    difficulty = _bool(top, "medical_education_or_job_difficulty", "", p)
    unstable = _bool(top, "income_unstable", "", p)
    last_review = _date(top, "last_review", "", p)
    if p.items:
        raise CaseError(p.items)
    assert isinstance(locality, str)
    assert on is not None
    assert isinstance(urban, bool)
    return Case(
        locality=locality,
        date=on,
        urban=urban,
        members=tuple(members),
        categories=frozenset(categories),
        deductions=tuple(deductions),
        temporary_requested=requested,
        temporary_granted_this_year=granted,
        temporary_illness=illness,
        single_person=single,
        applicants=tuple(applicants),
        parameters=parameters,
        financial_assets_per_capita=assets,
        property_compliant=property_ok,
        current_dibao_monthly=current,
        voluntary_exit=voluntary,
        medical_education_or_job_difficulty=difficulty,
        income_unstable=unstable,
        last_review=last_review,
    )


def run_case(
    case: Case, rules_by_code: Mapping[str, LocalityRules] | None = None
) -> tuple[Computation, ...]:
    rules = (shipped_rules() if rules_by_code is None else rules_by_code).get(case.locality)
    if rules is None:  # parse_case checked it
        raise CaseError([("locality", "未知的参数集代码")])
    return assess(case, rules)


def _figure(value: Decimal | int | str | None) -> int | str | None:
    if isinstance(value, Decimal):
        return str(value)
    return value


def dump_result(case: Case, computations: tuple[Computation, ...]) -> str:
    doc = {
        "locality": case.locality,
        "date": case.date.isoformat(),
        "computations": [
            {
                "key": c.key,
                "figure": _figure(c.figure),
                "rule": c.rule,
                "basis": c.basis,
                "flags": list(c.flags),
                "missing": list(c.missing),
            }
            for c in computations
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def problems_text(exc: CaseError, source: str) -> str:
    lines = [f"案例文件 {source} 有 {len(exc.problems)} 处问题："]
    lines += [f"  {path}：{message}" for path, message in exc.problems]
    return "\n".join(lines) + "\n"
