"""ORM tables. Services read and write these; nothing outside ``desk_app`` sees them.

Schema changes go only through Alembic (``migrations/versions``); a test compares these
classes with the migrated database so the two cannot drift.
Registry data items: domain.md §6.2 (household) and §6.3 (person).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk_app.persistence.base import Base


def search_key(length: int) -> String:
    """A text column searched by prefix range (``key >= q AND key < q || U+10FFFF``).

    The range only holds under code-point order. SQLite compares text that way (BINARY);
    a PostgreSQL database may have been created with a language collation (zh_CN, ICU),
    under which U+10FFFF is not the top, so there the column itself collates as "C"
    (migration 0007, docs/database.md).
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Site(Base):
    """The one service window this database belongs to (asked at first start)."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    township_name: Mapped[str] = mapped_column(String(60))
    township_code: Mapped[str] = mapped_column(String(12))
    window_name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(40), default="", server_default=text("''"))
    """Inquiry and objection phone printed on receipts, slips and notices (#6)."""
    address: Mapped[str] = mapped_column(String(100), default="", server_default=text("''"))
    household_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Last 户编号 running number handed out; incremented inside the registering
    transaction, so two windows on one server never get the same number."""
    intake_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Last 受理编号 running number (the inquiry number printed on the receipt)."""
    referral_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Last 转介编号 running number."""
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
    name: Mapped[str] = mapped_column(search_key(40), index=True)
    name_initials: Mapped[str] = mapped_column(search_key(40), index=True)
    id_number: Mapped[str] = mapped_column(search_key(18), unique=True)
    id_rev: Mapped[str] = mapped_column(search_key(18), index=True)
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

    gram: Mapped[str] = mapped_column(search_key(2), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    name: Mapped[str] = mapped_column(search_key(40))

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


# ----------------------------------------------------------------------------------
# 一门受理、协同办理: catalogue, parameters, holidays, intake and referrals (issue #4).
# Catalogue rows are seeded by migration 0002 from domain.md §1, §3.2 and §5 and are
# editable by an administrator; codes are stable keys, names are what clerks read.
# ----------------------------------------------------------------------------------


class Department(Base):
    """A receiving body: an outside department (a referral queue) or 民政 itself."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    queue: Mapped[str] = mapped_column(String(20))
    in_house: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Paper(Base):
    """A paper an applicant may have to bring (一次性告知 lists are built from these)."""

    __tablename__ = "paper"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MatterType(Base):
    """An item of the matter catalogue and its default route (the routing matrix row)."""

    __tablename__ = "matter_type"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    group_name: Mapped[str] = mapped_column(String(30))
    handling: Mapped[str] = mapped_column(String(10))
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"))
    reason: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("handling IN ('window', 'referral')", name="handling"),)


class MatterPaper(Base):
    __tablename__ = "matter_paper"

    matter_code: Mapped[str] = mapped_column(
        ForeignKey("matter_type.code", ondelete="CASCADE"), primary_key=True
    )
    paper_code: Mapped[str] = mapped_column(ForeignKey("paper.code"), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Cause(Base):
    """A stated hardship cause (因病, 因残 …; domain.md §4.2, §6.2)."""

    __tablename__ = "cause"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Parameter(Base):
    """A value the seeds leave open, valid from a date, for a locality ('' = everywhere).

    Rows are never edited in place: a change adds a row with a later ``effective_from``,
    so past decisions keep the value they were made with.
    """

    __tablename__ = "parameter"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    locality: Mapped[str] = mapped_column(String(40), default="")
    effective_from: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(Text)
    """JSON: a number, a string, or null for "must be set locally"."""
    unit: Mapped[str] = mapped_column(String(20), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (
        Index("uq_parameter_key_locality_from", "key", "locality", "effective_from", unique=True),
    )


class HolidayDay(Base):
    """An administrator's entry in the holiday table: a day off or a 调休 working day."""

    __tablename__ = "holiday_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")


class HolidayYear(Base):
    """A year the administrator has finished entering (its deadlines become certain)."""

    __tablename__ = "holiday_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Intake(Base):
    """诉求: one visit to the window, with everything the household asked for (一门受理)."""

    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    came_as: Mapped[str] = mapped_column(String(16))
    agent_name: Mapped[str] = mapped_column(String(40), default="")
    agent_relation: Mapped[str] = mapped_column(String(20), default="")
    channel: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(12))
    causes: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of cause codes."""
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    clerk: Mapped[str] = mapped_column(String(40))

    matters: Mapped[list[IntakeMatter]] = relationship(
        back_populates="intake", order_by="IntakeMatter.id", cascade="all, delete-orphan"
    )


class IntakeMatter(Base):
    """One matter asked for, its route (proposed and chosen) and its papers."""

    __tablename__ = "intake_matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id", ondelete="CASCADE"), index=True)
    matter_code: Mapped[str] = mapped_column(ForeignKey("matter_type.code"))
    handling: Mapped[str] = mapped_column(String(10))
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"))
    proposed_handling: Mapped[str] = mapped_column(String(10))
    proposed_department: Mapped[str] = mapped_column(String(40))
    route_reason: Mapped[str] = mapped_column(Text, default="")
    route_basis: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    papers_received: Mapped[str] = mapped_column(Text, default="[]")
    papers_missing: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)

    intake: Mapped[Intake] = relationship(back_populates="matters")
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="matter", order_by="Referral.id"
    )

    __table_args__ = (CheckConstraint("handling IN ('window', 'referral')", name="handling"),)


class Referral(Base):
    """转介: a matter handed to a department and followed until it replies."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("intake_matter.id", ondelete="CASCADE"), index=True
    )
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"))
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    limit_days: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date] = mapped_column(Date)
    due_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the department's reply (办结 or 退回) was recorded at the window."""
    result: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    result_date: Mapped[dt.date | None] = mapped_column(Date)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer)

    matter: Mapped[IntakeMatter] = relationship(back_populates="referrals")
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sent', 'accepted', 'done', 'returned')", name="status"
        ),
        Index("ix_referral_department_status_due", "department_code", "status", "due_date"),
        # The queue's order (keyset paging by due date, then id): a page is an index read,
        # not a sort of the county's referrals (issue #10, docs/performance.md).
        Index("ix_referral_due_id", "due_date", "id"),
    )


class ReferralEvent(Base):
    """Every transition, reminder and follow-up of a referral: who, when and why."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    hardship_eased: Mapped[str | None] = mapped_column(String(12))

    referral: Mapped[Referral] = relationship(back_populates="events")


class RuleSet(Base):
    """A locality's assistance parameter set (issue #5, domain.md §0 design consequence).

    The seeds' localities ship as read-only examples (``example``); a township picks one or
    copies it into its own set and edits the copy.
    """

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    example: Mapped[bool] = mapped_column(Boolean, default=False)
    based_on: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")

    values: Mapped[list[RuleValue]] = relationship(
        back_populates="rule_set", order_by="RuleValue.id", cascade="all, delete-orphan"
    )


class RuleValue(Base):
    """One dated value of one parameter in a set. Append-only: a change is a new row, so the
    history is the audit trail and a past day still answers with the value it had.
    """

    __tablename__ = "rule_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(String(40))
    """Decimal text, or NULL for a value the seeds leave open (xx 倍, xx 小时)."""
    unit: Mapped[str] = mapped_column(String(20), default="")
    effective_from: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")

    rule_set: Mapped[RuleSet] = relationship(back_populates="values")

    __table_args__ = (
        Index("uq_rule_value_set_key_from", "rule_set_id", "key", "effective_from", unique=True),
    )


class RuleSetChoice(Base):
    """Which set the window uses, from when and chosen by whom; the newest row is in force."""

    __tablename__ = "rule_set_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"))
    chosen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")


class AssessmentRecord(Base):
    """A reviewer's decision on a computation, with everything the computation used.

    ``snapshot`` holds the facts, the parameter values in force and every computation as
    JSON, so a later change to the parameter set never rewrites what was decided.
    """

    __tablename__ = "assessment_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[dt.date] = mapped_column(Date)
    rule_set_code: Mapped[str] = mapped_column(String(40))
    subject_key: Mapped[str] = mapped_column(String(80))
    proposed: Mapped[str] = mapped_column(String(60), default="")
    decided: Mapped[str] = mapped_column(String(60))
    differs: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")


class Notice(Base):
    """A 公示 sheet (D7 审核/审批结果公示, D8 长期公示) and its objection period (issue #6).

    The rows are copied into :class:`NoticeEntry` when the notice is drafted, so what was
    posted stays what it was even when the registry changes afterwards.
    """

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    stage: Mapped[str] = mapped_column(String(12))
    scheme: Mapped[str] = mapped_column(String(40))
    village: Mapped[str | None] = mapped_column(String(60))
    """None: the whole township."""
    period_label: Mapped[str] = mapped_column(String(40))
    paper: Mapped[str] = mapped_column(String(16))
    mask_names: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(8))
    posted_on: Mapped[dt.date | None] = mapped_column(Date)
    objection_days: Mapped[int | None] = mapped_column(Integer)
    objection_until: Mapped[dt.date | None] = mapped_column(Date)
    objection_phone: Mapped[str] = mapped_column(String(40), default="")
    objection_address: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")
    version: Mapped[int] = mapped_column(Integer)

    entries: Mapped[list[NoticeEntry]] = relationship(
        back_populates="notice", order_by="NoticeEntry.sort", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'posted', 'closed')", name="status"),
        CheckConstraint("stage IN ('review', 'approval', 'standing')", name="stage"),
    )


class NoticeEntry(Base):
    """One household as printed on a notice: only the columns a 公示 may show."""

    __tablename__ = "notice_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    sort: Mapped[int] = mapped_column(Integer)
    head_name: Mapped[str] = mapped_column(String(40))
    village_group: Mapped[str] = mapped_column(String(100))
    people_covered: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    monthly_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    period: Mapped[str] = mapped_column(String(40))

    notice: Mapped[Notice] = relationship(back_populates="entries")

    __table_args__ = (Index("uq_notice_entry_household", "notice_id", "household_id", unique=True),)


class Objection(Base):
    """An objection raised during a notice's period, and how it was settled."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")
    resolved_by: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (CheckConstraint("status IN ('open', 'upheld', 'dismissed')", name="status"),)


class ArchivedDocument(Base):
    """A printed or exported document, stored byte for byte (issue #6: the hall can show
    later exactly what was posted or signed). One row per distinct PDF."""

    __tablename__ = "archived_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(100))
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="SET NULL"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pages: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")


class DocumentEvent(Base):
    """Who printed, saved or published which archived document, and when (privacy log)."""

    __tablename__ = "document_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("archived_document.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (CheckConstraint("action IN ('print', 'pdf', 'publish')", name="action"),)


# ----------------------------------------------------------------------------------
# 台账 and 台账比对 (issue #7): external rosters as imported, remembered column mappings,
# and the near-relative register (近亲属备案, domain.md §3.4, §6.2, §7 T15).
# ----------------------------------------------------------------------------------


class RosterMapping(Base):
    """A named column mapping the clerk saved ("扶贫办季度名单"), reused for the next file."""

    __tablename__ = "roster_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    columns: Mapped[str] = mapped_column(Text)
    """JSON list of ``[header in the file, field code]``."""
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")


class Roster(Base):
    """An external list as it was imported (建档立卡, 残联, county 低保 …; domain.md §3.5).

    A list is kept as it came and compared with the register; importing it never changes
    the register. One list per kind and list date: a new file for the same date replaces
    the earlier import only when the clerk asks.
    """

    __tablename__ = "roster"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100), default="")
    as_of: Mapped[dt.date] = mapped_column(Date)
    """The list's own date (名单日期), as the sender states it."""
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    sheet: Mapped[str] = mapped_column(String(100), default="")
    header_row: Mapped[int] = mapped_column(Integer)
    mapping: Mapped[str] = mapped_column(Text)
    """JSON list of ``[header, field code]`` used for this import."""
    per_person: Mapped[bool] = mapped_column(Boolean, default=False)
    """One row per person (the list has a 户主身份证号 column)."""
    row_count: Mapped[int] = mapped_column(Integer)
    excluded_rows: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of the row numbers the clerk chose to leave out."""
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (
        CheckConstraint(
            "kind IN ('poverty', 'disability', 'dibao', 'tekun', 'other')", name="kind"
        ),
        Index("uq_roster_kind_as_of", "kind", "as_of", unique=True),
    )


class RosterRow(Base):
    """One valid row of an imported list: only the columns mapped to our fields."""

    __tablename__ = "roster_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column(Integer)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    head_id_number: Mapped[str] = mapped_column(String(18), default="")
    household_key: Mapped[str] = mapped_column(String(18))
    village: Mapped[str] = mapped_column(String(60), default="")
    group_name: Mapped[str] = mapped_column(String(30), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    people: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        Index("uq_roster_row_roster_id_number", "roster_id", "id_number", unique=True),
        Index("ix_roster_row_roster_household", "roster_id", "household_key"),
    )


class NearRelativeFiling(Base):
    """近亲属备案: a recipient household related to an official or village cadre.

    The seeds require such cases to be filed, not refused (domain.md §3.4, §6.2; seed
    003_538988cd989ea5d8.txt 篇三; §7 T15: process normally and file the relation).
    """

    __tablename__ = "near_relative_filing"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    """The applicant or recipient the relation is about (None: the household as a whole)."""
    official_name: Mapped[str] = mapped_column(String(40))
    official_position: Mapped[str] = mapped_column(String(60))
    official_unit: Mapped[str] = mapped_column(String(60), default="")
    relationship: Mapped[str] = mapped_column(String(20))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")


class AppUser(Base):
    """Someone who signs in at the window (issue #8). Passwords are stored hashed only."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    """A 部门对接人's own department; None for every other role."""
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_sign_in: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form
    __table_args__ = (
        CheckConstraint(
            "role IN ('clerk', 'reviewer', 'village', 'county', 'department', 'admin')",
            name="role",
        ),
    )


class AuditEntry(Base):
    """Append-only, hash-chained record of every change and every sensitive look (#8).

    ``hash`` = SHA-256 over the previous row's hash and this row's fields, so editing or
    deleting a row breaks the chain from there on (``desk-app audit verify``).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(120))  # composite keys: "(甲, 12)"
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
