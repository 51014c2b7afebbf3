"""The main window adapted to the signed-in role (issue #8).

Pages the role may not open are greyed in the navigation with a tooltip naming the
missing permission; buttons and menu actions it may not use are disabled the same way
(:mod:`ui.widgets.permission_gate`). A courtesy: the services refuse anyway, and
``ui.errors`` shows the refusal.

Widgets are looked up by attribute name, so a page that lacks one (or is being
rebuilt) is simply skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desk_app.domain.intake import ReferralAction
from desk_app.domain.security import Permission
from desk_app.services.context import ServiceContext
from ui.widgets.permission_gate import gate, gate_action, missing_text

if TYPE_CHECKING:
    from ui.main_window import MainWindow

P = Permission

PAGES: tuple[tuple[str, tuple[Permission, ...]], ...] = (
    ("intake_page", (P.READ_REGISTRY,)),
    ("registry_page", (P.READ_REGISTRY,)),
    ("queue_page", (P.READ_REFERRALS,)),
    ("kpi_page", (P.READ_REFERRALS,)),
    ("notice_page", (P.READ_REGISTRY,)),
    ("ledger_page", (P.EXPORT, P.IMPORT)),
    ("admin_page", (P.SETTINGS, P.USERS, P.AUDIT)),
)
"""Each page and the permissions that open it (any one of them)."""

WIDGETS: tuple[tuple[str, str, Permission], ...] = (
    ("intake_page", "save_button", P.INTAKE),
    ("intake_page", "new_household_button", P.EDIT_REGISTRY),
    ("intake_page", "print_receipt_button", P.PRINT),
    ("registry_page", "new_household_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "edit_household_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "add_member_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "edit_member_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "move_member_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "change_head_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "add_category_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "end_category_button", P.EDIT_REGISTRY),
    ("registry_page.panel", "assessment_button", P.ASSESS),
    ("registry_page.panel", "documents_button", P.PRINT),
    ("queue_page.detail_panel", "reroute_button", P.WORK_REFERRALS),
    ("queue_page.detail_panel", "timeline_button", P.READ_REGISTRY),
    ("queue_page.detail_panel", "print_button", P.PRINT),
    ("notice_page", "new_button", P.NOTICES),
    ("notice_page", "post_button", P.NOTICES),
    ("notice_page", "close_button", P.NOTICES),
    ("notice_page", "objection_button", P.NOTICES),
    ("notice_page", "resolve_button", P.NOTICES),
    ("notice_page", "preview_button", P.PRINT),
)
"""Buttons inside pages: (page path, attribute, permission)."""

ACTIONS: tuple[tuple[str, Permission], ...] = (
    ("new_household_action", P.EDIT_REGISTRY),
    ("site_action", P.SETTINGS),
)

REPLIES = (ReferralAction.ACCEPT, ReferralAction.COMPLETE, ReferralAction.RETURN)


def _find(root: Any, path: str) -> Any:
    for name in path.split("."):
        root = getattr(root, name, None)
        if root is None:
            return None
    return root


def page_allowed(context: ServiceContext, page_name: str) -> bool:
    needed = dict(PAGES).get(page_name, ())
    return not needed or any(context.can(p) for p in needed)


def _built_page(window: Any, name: str) -> Any:
    """The page if it exists; a window that builds pages on first use is not made to."""
    built = getattr(window, "built_page", None)
    return built(name) if callable(built) else getattr(window, name, None)


def _page_row(window: Any, name: str) -> int:
    rows = getattr(window, "page_row", None)
    if callable(rows):
        return int(rows(name))
    page = getattr(window, name, None)
    return window.pages.indexOf(page) if isinstance(page, QWidget) else -1


def adapt_window(window: MainWindow) -> None:
    """Grey what the role may not open or use; move to the first page it may open.

    Inside pages, only those built so far are adapted; the window calls
    :func:`adapt_page` for a page it builds later.
    """
    context = window.services.context
    first_allowed = -1
    for page_name, needed in PAGES:
        row = _page_row(window, page_name)
        if not 0 <= row < window.nav.count():
            continue
        item = window.nav.item(row)
        allowed = any(context.can(p) for p in needed)
        action = getattr(window, "go_actions", {}).get(row)
        if allowed:
            if first_allowed < 0:
                first_allowed = row
            continue
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
        tip = missing_text(context, needed[0])
        item.setToolTip(tip)
        if isinstance(action, QAction):
            gate_action(action, context, needed[0])
    current = window.nav.currentRow()
    if (
        0 <= current < window.nav.count()
        and not window.nav.item(current).flags() & Qt.ItemFlag.ItemIsEnabled
        and first_allowed >= 0
    ):
        window.nav.setCurrentRow(first_allowed)
    for page_name, _needed in PAGES:
        adapt_page(window, page_name)
    for attribute, permission in ACTIONS:
        action = getattr(window, attribute, None)
        if isinstance(action, QAction):
            gate_action(action, context, permission)


def adapt_page(window: MainWindow, page_name: str) -> None:
    """Disable the buttons of one page (if built) that the role may not use."""
    context = window.services.context
    page = _built_page(window, page_name)
    if page is None:
        return
    for page_path, attribute, permission in WIDGETS:
        first, _, rest = page_path.partition(".")
        if first != page_name:
            continue
        owner = _find(page, rest) if rest else page
        widget = getattr(owner, attribute, None) if owner is not None else None
        if isinstance(widget, QWidget):
            gate(widget, context, permission)
    if page_name == "queue_page":
        buttons = _find(page, "detail_panel.action_buttons")
        if isinstance(buttons, dict):
            for action_key, button in buttons.items():
                needed = P.REPLY_REFERRALS if action_key in REPLIES else P.WORK_REFERRALS
                gate(button, context, needed)
    if page_name == "admin_page" and hasattr(page, "apply_role"):
        page.apply_role()
