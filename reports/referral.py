"""D10 转介单 with its tear-off 回执联 (domain.md §5 D10, §3.3).

The upper part travels to the receiving department: who refers, to whom, whose matter,
what is needed, the evidence, the deadline ("明确办理时限", seed 002) and whether the
applicant consented to the data being shared. Below a dashed cut line, the 回执联 repeats
the referral number and the household reference and leaves blanks for the department's
reply, date and seal; it comes back to the window, which closes the referral only on that
reply (domain.md §3.3: a referral is not closed on hand-off).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import DocumentKind, Paper, ReferralContent
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT


def _deadline(c: ReferralContent) -> str:
    if c.due_date is None:
        return "请按贵部门规定时限办理，并将办理结果反馈本窗口。"
    days = f"（{c.limit_days}个工作日）" if c.limit_days is not None else ""
    return f"请于{ly.cn_date(c.due_date)}前{days}办结，并将回执联反馈本窗口。"


def build(content: ReferralContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The referral slip and its return slip on one A4 sheet, as PDF bytes."""
    c = checked(content, allow_missing)
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    label = w * 0.15
    value = w * 0.35
    widths = [label, value, label, value]
    person = c.person
    # The phone goes to the department only with the applicant's consent (§5 D10 "consent
    # to share data"); without it the department contacts the window.
    phone = person.phone if c.consent_to_share else "未经申请人同意，不提供"
    consent = ly.checkbox_line(
        ["申请人已同意本窗口向贵部门提供上述个人信息，仅用于办理本事项"],
        ["申请人已同意本窗口向贵部门提供上述个人信息，仅用于办理本事项"]
        if c.consent_to_share
        else [],
    )
    evidence = "；".join(f"{i}. {e}" for i, e in enumerate(c.evidence, start=1)) or "无"
    story: list[Flowable] = [
        Paragraph(ly.esc(c.window), s.subtitle),
        *ly.title_block(s, "社会救助事项转介单", f"转介编号：{c.number}"),
        ly.form_table(
            [
                ["接收部门", c.department_name, "部门联系人", c.department_contact],
                ["转出窗口", c.window, "经办人", c.clerk],
                ["窗口电话", c.window_phone, "窗口地址", c.window_address],
                ["受理编号", c.intake_number, "户编号", c.household_number],
                [
                    "姓名",
                    person.name,
                    "身份证号码",
                    ly.id_text(person.id_number, c.full_id_numbers),
                ],
                ["村（组）", c.village, "联系电话", phone],
                ["转介事项", c.matter_name, "", ""],
                ["需求说明", c.need, "", ""],
                ["随附材料", evidence, "", ""],
                ["办理时限", _deadline(c), "", ""],
                ["信息共享", consent, "", ""],
            ],
            widths,
            s,
            label_columns=(0, 2),
            spans=[((1, r), (3, r)) for r in range(6, 11)],
        ),
        ly.seal_block(s, c.window, ly.cn_date(c.created_on)),
        Spacer(1, 10),
    ]
    # The 回执联 stays whole and on the same sheet as the cut line above it.
    slip: list[Flowable] = [
        ly.CutLine("请沿此虚线剪下，回执联由接收部门填写盖章后送回转出窗口"),
        Spacer(1, 6),
        *ly.title_block(s, "转介回执联", f"转介编号：{c.number}"),
        ly.form_table(
            [
                ["户编号", c.household_number, "受理编号", c.intake_number],
                ["姓名", person.name, "转介事项", c.matter_name],
                [
                    "办理结果",
                    ly.checkbox_line(["已办结", "已受理，正在办理", "不予受理（退回）"], []),
                    "",
                    "",
                ],
                ["救助金额", "　　　　　　　元", "办结日期", ly.BLANK_DATE],
                ["部门答复\n（退回原因）", "", "", ""],
                ["经办人", "", "联系电话", ""],
                ["接收部门", "（盖章）　　　　　　　　" + ly.BLANK_DATE, "", ""],
            ],
            widths,
            s,
            label_columns=(0, 2),
            spans=[((1, 2), (3, 2)), ((1, 4), (3, 4)), ((1, 6), (3, 6))],
            row_heights=[None, None, None, None, 60, None, 36],
        ),
    ]
    story.append(KeepTogether(slip))
    meta = ly.PdfMeta(
        title=f"{DocumentKind.REFERRAL.label} {c.number}",
        author=c.township,
        subject=c.number,
        document_date=c.created_on,
        keywords=DocumentKind.REFERRAL.code,
        footer_left=f"转介编号 {c.number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)
