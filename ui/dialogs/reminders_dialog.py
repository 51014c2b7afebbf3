"""The start-up reminder: referrals overdue and those falling due today (issue #4).

Non-modal: the clerk can leave it open beside the queue and work through it. A
double-click (or Enter) on a line emits :attr:`RemindersDialog.open_referral`; the main
window shows that referral in the queue page.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.services.dto import ReferralRow, Reminders
from ui.dialogs.referral_action_dialog import fitting_width
from ui.i18n import tr_label
from ui.models.referral_table_model import (
    DUE_SOON_BACKGROUND,
    MARKED_FOREGROUND,
    OVERDUE_BACKGROUND,
    UNCERTAIN_MARK,
)

REFERRAL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
WIDTH_SAMPLE = 200
"""How many lines of each list the dialog's width is fitted to."""


class RemindersDialog(QDialog):
    """Two lists with counts: 已逾期 and 今日到期.

    Signals: ``open_referral(referral_id)`` on double-click or Enter on a line;
    ``show_overdue_requested()`` from the "在转介队列中查看" button.
    """

    open_referral = Signal(int)
    """Show this referral (id) in the queue page."""
    show_overdue_requested = Signal()
    """Show all open referrals in the queue page, overdue first."""

    def __init__(self, reminders: Reminders, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reminders = reminders
        self.setWindowTitle(self.tr("到期提醒"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)

        intro = QLabel(self.tr("以下转介已超过办理时限或今天到期，请及时催办或登记部门答复。"))
        intro.setWordWrap(True)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueCount")
        self.overdue_list = self._list("overdueList")
        self.due_today_label = QLabel()
        self.due_today_label.setObjectName("dueTodayCount")
        self.due_today_list = self._list("dueTodayList")
        self.overdue_label.setBuddy(self.overdue_list)
        self.due_today_label.setBuddy(self.due_today_list)

        for row in reminders.overdue:
            self._add(self.overdue_list, row, overdue=True)
        for row in reminders.due_today:
            self._add(self.due_today_list, row, overdue=False)
        self.overdue_label.setText(
            self.tr("已逾期(&O)：{count} 件").format(count=reminders.overdue_total)
            + self._more(len(reminders.overdue), reminders.overdue_total)
        )
        self.due_today_label.setText(
            self.tr("今日到期(&T)：{count} 件").format(count=reminders.due_today_total)
            + self._more(len(reminders.due_today), reminders.due_today_total)
        )
        self.overdue_list.setVisible(bool(reminders.overdue))
        self.due_today_list.setVisible(bool(reminders.due_today))
        hint = QLabel(self.tr("双击一行（或选中后按回车）在转介队列中打开。"))
        hint.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.queue_button = QPushButton(self.tr("在转介队列中查看(&Q)"))
        buttons.addButton(self.queue_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.queue_button.clicked.connect(self._on_queue_button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.overdue_label)
        layout.addWidget(self.overdue_list, 3)
        layout.addWidget(self.due_today_label)
        layout.addWidget(self.due_today_list, 2)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        # The width fits the longest of the first lines: a county can have thousands
        # overdue, and measuring every line cost more than building the list.
        lines = "\n".join(
            w.item(i).text()
            for w in (self.overdue_list, self.due_today_list)
            for i in range(min(w.count(), WIDTH_SAMPLE))
        )
        height = self.fontMetrics().height()
        self.resize(fitting_width(self, lines, 760), max(480, height * 26))

    def _more(self, shown: int, total: int) -> str:
        if total <= shown:
            return ""
        return self.tr("（列出最早的 {shown} 件，其余 {rest} 件请点“在转介队列中查看”）").format(
            shown=shown, rest=total - shown
        )

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setAlternatingRowColors(False)
        widget.setSpacing(2)  # the lines are all coloured: a gap keeps them apart
        widget.setUniformItemSizes(True)  # two lines each: no measuring of every item
        widget.itemActivated.connect(self._on_item_activated)
        return widget

    def _add(self, widget: QListWidget, row: ReferralRow, *, overdue: bool) -> None:
        if overdue:
            when = self.tr("▲逾期 {days} 个工作日").format(days=-row.days_left)
        else:
            when = self.tr("●今日到期")
        due = f"{row.due_date:%Y-%m-%d}" + (f" {UNCERTAIN_MARK}" if row.due_uncertain else "")
        text = self.tr(
            "{number}　{matter}　{department}\n户主 {head}（{village}）　到期 {due}　{when}　{status}"
        ).format(
            number=row.number,
            matter=row.matter_name,
            department=row.department_name,
            head=row.head_name or "—",
            village=row.village,
            due=due,
            when=when,
            status=tr_label("registry", row.status.label),
        )
        if row.reminders:
            text += self.tr("　已催办 {count} 次").format(count=row.reminders)
        item = QListWidgetItem(text)
        item.setData(REFERRAL_ID_ROLE, row.id)
        item.setBackground(QBrush(OVERDUE_BACKGROUND if overdue else DUE_SOON_BACKGROUND))
        item.setForeground(QBrush(MARKED_FOREGROUND))
        widget.addItem(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        referral_id = item.data(REFERRAL_ID_ROLE)
        if isinstance(referral_id, int):
            self.open_referral.emit(referral_id)

    def _on_queue_button_clicked(self) -> None:
        self.show_overdue_requested.emit()

    def referral_ids(self, which: str) -> Sequence[int]:
        """Ids listed under ``overdue`` or ``due_today``, in order (for tests)."""
        widget = self.overdue_list if which == "overdue" else self.due_today_list
        return [widget.item(i).data(REFERRAL_ID_ROLE) for i in range(widget.count())]

    @classmethod
    def maybe_show(
        cls, services: Services, parent: QWidget | None = None
    ) -> RemindersDialog | None:
        """Show the reminder when something is overdue or due today; None when nothing is.

        The dialog is non-modal and deletes itself when closed.
        """
        reminders = services.referrals.reminders()
        if not reminders.overdue and not reminders.due_today:
            return None
        dialog = cls(reminders, parent)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog
