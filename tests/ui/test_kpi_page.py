"""考核统计: the on-time share per department and month, flagged below 80 % (domain.md §7 T24).

T24 is 45 of 60 referrals on time (75 %). The page test builds the same share from 3 of
4 (cheaper: four intakes instead of sixty), and the pure grouping function is checked
with T24's own numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.intake import ReferralAction
from desk_app.persistence.db import sqlite_url
from desk_app.services.context import SYSTEM
from desk_app.services.dto import KpiRow
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply
from ui.models.referral_table_model import OVERDUE_BACKGROUND
from ui.pages.kpi_page import COLUMNS, KpiPage, add_months, kpi_lines

MONDAY = dt.datetime(2026, 6, 1, 9, 0)
"""Intakes on 1 June 2026; a 10-working-day limit falls due on 15 June."""
DUE = dt.date(2026, 6, 15)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    s = open_services(sqlite_url(tmp_path / "kpi.sqlite3"), clock=clock, identity=SYSTEM)
    s.site.save("中华路街道", "520402102", "社会救助综合服务窗口")
    s.context.operator.name = "王芳"
    yield s
    s.close()


def reply_all(services: Services, clock: Clock, department: str, on_time: int, late: int) -> None:
    """Send every referral of ``department``; reply ``on_time`` before the due date and
    ``late`` after it (the rest stay open, which also counts as late once overdue)."""
    rows = services.referrals.page(ReferralFilter(department_code=department)).rows
    assert len(rows) >= on_time + late
    for i, row in enumerate(rows):
        clock.now = MONDAY + dt.timedelta(days=1)
        sent = services.referrals.act(row.id, row.version, ReferralAction.SEND, Reply())
        if i < on_time:
            clock.now = dt.datetime.combine(DUE, dt.time(16, 0))  # on the due date: on time
        elif i < on_time + late:
            clock.now = dt.datetime.combine(DUE + dt.timedelta(days=1), dt.time(9, 0))
        else:
            continue
        services.referrals.act(
            row.id,
            sent.row.version,
            ReferralAction.COMPLETE,
            Reply(result="已办结", result_date=clock.now.date()),
        )


@pytest.fixture
def three_of_four(services: Services, clock: Clock) -> Services:
    """县医疗保障局: 3 of 4 on time (75 %); 县教育局: 4 of 4 (100 %); all due 15 June."""
    household = services.households.register(
        HouseholdInput("新华村", "1组"),
        PersonInput("张三", "52040219800101001" + check_character("52040219800101001")),
    )
    for _ in range(4):
        clock.now = MONDAY
        services.intake.save(
            IntakeInput(
                household.id, (MatterChoice("medical_assistance"), MatterChoice("student_aid"))
            )
        )
    reply_all(services, clock, "medical_insurance", on_time=3, late=1)
    reply_all(services, clock, "education", on_time=4, late=0)
    clock.now = dt.datetime(2026, 7, 6, 9, 0)
    return services


def shown_page(qtbot: QtBot, services: Services) -> KpiPage:
    page = KpiPage(services)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded)  # read on first show
    return page


def table_rows(page: KpiPage) -> list[list[QTableWidgetItem]]:
    return [
        [page.table.item(r, c) for c in range(page.table.columnCount())]  # type: ignore[misc]
        for r in range(page.table.rowCount())
    ]


def row_named(page: KpiPage, department: str) -> list[QTableWidgetItem]:
    return next(row for row in table_rows(page) if row[1].text() == department)


def test_default_range_is_the_last_six_months(qtbot: QtBot, three_of_four: Services) -> None:
    page = shown_page(qtbot, three_of_four)
    assert page.months() == (dt.date(2026, 2, 1), dt.date(2026, 7, 1))
    assert page.from_edit.displayFormat() == "yyyy-MM"


def test_share_below_80_percent_is_flagged_with_colour_and_text(
    qtbot: QtBot, three_of_four: Services
) -> None:
    page = shown_page(qtbot, three_of_four)
    assert [page.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))] == list(COLUMNS)  # type: ignore[union-attr]

    medical = row_named(page, "县医疗保障局")
    assert [i.text() for i in medical] == [
        "2026年6月",
        "县医疗保障局",
        "4",
        "3",
        "1",
        "75.0%",
        "未达80%",
    ]
    assert all(i.background().color() == OVERDUE_BACKGROUND for i in medical)
    assert medical[6].font().bold()

    education = row_named(page, "县教育局（教体局）")
    assert [i.text() for i in education[2:]] == ["4", "4", "0", "100.0%", "达标"]
    assert education[6].background().style() == Qt.BrushStyle.NoBrush

    total = row_named(page, "本月全部部门")
    assert [i.text() for i in total] == [
        "2026年6月",
        "本月全部部门",
        "8",
        "7",
        "1",
        "87.5%",
        "达标",
    ]
    assert total[1].font().bold()
    assert "1 个部门·月份的按时率低于80%" in page.summary.text()
    explanation = page.explanation.text()
    assert "到期日所在月份" in explanation
    assert "办结或退回" in explanation
    assert "到期日当天或之前" in explanation


def test_months_without_due_referrals_are_empty(qtbot: QtBot, three_of_four: Services) -> None:
    page = shown_page(qtbot, three_of_four)
    page.set_months(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert page.table.rowCount() == 0
    assert "没有需要考核的转介" in page.summary.text()
    page.set_months(dt.date(2026, 7, 1), dt.date(2026, 6, 1))  # reversed: read in order
    assert page.months() == (dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    assert page.table.rowCount() == 3


def test_overdue_without_reply_counts_as_late(
    qtbot: QtBot, services: Services, clock: Clock
) -> None:
    household = services.households.register(
        HouseholdInput("新华村", "1组"),
        PersonInput("李四", "52040219750203002" + check_character("52040219750203002")),
    )
    services.intake.save(IntakeInput(household.id, (MatterChoice("charity_assistance"),)))
    clock.now = dt.datetime(2026, 6, 12, 9, 0)  # not yet due: not counted
    page = shown_page(qtbot, services)
    assert page.table.rowCount() == 0
    clock.now = dt.datetime(2026, 6, 16, 9, 0)  # one day late, no reply
    page.reload()
    charity = row_named(page, "县慈善总会")
    assert [i.text() for i in charity[2:]] == ["1", "0", "1", "0.0%", "未达80%"]


def test_t24_forty_five_of_sixty_is_flagged() -> None:
    rows = [
        KpiRow("medical_insurance", "县医疗保障局", "2026-06", 60, 45, 15, 0.75, True),
        KpiRow("education", "县教育局（教体局）", "2026-06", 20, 20, 0, 1.0, False),
        KpiRow("education", "县教育局（教体局）", "2026-05", 10, 8, 2, 0.8, False),
    ]
    lines = kpi_lines(rows, 0.8, order=["medical_insurance", "education"])
    assert [(ln.month, ln.department, ln.total) for ln in lines] == [
        ("2026-05", "县教育局（教体局）", False),
        ("2026-05", "", True),
        ("2026-06", "县医疗保障局", False),
        ("2026-06", "县教育局（教体局）", False),
        ("2026-06", "", True),
    ]
    june_medical, june_total = lines[2], lines[4]
    assert (june_medical.counted, june_medical.on_time, june_medical.share) == (60, 45, 0.75)
    assert june_medical.below_target
    assert (june_total.counted, june_total.on_time, june_total.share) == (80, 65, 65 / 80)
    assert not june_total.below_target  # 65 of 80 = 81.25 %
    may_total = lines[1]
    assert (may_total.share, may_total.below_target) == (0.8, False)  # exactly 80 % passes


def test_add_months_crosses_years() -> None:
    assert add_months(dt.date(2026, 1, 31), -1) == dt.date(2025, 12, 1)
    assert add_months(dt.date(2026, 7, 6), -5) == dt.date(2026, 2, 1)
    assert add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
