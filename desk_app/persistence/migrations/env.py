"""Alembic environment: batch mode for SQLite, the shared naming convention, type compare."""

from __future__ import annotations

import logging

from alembic import context
from sqlalchemy import Engine

from desk_app.persistence import models  # noqa: F401 - registers the tables on Base
from desk_app.persistence.base import Base
from desk_app.persistence.db import make_engine

config = context.config
target_metadata = Base.metadata
log = logging.getLogger(__name__)


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
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
