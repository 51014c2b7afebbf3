"""台账 exports: the township's ledgers as row streams for a spreadsheet (issue #7).

Ledgers named in the seeds (domain.md §3.4) and sent up on the cadences of §3.6: the
households and members by category, requests and matters, referrals with the on-time
flag, the monthly on-time KPI, 公示 history with objections, the 低保 review schedule and
the near-relative register. Each export is one read unit of work: rows stream from SQL
(``yield_per``) straight into the sink, so 100,000 rows never sit in memory as a list.

Permissions (issue #8): exporting needs 导出台账 (``Permission.EXPORT``). ID numbers are
masked (first 6 and last 4 characters) unless ``full_ids`` is asked for, which also
needs 查看完整证件号 (``Permission.REVEAL_FULL``); the 说明 sheet then says the file holds
full numbers. Disability, illness and bedridden columns stay empty for a role without
``Permission.VIEW_HEALTH``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Row, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from desk_app.domain.assistance.reviews import SEED_REVIEW_CYCLES, ReviewPopulation, add_months
from desk_app.domain.documents import NoticeStage
from desk_app.domain.ids import age_on, mask_id_number
from desk_app.domain.intake import ReferralStatus  # also registers the intake LABELS
from desk_app.domain.ledgers import (
    DIBAO_CATEGORIES,
    TEKUN_CATEGORIES,
    CategoryGroup,
    Cell,
    CellKind,
    Column,
    LedgerBook,
    LedgerKind,
    LedgerSheet,
    LedgerSink,
    WrittenBook,
    category_labels,
    on_time,
    yes_no,
)
from desk_app.domain.registry import (
    LABELS,
    HouseholdCategory,
    Relation,
)
from desk_app.domain.security import Permission
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.jobs import CancelToken, ProgressFn, no_progress
from desk_app.persistence.models import (
    AssessmentRecord,
    Department,
    Household,
    HouseholdCategoryRecord,
    Intake,
    IntakeMatter,
    MatterType,
    NearRelativeFiling,
    Notice,
    NoticeEntry,
    Objection,
    Paper,
    Person,
    Referral,
    RuleSetChoice,
    RuleValue,
    Site,
)
from desk_app.services import audit
from desk_app.services.context import ServiceContext, requires
from desk_app.services.parameters import lookup
from desk_app.services.referrals import ReferralService
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

_C = "ledgers"
BATCH = 1000
"""Rows fetched per round trip while streaming (SQLAlchemy ``yield_per``)."""
DECISION_SUBJECTS = ("dibao.payment", "tekun.living_standard")
"""The reviewer decisions whose figure is a household's monthly amount (as on 公示, #6)."""
DUE_SOON_DAYS = 30

MASKED_NOTE = QT_TRANSLATE_NOOP(_C, "已隐藏中间8位（只显示前6位和后4位）")
FULL_NOTE = QT_TRANSLATE_NOOP(
    _C, "完整号码：本文件含个人身份信息，仅供有权限的工作人员使用，妥善保管，不得外传"
)

NO_HEALTH_NOTE = QT_TRANSLATE_NOOP(
    _C, "未导出：当前角色没有“查看疾病和精神健康信息”权限，相关列留空"
)

_MATTER_STATUS = {
    "accepted": QT_TRANSLATE_NOOP(_C, "窗口受理"),
    "referred": QT_TRANSLATE_NOOP(_C, "已转介"),
    "done": QT_TRANSLATE_NOOP(_C, "办结"),
    "returned": QT_TRANSLATE_NOOP(_C, "退回"),
}
_NOTICE_STATUS = {
    "draft": QT_TRANSLATE_NOOP(_C, "未张贴"),
    "posted": QT_TRANSLATE_NOOP(_C, "已张贴"),
    "closed": QT_TRANSLATE_NOOP(_C, "已结束"),
}
_OBJECTION_STATUS = {
    "open": QT_TRANSLATE_NOOP(_C, "待处理"),
    "upheld": QT_TRANSLATE_NOOP(_C, "异议成立"),
    "dismissed": QT_TRANSLATE_NOOP(_C, "异议不成立"),
}


@dataclass(frozen=True, slots=True)
class LedgerRequest:
    """What to export. Fields a ledger does not use are ignored (see :class:`LedgerInfo`)."""

    kind: LedgerKind
    full_ids: bool = False
    """Full ID numbers instead of masked ones; needs ``Permission.REVEAL_FULL`` (#8)."""
    scope: CategoryGroup = CategoryGroup.ALL
    """Households ledger: which households, by category held on ``on``."""
    date_from: dt.date | None = None
    """Intake, referrals, notices: first day (received, created); KPI: first month."""
    date_to: dt.date | None = None
    on: dt.date | None = None
    """Households and review schedule: the day categories are read for (default today)."""


@dataclass(frozen=True, slots=True)
class LedgerInfo:
    kind: LedgerKind
    label: str
    description: str
    uses_scope: bool
    uses_period: bool
    uses_on: bool


@dataclass(frozen=True, slots=True)
class ExportSummary:
    kind: str
    title: str
    sheets: tuple[tuple[str, int], ...]
    """Rows written per sheet (the 说明 sheet not counted)."""
    full_ids: bool

    @property
    def rows(self) -> int:
        return sum(n for _name, n in self.sheets)


LEDGERS: tuple[LedgerInfo, ...] = (
    LedgerInfo(LedgerKind.HOUSEHOLDS, LedgerKind.HOUSEHOLDS.label,
               QT_TRANSLATE_NOOP(_C, "家庭户一户一行、家庭成员一人一行，可按低保、特困、建档立卡筛选"), True, False, True),
    LedgerInfo(LedgerKind.INTAKE, LedgerKind.INTAKE.label,
               QT_TRANSLATE_NOOP(_C, "每次受理的每项诉求：去向、接收部门、期限、缺少的材料"), False, True, False),
    LedgerInfo(LedgerKind.REFERRALS, LedgerKind.REFERRALS.label,
               QT_TRANSLATE_NOOP(_C, "按部门列出每件转介：状态、到期日、是否按时答复"), False, True, False),
    LedgerInfo(LedgerKind.KPI, LedgerKind.KPI.label,
               QT_TRANSLATE_NOOP(_C, "各部门每月按时答复的比例，低于目标的标出"), False, True, False),
    LedgerInfo(LedgerKind.NOTICES, LedgerKind.NOTICES.label,
               QT_TRANSLATE_NOOP(_C, "每次公示的每一户，以及收到的异议和处理结果"), False, True, False),
    LedgerInfo(LedgerKind.REVIEWS, LedgerKind.REVIEWS.label,
               QT_TRANSLATE_NOOP(_C, "低保户的下次核查日期（按类别的核查周期，从上次审核决定起算）"), False, False, True),
    LedgerInfo(LedgerKind.NEAR_RELATIVES, LedgerKind.NEAR_RELATIVES.label,
               QT_TRANSLATE_NOOP(_C, "与干部有近亲属关系的救助对象备案"), False, False, False),
)  # fmt: skip


class LedgerService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(Permission.EXPORT)
    def ledgers(self) -> tuple[LedgerInfo, ...]:
        """The ledgers on offer, in menu order, with the options each one reads."""
        return LEDGERS

    @requires(Permission.EXPORT)
    def file_name(self, request: LedgerRequest) -> str:
        """A default file name: 乡镇_台账_日期.xlsx (no personal data)."""
        with self._uow(write=False) as uow:
            site = uow.session.scalars(select(Site).order_by(Site.id).limit(1)).first()
            township = site.township_name if site else ""  # read while the session is open
        scope = "" if request.scope is CategoryGroup.ALL or request.kind is not LedgerKind.HOUSEHOLDS else f"_{request.scope.label}"  # fmt: skip
        parts = [township, request.kind.label + scope, f"{self._context.today():%Y%m%d}"]
        return safe_file_name("_".join(p for p in parts if p)) + ".xlsx"

    @requires(Permission.EXPORT)
    def export(
        self,
        request: LedgerRequest,
        sink: LedgerSink,
        *,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> ExportSummary:
        """Stream the ledger into ``sink`` (e.g. ``reports.ledgers.XlsxSink(path)``).

        A long job in the ``job(progress, cancel)`` form (``desk_app.jobs``): cancelling
        raises :class:`~desk_app.errors.Cancelled` from the sink, which leaves no file.
        """
        if request.full_ids:
            # Full numbers are the right to see them (#8), over and above exporting.
            self._context.require(Permission.REVEAL_FULL)
        cancel = cancel or CancelToken()
        today = self._context.today()
        kpi_rows = None
        if request.kind is LedgerKind.KPI:
            first, last = _kpi_months(request, today)
            kpi_rows = ReferralService(self._uow, self._context).kpi(first, last)
        progress(0.0, QT_TRANSLATE_NOOP(_C, "正在读取数据…"))
        with self._uow(write=False) as uow:
            s = uow.session
            book = _Builder(s, request, today, self._context).book(kpi_rows)
            written = sink(book, progress, cancel)
        log.info(
            "ledger exported: kind=%s rows=%d full_ids=%s",
            request.kind.value, written.total, request.full_ids,
        )  # fmt: skip
        audit.record_action(
            self._uow, self._context, "export", "ledger", request.kind.value,
            rows=written.total, full_ids=request.full_ids,
        )  # fmt: skip
        return summary_of(request.kind.value, book, written, request.full_ids)


def summary_of(kind: str, book: LedgerBook, written: WrittenBook, full_ids: bool) -> ExportSummary:
    return ExportSummary(kind, book.title, written.rows, full_ids)


def safe_file_name(text: str) -> str:
    """Characters Windows refuses in a file name become ＿."""
    return "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in text).strip(" .")


def _kpi_months(request: LedgerRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    last = (request.date_to or today).replace(day=1)
    first = (request.date_from or add_months(last, -11)).replace(day=1)
    return first, last


def active_on(on: dt.date) -> Any:
    hc = HouseholdCategoryRecord
    return and_(hc.start_date <= on, or_(hc.end_date.is_(None), hc.end_date >= on))


def in_scope(scope: CategoryGroup, on: dt.date) -> Any:
    """Households holding a category of the group on ``on`` (every household for ALL)."""
    if scope is CategoryGroup.ALL:
        return true()
    hc = HouseholdCategoryRecord
    return (
        select(hc.id)
        .where(
            hc.household_id == Household.id,
            hc.category.in_([c.value for c in scope.categories]),
            active_on(on),
        )
        .exists()
    )


def _categories_sq(on: dt.date, only: frozenset[HouseholdCategory] = frozenset()) -> Any:
    hc = HouseholdCategoryRecord
    stmt = select(func.aggregate_strings(hc.category, ",")).where(
        hc.household_id == Household.id, active_on(on)
    )
    if only:
        stmt = stmt.where(hc.category.in_([c.value for c in only]))
    return stmt.scalar_subquery()


def _since_sq(on: dt.date, only: frozenset[HouseholdCategory]) -> Any:
    hc = HouseholdCategoryRecord
    stmt = select(func.min(hc.start_date)).where(hc.household_id == Household.id, active_on(on))
    if only:
        stmt = stmt.where(hc.category.in_([c.value for c in only]))
    return stmt.scalar_subquery()


def _members_sq() -> Any:
    member = aliased(Person)
    return (
        select(func.count(member.id)).where(member.household_id == Household.id).scalar_subquery()
    )


def _latest_decision_sq() -> Any:
    ar = AssessmentRecord
    return (
        select(ar.id)
        .where(ar.household_id == Household.id, ar.subject_key.in_(DECISION_SUBJECTS))
        .order_by(ar.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def decided_amount(decided: str | None) -> Decimal | None:
    """The reviewer's figure as money, when the decision is a number (it may be a remark)."""
    if not decided:
        return None
    try:
        value = Decimal(decided.replace(",", "").removesuffix("元").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def decided_covered(snapshot: str | None) -> int | None:
    """People the decision's facts mark covered; None when the decision does not say."""
    if not snapshot:
        return None
    try:
        members = json.loads(snapshot)["facts"]["members"]
        said = [m for m in members if m.get("covered") is not None]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return sum(1 for m in said if m["covered"]) if said else None


def assistance_people(categories: set[str], members: int, covered: int | None) -> int | None:
    """保障人数: the decision's covered count, else the whole household for a 低保/特困
    household (as the 公示 counts it, #6), else nothing."""
    if not categories & {c.value for c in DIBAO_CATEGORIES | TEKUN_CATEGORIES}:
        return None
    return covered if covered is not None else members


@functools.lru_cache(maxsize=512)
def _category_text(codes: str | None) -> str:
    """Labels of a comma-joined list of category codes (few distinct lists: cached)."""
    return category_labels((codes or "").split(","))


def _label(vocabulary: str, code: str | None) -> str:
    if not code:
        return ""
    return LABELS.get(vocabulary, {}).get(code, code)


def _stream(
    s: Session, stmt: Select[*tuple[Any, ...]], convert: Callable[[Any], Sequence[Cell]]
) -> Iterator[Sequence[Cell]]:
    for row in s.execute(stmt.execution_options(yield_per=BATCH)):
        yield convert(row)


def _count(s: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    return int(s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


class _Builder:
    """Builds one request's book inside an open read session."""

    def __init__(
        self, s: Session, request: LedgerRequest, today: dt.date, context: ServiceContext
    ) -> None:
        self.s = s
        self.r = request
        self.today = today
        self.on = request.on or today
        self.context = context
        self.health = context.can(Permission.VIEW_HEALTH)
        """Disability, illness and bedridden columns only for a role that may see them."""

    def ids(self, value: str | None) -> str:
        if not value:
            return ""
        return value if self.r.full_ids else mask_id_number(value)

    def book(self, kpi_rows: Any) -> LedgerBook:
        kind = self.r.kind
        sheets: tuple[LedgerSheet, ...]
        extra: list[tuple[str, str]] = []
        if kind is LedgerKind.HOUSEHOLDS:
            sheets = (self.households(), self.members())
            extra = [
                (QT_TRANSLATE_NOOP(_C, "范围"), self.r.scope.label),
                (QT_TRANSLATE_NOOP(_C, "类别截至"), self.on.isoformat()),
                (QT_TRANSLATE_NOOP(_C, "保障人数和月保障金额"), QT_TRANSLATE_NOOP(_C, "取自最近一次审核决定（户籍页“救助测算”）；没有决定的低保、特困户按全户人数计，金额空白")),
            ]  # fmt: skip
        elif kind is LedgerKind.INTAKE:
            sheets = (self.intake(),)
            extra = self.period_notes()
        elif kind is LedgerKind.REFERRALS:
            sheets = (self.referrals(),)
            extra = [*self.period_notes(), (QT_TRANSLATE_NOOP(_C, "是否按时"), QT_TRANSLATE_NOOP(_C, "部门答复登记在到期日当天或之前为按时；与“考核统计”页的按时办结率计算方法相同（domain.md §3.7）"))]  # fmt: skip
        elif kind is LedgerKind.KPI:
            sheets = (self.kpi(kpi_rows),)
            first, last = _kpi_months(self.r, self.today)
            extra = [
                (QT_TRANSLATE_NOOP(_C, "统计月份"), f"{first:%Y-%m} 至 {last:%Y-%m}（按到期日所在月份）"),
                (QT_TRANSLATE_NOOP(_C, "计算方法"), QT_TRANSLATE_NOOP(_C, "部门已答复或已过期的转介计入；答复登记在到期日当天或之前为按时；目标取参数 kpi.on_time_target（domain.md §3.7，seed 001_132aebca7b0b4260.txt）")),
            ]  # fmt: skip
        elif kind is LedgerKind.NOTICES:
            sheets = (self.notice_entries(), self.objections())
            extra = self.period_notes()
        elif kind is LedgerKind.REVIEWS:
            sheets = (self.reviews(),)
            extra = [
                (QT_TRANSLATE_NOOP(_C, "截至"), self.on.isoformat()),
                (QT_TRANSLATE_NOOP(_C, "计算依据"), QT_TRANSLATE_NOOP(_C, "a、b类户每年核查一次，c类户每半年一次（domain.md §2.3，seed 003_538988cd989ea5d8.txt 篇一；所用参数集另有规定的从其规定）；所有低保对象每半年经核对平台复核一次（篇七）。起算日为最近一次低保审核决定日期，没有决定的按纳入日期。本程序尚不记录入户核查本身，实际核查后请记录审核决定，下次日期随之更新。收入不稳定、有劳动能力成员的低保户每半年核查一次，本程序无法自动识别，请人工把握")),
            ]  # fmt: skip
        else:
            sheets = (self.near_relatives(),)
        return LedgerBook(kind.label, sheets, self.notes(kind.label, extra))

    def period_notes(self) -> list[tuple[str, str]]:
        start = self.r.date_from.isoformat() if self.r.date_from else QT_TRANSLATE_NOOP(_C, "不限")
        end = self.r.date_to.isoformat() if self.r.date_to else QT_TRANSLATE_NOOP(_C, "不限")
        return [(QT_TRANSLATE_NOOP(_C, "期间"), f"{start} 至 {end}")]

    def notes(self, title: str, extra: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        site = self.s.scalars(select(Site).order_by(Site.id).limit(1)).first()
        lines = [
            (QT_TRANSLATE_NOOP(_C, "台账"), title),
            (QT_TRANSLATE_NOOP(_C, "乡镇（街道）"), f"{site.township_name} {site.window_name}" if site else ""),
            (QT_TRANSLATE_NOOP(_C, "导出时间"), self.context.clock().isoformat(" ", "minutes")),
            (QT_TRANSLATE_NOOP(_C, "导出人"), self.context.actor),
            *extra,
            (QT_TRANSLATE_NOOP(_C, "身份证号码"), FULL_NOTE if self.r.full_ids else MASKED_NOTE),
            *([] if self.health else [(QT_TRANSLATE_NOOP(_C, "疾病和残疾信息"), NO_HEALTH_NOTE)]),
            (QT_TRANSLATE_NOOP(_C, "来源"), QT_TRANSLATE_NOOP(_C, "社会救助综合服务窗口程序导出；台账种类见 domain.md §3.4，报送周期见 §3.6")),
        ]  # fmt: skip
        return tuple(lines)

    # ------------------------------------------------------------------ households

    def _household_query(self) -> Select[*tuple[Any, ...]]:
        head = aliased(Person)
        decision = aliased(AssessmentRecord)
        only = self.r.scope.categories
        return (
            select(
                Household.id, Household.number, Household.village, Household.group_name,
                Household.residence, Household.address, head.name.label("head_name"),
                head.id_number.label("head_id"), _members_sq().label("members"),
                _categories_sq(self.on, only).label("cats"), _since_sq(self.on, only).label("since"),
                _categories_sq(self.on).label("all_cats"),
                decision.decided, decision.snapshot,
            )
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .outerjoin(decision, decision.id == _latest_decision_sq())
            .where(in_scope(self.r.scope, self.on))
            .order_by(Household.village, Household.group_name, Household.number)
        )  # fmt: skip

    def households(self) -> LedgerSheet:
        columns = (
            Column("户编号", 16), Column("村（社区）", 14), Column("组", 8), Column("户主姓名", 10),
            Column("户主身份证号", 21, CellKind.ID), Column("类别", 26), Column("家庭人口", 9, CellKind.INT),
            Column("保障人数", 9, CellKind.INT), Column("月保障金额（元）", 14, CellKind.MONEY),
            Column("纳入日期", 12, CellKind.DATE), Column("城乡", 6), Column("住址", 30),
        )  # fmt: skip
        stmt = self._household_query()

        def convert(r: Row[Any]) -> Sequence[Cell]:
            all_cats = set((r.all_cats or "").split(",")) - {""}
            covered = decided_covered(r.snapshot)
            return (
                r.number, r.village, r.group_name, r.head_name or "", self.ids(r.head_id),
                _category_text(r.cats), r.members,
                assistance_people(all_cats, r.members, covered), decided_amount(r.decided),
                r.since, _label("ResidenceType", r.residence), r.address,
            )  # fmt: skip

        return LedgerSheet("家庭户", columns, _stream(self.s, stmt, convert), _count(self.s, stmt))

    def members(self) -> LedgerSheet:
        columns = (
            Column("户编号", 16), Column("村（社区）", 14), Column("组", 8), Column("户主姓名", 10),
            Column("户主身份证号", 21, CellKind.ID), Column("姓名", 10), Column("身份证号", 21, CellKind.ID),
            Column("与户主关系", 10), Column("性别", 5), Column("出生日期", 12, CellKind.DATE),
            Column("年龄", 6, CellKind.INT), Column("户类别", 26), Column("残疾类别", 8),
            Column("残疾等级", 8, CellKind.INT), Column("劳动能力", 14), Column("自理能力", 10),
            Column("长期卧床", 8), Column("重特大疾病", 10),
        )  # fmt: skip
        head = aliased(Person)
        stmt = (
            select(
                Household.number, Household.village, Household.group_name,
                head.name.label("head_name"), head.id_number.label("head_id"),
                Person.name, Person.id_number, Person.relation, Person.sex, Person.birth_date,
                _categories_sq(self.on, self.r.scope.categories).label("cats"),
                Person.has_disability_cert, Person.disability_category, Person.disability_grade,
                Person.labour_ability, Person.self_care, Person.bedridden, Person.major_illness,
            )
            .join(Household, Household.id == Person.household_id)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .where(in_scope(self.r.scope, self.on))
            .order_by(Household.village, Household.group_name, Household.number,
                      case((Person.relation == Relation.HEAD.value, 0), else_=1), Person.id)
        )  # fmt: skip

        relations, disabilities = LABELS["Relation"], LABELS["DisabilityCategory"]
        labour, cares = LABELS["LabourAbility"], LABELS["SelfCare"]
        ids, on, health = self.ids, self.on, self.health

        def convert(r: Any) -> Sequence[Cell]:
            # The hot loop of the largest ledger: plain tuple unpacking and dict lookups.
            (
                number,
                village,
                group,
                head_name,
                head_id,
                name,
                id_number,
                relation,
                sex,
                birth,
                cats,
                certificate,
                disability,
                grade,
                ability,
                care,
                bedridden,
                illness,
            ) = r
            return (
                number, village, group, head_name or "", ids(head_id), name, ids(id_number),
                relations.get(relation, relation or ""), sex, birth, age_on(birth, on),
                _category_text(cats),
                disabilities.get(disability, disability or "") if certificate and health else "",
                grade if certificate and health else None, labour.get(ability, ability),
                cares.get(care, care), yes_no(bedridden) if health else "",
                yes_no(illness) if health else "",
            )  # fmt: skip

        return LedgerSheet(
            "家庭成员", columns, _stream(self.s, stmt, convert), _count(self.s, stmt)
        )

    # ------------------------------------------------------------------ intake, referrals

    def _received(self, column: Any) -> list[Any]:
        out = []
        if self.r.date_from:
            out.append(column >= dt.datetime.combine(self.r.date_from, dt.time()))
        if self.r.date_to:
            out.append(
                column < dt.datetime.combine(self.r.date_to + dt.timedelta(days=1), dt.time())
            )
        return out

    def intake(self) -> LedgerSheet:
        columns = (
            Column("受理编号", 15), Column("受理时间", 17, CellKind.DATETIME), Column("户编号", 16),
            Column("户主姓名", 10), Column("户主身份证号", 21, CellKind.ID), Column("村（社区）", 14),
            Column("来源", 12), Column("紧急程度", 10), Column("事项", 22), Column("建议去向", 10),
            Column("实际去向", 10), Column("接收部门", 16), Column("改变建议的理由", 24),
            Column("状态", 10), Column("办理期限", 12, CellKind.DATE), Column("缺少的材料", 30),
            Column("经办人", 10),
        )  # fmt: skip
        papers: dict[str, str] = {
            code: name for code, name in self.s.execute(select(Paper.code, Paper.name))
        }
        head = aliased(Person)
        stmt = (
            select(
                Intake.number.label("intake_number"), Intake.received_at, Household.number,
                head.name.label("head_name"), head.id_number.label("head_id"), Household.village,
                Intake.channel, Intake.urgency, MatterType.name.label("matter"),
                IntakeMatter.proposed_handling, IntakeMatter.handling,
                Department.name.label("department"), IntakeMatter.override_reason,
                IntakeMatter.status, IntakeMatter.due_date, IntakeMatter.papers_missing, Intake.clerk,
            )
            .join(Intake, Intake.id == IntakeMatter.intake_id)
            .join(Household, Household.id == Intake.household_id)
            .join(MatterType, MatterType.code == IntakeMatter.matter_code)
            .join(Department, Department.code == IntakeMatter.department_code)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .where(*self._received(Intake.received_at))
            .order_by(Intake.received_at, Intake.id, IntakeMatter.id)
        )  # fmt: skip

        def convert(r: Row[Any]) -> Sequence[Cell]:
            try:
                missing = "、".join(papers.get(c, c) for c in json.loads(r.papers_missing))
            except (ValueError, TypeError):
                missing = ""
            return (
                r.intake_number, r.received_at, r.number, r.head_name or "", self.ids(r.head_id),
                r.village, _label("Channel", r.channel), _label("Urgency", r.urgency), r.matter,
                _label("Handling", r.proposed_handling), _label("Handling", r.handling), r.department,
                r.override_reason, _MATTER_STATUS.get(r.status, r.status), r.due_date, missing, r.clerk,
            )  # fmt: skip

        return LedgerSheet(
            "诉求事项", columns, _stream(self.s, stmt, convert), _count(self.s, stmt)
        )

    def referrals(self) -> LedgerSheet:
        columns = (
            Column("接收部门", 16), Column("转介编号", 15), Column("受理编号", 15), Column("事项", 22),
            Column("户编号", 16), Column("户主姓名", 10), Column("户主身份证号", 21, CellKind.ID),
            Column("村（社区）", 14), Column("转介时间", 17, CellKind.DATETIME),
            Column("转出时间", 17, CellKind.DATETIME), Column("时限（工作日）", 10, CellKind.INT),
            Column("到期日", 12, CellKind.DATE), Column("状态", 8), Column("答复日期", 12, CellKind.DATE),
            Column("是否按时", 11), Column("催办次数", 8, CellKind.INT), Column("办理结果", 24),
            Column("金额（元）", 12, CellKind.MONEY), Column("退回原因", 20),
        )  # fmt: skip
        head = aliased(Person)
        stmt = (
            select(
                Department.name.label("department"), Referral.number, Intake.number.label("intake_number"),
                MatterType.name.label("matter"), Household.number.label("household_number"),
                head.name.label("head_name"), head.id_number.label("head_id"), Household.village,
                Referral.created_at, Referral.sent_at, Referral.limit_days, Referral.due_date,
                Referral.status, Referral.replied_at, Referral.reminders, Referral.result,
                Referral.amount, Referral.return_reason,
            )
            .join(Department, Department.code == Referral.department_code)
            .join(IntakeMatter, IntakeMatter.id == Referral.matter_id)
            .join(MatterType, MatterType.code == IntakeMatter.matter_code)
            .join(Intake, Intake.id == IntakeMatter.intake_id)
            .join(Household, Household.id == Intake.household_id)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .where(*self._received(Referral.created_at))
            .order_by(Department.sort, Department.code, Referral.due_date, Referral.id)
        )  # fmt: skip

        def convert(r: Row[Any]) -> Sequence[Cell]:
            status = ReferralStatus(r.status)
            replied = r.replied_at.date() if r.replied_at else None
            return (
                r.department, r.number, r.intake_number, r.matter, r.household_number,
                r.head_name or "", self.ids(r.head_id), r.village, r.created_at, r.sent_at,
                r.limit_days, r.due_date, status.label, replied,
                on_time(r.due_date, replied, status.open, self.today).label, r.reminders,
                r.result, r.amount, r.return_reason,
            )  # fmt: skip

        return LedgerSheet("转介", columns, _stream(self.s, stmt, convert), _count(self.s, stmt))

    def kpi(self, rows: Any) -> LedgerSheet:
        target_row = lookup(self.s, "kpi.on_time_target", self.today)
        target = float(target_row.value) if target_row and target_row.value is not None else 0.8
        columns = (
            Column("月份", 9), Column("部门", 16), Column("计入件数", 9, CellKind.INT),
            Column("按时", 8, CellKind.INT), Column("超时", 8, CellKind.INT),
            Column("按时率", 9, CellKind.PERCENT), Column("目标", 8, CellKind.PERCENT),
            Column("低于目标", 9),
        )  # fmt: skip
        out = [
            (k.month, k.department_name, k.counted, k.on_time, k.late, k.share, target, yes_no(k.below_target))
            for k in rows or ()
        ]  # fmt: skip
        return LedgerSheet("按时办结率", columns, iter(out), len(out))

    # ------------------------------------------------------------------ notices

    def notice_entries(self) -> LedgerSheet:
        columns = (
            Column("公示编号", 15), Column("公示类型", 13), Column("项目", 16), Column("范围", 12),
            Column("期间", 16), Column("状态", 8), Column("张贴日期", 12, CellKind.DATE),
            Column("异议截止", 12, CellKind.DATE), Column("户主姓名", 10), Column("村组", 16),
            Column("保障人数", 9, CellKind.INT), Column("类别", 14),
            Column("月金额（元）", 12, CellKind.MONEY), Column("异议件数", 9, CellKind.INT),
            Column("未处理异议", 10, CellKind.INT),
        )  # fmt: skip
        ob = aliased(Objection)
        objections = (
            select(func.count(ob.id))
            .where(
                ob.notice_id == NoticeEntry.notice_id, ob.household_id == NoticeEntry.household_id
            )
            .scalar_subquery()
        )
        open_objections = (
            select(func.count(ob.id))
            .where(ob.notice_id == NoticeEntry.notice_id, ob.household_id == NoticeEntry.household_id,
                   ob.status == "open")
            .scalar_subquery()
        )  # fmt: skip
        stmt = (
            select(
                Notice.number, Notice.stage, Notice.scheme, Notice.village, Notice.period_label,
                Notice.status, Notice.posted_on, Notice.objection_until, NoticeEntry.head_name,
                NoticeEntry.village_group, NoticeEntry.people_covered, NoticeEntry.category,
                NoticeEntry.monthly_amount, objections.label("objections"),
                open_objections.label("open_objections"),
            )
            .join(Notice, Notice.id == NoticeEntry.notice_id)
            .where(*self._received(Notice.created_at))
            .order_by(Notice.created_at, Notice.id, NoticeEntry.sort)
        )  # fmt: skip

        def convert(r: Row[Any]) -> Sequence[Cell]:
            return (
                r.number, NoticeStage(r.stage).label, r.scheme, r.village or "全乡镇（街道）",
                r.period_label, _NOTICE_STATUS.get(r.status, r.status), r.posted_on,
                r.objection_until, r.head_name, r.village_group, r.people_covered, r.category,
                r.monthly_amount, r.objections, r.open_objections,
            )  # fmt: skip

        return LedgerSheet("公示", columns, _stream(self.s, stmt, convert), _count(self.s, stmt))

    def objections(self) -> LedgerSheet:
        columns = (
            Column("公示编号", 15), Column("户主姓名", 10), Column("村组", 16),
            Column("收到日期", 12, CellKind.DATE), Column("公示期后收到", 12), Column("渠道", 8),
            Column("异议内容", 40), Column("处理状态", 10), Column("处理结果", 40),
            Column("处理日期", 12, CellKind.DATE), Column("登记人", 10), Column("处理人", 10),
        )  # fmt: skip
        stmt = (
            select(
                Notice.number, Notice.objection_until, NoticeEntry.head_name,
                NoticeEntry.village_group, Objection.received_on, Objection.channel,
                Objection.summary, Objection.status, Objection.resolution, Objection.resolved_on,
                Objection.actor, Objection.resolved_by,
            )
            .join(Notice, Notice.id == Objection.notice_id)
            .outerjoin(NoticeEntry, and_(NoticeEntry.notice_id == Objection.notice_id,
                                         NoticeEntry.household_id == Objection.household_id))
            .where(*self._received(Notice.created_at))
            .order_by(Notice.created_at, Notice.id, Objection.received_on, Objection.id)
        )  # fmt: skip

        def convert(r: Row[Any]) -> Sequence[Cell]:
            late = r.objection_until is not None and r.received_on > r.objection_until
            return (
                r.number, r.head_name or "", r.village_group or "", r.received_on, yes_no(late),
                r.channel, r.summary, _OBJECTION_STATUS.get(r.status, r.status), r.resolution,
                r.resolved_on, r.actor, r.resolved_by,
            )  # fmt: skip

        return LedgerSheet("异议", columns, _stream(self.s, stmt, convert), _count(self.s, stmt))

    # ------------------------------------------------------------------ reviews

    def _cycles(self) -> dict[str, int]:
        """Months per 低保 class: the chosen parameter set's value in force, else the seed's."""
        months = {
            "ab": SEED_REVIEW_CYCLES[ReviewPopulation.DIBAO_A][0],
            "c": SEED_REVIEW_CYCLES[ReviewPopulation.DIBAO_C][0],
        }
        chosen = self.s.scalar(
            select(RuleSetChoice.rule_set_id).order_by(RuleSetChoice.id.desc()).limit(1)
        )
        if chosen is None:
            return months
        rows = self.s.execute(
            select(RuleValue.key, RuleValue.value)
            .where(RuleValue.rule_set_id == chosen, RuleValue.effective_from <= self.on,
                   RuleValue.key.in_(("review.ab_months", "review.c_months")))
            .order_by(RuleValue.effective_from, RuleValue.id)
        ).all()  # fmt: skip
        for key, value in rows:  # oldest first: the value in force wins
            try:
                number = int(Decimal(value)) if value is not None else 0
            except InvalidOperation:
                number = 0
            if number >= 1:
                months["ab" if key == "review.ab_months" else "c"] = number
        return months

    def reviews(self) -> LedgerSheet:
        columns = (
            Column("户编号", 16), Column("村（社区）", 14), Column("组", 8), Column("户主姓名", 10),
            Column("户主身份证号", 21, CellKind.ID), Column("低保类别", 22),
            Column("纳入日期", 12, CellKind.DATE), Column("上次审核决定", 12, CellKind.DATE),
            Column("核查周期（月）", 10, CellKind.INT), Column("下次核查日期", 12, CellKind.DATE),
            Column("核对平台复核日期", 14, CellKind.DATE), Column("状态", 11), Column("起算", 16),
        )  # fmt: skip
        cycles = self._cycles()
        recheck = SEED_REVIEW_CYCLES[ReviewPopulation.PLATFORM_RECHECK][0]
        head = aliased(Person)
        ar = AssessmentRecord
        last_decision = (
            select(func.max(ar.on_date))
            .where(ar.household_id == Household.id, ar.subject_key.like("dibao.%"),
                   ar.on_date <= self.on)
            .scalar_subquery()
        )  # fmt: skip
        since = _since_sq(self.on, DIBAO_CATEGORIES)
        stmt = (
            select(
                Household.number, Household.village, Household.group_name,
                head.name.label("head_name"), head.id_number.label("head_id"),
                _categories_sq(self.on, DIBAO_CATEGORIES).label("cats"), since.label("since"),
                last_decision.label("last_decision"),
            )
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .where(in_scope(CategoryGroup.DIBAO, self.on))
            .order_by(func.coalesce(last_decision, since), Household.number)
        )  # fmt: skip
        soon = self.on + dt.timedelta(days=DUE_SOON_DAYS)

        def convert(r: Row[Any]) -> Sequence[Cell]:
            codes = set((r.cats or "").split(","))
            if HouseholdCategory.DIBAO_C.value in codes:
                months = cycles["c"]
            elif codes & {HouseholdCategory.DIBAO_A.value, HouseholdCategory.DIBAO_B.value}:
                months = cycles["ab"]
            else:
                months = recheck  # 单人户/分户 without a class: the half-yearly re-check
            start = r.last_decision or r.since
            due = add_months(start, months)
            status = "已逾期" if due < self.on else ("即将到期" if due <= soon else "")
            basis = "上次审核决定" if r.last_decision else "纳入日期（尚无审核决定）"
            return (
                r.number, r.village, r.group_name, r.head_name or "", self.ids(r.head_id),
                category_labels(codes), r.since, r.last_decision, months, due,
                add_months(start, recheck), status, basis,
            )  # fmt: skip

        return LedgerSheet(
            "定期核查", columns, _stream(self.s, stmt, convert), _count(self.s, stmt)
        )

    # ------------------------------------------------------------------ near relatives

    def near_relatives(self) -> LedgerSheet:
        columns = (
            Column("备案日期", 12, CellKind.DATE), Column("户编号", 16), Column("村（社区）", 14),
            Column("组", 8), Column("户主姓名", 10), Column("救助对象", 10),
            Column("对象身份证号", 21, CellKind.ID), Column("干部姓名", 10), Column("职务", 16),
            Column("工作单位", 18), Column("与对象关系", 10), Column("备注", 24), Column("登记人", 10),
        )  # fmt: skip
        head = aliased(Person)
        subject = aliased(Person)
        f = NearRelativeFiling
        stmt = (
            select(
                f.filed_on, Household.number, Household.village, Household.group_name,
                head.name.label("head_name"), subject.name.label("subject_name"),
                subject.id_number.label("subject_id"), f.official_name, f.official_position,
                f.official_unit, f.relationship, f.note, f.actor,
            )
            .join(Household, Household.id == f.household_id)
            .outerjoin(head, and_(head.household_id == Household.id, head.relation == "head"))
            .outerjoin(subject, subject.id == f.person_id)
            .order_by(f.filed_on, f.id)
        )  # fmt: skip

        def convert(r: Row[Any]) -> Sequence[Cell]:
            return (
                r.filed_on, r.number, r.village, r.group_name, r.head_name or "",
                r.subject_name or "", self.ids(r.subject_id), r.official_name, r.official_position,
                r.official_unit, r.relationship, r.note, r.actor,
            )  # fmt: skip

        return LedgerSheet(
            "近亲属备案", columns, _stream(self.s, stmt, convert), _count(self.s, stmt)
        )
