"""Buttons and actions the signed-in role may not use: disabled, with a tooltip naming the
missing permission (issue #8).

A courtesy only: the services check every operation themselves and the window shows
their refusal (``ui.errors``). A gated widget stays disabled even when its page enables
it again after a selection change (an event filter puts it back).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desk_app.domain.security import Permission
from desk_app.services.context import ServiceContext, permission_label

_GATED = "_desk_app_gated"


def missing_text(context: ServiceContext, permission: Permission) -> str:
    """需要“…”权限 (and the role that lacks it), for a tooltip or a status line."""
    role = context.role
    text = QCoreApplication.translate("security", "需要“{permission}”权限").format(
        permission=QCoreApplication.translate("security", permission_label(permission))
    )
    if role is None:
        return text
    return QCoreApplication.translate("security", "{text}（当前角色：{role}）").format(
        text=text, role=QCoreApplication.translate("security", role.label)
    )


class _KeepDisabled(QObject):
    """Undo any later ``setEnabled(True)`` on the watched widget."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.EnabledChange
            and isinstance(watched, QWidget)
            and watched.isEnabled()
        ):
            watched.setEnabled(False)
        return False


def gate(widget: QWidget | None, context: ServiceContext, permission: Permission) -> bool:
    """Disable ``widget`` for good unless the role has ``permission``; True when allowed."""
    if widget is None:
        return True
    if context.can(permission):
        return True
    lock_widget(widget, missing_text(context, permission))
    return False


def lock_widget(widget: QWidget, tooltip: str) -> None:
    """Disable ``widget`` for good (its owner may enable it again; it stays disabled)."""
    widget.setToolTip(tooltip)
    widget.setEnabled(False)
    if not widget.property(_GATED):
        widget.setProperty(_GATED, True)
        widget.installEventFilter(_KeepDisabled(widget))


def is_gated(widget: QWidget) -> bool:
    return bool(widget.property(_GATED))


def gate_action(action: QAction | None, context: ServiceContext, permission: Permission) -> bool:
    """:func:`gate` for a menu action or shortcut."""
    if action is None or context.can(permission):
        return True
    text = missing_text(context, permission)
    action.setToolTip(text)
    action.setStatusTip(text)
    action.setEnabled(False)

    def keep_disabled() -> None:
        if action.isEnabled():
            action.setEnabled(False)

    action.changed.connect(keep_disabled)
    return False
