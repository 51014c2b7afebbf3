"""显示完整 with a timeout, and fields a role may not see (issue #8).

ID numbers and phones are masked by default; a role with the permission may show one
person's in full (audited), and they are masked again after ``auth.reveal_seconds`` (here
a short injected time) and when another member is selected. Health and child details a
role may not see read （无权查看）, and the person dialog keeps those inputs locked."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.household import PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import ChildStatus, Relation
from desk_app.domain.security import Role
from desk_app.services.context import SYSTEM
from desk_app.services.dto import HouseholdDetail
from ui.pages.registry_page import RegistryPage

PASSWORD = "hall-window-2026"  # the add_user fixture's (tests/ui/conftest.py)


@pytest.fixture
def family(services: Services, household: HouseholdDetail) -> HouseholdDetail:
    """张三's household with a child who is left behind and has a mental disorder."""
    services.context.identity = SYSTEM
    return services.households.add_member(
        household.id,
        PersonInput(
            "张小宝", _id("52040220150101002"),
            child_status=ChildStatus.LEFT_BEHIND, mental_disorder=True, illness_note="癫痫",
        ),
        Relation.SON,
    )  # fmt: skip


def _id(first17: str) -> str:
    return first17 + check_character(first17)


def _page_as(
    qtbot: QtBot,
    services: Services,
    add_user: Callable[..., None],
    role: Role,
    detail: HouseholdDetail,
) -> RegistryPage:
    add_user("someone", "王芳", role)
    services.context.identity = None
    services.users.sign_in("someone", PASSWORD)
    page = RegistryPage(services)
    qtbot.addWidget(page)
    page.show()
    page.show_household(detail.id, select_person=detail.members[0].id)
    return page


def test_show_full_then_masked_again_after_the_timeout(
    qtbot: QtBot, services: Services, add_user: Callable[..., None], family: HouseholdDetail
) -> None:
    page = _page_as(qtbot, services, add_user, Role.CLERK, family)
    panel = page.panel
    numbers = panel.member_numbers
    head = family.members[0]
    assert numbers.button.isVisible()
    assert numbers.button.text() == "显示完整(&Q)"
    assert numbers.shown_id_number() == head.id_masked
    numbers.revealer.timeout_ms = 300
    numbers.button.click()
    full_id = _id("52040219800101001")
    assert numbers.shown_id_number() == full_id
    assert panel.members.item(0, 4).toolTip() == "60秒后自动恢复遮盖"
    assert numbers.button.text() == "恢复遮盖(&Q)"
    qtbot.waitUntil(lambda: not numbers.revealer.active, timeout=3000)
    assert numbers.shown_id_number() == head.id_masked
    assert numbers.button.text() == "显示完整(&Q)"

    # Another member selected, or the household shown again: masked at once.
    numbers.revealer.timeout_ms = 60_000
    numbers.button.click()
    page.show_household(family.id, select_person=head.id)
    assert numbers.shown_id_number() == head.id_masked
    numbers.button.click()
    assert numbers.shown_id_number().startswith(full_id)
    panel.members.selectRow(1)
    assert not numbers.revealer.active
    assert full_id not in panel.members.item(0, 4).text()
    assert panel.members.item(0, 4).text() == head.id_masked
    assert numbers.shown_id_number() == family.members[1].id_masked
    # Each look is in the audit: three looks at the ID number (the table shows no phone).
    services.context.identity = SYSTEM
    reveals = list(services.audit.rows(action="reveal"))
    assert [r.entity_id for r in reveals] == [str(head.id)] * 3
    assert {json.loads(r.detail)["field"] for r in reveals} == {"id_number"}


def test_person_dialog_shows_full_numbers_for_a_while(
    qtbot: QtBot, services: Services, add_user: Callable[..., None], family: HouseholdDetail
) -> None:
    page = _page_as(qtbot, services, add_user, Role.CLERK, family)
    head = family.members[0]
    dialog = page.edit_member(head.id)
    assert dialog is not None
    form = dialog.form
    assert form.id_masked_edit is not None
    assert form.id_masked_edit.text() == head.id_masked
    form.revealer.timeout_ms = 300
    form.reveal_button.click()
    assert form.id_masked_edit.text() == _id("52040219800101001")
    assert form.phone_edit.text() == "13812345678"
    qtbot.waitUntil(lambda: not form.revealer.active, timeout=3000)
    assert form.id_masked_edit.text() == head.id_masked
    assert form.phone_edit.text() == "138****5678"
    # Unchanged numbers are still kept as stored when saving.
    data = form.to_input()
    assert data.id_number is None
    assert data.phone is None


def test_a_role_without_the_permission_sees_no_show_full(
    qtbot: QtBot, services: Services, add_user: Callable[..., None], family: HouseholdDetail
) -> None:
    page = _page_as(qtbot, services, add_user, Role.COUNTY, family)
    assert not page.panel.member_numbers.button.isVisible()
    assert "*" in page.panel.member_numbers.shown_id_number()


def test_village_staff_see_no_health_details(
    qtbot: QtBot, services: Services, add_user: Callable[..., None], family: HouseholdDetail
) -> None:
    page = _page_as(qtbot, services, add_user, Role.VILLAGE, family)
    panel = page.panel
    child_row = next(r for r in range(panel.members.rowCount())
                     if panel.members.item(r, 0).text() == "张小宝")  # fmt: skip
    remarks = panel.members.item(child_row, 5).text()
    assert "残疾疾病（无权查看）" in remarks
    assert "精神障碍" not in remarks
    assert "留守儿童" in remarks or "留守" in remarks  # the village may see child details
    assert "儿童情况（无权查看）" not in remarks

    child = next(m for m in panel.detail.members if m.name == "张小宝")  # type: ignore[union-attr]
    dialog = page.edit_member(child.id)
    assert dialog is not None
    form = dialog.form
    for widget in (form.mental_disorder_check, form.illness_note_edit, form.category_combo):
        assert not widget.isEnabled()
        assert widget.toolTip() == "（无权查看）"
    assert form.illness_note_edit.placeholderText() == "（无权查看）"
    form.has_cert_check.setChecked(True)  # which enables the disability fields for others
    assert not form.category_combo.isEnabled()
    assert form.child_status_combo.isEnabled()
    assert not form.reveal_button.isVisible()  # nor may they show numbers in full


def test_an_administrator_sees_neither_health_nor_child_details(
    qtbot: QtBot, services: Services, add_user: Callable[..., None], family: HouseholdDetail
) -> None:
    page = _page_as(qtbot, services, add_user, Role.ADMIN, family)
    panel = page.panel
    remarks = [panel.members.item(r, 5).text() for r in range(panel.members.rowCount())]
    assert all("残疾疾病（无权查看）" in r and "儿童情况（无权查看）" in r for r in remarks)
