"""Tamper-evident audit (issue #8): who did what, when, to which record.

Two sources write rows, always inside the transaction of the action itself (so an audit
row exists exactly when the change does):

- :func:`install` hooks the session factory: every insert, update and delete of a business
  table is recorded after each flush, with old → new for the columns that changed;
- :func:`record` is called by services for what is not a row change: sign-in, print,
  export, import, showing a masked field in full.

No personal data in free text: ID numbers and phones are masked, names reduced to
``张*伟``, free-text fields (notes, reasons, summaries) recorded only as "已修改", and
blobs and password hashes left out. Rows are hash-chained (SHA-256 over the previous
hash and the row), so :meth:`AuditService.verify` finds the first row that was edited or
deleted. Appending takes the database's write lock (SQLite: ``BEGIN IMMEDIATE``), so two
windows never chain onto the same row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from desk_app.domain.documents import mask_given_name
from desk_app.domain.ids import mask_id_number, mask_phone
from desk_app.domain.security import Permission
from desk_app.persistence.models import AuditEntry
from desk_app.services.context import ServiceContext, requires
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

GENESIS = "0" * 64

# Tables whose rows are history or logs themselves, or search keys: not audited row by row.
_SKIP_TABLES = frozenset(
    {"audit_log", "person_name_gram", "household_event", "archived_document", "document_event"}
)
# Columns never written into the audit, whatever the table.
_SKIP_COLUMNS = frozenset(
    {"password_hash", "pdf", "snapshot", "id_rev", "version", "name_initials"}
)
_MASK_ID = frozenset({"id_number", "head_id_number"})
_MASK_PHONE = frozenset({"phone", "objection_phone"})
_NAMES = frozenset({"name", "head_name", "display_name", "agent_name", "applicant_name"})
_FREE_TEXT = frozenset(
    {
        "note", "illness_note", "summary", "resolution", "reason", "result", "return_reason",
        "override_reason", "route_reason", "address", "detail", "disability_cert_no",
        "source", "objection_address", "statement", "causes",
    }
)  # fmt: skip
CHANGED = "（已修改）"
ENTITY_ID_MAX = 120  # audit_log.entity_id


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str
    detail: str


@dataclass(frozen=True, slots=True)
class Verification:
    rows: int
    first_broken: int | None
    """Id of the first row whose hash does not follow (edited, inserted or a row before it
    deleted); None when the whole chain holds."""


def _safe(column: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    if column in _MASK_ID:
        return mask_id_number(str(value))
    if column in _MASK_PHONE:
        return mask_phone(str(value)) if value else ""
    if column in _NAMES:
        return mask_given_name(str(value))
    if column in _FREE_TEXT:
        return CHANGED if value else ""
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _row_hash(prev: str, at: dt.datetime, actor: str, role: str, action: str,
              entity: str, entity_id: str, detail: str) -> str:  # fmt: skip
    payload = "\x1f".join((prev, at.isoformat(), actor, role, action, entity, entity_id, detail))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _append(session: Session, context: ServiceContext, events: list[tuple[str, str, str, dict[str, Any]]]) -> None:  # fmt: skip
    if not events:
        return
    conn = session.connection()
    prev = (
        conn.execute(
            select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).scalar_one_or_none()
        or GENESIS
    )
    at = context.clock()
    actor = context.identity.username if context.identity else "—"
    role = context.identity.role.value if context.identity else ""
    rows = []
    for action, entity, long_id, detail in events:
        # Clipped before hashing, so the chain covers exactly what is stored.
        entity_id = long_id if len(long_id) <= ENTITY_ID_MAX else long_id[: ENTITY_ID_MAX - 1] + "…"
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
        digest = _row_hash(prev, at, actor, role, action, entity, entity_id, text)
        rows.append(
            {"at": at, "actor": actor, "role": role, "action": action, "entity": entity,
             "entity_id": entity_id, "detail": text, "prev_hash": prev, "hash": digest}
        )  # fmt: skip
        prev = digest
    conn.execute(insert(AuditEntry), rows)


def record(
    session: Session,
    context: ServiceContext,
    action: str,
    entity: str,
    entity_id: object,
    **detail: Any,
) -> None:
    """Write one explicit audit row in the caller's transaction (values must be safe)."""
    _append(session, context, [(action, entity, str(entity_id), detail)])


def record_action(
    uow: UowFactory,
    context: ServiceContext,
    action: str,
    entity: str,
    entity_id: object,
    **detail: Any,
) -> None:
    """Record an action that changed nothing in the database (an export) in its own unit."""
    with uow(write=True) as unit:
        record(unit.session, context, action, entity, entity_id, **detail)
        unit.commit()


def _changes(obj: Any, *, new: bool) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in _SKIP_COLUMNS:
            continue
        history = state.attrs[key].history
        if new:
            if history.added and history.added[0] is not None:
                out[key] = _safe(key, history.added[0])
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            value = history.added[0] if history.added else None
            out[key] = [_safe(key, old), _safe(key, value)]
    return out


def install(factory: sessionmaker[Session], context: ServiceContext) -> None:
    """Record every insert, update and delete of a business table, after each flush."""

    @event.listens_for(factory, "after_flush")
    def _after_flush(session: Session, _flush_context: Any) -> None:
        events: list[tuple[str, str, str, dict[str, Any]]] = []
        for kind, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):  # fmt: skip
            for obj in objects:
                table = getattr(obj, "__tablename__", None)
                if table is None or table in _SKIP_TABLES:
                    continue
                if kind == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                # The identity key is set only after the flush: read the primary key.
                key = inspect(obj).mapper.primary_key_from_instance(obj)
                entity_id = "/".join(str(v) for v in key if v is not None)
                detail = {} if kind == "delete" else _changes(obj, new=kind == "create")
                if kind == "update" and not detail:
                    continue
                events.append((kind, table, entity_id, detail))
        events.sort(key=lambda e: (e[1], e[2], e[0]))  # a stable order for the chain
        _append(session, context, events)


class AuditService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(Permission.AUDIT)
    def verify(self) -> Verification:
        return verify_chain(self._uow)

    @requires(Permission.AUDIT)
    def rows(
        self,
        *,
        actor: str = "",
        action: str = "",
        entity: str = "",
        since: dt.date | None = None,
        until: dt.date | None = None,
        before_id: int | None = None,
        limit: int = 200,
    ) -> tuple[AuditRow, ...]:
        """Newest first, filtered; page with ``before_id`` (the last id shown)."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action == action)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        if since is not None:
            query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
        if until is not None:
            query = query.where(
                AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
            )
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        with self._uow(write=False) as uow:
            return tuple(
                AuditRow(r.id, r.at, r.actor, r.role, r.action, r.entity, r.entity_id, r.detail)
                for r in uow.session.scalars(query)
            )


def verify_chain(uow: UowFactory, batch: int = 5000) -> Verification:
    """Walk the chain in id order (batched: a county database has millions of rows)."""
    prev, count, last_id = GENESIS, 0, 0
    with uow(write=False) as unit:
        while True:
            rows = unit.session.execute(
                select(
                    AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.role,
                    AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
                    AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.hash,
                )
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            ).all()  # fmt: skip
            if not rows:
                return Verification(count, None)
            for r in rows:
                expected = _row_hash(prev, r.at, r.actor, r.role, r.action, r.entity, r.entity_id, r.detail)  # fmt: skip
                if r.prev_hash != prev or r.hash != expected:
                    return Verification(count, r.id)
                prev, count, last_id = r.hash, count + 1, r.id
