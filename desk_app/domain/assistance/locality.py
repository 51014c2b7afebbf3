"""Per-locality parameter sets for the assistance rules (domain.md §0 design consequence).

``localities.json`` next to this module ships the seeds' localities as examples. Every
value has an effective date and its source; a value the seeds do not give for that locality
is ``null`` (never an invented default), and the computation that needs it lists it as
missing. Pure: no database; a township's own copy is a later concern.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

Value = Decimal | int | None

# Units whose values are whole numbers (months, years of age); everything else is Decimal.
INT_UNITS = frozenset({"月", "周岁", "开关"})


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """One dated value of one parameter."""

    key: str
    value: Value
    unit: str
    effective_from: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class LocalityRules:
    """A locality's parameter set; :meth:`value` answers for a given day."""

    code: str
    name: str
    values: tuple[ParameterValue, ...]

    def _in_force(self, key: str, on: dt.date) -> ParameterValue | None:
        found = [v for v in self.values if v.key == key and v.effective_from <= on]
        return max(found, key=lambda v: v.effective_from) if found else None

    def value(self, key: str, on: dt.date) -> Value:
        """The value in force on ``on`` (latest ``effective_from`` not after it), else None."""
        entry = self._in_force(key, on)
        return None if entry is None else entry.value

    def source(self, key: str, on: dt.date | None = None) -> str | None:
        """Where the value comes from: the entry in force on ``on``, or the latest entry."""
        if on is not None:
            entry = self._in_force(key, on)
            return None if entry is None else entry.source
        found = [v for v in self.values if v.key == key]
        return max(found, key=lambda v: v.effective_from).source if found else None

    def unit(self, key: str) -> str | None:
        return next((v.unit for v in self.values if v.key == key), None)

    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.key for v in self.values))


def _number(raw: object, unit: str, where: str) -> Value:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        raise ValueError(f"{where}：value 应为数字或 null")
    if unit in INT_UNITS:
        if isinstance(raw, Decimal) and raw != raw.to_integral_value():
            raise ValueError(f"{where}：单位为{unit}的值应为整数")
        return int(raw)
    return Decimal(raw)


def parse_localities(text: str) -> tuple[LocalityRules, ...]:
    """Read the parameter-set JSON; raises ValueError naming the bad entry."""
    data: Any = json.loads(text, parse_float=Decimal)
    out: list[LocalityRules] = []
    for i, loc in enumerate(data["localities"]):
        values: list[ParameterValue] = []
        for j, item in enumerate(loc["values"]):
            where = f"localities[{i}].values[{j}]"
            unit = str(item["unit"])
            values.append(
                ParameterValue(
                    key=str(item["key"]),
                    value=_number(item["value"], unit, where),
                    unit=unit,
                    effective_from=dt.date.fromisoformat(str(item["effective_from"])),
                    source=str(item["source"]),
                )
            )
        out.append(LocalityRules(str(loc["code"]), str(loc["name"]), tuple(values)))
    codes = [r.code for r in out]
    if len(set(codes)) != len(codes):
        raise ValueError("localities：地区代码重复")
    return tuple(out)


@cache
def load_localities() -> tuple[LocalityRules, ...]:
    """The shipped example parameter sets."""
    text = resources.files(__package__).joinpath("localities.json").read_text(encoding="utf-8")
    return parse_localities(text)


def codes() -> tuple[str, ...]:
    return tuple(r.code for r in load_localities())


def rules_for(code: str) -> LocalityRules | None:
    return next((r for r in load_localities() if r.code == code), None)
