"""公示 notices and their objection period (issue #6; domain.md §2.1, §5 D7/D8).

Lifecycle: a notice is **drafted** for a village or the whole township — the households'
rows are copied then, reduced to what a 公示 may show (:func:`notice_rows`) — then
**posted** on a date, which fixes the objection period from the parameter
``notice.objection_days`` in force that day (domain.md §8 item 1; the seeds give no
number). Objections are recorded against a household on the notice and settled as upheld
or dismissed. A household's case moves on only when the period has passed with no open
objection (:meth:`NoticeService.entries`); the notice is **closed** once that holds for
every row. A standing roster (D8 长期公示) has no objection period.

The period counts calendar days including the posting day: posted on the 1st with 7 days,
objections are received through the 7th and the case may move on from the 8th.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desk_app.domain.documents import (
    NoticeContent,
    NoticeHousehold,
    NoticeMember,
    NoticeRow,
    NoticeStage,
    ObjectionChannel,
    Paper,
    notice_rows,
)
from desk_app.domain.registry import HouseholdCategory
from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, NotFoundError, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import (
    AssessmentRecord,
    Household,
    HouseholdCategoryRecord,
    Notice,
    NoticeEntry,
    Objection,
    Site,
)
from desk_app.services.assistance import decided_amount
from desk_app.services.context import ServiceContext, requires
from desk_app.services.parameters import parameters_on
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

# What each scheme posts, and the decision whose figure is the monthly amount.
SCHEMES: dict[str, tuple[frozenset[HouseholdCategory], str]] = {
    QT_TRANSLATE_NOOP("documents", "最低生活保障"): (
        frozenset(
            {
                HouseholdCategory.DIBAO_A,
                HouseholdCategory.DIBAO_B,
                HouseholdCategory.DIBAO_C,
                HouseholdCategory.DIBAO_SINGLE_PERSON,
                HouseholdCategory.DIBAO_SEPARATE,
            }
        ),
        "dibao.payment",
    ),
    QT_TRANSLATE_NOOP("documents", "特困人员救助供养"): (
        frozenset({HouseholdCategory.TEKUN_CENTRALIZED, HouseholdCategory.TEKUN_DISPERSED}),
        "tekun.living_standard",
    ),
}


class EntryState(StrEnum):
    DRAFT = "draft"
    IN_PERIOD = "in_period"
    OBJECTION_OPEN = "objection_open"
    OBJECTION_UPHELD = "objection_upheld"
    CLEARED = "cleared"
    STANDING = "standing"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    EntryState.DRAFT: QT_TRANSLATE_NOOP("documents", "未张贴"),
    EntryState.IN_PERIOD: QT_TRANSLATE_NOOP("documents", "公示期内"),
    EntryState.OBJECTION_OPEN: QT_TRANSLATE_NOOP("documents", "有异议待处理"),
    EntryState.OBJECTION_UPHELD: QT_TRANSLATE_NOOP("documents", "异议成立，暂停办理"),
    EntryState.CLEARED: QT_TRANSLATE_NOOP("documents", "公示期满无异议，可继续办理"),
    EntryState.STANDING: QT_TRANSLATE_NOOP("documents", "长期公示"),
}

OBJECTION_CHANNELS = (
    QT_TRANSLATE_NOOP("documents", "来访"),
    QT_TRANSLATE_NOOP("documents", "电话"),
    QT_TRANSLATE_NOOP("documents", "信件"),
    QT_TRANSLATE_NOOP("documents", "网络"),
)


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    id: int
    number: str
    stage: NoticeStage
    scheme: str
    village: str | None
    period_label: str
    paper: Paper
    status: str
    posted_on: dt.date | None
    objection_until: dt.date | None
    households: int
    open_objections: int
    version: int


@dataclass(frozen=True, slots=True)
class Skipped:
    household_number: str
    reason: str


@dataclass(frozen=True, slots=True)
class Draft:
    notice: NoticeInfo
    skipped: tuple[Skipped, ...]
    """Households in scope that could not be put on the notice, and why."""


@dataclass(frozen=True, slots=True)
class ObjectionRow:
    id: int
    notice_id: int
    household_id: int
    head_name: str
    received_on: dt.date
    channel: str
    summary: str
    status: str
    resolution: str
    resolved_on: dt.date | None
    late: bool
    """Received after the objection period; recorded all the same."""


@dataclass(frozen=True, slots=True)
class EntryRow:
    household_id: int
    row: NoticeRow
    state: EntryState


class NoticeService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(Permission.READ_REGISTRY)
    def last_channel(self) -> tuple[str, str]:
        """Phone and address of the latest notice, to prefill the next one."""
        with self._uow(write=False) as uow:
            row = uow.session.execute(
                select(Notice.objection_phone, Notice.objection_address)
                .order_by(Notice.id.desc())
                .limit(1)
            ).first()
            return (row[0], row[1]) if row else ("", "")

    @requires(Permission.READ_REGISTRY)
    def notices(self) -> tuple[NoticeInfo, ...]:
        with self._uow(write=False) as uow:
            rows = uow.session.scalars(
                select(Notice).options(selectinload(Notice.entries)).order_by(Notice.id.desc())
            ).all()
            open_counts = _open_counts(uow.session)
            return tuple(_info(n, open_counts.get(n.id, 0)) for n in rows)

    @requires(Permission.NOTICES)
    def draft(
        self,
        stage: NoticeStage,
        scheme: str,
        village: str | None,
        period_label: str,
        paper: Paper = Paper.A4_LANDSCAPE,
        *,
        phone: str = "",
        address: str = "",
        mask_names: bool = False,
        on: dt.date | None = None,
    ) -> Draft:
        """Copy the households in scope onto a new draft notice (nothing is posted yet)."""
        on = on or self._context.today()
        problems: list[FieldProblem] = []
        if scheme not in SCHEMES:
            problems.append(
                problem("scheme", QT_TRANSLATE_NOOP("fields", "救助项目"),
                         QT_TRANSLATE_NOOP("validation", "请选择救助项目"))
            )  # fmt: skip
        if not period_label.strip() or len(period_label) > 40:
            problems.append(
                problem("period_label", QT_TRANSLATE_NOOP("fields", "公示期间"),
                         QT_TRANSLATE_NOOP("validation", "请填写公示所涉期间（不超过40个字），例如 2024年第三季度"))
            )  # fmt: skip
        if not phone.strip() and not address.strip():
            # Default to the window's own phone and address (系统设置).
            with self._uow(write=False) as uow:
                site = uow.session.scalars(select(Site).order_by(Site.id).limit(1)).first()
                if site is not None:
                    phone, address = site.phone, site.address
        if not phone.strip() and not address.strip():
            problems.append(
                problem("phone", QT_TRANSLATE_NOOP("fields", "异议受理电话"),
                         QT_TRANSLATE_NOOP("validation", "请填写接受异议的电话或地址，群众才能反映意见"))
            )  # fmt: skip
        if len(phone) > 40 or len(address) > 100:
            problems.append(
                problem("address", QT_TRANSLATE_NOOP("fields", "异议受理地址"),
                         QT_TRANSLATE_NOOP("validation", "电话不超过40个字，地址不超过100个字"))
            )  # fmt: skip
        if problems:
            raise ValidationError(problems)
        categories, subject = SCHEMES[scheme]
        with self._uow(write=True) as uow:
            s = uow.session
            query = (
                select(Household)
                .join(HouseholdCategoryRecord)
                .where(
                    HouseholdCategoryRecord.category.in_([c.value for c in categories]),
                    HouseholdCategoryRecord.start_date <= on,
                    (HouseholdCategoryRecord.end_date.is_(None))
                    | (HouseholdCategoryRecord.end_date >= on),
                )
                .options(selectinload(Household.members), selectinload(Household.categories))
                .order_by(Household.village, Household.group_name, Household.number)
                .distinct()
            )
            if village:
                query = query.where(Household.village == village)
            households = s.scalars(query).all()
            amounts = _decided_amounts(s, [h.id for h in households], subject)
            records: list[tuple[int, NoticeHousehold]] = []
            skipped: list[Skipped] = []
            for h in households:
                amount, covered = amounts.get(h.id, (None, None))
                if amount is None:
                    skipped.append(Skipped(h.number, _NO_AMOUNT))
                    continue
                record = _notice_household(h, categories, on, amount, covered)
                if record is None:
                    skipped.append(Skipped(h.number, _NO_HEAD))
                    continue
                records.append((h.id, record))
            rows = notice_rows([r for _, r in records], mask_given_names=mask_names)
            year = on.year
            serial = (
                s.scalar(select(func.count()).where(Notice.number.startswith(f"GS{year}-"))) or 0
            ) + 1
            notice = Notice(
                number=f"GS{year}-{serial:04d}", stage=stage.value, scheme=scheme,
                village=village or None, period_label=period_label.strip(), paper=paper.value,
                mask_names=mask_names, status="draft", objection_phone=phone.strip(),
                objection_address=address.strip(), created_at=self._context.clock(),
                actor=self._context.actor,
            )  # fmt: skip
            notice.entries = [
                NoticeEntry(
                    household_id=hid,
                    sort=i,
                    head_name=row.head_name,
                    village_group=row.village_group,
                    people_covered=row.people_covered,
                    category=row.category,
                    monthly_amount=row.monthly_amount,
                    period=row.period,
                )
                for i, ((hid, _), row) in enumerate(zip(records, rows, strict=True))
            ]
            s.add(notice)
            s.flush()
            info = _info(notice, 0)
            uow.commit()
            log.info("notice drafted: %s with %d households", info.number, info.households)
            return Draft(info, tuple(skipped))

    @requires(Permission.READ_REGISTRY)
    def content(self, notice_id: int) -> NoticeContent:
        """The notice as it prints: rows as copied at drafting, channel from the site."""
        with self._uow(write=False) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
            township = site.township_name if site else ""
            office = f"{township}社会救助综合服务窗口" if township else "社会救助综合服务窗口"
            return NoticeContent(
                stage=NoticeStage(notice.stage), number=notice.number,
                issuer=f"{township}人民政府" if township else "", township=township,
                village=notice.village, scheme=notice.scheme, period_label=notice.period_label,
                posted_on=notice.posted_on or self._context.today(),
                objection_days=notice.objection_days,
                channel=ObjectionChannel(
                    office=office,
                    phone=notice.objection_phone,
                    address=notice.objection_address,
                    deadline=notice.objection_until,
                ),
                rows=tuple(_row(e) for e in notice.entries),
                paper=Paper(notice.paper),
            )  # fmt: skip

    @requires(Permission.NOTICES)
    def post(self, notice_id: int, posted_on: dt.date, version: int) -> NoticeInfo:
        """Mark the notice posted on ``posted_on``; fixes its objection period."""
        with self._uow(write=True) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            _check_version(notice, version)
            if notice.status != "draft":
                raise ValidationError(
                    [problem("status", QT_TRANSLATE_NOOP("fields", "公示状态"),
                              QT_TRANSLATE_NOOP("validation", "该公示已张贴，不能再次张贴；如需更正请新建公示"))]
                )  # fmt: skip
            if not notice.entries:
                raise ValidationError(
                    [problem("entries", QT_TRANSLATE_NOOP("fields", "公示名单"),
                              QT_TRANSLATE_NOOP("validation", "名单为空，不能张贴"))]
                )  # fmt: skip
            notice.status = "posted"
            notice.posted_on = posted_on
            if notice.stage != NoticeStage.STANDING:
                days, _ = parameters_on(s, posted_on).number("notice.objection_days")
                if days is None or days < 1:
                    raise ValidationError(
                        [problem("objection_days", QT_TRANSLATE_NOOP("fields", "公示天数"),
                                  QT_TRANSLATE_NOOP("validation", "参数“公示天数”未设定：请在系统设置 → 参数中设定后再张贴"))]
                    )  # fmt: skip
                notice.objection_days = days
                notice.objection_until = posted_on + dt.timedelta(days=days - 1)
            s.flush()
            info = _info(notice, 0)
            uow.commit()
            log.info("notice posted: %s on %s", info.number, posted_on)
            return info

    @requires(Permission.NOTICES)
    def record_objection(
        self,
        notice_id: int,
        household_id: int,
        received_on: dt.date,
        channel: str,
        summary: str,
    ) -> ObjectionRow:
        summary = summary.strip()
        problems: list[FieldProblem] = []
        if channel not in OBJECTION_CHANNELS:
            problems.append(
                problem("channel", QT_TRANSLATE_NOOP("fields", "反映方式"),
                         QT_TRANSLATE_NOOP("validation", "请选择反映方式"))
            )  # fmt: skip
        if not summary:
            problems.append(
                problem("summary", QT_TRANSLATE_NOOP("fields", "异议内容"),
                         QT_TRANSLATE_NOOP("validation", "请简要记录异议内容，便于调查核实"))
            )  # fmt: skip
        if received_on > self._context.today():
            problems.append(
                problem("received_on", QT_TRANSLATE_NOOP("fields", "收到日期"),
                         QT_TRANSLATE_NOOP("validation", "收到日期不能晚于今天"))
            )  # fmt: skip
        if problems:
            raise ValidationError(problems)
        with self._uow(write=True) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            entry = next((e for e in notice.entries if e.household_id == household_id), None)
            if notice.status == "draft" or entry is None:
                raise ValidationError(
                    [problem("household", QT_TRANSLATE_NOOP("fields", "异议对象"),
                              QT_TRANSLATE_NOOP("validation", "只能对已张贴公示上的户记录异议"))]
                )  # fmt: skip
            if notice.posted_on is not None and received_on < notice.posted_on:
                raise ValidationError(
                    [problem("received_on", QT_TRANSLATE_NOOP("fields", "收到日期"),
                              QT_TRANSLATE_NOOP("validation", "收到日期早于公示张贴日期"))]
                )  # fmt: skip
            row = Objection(
                notice_id=notice_id, household_id=household_id, received_on=received_on,
                channel=channel, summary=summary, status="open",
                created_at=self._context.clock(), actor=self._context.actor,
            )  # fmt: skip
            s.add(row)
            s.flush()
            result = _objection_row(row, entry.head_name, notice)
            uow.commit()
            log.info("objection recorded: notice=%s household=%s", notice.number, household_id)
            return result

    @requires(Permission.NOTICES)
    def resolve_objection(
        self, objection_id: int, upheld: bool, resolution: str, on: dt.date | None = None
    ) -> ObjectionRow:
        resolution = resolution.strip()
        if not resolution:
            raise ValidationError(
                [problem("resolution", QT_TRANSLATE_NOOP("fields", "核查结论"),
                          QT_TRANSLATE_NOOP("validation", "请写明调查核实的结论和依据"))]
            )  # fmt: skip
        with self._uow(write=True) as uow:
            s = uow.session
            row = s.get(Objection, objection_id)
            if row is None:
                raise NotFoundError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该异议记录。"))
                )
            if row.status != "open":
                raise ValidationError(
                    [problem("status", QT_TRANSLATE_NOOP("fields", "异议状态"),
                              QT_TRANSLATE_NOOP("validation", "该异议已处理，不能再次处理"))]
                )  # fmt: skip
            row.status = "upheld" if upheld else "dismissed"
            row.resolution = resolution
            row.resolved_on = on or self._context.today()
            row.resolved_by = self._context.actor
            notice = _notice(s, row.notice_id)
            entry = next(e for e in notice.entries if e.household_id == row.household_id)
            s.flush()
            result = _objection_row(row, entry.head_name, notice)
            uow.commit()
            log.info("objection %s: %s", objection_id, row.status)
            return result

    @requires(Permission.READ_REGISTRY)
    def objections(self, notice_id: int) -> tuple[ObjectionRow, ...]:
        with self._uow(write=False) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            names = {e.household_id: e.head_name for e in notice.entries}
            rows = s.scalars(
                select(Objection).where(Objection.notice_id == notice_id).order_by(Objection.id)
            ).all()
            return tuple(_objection_row(r, names.get(r.household_id, ""), notice) for r in rows)

    @requires(Permission.READ_REGISTRY)
    def entries(self, notice_id: int, on: dt.date | None = None) -> tuple[EntryRow, ...]:
        """Every household on the notice with where its case stands on ``on``."""
        on = on or self._context.today()
        with self._uow(write=False) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            states = _states(s, notice, on)
            return tuple(
                EntryRow(e.household_id, _row(e), states[e.household_id]) for e in notice.entries
            )

    @requires(Permission.READ_REGISTRY)
    def household_state(
        self, household_id: int, on: dt.date | None = None
    ) -> tuple[NoticeInfo, EntryState] | None:
        """The household's latest posted notice and its state there, or None."""
        on = on or self._context.today()
        with self._uow(write=False) as uow:
            s = uow.session
            notice = s.scalars(
                select(Notice)
                .join(NoticeEntry)
                .where(NoticeEntry.household_id == household_id, Notice.status != "draft")
                .options(selectinload(Notice.entries))
                .order_by(Notice.posted_on.desc(), Notice.id.desc())
                .limit(1)
            ).first()
            if notice is None:
                return None
            open_counts = _open_counts(s, notice.id)
            return _info(notice, open_counts.get(notice.id, 0)), _states(s, notice, on)[
                household_id
            ]

    @requires(Permission.NOTICES)
    def close(self, notice_id: int, version: int, on: dt.date | None = None) -> NoticeInfo:
        """Close a posted notice once its period has passed and no objection is open."""
        on = on or self._context.today()
        with self._uow(write=True) as uow:
            s = uow.session
            notice = _notice(s, notice_id)
            _check_version(notice, version)
            if notice.status != "posted":
                raise ValidationError(
                    [problem("status", QT_TRANSLATE_NOOP("fields", "公示状态"),
                              QT_TRANSLATE_NOOP("validation", "只有已张贴的公示可以结束"))]
                )  # fmt: skip
            if notice.objection_until is not None and on <= notice.objection_until:
                raise ValidationError(
                    [problem("objection_until", QT_TRANSLATE_NOOP("fields", "公示期"),
                              QT_TRANSLATE_NOOP("validation", "公示期尚未届满，期满次日才能结束"))]
                )  # fmt: skip
            open_count = _open_counts(s, notice.id).get(notice.id, 0)
            if open_count:
                raise ValidationError(
                    [FieldProblem("objections", QT_TRANSLATE_NOOP("fields", "异议"), Message(
                        "validation",
                        QT_TRANSLATE_NOOP("validation", "还有 {count} 件异议未处理，处理完毕后才能结束公示"),
                        {"count": open_count}))]
                )  # fmt: skip
            notice.status = "closed"
            s.flush()
            info = _info(notice, 0)
            uow.commit()
            log.info("notice closed: %s", info.number)
            return info


# --- helpers ------------------------------------------------------------------------------

_NO_AMOUNT = QT_TRANSLATE_NOOP(
    "documents", "没有审核确定的月金额：请先在户籍页“救助测算”中记录审核结论"
)
_NO_HEAD = QT_TRANSLATE_NOOP("documents", "没有户主")


def _notice(s: Session, notice_id: int) -> Notice:
    found = s.scalars(
        select(Notice).where(Notice.id == notice_id).options(selectinload(Notice.entries))
    ).first()
    if found is None:
        raise NotFoundError(
            Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该公示，可能已被删除或数据库已更换。"))
        )  # fmt: skip
    return found


def _check_version(notice: Notice, version: int) -> None:
    from desk_app.errors import ConcurrentEditError  # noqa: PLC0415 - rare path

    if notice.version != version:
        raise ConcurrentEditError(
            Message(
                "errors",
                QT_TRANSLATE_NOOP("errors", "该公示已被其他窗口修改，请重新载入后再操作。"),
            )
        )


def _open_counts(s: Session, notice_id: int | None = None) -> dict[int, int]:
    """Open objections per notice (of one notice, when ``notice_id`` is given)."""
    query = select(Objection.notice_id, func.count()).where(Objection.status == "open")
    if notice_id is not None:
        query = query.where(Objection.notice_id == notice_id)
    return dict(s.execute(query.group_by(Objection.notice_id)).all())


def _info(n: Notice, open_objections: int) -> NoticeInfo:
    return NoticeInfo(
        id=n.id, number=n.number, stage=NoticeStage(n.stage), scheme=n.scheme, village=n.village,
        period_label=n.period_label, paper=Paper(n.paper), status=n.status,
        posted_on=n.posted_on, objection_until=n.objection_until, households=len(n.entries),
        open_objections=open_objections, version=n.version,
    )  # fmt: skip


def _row(e: NoticeEntry) -> NoticeRow:
    return NoticeRow(
        head_name=e.head_name, village_group=e.village_group, people_covered=e.people_covered,
        category=e.category, monthly_amount=e.monthly_amount or Decimal(0), period=e.period,
    )  # fmt: skip


def _objection_row(r: Objection, head_name: str, notice: Notice) -> ObjectionRow:
    late = notice.objection_until is not None and r.received_on > notice.objection_until
    return ObjectionRow(
        id=r.id, notice_id=r.notice_id, household_id=r.household_id, head_name=head_name,
        received_on=r.received_on, channel=r.channel, summary=r.summary, status=r.status,
        resolution=r.resolution, resolved_on=r.resolved_on, late=late,
    )  # fmt: skip


def _states(s: Session, notice: Notice, on: dt.date) -> dict[int, EntryState]:
    statuses: dict[int, set[str]] = {}
    for household_id, status in s.execute(
        select(Objection.household_id, Objection.status).where(Objection.notice_id == notice.id)
    ):
        statuses.setdefault(household_id, set()).add(status)
    out: dict[int, EntryState] = {}
    for e in notice.entries:
        seen = statuses.get(e.household_id, set())
        if notice.status == "draft":
            out[e.household_id] = EntryState.DRAFT
        elif "open" in seen:
            out[e.household_id] = EntryState.OBJECTION_OPEN
        elif "upheld" in seen:
            out[e.household_id] = EntryState.OBJECTION_UPHELD
        elif notice.stage == NoticeStage.STANDING:
            out[e.household_id] = EntryState.STANDING
        elif notice.objection_until is not None and on <= notice.objection_until:
            out[e.household_id] = EntryState.IN_PERIOD
        else:
            out[e.household_id] = EntryState.CLEARED
    return out


def _decided_amounts(
    s: Session, household_ids: list[int], subject: str
) -> dict[int, tuple[Decimal, int | None]]:
    """The latest reviewer-decided monthly amount per household, and people covered.

    The amount is what the reviewer decided (issue #5), never the raw computation: the
    notice shows the decision. People covered: members the decision's facts mark covered
    (None: not said, then the caller counts every member).
    """
    out: dict[int, tuple[Decimal, int | None]] = {}
    if not household_ids:
        return out
    records = s.scalars(
        select(AssessmentRecord)
        .where(
            AssessmentRecord.household_id.in_(household_ids),
            AssessmentRecord.subject_key == subject,
        )
        .order_by(AssessmentRecord.id)
    ).all()
    for r in records:  # oldest first: the latest decision wins
        amount = decided_amount(r.decided)
        if amount is None:
            continue
        facts = json.loads(r.snapshot)["facts"]
        said = [m for m in facts["members"] if m["covered"] is not None]
        covered = sum(1 for m in said if m["covered"]) if said else None
        out[r.household_id] = (amount, covered)
    return out


def _notice_household(
    h: Household,
    categories: frozenset[HouseholdCategory],
    on: dt.date,
    amount: Decimal,
    covered: int | None,
) -> NoticeHousehold | None:
    head = next((m for m in h.members if m.relation == "head"), None)
    if head is None:
        return None
    record = next(
        c
        for c in sorted(h.categories, key=lambda c: c.start_date, reverse=True)
        if HouseholdCategory(c.category) in categories
        and c.start_date <= on
        and (c.end_date is None or c.end_date >= on)
    )
    members = tuple(NoticeMember(m.name) for m in h.members)
    if covered is None and record.category == HouseholdCategory.DIBAO_SINGLE_PERSON:
        covered = 1  # 单人户: the one person is covered, not the household (§1.1)
    if covered is not None:
        members = members[: max(covered, 0)]
    # Only what notice_rows may carry is filled in: the richer fields stay empty here so
    # nothing private is even handed to the reduction.
    return NoticeHousehold(
        head_name=head.name, head_id_number="", phone="", bank_account="",
        village=h.village, group_name=h.group_name, category=HouseholdCategory(record.category),
        covered=members, monthly_amount=amount, start=record.start_date, end=record.end_date,
    )  # fmt: skip
