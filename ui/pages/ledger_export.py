"""导出台账: pick a ledger, set the options it reads, export it to an .xlsx file.

The list comes from ``services.ledgers.ledgers()`` (label, description, which options
apply); only those options are shown. 完整身份证号 is offered only to a role with
``Permission.REVEAL_FULL`` and says in red what it means. The export runs on the task
runner: a progress dialog after half a second with 取消; a cancelled or failed export
leaves no file (``reports.ledgers.XlsxSink`` writes to a temporary file and moves it into
place only when complete), and the tab says so. A finished export shows the rows per
sheet, the file size and a button opening its folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.ledgers import CategoryGroup, LedgerKind
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.jobs import CancelToken, ProgressFn
from desk_app.services.ledgers import ExportSummary, LedgerInfo, LedgerRequest
from ui.dialogs import ERROR_COLOR
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.admin_common import OK_COLOR, from_qdate
from ui.pages.ledger_common import (
    WARNING_COLOR,
    allow,
    ask_save_xlsx,
    date_edit,
    open_folder,
    show_status,
    size_text,
    status_label,
)
from ui.tasks import Task, TaskRunner
from ui.widgets.permission_gate import missing_text

log = logging.getLogger(__name__)

_C = "ExportTab"
KIND_ROLE = Qt.ItemDataRole.UserRole
FIELD_WIDTH = 260
"""Pick lists and dates keep a readable width instead of spanning the page."""


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def summary_text(summary: ExportSummary, path: Path) -> str:
    """已导出“…”：N 行（sheet n 行、…），size — what the clerk needs to check the file."""
    sheets = "、".join(
        _tr("{sheet} {rows} 行").format(sheet=name, rows=f"{rows:,}")
        for name, rows in summary.sheets
    )
    size = size_text(path.stat().st_size) if path.exists() else "—"
    text = _tr("已导出“{title}”：共 {rows} 行（{sheets}），文件大小 {size}\n{path}").format(
        title=tr_label("ledgers", summary.title),
        rows=f"{summary.rows:,}",
        sheets=sheets,
        size=size,
        path=str(path),
    )
    if summary.full_ids:
        text += "\n" + _tr("文件含完整身份证号，请妥善保管，不得外传。")
    return text


class ExportTab(QWidget):
    """Signals: ``exported(path, ExportSummary)`` after a file was written."""

    exported = Signal(object, object)

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.infos: list[LedgerInfo] = []
        self.task: Task | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_path: Path | None = None
        self.last_summary: ExportSummary | None = None
        today = services.context.today()

        self.list = QListWidget()
        self.list.setObjectName("ledgerList")
        self.list.setMinimumWidth(230)
        self.list.setMaximumWidth(300)
        self.list.currentRowChanged.connect(self._on_ledger_changed)

        self.title_label = QLabel()
        self.title_label.setObjectName("ledgerTitle")
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.description_label = QLabel()
        self.description_label.setObjectName("ledgerDescription")
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)

        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("ledgerScope")
        for group in CategoryGroup:
            self.scope_combo.addItem(tr_label("ledgers", group.label), group.value)
        self.period_check = QCheckBox(self.tr("只导出这段时间(&T)"))
        self.period_check.setObjectName("ledgerPeriodCheck")
        self.date_from = date_edit(today.replace(month=1, day=1), "ledgerDateFrom")
        self.date_to = date_edit(today, "ledgerDateTo")
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
        self.period_check.toggled.connect(self.date_from.setEnabled)
        self.period_check.toggled.connect(self.date_to.setEnabled)
        period = QHBoxLayout()
        period.addWidget(self.period_check)
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("至")))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.period_widget = QWidget()
        self.period_widget.setLayout(period)
        period.setContentsMargins(0, 0, 0, 0)
        self.period_hint = QLabel()
        self.period_hint.setObjectName("ledgerPeriodHint")
        self.period_hint.setWordWrap(True)
        self.period_hint.setStyleSheet("color: palette(mid);")
        self.on_edit = date_edit(today, "ledgerOn")
        self.full_ids_check = QCheckBox(self.tr("导出完整身份证号(&F)"))
        self.full_ids_check.setObjectName("fullIdsCheck")
        self.full_ids_warning = QLabel(
            self.tr(
                "默认只显示身份证号前6位和后4位。勾选后文件含完整号码，属于个人身份信息："
                "仅限工作需要，妥善保管，不得外传；导出会记入日志。"
            )
        )
        self.full_ids_warning.setObjectName("fullIdsWarning")
        self.full_ids_warning.setWordWrap(True)
        self.full_ids_warning.setStyleSheet(f"color: {WARNING_COLOR};")
        self.full_ids_check.toggled.connect(self._on_full_ids_toggled)

        for field in (self.scope_combo, self.on_edit):
            field.setMaximumWidth(FIELD_WIDTH)
        self.options = QFormLayout()
        self.options.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.options.addRow(self.tr("范围(&S)："), self.scope_combo)
        self.options.addRow(self.tr("期间："), self.period_widget)
        self.options.addRow("", self.period_hint)
        self.on_label = QLabel(self.tr("类别截至(&D)："))
        self.on_label.setBuddy(self.on_edit)
        self.options.addRow(self.on_label, self.on_edit)
        self.options.addRow(self.tr("身份证号："), self.full_ids_check)
        self.options.addRow("", self.full_ids_warning)
        self.no_options = QLabel(self.tr("这份台账没有可选的条件，导出全部记录。"))
        self.no_options.setObjectName("ledgerNoOptions")
        options_box = QGroupBox(self.tr("导出条件"))
        options_layout = QVBoxLayout(options_box)
        options_layout.addLayout(self.options)
        options_layout.addWidget(self.no_options)

        self.export_button = QPushButton(self.tr("导出(&E)…"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.setMinimumWidth(120)
        self.export_button.clicked.connect(self.ask_export)
        self.permission_label = QLabel()
        self.permission_label.setObjectName("exportPermission")
        self.permission_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.permission_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)

        self.result_label = status_label("exportResult")
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹(&O)"))
        self.open_folder_button.setObjectName("openFolderButton")
        self.open_folder_button.clicked.connect(self._on_open_folder_clicked)
        self.open_folder_button.hide()
        result = QHBoxLayout()
        result.addWidget(self.result_label, 1)
        result.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)

        right = QVBoxLayout()
        right.addWidget(self.title_label)
        right.addWidget(self.description_label)
        right.addWidget(options_box)
        right.addLayout(buttons)
        right.addWidget(self.permission_label)
        right.addLayout(result)
        right.addStretch(1)

        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(right, 1)
        show_status(self.result_label, "")

    # ----------------------------------------------------------------- loading
    def reload(self) -> None:
        """Read the ledgers on offer (a role without 导出台账 sees the names only)."""
        context = self.services.context
        keep = self.current_kind()
        infos: list[LedgerInfo]
        if context.can(Permission.EXPORT):
            try:
                infos = list(self.services.ledgers.ledgers())
            except DeskAppError as exc:
                show_error(self, exc)
                infos = []
        else:
            infos = [LedgerInfo(k, k.label, "", False, False, False) for k in LedgerKind]
        self.infos = infos
        self.list.blockSignals(True)
        self.list.clear()
        for info in infos:
            item = QListWidgetItem(tr_label("ledgers", info.label))
            item.setData(KIND_ROLE, info.kind.value)
            item.setToolTip(tr_label("ledgers", info.description))
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, info in enumerate(infos) if info.kind is keep), 0)
        self.list.setCurrentRow(row if infos else -1)
        self._on_ledger_changed(self.list.currentRow())

    def current_info(self) -> LedgerInfo | None:
        row = self.list.currentRow()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def current_kind(self) -> LedgerKind | None:
        info = self.current_info()
        return info.kind if info else None

    def select(self, kind: LedgerKind) -> None:
        for row, info in enumerate(self.infos):
            if info.kind is kind:
                self.list.setCurrentRow(row)
                return

    def _on_ledger_changed(self, _row: int) -> None:
        info = self.current_info()
        self.title_label.setText(tr_label("ledgers", info.label) if info else "")
        self.description_label.setText(tr_label("ledgers", info.description) if info else "")
        uses_scope = bool(info and info.uses_scope)
        uses_period = bool(info and info.uses_period)
        uses_on = bool(info and info.uses_on)
        full_ids = self.services.context.can(Permission.REVEAL_FULL)
        self.options.setRowVisible(self.scope_combo, uses_scope)
        self.options.setRowVisible(self.period_widget, uses_period)
        self.options.setRowVisible(self.period_hint, uses_period)
        self.options.setRowVisible(self.on_edit, uses_on)
        self.options.setRowVisible(self.full_ids_check, full_ids)
        self.options.setRowVisible(
            self.full_ids_warning, full_ids and self.full_ids_check.isChecked()
        )
        if not full_ids:
            self.full_ids_check.setChecked(False)
        is_kpi = bool(info and info.kind is LedgerKind.KPI)
        self.period_hint.setText(
            self.tr("按到期日所在月份统计；不限定时为最近12个月。")
            if is_kpi
            else self.tr("不限定时导出全部记录。")
        )
        self.on_label.setText(
            self.tr("类别截至(&D)：")
            if info and info.kind is LedgerKind.HOUSEHOLDS
            else self.tr("计算日期(&D)：")
        )
        self.no_options.setVisible(not (uses_scope or uses_period or uses_on or full_ids))
        self._update()

    def _on_full_ids_toggled(self, checked: bool) -> None:
        self.options.setRowVisible(self.full_ids_warning, checked)

    def _update(self) -> None:
        context = self.services.context
        busy = self.task is not None
        allowed = allow(
            context,
            Permission.EXPORT,
            self.export_button,
            enabled=not busy and self.current_info() is not None,
        )
        self.permission_label.setText("" if allowed else missing_text(context, Permission.EXPORT))
        self.permission_label.setVisible(not allowed)
        for widget in (self.scope_combo, self.period_check, self.on_edit, self.full_ids_check):
            widget.setEnabled(allowed and not busy)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(allowed and not busy and self.period_check.isChecked())

    # ----------------------------------------------------------------- export
    def request(self) -> LedgerRequest | None:
        info = self.current_info()
        if info is None:
            return None
        period = info.uses_period and self.period_check.isChecked()
        return LedgerRequest(
            kind=info.kind,
            full_ids=self.full_ids_check.isChecked()
            and self.services.context.can(Permission.REVEAL_FULL),
            scope=CategoryGroup(self.scope_combo.currentData())
            if info.uses_scope
            else CategoryGroup.ALL,
            date_from=from_qdate(self.date_from.date()) if period else None,
            date_to=from_qdate(self.date_to.date()) if period else None,
            on=from_qdate(self.on_edit.date()) if info.uses_on else None,
        )

    def ask_export(self) -> QFileDialog | None:
        """导出…: ask where to save (default name from the service), then export."""
        request = self.request()
        if request is None:
            return None
        try:
            name = self.services.ledgers.file_name(request)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self.file_dialog = ask_save_xlsx(self, self.tr("导出台账"), name, self.export_to)
        return self.file_dialog

    def export_to(self, path: Path) -> Task | None:
        """Export the chosen ledger to ``path`` off the GUI thread."""
        request = self.request()
        if request is None or self.task is not None:
            return None
        if request.date_from and request.date_to and request.date_from > request.date_to:
            show_status(self.result_label, self.tr("开始日期晚于结束日期，请改正。"), ERROR_COLOR)
            return None
        ledgers = self.services.ledgers
        show_status(self.result_label, self.tr("正在导出……"))
        self.open_folder_button.hide()

        def job(progress: ProgressFn, cancel: CancelToken) -> ExportSummary:
            from reports.ledgers import XlsxSink  # noqa: PLC0415 - openpyxl only when exporting

            return ledgers.export(request, XlsxSink(path), progress=progress, cancel=cancel)

        task = self.tasks.run(self.tr("导出台账"), job, self)
        self.task = task
        task.succeeded.connect(lambda summary: self._on_exported(path, summary))
        task.failed.connect(lambda exc: self._on_failed(path, exc))
        task.cancelled.connect(lambda: self._on_cancelled(path))
        task.ended.connect(self._on_task_ended)
        self._update()
        return task

    def _on_exported(self, path: Path, summary: ExportSummary) -> None:
        self.last_path, self.last_summary = path, summary
        show_status(self.result_label, summary_text(summary, path), OK_COLOR)
        self.open_folder_button.show()
        log.info("ledger exported from the page: %s, %d rows", summary.kind, summary.rows)
        self.exported.emit(path, summary)

    def _on_failed(self, path: Path, exc: BaseException) -> None:
        existed = path.exists()
        text = self.tr("导出没有完成，没有生成文件。")
        if existed:
            text = self.tr("导出没有完成，原有的同名文件没有改动。")
        show_status(self.result_label, text, ERROR_COLOR)
        show_error(self, exc)

    def _on_cancelled(self, path: Path) -> None:
        text = (
            self.tr("已取消导出，原有的同名文件没有改动。")
            if path.exists()
            else self.tr("已取消导出，没有生成文件。")
        )
        show_status(self.result_label, text, WARNING_COLOR)

    def _on_task_ended(self, _task: object) -> None:
        self.task = None
        self._update()

    def _on_open_folder_clicked(self) -> None:
        if self.last_path is not None:
            open_folder(self.last_path)

    # ----------------------------------------------------------------- role
    def apply_role(self) -> None:
        self.reload()
