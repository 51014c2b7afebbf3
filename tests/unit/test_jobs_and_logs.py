"""The Qt-free job protocol and the logging safety net."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from desk_app.domain.ids import check_character
from desk_app.errors import Cancelled
from desk_app.jobs import CancelToken, scaled
from desk_app.logs import redact


def test_cancel_token_raises_after_cancel() -> None:
    token = CancelToken()
    token.check()
    token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled):
        token.check()


def test_scaled_progress_maps_into_its_range() -> None:
    seen: list[float] = []
    sub = scaled(lambda f, _s: seen.append(f), 0.5, 0.75)
    sub(0.0, "")
    sub(0.5, "")
    sub(2.0, "")  # clamped
    assert seen == [0.5, 0.625, 0.75]


def _id() -> str:
    base = "52040219800101123"
    return base + check_character(base)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"person {_id()} saved", "person [身份证号] saved"),
        ("phone 13812345678 called", "phone [手机号] called"),
        ("card 6222021234567890123", "card [银行账号]"),
        ("household=42 person=7", "household=42 person=7"),
        ("2026-11-22 10:00:01", "2026-11-22 10:00:01"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_log_file_never_holds_an_id_number(desk_log: Any) -> None:
    logger = logging.getLogger("desk_app.test")
    number = _id()
    logger.warning("lookup of %s failed", number)
    try:
        raise ValueError(f"bad number {number}")
    except ValueError:
        logger.exception("while saving")
    text = desk_log.text()
    assert "lookup of [身份证号] failed" in text
    assert "bad number [身份证号]" in text
    assert number not in text
