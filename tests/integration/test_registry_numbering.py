"""户编号 come from one counter on the site row, used by registration and demo data alike."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from desk_app.demo import generate_demo
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.errors import ConflictError, ValidationError

TOWNSHIP_CODE = "520402102000"  # the code conftest saves for the site


def household_seq(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(text("SELECT household_seq FROM site")).scalar_one()


def set_household_seq(services, value: int) -> None:
    with services.unit_of_work(write=True) as uow:
        uow.session.execute(text("UPDATE site SET household_seq = :v"), {"v": value})
        uow.commit()


def test_registering_advances_the_sites_counter(services, register) -> None:
    assert household_seq(services) == 0
    first = register("张伟")
    assert first.number == f"{TOWNSHIP_CODE}-00001"
    assert household_seq(services) == 1
    # The counter, not the highest number stored, decides: a number once handed out is
    # never handed out again, even if that household's row is gone.
    set_household_seq(services, 41)
    assert register("李伟明").number == f"{TOWNSHIP_CODE}-00042"
    assert household_seq(services) == 42


def test_numbers_grow_past_five_digits(services, register) -> None:
    set_household_seq(services, 99_998)
    assert register("张伟").number == f"{TOWNSHIP_CODE}-99999"
    assert register("李伟明").number == f"{TOWNSHIP_CODE}-100000"
    assert household_seq(services) == 100_000


def test_a_refused_registration_gives_its_number_back(services, register, make_id) -> None:
    number = make_id()
    register("张伟", number)
    with pytest.raises(ConflictError):
        register("张伟", number)
    assert household_seq(services) == 1
    assert register("李伟明").number == f"{TOWNSHIP_CODE}-00002"


def test_register_without_a_site_is_refused(bare_services, make_id, dump) -> None:
    before = dump(bare_services)
    with pytest.raises(ValidationError) as caught:
        bare_services.households.register(HouseholdInput("村"), PersonInput("张伟", make_id()))
    [problem] = caught.value.problems
    assert (problem.field, problem.label) == ("site", "窗口信息")
    assert "设置 → 窗口与经办人" in problem.message.render()
    assert dump(bare_services) == before


def test_demo_data_takes_its_numbers_from_the_same_counter(services, register, make_id) -> None:
    register("张伟")
    set_household_seq(services, 500)
    summary = generate_demo(services, 30, seed=11)
    assert household_seq(services) == 530
    with services.engine.connect() as conn:
        numbers = conn.execute(text("SELECT number FROM household ORDER BY id")).scalars().all()
    assert numbers == [f"{TOWNSHIP_CODE}-00001"] + [
        f"{TOWNSHIP_CODE}-{seq:05d}" for seq in range(501, 531)
    ]
    assert summary.households == 30
    after = services.households.register(
        HouseholdInput("村"), PersonInput("王芳", make_id(dt.date(1990, 1, 1), female=True))
    )
    assert after.number == f"{TOWNSHIP_CODE}-00531"
