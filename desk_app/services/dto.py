"""Frozen read models handed to ``ui`` and ``reports``. No ORM object ever leaves a service.

ID numbers and phones appear here masked only; the full value needs an explicit call
(``HouseholdService.reveal_id_number``) so that default screens, paper and exports
cannot show it by accident (brief: privacy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SiteInfo:
    township_name: str
    township_code: str
    window_name: str


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One line of the search result list."""

    person_id: int
    household_id: int | None
    household_number: str
    name: str
    id_masked: str
    sex: str
    age: int
    relation_label: str
    village: str
    group_name: str


@dataclass(frozen=True, slots=True)
class SearchCursor:
    """Keyset position: the last person already shown.

    Only the id: the sort key is read back in SQL, because in an ID-number search the key
    is the full number, which must not travel to the screen.
    """

    person_id: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    rows: tuple[PersonRow, ...]
    next_cursor: SearchCursor | None
    mode: str
    """How the query was read: ``name``, ``initials``, ``id_suffix``, ``id_exact`` or ``all``."""


@dataclass(frozen=True, slots=True)
class PersonDetail:
    id: int
    household_id: int | None
    relation: str | None
    name: str
    id_masked: str
    sex: str
    birth_date: dt.date
    age: int
    phone_masked: str
    has_phone: bool
    has_disability_cert: bool
    disability_cert_no_masked: str
    """Masked like an ID number: a 残疾人证号 is the holder's ID number plus two digits."""
    disability_category: str | None
    disability_grade: int | None
    disability_check: str | None
    major_illness: bool
    chronic_illness: bool
    mental_disorder: bool
    bedridden: bool
    illness_note: str
    labour_ability: str
    self_care: str
    employment: str
    schooling_stage: str
    boarding: bool
    dropped_out: bool
    child_status: str
    left_behind: bool
    living_alone: bool
    solitary: bool
    note: str
    version: int


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    id: int
    category: str
    start_date: dt.date
    end_date: dt.date | None
    note: str

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True, slots=True)
class HouseholdEventRow:
    at: dt.datetime
    actor: str
    kind: str
    person_name: str
    changes: tuple[tuple[str, str, str], ...]
    """``(field, old, new)`` with personal numbers already masked."""


@dataclass(frozen=True, slots=True)
class HouseholdDetail:
    id: int
    number: str
    township: str
    village: str
    group_name: str
    residence: str
    address: str
    note: str
    version: int
    created_at: dt.datetime
    members: tuple[PersonDetail, ...]
    categories: tuple[CategoryRecord, ...]
    events: tuple[HouseholdEventRow, ...]

    @property
    def head(self) -> PersonDetail | None:
        return next((m for m in self.members if m.relation == "head"), None)
