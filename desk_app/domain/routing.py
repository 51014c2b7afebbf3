"""Matters a household's own data points to, beyond what it asked for.

The routing matrix itself is data (the catalogue, domain.md §3.2); these rules only
*suggest* extra matters for the clerk to raise — the program never adds or refuses one on
its own. Each rule names its basis in domain.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from desk_app.domain.ids import age_on
from desk_app.domain.registry import CertificateCheck, ChildStatus, DisabilityCategory
from desk_app.i18n import QT_TRANSLATE_NOOP

_C = "routing"


class _PersonLike(Protocol):
    name: str
    birth_date: dt.date
    has_disability_cert: bool
    disability_category: str | None
    disability_grade: int | None
    disability_check: str | None
    mental_disorder: bool
    dropped_out: bool
    child_status: str


@dataclass(frozen=True, slots=True)
class MemberFacts:
    name: str
    age: int
    has_disability_cert: bool
    disability_category: str | None
    disability_grade: int | None
    disability_check: str | None
    mental_disorder: bool
    dropped_out: bool
    child_status: str

    @classmethod
    def of(cls, p: _PersonLike, today: dt.date) -> MemberFacts:
        return cls(
            p.name, age_on(p.birth_date, today), p.has_disability_cert, p.disability_category,
            p.disability_grade, p.disability_check, p.mental_disorder, p.dropped_out, p.child_status,
        )  # fmt: skip

    @property
    def severely_disabled(self) -> bool:
        """重度残疾: grade 1–2, or grade 3 intellectual or mental (domain.md §1.11; 篇九, 篇五)."""
        if not self.has_disability_cert or self.disability_grade is None:
            return False
        if self.disability_grade <= 2:
            return True
        return self.disability_grade == 3 and self.disability_category in (
            DisabilityCategory.INTELLECTUAL.value,
            DisabilityCategory.MENTAL.value,
        )


@dataclass(frozen=True, slots=True)
class SuggestedMatter:
    matter_code: str
    person_name: str
    reason: str
    basis: str


COMPULSORY_SCHOOL_AGE_END = 16


def suggest_matters(members: list[MemberFacts]) -> list[SuggestedMatter]:
    """Catalogue codes worth asking about, one line per member and matter."""
    out: list[SuggestedMatter] = []
    for m in members:
        if m.mental_disorder and not m.has_disability_cert:
            out.append(SuggestedMatter("disability_certificate_new", m.name,
                QT_TRANSLATE_NOOP(_C, "有精神障碍但没有残疾人证：单独列出，转残联评定"),
                "domain.md §1.11 证件管理；§7 T13；seed 003_538988cd989ea5d8.txt 篇五"))  # fmt: skip
        if m.has_disability_cert and m.disability_check == CertificateCheck.NOT_RENEWED.value:
            out.append(SuggestedMatter("disability_certificate_renewal", m.name,
                QT_TRANSLATE_NOOP(_C, "残疾人证逾期未换证：督促年审换证"),
                "domain.md §1.11；§7 T13；seed 003_538988cd989ea5d8.txt 篇五"))  # fmt: skip
        if m.severely_disabled:
            out.append(SuggestedMatter("disability_care_allowance", m.name,
                QT_TRANSLATE_NOOP(_C, "重度残疾（一、二级或三级智力、精神）：可申请重度残疾人护理补贴"),
                "domain.md §1.11；§7 T4；seed 003_538988cd989ea5d8.txt 篇九；seed 001_132aebca7b0b4260.txt"))  # fmt: skip
        if m.dropped_out and m.age < COMPULSORY_SCHOOL_AGE_END:
            out.append(SuggestedMatter("dropout_return", m.name,
                QT_TRANSLATE_NOOP(_C, "义务教育阶段辍学：协调教育部门劝返"),
                "domain.md §1.7；§7 T9；seed 003_538988cd989ea5d8.txt 篇五"))  # fmt: skip
        if m.child_status in (ChildStatus.ORPHAN.value, ChildStatus.DE_FACTO_UNSUPPORTED.value):
            code = (
                "orphan_allowance"
                if m.child_status == ChildStatus.ORPHAN.value
                else "de_facto_unsupported_child"
            )
            out.append(SuggestedMatter(code, m.name,
                QT_TRANSLATE_NOOP(_C, "孤儿或事实无人抚养儿童：纳入基本生活保障"),
                "domain.md §1.12；seed 001_132aebca7b0b4260.txt；seed 003_538988cd989ea5d8.txt 篇五"))  # fmt: skip
        if m.child_status == ChildStatus.IN_DIFFICULTY.value:
            out.append(SuggestedMatter("child_protection", m.name,
                QT_TRANSLATE_NOOP(_C, "困境儿童：报告儿童督导员，分类评估"),
                "domain.md §1.12；seed 000_89b2e135f6acbe8f.txt"))  # fmt: skip
    return out
