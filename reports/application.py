"""D1 社会救助申请书, pre-filled from the registry for signature (domain.md §5 D1).

Written application by one co-resident member named as applicant (seed 003 篇一), or by
the legal guardian for a severely disabled adult (seed 002). The form lists the members,
what is applied for and why (tick boxes: causes of §6.2), income and property, the
applicant's own account, a truthfulness statement and the signature and receiving lines.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import (
    APPLICATION_CAUSES,
    APPLICATION_ITEMS,
    ApplicationContent,
    DocumentKind,
    Paper,
)
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT


def build(content: ApplicationContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The application form as PDF bytes."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    full = c.full_id_numbers
    a = c.applicant
    g = c.guardian
    label = w * 0.16
    widths = [label, w * 0.34, label, w * 0.34]
    causes = ly.checkbox_line(APPLICATION_CAUSES, c.causes)
    if c.other_cause:
        causes += f"　■其他：{c.other_cause}"
    income = "" if c.monthly_income_total is None else f"{ly.yuan(c.monthly_income_total)} 元"
    story: list[Flowable] = [
        *ly.title_block(s, "社会救助申请书", f"受理编号：{c.number}"),
        ly.form_table(
            [
                ["申请人", a.name, "身份证号码", ly.id_text(a.id_number, full)],
                ["联系电话", a.phone, "户编号", c.household_number],
                ["户籍所在地", f"{c.township}{c.village}{c.group_name}", "", ""],
                ["现住址", c.address or a.address, "", ""],
                [
                    "监护人或\n代理人",
                    f"{g.name}（{g.relation}）" if g else "无",
                    "身份证号码",
                    ly.id_text(g.id_number, full) if g else "",
                ],
                ["申请事项", ly.checkbox_line(APPLICATION_ITEMS, c.items), "", ""],
                ["困难原因", causes, "", ""],
            ],
            widths,
            s,
            label_columns=(0, 2),
            spans=[((1, r), (3, r)) for r in (2, 3, 5, 6)],
        ),
        Paragraph("共同生活的家庭成员", s.heading),
    ]
    rows: list[list[ly.Cell]] = [
        [
            str(i),
            m.name,
            m.relation,
            ly.id_text(m.id_number, full),
            m.labour,
            m.occupation,
            "" if m.monthly_income is None else ly.yuan(m.monthly_income),
        ]
        for i, m in enumerate(c.members, start=1)
    ]
    story.append(
        ly.grid_table(
            [
                "序号",
                "姓名",
                "与申请人\n关系",
                "身份证号码",
                "劳动能力",
                "就业或在学",
                "月收入（元）",
            ],
            rows,
            [w * f for f in (0.07, 0.11, 0.11, 0.23, 0.20, 0.13, 0.15)],
            s,
            center_columns=(0, 1, 2, 3, 6),
        )
    )
    story += [
        Spacer(1, 6),
        ly.form_table(
            [
                ["家庭月总收入", income],
                ["家庭财产情况", c.property_note],
                ["申请理由", c.statement],
            ],
            [label, w - label],
            s,
            row_heights=[None, None, 90],
        ),
        Spacer(1, 6),
        Paragraph(
            ly.esc(
                "本人承诺以上所填内容及所附材料真实、完整，同意乡镇人民政府（街道办事处）和县级民政部门"
                "入户调查、核对家庭经济状况，并在本村（居）公示审核审批结果。"
                "如有虚报、隐瞒，愿意承担相应责任。"
            ),
            s.body,
        ),
        Spacer(1, 12),
        ly.sign_line(s, "申请人（签字或按手印）"),
        Spacer(1, 8),
        ly.sign_line(s, "监护人或代理人（签字）"),
        Spacer(1, 10),
        ly.form_table(
            [
                [
                    "受理意见",
                    f"已于{ly.cn_date(c.applied_on)}受理（受理编号{c.number}）。\n\n"
                    f"经办人（签字）：{ly.BLANK}　　{ly.BLANK_DATE}",
                ]
            ],
            [label, w - label],
            s,
        ),
    ]
    meta = ly.PdfMeta(
        title=f"{DocumentKind.APPLICATION.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.applied_on,
        keywords=DocumentKind.APPLICATION.code,
        footer_left=f"受理编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
