"""What every service needs besides a database: the clock and who is at the window.

Who is at the window decides what they may do (issue #8): every public service operation
is declared with :func:`requires` and checks the signed-in role *in the service*, so a
button hidden in the window is never the only control. Nobody signed in means no rights;
the command line runs on the PC itself as :attr:`Role.SYSTEM` (an administrator's tool).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from desk_app.domain.security import Permission, Role, allowed
from desk_app.errors import NotSignedInError, PermissionDeniedError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    """Local wall-clock time without tz: halls work in one zone and read local times."""
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Operator:
    """The person working at this window: their display name (for history and prints)."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the services act for. ``department_code``: a 部门对接人's own department."""

    user_id: int | None
    username: str
    role: Role
    department_code: str = ""


SYSTEM = Identity(None, "system", Role.SYSTEM)


@dataclass
class ServiceContext:
    clock: Clock = local_now
    operator: Operator = field(default_factory=Operator)
    identity: Identity | None = None

    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def actor(self) -> str:
        return self.operator.name or (self.identity.username if self.identity else "") or "—"

    @property
    def role(self) -> Role | None:
        return self.identity.role if self.identity else None

    def can(self, permission: Permission) -> bool:
        return allowed(self.role, permission)

    def require(self, permission: Permission | None) -> None:
        """Raise unless someone is signed in and (if given) their role has ``permission``."""
        if self.identity is None:
            raise NotSignedInError(
                Message("errors", QT_TRANSLATE_NOOP("errors", "请先登录，再进行此操作。"))
            )
        if permission is not None and not self.can(permission):
            raise PermissionDeniedError(
                Message(
                    "errors",
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "您的角色（{role}）没有“{permission}”权限。如需办理，请联系管理员。",
                    ),
                    {"role": self.identity.role.label, "permission": permission_label(permission)},
                )
            )


def permission_label(permission: Permission) -> str:
    return _PERMISSION_LABELS[permission]


_PERMISSION_LABELS: dict[Permission, str] = {
    Permission.READ_REGISTRY: QT_TRANSLATE_NOOP("security", "查看户籍"),
    Permission.EDIT_REGISTRY: QT_TRANSLATE_NOOP("security", "登记和修改户籍"),
    Permission.REVEAL_FULL: QT_TRANSLATE_NOOP("security", "查看完整证件号、电话"),
    Permission.VIEW_HEALTH: QT_TRANSLATE_NOOP("security", "查看疾病和精神健康信息"),
    Permission.VIEW_CHILD: QT_TRANSLATE_NOOP("security", "查看儿童信息"),
    Permission.INTAKE: QT_TRANSLATE_NOOP("security", "窗口受理"),
    Permission.READ_REFERRALS: QT_TRANSLATE_NOOP("security", "查看转介"),
    Permission.WORK_REFERRALS: QT_TRANSLATE_NOOP("security", "办理转介（发送、催办、改派、回访）"),
    Permission.REPLY_REFERRALS: QT_TRANSLATE_NOOP("security", "登记部门答复"),
    Permission.ASSESS: QT_TRANSLATE_NOOP("security", "救助测算"),
    Permission.DECIDE: QT_TRANSLATE_NOOP("security", "记录审核结论"),
    Permission.NOTICES: QT_TRANSLATE_NOOP("security", "公示与异议"),
    Permission.PRINT: QT_TRANSLATE_NOOP("security", "打印文书"),
    Permission.EXPORT: QT_TRANSLATE_NOOP("security", "导出台账"),
    Permission.IMPORT: QT_TRANSLATE_NOOP("security", "导入名册"),
    Permission.SETTINGS: QT_TRANSLATE_NOOP("security", "系统设置"),
    Permission.USERS: QT_TRANSLATE_NOOP("security", "用户管理"),
    Permission.AUDIT: QT_TRANSLATE_NOOP("security", "查看审计记录"),
}


class HasContext(Protocol):
    _context: ServiceContext


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=HasContext)


def requires(
    permission: Permission | None,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Declare and check the permission of a service operation (before any database work).

    ``None``: any signed-in user (e.g. the window's own name for the title bar).
    """

    def decorate(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(fn)
        def checked(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            self._context.require(permission)
            return fn(self, *args, **kwargs)

        checked.__dict__["permission"] = permission
        return checked

    return decorate


_UNDECLARED = object()


def permission_of(method: Any) -> Any:
    """The permission a service method declares; ``UNDECLARED`` when it declares none."""
    return getattr(method, "permission", _UNDECLARED)


UNDECLARED = _UNDECLARED
