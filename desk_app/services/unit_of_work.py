"""Unit of work: one session and one transaction per user action.

Leaving the ``with`` block without :meth:`UnitOfWork.commit` rolls back, so a failed
save leaves the data exactly as it was (cosmicpython's rule, aesthetics.md §1.10).
Database failures that are the machine's fault (locked, read-only, disk full) become
:class:`desk_app.errors.KnownEnvironmentError` with a message the clerk can act on.
"""

from __future__ import annotations

import logging
import re
from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desk_app.errors import (
    ConcurrentEditError,
    ConflictError,
    DeskAppError,
    KnownEnvironmentError,
    UnexpectedDatabaseError,
)
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence.db import BEGIN_MODE_OPTION

log = logging.getLogger(__name__)

# (regular expression on the driver's lower-cased message, what the clerk reads)
_ENVIRONMENT_MESSAGES = (
    ("database is locked", QT_TRANSLATE_NOOP("errors", "数据库正被其他程序占用，请稍后重试；如果持续出现，请关闭其他打开该数据库的程序。")),
    ("readonly database", QT_TRANSLATE_NOOP("errors", "数据库文件是只读的，无法保存。请检查文件权限或U盘写保护开关。")),
    ("disk is full", QT_TRANSLATE_NOOP("errors", "磁盘空间已满，无法保存。请清理磁盘后重试，已保存的数据不受影响。")),
    ("unable to open database", QT_TRANSLATE_NOOP("errors", "无法打开数据库文件。请确认存放数据库的磁盘或U盘已连接。")),
    ("disk i/o error", QT_TRANSLATE_NOOP("errors", "读写数据库时磁盘出错。请确认存放数据库的磁盘或U盘已连接。")),
    ("file is not a database", QT_TRANSLATE_NOOP("errors", "这个文件不是本程序的数据库，或已经损坏。请检查路径，或从备份恢复。")),
    ("malformed", QT_TRANSLATE_NOOP("errors", "数据库文件已损坏。请停止使用并从备份恢复，必要时联系管理员。")),
    # PostgreSQL (docs/database.md): the server's own words, lower-cased.
    ("lock timeout", QT_TRANSLATE_NOOP("errors", "数据库正被其他窗口占用（正在保存大批数据），请稍后重试。")),
    ("could not translate host name", QT_TRANSLATE_NOOP("errors", "找不到数据库服务器。请检查服务器名称和网络连接，或联系管理员。")),
    ("connection refused", QT_TRANSLATE_NOOP("errors", "无法连接数据库服务器。请确认服务器已开机、网络已连接，或联系管理员。")),
    ("connection timeout expired", QT_TRANSLATE_NOOP("errors", "连接数据库服务器超时。请检查网络连接，或联系管理员。")),
    ("server closed the connection", QT_TRANSLATE_NOOP("errors", "与数据库服务器的连接中断，本次操作未保存。请检查网络后重试。")),
    ("password authentication failed", QT_TRANSLATE_NOOP("errors", "数据库服务器拒绝登录：用户名或密码不正确。请联系管理员检查连接设置。")),
    ('database ".*" does not exist', QT_TRANSLATE_NOOP("errors", "数据库服务器上没有这个数据库。请联系管理员按 docs/database.md 创建。")),
    ("no space left on device", QT_TRANSLATE_NOOP("errors", "数据库服务器磁盘空间已满，无法保存。请联系管理员，已保存的数据不受影响。")),
)  # fmt: skip

# Unique rules the database enforces (the services check them first; these catch the
# race with a second window). SQLite names the columns, PostgreSQL the constraint.
_CONFLICT_MESSAGES = (
    (("person.id_number", "uq_person_id_number"), QT_TRANSLATE_NOOP("errors", "该身份证号码刚被其他窗口登记。请搜索该号码后再操作。")),
    (("person.household_id", "uq_person_household_head"), QT_TRANSLATE_NOOP("errors", "本户已有户主；如需更换，请使用“设为户主”。")),
    (("household.number", "uq_household_number"), QT_TRANSLATE_NOOP("errors", "户编号刚被其他窗口占用，请重新保存。")),
)  # fmt: skip
_STALE = QT_TRANSLATE_NOOP("errors", "这条记录刚被其他窗口修改过。请重新载入后再修改。")


def environment_error(exc: DBAPIError) -> KnownEnvironmentError | None:
    """Map a driver error that the machine caused to a clerk-readable error, else None."""
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    for pattern, message in _ENVIRONMENT_MESSAGES:
        if re.search(pattern, text):
            return KnownEnvironmentError(Message("errors", message))
    return None


def conflict_error(exc: IntegrityError) -> ConflictError | None:
    """Map a unique-rule violation to the sentence the clerk reads, else None."""
    text = str(exc.orig)
    for needles, message in _CONFLICT_MESSAGES:
        if any(n in text for n in needles):
            return ConflictError(Message("errors", message))
    return None


def translated(exc: BaseException) -> DeskAppError | None:
    """The clerk-facing error for a database failure, or None when it is a bug."""
    if isinstance(exc, StaleDataError):
        return ConcurrentEditError(Message("errors", _STALE))
    if isinstance(exc, IntegrityError):
        return conflict_error(exc)
    if isinstance(exc, DBAPIError):
        return environment_error(exc)
    return None


class UnitOfWork:
    """``with uow:`` opens a session; ``uow.commit()`` is the only way to keep changes."""

    session: Session

    def __init__(self, session_factory: sessionmaker[Session], *, write: bool) -> None:
        self._session_factory = session_factory
        self._write = write

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        if self._write:
            # Take SQLite's write lock at BEGIN, so a busy database makes us wait
            # (busy_timeout) instead of failing at the first INSERT half-way through.
            try:
                self.session.connection(execution_options={BEGIN_MODE_OPTION: "IMMEDIATE"})
            except OperationalError as exc:
                self.session.close()
                raise environment_error(exc) or exc from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
        # Wherever inside the block the database refused (a flush or the commit), the
        # clerk gets a sentence, not a traceback; anything unknown stays a bug.
        mapped = translated(exc) if exc is not None else None
        if mapped is not None:
            raise mapped from exc
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "diag", None) is not None:
            raise without_values(exc) from None

    def commit(self) -> None:
        self.session.commit()


def without_values(exc: DBAPIError) -> UnexpectedDatabaseError:
    """``exc`` described by names only (see :class:`desk_app.errors.UnexpectedDatabaseError`)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    names = {
        "sqlstate": getattr(orig, "sqlstate", None),
        "table": getattr(diag, "table_name", None),
        "column": getattr(diag, "column_name", None),
        "constraint": getattr(diag, "constraint_name", None),
    }
    where = ", ".join(f"{k}={v}" for k, v in names.items() if v)
    return UnexpectedDatabaseError(f"{type(orig).__name__} ({where}) in: {exc.statement}")
