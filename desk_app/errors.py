"""The three kinds of failure the clerk can meet, in one hierarchy.

* :class:`ValidationError` — the input is wrong; the message names the field and the fix.
* :class:`KnownEnvironmentError` — disk full, database locked, file missing; not our bug.
* anything else — a bug: logged with its traceback and shown as such by ``ui.errors``.

Named ``KnownEnvironmentError`` because ``EnvironmentError`` is a builtin alias of OSError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desk_app.i18n import QT_TRANSLATE_NOOP, Message


class DeskAppError(Exception):
    """Base of every error the core raises on purpose; carries a translatable message."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid field: its label as the clerk sees it and what to do about it."""

    field: str
    label: str
    message: Message

    def render(self, translate: object = None) -> str:
        return f"{self.label}：{self.message.render(translate)}"


def problem(field: str, label: str, source: str, **params: object) -> FieldProblem:
    """A field problem whose text is a ``validation`` message (the common case)."""
    return FieldProblem(field, label, Message("validation", source, dict(params)))


class ValidationError(DeskAppError):
    """Input the clerk can correct. Holds every problem found, not just the first."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__(
            Message(
                "errors",
                QT_TRANSLATE_NOOP("errors", "有 {count} 处需要修改：{details}"),
                {
                    "count": len(self.problems),
                    "details": "；".join(p.render() for p in self.problems),
                },
            )
        )

    @classmethod
    def single(cls, field: str, label: str, message: Message) -> ValidationError:
        return cls([FieldProblem(field, label, message)])


class NotFoundError(DeskAppError):
    """The record asked for does not exist (deleted, or a stale id)."""


class ConflictError(DeskAppError):
    """A uniqueness rule would be broken (e.g. the ID number is already registered)."""


class ConcurrentEditError(DeskAppError):
    """Someone saved the same record since it was loaded; reload before editing again."""


class PermissionDeniedError(DeskAppError):
    """The signed-in role may not do this, or nobody is signed in (issue #8)."""


class NotSignedInError(PermissionDeniedError):
    """Nobody is signed in (after 注销, or before sign-in): the window answers with the
    sign-in dialog, so a page still refreshing in the background shows no box for it."""


class KnownEnvironmentError(DeskAppError):
    """The machine, not the program, is at fault: disk full, locked or read-only database."""


class UnexpectedDatabaseError(RuntimeError):
    """A database refusal that no clerk sentence covers: a bug, logged as such.

    Carries only the error class, SQLSTATE, table, column and constraint names and the SQL
    with its placeholders: PostgreSQL's own message repeats the row's values (``DETAIL:
    Failing row contains (…, 张三, …)``), which must never reach a log (non-negotiable 5).
    """


class Cancelled(Exception):  # noqa: N818 - a user decision, not an error condition
    """The user cancelled a long job; its transaction has been rolled back."""
