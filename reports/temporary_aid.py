"""D12 临时救助审批表 (domain.md §5 D12, §1.5).

Event and time, amount requested and proposed, the approval level (分级审批: the township
up to its limit, 清流 5,000 元; above it the county — seed 004; 篇十五), the family's total
this year against the annual cap (清流 20,000 元), the 一事一议 flag (篇九, 篇十五),
先行救助 with the paperwork due afterwards (seed 004; 篇九), and the payee account for the
bank-card payment (篇十四), printed with its last four digits only.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import ApprovalLevel, DocumentKind, Paper, TemporaryAidContent
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT


def _yes_no(flag: bool) -> str:
    return ly.checkbox_line(["是", "否"], ["是"] if flag else ["否"])


def _account(number: str) -> str:
    digits = "".join(number.split())
    return f"尾号 {digits[-4:]}" if len(digits) > 4 else "*" * len(digits)


def build(content: TemporaryAidContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The approval form as PDF bytes."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    label = w * 0.16
    widths = [label, w * 0.38, label, w * 0.30]
    a = c.applicant
    after = c.year_total_after
    if c.over_cap:
        cap_text = f"{ly.yuan(after)} 元（超出上限 {ly.yuan(after - c.annual_cap)} 元）"
    else:
        cap_text = f"{ly.yuan(after)} 元（未超上限）"
    level = f"{c.approval_level.label}（乡镇审批限额 {ly.yuan(c.township_limit)} 元）"
    due = ly.cn_date(c.paperwork_due) if c.paperwork_due else "—"
    opinion = f"\n\n\n负责人（签字）：{ly.BLANK}　（盖章）　{ly.BLANK_DATE}"
    county = (
        opinion
        if c.approval_level is ApprovalLevel.COUNTY
        else "本事项在乡镇（街道）审批权限内，无需报县级民政部门审批。"
    )
    story: list[Flowable] = [
        Paragraph(ly.esc(c.township), s.subtitle),
        *ly.title_block(s, "临时救助审批表", f"编号：{c.number}"),
        ly.form_table(
            [
                ["申请人", a.name, "身份证号码", ly.id_text(a.id_number, c.full_id_numbers)],
                ["户编号", c.household_number, "村（组）", c.village],
                ["家庭人口", f"{c.family_size} 人", "联系电话", a.phone],
                ["困难事由", c.event, "", ""],
                ["发生时间", ly.cn_datetime(c.event_at), "先行救助", _yes_no(c.advance_aid)],
                [
                    "申请金额",
                    f"{ly.yuan(c.requested)} 元",
                    "拟救助金额",
                    f"{ly.yuan(c.proposed)} 元",
                ],
                [
                    "本年已救助",
                    f"{ly.yuan(c.granted_this_year)} 元",
                    "家庭年度上限",
                    f"{ly.yuan(c.annual_cap)} 元",
                ],
                ["本次后累计", cap_text, "一事一议", _yes_no(c.case_by_case)],
                ["审批层级", level, "", ""],
                ["补办材料期限", due, "", ""],
                ["收款人", c.payee_name, "开户银行", c.bank_name],
                ["银行账号", _account(c.bank_account), "", ""],
                ["经办人意见", f"\n\n经办人（签字）：{ly.BLANK}　　{ly.BLANK_DATE}", "", ""],
                ["乡镇（街道）\n审批意见", opinion, "", ""],
                ["县级民政部门\n审批意见", county, "", ""],
            ],
            widths,
            s,
            label_columns=(0, 2),
            spans=[((1, r), (3, r)) for r in (3, 8, 9, 11, 12, 13, 14)],
        ),
        Spacer(1, 4),
        Paragraph(
            ly.esc(
                "注：1. 先行救助的，应在补办材料期限内补齐申请材料和审批手续。"
                "2. 本年累计超过家庭年度上限或属特别困难的，按“一事一议”研究。"
                "3. 救助金通过银行账户发放。"
            ),
            s.small,
        ),
    ]
    meta = ly.PdfMeta(
        title=f"{DocumentKind.TEMPORARY_AID.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.prepared_on,
        keywords=DocumentKind.TEMPORARY_AID.code,
        footer_left=f"编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
