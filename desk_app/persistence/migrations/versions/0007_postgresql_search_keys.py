"""PostgreSQL portability: search keys collate by code point; audit columns widened (#9)

The search service finds prefixes with a range, ``key >= q AND key < q || U+10FFFF``
(desk_app/services/search.py). That needs code-point order, which SQLite always uses but a
PostgreSQL database created with a language collation (zh_CN.UTF-8, ICU) does not. The
columns themselves are therefore declared ``COLLATE "C"`` on PostgreSQL; their indexes are
rebuilt by the ALTER. Nothing of that changes on SQLite.

PostgreSQL also enforces VARCHAR lengths, which SQLite never did: two audit columns were
too narrow for values the program writes (the action ``create_first_admin``, composite
keys as entity ids). They are widened on both.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 03:09:21.102995
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_KEYS = (
    ("person", "name", 40),
    ("person", "name_initials", 40),
    ("person", "id_number", 18),
    ("person", "id_rev", 18),
    ("person_name_gram", "gram", 2),
    ("person_name_gram", "name", 40),
)


def _collate(collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, length in SEARCH_KEYS:
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({length}) "
            f'COLLATE "{collation}"'
        )


def upgrade() -> None:
    _collate("C")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column(
            "action",
            existing_type=sa.String(length=16),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "entity_id",
            existing_type=sa.String(length=40),
            type_=sa.String(length=120),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column(
            "entity_id",
            existing_type=sa.String(length=120),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "action",
            existing_type=sa.String(length=40),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
    _collate("default")
