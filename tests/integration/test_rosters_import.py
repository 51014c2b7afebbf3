"""Importing external rosters and 台账比对 on real SQLite files (issue #7): the round trip
from our own export, all-or-nothing imports listing every bad row, encodings, remembered
mappings, cancel, the T18 follow-ups, and the headless commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services
from desk_app.domain.assistance.income import IncomeItem, IncomeSource
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.ledgers import CategoryGroup, LedgerKind
from desk_app.domain.registry import HouseholdCategory, LabourAbility, Relation
from desk_app.domain.rosters import Outcome, RosterField, RosterImportError, RosterKind
from desk_app.errors import Cancelled, NotFoundError, ValidationError
from desk_app.jobs import CancelToken
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from desk_app.services.ledgers import LedgerRequest
from desk_app.services.rosters import ImportRequest
from reports.ledgers import XlsxSink

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2024, 6, 15)
F = RosterField
DIGITS_RE = re.compile(r"\d{6,}")
FULL_ID_RE = re.compile(r"[0-9]{17}[0-9X]")


def _dibao(services: Services, make_id: Any, name: str, village: str, group: str,
           category: HouseholdCategory, *, spouse: bool = False, decide: bool = False) -> int:  # fmt: skip
    detail = services.households.register(
        HouseholdInput(village=village, group_name=group),
        PersonInput(name=name, id_number=make_id(dt.date(1970, 1, 1))),
    )
    if spouse:
        detail = services.households.add_member(
            detail.id, PersonInput(name=name + "妻", id_number=make_id(dt.date(1972, 2, 2), female=True)),
            Relation.SPOUSE,
        )  # fmt: skip
    services.households.add_category(detail.id, category, dt.date(2024, 1, 1))
    if decide:
        head = next(m.id for m in detail.members if m.relation == "head")
        facts = HouseholdFacts(
            members=(MemberFacts(head, incomes=(IncomeItem(IncomeSource.WAGES, Decimal(500)),)),)
        )
        services.assistance.record_decision(detail.id, facts, "dibao.payment", "250.00", "")
    return detail.id


@pytest.fixture
def county(services: Services, make_id: Any) -> dict[str, int]:
    services.assistance.choose("anshun")
    return {
        "王甲": _dibao(services, make_id, "王甲", "红星村", "一组", HouseholdCategory.DIBAO_A, spouse=True, decide=True),
        "李乙": _dibao(services, make_id, "李乙", "红星村", "二组", HouseholdCategory.DIBAO_B, spouse=True),
        "赵丙": _dibao(services, make_id, "赵丙", "东风村", "三组", HouseholdCategory.DIBAO_C),
    }  # fmt: skip


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "名单") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def stored_rows(services: Services) -> list[dict[str, Any]]:
    with services.engine.connect() as conn:
        result = conn.execute(
            text(
                "SELECT row_number, id_number, name, head_id_number, village, group_name, "
                "category, people, amount FROM roster_row ORDER BY row_number"
            )
        )
        return [dict(r._mapping) for r in result]


def roster_counts(services: Services) -> tuple[int, int]:
    with services.engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM roster")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM roster_row")).scalar_one(),
        )


def request(
    path: Path, services: Services, kind: RosterKind = RosterKind.DIBAO, **kw: Any
) -> ImportRequest:
    preview = services.rosters.preview(path, kw.get("sheet"))
    return ImportRequest(
        kind=kind, as_of=kw.pop("as_of", TODAY), mapping=kw.pop("mapping", preview.suggested), **kw
    )


# ----------------------------------------------------------------------- round trip


def test_round_trip_export_reimport_is_identical_and_matches_everything(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    xlsx = tmp_path / "低保户.xlsx"
    services.ledgers.export(
        LedgerRequest(LedgerKind.HOUSEHOLDS, scope=CategoryGroup.DIBAO, full_ids=True),
        XlsxSink(xlsx),
    )
    req = request(xlsx, services)
    assert req.mapping == {
        "户主身份证号": F.ID_NUMBER, "户主姓名": F.NAME, "村（社区）": F.VILLAGE, "组": F.GROUP,
        "类别": F.CATEGORY, "保障人数": F.PEOPLE, "月保障金额（元）": F.AMOUNT,
    }  # fmt: skip
    plan = services.rosters.dry_run(xlsx, req)
    assert (plan.rows_read, plan.rows_valid, plan.households, plan.registered_people) == (
        3,
        3,
        3,
        3,
    )
    assert plan.clean
    assert plan.replaces is None
    assert roster_counts(services) == (0, 0)  # a dry run writes nothing

    result = services.rosters.import_file(xlsx, req)
    assert (result.roster.rows, result.roster.households, result.roster.per_person) == (3, 3, False)

    wb = openpyxl.load_workbook(xlsx)
    [header, *sheet] = list(wb["家庭户"].iter_rows(values_only=True))
    exported = [dict(zip(header, r, strict=True)) for r in sheet]
    assert [
        (r["户主身份证号"], r["户主姓名"], r["村（社区）"], r["组"], r["类别"], r["保障人数"],
         None if r["月保障金额（元）"] is None else Decimal(str(r["月保障金额（元）"])).quantize(Decimal("0.01")))
        for r in exported
    ] == [
        (r["id_number"], r["name"], r["village"], r["group_name"], r["category"], r["people"],
         None if r["amount"] is None else Decimal(str(r["amount"])).quantize(Decimal("0.01")))
        for r in stored_rows(services)
    ]  # fmt: skip

    report = services.rosters.match(result.roster.id)
    assert report.scope is CategoryGroup.DIBAO
    assert dict(report.counts) == {Outcome.BOTH: 3, Outcome.OURS_ONLY: 0, Outcome.THEIRS_ONLY: 0, Outcome.CONFLICT: 0}  # fmt: skip
    assert {r.follow_up for r in report.rows} == {"一致，无需处理"}


def test_round_trip_of_the_members_sheet_as_a_per_person_list(
    services: Services, county: dict[str, int], tmp_path: Path, safe_dto: Any
) -> None:
    xlsx = tmp_path / "成员.xlsx"
    services.ledgers.export(
        LedgerRequest(LedgerKind.HOUSEHOLDS, scope=CategoryGroup.DIBAO, full_ids=True),
        XlsxSink(xlsx),
    )
    req = request(xlsx, services, sheet="家庭成员")
    assert req.mapping["户主身份证号"] is F.HEAD_ID_NUMBER
    result = services.rosters.import_file(xlsx, req)
    assert (result.roster.rows, result.roster.households, result.roster.per_person) == (5, 3, True)
    wb = openpyxl.load_workbook(xlsx)
    [header, *sheet] = list(wb["家庭成员"].iter_rows(values_only=True))
    exported = [dict(zip(header, r, strict=True)) for r in sheet]
    assert [
        (r["身份证号"], r["姓名"], r["村（社区）"], r["组"], r["户类别"]) for r in exported
    ] == [
        (r["id_number"], r["name"], r["village"], r["group_name"], r["category"])
        for r in stored_rows(services)
    ]
    report = services.rosters.match(result.roster.id)
    assert report.count(Outcome.BOTH) == 3
    assert len(report.rows) == 3
    safe_dto(report)  # frozen all the way down, no full ID number


# ----------------------------------------------------------------------- all or nothing


@pytest.fixture
def bad_file(tmp_path: Path, make_id: Any) -> Path:
    good1, good2, bad = make_id(), make_id(), make_id()
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")
    return write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ("2024年6月低保名册", None, None, None),
            ("姓名", "身份证号", "人数", "金额"),
            ("周一", good1, 2, 375),
            ("吴二", bad, 1, 375),  # row 4: check character
            ("郑三", good1, 1, 375),  # row 5: same number as row 3
            ("冯四", good2, "零", 100),  # row 6: people
            (None, make_id(), 2, "abc"),  # row 7: name and amount
            (None, None, None, None),  # row 8: empty, skipped
            ("合计", None, 6, 1225),  # row 9: the total line, skipped
        ],
    )


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_error(
    services: Services, bad_file: Path
) -> None:
    req = request(bad_file, services)
    plan = services.rosters.dry_run(bad_file, req)
    assert plan.header_row == 2
    assert plan.bad_rows == (4, 5, 6, 7)
    assert (plan.rows_read, plan.rows_valid, plan.rows_skipped) == (5, 1, 2)
    with pytest.raises(RosterImportError) as caught:
        services.rosters.import_file(bad_file, req)
    problems = caught.value.row_problems
    assert [(p.row, p.column) for p in problems] == [
        (4, "身份证号"), (5, "身份证号"), (6, "人数"), (7, "姓名"), (7, "金额"),
    ]  # fmt: skip
    assert "与第3行的身份证号码重复" in problems[1].render()
    assert "有 4 行不符合要求（共 5 处）" in str(caught.value)
    assert roster_counts(services) == (0, 0)
    everything = "\n".join(p.render() for p in problems) + str(caught.value)
    for name in ("周一", "吴二", "郑三", "冯四"):
        assert name not in everything
    assert not DIGITS_RE.search(everything)


def test_bad_rows_are_left_out_only_when_the_clerk_says_so(
    services: Services, bad_file: Path
) -> None:
    result = services.rosters.import_file(
        bad_file, request(bad_file, services), exclude_bad_rows=True
    )
    assert result.roster.rows == 1
    assert result.roster.excluded_rows == (4, 5, 6, 7)
    assert [r["row_number"] for r in stored_rows(services)] == [3]


def test_logs_carry_counts_and_ids_but_no_names_or_numbers(
    services: Services, county: dict[str, int], bad_file: Path, tmp_path: Path, desk_log: Any
) -> None:
    with pytest.raises(RosterImportError):
        services.rosters.import_file(bad_file, request(bad_file, services))
    services.rosters.import_file(bad_file, request(bad_file, services), exclude_bad_rows=True)
    xlsx = tmp_path / "x.xlsx"
    services.ledgers.export(LedgerRequest(LedgerKind.HOUSEHOLDS, full_ids=True), XlsxSink(xlsx))
    log = desk_log.text()
    assert "roster imported" in log
    assert "ledger exported" in log
    for name in ("周一", "王甲", "李乙"):
        assert name not in log
    assert "[身份证号]" not in log  # nothing even reached the redacting filter
    assert not FULL_ID_RE.search(log)


# ----------------------------------------------------------------------- files and encodings


def _csv_bytes(rows: Sequence[Sequence[Any]], encoding: str, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False)]
)
def test_csv_in_utf8_with_or_without_bom_and_in_gb18030(
    services: Services, tmp_path: Path, make_id: Any, encoding: str, bom: bool
) -> None:
    ids = [make_id(), make_id()]
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv_bytes([("姓名", "公民身份号码", "村"), ("堃玥", ids[0], "红星村"),
                                 ("欧阳娜娜", ids[1], "东风村")], encoding, bom))  # fmt: skip
    preview = services.rosters.preview(path)
    assert preview.source.encoding == ("GB18030" if encoding == "gb18030" else "UTF-8")
    assert preview.headers == ("姓名", "公民身份号码", "村")
    assert all("*" in s[1] for s in preview.samples)  # numbers masked in the preview
    services.rosters.import_file(path, request(path, services, kind=RosterKind.OTHER))
    assert [(r["name"], r["id_number"], r["village"]) for r in stored_rows(services)] == [
        ("堃玥", ids[0], "红星村"), ("欧阳娜娜", ids[1], "东风村"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 20, "已损坏"),
        ("empty.csv", b"", "文件是空的"),
        (
            "latin.csv",
            "姓名,身份证号\nJosé,1\n".encode().replace(b"\xc3\xa9", b"\xe9"),
            "编码无法识别",
        ),
        ("only-title.csv", "2024年名单\n".encode(), "没有数据行"),
    ],
)
def test_unreadable_files_say_what_to_do(
    services: Services, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterImportError) as caught:
        services.rosters.dry_run(
            path, ImportRequest(RosterKind.OTHER, TODAY, {"身份证号": F.ID_NUMBER})
        )
    assert reason in str(caught.value) or "没有这些列" in str(caught.value)


def test_a_missing_file_is_reported_not_raised_as_os_error(
    services: Services, tmp_path: Path
) -> None:
    with pytest.raises(RosterImportError, match="无法打开文件"):
        services.rosters.preview(tmp_path / "nope.xlsx")


# ----------------------------------------------------------------------- replace, mappings, cancel


def test_a_second_list_for_the_same_date_replaces_only_when_asked(
    services: Services, county: dict[str, int], tmp_path: Path, make_id: Any
) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", [("身份证号",), (make_id(),), (make_id(),)])
    second = write_xlsx(tmp_path / "b.xlsx", [("身份证号",), (make_id(),)])
    original = services.rosters.import_file(first, request(first, services))
    plan = services.rosters.dry_run(second, request(second, services))
    assert plan.replaces is not None
    assert plan.replaces.id == original.roster.id
    with pytest.raises(ValidationError, match="替换"):
        services.rosters.import_file(second, request(second, services))
    assert roster_counts(services) == (1, 2)
    services.rosters.import_file(second, request(second, services), replace=True)
    assert roster_counts(services) == (1, 1)
    [info] = services.rosters.rosters()
    assert info.file_name == "b.xlsx"
    assert services.rosters.latest(RosterKind.DIBAO) == info
    services.rosters.delete(info.id)
    assert roster_counts(services) == (0, 0)


def test_mappings_are_remembered_by_name_and_offered_for_matching_files(
    services: Services, tmp_path: Path, make_id: Any
) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx", [("成员号码", "家庭编号", "人员"), (make_id(), "x", "张三")]
    )
    assert services.rosters.preview(path).suggested == {}
    columns = {"成员号码": F.ID_NUMBER, "人员": F.NAME}
    services.rosters.save_mapping("扶贫办季度名单", columns)
    assert services.rosters.mapping("扶贫办季度名单").as_dict() == columns
    assert services.rosters.preview(path).saved_mappings == ("扶贫办季度名单",)
    with pytest.raises(ValidationError):
        services.rosters.save_mapping("缺号码", {"人员": F.NAME})
    services.rosters.delete_mapping("扶贫办季度名单")
    with pytest.raises(NotFoundError):
        services.rosters.mapping("扶贫办季度名单")


def _id(n: int) -> str:
    first17 = f"520402{dt.date(1950, 1, 1) + dt.timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
    return first17 + check_character(first17)


def test_a_cancelled_import_writes_nothing(services: Services, tmp_path: Path) -> None:
    rows = [("身份证号",)] + [(_id(i),) for i in range(1500)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    cancel = CancelToken()

    def progress(_fraction: float, status: str) -> None:
        if status.startswith("正在保存"):
            cancel.cancel()

    with pytest.raises(Cancelled):
        services.rosters.import_file(
            path, request(path, services), progress=progress, cancel=cancel
        )
    assert roster_counts(services) == (0, 0)


# ----------------------------------------------------------------------- T18 and the county file


def test_t18_match_lists_both_households_with_their_follow_ups(
    services: Services, make_id: Any, tmp_path: Path
) -> None:
    """A is on 低保 but not 建档立卡 → to 扶贫 for a check; B is 建档立卡 with a bedridden
    member and not on 低保 → 低保 check (单人户/分户). Both are in the half-year report."""
    a = services.households.register(HouseholdInput(village="红星村", group_name="一组"),
                                     PersonInput(name="甲户主", id_number=make_id()))  # fmt: skip
    services.households.add_category(a.id, HouseholdCategory.DIBAO_A, dt.date(2024, 1, 1))
    b_head = make_id()
    b = services.households.register(HouseholdInput(village="红星村", group_name="二组"),
                                     PersonInput(name="乙户主", id_number=b_head))  # fmt: skip
    bedridden = make_id(dt.date(1940, 1, 1))
    services.households.add_member(
        b.id, PersonInput(name="乙父", id_number=bedridden, bedridden=True, labour_ability=LabourAbility.LOST),
        Relation.PARENT,
    )  # fmt: skip
    services.households.add_category(b.id, HouseholdCategory.POVERTY_UNLIFTED, dt.date(2020, 1, 1))
    path = tmp_path / "建档立卡.csv"
    path.write_bytes(_csv_bytes([("户主姓名", "户主身份证号", "成员身份证号", "姓名", "脱贫属性"),
                                 ("乙户主", b_head, b_head, "乙户主", "未脱贫"),
                                 ("乙户主", b_head, bedridden, "乙父", "未脱贫")], "gb18030"))  # fmt: skip
    req = request(path, services, kind=RosterKind.POVERTY)
    assert req.mapping == {"成员身份证号": F.ID_NUMBER, "户主身份证号": F.HEAD_ID_NUMBER, "姓名": F.NAME, "脱贫属性": F.CATEGORY}  # fmt: skip
    roster = services.rosters.import_file(path, req).roster
    report = services.rosters.match(roster.id)
    [ours_only] = report.of(Outcome.OURS_ONLY)
    [theirs_only] = report.of(Outcome.THEIRS_ONLY)
    assert (ours_only.household_id, theirs_only.household_id) == (a.id, b.id)
    assert "报扶贫部门" in ours_only.follow_up
    assert "单人户或分户" in theirs_only.follow_up
    assert theirs_only.labour_lost_members == 1
    assert theirs_only.their_rows == (2, 3)

    out = tmp_path / "比对.xlsx"
    summary = services.rosters.export_match(roster.id, XlsxSink(out))
    assert dict(summary.sheets) == {
        "汇总": 4,
        "两边都有": 0,
        "仅本系统有": 1,
        "仅名单有": 1,
        "信息不一致": 0,
    }
    wb = openpyxl.load_workbook(out)
    [header, row] = list(wb["仅名单有"].iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert "单人户或分户" in record["后续处理"]
    assert "T18" in record["依据"]
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", record["户主（关键）身份证号"])


# ----------------------------------------------------------------------- the commands


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)  # fmt: skip


def test_commands_export_import_and_match_headless(
    services: Services, county: dict[str, int], db_url: str, tmp_path: Path, bad_file: Path
) -> None:
    home = tmp_path / "home"
    ledger = tmp_path / "户.xlsx"
    done = _run("export", "households", "--db", db_url, "--out", str(ledger), "--scope", "dibao", "--full-ids", home=home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "家庭户 3 行" in done.stdout
    assert "完整身份证号码" in done.stdout

    dry = _run("import", "低保", str(ledger), "--db", db_url, "--dry-run", "--as-of", "2024-06-15", home=home)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "可以导入 3 行" in dry.stdout
    assert "3 人已在本系统登记" in dry.stdout
    assert roster_counts(services) == (0, 0)

    bad = _run("import", "dibao", str(bad_file), "--db", db_url, home=home)
    assert bad.returncode == 2
    assert "第4行“身份证号”" in bad.stderr
    assert "第7行“金额”" in bad.stderr
    assert "周一" not in bad.stderr + bad.stdout
    assert roster_counts(services) == (0, 0)

    real = _run("import", "dibao", str(ledger), "--db", db_url, "--as-of", "2024-06-15",
                "--save-mapping", "本系统导出", home=home)  # fmt: skip
    assert real.returncode == 0, real.stderr
    assert "已导入名单 1" in real.stdout
    assert services.rosters.mapping("本系统导出").as_dict()["户主身份证号"] is F.ID_NUMBER

    match = _run("export", "match", "--roster", "dibao", "--db", db_url, "--out", str(tmp_path / "m.xlsx"), home=home)  # fmt: skip
    assert match.returncode == 0, match.stderr
    assert "两边都有 3 行" in match.stdout

    nowhere = _run("export", "kpi", "--db", db_url, "--out", str(tmp_path / "no" / "k.xlsx"), home=home)  # fmt: skip
    assert nowhere.returncode == 1
    assert "文件夹不存在" in nowhere.stderr


def test_export_and_import_do_not_import_qt(
    services: Services, county: dict[str, int], db_url: str, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.xlsx"
    code = (
        "import sys; from ui.cli import main;"
        f"a = main(['export', 'households', '--db', {db_url!r}, '--out', {str(ledger)!r}, '--full-ids']);"
        f"b = main(['import', 'other', {str(ledger)!r}, '--db', {db_url!r}, '--dry-run']);"
        "print(a, b, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=120, check=True)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "0 0 []"
