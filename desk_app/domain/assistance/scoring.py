"""“3+1” 综合测评: three quantified scores plus the weighted 民主评议 score (domain.md §4.1).

The seeds give no scales, weights or cut-offs (domain.md §8 item 4). Convention here: every
score is hardship points, higher = more deprived, so the reverse ranking (倒排序, most
deprived first) sorts by combined score, highest first. The ranking is decision support:
it never admits or denies anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.assistance.result import Computation

BASIS = "domain.md §4.1；seed 002_20f40e1960017597.txt"


@dataclass(frozen=True, slots=True)
class ApplicantScores:
    """One applicant's entered scores; ``deliberation`` is None until the meeting has scored."""

    applicant_id: str
    health: Decimal
    income: Decimal
    property: Decimal
    deliberation: Decimal | None


def combined_score(
    applicant: ApplicantScores, *, deliberation_weight: Decimal | None
) -> Computation:
    """health + income + property + weight × 民主评议."""
    key = f"scoring.combined:{applicant.applicant_id}"
    quantified = applicant.health + applicant.income + applicant.property
    missing = tuple(
        name
        for name, value in (
            ("民主评议权重", deliberation_weight),
            ("民主评议得分", applicant.deliberation),
        )
        if value is None
    )
    head = (
        f"{applicant.applicant_id}：身体状况{applicant.health}+家庭收入{applicant.income}"
        f"+家庭财产{applicant.property}={quantified}"
    )
    if deliberation_weight is None or applicant.deliberation is None:
        return Computation(
            key, None, head + "；民主评议部分未齐，暂不计综合分", BASIS, missing=missing
        )
    total = quantified + deliberation_weight * applicant.deliberation
    return Computation(
        key,
        total,
        head + f"，加民主评议{applicant.deliberation}×权重{deliberation_weight}，综合{total}",
        BASIS,
    )


def rank_applicants(
    applicants: Sequence[ApplicantScores], *, deliberation_weight: Decimal | None
) -> tuple[Computation, ...]:
    """Reverse ranking, most deprived first (T25); one Computation per applicant, in rank order.

    ``key`` is ``scoring.rank:<applicant_id>`` and ``figure`` the position (1 = most deprived).
    Equal scores keep the applicants' order and are flagged ``tie``. Applicants without a
    combined score come last, in their order, with figure None.
    """
    scored = [(a, combined_score(a, deliberation_weight=deliberation_weight)) for a in applicants]
    complete = [(a, c) for a, c in scored if isinstance(c.figure, Decimal)]
    incomplete = [(a, c) for a, c in scored if not isinstance(c.figure, Decimal)]
    # sorted() is stable, so ties stay in applicant order.
    complete.sort(key=lambda pair: -_score(pair[1]))
    totals = [_score(c) for _, c in complete]
    out: list[Computation] = []
    for position, (applicant, score) in enumerate(complete, start=1):
        tied = totals.count(_score(score)) > 1
        out.append(
            Computation(
                f"scoring.rank:{applicant.applicant_id}",
                position,
                f"{score.rule}；倒排序第{position}位（共{len(complete)}人参与排序）"
                + ("，与他人同分，按申请顺序排列" if tied else "")
                + "；排序仅供评议参考，不自动决定纳入与否",
                BASIS,
                ("tie",) if tied else (),
            )
        )
    for applicant, score in incomplete:
        out.append(
            Computation(
                f"scoring.rank:{applicant.applicant_id}",
                None,
                score.rule + "；未参与排序",
                BASIS,
                ("not_ranked",),
                score.missing,
            )
        )
    return tuple(out)


def _score(computation: Computation) -> Decimal:
    assert isinstance(computation.figure, Decimal)  # only complete scores reach here
    return computation.figure
