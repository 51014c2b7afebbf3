"""台账: ledgers out to Excel, lists in from other offices, and the comparison (issue #7).

Three tabs over the services, never the database:

* 导出台账 (:mod:`ui.pages.ledger_export`) — ``services.ledgers``;
* 导入名册 (:mod:`ui.pages.ledger_import`) — ``services.rosters`` preview, mapping,
  dry run and import;
* 台账比对 (:mod:`ui.pages.ledger_match`) — ``services.rosters.match`` and
  ``export_match``;
* 近亲属备案 (:mod:`ui.pages.ledger_near_relatives`) — ``services.near_relatives``.

Long work runs on the window's :class:`~ui.tasks.TaskRunner` (one worker, so it never
overlaps other database jobs): a progress dialog after half a second, with 取消.
Permissions (issue #8): controls the role may not use are disabled with a tooltip naming
the missing permission (导出台账, 导入名册, 查看完整证件号); the services refuse anyway
and the refusal is shown by ``ui.errors``.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desk_app.bootstrap import Services
from desk_app.services.rosters import RosterInfo
from ui.pages.ledger_export import ExportTab
from ui.pages.ledger_import import ImportTab
from ui.pages.ledger_match import MatchTab
from ui.pages.ledger_near_relatives import NearRelativeTab
from ui.tasks import TaskRunner


class LedgerPage(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks if tasks is not None else TaskRunner(self)
        self.export_tab = ExportTab(services, self.tasks)
        self.import_tab = ImportTab(services, self.tasks)
        self.match_tab = MatchTab(services, self.tasks)
        self.near_relative_tab = NearRelativeTab(services)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ledgerTabs")
        self.tabs.addTab(self.export_tab, self.tr("导出台账"))
        self.tabs.addTab(self.import_tab, self.tr("导入名册"))
        self.tabs.addTab(self.match_tab, self.tr("台账比对"))
        self.tabs.addTab(self.near_relative_tab, self.tr("近亲属备案"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.import_tab.imported.connect(self._on_imported)
        self.import_tab.compare_requested.connect(self.show_match)
        self._loaded = False

    def showEvent(self, event: QShowEvent) -> None:
        # Read when opened: who is signed in decides what may be used, and other pages
        # change what the lists hold.
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def refresh(self) -> None:
        """Apply the signed-in role and read the ledgers and the imported lists."""
        self.export_tab.apply_role()
        self.import_tab.apply_role()
        self.match_tab.apply_role()
        self.near_relative_tab.apply_role()
        self._loaded = True

    def _on_imported(self, info: RosterInfo) -> None:
        self.match_tab.reload(keep=info.id)

    def show_match(self, roster_id: int) -> None:
        """台账比对 with the list ``roster_id`` chosen."""
        self.match_tab.select_roster(roster_id)
        self.tabs.setCurrentWidget(self.match_tab)
