"""The administrator's user dialogs (issue #8): 新增用户 and 重设密码.

Both give the user a temporary password, suggested at random and shown in clear so the
administrator can pass it on; the user must choose their own at the next sign-in. The
service checks every rule and names the field; the dialog marks it and keeps the input.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.security import SIGN_IN_ROLES, Role
from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.catalogue import DepartmentRow
from desk_app.services.users import UserInput, UserRow, UserService
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    form_layout,
    label_text,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.dialogs.sign_in import fit_to_width, rules_label
from ui.errors import show_error
from ui.i18n import tr_label

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: a temporary password is read out or written on paper."""

_DEPARTMENT = QT_TRANSLATE_NOOP("fields", "对接部门")


def temporary_password() -> str:
    """Like ``k7mp-9xqa-3htv``: random, 14 characters, easy to read out."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


class _TemporaryPassword(QWidget):
    """The temporary password in clear, with 换一个 for another suggestion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(temporary_password())
        self.edit.setMaxLength(200)
        self.edit.setObjectName("temporaryPassword")
        self.another_button = QPushButton(self.tr("换一个"))
        self.another_button.setAutoDefault(False)
        self.another_button.clicked.connect(lambda: self.edit.setText(temporary_password()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.another_button)


class _UserDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setStyleSheet(FORM_STYLE)
        self.form = form_layout()
        self.problem_label = ProblemLabel(self)
        self.fields: dict[str, QWidget] = {}
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self.save)

    def add_field(self, field: str, label: str, widget: QWidget, mnemonic: str = "") -> QLabel:
        label_widget = QLabel(label_text(label, mnemonic))
        label_widget.setBuddy(widget)
        self.form.addRow(label_widget, widget)
        self.fields[field] = widget
        unmark_on_change(widget)
        return label_widget

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def finish_layout(self, intro: QLabel) -> None:
        layout = QVBoxLayout(self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)
        fit_to_width(self, 540)

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = []
        for problem in problems:
            widget = self.fields.get(problem.field)
            if isinstance(widget, _TemporaryPassword):
                widget = widget.edit
            if widget is not None:
                set_invalid(widget, True)
                marked.append(widget)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        self.problem_label.clear_problems()
        for widget in self.fields.values():
            set_invalid(widget.edit if isinstance(widget, _TemporaryPassword) else widget, False)

    def save(self) -> None:
        raise NotImplementedError


class NewUserDialog(_UserDialog):
    """新增用户: 用户名, 姓名, 角色, 对接部门 (部门对接人 only) and a temporary password.

    After 保存 ``result_user`` holds the new user and ``password`` what to tell them.
    """

    def __init__(
        self,
        users: UserService,
        departments: Sequence[DepartmentRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self.result_user: UserRow | None = None
        self.setWindowTitle(self.tr("新增用户"))
        self.username_edit = QLineEdit()
        self.username_edit.setMaxLength(60)
        self.username_edit.setPlaceholderText(self.tr("字母、数字或 _ . -，如 wangli"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(60)
        self.name_edit.setPlaceholderText(self.tr("使用人的姓名，打印文书时作为经办人"))
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for role in SIGN_IN_ROLES:
            self.role_combo.addItem(tr_label("security", role.label), role.value)
        self.department_combo = QComboBox()
        self.department_combo.setObjectName("departmentCombo")
        self.department_combo.addItem(self.tr("（请选择）"), "")
        for department in departments:
            if department.active and not department.in_house:
                self.department_combo.addItem(department.name, department.code)
        self.password = _TemporaryPassword()
        self.add_field("username", QT_TRANSLATE_NOOP("fields", "用户名"), self.username_edit, "U")
        self.add_field("display_name", QT_TRANSLATE_NOOP("fields", "姓名"), self.name_edit, "N")
        self.add_field("role", QT_TRANSLATE_NOOP("fields", "角色"), self.role_combo, "R")
        self.department_label = self.add_field(
            "department_code", _DEPARTMENT, self.department_combo, "D"
        )
        self.add_field("password", QT_TRANSLATE_NOOP("fields", "临时密码"), self.password, "P")
        self.form.addRow("", rules_label())
        self.role_combo.currentIndexChanged.connect(self._on_role_changed)
        self.finish_layout(
            QLabel(
                self.tr(
                    "请把用户名和临时密码当面告诉使用人。首次登录时，程序会要求其设置自己的密码。"
                )
            )
        )
        self._on_role_changed()
        self.username_edit.setFocus()

    def role(self) -> Role:
        return Role(str(self.role_combo.currentData()))

    def _on_role_changed(self) -> None:
        department = self.role() is Role.DEPARTMENT
        self.form.setRowVisible(self.department_combo, department)
        if not department:
            self.department_combo.setCurrentIndex(0)

    @property
    def password_text(self) -> str:
        return self.password.edit.text()

    def save(self) -> None:
        self.clear_problems()
        data = UserInput(
            self.username_edit.text(),
            self.name_edit.text(),
            self.role(),
            self.password_text,
            str(self.department_combo.currentData() or ""),
        )
        try:
            self.result_user = self._users.create(data)
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.accept()


class ResetPasswordDialog(_UserDialog):
    """重设密码: a temporary password for ``user``, who must change it at the next sign-in
    (a lock after too many wrong passwords is lifted too)."""

    def __init__(self, users: UserService, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._user = user
        self.result_user: UserRow | None = None
        self.setWindowTitle(self.tr("重设密码 — {name}").format(name=user.display_name))
        self.password = _TemporaryPassword()
        self.add_field("password", QT_TRANSLATE_NOOP("fields", "临时密码"), self.password, "P")
        self.form.addRow("", rules_label())
        self.finish_layout(
            QLabel(
                self.tr(
                    "为 {name}（{username}）设置临时密码。请当面告诉本人；其下次登录时须设置"
                    "自己的密码。账号如被锁定，同时解除锁定。"
                ).format(name=user.display_name, username=user.username)
            )
        )
        self.password.edit.setFocus()

    @property
    def password_text(self) -> str:
        return self.password.edit.text()

    def save(self) -> None:
        self.clear_problems()
        try:
            self.result_user = self._users.reset_password(
                self._user.id, self.password_text, self._user.version
            )
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.accept()
