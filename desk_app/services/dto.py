"""Frozen read models handed to ``ui`` and ``reports``. No ORM object ever leaves a service.

ID numbers and phones appear here masked only; the full value needs an explicit call
(``HouseholdService.reveal_id_number``) so that default screens, paper and exports
cannot show it by accident (brief: privacy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.intake import CameAs, Channel, Eased, Handling, ReferralStatus, Urgency


@dataclass(frozen=True, slots=True)
class SiteInfo:
    township_name: str
    township_code: str
    window_name: str
    phone: str = ""
    address: str = ""


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
    health_hidden: bool = False
    """The signed-in role may not see health details: those fields are blanked (#8)."""
    child_hidden: bool = False
    """The signed-in role may not see child details: those fields are blanked (#8)."""


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


# ----------------------------------------------------------------------- intake (#4)
@dataclass(frozen=True, slots=True)
class PaperRef:
    code: str
    name: str
    note: str


@dataclass(frozen=True, slots=True)
class RouteProposal:
    """One matter's route: what the catalogue proposes, what was chosen, and why."""

    matter_code: str
    matter_name: str
    handling: Handling
    department_code: str
    department_name: str
    queue: str
    proposed_handling: Handling
    proposed_department_code: str
    proposed_department_name: str
    reason: str
    basis: str
    overridden: bool
    override_reason: str
    papers_received: tuple[PaperRef, ...]
    papers_missing: tuple[PaperRef, ...]
    """一次性告知: every required paper not yet received, told at once."""
    limit_days: int | None
    due_date: dt.date | None
    due_uncertain_years: tuple[int, ...]
    """Years the deadline crossed whose holidays are not known (counted by weekends only)."""
    referral_number: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A matter the household's own data points to, for the clerk to ask about."""

    matter_code: str
    matter_name: str
    person_name: str
    reason: str
    basis: str


@dataclass(frozen=True, slots=True)
class IntakeReceipt:
    """Everything the 受理回执 (D2) prints: the inquiry number, each matter, papers, deadlines."""

    intake_id: int
    number: str
    received_at: dt.datetime
    clerk: str
    township: str
    window: str
    household_id: int
    household_number: str
    village: str
    group_name: str
    head_name: str
    applicant_name: str
    came_as: CameAs
    agent_name: str
    channel: Channel
    urgency: Urgency
    causes: tuple[str, ...]
    note: str
    matters: tuple[RouteProposal, ...]


# -------------------------------------------------------------------- referrals (#4)
@dataclass(frozen=True, slots=True)
class ReferralRow:
    """One line of a referral queue."""

    id: int
    number: str
    status: ReferralStatus
    department_code: str
    department_name: str
    queue: str
    matter_name: str
    household_id: int
    household_number: str
    head_name: str
    village: str
    clerk: str
    created_at: dt.datetime
    due_date: dt.date
    due_uncertain: bool
    days_left: int
    """Working days from today to the due date; negative when overdue."""
    overdue: bool
    due_soon: bool
    reminders: int
    version: int


@dataclass(frozen=True, slots=True)
class ReferralCursor:
    due_date: dt.date
    id: int


@dataclass(frozen=True, slots=True)
class ReferralPage:
    rows: tuple[ReferralRow, ...]
    next_cursor: ReferralCursor | None


@dataclass(frozen=True, slots=True)
class QueueCount:
    department_code: str
    department_name: str
    queue: str
    open: int
    overdue: int
    due_soon: int


@dataclass(frozen=True, slots=True)
class ReferralEventRow:
    at: dt.datetime
    actor: str
    kind: str
    from_status: str
    to_status: str
    note: str
    eased: Eased | None


@dataclass(frozen=True, slots=True)
class ReferralDetail:
    row: ReferralRow
    intake_number: str
    reason: str
    basis: str
    override_reason: str
    papers_missing: tuple[str, ...]
    result: str
    amount: Decimal | None
    result_date: dt.date | None
    return_reason: str
    events: tuple[ReferralEventRow, ...]


@dataclass(frozen=True, slots=True)
class Reminders:
    """What the clerk sees at start-up: overdue referrals and those due today.

    The lists hold at most the first lines (most overdue first); the totals count all, so
    a county with thousands overdue gets a notice that opens at once and says how many
    more the queue holds.
    """

    overdue: tuple[ReferralRow, ...]
    due_today: tuple[ReferralRow, ...]
    overdue_total: int
    due_today_total: int


@dataclass(frozen=True, slots=True)
class KpiRow:
    """Share of a department's referrals answered within their limit, for one month."""

    department_code: str
    department_name: str
    month: str
    """``YYYY-MM`` of the due dates counted."""
    counted: int
    on_time: int
    late: int
    share: float | None
    below_target: bool


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """一户一条救助链: one step of the household's requests, matters and referrals."""

    at: dt.datetime
    kind: str
    intake_number: str
    matter_name: str
    department_name: str
    status: str
    text: str
