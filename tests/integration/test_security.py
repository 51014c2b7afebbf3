"""Users, roles, permissions, field-level access and the audit chain (issue #8), on real
SQLite files. Permission checks live in the services: these tests call the services
directly, with no window in between."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import logging
import re
from typing import Any

import pytest
from sqlalchemy import text

from desk_app.bootstrap import Services, open_services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.intake import ReferralAction
from desk_app.domain.registry import ChildStatus, DisabilityCategory, Relation
from desk_app.domain.security import (
    MATRIX,
    SIGN_IN_ROLES,
    Permission,
    Role,
    hash_password,
    verify_password,
)
from desk_app.errors import PermissionDeniedError, ValidationError
from desk_app.services.context import SYSTEM, UNDECLARED, Identity, permission_of
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter, Reply
from desk_app.services.users import SignInError, UserInput

# Operations anyone may call before signing in (they are how one signs in).
OPEN_OPERATIONS = {
    "users.has_users", "users.create_first_admin", "users.sign_in", "users.sign_out",
}  # fmt: skip
PASSWORD = "hall-window-2026"


def _operations(services: Services) -> list[tuple[str, Any]]:
    out = []
    for field in dataclasses.fields(services):
        service = getattr(services, field.name)
        if field.name.startswith("_") or not type(service).__name__.endswith("Service"):
            continue
        for name, _member in inspect.getmembers(type(service), inspect.isfunction):
            if not name.startswith("_"):
                out.append((f"{field.name}.{name}", getattr(service, name)))
    return out


def test_every_service_operation_declares_its_permission(services: Services) -> None:
    undeclared = [
        name
        for name, method in _operations(services)
        if permission_of(method) is UNDECLARED and name not in OPEN_OPERATIONS
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", [None, *SIGN_IN_ROLES])
def test_every_operation_with_every_role(services: Services, role: Role | None) -> None:
    """A role without the permission is refused before anything runs; with it, the call
    gets past the check (the dummy arguments may then fail for other reasons)."""
    services.context.identity = (
        None if role is None else Identity(1, "tester", role, "civil_affairs")
    )
    for name, method in _operations(services):
        if name in OPEN_OPERATIONS:
            continue
        permission = permission_of(method)
        if name == "referrals.act":
            # The declared READ is the entry check; with a dummy action the call is the
            # window's side of the work (send, remind), which needs WORK_REFERRALS.
            permission = Permission.WORK_REFERRALS
        expected_denied = role is None or (
            permission is not None and permission not in MATRIX[role]
        )
        params = [
            p for p in inspect.signature(method).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD
        ]  # fmt: skip
        args = [None] * len(params)
        try:
            method(*args)
        except PermissionDeniedError:
            assert expected_denied, f"{name} refused {role}"
            continue
        except Exception:
            pass
        assert not expected_denied, f"{name} let {role} through"


# --- sign-in ------------------------------------------------------------------------------


@pytest.fixture
def admin(services: Services) -> Services:
    services.context.identity = None
    services.users.create_first_admin(UserInput("admin", "王管理", Role.ADMIN, PASSWORD))
    return services


def test_passwords_are_hashed_with_pbkdf2_600k_and_checked(admin: Services) -> None:
    with admin.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM app_user")).scalar_one()
    algorithm, iterations, _salt, _digest = stored.split("$")
    assert (algorithm, int(iterations)) == ("pbkdf2_sha256", 600_000)
    assert PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert verify_password("ｈａｌｌ-window-2026", hash_password(PASSWORD, iterations=1000))  # NFKC


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short1", "至少8个"),
        ("password123", "太常见"),
        ("woaini1314", "太常见"),
        ("xxzhangsanxx", "用户名"),
    ],
)
def test_weak_passwords_are_refused(admin: Services, password: str, why: str) -> None:
    admin.users.sign_in("admin", PASSWORD)
    with pytest.raises(ValidationError) as err:
        admin.users.create(UserInput("zhangsan", "张三", Role.CLERK, password))
    assert why in err.value.problems[0].render()


def test_the_first_administrator_is_created_once(admin: Services) -> None:
    with pytest.raises(Exception, match="已经有用户"):
        admin.users.create_first_admin(UserInput("second", "二", Role.ADMIN, PASSWORD))


def test_lockout_after_repeated_failures_for_the_set_time(db_url: str) -> None:
    now = [dt.datetime(2024, 6, 15, 9, 0)]
    services = open_services(db_url, clock=lambda: now[0])
    try:
        services.users.create_first_admin(UserInput("admin", "王管理", Role.ADMIN, PASSWORD))
        for _ in range(4):
            with pytest.raises(SignInError, match="用户名或密码不正确"):
                services.users.sign_in("admin", "wrong-password")
        with pytest.raises(SignInError, match="锁定至 09:15"):  # 5th failure: 15 minutes
            services.users.sign_in("admin", "wrong-password")
        with pytest.raises(SignInError, match="锁定"):  # the right password does not help
            services.users.sign_in("admin", PASSWORD)
        with pytest.raises(SignInError, match="用户名或密码不正确"):  # unknown name: same text
            services.users.sign_in("nobody", PASSWORD)
        now[0] += dt.timedelta(minutes=16)
        identity = services.users.sign_in("ADMIN ", PASSWORD)
        assert identity.role is Role.ADMIN
        assert services.context.operator.name == "王管理"
        assert services.users.idle_lock_minutes() == 10
    finally:
        services.close()


def test_idle_unlock_needs_the_same_password(admin: Services) -> None:
    admin.users.sign_in("admin", PASSWORD)
    assert admin.users.confirm_password(PASSWORD)
    assert not admin.users.confirm_password("not-it-at-all")
    admin.users.sign_out()
    with pytest.raises(PermissionDeniedError, match="请先登录"):
        admin.households.villages()


# --- field-level and department access ----------------------------------------------------


def _register_sensitive(services: Services, make_id: Any) -> Any:
    services.context.identity = SYSTEM
    detail = services.households.register(
        HouseholdInput(village="红星村"),
        PersonInput(
            name="李秀兰", id_number=make_id(dt.date(1970, 1, 1)), phone="13812345678",
            has_disability_cert=True, disability_cert_no="52040219700101001X42",
            disability_category=DisabilityCategory.MENTAL, disability_grade=2,
            mental_disorder=True, illness_note="精神分裂症",
        ),
    )  # fmt: skip
    return services.households.add_member(
        detail.id,
        PersonInput(
            name="李小宝",
            id_number=make_id(dt.date(2015, 1, 1)),
            child_status=ChildStatus.LEFT_BEHIND,
        ),
        Relation.SON,
    )


def test_village_staff_see_no_health_details_and_cannot_erase_them(
    services: Services, make_id: Any
) -> None:
    detail = _register_sensitive(services, make_id)
    services.context.identity = Identity(2, "village", Role.VILLAGE)
    seen = services.households.get(detail.id)
    head = seen.members[0]
    assert head.health_hidden
    assert (head.illness_note, head.mental_disorder, head.disability_category) == ("", False, None)
    assert seen.members[1].child_status == "left_behind"  # 儿童主任 may see child details
    services.households.update_person(
        head.id, head.version,
        PersonInput(name="李秀兰", id_number=None, phone=None, disability_cert_no=None,
                    has_disability_cert=True, note="已入户走访"),
        Relation.HEAD,
    )  # fmt: skip
    services.context.identity = SYSTEM
    stored = services.households.get(detail.id).members[0]
    assert (stored.illness_note, stored.mental_disorder, stored.disability_category) == (
        "精神分裂症", True, "mental",
    )  # fmt: skip
    assert stored.note == "已入户走访"


def test_a_department_contact_sees_and_answers_only_their_department(
    services: Services, make_id: Any
) -> None:
    detail = _register_sensitive(services, make_id)
    services.intake.save(
        IntakeInput(detail.id, (MatterChoice("medical_assistance"), MatterChoice("dangerous_house_renovation")),
                    applicant_id=detail.members[0].id)
    )  # fmt: skip
    everything = services.referrals.page(ReferralFilter()).rows
    assert len({r.department_code for r in everything}) == 2
    medical = next(r for r in everything if r.department_code == "medical_insurance")
    other = next(r for r in everything if r.department_code != "medical_insurance")
    services.context.identity = Identity(3, "yibao", Role.DEPARTMENT, "medical_insurance")
    assert [r.id for r in services.referrals.page(ReferralFilter()).rows] == [medical.id]
    assert [c.department_code for c in services.referrals.counts()] == ["medical_insurance"]
    with pytest.raises(PermissionDeniedError, match="不属于您对接的部门"):
        services.referrals.detail(other.id)
    with pytest.raises(PermissionDeniedError):  # the window's side of the work
        services.referrals.act(medical.id, medical.version, ReferralAction.REMIND, Reply())
    with pytest.raises(PermissionDeniedError):
        services.households.get(detail.id)


# --- audit ---------------------------------------------------------------------------------


def test_changes_and_looks_are_audited_without_personal_data(
    services: Services, make_id: Any
) -> None:
    detail = _register_sensitive(services, make_id)
    full = services.households.reveal_id_number(detail.members[0].id)
    services.households.reveal_phone(detail.members[0].id)
    rows = services.audit.rows(limit=500)
    actions = {(r.action, r.entity) for r in rows}
    assert ("create", "household") in actions
    assert ("create", "person") in actions
    assert ("reveal", "person") in actions
    dump = "\n".join(r.detail for r in rows)
    for private in (full, "13812345678", "精神分裂症", "李秀兰", "52040219700101001X42"):
        assert private not in dump
    created = next(r for r in rows if r.action == "create" and r.entity == "person")
    assert json.loads(created.detail)["id_number"].count("*") == 8
    assert services.audit.verify().first_broken is None


def test_editing_or_deleting_an_audit_row_is_caught(services: Services, make_id: Any) -> None:
    _register_sensitive(services, make_id)
    check = services.audit.verify()
    assert check.first_broken is None
    assert check.rows >= 4
    with services.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM audit_log ORDER BY id"))]
        conn.execute(text("UPDATE audit_log SET actor = 'someone' WHERE id = :i"), {"i": ids[2]})
    assert services.audit.verify().first_broken == ids[2]
    with services.engine.begin() as conn:  # put it back
        conn.execute(text("UPDATE audit_log SET actor = 'system' WHERE id = :i"), {"i": ids[2]})
    assert services.audit.verify().first_broken is None
    with services.engine.begin() as conn:  # delete a row instead
        conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[1]})
    assert services.audit.verify().first_broken == ids[2]


def test_a_full_intake_leaves_no_id_number_in_the_logs(
    services: Services, make_id: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    detail = _register_sensitive(services, make_id)
    services.intake.save(
        IntakeInput(detail.id, (MatterChoice("dibao"), MatterChoice("medical_assistance")),
                    applicant_id=detail.members[0].id)
    )  # fmt: skip
    services.households.reveal_id_number(detail.members[0].id)
    assert caplog.records
    assert re.search(r"\d{17}[\dX]", caplog.text) is None
    assert "李秀兰" not in caplog.text


def test_exports_are_audited_and_full_numbers_need_the_right(
    services: Services, make_id: Any, tmp_path: Any
) -> None:
    from desk_app.domain.ledgers import LedgerKind
    from desk_app.services.ledgers import LedgerRequest
    from reports.ledgers import XlsxSink

    _register_sensitive(services, make_id)
    services.context.identity = Identity(4, "county", Role.COUNTY)
    services.ledgers.export(LedgerRequest(LedgerKind.HOUSEHOLDS), XlsxSink(tmp_path / "h.xlsx"))
    with pytest.raises(PermissionDeniedError):  # exporting, yes; full ID numbers, no
        services.ledgers.export(
            LedgerRequest(LedgerKind.HOUSEHOLDS, full_ids=True), XlsxSink(tmp_path / "f.xlsx")
        )
    assert not (tmp_path / "f.xlsx").exists()
    services.context.identity = SYSTEM
    exports = services.audit.rows(action="export")
    assert [(r.actor, r.entity, r.entity_id) for r in exports] == [
        ("county", "ledger", "households")
    ]
    assert json.loads(exports[0].detail)["full_ids"] is False
