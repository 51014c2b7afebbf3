"""``desk-app print KIND --db PATH --id ID --out FILE.pdf`` end to end (issue #6).

A real database is filled through the services (registry, intake with a referral, a
reviewer's decision, a posted 公示); every kind is printed through the command, the PDF's
text is read back with pypdfium2, and the archive must give the same bytes again.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import open_services
from desk_app.domain.assistance.income import IncomeItem, IncomeSource
from desk_app.domain.documents import NoticeStage
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.registry import ChildStatus, DisabilityCategory, HouseholdCategory, Relation
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from desk_app.services.context import SYSTEM
from desk_app.services.intake import IntakeInput, MatterChoice
from reports.pages import page_texts
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def county(databases: Any, id_maker_class: Any) -> dict[str, Any]:
    """One county for the module, on SQLite or PostgreSQL (``--db`` takes either)."""
    make_id = id_maker_class()
    url = databases.empty("print")
    services = open_services(url, clock=lambda: dt.datetime(2024, 6, 3, 9, 0), identity=SYSTEM)
    services.site.save("测试镇", "520402102000", "社会救助综合服务窗口", phone="0851-1234567")
    services.assistance.choose("anshun")
    head_id = make_id(dt.date(1970, 5, 5))
    # A household holding everything a notice must never show (domain.md §5, privacy).
    detail = services.households.register(
        HouseholdInput(village="红星村", group_name="一组"),
        PersonInput(
            name="王守义", id_number=head_id, phone="13812345678", has_disability_cert=True,
            disability_cert_no="52040219700505001X42", disability_category=DisabilityCategory.MENTAL,
            disability_grade=2, mental_disorder=True, illness_note="尿毒症透析",
        ),
    )  # fmt: skip
    child_id = make_id(dt.date(2014, 3, 3))
    detail = services.households.add_member(
        detail.id,
        PersonInput(name="王小宝", id_number=child_id, child_status=ChildStatus.ORPHAN),
        Relation.GRANDCHILD,
    )
    services.households.add_category(
        detail.id, HouseholdCategory.DIBAO_SINGLE_PERSON, dt.date(2024, 1, 1)
    )
    head = next(m.id for m in detail.members if m.relation == "head")
    facts = HouseholdFacts(
        members=(MemberFacts(head, incomes=(IncomeItem(IncomeSource.WAGES, Decimal(100)),)),)
    )
    services.assistance.record_decision(detail.id, facts, "dibao.payment", "650.00", "")
    saved = services.intake.save(
        IntakeInput(detail.id, (MatterChoice("dibao"), MatterChoice("medical_assistance")),
                    applicant_id=head)
    )  # fmt: skip
    draft = services.notices.draft(NoticeStage.REVIEW, "最低生活保障", "红星村", "2024年第二季度")
    services.notices.post(draft.notice.id, dt.date(2024, 6, 3), draft.notice.version)
    with services.engine.connect() as conn:
        referral_id = conn.execute(text("SELECT id FROM referral")).scalar_one()
    services.close()
    return {
        "db": url, "household": detail.id, "intake": saved.intake_id, "intake_number": saved.number,
        "referral": referral_id, "notice": draft.notice.id, "ids": (head_id, child_id),
    }  # fmt: skip


def _print(county: dict[str, Any], kind: str, record: int, out: Path) -> list[str]:
    assert main(["print", kind, "--db", county["db"], "--id", str(record), "--out", str(out)]) == 0
    return page_texts(out.read_bytes())


@pytest.mark.parametrize(
    ("kind", "key", "expected"),
    [
        ("receipt", "intake", "受理回执"),
        ("referral", "referral", "转介单"),
        ("application", "household", "申请书"),
        ("authorisation", "household", "授权书"),
        ("commitment", "household", "承诺书"),
        ("result_notice", "notice", "公示"),
    ],
)
def test_every_database_kind_prints_with_masked_numbers(
    county: dict[str, Any], tmp_path: Path, kind: str, key: str, expected: str
) -> None:
    pages = _print(county, kind, county[key], tmp_path / f"{kind}.pdf")
    text_all = "".join(pages).replace(" ", "").replace("\n", "")
    assert expected in text_all
    for full in county["ids"]:
        assert full not in text_all
    assert "13812345678" not in text_all


def test_the_notice_prints_only_what_eligibility_needs(
    county: dict[str, Any], tmp_path: Path
) -> None:
    text_all = "".join(_print(county, "result_notice", county["notice"], tmp_path / "n.pdf"))
    flat = text_all.replace(" ", "").replace("\n", "")
    assert "王守义" in flat
    assert "650.00" in flat
    assert "单人户（事实生活困难）" in flat
    for private in (
        "尿毒症",
        "透析",
        "精神",
        "二级",
        "孤儿",
        "王小宝",
        "13812345678",
        "52040219700505001X42",
    ):
        assert private not in flat, private


def test_printing_is_archived_and_reproduced_byte_for_byte(
    county: dict[str, Any], tmp_path: Path
) -> None:
    first = tmp_path / "r1.pdf"
    _print(county, "receipt", county["intake"], first)
    engine_services = open_services(county["db"], identity=SYSTEM)
    try:
        archived = [
            d for d in engine_services.documents.archived() if d.number == county["intake_number"]
        ]
    finally:
        engine_services.close()
    assert archived
    assert archived[0].events[-1].action == "pdf"
    again = tmp_path / "r2.pdf"
    assert main(["print", "archived", "--db", county["db"], "--id", str(archived[0].id),
                 "--out", str(again)]) == 0  # fmt: skip
    assert again.read_bytes() == first.read_bytes()


def test_bad_requests_exit_2_and_write_nothing(
    county: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.pdf"
    assert (
        main(["print", "receipt", "--db", county["db"], "--id", "999999", "--out", str(out)]) == 2
    )
    assert "找不到" in capsys.readouterr().err
    assert (
        main(["print", "care_agreement", "--db", county["db"], "--id", "1", "--out", str(out)]) == 2
    )
    assert "窗口" in capsys.readouterr().err
    assert main(["print", "receipt", "--db", county["db"], "--out", str(out)]) == 2
    assert not out.exists()
    assert not list(tmp_path.glob(".desk-app-*"))


def test_every_kind_has_an_example(tmp_path: Path) -> None:
    from ui.cli_print import KINDS

    for kind in KINDS:
        if kind == "archived":
            continue
        out = tmp_path / f"{kind}.pdf"
        assert main(["print", kind, "--example", "--out", str(out)]) == 0, kind
        assert page_texts(out.read_bytes())[0].strip()


def test_print_does_not_import_qt(county: dict[str, Any], tmp_path: Path) -> None:
    code = (
        "import sys; from ui.cli import main;"
        f"rc = main(['print', 'receipt', '--db', {county['db']!r}, '--id', '{county['intake']}',"
        f" '--out', {str(tmp_path / 'q.pdf')!r}]);"
        "print(rc, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "0 []"
