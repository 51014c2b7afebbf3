"""Fictional demo data: a township's households and members for trying the program out.

Everything generated here is invented: names are drawn from common surnames and given
names, ID numbers are built to the GB 11643 rules (valid check character, sex parity and
birth date matching the person) but belong to nobody on purpose. The data exercises what
real registers contain: multi-generation households, left-behind children, solitary
elderly, 残疾人证 holders, 低保/特困/建档立卡 households, and rare characters such as 堃 or
玥 that need full GBK font coverage.

Two parts:

* :class:`DemoGenerator` — pure and deterministic: ``random.Random(seed)`` plus a fixed
  reference date give the same households every time. No database, no clock.
* :func:`generate_demo` — writes them in batches with Core ``INSERT`` executemany inside
  one write unit of work (30,000 households in seconds, not minutes). The search keys
  (``name_initials``, ``id_rev``, ``person_name_gram``) come from the same
  :func:`~desk_app.domain.names.search_keys` the household service uses, and the 户编号
  from the same counter (``site.household_seq``).

Only counts and timings are logged, never a name or number.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from desk_app.bootstrap import Services
from desk_app.domain.ids import PROVINCE_CODES, age_on, check_character
from desk_app.domain.intake import CameAs, Channel, Handling, ReferralStatus, Urgency
from desk_app.domain.names import search_keys
from desk_app.domain.registry import (
    CertificateCheck,
    ChildStatus,
    DisabilityCategory,
    Employment,
    HouseholdCategory,
    LabourAbility,
    Relation,
    ResidenceType,
    SchoolingStage,
    SelfCare,
)
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.jobs import CancelToken, ProgressFn, no_progress
from desk_app.persistence.models import (
    Household,
    HouseholdCategoryRecord,
    HouseholdEvent,
    Intake,
    IntakeMatter,
    Person,
    PersonNameGram,
    Referral,
    ReferralEvent,
    Site,
)
from desk_app.services.calendar import load_calendar
from desk_app.services.catalogue import load_departments, load_matters
from desk_app.services.households import household_number, take_household_numbers

log = logging.getLogger(__name__)

DEMO_TOWNSHIP = "宁谷镇"
DEMO_TOWNSHIP_CODE = "520402102000"
DEMO_WINDOW = "社会救助综合服务窗口"
DEMO_ACTOR = "演示数据"
BATCH_HOUSEHOLDS = 2000
STATUS = QT_TRANSLATE_NOOP("demo", "正在生成演示数据…")

_T = TypeVar("_T")


class _Weighted(Generic[_T]):
    """Weighted choice with precomputed cumulative weights (one ``random()`` per pick)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[_T, float]]) -> None:
        self._items = tuple(item for item, _ in pairs)
        self._cum = tuple(itertools.accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> _T:
        return self._items[bisect_right(self._cum, rng.random() * self._total)]

    @property
    def items(self) -> tuple[_T, ...]:
        return self._items


# ----------------------------------------------------------------------------- names
# Approximate shares (per mille) of the most common surnames; 欧阳/上官/司马 rarely.
_SURNAMES = _Weighted(
    [
        ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 46), ("杨", 33), ("黄", 23),
        ("赵", 22), ("吴", 20), ("周", 19), ("徐", 13), ("孙", 13), ("马", 11), ("朱", 11),
        ("胡", 10), ("郭", 9.7), ("何", 9), ("高", 8.8), ("林", 8.7), ("罗", 8.6), ("郑", 8),
        ("梁", 7), ("谢", 6), ("宋", 5), ("唐", 5), ("许", 5), ("韩", 4.5), ("冯", 4.4),
        ("邓", 4.3), ("曹", 4.2), ("彭", 4.1), ("曾", 4), ("肖", 4), ("田", 3.8), ("董", 3.7),
        ("袁", 3.6), ("潘", 3.5), ("于", 3.4), ("蒋", 3.3), ("蔡", 3.2), ("余", 3.1), ("杜", 3),
        ("叶", 3), ("程", 2.9), ("苏", 2.8), ("魏", 2.8), ("吕", 2.7), ("丁", 2.7), ("任", 2.6),
        ("沈", 2.5), ("姚", 2.5), ("卢", 2.4), ("姜", 2.3), ("崔", 2.2), ("钟", 2.2), ("谭", 2.1),
        ("陆", 2.1), ("汪", 2), ("范", 2), ("金", 1.9), ("石", 1.9), ("廖", 1.8), ("贾", 1.8),
        ("夏", 1.7), ("韦", 1.7), ("付", 1.6), ("方", 1.6), ("白", 1.5), ("邹", 1.5), ("孟", 1.5),
        ("熊", 1.5), ("秦", 1.4), ("邱", 1.4), ("江", 1.4), ("尹", 1.3), ("薛", 1.3), ("闫", 1.3),
        ("段", 1.2), ("雷", 1.2), ("侯", 1.2), ("龙", 1.2), ("史", 1.1), ("陶", 1.1), ("黎", 1.1),
        ("贺", 1.1), ("顾", 1), ("毛", 1), ("郝", 1), ("龚", 1), ("邵", 1), ("万", 0.9),
        ("钱", 0.9), ("严", 0.9), ("覃", 0.9), ("武", 0.9), ("戴", 0.9), ("莫", 0.8), ("孔", 0.8),
        ("向", 0.8), ("汤", 0.8), ("欧阳", 0.2), ("上官", 0.05), ("司马", 0.05),
    ]
)  # fmt: skip

_MALE_CHARS = tuple(
    "伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋磊成亮东文阳峰国建志海兵德贵富忠福毅翔坤彬松江川山瑞博睿泽豪航晨"
)
_FEMALE_CHARS = tuple(
    "芳娜敏静丽艳娟霞秀英燕玲桂兰萍红梅琳婷雪慧颖倩洁琴云莉欣怡佳涵萱雨悦诗琪蕾瑶菊凤珍翠莲琼妍璐丹晶"
)
_MALE_FIRST = tuple("志建国文俊子浩宇家永海晓明天思嘉鹏正兴承")
_FEMALE_FIRST = tuple("秀玉晓丽春雪思雨欣佳梦子美海小慧诗紫")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Two-character given names typical of each birth cohort, by sex.
_ERA_NAMES: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1960,
        _words("建国 国强 建华 国华 德明 志强 福贵 永福 长生 有才 德胜 洪涛 文华 国庆 建军 卫国 光明 守仁 金山 树林 绍华 昌明 永康 茂林"),
        _words("秀英 桂英 秀兰 玉兰 桂兰 凤英 淑珍 玉珍 翠花 秀珍 玉梅 素芬 桂芳 玉英 秀芳 凤兰 金凤 桂香 素珍 秀云 翠英 菊英 兰英 春花"),
    ),
    (
        1985,
        _words("志刚 建军 海涛 小军 红军 文斌 卫东 永强 晓东 建平 志勇 国平 立新 海军 光辉 春生 小平 建新 勇军 红兵 卫华 德华 伟东 家明"),
        _words("丽娟 晓燕 红梅 海燕 春梅 丽华 小红 艳红 雪梅 晓丽 丽萍 红霞 春燕 美华 秀梅 晓红 桂芬 艳萍 玉芬 金花 慧敏 丽芳 小芳 燕妮"),
    ),
    (
        2005,
        _words("宇航 子豪 俊杰 鹏飞 家豪 文博 志豪 浩宇 明轩 天宇 俊豪 嘉豪 宇翔 浩然 子健 晨阳 思远 博文 鑫磊 志鹏 鸿宇 一帆"),
        _words("婷婷 佳怡 雨婷 欣悦 思雨 梦瑶 雅琪 诗雨 佳琪 晓雪 欣然 雨欣 梦婷 嘉欣 思琪 可欣 静怡 雪婷 语嫣 舒婷"),
    ),
    (
        9999,
        _words("子轩 浩然 宇轩 梓豪 一鸣 俊熙 沐宸 皓轩 浩宇 子墨 宇泽 梓睿 思源 睿泽 铭轩 奕辰 子睿 俊宇 博文 泽宇 承泽 锦程"),
        _words("梓涵 欣怡 子涵 诗涵 雨桐 可馨 一诺 语桐 梓萱 若汐 欣妍 雨涵 思涵 诗琪 佳怡 芷若 紫萱 梦琪 依诺 沐晴 安琪 悦彤"),
    ),
)  # fmt: skip
# Share of one-character given names per cohort (same order as _ERA_NAMES).
_SINGLE_CHAR_SHARE = (0.10, 0.20, 0.25, 0.08)
# Rare characters real names use (GBK, outside GB 2312 mostly): exercise font coverage.
RARE_CHARACTERS = "堃喆犇镕玥珺赟祎"
_RARE_MALE = ("堃", "子堃", "喆", "思喆", "犇", "镕", "永镕", "赟", "文赟", "祎", "嘉祎")
_RARE_FEMALE = ("玥", "梓玥", "可玥", "珺", "雅珺", "晓珺", "祎", "文祎")
_RARE_SHARE = 0.01

# ----------------------------------------------------------------------------- places
# (name, number of groups, relative size). 村 are rural, 社区 mostly urban.
_VILLAGES = _Weighted(
    [
        (("龙宫村", 12), 1.2), (("新场村", 10), 1.0), (("大坝村", 9), 1.0), (("石板村", 8), 0.8),
        (("白岩村", 7), 0.7), (("杨柳村", 9), 0.9), (("高峰村", 6), 0.6), (("沙坝村", 8), 0.8),
        (("青山村", 10), 1.0), (("坪上村", 7), 0.7), (("河湾村", 8), 0.8), (("水井村", 6), 0.6),
        (("桃花村", 9), 0.9), (("松林村", 11), 1.1), (("凉水村", 7), 0.7), (("茶园村", 8), 0.8),
        (("城关社区", 6), 2.2), (("新街社区", 5), 1.6), (("河滨社区", 5), 1.4), (("东门社区", 4), 1.2),
    ]
)  # fmt: skip
_GROUP_NAMES = ("一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组", "十组", "十一组", "十二组")  # fmt: skip
_STREETS = ("人民路", "建设路", "新华街", "中山路", "河滨路", "东街", "西街", "南环路")

# Real-format county codes per province, used as the ID number's address code. The
# township's own county comes first and is drawn most often.
_COUNTIES: dict[str, tuple[str, ...]] = {
    "52": ("520402", "520403", "520421", "520422", "520423", "520424", "520425", "520102", "520103", "520203", "520302"),
    "51": ("510104", "510105", "510106", "510107", "510108", "510112", "510121", "510129"),
    "53": ("530102", "530103", "530111", "530112", "530124"),
    "50": ("500101", "500102", "500103", "500104", "500105", "500106"),
    "45": ("450102", "450103", "450105", "450107"),
    "43": ("430102", "430103", "430104", "430105", "430111"),
    "44": ("440103", "440104", "440105", "440106"),
    "41": ("410102", "410103", "410104", "410105"),
}  # fmt: skip
_HOME_COUNTY_SHARE = 0.7

_MOBILE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
    + [f"18{d}" for d in range(10)]
)

# ----------------------------------------------------------------------------- health
_DISABILITY = _Weighted(
    [
        (DisabilityCategory.PHYSICAL, 40), (DisabilityCategory.VISUAL, 12),
        (DisabilityCategory.HEARING, 14), (DisabilityCategory.SPEECH, 2),
        (DisabilityCategory.INTELLECTUAL, 10), (DisabilityCategory.MENTAL, 12),
        (DisabilityCategory.MULTIPLE, 10),
    ]
)  # fmt: skip
_CHILD_DISABILITY = _Weighted(
    [
        (DisabilityCategory.PHYSICAL, 25), (DisabilityCategory.HEARING, 10),
        (DisabilityCategory.SPEECH, 10), (DisabilityCategory.INTELLECTUAL, 35),
        (DisabilityCategory.VISUAL, 5), (DisabilityCategory.MULTIPLE, 15),
    ]
)  # fmt: skip
# The category digit of a 残疾人证 number. Real second-generation numbers are the holder's
# ID number + category + grade; the demo uses address code + serial + category + grade
# instead, so no full ID number ever shows on a screen through this unmasked field.
_CERT_DIGIT = {
    DisabilityCategory.VISUAL: "1", DisabilityCategory.HEARING: "2",
    DisabilityCategory.SPEECH: "3", DisabilityCategory.PHYSICAL: "4",
    DisabilityCategory.INTELLECTUAL: "5", DisabilityCategory.MENTAL: "6",
    DisabilityCategory.MULTIPLE: "7",
}  # fmt: skip
_GRADE = _Weighted([(1, 12), (2, 25), (3, 30), (4, 33)])
_CERT_CHECK = _Weighted(
    [
        (CertificateCheck.VALID, 80),
        (CertificateCheck.CHECK_DUE, 14),
        (CertificateCheck.NOT_RENEWED, 6),
    ]
)
_MAJOR_ILLNESSES = ("恶性肿瘤", "尿毒症", "白血病", "重症肌无力", "肝硬化失代偿期", "耐药肺结核")
_CHRONIC_ILLNESSES = ("高血压", "糖尿病", "冠心病", "慢性阻塞性肺疾病", "类风湿关节炎", "脑梗死后遗症", "慢性肾病")  # fmt: skip
_CHILD_ILLNESSES = ("哮喘", "癫痫", "先天性心脏病")
_MENTAL_ILLNESSES = ("精神分裂症", "双相情感障碍", "重度抑郁症")

_RURAL_JOBS = _Weighted(
    [
        (Employment.EMPLOYED, 32), (Employment.FLEXIBLE, 34), (Employment.SELF_EMPLOYED, 9),
        (Employment.UNEMPLOYED, 12), (Employment.PUBLIC_WELFARE_JOB, 3),
    ]
)  # fmt: skip
_URBAN_JOBS = _Weighted(
    [
        (Employment.EMPLOYED, 48), (Employment.FLEXIBLE, 20), (Employment.SELF_EMPLOYED, 12),
        (Employment.UNEMPLOYED, 14), (Employment.PUBLIC_WELFARE_JOB, 4),
    ]
)  # fmt: skip
_WORKING = frozenset(
    {
        Employment.EMPLOYED,
        Employment.FLEXIBLE,
        Employment.SELF_EMPLOYED,
        Employment.PUBLIC_WELFARE_JOB,
    }
)

# ----------------------------------------------------------------------------- households
_SIZES = _Weighted([(1, 12), (2, 20), (3, 25), (4, 22), (5, 13), (6, 8)])

# Member tokens: H head, S spouse, C child, CS child's spouse, G grandchild, P parent,
# PL parent-in-law, B sibling, O other. A template is (tokens, youngest head, oldest head).
_Template = tuple[tuple[str, ...], int, int]
_TEMPLATES: dict[int, _Weighted[_Template]] = {
    1: _Weighted([((("H",), 60, 92), 55), ((("H",), 30, 59), 35), ((("H",), 18, 29), 10)]),
    2: _Weighted(
        [
            ((("H", "S"), 60, 88), 38),
            ((("H", "S"), 35, 59), 24),
            ((("H", "S"), 22, 34), 8),
            ((("H", "C"), 35, 80), 18),
            ((("H", "P"), 25, 60), 7),
            ((("H", "B"), 30, 75), 3),
            ((("H", "G"), 55, 80), 2),
        ]
    ),
    3: _Weighted(
        [
            ((("H", "S", "C"), 25, 65), 62),
            ((("H", "C", "C"), 30, 60), 8),
            ((("H", "S", "P"), 28, 65), 10),
            ((("H", "S", "G"), 50, 78), 10),
            ((("H", "C", "G"), 50, 82), 5),
            ((("H", "S", "O"), 30, 70), 5),
        ]
    ),
    4: _Weighted(
        [
            ((("H", "S", "C", "C"), 28, 60), 55),
            ((("H", "S", "C", "P"), 28, 60), 18),
            ((("H", "S", "G", "G"), 50, 78), 12),
            ((("H", "S", "C", "CS"), 48, 75), 10),
            ((("H", "S", "C", "B"), 28, 60), 5),
        ]
    ),
    5: _Weighted(
        [
            ((("H", "S", "C", "C", "C"), 32, 60), 20),
            ((("H", "S", "C", "C", "P"), 30, 60), 30),
            ((("H", "S", "C", "CS", "G"), 48, 78), 40),
            ((("H", "S", "C", "C", "PL"), 30, 58), 10),
        ]
    ),
    6: _Weighted(
        [
            ((("H", "S", "C", "C", "P", "P"), 30, 58), 35),
            ((("H", "S", "C", "CS", "G", "G"), 48, 78), 45),
            ((("H", "S", "C", "C", "C", "P"), 33, 58), 12),
            ((("H", "S", "C", "C", "PL", "PL"), 30, 56), 8),
        ]
    ),
}

_MAX_AGE = 99


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class DemoSummary:
    households: int
    persons: int
    seconds: float
    referrals: int = 0


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One generated member; field names are the ``person`` columns."""

    relation: str
    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    phone: str
    has_disability_cert: bool
    disability_cert_no: str
    disability_category: str | None
    disability_grade: int | None
    disability_check: str | None
    major_illness: bool
    chronic_illness: bool
    mental_disorder: bool
    bedridden: bool
    illness_note: str
    labour_ability: str
    self_care: str
    employment: str
    schooling_stage: str
    boarding: bool
    dropped_out: bool
    child_status: str
    left_behind: bool
    living_alone: bool
    solitary: bool


@dataclass(frozen=True, slots=True)
class DemoCategory:
    category: str
    start_date: dt.date
    end_date: dt.date | None


@dataclass(frozen=True, slots=True)
class DemoHousehold:
    """One generated household; the head is ``members[0]``."""

    village: str
    group_name: str
    residence: str
    address: str
    members: tuple[DemoPerson, ...]
    categories: tuple[DemoCategory, ...]


class _Draft:
    """A member while the household is being put together."""

    __slots__ = ("age", "male", "relation", "surname", "token")

    def __init__(self, token: str, relation: Relation, male: bool, age: int, surname: str) -> None:
        self.token = token
        self.relation = relation
        self.male = male
        self.age = age
        self.surname = surname


# ----------------------------------------------------------------------------- pure helpers
def _below(rng: random.Random, n: int) -> int:
    """0 <= k < n from one ``random()`` call (``randrange`` is several times slower)."""
    return int(rng.random() * n)


def _randint(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, items: Sequence[_T]) -> _T:
    return items[int(rng.random() * len(items))]


def county_codes(township_code: str) -> tuple[str, ...]:
    """Address codes for ID numbers: the township's county first, then its neighbours."""
    province = township_code[:2]
    if province not in PROVINCE_CODES:
        province = "52"
    county = township_code[:6]
    known = _COUNTIES.get(province, ())
    if len(county) == 6 and county.isdigit() and county[:2] == province and county[4:] != "00":
        return (county, *(c for c in known if c != county))
    if known:
        return known
    return (f"{province}0102",)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date_for_age(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A birth date, strictly before ``today``, on which the person is ``age`` today."""
    latest = min(years_before(today, age), today - dt.timedelta(days=1))
    earliest = years_before(today, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=_randint(rng, 0, (latest - earliest).days))


def make_id_number(
    rng: random.Random, region: str, birth: dt.date, male: bool, used: set[str]
) -> str:
    """A GB 11643 number not in ``used`` (and add it): odd sequence for men, even for women."""
    stem = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
    sequences = range(1, 1000, 2) if male else range(2, 1000, 2)
    start = _below(rng, len(sequences))
    # A random sequence number; on a collision, the next free one (rare: 499 per day).
    for k in range(len(sequences)):
        first17 = f"{stem}{sequences[(start + k) % len(sequences)]:03d}"
        number = first17 + check_character(first17)
        if number not in used:
            used.add(number)
            return number
    raise RuntimeError("no free ID sequence number left for this region and birth date")


def mobile_number(rng: random.Random) -> str:
    return _choice(rng, _MOBILE_PREFIXES) + f"{_below(rng, 100_000_000):08d}"


def _between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    if high <= low:
        return high
    return low + dt.timedelta(days=_randint(rng, 0, (high - low).days))


# ----------------------------------------------------------------------------- generator
class DemoGenerator:
    """Deterministic households for one township: same seed and date, same output.

    Args:
        rng: the only source of randomness.
        today: reference date; every birth and category start lies before it.
        township_code: the site's code; ID address codes come from its province.
        used_id_numbers: numbers already taken; generated numbers are added to it.
    """

    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        township_code: str = DEMO_TOWNSHIP_CODE,
        used_id_numbers: set[str] | None = None,
    ) -> None:
        self._rng = rng
        self._today = today
        self._yesterday = today - dt.timedelta(days=1)
        self._counties = county_codes(township_code)
        self._used = used_id_numbers if used_id_numbers is not None else set()

    def households(self, count: int) -> Iterator[DemoHousehold]:
        for _ in range(count):
            yield self.household()

    # ------------------------------------------------------------------ household
    def household(self) -> DemoHousehold:
        rng = self._rng
        (village, groups) = _VILLAGES.pick(rng)
        community = village.endswith("社区")
        rural = not community or rng.random() < 0.15
        group = _GROUP_NAMES[_below(rng, groups)]
        if community:
            address = f"{village}{_choice(rng, _STREETS)}{_randint(rng, 1, 300)}号"
        else:
            address = f"{village}{group}{_randint(rng, 1, 120)}号"
        drafts = self._members(_TEMPLATES[_SIZES.pick(rng)].pick(rng))
        members = self._people(drafts, rural)
        return DemoHousehold(
            village=village,
            group_name=group,
            residence=(ResidenceType.RURAL if rural else ResidenceType.URBAN).value,
            address=address,
            members=members,
            categories=self._categories(members, rural),
        )

    def _members(self, template: _Template) -> list[_Draft]:
        """Relations, sexes, ages and surnames consistent with one another."""
        rng = self._rng
        tokens, lo, hi = template
        size = len(tokens)
        has = set(tokens)
        head_age = _randint(rng, lo, hi)
        if "S" in has:
            head_male = rng.random() < 0.85
        elif size == 1:
            head_male = rng.random() < (0.45 if head_age >= 60 else 0.6)
        else:
            head_male = rng.random() < 0.45
        head = _Draft("H", Relation.HEAD, head_male, head_age, _SURNAMES.pick(rng))
        out = [head]
        spouse: _Draft | None = None
        if "S" in has:
            gap = _randint(rng, -1, 5)  # husbands are usually a little older
            age = head_age - gap if head_male else head_age + gap
            age = max(20, min(_MAX_AGE, age))
            spouse = _Draft("S", Relation.SPOUSE, not head_male, age, _SURNAMES.pick(rng))
            out.append(spouse)
        father = head if head_male else spouse
        father_surname = father.surname if father is not None else _SURNAMES.pick(rng)
        mother = spouse if head_male else head
        mother_surname = mother.surname if mother is not None else _SURNAMES.pick(rng)

        parents_ages = [head_age] + ([spouse.age] if spouse is not None else [])
        child_lo = max(0, max(parents_ages) - 40)
        child_hi = min(parents_ages) - 20
        married_child: _Draft | None = None
        n_children = tokens.count("C")
        for i in range(n_children):
            needs_adult = i == 0 and ("CS" in has or "G" in has)
            low = max(child_lo, 22) if needs_adult else child_lo
            age = _randint(rng, low, max(low, child_hi))
            male = rng.random() < (0.85 if "CS" in has and i == 0 else 0.52)
            surname = father_surname if rng.random() < 0.93 else mother_surname
            relation = Relation.SON if male else Relation.DAUGHTER
            child = _Draft("C", relation, male, age, surname)
            out.append(child)
            if needs_adult:
                married_child = child
        if "CS" in has and married_child is not None:
            c = married_child
            age = max(20, min(c.age + _randint(rng, -4, 3), _MAX_AGE))
            relation = Relation.DAUGHTER_IN_LAW if c.male else Relation.SON_IN_LAW
            out.append(_Draft("CS", relation, not c.male, age, _SURNAMES.pick(rng)))
        for _ in range(tokens.count("G")):
            out.append(self._grandchild(out, married_child, head, father_surname))
        self._elders(out, tokens, head, spouse)
        for token in tokens:
            if token == "B":
                age = max(16, min(_MAX_AGE, head_age + _randint(rng, -10, 10)))
                surname = head.surname if rng.random() < 0.92 else _SURNAMES.pick(rng)
                out.append(_Draft("B", Relation.SIBLING, rng.random() < 0.5, age, surname))
            elif token == "O":
                age = _randint(rng, 8, 75)
                surname = head.surname if rng.random() < 0.5 else _SURNAMES.pick(rng)
                out.append(_Draft("O", Relation.OTHER, rng.random() < 0.5, age, surname))
        return out

    def _grandchild(
        self, out: list[_Draft], married_child: _Draft | None, head: _Draft, line: str
    ) -> _Draft:
        rng = self._rng
        male = rng.random() < 0.52
        if married_child is not None:
            in_law = next((m for m in out if m.token == "CS"), None)
            ages = [married_child.age] + ([in_law.age] if in_law is not None else [])
            low, high = max(0, max(ages) - 40), max(0, min(ages) - 20)
            if married_child.male or in_law is None:
                surname = married_child.surname
            else:
                surname = in_law.surname
        else:
            # Grandparents raising a grandchild whose parents work away or are gone.
            youngest = min(m.age for m in out if m.token in ("H", "S"))
            low, high = max(0, youngest - 70), max(0, min(17, youngest - 40))
            surname = line if (head.male and rng.random() < 0.8) else _SURNAMES.pick(rng)
        age = _randint(rng, low, max(low, high))
        return _Draft("G", Relation.GRANDCHILD, male, age, surname)

    def _elders(
        self, out: list[_Draft], tokens: tuple[str, ...], head: _Draft, spouse: _Draft | None
    ) -> None:
        rng = self._rng
        for token, child in (("P", head), ("PL", spouse)):
            count = tokens.count(token)
            if count == 0 or child is None:
                continue
            relation = Relation.PARENT if token == "P" else Relation.PARENT_IN_LAW
            mother_age = min(_MAX_AGE, child.age + _randint(rng, 20, 35))
            if count == 1:
                male = rng.random() < 0.35
                age = mother_age if not male else min(_MAX_AGE, mother_age + _randint(rng, 0, 4))
                surname = child.surname if male else _SURNAMES.pick(rng)
                out.append(_Draft(token, relation, male, age, surname))
            else:
                father_age = max(
                    child.age + 20, min(_MAX_AGE, child.age + 40, mother_age + _randint(rng, -2, 6))
                )
                out.append(_Draft(token, relation, True, father_age, child.surname))
                out.append(_Draft(token, relation, False, mother_age, _SURNAMES.pick(rng)))

    # ------------------------------------------------------------------ people
    def _given_name(self, male: bool, birth_year: int) -> str:
        rng = self._rng
        if rng.random() < _RARE_SHARE:
            return _choice(rng, _RARE_MALE if male else _RARE_FEMALE)
        era = next(i for i, (until, _, _) in enumerate(_ERA_NAMES) if birth_year < until)
        roll = rng.random()
        if roll < _SINGLE_CHAR_SHARE[era]:
            return _choice(rng, _MALE_CHARS if male else _FEMALE_CHARS)
        if roll < _SINGLE_CHAR_SHARE[era] + 0.3:
            first = _choice(rng, _MALE_FIRST if male else _FEMALE_FIRST)
            second = _choice(rng, _MALE_CHARS if male else _FEMALE_CHARS)
            if second != first:
                return first + second
        return _choice(rng, _ERA_NAMES[era][1] if male else _ERA_NAMES[era][2])

    def _people(self, drafts: list[_Draft], rural: bool) -> tuple[DemoPerson, ...]:
        """Names, ID numbers and attributes for every member."""
        rng = self._rng
        size = len(drafts)
        working_age = any(18 <= d.age < 60 for d in drafts)
        no_parents_at_home = not any(d.token in ("C", "CS") for d in drafts)
        people = []
        for d in drafts:
            birth = birth_date_for_age(rng, d.age, self._today)
            given = self._given_name(d.male, birth.year)
            if given[0] == d.surname[-1]:  # 林林, 王王: redraw once
                given = self._given_name(d.male, birth.year)
            name = d.surname + given
            region = (
                self._counties[0]
                if rng.random() < _HOME_COUNTY_SHARE
                else _choice(rng, self._counties)
            )
            id_number = make_id_number(rng, region, birth, d.male, self._used)
            people.append(
                self._person(
                    d, name, id_number, birth,
                    rural=rural, size=size, working_age=working_age,
                    no_parents_at_home=no_parents_at_home,
                )
            )  # fmt: skip
        return tuple(people)

    def _person(
        self,
        d: _Draft,
        name: str,
        id_number: str,
        birth: dt.date,
        *,
        rural: bool,
        size: int,
        working_age: bool,
        no_parents_at_home: bool,
    ) -> DemoPerson:
        rng = self._rng
        age = d.age
        child = age < 18
        elderly = age >= 60

        # 残疾人证 (~6% overall, more among the elderly).
        category: DisabilityCategory | None = None
        grade: int | None = None
        check: CertificateCheck | None = None
        cert_no = ""
        if rng.random() < (0.025 if child else 0.055 if not elderly else 0.11):
            category = (_CHILD_DISABILITY if child else _DISABILITY).pick(rng)
            grade = _GRADE.pick(rng)
            check = _CERT_CHECK.pick(rng)
            serial = _below(rng, 100_000_000)
            cert_no = f"{id_number[:6]}{serial:08d}{_CERT_DIGIT[category]}{grade}"
        severe = grade is not None and grade <= 2

        # Illness.
        notes: list[str] = []
        major = rng.random() < (0.003 if child else 0.015 if not elderly else 0.03)
        if major:
            notes.append(_choice(rng, _MAJOR_ILLNESSES))
        chronic_rate = 0.01 if child else 0.05 if age < 45 else 0.15 if age < 60 else 0.35
        chronic = rng.random() < chronic_rate
        if chronic:
            notes.append(_choice(rng, _CHILD_ILLNESSES if child else _CHRONIC_ILLNESSES))
        mental = category is DisabilityCategory.MENTAL or (not child and rng.random() < 0.004)
        if mental:
            notes.append(_choice(rng, _MENTAL_ILLNESSES))
        bedridden = (
            (age >= 70 and rng.random() < 0.03)
            or (grade == 1 and category in (DisabilityCategory.PHYSICAL, DisabilityCategory.MULTIPLE) and rng.random() < 0.5)
            or (major and elderly and rng.random() < 0.15)
        )  # fmt: skip

        # Labour ability and self-care.
        if bedridden or age < 16 or (severe and not child):
            labour = LabourAbility.LOST
        elif age >= 70:
            labour = LabourAbility.LOST if rng.random() < 0.7 else LabourAbility.PARTIAL
        elif elderly:
            roll = rng.random()
            labour = LabourAbility.FULL if roll < 0.25 else LabourAbility.PARTIAL if roll < 0.85 else LabourAbility.LOST  # fmt: skip
        elif grade is not None or major or mental:
            labour = LabourAbility.PARTIAL if rng.random() < 0.6 else LabourAbility.LOST
        else:
            labour = LabourAbility.FULL
        if bedridden:
            self_care = SelfCare.DISABLED
        elif grade == 1:
            self_care = SelfCare.DISABLED if rng.random() < 0.4 else SelfCare.SEMI_DISABLED
        elif grade == 2 and rng.random() < 0.4:
            self_care = SelfCare.SEMI_DISABLED
        elif age >= 80 and rng.random() < 0.25:
            self_care = SelfCare.SEMI_DISABLED if rng.random() < 0.8 else SelfCare.DISABLED
        else:
            self_care = SelfCare.INDEPENDENT

        # Schooling.
        stage = SchoolingStage.NONE
        boarding = dropped_out = False
        if 3 <= age <= 5:
            stage = SchoolingStage.PRESCHOOL if rng.random() < 0.88 else SchoolingStage.NONE
        elif 6 <= age <= 15:
            if age >= 12 and rng.random() < 0.006:
                dropped_out = True
            else:
                stage = SchoolingStage.COMPULSORY
                boarding = age >= 12 and rural and rng.random() < 0.4
        elif 16 <= age <= 18:
            roll = rng.random()
            if roll < 0.5:
                stage = SchoolingStage.HIGH_SCHOOL
            elif roll < 0.8:
                stage = SchoolingStage.VOCATIONAL
            elif age == 18 and roll < 0.9:
                stage = SchoolingStage.HIGHER
            if stage in (SchoolingStage.HIGH_SCHOOL, SchoolingStage.VOCATIONAL):
                boarding = rng.random() < 0.7
        elif 19 <= age <= 22 and rng.random() < 0.4:
            stage = SchoolingStage.HIGHER

        # Employment.
        if (
            age < 16
            or stage is not SchoolingStage.NONE
            or labour is LabourAbility.LOST
            or age >= 70
        ):
            employment = Employment.NOT_APPLICABLE
        elif elderly:
            roll = rng.random()
            employment = Employment.NOT_APPLICABLE if roll < 0.75 else Employment.FLEXIBLE if roll < 0.95 else Employment.EMPLOYED  # fmt: skip
        else:
            employment = (_RURAL_JOBS if rural else _URBAN_JOBS).pick(rng)
            if labour is LabourAbility.PARTIAL and employment is Employment.EMPLOYED:
                employment = Employment.FLEXIBLE

        # Children's status, left-behind, living alone, solitary.
        status = ChildStatus.NONE
        if child:
            roll = rng.random()
            if no_parents_at_home:
                if roll < 0.04:
                    status = ChildStatus.ORPHAN
                elif roll < 0.08:
                    status = ChildStatus.DE_FACTO_UNSUPPORTED
                elif roll < (0.6 if rural else 0.3):
                    status = ChildStatus.LEFT_BEHIND
            elif d.token == "O" and roll < 0.1:
                status = ChildStatus.ORPHAN
            elif (grade is not None and roll < 0.5) or roll < 0.01:
                status = ChildStatus.IN_DIFFICULTY
            elif roll < 0.013:
                status = ChildStatus.DE_FACTO_UNSUPPORTED
            elif roll < (0.07 if rural else 0.03):
                status = ChildStatus.LEFT_BEHIND
        left_behind = status is ChildStatus.LEFT_BEHIND or (
            elderly and rural and not working_age and rng.random() < 0.35
        )
        living_alone = size == 1 and elderly and rng.random() < 0.95
        solitary = size == 1 and elderly and rng.random() < 0.3

        # Phone: most working-age adults, fewer of the very old.
        phone_rate = 0.3 if 16 <= age < 18 else 0.0 if child else 0.8 if age < 60 else 0.55 if age < 75 else 0.25  # fmt: skip
        phone = mobile_number(rng) if rng.random() < phone_rate else ""

        return DemoPerson(
            relation=d.relation.value,
            name=name,
            id_number=id_number,
            sex="男" if d.male else "女",
            birth_date=birth,
            phone=phone,
            has_disability_cert=category is not None,
            disability_cert_no=cert_no,
            disability_category=category.value if category is not None else None,
            disability_grade=grade,
            disability_check=check.value if check is not None else None,
            major_illness=major,
            chronic_illness=chronic,
            mental_disorder=mental,
            bedridden=bedridden,
            illness_note="、".join(notes),
            labour_ability=labour.value,
            self_care=self_care.value,
            employment=employment.value,
            schooling_stage=stage.value,
            boarding=boarding,
            dropped_out=dropped_out,
            child_status=status.value,
            left_behind=left_behind,
            living_alone=living_alone,
            solitary=solitary,
        )

    # ------------------------------------------------------------------ categories
    def _categories(self, members: tuple[DemoPerson, ...], rural: bool) -> tuple[DemoCategory, ...]:
        rng = self._rng
        today, last = self._today, self._yesterday
        head = members[0]
        head_age = age_on(head.birth_date, today)
        severe = any(
            (m.disability_grade is not None and m.disability_grade <= 2)
            or m.major_illness or m.bedridden or m.mental_disorder
            for m in members
        )  # fmt: skip
        ages = [age_on(m.birth_date, today) for m in members]
        elderly_only = min(ages) >= 60
        single_parent = not any(m.relation == Relation.SPOUSE.value for m in members) and any(
            m.relation in (Relation.SON.value, Relation.DAUGHTER.value) and a < 18
            for m, a in zip(members, ages, strict=True)
        )
        no_labour = all(m.labour_ability != LabourAbility.FULL.value for m in members)
        need = min(3, int(severe) + int(elderly_only) + int(single_parent) + int(no_labour))

        out: list[DemoCategory] = []

        def add(category: HouseholdCategory, low: dt.date, high: dt.date = last) -> dt.date:
            """A current record (no end date) starting between ``low`` and ``high``."""
            start = _between(rng, min(low, high), high)
            out.append(DemoCategory(category.value, start, None))
            return start

        def years_ago(years: float) -> dt.date:
            return today - dt.timedelta(days=int(years * 365.25))

        tekun = False
        if len(members) == 1 and (
            (head.solitary and rng.random() < 0.75)
            or (head_age < 60 and head.labour_ability == LabourAbility.LOST.value and severe and rng.random() < 0.5)
        ):  # fmt: skip
            tekun = True
            centralized = head_age >= 75 and rng.random() < 0.3
            add(HouseholdCategory.TEKUN_CENTRALIZED if centralized else HouseholdCategory.TEKUN_DISPERSED, years_ago(10))  # fmt: skip
        dibao = False
        if not tekun and rng.random() < (0.028, 0.12, 0.3, 0.45)[need]:
            dibao = True
            roll = rng.random()
            if need >= 2:
                kind = HouseholdCategory.DIBAO_A if roll < 0.5 else HouseholdCategory.DIBAO_B if roll < 0.85 else HouseholdCategory.DIBAO_C  # fmt: skip
            else:
                kind = HouseholdCategory.DIBAO_A if roll < 0.1 else HouseholdCategory.DIBAO_B if roll < 0.45 else HouseholdCategory.DIBAO_C  # fmt: skip
            start = add(kind, years_ago(8))
            if rng.random() < 0.07 and (last - start).days > 180:  # left 低保 since
                end = _between(rng, start + dt.timedelta(days=180), last)
                out[-1] = DemoCategory(kind.value, start, end)
        elif not tekun and severe and len(members) > 1 and rng.random() < 0.05:
            add(HouseholdCategory.DIBAO_SINGLE_PERSON, years_ago(5))
        lifted = False
        if rural and rng.random() < 0.12 + 0.05 * need:
            roll = rng.random()
            if roll < 0.92:
                lifted = True
                start = add(HouseholdCategory.POVERTY_LIFTED, dt.date(2016, 1, 1), min(last, dt.date(2020, 12, 31)))  # fmt: skip
                if rng.random() < 0.6:
                    before = start - dt.timedelta(days=1)
                    first = _between(rng, min(before, dt.date(2014, 1, 1)), min(before, dt.date(2015, 12, 31)))  # fmt: skip
                    out.append(
                        DemoCategory(HouseholdCategory.POVERTY_UNLIFTED.value, first, before)
                    )
            elif roll < 0.98:
                add(HouseholdCategory.POVERTY_UNLIFTED, dt.date(2014, 1, 1), min(last, dt.date(2019, 12, 31)))  # fmt: skip
            else:
                add(HouseholdCategory.POVERTY_RELAPSED, dt.date(2021, 1, 1))
        if rng.random() < (0.1 if lifted else 0.02):
            add(HouseholdCategory.MONITORED, dt.date(2021, 1, 1))
        if not (tekun or dibao) and rng.random() < 0.025 + 0.06 * need:
            add(HouseholdCategory.LOW_INCOME, years_ago(3))
        if not rural:
            able = [
                m for m, a in zip(members, ages, strict=True)
                if 16 <= a < 60 and m.schooling_stage == SchoolingStage.NONE.value
                and m.labour_ability != LabourAbility.LOST.value
            ]  # fmt: skip
            if (
                able
                and not any(Employment(m.employment) in _WORKING for m in able)
                and rng.random() < 0.5
            ):
                add(HouseholdCategory.ZERO_EMPLOYMENT, years_ago(2))
        return tuple(out)


# ----------------------------------------------------------------------------- writing
def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_HOUSEHOLD = _table(Household)
_PERSON = _table(Person)
_GRAM = _table(PersonNameGram)
_CATEGORY = _table(HouseholdCategoryRecord)
_EVENT = _table(HouseholdEvent)
_INTAKE = _table(Intake)
_MATTER = _table(IntakeMatter)
_REFERRAL = _table(Referral)
_REFERRAL_EVENT = _table(ReferralEvent)


@dataclass(slots=True)
class _Counters:
    household_id: int
    person_id: int
    sequence: int


def _start_counters(s: Session, households: int) -> _Counters:
    """Next free ids, and ``households`` 户编号 taken from the counter a clerk's
    registration uses (at once: one UPDATE instead of one per household)."""
    reserved = take_household_numbers(s, households)
    assert reserved is not None, "generate_demo saves a site before it writes"
    _, first = reserved
    return _Counters(
        household_id=(s.scalar(select(func.max(Household.id))) or 0) + 1,
        person_id=(s.scalar(select(func.max(Person.id))) or 0) + 1,
        sequence=first - 1,
    )


def _write_batch(
    s: Session,
    batch: Sequence[DemoHousehold],
    counters: _Counters,
    *,
    township: str,
    township_code: str,
    now: dt.datetime,
) -> int:
    """Insert one batch of households with explicit ids; return the number of persons."""
    households: list[dict[str, object]] = []
    persons: list[dict[str, object]] = []
    grams: list[tuple[str, str, int]] = []
    categories: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    for hh in batch:
        household_id = counters.household_id
        counters.household_id += 1
        counters.sequence += 1
        households.append(
            {
                "id": household_id, "number": household_number(township_code, counters.sequence),
                "township": township, "village": hh.village, "group_name": hh.group_name,
                "residence": hh.residence, "address": hh.address, "note": "",
                "version": 1, "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
        head_id = counters.person_id
        for p in hh.members:
            person_id = counters.person_id
            counters.person_id += 1
            keys = search_keys(p.name, p.id_number)
            persons.append(
                {
                    "id": person_id, "household_id": household_id, "relation": p.relation,
                    "name": p.name, "name_initials": keys.initials,
                    "id_number": p.id_number, "id_rev": keys.id_rev,
                    "sex": p.sex, "birth_date": p.birth_date, "phone": p.phone,
                    "has_disability_cert": p.has_disability_cert,
                    "disability_cert_no": p.disability_cert_no,
                    "disability_category": p.disability_category,
                    "disability_grade": p.disability_grade,
                    "disability_check": p.disability_check,
                    "major_illness": p.major_illness, "chronic_illness": p.chronic_illness,
                    "mental_disorder": p.mental_disorder, "bedridden": p.bedridden,
                    "illness_note": p.illness_note, "labour_ability": p.labour_ability,
                    "self_care": p.self_care, "employment": p.employment,
                    "schooling_stage": p.schooling_stage, "boarding": p.boarding,
                    "dropped_out": p.dropped_out, "child_status": p.child_status,
                    "left_behind": p.left_behind, "living_alone": p.living_alone,
                    "solitary": p.solitary, "note": "",
                    "version": 1, "created_at": now, "updated_at": now,
                }
            )  # fmt: skip
            grams.extend((g, p.name, person_id) for g in keys.grams)
        categories.extend(
            {
                "household_id": household_id, "category": c.category, "start_date": c.start_date,
                "end_date": c.end_date, "note": "", "created_at": now,
            }
            for c in hh.categories
        )  # fmt: skip
        events.append(
            {
                "household_id": household_id, "person_id": head_id, "at": now,
                "actor": DEMO_ACTOR, "kind": "registered", "detail": "{}",
            }
        )  # fmt: skip
    # Index order: fewer B-tree pages touched per batch.
    grams.sort()
    s.execute(insert(_HOUSEHOLD), households)
    s.execute(insert(_PERSON), persons)
    s.execute(insert(_GRAM), [{"gram": g, "name": n, "person_id": i} for g, n, i in grams])
    if categories:
        s.execute(insert(_CATEGORY), categories)
    s.execute(insert(_EVENT), events)
    return len(persons)


def _advance_sequences(s: Session) -> None:
    """PostgreSQL: move the id sequences past the explicit ids written above."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for table in (_HOUSEHOLD, _PERSON, _INTAKE, _MATTER, _REFERRAL):
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def _write_referrals(
    s: Session,
    count: int,
    rng: random.Random,
    *,
    today: dt.date,
    check: Callable[[], None],
) -> int:
    """Add intakes of existing households until ``count`` referrals exist among them.

    Each intake asks for one to three matters routed as the catalogue proposes; the
    referred ones get a 转介编号 from ``site.referral_seq``, the deadline the working
    calendar gives, and a status that depends on their age (older ones mostly replied).
    Written with Core executemany like the households; returns the referrals written.
    """
    if count <= 0:
        return 0
    matters = list(load_matters(s).values())
    departments = load_departments(s, today)
    referred = [
        m for m in matters
        if m.handling is Handling.REFERRAL and departments.get(m.department_code) is not None
        and departments[m.department_code].limit_days is not None
    ]  # fmt: skip
    window = [m for m in matters if m.handling is Handling.WINDOW]
    heads = list(s.execute(select(Person.household_id, Person.id).where(Person.relation == "head")))
    site = s.scalars(select(Site).order_by(Site.id).limit(1)).first()
    if not referred or not heads or site is None:
        return 0
    calendar = load_calendar(s)
    deadlines: dict[tuple[dt.date, int], dt.date] = {}
    clerks = ("演示经办人甲", "演示经办人乙", "演示经办人丙", "演示经办人丁")
    channels = _Weighted([(Channel.WALK_IN, 70), (Channel.VILLAGE_REFERRAL, 15),
                          (Channel.PROACTIVE, 10), (Channel.HOTLINE, 5)])  # fmt: skip
    urgencies = _Weighted([(Urgency.NORMAL, 85), (Urgency.URGENT, 12), (Urgency.EMERGENCY, 3)])
    intake_id = (s.scalar(select(func.max(Intake.id))) or 0) + 1
    matter_id = (s.scalar(select(func.max(IntakeMatter.id))) or 0) + 1
    referral_id = (s.scalar(select(func.max(Referral.id))) or 0) + 1
    intake_seq, referral_seq = site.intake_seq, site.referral_seq
    written = 0
    while written < count:
        check()
        intakes: list[dict[str, object]] = []
        rows: list[dict[str, object]] = []
        referrals: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        while written < count and len(referrals) < 5000:
            household_id, head_id = _choice(rng, heads)
            age_days = int(365 * rng.random() ** 1.5)  # more recent visits than old ones
            received = dt.datetime.combine(
                today - dt.timedelta(days=age_days), dt.time(8, 30)
            ) + dt.timedelta(minutes=_below(rng, 480))
            on = received.date()
            clerk = _choice(rng, clerks)
            intake_seq += 1
            intakes.append(
                {
                    "id": intake_id, "number": f"SL{on.year}-{intake_seq:06d}",
                    "household_id": household_id, "applicant_id": head_id,
                    "came_as": CameAs.APPLICANT.value, "agent_name": "", "agent_relation": "",
                    "channel": channels.pick(rng).value, "urgency": urgencies.pick(rng).value,
                    "causes": "[]", "note": "", "received_at": received, "clerk": clerk,
                }
            )  # fmt: skip
            picked = rng.sample(referred, min(len(referred), 1 + _below(rng, 2)))
            if window and rng.random() < 0.3:
                picked.append(_choice(rng, window))
            for m in picked:
                is_referral = m.handling is Handling.REFERRAL
                limit = departments[m.department_code].limit_days if is_referral else None
                due: dt.date | None = None
                if limit is not None:
                    key = (on, limit)
                    if key not in deadlines:
                        deadlines[key] = calendar.add_working_days(on, limit).due
                    due = deadlines[key]
                rows.append(
                    {
                        "id": matter_id, "intake_id": intake_id, "matter_code": m.code,
                        "handling": m.handling.value, "department_code": m.department_code,
                        "proposed_handling": m.handling.value,
                        "proposed_department": m.department_code, "route_reason": m.reason,
                        "route_basis": m.basis, "override_reason": "",
                        "papers_received": "[]", "papers_missing": "[]",
                        "status": "referred" if is_referral else "accepted",
                        "due_date": due, "due_uncertain": False,
                    }
                )  # fmt: skip
                if is_referral and due is not None and limit is not None:
                    referral_seq += 1
                    referrals.append(
                        _demo_referral(rng, referral_id, f"ZJ{on.year}-{referral_seq:06d}",
                                       matter_id, m.department_code, received, limit, due,
                                       today, clerk, events)
                    )  # fmt: skip
                    referral_id += 1
                    written += 1
                matter_id += 1
            intake_id += 1
        s.execute(insert(_INTAKE), intakes)
        s.execute(insert(_MATTER), rows)
        s.execute(insert(_REFERRAL), referrals)
        s.execute(insert(_REFERRAL_EVENT), events)
    site.intake_seq, site.referral_seq = intake_seq, referral_seq
    s.flush()
    return written


def _demo_referral(
    rng: random.Random,
    referral_id: int,
    number: str,
    matter_id: int,
    department_code: str,
    created: dt.datetime,
    limit: int,
    due: dt.date,
    today: dt.date,
    clerk: str,
    events: list[dict[str, object]],
) -> dict[str, object]:
    """One referral row and its events; the older it is, the likelier it was answered."""
    age = (today - created.date()).days
    closed = age > 5 and rng.random() < min(0.95, age / 60)
    status = ReferralStatus.PENDING
    sent = accepted = replied = None
    if age > 0 or rng.random() < 0.5:
        status, sent = ReferralStatus.SENT, created + dt.timedelta(hours=2)
    if sent is not None and age > 2 and rng.random() < 0.8:
        status, accepted = ReferralStatus.ACCEPTED, sent + dt.timedelta(days=1)
    result, amount, result_date, return_reason = "", None, None, ""
    if closed:
        sent = sent or created + dt.timedelta(hours=2)
        accepted = accepted or sent + dt.timedelta(days=1)
        late = rng.random() < 0.12
        day = (
            due + dt.timedelta(days=1 + _below(rng, 5))
            if late
            else due - dt.timedelta(days=_below(rng, max(1, (due - accepted.date()).days)))
        )
        day = min(max(day, accepted.date()), today)
        replied = dt.datetime.combine(day, dt.time(15, 0))
        if rng.random() < 0.9:
            status, result, result_date = ReferralStatus.DONE, "已按规定办结", day
            amount = Decimal(100 * (1 + _below(rng, 30))) if rng.random() < 0.4 else None
        else:
            status, return_reason = ReferralStatus.RETURNED, "材料不全，请补齐后再转"
    steps = [(created, "created", "", ReferralStatus.PENDING.value)]
    previous = ReferralStatus.PENDING.value
    for at, kind, to in ((sent, "send", ReferralStatus.SENT), (accepted, "accept",
                         ReferralStatus.ACCEPTED), (replied, "complete" if status is
                         ReferralStatus.DONE else "return", status)):  # fmt: skip
        if at is not None:
            steps.append((at, kind, previous, to.value))
            previous = to.value
    events.extend(
        {
            "referral_id": referral_id, "at": at, "actor": clerk, "kind": kind,
            "from_status": from_status, "to_status": to_status, "note": "",
            "hardship_eased": None,
        }
        for at, kind, from_status, to_status in steps
    )  # fmt: skip
    return {
        "id": referral_id, "number": number, "matter_id": matter_id,
        "department_code": department_code, "status": status.value, "created_at": created,
        "limit_days": limit, "due_date": due, "due_uncertain": False, "sent_at": sent,
        "accepted_at": accepted, "replied_at": replied, "result": result, "amount": amount,
        "result_date": result_date, "return_reason": return_reason, "reminders": 0,
        "version": 1,
    }  # fmt: skip


def generate_demo(
    services: Services,
    households: int,
    seed: int,
    *,
    referrals: int = 0,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> DemoSummary:
    """Add ``households`` fictional households to the database, all or nothing.

    Creates the demo township as the site when the database has none. Running again
    appends: 户编号 continue and ID numbers never repeat one already stored. Cancelling
    (between batches) raises :class:`desk_app.errors.Cancelled` and writes no household.
    With ``referrals``, also that many 转介 (in intakes of random households, statuses
    spread over their age) for a county-sized referral queue.
    """
    if households < 0:
        raise ValueError("households must not be negative")
    started = time.perf_counter()
    site = services.site.get()
    if site is None:
        site = services.site.save(DEMO_TOWNSHIP, DEMO_TOWNSHIP_CODE, DEMO_WINDOW)
    today = services.context.today()
    now = services.context.clock()
    check: Callable[[], None] = cancel.check if cancel is not None else lambda: None
    persons = 0
    with services.unit_of_work(write=True) as uow:
        s = uow.session
        counters = _start_counters(s, households)
        used = set(s.scalars(select(Person.id_number)))
        generator = DemoGenerator(random.Random(seed), today, site.township_code, used)
        done = 0
        while done < households:
            check()
            size = min(BATCH_HOUSEHOLDS, households - done)
            batch = list(generator.households(size))
            persons += _write_batch(
                s, batch, counters,
                township=site.township_name, township_code=site.township_code, now=now,
            )  # fmt: skip
            done += size
            progress(done / households, STATUS)
        written = _write_referrals(s, referrals, random.Random(seed + 1), today=today, check=check)
        check()
        _advance_sequences(s)
        uow.commit()
    seconds = time.perf_counter() - started
    log.info("demo data: %d households, %d persons, %d referrals in %.1f s",
             households, persons, written, seconds)  # fmt: skip
    return DemoSummary(households=households, persons=persons, seconds=seconds,
                       referrals=written)  # fmt: skip
