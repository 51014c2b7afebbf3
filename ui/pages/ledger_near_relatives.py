"""近亲属备案: the register of recipients related to officials and village cadres.

Reading needs 查看户籍, recording and deleting 登记和修改户籍 (the services check both).
The register is exported with the other ledgers (导出台账 → 近亲属备案台账).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.near_relatives import NearRelativeRow
from ui.dialogs import open_dialog
from ui.dialogs.near_relative_dialog import NearRelativeDialog
from ui.errors import show_error
from ui.pages.admin_common import fill_row, find_row, selected_code, setup_table, table_item
from ui.pages.ledger_common import allow

_C = "NearRelativeTab"
COLUMNS = (
    QT_TRANSLATE_NOOP("NearRelativeTab", "备案日期"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "户编号"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "救助对象"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "身份证号"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "干部姓名"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "职务"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "工作单位"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "关系"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "备注"),
    QT_TRANSLATE_NOOP("NearRelativeTab", "登记人"),
)


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


class NearRelativeTab(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: tuple[NearRelativeRow, ...] = ()
        self.dialog: NearRelativeDialog | None = None
        self.confirm: QMessageBox | None = None
        self.add_button = QPushButton(self.tr("登记备案(&A)…"))
        self.add_button.setObjectName("addNearRelativeButton")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(self.tr("删除(&D)"))
        self.remove_button.setObjectName("removeNearRelativeButton")
        self.remove_button.clicked.connect(self.ask_remove)
        self.reload_button = QPushButton(self.tr("刷新"))
        self.reload_button.clicked.connect(lambda: self.reload())
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.reload_button)
        self.hint = QLabel(
            self.tr(
                "救助对象与村（社区）干部或经办人员有近亲属关系的，如实备案，申请照常受理、审核。"
                "备案随“导出台账 → 近亲属备案台账”导出。"
            )
        )
        self.hint.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("nearRelativeTable")
        setup_table(self.table, [_tr(c) for c in COLUMNS], stretch=8)
        self.table.itemSelectionChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._update()

    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else selected_code(self.table)
        rows: tuple[NearRelativeRow, ...] = ()
        if self.services.context.can(Permission.READ_REGISTRY):
            try:
                rows = self.services.near_relatives.entries()
            except DeskAppError as exc:
                show_error(self, exc)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, r in enumerate(rows):
            fill_row(
                self.table,
                index,
                [
                    table_item(r.filed_on.isoformat(), code=r.id),
                    table_item(r.household_number),
                    table_item(r.person_name or self.tr("（全户）")),
                    table_item(r.person_id_masked),
                    table_item(r.official_name),
                    table_item(r.official_position),
                    table_item(r.official_unit),
                    table_item(r.relationship),
                    table_item(r.note, tooltip=r.note),
                    table_item(r.actor),
                ],
            )
        self.count_label.setText(self.tr("共 {n} 条").format(n=len(rows)))
        row = find_row(self.table, keep) if keep is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update()

    def selected(self) -> NearRelativeRow | None:
        filing_id = selected_code(self.table)
        return next((r for r in self.rows if r.id == filing_id), None)

    def add(self) -> NearRelativeDialog:
        services = self.services
        dialog = NearRelativeDialog(
            lambda text: services.search.search(text, limit=30),
            services.near_relatives.record,
            services.context.today(),
            self,
        )
        self.dialog = dialog

        def done() -> None:
            if dialog.result_row is not None:
                self.reload(keep=dialog.result_row.id)

        return open_dialog(dialog, done)

    def ask_remove(self) -> QMessageBox | None:
        row = self.selected()
        if row is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("删除备案"),
            self.tr("删除这条备案（{name}，{official}）？只用于删除登记错误的记录。").format(
                name=row.person_name or row.household_number, official=row.official_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda clicked: self.remove(row.id) if clicked is yes else None)
        box.finished.connect(box.deleteLater)
        self.confirm = box
        box.open()
        return box

    def remove(self, filing_id: int) -> bool:
        try:
            self.services.near_relatives.remove(filing_id)
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        self.reload()
        return True

    def _update(self) -> None:
        context = self.services.context
        allow(context, Permission.EDIT_REGISTRY, self.add_button)
        allow(
            context,
            Permission.EDIT_REGISTRY,
            self.remove_button,
            enabled=self.selected() is not None,
        )
        self.reload_button.setEnabled(context.can(Permission.READ_REGISTRY))

    def apply_role(self) -> None:
        self.reload()
