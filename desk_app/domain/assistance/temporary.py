"""临时救助: annual family cap, approval level and the illness-caused amount (domain.md §1.5)."""

from __future__ import annotations

from decimal import Decimal

from desk_app.domain.assistance.result import Computation, money

BASIS_CAP = "domain.md §1.5；seed 003_538988cd989ea5d8.txt 篇十五"
BASIS_APPROVAL = (
    "domain.md §1.5；seed 003_538988cd989ea5d8.txt 篇十五；seed 004_9aab8ecee895941a.txt"
)
BASIS_ILLNESS = "domain.md §1.5；seed 003_538988cd989ea5d8.txt 篇九"

LEVEL_TOWNSHIP = "乡镇审批"
LEVEL_COUNTY = "县级审批"


def _check(**amounts: Decimal) -> None:
    for name, value in amounts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def temporary_aid_against_cap(
    *, requested: Decimal, granted_this_year: Decimal, annual_cap: Decimal | None
) -> tuple[Computation, Computation]:
    """Room left under the family's annual cap (清流 20,000) and the part of ``requested``
    that fits. Returns (remaining room, amount within the cap).

    Going over the cap is not refused: the excess is flagged ``exceeds_cap`` and
    ``case_by_case`` (一事一议) for the people who decide.
    """
    _check(requested=requested, granted_this_year=granted_this_year)
    if annual_cap is None:
        rule = f"本次申请{requested}元，本年已救助{granted_this_year}元；缺少家庭年度救助上限"
        return (
            Computation(
                "temporary.cap_room", None, rule, BASIS_CAP, missing=("临时救助家庭年度上限",)
            ),
            Computation(
                "temporary.within_cap", None, rule, BASIS_CAP, missing=("临时救助家庭年度上限",)
            ),
        )
    room = money(max(Decimal(0), annual_cap - granted_this_year))
    within = money(min(requested, room))
    flags: tuple[str, ...] = ()
    rule = f"家庭年度上限{annual_cap}元，本年已救助{granted_this_year}元，尚余{room}元；本次申请{requested}元"
    if requested > room:
        excess = money(requested - room)
        flags = ("exceeds_cap", "case_by_case")
        rule += f"，超出{excess}元：上限内可救助{within}元，超出部分属特别困难的按“一事一议”研究"
    else:
        rule += f"，未超上限，可救助{within}元"
    return (
        Computation("temporary.cap_room", room, rule, BASIS_CAP, flags),
        Computation("temporary.within_cap", within, rule, BASIS_CAP, flags),
    )


def temporary_aid_approval_level(*, amount: Decimal, township_limit: Decimal | None) -> Computation:
    """分级审批: up to the township limit (清流 5,000) the township approves; above it, the county."""
    _check(amount=amount)
    key = "temporary.approval_level"
    if township_limit is None:
        return Computation(
            key,
            None,
            f"救助金额{amount}元；缺少乡镇审批权限额度",
            BASIS_APPROVAL,
            missing=("乡镇审批限额",),
        )
    if amount <= township_limit:
        return Computation(
            key,
            LEVEL_TOWNSHIP,
            f"救助金额{amount}元，不超过乡镇审批限额{township_limit}元：由乡镇审批",
            BASIS_APPROVAL,
            ("township",),
        )
    return Computation(
        key,
        LEVEL_COUNTY,
        f"救助金额{amount}元，超过乡镇审批限额{township_limit}元：报县级民政部门审批",
        BASIS_APPROVAL,
        ("county",),
    )


def illness_temporary_aid(*, urban_dibao_monthly: Decimal, multiple: Decimal | None) -> Computation:
    """Illness-caused temporary hardship = ``multiple`` × the urban 低保 standard.

    The seed leaves the multiple as "xx倍", so there is no default: without it the figure is None.
    """
    _check(urban_dibao_monthly=urban_dibao_monthly)
    key = "temporary.illness_amount"
    if multiple is None:
        return Computation(
            key,
            None,
            f"因病临时救助按城市低保标准（{urban_dibao_monthly}元/月）的若干倍计发；倍数未设定（种子为“xx倍”）",
            BASIS_ILLNESS,
            missing=("因病临时救助倍数",),
        )
    figure = money(urban_dibao_monthly * multiple)
    return Computation(
        key,
        figure,
        f"因病临时救助：城市低保标准{urban_dibao_monthly}元×{multiple}倍={figure}元；重大困难可“一事一议”",
        BASIS_ILLNESS,
    )
