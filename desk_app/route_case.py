"""``desk-app route CASE.json``: a request described in JSON in, its routes as JSON out.

Pure functions between the documented JSON (docs/route.md) and the service types:
:func:`parse_case` reads a case into :class:`RouteCase` (``MatterChoice`` and
``MemberFacts``), :func:`build_report` turns the service's ``RouteProposal`` and
``Suggestion`` values into the output document, and :func:`problems_text` words a
``ValidationError`` for stderr with every problem named by its JSON path. Only
:func:`propose_case` touches the services. Nothing here imports Qt: the command runs
headless on a server or in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desk_app.domain.ids import age_on
from desk_app.domain.intake import Handling
from desk_app.domain.registry import CertificateCheck, ChildStatus, DisabilityCategory
from desk_app.domain.routing import MemberFacts
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import PaperRef, RouteProposal, Suggestion
from desk_app.services.intake import MatterChoice

if TYPE_CHECKING:
    from desk_app.bootstrap import Services

_F = "route_fields"
_V = "route"

HOUR_LIMIT_KEYS: Mapping[str, str] = {
    # Matters whose seed limit is counted in hours from the event, not in working days
    # (domain.md §1.10, §2.2): the parameter holding that limit.
    "disaster_relief": "disaster.basic_needs_hours",
    "emergency_advance_aid": "emergency.advance_aid_hours",
}

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 2000, 2099
"""Acceptance dates outside these years are refused: parameters start in 2000."""

_TOP_KEYS = ("date", "matters", "household")
_MATTER_KEYS = ("code", "papers_received", "handling", "department", "override_reason")
_MEMBER_KEYS = (
    "name",
    "birth_date",
    "age",
    "has_disability_cert",
    "disability_category",
    "disability_grade",
    "disability_check",
    "mental_disorder",
    "dropped_out",
    "child_status",
)

_LABELS = {
    "file": QT_TRANSLATE_NOOP(_F, "诉求文件"),
    "date": QT_TRANSLATE_NOOP(_F, "受理日期"),
    "matters": QT_TRANSLATE_NOOP(_F, "诉求事项"),
    "code": QT_TRANSLATE_NOOP(_F, "事项代码"),
    "papers_received": QT_TRANSLATE_NOOP(_F, "已收材料"),
    "handling": QT_TRANSLATE_NOOP(_F, "办理方式"),
    "department": QT_TRANSLATE_NOOP(_F, "办理部门"),
    "override_reason": QT_TRANSLATE_NOOP(_F, "改变去向的理由"),
    "household": QT_TRANSLATE_NOOP(_F, "家庭情况"),
    "members": QT_TRANSLATE_NOOP(_F, "家庭成员"),
    "name": QT_TRANSLATE_NOOP(_F, "姓名"),
    "birth_date": QT_TRANSLATE_NOOP(_F, "出生日期"),
    "age": QT_TRANSLATE_NOOP(_F, "年龄"),
    "has_disability_cert": QT_TRANSLATE_NOOP(_F, "持残疾人证"),
    "disability_category": QT_TRANSLATE_NOOP(_F, "残疾类别"),
    "disability_grade": QT_TRANSLATE_NOOP(_F, "残疾等级"),
    "disability_check": QT_TRANSLATE_NOOP(_F, "残疾证年审/换证"),
    "mental_disorder": QT_TRANSLATE_NOOP(_F, "精神障碍"),
    "dropped_out": QT_TRANSLATE_NOOP(_F, "辍学"),
    "child_status": QT_TRANSLATE_NOOP(_F, "儿童类别"),
}


@dataclass(frozen=True, slots=True)
class RouteCase:
    """A request as read from the JSON: the acceptance day, the matters, the members."""

    date: dt.date
    matters: tuple[MatterChoice, ...]
    members: tuple[MemberFacts, ...]
    has_household: bool


@dataclass(frozen=True, slots=True)
class HourLimit:
    """An hour limit in force on the acceptance day (None: the parameter is empty)."""

    key: str
    hours: int | None


# --------------------------------------------------------------------------- parsing
class _Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, path: str, key: str, source: str, **params: object) -> None:
        label = _LABELS.get(key, key)
        self.items.append(FieldProblem(path, label, Message(_V, source, dict(params))))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unknown_keys(obj: Mapping[str, Any], allowed: Sequence[str], path: str, p: _Problems) -> None:
    for key in obj:
        if key not in allowed:
            p.items.append(
                FieldProblem(
                    _join(path, str(key)),
                    str(key),
                    Message(
                        _V,
                        QT_TRANSLATE_NOOP(_V, "不认识的字段“{key}”；可用的字段：{allowed}"),
                        {"key": key, "allowed": "、".join(allowed)},
                    ),
                )
            )


def _date(value: object, path: str, key: str, p: _Problems) -> dt.date | None:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        p.add(path, key, QT_TRANSLATE_NOOP(_V, "请写成 YYYY-MM-DD 格式的日期，如 2026-09-24"))
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        p.add(path, key, QT_TRANSLATE_NOOP(_V, "日期“{value}”不存在"), value=value)
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        p.add(
            path,
            key,
            QT_TRANSLATE_NOOP(_V, "日期应在 {first}–{last} 年之间"),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        return None
    return day


def _string(obj: Mapping[str, Any], key: str, path: str, p: _Problems, *, limit: int) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        p.add(_join(path, key), key, QT_TRANSLATE_NOOP(_V, "应为文字（加英文双引号）"))
        return ""
    if len(value) > limit:
        p.add(_join(path, key), key, QT_TRANSLATE_NOOP(_V, "最多{limit}个字"), limit=limit)
    return value


def _bool(obj: Mapping[str, Any], key: str, path: str, p: _Problems) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        p.add(_join(path, key), key, QT_TRANSLATE_NOOP(_V, "应为 true 或 false"))
        return False
    return value


def _code(
    obj: Mapping[str, Any], key: str, allowed: Sequence[str], path: str, p: _Problems
) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        p.add(
            _join(path, key),
            key,
            QT_TRANSLATE_NOOP(_V, "“{value}”不是可用的取值；可用：{allowed}"),
            value=value,
            allowed="、".join(allowed),
        )
        return None
    return value


def _parse_matter(item: object, path: str, p: _Problems) -> MatterChoice | None:
    if not isinstance(item, dict):
        p.add(
            path, "matters", QT_TRANSLATE_NOOP(_V, '每项诉求应为一个对象，如 {{"code": "dibao"}}')
        )
        return None
    _unknown_keys(item, _MATTER_KEYS, path, p)
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        p.add(_join(path, "code"), "code", QT_TRANSLATE_NOOP(_V, '请填写事项代码，如 "dibao"'))
        return None
    papers = item.get("papers_received", [])
    if papers is None:
        papers = []
    if not isinstance(papers, list) or not all(isinstance(x, str) for x in papers):
        p.add(
            _join(path, "papers_received"),
            "papers_received",
            QT_TRANSLATE_NOOP(_V, '应为材料代码的列表，如 ["id_card", "hukou_book"]'),
        )
        papers = []
    handling_code = _code(item, "handling", [h.value for h in Handling], path, p)
    department = item.get("department")
    if department is not None and (not isinstance(department, str) or not department.strip()):
        p.add(_join(path, "department"), "department", QT_TRANSLATE_NOOP(_V, "应为部门代码"))
        department = None
    reason = _string(item, "override_reason", path, p, limit=500)
    return MatterChoice(
        matter_code=code.strip(),
        papers_received=tuple(dict.fromkeys(x.strip() for x in papers)),
        handling=Handling(handling_code) if handling_code else None,
        department_code=department.strip() if isinstance(department, str) else None,
        override_reason=reason,
    )


def _parse_member(item: object, path: str, on: dt.date, p: _Problems) -> MemberFacts | None:
    if not isinstance(item, dict):
        p.add(
            path,
            "members",
            QT_TRANSLATE_NOOP(_V, '每位成员应为一个对象，如 {{"name": "张三", "age": 13}}'),
        )
        return None
    before = len(p.items)
    _unknown_keys(item, _MEMBER_KEYS, path, p)
    name = _string(item, "name", path, p, limit=40).strip()
    if not name:
        p.add(_join(path, "name"), "name", QT_TRANSLATE_NOOP(_V, "请填写姓名（可用化名）"))
    age: int | None = None
    if ("birth_date" in item) == ("age" in item):
        p.add(
            _join(path, "birth_date"),
            "birth_date",
            QT_TRANSLATE_NOOP(_V, "出生日期（birth_date）和年龄（age）请填写其中一项"),
        )
    elif "birth_date" in item:
        birth = _date(item["birth_date"], _join(path, "birth_date"), "birth_date", p)
        if birth is not None and birth > on:
            p.add(
                _join(path, "birth_date"),
                "birth_date",
                QT_TRANSLATE_NOOP(_V, "出生日期晚于受理日期 {date}"),
                date=on.isoformat(),
            )
        elif birth is not None:
            age = age_on(birth, on)
    else:
        raw = item["age"]
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 150:
            p.add(_join(path, "age"), "age", QT_TRANSLATE_NOOP(_V, "应为 0–150 之间的整数（周岁）"))
        else:
            age = raw
    has_cert = _bool(item, "has_disability_cert", path, p)
    category = _code(item, "disability_category", [c.value for c in DisabilityCategory], path, p)
    check = _code(item, "disability_check", [c.value for c in CertificateCheck], path, p)
    grade = item.get("disability_grade")
    if grade is not None and (isinstance(grade, bool) or grade not in (1, 2, 3, 4)):
        p.add(
            _join(path, "disability_grade"),
            "disability_grade",
            QT_TRANSLATE_NOOP(_V, "应为 1–4 的整数（一至四级）"),
        )
        grade = None
    if has_cert:
        for key in ("disability_category", "disability_grade"):
            if item.get(key) is None:
                p.add(
                    _join(path, key),
                    key,
                    QT_TRANSLATE_NOOP(_V, "持残疾人证时请填写残疾类别和等级"),
                )
    else:
        for key in ("disability_category", "disability_grade", "disability_check"):
            if item.get(key) is not None:
                p.add(
                    _join(path, key),
                    key,
                    QT_TRANSLATE_NOOP(
                        _V, "没有残疾人证（has_disability_cert 不是 true）时不能填写此项"
                    ),
                )
    mental = _bool(item, "mental_disorder", path, p)
    dropped = _bool(item, "dropped_out", path, p)
    child = _code(item, "child_status", [c.value for c in ChildStatus], path, p)
    if len(p.items) > before or age is None:
        return None
    return MemberFacts(
        name=name,
        age=age,
        has_disability_cert=has_cert,
        disability_category=category,
        disability_grade=grade if isinstance(grade, int) else None,
        disability_check=check,
        mental_disorder=mental,
        dropped_out=dropped,
        child_status=child or ChildStatus.NONE.value,
    )


def parse_case(text: str, today: dt.date) -> RouteCase:
    """Read a case; every problem found is raised at once, each named by its JSON path.

    Args:
        text: the file's content (a leading BOM, as Windows Notepad writes, is allowed).
        today: the acceptance day when the case gives no ``date``.
    """
    p = _Problems()
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        p.add(
            "file",
            "file",
            QT_TRANSLATE_NOOP(_V, "不是有效的 JSON：第 {line} 行第 {column} 列，{error}"),
            line=exc.lineno,
            column=exc.colno,
            error=exc.msg,
        )
        raise ValidationError(p.items) from None
    if not isinstance(data, dict):
        p.add("file", "file", QT_TRANSLATE_NOOP(_V, "最外层应为一个 JSON 对象 {{…}}"))
        raise ValidationError(p.items)
    _unknown_keys(data, _TOP_KEYS, "", p)
    on = today
    if data.get("date") is not None:
        on = _date(data["date"], "date", "date", p) or today
    matters: list[MatterChoice] = []
    raw_matters = data.get("matters")
    if not isinstance(raw_matters, list) or not raw_matters:
        p.add(
            "matters",
            "matters",
            QT_TRANSLATE_NOOP(_V, '请列出至少一项诉求事项，如 [{{"code": "dibao"}}]'),
        )
    else:
        for i, item in enumerate(raw_matters):
            choice = _parse_matter(item, f"matters[{i}]", p)
            if choice is not None:
                matters.append(choice)
    members: list[MemberFacts] = []
    household = data.get("household")
    if household is not None:
        if not isinstance(household, dict):
            p.add(
                "household", "household", QT_TRANSLATE_NOOP(_V, '应为对象，如 {{"members": […]}}')
            )
        else:
            _unknown_keys(household, ("members",), "household", p)
            raw_members = household.get("members", [])
            if not isinstance(raw_members, list):
                p.add("household.members", "members", QT_TRANSLATE_NOOP(_V, "应为成员列表"))
            else:
                for i, item in enumerate(raw_members):
                    member = _parse_member(item, f"household.members[{i}]", on, p)
                    if member is not None:
                        members.append(member)
    if p.items:
        raise ValidationError(p.items)
    return RouteCase(on, tuple(matters), tuple(members), household is not None)


# --------------------------------------------------------------------------- errors
def json_path(problem: FieldProblem, case: RouteCase | None) -> str:
    """The JSON path a service problem is about (``route.dibao`` → ``matters[0]…``)."""
    field = problem.field
    if case is None:
        return field
    codes = [m.matter_code for m in case.matters]
    index: int | None = None
    suffix = ""
    if field.startswith("route."):
        code = field.removeprefix("route.")
        index = codes.index(code) if code in codes else None
        choice = case.matters[index] if index is not None else None
        if "理由" in problem.message.source:
            suffix = ".override_reason"
        elif choice is not None and choice.department_code:
            suffix = ".department"
        elif choice is not None and choice.handling:
            suffix = ".handling"
    elif field.startswith("papers."):
        code = field.removeprefix("papers.")
        index = codes.index(code) if code in codes else None
        suffix = ".papers_received"
    elif field == "matters" and "code" in problem.message.params:
        code = str(problem.message.params["code"])
        index = codes.index(code) if code in codes else None
        suffix = ".code"
    return f"matters[{index}]{suffix}" if index is not None else field


def problems_text(error: ValidationError, case: RouteCase | None = None, source: str = "") -> str:
    """Every problem on its own line: JSON path, what the field is, what to do."""
    head = f"{source} " if source else ""
    lines = [f"{head}有 {len(error.problems)} 处需要修改："]
    for problem in error.problems:
        path = json_path(problem, case)
        lines.append(f"  {path}（{problem.label}）：{problem.message.render()}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- output
def _papers(papers: Sequence[PaperRef]) -> list[dict[str, str]]:
    return [{"code": x.code, "name": x.name, "note": x.note} for x in papers]


def _route(r: RouteProposal, hours: HourLimit | None) -> dict[str, Any]:
    return {
        "matter": r.matter_code,
        "matter_name": r.matter_name,
        "handling": r.handling.value,
        "handling_name": r.handling.label,
        "department": r.department_code,
        "department_name": r.department_name,
        "queue": r.queue,
        "proposed_handling": r.proposed_handling.value,
        "proposed_department": r.proposed_department_code,
        "reason": r.reason,
        "basis": r.basis,
        "overridden": r.overridden,
        "override_reason": r.override_reason,
        "limit_days": r.limit_days,
        "due_date": r.due_date.isoformat() if r.due_date else None,
        "due_uncertain_years": list(r.due_uncertain_years),
        "limit_hours": hours.hours if hours else None,
        "papers_received": _papers(r.papers_received),
        "papers_missing": _papers(r.papers_missing),
    }


def warnings_for(routes: Sequence[RouteProposal], hours: Mapping[str, HourLimit]) -> list[str]:
    """What the clerk must know besides the routes, in Chinese, most important first."""
    out: list[str] = []
    years = sorted({y for r in routes for y in r.due_uncertain_years})
    for year in years:
        names = "、".join(r.matter_name for r in routes if year in r.due_uncertain_years)
        out.append(
            f"{year}年节假日安排尚未录入，按周末计算：{names}的期限可能提前或推后；"
            f"管理员录入{year}年放假安排并标记完成后，已保存的期限会自动重算"
        )
    for r in routes:
        if r.handling is Handling.REFERRAL and r.limit_days is None:
            out.append(
                f"“{r.matter_name}”转介给{r.department_name}，但该部门的办理时限"
                f"（参数 referral.limit_days.{r.department_code}）为空：无法计算期限，"
                "保存受理会被拒绝，请管理员先设置时限"
            )
    for r in routes:
        limit = hours.get(r.matter_code)
        if limit is not None and limit.hours is None:
            out.append(
                f"“{r.matter_name}”的时限（小时，参数 {limit.key}）尚未设置：种子未给出具体数值，需当地确定"
            )
    return out


def build_report(
    case: RouteCase,
    routes: Sequence[RouteProposal],
    suggestions: Sequence[Suggestion],
    hours: Mapping[str, HourLimit],
) -> dict[str, Any]:
    """The output document (docs/route.md): routes in the order asked, then suggestions."""
    return {
        "date": case.date.isoformat(),
        "routes": [_route(r, hours.get(r.matter_code)) for r in routes],
        "suggestions": [
            {
                "matter": s.matter_code,
                "matter_name": s.matter_name,
                "person": s.person_name,
                "reason": s.reason,
                "basis": s.basis,
            }
            for s in suggestions
        ],
        "warnings": warnings_for(routes, hours),
    }


def dump_report(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- running
def propose_case(services: Services, case: RouteCase) -> dict[str, Any]:
    """Ask the services (nothing is written) and build the report.

    Raises:
        ValidationError: a matter code, department, paper or override the catalogue refuses.
    """
    routes = services.intake.propose(case.matters, on=case.date)
    suggestions = services.intake.suggestions_for(case.members)
    hours: dict[str, HourLimit] = {}
    for r in routes:
        key = HOUR_LIMIT_KEYS.get(r.matter_code)
        if key is not None:
            found = services.parameters.value(key, on=case.date)
            value = found.value if found is not None else None
            hours[r.matter_code] = HourLimit(key, int(value) if value is not None else None)
    return build_report(case, routes, suggestions, hours)
