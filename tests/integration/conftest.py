"""Shared fixtures for integration tests: real SQLite files under ``tmp_path``.

Every test gets its own database file, migrated to head by ``open_services`` exactly as
the program does at start-up. Nothing of ours is mocked. ID numbers are fictional but
carry a valid GB 11643 check character, so they pass the same validation a clerk meets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.persistence.base import Base
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail

FIXED_NOW = dt.datetime(2024, 6, 15, 9, 30)
FIXED_TODAY = FIXED_NOW.date()
TOWNSHIP_NAME = "测试镇"  # fictional
TOWNSHIP_CODE = "520402102000"
WINDOW_NAME = "社会救助综合服务窗口"
REGION = "520402"

TABLES = (
    "site",
    "household",
    "person",
    "person_name_gram",
    "household_category",
    "household_event",
)

# A full ID number, forwards or reversed (the id_rev search key), anywhere in a text.
FULL_ID_RE = re.compile(r"[0-9]{17}[0-9X]|X[0-9]{17}")


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


class IdMaker:
    """Fictional, unique, valid 18-character ID numbers.

    The 3-digit sequence carries the sex (odd = male); every number one maker hands out
    is distinct.
    """

    def __init__(self, region: str = REGION) -> None:
        self._region = region
        self._counter = itertools.count(1)
        self._handed_out: set[str] = set()

    def _make(self, birth: dt.date, seq: int) -> str:
        first17 = f"{self._region}{birth:%Y%m%d}{seq:03d}"
        return first17 + check_character(first17)

    def __call__(self, birth: dt.date = dt.date(1980, 1, 1), *, female: bool = False) -> str:
        for n in self._counter:
            assert n < 500, "IdMaker ran out of sequence numbers"
            number = self._make(birth, 2 * n if female else 2 * n + 1)
            if number not in self._handed_out:
                self._handed_out.add(number)
                return number
        raise AssertionError("unreachable")

    def ending_with(self, suffix: str, birth: dt.date = dt.date(1975, 3, 3)) -> str:
        """A new number whose last characters (at most 2) are ``suffix``."""
        assert 1 <= len(suffix) <= 2
        for seq in range(1000):
            number = self._make(birth, seq)
            if number.endswith(suffix) and number not in self._handed_out:
                self._handed_out.add(number)
                return number
        raise AssertionError(f"no sequence gives suffix {suffix!r}")


@pytest.fixture
def make_id() -> IdMaker:
    return IdMaker()


@pytest.fixture(scope="session")
def id_maker_class() -> type[IdMaker]:
    """For module-scoped fixtures, which cannot use the function-scoped ``make_id``."""
    return IdMaker


@pytest.fixture(scope="session")
def clock() -> Callable[[], dt.datetime]:
    return fixed_clock


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "t.sqlite3"


@pytest.fixture(scope="session")
def site_template(tmp_path_factory, clock) -> Path:
    """A database file migrated to head by open_services, with the window's identity saved.

    Migrating costs about 0.1 s; tests copy this file instead (migrations themselves are
    tested on empty files in test_migrations.py).
    """
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    svc = open_services(sqlite_url(path), clock=clock, identity=SYSTEM)
    svc.site.save(TOWNSHIP_NAME, TOWNSHIP_CODE, WINDOW_NAME)
    svc.close()  # the last connection closing checkpoints WAL into the main file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def services(site_template, db_path, clock) -> Iterator[Services]:
    """Services on this test's own SQLite file, at head, with the window's identity saved."""
    shutil.copyfile(site_template, db_path)
    svc = open_services(sqlite_url(db_path), clock=clock, identity=SYSTEM)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def bare_services(db_path, clock) -> Iterator[Services]:
    """Services on a fresh, migrated file without a saved site."""
    svc = open_services(sqlite_url(db_path), clock=clock, identity=SYSTEM)
    try:
        yield svc
    finally:
        svc.close()


def row_counts(services: Services) -> dict[str, int]:
    with services.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def table_dump(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every business table, to prove a failed action changed nothing."""
    with services.engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY rowid"))]
            for t in TABLES
        }


@pytest.fixture
def counts() -> Callable[[Services], dict[str, int]]:
    return row_counts


@pytest.fixture
def dump() -> Callable[[Services], dict[str, list[tuple[Any, ...]]]]:
    return table_dump


def walk_dto(obj: Any, path: str = "result") -> Iterator[tuple[str, Any]]:
    """Yield every dataclass reachable from ``obj`` through fields, tuples and lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        yield path, obj
        for f in dataclasses.fields(obj):
            yield from walk_dto(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from walk_dto(item, f"{path}[{i}]")
    elif isinstance(obj, Base):
        yield path, obj


def assert_safe_dto(obj: Any) -> None:
    """A service result is frozen dataclasses all the way down, with no full ID number."""
    assert not isinstance(obj, Base), "an ORM instance left the service"
    for path, node in walk_dto(obj):
        assert not isinstance(node, Base), f"{path} is an ORM instance"
        params = getattr(type(node), "__dataclass_params__", None)
        assert params is not None, f"{path} ({type(node).__name__}) is not a dataclass"
        assert params.frozen, f"{path} ({type(node).__name__}) is not frozen"
    # Do not put the match into the failure message: it would print a (fictional) ID number.
    assert FULL_ID_RE.search(repr(obj)) is None, (
        f"a full ID number appears in repr() of {type(obj).__name__}"
    )


@pytest.fixture
def full_id_re() -> re.Pattern[str]:
    return FULL_ID_RE


@pytest.fixture
def safe_dto() -> Callable[[Any], None]:
    return assert_safe_dto


@pytest.fixture
def register(services: Services, make_id: IdMaker) -> Callable[..., HouseholdDetail]:
    """Register a household whose head is ``name``; returns the HouseholdDetail."""

    def _register(
        name: str = "张伟", id_number: str | None = None, village: str = "红星村", **person: Any
    ) -> HouseholdDetail:
        return services.households.register(
            HouseholdInput(village=village, group_name="一组"),
            PersonInput(name=name, id_number=id_number or make_id(), **person),
        )

    return _register
