"""``desk-app route CASE.json``: the headless route command, run as a real process.

The example cases in tests/integration/data/route/ are the ones docs/route.md shows; each is
run through ``python -m ui route`` against a migrated SQLite file and the key fields of its
JSON output are compared. Bad cases exit 2 with the field named on stderr and nothing on
stdout. Parsing and formatting (desk_app/route_case.py) are also checked in-process.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desk_app.bootstrap import open_services
from desk_app.errors import ValidationError
from desk_app.persistence.db import sqlite_url
from desk_app.route_case import RouteCase, dump_report, parse_case, problems_text, propose_case
from desk_app.services.context import SYSTEM
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "route"
DOC = ROOT / "docs" / "route.md"
TODAY = dt.date(2026, 9, 24)


@pytest.fixture(scope="module")
def route_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database for the module: ``route`` only reads it."""
    path = tmp_path_factory.mktemp("route") / "route.sqlite3"
    open_services(sqlite_url(path), identity=SYSTEM).close()
    return path


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for name in ("DISPLAY", "QT_QPA_PLATFORM", "DESK_APP_DB"):
        env.pop(name, None)
    env["PYTHONIOENCODING"] = "ascii"  # the command must still write UTF-8
    return env


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


REAL_PROCESS_BAD_CASE = "bad_unknown_matter.json"


@pytest.fixture(scope="module")
def runs(route_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """``python -m ui route FILE --db DB`` for every example file, as real processes.

    Run side by side, one per core: each spends most of its time importing.
    """
    home = tmp_path_factory.mktemp("home")

    def one(name: str) -> Run:
        result = subprocess.run(
            [sys.executable, "-m", "ui", "route", str(DATA / name), "--db", str(route_db)],
            capture_output=True,
            env=_env(home),
            timeout=120,
            check=False,
        )
        return Run(result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))

    names = [*sorted(EXPECTED), REAL_PROCESS_BAD_CASE]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(names, pool.map(one, names), strict=True))


def route(runs: dict[str, Run], name: str) -> dict[str, Any]:
    """The JSON a real process printed for the example ``name``."""
    result = runs[name]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # Chinese as UTF-8, not \\u escapes, even with an ASCII PYTHONIOENCODING.
    assert "\\u" not in result.stdout
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def main_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``ui.cli.main`` in this process: for the many error paths, without a process each."""
    rc = main(["route", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


# (matter, handling, queue, department, limit_days, due_date)
Route = tuple[str, str, str, str, int | None, str | None]
EXPECTED: dict[str, dict[str, Any]] = {
    "T5_medical.json": {
        "routes": [
            ("medical_assistance", "referral", "医疗", "medical_insurance", 10, "2026-10-15")
        ],
        "missing": {"medical_assistance": ["application_form", "medical_bills"]},
    },
    "T6_house_fire.json": {
        "routes": [
            ("disaster_relief", "window", "受灾", "township_disaster_relief", None, None),
            ("temporary_assistance", "window", "民政", "township_civil_affairs", None, None),
            ("post_disaster_rebuild", "referral", "住房", "housing", 10, "2026-10-15"),
        ],
        "missing": {
            "disaster_relief": ["disaster_statement"],
            "post_disaster_rebuild": [
                "application_form",
                "disaster_statement",
                "house_safety_appraisal",
            ],
        },
        "hours": {"disaster_relief": 12},
    },
    "T8_boarding_pupil.json": {
        "routes": [
            ("boarding_meals", "referral", "教育", "education", 10, "2026-10-15"),
            ("left_behind_child_care", "window", "民政", "township_civil_affairs", None, None),
        ],
        "missing": {"boarding_meals": []},
    },
    "T9_dropout.json": {
        "routes": [
            ("dropout_return", "referral", "教育", "education", 10, "2026-10-15"),
            ("temporary_assistance", "window", "民政", "township_civil_affairs", None, None),
        ],
        "suggestions": [("小芳", "dropout_return"), ("小芳", "child_protection")],
    },
    "T12_zero_employment.json": {
        "routes": [
            (
                "zero_employment_family",
                "referral",
                "就业",
                "township_social_security",
                10,
                "2026-10-15",
            ),
            (
                "public_welfare_job",
                "referral",
                "就业",
                "township_social_security",
                10,
                "2026-10-15",
            ),
        ],
        "missing": {"zero_employment_family": ["unemployment_registration"]},
    },
    "T13_disability.json": {
        "routes": [
            (
                "disability_certificate_new",
                "referral",
                "残联",
                "disabled_persons_federation",
                10,
                "2026-10-15",
            ),
            (
                "disability_certificate_renewal",
                "referral",
                "残联",
                "disabled_persons_federation",
                10,
                "2026-10-15",
            ),
        ],
        "suggestions": [
            ("某女", "disability_certificate_new"),
            ("某男", "disability_certificate_renewal"),
        ],
    },
    "T17_homeless_child.json": {
        "routes": [
            ("homeless_assistance", "referral", "救助管理", "rescue_station", 10, "2026-10-15"),
            ("child_protection", "referral", "儿童", "child_supervisor", 10, "2026-10-15"),
        ],
        "missing": {"homeless_assistance": ["handover_record", "situation_statement"]},
    },
    "T20_leukaemia.json": {
        "routes": [
            ("dibao_expense_poverty", "window", "民政", "township_civil_affairs", None, None),
            ("temporary_assistance", "window", "民政", "township_civil_affairs", None, None),
            ("major_illness_assistance", "referral", "医疗", "medical_insurance", 10, "2026-10-15"),
            ("charity_assistance", "referral", "慈善", "charity", 10, "2026-10-15"),
        ],
        "suggestions": [],
    },
    "T23_relocated.json": {
        "routes": [
            ("dibao", "window", "民政", "township_civil_affairs", 30, "2026-11-12"),
            ("temporary_assistance", "window", "民政", "township_civil_affairs", None, None),
        ],
    },
    "T3_extended_dibao.json": {
        "date": "2026-06-15",
        "routes": [("student_aid", "referral", "教育", "education", 10, "2026-06-30")],
    },
    "deadline_2027.json": {
        "date": "2026-12-21",
        "routes": [
            ("medical_assistance", "referral", "医疗", "medical_insurance", 10, "2027-01-04"),
            ("dibao", "window", "民政", "township_civil_affairs", 30, "2027-02-01"),
            ("temporary_assistance", "window", "民政", "township_civil_affairs", None, None),
        ],
        "uncertain": {"medical_assistance": [2027], "dibao": [2027]},
        "warnings": ["2027年节假日安排尚未录入，按周末计算"],
    },
    "override_reason.json": {
        "routes": [("medical_assistance", "referral", "慈善", "charity", 10, "2026-10-15")],
        "overridden": {
            "medical_assistance": "医保报销和医疗救助均已用到年度上限，本人申请慈善救助"
        },
    },
}
BAD: dict[str, list[str]] = {
    "bad_unknown_matter.json": ["matters[1].code", "housing_subsidy"],
    "bad_date.json": ["date（受理日期）", "YYYY-MM-DD"],
    "bad_override_without_reason.json": ["matters[1].override_reason", "请写明理由"],
    "bad_malformed.json": ["不是有效的 JSON", "第 5 行"],
    "bad_member.json": ["household.members[0].birth_date", "household.members[0].disability_grade"],
}


def test_every_example_file_is_checked() -> None:
    assert sorted(p.name for p in DATA.glob("*.json")) == sorted([*EXPECTED, *BAD])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_case(name: str, runs: dict[str, Run]) -> None:
    want = EXPECTED[name]
    out = route(runs, name)
    assert list(out) == ["date", "routes", "suggestions", "warnings"]
    assert out["date"] == want.get("date", "2026-09-24")
    got: list[Route] = [
        (r["matter"], r["handling"], r["queue"], r["department"], r["limit_days"], r["due_date"])
        for r in out["routes"]
    ]
    assert got == want["routes"]
    routes = {r["matter"]: r for r in out["routes"]}
    for code, missing in want.get("missing", {}).items():
        assert [p["code"] for p in routes[code]["papers_missing"]][: len(missing) or None] == (
            missing or []
        )
    for code, years in want.get("uncertain", {}).items():
        assert routes[code]["due_uncertain_years"] == years
    for r in out["routes"]:
        if r["matter"] not in want.get("uncertain", {}):
            assert r["due_uncertain_years"] == []
        assert r["matter_name"]
        assert r["department_name"]
        assert r["reason"]
        assert "domain.md" in r["basis"]
        assert r["overridden"] is (r["matter"] in want.get("overridden", {}))
        assert r["override_reason"] == want.get("overridden", {}).get(r["matter"], "")
        assert r["limit_hours"] == want.get("hours", {}).get(r["matter"])
    if "suggestions" in want:
        assert [(s["person"], s["matter"]) for s in out["suggestions"]] == want["suggestions"]
    for prefix, warning in zip(want.get("warnings", []), out["warnings"], strict=True):
        assert warning.startswith(prefix)


def test_t6_output_in_full(runs: dict[str, Run]) -> None:
    """domain.md §7 T6: the whole document, as docs/route.md shows it."""
    out = route(runs, "T6_house_fire.json")
    rebuild = out["routes"][2]
    assert rebuild == {
        "matter": "post_disaster_rebuild",
        "matter_name": "灾后民房恢复重建",
        "handling": "referral",
        "handling_name": "转介",
        "department": "housing",
        "department_name": "县住房和城乡建设局",
        "queue": "住房",
        "proposed_handling": "referral",
        "proposed_department": "housing",
        "reason": rebuild["reason"],
        "basis": rebuild["basis"],
        "overridden": False,
        "override_reason": "",
        "limit_days": 10,
        "due_date": "2026-10-15",
        "due_uncertain_years": [],
        "limit_hours": None,
        "papers_received": [
            {
                "code": "id_card",
                "name": "居民身份证",
                "note": rebuild["papers_received"][0]["note"],
            },
            {"code": "hukou_book", "name": "户口簿", "note": rebuild["papers_received"][1]["note"]},
        ],
        "papers_missing": rebuild["papers_missing"],
    }
    assert out["suggestions"] == []
    assert out["warnings"] == []
    assert out["routes"][0]["limit_hours"] == 12


def test_docs_show_the_real_t6_output(runs: dict[str, Run]) -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- output: T6_house_fire.json -->\s*```json\n(.*?)```", text, re.S)
    assert match, "docs/route.md should show the T6 output"
    assert json.loads(match.group(1)) == route(runs, "T6_house_fire.json")


def test_docs_examples_are_valid_cases() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- case: (\S+) -->\s*```json\n(.*?)```", text, re.S)
    assert len(blocks) >= 8
    for name, block in blocks:
        assert json.loads(block) == json.loads((DATA / name).read_text(encoding="utf-8")), name
        parse_case(block, TODAY)


def test_a_bad_case_exits_2_naming_the_field_in_a_real_process(runs: dict[str, Run]) -> None:
    result = runs[REAL_PROCESS_BAD_CASE]
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("desk-app route: ")
    for needle in BAD[REAL_PROCESS_BAD_CASE]:
        assert needle in result.stderr


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_case_exits_2_naming_the_field(
    name: str, route_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = main_in_process(capsys, str(DATA / name), "--db", str(route_db))
    assert (rc, out) == (2, "")
    assert err.startswith(f"desk-app route: {DATA / name} 有 ")
    for needle in BAD[name]:
        assert needle in err


def test_a_missing_file_exits_2(
    route_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = main_in_process(capsys, str(tmp_path / "nope.json"), "--db", str(route_db))
    assert (rc, out) == (2, "")
    assert "nope.json" in err
    assert not (tmp_path / "nope.json").exists()


def test_a_file_that_is_not_utf8_exits_2(
    route_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "gbk.json"
    case.write_bytes('{"matters": [{"code": "低保"}]}'.encode("gbk"))
    rc, out, err = main_in_process(capsys, str(case), "--db", str(route_db))
    assert (rc, out) == (2, "")
    assert "UTF-8" in err


def test_bad_input_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite3"
    rc, _out, _err = main_in_process(capsys, str(DATA / "bad_date.json"), "--db", str(db))
    assert rc == 2
    assert not db.exists()


def test_stdin_and_the_default_date(
    route_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"matters": [{"code": "dibao"}]}'))
    monkeypatch.setattr(sys, "stdin", stdin)
    before = dt.date.today()
    rc, out, err = main_in_process(capsys, "-", "--db", str(route_db))
    after = dt.date.today()
    assert rc == 0, err
    report = json.loads(out)
    assert report["date"] in {before.isoformat(), after.isoformat()}
    assert report["routes"][0]["matter"] == "dibao"


def test_without_db_it_uses_the_default_database(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the window would: DESK_APP_HOME/data/desk_app.sqlite3, migrated on first use."""
    rc, out, err = main_in_process(capsys, str(DATA / "T5_medical.json"))
    assert rc == 0, err
    assert json.loads(out)["routes"][0]["due_date"] == "2026-10-15"
    assert (isolated_home / "data" / "desk_app.sqlite3").exists()


def test_the_top_level_db_option_works_too(
    route_db: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["--db", str(route_db), "route", str(DATA / "T5_medical.json")])
    assert rc == 0
    assert json.loads(capsys.readouterr().out)["routes"][0]["queue"] == "医疗"
    assert not (isolated_home / "data").exists()


def test_route_does_not_import_qt(route_db: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from ui.cli import main;"
        f"rc = main(['route', {str(DATA / 'T6_house_fire.json')!r}, '--db', {str(route_db)!r}]);"
        "print(rc, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_route_writes_nothing(route_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    def rows() -> list[int]:
        with sqlite3.connect(route_db) as conn:
            return [
                conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("intake", "intake_matter", "referral", "referral_event", "parameter")
            ]

    before = rows()
    rc, _out, _err = main_in_process(
        capsys, str(DATA / "T20_leukaemia.json"), "--db", str(route_db)
    )
    assert rc == 0
    assert rows() == before


# --------------------------------------------------------------------- in-process
def problems(text: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_case(text, TODAY)
    return {p.field: p.message.render() for p in err.value.problems}


def test_parse_a_full_case() -> None:
    case = parse_case(
        json.dumps(
            {
                "date": "2026-10-08",
                "matters": [
                    {"code": "dibao", "papers_received": ["id_card", "id_card"]},
                    {"code": "medical_assistance", "handling": "referral",
                     "department": "charity", "override_reason": "转慈善"},
                ],
                "household": {"members": [
                    {"name": "甲", "birth_date": "2013-10-09", "dropped_out": True},
                    {"name": "乙", "age": 50, "has_disability_cert": True,
                     "disability_category": "mental", "disability_grade": 3,
                     "disability_check": "not_renewed", "mental_disorder": True},
                ]},
            },
            ensure_ascii=False,
        ),
        TODAY,
    )  # fmt: skip
    assert case.date == dt.date(2026, 10, 8)
    assert case.has_household
    dibao, medical = case.matters
    assert dibao.papers_received == ("id_card",)
    assert (medical.handling and medical.handling.value, medical.department_code) == (
        "referral",
        "charity",
    )
    child, adult = case.members
    assert child.age == 12  # the day before the 13th birthday
    assert adult.severely_disabled


def test_parse_defaults() -> None:
    case = parse_case('\ufeff{"matters": [{"code": "dibao"}]}', TODAY)  # with a BOM
    assert case == RouteCase(TODAY, case.matters, (), False)
    (choice,) = case.matters
    assert (choice.papers_received, choice.handling, choice.department_code) == ((), None, None)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[]", "file"),
        ('{"matters": []}', "matters"),
        ('{"matters": {"code": "dibao"}}', "matters"),
        ('{"matters": ["dibao"]}', "matters[0]"),
        ('{"matters": [{"papers_received": []}]}', "matters[0].code"),
        ('{"matters": [{"code": "dibao", "papers": []}]}', "matters[0].papers"),
        ('{"matters": [{"code": "dibao", "papers_received": "id_card"}]}', "matters[0].papers_received"),
        ('{"matters": [{"code": "dibao", "handling": "窗口"}]}', "matters[0].handling"),
        ('{"matters": [{"code": "dibao", "department": 3}]}', "matters[0].department"),
        ('{"matters": [{"code": "dibao", "override_reason": 1}]}', "matters[0].override_reason"),
        ('{"date": "2026-9-24", "matters": [{"code": "dibao"}]}', "date"),
        ('{"date": "2026-02-29", "matters": [{"code": "dibao"}]}', "date"),
        ('{"date": "1999-12-31", "matters": [{"code": "dibao"}]}', "date"),
        ('{"date": 20260924, "matters": [{"code": "dibao"}]}', "date"),
        ('{"matters": [{"code": "dibao"}], "household": []}', "household"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": {}}}', "household.members"),
        ('{"matters": [{"code": "dibao"}], "household": {"people": []}}', "household.people"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"age": 3}]}}', "household.members[0].name"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲"}]}}', "household.members[0].birth_date"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": true}]}}', "household.members[0].age"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 151}]}}', "household.members[0].age"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "birth_date": "2026-09-25"}]}}', "household.members[0].birth_date"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 3, "dropped_out": "yes"}]}}', "household.members[0].dropped_out"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 3, "child_status": "孤儿"}]}}', "household.members[0].child_status"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 30, "has_disability_cert": true, "disability_category": "physical"}]}}', "household.members[0].disability_grade"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 30, "has_disability_cert": true, "disability_category": "physical", "disability_grade": 5}]}}', "household.members[0].disability_grade"),
        ('{"matters": [{"code": "dibao"}], "household": {"members": [{"name": "甲", "age": 30, "disability_check": "valid"}]}}', "household.members[0].disability_check"),
    ],
)  # fmt: skip
def test_parse_problems_name_the_json_path(text: str, field: str) -> None:
    found = problems(text)
    assert field in found, found


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        '{"date": "x", "matters": [{"code": ""}, {"code": "dibao", "handling": 1}], "extra": 0}'
    )
    assert set(found) == {"date", "matters[0].code", "matters[1].handling", "extra"}


def test_problems_text_maps_service_fields_to_json_paths(route_db: Path) -> None:
    case = parse_case(
        '{"matters": [{"code": "dibao"}, {"code": "nope"},'
        ' {"code": "medical_assistance", "department": "charity"},'
        ' {"code": "student_aid", "papers_received": ["photo"]},'
        ' {"code": "temporary_assistance", "handling": "referral"}]}',
        TODAY,
    )
    svc = open_services(sqlite_url(route_db), identity=SYSTEM)
    try:
        with pytest.raises(ValidationError) as err:
            propose_case(svc, case)
    finally:
        svc.close()
    text = problems_text(err.value, case, "case.json")
    lines = text.splitlines()
    assert lines[0] == "case.json 有 5 处需要修改："
    paths = [line.split("（")[0].strip() for line in lines[1:]]
    assert sorted(paths) == sorted(
        [
            "matters[1].code",
            "matters[2].override_reason",
            "matters[3].papers_received",
            "matters[4].handling",
            "matters[4].override_reason",
        ]
    )


def test_dump_report_is_readable_json() -> None:
    text = dump_report(
        {"date": "2026-09-24", "routes": [], "suggestions": [], "warnings": ["中文"]}
    )
    assert text.endswith("}\n")
    assert '"中文"' in text
