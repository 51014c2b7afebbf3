"""Assistance decision support through the service, on a real SQLite file (issue #5).

Every domain.md §7 scenario with a computation is registered as a real household (ages
from ID numbers, disabilities and illness on the members, categories on the household)
and computed with the example parameter set of its locality, exactly as the window does.
The same scenarios run through ``desk-app assess`` in test_assess_cli.py; the figures here
must agree with those.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services
from desk_app.domain.assistance.dibao import SinglePersonFacts, SupplementClass
from desk_app.domain.assistance.income import Deduction, DeductionKind, IncomeItem, IncomeSource
from desk_app.domain.assistance.scoring import ApplicantScores
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.registry import (
    DisabilityCategory,
    HouseholdCategory,
    LabourAbility,
    Relation,
    ResidenceType,
)
from desk_app.errors import ValidationError
from desk_app.services.assistance import (
    Assessment,
    HouseholdFacts,
    MemberFacts,
    facts_from_json,
    facts_to_json,
)
from desk_app.services.dto import HouseholdDetail

IdMaker = Any  # the conftest fixture make_id (tests are not a package)

WAGES, BUSINESS, OTHER = IncomeSource.WAGES, IncomeSource.BUSINESS, IncomeSource.OTHER


def _birth(age: int, on: dt.date) -> dt.date:
    # 1 January: the birthday has passed on any scenario date, so the age is exact.
    return dt.date(on.year - age, 1, 1)


def _household(
    services: Services,
    make_id: IdMaker,
    on: dt.date,
    members: list[dict[str, Any]],
    *,
    urban: bool = False,
    categories: tuple[HouseholdCategory, ...] = (),
) -> HouseholdDetail:
    """Register a household; each member dict has name, relation, age or birth, and
    PersonInput fields. Categories start a year before ``on``."""
    detail: HouseholdDetail | None = None
    for m in members:
        m = dict(m)
        relation = m.pop("relation")
        birth = m.pop("birth", None) or _birth(m.pop("age"), on)
        person = PersonInput(name=m.pop("name"), id_number=make_id(birth), **m)
        if detail is None:
            assert relation is Relation.HEAD
            detail = services.households.register(
                HouseholdInput(
                    village="红星村",
                    group_name="一组",
                    residence=ResidenceType.URBAN if urban else ResidenceType.RURAL,
                ),
                person,
            )
        else:
            detail = services.households.add_member(detail.id, person, relation)
    assert detail is not None
    for category in categories:
        detail = services.households.add_category(detail.id, category, on.replace(year=on.year - 1))
    return detail


def _ids(detail: HouseholdDetail) -> dict[str, int]:
    return {m.name: m.id for m in detail.members}


def _figures(a: Assessment) -> dict[str, str]:
    return {r.key: r.figure for r in a.rows}


def _row(a: Assessment, key: str) -> Any:
    return next(r for r in a.rows if r.key == key)


def _use(services: Services, code: str) -> None:
    services.assistance.choose(code)


# --- parameter sets --------------------------------------------------------------------


def test_the_seed_localities_ship_as_examples_with_sources(services: Services) -> None:
    sets = {r.code: r for r in services.assistance.rule_sets()}
    assert set(sets) == {"anshun", "ganxian", "yangjiang", "qingliu", "rongchang", "anhui"}
    assert all(r.example and not r.in_use for r in sets.values())
    assert services.assistance.chosen() is None
    values = {v.key: v for v in services.assistance.values("anshun") if v.value is not None}
    standard = next(
        v for v in services.assistance.values("anshun") if v.key == "dibao.standard.rural.monthly"
    )
    assert standard.value == Decimal("375")  # the newest row comes first (2020)
    assert standard.label == "农村低保标准"
    assert "seed 000_89b2e135f6acbe8f.txt" in standard.source
    assert values["tekun.multiplier"].value == Decimal("1.3")
    # Values the seeds leave open are rows with no value, never an invented default.
    illness = [
        v for v in services.assistance.values("qingliu") if v.key == "temporary.illness_multiple"
    ]
    assert [v.value for v in illness] == [None]


def test_an_example_is_read_only_and_a_copy_is_editable(services: Services) -> None:
    before = services.assistance.values("qingliu")
    with pytest.raises(ValidationError) as err:
        services.assistance.set_value(
            "qingliu", "temporary.illness_multiple", Decimal(2), dt.date(2024, 1, 1), "会议纪要"
        )
    assert [p.field for p in err.value.problems] == ["rule_set"]
    assert "复制" in err.value.problems[0].render()
    assert services.assistance.values("qingliu") == before

    copy = services.assistance.copy("qingliu", "测试镇参数集")
    assert not copy.example
    assert copy.based_on == "qingliu"
    assert copy.values == len(before)
    copied = services.assistance.values(copy.code)
    strip = ("id", "created_at", "actor")
    assert [{k: v for k, v in dataclasses.asdict(r).items() if k not in strip} for r in copied] == [
        {k: v for k, v in dataclasses.asdict(r).items() if k not in strip} for r in before
    ]

    row = services.assistance.set_value(
        copy.code,
        "temporary.illness_multiple",
        Decimal("1.5"),
        dt.date(2024, 1, 1),
        "2024年第3次党委会纪要",
    )
    assert row.value == Decimal("1.5")
    assert row.unit == "倍"
    assert row.actor == services.context.actor
    assert row.created_at == services.context.clock()
    history = [
        v for v in services.assistance.values(copy.code) if v.key == "temporary.illness_multiple"
    ]
    assert [(v.effective_from, v.value) for v in history] == [
        (dt.date(2024, 1, 1), Decimal("1.5")),
        (dt.date(2000, 1, 1), None),
    ]
    with pytest.raises(ValidationError):  # a copy's name is unique
        services.assistance.copy("anshun", "测试镇参数集")


def test_a_bad_value_names_every_field_and_writes_nothing(services: Services) -> None:
    code = services.assistance.copy("anhui", "本地").code
    before = services.assistance.values(code)
    cases = [
        ("dibao.supplement.a", Decimal("30"), "source", {"value"}),  # 30 % must be 0.3
        ("jiantui.months", Decimal("1.5"), "依据", {"value"}),
        ("temporary.annual_cap", Decimal("-1"), "依据", {"value"}),
        ("no.such.key", Decimal(1), "依据", {"key"}),
        ("jiantui.months", Decimal(6), "  ", {"source"}),
    ]
    for key, value, source, fields in cases:
        with pytest.raises(ValidationError) as err:
            services.assistance.set_value(code, key, value, dt.date(2024, 1, 1), source)
        assert {p.field for p in err.value.problems} == fields, key
    with pytest.raises(ValidationError) as err:  # the same day twice: the old row stays
        services.assistance.set_value(code, "jiantui.months", Decimal(12), dt.date(2000, 1, 1), "x")
    assert [p.field for p in err.value.problems] == ["effective_from"]
    assert services.assistance.values(code) == before


def test_choosing_a_set_is_recorded_and_the_newest_choice_wins(services: Services) -> None:
    services.assistance.choose("anshun")
    services.assistance.choose("qingliu")
    assert services.assistance.chosen() is not None
    assert services.assistance.chosen().code == "qingliu"  # type: ignore[union-attr]
    with services.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM rule_set_choice")).scalar_one()
    assert rows == 2


def test_computing_before_a_set_is_chosen_says_where_to_choose(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2020, 6, 1)
    hh = _household(services, make_id, on, [{"name": "甲", "relation": Relation.HEAD, "age": 40}])
    with pytest.raises(ValidationError) as err:
        services.assistance.assess(hh.id, HouseholdFacts(), on)
    assert err.value.problems[0].field == "rule_set"
    assert "系统设置" in err.value.problems[0].render()


# --- §7 scenarios ------------------------------------------------------------------------


def _t1(services: Services, make_id: IdMaker, wages: str) -> Assessment:
    on = dt.date(2020, 6, 1)
    _use(services, "rongchang")
    hh = _household(
        services, make_id, on,
        [
            {"name": "甲父", "relation": Relation.HEAD, "age": 48},
            {"name": "甲母", "relation": Relation.SPOUSE, "age": 46,
             "labour_ability": LabourAbility.PARTIAL},
            {"name": "甲子", "relation": Relation.SON, "age": 15},
        ],
        categories=(HouseholdCategory.DIBAO_B, HouseholdCategory.POVERTY_UNLIFTED),
    )  # fmt: skip
    ids = _ids(hh)
    facts = HouseholdFacts(
        members=(MemberFacts(ids["甲父"], incomes=(IncomeItem(WAGES, Decimal(wages)),)),),
        property_compliant=True,
        parameters={"dibao.standard.rural.monthly": Decimal(375)},
    )
    return services.assistance.assess(hh.id, facts, on)


def test_t1_registered_poor_household_stays_under_jiantui_then_leaves(
    services: Services, make_id: IdMaker
) -> None:
    stays = _t1(services, make_id, "1230")
    assert _figures(stays)["income.per_capita"] == "410.00"
    assert _figures(stays)["transition.jiantui_status"] == "渐退"
    # The standard was supplied for this computation: it is reported, not hidden.
    assert _figures(stays)["parameter.case:dibao.standard.rural.monthly"] == "375"
    leaves = _t1(services, make_id, "2400")
    assert _figures(leaves)["income.per_capita"] == "800.00"
    assert _figures(leaves)["transition.jiantui_status"] == "退出渐退（经复核办理退出）"


def test_t2_anhui_twelve_month_jiantui_and_voluntary_exit(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2021, 3, 15)
    _use(services, "anhui")
    hh = _household(
        services, make_id, on,
        [
            {"name": "乙", "relation": Relation.HEAD, "age": 52},
            {"name": "乙妻", "relation": Relation.SPOUSE, "age": 50,
             "labour_ability": LabourAbility.PARTIAL},
        ],
        categories=(HouseholdCategory.DIBAO_C,),
    )  # fmt: skip
    ids = _ids(hh)
    std = {"dibao.standard.rural.monthly": Decimal(375)}
    above = HouseholdFacts(
        members=(
            MemberFacts(ids["乙"], incomes=(IncomeItem(WAGES, Decimal(900)),),
                        dibao_class=SupplementClass.C),
            MemberFacts(ids["乙妻"], incomes=(IncomeItem(BUSINESS, Decimal(100)),)),
        ),
        last_review=dt.date(2020, 9, 30), parameters=std,
    )  # fmt: skip
    period = _figures(services.assistance.assess(hh.id, above, on))
    assert (period["transition.anhui_jiantui.start"], period["transition.anhui_jiantui.end"]) == (
        "2021-04",
        "2022-03",
    )
    assert period["review.next.dibao_c"] == "2021-03-30"  # c类: every six months (§2.3)

    leave = HouseholdFacts(
        members=(
            MemberFacts(ids["乙"], incomes=(IncomeItem(WAGES, Decimal(500)),)),
            MemberFacts(ids["乙妻"], incomes=(IncomeItem(BUSINESS, Decimal(100)),)),
        ),
        voluntary_exit=True, parameters=std,
    )  # fmt: skip
    exit_ = _figures(services.assistance.assess(hh.id, leave, on))
    assert exit_["dibao.payment"] == "150.00"
    assert (exit_["transition.voluntary_exit.low"], exit_["transition.voluntary_exit.high"]) == (
        "150.00",
        "450.00",
    )


def test_t3_qingliu_extension_from_next_month(services: Services, make_id: IdMaker) -> None:
    on = dt.date(2021, 6, 10)
    _use(services, "qingliu")
    hh = _household(
        services, make_id, on,
        [
            {"name": "丙", "relation": Relation.HEAD, "age": 45},
            {"name": "丙妻", "relation": Relation.SPOUSE, "age": 44,
             "labour_ability": LabourAbility.PARTIAL},
            {"name": "丙女", "relation": Relation.DAUGHTER, "age": 16},
        ],
        categories=(HouseholdCategory.DIBAO_B,),
    )  # fmt: skip
    facts = HouseholdFacts(
        members=(MemberFacts(_ids(hh)["丙"], incomes=(IncomeItem(WAGES, Decimal(1575)),)),),
        property_compliant=True, medical_education_or_job_difficulty=True,
        parameters={"dibao.standard.rural.monthly": Decimal(375)},
    )  # fmt: skip
    f = _figures(services.assistance.assess(hh.id, facts, on))
    assert f["income.per_capita"] == "525.00"  # 1.4 × 375
    assert f["dibao.eligibility"] == "建议列入低收入人口"
    assert (
        f["transition.qingliu_extension.start"],
        f["transition.qingliu_extension.end_earliest"],
        f["transition.qingliu_extension.end_latest"],
    ) == ("2021-07", "2021-12", "2022-06")


def test_t4_single_person_household_with_carers_over_seventy(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2021, 6, 10)
    _use(services, "qingliu")
    hh = _household(
        services, make_id, on,
        [
            {"name": "丁", "relation": Relation.HEAD, "birth": dt.date(1990, 4, 2),
             "has_disability_cert": True, "disability_cert_no": "52040219900402001X11",
             "disability_category": DisabilityCategory.PHYSICAL, "disability_grade": 1,
             "labour_ability": LabourAbility.LOST},
            {"name": "丁父", "relation": Relation.PARENT, "birth": dt.date(1946, 8, 1)},
            {"name": "丁母", "relation": Relation.PARENT, "birth": dt.date(1949, 3, 1)},
        ],
        categories=(HouseholdCategory.DIBAO_SINGLE_PERSON,),
    )  # fmt: skip
    ids = _ids(hh)
    facts = HouseholdFacts(
        members=(
            MemberFacts(ids["丁"], incomes=(IncomeItem(OTHER, Decimal(50)),)),
            MemberFacts(ids["丁父"], legal_carer=True, incomes=(
                IncomeItem(IncomeSource.BASIC_PENSION, Decimal(120)),
                IncomeItem(IncomeSource.SUPPORT, Decimal(600)))),
            MemberFacts(ids["丁母"], legal_carer=True, incomes=(IncomeItem(WAGES, Decimal(800)),)),
        ),
        financial_assets_per_capita=Decimal(2250), property_compliant=True,
        parameters={"dibao.standard.rural.monthly": Decimal(375), "single.asset_base": Decimal(1)},
    )  # fmt: skip
    f = _figures(services.assistance.assess(hh.id, facts, on))
    assert f["dibao.single_person.carer_exemption"] == "适用"
    assert f["income.per_capita"] == "50.00"  # the parents' income is not counted
    assert f["dibao.payment"] == "325.00"
    assert f["dibao.full_standard:丁"] == "375.00"


def test_t5_medical_share_with_the_elderly_bonus(services: Services, make_id: IdMaker) -> None:
    on = dt.date(2017, 6, 1)
    _use(services, "yangjiang")
    hh = _household(
        services, make_id, on,
        [
            {"name": "戊", "relation": Relation.HEAD, "age": 45},
            {"name": "戊母", "relation": Relation.PARENT, "age": 72},
        ],
        categories=(HouseholdCategory.DIBAO_B,),
    )  # fmt: skip
    ids = _ids(hh)
    members = (
        MemberFacts(ids["戊"], medical_cost=Decimal(10000)),
        MemberFacts(ids["戊母"], medical_cost=Decimal(10000)),
    )
    without = services.assistance.assess(hh.id, HouseholdFacts(members=members), on)
    # The seed names 老年人 without an age: the window asks for it instead of guessing.
    assert _figures(without)["medical.assistance:戊母"] == ""
    assert [p.key for p in without.prompts if p.key.startswith("medical")] == [
        "medical.elderly_age"
    ]
    facts = HouseholdFacts(members=members, parameters={"medical.elderly_age": Decimal(60)})
    f = _figures(services.assistance.assess(hh.id, facts, on))
    assert f["medical.assistance:戊"] == "8000.00"
    assert f["medical.assistance:戊母"] == "9000.00"


@pytest.mark.parametrize(("mental", "expected"), [(False, "集中供养"), (True, "分散供养")])
def test_t10_tekun_standard_and_care_arrangement(
    services: Services, make_id: IdMaker, mental: bool, expected: str
) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(
        services, make_id, on,
        [{"name": "己", "relation": Relation.HEAD, "birth": dt.date(1938, 2, 10),
          "labour_ability": LabourAbility.LOST, "mental_disorder": mental, "living_alone": True}],
        categories=(HouseholdCategory.TEKUN_DISPERSED,),
    )  # fmt: skip
    facts = HouseholdFacts(
        parameters={
            "dibao.standard.urban.monthly": Decimal(600),
            "tekun.institutional_age": Decimal(80),
        }
    )
    a = services.assistance.assess(hh.id, facts, on)
    assert _figures(a)["tekun.living_standard"] == "780.00"  # 1.3 × 600
    assert _figures(a)["tekun.care_arrangement:己"].startswith(expected)


def test_t12_job_cost_is_deducted_and_reviews_are_dated(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(
        services, make_id, on,
        [
            {"name": "庚", "relation": Relation.HEAD, "age": 40},
            {"name": "庚妻", "relation": Relation.SPOUSE, "age": 38,
             "labour_ability": LabourAbility.PARTIAL},
            {"name": "庚子", "relation": Relation.SON, "age": 12},
        ],
        urban=True, categories=(HouseholdCategory.DIBAO_B,),
    )  # fmt: skip
    facts = HouseholdFacts(
        members=(MemberFacts(_ids(hh)["庚"], incomes=(IncomeItem(WAGES, Decimal(1500)),)),),
        deductions=(Deduction(DeductionKind.JOB_COST, Decimal(200)),),
        income_unstable=True, last_review=dt.date(2020, 1, 15),
        parameters={"dibao.standard.urban.monthly": Decimal(600)},
    )  # fmt: skip
    a = services.assistance.assess(hh.id, facts, on)
    assert _figures(a)["income.per_capita"] == "433.33"
    assert "deductions_applied" in _row(a, "income.per_capita").flags
    assert _figures(a)["dibao.payment_per_person"] == "166.67"
    assert _figures(a)["review.next.unstable_income_able_to_work"] == "2020-07-15"


def test_temporary_aid_against_the_cap_and_the_illness_multiple_is_asked_for(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2021, 6, 10)
    code = services.assistance.copy("qingliu", "清流副本").code
    services.assistance.set_value(
        code, "dibao.standard.urban.monthly", Decimal(700), dt.date(2021, 1, 1), "县民政局通知"
    )
    _use(services, code)
    hh = _household(
        services, make_id, on,
        [{"name": "子", "relation": Relation.HEAD, "age": 60, "major_illness": True}],
    )  # fmt: skip
    facts = HouseholdFacts(
        temporary_requested=Decimal(8000),
        temporary_granted_this_year=Decimal(15000),
        temporary_illness=True,
    )
    a = services.assistance.assess(hh.id, facts, on)
    f = _figures(a)
    assert f["temporary.within_cap"] == "5000.00"  # 20,000 cap − 15,000 granted
    assert "case_by_case" in _row(a, "temporary.within_cap").flags  # 一事一议
    assert f["temporary.approval_level"] == "县级审批"  # 8,000 > township limit 5,000
    # xx 倍 in the seed: no default, the window asks.
    assert f["temporary.illness_amount"] == ""
    prompts = {p.key: p for p in a.prompts}
    assert "xx 倍" in prompts["temporary.illness_multiple"].help
    # The 清流 set has no rural standard either: the payment rows ask for it too.
    assert set(prompts) == {"temporary.illness_multiple", "dibao.standard.rural.monthly"}

    given = dataclasses.replace(facts, parameters={"temporary.illness_multiple": Decimal(2)})
    b = services.assistance.assess(hh.id, given, on)
    assert _figures(b)["temporary.illness_amount"] == "1400.00"
    assert [p.key for p in b.prompts] == ["dibao.standard.rural.monthly"]


def test_t19_de_facto_hardship_single_person(services: Services, make_id: IdMaker) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(services, make_id, on, [{"name": "辛", "relation": Relation.HEAD, "age": 78}])
    facts = HouseholdFacts(
        members=(
            MemberFacts(
                _ids(hh)["辛"], incomes=(IncomeItem(IncomeSource.BASIC_PENSION, Decimal(120)),)
            ),
        ),
        property_compliant=True,
        single_person=SinglePersonFacts(
            lonely_elderly=True, depends_on_family=True, carers_ability_proof=False,
            deliberation_found_hardship=True, notice_objection=False,
        ),
    )  # fmt: skip
    f = _figures(services.assistance.assess(hh.id, facts, on))
    assert f["dibao.single_person.de_facto_hardship"] == "建议按单人户审核"
    assert f["income.per_capita"] == "0.00"  # the basic pension is excluded


def test_t22_only_part_of_the_household_covered_is_flagged(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(
        services, make_id, on,
        [
            {"name": "壬", "relation": Relation.HEAD, "age": 55, "has_disability_cert": True,
             "disability_cert_no": "X1", "disability_category": DisabilityCategory.PHYSICAL,
             "disability_grade": 2},
            {"name": "壬妻", "relation": Relation.SPOUSE, "age": 53, "has_disability_cert": True,
             "disability_cert_no": "X2", "disability_category": DisabilityCategory.VISUAL,
             "disability_grade": 3},
            {"name": "壬子", "relation": Relation.SON, "age": 25},
            {"name": "壬孙", "relation": Relation.GRANDCHILD, "age": 3},
        ],
        categories=(HouseholdCategory.DIBAO_B,),
    )  # fmt: skip
    ids = _ids(hh)
    facts = HouseholdFacts(
        members=(
            MemberFacts(ids["壬"], covered=True, incomes=(IncomeItem(WAGES, Decimal(400)),)),
            MemberFacts(ids["壬妻"], covered=False),
            MemberFacts(ids["壬子"], covered=False, incomes=(IncomeItem(WAGES, Decimal(600)),)),
            MemberFacts(ids["壬孙"], covered=False),
        )
    )
    a = services.assistance.assess(hh.id, facts, on)
    assert _figures(a)["dibao.coverage"] == "部分"
    assert "whole_household_review" in _row(a, "dibao.coverage").flags


def test_t23_relocated_household_is_computed_at_the_urban_standard(
    services: Services, make_id: IdMaker
) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(
        services, make_id, on,
        [
            {"name": "癸", "relation": Relation.HEAD, "age": 50},
            {"name": "癸妻", "relation": Relation.SPOUSE, "age": 49},
        ],
        urban=True, categories=(HouseholdCategory.DIBAO_B, HouseholdCategory.RELOCATED),
    )  # fmt: skip
    facts = HouseholdFacts(
        members=(MemberFacts(_ids(hh)["癸"], incomes=(IncomeItem(WAGES, Decimal(700)),)),),
        temporary_requested=Decimal(1000),
        parameters={"dibao.standard.urban.monthly": Decimal(600)},
    )
    a = services.assistance.assess(hh.id, facts, on)
    assert a.urban
    assert _figures(a)["dibao.payment_per_person"] == "250.00"
    assert _row(a, "temporary.cap_room").missing == ("临时救助家庭年度上限",)
    assert "temporary.annual_cap" in [p.key for p in a.prompts]


def test_t27_income_below_the_standard_proposes_dibao(services: Services, make_id: IdMaker) -> None:
    on = dt.date(2020, 6, 1)
    _use(services, "anshun")
    hh = _household(
        services, make_id, on,
        [
            {"name": "甲妇", "relation": Relation.HEAD, "age": 42,
             "labour_ability": LabourAbility.PARTIAL},
            {"name": "甲妇女儿", "relation": Relation.DAUGHTER, "age": 17},
        ],
    )  # fmt: skip
    facts = HouseholdFacts(
        members=(MemberFacts(_ids(hh)["甲妇"], incomes=(IncomeItem(WAGES, Decimal(720)),)),),
        property_compliant=True,
    )
    f = _figures(services.assistance.assess(hh.id, facts, on))
    assert f["income.per_capita"] == "360.00"
    assert f["dibao.eligibility"] == "建议纳入低保"
    assert f["dibao.payment_per_person"] == "15.00"


def test_t25_reverse_ranking_with_the_weight_from_the_set(services: Services) -> None:
    code = services.assistance.copy("anshun", "评议权重").code
    _use(services, code)
    scores = (
        ApplicantScores("A", Decimal(30), Decimal(20), Decimal(10), Decimal(20)),
        ApplicantScores("B", Decimal(10), Decimal(25), Decimal(15), Decimal(10)),
        ApplicantScores("C", Decimal(40), Decimal(30), Decimal(20), Decimal(30)),
        ApplicantScores("D", Decimal(20), Decimal(20), Decimal(20), Decimal(20)),
        ApplicantScores("E", Decimal(5), Decimal(5), Decimal(5), None),
    )
    open_weight = services.assistance.rank(scores, dt.date(2020, 6, 1))
    assert all(r.figure == "" for r in open_weight if r.key.startswith("scoring.rank"))
    services.assistance.set_value(
        code, "scoring.deliberation_weight", Decimal("0.5"), dt.date(2020, 1, 1), "村民代表会议"
    )
    ranks = [
        (r.key, r.figure)
        for r in services.assistance.rank(scores, dt.date(2020, 6, 1))
        if r.key.startswith("scoring.rank")
    ]
    assert ranks == [
        ("scoring.rank:C", "1"),
        ("scoring.rank:A", "2"),
        ("scoring.rank:D", "3"),
        ("scoring.rank:B", "4"),
        ("scoring.rank:E", ""),
    ]


# --- decisions -----------------------------------------------------------------------------


@pytest.fixture
def t27(services: Services, make_id: IdMaker) -> tuple[int, HouseholdFacts, str]:
    code = services.assistance.copy("anshun", "本镇").code
    _use(services, code)
    on = dt.date(2020, 6, 1)
    hh = _household(
        services, make_id, on,
        [
            {"name": "甲妇", "relation": Relation.HEAD, "age": 42},
            {"name": "甲妇女儿", "relation": Relation.DAUGHTER, "age": 17},
        ],
    )  # fmt: skip
    facts = HouseholdFacts(
        members=(MemberFacts(_ids(hh)["甲妇"], incomes=(IncomeItem(WAGES, Decimal(720)),)),),
        property_compliant=True,
    )
    return hh.id, facts, code


def test_a_differing_decision_needs_a_reason_and_failing_writes_nothing(
    services: Services, t27: tuple[int, HouseholdFacts, str]
) -> None:
    household_id, facts, _ = t27
    on = dt.date(2020, 6, 1)
    with pytest.raises(ValidationError) as err:
        services.assistance.record_decision(household_id, facts, "dibao.payment", "100", "", on)
    assert [p.field for p in err.value.problems] == ["reason"]
    assert "理由" in err.value.problems[0].label
    with pytest.raises(ValidationError) as err:
        services.assistance.record_decision(household_id, facts, "no.such", "", "", on)
    assert {p.field for p in err.value.problems} == {"subject", "decided"}
    assert services.assistance.decisions(household_id) == ()

    agreed = services.assistance.record_decision(household_id, facts, "dibao.payment", "30", "", on)
    assert (agreed.proposed, agreed.decided, agreed.differs) == ("30.00", "30", False)
    differs = services.assistance.record_decision(
        household_id, facts, "dibao.payment", "0", "民主评议认为家庭有隐性收入", on
    )
    assert differs.differs
    assert differs.reason == "民主评议认为家庭有隐性收入"
    assert differs.actor == services.context.actor
    assert [d.id for d in services.assistance.decisions(household_id)] == [differs.id, agreed.id]


def test_changing_a_parameter_never_rewrites_a_past_decision(
    services: Services, t27: tuple[int, HouseholdFacts, str]
) -> None:
    household_id, facts, code = t27
    on = dt.date(2020, 6, 1)
    services.assistance.record_decision(household_id, facts, "dibao.payment", "30.00", "", on)
    services.assistance.set_value(
        code, "dibao.standard.rural.monthly", Decimal(400), dt.date(2020, 5, 1), "新标准"
    )
    now = _figures(services.assistance.assess(household_id, facts, on))
    assert now["dibao.payment"] == "80.00"  # (400 − 360) × 2: the new value applies to new work
    (decision,) = services.assistance.decisions(household_id)
    assert decision.proposed == "30.00"
    assert {r.key: r.figure for r in decision.rows}["dibao.payment"] == "30.00"
    with services.engine.connect() as conn:
        snapshot = json.loads(
            conn.execute(text("SELECT snapshot FROM assessment_record")).scalar_one()
        )
    assert snapshot["parameters"]["dibao.standard.rural.monthly"]["value"] == "375"
    assert snapshot["rule_set"]["code"] == code


def test_the_last_decisions_facts_come_back_for_the_next_computation(
    services: Services, t27: tuple[int, HouseholdFacts, str]
) -> None:
    household_id, facts, _ = t27
    empty = services.assistance.facts_for(household_id)
    assert len(empty.members) == 2
    assert all(m.incomes == () for m in empty.members)
    rich = dataclasses.replace(
        facts,
        deductions=(Deduction(DeductionKind.SCHOOLING, Decimal("12.5")),),
        financial_assets_per_capita=Decimal("1000.10"),
        current_dibao_monthly=Decimal(30),
        temporary_requested=Decimal(500),
        temporary_illness=True,
        last_review=dt.date(2020, 1, 1),
        single_person=SinglePersonFacts(adult=True, rural=True),
        parameters={"temporary.illness_multiple": Decimal("1.5")},
    )
    services.assistance.record_decision(
        household_id, rich, "dibao.payment", "0", "按评议意见", dt.date(2020, 6, 1)
    )
    assert services.assistance.facts_for(household_id) == rich


def test_facts_survive_a_json_round_trip() -> None:
    facts = HouseholdFacts(
        members=(
            MemberFacts(
                7,
                incomes=(IncomeItem(WAGES, Decimal("1.10")),),
                covered=False,
                dibao_class=SupplementClass.A,
                legal_carer=True,
                counted=False,
                medical_cost=Decimal(3),
                other_medical_subsidies=Decimal("0.5"),
            ),
        ),
        property_compliant=False,
    )
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


def test_bad_facts_are_refused_with_the_field_named(
    services: Services, t27: tuple[int, HouseholdFacts, str]
) -> None:
    household_id, facts, _ = t27
    bad = dataclasses.replace(
        facts,
        temporary_requested=Decimal(-5),
        parameters={"medical.base_rate": Decimal(80)},  # 80 % must be entered as 0.8
    )
    with pytest.raises(ValidationError) as err:
        services.assistance.assess(household_id, bad)
    assert {p.field for p in err.value.problems} == {
        "temporary_requested",
        "parameter.medical.base_rate",
    }


def test_the_migrated_examples_match_the_shipped_parameter_file(services: Services) -> None:
    """Migration 0003 seeds a frozen copy of localities.json; if the file changes, a new
    migration must bring existing databases along, and this test says so."""
    from desk_app.domain.assistance.locality import load_localities

    in_db = services.assistance.rules_by_code()
    for shipped in load_localities():
        stored = in_db[shipped.code]
        assert stored.name == shipped.name
        assert sorted(stored.values, key=repr) == sorted(shipped.values, key=repr), shipped.code
