"""Search keys derived from a person's name and ID number.

The search box accepts a name prefix, 1–2 character substrings, pinyin initials (zw → 张伟)
and an ID-number prefix or suffix. Each is served by an index: names by ``person.name``,
initials by ``person.name_initials``, suffixes by the reversed number ``person.id_rev``,
prefixes by the unique index on ``person.id_number``, and substrings by the
``person_name_gram`` table of every 1- and 2-character slice of the name. SQLite's FTS5
trigram index cannot answer 1–2 character patterns (it silently returns nothing on SQLite
3.40, feasibility §3a), and those are most Chinese searches.

:func:`search_keys` is the one place the stored keys are computed: the household service
and the demo generator both call it, so the keys cannot drift apart.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

MAX_GRAM = 2

# Surnames whose reading as a surname differs from the character's everyday reading, which
# is what pypinyin gives without context (曾 céng, 单 dān, 解 jiě …). These are the
# standard 姓氏读音 of 《现代汉语词典》/《新华字典》: a clerk types the initial of the name as
# people say it (曾强 is Zēng Qiáng → zq). Only readings that are the accepted surname
# reading are listed; 尉 stays wèi (尉缭), it is yù only in the compound 尉迟.
_SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "区": "ou",
    "翟": "zhai", "覃": "qin", "朴": "piao", "盖": "ge", "缪": "miao", "种": "chong",
    "召": "shao", "乐": "yue", "繁": "po", "句": "gou", "员": "yun", "秘": "bi",
    "华": "hua", "重": "chong", "长": "chang", "折": "she", "阚": "kan", "佴": "nai",
    "乜": "nie",
}  # fmt: skip
# Two-character surnames, matched before the single ones: 长孙 is zhǎng sūn although the
# surname 长 alone is cháng, 尉迟 is yù chí. 单于 is left out on purpose: today "单于…" is
# far more likely the surname 单 (shàn) followed by a given name starting with 于.
_COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"), "上官": ("shang", "guan"), "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"), "澹台": ("tan", "tai"), "乐正": ("yue", "zheng"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SearchKeys:
    """What is stored for one person so that every kind of search hits an index."""

    initials: str
    """``person.name_initials``: pinyin initials of the name."""
    id_rev: str
    """``person.id_rev``: the ID number reversed (suffix search as a prefix range)."""
    grams: tuple[str, ...]
    """``person_name_gram`` keys: every 1- and 2-character slice of the name, sorted."""


def search_keys(name: str, id_number: str) -> SearchKeys:
    """The stored search keys of a person with this (normalised) name and ID number."""
    return SearchKeys(pinyin_initials(name), reversed_id(id_number), _sorted_grams(name))


# Cached like the initials: demo data draws the same common names thousands of times.
@functools.lru_cache(maxsize=65536)
def _sorted_grams(name: str) -> tuple[str, ...]:
    return tuple(sorted(name_grams(name)))


def normalize_name(text: str) -> str:
    """Fold full-width forms and drop spaces; keep the middle dot of minority names."""
    # Dots first: NFKC turns the full-width "．" into "." before we could see it.
    dotted = text.replace("•", "·").replace("．", "·").replace("・", "·")
    folded = unicodedata.normalize("NFKC", dotted).strip()
    return "".join(folded.split()).replace(".", "·")


def _surname_initials(name: str) -> tuple[str, str]:
    """``(initials of the surname, rest of the name)`` when the surname has its own
    reading; ``("", name)`` when pypinyin's reading of the whole name is right."""
    pair = _COMPOUND_SURNAMES.get(name[:2])
    if pair is not None:
        return pair[0][0] + pair[1][0], name[2:]
    reading = _SURNAME_READINGS.get(name[:1])
    if reading is not None:
        return reading[0], name[1:]
    return "", name


@functools.lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    """Lower-case first letters of each syllable: 张伟 → zw, 欧阳娜娜 → oynn, 曾强 → zq.

    The first character(s) are read as a surname where that reading differs from the
    everyday one (see ``_SURNAME_READINGS``). Non-Chinese characters keep their own
    lower-case letters; the dot is dropped.
    """
    # Imported here: pypinyin loads its phrase dictionary on import (~0.3 s), which
    # start-up should not pay; the first save or demo run does, once.
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    head, rest = _surname_initials(name)
    letters = lazy_pinyin(rest, style=Style.FIRST_LETTER, errors="default") if rest else []
    return "".join(ch for ch in (head + "".join(letters)).lower() if ch.isascii() and ch.isalnum())


def name_grams(name: str) -> set[str]:
    """Every 1- and 2-character slice of ``name``, the keys of the substring index."""
    grams: set[str] = set()
    for size in range(1, MAX_GRAM + 1):
        for start in range(len(name) - size + 1):
            gram = name[start : start + size]
            if gram != "·":
                grams.add(gram)
    return grams


def reversed_id(id_number: str) -> str:
    """The ID number reversed, so a suffix search becomes an indexed prefix search."""
    return id_number[::-1]
