"""Alembic migrations on empty SQLite files: up, down, up again, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import desk_app.persistence.models  # noqa: F401 - registers every table on Base.metadata
from desk_app.bootstrap import open_services
from desk_app.persistence import migrate
from desk_app.persistence.base import Base
from desk_app.persistence.db import make_engine, sqlite_url
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


def sqlite_objects(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return sorted(
            (row.type, row.name)
            for row in conn.execute(text("SELECT type, name FROM sqlite_master"))
        )


def test_models_cover_the_expected_tables() -> None:
    assert set(Base.metadata.tables) == EXPECTED_TABLES


def test_upgrade_downgrade_upgrade_without_drift(tmp_path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
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
        # no index, view or trigger left behind either (only alembic_version's own key)
        assert [name for kind, name in sqlite_objects(engine) if kind != "table"] == [
            "sqlite_autoindex_alembic_version_1"
        ]

        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == head
        assert schema_drift(engine) == []

        migrate.upgrade(engine)  # at head: nothing to do, nothing breaks
        assert migrate.current_revision(engine) == head
        assert not migrate.upgrade_if_needed(engine)
    finally:
        engine.dispose()


def test_database_opened_by_the_program_has_no_drift(tmp_path) -> None:
    services = open_services(sqlite_url(tmp_path / "app.sqlite3"), identity=SYSTEM)
    try:
        assert schema_drift(services.engine) == []
        assert not migrate.needs_upgrade(services.engine)
    finally:
        services.close()


def test_one_head_index_is_partial(tmp_path) -> None:
    # compare_metadata matches indexes by name, columns and uniqueness but does not
    # compare a partial index's WHERE clause, so check it in the migrated schema itself.
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            sql = conn.execute(
                text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'uq_person_household_head'"
                )
            ).scalar_one()
        normalised = " ".join(sql.split()).lower()
        assert normalised.startswith(
            "create unique index uq_person_household_head on person (household_id)"
        )
        assert normalised.endswith("where relation = 'head'")
    finally:
        engine.dispose()


def test_foreign_keys_and_checks_exist_in_the_migrated_schema(tmp_path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
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
