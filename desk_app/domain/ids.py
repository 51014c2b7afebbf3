"""居民身份证号码 rules (GB 11643-1999) and the masks used on screen, paper and export.

An 18-character number is: 6-digit address code, 8-digit birth date, 3-digit sequence
(odd = male, even = female) and a check character computed with ISO 7064 MOD 11-2.
Registry data items: domain.md §6.3 (name, ID number, sex, date of birth).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from desk_app.i18n import QT_TRANSLATE_NOOP, Message

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# First two digits of the address code: provinces, autonomous regions and municipalities
# (GB/T 2260), plus 71/81/82 used on mainland-issued cards for Taiwan, Hong Kong, Macao.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    }
)  # fmt: skip

_CTX = "ids"


class Sex(StrEnum):
    MALE = "男"
    FEMALE = "女"


def normalize_id_number(text: str) -> str:
    """Fold what an IME or a spreadsheet adds: full-width digits, spaces, a lower-case x."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).upper()


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A valid ID number and what it tells: birth date and sex."""

    value: str
    birth_date: dt.date
    sex: Sex

    @property
    def region_code(self) -> str:
        return self.value[:6]


@dataclass(frozen=True, slots=True)
class IdCheck:
    """Outcome of :func:`check_id_number`: either ``id`` or a ``problem`` for the clerk."""

    id: IdNumber | None
    problem: Message | None

    @property
    def ok(self) -> bool:
        return self.id is not None


def _fail(source: str, **params: object) -> IdCheck:
    return IdCheck(None, Message(_CTX, source, dict(params)))


def check_id_number(text: str, today: dt.date | None = None) -> IdCheck:
    """Validate an 18-character ID number and say exactly what is wrong with a bad one."""
    value = normalize_id_number(text)
    today = today or dt.date.today()
    if not value:
        return _fail(QT_TRANSLATE_NOOP("ids", "请填写身份证号码"))
    if len(value) == 15 and value.isdigit():
        return _fail(QT_TRANSLATE_NOOP("ids", "这是15位旧号码，请按新身份证填写18位号码"))
    if len(value) != 18:
        return _fail(
            QT_TRANSLATE_NOOP("ids", "应为18位，现在是{length}位"),
            length=len(value),
        )
    if not value[:17].isdigit() or not value[:17].isascii():
        return _fail(QT_TRANSLATE_NOOP("ids", "前17位只能是数字"))
    if value[17] not in "0123456789X":
        return _fail(QT_TRANSLATE_NOOP("ids", "最后一位只能是数字或X"))
    if value[:2] not in PROVINCE_CODES:
        return _fail(
            QT_TRANSLATE_NOOP("ids", "前两位“{code}”不是有效的省级行政区划代码"), code=value[:2]
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _fail(
            QT_TRANSLATE_NOOP("ids", "第7–14位“{digits}”不是有效的出生日期"), digits=value[6:14]
        )
    if birth > today:
        return _fail(QT_TRANSLATE_NOOP("ids", "出生日期{date}晚于今天"), date=birth.isoformat())
    if birth.year < 1890:
        return _fail(QT_TRANSLATE_NOOP("ids", "出生年份{year}不合理"), year=birth.year)
    expected = check_character(value[:17])
    if value[17] != expected:
        return _fail(
            QT_TRANSLATE_NOOP("ids", "校验位应为“{expected}”而不是“{actual}”，请核对号码是否抄错"),
            expected=expected,
            actual=value[17],
        )
    sex = Sex.MALE if int(value[16]) % 2 else Sex.FEMALE
    return IdCheck(IdNumber(value, birth, sex), None)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in completed years (周岁) on a given day."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters visible: the default on every screen and paper."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number (138****5678)."""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
