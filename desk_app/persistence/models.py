"""ORM tables. Services read and write these; nothing outside ``desk_app`` sees them.

Schema changes go only through Alembic (``migrations/versions``); a test compares these
classes with the migrated database so the two cannot drift.
Registry data items: domain.md §6.2 (household) and §6.3 (person).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk_app.persistence.base import Base


class Site(Base):
    """The one service window this database belongs to (asked at first start)."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    township_name: Mapped[str] = mapped_column(String(60))
    township_code: Mapped[str] = mapped_column(String(12))
    window_name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Household(Base):
    """户: registered address, urban/rural status and members (domain.md §6.2)."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    township: Mapped[str] = mapped_column(String(60))
    village: Mapped[str] = mapped_column(String(60), index=True)
    group_name: Mapped[str] = mapped_column(String(30), default="")
    residence: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    members: Mapped[list[Person]] = relationship(
        back_populates="household", order_by="Person.id", passive_deletes=True
    )
    categories: Mapped[list[HouseholdCategoryRecord]] = relationship(
        back_populates="household",
        order_by="HouseholdCategoryRecord.start_date",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form
    __table_args__ = (CheckConstraint("residence IN ('urban', 'rural')", name="residence"),)


class Person(Base):
    """人: identity, disability, illness, work, schooling and care flags (domain.md §6.3).

    ``id_rev``, ``name_initials`` and the ``person_name_gram`` rows are search keys kept
    in step by the services (see ``desk_app.domain.names``), never typed by a clerk.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="RESTRICT"), index=True
    )
    relation: Mapped[str | None] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(40), index=True)
    name_initials: Mapped[str] = mapped_column(String(40), index=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    id_rev: Mapped[str] = mapped_column(String(18), index=True)
    sex: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20), default="")
    has_disability_cert: Mapped[bool] = mapped_column(Boolean, default=False)
    disability_cert_no: Mapped[str] = mapped_column(String(30), default="")
    disability_category: Mapped[str | None] = mapped_column(String(16))
    disability_grade: Mapped[int | None] = mapped_column(Integer)
    disability_check: Mapped[str | None] = mapped_column(String(16))
    major_illness: Mapped[bool] = mapped_column(Boolean, default=False)
    chronic_illness: Mapped[bool] = mapped_column(Boolean, default=False)
    mental_disorder: Mapped[bool] = mapped_column(Boolean, default=False)
    bedridden: Mapped[bool] = mapped_column(Boolean, default=False)
    illness_note: Mapped[str] = mapped_column(String(200), default="")
    labour_ability: Mapped[str] = mapped_column(String(16))
    self_care: Mapped[str] = mapped_column(String(16))
    employment: Mapped[str] = mapped_column(String(24))
    schooling_stage: Mapped[str] = mapped_column(String(16))
    boarding: Mapped[bool] = mapped_column(Boolean, default=False)
    dropped_out: Mapped[bool] = mapped_column(Boolean, default=False)
    child_status: Mapped[str] = mapped_column(String(24))
    left_behind: Mapped[bool] = mapped_column(Boolean, default=False)
    living_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    solitary: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    household: Mapped[Household | None] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form
    __table_args__ = (
        CheckConstraint("sex IN ('男', '女')", name="sex"),
        CheckConstraint(
            "disability_grade IS NULL OR disability_grade BETWEEN 1 AND 4", name="disability_grade"
        ),
        CheckConstraint(
            "(household_id IS NULL) = (relation IS NULL)", name="relation_with_household"
        ),
        # At most one 户主 per household, enforced by the database on both back ends.
        Index(
            "uq_person_household_head",
            "household_id",
            unique=True,
            sqlite_where=text("relation = 'head'"),
            postgresql_where=text("relation = 'head'"),
        ),
    )


class PersonNameGram(Base):
    """Every 1- and 2-character slice of a person's name: the substring search index.

    ``name`` is repeated here so a search reads this index alone, in name order, and
    pages by ``(name, person_id)`` without touching ``person`` until the page is known.
    """

    __tablename__ = "person_name_gram"

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    name: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_person_name_gram_gram_name", "gram", "name", "person_id"),)


class HouseholdCategoryRecord(Base):
    """A category or flag held by a household for a period (低保 A类, 特困, 建档立卡 …)."""

    __tablename__ = "household_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    household: Mapped[Household] = relationship(back_populates="categories")

    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),)


class HouseholdEvent(Base):
    """History of a household: what changed, when and by whom (shown on its page).

    ``detail`` is JSON of ``{field: [old, new]}``; it stays in the database and is never
    written to the log files.
    """

    __tablename__ = "household_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="{}")
