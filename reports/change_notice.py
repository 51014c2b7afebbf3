"""D21 救助变更和退出告知书: 增发/减发/停发 and 渐退/延保/自愿退出, one module with ``kind``.

Fields (domain.md §5 D21): decision, reason, effective month, new amount, the 渐退 or
延保 period, the months still paid on a voluntary exit, and where to ask for a review.
Rules: 增发/减发/停发 by the county (seed 003 篇一, 篇七); 渐退 above the standard and below
2× (seed 004), 12 months (篇三); 延保 6–12 months from the month after the decision
(篇十五); voluntary exit keeps 1–3 months' payment (篇三) — domain.md §1.3.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import ChangeKind, ChangeNoticeContent, DocumentKind, Paper
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT


def title_of(c: ChangeNoticeContent) -> str:
    if c.kind in (ChangeKind.INCREASE, ChangeKind.DECREASE):
        return f"{c.scheme}金调整（{c.kind.label}）告知书"
    if c.kind is ChangeKind.STOP:
        return f"{c.scheme}停发告知书"
    if c.kind is ChangeKind.VOLUNTARY_EXIT:
        return f"自愿退出{c.scheme}告知书"
    return f"{c.scheme}{c.kind.label}告知书"


def _period(c: ChangeNoticeContent) -> str:
    if c.kind is ChangeKind.VOLUNTARY_EXIT and c.exit_payment_months:
        return f"继续发放{c.exit_payment_months}个月"
    if c.period_start is None or c.period_end is None:
        return "—"
    return f"{ly.cn_month(c.period_start)}至{ly.cn_month(c.period_end)}"


def _decision(c: ChangeNoticeContent) -> str:
    start = ly.cn_month(c.effective_month)
    old, new = ly.yuan(c.old_amount), ly.yuan(c.new_amount)
    k = c.kind
    if k in (ChangeKind.INCREASE, ChangeKind.DECREASE):
        diff = ly.yuan(abs(c.new_amount - c.old_amount))
        return (
            f"经复核，因{c.reason}，决定自{start}起将你户{c.scheme}金由每月{old}元调整为每月{new}元"
            f"（{k.label}{diff}元）。"
        )
    if k is ChangeKind.STOP:
        return (
            f"经复核，因{c.reason}，你户已不再符合{c.scheme}条件，"
            f"决定自{start}起停发{c.scheme}金（原每月{old}元）。"
        )
    if k is ChangeKind.GRADUAL_EXIT:
        return (
            f"经复核，你户{c.reason}。按照{c.scheme}渐退规定，{_period(c)}为渐退期，"
            f"渐退期内每月发放{new}元；渐退期满，经复核办理退出。"
        )
    if k is ChangeKind.EXTENSION:
        return (
            f"经复核，{c.reason}，决定给予延保：{_period(c)}继续发放{c.scheme}金每月{new}元。"
            "延保期满前将再次复核。"
        )
    months = c.exit_payment_months or 0
    return (
        f"你户因{c.reason}，经审核同意，自{start}起退出{c.scheme}。"
        f"为鼓励就业增收，自{start}起继续发放{months}个月{c.scheme}金，每月{old}元。"
    )


def build(content: ChangeNoticeContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The notice as PDF bytes, with a receipt line for the household's signature."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    title = title_of(c)
    review = (
        f"如对本决定有异议，可自收到本告知书之日起向{c.review_office}申请复核"
        + (f"（电话：{c.review_phone}）" if c.review_phone else "")
        + "，也可以依法申请行政复议或者提起行政诉讼。"
    )
    story: list[Flowable] = [
        *ly.title_block(s, title, f"编号：{c.number}"),
        Paragraph(ly.esc(f"{c.head_name}（户编号：{c.household_number}，{c.village}）："), s.plain),
        Paragraph(ly.esc(_decision(c)), s.body),
        Spacer(1, 6),
        ly.grid_table(
            ["决定事项", "原金额\n（元/月）", "调整后金额\n（元/月）", "执行月份", "过渡期"],
            [
                [
                    c.kind.label,
                    ly.yuan(c.old_amount),
                    ly.yuan(c.new_amount),
                    ly.cn_month(c.effective_month),
                    _period(c),
                ]
            ],
            [w * f for f in (0.14, 0.19, 0.21, 0.18, 0.28)],
            s,
            center_columns=(0, 1, 2, 3, 4),
        ),
        Spacer(1, 6),
        Paragraph(ly.esc(review), s.body),
        Paragraph(ly.esc("特此告知。"), s.body),
        ly.seal_block(s, c.issuer, ly.cn_date(c.decided_on)),
        Spacer(1, 16),
        ly.CutLine("签收联（由经办人收回存档）"),
        Spacer(1, 6),
        Paragraph(
            ly.esc(f"本户已收到编号为{c.number}的《{title}》，知悉上述决定。"),
            s.body,
        ),
        Spacer(1, 10),
        ly.sign_line(s, "签收人（签字或按手印）"),
    ]
    meta = ly.PdfMeta(
        title=f"{title} {c.number}",
        author=c.issuer,
        subject=c.number,
        document_date=c.decided_on,
        keywords=DocumentKind.CHANGE_NOTICE.code,
        footer_left=f"编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
