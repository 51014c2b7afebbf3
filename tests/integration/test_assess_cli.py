"""``desk-app assess CASE.json``: the headless assessment command, run as a real process.

The example cases in tests/integration/data/assess/ are the ones docs/assess.md shows
(domain.md §7 scenarios that involve a computation). Each runs through ``python -m ui assess``;
key figures are checked, and the documentation must show the real output. T5 needs an
elderly age that the 阳江 set leaves open (the seed says 老年人 without an age), so the case
supplies one in ``parameters`` (60, 《老年人权益保障法》, not a seed value); the companion
case without it shows both subsidies as missing that parameter.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desk_app.assess_case import CaseError, dump_result, parse_case, run_case
from desk_app.services.context import SYSTEM
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "assess"
DOC = ROOT / "docs" / "assess.md"
EXAMPLES = sorted(p.name for p in DATA.glob("t*.json"))


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for name in ("DISPLAY", "QT_QPA_PLATFORM", "DESK_APP_DB"):
        env.pop(name, None)
    env["PYTHONIOENCODING"] = "ascii"  # the command must still write UTF-8
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """``python -m ui assess FILE`` for every example and the bad case, side by side."""
    home = tmp_path_factory.mktemp("home")

    def one(name: str) -> Run:
        result = subprocess.run(
            [sys.executable, "-m", "ui", "assess", f"tests/integration/data/assess/{name}"],
            capture_output=True,
            env=_env(home),
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        return Run(result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))

    names = [*EXAMPLES, "bad_fields.json"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(names, pool.map(one, names), strict=True))


def _figures(run: Run) -> dict[str, Any]:
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    return {c["key"]: c for c in doc["computations"]}


def _fig(run: Run, key: str) -> Any:
    return _figures(run)[key]["figure"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_runs_and_is_well_formed(name: str, runs: dict[str, Run]) -> None:
    run = runs[name]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    doc = json.loads(run.stdout)
    assert set(doc) == {"locality", "date", "computations"}
    for c in doc["computations"]:
        assert set(c) == {"key", "figure", "rule", "basis", "flags", "missing"}
        assert c["rule"]
        assert c["basis"]
        assert not isinstance(c["figure"], float)  # Decimal is written as a string


def test_t1_rongchang_jiantui(runs: dict[str, Run]) -> None:
    stays, leaves = runs["t01_jiantui_stays.json"], runs["t01_jiantui_exit.json"]
    assert _fig(stays, "income.per_capita") == "410.00"
    assert _fig(stays, "transition.jiantui_status") == "渐退"
    assert _fig(leaves, "income.per_capita") == "800.00"
    assert _fig(leaves, "transition.jiantui_status") == "退出渐退（经复核办理退出）"


def test_t2_anhui_period_exit_and_review(runs: dict[str, Run]) -> None:
    period = runs["t02_anhui_jiantui.json"]
    assert _fig(period, "transition.anhui_jiantui.start") == "2021-04"
    assert _fig(period, "transition.anhui_jiantui.end") == "2022-03"
    assert _fig(period, "review.next.dibao_c") == "2021-03-30"
    assert _figures(period)["dibao.supplement:乙"]["missing"] == ["c类增发比例"]
    leave = runs["t02_anhui_voluntary_exit.json"]
    assert _fig(leave, "dibao.payment") == "150.00"
    assert _fig(leave, "transition.voluntary_exit.low") == "150.00"
    assert _fig(leave, "transition.voluntary_exit.high") == "450.00"


def test_t3_qingliu_extension(runs: dict[str, Run]) -> None:
    run = runs["t03_qingliu_extension.json"]
    assert _fig(run, "income.per_capita") == "525.00"
    assert _fig(run, "dibao.eligibility") == "建议列入低收入人口"
    assert _fig(run, "transition.qingliu_extension.start") == "2021-07"
    assert _fig(run, "transition.qingliu_extension.end_earliest") == "2021-12"
    assert _fig(run, "transition.qingliu_extension.end_latest") == "2022-06"


def test_t4_single_person_with_old_carers(runs: dict[str, Run]) -> None:
    run = runs["t04_qingliu_single_person.json"]
    figures = _figures(run)
    assert figures["dibao.single_person.carer_exemption"]["figure"] == "适用"
    # The parents' wages and the support they pay are not counted: only his own 50 元.
    assert figures["income.per_capita"]["figure"] == "50.00"
    assert figures["dibao.payment"]["figure"] == "325.00"
    assert figures["dibao.full_standard:丁"]["figure"] == "375.00"


def test_t5_medical_shares(runs: dict[str, Run]) -> None:
    run = runs["t05_medical.json"]
    assert _fig(run, "medical.assistance:戊") == "8000.00"
    assert _fig(run, "medical.assistance:戊母") == "9000.00"
    assert _fig(run, "parameter.case:medical.elderly_age") == "60"
    without = _figures(runs["t05_medical_no_elderly_age.json"])
    for key in ("medical.assistance:戊", "medical.assistance:戊母"):
        assert without[key]["figure"] is None
        assert without[key]["missing"] == ["医疗救助老年人年龄"]


def test_t10_tekun(runs: dict[str, Run]) -> None:
    home = runs["t10_tekun_institutional.json"]
    assert _fig(home, "tekun.living_standard") == "780.00"
    assert _fig(home, "tekun.care_arrangement:己") == "集中供养"
    ill = runs["t10_tekun_home_care.json"]
    assert _fig(ill, "tekun.care_arrangement:己").startswith("分散供养")


def test_t12_job_cost_and_reviews(runs: dict[str, Run]) -> None:
    figures = _figures(runs["t12_job_cost.json"])
    assert figures["income.per_capita"]["figure"] == "433.33"
    assert "deductions_applied" in figures["income.per_capita"]["flags"]
    assert figures["dibao.payment_per_person"]["figure"] == "166.67"
    assert figures["review.next.unstable_income_able_to_work"]["figure"] == "2020-07-15"


def test_qingliu_temporary_aid(runs: dict[str, Run]) -> None:
    figures = _figures(runs["t15_qingliu_temporary.json"])
    assert figures["temporary.within_cap"]["figure"] == "5000.00"
    assert "case_by_case" in figures["temporary.within_cap"]["flags"]
    assert figures["temporary.approval_level"]["figure"] == "县级审批"
    assert "因病临时救助倍数" in figures["temporary.illness_amount"]["missing"]


def test_t19_t22_t23_t27(runs: dict[str, Run]) -> None:
    assert (
        _fig(runs["t19_de_facto_hardship.json"], "dibao.single_person.de_facto_hardship")
        == "建议按单人户审核"
    )
    coverage = _figures(runs["t22_partial_coverage.json"])["dibao.coverage"]
    assert coverage["figure"] == "部分"
    assert "whole_household_review" in coverage["flags"]
    urban = _figures(runs["t23_relocated_urban.json"])
    assert urban["dibao.payment_per_person"]["figure"] == "250.00"
    assert urban["temporary.cap_room"]["missing"] == ["临时救助家庭年度上限"]
    below = runs["t27_below_standard.json"]
    assert _fig(below, "dibao.eligibility") == "建议纳入低保"
    assert _fig(below, "dibao.payment_per_person") == "15.00"


def test_t25_reverse_ranking(runs: dict[str, Run]) -> None:
    doc = json.loads(runs["t25_ranking.json"].stdout)
    ranks = [(c["key"], c["figure"]) for c in doc["computations"] if c["key"].startswith("scoring")]
    assert ranks == [
        ("scoring.rank:C", 1),
        ("scoring.rank:A", 2),
        ("scoring.rank:D", 3),
        ("scoring.rank:B", 4),
        ("scoring.rank:E", None),
    ]


def test_a_bad_case_exits_2_naming_the_fields(runs: dict[str, Run]) -> None:
    run = runs["bad_fields.json"]
    assert run.returncode == 2
    assert run.stdout == ""
    for path in (
        "locality：",
        "date：",
        "urban：",
        "members[0].age：",
        "members[0].incomes.wage：",
    ):
        assert path in run.stderr


def _doc_examples() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(
        r"```\ndesk-app assess tests/integration/data/assess/(\S+)\n```\n\n```json\n(.*?)\n```",
        re.S,
    )
    return {m.group(1): m.group(2) for m in pattern.finditer(text)}


def test_docs_show_every_example_with_its_real_output(runs: dict[str, Run]) -> None:
    shown = _doc_examples()
    assert sorted(shown) == EXAMPLES
    for name, output in shown.items():
        assert output + "\n" == runs[name].stdout, name


def test_docs_show_the_real_error_text(runs: dict[str, Run]) -> None:
    assert runs["bad_fields.json"].stderr.rstrip("\n") in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("[]", "（根）"),
        ("{", "（文件）"),
        ('{"locality": "anshun", "date": "2020-06-01", "urban": false}', "members"),
        (
            '{"locality": "anshun", "date": "2020-06-01", "urban": false, '
            '"members": [{"name": "甲", "medical_cost": 5}]}',
            "members[0].age",
        ),
        (
            '{"locality": "anshun", "date": "2020-06-01", "urban": false, '
            '"members": [{"name": "甲", "disability": {"grade": 7}}]}',
            "members[0].disability.grade",
        ),
        (
            '{"locality": "anshun", "date": "2020-06-01", "urban": false, '
            '"members": [{"name": "甲"}], "parameters": {"no.such": 1}}',
            "parameters.no.such",
        ),
        (
            '{"locality": "anshun", "date": "2020-06-01", "urban": false, '
            '"members": [{"name": "甲"}], "temporary_aid": {"requested": "多"}}',
            "temporary_aid.requested",
        ),
    ],
)
def test_parse_problems_name_the_json_path(text: str, path: str) -> None:
    with pytest.raises(CaseError) as info:
        parse_case(text)
    assert path in [p for p, _ in info.value.problems]


def test_in_process_output_matches_and_money_is_decimal() -> None:
    case = parse_case((DATA / "t05_medical.json").read_text(encoding="utf-8"))
    found = {c.key: c.figure for c in run_case(case)}
    assert found["medical.assistance:戊母"] == Decimal("9000.00")
    assert json.loads(dump_result(case, run_case(case)))["locality"] == "yangjiang"


def test_stdin_and_missing_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (DATA / "t27_below_standard.json").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    assert main(["assess", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["locality"] == "anshun"
    assert main(["assess", str(tmp_path / "none.json")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "无法读取案例文件" in captured.err


def test_assess_does_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from ui.cli import main;"
        f"rc = main(['assess', {str(DATA / 't05_medical.json')!r}]);"
        "print(rc, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    env = {**os.environ, "DESK_APP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_db_option_uses_the_townships_own_parameter_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--db``: a local copy edited at the window is what the command computes with."""
    import datetime as dt

    from desk_app.bootstrap import open_services
    from desk_app.persistence.db import sqlite_url

    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "home"))
    db = tmp_path / "county.sqlite3"
    services = open_services(sqlite_url(db), identity=SYSTEM)
    code = services.assistance.copy("anshun", "本镇参数集").code
    services.assistance.set_value(
        code, "dibao.standard.rural.monthly", Decimal(400), dt.date(2020, 5, 1), "县民政局通知"
    )
    services.close()
    case = json.loads((DATA / "t27_below_standard.json").read_text(encoding="utf-8"))
    case["locality"] = code
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")

    assert main(["assess", str(path), "--db", str(db)]) == 0
    figures = {c["key"]: c["figure"] for c in json.loads(capsys.readouterr().out)["computations"]}
    assert figures["dibao.payment_per_person"] == "40.00"  # 400 − 360, not 375 − 360
    # Without --db the local code is unknown and the error lists the known ones.
    assert main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert "locality" in err
    assert "anshun" in err
