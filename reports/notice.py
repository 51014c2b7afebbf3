"""D7 审核/审批结果公示 and D8 长期公示, for a village or a township (domain.md §5).

Landscape A4 or A3 (``NoticeContent.paper``), for the village and township boards
(seed 002: names posted where people live; 篇十四: 村级公示 then 乡镇公示). The table has
exactly the columns :class:`~desk_app.domain.documents.NoticeRow` has — 户主姓名, 村/组,
保障人数, 类别, 金额（元/月）, 期间 — plus a running number to find a line; what may not be
posted never reaches this module (privacy rules at the end of domain.md §5). The head row
repeats on every page, and every footer carries the notice number and the objection phone
so a single sheet on a board still says where to object.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import NoticeContent, NoticeStage, kind_of
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

HEADER = ("序号", "户主姓名", "村/组", "保障人数", "类别", "金额（元/月）", "期间")
# Shares of the frame width, in HEADER order.
WIDTHS = (0.07, 0.13, 0.20, 0.10, 0.18, 0.13, 0.19)


def title_of(c: NoticeContent) -> str:
    place = c.township + (c.village or "")
    if c.stage is NoticeStage.STANDING:
        return f"{place}{c.scheme}{c.stage.label}（{c.period_label}）"
    return f"{place}{c.period_label}{c.scheme}{c.stage.label}"


def _intro(c: NoticeContent) -> str:
    # 审核 (township first review) and 审批 (county confirmation, or the township under
    # delegation) are the two result notices of 篇七; the standing roster is 篇七's 长期公示.
    if c.stage is NoticeStage.REVIEW:
        done = "经本人申请、入户调查、家庭经济状况核对和民主评议，乡镇（街道）审核，下列家庭拟纳入"
        return f"{done}{c.scheme}，现予公示，接受群众监督。"
    if c.stage is NoticeStage.APPROVAL:
        return f"经审核确认，下列家庭纳入{c.scheme}，现将审批结果予以公示，接受群众监督。"
    return f"现将{c.period_label}{c.scheme}对象名单予以长期公示，接受群众监督。"


def _objection(c: NoticeContent) -> str:
    ch = c.channel
    # Leave out what the township has not given rather than print an empty "地址：".
    parts = [
        f"{label}：{value}" for label, value in (("电话", ch.phone), ("地址", ch.address)) if value
    ]
    where = f"向{ch.office}反映" + (f"（{'；'.join(parts)}）" if parts else "")
    if c.stage is NoticeStage.STANDING or ch.deadline is None:
        return f"对公示对象有异议的，可随时{where}。"
    days = f"（共{c.objection_days}天）" if c.objection_days is not None else ""
    period = f"公示期：{ly.cn_date(c.posted_on)}至{ly.cn_date(ch.deadline)}{days}。"
    return f"{period}如有异议，请于{ly.cn_date(ch.deadline)}前{where}。"


def build(content: NoticeContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The notice as PDF bytes; rows beyond one sheet flow on with the head repeated."""
    c = checked(content, allow_missing)
    s = st.styles_for(c.paper)
    w = st.frame_width(c.paper)
    title = title_of(c)
    story: list[Flowable] = [
        *ly.title_block(s, title, f"编号：{c.number}"),
        Paragraph(ly.esc(_intro(c)), s.body),
        Paragraph(ly.esc(_objection(c)), s.body),
        Spacer(1, 6),
    ]
    rows: list[list[ly.Cell]] = [
        [
            str(i),
            r.head_name,
            r.village_group,
            str(r.people_covered),
            r.category,
            ly.yuan(r.monthly_amount),
            r.period,
        ]
        for i, r in enumerate(c.rows, start=1)
    ]
    rows.append(
        [
            "合计",
            f"{len(c.rows)}户",
            "",
            str(c.total_people),
            "",
            ly.yuan(c.total_amount),
            "",
        ]
    )
    last = len(rows)
    story.append(
        ly.grid_table(
            HEADER,
            rows,
            [w * f for f in WIDTHS],
            s,
            center_columns=(0, 1, 2, 3, 4, 5, 6),
            extra=[("BACKGROUND", (0, last), (-1, last), st.HEAD_FILL)],
        )
    )
    story += [
        Spacer(1, 6),
        Paragraph(
            ly.esc(
                "反映情况请实事求是，我们将依法为反映人保密。"
                "本公示不含身份证号码、联系电话、银行账号、病情及残疾等个人信息。"
            ),
            s.small,
        ),
        ly.seal_block(s, c.issuer, ly.cn_date(c.posted_on)),
    ]
    kind = kind_of(c)
    meta = ly.PdfMeta(
        title=title,
        author=c.issuer,
        subject=c.number,
        document_date=c.posted_on,
        keywords=kind.code,
        footer_left=f"编号 {c.number}　监督电话 {c.channel.phone}",
    )
    return ly.render_pdf(story, paper=c.paper, meta=meta)
