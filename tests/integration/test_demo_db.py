"""generate_demo against a real SQLite file: rows, search keys, appending and cancelling.

Failures report counts and row ids, never generated names or numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

import desk_app.demo as demo
from desk_app.bootstrap import Services, open_services
from desk_app.demo import (
    DEMO_ACTOR,
    DEMO_TOWNSHIP,
    DEMO_TOWNSHIP_CODE,
    generate_demo,
    make_id_number,
)
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import age_on, check_id_number
from desk_app.domain.names import pinyin_initials, search_keys
from desk_app.domain.registry import ChildStatus, Relation
from desk_app.errors import Cancelled
from desk_app.jobs import CancelToken
from desk_app.persistence.db import sqlite_url
from desk_app.persistence.models import (
    Household,
    HouseholdCategoryRecord,
    HouseholdEvent,
    Person,
    PersonNameGram,
    Site,
)
from desk_app.services.context import SYSTEM

NOW = dt.datetime(2025, 6, 15, 9, 30)
HOUSEHOLDS = 300


def _open(path: Path) -> Services:
    return open_services(sqlite_url(path), clock=lambda: NOW, identity=SYSTEM)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    """Services on a new, migrated file without a site (conftest's ``services`` has one)."""
    svc = _open(tmp_path / "demo.sqlite3")
    yield svc
    svc.close()


@pytest.fixture
def filled(fresh: Services) -> Services:
    generate_demo(fresh, HOUSEHOLDS, seed=20250615)
    return fresh


def _persons(services: Services) -> list[Person]:
    with services.unit_of_work(write=False) as uow:
        rows = list(uow.session.scalars(select(Person).order_by(Person.id)))
        uow.session.expunge_all()
        return rows


def _count(services: Services, column: InstrumentedAttribute[int]) -> int:
    with services.unit_of_work(write=False) as uow:
        return uow.session.scalar(select(func.count(column))) or 0


def _found(services: Services, query: str, person_id: int) -> bool:
    """Page through the search results until ``person_id`` shows up."""
    page = services.search.search(query)
    while True:
        if any(row.person_id == person_id for row in page.rows):
            return True
        if page.next_cursor is None:
            return False
        page = services.search.search(query, after=page.next_cursor)


def test_summary_matches_what_was_written(fresh: Services) -> None:
    fractions: list[float] = []
    summary = generate_demo(
        fresh, HOUSEHOLDS, seed=1, progress=lambda f, status: fractions.append(f)
    )
    assert summary.households == HOUSEHOLDS == _count(fresh, Household.id)
    assert summary.persons == _count(fresh, Person.id)
    assert HOUSEHOLDS <= summary.persons <= 6 * HOUSEHOLDS
    assert summary.seconds > 0
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(1.0)
    assert _count(fresh, HouseholdEvent.id) == HOUSEHOLDS
    assert _count(fresh, HouseholdCategoryRecord.id) > 0


def test_site_is_created_and_numbers_run_from_one(filled: Services) -> None:
    site = filled.site.get()
    assert site is not None
    assert (site.township_name, site.township_code) == (DEMO_TOWNSHIP, DEMO_TOWNSHIP_CODE)
    with filled.unit_of_work(write=False) as uow:
        rows = uow.session.execute(
            select(Household.number, Household.township, Household.version).order_by(Household.id)
        ).all()
    assert [r.number for r in rows] == [
        f"{DEMO_TOWNSHIP_CODE}-{i:05d}" for i in range(1, HOUSEHOLDS + 1)
    ]
    assert {r.township for r in rows} == {DEMO_TOWNSHIP}
    assert {r.version for r in rows} == {1}
    # the numbers came from the counter a clerk's registration continues from
    with filled.unit_of_work(write=False) as uow:
        assert uow.session.scalar(select(Site.household_seq)) == HOUSEHOLDS


def test_existing_site_is_kept_and_used(fresh: Services) -> None:
    fresh.site.save("锦华街道", "510104003000", "社会救助窗口")
    generate_demo(fresh, 50, seed=3)
    with fresh.unit_of_work(write=False) as uow:
        numbers = list(uow.session.scalars(select(Household.number)))
        townships = set(uow.session.scalars(select(Household.township)))
    assert all(n.startswith("510104003000-") for n in numbers)
    assert townships == {"锦华街道"}
    assert {p.id_number[:2] for p in _persons(fresh)} == {"51"}


def test_every_id_number_is_valid_and_matches_the_row(filled: Services) -> None:
    persons = _persons(filled)
    bad = []
    for p in persons:
        check = check_id_number(p.id_number, NOW.date())
        if check.id is None or check.id.sex.value != p.sex or check.id.birth_date != p.birth_date:
            bad.append(p.id)
    assert bad == []
    assert len({p.id_number for p in persons}) == len(persons)


def test_households_have_one_head_and_plausible_relations(filled: Services) -> None:
    by_household: defaultdict[int, list[Person]] = defaultdict(list)
    for p in _persons(filled):
        assert p.household_id is not None
        by_household[p.household_id].append(p)
    assert len(by_household) == HOUSEHOLDS
    bad: Counter[str] = Counter()
    for members in by_household.values():
        heads = [m for m in members if m.relation == Relation.HEAD.value]
        if len(heads) != 1:
            bad["heads"] += 1
            continue
        if not 1 <= len(members) <= 6:
            bad["size"] += 1
        head = heads[0]
        for m in members:
            if m.relation == Relation.SPOUSE.value and m.sex == head.sex:
                bad["spouse_sex"] += 1
            if m.relation in (Relation.SON.value, Relation.DAUGHTER.value):
                gap = age_on(m.birth_date, NOW.date()) - age_on(head.birth_date, NOW.date())
                if not -40 <= gap <= -18:
                    bad["child_age"] += 1
    assert bad == Counter()


def test_child_statuses_only_under_18(filled: Services) -> None:
    persons = _persons(filled)
    adults_with_status = [
        p.id for p in persons
        if p.child_status != ChildStatus.NONE.value and age_on(p.birth_date, NOW.date()) >= 18
    ]  # fmt: skip
    assert adults_with_status == []


def test_search_keys_and_grams_match_the_household_service(filled: Services) -> None:
    persons = _persons(filled)
    keys = {p.id: search_keys(p.name, p.id_number) for p in persons}
    assert all(p.name_initials == keys[p.id].initials for p in persons)
    assert all(p.id_rev == keys[p.id].id_rev for p in persons)
    assert all(p.version == 1 and p.created_at == NOW for p in persons)
    names = {p.id: p.name for p in persons}
    grams: defaultdict[int, set[str]] = defaultdict(set)
    wrong_name = []
    with filled.unit_of_work(write=False) as uow:
        rows = uow.session.execute(
            select(PersonNameGram.person_id, PersonNameGram.gram, PersonNameGram.name)
        )
        for person_id, gram, name in rows:
            grams[person_id].add(gram)
            if name != names[person_id]:
                wrong_name.append(person_id)
    assert wrong_name == []
    mismatched = [p.id for p in persons if grams[p.id] != set(keys[p.id].grams)]
    assert mismatched == []


def test_registered_event_per_household(filled: Services) -> None:
    with filled.unit_of_work(write=False) as uow:
        events = uow.session.execute(
            select(HouseholdEvent.kind, HouseholdEvent.actor, HouseholdEvent.detail,
                   HouseholdEvent.at, Person.relation)
            .join(Person, Person.id == HouseholdEvent.person_id)
        ).all()  # fmt: skip
    assert len(events) == HOUSEHOLDS
    assert {(e.kind, e.actor, e.detail, e.at, e.relation) for e in events} == {
        ("registered", DEMO_ACTOR, "{}", NOW, Relation.HEAD.value)
    }


def test_household_detail_loads_and_shows_no_full_id_number(
    filled: Services, safe_dto: Callable[[object], None]
) -> None:
    detail = filled.households.get(1)
    assert detail.members
    assert detail.members[0].relation == Relation.HEAD.value
    assert len(detail.events) == 1
    with filled.unit_of_work(write=False) as uow:
        with_cert = uow.session.scalars(
            select(Person.household_id).where(Person.has_disability_cert).limit(20)
        ).all()
    assert with_cert
    for household_id in {1, *with_cert}:
        assert household_id is not None
        safe_dto(filled.households.get(household_id))
    safe_dto(filled.search.search(""))


def test_search_finds_generated_people(filled: Services) -> None:
    persons = _persons(filled)
    two_char = next(p for p in persons if len(p.name) == 2)
    assert _found(filled, two_char.name, two_char.id)
    assert _found(filled, two_char.name[1], two_char.id)
    three_char = next(p for p in persons if len(p.name) == 3)
    assert _found(filled, three_char.name, three_char.id)
    assert _found(filled, three_char.name[1:], three_char.id)
    assert _found(filled, pinyin_initials(three_char.name), three_char.id)
    assert _found(filled, three_char.id_number[-4:], three_char.id)
    assert _found(filled, three_char.id_number, three_char.id)


def test_same_seed_same_data_different_seed_different(tmp_path: Path) -> None:
    def people(name: str, seed: int) -> list[tuple[str, str, str]]:
        svc = _open(tmp_path / name)
        try:
            generate_demo(svc, 100, seed=seed)
            return [(p.name, p.id_number, p.relation or "") for p in _persons(svc)]
        finally:
            svc.close()

    first = people("a.sqlite3", 5)
    assert first == people("b.sqlite3", 5)
    assert first != people("c.sqlite3", 6)


def test_running_twice_appends_without_collisions(filled: Services) -> None:
    before = _count(filled, Person.id)
    summary = generate_demo(filled, 200, seed=99)
    persons = _persons(filled)
    assert len(persons) == before + summary.persons
    assert len({p.id_number for p in persons}) == len(persons)
    with filled.unit_of_work(write=False) as uow:
        numbers = list(uow.session.scalars(select(Household.number).order_by(Household.id)))
    assert numbers == [f"{DEMO_TOWNSHIP_CODE}-{i:05d}" for i in range(1, HOUSEHOLDS + 201)]
    # A clerk's registration continues the same numbering after the demo data.
    id_number = make_id_number(random.Random(0), "520402", dt.date(1970, 3, 8), True, set())
    registered = filled.households.register(
        HouseholdInput(village="龙宫村", group_name="三组"),
        PersonInput(name="测试", id_number=id_number),
    )
    assert registered.number == f"{DEMO_TOWNSHIP_CODE}-{HOUSEHOLDS + 201:05d}"
    assert registered.township == DEMO_TOWNSHIP


def test_rerun_with_the_same_seed_still_gets_unique_numbers(fresh: Services) -> None:
    generate_demo(fresh, 100, seed=8)
    generate_demo(fresh, 100, seed=8)  # same draws: every collision must be re-drawn
    persons = _persons(fresh)
    assert len({p.id_number for p in persons}) == len(persons)
    assert all(check_id_number(p.id_number, NOW.date()).ok for p in persons)


def test_cancel_after_first_batch_writes_nothing(
    fresh: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "BATCH_HOUSEHOLDS", 50)
    token = CancelToken()
    calls: list[float] = []

    def progress(fraction: float, status: str) -> None:
        calls.append(fraction)
        token.cancel()

    with pytest.raises(Cancelled):
        generate_demo(fresh, 200, seed=1, progress=progress, cancel=token)
    assert calls == [pytest.approx(0.25)]
    assert _count(fresh, Household.id) == 0
    assert _count(fresh, Person.id) == 0
    assert _count(fresh, PersonNameGram.person_id) == 0
    assert _count(fresh, HouseholdEvent.id) == 0
    # The database is usable afterwards.
    assert generate_demo(fresh, 10, seed=1).households == 10


def test_zero_households(fresh: Services) -> None:
    summary = generate_demo(fresh, 0, seed=1)
    assert (summary.households, summary.persons) == (0, 0)
    with pytest.raises(ValueError, match="negative"):
        generate_demo(fresh, -1, seed=1)


def test_log_holds_counts_not_personal_data(
    fresh: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="desk_app"):
        generate_demo(fresh, 50, seed=4)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("desk_app"))
    assert "50 households" in text
    persons = _persons(fresh)
    assert not any(p.name in text or p.id_number in text for p in persons)
    assert not re.search(r"\d{17}[\dX]", text)
