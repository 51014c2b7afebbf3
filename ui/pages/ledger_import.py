"""导入名册: a list from another office, column mapping, dry run, then the import.

Steps on one screen, top to bottom (domain.md §3.5, docs/ledgers.md "Importing a list"):

1. 选择文件 (.xlsx or .csv) → ``services.rosters.preview``: the file's columns over its
   first rows (ID numbers masked), worksheet and header row adjustable.
2. 列对应: above each column a box of our fields, prefilled from the best fitting saved
   mapping or else from the headers; a saved mapping can be applied, the current one
   saved under a name (保存映射为…).
3. 试导入 (``dry_run``): what an import would create, replace and match, and *every* bad
   row with its row number, column and reason. Nothing is written.
4. 导入 is enabled only for the dry run of exactly what is on screen, when the file is
   clean or the clerk ticks 排除有问题的行, and (for a list of the same kind and date
   imported before) 替换. A cancelled import writes nothing; the tab says so.

An import never changes the register: the list is evidence to compare (台账比对 tab).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.rosters import RosterField, RosterImportError, RosterKind, RowProblem
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.jobs import CancelToken, ProgressFn
from desk_app.services.rosters import (
    FilePreview,
    ImportPlan,
    ImportRequest,
    ImportResult,
)
from ui.dialogs import ERROR_COLOR, problem_line
from ui.errors import show_error
from ui.i18n import tr_label, tr_message
from ui.pages.admin_common import OK_COLOR, from_qdate, setup_table, table_item, to_qdate
from ui.pages.ledger_common import (
    WARNING_COLOR,
    allow,
    ask_open_roster,
    date_edit,
    show_status,
    status_label,
)
from ui.tasks import Task, TaskRunner
from ui.widgets.permission_gate import missing_text

log = logging.getLogger(__name__)

_C = "ImportTab"
PROBLEM_COLUMNS = (
    QT_TRANSLATE_NOOP("ImportTab", "行号"),
    QT_TRANSLATE_NOOP("ImportTab", "列"),
    QT_TRANSLATE_NOOP("ImportTab", "原因"),
)
UNMAPPED = ""
SUMMARY_WIDTH = 420
"""The dry run's sentences keep a readable width beside the table of bad rows."""


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def kind_text(kind: RosterKind) -> str:
    return tr_label("rosters", kind.label)


def field_text(field: RosterField) -> str:
    return tr_label("rosters", field.label)


def plan_text(plan: ImportPlan) -> str:
    """What the dry run found, in the clerk's words (nothing has been written)."""
    bad = len(plan.bad_rows)
    lines = [
        _tr("读取 {read} 行：{valid} 行可以导入，{bad} 行有问题（共 {count} 处）。").format(
            read=f"{plan.rows_read:,}",
            valid=f"{plan.rows_valid:,}",
            bad=f"{bad:,}",
            count=f"{len(plan.problems):,}",
        ),
    ]
    if plan.rows_skipped:
        lines.append(
            _tr("另有 {n} 行是空行或合计行，不算名单内容。").format(n=f"{plan.rows_skipped:,}")
        )
    lines.append(
        _tr("可导入的行共 {households} 户；其中 {people} 人（{homes} 户）在本系统已登记。").format(
            households=f"{plan.households:,}",
            people=f"{plan.registered_people:,}",
            homes=f"{plan.registered_households:,}",
        )
    )
    if plan.replaces is None:
        lines.append(_tr("导入将新建一份名单。"))
    else:
        lines.append(
            _tr(
                "已导入过同类同日期的名单“{file}”（{rows} 行，{date} 导入）：导入将替换它。"
            ).format(
                file=plan.replaces.title or plan.replaces.file_name,
                rows=f"{plan.replaces.rows:,}",
                date=f"{plan.replaces.imported_at:%Y-%m-%d}",
            )
        )
    return "\n".join(lines)


class ImportTab(QWidget):
    """Signals: ``imported(RosterInfo)`` after a list was stored; ``compare_requested(id)``
    for 去比对."""

    imported = Signal(object)
    compare_requested = Signal(int)

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.path: Path | None = None
        self.preview: FilePreview | None = None
        self.plan: ImportPlan | None = None
        self.plan_for: tuple[Path, ImportRequest] | None = None
        """The file and request the plan was made for: 导入 only for exactly those."""
        self.problems: tuple[RowProblem, ...] = ()
        self.result: ImportResult | None = None
        self.task: Task | None = None
        self.file_dialog: QFileDialog | None = None
        self.name_dialog: QInputDialog | None = None
        self.mapping_combos: dict[str, QComboBox] = {}

        # -- file and list
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("rosterFile")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("选择 .xlsx 或 .csv 文件"))
        self.choose_button = QPushButton(self.tr("选择文件(&O)…"))
        self.choose_button.setObjectName("chooseRosterButton")
        self.choose_button.clicked.connect(self.ask_file)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("rosterSheet")
        self.sheet_combo.setMinimumWidth(120)
        self.sheet_combo.activated.connect(lambda _i: self._reload_preview())
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("rosterHeaderRow")
        self.header_spin.setRange(0, 20)
        self.header_spin.setSpecialValueText(self.tr("自动"))
        self.header_spin.setToolTip(self.tr("表头所在的行；“自动”时在前20行中查找"))
        self.header_spin.editingFinished.connect(self._reload_preview)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("rosterKind")
        for kind in RosterKind:
            self.kind_combo.addItem(kind_text(kind), kind.value)
        self.as_of_edit = date_edit(services.context.today(), "rosterAsOf")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("rosterTitle")
        self.title_edit.setMaxLength(100)
        self.title_edit.setPlaceholderText(self.tr("如：2024年二季度建档立卡名单"))
        for signal in (
            self.kind_combo.currentIndexChanged,
            self.as_of_edit.dateChanged,
            self.title_edit.textChanged,
        ):
            signal.connect(self._update)

        grid = QGridLayout()
        grid.addWidget(self._label(self.tr("名单文件(&F)："), self.choose_button), 0, 0)
        grid.addWidget(self.file_edit, 0, 1, 1, 3)
        grid.addWidget(self.choose_button, 0, 4)
        grid.addWidget(self._label(self.tr("工作表："), self.sheet_combo), 0, 5)
        grid.addWidget(self.sheet_combo, 0, 6)
        grid.addWidget(self._label(self.tr("表头行："), self.header_spin), 0, 7)
        grid.addWidget(self.header_spin, 0, 8)
        grid.addWidget(self._label(self.tr("名单类别(&K)："), self.kind_combo), 1, 0)
        grid.addWidget(self.kind_combo, 1, 1)
        grid.addWidget(self._label(self.tr("名单日期(&D)："), self.as_of_edit), 1, 2)
        grid.addWidget(self.as_of_edit, 1, 3)
        grid.addWidget(self._label(self.tr("名单名称(&T)："), self.title_edit), 1, 4)
        grid.addWidget(self.title_edit, 1, 5, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(5, 1)

        # -- preview and mapping
        self.file_info = QLabel()
        self.file_info.setObjectName("rosterFileInfo")
        self.file_info.setWordWrap(True)
        self.saved_combo = QComboBox()
        self.saved_combo.setObjectName("savedMappings")
        self.saved_combo.setMinimumWidth(160)
        self.saved_combo.activated.connect(self._on_saved_chosen)
        self.save_mapping_button = QPushButton(self.tr("保存映射为(&S)…"))
        self.save_mapping_button.setObjectName("saveMappingButton")
        self.save_mapping_button.clicked.connect(self.ask_mapping_name)
        self.mapping_status = QLabel()
        self.mapping_status.setObjectName("mappingStatus")
        mapping_bar = QHBoxLayout()
        mapping_bar.addWidget(QLabel(self.tr("列对应方案：")))
        mapping_bar.addWidget(self.saved_combo)
        mapping_bar.addWidget(self.save_mapping_button)
        mapping_bar.addWidget(self.mapping_status, 1)
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.setObjectName("rosterPreview")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.setWordWrap(False)
        self.preview_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        preview_box = QGroupBox(self.tr("文件内容与列对应（身份证号只显示前6位和后4位）"))
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.file_info)
        preview_layout.addLayout(mapping_bar)
        preview_layout.addWidget(self.preview_table, 1)

        # -- dry run and import
        self.dry_run_button = QPushButton(self.tr("试导入(&R)"))
        self.dry_run_button.setObjectName("dryRunButton")
        self.dry_run_button.setToolTip(self.tr("检查每一行，列出全部问题；不写入任何数据"))
        self.dry_run_button.clicked.connect(self.dry_run)
        self.exclude_check = QCheckBox(self.tr("排除有问题的行，只导入其余的行(&X)"))
        self.exclude_check.setObjectName("excludeBadRows")
        self.exclude_check.toggled.connect(self._update)
        self.replace_check = QCheckBox(self.tr("替换已导入的同类同日期名单(&P)"))
        self.replace_check.setObjectName("replaceRoster")
        self.replace_check.toggled.connect(self._update)
        self.import_button = QPushButton(self.tr("导入(&I)"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.import_now)
        self.import_hint = QLabel()
        self.import_hint.setObjectName("importHint")
        self.import_hint.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.dry_run_button)
        actions.addWidget(self.exclude_check)
        actions.addWidget(self.replace_check)
        actions.addWidget(self.import_button)
        actions.addWidget(self.import_hint, 1)

        self.plan_label = status_label("planSummary")
        self.problem_title = QLabel()
        self.problem_title.setObjectName("problemTitle")
        self.problem_table = QTableWidget()
        self.problem_table.setObjectName("problemTable")
        setup_table(self.problem_table, [_tr(c) for c in PROBLEM_COLUMNS])
        self.result_label = status_label("importResult")
        self.compare_button = QPushButton(self.tr("去比对(&C)"))
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.compare_button.hide()
        result = QHBoxLayout()
        result.addWidget(self.result_label, 1)
        result.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignTop)
        # The summary beside the problems, so the list of bad rows keeps its height.
        summary_widget = QWidget()
        summary_widget.setMinimumWidth(SUMMARY_WIDTH)
        summary = QVBoxLayout(summary_widget)
        summary.setContentsMargins(0, 0, 0, 0)
        summary.addWidget(self.plan_label)
        summary.addLayout(result)
        summary.addStretch(1)
        problems = QVBoxLayout()
        problems.addWidget(self.problem_title)
        problems.addWidget(self.problem_table, 1)
        check_box = QGroupBox(self.tr("试导入结果"))
        check_layout = QHBoxLayout(check_box)
        check_layout.addWidget(summary_widget, 2)
        check_layout.addLayout(problems, 3)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(preview_box)
        split.addWidget(check_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        self.permission_label = QLabel()
        self.permission_label.setObjectName("importPermission")
        self.permission_label.setStyleSheet(f"color: {ERROR_COLOR};")
        layout = QVBoxLayout(self)
        layout.addWidget(self.permission_label)
        layout.addLayout(grid)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        self._show_plan(None)
        show_status(self.result_label, "")
        self._update()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    # ----------------------------------------------------------------- file
    def ask_file(self) -> QFileDialog:
        self.file_dialog = ask_open_roster(self, self.load_file)
        return self.file_dialog

    def load_file(self, path: Path) -> FilePreview | None:
        """Open ``path``: columns, first rows, a suggested (or saved) mapping."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.sheet_combo.clear()
        self.header_spin.setValue(0)
        if not self.title_edit.text().strip():
            self.title_edit.setText(self.path.stem[:100])
        self.result = None
        self.compare_button.hide()
        show_status(self.result_label, "")
        return self._reload_preview(first=True)

    def _reload_preview(self, first: bool = False) -> FilePreview | None:
        if self.path is None:
            return None
        sheet = self.sheet_combo.currentText() or None
        header_row = self.header_spin.value() or None
        keep = {} if first else self.mapping()
        try:
            preview = self.services.rosters.preview(self.path, sheet, header_row)
        except DeskAppError as exc:
            self.preview = None
            self._fill_preview(None)
            self.file_info.setText(self.tr("无法读取这个文件。"))
            self.file_info.setStyleSheet(f"color: {ERROR_COLOR};")
            show_error(self, exc)
            self._update()
            return None
        self.preview = preview
        self.file_info.setStyleSheet("")
        source = preview.source
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(source.sheets))
        self.sheet_combo.setCurrentText(source.sheet)
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setEnabled(len(source.sheets) > 1)
        fmt = (
            self.tr("Excel 工作簿")
            if source.format == "xlsx"
            else self.tr("CSV 文件（{encoding}）").format(encoding=source.encoding)
        )
        about = self.tr("约 {n} 行").format(n=f"{source.estimated_rows:,}") if source.estimated_rows else ""  # fmt: skip
        self.file_info.setText(
            self.tr("{name}：{fmt}，表头在第 {row} 行，共 {columns} 列{about}。").format(
                name=source.file_name,
                fmt=fmt,
                row=preview.header_row,
                columns=len(preview.headers),
                about=("，" + about) if about else "",
            )
        )
        self._fill_saved(preview)
        self._fill_preview(preview)
        if keep and all(h in preview.headers for h in keep):
            self.set_mapping(keep)
        elif preview.saved_mappings:
            self.apply_saved(preview.saved_mappings[0])
        else:
            self.set_mapping(preview.suggested)
        self._update()
        return preview

    def _fill_saved(self, preview: FilePreview | None, select: str = "") -> None:
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("按表头自动识别"), UNMAPPED)
        for name in preview.saved_mappings if preview else ():
            self.saved_combo.addItem(name, name)
        index = self.saved_combo.findData(select) if select else 0
        self.saved_combo.setCurrentIndex(max(0, index))
        self.saved_combo.blockSignals(False)

    def _fill_preview(self, preview: FilePreview | None) -> None:
        table = self.preview_table
        self.mapping_combos = {}
        table.clear()
        if preview is None:
            table.setRowCount(0)
            table.setColumnCount(0)
            return
        headers = preview.headers
        table.setColumnCount(len(headers))
        table.setRowCount(1 + len(preview.samples))
        table.setHorizontalHeaderLabels(list(headers))
        table.setVerticalHeaderLabels(
            [self.tr("对应字段")]
            + [self.tr("示例{n}").format(n=i + 1) for i in range(len(preview.samples))]
        )
        for column, header in enumerate(headers):
            combo = QComboBox()
            combo.setObjectName(f"mapping_{column}")
            combo.addItem(self.tr("（不导入）"), UNMAPPED)
            for field in RosterField:
                combo.addItem(field_text(field), field.value)
            combo.setToolTip(self.tr("“{header}”列对应本系统的哪一项").format(header=header))
            combo.currentIndexChanged.connect(self._on_mapping_edited)
            table.setCellWidget(0, column, combo)
            self.mapping_combos[header] = combo
            for row, sample in enumerate(preview.samples, start=1):
                text = sample[column] if column < len(sample) else ""
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        for column, header in enumerate(headers):
            hint = self.mapping_combos[header].sizeHint().width()
            width = max(table.columnWidth(column), hint + 4)
            table.setColumnWidth(column, min(width, 260))
        table.resizeRowToContents(0)

    # ----------------------------------------------------------------- mapping
    def mapping(self) -> dict[str, RosterField]:
        """Header → field as the boxes say (unmapped columns left out)."""
        out: dict[str, RosterField] = {}
        for header, combo in self.mapping_combos.items():
            code = combo.currentData()
            if code:
                out[header] = RosterField(code)
        return out

    def set_mapping(self, mapping: Mapping[str, RosterField]) -> None:
        for header, combo in self.mapping_combos.items():
            field = mapping.get(header)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(field.value if field else UNMAPPED)))
            combo.blockSignals(False)
        self._update()

    def set_field(self, header: str, field: RosterField | None) -> None:
        """For tests and the manual: map one column (None: not imported)."""
        combo = self.mapping_combos[header]
        combo.setCurrentIndex(combo.findData(field.value if field else UNMAPPED))

    def _on_mapping_edited(self) -> None:
        self.mapping_status.clear()
        self._update()

    def _on_saved_chosen(self, index: int) -> None:
        name = self.saved_combo.itemData(index)
        if name:
            self.apply_saved(name)
        elif self.preview is not None:
            self.set_mapping(self.preview.suggested)
            self.mapping_status.setText(self.tr("已按表头自动识别，请逐列核对"))

    def apply_saved(self, name: str) -> bool:
        try:
            saved = self.services.rosters.mapping(name)
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        columns = saved.as_dict()
        self.set_mapping({h: f for h, f in columns.items() if h in self.mapping_combos})
        self.saved_combo.setCurrentIndex(max(0, self.saved_combo.findData(name)))
        self.mapping_status.setText(self.tr("已套用方案“{name}”").format(name=name))
        return True

    def ask_mapping_name(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("保存列对应方案"))
        dialog.setLabelText(self.tr("方案名称（下次导入同一来源的名单时可直接套用）："))
        current = self.saved_combo.currentData()
        dialog.setTextValue(current or self.title_edit.text().strip()[:40])
        dialog.textValueSelected.connect(self.save_mapping_as)
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()
        return dialog

    def save_mapping_as(self, name: str) -> bool:
        try:
            saved = self.services.rosters.save_mapping(name, self.mapping())
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        if self.preview is not None:
            names = [saved.name, *(n for n in self.preview.saved_mappings if n != saved.name)]
            self.preview = FilePreview(
                self.preview.source, self.preview.header_row, self.preview.headers,
                self.preview.samples, self.preview.suggested, tuple(names),
            )  # fmt: skip
        self._fill_saved(self.preview, select=saved.name)
        self.mapping_status.setText(self.tr("已保存方案“{name}”").format(name=saved.name))
        return True

    # ----------------------------------------------------------------- dry run, import
    def request(self) -> ImportRequest | None:
        if self.preview is None:
            return None
        source = self.preview.source
        return ImportRequest(
            kind=RosterKind(self.kind_combo.currentData()),
            as_of=from_qdate(self.as_of_edit.date()),
            mapping=self.mapping(),
            title=self.title_edit.text().strip(),
            sheet=self.sheet_combo.currentText() or None if source.format == "xlsx" else None,
            header_row=self.header_spin.value() or None,
        )

    def _current(self) -> tuple[Path, ImportRequest] | None:
        request = self.request()
        if request is None or self.path is None:
            return None
        return self.path, request

    def plan_is_current(self) -> bool:
        current = self._current()
        if self.plan is None or self.plan_for is None or current is None:
            return False
        (path, made), (now_path, now) = self.plan_for, current
        # The title does not change what an import would do.
        return path == now_path and made == ImportRequest(
            now.kind, now.as_of, now.mapping, made.title, now.sheet, now.header_row
        )

    def dry_run(self) -> Task | None:
        """试导入: check every row off the GUI thread; writes nothing."""
        current = self._current()
        if current is None or self.task is not None:
            return None
        path, request = current
        rosters = self.services.rosters

        def job(progress: ProgressFn, cancel: CancelToken) -> ImportPlan:
            return rosters.dry_run(path, request, progress=progress, cancel=cancel)

        self.result = None
        self.compare_button.hide()
        show_status(self.result_label, "")
        task = self.tasks.run(self.tr("试导入名单"), job, self)
        self.task = task
        task.succeeded.connect(lambda plan: self._on_planned(path, request, plan))
        task.failed.connect(self._on_dry_run_failed)
        task.cancelled.connect(
            lambda: show_status(self.result_label, self.tr("已取消试导入。"), WARNING_COLOR)
        )
        task.ended.connect(self._on_task_ended)
        self._update()
        return task

    def _on_planned(self, path: Path, request: ImportRequest, plan: ImportPlan) -> None:
        self.plan = plan
        self.plan_for = (path, request)
        self.exclude_check.setChecked(False)
        self.replace_check.setChecked(False)
        self._show_plan(plan)
        self._update()

    def _on_dry_run_failed(self, exc: BaseException) -> None:
        self.plan, self.plan_for = None, None
        self._show_plan(None)
        if isinstance(exc, RosterImportError):
            lines = [problem_line(p) for p in exc.problems]
            show_status(self.plan_label, "\n".join(lines), ERROR_COLOR)
        show_error(self, exc)

    def _show_plan(self, plan: ImportPlan | None) -> None:
        if plan is None:
            show_status(self.plan_label, self.tr("选择文件、核对列对应后，点“试导入”检查全部行。"))
            self._show_problems(())
            return
        color = OK_COLOR if plan.clean else ERROR_COLOR
        show_status(self.plan_label, plan_text(plan), color)
        self._show_problems(plan.problems)

    def _show_problems(self, problems: tuple[RowProblem, ...]) -> None:
        self.problems = problems
        rows = len({p.row for p in problems})
        self.problem_title.setText(
            self.tr("有问题的行：{rows} 行，共 {count} 处（全部列出）").format(
                rows=rows, count=len(problems)
            )
            if problems
            else ""
        )
        self.problem_title.setVisible(bool(problems))
        self.problem_table.setVisible(bool(problems))
        self.problem_table.setRowCount(len(problems))
        for row, p in enumerate(problems):
            self.problem_table.setItem(row, 0, table_item(str(p.row), code=p.row, center=True))
            self.problem_table.setItem(row, 1, table_item(p.column or self.tr("整行")))
            self.problem_table.setItem(row, 2, table_item(tr_message(p.message), color=ERROR_COLOR))

    def import_now(self) -> Task | None:
        """导入 what the dry run checked (the bad rows left out only when ticked)."""
        current = self._current()
        if current is None or self.task is not None or not self.plan_is_current():
            return None
        path, request = current
        exclude = self.exclude_check.isChecked()
        replace = self.replace_check.isChecked()
        rosters = self.services.rosters

        def job(progress: ProgressFn, cancel: CancelToken) -> ImportResult:
            return rosters.import_file(
                path, request, exclude_bad_rows=exclude, replace=replace,
                progress=progress, cancel=cancel,
            )  # fmt: skip

        task = self.tasks.run(self.tr("导入名单"), job, self)
        self.task = task
        task.succeeded.connect(self._on_imported)
        task.failed.connect(self._on_import_failed)
        task.cancelled.connect(
            lambda: show_status(
                self.result_label, self.tr("已取消导入：没有写入任何数据。"), WARNING_COLOR
            )
        )
        task.ended.connect(self._on_task_ended)
        self._update()
        return task

    def _on_imported(self, result: ImportResult) -> None:
        self.result = result
        self.plan, self.plan_for = None, None
        roster = result.roster
        text = self.tr("已导入“{title}”：{rows} 行，{households} 户。").format(
            title=roster.title or roster.file_name,
            rows=f"{roster.rows:,}",
            households=f"{roster.households:,}",
        )
        if roster.excluded_rows:
            shown = "、".join(str(n) for n in roster.excluded_rows[:20])
            more = "…" if len(roster.excluded_rows) > 20 else ""
            text += self.tr("排除了第 {rows}{more} 行（共 {n} 行）。").format(
                rows=shown, more=more, n=len(roster.excluded_rows)
            )
        text += "\n" + self.tr("名单只用于比对，不会改动户籍数据。")
        show_status(self.result_label, text, OK_COLOR)
        self.compare_button.show()
        self.compare_button.setEnabled(self.services.context.can(Permission.IMPORT))
        log.info("roster imported from the page: roster=%s", roster.id)
        self.imported.emit(roster)

    def _on_import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RosterImportError) and exc.row_problems:
            # The file changed since the dry run: show what is wrong now.
            self.plan, self.plan_for = None, None
            self._show_problems(exc.row_problems)
        show_status(self.result_label, self.tr("没有导入：没有写入任何数据。"), ERROR_COLOR)
        show_error(self, exc)

    def _on_task_ended(self, _task: object) -> None:
        self.task = None
        self._update()

    def _on_compare_clicked(self) -> None:
        if self.result is not None:
            self.compare_requested.emit(self.result.roster.id)

    # ----------------------------------------------------------------- state
    def import_blocker(self) -> str:
        """Why 导入 is not available now ('' when it is)."""
        if self.preview is None:
            return self.tr("请先选择名单文件。")
        if self.plan is None and self.result is not None:
            return self.tr("名单已导入。")
        if self.plan is None:
            return self.tr("请先试导入，检查全部行。")
        if not self.plan_is_current():
            return self.tr("文件或列对应已改动，请重新试导入。")
        plan = self.plan
        if plan.rows_valid == 0:
            return self.tr("没有可以导入的行。")
        if plan.problems and not self.exclude_check.isChecked():
            return self.tr(
                "有 {rows} 行有问题：改正文件后重新试导入，或勾选“排除有问题的行”。"
            ).format(rows=len(plan.bad_rows))
        if plan.replaces is not None and not self.replace_check.isChecked():
            return self.tr("已导入过同类同日期的名单：如要替换，请勾选“替换”。")
        return ""

    def _update(self, *_args: object) -> None:
        context = self.services.context
        busy = self.task is not None
        allowed = context.can(Permission.IMPORT)
        self.permission_label.setText("" if allowed else missing_text(context, Permission.IMPORT))
        self.permission_label.setVisible(not allowed)
        has_file = self.preview is not None
        allow(context, Permission.IMPORT, self.choose_button, enabled=not busy)
        allow(context, Permission.IMPORT, self.save_mapping_button, enabled=has_file and not busy)
        allow(context, Permission.IMPORT, self.saved_combo, enabled=has_file and not busy)
        allow(
            context,
            Permission.IMPORT,
            self.dry_run_button,
            enabled=has_file and not busy,
            tooltip=self.tr("检查每一行，列出全部问题；不写入任何数据"),
        )
        plan = self.plan if self.plan_is_current() else None
        self.exclude_check.setVisible(bool(plan and plan.problems))
        self.replace_check.setVisible(bool(plan and plan.replaces))
        blocker = self.import_blocker()
        allow(context, Permission.IMPORT, self.import_button, enabled=not blocker and not busy)
        stale = self.plan is not None and plan is None
        self.import_hint.setText(blocker if allowed else "")
        self.import_hint.setStyleSheet(f"color: {WARNING_COLOR};" if stale else "")

    def apply_role(self) -> None:
        self._update()

    def set_list(self, kind: RosterKind, as_of: dt.date, title: str = "") -> None:
        """For tests and the manual: the list's kind, date and name."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self.as_of_edit.setDate(to_qdate(as_of))
        if title:
            self.title_edit.setText(title)
