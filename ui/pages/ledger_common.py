"""Pieces the three tabs of the 台账 page share: file dialogs, dates, sizes, permissions.

File dialogs open window-modal with ``open()`` (never ``exec()``) and call back with the
chosen path; the tabs' ``*_to(path)`` / ``load_file(path)`` methods do the work, so tests
and the screenshots skip the dialog. The last folder used is remembered for the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDateEdit, QFileDialog, QLabel, QWidget

from desk_app.domain.security import Permission
from desk_app.services.context import ServiceContext
from ui.dialogs import ERROR_COLOR
from ui.pages.admin_common import to_qdate
from ui.widgets.permission_gate import missing_text

_C = "LedgerPage"

WARNING_COLOR = "#8a5300"
"""Dark amber for cautions (full ID numbers): readable on white, distinct from errors."""

_last_folder: list[Path] = []


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def default_folder() -> Path:
    """The folder of the last file chosen, else the user's documents folder."""
    if _last_folder:
        return _last_folder[0]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def _remember(path: Path) -> None:
    _last_folder[:] = [path.parent]


def ask_save_xlsx(
    parent: QWidget, title: str, file_name: str, chosen: Callable[[Path], object]
) -> QFileDialog:
    """另存为 .xlsx (the dialog itself asks before replacing an existing file)."""
    dialog = QFileDialog(parent, title, str(default_folder() / file_name))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(_tr("Excel 工作簿 (*.xlsx)"))
    dialog.setDefaultSuffix("xlsx")

    def selected(path: str) -> None:
        _remember(Path(path))
        chosen(Path(path))

    dialog.fileSelected.connect(selected)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def ask_open_roster(parent: QWidget, chosen: Callable[[Path], object]) -> QFileDialog:
    """Choose a list file: .xlsx or .csv."""
    dialog = QFileDialog(parent, _tr("选择名单文件"), str(default_folder()))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(
        [_tr("名单文件 (*.xlsx *.csv)"), _tr("Excel 工作簿 (*.xlsx)"), _tr("CSV 文件 (*.csv)")]
    )

    def selected(path: str) -> None:
        _remember(Path(path))
        chosen(Path(path))

    dialog.fileSelected.connect(selected)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def open_folder(path: Path) -> bool:
    """Show the folder holding ``path`` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def size_text(size: int) -> str:
    if size < 1024:
        return _tr("{n} 字节").format(n=size)
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def status_label(name: str) -> QLabel:
    """A wrapped, selectable line of plain text for outcomes (exported, imported, …)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_status(label: QLabel, text: str, color: str = "") -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {color};" if color else "")
    label.setVisible(bool(text))


def show_error_status(label: QLabel, text: str) -> None:
    show_status(label, text, ERROR_COLOR)


def allow(
    context: ServiceContext,
    permission: Permission,
    *widgets: QWidget,
    enabled: bool = True,
    tooltip: str = "",
) -> bool:
    """Enable ``widgets`` when the role has ``permission`` (and ``enabled``); otherwise
    disable them with a tooltip naming the missing permission (issue #8). A courtesy:
    the services refuse anyway. True when allowed."""
    allowed = context.can(permission)
    for widget in widgets:
        widget.setEnabled(allowed and enabled)
        widget.setToolTip(tooltip if allowed else missing_text(context, permission))
    return allowed
