"""The window's identity as typed through a Chinese IME: full-width digits and spaces."""

from __future__ import annotations

import pytest

from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.errors import ValidationError


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_code_and_names_are_folded_before_checking(bare_services, safe_dto) -> None:
    saved = bare_services.site.save(
        "\u3000宁谷镇 ", full_width("520402102000"), "社会救助综合服务窗口\u3000"
    )
    assert saved.township_code == "520402102000"
    assert saved.township_name == "宁谷镇"
    assert saved.window_name == "社会救助综合服务窗口"
    assert bare_services.site.get() == saved
    safe_dto(saved)


def test_a_code_read_off_paper_with_spaces(bare_services) -> None:
    assert bare_services.site.save("宁谷镇", " 520402 102 ", "窗口").township_code == "520402102"


@pytest.mark.parametrize("code", ["52040", "5204021020001", "52040a", "５２０４０"])
def test_a_wrong_code_is_still_refused(bare_services, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        bare_services.site.save("宁谷镇", code, "窗口")
    assert [p.field for p in caught.value.problems] == ["township_code"]
    assert bare_services.site.get() is None


def test_the_household_number_uses_the_folded_code(bare_services, make_id) -> None:
    bare_services.site.save("宁谷镇", full_width("520402102"), "窗口")
    detail = bare_services.households.register(HouseholdInput("村"), PersonInput("张伟", make_id()))
    assert detail.number == "520402102-00001"
