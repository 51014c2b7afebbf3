"""D3 家庭经济状况核对授权书: every adult member authorises the platform check.

Every applicant is checked on the 核对平台 before approval ("凡进必核", seed 003 篇七;
篇八; seed 002), and the applicants and family members sign an authorisation (domain.md
§8 external practice). Fields (domain.md §5 D3): each adult member's name, ID and
signature; scope (bank, property, vehicles, business, social insurance, tax …); period;
purpose; date. ID numbers are masked unless the form opts in (documents.py).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import AuthorisationContent, DocumentKind, Paper
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT
_NUMERALS = "一二三四五六七八九十"


def build(content: AuthorisationContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The authorisation with one signature row per adult member, as PDF bytes."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    scope = [
        Paragraph(ly.esc(f"（{_NUMERALS[i % 10]}）{item}；"), s.body)
        for i, item in enumerate(c.scope)
    ]
    story: list[Flowable] = [
        *ly.title_block(s, "家庭经济状况核对授权书", f"受理编号：{c.number}"),
        Paragraph(ly.esc(f"{c.township}及县级民政部门："), s.plain),
        Paragraph(
            ly.esc(
                f"本户（户编号：{c.household_number}，{c.village}，申请人：{c.applicant_name}）"
                f"因{c.purpose}，本人及共同生活的成年家庭成员自愿授权贵单位通过居民家庭经济状况核对"
                "机制，向有关部门和金融机构查询、核对本家庭成员的下列信息："
            ),
            s.body,
        ),
        *scope,
        Paragraph(ly.esc(f"授权期限：{c.valid_text}。"), s.body),
        Paragraph(
            ly.esc(
                "核对所得信息仅用于社会救助的审核确认和定期复核，不得用于其他用途，不得向任何单位和个人泄露。"
                "本授权书由每位成年家庭成员本人签字或按手印，复印件与原件具有同等效力。"
            ),
            s.body,
        ),
        Spacer(1, 8),
        Paragraph("授权人签字", s.heading),
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
        Spacer(1, 6),
        Paragraph(ly.esc("注：未满18周岁的家庭成员由其监护人代为签字。"), s.small),
        Spacer(1, 10),
        Paragraph(ly.esc(f"签署日期：{ly.cn_date(c.signed_on)}"), s.right),
    ]
    meta = ly.PdfMeta(
        title=f"{DocumentKind.AUTHORISATION.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.signed_on,
        keywords=DocumentKind.AUTHORISATION.code,
        footer_left=f"受理编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
