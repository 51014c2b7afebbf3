"""用户: the administrator's list of users, and 新增, 停用/启用, 重设密码 (issue #8).

Users are never deleted (their names stay on the audit rows and the history); a user who
leaves is 停用. The form beside the list shows the selected user and what their role may
do, from the same permission table the services enforce.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.security import MATRIX, Permission, Role
from desk_app.errors import DeskAppError
from desk_app.services.context import permission_label
from desk_app.services.users import UserRow
from ui.dialogs import ERROR_COLOR, add_row, form_layout, open_dialog
from ui.dialogs.user_dialogs import NewUserDialog, ResetPasswordDialog
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.admin_common import (
    AdminTab,
    datetime_text,
    fill_row,
    list_beside_form,
    note_label,
    scrolling,
    select_code,
    selected_code,
    setup_table,
    status_label,
    table_item,
)

COLUMNS = ("用户名", "姓名", "角色", "部门", "状态", "锁定至", "最近登录")


def role_text(role: Role) -> str:
    return tr_label("security", role.label)


class UsersTab(AdminTab):
    """用户: the table of users and what can be done to the selected one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._users: dict[int, UserRow] = {}
        self._departments: dict[str, str] = {}
        self.dialog: NewUserDialog | ResetPasswordDialog | None = None

        self.table = QTableWidget()
        self.table.setObjectName("userTable")
        setup_table(self.table, [self.tr(c) for c in COLUMNS], stretch=6)
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.new_button = QPushButton(self.tr("新增用户(&N)…"))
        self.new_button.setObjectName("newUser")
        self.new_button.clicked.connect(self.new_user)
        self.active_button = QPushButton(self.tr("停用(&T)"))
        self.active_button.setObjectName("toggleActive")
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button = QPushButton(self.tr("重设密码(&P)…"))
        self.reset_button.setObjectName("resetPassword")
        self.reset_button.clicked.connect(self.reset_password)
        self.status = status_label()

        self.values: dict[str, QLabel] = {}
        box = QGroupBox(self.tr("所选用户"))
        inner = QVBoxLayout(box)
        form = form_layout()
        for key, label in (
            ("username", self.tr("用户名：")), ("display_name", self.tr("姓名：")),
            ("role", self.tr("角色：")), ("department", self.tr("部门：")),
            ("state", self.tr("状态：")), ("password", self.tr("密码：")),
            ("last_sign_in", self.tr("最近登录：")),
        ):  # fmt: skip
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            add_row(form, label, value)
        inner.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.active_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)

        rights_box = QGroupBox(self.tr("该角色可以做的事"))
        rights = QVBoxLayout(rights_box)
        self.rights_label = QLabel()
        self.rights_label.setWordWrap(True)
        self.rights_label.setTextFormat(Qt.TextFormat.PlainText)
        rights.addWidget(self.rights_label)
        rights.addWidget(
            note_label(
                self.tr(
                    "权限由程序按角色检查，界面上隐藏的按钮不是唯一的控制。用户不能删除，离职的请停用。"
                )
            )
        )

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        right_layout.addLayout(top)
        right_layout.addWidget(box)
        right_layout.addWidget(rights_box)
        right_layout.addWidget(self.status)
        right_layout.addStretch(1)
        list_beside_form(self, self.table, scrolling(right), stretch=(3, 2), sizes=(700, 460))
        self._show_selected()

    # ----------------------------------------------------------------- loading
    def load(self) -> None:
        keep = selected_code(self.table)
        try:
            users = self.services.users.users()
            departments = self.services.catalogue.departments(include_inactive=True)
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self._users = {u.id: u for u in users}
        self._departments = {d.code: d.name for d in departments}
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(users))
            now = self.services.context.clock()
            for row, u in enumerate(users):
                grey = not u.active
                locked = u.locked_until is not None and u.locked_until > now
                fill_row(
                    self.table,
                    row,
                    (
                        table_item(u.username, code=u.id, grey=grey),
                        table_item(u.display_name, grey=grey),
                        table_item(role_text(u.role), grey=grey),
                        table_item(
                            self._departments.get(u.department_code, u.department_code), grey=grey
                        ),
                        table_item(self._state_text(u), grey=grey, center=True),
                        table_item(
                            datetime_text(u.locked_until) if locked else "",
                            color=ERROR_COLOR if locked else "",
                        ),
                        table_item(datetime_text(u.last_sign_in), grey=grey),
                    ),
                )
        finally:
            self.table.blockSignals(False)
        if keep is None or not select_code(self.table, keep):
            self.table.selectRow(0)
        self._show_selected()

    def _state_text(self, u: UserRow) -> str:
        return self.tr("启用") if u.active else self.tr("已停用")

    def selected_user(self) -> UserRow | None:
        code = selected_code(self.table)
        return self._users.get(code) if code is not None else None

    def _show_selected(self) -> None:
        u = self.selected_user()
        self.active_button.setEnabled(u is not None)
        self.reset_button.setEnabled(u is not None)
        if u is None:
            for value in self.values.values():
                value.clear()
            self.rights_label.clear()
            return
        self.active_button.setText(self.tr("停用(&T)") if u.active else self.tr("启用(&T)"))
        now = self.services.context.clock()
        locked = u.locked_until is not None and u.locked_until > now
        state = self._state_text(u)
        if locked:
            state += self.tr("；密码错误次数过多，锁定至 {until}").format(
                until=datetime_text(u.locked_until)
            )
        texts = {
            "username": u.username,
            "display_name": u.display_name,
            "role": role_text(u.role),
            "department": self._departments.get(u.department_code, u.department_code) or "—",
            "state": state,
            "password": self.tr("临时密码，下次登录时须修改")
            if u.must_change
            else self.tr("本人已设置"),
            "last_sign_in": datetime_text(u.last_sign_in) or self.tr("尚未登录"),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.rights_label.setText(
            "、".join(
                tr_label("security", permission_label(p)) for p in Permission if p in MATRIX[u.role]
            )
        )

    # ----------------------------------------------------------------- actions
    def new_user(self) -> NewUserDialog | None:
        try:
            departments = self.services.catalogue.departments()
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        dialog = NewUserDialog(self.services.users, departments, self)

        def done() -> None:
            user = dialog.result_user
            if user is None:
                return
            self.reload()
            select_code(self.table, user.id)
            self.status.setText(
                self.tr("已新增用户 {username}（{name}）。其首次登录时须修改临时密码。").format(
                    username=user.username, name=user.display_name
                )
            )

        self.dialog = open_dialog(dialog, done)
        return dialog

    def reset_password(self) -> ResetPasswordDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        dialog = ResetPasswordDialog(self.services.users, user, self)

        def done() -> None:
            self.reload()
            self.status.setText(
                self.tr("已为 {username} 设置临时密码，其下次登录时须修改。").format(
                    username=user.username
                )
            )

        self.dialog = open_dialog(dialog, done)
        return dialog

    def toggle_active(self) -> UserRow | None:
        user = self.selected_user()
        if user is None:
            return None
        try:
            row = self.services.users.set_active(user.id, not user.active, user.version)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self.reload()
        self.status.setText(
            (
                self.tr("已启用 {username}。")
                if row.active
                else self.tr("已停用 {username}，该账号不能再登录。")
            ).format(username=row.username)
        )
        return row
