"""Agreements signed by the household: D14 委托照料, D16 入住（托养）, D17 赡养, D18 结对帮扶.

One family, one layout: title and number, the parties with their particulars, numbered
clauses, then a bordered signature table with a row for every party domain.md names
(``signatories`` of each content record; domain.md §5 D14, D16, D17, D18 and §6.1). The
clause wording states the seeds' rules (篇三, 篇九 "五有", 篇十一, 篇二, 篇六, 篇十四) and
leaves everything local to the content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer  # type: ignore[import-untyped]

from desk_app.domain.documents import (
    AgreementContent,
    CareAgreementContent,
    DocumentKind,
    PairingAgreementContent,
    Paper,
    Person,
    PlacementAgreementContent,
    Signatory,
    SupportAgreementContent,
)
from reports import layout as ly
from reports import styles as st
from reports.glyphs import checked

PAPER = Paper.A4_PORTRAIT
_NUMERALS = "一二三四五六七八九十"

Clause = tuple[str, Sequence[str | Flowable]]
"""A heading (without its number) and its paragraphs or flowables."""


@dataclass(frozen=True, slots=True)
class _Party:
    """A row of the parties table at the head of an agreement."""

    role: str
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


def _party(role: str, p: Person) -> _Party:
    return _Party(role, p.name, p.id_number, p.phone, p.address)


def _parties_table(parties: Sequence[_Party], s: st.Styles, w: float, full: bool) -> Flowable:
    rows: list[list[ly.Cell]] = [
        [p.role, p.name, ly.id_text(p.id_number, full), p.phone, p.address] for p in parties
    ]
    return ly.grid_table(
        ["签约方", "姓名（名称）", "身份证号码", "联系电话", "住址（地址）"],
        rows,
        [w * f for f in (0.24, 0.16, 0.24, 0.16, 0.20)],
        s,
        center_columns=(1, 2, 3),
    )


def _numbered(items: Sequence[str]) -> list[str]:
    return [f"{i}. {t}" for i, t in enumerate(items, start=1)]


def _render(
    *,
    title: str,
    number: str,
    kind: DocumentKind,
    author: str,
    parties: Sequence[_Party],
    preamble: str,
    clauses: Sequence[Clause],
    signatories: Sequence[Signatory],
    full_ids: bool,
    document_date: dt.date,
) -> bytes:
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    story: list[Flowable] = [
        *ly.title_block(s, title, f"协议编号：{number}"),
        _parties_table(parties, s, w, full_ids),
        Spacer(1, 6),
        Paragraph(ly.esc(preamble), s.body),
    ]
    for i, (heading, parts) in enumerate(clauses):
        story.append(Paragraph(ly.esc(f"{_NUMERALS[i % 10]}、{heading}"), s.heading))
        for part in parts:
            story.append(Paragraph(ly.esc(part), s.body) if isinstance(part, str) else part)
    closing = (
        f"本协议一式{len(signatories)}份，签约各方各执一份，具有同等效力，"
        "自各方签字（盖章）之日起生效。"
    )
    # The closing clause stays with the signatures: a signature page never stands alone.
    story.append(
        KeepTogether(
            [
                Paragraph(ly.esc(closing), s.body),
                Paragraph("签约各方签字（盖章）", s.heading),
                ly.signature_table(signatories, s, w),
                Spacer(1, 6),
                Paragraph(ly.esc(f"签订日期：{ly.cn_date(document_date)}"), s.right),
            ]
        )
    )
    meta = ly.PdfMeta(
        title=f"{title} {number}",
        author=author,
        subject=number,
        document_date=document_date,
        keywords=kind.code,
        footer_left=f"协议编号 {number}",
    )
    return ly.render_pdf(story, paper=PAPER, meta=meta)


def _care(c: CareAgreementContent) -> bytes:
    # domain.md §5 D14; 篇三 (named carer, 委托照料协议), 篇九 ("五有", visits, 照料服务卡).
    full = c.full_id_numbers
    parties = [
        _Party("甲方（委托方）", c.township),
        _party("乙方（照料人）", c.carer),
        _party("丙方（特困人员）", c.person),
    ]
    if c.guardian is not None:
        parties.append(_party("丙方监护人", c.guardian))
    parties.append(_Party("见证方", c.village_committee))
    clauses: list[Clause] = [
        (
            "照料对象和期限",
            [
                f"甲方委托乙方照料分散供养特困人员{c.person.name}，"
                f"照料期限自{ly.cn_date(c.start)}至{ly.cn_date(c.end)}。"
            ],
        ),
        ("照料内容", _numbered(c.duties)),
        (
            "服务标准和探访",
            [f"服务标准：{c.service_standard}。", f"探访和照料频次：{c.visit_cycle}。"],
        ),
        ("应急预案", [f"{c.emergency_plan}。紧急联系电话：{c.emergency_phone}。"]),
        (
            "照料费用",
            [f"甲方每月向乙方支付照料服务费{ly.yuan(c.monthly_pay)}元，按月通过银行账户发放。"],
        ),
        (
            "甲方责任",
            [
                "落实有照护协议、有服务标准、有定期探访、有动态管理、有应急预案（“五有”）要求，"
                "建立照料服务卡，定期探访丙方，检查照料服务质量。"
            ],
        ),
        (
            "见证方责任",
            ["协助甲方日常监督乙方履行照料义务，发现丙方生活、健康出现异常情况及时报告甲方。"],
        ),
        (
            "协议的变更和终止",
            [
                "乙方未履行照料义务、丙方入住供养服务机构或其他情况发生变化的，"
                "经甲方核实后变更或终止本协议，并另行安排照料。"
            ],
        ),
    ]
    return _render(
        title="特困人员委托照料协议",
        number=c.number,
        kind=DocumentKind.CARE_AGREEMENT,
        author=c.township,
        parties=parties,
        preamble="为保障分散供养特困人员的基本生活和照料需求，经各方协商一致，订立本协议。",
        clauses=clauses,
        signatories=c.signatories,
        full_ids=full,
        document_date=c.signed_on,
    )


def _placement(c: PlacementAgreementContent) -> bytes:
    # domain.md §5 D16; 篇十一 (wish, relatives' opinion, no infectious or mental illness,
    # costs borne by the family or the township).
    full = c.full_id_numbers
    parties = [
        _Party("甲方（乡镇、街道）", c.township),
        _Party("乙方（供养服务机构）", c.institution, address=c.institution_address),
        _party("丙方（入住人）", c.person),
        *(_party(f"直系亲属（{r.relation}）", r) for r in c.relatives),
    ]
    wish = ly.checkbox_line(["本人自愿入住"], ["本人自愿入住"] if c.wish_confirmed else [])
    agree = ly.checkbox_line(["直系亲属同意"], ["直系亲属同意"] if c.relatives_agree else [])
    health = (
        f"经{ly.cn_date(c.health_checked_on)}体检，丙方无传染性疾病、无精神疾病。"
        if c.health_checked_on
        else "丙方须经体检，确认无传染性疾病、无精神疾病后方可入住。"
    )
    clauses: list[Clause] = [
        ("入住意愿", [f"{wish}　{agree}", "丙方入住系本人意愿，并已征求直系亲属意见。"]),
        ("健康状况", [health, "患有传染性疾病、精神疾病或有暴力倾向的，不宜集中入住。"]),
        ("入住时间和地点", [f"丙方自{ly.cn_date(c.start)}起入住{c.institution}。"]),
        ("费用", [f"入住费用每月{ly.yuan(c.monthly_fee)}元，由{c.fee_payer.label}。"]),
        (
            "乙方责任",
            [
                "为丙方提供住宿、饮食、日常生活照料和疾病就医协助，保障丙方人身安全，"
                "尊重丙方人格尊严，定期向甲方报告丙方情况。"
            ],
        ),
        (
            "丙方及直系亲属责任",
            ["丙方遵守机构管理制度；直系亲属定期探望，丙方患病住院或发生意外时积极配合。"],
        ),
        ("甲方责任", ["监督乙方服务质量，协调解决入住期间出现的问题。"]),
        (
            "协议的变更和终止",
            [
                "丙方本人要求退出、健康状况变化不宜继续入住或其他情况发生变化的，经各方协商变更或终止本协议。"
            ],
        ),
    ]
    return _render(
        title="入住（托养）协议",
        number=c.number,
        kind=DocumentKind.PLACEMENT_AGREEMENT,
        author=c.township,
        parties=parties,
        preamble="为妥善安排丙方的供养和照料，经各方协商一致，订立本协议。",
        clauses=clauses,
        signatories=c.signatories,
        full_ids=full,
        document_date=c.signed_on,
    )


def _support(c: SupportAgreementContent) -> bytes:
    # domain.md §5 D17; 篇三 (left-behind elderly, contact-person register).
    full = c.full_id_numbers
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    parties = [
        _party("被赡养人", c.elder),
        *(_party(f"赡养人（{x.person.relation}）", x.person) for x in c.supporters),
        _Party("见证方", c.village_committee),
    ]
    shares = ly.grid_table(
        ["赡养人", "关系", "每月赡养费（元）", "承担的照料义务"],
        [
            [x.person.name, x.person.relation, ly.yuan(x.monthly_money), x.duties]
            for x in c.supporters
        ],
        [w * f for f in (0.16, 0.12, 0.20, 0.52)],
        s,
        center_columns=(0, 1, 2),
    )
    contact = c.contact
    clauses: list[Clause] = [
        (
            "赡养义务",
            [
                "赡养人对被赡养人履行经济上供养、生活上照料和精神上慰藉的义务，"
                "照顾被赡养人的特殊需要，不得以放弃继承权或者其他理由拒绝履行赡养义务。"
            ],
        ),
        ("赡养费和照料分工", [shares]),
        ("探望", [f"{c.visit_schedule}。"]),
        (
            "联系人登记",
            [
                f"被赡养人的联系人为{contact.name}（{contact.relation}），电话：{contact.phone}。联系方式变更时及时告知见证方。"
            ],
        ),
        (
            "见证方责任",
            ["定期了解协议履行情况，发现未履行赡养义务的，进行劝导并报告乡镇（街道）。"],
        ),
    ]
    return _render(
        title="赡养协议",
        number=c.number,
        kind=DocumentKind.SUPPORT_AGREEMENT,
        author=c.township,
        parties=parties,
        preamble="为保障老年人的合法权益，经赡养人与被赡养人协商一致，在见证方见证下订立本协议。",
        clauses=clauses,
        signatories=c.signatories,
        full_ids=full,
        document_date=c.signed_on,
    )


def _pairing(c: PairingAgreementContent) -> bytes:
    # domain.md §5 D18; 篇二 (visits ≥2 a quarter, half-yearly meeting), 篇六 (one 特惠 a
    # year, confirmed by the village 两委), 篇十四 (一户一方案、一人一措施).
    full = c.full_id_numbers
    s = st.styles_for(PAPER)
    w = st.frame_width(PAPER)
    parties = [
        _Party("甲方（帮扶单位）", c.helper_unit),
        _Party(f"帮扶责任人（{c.helper_position}）", c.helper.name, phone=c.helper.phone),
        _party("乙方（帮扶对象户主）", c.head),
        _Party("确认方（村两委）", c.village_committee),
    ]
    measures = ly.grid_table(
        ["序号", "类别", "帮扶措施", "完成时限"],
        [[str(i), m.kind, m.content, m.target] for i, m in enumerate(c.measures, start=1)],
        [w * f for f in (0.08, 0.12, 0.58, 0.22)],
        s,
        center_columns=(0, 1, 3),
    )
    clauses: list[Clause] = [
        (
            "帮扶对象基本情况",
            [f"户编号：{c.household_number}；致困原因：{'、'.join(c.causes)}。"],
        ),
        ("帮扶措施（一户一策）", [measures]),
        (
            "走访和会商",
            [f"{c.visit_cycle}。帮扶责任人记录走访情况，帮扶措施根据家庭情况变化及时调整。"],
        ),
        (
            "特惠政策",
            [f"{c.special_item}。特惠政策原则上每户每年一项，经村两委联席会议确认。"],
        ),
        ("帮扶期限", [f"自{ly.cn_date(c.start)}至{ly.cn_date(c.end)}。"]),
        ("乙方责任", ["如实反映家庭情况，积极配合帮扶措施，通过劳动增加收入。"]),
    ]
    return _render(
        title="结对帮扶协议",
        number=c.number,
        kind=DocumentKind.PAIRING_AGREEMENT,
        author=c.township,
        parties=parties,
        preamble="为落实结对帮扶责任，帮助乙方家庭解决实际困难，经双方协商并经确认方确认，订立本协议。",
        clauses=clauses,
        signatories=c.signatories,
        full_ids=full,
        document_date=c.signed_on,
    )


def build(content: AgreementContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """Any of the four agreements as PDF bytes."""
    c = checked(content, allow_missing)
    if isinstance(c, CareAgreementContent):
        return _care(c)
    if isinstance(c, PlacementAgreementContent):
        return _placement(c)
    if isinstance(c, SupportAgreementContent):
        return _support(c)
    if isinstance(c, PairingAgreementContent):
        return _pairing(c)
    assert_never(c)
