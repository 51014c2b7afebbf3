"""D2 受理回执: handed over the counter at the end of an intake (domain.md §5 D2).

It carries the inquiry number (受理编号), the window, the clerk, the time, every matter
with where it went and its working-day deadline (seed 002 "明确办理时限"), and the
一次性告知 list of papers still missing per matter (domain.md §8: told at once).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import DocumentKind, Paper, ReceiptContent, ReceiptMatter
from desk_app.domain.intake import Handling
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT


def _deadline(m: ReceiptMatter) -> str:
    if m.due_date is None:
        return "按规定时限办理" if m.limit_days is None else f"{m.limit_days}个工作日"
    mark = "*" if m.due_uncertain else ""
    days = f"\n（{m.limit_days}个工作日）" if m.limit_days is not None else ""
    return f"{ly.cn_date(m.due_date)}前{mark}{days}"


def _papers(names: tuple[str, ...]) -> str:
    if not names:
        return "—"
    return "\n".join(f"{i}. {n}" for i, n in enumerate(names, start=1))


def build(content: ReceiptContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The receipt as PDF bytes; raises ``MissingGlyphs`` for characters the fonts lack."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    story: list[Flowable] = [
        Paragraph(ly.esc(c.window), s.subtitle),
        *ly.title_block(s, "受 理 回 执", f"受理编号（查询号）：{c.number}"),
    ]
    applicant = c.applicant_name
    village = f"{c.village}{c.group_name}"
    story.append(
        ly.form_table(
            [
                ["申请人", applicant, "户编号", c.household_number],
                ["来办方式", c.came_as, "代办人", c.agent_name or "—"],
                ["村（组）", village, "受理时间", ly.cn_datetime(c.received_at)],
                ["受理窗口", c.window, "经办人", c.clerk],
            ],
            [w * 0.15, w * 0.38, w * 0.15, w * 0.32],
            s,
            label_columns=(0, 2),
        )
    )

    # 一、matters, where each goes and by when (domain.md §3.2 routing, §3.3 deadlines).
    story += [Paragraph("一、受理事项及办理时限", s.heading)]
    rows: list[list[ly.Cell]] = []
    for i, m in enumerate(c.matters, start=1):
        where = (
            "本窗口（民政）办理" if m.handling is Handling.WINDOW else f"转介{m.department_name}"
        )
        if m.handling is Handling.WINDOW and m.department_name:
            where = f"本窗口受理，{m.department_name}办理"
        rows.append([str(i), m.matter_name, where, _deadline(m), m.referral_number or "—"])
    story.append(
        ly.grid_table(
            ["序号", "受理事项", "办理部门", "办理时限", "转介编号"],
            rows,
            [w * 0.07, w * 0.25, w * 0.27, w * 0.22, w * 0.19],
            s,
            center_columns=(0, 4),
        )
    )

    # 二、一次性告知: every missing paper of every matter, at once.
    story.append(Paragraph("二、材料收取情况及一次性告知", s.heading))
    paper_rows: list[list[ly.Cell]] = [
        [m.matter_name, _papers(m.papers_received), _papers(m.papers_missing)] for m in c.matters
    ]
    story.append(
        ly.grid_table(
            ["受理事项", "已收材料", "尚需补交的材料"],
            paper_rows,
            [w * 0.25, w * 0.375, w * 0.375],
            s,
        )
    )
    if any(m.papers_missing for m in c.matters):
        when = (
            f"请于{c.papers_within_days}个工作日内"
            if c.papers_within_days is not None
            else "请尽快"
        )
        told = f"以上为需补交材料的全部清单（一次性告知），{when}将材料交到本窗口。"
    else:
        told = "所受理事项材料齐全，无需补交。"
    story.append(Paragraph(ly.esc(told), s.plain))

    story.append(Paragraph("说明", s.heading))
    notes = [
        f"1. 请妥善保管本回执。凭受理编号可到本窗口或拨打咨询电话 {c.hotline} 查询办理进度。",
        "2. 转介其他部门办理的事项，由本窗口跟踪督办，部门答复后告知您办理结果。",
        "3. 办理时限按工作日计算，不含法定节假日。",
    ]
    if any(m.due_uncertain for m in c.matters):
        notes.append(
            "4. 标“*”的期限跨越尚未公布节假日安排的年份，暂按周末计算，如有调整以实际为准。"
        )
    story += [Paragraph(ly.esc(n), s.small) for n in notes]
    story += [
        Spacer(1, 14),
        Paragraph(ly.esc(f"经办人（签字）：{ly.BLANK}　　申请人（签字）：{ly.BLANK}"), s.right),
        ly.seal_block(s, c.window, ly.cn_date(c.received_at.date())),
    ]
    meta = ly.PdfMeta(
        title=f"{DocumentKind.RECEIPT.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.received_at,
        keywords=DocumentKind.RECEIPT.code,
        footer_left=f"受理编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
