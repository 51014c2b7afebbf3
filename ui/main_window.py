"""The main window: navigation, pages, menus, shortcuts and the status bar."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from desk_app import __version__
from desk_app.bootstrap import Services
from desk_app.config import AppConfig
from desk_app.domain.security import Permission
from desk_app.errors import DeskAppError
from desk_app.services.dto import SiteInfo
from ui.dialogs import open_dialog
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.reminders_dialog import RemindersDialog
from ui.dialogs.sign_in import ChangePasswordDialog, SignInFlow
from ui.errors import show_error
from ui.fonts import apply_ui_font
from ui.pages.intake_page import IntakePage
from ui.settings import UiSettings
from ui.tasks import Job, Task, TaskRunner
from ui.widgets.idle_lock import IdleLock
from ui.widgets.window_roles import adapt_page, adapt_window

if TYPE_CHECKING:
    from ui.pages.admin_page import AdminPage
    from ui.pages.kpi_page import KpiPage
    from ui.pages.ledger_page import LedgerPage
    from ui.pages.notice_page import NoticePage
    from ui.pages.queue_page import QueuePage
    from ui.pages.registry_page import RegistryPage

log = logging.getLogger(__name__)

PAGE_NAMES = (
    "intake_page",
    "registry_page",
    "queue_page",
    "kpi_page",
    "notice_page",
    "ledger_page",
    "admin_page",
)
"""The pages in navigation order (row = index). Only 窗口受理 is built with the window;
the others are built, and their modules imported, when first shown or asked for."""


class MainWindow(QMainWindow):
    """Signals: ``site_changed(SiteInfo)`` after the window's identity is set."""

    site_changed = Signal(object)
    """The township/window identity or the clerk changed."""
    signed_out = Signal()
    """注销/切换用户: the user signed out; ``WindowHost`` replaces this window."""

    def __init__(self, services: Services, config: AppConfig, settings: UiSettings) -> None:
        super().__init__()
        self.services = services
        self.config = config
        self.settings = settings
        self.tasks = TaskRunner(self)
        self.site: SiteInfo | None = None
        self.setWindowTitle(self.tr("社会救助综合服务窗口"))
        self.setMinimumSize(1024, 640)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        self.pages = QStackedWidget()
        self._built: dict[str, QWidget] = {}
        self._started = False
        """``start`` ran signed in: a page built later runs what start did for it."""
        self.intake_page = IntakePage(services)
        self._built["intake_page"] = self.intake_page
        for title, name in (
            (self.tr("窗口受理"), "intake_page"),
            (self.tr("户籍与成员"), "registry_page"),
            (self.tr("转介队列"), "queue_page"),
            (self.tr("考核统计"), "kpi_page"),
            (self.tr("公示"), "notice_page"),
            (self.tr("台账"), "ledger_page"),
            (self.tr("系统设置"), "admin_page"),
        ):
            # Start-up cost (issue #10): a placeholder until the page is first needed.
            self._add_page(title, self._built.get(name) or QWidget())
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.nav.setCurrentRow(0)
        self._wire_pages()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.calendar_warning = QLabel()
        self.calendar_warning.setObjectName("calendarWarning")
        self.calendar_warning.setStyleSheet("color: #b00020;")
        self.statusBar().addWidget(self.calendar_warning)
        self.db_label = QLabel()
        self.site_label = QLabel()
        self.clerk_label = QLabel()
        for label in (self.db_label, self.site_label, self.clerk_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self.reminders: RemindersDialog | None = None
        # Issue #8: the window opens signed out; sign-in, idle lock, who is signed in.
        self.sign_in_flow = SignInFlow(services, self)
        self.sign_in_flow.signed_in.connect(self._on_signed_in)
        self.sign_in_flow.quit_requested.connect(self.close)
        self.idle_lock = IdleLock(self, services.users, self.user_text)
        self.idle_lock.switch_user_requested.connect(self.sign_out)
        self._pending_start: tuple[Job | None, str] = (None, "")
        self.replaced_on_sign_out = False
        """Set by ``WindowHost``: a new window takes over after 注销."""
        self._retired = False
        self._build_actions()
        self.sign_out_button = QToolButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.setDefaultAction(self.sign_out_action)
        self.sign_out_button.setAutoRaise(True)
        self.statusBar().addPermanentWidget(self.sign_out_button)
        self._restore()
        self.refresh_site()

    # ----------------------------------------------------------------- building
    def _add_page(self, title: str, page: QWidget) -> None:
        self.nav.addItem(title)
        self.pages.addWidget(page)

    # Pages other than 窗口受理 are properties: built on first use, same object after.
    @property
    def registry_page(self) -> RegistryPage:
        return cast("RegistryPage", self.page("registry_page"))

    @property
    def queue_page(self) -> QueuePage:
        return cast("QueuePage", self.page("queue_page"))

    @property
    def kpi_page(self) -> KpiPage:
        return cast("KpiPage", self.page("kpi_page"))

    @property
    def notice_page(self) -> NoticePage:
        return cast("NoticePage", self.page("notice_page"))

    @property
    def ledger_page(self) -> LedgerPage:
        return cast("LedgerPage", self.page("ledger_page"))

    @property
    def admin_page(self) -> AdminPage:
        return cast("AdminPage", self.page("admin_page"))

    def built_page(self, name: str) -> QWidget | None:
        """The page called ``name`` if it has been built, else None (builds nothing)."""
        return self._built.get(name)

    def page_row(self, name: str) -> int:
        """The navigation row (and stack index) of the page called ``name``."""
        return PAGE_NAMES.index(name)

    def page(self, name: str) -> QWidget:
        """The page called ``name``, built now if this is its first use."""
        page = self._built.get(name)
        if page is not None:
            return page
        page = self._make_page(name)
        self._built[name] = page
        row = self.page_row(name)
        current = self.pages.currentIndex()
        placeholder = self.pages.widget(row)
        self.pages.insertWidget(row, page)
        if placeholder is not None:
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        self.pages.setCurrentIndex(current)
        self._page_built(name, page)
        return page

    def _make_page(self, name: str) -> QWidget:
        # Importing a page's module is part of what waits for its first use.
        services = self.services
        if name == "registry_page":
            from ui.pages.registry_page import RegistryPage  # noqa: PLC0415

            return RegistryPage(services)
        if name == "queue_page":
            from ui.pages.queue_page import QueuePage  # noqa: PLC0415

            return QueuePage(services)
        if name == "kpi_page":
            from ui.pages.kpi_page import KpiPage  # noqa: PLC0415

            return KpiPage(services)
        if name == "notice_page":
            from ui.pages.notice_page import NoticePage  # noqa: PLC0415

            return NoticePage(services)
        if name == "ledger_page":
            from ui.pages.ledger_page import LedgerPage  # noqa: PLC0415

            return LedgerPage(services, self.tasks)
        if name == "admin_page":
            from ui.pages.admin_page import AdminPage  # noqa: PLC0415

            admin = AdminPage(services)
            admin.changed.connect(self._on_admin_page_changed)
            return admin
        raise KeyError(name)

    def _page_built(self, name: str, page: QWidget) -> None:
        """What ``start`` did for every page, done for one built after it."""
        if not self._started:
            return
        adapt_page(self, name)
        if name == "registry_page" and self.services.context.can(Permission.READ_REGISTRY):
            self.registry_page.run_search()

    def _wire_pages(self) -> None:
        # An intake creates referrals and may register a household: the other pages
        # show fresh data the next time they are opened (see _on_nav_current_row_changed).
        # A page not built yet reads everything when it is first shown.
        self.intake_page.intake_saved.connect(self._on_intake_saved)
        self.intake_page.household_opened.connect(
            lambda household_id: self.registry_page.show_household(household_id)
        )

    def _on_intake_saved(self, _receipt: object) -> None:
        if "queue_page" in self._built:
            self.queue_page.reload()

    def _on_nav_current_row_changed(self, row: int) -> None:
        name = PAGE_NAMES[row] if 0 <= row < len(PAGE_NAMES) else ""
        if name:
            self.page(name)
        self.pages.setCurrentIndex(row)
        if name == "queue_page":
            self.queue_page.reload()
        elif name == "kpi_page":
            self.kpi_page.reload()

    def _on_admin_page_changed(self, _what: str) -> None:
        self.intake_page.reload_catalogue()
        if "queue_page" in self._built:
            self.queue_page.reload()
        self.refresh_calendar_warning()

    def show_page(self, page: QWidget) -> None:
        self._show_row(self.pages.indexOf(page))

    def _show_row(self, row: int) -> None:
        if 0 <= row < self.nav.count():
            item = self.nav.item(row)
            if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.statusBar().showMessage(item.toolTip(), 5000)  # the role may not open it
                return
        self.nav.setCurrentRow(row)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.lock_action = QAction(self.tr("锁定屏幕(&L)"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_screen)
        self.change_password_action = QAction(self.tr("修改密码(&P)…"), self)
        self.change_password_action.triggered.connect(self.change_password)
        self.sign_out_action = QAction(self.tr("注销/切换用户(&U)"), self)
        self.sign_out_action.setToolTip(self.tr("注销当前用户，由其他人登录"))
        self.sign_out_action.triggered.connect(self.sign_out)
        for action in (self.lock_action, self.change_password_action, self.sign_out_action):
            file_menu.addAction(action)
            self.addAction(action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        registry_menu = self.menuBar().addMenu(self.tr("户籍(&R)"))
        go_menu = self.menuBar().addMenu(self.tr("转到(&G)"))
        self.go_actions: dict[int, QAction] = {}
        for number, name, title in (
            (1, "intake_page", self.tr("窗口受理")),
            (2, "registry_page", self.tr("户籍与成员")),
            (3, "queue_page", self.tr("转介队列")),
            (4, "kpi_page", self.tr("考核统计")),
            (5, "notice_page", self.tr("公示")),
            (6, "ledger_page", self.tr("台账")),
            (7, "admin_page", self.tr("系统设置")),
        ):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            row = self.page_row(name)
            action.triggered.connect(lambda _checked=False, r=row: self._show_row(r))
            self.go_actions[row] = action
            go_menu.addAction(action)
            self.addAction(action)

        self.find_action = QAction(self.tr("查找(&F)"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.new_household_action = QAction(self.tr("新建户(&N)…"), self)
        self.new_household_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_household_action.triggered.connect(self._on_new_household_action_triggered)
        self.reload_action = QAction(self.tr("刷新(&R)"), self)
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.triggered.connect(lambda: self.registry_page.reload())
        for action in (self.find_action, self.new_household_action, self.reload_action):
            registry_menu.addAction(action)
            self.addAction(action)

        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        self.large_font_action = QAction(self.tr("大字体（适老化）(&L)"), self)
        self.large_font_action.setCheckable(True)
        self.large_font_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.large_font_action.setChecked(self.settings.large_font)
        self.large_font_action.toggled.connect(self.set_large_font)
        view_menu.addAction(self.large_font_action)
        self.addAction(self.large_font_action)

        settings_menu = self.menuBar().addMenu(self.tr("设置(&S)"))
        self.site_action = QAction(self.tr("窗口与经办人(&W)…"), self)
        self.site_action.triggered.connect(self.ask_site)
        settings_menu.addAction(self.site_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _restore(self) -> None:
        geometry = self.settings.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            # 1280x800 where it fits; on the 1366x768 screens common in halls, the
            # available area (without the task bar), so the status bar is never off-screen.
            area = self.screen().availableGeometry()
            width, height = min(1280, area.width()), min(800, area.height() - 40)
            self.resize(width, height)

    # ----------------------------------------------------------------- actions
    def _on_find_action_triggered(self) -> None:
        # Ctrl+F searches where the clerk is: the intake page has its own household search.
        if self.pages.currentWidget() is self.intake_page:
            self.intake_page.focus_search()
            return
        self.show_page(self.registry_page)
        self.registry_page.focus_search()

    def _on_new_household_action_triggered(self) -> None:
        self.show_page(self.registry_page)
        self.registry_page.new_household()

    def set_large_font(self, large: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_ui_font(app, large)
        self.settings.large_font = large
        self.settings.sync()

    def refresh_site(self) -> None:
        signed_in = self.services.context.identity is not None
        self.site = self.services.site.get() if signed_in else None
        if not self.user_signed_in:
            # The command line's identity (tests, screenshots): the clerk set on this PC.
            self.services.context.operator.name = self.settings.clerk_name
        self.db_label.setText(self.tr("数据库：{db}").format(db=self.config.db_label))
        if self.site is None:
            self.site_label.setText(self.tr("尚未设置窗口信息"))
        else:
            self.site_label.setText(f"{self.site.township_name} · {self.site.window_name}")
        if self.user_signed_in:
            self.clerk_label.setText(self.tr("当前用户：{who}").format(who=self.user_text()))
        elif signed_in:
            self.clerk_label.setText(
                self.tr("经办人：{name}").format(name=self.settings.clerk_name or "—")
            )
        else:
            self.clerk_label.setText(self.tr("未登录"))
        self._update_user_actions()

    @property
    def user_signed_in(self) -> bool:
        """A user (not the command line's identity) is signed in."""
        identity = self.services.context.identity
        return identity is not None and identity.user_id is not None

    def user_text(self) -> str:
        """姓名（角色） of whoever is signed in."""
        identity = self.services.context.identity
        if identity is None:
            return "—"
        role = QCoreApplication.translate("security", identity.role.label)
        return f"{self.services.context.actor}（{role}）"

    def _update_user_actions(self) -> None:
        for action in (self.lock_action, self.change_password_action, self.sign_out_action):
            action.setEnabled(self.user_signed_in)
        self.sign_out_button.setVisible(self.user_signed_in)

    @property
    def needs_setup(self) -> bool:
        if self.user_signed_in:
            return self.site is None  # the clerk is the signed-in user
        return self.site is None or not self.settings.clerk_name

    def ask_site(self) -> FirstStartDialog:
        """Ask for township, window and clerk (first start, or 设置 → 窗口与经办人)."""
        dialog = FirstStartDialog(
            self.services.site.save,
            parent=self,
            existing=self.site,
            clerk_name=self.settings.clerk_name
            or (self.services.context.operator.name if self.user_signed_in else ""),
        )

        def done() -> None:
            self.settings.clerk_name = dialog.clerk_name()
            self.settings.sync()
            self.refresh_site()
            self.site_changed.emit(self.site)

        return open_dialog(dialog, done)

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("关于"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr(
                "社会救助综合服务窗口 {version}\n\n数据库：{db}\n数据目录：{data}\n日志目录：{logs}"
            ).format(
                version=__version__,
                db=self.config.db_label,
                data=self.config.data_dir,
                logs=self.config.log_dir,
            )
        )
        bundle = box.addButton(self.tr("生成诊断包…"), QMessageBox.ButtonRole.ActionRole)
        bundle.clicked.disconnect()  # keep the box open after the click
        bundle.clicked.connect(self.save_diagnostic_bundle)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def save_diagnostic_bundle(self, path: str | None = None) -> str | None:
        """Logs and version facts (no personal data) as a .zip for support (issue #11)."""
        from desk_app.diagnostics import make_bundle  # noqa: PLC0415 - rarely used

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("保存诊断包"),
                str(Path.home() / f"desk-app-诊断包-{dt.date.today():%Y%m%d}.zip"),
                self.tr("压缩包 (*.zip)"),
            )  # fmt: skip
            if not path:
                return None
        try:
            make_bundle(self.config, Path(path), {"qt": qVersion()})
        except OSError as exc:
            show_error(self, exc)
            return None
        self.statusBar().showMessage(self.tr("诊断包已保存：{path}").format(path=path), 15_000)
        return path

    def start(self, prepare: Job | None = None, title: str = "") -> Task | None:
        """Show the window, run ``prepare`` (e.g. filling the demo database) off the GUI
        thread, then ask for the site on an unconfigured database.

        Signed out (issue #8): first the first administrator or the sign-in, then the rest.
        """
        self.show()
        if self.services.context.identity is None:
            self._pending_start = (prepare, title)
            self.refresh_site()
            self.sign_in_flow.start()
            return None
        adapt_window(self)
        self._started = True
        if self.user_signed_in:
            self.idle_lock.arm()
        if "registry_page" in self._built:
            self.registry_page.focus_search()
        if prepare is None:
            self._after_prepare()
            return None
        task = self.tasks.run(title, prepare, self)
        task.succeeded.connect(lambda _result: self._after_prepare())
        task.failed.connect(lambda exc: show_error(self, exc))
        task.cancelled.connect(self._after_prepare)
        return task

    def _after_prepare(self) -> None:
        self.refresh_site()
        self.refresh_calendar_warning()
        can = self.services.context.can
        # Pages not built yet read their data when built (_page_built) or first shown.
        if can(Permission.READ_REGISTRY) and "registry_page" in self._built:
            self.registry_page.run_search()
        if can(Permission.READ_REFERRALS) and "queue_page" in self._built:
            self.queue_page.reload()
        if self.needs_setup and can(Permission.SETTINGS):
            QTimer.singleShot(0, lambda: self._while_signed_in(self.ask_site))
        else:
            QTimer.singleShot(0, lambda: self._while_signed_in(self.show_reminders))

    def show_reminders(self) -> RemindersDialog | None:
        """On start-up the clerk sees what is overdue and what falls due today."""
        self.reminders = RemindersDialog.maybe_show(self.services, self)
        if self.reminders is not None:
            self.reminders.open_referral.connect(self._on_reminders_open_referral)
            self.reminders.show_overdue_requested.connect(self._on_reminders_show_overdue_requested)
        return self.reminders

    def _on_reminders_open_referral(self, referral_id: int) -> None:
        self.show_page(self.queue_page)
        self.queue_page.show_referral(referral_id)

    def _on_reminders_show_overdue_requested(self) -> None:
        self.show_page(self.queue_page)
        self.queue_page.show_overdue()

    def refresh_calendar_warning(self) -> None:
        """Say visibly when deadlines may reach a year whose holidays nobody has entered."""
        years = self.services.calendar.unknown_years_ahead(1)
        if years:
            # Short enough for the large font; the tooltip says what to do.
            joined = "、".join(str(y) for y in years)
            self.calendar_warning.setText(self.tr("！{years}年节假日未录入").format(years=joined))
            self.calendar_warning.setToolTip(
                self.tr(
                    "{years}年节假日安排尚未录入：跨入该年的期限暂按周末计算。"
                    "请在“系统设置 → 节假日”录入。"
                ).format(years=joined)
            )
        else:
            self.calendar_warning.clear()
            self.calendar_warning.setToolTip("")

    # ----------------------------------------------------------------- users (#8)
    def _while_signed_in(self, show: Callable[[], object]) -> None:
        """Run a start-up step queued earlier, unless the user signed out meanwhile."""
        if self.services.context.identity is not None and not self._retired:
            show()

    def _on_signed_in(self) -> None:
        prepare, title = self._pending_start
        self._pending_start = (None, "")
        self.start(prepare, title)

    def lock_screen(self) -> None:
        """锁定屏幕 now (Ctrl+L), as after idle time."""
        if self.user_signed_in:
            self.idle_lock.lock()

    def change_password(self) -> ChangePasswordDialog | None:
        if not self.user_signed_in:
            return None
        dialog = ChangePasswordDialog(self.services.users, self)

        def done() -> None:
            self.statusBar().showMessage(self.tr("密码已修改。"), 5000)

        return open_dialog(dialog, done)

    def sign_out(self) -> None:
        """注销/切换用户: sign out; ``WindowHost`` opens a fresh window for the next user
        (nothing of this user's work stays on screen), else this one asks again."""
        self.idle_lock.release()
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        try:
            self.services.users.sign_out()
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._retired = self.replaced_on_sign_out
        self.signed_out.emit()
        if not self.replaced_on_sign_out:
            self.refresh_site()
            self.sign_in_flow.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self.idle_lock.release()
        self.tasks.shutdown()
        if self.user_signed_in and not self._retired:
            with contextlib.suppress(DeskAppError):
                self.services.users.sign_out()  # recorded in the audit
        super().closeEvent(event)
