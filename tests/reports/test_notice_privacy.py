"""公示 privacy: what eligibility does not need never reaches the posted sheet.

domain.md §5, privacy rules: name (or head's name), village/group, people covered,
category, amount and the objection channel only; never full ID numbers, phones, bank
accounts, diagnoses, disability type or grade, a child's status or religious status; a
单人户 shows "事实生活困难" without the medical cause.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from desk_app.domain.documents import (
    NoticeContent,
    NoticeHousehold,
    NoticeMember,
    NoticeRow,
    NoticeStage,
    ObjectionChannel,
    Paper,
    mask_given_name,
    notice_rows,
)
from desk_app.domain.ids import check_character
from desk_app.domain.registry import ChildStatus, DisabilityCategory, HouseholdCategory
from reports import notice
from reports.pages import page_texts


def _id(first17: str) -> str:
    return first17 + check_character(first17)


HEAD_ID = _id("52040219560112031")
CHILD_ID = _id("52040220150307004")
PHONE = "13912345678"
BANK = "6217003810012345678"


def _rich_households() -> list[NoticeHousehold]:
    """Households holding every kind of private data a registry may have."""
    return [
        NoticeHousehold(
            head_name="赵德胜",
            head_id_number=HEAD_ID,
            phone=PHONE,
            bank_account=BANK,
            village="石桥村",
            group_name="七组",
            category=HouseholdCategory.DIBAO_A,
            covered=(
                NoticeMember(
                    "赵德胜",
                    id_number=HEAD_ID,
                    diagnosis="慢性肾功能衰竭尿毒症期",
                    disability_category=DisabilityCategory.MENTAL,
                    disability_grade=2,
                    religion="基督教",
                ),
                NoticeMember(
                    "赵小花",
                    id_number=CHILD_ID,
                    child_status=ChildStatus.ORPHAN,
                ),
                NoticeMember("赵小草", child_status=ChildStatus.LEFT_BEHIND),
            ),
            monthly_amount=Decimal("980.00"),
            start=dt.date(2024, 8, 1),
        ),
        NoticeHousehold(
            head_name="钱玉珍",
            head_id_number=_id("52040219480715002"),
            phone="13800138000",
            bank_account="6228480010203040506",
            village="石桥村",
            group_name="二组",
            category=HouseholdCategory.DIBAO_SINGLE_PERSON,
            covered=(
                NoticeMember(
                    "钱玉珍",
                    diagnosis="白血病",
                    disability_category=DisabilityCategory.PHYSICAL,
                    disability_grade=1,
                    religion="佛教",
                ),
            ),
            monthly_amount=Decimal("375.00"),
            start=dt.date(2024, 8, 1),
            single_person_cause="重度残疾（一级肢体残疾），患白血病",
        ),
    ]


PRIVATE = (
    HEAD_ID,
    CHILD_ID,
    PHONE,
    "13800138000",
    BANK,
    "6228480010203040506",
    "尿毒症",
    "肾功能",
    "白血病",
    "精神",
    "肢体",
    "一级",
    "二级",
    "孤儿",
    "留守",
    "基督教",
    "佛教",
    "重度残疾",
)


def _notice(rows: tuple[NoticeRow, ...], paper: Paper = Paper.A4_LANDSCAPE) -> NoticeContent:
    return NoticeContent(
        stage=NoticeStage.REVIEW,
        number="GS2024-0001",
        issuer="示范县青石镇人民政府",
        township="青石镇",
        village="石桥村",
        scheme="最低生活保障",
        period_label="2024年第三季度",
        posted_on=dt.date(2024, 7, 15),
        objection_days=7,
        channel=ObjectionChannel(
            "青石镇社会事务办公室", "0851-33221100", "青石镇便民服务中心", dt.date(2024, 7, 21)
        ),
        rows=rows,
        paper=paper,
    )


@pytest.mark.parametrize("paper", [Paper.A4_LANDSCAPE, Paper.A3_LANDSCAPE])
def test_notice_pdf_holds_no_private_data(paper: Paper) -> None:
    pdf = notice.build(_notice(notice_rows(_rich_households()), paper))
    text = "\n".join(page_texts(pdf))
    assert "赵德胜" in text
    assert "石桥村七组" in text
    leaked = [p for p in PRIVATE if p in text]
    assert leaked == []


def test_single_person_row_states_hardship_without_the_cause() -> None:
    pdf = notice.build(_notice(notice_rows(_rich_households())))
    line = next(x for x in "\n".join(page_texts(pdf)).splitlines() if "钱玉珍" in x)
    assert "单人户（事实生活困难）" in line
    for cause in ("残疾", "白血病", "疾病", "病"):
        assert cause not in line


def test_notice_row_has_only_the_six_public_columns() -> None:
    """The type itself is the guard: there is nowhere to put anything else."""
    assert [f.name for f in dataclasses.fields(NoticeRow)] == [
        "head_name",
        "village_group",
        "people_covered",
        "category",
        "monthly_amount",
        "period",
    ]


def test_rows_copy_only_public_values() -> None:
    rows = notice_rows(_rich_households())
    assert rows[0] == NoticeRow(
        "赵德胜", "石桥村七组", 3, "低保A类", Decimal("980.00"), "2024年8月起"
    )
    assert rows[1].category == "单人户（事实生活困难）"


def test_given_names_can_be_masked() -> None:
    pdf = notice.build(_notice(notice_rows(_rich_households(), mask_given_names=True)))
    text = "\n".join(page_texts(pdf))
    assert "赵*胜" in text
    assert "钱*珍" in text
    assert "赵德胜" not in text


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张伟", "张*"),
        ("张小伟", "张*伟"),
        ("欧阳明辉", "欧**辉"),
        ("买买提·艾力", "买**·*力"),
        ("李", "李"),
    ],
)
def test_mask_given_name(name: str, masked: str) -> None:
    assert mask_given_name(name) == masked


def test_categories_that_are_not_posted_are_refused() -> None:
    household = dataclasses.replace(
        _rich_households()[0], category=HouseholdCategory.POVERTY_UNLIFTED
    )
    with pytest.raises(ValueError, match="poverty_unlifted"):
        notice_rows([household])
