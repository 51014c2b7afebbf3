"""低保渐退 / 延保 / voluntary exit (domain.md §1.3).

Three local rules, each with its own seed; multiples and month counts are parameters
(荣昌 2×, 安徽 12 months and 1–3 months, 清流 6–12 months are the seeds' values).
Months are returned as ISO ``YYYY-MM`` text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desk_app.domain.assistance.result import Computation, money
from desk_app.domain.assistance.reviews import add_months

BASIS_RONGCHANG = "domain.md §1.3；seed 004_9aab8ecee895941a.txt"
BASIS_ANHUI = "domain.md §1.3；seed 003_538988cd989ea5d8.txt 篇三"
BASIS_QINGLIU = "domain.md §1.3；seed 003_538988cd989ea5d8.txt 篇十五"

STATUS_DIBAO = "继续享受低保（按差额）"
STATUS_JIANTUI = "渐退"
STATUS_EXIT = "退出渐退（经复核办理退出）"


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _check_money(**amounts: Decimal) -> None:
    for name, value in amounts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def jiantui_status(
    *,
    per_capita_income: Decimal,
    standard: Decimal,
    exit_multiple: Decimal | None,
    registered_poor_unlifted: bool,
) -> Computation:
    """荣昌: an unlifted 建档立卡 household above the standard but below ``exit_multiple``×
    the standard stays under 渐退; at or above it, it leaves through review (T1).

    Income equal to the standard is treated as "above": the 差额 would be zero, so only 渐退
    keeps the household covered.
    """
    _check_money(per_capita_income=per_capita_income, standard=standard)
    key = "transition.jiantui_status"
    if not registered_poor_unlifted:
        return Computation(
            key,
            None,
            "本规则只适用于未脱贫建档立卡户；其他家庭按本地渐退办法由工作人员判断",
            BASIS_RONGCHANG,
            flags=("not_applicable",),
        )
    if exit_multiple is None:
        return Computation(
            key,
            None,
            f"人均月收入{per_capita_income}元，低保标准{standard}元；缺少渐退上限倍数，无法判断",
            BASIS_RONGCHANG,
            missing=("渐退上限倍数",),
        )
    ceiling = money(standard * exit_multiple)
    ratio = (per_capita_income / standard).quantize(Decimal("0.01")) if standard else None
    head = (
        f"人均月收入{per_capita_income}元，低保标准{standard}元"
        + (f"（{ratio}倍）" if ratio is not None else "")
        + f"，渐退上限{exit_multiple}倍即{ceiling}元："
    )
    if per_capita_income < standard:
        return Computation(
            key,
            STATUS_DIBAO,
            head + "低于标准，仍按差额享受低保",
            BASIS_RONGCHANG,
            ("below_standard",),
        )
    if per_capita_income < ceiling:
        return Computation(
            key,
            STATUS_JIANTUI,
            head + "高于标准但低于上限，建议继续渐退",
            BASIS_RONGCHANG,
            ("stays_jiantui",),
        )
    return Computation(
        key,
        STATUS_EXIT,
        head + "达到或超过上限，建议经复核办理退出",
        BASIS_RONGCHANG,
        ("exit_review",),
    )


def anhui_jiantui_period(
    *, found_on: dt.date, months: int | None
) -> tuple[Computation, Computation]:
    """安徽: income above the city standard during the 困难帮扶 period → a ``months``-long
    渐退期 (seed: 12). Returns (first month, last month).

    The seed does not say when the period starts; like 清流's explicit "自认定次月起" it is
    taken to start the month after the finding (that month is still paid under the existing
    decision). The flag ``start_month_assumed`` says so.
    """
    if months is None:
        none = Computation(
            "transition.anhui_jiantui.start",
            None,
            "缺少渐退期月数",
            BASIS_ANHUI,
            missing=("渐退期月数",),
        )
        return none, Computation(
            "transition.anhui_jiantui.end",
            None,
            "缺少渐退期月数",
            BASIS_ANHUI,
            missing=("渐退期月数",),
        )
    if months < 1:
        raise ValueError(f"渐退期 must be at least one month, got {months}")
    start = add_months(found_on.replace(day=1), 1)
    end = add_months(start, months - 1)
    rule = (
        f"{_month(found_on)}发现人均收入超过低保标准，给予{months}个月渐退期："
        f"{_month(start)}至{_month(end)}（起始月按认定次月计）"
    )
    flags = ("start_month_assumed",)
    return (
        Computation("transition.anhui_jiantui.start", _month(start), rule, BASIS_ANHUI, flags),
        Computation("transition.anhui_jiantui.end", _month(end), rule, BASIS_ANHUI, flags),
    )


def voluntary_exit_payment(
    *, monthly_payment: Decimal, min_months: int | None, max_months: int | None
) -> tuple[Computation, Computation]:
    """安徽: a household that asks to leave gets ``min_months``–``max_months`` months of 低保金
    (seed: 1–3). Returns (lowest, highest) amount; people choose within the range.
    """
    _check_money(monthly_payment=monthly_payment)
    missing = tuple(
        name
        for name, value in (
            ("主动退出发放月数下限", min_months),
            ("主动退出发放月数上限", max_months),
        )
        if value is None
    )
    if min_months is None or max_months is None:
        rule = f"每月低保金{monthly_payment}元；缺少主动退出发放月数"
        return (
            Computation("transition.voluntary_exit.low", None, rule, BASIS_ANHUI, missing=missing),
            Computation("transition.voluntary_exit.high", None, rule, BASIS_ANHUI, missing=missing),
        )
    if not 0 <= min_months <= max_months:
        raise ValueError(f"month range {min_months}–{max_months} is not a range")
    low = money(monthly_payment * min_months)
    high = money(monthly_payment * max_months)
    rule = (
        f"主动申请退出低保，发放{min_months}–{max_months}个月低保金：每月{monthly_payment}元，"
        f"合计{low}–{high}元，具体月数由审批人决定"
    )
    return (
        Computation("transition.voluntary_exit.low", low, rule, BASIS_ANHUI),
        Computation("transition.voluntary_exit.high", high, rule, BASIS_ANHUI),
    )


def qingliu_extension(
    *,
    decided_on: dt.date,
    min_months: int | None,
    max_months: int | None,
    still_low_income: bool,
    has_medical_education_or_job_difficulty: bool,
) -> tuple[Computation, Computation, Computation]:
    """清流 延保: exit conditions met but still low-income, or real medical, education or job
    difficulties → ``min_months``–``max_months`` more months (seed: 6–12) from the month
    after the decision (自认定次月起). Returns (start month, earliest end, latest end).
    """
    keys = (
        "transition.qingliu_extension.start",
        "transition.qingliu_extension.end_earliest",
        "transition.qingliu_extension.end_latest",
    )
    if not (still_low_income or has_medical_education_or_job_difficulty):
        rule = "已符合退出条件，且既非低收入、也无医疗、教育、就业实际困难：延保条件不具备，由工作人员复核"
        return (
            Computation(keys[0], None, rule, BASIS_QINGLIU, ("not_applicable",)),
            Computation(keys[1], None, rule, BASIS_QINGLIU, ("not_applicable",)),
            Computation(keys[2], None, rule, BASIS_QINGLIU, ("not_applicable",)),
        )
    start = add_months(decided_on.replace(day=1), 1)
    if min_months is None or max_months is None:
        missing = tuple(
            name
            for name, value in (("延保月数下限", min_months), ("延保月数上限", max_months))
            if value is None
        )
        rule = f"{_month(decided_on)}认定，延保自次月{_month(start)}起；缺少延保月数"
        return (
            Computation(keys[0], _month(start), rule, BASIS_QINGLIU),
            Computation(keys[1], None, rule, BASIS_QINGLIU, missing=missing),
            Computation(keys[2], None, rule, BASIS_QINGLIU, missing=missing),
        )
    if not 1 <= min_months <= max_months:
        raise ValueError(f"month range {min_months}–{max_months} is not a range")
    earliest = add_months(start, min_months - 1)
    latest = add_months(start, max_months - 1)
    reasons = "、".join(
        text
        for text, present in (
            ("仍属低收入", still_low_income),
            ("有医疗、教育或就业实际困难", has_medical_education_or_job_difficulty),
        )
        if present
    )
    rule = (
        f"{_month(decided_on)}复核已符合退出条件，但{reasons}：自认定次月{_month(start)}起"
        f"延保{min_months}–{max_months}个月，至{_month(earliest)}–{_month(latest)}止"
    )
    return (
        Computation(keys[0], _month(start), rule, BASIS_QINGLIU),
        Computation(keys[1], _month(earliest), rule, BASIS_QINGLIU),
        Computation(keys[2], _month(latest), rule, BASIS_QINGLIU),
    )
