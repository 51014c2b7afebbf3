"""系统设置: the administrator's page for the data that drives routing and deadlines.

Seven tabs, one module each: 事项目录 (the matter catalogue and routing matrix,
``admin_matters``), 接收部门 (departments and their reply limits, ``admin_departments``),
参数 (values with effective dates, localities and sources, ``admin_parameters``),
节假日 (the holiday table for years chinese-calendar does not know, ``admin_holidays``)
and 救助参数集 (the assistance parameter sets and the one in use, ``admin_rule_sets``);
then 用户 (``admin_users``) and 审计 (``admin_audit``), each shown only to a role with
that permission (issue #8).

Each tab reads its data when first shown; a save on one tab makes the others read
again when next shown, so names and limits agree across tabs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.security import Permission
from ui.dialogs import ERROR_COLOR
from ui.pages.admin_audit import AuditTab
from ui.pages.admin_common import AdminTab
from ui.pages.admin_departments import DepartmentsTab
from ui.pages.admin_holidays import HolidaysTab
from ui.pages.admin_matters import MattersTab
from ui.pages.admin_parameters import ParametersTab
from ui.pages.admin_rule_sets import RuleSetsTab
from ui.pages.admin_users import UsersTab


class AdminPage(QWidget):
    """Signals: ``changed(area)`` after any save; ``area`` is ``matters``,
    ``departments``, ``parameters``, ``holidays`` or ``rule_sets``. Pages that cache the catalogue,
    limits or the calendar (intake, queues) reload on it.
    """

    changed = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.matters_tab = MattersTab(services)
        self.departments_tab = DepartmentsTab(services)
        self.parameters_tab = ParametersTab(services)
        self.holidays_tab = HolidaysTab(services)
        self.rule_sets_tab = RuleSetsTab(services)
        self.users_tab = UsersTab(services)
        self.audit_tab = AuditTab(services)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.matters_tab, self.tr("事项目录(&1)"))
        self.tabs.addTab(self.departments_tab, self.tr("接收部门(&2)"))
        self.tabs.addTab(self.parameters_tab, self.tr("参数(&3)"))
        self.tabs.addTab(self.holidays_tab, self.tr("节假日(&4)"))
        self.tabs.addTab(self.rule_sets_tab, self.tr("救助参数集(&5)"))
        # Issue #8: users and the audit trail, for administrators (apply_role hides them).
        self.tabs.addTab(self.users_tab, self.tr("用户(&6)"))
        self.tabs.addTab(self.audit_tab, self.tr("审计(&7)"))
        self._holiday_title = self.tabs.tabText(3)
        self._holiday_color = self.tabs.tabBar().tabTextColor(3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        for tab in self.all_tabs():
            tab.changed.connect(self._on_tab_changed)
        self.holidays_tab.unknown_years_changed.connect(self._mark_holiday_tab)

    def all_tabs(self) -> tuple[AdminTab, ...]:
        return (
            self.matters_tab,
            self.departments_tab,
            self.parameters_tab,
            self.holidays_tab,
            self.rule_sets_tab,
            self.users_tab,
            self.audit_tab,
        )

    def apply_role(self) -> None:
        """Show only the tabs the signed-in role may use (the services check anyway)."""
        can = self.services.context.can
        for tab in self.all_tabs():
            if tab is self.users_tab:
                needed = Permission.USERS
            elif tab is self.audit_tab:
                needed = Permission.AUDIT
            else:
                needed = Permission.SETTINGS
            self.tabs.setTabVisible(self.tabs.indexOf(tab), can(needed))
        visible = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if visible and not self.tabs.isTabVisible(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(visible[0])

    def reload(self) -> None:
        """F5: read the shown tab again now, the others when they are next shown."""
        for tab in self.all_tabs():
            tab.mark_stale()
        self.holidays_tab.refresh_banner()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.holidays_tab.refresh_banner()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            # A tab with a style sheet keeps the font it was polished with and is not told
            # about the new one: polish it again once the change has reached this page, so
            # the large-font option (适老化) reaches every form and table.
            QTimer.singleShot(0, self._repolish_tabs)
        super().changeEvent(event)

    def _repolish_tabs(self) -> None:
        for tab in self.all_tabs():
            sheet = tab.styleSheet()
            tab.setStyleSheet("")
            tab.setStyleSheet(sheet)

    def _on_tab_changed(self, area: str) -> None:
        sender = self.sender()
        for tab in self.all_tabs():
            if tab is not sender:
                tab.mark_stale()
        self.changed.emit(area)

    def _mark_holiday_tab(self, unknown: tuple[int, ...]) -> None:
        """The tab title turns red with a note while a coming year has no holidays entered."""
        bar = self.tabs.tabBar()
        if unknown:
            self.tabs.setTabText(3, self.tr("节假日(&4)（待录入）"))
            bar.setTabTextColor(3, QColor(ERROR_COLOR))
            self.tabs.setTabToolTip(
                3,
                self.tr("{years}年的节假日尚未录入，期限暂按周末计算").format(
                    years="、".join(str(y) for y in unknown)
                ),
            )
        else:
            self.tabs.setTabText(3, self._holiday_title)
            bar.setTabTextColor(3, self._holiday_color)
            self.tabs.setTabToolTip(3, "")
