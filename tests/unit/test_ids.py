"""GB 11643-1999 ID numbers: check character, every failure reason, masks and ages.

All numbers here are fictional; each is built with a correct check character.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.ids import (
    PROVINCE_CODES,
    Sex,
    age_on,
    check_character,
    check_id_number,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)

TODAY = dt.date(2024, 6, 15)


def independent_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 written from the standard, not from desk_app.

    Weight of position i (counted from the right, check character at position 1) is
    2**(i-1) mod 11; the check value is (12 - sum mod 11) mod 11, 10 written as X.
    """
    assert len(first17) == 17
    assert first17.isdigit()
    total = sum(int(ch) * pow(2, 17 - i, 11) for i, ch in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make(first17: str) -> str:
    return first17 + independent_check(first17)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ------------------------------------------------------------------ check character
# Worked by hand with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and "10X98765432".
KNOWN_VALID = [
    "11010519491231002X",  # the textbook example from GB 11643
    "52040219800101001X",
    "520402198001010028",
    "520402198001010036",
    "520402198001010060",
    "520402198001010079",
]


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_check_character_known_vectors(number: str) -> None:
    assert check_character(number[:17]) == number[17]
    assert independent_check(number[:17]) == number[17]
    assert check_id_number(number, TODAY).ok


def test_both_implementations_agree_and_every_check_value_occurs() -> None:
    prefixes = [f"520402198001010{d}{e}" for d in "0123456789" for e in "0123456789"]
    assert [check_character(p) for p in prefixes] == [independent_check(p) for p in prefixes]
    assert {check_character(p) for p in prefixes} == set("0123456789X")


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_check_character_with_wrong_length_input_is_refused(number: str) -> None:
    # strict zip: a short or long prefix must not silently produce a character
    with pytest.raises(ValueError, match=r"shorter|longer"):
        check_character(number[:16])
    with pytest.raises(ValueError, match=r"shorter|longer"):
        check_character(number[:17] + "1")


# ------------------------------------------------------------------ failure reasons
def problem_text(value: str, today: dt.date = TODAY) -> str:
    result = check_id_number(value, today)
    assert not result.ok
    assert result.id is None
    assert result.problem is not None
    return result.problem.render()


@pytest.mark.parametrize("value", ["", "   ", "\u3000"])
def test_empty_number_asks_for_one(value: str) -> None:
    assert problem_text(value) == "请填写身份证号码"


def test_fifteen_digit_old_number_is_named_as_such() -> None:
    assert "15位旧号码" in problem_text("110105491231002")


@pytest.mark.parametrize("length", [1, 14, 16, 17, 19, 20])
def test_wrong_length_states_the_length(length: int) -> None:
    value = ("11010519491231002X" + "1234")[:length]
    assert problem_text(value) == f"应为18位，现在是{length}位"


def test_fifteen_characters_with_a_letter_is_a_length_problem() -> None:
    assert problem_text("11010549123100X") == "应为18位，现在是15位"


@pytest.mark.parametrize(
    "value", ["11010519491231O02X", "A1010519491231002X", "110105194912310-2X"]
)
def test_letters_in_the_first_17_are_refused(value: str) -> None:
    assert problem_text(value) == "前17位只能是数字"


def test_non_ascii_digits_in_the_first_17_are_refused() -> None:
    arabic_indic_one = "\u0661"  # isdigit() is True, NFKC keeps it: must still be refused
    value = arabic_indic_one + "1010519491231002X"
    assert problem_text(value) == "前17位只能是数字"


@pytest.mark.parametrize("last", ["A", "Y", "*", "-"])
def test_bad_last_character(last: str) -> None:
    assert problem_text("11010519491231002" + last) == "最后一位只能是数字或X"


@pytest.mark.parametrize("province", ["00", "10", "20", "39", "66", "80", "91", "99"])
def test_bad_province_code_is_quoted(province: str) -> None:
    value = make(province + "010519800101001")
    result = check_id_number(value, TODAY)
    assert not result.ok
    assert result.problem.params == {"code": province}
    assert f"前两位“{province}”" in result.problem.render()


def test_every_listed_province_code_is_accepted() -> None:
    for code in PROVINCE_CODES:
        assert check_id_number(make(code + "010519800101001"), TODAY).ok, code


@pytest.mark.parametrize(
    "digits", ["19990230", "19990001", "19991301", "19990431", "19000229", "00000101"]
)
def test_impossible_birth_date_is_quoted(digits: str) -> None:
    text = problem_text(make("520402" + digits + "001"))
    assert f"“{digits}”不是有效的出生日期" in text


def test_leap_day_in_a_leap_year_is_a_real_date() -> None:
    result = check_id_number(make("52040220000229001"), TODAY)
    assert result.ok
    assert result.id.birth_date == dt.date(2000, 2, 29)


def test_birth_date_after_today_is_refused_but_today_is_fine() -> None:
    assert problem_text(make("52040220240616001")) == "出生日期2024-06-16晚于今天"
    assert check_id_number(make("52040220240615001"), TODAY).ok


def test_year_before_1890_is_refused_and_1890_is_fine() -> None:
    assert problem_text(make("52040218891231001")) == "出生年份1889不合理"
    assert check_id_number(make("52040218900101001"), TODAY).ok


def test_wrong_check_character_names_the_expected_one() -> None:
    result = check_id_number("110105194912310021", TODAY)
    assert not result.ok
    assert result.problem.params == {"expected": "X", "actual": "1"}
    assert "校验位应为“X”而不是“1”" in result.problem.render()


def test_wrong_digit_check_character_names_the_expected_digit() -> None:
    result = check_id_number("52040219800101002X", TODAY)
    assert result.problem.params == {"expected": "8", "actual": "X"}


def test_default_today_is_the_real_today() -> None:
    # A birth date of tomorrow is in the future whatever day the test runs.
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert not check_id_number(make(f"520402{tomorrow:%Y%m%d}001")).ok


# ------------------------------------------------------------------ normalising
def test_full_width_digits_and_lower_case_x_are_folded() -> None:
    result = check_id_number(full_width("11010519491231002x"), TODAY)
    assert result.ok
    assert result.id.value == "11010519491231002X"
    assert result.id.value.isascii()


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105\u300019491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",
    ],
)
def test_normalize_id_number(typed: str) -> None:
    assert normalize_id_number(typed) == "11010519491231002X"


# ------------------------------------------------------------------ what a number tells
def test_sex_birth_date_and_region_from_the_number() -> None:
    even = check_id_number("11010519491231002X", TODAY).id  # 17th digit 2: even
    assert even.sex is Sex.FEMALE
    assert even.birth_date == dt.date(1949, 12, 31)
    assert even.region_code == "110105"
    odd = check_id_number("520402198001010079", TODAY).id  # 17th digit 7: odd
    assert odd.sex is Sex.MALE
    assert odd.birth_date == dt.date(1980, 1, 1)


@pytest.mark.parametrize("digit", "0123456789")
def test_sex_follows_the_parity_of_the_17th_digit(digit: str) -> None:
    parsed = check_id_number(make("5204021980010100" + digit), TODAY).id
    assert parsed.sex is (Sex.MALE if int(digit) % 2 else Sex.FEMALE)


# ------------------------------------------------------------------ ages (周岁)
@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(1964, 6, 15), dt.date(2024, 6, 14), 59),  # the day before the 60th birthday
        (dt.date(1964, 6, 15), dt.date(2024, 6, 15), 60),  # on the birthday
        (dt.date(1964, 6, 15), dt.date(2024, 6, 16), 60),
        (dt.date(2006, 12, 31), dt.date(2024, 12, 30), 17),
        (dt.date(2006, 12, 31), dt.date(2024, 12, 31), 18),
        (dt.date(2006, 1, 1), dt.date(2023, 12, 31), 17),
        (dt.date(2000, 2, 29), dt.date(2001, 2, 28), 0),  # leap-day birth, common year
        (dt.date(2000, 2, 29), dt.date(2001, 3, 1), 1),
        (dt.date(2000, 2, 29), dt.date(2004, 2, 28), 3),
        (dt.date(2000, 2, 29), dt.date(2004, 2, 29), 4),
        (dt.date(2024, 6, 15), dt.date(2024, 6, 15), 0),  # born today
    ],
)
def test_age_on(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_on(birth, on) == age


# ------------------------------------------------------------------ masks
def test_mask_id_number_shows_first_6_and_last_4() -> None:
    masked = mask_id_number("11010519491231002X")
    assert masked == "110105" + "*" * 8 + "002X"
    assert len(masked) == 18


@pytest.mark.parametrize("value", ["", "1", "1234567890"])
def test_mask_id_number_hides_short_values_entirely(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone(" 13800138000 ") == "138****8000"
    assert mask_phone("0851-12345678") == "085******5678"
    assert mask_phone("1234567") == "*******"


# ------------------------------------------------------------------ properties
def _dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(1890, 1, 1), max_value=TODAY)


@st.composite
def valid_first17(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    rest = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    birth = draw(_dates())
    seq = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return f"{province}{rest}{birth:%Y%m%d}{seq}"


@settings(max_examples=150, deadline=None)
@given(valid_first17())
def test_any_valid_prefix_with_its_check_character_passes(first17: str) -> None:
    assert check_character(first17) == independent_check(first17)
    number = first17 + check_character(first17)
    result = check_id_number(number, TODAY)
    assert result.ok
    assert result.problem is None
    assert result.id.value == number
    assert result.id.birth_date == dt.date(
        int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    )
    assert result.id.sex is (Sex.MALE if int(first17[16]) % 2 else Sex.FEMALE)
    assert mask_id_number(number) == number[:6] + "********" + number[-4:]


@settings(max_examples=150, deadline=None)
@given(
    valid_first17(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10)
)
def test_changing_any_one_character_fails(first17: str, position: int, shift: int) -> None:
    number = first17 + check_character(first17)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = number[position]
    candidates = [c for c in alphabet if c != old]
    new = candidates[(shift - 1) % len(candidates)]
    changed = number[:position] + new + number[position + 1 :]
    assert not check_id_number(changed, TODAY).ok
