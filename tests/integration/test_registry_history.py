"""The household history shows what the clerk reads on the forms, never stored codes."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import text

from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.registry import (
    CertificateCheck,
    ChildStatus,
    DisabilityCategory,
    Employment,
    HouseholdCategory,
    LabourAbility,
    Relation,
    ResidenceType,
    SchoolingStage,
    SelfCare,
)

# Every code of every vocabulary: none may show in the history.
CODES = {
    m.value
    for enum in (
        CertificateCheck, ChildStatus, DisabilityCategory, Employment, HouseholdCategory,
        LabourAbility, Relation, ResidenceType, SchoolingStage, SelfCare,
    )
    for m in enum
} | {"True", "False"}  # fmt: skip


def changes_of(detail, kind: str) -> dict[str, tuple[str, str]]:
    [event] = [e for e in detail.events if e.kind == kind][:1]
    return {field: (old, new) for field, old, new in event.changes}


def stored_details(services) -> list[dict[str, list[str]]]:
    with services.engine.connect() as conn:
        rows = conn.execute(text("SELECT detail FROM household_event")).scalars()
        return [json.loads(r) for r in rows]


def test_person_changes_are_stored_as_labels(services, register, make_id, safe_dto) -> None:
    child_id = make_id(dt.date(2012, 5, 5), female=True)
    detail = services.households.add_member(
        register("张伟").id, PersonInput("张小红", child_id), Relation.DAUGHTER
    )
    girl = next(m for m in detail.members if m.name == "张小红")
    updated = services.households.update_person(
        girl.id,
        girl.version,
        PersonInput(
            "张小红", None, labour_ability=LabourAbility.PARTIAL, self_care=SelfCare.SEMI_DISABLED,
            employment=Employment.NOT_APPLICABLE, schooling_stage=SchoolingStage.COMPULSORY,
            child_status=ChildStatus.LEFT_BEHIND, has_disability_cert=True,
            disability_category=DisabilityCategory.INTELLECTUAL, disability_grade=2,
            disability_check=CertificateCheck.CHECK_DUE, major_illness=True, boarding=True,
        ),
        Relation.GRANDCHILD,
    )  # fmt: skip
    safe_dto(updated)
    changes = changes_of(updated, "person_updated")
    assert changes["labour_ability"] == ("有劳动能力", "部分丧失劳动能力")
    assert changes["self_care"] == ("生活能自理", "半失能")
    assert changes["schooling_stage"] == ("未在学", "义务教育")
    assert changes["child_status"] == ("无", "留守儿童")
    assert changes["disability_category"] == ("", "智力")
    assert changes["disability_grade"] == ("", "二级")
    assert changes["disability_check"] == ("", "待年审")
    assert changes["has_disability_cert"] == ("否", "是")
    assert changes["major_illness"] == ("否", "是")
    assert changes["boarding"] == ("否", "是")
    assert changes["relation"] == ("女", "孙子女/外孙子女")
    assert "employment" not in changes  # unchanged fields are not listed
    shown = {v for e in updated.events for _, old, new in e.changes for v in (old, new)}
    assert not shown & CODES


def test_household_and_category_changes_are_stored_as_labels(services, register) -> None:
    detail = register("张伟")
    detail = services.households.update_household(
        detail.id, detail.version, HouseholdInput("红星村", "一组", ResidenceType.URBAN)
    )
    assert changes_of(detail, "household_updated")["residence"] == ("农村", "城镇")
    detail = services.households.add_category(
        detail.id, HouseholdCategory.DIBAO_A, dt.date(2025, 1, 1)
    )
    assert changes_of(detail, "category_added") == {"category": ("", "低保 A类 2025-01-01 至 今")}
    [record] = detail.categories
    detail = services.households.end_category(record.id, dt.date(2025, 3, 31))
    assert changes_of(detail, "category_ended") == {
        "category": ("低保 A类 2025-01-01 至 今", "低保 A类 2025-01-01 至 2025-03-31")
    }
    # what is stored is what is shown: no code, no bare boolean, in any event row
    for stored in stored_details(services):
        for value in (v for pair in stored.values() for v in pair):
            assert value not in CODES
            assert not re.fullmatch(r"[a-z_]+", value)


def test_a_change_of_head_is_stored_as_labels(services, register, make_id) -> None:
    detail = services.households.add_member(
        register("张伟").id, PersonInput("张三", make_id()), Relation.SON
    )
    son = next(m for m in detail.members if m.name == "张三")
    changed = services.households.change_head(detail.id, detail.version, son.id, Relation.PARENT)
    assert changes_of(changed, "head_changed") == {"relation": ("子", "户主")}


def test_numbers_stay_masked_in_the_history(services, register, make_id, full_id_re) -> None:
    head = register("张伟", phone="13800138000").head
    services.households.update_person(
        head.id, head.version,
        PersonInput("张伟", make_id(), phone="13900139000", has_disability_cert=True,
                    disability_cert_no="52040219800101001142",
                    disability_category=DisabilityCategory.PHYSICAL, disability_grade=4),
        Relation.HEAD,
    )  # fmt: skip
    changes = changes_of(services.households.get(head.household_id), "person_updated")
    assert changes["phone"] == ("138****8000", "139****9000")
    assert changes["disability_cert_no"] == ("", "520402**********1142")
    assert changes["disability_grade"] == ("", "四级")
    for stored in stored_details(services):
        assert not any(full_id_re.search(v) for pair in stored.values() for v in pair)
