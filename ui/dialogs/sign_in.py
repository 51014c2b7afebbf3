"""Signing in (issue #8): the first administrator, the sign-in dialog, changing a password.

The window opens signed out. :class:`SignInFlow` shows :class:`FirstAdminDialog` on a
database without users (the new administrator is signed in at once, so the first-start
site dialog that follows may save), otherwise :class:`SignInDialog`; a user whose
password was set by an administrator is asked for a new one
(:class:`ChangePasswordDialog`) before the window opens for them.

The services decide: a wrong password, a locked or disabled account, a weak password are
all the service's messages, shown as it words them. Dialogs open with ``open()``; nothing
here blocks the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.security import Role, password_problem
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.users import SignInError, UserInput, UserService
from ui.dialogs import (
    ERROR_COLOR,
    FORM_STYLE,
    ProblemLabel,
    form_layout,
    label_text,
    open_dialog,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error
from ui.i18n import tr_message

_C = "SignIn"

PASSWORD_RULES = QT_TRANSLATE_NOOP(
    "SignIn",
    "密码规则：至少8个字符，最多128个；不能是常见密码（如 12345678、password），"
    "不能包含用户名。建议用一句好记的话，15个字符以上更安全。",
)
"""Shown under every field that sets a password; the service checks the same rules."""

_USERNAME = QT_TRANSLATE_NOOP("fields", "用户名")
_DISPLAY_NAME = QT_TRANSLATE_NOOP("fields", "姓名")
_PASSWORD = QT_TRANSLATE_NOOP("fields", "密码")
_CONFIRM = QT_TRANSLATE_NOOP("fields", "确认密码")
_OLD = QT_TRANSLATE_NOOP("fields", "原密码")
_NEW = QT_TRANSLATE_NOOP("fields", "新密码")
_CONFIRM_NEW = QT_TRANSLATE_NOOP("fields", "确认新密码")
_MISMATCH = QT_TRANSLATE_NOOP("validation", "两次输入的密码不一致，请重新输入")


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(200)  # longer than allowed: the service says so, nothing is cut
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def rules_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(_tr(PASSWORD_RULES), parent)
    label.setObjectName("passwordRules")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #555555;")
    return label


def fit_to_width(dialog: QDialog, width: int) -> None:
    """Resize ``dialog`` to ``width`` and the height its wrapped lines need at that width
    (``sizeHint`` measures wrapped labels at another width and may cut the last line)."""
    layout = dialog.layout()
    if layout is None:
        return
    width = max(width, layout.totalMinimumSize().width())
    layout.activate()
    height = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    dialog.resize(width, max(height, layout.totalMinimumSize().height()))


def mismatch_problem(field: str, label: str) -> FieldProblem:
    return FieldProblem(field, label, Message("validation", _MISMATCH))


def weak_password_problem(
    field: str, label: str, password: str, username: str = ""
) -> list[FieldProblem]:
    """The domain's own rule, checked before asking the service (same words)."""
    why = password_problem(password, username)
    return [FieldProblem(field, label, Message("security", why))] if why else []


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


class _FormDialog(QDialog):
    """Fields in a form, a red problem list, and two buttons; marks fields by name."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setStyleSheet(FORM_STYLE)
        self.form = form_layout()
        self.problem_label = ProblemLabel(self)
        self.fields: dict[str, QWidget] = {}

    def add_field(self, field: str, label: str, widget: QWidget, mnemonic: str = "") -> None:
        self.form.addRow(label_text(label, mnemonic), widget)
        self.fields[field] = widget
        unmark_on_change(widget)

    def clear_problems(self) -> None:
        self.problem_label.clear_problems()
        for widget in self.fields.values():
            set_invalid(widget, False)

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        # Room for the problem lines: the dialog does not grow by itself (wrapped labels
        # do not count in its minimum height), and the password rules lost their last line.
        fit_to_width(self, self.width())
        marked = [w for w in (self.fields.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)


class FirstAdminDialog(_FormDialog):
    """First start: 用户名, 姓名, 密码, 确认密码 of the first administrator.

    On 创建并登录 the administrator is created and signed in; 退出 closes the program.
    """

    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.setWindowTitle(self.tr("首次使用：创建管理员"))
        intro = QLabel(
            self.tr(
                "欢迎使用社会救助综合服务窗口。请先创建本程序的管理员账号：管理员负责添加"
                "其他工作人员的账号、设置窗口信息和事项目录。请牢记密码，忘记后只能由"
                "其他管理员重设。"
            )
        )
        intro.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setMaxLength(60)
        self.username_edit.setPlaceholderText(self.tr("字母、数字或 _ . -，如 wangli"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(60)
        self.name_edit.setPlaceholderText(self.tr("使用人的姓名，打印文书时作为经办人"))
        self.password_edit = password_edit()
        self.confirm_edit = password_edit(self.tr("再输入一次密码"))
        self.add_field("username", _USERNAME, self.username_edit, "U")
        self.add_field("display_name", _DISPLAY_NAME, self.name_edit, "N")
        self.add_field("password", _PASSWORD, self.password_edit, "P")
        self.add_field("confirm", _CONFIRM, self.confirm_edit, "C")
        self.form.addRow("", rules_label())

        self.button_box = QDialogButtonBox()
        self.create_button = self.button_box.addButton(
            self.tr("创建并登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self.quit_button = self.button_box.addButton(
            self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.button_box.accepted.connect(self.create_admin)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)
        fit_to_width(self, 560)
        self.username_edit.setFocus()

    def create_admin(self) -> bool:
        self.clear_problems()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            self.show_problems(
                [
                    *weak_password_problem("password", _PASSWORD, password, username),
                    mismatch_problem("confirm", _CONFIRM),
                ]
            )
            return False
        data = UserInput(username, self.name_edit.text(), Role.ADMIN, password)
        try:
            self._users.create_first_admin(data)
            self._users.sign_in(username, password)
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True


class SignInDialog(QDialog):
    """用户名 and 密码; Enter signs in. A failed attempt shows the service's message
    (wrong name or password, locked until …, disabled) and empties the password."""

    def __init__(
        self, users: UserService, parent: QWidget | None = None, *, username: str = ""
    ) -> None:
        super().__init__(parent)
        self._users = users
        self.setWindowTitle(self.tr("登录"))
        self.setStyleSheet(FORM_STYLE)
        title = QLabel(self.tr("社会救助综合服务窗口"))
        title.setObjectName("signInTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(self.tr("请用您自己的账号登录。离开座位时请锁定屏幕或注销。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")

        form = form_layout()
        self.username_edit = QLineEdit(username)
        self.username_edit.setMaxLength(60)
        self.password_edit = password_edit()
        form.addRow(label_text(_USERNAME, "U"), self.username_edit)
        form.addRow(label_text(_PASSWORD, "P"), self.password_edit)

        self.message_label = QLabel()
        self.message_label.setObjectName("signInMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message_label.hide()

        self.button_box = QDialogButtonBox()
        self.sign_in_button: QPushButton = self.button_box.addButton(
            self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.quit_button = self.button_box.addButton(
            self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.quit_button.setAutoDefault(False)
        self.button_box.accepted.connect(self.sign_in)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.button_box)
        fit_to_width(self, 420)
        (self.password_edit if username else self.username_edit).setFocus()

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisible() else ""

    def _say(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def sign_in(self) -> bool:
        username = self.username_edit.text().strip()
        if not username:
            self._say(self.tr("请输入用户名。"))
            self.username_edit.setFocus()
            return False
        try:
            self._users.sign_in(username, self.password_edit.text())
        except SignInError as exc:
            self._say(tr_message(exc.message))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        self._say("")
        self.accept()
        return True


class ChangePasswordDialog(_FormDialog):
    """原密码, 新密码, 确认新密码 for the signed-in user.

    ``forced``: the password was set by an administrator (or is the first one given): the
    user must choose their own before working; 注销 instead of 取消.
    """

    def __init__(
        self, users: UserService, parent: QWidget | None = None, *, forced: bool = False
    ) -> None:
        super().__init__(parent)
        self._users = users
        self.forced = forced
        self.setWindowTitle(self.tr("修改密码"))
        intro = QLabel(
            self.tr("您的密码是管理员设置的临时密码。请设置只有您自己知道的新密码，然后开始工作。")
            if forced
            else self.tr("请输入原密码和新密码。")
        )
        intro.setWordWrap(True)
        self.old_edit = password_edit(self.tr("管理员告诉您的临时密码") if forced else "")
        self.new_edit = password_edit()
        self.confirm_edit = password_edit(self.tr("再输入一次新密码"))
        self.add_field("old", _OLD, self.old_edit, "O")
        self.add_field("password", _NEW, self.new_edit, "N")
        self.add_field("confirm", _CONFIRM_NEW, self.confirm_edit, "C")
        self.form.addRow("", rules_label())

        self.button_box = QDialogButtonBox()
        self.save_button = self.button_box.addButton(
            self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.cancel_button = self.button_box.addButton(
            self.tr("注销") if forced else self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.button_box.accepted.connect(self.change)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)
        fit_to_width(self, 520)
        self.old_edit.setFocus()

    def change(self) -> bool:
        self.clear_problems()
        new = self.new_edit.text()
        if new != self.confirm_edit.text():
            self.show_problems(
                [
                    *weak_password_problem("password", _NEW, new),
                    mismatch_problem("confirm", _CONFIRM_NEW),
                ]
            )
            return False
        try:
            self._users.change_own_password(self.old_edit.text(), new)
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return False
        except DeskAppError as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True


class SignInFlow(QObject):
    """From signed out to signed in, over ``parent`` (the main window).

    Signals: ``signed_in()`` once a user is signed in with a password of their own;
    ``quit_requested()`` when 退出 is chosen instead.
    """

    signed_in = Signal()
    quit_requested = Signal()

    def __init__(self, services: Services, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._parent = parent
        self.dialog: QDialog | None = None
        """The dialog now open (for tests and screenshots)."""
        self.last_username = ""

    def start(self) -> QDialog:
        users = self._services.users
        dialog: QDialog
        if not users.has_users():
            dialog = FirstAdminDialog(users, self._parent)
        else:
            dialog = SignInDialog(users, self._parent, username=self.last_username)
        dialog.rejected.connect(self.quit_requested)
        self.dialog = open_dialog(dialog, self._after_sign_in)
        return dialog

    def _after_sign_in(self) -> None:
        identity = self._services.context.identity
        self.last_username = identity.username if identity else ""
        me = self._services.users.current_user()
        if me is None or not me.must_change:
            self.dialog = None
            self.signed_in.emit()
            return
        dialog = ChangePasswordDialog(self._services.users, self._parent, forced=True)
        dialog.rejected.connect(self._on_forced_change_rejected)
        self.dialog = open_dialog(dialog, self._after_forced_change)

    def _after_forced_change(self) -> None:
        self.dialog = None
        self.signed_in.emit()

    def _on_forced_change_rejected(self) -> None:
        # 注销: back to the sign-in dialog; nothing opens without a password of one's own.
        try:
            self._services.users.sign_out()
        except DeskAppError as exc:
            show_error(self._parent, exc)
        self.start()
