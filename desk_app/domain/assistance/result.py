"""The shape every assistance computation returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    """Round an amount the way a parameter set says (default: to the fen, half up)."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Computation:
    """One figure with its explanation.

    Attributes:
        key: stable identifier of the computation (e.g. ``dibao.payment``).
        figure: the number (money in 元, a count, a share, a date as ISO text) or None when
            the rule does not apply or a parameter is missing.
        rule: the rule applied, in Chinese, with the numbers used.
        basis: domain.md section(s) and seed file(s).
        flags: short machine-readable findings (e.g. ``partial_coverage``).
        missing: parameters the rule needs but the set leaves open (xx 倍, xx 小时 …).
    """

    key: str
    figure: Decimal | int | str | None
    rule: str
    basis: str
    flags: tuple[str, ...] = field(default=())
    missing: tuple[str, ...] = field(default=())
