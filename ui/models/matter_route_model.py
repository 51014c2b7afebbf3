"""The chosen matters of an intake with their proposed routes, as a small table model.

One row per :class:`RouteProposal` from ``IntakeService.propose``: matter, route (window
or referral queue) over the receiving department, deadline and the number of missing
papers. The
reason and seed basis of each route are the row's tooltip. Rows whose route or papers the
last save refused are painted red until they change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desk_app.domain.intake import Handling
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import RouteProposal
from ui.i18n import tr_label

Index = QModelIndex | QPersistentModelIndex

ROUTE_ROLE = Qt.ItemDataRole.UserRole + 1
"""Item data: the row's :class:`RouteProposal`."""

_CTX = "MatterRouteModel"
_COLUMNS = (
    QT_TRANSLATE_NOOP("MatterRouteModel", "事项"),
    QT_TRANSLATE_NOOP("MatterRouteModel", "去向 / 接收部门"),
    QT_TRANSLATE_NOOP("MatterRouteModel", "办理期限"),
    QT_TRANSLATE_NOOP("MatterRouteModel", "缺件"),
)
MATTER, ROUTE, DEADLINE, MISSING = range(len(_COLUMNS))
_PROBLEM_COLOR = QColor("#c62828")


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def route_text(r: RouteProposal) -> str:
    """窗口办理 / 转介·医疗, with （改派） when the clerk changed the proposal."""
    text = tr_label("registry", r.handling.label)
    if r.handling is Handling.REFERRAL:
        text += f"·{r.queue}"
    if r.overridden:
        text += _t("（改派）")
    return text


def deadline_text(r: RouteProposal) -> str:
    if r.due_date is None:
        return _t("未设时限")
    text = r.due_date.isoformat()
    return text + " ！" if r.due_uncertain_years else text


def basis_text(r: RouteProposal) -> str:
    """Why the route: the catalogue's reason and its seed basis, and the clerk's change."""
    lines = [
        _t("理由：{reason}").format(reason=r.reason),
        _t("依据：{basis}").format(basis=r.basis),
    ]
    if r.overridden:
        proposed = _t("建议去向：{route} → {department}").format(
            route=tr_label("registry", r.proposed_handling.label),
            department=r.proposed_department_name,
        )
        changed = _t("改派理由：{reason}").format(reason=r.override_reason or _t("（未填写）"))
        lines = [proposed, *lines, changed]
    return "\n".join(lines)


def due_text(r: RouteProposal) -> str:
    """办理时限 10 个工作日，2026-05-15 前 (and the weekends-only warning when needed)."""
    if r.due_date is None:
        return _t("未设办理时限（待当地确定）")
    text = _t("{days}个工作日，{due}前").format(days=r.limit_days, due=r.due_date.isoformat())
    if r.due_uncertain_years:
        text += _t("（{years}年节假日未录入，暂按周末计算）").format(
            years="、".join(str(y) for y in r.due_uncertain_years)
        )
    return text


class MatterRouteModel(QAbstractTableModel):
    """Rows of :class:`RouteProposal`, in the order the matters were chosen."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._routes: list[RouteProposal] = []
        self._problems: set[str] = set()

    # ------------------------------------------------------------ our API
    def set_routes(self, routes: Sequence[RouteProposal]) -> None:
        """Show ``routes``; the same matters in the same order only repaint (selection stays)."""
        new = list(routes)
        if [r.matter_code for r in new] == [r.matter_code for r in self._routes]:
            self._routes = new
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(_COLUMNS) - 1))
            return
        self.beginResetModel()
        self._routes = new
        self._problems &= {r.matter_code for r in new}
        self.endResetModel()

    def routes(self) -> list[RouteProposal]:
        return list(self._routes)

    def route_at(self, row: int) -> RouteProposal | None:
        return self._routes[row] if 0 <= row < len(self._routes) else None

    def row_of(self, matter_code: str) -> int:
        return next((i for i, r in enumerate(self._routes) if r.matter_code == matter_code), -1)

    def set_problems(self, matter_codes: Iterable[str]) -> None:
        """Paint these matters' rows red (the last save found something wrong with them)."""
        self._problems = set(matter_codes)
        if self._routes:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._routes) - 1, len(_COLUMNS) - 1),
                [Qt.ItemDataRole.ForegroundRole],
            )

    def problems(self) -> set[str]:
        return set(self._problems)

    # ------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._routes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._routes):
            return None
        r = self._routes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == MATTER:
                return r.matter_name
            if column == ROUTE:  # two lines: the table is narrow, department names are long
                return f"{route_text(r)}\n{r.department_name}"
            if column == DEADLINE:
                return deadline_text(r)
            if column == MISSING:
                return str(len(r.papers_missing)) if r.papers_missing else _t("齐")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DEADLINE:
                return due_text(r)
            if column == MISSING and r.papers_missing:
                return _t("缺：{papers}").format(papers="、".join(p.name for p in r.papers_missing))
            return basis_text(r)
        if role == Qt.ItemDataRole.ForegroundRole and r.matter_code in self._problems:
            return QBrush(_PROBLEM_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MISSING:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROUTE_ROLE:
            return r
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_COLUMNS)
        ):
            return _t(_COLUMNS[section])
        return None
