"""What each document must carry, checked in the PDF text (domain.md §5)."""

from __future__ import annotations

import dataclasses

import pytest

from desk_app.domain.documents import (
    CareAgreementContent,
    ChangeKind,
    DocumentKind,
    Person,
    kind_of,
)
from desk_app.domain.ids import mask_id_number
from reports import examples
from reports.documents import build_document, file_name
from reports.pages import page_texts


def _text(pdf: bytes) -> str:
    return "\n".join(" ".join(line.split()) for line in "\n".join(page_texts(pdf)).splitlines())


def test_receipt_tells_every_missing_paper_and_deadline_at_once() -> None:
    content = examples.receipt()
    text = _text(build_document(content))
    assert content.number in text
    assert "一次性告知" in text
    for matter in content.matters:
        for paper in matter.papers_missing:
            assert paper[:8] in text
        if matter.limit_days is not None:
            assert f"（{matter.limit_days}个工作日）" in text
        if matter.referral_number:
            assert matter.referral_number in text
    assert content.window in text
    assert content.clerk in text
    assert "转介示范县医疗保障局" in text


def test_referral_has_a_return_slip_on_the_same_sheet() -> None:
    content = examples.referral()
    pages = page_texts(build_document(content))
    assert len(pages) == 1
    text = _text(build_document(content))
    slip = text[text.index("转介回执联") :]
    assert content.number in slip
    assert content.household_number in slip
    for blank in ("办理结果", "部门答复", "办结日期", "经办人", "（盖章）"):
        assert blank in slip
    assert "请沿此虚线剪下" in text


def test_referral_withholds_the_phone_without_consent() -> None:
    content = dataclasses.replace(examples.referral(), consent_to_share=False)
    text = _text(build_document(content))
    assert content.person.phone not in text
    assert "未经申请人同意，不提供" in text


@pytest.mark.parametrize(
    "kind", [DocumentKind.APPLICATION, DocumentKind.AUTHORISATION, DocumentKind.COMMITMENT]
)
def test_forms_mask_id_numbers_unless_asked(kind: DocumentKind) -> None:
    content = examples.EXAMPLES[kind]()
    full_id = examples.APPLICANT.id_number
    text = _text(build_document(content))
    assert full_id not in text
    assert mask_id_number(full_id) in text
    shown = dataclasses.replace(content, full_id_numbers=True)
    assert full_id in _text(build_document(shown))


def test_authorisation_has_a_signature_row_per_adult_member() -> None:
    content = examples.authorisation()
    text = _text(build_document(content))
    for member in content.members:
        assert f"{member.name} {member.relation} {mask_id_number(member.id_number)}" in text


@pytest.mark.parametrize(
    ("kind", "roles"),
    [
        (
            DocumentKind.CARE_AGREEMENT,
            ("甲方（委托方）", "乙方（照料人）", "丙方（特困人员）", "见证方"),
        ),
        (
            DocumentKind.PLACEMENT_AGREEMENT,
            ("甲方（乡镇、街道）", "乙方（供养服务机构）", "丙方（入住人）", "直系亲属（子）"),
        ),
        (
            DocumentKind.SUPPORT_AGREEMENT,
            ("被赡养人", "赡养人（长子）", "赡养人（次子）", "见证方"),
        ),
        (
            DocumentKind.PAIRING_AGREEMENT,
            ("帮扶对象（户主）", "帮扶责任人", "帮扶单位", "村（居）两委（确认）"),
        ),
    ],
)
def test_agreements_have_a_signature_row_for_every_party(
    kind: DocumentKind, roles: tuple[str, ...]
) -> None:
    content = examples.EXAMPLES[kind]()
    text = _text(build_document(content))
    signatures = text[text.index("签约各方签字（盖章）") :]
    assert signatures.count("年 月 日") >= len(roles)
    for role in roles:
        assert role in signatures


def test_care_agreement_adds_the_guardian_when_there_is_one() -> None:
    content = examples.care_agreement()
    assert isinstance(content, CareAgreementContent)
    with_guardian = dataclasses.replace(content, guardian=Person("刘国强", relation="侄"))
    roles = [s.role for s in with_guardian.signatories]
    assert "丙方监护人" in roles
    assert len(roles) == len(content.signatories) + 1


def test_temporary_aid_shows_level_cap_and_case_by_case() -> None:
    content = examples.temporary_aid()
    text = _text(build_document(content))
    assert "县级民政部门审批" in text
    assert "21,000.00 元（超出上限 1,000.00 元）" in text
    assert "一事一议 ■是" in text
    assert content.bank_account not in text
    assert f"尾号 {content.bank_account[-4:]}" in text


@pytest.mark.parametrize("change", list(ChangeKind))
def test_change_notice_states_the_decision(change: ChangeKind) -> None:
    content = examples.change_notice(change)
    text = _text(build_document(content))
    assert change.label in text
    assert "申请复核" in text
    assert "签收人" in text


def test_file_names_say_kind_and_number() -> None:
    for kind, make in examples.EXAMPLES.items():
        content = make()
        assert kind_of(content) is kind
        name = file_name(content)
        assert name.startswith(f"{kind.code}-")
        assert name.endswith(".pdf")
        assert "/" not in name
