"""One search box for the whole registry: name, pinyin initials and ID-number parts.

How a query is read (see ``desk_app.domain.names`` for the keys behind each index):

* digits, optionally ending in X, by length:

  - 1–8: the end of an ID number (``id_suffix``), what a clerk reads off a card to
    check: ``0028``, ``1231002X``; through the reversed number ``person.id_rev``;
  - 9–17 digits: the beginning of an ID number (``id_prefix``), typed from the left
    until the clerk stops: ``52040219800101``; through the unique index on
    ``person.id_number``. The last 8 characters are month, day, sequence and check
    character; anything longer reaches into the year and the address code, which are
    typed from the left. An X is only ever the last character, so 9–17 characters
    ending in X stay a suffix;
  - 18: the exact number (``id_exact``);

* Latin letters only: pinyin initials prefix, ``zw`` → 张伟, 赵文;
* anything else: a name fragment — every name containing it, through the 1–2 character
  ``person_name_gram`` index (3+ characters: the first two narrow, LIKE confirms).

Results page by keyset on ``(sort key, person id)``; nothing loads the whole table.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Integer, Row, ScalarSelect, Select, bindparam, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, aliased

from desk_app.domain.ids import age_on, mask_id_number
from desk_app.domain.names import MAX_GRAM, normalize_name, reversed_id
from desk_app.domain.registry import Relation
from desk_app.domain.security import Permission
from desk_app.persistence.models import Household, Person, PersonNameGram
from desk_app.services.context import ServiceContext, requires
from desk_app.services.dto import PersonRow, SearchCursor, SearchPage
from desk_app.services.uow_factory import UowFactory

PAGE_SIZE = 50
_TOP = "\U0010ffff"  # sorts after every character: the upper bound of a prefix range
_ID_RE = re.compile(r"^[0-9]{1,17}[0-9X]?$")
_SUFFIX_MAX = 8
_INITIALS_RE = re.compile(r"^[a-z]{1,20}$")


def read_query(text: str) -> tuple[str, str]:
    """Classify a query: ``(mode, normalised text)``."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return "all", ""
    compact = "".join(folded.split())
    upper = compact.upper()
    if _ID_RE.match(upper):
        if len(upper) == 18:
            return "id_exact", upper
        if len(upper) > _SUFFIX_MAX and upper.isdigit():
            return "id_prefix", upper
        return "id_suffix", upper
    if _INITIALS_RE.match(compact.lower()):
        return "initials", compact.lower()
    return "name", normalize_name(folded)


class SearchService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(Permission.READ_REGISTRY)
    def search(
        self, text: str, after: SearchCursor | None = None, limit: int = PAGE_SIZE
    ) -> SearchPage:
        """One page of people matching ``text``, after ``after`` in the result order."""
        mode, query = read_query(text)
        stmt = _statement(mode, len(query) > MAX_GRAM, after is not None)
        params = _params(mode, query, after, limit + 1)
        with self._uow(write=False) as uow:
            # Core execution: these are plain column rows, the ORM would only add cost.
            rows = uow.session.connection().execute(stmt, params).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        today = self._context.today()
        next_cursor = SearchCursor(rows[-1].person_id) if has_more and rows else None
        return SearchPage(tuple(_to_row(r, today) for r in rows), next_cursor, mode)


_COLUMNS = (
    Person.id.label("person_id"),
    Person.household_id,
    Person.name,
    Person.id_number,
    Person.sex,
    Person.birth_date,
    Person.relation,
    Household.number,
    Household.village,
    Household.group_name,
)
_KEYS = {
    "all": Person.name,
    "initials": Person.name_initials,
    "id_suffix": Person.id_rev,
    "id_prefix": Person.id_number,
    "id_exact": Person.id_number,
}
_RANGE_MODES = ("initials", "id_suffix", "id_prefix")


# Cached per shape of query only: a handful of entries, whatever page sizes callers ask
# for (the page size is a bound parameter like every value).
@functools.cache
def _statement(mode: str, long_name: bool, paged: bool) -> Select[*tuple[Any, ...]]:
    """The SELECT for one shape of query, built once; values arrive as bound parameters."""
    after_id = bindparam("after_id", type_=Integer)
    limit = bindparam("limit", type_=Integer)
    if mode == "name":
        gram = PersonNameGram
        stmt = (
            select(*_COLUMNS)
            .select_from(gram)
            .join(Person, Person.id == gram.person_id)
            .outerjoin(Household, Household.id == Person.household_id)
            .where(gram.gram == bindparam("gram"))
            .order_by(gram.name, gram.person_id)
        )
        if long_name:
            stmt = stmt.where(gram.name.like(bindparam("pattern"), escape="\\"))
        if paged:
            stmt = stmt.where(
                tuple_(gram.name, gram.person_id) > tuple_(_key_of(Person.name, after_id), after_id)
            )
        return stmt.limit(limit)
    key = _KEYS[mode]
    stmt = (
        select(*_COLUMNS)
        .outerjoin(Household, Household.id == Person.household_id)
        .order_by(key, Person.id)
    )
    if mode == "id_exact":
        stmt = stmt.where(Person.id_number == bindparam("low"))
    elif mode in _RANGE_MODES:
        # A range, not LIKE: SQLite's LIKE is case-insensitive and cannot use the index.
        stmt = stmt.where(key >= bindparam("low"), key < bindparam("high"))
    if paged:
        stmt = stmt.where(tuple_(key, Person.id) > tuple_(_key_of(key, after_id), after_id))
    return stmt.limit(limit)


def _params(mode: str, query: str, after: SearchCursor | None, limit: int) -> dict[str, object]:
    params: dict[str, object] = {"limit": limit}
    if after is not None:
        params["after_id"] = after.person_id
    if mode == "name":
        params["gram"] = query[:MAX_GRAM]
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
    elif mode == "id_exact":
        params["low"] = query
    elif mode in _RANGE_MODES:
        prefix = reversed_id(query) if mode == "id_suffix" else query
        params["low"], params["high"] = prefix, prefix + _TOP
    return params


def _key_of(column: InstrumentedAttribute[str], after_id: BindParameter[int]) -> ScalarSelect[str]:
    """The sort key of the cursor's person, read in SQL (see :class:`SearchCursor`)."""
    own = aliased(Person)
    return select(getattr(own, column.key)).where(own.id == after_id).scalar_subquery()


_RELATION_LABELS = {r.value: r.label for r in Relation}


def _to_row(r: Row[Any], today: dt.date) -> PersonRow:
    relation = _RELATION_LABELS.get(r.relation, "") if r.relation else ""
    return PersonRow(
        person_id=r.person_id,
        household_id=r.household_id,
        household_number=r.number or "",
        name=r.name,
        id_masked=mask_id_number(r.id_number),
        sex=r.sex,
        age=age_on(r.birth_date, today),
        relation_label=relation,
        village=r.village or "",
        group_name=r.group_name or "",
    )


def rows_of(pages: Sequence[SearchPage]) -> list[PersonRow]:
    return [row for page in pages for row in page.rows]
