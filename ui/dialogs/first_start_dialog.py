"""First start on an empty database: who this window is, and who works at this PC.

The township name, code, window name, phone and address (printed on receipts, referral
slips and 公示) are stored in the database by
``services.site.save``. The clerk's name belongs to this PC, not to the database; the
caller reads :meth:`FirstStartDialog.clerk_name` and keeps it in the UI settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskAppError, FieldProblem, ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.dto import SiteInfo
from ui.dialogs import (
    FORM_STYLE,
    ProblemLabel,
    add_row,
    form_layout,
    label_text,
    save_cancel_buttons,
    set_invalid,
    unmark_on_change,
)
from ui.errors import show_error


class SaveSite(Protocol):
    """``services.site.save``: the identity, and the phone and address (None: unchanged)."""

    def __call__(
        self,
        township_name: str,
        township_code: str,
        window_name: str,
        *,
        phone: str | None = None,
        address: str | None = None,
    ) -> SiteInfo: ...


CLERK_NAME_MAX = 20
DEFAULT_WINDOW_NAME = QT_TRANSLATE_NOOP("FirstStartDialog", "社会救助综合服务窗口")

_CLERK_LABEL = QT_TRANSLATE_NOOP("fields", "经办人姓名")


class FirstStartDialog(QDialog):
    """乡镇（街道）名称, 区划代码, 窗口名称, 咨询电话, 窗口地址 and 经办人姓名.

    Args:
        save: ``services.site.save``.
        existing: the stored identity, to change it later (设置 → 窗口与经办人).
        clerk_name: the clerk stored in this PC's settings, if any.
        parent: Qt parent.

    After 保存 succeeds, ``result_site`` holds what was stored and :meth:`clerk_name`
    the clerk's name.
    """

    def __init__(
        self,
        save: SaveSite,
        *,
        existing: SiteInfo | None = None,
        clerk_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.result_site: SiteInfo | None = None
        self.setStyleSheet(FORM_STYLE)
        if existing is None:
            self.setWindowTitle(self.tr("首次使用"))
            intro = QLabel(self.tr("欢迎使用。请先填写本窗口的基本信息。"))
        else:
            self.setWindowTitle(self.tr("窗口与经办人"))
            intro = QLabel(self.tr("修改本窗口的基本信息和在这台电脑上办理业务的经办人。"))
        intro.setWordWrap(True)

        form = form_layout()
        self.township_edit = QLineEdit()
        self.township_edit.setMaxLength(60)
        self.township_edit.setPlaceholderText(self.tr("如：中华路街道、青山镇"))
        form.addRow(
            label_text(QT_TRANSLATE_NOOP("fields", "乡镇（街道）名称"), "T"), self.township_edit
        )

        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(12)
        self.code_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self.code_edit)
        )
        self.code_edit.setPlaceholderText(self.tr("如：520402102000"))
        code_hint = QLabel(self.tr("6、9 或 12 位"))
        code_hint.setStyleSheet("color: #666666;")
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_edit, 1)
        code_row.addWidget(code_hint)
        add_row(
            form,
            label_text(QT_TRANSLATE_NOOP("fields", "区划代码"), "C"),
            code_row,
            buddy=self.code_edit,
        )

        self.window_edit = QLineEdit(self.tr(DEFAULT_WINDOW_NAME))
        self.window_edit.setMaxLength(60)
        form.addRow(label_text(QT_TRANSLATE_NOOP("fields", "窗口名称"), "W"), self.window_edit)

        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(60)  # the service names the 40-character limit
        self.phone_edit.setPlaceholderText(self.tr("咨询电话，印在回执、转介单和公示上"))
        form.addRow(label_text(QT_TRANSLATE_NOOP("fields", "咨询电话"), "P"), self.phone_edit)
        self.address_edit = QLineEdit()
        self.address_edit.setMaxLength(120)
        self.address_edit.setPlaceholderText(self.tr("如：中华路街道便民服务中心一楼"))
        form.addRow(label_text(QT_TRANSLATE_NOOP("fields", "窗口地址"), "D"), self.address_edit)

        self.clerk_edit = QLineEdit()
        self.clerk_edit.setMaxLength(60)  # longer than allowed: say so inline, do not truncate
        self.clerk_edit.setPlaceholderText(self.tr("在这台电脑上办理业务的工作人员"))
        form.addRow(label_text(_CLERK_LABEL, "K"), self.clerk_edit)

        self._field_widgets: dict[str, QWidget] = {
            "township_name": self.township_edit,
            "township_code": self.code_edit,
            "window_name": self.window_edit,
            "phone": self.phone_edit,
            "address": self.address_edit,
            "clerk_name": self.clerk_edit,
        }
        for widget in self._field_widgets.values():
            unmark_on_change(widget)

        self.problem_label = ProblemLabel(self)
        self.button_box = save_cancel_buttons(self)
        self.button_box.accepted.connect(self._on_button_box_accepted)

        if existing is not None:
            self.township_edit.setText(existing.township_name)
            self.code_edit.setText(existing.township_code)
            self.window_edit.setText(existing.window_name)
            self.phone_edit.setText(existing.phone)
            self.address_edit.setText(existing.address)
        self.clerk_edit.setText(clerk_name)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.button_box)
        self.resize(520, self.sizeHint().height())
        self.township_edit.setFocus()

    def save_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Save)

    def clerk_name(self) -> str:
        return self.clerk_edit.text().strip()

    def field_widget(self, field: str) -> QWidget | None:
        return self._field_widgets.get(field)

    def _on_button_box_accepted(self) -> None:
        self.problem_label.clear_problems()
        for widget in self._field_widgets.values():
            set_invalid(widget, False)
        try:
            # The clerk is checked first: saving the site and then failing on the
            # clerk would leave a site without anyone at the window.
            clerk = _clerk_problems(self.clerk_name())
            if clerk:
                raise ValidationError(clerk)
            site = self._save(
                self.township_edit.text(),
                self.code_edit.text(),
                self.window_edit.text(),
                phone=self.phone_edit.text(),
                address=self.address_edit.text(),
            )
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except DeskAppError as exc:
            show_error(self, exc)
            return
        self.result_site = site
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.problem_label.show_problems(problems)
        marked = [w for w in (self._field_widgets.get(p.field) for p in problems) if w is not None]
        for widget in marked:
            set_invalid(widget, True)
        if marked:
            marked[0].setFocus(Qt.FocusReason.OtherFocusReason)


def _clerk_problems(name: str) -> list[FieldProblem]:
    if not name:
        source = QT_TRANSLATE_NOOP("validation", "请填写在这台电脑上办理业务的经办人姓名")
        return [FieldProblem("clerk_name", _CLERK_LABEL, Message("validation", source))]
    if len(name) > CLERK_NAME_MAX:
        source = QT_TRANSLATE_NOOP("validation", "最多{limit}个字，现在{length}个字，请删减")
        params = {"limit": CLERK_NAME_MAX, "length": len(name)}
        return [FieldProblem("clerk_name", _CLERK_LABEL, Message("validation", source, params))]
    return []
