"""Document content from the database and the print archive (issue #6), on real SQLite.

Content records come out of the service with ID numbers and phones already masked: the
paper is safe whatever builds it. Every print, export or posting is logged with who and
when, and the PDF is kept once per distinct file.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services
from desk_app.domain.documents import ApprovalLevel, DocumentKind
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import Handling
from desk_app.domain.registry import Relation
from desk_app.errors import ValidationError
from desk_app.services.documents import TemporaryAidInput
from desk_app.services.intake import IntakeInput, MatterChoice


@pytest.fixture
def household(services: Services, make_id: Any) -> Any:
    services.site.save(
        "测试镇", "520402102000", "社会救助综合服务窗口", phone="0851-1234567", address="镇政府一楼"
    )
    detail = services.households.register(
        HouseholdInput(village="红星村", group_name="一组", address="红星村一组12号"),
        PersonInput(name="张伟", id_number=make_id(dt.date(1970, 5, 5)), phone="13812345678"),
    )
    detail = services.households.add_member(
        detail.id, PersonInput(name="张小明", id_number=make_id(dt.date(2012, 1, 1))), Relation.SON
    )
    return detail


def _full_ids(services: Services, detail: Any) -> list[str]:
    return [services.households.reveal_id_number(m.id) for m in detail.members]


def test_the_receipt_lists_missing_papers_deadlines_and_the_referral(
    services: Services, household: Any
) -> None:
    head = household.members[0]
    saved = services.intake.save(
        IntakeInput(
            household.id,
            (
                MatterChoice("dibao", papers_received=("id_card",)),
                MatterChoice("medical_assistance"),
            ),
            applicant_id=head.id,
            causes=("illness",),
        )
    )
    receipt = services.documents.receipt(saved.intake_id)
    assert receipt.number == saved.number
    assert (receipt.township, receipt.hotline, receipt.applicant_name) == (
        "测试镇", "0851-1234567", "张伟",
    )  # fmt: skip
    dibao, medical = receipt.matters
    assert dibao.handling is Handling.WINDOW
    assert len(dibao.papers_received) == 1
    assert "身份证" in dibao.papers_received[0]
    assert len(dibao.papers_missing) == 6  # every other required paper, told at once
    assert dibao.due_date is not None
    assert medical.handling is Handling.REFERRAL
    assert medical.referral_number.startswith("ZJ")
    assert medical.limit_days == 10
    for full in _full_ids(services, household):
        assert full not in repr(receipt)


def test_the_referral_slip_masks_the_person(services: Services, household: Any) -> None:
    saved = services.intake.save(
        IntakeInput(household.id, (MatterChoice("medical_assistance"),),
                    applicant_id=household.members[0].id)
    )  # fmt: skip
    slip = services.documents.referral(_referral_id(services, saved.matters[0].referral_number))
    assert slip.intake_number == saved.number
    assert slip.department_name
    assert slip.window_phone == "0851-1234567"
    assert slip.person.name == "张伟"
    assert "*" in slip.person.id_number
    assert slip.person.phone == "138****5678"
    for full in _full_ids(services, household):
        assert full not in repr(slip)
    assert "13812345678" not in repr(slip)


def _referral_id(services: Services, number: str) -> int:
    with services.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT id FROM referral WHERE number = :n"), {"n": number}
            ).scalar_one()
        )


def test_forms_list_adults_only_for_signature_with_masked_numbers(
    services: Services, household: Any
) -> None:
    authorisation = services.documents.authorisation(household.id)
    assert [p.name for p in authorisation.members] == ["张伟"]  # the 12-year-old does not sign
    application = services.documents.application(household.id)
    assert [m.name for m in application.members] == ["张伟", "张小明"]
    assert application.applicant.name == "张伟"
    commitment = services.documents.commitment(household.id)
    for content in (authorisation, application, commitment):
        for full in _full_ids(services, household):
            assert full not in repr(content)


def test_the_temporary_aid_form_takes_limits_from_the_parameter_set(
    services: Services, household: Any
) -> None:
    data = TemporaryAidInput(
        household.id, "房屋失火", dt.datetime(2024, 6, 14, 21, 0), Decimal(8000), Decimal(6000),
        granted_this_year=Decimal(15000),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:  # no set chosen: it says which values lack
        services.documents.temporary_aid(data)
    assert "乡镇审批限额" in err.value.problems[0].render()
    services.assistance.choose("qingliu")
    form = services.documents.temporary_aid(data)
    assert form.approval_level is ApprovalLevel.COUNTY  # 6,000 > 5,000
    assert form.case_by_case  # 15,000 + 6,000 > 20,000
    assert (form.township_limit, form.annual_cap) == (Decimal(5000), Decimal(20000))
    with pytest.raises(ValidationError) as err:
        services.documents.temporary_aid(
            TemporaryAidInput(household.id, " ", dt.datetime(2024, 6, 14), Decimal(-1), Decimal(0))
        )
    assert {p.field for p in err.value.problems} == {"event", "requested"}


def test_every_print_is_logged_and_each_distinct_pdf_kept_once(
    services: Services, household: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    pdf = b"%PDF-1.4 fictional bytes"
    first = services.documents.record(
        DocumentKind.AUTHORISATION, "520402-00001", "核对授权书 张伟", pdf, 1, "print",
        household_id=household.id, copies=2,
    )  # fmt: skip
    again = services.documents.record(
        DocumentKind.AUTHORISATION, "520402-00001", "核对授权书 张伟", pdf, 1, "pdf",
        household_id=household.id,
    )  # fmt: skip
    assert again.id == first.id
    assert [(e.action, e.copies) for e in again.events] == [("print", 2), ("pdf", 1)]
    assert all(e.actor == services.context.actor for e in again.events)
    assert services.documents.archived_pdf(first.id) == pdf
    assert [d.id for d in services.documents.archived(household.id)] == [first.id]
    other = services.documents.record(
        DocumentKind.AUTHORISATION, "520402-00001", "核对授权书 张伟", pdf + b"2", 1, "print"
    )
    assert other.id != first.id
    assert "张伟" not in caplog.text  # kind and number only in the log
    with pytest.raises(ValidationError):
        services.documents.record(DocumentKind.RECEIPT, "x", "x", pdf, 1, "print", copies=0)
