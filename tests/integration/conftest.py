"""Shared fixtures for integration tests: real databases, one per test.

By default every test gets its own SQLite file under ``tmp_path``. With
``DESK_APP_TEST_PG`` set to a PostgreSQL admin URL (``scripts/check.sh`` starts a private
server and runs this suite a second time), every test gets its own PostgreSQL database
instead, made from a migrated template; tests marked ``sqlite_only`` (the file itself is
what they test: WAL, crash safety, file backups, drives) are skipped there. Databases are
migrated to head by ``open_services`` exactly as the program does at start-up. Nothing of
ours is mocked. ID numbers are fictional but
carry a valid GB 11643 check character, so they pass the same validation a clerk meets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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


PG_ADMIN_URL = os.environ.get("DESK_APP_TEST_PG", "")
"""A PostgreSQL URL with the right to create databases; empty means SQLite only."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if PG_ADMIN_URL:
        marker, reason = "sqlite_only", "SQLite file behaviour; this run is on PostgreSQL"
    else:
        marker, reason = "postgresql_only", "needs PostgreSQL (DESK_APP_TEST_PG; scripts/check.sh)"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker(marker):
            item.add_marker(skip)


class Databases:
    """Fresh databases for tests, on SQLite files or on one PostgreSQL server.

    Migrating costs about 0.1 s on SQLite and 1.5 s on PostgreSQL, so each kind of
    database (with or without the window's identity saved) is migrated once as a template
    and copied per test: a file copy, or ``CREATE DATABASE … TEMPLATE``. Migrations
    themselves are tested on empty databases in test_migrations.py.
    """

    def __init__(self, tmp: pytest.TempPathFactory, clock: Callable[[], dt.datetime]) -> None:
        self._tmp = tmp
        self._clock = clock
        self._templates: dict[bool, str] = {}
        self._created: list[str] = []
        self.backend = "postgresql" if PG_ADMIN_URL else "sqlite"
        self._admin = (
            create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT") if PG_ADMIN_URL else None
        )

    @property
    def is_sqlite(self) -> bool:
        return self._admin is None

    def empty(self, name: str = "db", *, icu_locale: str = "") -> str:
        """The URL of a new database with nothing in it (not migrated).

        ``icu_locale`` (PostgreSQL only): create it with that language's collation, as an
        administrator in China may well do (``zh-CN`` sorts by pinyin, not code point).
        """
        if self._admin is None:
            return sqlite_url(self._tmp.mktemp(name) / f"{name}.sqlite3")
        clause = (
            f" LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}' TEMPLATE template0"
            if icu_locale
            else ""
        )
        return self._create(f"desk_{name}_{uuid.uuid4().hex[:12]}", clause=clause)

    def fresh(self, *, with_site: bool = True) -> str:
        """The URL of a new database at head; ``with_site``: the window's identity saved."""
        template = self._templates.get(with_site) or self._make_template(with_site)
        if self._admin is None:
            path = self._tmp.mktemp("db") / "t.sqlite3"
            shutil.copyfile(_sqlite_file(template), path)
            return sqlite_url(path)
        # FILE_COPY: for a small template a file copy is twice as fast as WAL_LOG.
        clause = f" TEMPLATE {make_url(template).database} STRATEGY FILE_COPY"
        return self._create(f"desk_t_{uuid.uuid4().hex[:12]}", clause=clause)

    def _make_template(self, with_site: bool) -> str:
        url = self.empty("template")
        svc = open_services(url, clock=self._clock, identity=SYSTEM)
        if with_site:
            svc.site.save(TOWNSHIP_NAME, TOWNSHIP_CODE, WINDOW_NAME)
        svc.close()  # on SQLite the last connection checkpoints WAL into the main file
        self._templates[with_site] = url
        return url

    def _create(self, name: str, *, clause: str = "") -> str:
        assert self._admin is not None
        with self._admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{clause}"))
        self._created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as conn:
            for name in reversed(self._created):
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self._admin.dispose()


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    assert database
    return Path(database)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory, clock: Any) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory, clock)
    yield dbs
    dbs.drop_all()


@pytest.fixture
def db_url(databases: Databases) -> str:
    """This test's own database at head, with the window's identity saved."""
    return databases.fresh()


@pytest.fixture
def db_path(db_url: str) -> Path:
    """This test's own SQLite file (tests that use the file itself are ``sqlite_only``)."""
    if PG_ADMIN_URL:
        pytest.fail("db_path is the SQLite file: mark the test sqlite_only or use db_url")
    return _sqlite_file(db_url)


@pytest.fixture
def services(db_url: str, clock: Any) -> Iterator[Services]:
    """Services on this test's own database, at head, with the window's identity saved."""
    svc = open_services(db_url, clock=clock, identity=SYSTEM)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def bare_services(databases: Databases, clock: Any) -> Iterator[Services]:
    """Services on a fresh, migrated database without a saved site."""
    svc = open_services(databases.fresh(with_site=False), clock=clock, identity=SYSTEM)
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
        # Sorted here, not by rowid: PostgreSQL has none, and the order is not the point.
        return {
            t: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))), key=repr)
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
