"""Start the window: Qt application, fonts, translators, logging, crash hook, services."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

# isort: off
# The core (SQLAlchemy, the ORM models, the services) before PySide6, on purpose: once
# PySide6 is loaded, its __feature__ import hook reads the source of every module that
# imports anything afterwards, which cost about 0.2 s of start-up (docs/performance.md).
import desk_app.bootstrap  # noqa: F401

# isort: on
from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from desk_app import __version__
from desk_app.bootstrap import Services, open_services
from desk_app.config import AppConfig
from desk_app.jobs import CancelToken, ProgressFn
from desk_app.logs import setup_logging
from desk_app.services.context import SYSTEM
from ui import auto_backup, errors
from ui.fonts import apply_ui_font, load_bundled_fonts
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.settings import UiSettings
from ui.widgets.window_host import WindowHost

log = logging.getLogger(__name__)
_qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message_handler(msg_type: QtMsgType, _context: object, message: str) -> None:
    _qt_log.log(_QT_LEVELS.get(msg_type, logging.WARNING), "%s", message)


def create_application(argv: list[str]) -> QApplication:
    """The QApplication with our fonts, translators and identity (also used by tests)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setApplicationName("desk_app")
    app.setApplicationDisplayName(app.translate("app", "社会救助综合服务窗口"))
    app.setApplicationVersion(__version__)
    load_bundled_fonts()
    install_translators(app)
    return app


def build_main_window(services: Services, config: AppConfig) -> MainWindow:
    settings = UiSettings(config.config_dir)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_ui_font(app, settings.large_font)
    return MainWindow(services, config, settings)


def report_startup_failure(exc: BaseException) -> int:
    """Log why the window cannot open and say so in a blocking box; the exit code is 1.

    Never a silent exit: a clerk who double-clicks the icon must see why nothing opens
    (wrong file, locked database, newer schema) and where the log is, for the helpdesk.
    """
    log.error("start-up failed", exc_info=(type(exc), exc, exc.__traceback__))
    errors.mark_logged(exc)
    box = errors.error_box(None, exc)
    box.setWindowTitle(QCoreApplication.translate("app", "无法启动"))
    if errors.log_location and errors.log_location not in box.text():
        box.setInformativeText(
            QCoreApplication.translate("app", "详细情况已记入日志：{log}").format(
                log=errors.log_location
            )
        )
    box.exec()
    return 1


def _as_system(
    config: AppConfig, prepare: Callable[[Services, ProgressFn, CancelToken], object]
) -> Callable[[ProgressFn, CancelToken], object]:
    """``prepare`` (filling the demo database) on its own services as the command line:
    it writes what no signed-in role may write all at once, on the worker thread."""

    def job(progress: ProgressFn, cancel: CancelToken) -> object:
        own = open_services(config.db_url, identity=SYSTEM)
        try:
            return prepare(own, progress, cancel)
        finally:
            own.close()

    return job


def run_gui(
    config: AppConfig,
    *,
    prepare: Callable[[Services, ProgressFn, CancelToken], object] | None = None,
) -> int:
    """Open the window on ``config``'s database and run the event loop.

    Returns the event loop's exit code, or 1 when start-up failed (after telling the clerk).
    """
    log_path = setup_logging(config.log_dir)
    errors.log_location = str(log_path)
    qInstallMessageHandler(_qt_message_handler)
    log.info("desk_app %s starting (python %s)", __version__, sys.version.split()[0])
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    host: WindowHost | None = None
    errors.ExceptHook(lambda: host.window if host is not None else None).install()
    try:
        create_application(sys.argv)
        # Signed out (issue #8): the window asks who is there before anything is shown.
        services = open_services(config.db_url)
    except Exception as exc:  # any reason at all: say it, never exit silently
        return report_startup_failure(exc)
    try:
        host = WindowHost(lambda: build_main_window(services, config))
        try:
            if prepare is None:
                host.open()
            else:
                host.open(_as_system(config, prepare), app.translate("app", "正在准备演示数据"))
        except Exception as exc:
            return report_startup_failure(exc)
        backups = auto_backup.install(config, lambda text: _status(host, text), app)
        code = app.exec()
        if backups is not None:
            backups.run_now()  # one more at exit (issue #9)
        return code
    finally:
        services.close()
        log.info("desk_app stopped")


def _status(host: WindowHost | None, text: str) -> None:
    window = host.window if host is not None else None
    if window is not None:
        window.statusBar().showMessage(text, 15_000)
