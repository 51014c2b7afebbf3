"""Numbers that identify a person (残疾人证号 embeds the ID number) stay masked in DTOs,
and an edit that never saw them keeps them as stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk_app.bootstrap import Services
from desk_app.domain.household import PersonInput
from desk_app.domain.registry import DisabilityCategory, Relation
from desk_app.services.dto import HouseholdDetail


def test_certificate_number_is_masked_and_kept_when_not_retyped(
    services: Services,
    register: Callable[..., HouseholdDetail],
    make_id: Any,
    safe_dto: Callable[[Any], None],
) -> None:
    number = make_id()
    cert = number + "11"
    detail = register(
        "王芳",
        id_number=number,
        has_disability_cert=True,
        disability_cert_no=cert,
        disability_category=DisabilityCategory.PHYSICAL,
        disability_grade=1,
        phone="13812345678",
    )
    head = detail.head
    assert head is not None
    assert head.disability_cert_no_masked == cert[:6] + "*" * (len(cert) - 10) + cert[-4:]
    safe_dto(detail)

    # An edit form saw only masks: None keeps the stored certificate number and phone.
    kept = services.households.update_person(
        head.id,
        head.version,
        PersonInput(
            name="王芳",
            id_number=None,
            phone=None,
            has_disability_cert=True,
            disability_cert_no=None,
            disability_category=DisabilityCategory.PHYSICAL,
            disability_grade=2,
        ),
        Relation.HEAD,
    )
    assert kept.head is not None
    assert kept.head.disability_cert_no_masked == head.disability_cert_no_masked
    assert kept.head.phone_masked == "138****5678"
    assert kept.head.disability_grade == 2

    # A retyped number replaces it, and the history shows both only masked.
    new_cert = number + "12"
    changed = services.households.update_person(
        head.id,
        kept.head.version,
        PersonInput(
            name="王芳",
            id_number=None,
            phone=None,
            has_disability_cert=True,
            disability_cert_no=new_cert,
            disability_category=DisabilityCategory.PHYSICAL,
            disability_grade=2,
        ),
        Relation.HEAD,
    )
    assert changed.head is not None
    assert changed.head.disability_cert_no_masked.endswith(new_cert[-4:])
    cert_changes = [c for e in changed.events for c in e.changes if c[0] == "disability_cert_no"]
    assert cert_changes
    safe_dto(changed)
