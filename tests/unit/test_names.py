"""Search keys from names: pinyin initials, 1–2 character grams, normalisation."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.names import (
    MAX_GRAM,
    SearchKeys,
    name_grams,
    normalize_name,
    pinyin_initials,
    reversed_id,
    search_keys,
)


# ------------------------------------------------------------------ pinyin initials
@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张伟", "zw"),
        ("赵文", "zw"),
        ("李伟明", "lwm"),
        ("王秀英", "wxy"),
        ("欧阳娜娜", "oynn"),  # two-character surname
        ("长孙无忌", "zswj"),  # 长 read zhǎng in the surname, not cháng
        ("阿卜杜拉·买买提", "abdlmmt"),  # the middle dot is dropped
        ("阿依古丽·吐尔逊", "aygltex"),
    ],
)
def test_pinyin_initials(name: str, initials: str) -> None:
    assert pinyin_initials(name) == initials


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        # surnames read their own way (标准姓氏读音), not as the everyday character
        ("曾强", "zq"),  # zēng, not céng
        ("单田芳", "stf"),  # shàn, not dān
        ("解缙", "xj"),  # xiè
        ("仇英", "qy"),  # qiú
        ("查良镛", "zly"),  # zhā
        ("区志", "oz"),  # ōu
        ("翟志刚", "zzg"),  # zhái
        ("覃雪梅", "qxm"),  # qín
        ("朴树", "ps"),  # piáo
        ("种师道", "csd"),  # chóng
        ("召军", "sj"),  # shào
        ("乐嘉", "yj"),  # yuè
        ("繁钦", "pq"),  # pó
        ("秘红", "bh"),  # bì
        ("重阳", "cy"),  # chóng
        ("长林", "cl"),  # the surname 长 alone is cháng
        ("阚泽", "kz"),  # kàn
        ("折克行", "skx"),  # shé
        # two-character surnames first
        ("尉迟恭", "ycg"),  # yù chí
        ("万俟丽", "mql"),  # mò qí
        ("长孙无忌", "zswj"),  # zhǎng sūn, although 长 alone is cháng
        ("上官婉儿", "sgwe"),
        ("司马光", "smg"),
        ("诸葛亮", "zgl"),
        # 尉 alone is wèi; inside a given name a character keeps its everyday reading
        ("尉缭", "wl"),
        ("李长生", "lcs"),
        ("曾", "z"),
    ],
)
def test_surname_readings(name: str, initials: str) -> None:
    assert pinyin_initials(name) == initials


def test_search_keys_are_the_one_source_of_stored_keys() -> None:
    number = "11010519491231002X"
    keys = search_keys("曾秀英", number)
    assert keys == SearchKeys("zxy", reversed_id(number), ("曾", "曾秀", "秀", "秀英", "英"))
    assert keys.initials == pinyin_initials("曾秀英")
    assert set(keys.grams) == name_grams("曾秀英")
    assert list(keys.grams) == sorted(keys.grams)
    with pytest.raises(dataclasses.FrozenInstanceError):
        keys.initials = "x"  # type: ignore[misc]


def test_pinyin_initials_are_lower_case_ascii_letters_only() -> None:
    for name in ("张伟", "欧阳娜娜", "阿卜杜拉·买买提", "玛丽·居里"):
        key = pinyin_initials(name)
        assert key
        assert key.isascii()
        assert key.isalpha()
        assert key == key.lower()


def test_pinyin_initials_keep_latin_letters_of_a_name() -> None:
    # BUG: desk_app/domain/names.py:33 (pinyin_initials) calls lazy_pinyin(..., errors="ignore"), which drops
    # every non-Chinese character, so "Anna张" gets the key "z" although the docstring
    # (and validation, which allows A–Z in names) says Latin letters keep their own
    # lower-case letters. Fix: errors="default" (keeps "Anna" as one item) and let the
    # existing isascii/isalnum filter drop the dot.
    assert pinyin_initials("Anna张") == "annaz"
    assert pinyin_initials("张A") == "za"


# ------------------------------------------------------------------ grams
def test_name_grams_of_a_two_character_name() -> None:
    assert name_grams("张伟") == {"张", "伟", "张伟"}


def test_name_grams_of_a_three_character_name() -> None:
    assert name_grams("王秀英") == {"王", "秀", "英", "王秀", "秀英"}


def test_name_grams_with_a_repeated_character() -> None:
    assert name_grams("娜娜") == {"娜", "娜娜"}


def test_name_grams_never_hold_the_dot_alone() -> None:
    grams = name_grams("阿依·吐尔")
    assert "·" not in grams
    assert grams == {"阿", "依", "吐", "尔", "阿依", "依·", "·吐", "吐尔"}


def test_name_grams_of_empty_and_single() -> None:
    assert name_grams("") == set()
    assert name_grams("伟") == {"伟"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="张王李赵欧阳娜伟秀英明·", min_size=1, max_size=12))
def test_name_grams_are_exactly_all_short_slices(name: str) -> None:
    expected = {
        name[i : i + n] for n in range(1, MAX_GRAM + 1) for i in range(len(name) - n + 1)
    } - {"·"}
    grams = name_grams(name)
    assert grams == expected
    assert all(1 <= len(g) <= MAX_GRAM for g in grams)
    # every 1- or 2-character substring a clerk may type is a key, so the gram index
    # finds every name containing it
    for i in range(len(name)):
        for n in (1, 2):
            piece = name[i : i + n]
            if len(piece) == n and piece != "·":
                assert piece in grams


# ------------------------------------------------------------------ normalising
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张伟", "张伟"),
        (" 张伟 ", "张伟"),
        ("张 伟", "张伟"),
        ("张\u3000伟", "张伟"),  # ideographic space from a Chinese IME
        ("\t张伟\n", "张伟"),
        ("ＡＮＮＡ", "ANNA"),  # full-width Latin letters
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉•买买提", "阿卜杜拉·买买提"),  # bullet U+2022
        ("", ""),
    ],
)
def test_normalize_name(typed: str, stored: str) -> None:
    assert normalize_name(typed) == stored


def test_normalize_name_folds_full_width_full_stop_to_the_middle_dot() -> None:
    # BUG: desk_app/domain/names.py:24 (normalize_name) replaces "．" (U+FF0E) only after NFKC, but NFKC has
    # already turned it into "." — the replacement never fires. "买买提．艾力" is stored as
    # "买买提.艾力", which validation then rejects ("只能包含汉字、字母和间隔号"), although
    # the code plainly means to accept it. Fix: map "．" (and "•") before NFKC, or replace
    # "." after it: ``folded.replace(".", "·")``.
    assert normalize_name("买买提．艾力") == "买买提·艾力"


def test_normalize_name_is_idempotent() -> None:
    for typed in (" 张 伟 ", "ＡＮＮＡ", "阿卜杜拉•买买提"):
        once = normalize_name(typed)
        assert normalize_name(once) == once


def test_reversed_id() -> None:
    assert reversed_id("11010519491231002X") == "X20013219491501011"
    assert reversed_id(reversed_id("520402198001010028")) == "520402198001010028"
