"""Search on PostgreSQL uses indexes in every mode, shown with EXPLAIN (issue #9).

SQLite's plans are checked in test_search_service.py. pg_trgm is not used: like SQLite's
FTS5 trigram it cannot serve 1–2 character patterns, which most Chinese name searches
are; the ``person_name_gram`` table (every 1- and 2-character fragment of every name,
desk_app.domain.names) is the equivalent on both databases, and a B-tree index serves it.
Prefix modes (pinyin initials, ID-number beginning and end) are ranges on B-tree indexes
of columns that collate by code point (migration 0007).

The registry is a demo county of 3,000 households (about 10,000 people) after ANALYZE,
so the planner chooses as it would in a hall, not as on an empty table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services, open_services
from desk_app.demo import generate_demo
from desk_app.services.context import SYSTEM
from desk_app.services.dto import SearchCursor
from desk_app.services.search import PAGE_SIZE, _params, _statement, read_query

pytestmark = pytest.mark.postgresql_only


@pytest.fixture(scope="module")
def county(databases: Any, clock: Any) -> Iterator[tuple[Services, tuple[str, str, str]]]:
    svc = open_services(databases.empty("plans", icu_locale="zh-CN"), clock=clock, identity=SYSTEM)
    generate_demo(svc, 3000, seed=3)
    with svc.engine.connect() as conn:
        conn.execute(text("COMMIT"))
        conn.execute(text("ANALYZE"))
        sample = conn.execute(
            text("SELECT name, name_initials, id_number FROM person ORDER BY id LIMIT 1")
        ).one()
    try:
        yield svc, tuple(sample)
    finally:
        svc.close()


def _plan(svc: Services, query: str, after: SearchCursor | None) -> str:
    mode, normalised = read_query(query)
    stmt = _statement(mode, len(normalised) > 2, after is not None)
    compiled = stmt.compile(dialect=svc.engine.dialect)
    params = compiled.construct_params(_params(mode, normalised, after, PAGE_SIZE + 1))
    with svc.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", params).scalars()
        return "\n".join(rows)


GRAM = ("ix_person_name_gram_gram_name", "pk_person_name_gram")  # both lead with gram
CASES = [
    # (what the clerk typed, built from the sample person, the indexes that may serve it)
    ("1-character name", lambda s: s[0][:1], GRAM),
    ("2-character name", lambda s: s[0][:2], GRAM),
    ("3-character name", lambda s: s[0][:3], GRAM),
    ("2-character given name", lambda s: s[0][-2:], GRAM),
    ("pinyin initials", lambda s: s[1][:2], ("ix_person_name_initials",)),
    ("ID suffix", lambda s: s[2][-4:], ("ix_person_id_rev",)),
    ("ID beginning", lambda s: s[2][:12], ("uq_person_id_number",)),
    ("whole ID number", lambda s: s[2], ("uq_person_id_number",)),
    ("everyone by name", lambda s: "", ("ix_person_name",)),
]


@pytest.mark.parametrize(("what", "typed", "index"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("paged", [False, True], ids=["first page", "next page"])
def test_every_mode_reads_people_through_an_index(
    county: tuple[Services, tuple[str, str, str]],
    what: str,
    typed: Any,
    index: tuple[str, ...],
    paged: bool,
) -> None:
    svc, sample = county
    query = typed(sample)
    plan = _plan(svc, query, SearchCursor(5) if paged else None)
    assert any(f" on {i} " in plan or f"using {i} " in plan for i in index), plan
    assert "Seq Scan on person " not in plan, plan
    assert "Seq Scan on person_name_gram" not in plan, plan
    # and the query finds the sample person (on the first page, whoever else matches)
    if not paged and query:
        rows = svc.search.search(query, limit=500).rows
        assert sample[0] in {r.name for r in rows}, (what, query)
