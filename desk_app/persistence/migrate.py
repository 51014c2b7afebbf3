"""Run Alembic programmatically: the only way the schema is created or changed.

Start-up only needs to know whether the database is at the head revision. That is one
SELECT against ``alembic_version`` compared with :data:`HEAD_REVISION`; Alembic itself
(about 170 ms to import) is loaded only when there is something to migrate. A test keeps
:data:`HEAD_REVISION` equal to the head of the migration scripts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
"""Every revision in ``migrations/versions``, oldest first; extend it with each migration."""
HEAD_REVISION = REVISIONS[-1]

log = logging.getLogger(__name__)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # noqa: PLC0415 - see the module docstring

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def script_head(engine: Engine) -> str | None:
    """The head revision according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != HEAD_REVISION


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command  # noqa: PLC0415

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command  # noqa: PLC0415

    command.downgrade(alembic_config(engine), revision)


class NewerSchemaError(RuntimeError):
    """The database was written by a newer version of the program."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def upgrade_if_needed(engine: Engine) -> bool:
    """Bring the schema to head; return whether anything was migrated.

    Raises:
        NewerSchemaError: the database has a revision this program does not know; an
            older program must not touch a newer database.
    """
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return False
    if current is not None and current not in REVISIONS:
        raise NewerSchemaError(current)
    log.info("migrating database schema from %s to %s", current, HEAD_REVISION)
    upgrade(engine)
    return True
