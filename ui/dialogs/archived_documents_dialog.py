"""存档文书: what was printed, exported or posted for one household, and reprint it as it was.

Each row is one archived PDF (stored once per distinct file) with every print, export and
posting of it: who, when, how many copies. 预览/重印… opens the stored bytes themselves,
so a reprint is exactly what was handed over or signed; the reprint is logged in turn.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.documents import ArchivedInfo, DocumentEventRow, DocumentService
from ui.dialogs.document_preview import DocumentPreviewDialog, open_archived
from ui.errors import show_error

_ACTION_TEXT = {
    "print": QT_TRANSLATE_NOOP("ArchivedDocuments", "打印"),
    "pdf": QT_TRANSLATE_NOOP("ArchivedDocuments", "导出PDF"),
    "publish": QT_TRANSLATE_NOOP("ArchivedDocuments", "张贴公示"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate("ArchivedDocuments", source)


def event_text(e: DocumentEventRow) -> str:
    """``2026-05-01 09:30 王芳 打印2份``."""
    action = _tr(_ACTION_TEXT.get(e.action, e.action))
    copies = _tr("{n}份").format(n=e.copies) if e.action != "pdf" else ""
    return f"{e.at:%Y-%m-%d %H:%M} {e.actor} {action}{copies}"


class ArchivedDocumentsDialog(QDialog):
    """The archive of one household (or of all, ``household_id`` None), newest first."""

    def __init__(
        self,
        documents: DocumentService,
        household_id: int | None,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._documents = documents
        self.household_id = household_id
        self.infos: tuple[ArchivedInfo, ...] = ()
        self.preview: DocumentPreviewDialog | None = None
        self.setWindowTitle(_tr("存档文书"))
        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("archiveTable")
        self.table.setHorizontalHeaderLabels(
            [_tr("存档时间"), _tr("文书"), _tr("编号"), _tr("页数"), _tr("打印、导出记录")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(lambda _i: self.reprint())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(_tr("本户还没有打印或导出过文书。"))
        self.empty_label.setStyleSheet("color: #555555;")

        box = QDialogButtonBox()
        self.reprint_button = QPushButton(_tr("预览/重印(&P)…"))
        self.reprint_button.setDefault(True)
        box.addButton(self.reprint_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        self.reprint_button.clicked.connect(self.reprint)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(box)
        self.resize(820, 420)
        self.reload()

    def reload(self) -> None:
        try:
            self.infos = self._documents.archived(self.household_id)
        except DeskAppError as exc:
            show_error(self, exc)
            self.infos = ()
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            cells = (
                f"{info.created_at:%Y-%m-%d %H:%M}",
                info.title,
                info.number,
                str(info.pages),
                "\n".join(event_text(e) for e in info.events),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.empty_label.setVisible(not self.infos)
        if self.infos:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> ArchivedInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.reprint_button.setEnabled(self.selected() is not None)

    def reprint(self) -> DocumentPreviewDialog | None:
        info = self.selected()
        if info is None:
            return None
        self.preview = open_archived(self, self._documents, info)
        if self.preview is not None:
            self.preview.finished.connect(lambda _r: self.reload())
        return self.preview
