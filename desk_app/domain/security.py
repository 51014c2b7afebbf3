"""Roles, permissions, password rules and hashing (issue #8; anchors.md §5 R2, R3).

Pure: no database. The services check a :class:`Permission` for every operation
(:func:`desk_app.services.context.ServiceContext.require`); hiding a button in the window
is a courtesy, not the control. Roles follow domain.md §6.1 "Suggested app roles".

Passwords: PBKDF2-HMAC-SHA256 with 600,000 iterations and a 16-byte salt (ASVS 5.0
11.4.2 / Appendix C; ``hashlib`` only, no extra dependency), at least 8 characters, at
most 128, and not one of the common passwords shipped in ``common_passwords.txt``
(ASVS 6.2.1, 6.2.4, 6.2.9). The stored form records the algorithm and iterations so that
a later increase re-hashes on the next sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from enum import StrEnum
from functools import cache
from importlib import resources

from desk_app.i18n import QT_TRANSLATE_NOOP

_C = "security"

PBKDF2_ITERATIONS = 600_000
SALT_BYTES = 16
MIN_PASSWORD = 8
MAX_PASSWORD = 128


class Role(StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    VILLAGE = "village"
    COUNTY = "county"
    DEPARTMENT = "department"
    ADMIN = "admin"
    SYSTEM = "system"
    """The command line run on the PC itself (demo, print, export …): an administrator's
    tool; never a sign-in role in the window."""

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: QT_TRANSLATE_NOOP(_C, "窗口受理员"),
    Role.REVIEWER: QT_TRANSLATE_NOOP(_C, "乡镇审核员"),
    Role.VILLAGE: QT_TRANSLATE_NOOP(_C, "村协理员/儿童主任"),
    Role.COUNTY: QT_TRANSLATE_NOOP(_C, "县民政审核员（只读、导出）"),
    Role.DEPARTMENT: QT_TRANSLATE_NOOP(_C, "部门对接人"),
    Role.ADMIN: QT_TRANSLATE_NOOP(_C, "管理员"),
    Role.SYSTEM: QT_TRANSLATE_NOOP(_C, "命令行（本机）"),
}

SIGN_IN_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)


class Permission(StrEnum):
    READ_REGISTRY = "read_registry"
    EDIT_REGISTRY = "edit_registry"
    REVEAL_FULL = "reveal_full"
    """Show an ID number, phone or bank account in full (logged, times out)."""
    VIEW_HEALTH = "view_health"
    """Diagnoses, illness notes, mental-health data (PIPL Art. 28 医疗健康)."""
    VIEW_CHILD = "view_child"
    """Child status: orphan, left-behind, in difficulty (PIPL Art. 28 minors)."""
    INTAKE = "intake"
    READ_REFERRALS = "read_referrals"
    WORK_REFERRALS = "work_referrals"
    """Send, remind, reroute, follow up (the window's side)."""
    REPLY_REFERRALS = "reply_referrals"
    """Record a department's reply; a 部门对接人 only for their own department."""
    ASSESS = "assess"
    DECIDE = "decide"
    """Record a reviewer's decision on a computation (乡镇审核)."""
    NOTICES = "notices"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import_rosters"
    SETTINGS = "settings"
    """Catalogue, parameters, holidays, parameter sets, the window's identity."""
    USERS = "users"
    AUDIT = "audit"


_ALL = frozenset(Permission)
_READ = frozenset({Permission.READ_REGISTRY, Permission.READ_REFERRALS})

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _READ
    | {
        Permission.EDIT_REGISTRY, Permission.VIEW_HEALTH, Permission.VIEW_CHILD,
        Permission.INTAKE, Permission.WORK_REFERRALS, Permission.REPLY_REFERRALS,
        Permission.ASSESS, Permission.PRINT, Permission.REVEAL_FULL, Permission.NOTICES,
    },
    Role.REVIEWER: _READ
    | {
        Permission.EDIT_REGISTRY, Permission.VIEW_HEALTH, Permission.VIEW_CHILD,
        Permission.WORK_REFERRALS, Permission.REPLY_REFERRALS, Permission.ASSESS,
        Permission.DECIDE, Permission.NOTICES, Permission.PRINT, Permission.EXPORT,
        Permission.IMPORT, Permission.REVEAL_FULL,
    },
    # Field records, discovery and the child registry (儿童主任): no health details.
    Role.VILLAGE: _READ | {Permission.EDIT_REGISTRY, Permission.VIEW_CHILD, Permission.INTAKE},
    Role.COUNTY: _READ | {Permission.VIEW_HEALTH, Permission.VIEW_CHILD, Permission.EXPORT},
    # Their own department's referrals only; no registry details beyond the referral.
    Role.DEPARTMENT: frozenset({Permission.READ_REFERRALS, Permission.REPLY_REFERRALS}),
    Role.ADMIN: _READ
    | {
        Permission.SETTINGS, Permission.USERS, Permission.AUDIT, Permission.EXPORT,
        Permission.PRINT,
    },
    Role.SYSTEM: _ALL,
}  # fmt: skip


def allowed(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in MATRIX[role]


# --- passwords -------------------------------------------------------------------------------


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used (Chinese), or None."""
    if len(password) < MIN_PASSWORD:
        return QT_TRANSLATE_NOOP(_C, "密码至少8个字符；建议用一句好记的话，15个字符以上更安全")
    if len(password) > MAX_PASSWORD:
        return QT_TRANSLATE_NOOP(_C, "密码最多128个字符")
    folded = password.lower()
    if folded in common_passwords():
        return QT_TRANSLATE_NOOP(_C, "这个密码太常见，容易被猜中，请换一个")
    if username and username.lower() in folded:
        return QT_TRANSLATE_NOOP(_C, "密码不能包含用户名")
    return None


def _normal(password: str) -> bytes:
    # NFKC: a full-width IME and a half-width keyboard give the same password.
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", _normal(password), salt, iterations)
    b64 = base64.b64encode
    return f"pbkdf2_sha256${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != "pbkdf2_sha256":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.pbkdf2_hmac(
            "sha256", _normal(password), base64.b64decode(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str) -> bool:
    parts = stored.split("$")
    return len(parts) != 4 or parts[0] != "pbkdf2_sha256" or int(parts[1]) < PBKDF2_ITERATIONS
