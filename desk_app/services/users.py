"""Users, sign-in, lockout and the idle lock (issue #8; anchors.md §5 R3).

The first administrator is created at first start (only while there is no user at all).
Sign-in compares a PBKDF2 hash (desk_app.domain.security); repeated failures lock the
account for a while; both numbers and the idle-lock minutes are parameters
(``auth.max_failures``, ``auth.lockout_minutes``, ``auth.idle_lock_minutes``) with
effective dates like every other (system settings → 参数). The answer to a failed
sign-in never says whether the user name exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.security import (
    SIGN_IN_ROLES,
    Permission,
    Role,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from desk_app.errors import (
    ConflictError,
    DeskAppError,
    FieldProblem,
    NotFoundError,
    ValidationError,
    problem,
)
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.models import AppUser, Department
from desk_app.services import audit
from desk_app.services.context import Identity, ServiceContext, requires
from desk_app.services.parameters import parameters_on
from desk_app.services.uow_factory import UowFactory

log = logging.getLogger(__name__)

_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCKOUT_MINUTES = 15
DEFAULT_IDLE_MINUTES = 10


class SignInError(DeskAppError):
    """Wrong name or password, a locked or a disabled account (the message says which,
    except that a wrong name and a wrong password read the same)."""


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    department_code: str
    active: bool
    locked_until: dt.datetime | None
    last_sign_in: dt.datetime | None
    must_change: bool
    version: int


@dataclass(frozen=True, slots=True)
class UserInput:
    username: str
    display_name: str
    role: Role
    password: str
    department_code: str = ""


class UserService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    # --- first start and sign-in (no permission: nobody is signed in yet) ------------------

    def has_users(self) -> bool:
        with self._uow(write=False) as uow:
            return bool(uow.session.scalar(select(func.count()).select_from(AppUser)))

    def create_first_admin(self, data: UserInput) -> UserRow:
        """The first administrator, at first start; refused once any user exists."""
        if data.role is not Role.ADMIN:
            raise ValueError("the first user is an administrator")
        _raise_if(_user_problems(data, new=True))
        with self._uow(write=True) as uow:
            s = uow.session
            if s.scalar(select(func.count()).select_from(AppUser)):
                raise ConflictError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "已经有用户，不能再创建首个管理员；请用管理员账号登录后添加。"))
                )  # fmt: skip
            user = self._new_user(s, data)
            audit.record(s, self._context, "create_first_admin", "app_user", user.id)
            row = _row(user)
            uow.commit()
        log.info("first administrator created")
        return row

    def sign_in(self, username: str, password: str) -> Identity:
        """Check the password and make this user the one the services act for."""
        now = self._context.clock()
        name = _fold(username)
        with self._uow(write=True) as uow:
            s = uow.session
            user = s.scalars(select(AppUser).where(AppUser.username == name)).first()
            max_failures, lockout = self._limits(s, now.date())
            if user is not None and user.locked_until is not None and user.locked_until > now:
                audit.record(s, _as(self._context, user), "sign_in_locked", "app_user", user.id)
                uow.commit()
                raise SignInError(_locked_message(user.locked_until))
            if user is None or not user.active or not verify_password(password, user.password_hash):
                if user is not None and user.active:
                    user.failed_count += 1
                    if user.failed_count >= max_failures:
                        user.locked_until = now + dt.timedelta(minutes=lockout)
                        user.failed_count = 0
                    audit.record(s, _as(self._context, user), "sign_in_failed", "app_user", user.id)
                    locked_until = (
                        user.locked_until if user.locked_until and user.locked_until > now else None
                    )
                    uow.commit()
                    log.info("sign-in failed for user %s", user.id)
                    if locked_until is not None:
                        raise SignInError(_locked_message(locked_until))
                elif user is not None:
                    raise SignInError(
                        Message(
                            "errors", QT_TRANSLATE_NOOP("errors", "该账号已停用，请联系管理员。")
                        )
                    )
                raise SignInError(
                    Message("errors", QT_TRANSLATE_NOOP("errors", "用户名或密码不正确。"))
                )
            user.failed_count = 0
            user.locked_until = None
            user.last_sign_in = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            identity = Identity(user.id, user.username, Role(user.role), user.department_code or "")
            self._context.identity = identity
            self._context.operator.name = user.display_name
            audit.record(s, self._context, "sign_in", "app_user", user.id)
            uow.commit()
        log.info("signed in: user %s (%s)", identity.user_id, identity.role.value)
        return identity

    def sign_out(self) -> None:
        if self._context.identity is None:
            return
        with self._uow(write=True) as uow:
            audit.record(
                uow.session, self._context, "sign_out", "app_user", self._context.identity.user_id
            )
            uow.commit()
        self._context.identity = None
        self._context.operator.name = ""

    @requires(None)
    def confirm_password(self, password: str) -> bool:
        """Unlock the idle-locked screen: the signed-in user's own password again."""
        identity = self._context.identity
        assert identity is not None
        if identity.user_id is None:
            return True
        with self._uow(write=True) as uow:
            user = uow.session.get(AppUser, identity.user_id)
            ok = user is not None and user.active and verify_password(password, user.password_hash)
            audit.record(
                uow.session,
                self._context,
                "unlock" if ok else "unlock_failed",
                "app_user",
                identity.user_id,
            )
            uow.commit()
        return ok

    @requires(None)
    def current_user(self) -> UserRow | None:
        """The signed-in user's own row (e.g. whether they must change the password);
        None for the command line, which has no user."""
        identity = self._context.identity
        assert identity is not None
        if identity.user_id is None:
            return None
        with self._uow(write=False) as uow:
            user = uow.session.get(AppUser, identity.user_id)
            return _row(user) if user is not None else None

    @requires(None)
    def idle_lock_minutes(self) -> int:
        with self._uow(write=False) as uow:
            minutes, _ = parameters_on(uow.session, self._context.today()).number(
                "auth.idle_lock_minutes"
            )
        return minutes if minutes and minutes > 0 else DEFAULT_IDLE_MINUTES

    @requires(None)
    def change_own_password(self, old: str, new: str) -> None:
        identity = self._context.identity
        assert identity is not None
        if identity.user_id is None:
            raise ValueError("the command line has no password")
        with self._uow(write=True) as uow:
            user = uow.session.get(AppUser, identity.user_id)
            if user is None or not verify_password(old, user.password_hash):
                raise ValidationError([problem("old", "原密码", "原密码不正确")])
            weak = password_problem(new, user.username)
            if weak:
                raise ValidationError([problem("password", "新密码", weak)])
            user.password_hash = hash_password(new)
            user.must_change = False
            audit.record(uow.session, self._context, "password_changed", "app_user", user.id)
            uow.commit()

    # --- administration --------------------------------------------------------------------

    @requires(Permission.USERS)
    def users(self) -> tuple[UserRow, ...]:
        with self._uow(write=False) as uow:
            return tuple(
                _row(u) for u in uow.session.scalars(select(AppUser).order_by(AppUser.username))
            )

    @requires(Permission.USERS)
    def create(self, data: UserInput) -> UserRow:
        _raise_if(_user_problems(data, new=True))
        with self._uow(write=True) as uow:
            s = uow.session
            if s.scalars(select(AppUser).where(AppUser.username == _fold(data.username))).first():
                raise ValidationError([problem("username", "用户名", "该用户名已被使用")])
            if data.role is Role.DEPARTMENT and s.get(Department, data.department_code) is None:
                raise ValidationError(
                    [problem("department_code", "对接部门", "请选择部门对接人所在的部门")]
                )
            user = self._new_user(s, data, must_change=True)
            row = _row(user)
            uow.commit()
        log.info("user created: %s (%s)", row.id, row.role.value)
        return row

    @requires(Permission.USERS)
    def set_active(self, user_id: int, active: bool, version: int) -> UserRow:
        with self._uow(write=True) as uow:
            user = _user(uow.session, user_id, version)
            if not active and user.id == (
                self._context.identity.user_id if self._context.identity else None
            ):
                raise ValidationError([problem("active", "状态", "不能停用自己正在使用的账号")])
            user.active = active
            uow.session.flush()
            row = _row(user)
            uow.commit()
        return row

    @requires(Permission.USERS)
    def reset_password(self, user_id: int, password: str, version: int) -> UserRow:
        """Set a temporary password; the user must change it at the next sign-in."""
        with self._uow(write=True) as uow:
            user = _user(uow.session, user_id, version)
            weak = password_problem(password, user.username)
            if weak:
                raise ValidationError([problem("password", "密码", weak)])
            user.password_hash = hash_password(password)
            user.must_change = True
            user.locked_until = None
            user.failed_count = 0
            uow.session.flush()
            row = _row(user)
            uow.commit()
        return row

    # --- internals -------------------------------------------------------------------------

    def _new_user(self, s: Session, data: UserInput, *, must_change: bool = False) -> AppUser:
        user = AppUser(
            username=_fold(data.username), display_name=data.display_name.strip(),
            role=data.role.value,
            department_code=data.department_code or None if data.role is Role.DEPARTMENT else None,
            password_hash=hash_password(data.password), active=True, failed_count=0,
            must_change=must_change, created_at=self._context.clock(),
        )  # fmt: skip
        s.add(user)
        s.flush()
        return user

    def _limits(self, s: Session, on: dt.date) -> tuple[int, int]:
        table = parameters_on(s, on)
        failures, _ = table.number("auth.max_failures")
        minutes, _ = table.number("auth.lockout_minutes")
        return (failures or DEFAULT_MAX_FAILURES, minutes or DEFAULT_LOCKOUT_MINUTES)


def _as(context: ServiceContext, user: AppUser) -> ServiceContext:
    """A context naming the user who tried to sign in, for the audit row of that attempt."""
    return ServiceContext(
        clock=context.clock, identity=Identity(user.id, user.username, Role(user.role))
    )


def _locked_message(until: dt.datetime) -> Message:
    return Message(
        "errors",
        QT_TRANSLATE_NOOP(
            "errors", "密码错误次数过多，账号已锁定至 {until}。请稍后再试，或请管理员重设密码。"
        ),
        {"until": until.strftime("%H:%M")},
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)


def _user_problems(data: UserInput, *, new: bool) -> list[FieldProblem]:
    problems = []
    if not _USERNAME_RE.match(_fold(data.username)):
        problems.append(
            problem("username", "用户名", "用户名为2至40个字母、数字或 _ . -，例如 wangli")
        )
    if not data.display_name.strip() or len(data.display_name.strip()) > 40:
        problems.append(
            problem(
                "display_name", "姓名", "请填写使用人的姓名（不超过40个字），打印文书时作为经办人"
            )
        )
    if data.role not in SIGN_IN_ROLES:
        problems.append(problem("role", "角色", "请选择角色"))
    if new:
        why = password_problem(data.password, _fold(data.username))
        if why:
            problems.append(problem("password", "密码", why))
    return problems


def _row(u: AppUser) -> UserRow:
    return UserRow(
        u.id, u.username, u.display_name, Role(u.role), u.department_code or "", u.active,
        u.locked_until, u.last_sign_in, u.must_change, u.version,
    )  # fmt: skip


def _user(s: Session, user_id: int, version: int) -> AppUser:
    from desk_app.errors import ConcurrentEditError  # noqa: PLC0415 - rare path

    user = s.get(AppUser, user_id)
    if user is None:
        raise NotFoundError(Message("errors", QT_TRANSLATE_NOOP("errors", "找不到该用户。")))
    if user.version != version:
        raise ConcurrentEditError(
            Message(
                "errors",
                QT_TRANSLATE_NOOP("errors", "该用户已被其他窗口修改，请重新载入后再操作。"),
            )
        )
    return user
