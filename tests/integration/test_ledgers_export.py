"""台账 exports on real SQLite files into real .xlsx files (issue #7): every ledger, masked
ID numbers unless asked, formula-like text kept as text, nothing half-written on cancel,
and a real spreadsheet program (LibreOffice) reading the cells back."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desk_app.bootstrap import Services, open_services
from desk_app.domain.assistance.income import IncomeItem, IncomeSource
from desk_app.domain.documents import NoticeStage
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import ReferralAction
from desk_app.domain.ledgers import (
    CategoryGroup,
    CellKind,
    Column,
    LedgerBook,
    LedgerKind,
    LedgerSheet,
)
from desk_app.domain.registry import HouseholdCategory, LabourAbility, Relation
from desk_app.errors import Cancelled, KnownEnvironmentError, ValidationError
from desk_app.jobs import CancelToken
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from desk_app.services.context import SYSTEM
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.ledgers import LedgerRequest
from desk_app.services.near_relatives import NearRelativeInput
from desk_app.services.referrals import ReferralFilter, Reply
from reports.ledgers import XlsxSink, write_ledger

MASKED_RE = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
FULL_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
FORMULA_ADDRESS = '=HYPERLINK("http://example.invalid","点击")'


@pytest.fixture
def town(services: Services, make_id: Any) -> dict[str, int]:
    """甲: 低保 A类 with a decided 250.00; 乙: 建档立卡 with a bedridden member; 丙: nothing."""
    services.assistance.choose("anshun")
    jia = services.households.register(
        HouseholdInput(village="红星村", group_name="一组", address=FORMULA_ADDRESS),
        PersonInput(name="王甲", id_number=make_id(dt.date(1970, 1, 1))),
    )
    jia = services.households.add_member(
        jia.id, PersonInput(name="王甲妻", id_number=make_id(dt.date(1972, 1, 1), female=True)),
        Relation.SPOUSE,
    )  # fmt: skip
    services.households.add_category(jia.id, HouseholdCategory.DIBAO_A, dt.date(2024, 1, 1))
    head = next(m.id for m in jia.members if m.relation == "head")
    facts = HouseholdFacts(
        members=(MemberFacts(head, incomes=(IncomeItem(IncomeSource.WAGES, Decimal(500)),)),)
    )
    services.assistance.record_decision(jia.id, facts, "dibao.payment", "250.00", "")
    yi = services.households.register(
        HouseholdInput(village="红星村", group_name="二组"),
        PersonInput(name="李乙", id_number=make_id(dt.date(1960, 5, 5))),
    )
    services.households.add_member(
        yi.id,
        PersonInput(name="李乙父", id_number=make_id(dt.date(1935, 5, 5)), bedridden=True,
                    labour_ability=LabourAbility.LOST),
        Relation.PARENT,
    )  # fmt: skip
    services.households.add_category(yi.id, HouseholdCategory.POVERTY_UNLIFTED, dt.date(2023, 1, 1))
    bing = services.households.register(
        HouseholdInput(village="东风村", group_name="一组"),
        PersonInput(name="赵丙", id_number=make_id(dt.date(1990, 2, 2))),
    )
    return {"甲": jia.id, "乙": yi.id, "丙": bing.id}


def export(services: Services, path: Path, kind: LedgerKind, **kw: Any) -> Any:
    return services.ledgers.export(LedgerRequest(kind, **kw), XlsxSink(path))


def rows_of(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def all_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


# ----------------------------------------------------------------------- households


def test_households_ledger_has_styled_frozen_sheets_and_masks_numbers(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "户.xlsx"
    summary = export(services, out, LedgerKind.HOUSEHOLDS)
    assert summary.sheets == (("家庭户", 3), ("家庭成员", 5))
    assert not summary.full_ids
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["家庭户", "家庭成员", "说明"]
    ws = wb["家庭户"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L4"
    header = ws[1]
    assert [c.value for c in header][:6] == [
        "户编号",
        "村（社区）",
        "组",
        "户主姓名",
        "户主身份证号",
        "类别",
    ]
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DDEBF7") for c in header)
    assert ws.column_dimensions["E"].width == 21
    ids = [r[4] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert all(MASKED_RE.match(v) for v in ids)
    members = rows_of(out, "家庭成员")
    assert all(MASKED_RE.match(r[6]) for r in members[1:])
    assert FULL_ID_RE.search(all_xml(out)) is None  # not in any part of the file
    notes = dict(rows_of(out, "说明")[1:])
    assert notes["身份证号码"].startswith("已隐藏中间8位")
    assert notes["乡镇（街道）"].startswith("测试镇")


def test_scope_filters_by_category_and_full_numbers_are_only_there_when_asked(
    services: Services, town: dict[str, int], tmp_path: Path, make_id: Any
) -> None:
    out = tmp_path / "低保.xlsx"
    summary = export(services, out, LedgerKind.HOUSEHOLDS, scope=CategoryGroup.DIBAO, full_ids=True)
    assert summary.sheets == (("家庭户", 1), ("家庭成员", 2))
    [header, row] = rows_of(out, "家庭户")
    record = dict(zip(header, row, strict=True))
    assert FULL_ID_RE.fullmatch(record["户主身份证号"])
    assert record["类别"] == "低保 A类"
    assert (record["家庭人口"], record["保障人数"], record["月保障金额（元）"]) == (2, 2, 250)
    assert record["纳入日期"] == dt.datetime(2024, 1, 1)
    wb = openpyxl.load_workbook(out)
    assert wb["家庭户"]["I2"].number_format == "#,##0.00"
    assert wb["家庭户"]["E2"].number_format == "@"
    assert dict(rows_of(out, "说明")[1:])["身份证号码"].startswith("完整号码")


def test_formula_like_text_comes_back_as_text(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "f.xlsx"
    export(services, out, LedgerKind.HOUSEHOLDS)
    wb = openpyxl.load_workbook(out)
    cells = [c for row in wb["家庭户"].iter_rows() for c in row if c.value == FORMULA_ADDRESS]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].quotePrefix
    assert "<f>" not in all_xml(out)
    assert "<f " not in all_xml(out)


def test_every_dangerous_prefix_is_text_in_any_column(tmp_path: Path) -> None:
    values = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "普通"]
    columns = (
        Column("=表头", 10),
        Column("编号", 21, CellKind.ID),
        Column("金额", 10, CellKind.MONEY),
    )
    rows = [(v, v, v) for v in values]
    book = LedgerBook("t", (LedgerSheet("s", columns, iter(rows), len(rows)),), (("=说明", "@x"),))
    write_ledger(tmp_path / "x.xlsx", book)
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    got = [c for row in wb["s"].iter_rows() for c in row]
    assert all(c.data_type == "s" for c in got)
    # XML turns a raw CR into LF when the file is read; what matters is that it stays text.
    assert [c.value for c in got[3::3]] == [v.replace("\r", "\n") for v in values]
    assert all(c.quotePrefix for c in got if str(c.value)[:1] in "=+-@\t\r")
    assert "<f>" not in all_xml(tmp_path / "x.xlsx")
    assert wb["说明"]["A2"].data_type == "s"


# ----------------------------------------------------------------------- safe writing


def _slow_rows(cancel: CancelToken, after: int) -> Iterator[tuple[Any, ...]]:
    for i in range(5000):
        if i == after:
            cancel.cancel()
        yield (f"第{i}行", i)


def test_a_cancelled_export_leaves_no_file_and_keeps_the_previous_one(tmp_path: Path) -> None:
    from openpyxl.worksheet import _writer

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"previous export")
    temp_files = set(_writer.ALL_TEMP_FILES)
    cancel = CancelToken()
    columns = (Column("文字", 10), Column("数", 8, CellKind.INT))
    book = LedgerBook("t", (LedgerSheet("s", columns, _slow_rows(cancel, 600), 5000),), ())
    with pytest.raises(Cancelled):
        write_ledger(target, book, cancel=cancel)
    assert target.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]
    leftovers = [p for p in set(_writer.ALL_TEMP_FILES) - temp_files if Path(p).exists()]
    assert leftovers == []


def test_a_service_export_cancelled_before_it_starts_writes_nothing(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        services.ledgers.export(
            LedgerRequest(LedgerKind.HOUSEHOLDS), XlsxSink(folder / "x.xlsx"), cancel=cancel
        )
    assert list(folder.iterdir()) == []


def test_an_unwritable_target_is_an_environment_error_naming_the_fix(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(KnownEnvironmentError) as caught:
        export(services, tmp_path / "no-such-folder" / "x.xlsx", LedgerKind.HOUSEHOLDS)
    assert "文件夹" in str(caught.value)


def test_progress_runs_from_zero_to_one(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    seen: list[tuple[float, str]] = []
    services.ledgers.export(
        LedgerRequest(LedgerKind.HOUSEHOLDS), XlsxSink(tmp_path / "p.xlsx"),
        progress=lambda f, s: seen.append((f, s)),
    )  # fmt: skip
    fractions = [f for f, _s in seen]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert any("家庭成员" in s for _f, s in seen)


# ----------------------------------------------------------------------- intake, referrals, KPI


class MovingClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def window(db_url: str, make_id: Any) -> Iterator[tuple[Services, MovingClock]]:
    clock = MovingClock(dt.datetime(2026, 9, 24, 9, 30))
    app = open_services(db_url, clock=clock, identity=SYSTEM)
    app.context.operator.name = "李芳"
    try:
        yield app, clock
    finally:
        app.close()


def test_intake_referrals_and_kpi_ledgers_agree_with_the_queue(
    window: tuple[Services, MovingClock], make_id: Any, tmp_path: Path
) -> None:
    app, clock = window
    household = app.households.register(
        HouseholdInput(village="红星村", group_name="一组"),
        PersonInput(name="张伟", id_number=make_id(dt.date(1981, 5, 1))),
    )
    app.intake.save(IntakeInput(household.id, (MatterChoice("medical_assistance"), MatterChoice("major_illness_assistance"))))  # fmt: skip
    rows = app.referrals.page(ReferralFilter(), limit=10).rows
    first, second = (app.referrals.detail(r.id) for r in rows)
    first = app.referrals.act(first.row.id, first.row.version, ReferralAction.SEND, Reply())
    clock.now = dt.datetime(2026, 9, 30, 15, 0)
    app.referrals.act(first.row.id, first.row.version, ReferralAction.COMPLETE,
                      Reply(result="已办结", result_date=dt.date(2026, 9, 30)))  # fmt: skip
    clock.now = dt.datetime(2026, 11, 2, 9, 0)  # the second is overdue without a reply

    export(app, tmp_path / "i.xlsx", LedgerKind.INTAKE)
    [header, *intake] = rows_of(tmp_path / "i.xlsx", "诉求事项")
    assert len(intake) == 2
    record = dict(zip(header, intake[0], strict=True))
    assert record["实际去向"] == "转介"
    assert record["接收部门"]
    assert MASKED_RE.match(record["户主身份证号"])

    export(app, tmp_path / "r.xlsx", LedgerKind.REFERRALS)
    [header, *referrals] = rows_of(tmp_path / "r.xlsx", "转介")
    flags = {r[1]: dict(zip(header, r, strict=True)) for r in referrals}
    assert flags[first.row.number]["是否按时"] == "按时"
    assert flags[first.row.number]["状态"] == "办结"
    assert flags[second.row.number]["是否按时"] == "逾期未答复"

    export(
        app,
        tmp_path / "k.xlsx",
        LedgerKind.KPI,
        date_from=dt.date(2026, 9, 1),
        date_to=dt.date(2026, 11, 1),
    )
    [header, *kpi] = rows_of(tmp_path / "k.xlsx", "按时办结率")
    expected = app.referrals.kpi(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    assert [(r[0], r[1], r[2], r[3]) for r in kpi] == [
        (k.month, k.department_name, k.counted, k.on_time) for k in expected
    ]
    assert sum(r[2] for r in kpi) == 2
    assert openpyxl.load_workbook(tmp_path / "k.xlsx")["按时办结率"]["F2"].number_format == "0.0%"


# ----------------------------------------------------------------------- notices


def test_notice_history_lists_each_household_and_its_objections(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    services.site.save("测试镇", "520402102000", "社会救助综合服务窗口", phone="0851-1234567")
    draft = services.notices.draft(NoticeStage.REVIEW, "最低生活保障", "红星村", "2024年第二季度")
    info = services.notices.post(draft.notice.id, dt.date(2024, 6, 3), draft.notice.version)
    objection = services.notices.record_objection(
        info.id, town["甲"], dt.date(2024, 6, 5), "来访", "反映家中有车"
    )
    services.notices.resolve_objection(objection.id, False, "核实车辆已报废，异议不成立")
    export(services, tmp_path / "n.xlsx", LedgerKind.NOTICES)
    [header, entry] = rows_of(tmp_path / "n.xlsx", "公示")
    record = dict(zip(header, entry, strict=True))
    assert (record["公示编号"], record["户主姓名"], record["异议件数"], record["未处理异议"]) == (
        info.number, "王甲", 1, 0,
    )  # fmt: skip
    [header, row] = rows_of(tmp_path / "n.xlsx", "异议")
    record = dict(zip(header, row, strict=True))
    assert record["处理状态"] == "异议不成立"
    assert record["异议内容"] == "反映家中有车"
    assert record["公示期后收到"] == "否"


# ----------------------------------------------------------------------- reviews


def test_review_schedule_counts_from_the_last_decision_or_the_start(
    services: Services, town: dict[str, int], tmp_path: Path, make_id: Any
) -> None:
    c_class = services.households.register(
        HouseholdInput(village="东风村", group_name="三组"),
        PersonInput(name="孙丁", id_number=make_id(dt.date(1980, 3, 3))),
    )
    services.households.add_category(c_class.id, HouseholdCategory.DIBAO_C, dt.date(2023, 10, 31))
    export(services, tmp_path / "v.xlsx", LedgerKind.REVIEWS)
    [header, *rows] = rows_of(tmp_path / "v.xlsx", "定期核查")
    by_name = {r[3]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_name) == {"王甲", "孙丁"}
    jia = by_name["王甲"]  # A类, decided today (2024-06-15): a year later
    assert (jia["上次审核决定"], jia["核查周期（月）"], jia["下次核查日期"]) == (
        dt.datetime(2024, 6, 15), 12, dt.datetime(2025, 6, 15),
    )  # fmt: skip
    assert jia["核对平台复核日期"] == dt.datetime(2024, 12, 15)
    ding = by_name["孙丁"]  # C类 since 31 Oct, no decision: half a year, month end kept
    assert (ding["下次核查日期"], ding["状态"], ding["起算"]) == (
        dt.datetime(2024, 4, 30), "已逾期", "纳入日期（尚无审核决定）",
    )  # fmt: skip
    assert rows[0][3] == "孙丁"  # longest since the last look first


# ----------------------------------------------------------------------- near relatives


def test_near_relative_register_records_lists_masked_and_exports(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    """T15: the applicant is the brother of a village committee member → file the relation."""
    head = next(m for m in services.households.get(town["乙"]).members if m.relation == "head")
    row = services.near_relatives.record(
        NearRelativeInput(
            town["乙"], head.id, "李大", "村委会委员", "兄弟姐妹", official_unit="红星村委会"
        )
    )
    assert MASKED_RE.match(row.person_id_masked)
    assert [r.id for r in services.near_relatives.entries()] == [row.id]
    assert services.near_relatives.entries(town["甲"]) == ()
    export(services, tmp_path / "j.xlsx", LedgerKind.NEAR_RELATIVES, full_ids=True)
    [header, exported] = rows_of(tmp_path / "j.xlsx", "近亲属备案")
    record = dict(zip(header, exported, strict=True))
    assert (record["救助对象"], record["干部姓名"], record["职务"], record["与对象关系"]) == (
        "李乙", "李大", "村委会委员", "兄弟姐妹",
    )  # fmt: skip
    assert FULL_ID_RE.fullmatch(record["对象身份证号"])


def test_near_relative_problems_come_together(services: Services, town: dict[str, int]) -> None:
    other = next(m for m in services.households.get(town["甲"]).members if m.relation == "head")
    with pytest.raises(ValidationError) as caught:
        services.near_relatives.record(
            NearRelativeInput(town["乙"], other.id, " ", "", "兄弟", filed_on=dt.date(2030, 1, 1))
        )
    assert {p.field for p in caught.value.problems} == {"official_name", "official_position", "filed_on", "person_id"}  # fmt: skip
    assert services.near_relatives.entries() == ()


# ----------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# All sheets (last token -1), UTF-8 (76), cell contents as shown (9th token true).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _shown(cell: Any) -> str:
    """The cell as a spreadsheet shows it, for the formats the ledgers use."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M" if "hh" in cell.number_format else "%Y-%m-%d")
    if cell.number_format == "#,##0.00":
        return f"{value:,.2f}"
    if cell.number_format == "0.0%":
        return f"{value * 100:.1f}%"
    return str(value)


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed here; CI installs libreoffice-calc-nogui via "
    "`scripts/setup.sh test`",
)
def test_libreoffice_opens_the_export_and_reads_the_same_cells(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    xlsx = tmp_path / "ledger.xlsx"
    export(services, xlsx, LedgerKind.HOUSEHOLDS)
    out = tmp_path / "csv"
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", CSV_FILTER, "--outdir", str(out), str(xlsx)],
        capture_output=True, text=True, timeout=110, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(xlsx)
    for sheet in ("家庭户", "家庭成员", "说明"):
        with (out / f"ledger-{sheet}.csv").open(encoding="utf-8", newline="") as fh:
            seen = list(csv.reader(fh))
        expected = [[_shown(c) for c in row] for row in wb[sheet].iter_rows()]
        assert seen == expected, sheet
    households = (out / "ledger-家庭户.csv").read_text(encoding="utf-8")
    assert FORMULA_ADDRESS.replace('"', '""') in households  # text, not the link's "点击"


# ----------------------------------------------------------------------- roles (#8)


def test_full_numbers_need_the_right_to_see_them_and_health_columns_follow_the_role(
    services: Services, town: dict[str, int], tmp_path: Path
) -> None:
    from desk_app.domain.security import Role
    from desk_app.errors import PermissionDeniedError
    from desk_app.services.context import Identity

    services.context.identity = Identity(7, "county", Role.COUNTY)  # may export, not reveal
    with pytest.raises(PermissionDeniedError):
        export(services, tmp_path / "full.xlsx", LedgerKind.HOUSEHOLDS, full_ids=True)
    assert not (tmp_path / "full.xlsx").exists()
    export(services, tmp_path / "county.xlsx", LedgerKind.HOUSEHOLDS)
    [header, *rows] = rows_of(tmp_path / "county.xlsx", "家庭成员")
    assert "是" in [dict(zip(header, r, strict=True))["长期卧床"] for r in rows]

    services.context.identity = Identity(8, "admin", Role.ADMIN)  # exports, no health data
    export(services, tmp_path / "admin.xlsx", LedgerKind.HOUSEHOLDS)
    [header, *rows] = rows_of(tmp_path / "admin.xlsx", "家庭成员")
    for row in rows:
        record = dict(zip(header, row, strict=True))
        assert record["长期卧床"] is None
        assert record["重特大疾病"] is None
    assert "疾病和残疾信息" in dict(rows_of(tmp_path / "admin.xlsx", "说明")[1:])
