"""Per-locality parameter sets (issue #5; domain.md §0): loading, effective dates, nulls."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from desk_app.domain.assistance.locality import (
    codes,
    load_localities,
    parse_localities,
    rules_for,
)

D = dt.date
EXPECTED_KEYS = {
    "dibao.standard.rural.monthly",
    "dibao.standard.urban.monthly",
    "dibao.supplement.a",
    "dibao.supplement.b",
    "jiantui.exit_multiple",
    "jiantui.months",
    "exit.voluntary_min_months",
    "exit.voluntary_max_months",
    "extension.min_months",
    "extension.max_months",
    "tekun.multiplier",
    "temporary.annual_cap",
    "temporary.township_limit",
    "temporary.illness_multiple",
    "medical.base_rate",
    "medical.bonus_points",
    "medical.elderly_age",
    "single.carer_age_over",
    "single.asset_multiple",
    "single.asset_base",
    "low_income.multiple",
    "scoring.deliberation_weight",
    "review.ab_months",
    "review.c_months",
}


def test_the_seed_localities_ship() -> None:
    assert codes() == ("anshun", "ganxian", "yangjiang", "qingliu", "rongchang", "anhui")
    assert rules_for("nowhere") is None


@pytest.mark.parametrize(
    "code", ["anshun", "ganxian", "yangjiang", "qingliu", "rongchang", "anhui"]
)
def test_every_locality_lists_every_key_with_a_source(code: str) -> None:
    rules = rules_for(code)
    assert rules is not None
    assert set(rules.keys()) >= EXPECTED_KEYS
    for v in rules.values:
        assert v.source.startswith("domain.md §"), v
        assert v.unit


def test_anshun_standard_follows_the_effective_date() -> None:
    rules = rules_for("anshun")
    assert rules is not None
    key = "dibao.standard.rural.monthly"
    assert rules.value(key, D(2017, 12, 31)) is None
    assert rules.value(key, D(2018, 1, 1)) == Decimal("325.67")
    assert rules.value(key, D(2019, 12, 31)) == Decimal("325.67")
    assert rules.value(key, D(2020, 1, 1)) == Decimal(375)
    assert "4,500" in (rules.source(key, D(2020, 6, 1)) or "")
    assert "3,908" in (rules.source(key, D(2019, 6, 1)) or "")
    assert "4,500" in (rules.source(key) or "")  # the latest entry


def test_values_the_seeds_do_not_give_are_null() -> None:
    on = D(2021, 6, 1)
    anshun = rules_for("anshun")
    yangjiang = rules_for("yangjiang")
    assert anshun is not None
    assert yangjiang is not None
    assert anshun.value("dibao.standard.urban.monthly", on) is None
    assert yangjiang.value("medical.elderly_age", on) is None
    for rules in load_localities():
        assert rules.value("temporary.illness_multiple", on) is None
        assert rules.value("single.asset_base", on) is None
        assert rules.value("scoring.deliberation_weight", on) is None


def test_seed_values_and_types() -> None:
    on = D(2021, 6, 1)
    q, r, a, y = (rules_for(c) for c in ("qingliu", "rongchang", "anhui", "yangjiang"))
    assert q is not None
    assert r is not None
    assert a is not None
    assert y is not None
    assert q.value("temporary.annual_cap", on) == Decimal(20000)
    assert q.value("temporary.township_limit", on) == Decimal(5000)
    assert q.value("single.carer_age_over", on) == 70
    assert isinstance(q.value("single.carer_age_over", on), int)
    assert q.value("single.asset_multiple", on) == Decimal(8)
    assert (q.value("extension.min_months", on), q.value("extension.max_months", on)) == (6, 12)
    assert q.value("low_income.multiple", on) == Decimal(2)
    assert r.value("jiantui.exit_multiple", on) == Decimal(2)
    assert r.value("tekun.multiplier", on) == Decimal("1.3")
    assert r.value("tekun.multiplier", D(2020, 3, 17)) is None
    assert a.value("dibao.supplement.a", on) == Decimal("0.30")
    assert a.value("dibao.supplement.b", on) == Decimal("0.20")
    assert a.value("jiantui.months", on) == 12
    assert (a.value("exit.voluntary_min_months", on), a.value("exit.voluntary_max_months", on)) == (
        1,
        3,
    )
    assert (a.value("review.ab_months", on), a.value("review.c_months", on)) == (12, 6)
    assert y.value("medical.base_rate", on) == Decimal("0.80")
    assert y.value("medical.bonus_points", on) == Decimal("0.10")
    assert y.value("medical.base_rate", D(2016, 12, 31)) is None


def test_unknown_key_is_none() -> None:
    rules = rules_for("anhui")
    assert rules is not None
    assert rules.value("no.such.key", D(2021, 1, 1)) is None
    assert rules.source("no.such.key") is None


def _doc(value: object, unit: str) -> str:
    return json.dumps(
        {
            "localities": [
                {
                    "code": "x",
                    "name": "X",
                    "values": [
                        {
                            "key": "k",
                            "value": value,
                            "unit": unit,
                            "effective_from": "2020-01-01",
                            "source": "domain.md §0",
                        }
                    ],
                }
            ]
        }
    )


def test_parse_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match=r"values\[0\]"):
        parse_localities(_doc("12", "月"))
    with pytest.raises(ValueError, match="整数"):
        parse_localities(_doc(1.5, "月"))
    (rules,) = parse_localities(_doc(1.5, "倍"))
    assert rules.value("k", D(2020, 1, 1)) == Decimal("1.5")
