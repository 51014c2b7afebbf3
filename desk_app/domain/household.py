"""What a clerk enters for a household and a person, and the checks on it.

Checks return every problem at once, each naming the field and the fix (brief:
"validation errors name the field and the fix"). Data items: domain.md §6.2–§6.3.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from desk_app.domain.ids import IdNumber, age_on, check_id_number
from desk_app.domain.names import normalize_name
from desk_app.domain.registry import (
    CertificateCheck,
    ChildStatus,
    DisabilityCategory,
    Employment,
    HouseholdCategory,
    Labelled,
    LabourAbility,
    Relation,
    ResidenceType,
    SchoolingStage,
    SelfCare,
)
from desk_app.errors import FieldProblem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message

_C = "fields"

PERSON_FIELDS: dict[str, str] = {
    "name": QT_TRANSLATE_NOOP(_C, "姓名"),
    "id_number": QT_TRANSLATE_NOOP(_C, "身份证号码"),
    "relation": QT_TRANSLATE_NOOP(_C, "与户主关系"),
    "phone": QT_TRANSLATE_NOOP(_C, "联系电话"),
    "has_disability_cert": QT_TRANSLATE_NOOP(_C, "持残疾人证"),
    "disability_cert_no": QT_TRANSLATE_NOOP(_C, "残疾人证号"),
    "disability_category": QT_TRANSLATE_NOOP(_C, "残疾类别"),
    "disability_grade": QT_TRANSLATE_NOOP(_C, "残疾等级"),
    "disability_check": QT_TRANSLATE_NOOP(_C, "残疾证年审/换证"),
    "major_illness": QT_TRANSLATE_NOOP(_C, "重特大疾病"),
    "chronic_illness": QT_TRANSLATE_NOOP(_C, "慢性病"),
    "mental_disorder": QT_TRANSLATE_NOOP(_C, "精神障碍"),
    "bedridden": QT_TRANSLATE_NOOP(_C, "长期卧床"),
    "illness_note": QT_TRANSLATE_NOOP(_C, "疾病说明"),
    "labour_ability": QT_TRANSLATE_NOOP(_C, "劳动能力"),
    "self_care": QT_TRANSLATE_NOOP(_C, "自理能力"),
    "employment": QT_TRANSLATE_NOOP(_C, "就业状况"),
    "schooling_stage": QT_TRANSLATE_NOOP(_C, "在学阶段"),
    "boarding": QT_TRANSLATE_NOOP(_C, "寄宿"),
    "dropped_out": QT_TRANSLATE_NOOP(_C, "辍学"),
    "child_status": QT_TRANSLATE_NOOP(_C, "儿童类别"),
    "left_behind": QT_TRANSLATE_NOOP(_C, "留守"),
    "living_alone": QT_TRANSLATE_NOOP(_C, "独居"),
    "solitary": QT_TRANSLATE_NOOP(_C, "孤寡"),
    "note": QT_TRANSLATE_NOOP(_C, "备注"),
}

HOUSEHOLD_FIELDS: dict[str, str] = {
    "village": QT_TRANSLATE_NOOP(_C, "村（社区）"),
    "group_name": QT_TRANSLATE_NOOP(_C, "组"),
    "residence": QT_TRANSLATE_NOOP(_C, "城乡类别"),
    "address": QT_TRANSLATE_NOOP(_C, "住址"),
    "note": QT_TRANSLATE_NOOP(_C, "备注"),
    "category": QT_TRANSLATE_NOOP(_C, "类别"),
    "start_date": QT_TRANSLATE_NOOP(_C, "开始日期"),
    "end_date": QT_TRANSLATE_NOOP(_C, "结束日期"),
    # The 户编号 a member moved from and to, as the household history shows it.
    "household": QT_TRANSLATE_NOOP(_C, "户编号"),
}

ADULT_AGE = 18
_NAME_CHARS = r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134fA-Za-z]+"
# Minority and foreign names join parts with one middle dot: 买买提·艾力.
_NAME_RE = re.compile(rf"^{_NAME_CHARS}(·{_NAME_CHARS})*$")
_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


@dataclass(frozen=True, slots=True)
class PersonInput:
    """A person as typed into the form.

    On edit, ``id_number``, ``phone`` and ``disability_cert_no`` None mean "unchanged":
    the form only ever saw them masked, so it cannot send them back.
    """

    name: str
    id_number: str | None
    phone: str | None = ""
    has_disability_cert: bool = False
    disability_cert_no: str | None = ""
    disability_category: DisabilityCategory | None = None
    disability_grade: int | None = None
    disability_check: CertificateCheck | None = None
    major_illness: bool = False
    chronic_illness: bool = False
    mental_disorder: bool = False
    bedridden: bool = False
    illness_note: str = ""
    labour_ability: LabourAbility = LabourAbility.FULL
    self_care: SelfCare = SelfCare.INDEPENDENT
    employment: Employment = Employment.NOT_APPLICABLE
    schooling_stage: SchoolingStage = SchoolingStage.NONE
    boarding: bool = False
    dropped_out: bool = False
    child_status: ChildStatus = ChildStatus.NONE
    left_behind: bool = False
    living_alone: bool = False
    solitary: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class HouseholdInput:
    village: str
    group_name: str = ""
    residence: ResidenceType = ResidenceType.RURAL
    address: str = ""
    note: str = ""


def _problem(fields: dict[str, str], field: str, source: str, **params: object) -> FieldProblem:
    return FieldProblem(field, fields[field], Message("validation", source, dict(params)))


def _too_long(fields: dict[str, str], field: str, value: str, limit: int) -> FieldProblem | None:
    if len(value) > limit:
        return _problem(
            fields, field, QT_TRANSLATE_NOOP("validation", "最多{limit}个字，现在{length}个字，请删减"),
            limit=limit, length=len(value),
        )  # fmt: skip
    return None


def normalize_phone(text: str) -> str:
    """Full-width digits and stray spaces, as an IME types them, become ASCII."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def validate_person(
    data: PersonInput, today: dt.date, birth_date: dt.date | None = None
) -> tuple[list[FieldProblem], IdNumber | None]:
    """Check a person form; return the problems and, when valid, the parsed ID number.

    Args:
        data: the form.
        today: the date ages are computed on.
        birth_date: the stored birth date when the ID number is unchanged on edit.
    """
    problems: list[FieldProblem] = []
    f = PERSON_FIELDS
    name = normalize_name(data.name)
    if not name:
        problems.append(_problem(f, "name", QT_TRANSLATE_NOOP("validation", "请填写姓名")))
    elif (long_name := _too_long(f, "name", name, 40)) is not None:
        problems.append(long_name)
    elif not _NAME_RE.match(name):
        problems.append(
            _problem(
                f,
                "name",
                QT_TRANSLATE_NOOP("validation", "只能包含汉字、字母和间隔号“·”，请去掉数字和符号"),
            )
        )
    parsed: IdNumber | None = None
    if data.id_number is not None:
        check = check_id_number(data.id_number, today)
        if check.problem is not None:
            problems.append(FieldProblem("id_number", f["id_number"], check.problem))
        parsed = check.id
        if parsed is not None:
            birth_date = parsed.birth_date
    phone = normalize_phone(data.phone or "")
    if phone and not (_MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone)):
        problems.append(
            _problem(
                f,
                "phone",
                QT_TRANSLATE_NOOP(
                    "validation", "应为11位手机号或带区号的座机号（如 0851-12345678）"
                ),
            )
        )
    if data.has_disability_cert:
        if data.disability_category is None:
            problems.append(
                _problem(
                    f,
                    "disability_category",
                    QT_TRANSLATE_NOOP("validation", "持证时请选择残疾类别"),
                )
            )
        if data.disability_grade is None:
            problems.append(
                _problem(
                    f,
                    "disability_grade",
                    QT_TRANSLATE_NOOP("validation", "持证时请选择残疾等级（一至四级）"),
                )
            )
    elif data.disability_grade is not None:
        problems.append(
            _problem(
                f,
                "disability_grade",
                QT_TRANSLATE_NOOP(
                    "validation",
                    "没有残疾人证时不能填写等级；未评定的请在疾病说明中注明并转残联评定",
                ),
            )
        )
    if data.disability_grade is not None and not 1 <= data.disability_grade <= 4:
        problems.append(
            _problem(
                f, "disability_grade", QT_TRANSLATE_NOOP("validation", "残疾等级只能是一至四级")
            )
        )
    if birth_date is not None:
        age = age_on(birth_date, today)
        if data.child_status is not ChildStatus.NONE and age >= ADULT_AGE:
            problems.append(
                _problem(
                    f,
                    "child_status",
                    QT_TRANSLATE_NOOP("validation", "本人已满18周岁（{age}岁），儿童类别应为“无”"),
                    age=age,
                )
            )
    for field, value, limit in (
        ("disability_cert_no", data.disability_cert_no or "", 30),
        ("illness_note", data.illness_note, 200),
        ("note", data.note, 2000),
    ):
        long = _too_long(f, field, value, limit)
        if long:
            problems.append(long)
    return problems, parsed


def validate_household(data: HouseholdInput) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    f = HOUSEHOLD_FIELDS
    if not data.village.strip():
        problems.append(
            _problem(f, "village", QT_TRANSLATE_NOOP("validation", "请填写户籍所在村（社区）"))
        )
    for field, value, limit in (
        ("village", data.village, 60),
        ("group_name", data.group_name, 30),
        ("address", data.address, 200),
        ("note", data.note, 2000),
    ):
        long = _too_long(f, field, value.strip(), limit)
        if long:
            problems.append(long)
    return problems


def validate_category_period(
    category: HouseholdCategory, start: dt.date, end: dt.date | None
) -> list[FieldProblem]:
    del category
    if end is not None and end < start:
        return [
            _problem(
                HOUSEHOLD_FIELDS,
                "end_date",
                QT_TRANSLATE_NOOP("validation", "结束日期不能早于开始日期"),
            )
        ]
    return []


def period_text(start: dt.date, end: dt.date | None) -> str:
    """A category's period as the clerk reads it: "2025-01-01 至 今"."""
    until = end.isoformat() if end is not None else QT_TRANSLATE_NOOP("history", "今")
    return QT_TRANSLATE_NOOP("history", "{start} 至 {end}").format(
        start=start.isoformat(), end=until
    )


def category_text(category: HouseholdCategory, start: dt.date, end: dt.date | None) -> str:
    """A category record as the household history shows it: "低保 A类 2025-01-01 至 今"."""
    return f"{category.label} {period_text(start, end)}"


@dataclass(frozen=True, slots=True)
class CategoryPeriod:
    """A category record already on the household, as the conflict check needs it."""

    category: HouseholdCategory
    start: dt.date
    end: dt.date | None

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """True when both periods share a day (end dates are inclusive; None is open)."""
        return (end is None or self.start <= end) and (self.end is None or start <= self.end)


@dataclass(frozen=True, slots=True)
class ExclusiveCategories:
    """No category of ``first`` may be active on a day a category of ``second`` is."""

    first: frozenset[HouseholdCategory]
    second: frozenset[HouseholdCategory]
    reason: str

    def forbids(self, a: HouseholdCategory, b: HouseholdCategory) -> bool:
        return (a in self.first and b in self.second) or (a in self.second and b in self.first)


_HC = HouseholdCategory
DIBAO_CLASSES = frozenset({_HC.DIBAO_A, _HC.DIBAO_B, _HC.DIBAO_C})
TEKUN = frozenset({_HC.TEKUN_CENTRALIZED, _HC.TEKUN_DISPERSED})
POVERTY_STATES = frozenset({_HC.POVERTY_UNLIFTED, _HC.POVERTY_LIFTED, _HC.POVERTY_RELAPSED})

# Household categories (domain.md §6.2) that cannot be active at the same time. 低保 and
# 特困 are separate schemes (§1.1: income topped up to the 低保标准; §1.4: "三无" persons
# supported at ≥ 1.3× the 低保标准 instead): a person in 特困 is not also in 低保.
# 低保单人户 and 分户核算 are ways of covering a household under 低保, not classes: they
# may stand with a class and are not part of these rules. A change of class or of
# 建档立卡 state is recorded by ending the old record and adding the new one.
EXCLUSIVE_CATEGORIES: tuple[ExclusiveCategories, ...] = (
    ExclusiveCategories(
        DIBAO_CLASSES, DIBAO_CLASSES,
        QT_TRANSLATE_NOOP("validation", "低保A、B、C类同一时间只能有一类"),
    ),
    ExclusiveCategories(
        TEKUN, TEKUN,
        QT_TRANSLATE_NOOP("validation", "特困集中供养和分散供养同一时间只能有一种"),
    ),
    ExclusiveCategories(
        DIBAO_CLASSES, TEKUN,
        QT_TRANSLATE_NOOP("validation", "特困人员不同时纳入低保"),
    ),
    ExclusiveCategories(
        POVERTY_STATES, POVERTY_STATES,
        QT_TRANSLATE_NOOP("validation", "建档立卡未脱贫、已脱贫、返贫同一时间只能有一种"),
    ),
)  # fmt: skip


def category_conflicts(
    category: HouseholdCategory,
    start: dt.date,
    end: dt.date | None,
    existing: Iterable[CategoryPeriod],
) -> list[FieldProblem]:
    """Problems with adding ``category`` for ``start``–``end`` next to ``existing`` records.

    The same category twice over one day is refused (the record would be counted twice),
    and so are two categories of one rule in :data:`EXCLUSIVE_CATEGORIES`.
    """
    problems: list[FieldProblem] = []
    for other in existing:
        if not other.overlaps(start, end):
            continue
        params = {"label": other.category.label, "period": period_text(other.start, other.end)}
        if other.category is category:
            problems.append(
                _problem(
                    HOUSEHOLD_FIELDS, "start_date",
                    QT_TRANSLATE_NOOP(
                        "validation",
                        "本户已有“{label}”（{period}），时间与此重叠。同一类别不能重复登记：请把开始日期改到原记录结束之后，或先结束原记录",
                    ),
                    **params,
                )
            )  # fmt: skip
            continue
        rule = next((r for r in EXCLUSIVE_CATEGORIES if r.forbids(category, other.category)), None)
        if rule is not None:
            problems.append(
                _problem(
                    HOUSEHOLD_FIELDS, "category",
                    QT_TRANSLATE_NOOP(
                        "validation",
                        "本户已有“{label}”（{period}），与所选类别不能同时存在（{reason}）。请先结束“{label}”，或改选类别、调整日期",
                    ),
                    reason=rule.reason, **params,
                )
            )  # fmt: skip
    return problems


# Person fields holding a code of one vocabulary; the history shows the label instead.
FIELD_VOCABULARIES: dict[str, type[Labelled]] = {
    "labour_ability": LabourAbility,
    "self_care": SelfCare,
    "employment": Employment,
    "schooling_stage": SchoolingStage,
    "child_status": ChildStatus,
    "disability_category": DisabilityCategory,
    "disability_check": CertificateCheck,
    "relation": Relation,
    "residence": ResidenceType,
}
GRADE_LABELS: dict[int, str] = {
    1: QT_TRANSLATE_NOOP("history", "一级"),
    2: QT_TRANSLATE_NOOP("history", "二级"),
    3: QT_TRANSLATE_NOOP("history", "三级"),
    4: QT_TRANSLATE_NOOP("history", "四级"),
}
_YES, _NO = QT_TRANSLATE_NOOP("history", "是"), QT_TRANSLATE_NOOP("history", "否")


def field_text(field: str, value: object) -> str:
    """A stored value as the clerk reads it in the history: labels, 是/否, 一级…四级.

    Written into the history when the change is made, so old entries keep reading the
    same even if a vocabulary gains or renames a code later. Unknown codes pass through.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _YES if value else _NO
    if isinstance(value, dt.date):
        return value.isoformat()
    if field == "disability_grade" and isinstance(value, int):
        return GRADE_LABELS.get(value, str(value))
    vocabulary = FIELD_VOCABULARIES.get(field)
    if vocabulary is not None:
        try:
            return vocabulary(str(value)).label
        except ValueError:
            return str(value)
    return str(value)


def relation_problem(relation: Relation | None) -> FieldProblem | None:
    if relation is None:
        return _problem(
            PERSON_FIELDS, "relation", QT_TRANSLATE_NOOP("validation", "请选择与户主的关系")
        )
    return None
