"""D4 如实申报承诺书 (domain.md §5 D4).

Declaration of true and complete data, the duty to report changes, and the consequences
of a false claim (recovery, liability): fraud and false claims are prohibited (seed 003
篇一; misuse and fraud cases, 篇十三). Every adult member signs.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import CommitmentContent, DocumentKind, Paper
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT

PROMISES = (
    "所申报的家庭人口、收入、财产和支出等情况真实、完整，所提供的证件和材料真实有效，没有隐瞒、虚报或伪造。",
    "家庭人口、收入、财产等状况发生变化时，及时主动告知乡镇人民政府（街道办事处）。",
    "配合入户调查、邻里访问、家庭经济状况核对和定期复核，如实回答询问。",
    "同意在本村（居）公示审核、审批结果，接受群众监督。",
    "如有隐瞒、虚报、伪造等情况骗取社会救助，愿意退还所领取的救助款物，并依法承担相应法律责任。",
)
_NUMERALS = "一二三四五六七八九十"


def build(content: CommitmentContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The commitment with one signature row per adult member, as PDF bytes."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    items = "、".join(c.items)
    story: list[Flowable] = [
        *ly.title_block(s, "如实申报承诺书", f"受理编号：{c.number}"),
        Paragraph(ly.esc(f"{c.township}："), s.plain),
        Paragraph(
            ly.esc(
                f"本户（户编号：{c.household_number}，{c.village}，申请人：{c.applicant_name}）"
                f"申请{items}，本人及共同生活的成年家庭成员郑重承诺："
            ),
            s.body,
        ),
        *(Paragraph(ly.esc(f"{_NUMERALS[i]}、{p}"), s.body) for i, p in enumerate(PROMISES)),
        Spacer(1, 8),
        Paragraph("承诺人签字", s.heading),
    ]
    rows: list[list[ly.Cell]] = [
        [str(i), m.name, m.relation, ly.id_text(m.id_number, c.full_id_numbers), "", ""]
        for i, m in enumerate(c.members, start=1)
    ]
    story += [
        ly.grid_table(
            ["序号", "姓名", "与申请人关系", "身份证号码", "签字（按手印）", "日期"],
            rows,
            [w * f for f in (0.07, 0.13, 0.15, 0.25, 0.22, 0.18)],
            s,
            center_columns=(0, 1, 2, 3),
            row_heights=[st.SIGN_ROW_HEIGHT] * len(rows),
        ),
        Spacer(1, 10),
        Paragraph(ly.esc(f"承诺日期：{ly.cn_date(c.signed_on)}"), s.right),
    ]
    meta = ly.PdfMeta(
        title=f"{DocumentKind.COMMITMENT.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.signed_on,
        keywords=DocumentKind.COMMITMENT.code,
        footer_left=f"受理编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
