"""台账比对: an imported list against our register, household by household.

Choose a list (``services.rosters.rosters()``), the scope of our side (default: the
list kind's usual comparison, e.g. 建档立卡 against our 低保 households) and the day,
run ``match`` on the task runner, then read the counts of the four lists — 两边都有,
仅本系统有, 仅名单有, 信息不一致 — which double as filters, and each household with the
follow-up the seeds name and its basis (domain.md §3.5, T18). 导出比对结果… writes the
same comparison for the county (``export_match``). ID numbers are masked throughout.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.ledgers import CategoryGroup
from desk_app.domain.rosters import Outcome
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.jobs import CancelToken, ProgressFn
from desk_app.services.ledgers import ExportSummary, safe_file_name
from desk_app.services.rosters import MatchReport, MatchRow, RosterInfo
from ui.dialogs import ERROR_COLOR
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.admin_common import OK_COLOR, from_qdate, to_qdate
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

_C = "MatchTab"
COLUMNS = (
    QT_TRANSLATE_NOOP("MatchTab", "比对结果"),
    QT_TRANSLATE_NOOP("MatchTab", "姓名"),
    QT_TRANSLATE_NOOP("MatchTab", "身份证号"),
    QT_TRANSLATE_NOOP("MatchTab", "户编号"),
    QT_TRANSLATE_NOOP("MatchTab", "村（社区）/组"),
    QT_TRANSLATE_NOOP("MatchTab", "本系统类别"),
    QT_TRANSLATE_NOOP("MatchTab", "名单类别"),
    QT_TRANSLATE_NOOP("MatchTab", "人数"),
    QT_TRANSLATE_NOOP("MatchTab", "不一致的项目"),
    QT_TRANSLATE_NOOP("MatchTab", "后续处理"),
)
FOLLOW_UP_COLUMN = len(COLUMNS) - 1
MAX_COLUMN_WIDTH = 170
"""Long categories and differences are cut (tooltip and the pane below show them whole):
the follow-up, the point of the comparison, keeps the spare width."""
BACKGROUNDS: dict[Outcome, QColor] = {
    Outcome.OURS_ONLY: QColor("#fff3cd"),
    Outcome.THEIRS_ONLY: QColor("#fff3cd"),
    Outcome.CONFLICT: QColor("#f8d7da"),
}
"""Amber for a household on one side only, light red for a conflict (as elsewhere);
the outcome is also always written in the first column."""
ROW_ROLE = Qt.ItemDataRole.UserRole


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def outcome_text(outcome: Outcome) -> str:
    return tr_label("rosters", outcome.label)


def roster_text(info: RosterInfo) -> str:
    """建档立卡名单 2024-06-30 扶贫办名单（120户）."""
    return _tr("{kind} {date} {title}（{households}户）").format(
        kind=tr_label("rosters", info.kind.label),
        date=info.as_of.isoformat(),
        title=info.title or info.file_name,
        households=f"{info.households:,}",
    )


def _pair(ours: object, theirs: object) -> str:
    def text(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return str(value)

    if ours is None and theirs is None:
        return ""
    return f"{text(ours)} / {text(theirs)}"


class MatchModel(QAbstractTableModel):
    """The report's rows, filtered by outcome (None: all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_rows: tuple[MatchRow, ...] = ()
        self.rows: tuple[MatchRow, ...] = ()
        self.outcome: Outcome | None = None

    def set_rows(self, rows: tuple[MatchRow, ...], outcome: Outcome | None = None) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self.outcome = outcome
        self.rows = rows if outcome is None else tuple(r for r in rows if r.outcome is outcome)
        self.endResetModel()

    def set_outcome(self, outcome: Outcome | None) -> None:
        self.set_rows(self.all_rows, outcome)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section])
        return None

    def text(self, row: MatchRow, column: int) -> str:
        place = " ".join(p for p in (row.village, row.group_name) if p)
        values = (
            outcome_text(row.outcome),
            row.name,
            row.key_masked,
            row.household_number,
            place,
            row.our_categories,
            row.their_category,
            _pair(row.our_people, row.their_people),
            "；".join(row.differences),
            tr_label("rosters", row.follow_up),
        )
        return values[column]

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            color = BACKGROUNDS.get(row.outcome)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 8 and row.differences:
            return QBrush(QColor(ERROR_COLOR))
        if role == ROW_ROLE:
            return row
        return None


class MatchTab(QWidget):
    """Signals: ``exported(path, ExportSummary)`` after the comparison was written."""

    exported = Signal(object, object)

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.infos: list[RosterInfo] = []
        self.report: MatchReport | None = None
        self.task: Task | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_path: Path | None = None

        self.roster_combo = QComboBox()
        self.roster_combo.setObjectName("matchRoster")
        self.roster_combo.setMinimumWidth(320)
        self.roster_combo.currentIndexChanged.connect(self._on_roster_changed)
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("matchScope")
        for group in CategoryGroup:
            self.scope_combo.addItem(tr_label("ledgers", group.label), group.value)
        self.scope_combo.setToolTip(self.tr("与本系统中哪些户比对（按比对日期持有的类别）"))
        self.on_edit = date_edit(services.context.today(), "matchOn")
        self.on_edit.setToolTip(self.tr("按这一天本系统的类别比对；默认是名单日期"))
        self.match_button = QPushButton(self.tr("开始比对(&M)"))
        self.match_button.setObjectName("matchButton")
        self.match_button.setDefault(True)
        self.match_button.clicked.connect(self.run_match)
        self.export_button = QPushButton(self.tr("导出比对结果(&X)…"))
        self.export_button.setObjectName("exportMatchButton")
        self.export_button.clicked.connect(self.ask_export)
        self.reload_button = QPushButton(self.tr("刷新"))
        self.reload_button.clicked.connect(lambda: self.reload())
        top = QHBoxLayout()
        for text, widget in (
            (self.tr("名单(&L)："), self.roster_combo),
            (self.tr("比对范围(&S)："), self.scope_combo),
            (self.tr("比对日期："), self.on_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget, 1 if widget is self.roster_combo else 0)
        top.addWidget(self.match_button)
        top.addWidget(self.reload_button)

        self.permission_label = QLabel()
        self.permission_label.setObjectName("matchPermission")
        self.permission_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.permission_label.setWordWrap(True)

        # The counts are the filter: one exclusive button per list, plus 全部.
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.count_buttons: dict[Outcome | None, QPushButton] = {}
        counts = QHBoxLayout()
        counts.addWidget(QLabel(self.tr("显示：")))
        for outcome in (None, *Outcome):
            button = QPushButton()
            button.setObjectName(f"count_{outcome.value if outcome else 'all'}")
            button.setCheckable(True)
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, o=outcome: self.show_outcome(o))
            self.filter_group.addButton(button)
            self.count_buttons[outcome] = button
            counts.addWidget(button)
        self.count_buttons[None].setChecked(True)
        counts.addStretch(1)
        counts.addWidget(self.export_button)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("matchSummary")
        self._show_counts(None)

        self.model = MatchModel(self)
        self.table = QTableView()
        self.table.setObjectName("matchTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())

        self.detail = status_label("matchDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._fit_rows()
        self.result_label = status_label("matchExportResult")
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹(&O)"))
        self.open_folder_button.setObjectName("openMatchFolderButton")
        self.open_folder_button.clicked.connect(self._on_open_folder_clicked)
        self.open_folder_button.hide()
        result = QHBoxLayout()
        result.addWidget(self.result_label, 1)
        result.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.summary_label)
        bottom_layout.addWidget(self.detail, 1)
        bottom_layout.addLayout(result)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.permission_label)
        layout.addLayout(top)
        layout.addLayout(counts)
        layout.addWidget(split, 1)
        show_status(self.result_label, "")
        self._show_detail()
        self._update()

    def _fit_rows(self) -> None:
        """One line of text per row, whatever the font (大字体 changes it at run time)."""
        line = self.fontMetrics().lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(line + 10)
        self.detail.setMinimumHeight(line * 4 + 4)  # outcome, differences, follow-up, basis

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "detail"):
            self._fit_rows()

    # ----------------------------------------------------------------- lists
    def reload(self, keep: int | None = None) -> None:
        """Read the imported lists again, keeping the chosen one (or choosing ``keep``)."""
        keep = keep if keep is not None else self.roster_id()
        infos: list[RosterInfo] = []
        if self.services.context.can(Permission.IMPORT):
            try:
                infos = list(self.services.rosters.rosters())
            except DeskAppError as exc:
                show_error(self, exc)
        self.infos = infos
        self.roster_combo.blockSignals(True)
        self.roster_combo.clear()
        for info in infos:
            self.roster_combo.addItem(roster_text(info), info.id)
        if not infos:
            self.roster_combo.setPlaceholderText(self.tr("还没有导入名单：请先在“导入名册”中导入"))
        index = next((i for i, info in enumerate(infos) if info.id == keep), 0 if infos else -1)
        self.roster_combo.setCurrentIndex(index)
        self.roster_combo.blockSignals(False)
        if self.report is None or self.report.roster.id != self.roster_id():
            self._on_roster_changed()
        self._update()

    def roster_id(self) -> int | None:
        data = self.roster_combo.currentData()
        return int(data) if data is not None else None

    def roster_info(self) -> RosterInfo | None:
        roster_id = self.roster_id()
        return next((i for i in self.infos if i.id == roster_id), None)

    def select_roster(self, roster_id: int) -> None:
        self.reload(keep=roster_id)

    def _on_roster_changed(self) -> None:
        info = self.roster_info()
        if info is not None:
            scope = info.kind.default_scope
            self.scope_combo.setCurrentIndex(self.scope_combo.findData(scope.value))
            self.on_edit.setDate(to_qdate(info.as_of))
        self.report = None
        self.model.set_rows(())
        self._show_counts(None)
        self._show_detail()
        show_status(self.result_label, "")
        self.open_folder_button.hide()
        self._update()

    def scope(self) -> CategoryGroup:
        return CategoryGroup(self.scope_combo.currentData())

    # ----------------------------------------------------------------- matching
    def run_match(self) -> Task | None:
        roster_id = self.roster_id()
        if roster_id is None or self.task is not None:
            return None
        scope, on = self.scope(), from_qdate(self.on_edit.date())
        rosters = self.services.rosters

        def job(progress: ProgressFn, cancel: CancelToken) -> MatchReport:
            return rosters.match(roster_id, scope, on, progress=progress, cancel=cancel)

        task = self.tasks.run(self.tr("台账比对"), job, self)
        self.task = task
        task.succeeded.connect(self._on_matched)
        task.failed.connect(lambda exc: show_error(self, exc))
        task.cancelled.connect(lambda: self.summary_label.setText(self.tr("已取消比对。")))
        task.ended.connect(self._on_task_ended)
        self._update()
        return task

    def _on_matched(self, report: MatchReport) -> None:
        self.report = report
        outcome = self.current_outcome()
        self.model.set_rows(report.rows, outcome)
        self._show_counts(report)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()
        log.info("roster matched from the page: roster=%s rows=%d", report.roster.id, len(report.rows))  # fmt: skip

    def _show_counts(self, report: MatchReport | None) -> None:
        for outcome, button in self.count_buttons.items():
            label = outcome_text(outcome) if outcome else self.tr("全部")
            if report is None:
                button.setText(label)
                button.setEnabled(False)
                continue
            n = len(report.rows) if outcome is None else report.count(outcome)
            button.setText(f"{label}  {n:,}")
            button.setEnabled(True)
        if report is None:
            self.summary_label.setText(self.tr("选择名单后点“开始比对”。"))
        else:
            self.summary_label.setText(
                self.tr("“{roster}”与本系统“{scope}”比对，截至 {on}：共 {n} 户").format(
                    roster=report.roster.title or report.roster.file_name,
                    scope=tr_label("ledgers", report.scope.label),
                    on=report.on.isoformat(),
                    n=f"{len(report.rows):,}",
                )
            )

    def current_outcome(self) -> Outcome | None:
        return next((o for o, b in self.count_buttons.items() if b.isChecked()), None)

    def show_outcome(self, outcome: Outcome | None) -> None:
        """Filter the table to one list (None: all)."""
        self.count_buttons[outcome].setChecked(True)
        self.model.set_outcome(outcome)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()

    def selected_row(self) -> MatchRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.data(index, ROW_ROLE)
        return row if isinstance(row, MatchRow) else None

    def _show_detail(self) -> None:
        row = self.selected_row()
        if row is None:
            show_status(
                self.detail,
                self.tr("每一户的后续处理和依据显示在这里。比对只列出差异，不会改动户籍数据。"),
            )
            return
        lines = [
            self.tr("{outcome}：{name}　{id}　名单第 {rows} 行").format(
                outcome=outcome_text(row.outcome),
                name=row.name or "—",
                id=row.key_masked or "—",
                rows="、".join(str(n) for n in row.their_rows) or "—",
            )
        ]
        if row.differences:
            lines.append(self.tr("不一致：{items}").format(items="；".join(row.differences)))
        lines.append(self.tr("后续处理：{text}").format(text=tr_label("rosters", row.follow_up)))
        if row.basis:
            lines.append(self.tr("依据：{text}").format(text=tr_label("rosters", row.basis)))
        show_status(self.detail, "\n".join(lines))

    # ----------------------------------------------------------------- export
    def default_file_name(self) -> str:
        info = self.roster_info()
        if info is None:
            return "台账比对.xlsx"
        name = "_".join(
            (
                self.tr("台账比对"),
                tr_label("rosters", info.kind.label),
                f"{info.as_of:%Y%m%d}",
            )
        )
        return safe_file_name(name) + ".xlsx"

    def ask_export(self) -> QFileDialog | None:
        if self.roster_id() is None:
            return None
        self.file_dialog = ask_save_xlsx(
            self, self.tr("导出比对结果"), self.default_file_name(), self.export_to
        )
        return self.file_dialog

    def export_to(self, path: Path) -> Task | None:
        roster_id = self.roster_id()
        if roster_id is None or self.task is not None:
            return None
        scope, on = self.scope(), from_qdate(self.on_edit.date())
        rosters = self.services.rosters

        def job(progress: ProgressFn, cancel: CancelToken) -> ExportSummary:
            from reports.ledgers import XlsxSink  # noqa: PLC0415 - openpyxl only when exporting

            return rosters.export_match(
                roster_id, XlsxSink(path), scope=scope, on=on, progress=progress, cancel=cancel
            )

        show_status(self.result_label, self.tr("正在导出……"))
        self.open_folder_button.hide()
        task = self.tasks.run(self.tr("导出比对结果"), job, self)
        self.task = task
        task.succeeded.connect(lambda summary: self._on_exported(path, summary))
        task.failed.connect(lambda exc: self._on_export_failed(exc))
        task.cancelled.connect(
            lambda: show_status(
                self.result_label, self.tr("已取消导出，没有生成文件。"), WARNING_COLOR
            )
        )
        task.ended.connect(self._on_task_ended)
        self._update()
        return task

    def _on_exported(self, path: Path, summary: ExportSummary) -> None:
        self.last_path = path
        size = size_text(path.stat().st_size) if path.exists() else "—"
        show_status(
            self.result_label,
            self.tr("已导出比对结果：共 {rows} 户，文件大小 {size}\n{path}").format(
                rows=f"{summary.rows:,}", size=size, path=str(path)
            ),
            OK_COLOR,
        )
        self.open_folder_button.show()
        self.exported.emit(path, summary)

    def _on_export_failed(self, exc: BaseException) -> None:
        show_status(self.result_label, self.tr("导出没有完成，没有生成文件。"), ERROR_COLOR)
        show_error(self, exc)

    def _on_open_folder_clicked(self) -> None:
        if self.last_path is not None:
            open_folder(self.last_path)

    def _on_task_ended(self, _task: object) -> None:
        self.task = None
        self._update()

    # ----------------------------------------------------------------- role
    def _update(self) -> None:
        context = self.services.context
        busy = self.task is not None
        has_roster = self.roster_id() is not None
        can_import = allow(
            context, Permission.IMPORT, self.match_button, enabled=has_roster and not busy
        )
        allow(context, Permission.EXPORT, self.export_button, enabled=has_roster and not busy)
        for widget in (self.roster_combo, self.scope_combo, self.on_edit, self.reload_button):
            widget.setEnabled(can_import and not busy)
        missing = [
            missing_text(context, p)
            for p in (Permission.IMPORT, Permission.EXPORT)
            if not context.can(p)
        ]
        self.permission_label.setText("\n".join(missing))
        self.permission_label.setVisible(bool(missing))

    def apply_role(self) -> None:
        self.reload()
