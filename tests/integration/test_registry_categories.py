"""Household categories on a real SQLite file: no double records, no exclusive pairs."""

from __future__ import annotations

import datetime as dt

import pytest

from desk_app.domain.registry import HouseholdCategory
from desk_app.errors import ValidationError

D = dt.date
HC = HouseholdCategory


@pytest.fixture
def household(register):
    return register("张伟")


def test_ending_a_category_twice_is_refused(services, household, dump) -> None:
    [record] = services.households.add_category(household.id, HC.DIBAO_B, D(2023, 1, 1)).categories
    services.households.end_category(record.id, D(2024, 3, 31))
    before = dump(services)
    with pytest.raises(ValidationError) as caught:
        services.households.end_category(record.id, D(2024, 5, 31))
    [problem] = caught.value.problems
    assert problem.field == "end_date"
    assert "2024-03-31" in problem.message.render()
    assert dump(services) == before
    assert services.households.get(household.id).categories[0].end_date == D(2024, 3, 31)


def test_the_same_category_twice_at_one_time_is_refused(services, household, dump) -> None:
    services.households.add_category(household.id, HC.LOW_INCOME, D(2022, 1, 1), D(2022, 12, 31))
    before = dump(services)
    with pytest.raises(ValidationError) as caught:
        services.households.add_category(household.id, HC.LOW_INCOME, D(2022, 12, 31))
    [problem] = caught.value.problems
    assert problem.field == "start_date"
    assert "低收入" in problem.message.render()
    assert "2022-01-01 至 2022-12-31" in problem.message.render()
    assert dump(services) == before
    # after the old record's end, or wholly before it: allowed
    services.households.add_category(household.id, HC.LOW_INCOME, D(2023, 1, 1))
    services.households.add_category(household.id, HC.LOW_INCOME, D(2020, 1, 1), D(2020, 6, 30))
    assert len(services.households.get(household.id).categories) == 3


@pytest.mark.parametrize(
    ("existing", "added"),
    [
        (HC.DIBAO_A, HC.DIBAO_B),
        (HC.DIBAO_C, HC.DIBAO_A),
        (HC.TEKUN_CENTRALIZED, HC.TEKUN_DISPERSED),
        (HC.DIBAO_B, HC.TEKUN_DISPERSED),
        (HC.TEKUN_CENTRALIZED, HC.DIBAO_C),
        (HC.POVERTY_UNLIFTED, HC.POVERTY_LIFTED),
        (HC.POVERTY_LIFTED, HC.POVERTY_RELAPSED),
    ],
)
def test_exclusive_categories_at_one_time_are_refused(
    services, household, dump, existing: HouseholdCategory, added: HouseholdCategory
) -> None:
    services.households.add_category(household.id, existing, D(2023, 1, 1))
    before = dump(services)
    with pytest.raises(ValidationError) as caught:
        services.households.add_category(household.id, added, D(2024, 1, 1))
    [problem] = caught.value.problems
    assert problem.field == "category"
    shown = problem.message.render()
    assert f"“{existing.label}”" in shown  # names the record in the way
    assert "2023-01-01 至 今" in shown
    assert dump(services) == before


def test_a_change_of_class_is_ending_the_old_one_first(services, household, safe_dto) -> None:
    added = services.households.add_category(household.id, HC.DIBAO_B, D(2023, 1, 1))
    [b] = added.categories
    ended = services.households.end_category(b.id, D(2024, 5, 31))
    detail = services.households.add_category(household.id, HC.DIBAO_A, D(2024, 6, 1))
    assert sorted(c.category for c in detail.categories) == ["dibao_a", "dibao_b"]
    for result in (added, ended, detail):
        safe_dto(result)


@pytest.mark.parametrize(
    ("existing", "added"),
    [
        (HC.DIBAO_A, HC.DIBAO_SINGLE_PERSON),  # a way of covering under 低保, not a class
        (HC.DIBAO_B, HC.DIBAO_SEPARATE),
        (HC.DIBAO_A, HC.POVERTY_LIFTED),
        (HC.TEKUN_DISPERSED, HC.POVERTY_UNLIFTED),
        (HC.POVERTY_LIFTED, HC.MONITORED),
        (HC.LOW_INCOME, HC.ZERO_EMPLOYMENT),
    ],
)
def test_categories_that_may_stand_together(
    services, household, existing: HouseholdCategory, added: HouseholdCategory
) -> None:
    services.households.add_category(household.id, existing, D(2023, 1, 1))
    detail = services.households.add_category(household.id, added, D(2024, 1, 1))
    assert {c.category for c in detail.categories} == {existing.value, added.value}
