"""Alembic migrations on empty databases: up, down, up again, and no drift from the models.

Runs on SQLite files, and on PostgreSQL when the suite runs there (``DESK_APP_TEST_PG``).
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import desk_app.persistence.models  # noqa: F401 - registers every table on Base.metadata
from desk_app.bootstrap import open_services
from desk_app.persistence import migrate
from desk_app.persistence.base import Base
from desk_app.persistence.db import make_engine
from desk_app.services.context import SYSTEM

EXPECTED_TABLES = {
    "site",
    "household",
    "person",
    "person_name_gram",
    "household_category",
    "household_event",
    # 0002: intake and referrals
    "department",
    "paper",
    "matter_type",
    "matter_paper",
    "cause",
    "parameter",
    "holiday_day",
    "holiday_year",
    "intake",
    "intake_matter",
    "referral",
    "referral_event",
    # 0003: assistance parameter sets and decisions
    "rule_set",
    "rule_value",
    "rule_set_choice",
    "assessment_record",
    # 0004: 公示 notices, objections, archived documents and their print log
    "notice",
    "notice_entry",
    "objection",
    "archived_document",
    "document_event",
    # 0005: imported rosters, remembered column mappings, the near-relative register
    "roster",
    "roster_row",
    "roster_mapping",
    "near_relative_filing",
    # 0006: users and the audit log
    "app_user",
    "audit_log",
}


def schema_drift(engine) -> list:
    """Differences autogenerate would write into a new migration; nothing is ignored."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, Base.metadata)


def non_table_objects(engine) -> list[str]:
    """Indexes, views, triggers and sequences: what a downgrade could leave behind."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type != 'table'"
        else:
            sql = (
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('i', 'S', 'v', 'm')"
            )
        return sorted(conn.execute(text(sql)).scalars())


def index_sql(engine, name: str) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
        else:
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
        return str(conn.execute(text(sql), {"name": name}).scalar_one())


def test_models_cover_the_expected_tables() -> None:
    assert set(Base.metadata.tables) == EXPECTED_TABLES


def test_upgrade_downgrade_upgrade_without_drift(databases: Any) -> None:
    engine = make_engine(databases.empty("m"))
    try:
        assert migrate.current_revision(engine) is None
        assert migrate.needs_upgrade(engine)
        head = migrate.script_head(engine)
        assert head == migrate.HEAD_REVISION  # start-up compares against the constant

        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == head
        assert not migrate.needs_upgrade(engine)
        assert set(inspect(engine).get_table_names()) == EXPECTED_TABLES | {"alembic_version"}
        assert schema_drift(engine) == []

        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        # no index, view, trigger or sequence left behind either (only alembic_version's key)
        assert non_table_objects(engine) == [
            "sqlite_autoindex_alembic_version_1" if databases.is_sqlite else "alembic_version_pkc"
        ]

        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == head
        assert schema_drift(engine) == []

        migrate.upgrade(engine)  # at head: nothing to do, nothing breaks
        assert migrate.current_revision(engine) == head
        assert not migrate.upgrade_if_needed(engine)
    finally:
        engine.dispose()


def test_database_opened_by_the_program_has_no_drift(databases: Any) -> None:
    services = open_services(databases.empty("app"), identity=SYSTEM)
    try:
        assert schema_drift(services.engine) == []
        assert not migrate.needs_upgrade(services.engine)
    finally:
        services.close()


def test_one_head_index_is_partial(databases: Any) -> None:
    # compare_metadata matches indexes by name, columns and uniqueness but does not
    # compare a partial index's WHERE clause, so check it in the migrated schema itself.
    engine = make_engine(databases.empty("m"))
    try:
        migrate.upgrade(engine)
        sql = index_sql(engine, "uq_person_household_head")
        normalised = " ".join(sql.split()).lower().replace("public.", "")
        assert normalised.startswith("create unique index uq_person_household_head on ")
        assert "(household_id)" in normalised
        assert (
            normalised.replace("::text", "")
            .replace("(", "")
            .replace(")", "")
            .endswith("where relation = 'head'")
        )
    finally:
        engine.dispose()


def test_foreign_keys_and_checks_exist_in_the_migrated_schema(databases: Any) -> None:
    engine = make_engine(databases.empty("m"))
    try:
        migrate.upgrade(engine)
        insp = inspect(engine)
        person_fks = {
            (fk["referred_table"], tuple(fk["constrained_columns"]))
            for fk in insp.get_foreign_keys("person")
        }
        assert person_fks == {("household", ("household_id",))}
        gram_fks = insp.get_foreign_keys("person_name_gram")
        assert gram_fks[0]["options"].get("ondelete") == "CASCADE"
        checks = {c["name"] for c in insp.get_check_constraints("person")}
        assert {
            "ck_person_sex",
            "ck_person_disability_grade",
            "ck_person_relation_with_household",
        } <= checks
    finally:
        engine.dispose()


@pytest.mark.postgresql_only
def test_sequences_pass_seeded_ids_and_never_move_back(databases: Any) -> None:
    """Seed rows carry explicit ids; the next id must come after them, and a migration
    must not pull a sequence back to ids another window has already drawn."""
    engine = make_engine(databases.fresh())
    try:
        with engine.begin() as conn:
            seq = conn.execute(text("SELECT pg_get_serial_sequence('rule_set', 'id')")).scalar()
            seeded = conn.execute(text("SELECT max(id) FROM rule_set")).scalar()
            first = conn.execute(text(f"SELECT nextval('{seq}')")).scalar()
            assert first == seeded + 1
            for _ in range(3):  # drawn by another window, rows not (yet) stored
                drawn = conn.execute(text(f"SELECT nextval('{seq}')")).scalar()
        migrate.upgrade(engine)  # runs the sequence fix-up again
        with engine.begin() as conn:
            assert conn.execute(text(f"SELECT nextval('{seq}')")).scalar() == drawn + 1
    finally:
        engine.dispose()
