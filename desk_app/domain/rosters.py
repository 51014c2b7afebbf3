"""External rosters (名单) and 台账比对: reading rules, row checks and household matching.

A township receives lists from other bodies — the 扶贫 office's 建档立卡 roster, the 残联's
disabled-person list, the county's 低保 list — and compares them household by household
with its own register (逐户核对, domain.md §3.5, seed 002_20f40e1960017597.txt). Importing
a roster stores it as it came (rows, source, list date); it never writes to the register.
Matching then sorts every household into four lists — on both, ours only, theirs only,
attributes in conflict — each with the follow-up the seeds name (§3.5, §7 T18).

Everything here is pure: the services feed it cell values and registry facts.
Problem messages name rows and columns only, never a name or an ID number, so they can be
shown, logged and exported without leaking who is on a list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from desk_app.domain.ids import check_id_number, normalize_id_number
from desk_app.domain.ledgers import (
    DIBAO_CATEGORIES,
    POVERTY_CATEGORIES,
    TEKUN_CATEGORIES,
    CategoryGroup,
)
from desk_app.domain.names import normalize_name
from desk_app.domain.registry import DisabilityCategory, HouseholdCategory
from desk_app.errors import FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message

_C = "rosters"

MAX_ROWS = 200_000
"""More rows than any township list; a larger file is refused rather than read for minutes."""
MAX_COLUMNS = 200
MAX_FILE_BYTES = 100 * 1024 * 1024
HEADER_SCAN_ROWS = 20
"""County lists often start with a title row or two; the header is looked for this far."""
MAX_CELL_CHARS = 200
AMOUNT_LIMIT = Decimal(10) ** 10
"""roster_row.amount is NUMERIC(12, 2)."""
MAX_PEOPLE = 99


class RosterKind(StrEnum):
    """Who sent the list (domain.md §3.5, §6.1: 扶贫办, 残联, county 民政)."""

    POVERTY = "poverty"
    DISABILITY = "disability"
    DIBAO = "dibao"
    TEKUN = "tekun"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def default_scope(self) -> CategoryGroup:
        """Which of our households a list is compared with unless the clerk says otherwise.

        建档立卡 and 残联 lists against our 低保 households is the comparison seed
        002_20f40e1960017597.txt prescribes (domain.md §3.5).
        """
        return DEFAULT_SCOPES[self]


KIND_LABELS: dict[RosterKind, str] = {
    RosterKind.POVERTY: QT_TRANSLATE_NOOP(_C, "建档立卡名单"),
    RosterKind.DISABILITY: QT_TRANSLATE_NOOP(_C, "残联残疾人名单"),
    RosterKind.DIBAO: QT_TRANSLATE_NOOP(_C, "低保名单（县级）"),
    RosterKind.TEKUN: QT_TRANSLATE_NOOP(_C, "特困人员名单（县级）"),
    RosterKind.OTHER: QT_TRANSLATE_NOOP(_C, "其他名单"),
}

DEFAULT_SCOPES: dict[RosterKind, CategoryGroup] = {
    RosterKind.POVERTY: CategoryGroup.DIBAO,
    RosterKind.DISABILITY: CategoryGroup.DIBAO,
    RosterKind.DIBAO: CategoryGroup.DIBAO,
    RosterKind.TEKUN: CategoryGroup.TEKUN,
    RosterKind.OTHER: CategoryGroup.ALL,
}


class RosterField(StrEnum):
    """What a column of an external list can mean to us."""

    ID_NUMBER = "id_number"
    NAME = "name"
    HEAD_ID_NUMBER = "head_id_number"
    VILLAGE = "village"
    GROUP = "group"
    CATEGORY = "category"
    PEOPLE = "people"
    AMOUNT = "amount"
    NOTE = "note"

    @property
    def label(self) -> str:
        return FIELD_LABELS[self]


FIELD_LABELS: dict[RosterField, str] = {
    RosterField.ID_NUMBER: QT_TRANSLATE_NOOP(_C, "身份证号"),
    RosterField.NAME: QT_TRANSLATE_NOOP(_C, "姓名"),
    RosterField.HEAD_ID_NUMBER: QT_TRANSLATE_NOOP(_C, "户主身份证号"),
    RosterField.VILLAGE: QT_TRANSLATE_NOOP(_C, "村（社区）"),
    RosterField.GROUP: QT_TRANSLATE_NOOP(_C, "组"),
    RosterField.CATEGORY: QT_TRANSLATE_NOOP(_C, "类别"),
    RosterField.PEOPLE: QT_TRANSLATE_NOOP(_C, "人数"),
    RosterField.AMOUNT: QT_TRANSLATE_NOOP(_C, "金额（元/月）"),
    RosterField.NOTE: QT_TRANSLATE_NOOP(_C, "备注"),
}

REQUIRED_FIELDS = frozenset({RosterField.ID_NUMBER})
"""The match key: households are compared on ID numbers (domain.md §3.5)."""

# Header texts seen on county lists, best first. Compared after normalize_header, which
# drops spaces, a trailing bracket (units such as 元) and required-field stars.
ALIASES: dict[RosterField, tuple[str, ...]] = {
    RosterField.ID_NUMBER: ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码",
                            "身份证件号码", "身份证", "成员身份证号", "成员身份证号码", "对象身份证号"),
    RosterField.HEAD_ID_NUMBER: ("户主身份证号", "户主身份证号码", "户主证件号码", "户主公民身份号码"),
    RosterField.NAME: ("姓名", "成员姓名", "对象姓名", "救助对象姓名", "享受人姓名", "保障对象姓名"),
    RosterField.VILLAGE: ("村", "村社区", "行政村", "社区", "村居", "所在村", "村名", "村委会",
                          "所在村社区"),
    RosterField.GROUP: ("组", "村民小组", "小组", "组别", "所在组", "村组"),
    RosterField.CATEGORY: ("类别", "保障类别", "户类别", "对象类别", "低保类别", "救助类别", "类型",
                           "人员类别", "脱贫属性", "贫困户属性", "供养方式", "残疾类别"),
    RosterField.PEOPLE: ("保障人数", "人数", "享受人数", "家庭人口", "家庭人口数", "家庭人数", "户人数",
                         "人口数", "供养人数"),
    RosterField.AMOUNT: ("月保障金额", "金额", "保障金额", "月保障金", "发放金额", "救助金额", "月金额",
                         "补助金额", "月发放金额", "月低保金", "低保金"),
    RosterField.NOTE: ("备注",),
}  # fmt: skip
FALLBACK_NAMES = ("户主姓名", "户主")
"""A household-level list names only the head: then that is the row's name."""
SUMMARY_WORDS = frozenset({"合计", "总计", "小计", "共计"})
"""A row without an ID number whose cells say this is the list's total line, not a person."""

_BRACKET_TAIL = re.compile(r"\([^()]*\)$")


def normalize_header(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(folded.split()).strip("*:")
    return _BRACKET_TAIL.sub("", folded).replace("/", "").replace("(", "").replace(")", "")


def header_names(cells: Sequence[str]) -> tuple[str, ...]:
    """Column keys for a header row: the header text, made unique and never empty.

    A blank header becomes 第N列; a repeated one gets （第N列） appended, so a mapping can
    always say which column it means.
    """
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(cells, start=1):
        text = raw.strip()
        if not text:
            text = f"第{index}列"
        elif text in seen:
            text = f"{text}（第{index}列）"
        seen.add(text)
        out.append(text)
    return tuple(out)


def suggest_mapping(headers: Sequence[str]) -> dict[str, RosterField]:
    """Header → field for every header an alias recognises (the clerk confirms or edits)."""
    normalized = {normalize_header(h): h for h in reversed(headers)}  # first occurrence wins
    out: dict[str, RosterField] = {}
    taken: set[str] = set()

    def pick(names: Iterable[str]) -> str | None:
        for name in names:
            header = normalized.get(normalize_header(name))
            if header is not None and header not in taken:
                return header
        return None

    for target in RosterField:
        header = pick(ALIASES[target])
        if header is not None:
            out[header] = target
            taken.add(header)
    if RosterField.ID_NUMBER not in out.values():
        # Only the head's number: a household list, keyed by the head.
        head = next((h for h, f in out.items() if f is RosterField.HEAD_ID_NUMBER), None)
        if head is not None:
            out[head] = RosterField.ID_NUMBER
    if RosterField.NAME not in out.values():
        header = pick(FALLBACK_NAMES)
        if header is not None:
            out[header] = RosterField.NAME
    return out


def looks_like_header(cells: Sequence[str]) -> bool:
    keys = {normalize_header(c) for c in cells if c.strip()}
    wanted = {normalize_header(a) for a in ALIASES[RosterField.ID_NUMBER]}
    wanted |= {normalize_header(a) for a in ALIASES[RosterField.HEAD_ID_NUMBER]}
    return bool(keys & wanted)


def find_header_row(first_rows: Sequence[Sequence[str]]) -> int:
    """1-based index of the header among the first rows: the first naming an ID column,
    else the first with at least two filled cells, else the first row."""
    for index, cells in enumerate(first_rows, start=1):
        if looks_like_header(cells):
            return index
    for index, cells in enumerate(first_rows, start=1):
        if sum(1 for c in cells if c.strip()) >= 2:
            return index
    return 1


# ----------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with one row: row number and column, never the cell's content."""

    row: int
    column: str
    """The column's header in the file ('' for the row as a whole)."""
    message: Message

    def render(self, translate: object = None) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”" if self.column else "")
        return f"{where}：{self.message.render(translate)}"


class RosterImportError(ValidationError):
    """A roster file that cannot be imported as it is: the file itself, or rows in it.

    ``row_problems`` holds every bad row (all at once, issue #7); ``problems`` holds the
    file-level ones. The message counts rows rather than listing them: a file can have
    thousands of bad rows.
    """

    def __init__(
        self,
        problems: Sequence[FieldProblem] = (),
        row_problems: Sequence[RowProblem] = (),
    ) -> None:
        self.row_problems = tuple(row_problems)
        if not problems:
            rows = len({p.row for p in self.row_problems})
            problems = [
                FieldProblem(
                    "rows",
                    QT_TRANSLATE_NOOP(_C, "名单内容"),
                    Message(
                        _C,
                        QT_TRANSLATE_NOOP(
                            _C,
                            "有 {rows} 行不符合要求（共 {count} 处），没有导入任何数据。请改正后重新导入，或选择跳过这些行",
                        ),
                        {"rows": rows, "count": len(self.row_problems)},
                    ),
                )
            ]
        super().__init__(problems)

    @classmethod
    def file(cls, text: str, **params: object) -> RosterImportError:
        return cls(
            [
                FieldProblem(
                    "file", QT_TRANSLATE_NOOP(_C, "名单文件"), Message(_C, text, dict(params))
                )
            ]
        )


def _problem(row: int, column: str, text: str, **params: object) -> RowProblem:
    return RowProblem(row, column, Message(_C, text, dict(params)))


# check_id_number's messages quote digits of the number; rosters must not, so each is
# replaced by the same sentence without the value.
_ID_REASONS: dict[str, str] = {
    "前两位“{code}”不是有效的省级行政区划代码": QT_TRANSLATE_NOOP(
        _C, "前两位不是有效的省级行政区划代码"
    ),
    "第7–14位“{digits}”不是有效的出生日期": QT_TRANSLATE_NOOP(_C, "第7–14位不是有效的出生日期"),
    "出生日期{date}晚于今天": QT_TRANSLATE_NOOP(_C, "出生日期晚于今天"),
    "出生年份{year}不合理": QT_TRANSLATE_NOOP(_C, "出生年份不合理"),
    "校验位应为“{expected}”而不是“{actual}”，请核对号码是否抄错": QT_TRANSLATE_NOOP(
        _C, "校验位不对，请核对号码是否抄错"
    ),
}
_SAFE_ID_PARAMS = frozenset({"length"})


def _id_reason(message: Message) -> Message:
    if set(message.params) <= _SAFE_ID_PARAMS:
        return message
    return Message(_C, _ID_REASONS.get(message.source, QT_TRANSLATE_NOOP(_C, "身份证号码不正确")))


# ----------------------------------------------------------------------------- cells

RawCell = str | int | float | Decimal | bool | dt.date | dt.datetime | dt.time | None
"""What a reader hands over: a CSV cell is text, an XLSX cell whatever openpyxl read."""


def cell_text(value: RawCell) -> str:
    """A cell as text: dates as ISO, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One valid row of a list, as stored (``roster_row``)."""

    row_number: int
    id_number: str
    name: str = ""
    head_id_number: str = ""
    village: str = ""
    group_name: str = ""
    category: str = ""
    people: int | None = None
    amount: Decimal | None = None
    note: str = ""

    @property
    def household_key(self) -> str:
        """The household a row belongs to: its head's number, or its own on a household list."""
        return self.head_id_number or self.id_number


_TEXT_LIMITS: dict[RosterField, int] = {
    RosterField.NAME: 60,
    RosterField.VILLAGE: 60,
    RosterField.GROUP: 30,
    RosterField.CATEGORY: 40,
    RosterField.NOTE: MAX_CELL_CHARS,
}


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


def _id_value(
    row: int, column: str, value: RawCell, today: dt.date, *, required: bool
) -> tuple[str, RowProblem | None]:
    if isinstance(value, float):
        # Excel keeps 15 significant digits: a number typed into a general cell has lost
        # its last digits already; no guess can restore them.
        return "", _problem(row, column, QT_TRANSLATE_NOOP(_C, "身份证号码被存成了数字，末几位已丢失；请把该列设为“文本”后重新录入"))  # fmt: skip
    if isinstance(value, bool | dt.date | dt.datetime | dt.time):
        return "", _problem(row, column, QT_TRANSLATE_NOOP(_C, "这里应是身份证号码"))
    text = normalize_id_number(cell_text(value))
    if not text:
        if required:
            return "", _problem(row, column, QT_TRANSLATE_NOOP(_C, "身份证号码为空"))
        return "", None
    if len(text) > 40:
        return "", _problem(row, column, QT_TRANSLATE_NOOP(_C, "这里应是身份证号码"))
    check = check_id_number(text, today)
    if check.id is None:
        assert check.problem is not None
        return "", RowProblem(row, column, _id_reason(check.problem))
    return check.id.value, None


def _people_value(row: int, column: str, value: RawCell) -> tuple[int | None, RowProblem | None]:
    bad = _problem(
        row, column, QT_TRANSLATE_NOOP(_C, "人数应为 1 到 {limit} 之间的整数"), limit=MAX_PEOPLE
    )
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool | dt.date | dt.datetime | dt.time):
        return None, bad
    if isinstance(value, int | float | Decimal):
        number: Decimal | None = _decimal(value)
    else:
        number = _decimal(cell_text(value).removesuffix("人").removesuffix("口"))
    if number is None or number != number.to_integral_value() or not 1 <= number <= MAX_PEOPLE:
        return None, bad
    return int(number), None


def _decimal(value: RawCell) -> Decimal | None:
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            text = "".join(cell_text(value).split())
            for junk in (",", "，", "元", "￥", "¥"):
                text = text.replace(junk, "")
            if not text or len(text) > 30:
                return None
            number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _amount_value(
    row: int, column: str, value: RawCell
) -> tuple[Decimal | None, RowProblem | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    not_number = isinstance(value, bool | dt.date | dt.datetime | dt.time)
    number = None if not_number else _decimal(value)
    if number is None or abs(number) >= AMOUNT_LIMIT:
        return None, _problem(
            row, column, QT_TRANSLATE_NOOP(_C, "金额应为数字（元），如 375 或 375.50")
        )
    if number < 0 or number != number.quantize(Decimal("0.01"), rounding="ROUND_HALF_EVEN"):
        return None, _problem(row, column, QT_TRANSLATE_NOOP(_C, "金额不能为负，最多两位小数"))
    return number.quantize(Decimal("0.01")), None


def _text_value(row: int, column: str, value: RawCell, limit: int) -> tuple[str, RowProblem | None]:
    text = " ".join(cell_text(value).split()) if value is not None else ""
    if len(text) > limit:
        return "", _problem(
            row, column, QT_TRANSLATE_NOOP(_C, "内容过长（不能超过 {limit} 个字）"), limit=limit
        )
    if _has_control(text):
        return "", _problem(row, column, QT_TRANSLATE_NOOP(_C, "含有不可见的控制字符"))
    return text, None


def is_summary_row(cells: Iterable[RawCell]) -> bool:
    return any(cell_text(c).replace(" ", "") in SUMMARY_WORDS for c in cells)


def parse_row(
    row: int,
    values: Mapping[RosterField, RawCell],
    columns: Mapping[RosterField, str],
    today: dt.date,
) -> tuple[RosterRow | None, list[RowProblem]]:
    """Check one data row; returns the row or every problem in it.

    ``values`` holds the mapped cells; ``columns`` names each field's column for messages.
    """
    problems: list[RowProblem] = []

    def col(f: RosterField) -> str:
        return columns.get(f, f.label)

    id_number, p = _id_value(row, col(RosterField.ID_NUMBER), values.get(RosterField.ID_NUMBER), today, required=True)  # fmt: skip
    problems += [p] if p else []
    head_id = ""
    if RosterField.HEAD_ID_NUMBER in columns:
        head_id, p = _id_value(row, col(RosterField.HEAD_ID_NUMBER), values.get(RosterField.HEAD_ID_NUMBER), today, required=False)  # fmt: skip
        problems += [p] if p else []
    texts: dict[RosterField, str] = {}
    for f, limit in _TEXT_LIMITS.items():
        if f in columns:
            texts[f], p = _text_value(row, col(f), values.get(f), limit)
            if p is not None:
                problems.append(p)
            elif f is RosterField.NAME and not texts[f]:
                problems.append(_problem(row, col(f), QT_TRANSLATE_NOOP(_C, "姓名为空")))
    if RosterField.NAME in texts:
        texts[RosterField.NAME] = normalize_name(texts[RosterField.NAME])
    people, p = _people_value(row, col(RosterField.PEOPLE), values.get(RosterField.PEOPLE))
    problems += [p] if p else []
    amount, p = _amount_value(row, col(RosterField.AMOUNT), values.get(RosterField.AMOUNT))
    problems += [p] if p else []
    if problems:
        return None, problems
    return (
        RosterRow(
            row_number=row, id_number=id_number, name=texts.get(RosterField.NAME, ""),
            head_id_number=head_id if head_id != id_number else "",
            village=texts.get(RosterField.VILLAGE, ""), group_name=texts.get(RosterField.GROUP, ""),
            category=texts.get(RosterField.CATEGORY, ""), people=people, amount=amount,
            note=texts.get(RosterField.NOTE, ""),
        ),
        [],
    )  # fmt: skip


def duplicate_problem(row: int, column: str, first_row: int) -> RowProblem:
    return _problem(
        row, column, QT_TRANSLATE_NOOP(_C, "与第{first}行的身份证号码重复"), first=first_row
    )


def check_mapping(headers: Sequence[str], mapping: Mapping[str, RosterField]) -> list[FieldProblem]:
    """File-level problems of a mapping: missing columns, a field twice, no ID column."""
    problems: list[FieldProblem] = []
    label = QT_TRANSLATE_NOOP(_C, "列对应")
    missing = [h for h in mapping if h not in headers]
    if missing:
        problems.append(
            FieldProblem("mapping", label, Message(_C, QT_TRANSLATE_NOOP(_C, "名单中没有这些列：{columns}"),
                                                   {"columns": "、".join(f"“{h}”" for h in missing)}))
        )  # fmt: skip
    seen: dict[RosterField, str] = {}
    for header, target in mapping.items():
        if target in seen:
            problems.append(
                FieldProblem("mapping", label, Message(_C, QT_TRANSLATE_NOOP(_C, "“{field}”对应了两列：“{first}”和“{second}”"),
                                                       {"field": target.label, "first": seen[target], "second": header}))
            )  # fmt: skip
        seen[target] = header
    for target in sorted(REQUIRED_FIELDS - set(mapping.values())):
        problems.append(
            FieldProblem("mapping", label, Message(_C, QT_TRANSLATE_NOOP(_C, "请指定哪一列是“{field}”：比对按身份证号码逐户进行"),
                                                   {"field": target.label}))
        )  # fmt: skip
    return problems


# ----------------------------------------------------------------------------- matching


class Outcome(StrEnum):
    """The four lists of a comparison (domain.md §3.5 "App implication")."""

    BOTH = "both"
    OURS_ONLY = "ours_only"
    THEIRS_ONLY = "theirs_only"
    CONFLICT = "conflict"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.BOTH: QT_TRANSLATE_NOOP(_C, "两边都有"),
    Outcome.OURS_ONLY: QT_TRANSLATE_NOOP(_C, "仅本系统有"),
    Outcome.THEIRS_ONLY: QT_TRANSLATE_NOOP(_C, "仅名单有"),
    Outcome.CONFLICT: QT_TRANSLATE_NOOP(_C, "信息不一致"),
}


@dataclass(frozen=True, slots=True)
class OurPerson:
    household_id: int | None
    name: str
    labour_lost: bool
    """Fully or partly lost labour ability (§3.5: "which 建档立卡 households have … lost")."""
    bedridden: bool
    severe_disability: bool
    """残疾人证 一级/二级, or 三级 智力/精神 (domain.md §1.11)."""
    has_certificate: bool
    disability_category: str | None


@dataclass(frozen=True, slots=True)
class OurHousehold:
    id: int
    number: str
    village: str
    group_name: str
    head_name: str
    head_id_number: str
    members: int
    categories: frozenset[HouseholdCategory]
    """Categories held on the comparison date."""
    covered: int | None
    """People covered by the latest 低保/特困 decision, when it says."""
    amount: Decimal | None
    """Monthly amount of the latest 低保/特困 decision."""
    labour_lost_members: int
    needs_care_members: int
    """Members bedridden, without labour ability or severely disabled (T18: 单人户/分户)."""
    certificate_members: int


@dataclass(frozen=True, slots=True)
class TheirHousehold:
    key: str
    rows: tuple[RosterRow, ...]

    @property
    def head_row(self) -> RosterRow:
        return next((r for r in self.rows if r.id_number == self.key), self.rows[0])

    def first(self, attribute: str) -> str:
        head = getattr(self.head_row, attribute)
        if head:
            return str(head)
        return next((str(getattr(r, attribute)) for r in self.rows if getattr(r, attribute)), "")

    @property
    def people(self) -> int | None:
        explicit = self.head_row.people
        if explicit is None:
            explicit = next((r.people for r in self.rows if r.people is not None), None)
        return explicit

    @property
    def amount(self) -> Decimal | None:
        if self.head_row.amount is not None:
            return self.head_row.amount
        return next((r.amount for r in self.rows if r.amount is not None), None)


def their_households(rows: Iterable[RosterRow]) -> list[TheirHousehold]:
    grouped: dict[str, list[RosterRow]] = {}
    for r in rows:
        grouped.setdefault(r.household_key, []).append(r)
    return [TheirHousehold(k, tuple(v)) for k, v in grouped.items()]


@dataclass(frozen=True, slots=True)
class MatchItem:
    """One household on one of the four lists. ``key`` is a full ID number: the service
    masks it before it leaves (unless a full export was asked for)."""

    outcome: Outcome
    key: str
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
class MatchInput:
    kind: RosterKind
    scope: CategoryGroup
    per_person: bool
    """The list has one row per person (a 户主身份证号 column): its row count per household
    is the household's people when it gives no 人数."""
    rows: tuple[RosterRow, ...]
    persons: Mapping[str, OurPerson]
    """Registered persons by ID number, for every ID on the list."""
    households: Mapping[int, OurHousehold]
    """Every household in scope, plus every household a listed person belongs to."""
    in_scope: frozenset[int]
    category_labels: Mapping[HouseholdCategory, str] = field(default_factory=dict)
    health: bool = True
    """Whether disability data may be compared (the viewer may see health data, #8)."""


_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村")
_GROUP_SUFFIXES = ("村民小组", "小组", "组", "社")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _strip_suffix(text: str, suffixes: Sequence[str]) -> str:
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    for suffix in suffixes:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return folded[: -len(suffix)]
    return folded


def _cn_number(text: str) -> str:
    """一组 → 1, 十二组 → 12: groups are written both ways on lists."""
    if text.isdigit():
        return str(int(text))
    if text and all(ch in _CN_DIGITS or ch == "十" for ch in text):
        if "十" not in text:
            return "".join(str(_CN_DIGITS[ch]) for ch in text)
        tens, _, ones = text.partition("十")
        return str(
            (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        )
    return text


def same_village(a: str, b: str) -> bool:
    return _strip_suffix(a, _VILLAGE_SUFFIXES) == _strip_suffix(b, _VILLAGE_SUFFIXES)


def same_group(a: str, b: str) -> bool:
    return _cn_number(_strip_suffix(a, _GROUP_SUFFIXES)) == _cn_number(
        _strip_suffix(b, _GROUP_SUFFIXES)
    )


_CLASS_RE = re.compile(r"([ABC])类?")


def _their_categories(kind: RosterKind, text: str) -> frozenset[HouseholdCategory] | None:
    """What a list's category text says in our terms, or None when it cannot tell.

    Only unambiguous words are read: 一类/二类 are not taken as A/B because the seeds do not
    define the classes (domain.md §8 item 3).
    """
    folded = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
    if not folded:
        return None
    if kind is RosterKind.DIBAO:
        m = _CLASS_RE.search(folded)
        if m:
            return frozenset({HouseholdCategory(f"dibao_{m.group(1).lower()}")})
        return None
    if kind is RosterKind.TEKUN:
        if "集中" in folded:
            return frozenset({HouseholdCategory.TEKUN_CENTRALIZED})
        if "分散" in folded:
            return frozenset({HouseholdCategory.TEKUN_DISPERSED})
        return None
    if kind is RosterKind.POVERTY:
        if "未脱贫" in folded:
            return frozenset({HouseholdCategory.POVERTY_UNLIFTED})
        if "返贫" in folded:
            return frozenset({HouseholdCategory.POVERTY_RELAPSED})
        if "监测" in folded:
            return frozenset({HouseholdCategory.MONITORED})
        if "脱贫" in folded:
            return frozenset({HouseholdCategory.POVERTY_LIFTED})
    return None


_KIND_GROUP: dict[RosterKind, tuple[frozenset[HouseholdCategory], str]] = {
    RosterKind.DIBAO: (DIBAO_CATEGORIES, QT_TRANSLATE_NOOP(_C, "低保")),
    RosterKind.TEKUN: (TEKUN_CATEGORIES, QT_TRANSLATE_NOOP(_C, "特困")),
    RosterKind.POVERTY: (POVERTY_CATEGORIES, QT_TRANSLATE_NOOP(_C, "建档立卡")),
}
_DISABILITY_WORDS = {c.label: c.value for c in DisabilityCategory}


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _differences(
    kind: RosterKind,
    their: TheirHousehold,
    ours: OurHousehold,
    persons: Mapping[str, OurPerson],
    households_of_rows: set[int],
    per_person: bool,
    labels: Mapping[HouseholdCategory, str],
    health: bool,
) -> list[str]:
    out: list[str] = []
    for r in their.rows:
        person = persons.get(r.id_number)
        if person is None:
            if per_person:
                out.append(f"第{r.row_number}行的人本系统未登记")
            continue
        if r.name and normalize_name(r.name) != normalize_name(person.name):
            out.append(f"姓名写法不同（第{r.row_number}行）：本系统“{person.name}”，名单“{r.name}”")
        if kind is RosterKind.DISABILITY and health:
            if not person.has_certificate:
                out.append(f"第{r.row_number}行的人本系统未记残疾人证")
            else:
                word = next((v for k, v in _DISABILITY_WORDS.items() if k in r.category), None)
                if word is not None and person.disability_category not in (None, word):
                    out.append(f"残疾类别不同（第{r.row_number}行）")
    if len(households_of_rows) > 1:
        out.append(f"名单中的这一户在本系统分属 {len(households_of_rows)} 户")
    village = their.first("village")
    if village and ours.village and not same_village(village, ours.village):
        out.append(f"村（社区）：本系统“{ours.village}”，名单“{village}”")
    group = their.first("group_name")
    if group and ours.group_name and not same_group(group, ours.group_name):
        out.append(f"组：本系统“{ours.group_name}”，名单“{group}”")
    if kind in _KIND_GROUP:
        group_categories, group_label = _KIND_GROUP[kind]
        held = ours.categories & group_categories
        if not held:
            out.append(f"本系统未记{group_label}类别")
        else:
            said = _their_categories(kind, their.first("category"))
            if said is not None and not said & held:
                ours_text = "、".join(
                    labels.get(c, c.label) for c in sorted(held, key=list(HouseholdCategory).index)
                )
                out.append(f"类别：本系统“{ours_text}”，名单“{their.first('category')}”")
    people = their.people
    if people is None and per_person:
        people = len(their.rows)
    if people is not None and kind is not RosterKind.DISABILITY:
        # 低保/特困 lists count the people covered; other lists the household's members.
        covered_kind = kind in (RosterKind.DIBAO, RosterKind.TEKUN)
        mine = (
            (ours.covered if ours.covered is not None else ours.members)
            if covered_kind
            else ours.members
        )
        if mine != people:
            out.append(f"人数：本系统 {mine} 人，名单 {people} 人")
    listed, mine_amount = their.amount, ours.amount
    compared = kind in (RosterKind.DIBAO, RosterKind.TEKUN)
    if compared and listed is not None and mine_amount is not None and listed != mine_amount:
        out.append(f"金额：本系统 {_money(mine_amount)} 元，名单 {_money(listed)} 元")
    return out


# --- follow-ups (domain.md §3.5 outcomes, §7 T18) ----------------------------------------

BASIS_MATCH = "domain.md §3.5；seed 002_20f40e1960017597.txt"
BASIS_T18A = "domain.md §3.5、§7 T18（A）；seed 002_20f40e1960017597.txt"
BASIS_T18B = "domain.md §3.5、§7 T18（B）、§1.1 单人户；seed 002_20f40e1960017597.txt、seed 004_9aab8ecee895941a.txt"
BASIS_CADENCE = "domain.md §3.5、§3.6（每季度更新扶贫平台低保数据）；seed 002_20f40e1960017597.txt"
BASIS_COUNTY = "domain.md §2.3（县级民政增发、减发、停发）；seed 003_538988cd989ea5d8.txt 篇一"
BASIS_DISABILITY = (
    "domain.md §1.11、§3.5；seed 004_9aab8ecee895941a.txt、seed 003_538988cd989ea5d8.txt 篇五"
)
BASIS_T13 = "domain.md §1.11、§7 T13；seed 003_538988cd989ea5d8.txt 篇五"
BASIS_GENERIC = "domain.md §3.5（逐户核对）"

NOTHING_TO_DO = QT_TRANSLATE_NOOP(_C, "一致，无需处理")
CHECK_DIFFERENCES = QT_TRANSLATE_NOOP(
    _C,
    "核对不一致的项目：本系统登记有误的，在户籍页更正；名单有误的，报名单提供部门核实（导入名单不会修改本系统登记）",
)
NOT_REGISTERED = QT_TRANSLATE_NOOP(_C, "本系统未登记该户：入户核实并登记后")


class _Side(StrEnum):
    """What a list or a scope stands for in the seed's comparison."""

    ASSISTANCE = "assistance"  # 低保 / 特困
    POVERTY = "poverty"  # 建档立卡
    DISABILITY = "disability"
    OTHER = "other"


def _their_side(kind: RosterKind) -> _Side:
    return {
        RosterKind.DIBAO: _Side.ASSISTANCE, RosterKind.TEKUN: _Side.ASSISTANCE,
        RosterKind.POVERTY: _Side.POVERTY, RosterKind.DISABILITY: _Side.DISABILITY,
    }.get(kind, _Side.OTHER)  # fmt: skip


def _our_side(scope: CategoryGroup) -> _Side:
    if scope in (CategoryGroup.DIBAO, CategoryGroup.TEKUN, CategoryGroup.DIBAO_OR_TEKUN):
        return _Side.ASSISTANCE
    if scope is CategoryGroup.POVERTY:
        return _Side.POVERTY
    return _Side.OTHER


def follow_up(
    kind: RosterKind,
    scope: CategoryGroup,
    outcome: Outcome,
    *,
    registered: bool,
    needs_care: bool,
    has_certificate: bool,
) -> tuple[str, str]:
    """The follow-up for one household and the rule it comes from: ``(text, basis)``.

    The seed's comparison is 低保 (ours) against 建档立卡 (theirs), in either direction:
    低保 not 建档立卡 → list to 扶贫 for a check; 建档立卡 not 低保 → 低保 check, 单人户 or
    分户 possible when a member is bedridden or without labour ability (§3.5, T18).
    """
    theirs, ours = _their_side(kind), _our_side(scope)
    if outcome is Outcome.CONFLICT:
        return CHECK_DIFFERENCES, BASIS_GENERIC
    assistance_vs_poverty = {theirs, ours} == {_Side.ASSISTANCE, _Side.POVERTY}
    if assistance_vs_poverty:
        # Who is on the 低保/特困 side of this household and who is on the 建档立卡 side.
        on_assistance_only = (outcome is Outcome.OURS_ONLY and ours is _Side.ASSISTANCE) or (
            outcome is Outcome.THEIRS_ONLY and theirs is _Side.ASSISTANCE
        )
        if outcome is Outcome.BOTH:
            return QT_TRANSLATE_NOOP(_C, "既享受低保（特困）又是建档立卡户：两边台账保持一致，每季度更新扶贫平台上的低保数据"), BASIS_CADENCE  # fmt: skip
        if on_assistance_only:
            text = QT_TRANSLATE_NOOP(_C, "低保（特困）户不在建档立卡名单：列入名单报扶贫部门，核查是否符合建档立卡条件；不符合的，落实产业、搬迁、教育、医疗等其他帮扶")  # fmt: skip
            return text, BASIS_T18A
        if not registered:
            return NOT_REGISTERED + QT_TRANSLATE_NOOP(_C, "，核查是否符合低保条件（建档立卡户符合条件的纳入低保）"), BASIS_T18B  # fmt: skip
        if needs_care:
            return QT_TRANSLATE_NOOP(_C, "建档立卡户有长期卧床、丧失劳动能力或重度残疾的成员，但未享受低保：优先核查低保条件，可按单人户或分户纳入"), BASIS_T18B  # fmt: skip
        return QT_TRANSLATE_NOOP(_C, "建档立卡户未享受低保：核查是否符合低保条件，符合的纳入低保"), BASIS_T18B  # fmt: skip
    if theirs is _Side.DISABILITY and ours is _Side.ASSISTANCE:
        if outcome is Outcome.BOTH:
            return QT_TRANSLATE_NOOP(_C, "低保（特困）户中的残疾人：核查残疾人两项补贴是否落实"), BASIS_DISABILITY  # fmt: skip
        if outcome is Outcome.THEIRS_ONLY:
            if not registered:
                return NOT_REGISTERED + QT_TRANSLATE_NOOP(_C, "，核查低保和残疾人两项补贴条件"), BASIS_DISABILITY  # fmt: skip
            return QT_TRANSLATE_NOOP(_C, "残疾人家庭未享受低保（特困）：核查低保条件，重度残疾人可按单人户纳入；同时核查残疾人两项补贴"), BASIS_DISABILITY  # fmt: skip
        if has_certificate:
            return QT_TRANSLATE_NOOP(_C, "本系统记有持证残疾人，但不在残联名单：核对残疾人证年审、换证情况，督促换证"), BASIS_T13  # fmt: skip
        return QT_TRANSLATE_NOOP(_C, "不在残联名单：无需处理"), BASIS_DISABILITY
    if theirs is ours and theirs in (_Side.ASSISTANCE, _Side.POVERTY):
        # The same programme on both sides: a reconciliation of two copies of one list.
        if outcome is Outcome.BOTH:
            return NOTHING_TO_DO, BASIS_GENERIC
        if outcome is Outcome.OURS_ONLY:
            return QT_TRANSLATE_NOOP(_C, "本系统记有该类别，但名单中没有：核实是否已停保、退出或漏报，据实更正本系统类别或报县级部门"), BASIS_COUNTY  # fmt: skip
        if not registered:
            return NOT_REGISTERED + QT_TRANSLATE_NOOP(_C, "，在户籍页记上类别"), BASIS_GENERIC
        return QT_TRANSLATE_NOOP(_C, "名单中有，本系统未记该类别：核实后在户籍页补记类别"), BASIS_GENERIC  # fmt: skip
    if outcome is Outcome.BOTH:
        return NOTHING_TO_DO, BASIS_GENERIC
    if outcome is Outcome.OURS_ONLY:
        return QT_TRANSLATE_NOOP(_C, "不在对方名单中：核实是否需要报送"), BASIS_GENERIC
    if not registered:
        return NOT_REGISTERED + QT_TRANSLATE_NOOP(_C, "，按需要办理"), BASIS_GENERIC
    return QT_TRANSLATE_NOOP(_C, "对方名单中有，本系统未记相应类别：核实后处理"), BASIS_GENERIC


def match(data: MatchInput) -> list[MatchItem]:
    """Sort every household into the four lists; ours-only last, in our household order."""
    labels = data.category_labels

    def cats(h: OurHousehold | None) -> str:
        if h is None:
            return ""
        ordered = sorted(h.categories, key=list(HouseholdCategory).index)
        return "、".join(labels.get(c, c.label) for c in ordered)

    out: list[MatchItem] = []
    matched: set[int] = set()
    for their in their_households(data.rows):
        homes = [
            p.household_id
            for r in their.rows
            if (p := data.persons.get(r.id_number)) is not None and p.household_id is not None
        ]
        key_person = data.persons.get(their.key)
        home: int | None = None
        if key_person is not None and key_person.household_id is not None:
            home = key_person.household_id
        elif homes:
            home = max(set(homes), key=homes.count)
        ours = data.households.get(home) if home is not None else None
        differences: list[str] = []
        if ours is not None:
            differences = _differences(data.kind, their, ours, data.persons, set(homes),
                                       data.per_person, labels, data.health)  # fmt: skip
        if ours is not None and ours.id in data.in_scope:
            matched.add(ours.id)
            outcome = Outcome.CONFLICT if differences else Outcome.BOTH
        else:
            outcome = Outcome.THEIRS_ONLY
        text, basis = follow_up(
            data.kind, data.scope, outcome, registered=ours is not None,
            needs_care=bool(ours and ours.needs_care_members),
            has_certificate=bool(ours and ours.certificate_members),
        )  # fmt: skip
        if outcome is Outcome.CONFLICT:
            both_text, both_basis = follow_up(data.kind, data.scope, Outcome.BOTH, registered=True,
                                              needs_care=False, has_certificate=False)  # fmt: skip
            if both_text != NOTHING_TO_DO:
                text, basis = f"{text}；{both_text}", f"{basis}；{both_basis}"
        people = their.people
        if people is None and data.per_person:
            people = len(their.rows)
        out.append(
            MatchItem(
                outcome=outcome, key=their.key, their_rows=tuple(r.row_number for r in their.rows),
                name=their.first("name") or (ours.head_name if ours else ""),
                household_id=ours.id if ours else None, household_number=ours.number if ours else "",
                village=ours.village if ours else their.first("village"),
                group_name=ours.group_name if ours else their.first("group_name"),
                our_categories=cats(ours), their_category=their.first("category"),
                our_people=_our_people(data.kind, ours), their_people=people,
                our_amount=ours.amount if ours else None, their_amount=their.amount,
                labour_lost_members=ours.labour_lost_members if ours else None,
                differences=tuple(differences), follow_up=text, basis=basis,
            )
        )  # fmt: skip
    for household_id in sorted(data.in_scope - matched, key=lambda i: data.households[i].number):
        ours = data.households[household_id]
        text, basis = follow_up(
            data.kind, data.scope, Outcome.OURS_ONLY, registered=True,
            needs_care=bool(ours.needs_care_members), has_certificate=bool(ours.certificate_members),
        )  # fmt: skip
        out.append(
            MatchItem(
                outcome=Outcome.OURS_ONLY, key=ours.head_id_number, their_rows=(), name=ours.head_name,
                household_id=ours.id, household_number=ours.number, village=ours.village,
                group_name=ours.group_name, our_categories=cats(ours), their_category="",
                our_people=_our_people(data.kind, ours), their_people=None, our_amount=ours.amount,
                their_amount=None, labour_lost_members=ours.labour_lost_members, differences=(),
                follow_up=text, basis=basis,
            )
        )  # fmt: skip
    return out


def _our_people(kind: RosterKind, ours: OurHousehold | None) -> int | None:
    if ours is None:
        return None
    if kind in (RosterKind.DIBAO, RosterKind.TEKUN) and ours.covered is not None:
        return ours.covered
    return ours.members
