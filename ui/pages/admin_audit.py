"""审计: the administrator's view of the audit rows, and the hash-chain check (issue #8).

Rows come newest first from ``services.audit.rows``, filtered by 操作人, 操作, 对象 and
dates, 200 at a time: scrolling to the end (or 加载更多) fetches the rows before the last
one shown (keyset paging on the row id, fast on a county's millions of rows). 校验审计链
walks the whole chain and says whether it holds, or the first row that was edited or
deleted. The rows hold no personal data in clear (the service masks it when writing).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.bootstrap import Services
from desk_app.domain.household import HOUSEHOLD_FIELDS, PERSON_FIELDS
from desk_app.domain.security import Role
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.audit import AuditRow, Verification
from ui.dialogs import ERROR_COLOR
from ui.errors import show_error
from ui.i18n import tr_label
from ui.pages.admin_common import (
    OK_COLOR,
    AdminTab,
    fill_row,
    from_qdate,
    note_label,
    setup_table,
    table_item,
    to_qdate,
)
from ui.tasks import Task, TaskRunner

PAGE_SIZE = 200
COLUMNS = ("时间", "操作人", "角色", "操作", "对象", "编号", "内容")

_C = "AuditTab"

ACTIONS: dict[str, str] = {
    "create": QT_TRANSLATE_NOOP(_C, "新增"),
    "update": QT_TRANSLATE_NOOP(_C, "修改"),
    "delete": QT_TRANSLATE_NOOP(_C, "删除"),
    "sign_in": QT_TRANSLATE_NOOP(_C, "登录"),
    "sign_in_failed": QT_TRANSLATE_NOOP(_C, "登录失败"),
    "sign_in_locked": QT_TRANSLATE_NOOP(_C, "锁定期间试图登录"),
    "sign_out": QT_TRANSLATE_NOOP(_C, "注销"),
    "unlock": QT_TRANSLATE_NOOP(_C, "解锁屏幕"),
    "unlock_failed": QT_TRANSLATE_NOOP(_C, "解锁失败"),
    "password_changed": QT_TRANSLATE_NOOP(_C, "修改密码"),
    "create_first_admin": QT_TRANSLATE_NOOP(_C, "创建首个管理员"),
    "reveal": QT_TRANSLATE_NOOP(_C, "显示完整号码"),
    "print": QT_TRANSLATE_NOOP(_C, "打印"),
    "pdf": QT_TRANSLATE_NOOP(_C, "导出PDF"),
    "publish": QT_TRANSLATE_NOOP(_C, "张贴公示"),
}
"""Audit actions as the administrator reads them; an unknown one shows as stored."""

ENTITIES: dict[str, str] = {
    "site": QT_TRANSLATE_NOOP(_C, "窗口信息"),
    "household": QT_TRANSLATE_NOOP(_C, "户"),
    "person": QT_TRANSLATE_NOOP(_C, "成员"),
    "household_category": QT_TRANSLATE_NOOP(_C, "户类别"),
    "intake": QT_TRANSLATE_NOOP(_C, "受理"),
    "intake_matter": QT_TRANSLATE_NOOP(_C, "受理事项"),
    "referral": QT_TRANSLATE_NOOP(_C, "转介"),
    "referral_event": QT_TRANSLATE_NOOP(_C, "转介经过"),
    "department": QT_TRANSLATE_NOOP(_C, "部门"),
    "matter_type": QT_TRANSLATE_NOOP(_C, "事项"),
    "matter_paper": QT_TRANSLATE_NOOP(_C, "事项材料"),
    "paper": QT_TRANSLATE_NOOP(_C, "材料"),
    "cause": QT_TRANSLATE_NOOP(_C, "致困原因"),
    "parameter": QT_TRANSLATE_NOOP(_C, "参数"),
    "holiday_day": QT_TRANSLATE_NOOP(_C, "节假日"),
    "holiday_year": QT_TRANSLATE_NOOP(_C, "节假日年度"),
    "rule_set": QT_TRANSLATE_NOOP(_C, "救助参数集"),
    "rule_value": QT_TRANSLATE_NOOP(_C, "救助参数"),
    "rule_set_choice": QT_TRANSLATE_NOOP(_C, "参数集选用"),
    "assessment_record": QT_TRANSLATE_NOOP(_C, "审核结论"),
    "notice": QT_TRANSLATE_NOOP(_C, "公示"),
    "notice_entry": QT_TRANSLATE_NOOP(_C, "公示对象"),
    "objection": QT_TRANSLATE_NOOP(_C, "异议"),
    "archived_document": QT_TRANSLATE_NOOP(_C, "文书存档"),
    "roster_mapping": QT_TRANSLATE_NOOP(_C, "列对应方案"),
    "roster": QT_TRANSLATE_NOOP(_C, "外部名单"),
    "roster_row": QT_TRANSLATE_NOOP(_C, "名单行"),
    "near_relative_filing": QT_TRANSLATE_NOOP(_C, "近亲属备案"),
    "app_user": QT_TRANSLATE_NOOP(_C, "用户"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def action_text(action: str) -> str:
    source = ACTIONS.get(action)
    return _tr(source) if source else action


def entity_text(entity: str) -> str:
    source = ENTITIES.get(entity)
    return _tr(source) if source else entity


def role_text(role: str) -> str:
    try:
        return tr_label("security", Role(role).label)
    except ValueError:
        return role


USER_FIELDS: dict[str, str] = {
    "username": QT_TRANSLATE_NOOP(_C, "用户名"),
    "display_name": QT_TRANSLATE_NOOP(_C, "姓名"),
    "role": QT_TRANSLATE_NOOP(_C, "角色"),
    "department_code": QT_TRANSLATE_NOOP(_C, "部门"),
    "active": QT_TRANSLATE_NOOP(_C, "启用"),
    "failed_count": QT_TRANSLATE_NOOP(_C, "连续输错次数"),
    "locked_until": QT_TRANSLATE_NOOP(_C, "锁定至"),
    "must_change": QT_TRANSLATE_NOOP(_C, "须修改密码"),
    "last_sign_in": QT_TRANSLATE_NOOP(_C, "最近登录"),
    "created_at": QT_TRANSLATE_NOOP(_C, "创建时间"),
}


def _field_text(key: str) -> str:
    source = PERSON_FIELDS.get(key) or HOUSEHOLD_FIELDS.get(key)
    if source:
        return tr_label("fields", source)
    user = USER_FIELDS.get(key)
    return _tr(user) if user else key


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _tr("是") if value else _tr("否")
    return str(value)


def detail_text(detail: str) -> str:
    """``字段：旧 → 新；…`` from the row's JSON (already masked by the service)."""
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{_field_text(key)}：{_value_text(value[0])} → {_value_text(value[1])}")
        else:
            parts.append(f"{_field_text(key)}：{_value_text(value)}")
    return "；".join(parts)


def verification_text(result: Verification) -> str:
    if result.first_broken is None:
        return _tr("审计链完整，共 {rows} 条").format(rows=result.rows)
    return _tr("第 {row} 条记录起被改动或删除（此前 {rows} 条完整）").format(
        row=result.first_broken, rows=result.rows
    )


class AuditTab(AdminTab):
    """审计: filters, the rows newest first (paged), and 校验审计链."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: list[AuditRow] = []
        self._more = False
        self.result: Verification | None = None
        """The last chain check (None until 校验审计链 finishes)."""
        self.tasks = TaskRunner(self)

        self.actor_edit = QLineEdit()
        self.actor_edit.setObjectName("auditActor")
        self.actor_edit.setPlaceholderText(self.tr("用户名"))
        self.actor_edit.setMinimumWidth(self.actor_edit.fontMetrics().horizontalAdvance("m" * 14))
        self.actor_edit.setClearButtonEnabled(True)
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("auditAction")
        self.action_combo.addItem(self.tr("全部"), "")
        for code, source in ACTIONS.items():
            self.action_combo.addItem(_tr(source), code)
        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("auditEntity")
        self.entity_combo.addItem(self.tr("全部"), "")
        for code, source in sorted(ENTITIES.items(), key=lambda kv: kv[0]):
            self.entity_combo.addItem(_tr(source), code)
        today = to_qdate(self.services.context.today())
        self.date_check = QCheckBox(self.tr("日期(&D)"))
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.date_check.toggled.connect(self._on_date_check_toggled)
        self.search_button = QPushButton(self.tr("查询(&Q)"))
        self.search_button.setObjectName("auditSearch")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.reload)
        self.actor_edit.returnPressed.connect(self.reload)
        self.verify_button = QPushButton(self.tr("校验审计链(&V)"))
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.setToolTip(
            self.tr("逐条核对审计记录的哈希链，找出第一条被改动或删除的记录")
        )
        self.verify_button.clicked.connect(self.verify)
        self.verify_label = QLabel()
        self.verify_label.setObjectName("auditVerifyResult")
        self.verify_label.setWordWrap(True)

        self.table = QTableWidget()
        self.table.setObjectName("auditTable")
        setup_table(self.table, [self.tr(c) for c in COLUMNS], stretch=6)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.count_label = QLabel()
        self.more_button = QPushButton(self.tr("加载更多(&M)"))
        self.more_button.setObjectName("auditMore")
        self.more_button.clicked.connect(self.load_more)

        filters = QHBoxLayout()
        for text, widget in (
            (self.tr("操作人(&R)："), self.actor_edit),
            (self.tr("操作(&O)："), self.action_combo),
            (self.tr("对象(&J)："), self.entity_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.date_check)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(self.tr("至")))
        filters.addWidget(self.date_to)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.more_button)
        bottom.addStretch(1)
        bottom.addWidget(self.verify_label, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(
            note_label(
                self.tr(
                    "审计记录只能追加，不能修改或删除；每条与前一条以哈希相连。"
                    "姓名、证件号码和电话在记录中已遮盖，备注类内容只记“已修改”。"
                    "命令行：desk-app audit verify --db 数据库文件"
                )
            )
        )

    # ----------------------------------------------------------------- loading
    def _filters(self) -> dict[str, Any]:
        dated = self.date_check.isChecked()
        return {
            "actor": self.actor_edit.text().strip().lower(),
            "action": str(self.action_combo.currentData() or ""),
            "entity": str(self.entity_combo.currentData() or ""),
            "since": from_qdate(self.date_from.date()) if dated else None,
            "until": from_qdate(self.date_to.date()) if dated else None,
        }

    def load(self) -> None:
        """The newest rows matching the filters (the first page)."""
        self.rows = []
        self.table.setRowCount(0)
        self._fetch(None)

    def load_more(self) -> int:
        """The next page: rows before the last one shown."""
        if not self._more or not self.rows:
            return 0
        return self._fetch(self.rows[-1].id)

    def _fetch(self, before_id: int | None) -> int:
        try:
            page = self.services.audit.rows(before_id=before_id, limit=PAGE_SIZE, **self._filters())
        except DeskAppError as exc:
            show_error(self, exc)
            return 0
        first = self.table.rowCount()
        self.table.setRowCount(first + len(page))
        for offset, r in enumerate(page):
            failed = r.action in ("sign_in_failed", "sign_in_locked", "unlock_failed")
            fill_row(
                self.table,
                first + offset,
                (
                    table_item(r.at.strftime("%Y-%m-%d %H:%M:%S"), code=r.id),
                    table_item(r.actor),
                    table_item(role_text(r.role)),
                    table_item(action_text(r.action), color=ERROR_COLOR if failed else ""),
                    table_item(entity_text(r.entity), tooltip=r.entity),
                    table_item(r.entity_id),
                    table_item(detail_text(r.detail), tooltip=detail_text(r.detail)),
                ),
            )
        self.rows.extend(page)
        self._more = len(page) == PAGE_SIZE
        self.more_button.setEnabled(self._more)
        self.count_label.setText(
            self.tr("已显示 {n} 条").format(n=len(self.rows))
            + (self.tr("，还有更早的记录") if self._more else "")
        )
        return len(page)

    def _on_scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        if self._more and bar.maximum() > 0 and value >= bar.maximum():
            self.load_more()

    def _on_date_check_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)

    # ----------------------------------------------------------------- verify
    def verify(self) -> Task:
        """Walk the chain off the GUI thread (a county's millions of rows take a while)."""
        self.verify_button.setEnabled(False)
        self.result = None
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("正在校验…"))
        audit = self.services.audit
        task = self.tasks.run(self.tr("校验审计链"), lambda _p, _c: audit.verify(), self)
        task.succeeded.connect(self._show_verification)
        task.failed.connect(lambda exc: show_error(self, exc))
        task.ended.connect(lambda _t: self._verify_ended())
        return task

    def _verify_ended(self) -> None:
        self.verify_button.setEnabled(True)
        if self.result is None:
            self.verify_label.clear()

    def _show_verification(self, result: Verification) -> None:
        self.result = result
        self.verify_label.setText(verification_text(result))
        color = OK_COLOR if result.first_broken is None else ERROR_COLOR
        self.verify_label.setStyleSheet(f"color: {color}; font-weight: bold;")

    def set_dates(self, since: dt.date, until: dt.date) -> None:
        """For tests and the manual: filter on a date range."""
        self.date_check.setChecked(True)
        self.date_from.setDate(QDate(since.year, since.month, since.day))
        self.date_to.setDate(QDate(until.year, until.month, until.day))
