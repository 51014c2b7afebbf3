"""Alembic environment: batch mode for SQLite, the shared naming convention, type compare.

On PostgreSQL several windows may start the program at the same moment: the migration
runs under an advisory lock (the second waits, then finds the schema at head), and after
it every id sequence is moved past the rows seed data inserted with explicit ids.
"""

from __future__ import annotations

import logging

from alembic import context
from sqlalchemy import Connection, Engine, func, inspect, text

from desk_app.persistence import models  # noqa: F401 - registers the tables on Base
from desk_app.persistence.base import Base
from desk_app.persistence.db import make_engine

config = context.config
target_metadata = Base.metadata
log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x6465736B  # "desk": any constant, the same in every copy of the program


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        return engine
    # Command-line use (alembic -c alembic.ini …): build the engine with our pragmas.
    return make_engine(config.get_main_option("sqlalchemy.url") or "")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            context.run_migrations()
            if postgres:
                _sync_sequences(connection)


def _sync_sequences(connection: Connection) -> None:
    """Move every serial id's sequence past the largest id (seed rows carry explicit ids).

    Only ever forward: a sequence already ahead (rows deleted at the end, or a number a
    second window has drawn for a row not yet committed) keeps its place, so no id is
    handed out twice.
    """
    existing = set(inspect(connection).get_table_names())  # a downgrade removed some
    for table in target_metadata.sorted_tables:
        if table.name not in existing or "id" not in table.c or not table.c.id.primary_key:
            continue
        name = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        if name is None:
            continue
        largest = connection.execute(
            table.select().with_only_columns(func.max(table.c.id))
        ).scalar()
        last, called = connection.execute(text(f"SELECT last_value, is_called FROM {name}")).one()
        if largest is not None and (largest > last or (largest == last and not called)):
            connection.execute(text("SELECT setval(:s, :v, true)"), {"s": name, "v": largest})


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
