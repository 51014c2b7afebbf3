"""Screen lock after idle time (issue #8; ASVS 5.0 7.3.1): PCs in open halls.

:class:`IdleWatcher` restarts a timer on every keyboard, mouse or touch input anywhere in
the application. When it runs out, :class:`IdleLock` covers the main window with a
:class:`LockScreen` that shows who is signed in and asks for their password again
(``services.users.confirm_password``); 切换用户 signs out instead.

Nothing typed is lost: open dialogs are hidden, not closed, and shown again with their
contents on unlock; the pages underneath are untouched. The minutes come from the
parameter ``auth.idle_lock_minutes``; tests inject a short timeout in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskAppError
from desk_app.services.users import UserService
from ui.dialogs import ERROR_COLOR
from ui.errors import show_error

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
"""What counts as someone at the PC."""


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``timeout_ms`` without input anywhere in the application."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._installed = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def start(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, timeout_ms))
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart: input means someone is here
        return False

    def _on_timeout(self) -> None:
        self.stop()
        self.idle.emit()


class LockScreen(QDialog):
    """Covers the main window; only the signed-in user's password (or 切换用户) leaves it.

    Signals: ``unlocked()`` after the right password; ``switch_user_requested()``.
    """

    unlocked = Signal()
    switch_user_requested = Signal()

    def __init__(
        self, users: UserService, who: str, window: QWidget, minutes: int | None = None
    ) -> None:
        super().__init__(window)
        self._users = users
        self._window = window
        self.setObjectName("lockScreen")
        self.setWindowTitle(self.tr("已锁定"))
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setStyleSheet(
            "QDialog#lockScreen { background: #37474f; }"
            " QFrame#lockPanel { background: white; border-radius: 6px; }"
        )

        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setMinimumWidth(420)
        title = QLabel(self.tr("屏幕已锁定"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who_label = QLabel(self.tr("当前用户：{who}").format(who=who))
        self.who_label.setObjectName("lockWho")
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        why = (
            self.tr("{minutes}分钟无操作，已自动锁定。填写中的内容都已保留。").format(
                minutes=minutes
            )
            if minutes
            else self.tr("填写中的内容都已保留。")
        )
        self.why_label = QLabel(why)
        self.why_label.setWordWrap(True)
        self.why_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.why_label.setStyleSheet("color: #555555;")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("请输入密码解锁"))
        self.password_edit.setAccessibleName(self.tr("密码"))
        self.password_edit.returnPressed.connect(self.unlock)
        self.message_label = QLabel()
        self.message_label.setObjectName("lockMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message_label.hide()
        self.unlock_button = QPushButton(self.tr("解锁(&U)"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.switch_button = QPushButton(self.tr("切换用户(&S)"))
        self.switch_button.setAutoDefault(False)
        self.switch_button.setToolTip(self.tr("注销当前用户，由其他人登录；未保存的内容将丢失"))
        self.switch_button.clicked.connect(self.switch_user_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        inner = QVBoxLayout(panel)
        inner.setContentsMargins(28, 24, 28, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(self.who_label)
        inner.addWidget(self.why_label)
        inner.addSpacing(4)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.message_label)
        inner.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        window.installEventFilter(self)
        self.cover()

    def cover(self) -> None:
        """Lie over the whole main window (it may have moved or been resized)."""
        self.setGeometry(self._window.geometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
            self.cover()
        return False

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisible() else ""

    def unlock(self) -> bool:
        password = self.password_edit.text()
        self.password_edit.clear()
        try:
            ok = self._users.confirm_password(password)
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        if not ok:
            self.message_label.setText(self.tr("密码不正确，请重新输入。"))
            self.message_label.show()
            self.password_edit.setFocus()
            return False
        self.message_label.hide()
        self.unlocked.emit()
        return True

    # Only the password or 切换用户 leave the lock: not Esc, not Alt+F4.
    def reject(self) -> None:
        pass

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            event.ignore()
            return
        super().closeEvent(event)


class IdleLock(QObject):
    """The main window's idle lock: arm after sign-in, lock on idle, unlock with the password.

    ``timeout_ms``: fixed timeout for tests; None reads ``users.idle_lock_minutes()``.
    Signals: ``switch_user_requested()`` (from the lock screen); ``locked_changed(bool)``.
    """

    switch_user_requested = Signal()
    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        users: UserService,
        who: Callable[[], str],
        timeout_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._users = users
        self._who = who
        self.timeout_ms = timeout_ms
        self.watcher = IdleWatcher(self)
        self.watcher.idle.connect(self.lock)
        self.screen: LockScreen | None = None
        self._hidden: list[QWidget] = []
        self._minutes: int | None = None

    @property
    def armed(self) -> bool:
        return self.watcher.active

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def arm(self) -> None:
        """Start counting idle time (after sign-in and after each unlock)."""
        if self.timeout_ms is not None:
            self._minutes = None
            self.watcher.start(self.timeout_ms)
            return
        try:
            self._minutes = self._users.idle_lock_minutes()
        except DeskAppError:
            return  # signed out meanwhile: nothing to lock
        self.watcher.start(self._minutes * 60_000)

    def disarm(self) -> None:
        self.watcher.stop()

    def lock(self) -> LockScreen:
        """Hide every open dialog of the window and cover it; idle time stops counting."""
        self.watcher.stop()
        if self.screen is not None:
            return self.screen
        popup = QApplication.activePopupWidget()
        while popup is not None:  # menus, combo lists: closed, they hold nothing typed
            popup.close()
            next_popup = QApplication.activePopupWidget()
            popup = None if next_popup is popup else next_popup
        self._hidden = [w for w in _own_windows(self._window) if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        screen = LockScreen(self._users, self._who(), self._window, self._minutes)
        screen.unlocked.connect(self._on_unlocked)
        screen.switch_user_requested.connect(self.switch_user_requested)
        self.screen = screen
        screen.show()
        screen.raise_()
        screen.activateWindow()
        screen.password_edit.setFocus()
        self.locked_changed.emit(True)
        return screen

    def _on_unlocked(self) -> None:
        self._close_screen()
        # Parents before the dialogs they opened, so each comes back on top of its parent.
        for widget in sorted(self._hidden, key=_depth):
            widget.show()
        self._hidden = []
        self.locked_changed.emit(False)
        self.arm()

    def release(self) -> None:
        """Drop the lock without unlocking (the user signs out; the window is replaced)."""
        self.watcher.stop()
        self._close_screen()
        self._hidden = []

    def _close_screen(self) -> None:
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.hide()
            self._window.removeEventFilter(screen)
            screen.deleteLater()


def _depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


def _own_windows(window: QWidget) -> list[QWidget]:
    """Top-level dialogs and boxes opened over ``window`` (directly or from a dialog)."""
    out = []
    for widget in QApplication.topLevelWidgets():
        if widget is window or isinstance(widget, LockScreen) or not widget.isWindow():
            continue
        if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            continue
        if _opened_over(widget, window):
            out.append(widget)
    return out


def _opened_over(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
