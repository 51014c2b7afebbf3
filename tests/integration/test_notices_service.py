"""公示 notices through the service on a real SQLite file (issue #6): drafting reduces
households to what may be posted, posting fixes the objection period from the parameter
``notice.objection_days`` (7 days as seeded), objections hold a household's case, and a
notice closes only when its period has passed with no open objection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from desk_app.bootstrap import Services
from desk_app.domain.assistance.income import IncomeItem, IncomeSource
from desk_app.domain.documents import NoticeStage, Paper
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.registry import DisabilityCategory, HouseholdCategory, Relation
from desk_app.errors import ConcurrentEditError, ValidationError
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from desk_app.services.notices import EntryState

DIBAO = "最低生活保障"
POSTED = dt.date(2024, 6, 3)


def _dibao_household(
    services: Services, make_id: Any, name: str, village: str, *, decide: bool = True
) -> int:
    detail = services.households.register(
        HouseholdInput(village=village, group_name="二组"),
        PersonInput(
            name=name, id_number=make_id(dt.date(1970, 1, 1)), phone="13812345678",
            has_disability_cert=True, disability_cert_no="52040219700101001X42",
            disability_category=DisabilityCategory.MENTAL, disability_grade=2,
            illness_note="尿毒症",
        ),
    )  # fmt: skip
    detail = services.households.add_member(
        detail.id, PersonInput(name=name + "妻", id_number=make_id(dt.date(1972, 1, 1))),
        Relation.SPOUSE,
    )  # fmt: skip
    services.households.add_category(detail.id, HouseholdCategory.DIBAO_A, dt.date(2024, 1, 1))
    if decide:
        head = next(m.id for m in detail.members if m.relation == "head")
        facts = HouseholdFacts(
            members=(MemberFacts(head, incomes=(IncomeItem(IncomeSource.WAGES, Decimal(500)),)),),
        )
        services.assistance.record_decision(detail.id, facts, "dibao.payment", "250.00", "")
    return detail.id


@pytest.fixture
def village(services: Services, make_id: Any) -> dict[str, int]:
    services.assistance.choose("anshun")
    services.site.save("测试镇", "520402102000", "社会救助综合服务窗口", phone="0851-1234567")
    return {
        "甲": _dibao_household(services, make_id, "王甲", "红星村"),
        "乙": _dibao_household(services, make_id, "李乙", "红星村"),
        "丙": _dibao_household(services, make_id, "赵丙", "红星村", decide=False),
        "丁": _dibao_household(services, make_id, "钱丁", "东风村"),
    }


def _draft(services: Services, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "stage": NoticeStage.REVIEW, "scheme": DIBAO, "village": "红星村",
        "period_label": "2024年第二季度",
    }  # fmt: skip
    args.update(kw)
    return services.notices.draft(**args)


def test_drafting_takes_the_village_with_decided_amounts_and_lists_who_was_left_out(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    assert draft.notice.households == 2
    assert draft.notice.status == "draft"
    assert draft.notice.number.startswith("GS2024-")
    assert [s.reason for s in draft.skipped] == [
        "没有审核确定的月金额：请先在户籍页“救助测算”中记录审核结论"
    ]
    content = services.notices.content(draft.notice.id)
    assert [r.head_name for r in content.rows] == ["王甲", "李乙"]  # by village, group, number
    assert {r.monthly_amount for r in content.rows} == {Decimal("250.00")}
    assert content.rows[0].village_group == "红星村二组"
    assert content.rows[0].category == "低保A类"
    assert content.rows[0].period == "2024年1月起"
    assert content.channel.phone == "0851-1234567"  # the window's own, by default
    everything = repr(content)
    for private in ("13812345678", "尿毒症", "精神", "52040219700101001X42"):
        assert private not in everything


def test_a_township_notice_takes_every_village_and_names_can_be_masked(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services, village=None, mask_names=True, paper=Paper.A3_LANDSCAPE)
    content = services.notices.content(draft.notice.id)
    assert sorted(r.head_name for r in content.rows) == ["李*", "王*", "钱*"]
    assert content.village is None
    assert content.paper is Paper.A3_LANDSCAPE


def test_bad_draft_input_names_the_fields(services: Services, village: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as err:
        _draft(services, scheme="不存在", period_label=" ")
    assert {p.field for p in err.value.problems} == {"scheme", "period_label"}
    assert services.notices.notices() == ()


def test_the_objection_period_runs_seven_days_from_posting(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    posted = services.notices.post(draft.notice.id, POSTED, draft.notice.version)
    assert posted.objection_until == POSTED + dt.timedelta(days=6)
    assert services.notices.content(draft.notice.id).objection_days == 7
    on_last_day = {
        e.household_id: e.state for e in services.notices.entries(posted.id, posted.objection_until)
    }
    assert set(on_last_day.values()) == {EntryState.IN_PERIOD}
    after = services.notices.entries(posted.id, POSTED + dt.timedelta(days=7))
    assert {e.state for e in after} == {EntryState.CLEARED}
    with pytest.raises(ValidationError):  # posting twice
        services.notices.post(draft.notice.id, POSTED, posted.version)
    with pytest.raises(ConcurrentEditError):  # a stale version
        services.notices.close(draft.notice.id, draft.notice.version, POSTED + dt.timedelta(days=9))


def test_an_open_objection_holds_the_case_and_the_notice(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    posted = services.notices.post(draft.notice.id, POSTED, draft.notice.version)
    objection = services.notices.record_objection(
        posted.id, village["甲"], POSTED + dt.timedelta(days=2), "来访", "反映该户有经营收入"
    )
    assert objection.status == "open"
    assert not objection.late
    later = POSTED + dt.timedelta(days=10)
    states = {e.household_id: e.state for e in services.notices.entries(posted.id, later)}
    assert states == {village["甲"]: EntryState.OBJECTION_OPEN, village["乙"]: EntryState.CLEARED}
    info, state = services.notices.household_state(village["甲"], later)  # type: ignore[misc]
    assert (info.open_objections, state) == (1, EntryState.OBJECTION_OPEN)

    with pytest.raises(ValidationError) as err:
        services.notices.close(posted.id, posted.version, POSTED + dt.timedelta(days=3))
    assert err.value.problems[0].field == "objection_until"
    with pytest.raises(ValidationError) as err:
        services.notices.close(posted.id, posted.version, later)
    assert "1 件异议未处理" in err.value.problems[0].render()

    with pytest.raises(ValidationError):  # a conclusion is required
        services.notices.resolve_objection(objection.id, upheld=False, resolution="")
    services.notices.resolve_objection(
        objection.id, upheld=False, resolution="入户核实，收入属实已计入"
    )
    assert {e.state for e in services.notices.entries(posted.id, later)} == {EntryState.CLEARED}
    closed = services.notices.close(posted.id, posted.version, later)
    assert closed.status == "closed"


def test_an_upheld_objection_stops_the_household_and_late_ones_are_still_recorded(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    posted = services.notices.post(draft.notice.id, dt.date(2024, 5, 1), draft.notice.version)
    late = services.notices.record_objection(
        posted.id, village["乙"], dt.date(2024, 5, 20), "电话", "反映家中有车辆"
    )
    assert late.late
    services.notices.resolve_objection(late.id, upheld=True, resolution="核实有小型汽车一辆")
    states = {e.household_id: e.state for e in services.notices.entries(posted.id)}
    assert states[village["乙"]] is EntryState.OBJECTION_UPHELD
    with pytest.raises(ValidationError):  # settled once only
        services.notices.resolve_objection(late.id, upheld=False, resolution="x")


def test_objections_only_against_households_on_a_posted_notice(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    with pytest.raises(ValidationError):  # not posted yet
        services.notices.record_objection(draft.notice.id, village["甲"], POSTED, "来访", "x")
    posted = services.notices.post(draft.notice.id, POSTED, draft.notice.version)
    with pytest.raises(ValidationError):  # 丙 is not on the notice
        services.notices.record_objection(posted.id, village["丙"], POSTED, "来访", "x")
    with pytest.raises(ValidationError) as err:  # before posting, bad channel, empty text
        services.notices.record_objection(posted.id, village["甲"], POSTED, "托梦", " ")
    assert {p.field for p in err.value.problems} == {"channel", "summary"}
    assert services.notices.objections(posted.id) == ()


def test_a_standing_roster_has_no_objection_period(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services, stage=NoticeStage.STANDING)
    posted = services.notices.post(draft.notice.id, POSTED, draft.notice.version)
    assert posted.objection_until is None
    assert {e.state for e in services.notices.entries(posted.id)} == {EntryState.STANDING}


def test_what_was_posted_stays_when_the_registry_changes(
    services: Services, village: dict[str, int]
) -> None:
    draft = _draft(services)
    before = services.notices.content(draft.notice.id)
    detail = services.households.get(village["甲"])
    head = next(m for m in detail.members if m.relation == "head")
    services.households.update_person(
        head.id, head.version, PersonInput(name="王甲改", id_number=None, phone=None,
                                           disability_cert_no=None), Relation.HEAD
    )  # fmt: skip
    services.assistance.record_decision(
        village["甲"], services.assistance.facts_for(village["甲"]), "dibao.payment", "0", "复核"
    )
    assert services.notices.content(draft.notice.id) == before
