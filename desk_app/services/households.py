"""Register and edit households and their members (户籍与家庭成员).

Rules kept here: one person per ID number; a person belongs to at most one household and
moving them is an explicit action that never leaves a household empty; one 户主 per
household; 户编号 come from the site's running counter; a household's categories neither
repeat nor clash over time (``domain.household.category_conflicts``); edits carry the
version the clerk saw so two windows cannot overwrite each other silently. The history
stores what the clerk reads (labels, 是/否, masked numbers), not codes. Data items:
domain.md §6.2–§6.3.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from enum import Enum
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from desk_app.domain.household import (
    HOUSEHOLD_FIELDS,
    PERSON_FIELDS,
    CategoryPeriod,
    HouseholdInput,
    PersonInput,
    category_conflicts,
    category_text,
    field_text,
    normalize_phone,
    relation_problem,
    validate_category_period,
    validate_household,
    validate_person,
)
from desk_app.domain.ids import IdNumber, age_on, mask_id_number, mask_phone, normalize_id_number
from desk_app.domain.names import normalize_name, search_keys
from desk_app.domain.registry import ChildStatus, DisabilityCategory, HouseholdCategory, Relation
from desk_app.domain.security import Permission
from desk_app.errors import (
    ConcurrentEditError,
    ConflictError,
    FieldProblem,
    NotFoundError,
    ValidationError,
)
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    Household,
    HouseholdCategoryRecord,
    HouseholdEvent,
    Person,
    PersonNameGram,
    Site,
)
from desk_app.services import audit
from desk_app.services.context import ServiceContext, requires
from desk_app.services.dto import (
    CategoryRecord,
    HouseholdDetail,
    HouseholdEventRow,
    PersonDetail,
)
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

EVENTS_SHOWN = 200
_STALE = QT_TRANSLATE_NOOP(
    "errors",
    "{what}已被其他窗口修改（您看到的是第{seen}版，现在是第{now}版）。请重新载入后再修改。",
)

# Fields the form only saw masked: None in the input means "keep what is stored".
_KEEP_WHEN_NONE = frozenset({"disability_cert_no"})
# Fields copied from the form onto the row as they are (enums stored by their code).
_PLAIN_FIELDS = tuple(
    f for f in PERSON_FIELDS if f not in {"name", "id_number", "relation", "phone"}
)


class HouseholdService:
    """Use cases of the registry page. Every public method is one unit of work."""

    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # ----------------------------------------------------------------- reading
    @requires(Permission.READ_REGISTRY)
    def get(self, household_id: int) -> HouseholdDetail:
        with self._uow(write=False) as uow:
            return self._detail(uow.session, household_id)

    @requires(Permission.REVEAL_FULL)
    def reveal_id_number(self, person_id: int) -> str:
        """The full ID number, for the rare screen that needs it (never the default).

        Every look is audited (issue #8): who, when, whose number.
        """
        return self._reveal(person_id, "id_number")

    @requires(Permission.REVEAL_FULL)
    def reveal_phone(self, person_id: int) -> str:
        """The full phone number (audited like the ID number)."""
        return self._reveal(person_id, "phone")

    def _reveal(self, person_id: int, field_name: str) -> str:
        with self._uow(write=True) as uow:
            person = uow.session.get(Person, person_id)
            if person is None:
                raise NotFoundError(_not_found_person())
            value = str(getattr(person, field_name))
            audit.record(
                uow.session, self._context, "reveal", "person", person_id, field=field_name
            )
            uow.commit()
            log.info("full %s shown: person=%s", field_name, person_id)
            return value

    @requires(Permission.READ_REGISTRY)
    def household_of_id_number(self, id_number: str) -> int | None:
        """The household holding this ID number, for "already registered" hints."""
        with self._uow(write=False) as uow:
            return uow.session.scalar(
                select(Person.household_id).where(
                    Person.id_number == normalize_id_number(id_number)
                )
            )

    @requires(Permission.READ_REGISTRY)
    def villages(self) -> tuple[str, ...]:
        """Every village (村/社区) a household is registered in, sorted: the form's completer."""
        with self._uow(write=False) as uow:
            # DISTINCT over the village index: no sort and no table scan.
            return tuple(
                uow.session.scalars(
                    select(Household.village)
                    .where(Household.village != "")
                    .distinct()
                    .order_by(Household.village)
                )
            )

    # ----------------------------------------------------------------- writing
    @requires(Permission.EDIT_REGISTRY)
    def register(self, household: HouseholdInput, head: PersonInput) -> HouseholdDetail:
        """Create a household with its 户主 in one transaction.

        Problems with the 户主's fields come back as ``head.<field>`` (``head.name``,
        ``head.note``): the household and the person form both have a ``note``.
        """
        today = self._context.today()
        problems = validate_household(household)
        person_problems, parsed = validate_person(head, today)
        if head.id_number is None:
            person_problems.append(_id_required())
        _raise_if(problems + [_of_head(p) for p in person_problems])
        assert parsed is not None
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            reserved = take_household_numbers(s, 1)
            if reserved is None:
                raise ValidationError([_site_missing()])
            site, seq = reserved
            self._ensure_id_free(s, parsed.value, None)
            row = Household(
                number=household_number(site.township_code, seq),
                township=site.township_name,
                village=household.village.strip(),
                group_name=household.group_name.strip(),
                residence=household.residence.value,
                address=household.address.strip(),
                note=household.note.strip(),
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            person = self._new_person(s, row.id, Relation.HEAD, head, parsed, now)
            self._event(s, row.id, person.id, "registered", {})
            uow.commit()
            log.info("household registered: household=%s person=%s", row.id, person.id)
            return self._detail(s, row.id)

    @requires(Permission.EDIT_REGISTRY)
    def update_household(
        self, household_id: int, expected_version: int, data: HouseholdInput
    ) -> HouseholdDetail:
        _raise_if(validate_household(data))
        with self._uow(write=True) as uow:
            s = uow.session
            row = self._household(s, household_id, expected_version)
            new = {
                "village": data.village.strip(),
                "group_name": data.group_name.strip(),
                "residence": data.residence.value,
                "address": data.address.strip(),
                "note": data.note.strip(),
            }
            changes = _assign(row, new)
            if changes:
                _touch(row, self._context.clock())
                self._event(s, row.id, None, "household_updated", changes)
                uow.commit()
                log.info("household updated: household=%s fields=%s", row.id, sorted(changes))
            return self._detail(s, household_id)

    @requires(Permission.EDIT_REGISTRY)
    def add_member(
        self, household_id: int, data: PersonInput, relation: Relation | None
    ) -> HouseholdDetail:
        today = self._context.today()
        problems, parsed = validate_person(data, today)
        if data.id_number is None:
            problems.append(_id_required())
        rel_problem = relation_problem(relation)
        if rel_problem:
            problems.append(rel_problem)
        _raise_if(problems)
        assert parsed is not None
        assert relation is not None
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            row = self._household(s, household_id, None)
            if relation is Relation.HEAD and _head_of(row) is not None:
                raise ValidationError([_head_taken()])
            self._ensure_id_free(s, parsed.value, None)
            person = self._new_person(s, row.id, relation, data, parsed, now)
            _touch(row, now)
            self._event(s, row.id, person.id, "member_added", {})
            uow.commit()
            log.info("member added: household=%s person=%s", row.id, person.id)
            return self._detail(s, household_id)

    @requires(Permission.EDIT_REGISTRY)
    def update_person(
        self,
        person_id: int,
        expected_version: int,
        data: PersonInput,
        relation: Relation | None,
    ) -> HouseholdDetail:
        """Change a member's data; ``data.id_number`` None keeps the stored number."""
        today = self._context.today()
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            person = self._person(s, person_id, expected_version)
            household = person.household
            # Checked before anything changes: the result is the household's detail, and a
            # person outside every household has none to show.
            if household is None:
                raise NotFoundError(_not_found_household())
            data = _keep_hidden(person, data, self._context)
            problems, parsed = validate_person(data, today, person.birth_date)
            rel_problem = relation_problem(relation)
            if rel_problem:
                problems.append(rel_problem)
            _raise_if(problems)
            assert relation is not None
            if parsed is not None and parsed.value != person.id_number:
                self._ensure_id_free(s, parsed.value, person.id)
            new_relation = relation.value
            if new_relation != person.relation and Relation.HEAD.value in (
                new_relation,
                person.relation,
            ):
                raise ValidationError([_use_change_head()])
            changes = self._apply_person(person, data, parsed)
            if new_relation != person.relation:
                changes["relation"] = (person.relation, new_relation)
                person.relation = new_relation
            if changes:
                person.updated_at = now
                self._write_search_keys(s, person, name_changed="name" in changes)
                _touch(household, now)
                self._event(s, household.id, person.id, "person_updated", changes)
                uow.commit()
                log.info("person updated: person=%s fields=%s", person.id, sorted(changes))
            return self._detail(s, household.id)

    @requires(Permission.EDIT_REGISTRY)
    def move_person(
        self,
        person_id: int,
        expected_version: int,
        target_household_id: int,
        relation: Relation,
    ) -> HouseholdDetail:
        """Move a member to another household (户内迁移). Returns the target household."""
        now = self._context.clock()
        with self._uow(write=True) as uow:
            s = uow.session
            person = self._person(s, person_id, expected_version)
            target = self._household(s, target_household_id, None)
            source = person.household
            if source is not None and source.id == target.id:
                raise ValidationError([_same_household()])
            if source is not None and len(source.members) == 1:
                raise ValidationError([_only_member()])
            if (
                source is not None
                and person.relation == Relation.HEAD.value
                and len(source.members) > 1
            ):
                raise ValidationError([_head_must_change_first()])
            if relation is Relation.HEAD and _head_of(target) is not None:
                raise ValidationError([_head_taken()])
            if source is not None:
                _touch(source, now)
                self._event(
                    s,
                    source.id,
                    person.id,
                    "member_moved_out",
                    {"household": (source.number, target.number)},
                )
            person.household_id = target.id
            person.relation = relation.value
            person.updated_at = now
            _touch(target, now)
            from_number = source.number if source is not None else ""
            self._event(
                s,
                target.id,
                person.id,
                "member_moved_in",
                {"household": (from_number, target.number)},
            )
            uow.commit()
            log.info("person moved: person=%s to household=%s", person.id, target.id)
            return self._detail(s, target.id)

    @requires(Permission.EDIT_REGISTRY)
    def change_head(
        self,
        household_id: int,
        expected_version: int,
        new_head_id: int,
        former_head_relation: Relation,
    ) -> HouseholdDetail:
        """Make another member the 户主; the former head gets ``former_head_relation``."""
        if former_head_relation is Relation.HEAD:
            raise ValidationError([_former_head_relation()])
        with self._uow(write=True) as uow:
            s = uow.session
            row = self._household(s, household_id, expected_version)
            new_head = next((m for m in row.members if m.id == new_head_id), None)
            if new_head is None:
                raise NotFoundError(_not_found_person())
            old_head = _head_of(row)
            if old_head is not None and old_head.id == new_head.id:
                return self._detail(s, household_id)
            if old_head is not None:
                old_head.relation = former_head_relation.value
                s.flush()  # the partial unique index allows one head at a time
            previous = new_head.relation
            new_head.relation = Relation.HEAD.value
            _touch(row, self._context.clock())
            self._event(
                s,
                row.id,
                new_head.id,
                "head_changed",
                {"relation": (previous, Relation.HEAD.value)},
            )
            uow.commit()
            log.info("head changed: household=%s person=%s", row.id, new_head.id)
            return self._detail(s, household_id)

    @requires(Permission.EDIT_REGISTRY)
    def add_category(
        self,
        household_id: int,
        category: HouseholdCategory,
        start_date: dt.date,
        end_date: dt.date | None = None,
        note: str = "",
    ) -> HouseholdDetail:
        _raise_if(validate_category_period(category, start_date, end_date))
        with self._uow(write=True) as uow:
            s = uow.session
            row = self._household(s, household_id, None)
            known = {c.value for c in HouseholdCategory}
            existing = [
                CategoryPeriod(HouseholdCategory(c.category), c.start_date, c.end_date)
                for c in row.categories
                # a code this version does not know (written by a newer one) has no rules
                if c.category in known
            ]
            _raise_if(category_conflicts(category, start_date, end_date, existing))
            s.add(
                HouseholdCategoryRecord(
                    household_id=row.id, category=category.value, start_date=start_date,
                    end_date=end_date, note=note.strip(), created_at=self._context.clock(),
                )
            )  # fmt: skip
            _touch(row, self._context.clock())
            added = category_text(category, start_date, end_date)
            self._event(s, row.id, None, "category_added", {"category": ("", added)})
            uow.commit()
            return self._detail(s, household_id)

    @requires(Permission.EDIT_REGISTRY)
    def end_category(self, record_id: int, end_date: dt.date) -> HouseholdDetail:
        with self._uow(write=True) as uow:
            s = uow.session
            record = s.get(HouseholdCategoryRecord, record_id)
            if record is None:
                raise NotFoundError(
                    Message(
                        "errors", QT_TRANSLATE_NOOP("errors", "找不到这条类别记录，可能已被删除。")
                    )
                )
            category = HouseholdCategory(record.category)
            if record.end_date is not None:
                raise ValidationError([_already_ended(record.end_date)])
            _raise_if(validate_category_period(category, record.start_date, end_date))
            record.end_date = end_date
            _touch(record.household, self._context.clock())
            self._event(
                s,
                record.household_id,
                None,
                "category_ended",
                {
                    "category": (
                        category_text(category, record.start_date, None),
                        category_text(category, record.start_date, end_date),
                    )
                },
            )
            uow.commit()
            return self._detail(s, record.household_id)

    # ----------------------------------------------------------------- helpers
    def _household(self, s: Session, household_id: int, expected_version: int | None) -> Household:
        row = s.get(Household, household_id)
        if row is None:
            raise NotFoundError(_not_found_household())
        if expected_version is not None and row.version != expected_version:
            raise ConcurrentEditError(
                Message(
                    "errors", _STALE, {"what": "该户", "seen": expected_version, "now": row.version}
                )
            )
        return row

    def _person(self, s: Session, person_id: int, expected_version: int) -> Person:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFoundError(_not_found_person())
        if person.version != expected_version:
            raise ConcurrentEditError(
                Message(
                    "errors",
                    _STALE,
                    {"what": "该成员", "seen": expected_version, "now": person.version},
                )
            )
        return person

    def _ensure_id_free(self, s: Session, id_number: str, own_id: int | None) -> None:
        other = s.execute(
            select(Person.id, Person.name, Household.number)
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id_number == id_number)
        ).first()
        if other is not None and other.id != own_id:
            raise ConflictError(
                Message(
                    "errors",
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "身份证号码已登记给“{name}”（户编号 {number}）。同一个人只能登记一次；如需迁入本户，请在原户使用“迁移成员”。",
                    ),
                    {"name": other.name, "number": other.number or "未入户"},
                )
            )

    def _new_person(
        self, s: Session, household_id: int, relation: Relation, data: PersonInput,
        parsed: IdNumber, now: dt.datetime,
    ) -> Person:  # fmt: skip
        person = Person(
            household_id=household_id, relation=relation.value, created_at=now, updated_at=now
        )
        self._apply_person(person, data, parsed)
        s.add(person)
        self._write_search_keys(s, person, name_changed=True)
        return person

    def _apply_person(
        self, person: Person, data: PersonInput, parsed: IdNumber | None
    ) -> dict[str, tuple[Any, Any]]:
        new: dict[str, Any] = {
            "name": normalize_name(data.name),
        }
        if data.phone is not None:
            new["phone"] = normalize_phone(data.phone)
        for field in _PLAIN_FIELDS:
            value = getattr(data, field)
            if value is None and field in _KEEP_WHEN_NONE:
                continue
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, str):
                value = value.strip()
            new[field] = value
        if parsed is not None:
            new.update(id_number=parsed.value, sex=parsed.sex.value, birth_date=parsed.birth_date)
        return _assign(person, new)

    def _write_search_keys(self, s: Session, person: Person, *, name_changed: bool) -> None:
        """Store the keys :func:`search_keys` derives (the demo generator writes the same)."""
        keys = search_keys(person.name, person.id_number)
        person.name_initials = keys.initials
        person.id_rev = keys.id_rev
        s.flush()  # a new person needs its id for the gram rows
        if name_changed:
            s.execute(delete(PersonNameGram).where(PersonNameGram.person_id == person.id))
            if keys.grams:
                s.execute(
                    insert(PersonNameGram),
                    [{"gram": g, "person_id": person.id, "name": person.name} for g in keys.grams],
                )

    def _event(self, s: Session, household_id: int, person_id: int | None, kind: str,
               changes: dict[str, tuple[Any, Any]]) -> None:  # fmt: skip
        safe = {
            k: [_history_value(k, old), _history_value(k, new)] for k, (old, new) in changes.items()
        }
        s.add(
            HouseholdEvent(
                household_id=household_id, person_id=person_id, at=self._context.clock(),
                actor=self._context.actor, kind=kind, detail=json.dumps(safe, ensure_ascii=False),
            )
        )  # fmt: skip

    def _detail(self, s: Session, household_id: int) -> HouseholdDetail:
        row = s.scalars(
            select(Household)
            .where(Household.id == household_id)
            .options(selectinload(Household.members), selectinload(Household.categories))
            # A member list loaded earlier in this unit of work may be stale (a person
            # moved in after it was read); always read the rows as committed.
            .execution_options(populate_existing=True)
        ).first()
        if row is None:
            raise NotFoundError(_not_found_household())
        today = self._context.today()
        events = s.execute(
            select(HouseholdEvent, Person.name)
            .outerjoin(Person, Person.id == HouseholdEvent.person_id)
            .where(HouseholdEvent.household_id == household_id)
            .order_by(HouseholdEvent.id.desc())
            .limit(EVENTS_SHOWN)
        ).all()
        members = sorted(
            row.members, key=lambda m: (m.relation != Relation.HEAD.value, m.birth_date, m.id)
        )
        return HouseholdDetail(
            id=row.id, number=row.number, township=row.township, village=row.village,
            group_name=row.group_name, residence=row.residence, address=row.address,
            note=row.note, version=row.version, created_at=row.created_at,
            members=tuple(
                person_detail(
                    m,
                    today,
                    health=self._context.can(Permission.VIEW_HEALTH),
                    child=self._context.can(Permission.VIEW_CHILD),
                )
                for m in members
            ),
            categories=tuple(
                CategoryRecord(c.id, c.category, c.start_date, c.end_date, c.note) for c in row.categories
            ),
            events=tuple(
                HouseholdEventRow(
                    at=e.at, actor=e.actor, kind=e.kind, person_name=name or "",
                    changes=tuple((k, str(v[0] or ""), str(v[1] or "")) for k, v in json.loads(e.detail).items()),
                )
                for e, name in events
            ),
        )  # fmt: skip


def person_detail(
    p: Person, today: dt.date, *, health: bool = True, child: bool = True
) -> PersonDetail:
    """The member as the screen shows them; ``health``/``child`` False blank the fields that
    role may not see (issue #8 field-level access; PIPL Art. 28 医疗健康, minors)."""
    detail = PersonDetail(
        id=p.id, household_id=p.household_id, relation=p.relation, name=p.name,
        id_masked=mask_id_number(p.id_number), sex=p.sex, birth_date=p.birth_date,
        age=age_on(p.birth_date, today), phone_masked=mask_phone(p.phone) if p.phone else "",
        has_phone=bool(p.phone), has_disability_cert=p.has_disability_cert,
        disability_cert_no_masked=mask_id_number(p.disability_cert_no) if p.disability_cert_no else "", disability_category=p.disability_category,
        disability_grade=p.disability_grade, disability_check=p.disability_check,
        major_illness=p.major_illness, chronic_illness=p.chronic_illness,
        mental_disorder=p.mental_disorder, bedridden=p.bedridden, illness_note=p.illness_note,
        labour_ability=p.labour_ability, self_care=p.self_care, employment=p.employment,
        schooling_stage=p.schooling_stage, boarding=p.boarding, dropped_out=p.dropped_out,
        child_status=p.child_status, left_behind=p.left_behind, living_alone=p.living_alone,
        solitary=p.solitary, note=p.note, version=p.version,
    )  # fmt: skip
    if not health:
        detail = dataclasses.replace(
            detail, disability_category=None, disability_grade=None, major_illness=False,
            chronic_illness=False, mental_disorder=False, bedridden=False, illness_note="",
            health_hidden=True,
        )  # fmt: skip
    if not child:
        detail = dataclasses.replace(
            detail, child_status="none", left_behind=False, dropped_out=False, child_hidden=True
        )
    return detail


_HEALTH_FIELDS = (
    "disability_category", "disability_grade", "major_illness", "chronic_illness",
    "mental_disorder", "bedridden", "illness_note",
)  # fmt: skip
_CHILD_FIELDS = ("child_status", "left_behind", "dropped_out")


def _keep_hidden(person: Person, data: PersonInput, context: ServiceContext) -> PersonInput:
    """A role that saw blanks instead of health or child details must not overwrite them
    with those blanks: keep what is stored."""
    keep: dict[str, object] = {}
    if not context.can(Permission.VIEW_HEALTH):
        keep |= {f: getattr(person, f) for f in _HEALTH_FIELDS}
        if person.disability_category is not None:
            keep["disability_category"] = DisabilityCategory(person.disability_category)
    if not context.can(Permission.VIEW_CHILD):
        keep |= {f: getattr(person, f) for f in _CHILD_FIELDS}
        keep["child_status"] = ChildStatus(person.child_status)
    return dataclasses.replace(data, **keep) if keep else data  # type: ignore[arg-type]


def _touch(row: Household, now: dt.datetime) -> None:
    """Mark the household changed even within the same second, so its version moves on."""
    row.updated_at = now
    flag_modified(row, "updated_at")


def take_household_numbers(s: Session, count: int) -> tuple[Site, int] | None:
    """Reserve ``count`` 户编号 running numbers; return the site and the first one.

    None when the window's identity (the site) has not been saved yet. The counter moves
    in the caller's transaction: a rolled-back registration gives its number back.
    """
    site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
    if site is None:
        return None
    # Added in SQL, not in Python: the UPDATE locks the row on a server database, so two
    # windows registering at once wait for each other instead of both reading the same
    # value (SQLite's BEGIN IMMEDIATE already serialises the write units of work).
    site.household_seq = Site.household_seq + count
    s.flush()
    return site, site.household_seq - count + 1


def household_number(township_code: str, seq: int) -> str:
    """户编号: township code and running number, 520402102000-00017; past 99999 the
    number simply grows a digit (the 5 is a minimum width)."""
    return f"{township_code}-{seq:05d}"


def _assign(row: Any, new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set changed attributes on ``row``; return ``{field: (old, new)}`` for the history."""
    changes: dict[str, tuple[Any, Any]] = {}
    for field, value in new.items():
        old = getattr(row, field, None)
        if old != value:
            changes[field] = (old, value)
            setattr(row, field, value)
    return changes


def _history_value(field: str, value: Any) -> str:
    """What the history stores: numbers masked like every other screen, codes as labels."""
    if value is None:
        return ""
    if field in ("id_number", "disability_cert_no"):
        return mask_id_number(str(value))
    if field == "phone":
        return mask_phone(str(value)) if value else ""
    return field_text(field, value)


def _raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)


def _id_required() -> FieldProblem:
    return FieldProblem(
        "id_number",
        PERSON_FIELDS["id_number"],
        Message("validation", QT_TRANSLATE_NOOP("validation", "请填写身份证号码")),
    )


def _of_head(problem: FieldProblem) -> FieldProblem:
    """A 户主 problem at registration, told apart from the household's own fields."""
    return dataclasses.replace(problem, field=f"head.{problem.field}")


def _site_missing() -> FieldProblem:
    return FieldProblem(
        "site",
        QT_TRANSLATE_NOOP("fields", "窗口信息"),
        Message(
            "validation",
            QT_TRANSLATE_NOOP(
                "validation", "请先在“设置 → 窗口与经办人”中填写本乡镇（街道）和窗口信息"
            ),
        ),
    )


def _already_ended(end_date: dt.date) -> FieldProblem:
    return FieldProblem(
        "end_date",
        HOUSEHOLD_FIELDS["end_date"],
        Message(
            "validation",
            QT_TRANSLATE_NOOP(
                "validation",
                "这条类别记录已于{date}结束，不能再次结束。如需重新纳入，请添加一条新的类别记录",
            ),
            {"date": end_date.isoformat()},
        ),
    )


def _head_of(row: Household) -> Person | None:
    return next((m for m in row.members if m.relation == Relation.HEAD.value), None)


def _head_taken() -> FieldProblem:
    return FieldProblem(
        "relation",
        PERSON_FIELDS["relation"],
        Message(
            "validation",
            QT_TRANSLATE_NOOP("validation", "本户已有户主；如需更换，请使用“变更户主”"),
        ),
    )


def _use_change_head() -> FieldProblem:
    return FieldProblem(
        "relation",
        PERSON_FIELDS["relation"],
        Message(
            "validation",
            QT_TRANSLATE_NOOP("validation", "户主的变更请使用“变更户主”，不能在这里直接修改"),
        ),
    )


def _head_must_change_first() -> FieldProblem:
    return FieldProblem(
        "relation",
        PERSON_FIELDS["relation"],
        Message(
            "validation",
            QT_TRANSLATE_NOOP(
                "validation", "此人是户主，原户还有其他成员。请先在原户“变更户主”，再迁移"
            ),
        ),
    )


def _former_head_relation() -> FieldProblem:
    return FieldProblem(
        "relation",
        PERSON_FIELDS["relation"],
        Message("validation", QT_TRANSLATE_NOOP("validation", "请为原户主选择新的家庭关系")),
    )


def _same_household() -> FieldProblem:
    return FieldProblem(
        "household",
        QT_TRANSLATE_NOOP("fields", "迁入户"),
        Message("validation", QT_TRANSLATE_NOOP("validation", "此人已在该户，请选择另一户")),
    )


def _only_member() -> FieldProblem:
    return FieldProblem(
        "household",
        QT_TRANSLATE_NOOP("fields", "迁入户"),
        Message(
            "validation",
            QT_TRANSLATE_NOOP(
                "validation",
                "此人是原户唯一的成员，迁出后原户将没有成员，而目前还不支持注销户。请改为把要迁入的家人添加到原户，或保留原户、不迁移",
            ),
        ),
    )


def _not_found_household() -> Message:
    return Message(
        "errors", QT_TRANSLATE_NOOP("errors", "找不到该户，可能已被删除或数据库已更换。")
    )


def _not_found_person() -> Message:
    return Message(
        "errors", QT_TRANSLATE_NOOP("errors", "找不到该成员，可能已被删除或数据库已更换。")
    )
