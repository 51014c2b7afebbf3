"""Importing external rosters and matching them with the register (台账比对, issue #7).

What an import creates: one ``roster`` record (kind, list date, file name and checksum,
the column mapping used) and its valid rows in ``roster_row``. It creates or updates
nothing in the register: a list from another office is evidence to check, not a source
of truth (domain.md §3.5: the outcome of a match is a follow-up for a person to carry
out). "Updated" in a dry run means an earlier import of the same kind and list date
would be replaced, which happens only when the clerk asks; "matched" counts the rows
whose ID number is registered here.

All or nothing: every row is checked first and every problem reported at once, by row
number and column (never a name or a number). Nothing is written unless the file is
clean or the clerk explicitly leaves the bad rows out; the write is one transaction, so
a cancelled or failed import leaves the database as it was. The file is read before the
write transaction opens, so a slow USB stick never holds the database's write lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from desk_app.domain.ids import mask_id_number
from desk_app.domain.ledgers import (
    CategoryGroup,
    Cell,
    CellKind,
    Column,
    LedgerBook,
    LedgerSheet,
    LedgerSink,
)
from desk_app.domain.registry import HouseholdCategory, LabourAbility
from desk_app.domain.rosters import (
    HEADER_SCAN_ROWS,
    OUTCOME_LABELS,
    MatchInput,
    MatchItem,
    OurHousehold,
    OurPerson,
    Outcome,
    RawCell,
    RosterField,
    RosterImportError,
    RosterKind,
    RosterRow,
    RowProblem,
    cell_text,
    check_mapping,
    duplicate_problem,
    find_header_row,
    header_names,
    is_summary_row,
    match,
    parse_row,
    suggest_mapping,
)
from desk_app.domain.security import Permission
from desk_app.errors import NotFoundError, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.jobs import CancelToken, ProgressFn, no_progress, scaled
from desk_app.persistence.models import (
    AssessmentRecord,
    Household,
    HouseholdCategoryRecord,
    Person,
    Roster,
    RosterMapping,
    Site,
)
from desk_app.persistence.models import RosterRow as RosterRowRecord
from desk_app.services import audit
from desk_app.services.context import ServiceContext, requires
from desk_app.services.ledgers import (
    DECISION_SUBJECTS,
    FULL_NOTE,
    MASKED_NOTE,
    ExportSummary,
    active_on,
    decided_amount,
    decided_covered,
    in_scope,
    summary_of,
)
from desk_app.services.roster_files import SourceInfo, open_source
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

_C = "rosters"
BATCH = 500
"""IDs per ``IN (...)`` lookup: well under SQLite's 999 bound parameters."""
INSERT_BATCH = 1000
PROGRESS_EVERY = 200
"""Rows between progress reports and cancel checks (well under 0.1 s of reading)."""
PREVIEW_ROWS = 5
MAX_MAPPING_NAME = 40


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One import as the mapping step left it."""

    kind: RosterKind
    as_of: dt.date
    """The list's own date (名单日期)."""
    mapping: Mapping[str, RosterField]
    """Header in the file → our field; unmapped columns are ignored."""
    title: str = ""
    sheet: str | None = None
    """Worksheet of an .xlsx (default: the first)."""
    header_row: int | None = None
    """1-based header row (default: found automatically)."""


@dataclass(frozen=True, slots=True)
class FilePreview:
    """What the mapping step shows: the file's columns, a few rows and a suggestion."""

    source: SourceInfo
    header_row: int
    headers: tuple[str, ...]
    samples: tuple[tuple[str, ...], ...]
    """The first data rows as text; anything shaped like an ID number is masked."""
    suggested: Mapping[str, RosterField]
    saved_mappings: tuple[str, ...]
    """Saved mappings whose every column exists in this file, best candidates first."""


@dataclass(frozen=True, slots=True)
class SavedMapping:
    name: str
    columns: tuple[tuple[str, RosterField], ...]
    updated_at: dt.datetime

    def as_dict(self) -> dict[str, RosterField]:
        return dict(self.columns)


@dataclass(frozen=True, slots=True)
class RosterInfo:
    id: int
    kind: RosterKind
    title: str
    as_of: dt.date
    file_name: str
    sheet: str
    rows: int
    households: int
    per_person: bool
    excluded_rows: tuple[int, ...]
    imported_at: dt.datetime
    actor: str


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """A dry run: what an import of this file would do. Nothing has been written."""

    file_name: str
    sheet: str
    header_row: int
    mapping: tuple[tuple[str, RosterField], ...]
    rows_read: int
    """Data rows read (not counting empty and 合计 rows)."""
    rows_valid: int
    rows_skipped: int
    """Empty rows and total lines (合计/小计) left out as not being people."""
    problems: tuple[RowProblem, ...]
    households: int
    """Households among the valid rows (by 户主身份证号, else by the row's own number)."""
    registered_people: int
    """Valid rows whose ID number is registered here ("matched")."""
    registered_households: int
    replaces: RosterInfo | None
    """The earlier import of the same kind and date that importing would replace."""

    @property
    def bad_rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems}))

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ImportResult:
    roster: RosterInfo
    plan: ImportPlan


@dataclass(frozen=True, slots=True)
class MatchRow:
    outcome: Outcome
    key_masked: str
    """The household's key ID number (户主 on a household list), masked."""
    their_rows: tuple[int, ...]
    name: str
    household_id: int | None
    household_number: str
    village: str
    group_name: str
    our_categories: str
    their_category: str
    our_people: int | None
    their_people: int | None
    our_amount: Decimal | None
    their_amount: Decimal | None
    labour_lost_members: int | None
    differences: tuple[str, ...]
    follow_up: str
    basis: str


@dataclass(frozen=True, slots=True)
class MatchReport:
    roster: RosterInfo
    scope: CategoryGroup
    on: dt.date
    counts: tuple[tuple[Outcome, int], ...]
    rows: tuple[MatchRow, ...]

    def of(self, outcome: Outcome) -> tuple[MatchRow, ...]:
        return tuple(r for r in self.rows if r.outcome is outcome)

    def count(self, outcome: Outcome) -> int:
        return dict(self.counts).get(outcome, 0)


@dataclass
class _Scan:
    source: SourceInfo
    header_row: int
    headers: tuple[str, ...]
    rows_read: int = 0
    rows_skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    valid: list[RosterRow] = field(default_factory=list)


class RosterService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # ----------------------------------------------------------------- mapping step

    @requires(Permission.IMPORT)
    def preview(
        self, path: Path, sheet: str | None = None, header_row: int | None = None
    ) -> FilePreview:
        """Headers, a few rows and a suggested mapping, for the column-mapping step."""
        with open_source(Path(path), sheet) as src:
            first: list[tuple[int, tuple[RawCell, ...]]] = []
            for item in src.rows():
                first.append(item)
                if len(first) >= HEADER_SCAN_ROWS + PREVIEW_ROWS:
                    break
            info = src.info
        texts = [tuple(cell_text(c) for c in cells) for _n, cells in first]
        found = header_row or find_header_row(texts[:HEADER_SCAN_ROWS])
        if found > len(texts):
            raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "文件中没有找到表头和数据"))
        headers = _headers(texts[found - 1])
        samples = tuple(
            tuple(_mask_like_id(t) for t in row) for row in texts[found:] if any(t for t in row)
        )[:PREVIEW_ROWS]
        saved = tuple(m.name for m in self.mappings() if all(h in headers for h, _f in m.columns))
        return FilePreview(info, found, headers, samples, suggest_mapping(headers), saved)

    @requires(Permission.IMPORT)
    def mappings(self) -> tuple[SavedMapping, ...]:
        """Saved mappings, most recently used first."""
        with self._uow(write=False) as uow:
            rows = uow.session.scalars(
                select(RosterMapping).order_by(
                    RosterMapping.updated_at.desc(), RosterMapping.id.desc()
                )
            ).all()
            return tuple(_saved(r) for r in rows)

    @requires(Permission.IMPORT)
    def mapping(self, name: str) -> SavedMapping:
        with self._uow(write=False) as uow:
            row = uow.session.scalars(
                select(RosterMapping).where(RosterMapping.name == name.strip())
            ).first()
            if row is None:
                raise NotFoundError(Message("errors", QT_TRANSLATE_NOOP("errors", "没有名为“{name}”的列对应方案。"), {"name": name}))  # fmt: skip
            return _saved(row)

    @requires(Permission.IMPORT)
    def save_mapping(self, name: str, columns: Mapping[str, RosterField]) -> SavedMapping:
        """Remember a mapping under ``name`` (an existing one of that name is replaced)."""
        name = name.strip()
        label = QT_TRANSLATE_NOOP("fields", "方案名称")
        if not name or len(name) > MAX_MAPPING_NAME:
            raise ValidationError.single("name", label, Message("validation", QT_TRANSLATE_NOOP("validation", "请填写方案名称（不超过40个字）")))  # fmt: skip
        problems = check_mapping(tuple(columns), columns)
        if problems:
            raise ValidationError(problems)
        with self._uow(write=True) as uow:
            s = uow.session
            row = s.scalars(select(RosterMapping).where(RosterMapping.name == name)).first()
            if row is None:
                row = RosterMapping(name=name)
                s.add(row)
            row.columns = json.dumps([[h, f.value] for h, f in columns.items()], ensure_ascii=False)
            row.updated_at = self._context.clock()
            row.actor = self._context.actor
            s.flush()
            saved = _saved(row)
            uow.commit()
        log.info("roster mapping saved: id=%s columns=%d", row.id, len(columns))
        return saved

    @requires(Permission.IMPORT)
    def delete_mapping(self, name: str) -> None:
        with self._uow(write=True) as uow:
            uow.session.execute(delete(RosterMapping).where(RosterMapping.name == name.strip()))
            uow.commit()

    # ----------------------------------------------------------------- import

    @requires(Permission.IMPORT)
    def dry_run(
        self,
        path: Path,
        request: ImportRequest,
        *,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportPlan:
        """Check the whole file and say what an import would do; writes nothing.

        File-level problems (unreadable, no ID column, a mapped column missing) raise
        :class:`RosterImportError`; row problems are listed in the plan.
        """
        cancel = cancel or CancelToken()
        scan = self._scan(Path(path), request, scaled(progress, 0.0, 0.9), cancel)
        with self._uow(write=False) as uow:
            plan = self._plan(uow.session, scan, request, cancel)
        progress(1.0, QT_TRANSLATE_NOOP(_C, "检查完毕"))
        log.info(
            "roster dry run: kind=%s rows=%d valid=%d problems=%d",
            request.kind.value, plan.rows_read, plan.rows_valid, len(plan.problems),
        )  # fmt: skip
        return plan

    @requires(Permission.IMPORT)
    def import_file(
        self,
        path: Path,
        request: ImportRequest,
        *,
        exclude_bad_rows: bool = False,
        replace: bool = False,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportResult:
        """Store the list as a new roster (all or nothing; see the module docstring).

        Raises:
            RosterImportError: the file cannot be read, or it has bad rows and
                ``exclude_bad_rows`` is False (``row_problems`` lists every one).
            ValidationError: a list of this kind and date exists and ``replace`` is False.
            Cancelled: the user cancelled; nothing was written.
        """
        cancel = cancel or CancelToken()
        path = Path(path)
        title = request.title.strip()
        if len(title) > 100:
            raise ValidationError.single("title", QT_TRANSLATE_NOOP("fields", "名单名称"), Message("validation", QT_TRANSLATE_NOOP("validation", "名单名称不超过100个字")))  # fmt: skip
        digest = _sha256(path, cancel)
        scan = self._scan(path, request, scaled(progress, 0.0, 0.8), cancel)
        if scan.problems and not exclude_bad_rows:
            log.info("roster import refused: %d problems", len(scan.problems))
            raise RosterImportError(row_problems=scan.problems)
        if not scan.valid:
            raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "名单中没有可以导入的行"))
        excluded = sorted({p.row for p in scan.problems})
        insert_progress = scaled(progress, 0.85, 1.0)
        with self._uow(write=True) as uow:
            s = uow.session
            plan = self._plan(s, scan, request, cancel)
            if plan.replaces is not None:
                if not replace:
                    raise ValidationError.single("as_of", QT_TRANSLATE_NOOP("fields", "名单日期"), Message("validation", QT_TRANSLATE_NOOP("validation", "已导入过{date}的{kind}（{file}）。如要用这个文件替换，请选择“替换”"),
                        {"date": request.as_of.isoformat(), "kind": request.kind.label, "file": plan.replaces.file_name}))  # fmt: skip
                s.execute(
                    delete(RosterRowRecord).where(RosterRowRecord.roster_id == plan.replaces.id)
                )
                s.execute(delete(Roster).where(Roster.id == plan.replaces.id))
            roster = Roster(
                kind=request.kind.value, title=title, as_of=request.as_of,
                file_name=scan.source.file_name[:200], sha256=digest, sheet=scan.source.sheet[:100],
                header_row=scan.header_row,
                mapping=json.dumps([[h, f.value] for h, f in request.mapping.items()], ensure_ascii=False),
                per_person=RosterField.HEAD_ID_NUMBER in request.mapping.values(),
                row_count=len(scan.valid), excluded_rows=json.dumps(excluded),
                imported_at=self._context.clock(), actor=self._context.actor,
            )  # fmt: skip
            s.add(roster)
            s.flush()
            total = len(scan.valid)
            for start in range(0, total, INSERT_BATCH):
                cancel.check()
                chunk = scan.valid[start : start + INSERT_BATCH]
                s.execute(insert(RosterRowRecord), [_row_values(roster.id, r) for r in chunk])
                insert_progress(min(1.0, (start + len(chunk)) / total), QT_TRANSLATE_NOOP(_C, "正在保存名单…"))  # fmt: skip
            cancel.check()
            info = _info(roster, plan.households)
            audit.record(
                s, self._context, "import", "roster", roster.id,
                kind=request.kind.value, rows=len(scan.valid), excluded=len(excluded),
            )  # fmt: skip
            uow.commit()
        log.info(
            "roster imported: roster=%s kind=%s rows=%d excluded=%d replaced=%s",
            info.id, request.kind.value, info.rows, len(excluded), plan.replaces is not None,
        )  # fmt: skip
        return ImportResult(info, plan)

    @requires(Permission.IMPORT)
    def rosters(self) -> tuple[RosterInfo, ...]:
        """Every imported list, newest list date first."""
        with self._uow(write=False) as uow:
            s = uow.session
            households: dict[int, int] = {
                roster_id: count
                for roster_id, count in s.execute(
                    select(RosterRowRecord.roster_id, func.count(func.distinct(RosterRowRecord.household_key)))
                    .group_by(RosterRowRecord.roster_id)
                )
            }  # fmt: skip
            rows = s.scalars(select(Roster).order_by(Roster.as_of.desc(), Roster.id.desc())).all()
            return tuple(_info(r, households.get(r.id, 0)) for r in rows)

    @requires(Permission.IMPORT)
    def roster(self, roster_id: int) -> RosterInfo:
        found = next((r for r in self.rosters() if r.id == roster_id), None)
        if found is None:
            raise NotFoundError(_roster_missing())
        return found

    @requires(Permission.IMPORT)
    def latest(self, kind: RosterKind) -> RosterInfo | None:
        """The list of this kind with the latest list date (the CLI's ``--roster poverty``)."""
        return next((r for r in self.rosters() if r.kind is kind), None)

    @requires(Permission.IMPORT)
    def delete(self, roster_id: int) -> None:
        with self._uow(write=True) as uow:
            s = uow.session
            if s.get(Roster, roster_id) is None:
                raise NotFoundError(_roster_missing())
            s.execute(delete(RosterRowRecord).where(RosterRowRecord.roster_id == roster_id))
            s.execute(delete(Roster).where(Roster.id == roster_id))
            uow.commit()
        log.info("roster deleted: roster=%s", roster_id)

    # ----------------------------------------------------------------- matching

    @requires(Permission.IMPORT)
    def match(
        self,
        roster_id: int,
        scope: CategoryGroup | None = None,
        on: dt.date | None = None,
        *,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> MatchReport:
        """台账比对: the list against our households in ``scope`` (default: the list kind's
        usual comparison, e.g. 建档立卡 against our 低保 households), as of ``on``
        (default: the list's date). ID numbers in the report are masked."""
        cancel = cancel or CancelToken()
        with self._uow(write=False) as uow:
            info, used_scope, used_on, items = self._match(
                uow.session, roster_id, scope, on, progress, cancel
            )
        counts = tuple((o, sum(1 for i in items if i.outcome is o)) for o in Outcome)
        rows = tuple(_match_row(i) for i in items)
        progress(1.0, QT_TRANSLATE_NOOP(_C, "比对完成"))
        return MatchReport(info, used_scope, used_on, counts, rows)

    @requires(Permission.EXPORT)
    def export_match(
        self,
        roster_id: int,
        sink: LedgerSink,
        *,
        scope: CategoryGroup | None = None,
        on: dt.date | None = None,
        full_ids: bool = False,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> ExportSummary:
        """The match as a workbook for the county: a summary and the four lists, each
        household with its follow-up. ``full_ids``: see ``LedgerRequest.full_ids`` (#8)."""
        if full_ids:
            self._context.require(Permission.REVEAL_FULL)
        cancel = cancel or CancelToken()
        with self._uow(write=False) as uow:
            s = uow.session
            info, used_scope, used_on, items = self._match(
                s, roster_id, scope, on, scaled(progress, 0.0, 0.5), cancel
            )
            site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
            site_text = f"{site.township_name} {site.window_name}" if site else ""
        book = _match_book(info, used_scope, used_on, items, full_ids, site_text, self._context)
        written = sink(book, scaled(progress, 0.5, 1.0), cancel)
        log.info(
            "roster match exported: roster=%s rows=%d full_ids=%s",
            roster_id,
            written.total,
            full_ids,
        )
        audit.record_action(
            self._uow, self._context, "export", "roster_match", roster_id,
            rows=written.total, full_ids=full_ids,
        )  # fmt: skip
        return summary_of("match", book, written, full_ids)

    # ----------------------------------------------------------------- internals

    def _scan(
        self, path: Path, request: ImportRequest, progress: ProgressFn, cancel: CancelToken
    ) -> _Scan:
        """Read and check every row; keep the valid ones (compactly) and every problem."""
        progress(0.0, QT_TRANSLATE_NOOP(_C, "正在读取名单…"))
        with open_source(path, request.sheet) as src:
            rows = src.rows()
            head: list[tuple[int, tuple[RawCell, ...]]] = []
            for item in rows:
                head.append(item)
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            texts = [tuple(cell_text(c) for c in cells) for _n, cells in head]
            header_row = request.header_row or find_header_row(texts)
            if header_row > len(texts) and request.header_row is None:
                raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "文件中没有找到表头和数据"))
            if header_row > len(texts):
                # An explicit header row further down: read on to it.
                for item in rows:
                    head.append(item)
                    if len(head) >= header_row:
                        break
                if header_row > len(head):
                    raise RosterImportError.file(
                        QT_TRANSLATE_NOOP(_C, "文件中没有第{row}行"), row=header_row
                    )
            headers = _headers(tuple(cell_text(c) for c in head[header_row - 1][1]))
            problems = check_mapping(headers, request.mapping)
            if problems:
                raise RosterImportError(problems)
            scan = _Scan(src.info, header_row, headers)
            self._rows(scan, head[header_row:], rows, request, progress, cancel)
        return scan

    def _rows(
        self,
        scan: _Scan,
        buffered: list[tuple[int, tuple[RawCell, ...]]],
        rest: Iterator[tuple[int, tuple[RawCell, ...]]],
        request: ImportRequest,
        progress: ProgressFn,
        cancel: CancelToken,
    ) -> None:
        index = {f: scan.headers.index(h) for h, f in request.mapping.items()}
        columns = {f: h for h, f in request.mapping.items()}
        id_column = columns[RosterField.ID_NUMBER]
        first_seen: dict[str, int] = {}
        today = self._context.today()
        estimated = scan.source.estimated_rows
        for seen, (number, cells) in enumerate(_chain(buffered, rest), start=1):
            if seen % PROGRESS_EVERY == 0:
                cancel.check()
                fraction = min(0.99, number / estimated) if estimated else 0.0
                progress(fraction, QT_TRANSLATE_NOOP(_C, "正在检查第 {row} 行…").format(row=number))
            if not any(cell_text(c) for c in cells):
                scan.rows_skipped += 1
                continue
            values = {f: cells[i] if i < len(cells) else None for f, i in index.items()}
            if not cell_text(values[RosterField.ID_NUMBER]) and is_summary_row(cells):
                scan.rows_skipped += 1
                continue
            scan.rows_read += 1
            row, problems = parse_row(number, values, columns, today)
            if row is not None:
                first = first_seen.setdefault(row.id_number, number)
                if first != number:
                    problems = [duplicate_problem(number, id_column, first)]
                    row = None
            if row is not None:
                scan.valid.append(row)
            scan.problems.extend(problems)
        cancel.check()
        if scan.rows_read == 0 and not scan.problems:
            raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "表头下面没有数据行"))

    def _plan(
        self, s: Session, scan: _Scan, request: ImportRequest, cancel: CancelToken
    ) -> ImportPlan:
        homes = _households_of(s, (r.id_number for r in scan.valid), cancel)
        existing = s.scalars(
            select(Roster).where(Roster.kind == request.kind.value, Roster.as_of == request.as_of)
        ).first()
        replaces = None
        if existing is not None:
            count = s.scalar(
                select(func.count(func.distinct(RosterRowRecord.household_key)))
                .where(RosterRowRecord.roster_id == existing.id)
            )  # fmt: skip
            replaces = _info(existing, int(count or 0))
        return ImportPlan(
            file_name=scan.source.file_name, sheet=scan.source.sheet, header_row=scan.header_row,
            mapping=tuple(request.mapping.items()), rows_read=scan.rows_read,
            rows_valid=len(scan.valid), rows_skipped=scan.rows_skipped,
            problems=tuple(scan.problems), households=len({r.household_key for r in scan.valid}),
            registered_people=len(homes), registered_households=len(set(homes.values()) - {None}),
            replaces=replaces,
        )  # fmt: skip

    def _match(
        self,
        s: Session,
        roster_id: int,
        scope: CategoryGroup | None,
        on: dt.date | None,
        progress: ProgressFn,
        cancel: CancelToken,
    ) -> tuple[RosterInfo, CategoryGroup, dt.date, list[MatchItem]]:
        roster = s.get(Roster, roster_id)
        if roster is None:
            raise NotFoundError(_roster_missing())
        kind = RosterKind(roster.kind)
        scope = scope or kind.default_scope
        on = on or roster.as_of
        progress(0.0, QT_TRANSLATE_NOOP(_C, "正在读取名单…"))
        rows = tuple(
            RosterRow(
                row_number=r.row_number, id_number=r.id_number, name=r.name,
                head_id_number=r.head_id_number, village=r.village, group_name=r.group_name,
                category=r.category, people=r.people, amount=r.amount, note=r.note,
            )
            for r in s.scalars(
                select(RosterRowRecord).where(RosterRowRecord.roster_id == roster_id)
                .order_by(RosterRowRecord.row_number)
            )
        )  # fmt: skip
        cancel.check()
        progress(0.2, QT_TRANSLATE_NOOP(_C, "正在查找本系统的登记…"))
        persons = _persons(s, (r.id_number for r in rows), cancel)
        scoped = frozenset(s.scalars(select(Household.id).where(in_scope(scope, on))).all())
        wanted = set(scoped) | {
            p.household_id for p in persons.values() if p.household_id is not None
        }
        progress(0.5, QT_TRANSLATE_NOOP(_C, "正在逐户比对…"))
        health = self._context.can(Permission.VIEW_HEALTH)
        households = _our_households(s, wanted, on, cancel, health=health)
        items = match(
            MatchInput(
                kind=kind, scope=scope, per_person=roster.per_person, rows=rows, persons=persons,
                households=households, in_scope=scoped, health=health,
            )
        )  # fmt: skip
        info = _info(roster, len({r.household_key for r in rows}))
        log.info(
            "roster matched: roster=%s scope=%s households=%d", roster_id, scope.value, len(items)
        )
        return info, scope, on, items


# ----------------------------------------------------------------------------- helpers


def _chain(
    first: list[tuple[int, tuple[RawCell, ...]]], rest: Iterator[tuple[int, tuple[RawCell, ...]]]
) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    yield from first
    yield from rest


def _headers(cells: Sequence[str]) -> tuple[str, ...]:
    if not any(c.strip() for c in cells):
        raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "文件中没有找到表头和数据"))
    return header_names(cells)


def _sha256(path: Path, cancel: CancelToken) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                cancel.check()
                digest.update(chunk)
    except OSError as exc:
        raise RosterImportError.file(QT_TRANSLATE_NOOP(_C, "无法打开文件：{reason}。请确认文件存在、没有被其他程序独占，U盘已连接"),
                                     reason=exc.strerror or type(exc).__name__) from exc  # fmt: skip
    return digest.hexdigest()


def _mask_like_id(text: str) -> str:
    compact = text.replace(" ", "")
    if len(compact) in (15, 18) and compact[:15].isdigit():
        return mask_id_number(compact)
    return text


def _saved(row: RosterMapping) -> SavedMapping:
    pairs: list[tuple[str, RosterField]] = []
    try:
        for header, code in json.loads(row.columns):
            pairs.append((str(header), RosterField(code)))
    except (ValueError, TypeError):
        pairs = []
    return SavedMapping(row.name, tuple(pairs), row.updated_at)


def _info(r: Roster, households: int) -> RosterInfo:
    try:
        excluded = tuple(int(n) for n in json.loads(r.excluded_rows))
    except (ValueError, TypeError):
        excluded = ()
    return RosterInfo(
        id=r.id, kind=RosterKind(r.kind), title=r.title, as_of=r.as_of, file_name=r.file_name,
        sheet=r.sheet, rows=r.row_count, households=households, per_person=r.per_person,
        excluded_rows=excluded, imported_at=r.imported_at, actor=r.actor,
    )  # fmt: skip


def _roster_missing() -> Message:
    return Message(
        "errors", QT_TRANSLATE_NOOP("errors", "找不到该名单，可能已被删除或数据库已更换。")
    )


def _row_values(roster_id: int, r: RosterRow) -> dict[str, Any]:
    return {
        "roster_id": roster_id, "row_number": r.row_number, "id_number": r.id_number,
        "name": r.name, "head_id_number": r.head_id_number, "household_key": r.household_key,
        "village": r.village, "group_name": r.group_name, "category": r.category,
        "people": r.people, "amount": r.amount, "note": r.note,
    }  # fmt: skip


def _batches(values: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for v in values:
        batch.append(v)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _households_of(s: Session, ids: Iterable[str], cancel: CancelToken) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for batch in _batches(dict.fromkeys(ids)):
        cancel.check()
        for id_number, household_id in s.execute(
            select(Person.id_number, Person.household_id).where(Person.id_number.in_(batch))
        ):
            out[id_number] = household_id
    return out


def _severe(p: Any) -> bool:
    """重度残疾: 一级, 二级, or 三级 智力/精神 (domain.md §1.11)."""
    if not p.has_disability_cert or p.disability_grade is None:
        return False
    return p.disability_grade <= 2 or (
        p.disability_grade == 3 and p.disability_category in ("intellectual", "mental")
    )


def _labour_lost(p: Any) -> bool:
    return p.labour_ability in (LabourAbility.PARTIAL.value, LabourAbility.LOST.value)


def _needs_care(p: Any) -> bool:
    """A member the T18 follow-up is about: bedridden, without labour ability, severely
    disabled or seriously ill (单人户 / 分户 possible, domain.md §1.1 items 5–6)."""
    return bool(
        p.bedridden or p.labour_ability == LabourAbility.LOST.value or _severe(p) or p.major_illness
    )


_PERSON_COLUMNS = (
    Person.id_number, Person.household_id, Person.name, Person.labour_ability, Person.bedridden,
    Person.has_disability_cert, Person.disability_category, Person.disability_grade, Person.major_illness,
)  # fmt: skip


def _persons(s: Session, ids: Iterable[str], cancel: CancelToken) -> dict[str, OurPerson]:
    out: dict[str, OurPerson] = {}
    for batch in _batches(dict.fromkeys(ids)):
        cancel.check()
        for p in s.execute(select(*_PERSON_COLUMNS).where(Person.id_number.in_(batch))):
            out[p.id_number] = OurPerson(
                household_id=p.household_id, name=p.name, labour_lost=_labour_lost(p),
                bedridden=p.bedridden, severe_disability=_severe(p),
                has_certificate=p.has_disability_cert, disability_category=p.disability_category,
            )  # fmt: skip
    return out


def _our_households(
    s: Session, wanted: set[int], on: dt.date, cancel: CancelToken, *, health: bool
) -> dict[int, OurHousehold]:
    """Our side of the match. Without the right to see health data (#8) the follow-ups
    are chosen without it: only members without labour ability count as needing care."""
    head = aliased(Person)
    decision = aliased(AssessmentRecord)
    latest = (
        select(AssessmentRecord.id)
        .where(AssessmentRecord.household_id == Household.id,
               AssessmentRecord.subject_key.in_(DECISION_SUBJECTS))
        .order_by(AssessmentRecord.id.desc()).limit(1).scalar_subquery()
    )  # fmt: skip
    out: dict[int, OurHousehold] = {}
    for batch in _batches(sorted(wanted)):
        cancel.check()
        categories: dict[int, set[HouseholdCategory]] = {}
        for household_id, code in s.execute(
            select(HouseholdCategoryRecord.household_id, HouseholdCategoryRecord.category)
            .where(HouseholdCategoryRecord.household_id.in_(batch), active_on(on))
        ):  # fmt: skip
            if code in _CATEGORY_CODES:
                categories.setdefault(household_id, set()).add(HouseholdCategory(code))
        members: dict[int, list[Any]] = {}
        for p in s.execute(
            select(Person.household_id, *_PERSON_COLUMNS[2:]).where(Person.household_id.in_(batch))
        ):
            members.setdefault(p.household_id, []).append(p)
        for h in s.execute(
            select(Household.id, Household.number, Household.village, Household.group_name,
                   head.name.label("head_name"), head.id_number.label("head_id"),
                   decision.decided, decision.snapshot)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .outerjoin(decision, decision.id == latest)
            .where(Household.id.in_(batch))
        ):  # fmt: skip
            people = members.get(h.id, [])
            held = frozenset(categories.get(h.id, set()))
            assisted = bool(held & _ASSISTANCE)
            out[h.id] = OurHousehold(
                id=h.id, number=h.number, village=h.village, group_name=h.group_name,
                head_name=h.head_name or "", head_id_number=h.head_id or "", members=len(people),
                categories=held, covered=decided_covered(h.snapshot) if assisted else None,
                amount=decided_amount(h.decided) if assisted else None,
                labour_lost_members=sum(1 for p in people if _labour_lost(p)),
                needs_care_members=sum(
                    1 for p in people
                    if (_needs_care(p) if health else p.labour_ability == LabourAbility.LOST.value)
                ),
                certificate_members=sum(1 for p in people if p.has_disability_cert) if health else 0,
            )  # fmt: skip
    return out


_CATEGORY_CODES = frozenset(c.value for c in HouseholdCategory)
_ASSISTANCE = CategoryGroup.DIBAO_OR_TEKUN.categories


def _match_row(i: MatchItem) -> MatchRow:
    # Every field but the key is copied as it is; the key leaves masked.
    shared = {name: getattr(i, name) for name in _MATCH_ROW_SHARED}
    return MatchRow(key_masked=mask_id_number(i.key) if i.key else "", **shared)


_MATCH_ROW_SHARED = tuple(f.name for f in dataclasses.fields(MatchRow) if f.name != "key_masked")

_OUTCOME_NOTES: dict[Outcome, str] = {
    Outcome.BOTH: QT_TRANSLATE_NOOP(_C, "名单和本系统都有，核对的项目一致"),
    Outcome.OURS_ONLY: QT_TRANSLATE_NOOP(_C, "本系统比对范围内的户，名单中没有"),
    Outcome.THEIRS_ONLY: QT_TRANSLATE_NOOP(
        _C, "名单中的户，不在本系统比对范围内（含本系统未登记的户）"
    ),
    Outcome.CONFLICT: QT_TRANSLATE_NOOP(_C, "两边都有，但姓名、村组、类别、人数或金额不一致"),
}
_MATCH_COLUMNS = (
    Column("比对结果", 10), Column("名单行号", 10), Column("户主（关键）身份证号", 21, CellKind.ID),
    Column("姓名", 10), Column("本系统户编号", 16), Column("村（社区）", 14), Column("组", 8),
    Column("本系统类别", 22), Column("名单类别", 14), Column("本系统人数", 10, CellKind.INT),
    Column("名单人数", 9, CellKind.INT), Column("本系统金额（元）", 13, CellKind.MONEY),
    Column("名单金额（元）", 13, CellKind.MONEY), Column("丧失劳动能力成员", 10, CellKind.INT),
    Column("不一致的项目", 40), Column("后续处理", 50), Column("依据", 40),
)  # fmt: skip


def _match_book(
    info: RosterInfo,
    scope: CategoryGroup,
    on: dt.date,
    items: Sequence[MatchItem],
    full_ids: bool,
    site_text: str,
    context: ServiceContext,
) -> LedgerBook:
    def cells(i: MatchItem) -> Sequence[Cell]:
        key = i.key if full_ids else (mask_id_number(i.key) if i.key else "")
        rows = "、".join(str(n) for n in i.their_rows[:20]) + (
            "…" if len(i.their_rows) > 20 else ""
        )
        return (
            i.outcome.label, rows, key, i.name, i.household_number, i.village, i.group_name,
            i.our_categories, i.their_category, i.our_people, i.their_people, i.our_amount,
            i.their_amount, i.labour_lost_members, "；".join(i.differences), i.follow_up, i.basis,
        )  # fmt: skip

    summary = [
        (o.label, sum(1 for i in items if i.outcome is o), _OUTCOME_NOTES[o]) for o in Outcome
    ]
    sheets = [
        LedgerSheet("汇总", (Column("比对结果", 12), Column("户数", 8, CellKind.INT), Column("说明", 50)),
                    iter(summary), len(summary)),
    ]  # fmt: skip
    for outcome in (Outcome.BOTH, Outcome.OURS_ONLY, Outcome.THEIRS_ONLY, Outcome.CONFLICT):
        chosen = [cells(i) for i in items if i.outcome is outcome]
        sheets.append(
            LedgerSheet(OUTCOME_LABELS[outcome], _MATCH_COLUMNS, iter(chosen), len(chosen))
        )
    notes = (
        (QT_TRANSLATE_NOOP(_C, "台账"), QT_TRANSLATE_NOOP(_C, "台账比对（逐户核对）")),
        (QT_TRANSLATE_NOOP(_C, "乡镇（街道）"), site_text),
        (QT_TRANSLATE_NOOP(_C, "名单"), f"{info.kind.label}：{info.title or info.file_name}，名单日期 {info.as_of.isoformat()}，{info.rows} 行、{info.households} 户"),
        (QT_TRANSLATE_NOOP(_C, "比对范围"), f"本系统{scope.label}（类别截至 {on.isoformat()}）"),
        (QT_TRANSLATE_NOOP(_C, "比对方法"), QT_TRANSLATE_NOOP(_C, "按身份证号码逐户核对：名单中同一户主身份证号的行为一户（没有户主列的，每行为一户）；任一成员号码在本系统登记即找到该户。核对姓名写法、村组、类别、人数和金额")),
        (QT_TRANSLATE_NOOP(_C, "导出时间"), context.clock().isoformat(" ", "minutes")),
        (QT_TRANSLATE_NOOP(_C, "导出人"), context.actor),
        (QT_TRANSLATE_NOOP(_C, "身份证号码"), FULL_NOTE if full_ids else MASKED_NOTE),
        (QT_TRANSLATE_NOOP(_C, "依据"), QT_TRANSLATE_NOOP(_C, "domain.md §3.5（seed 002_20f40e1960017597.txt：低保与建档立卡逐户核对，至少每半年一次）、§7 T18")),
    )  # fmt: skip
    return LedgerBook(QT_TRANSLATE_NOOP(_C, "台账比对"), tuple(sheets), notes)
