"""Search keys derived from a person's name and ID number.

The search box accepts a name prefix, 1–2 character substrings, pinyin initials (zw → 张伟)
and an ID-number suffix. Each is served by an index: names by ``person.name``, initials
by ``person.name_initials``, suffixes by the reversed number ``person.id_rev``, and
substrings by the ``person_name_gram`` table of every 1- and 2-character slice of the
name. SQLite's FTS5 trigram index cannot answer 1–2 character patterns (it silently
returns nothing on SQLite 3.40, feasibility §3a), and those are most Chinese searches.
"""

from __future__ import annotations

import functools
import unicodedata

MAX_GRAM = 2


def normalize_name(text: str) -> str:
    """Fold full-width forms and drop spaces; keep the middle dot of minority names."""
    # Dots first: NFKC turns the full-width "．" into "." before we could see it.
    dotted = text.replace("•", "·").replace("．", "·").replace("・", "·")
    folded = unicodedata.normalize("NFKC", dotted).strip()
    return "".join(folded.split()).replace(".", "·")


@functools.lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    """Lower-case first letters of each syllable: 张伟 → zw, 欧阳娜娜 → oynn.

    Non-Chinese characters keep their own lower-case letters; the dot is dropped.
    """
    # Imported here: pypinyin loads its phrase dictionary on import (~0.3 s), which
    # start-up should not pay; the first save or demo run does, once.
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(letters).lower() if ch.isascii() and ch.isalnum())


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
