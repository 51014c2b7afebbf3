"""公示 dialogs: draft a notice, post it, record an objection and settle it (issue #6).

Each dialog calls the notice service itself, so a refused input keeps the dialog open with
what was typed and the service's own Chinese message beside the field; a notice changed
by another window meanwhile closes the dialog (the page then reads it again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.documents import NoticeStage, Paper
from desk_app.errors import ValidationError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import SiteInfo
from desk_app.services.notices import (
    OBJECTION_CHANNELS,
    SCHEMES,
    Draft,
    EntryRow,
    NoticeInfo,
    NoticeService,
    ObjectionRow,
)
from ui.dialogs import add_row
from ui.dialogs.form_dialog import FormDialog, date_edit, problem, qdate, text_box, to_date
from ui.i18n import tr_label

_C = "NoticeDialogs"

PAPERS: tuple[tuple[Paper, str], ...] = (
    (Paper.A4_LANDSCAPE, QT_TRANSLATE_NOOP("NoticeDialogs", "A4 横向")),
    (Paper.A3_LANDSCAPE, QT_TRANSLATE_NOOP("NoticeDialogs", "A3 横向（公示栏）")),
)
_QUARTERS = "一二三四"


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def quarter_label(day: dt.date) -> str:
    """``2026年第二季度``: the usual 公示 period, prefilled for the current quarter."""
    return f"{day.year}年第{_QUARTERS[(day.month - 1) // 3]}季度"


def scope_text(village: str | None) -> str:
    return village or _tr("全乡镇（街道）")


def notice_heading(info: NoticeInfo) -> str:
    """One line naming the notice a dialog acts on."""
    return _tr("{number}　{stage}　{scheme}\n范围：{scope}　期间：{period}　{count} 户").format(
        number=info.number,
        stage=tr_label("documents", info.stage.label),
        scheme=tr_label("documents", info.scheme),
        scope=scope_text(info.village),
        period=info.period_label,
        count=info.households,
    )


def entry_text(entry: EntryRow) -> str:
    return f"{entry.row.head_name}（{entry.row.village_group}）"


# ================================================================================ draft
class NoticeDraftDialog(FormDialog):
    """新建公示: stage, scheme, village or the whole township, period, paper, channel.

    Signals: ``drafted(Draft)`` as soon as the draft is stored. Households the service
    could not put on the notice are then listed with the reason before the dialog closes
    (:attr:`skipped_table`); with none it closes at once.
    """

    drafted = Signal(object)

    def __init__(
        self,
        notices: NoticeService,
        villages: Sequence[str],
        site: SiteInfo | None,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_tr("新建公示"), _tr("生成草稿(&G)"), parent)
        self._notices = notices
        self.result_draft: Draft | None = None

        self.stage_combo = QComboBox()
        for stage in NoticeStage:
            self.stage_combo.addItem(tr_label("documents", stage.label), stage.value)
        add_row(self.form, _tr("公示类型(&T)："), self.stage_combo)
        self.scheme_combo = QComboBox()
        for scheme in SCHEMES:
            self.scheme_combo.addItem(tr_label("documents", scheme), scheme)
        add_row(self.form, _tr("救助项目(&S)："), self.scheme_combo)
        self.village_combo = QComboBox()
        self.village_combo.addItem(scope_text(None), None)
        for village in villages:
            self.village_combo.addItem(village, village)
        self.village_combo.setMaxVisibleItems(20)
        add_row(self.form, _tr("公示范围(&V)："), self.village_combo)
        self.period_edit = QLineEdit(quarter_label(today))
        self.period_edit.setMaxLength(60)  # the service says so beyond 40: not cut silently
        self.period_edit.setPlaceholderText(_tr("如：2026年第二季度"))
        add_row(self.form, _tr("公示期间(&P)："), self.period_edit)
        self.paper_combo = QComboBox()
        for paper, label in PAPERS:
            self.paper_combo.addItem(_tr(label), paper.value)
        add_row(self.form, _tr("纸张(&Z)："), self.paper_combo)
        self.mask_check = QCheckBox(_tr("户主姓名隐去中间的字（如“张*伟”）"))
        self.mask_check.setToolTip(
            _tr("默认公示户主全名；本乡镇另有规定时勾选。身份证号、电话、病情等从不公示。")
        )
        add_row(self.form, _tr("姓名(&M)："), self.mask_check)

        phone, address = notices.last_channel()
        if not phone and not address and site is not None:
            phone, address = site.phone, site.address
        self.phone_edit = QLineEdit(phone)
        self.phone_edit.setMaxLength(60)
        self.phone_edit.setPlaceholderText(_tr("接受群众异议的电话"))
        add_row(self.form, _tr("异议电话(&H)："), self.phone_edit)
        self.address_edit = QLineEdit(address)
        self.address_edit.setMaxLength(120)
        self.address_edit.setPlaceholderText(_tr("接受来访异议的地点"))
        add_row(self.form, _tr("异议地址(&D)："), self.address_edit)
        note = QLabel(_tr("公示只列户主姓名、村组、保障人数、类别、金额和期间。"))
        note.setStyleSheet("color: #555555;")
        note.setWordWrap(True)
        self.form.addRow("", note)

        self.fields.update(
            scheme=self.scheme_combo,
            period_label=self.period_edit,
            phone=self.phone_edit,
            address=self.address_edit,
        )

        # Shown after drafting when some households were left out.
        self.result_box = QWidget()
        self.result_box.setObjectName("draftResult")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.skipped_table = QTableWidget(0, 2)
        self.skipped_table.setObjectName("skippedTable")
        self.skipped_table.setHorizontalHeaderLabels([_tr("户编号"), _tr("未列入的原因")])
        self.skipped_table.verticalHeader().setVisible(False)
        self.skipped_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped_table.setWordWrap(True)
        header = self.skipped_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.done_button = QPushButton(_tr("知道了"))
        self.done_button.clicked.connect(self.accept)
        result_layout = QVBoxLayout(self.result_box)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addWidget(self.result_label)
        result_layout.addWidget(self.skipped_table, 1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        result_layout.addLayout(done_row)
        self.result_box.hide()

        self.finish(
            [
                self.stage_combo, self.scheme_combo, self.village_combo, self.period_edit,
                self.paper_combo, self.mask_check, self.phone_edit, self.address_edit,
            ],
            width=560,
        )  # fmt: skip
        self.layout_.addWidget(self.result_box, 1)

    def set_village(self, village: str | None) -> None:
        self.village_combo.setCurrentIndex(max(0, self.village_combo.findData(village)))

    def submit(self) -> bool:
        stage = NoticeStage(self.stage_combo.currentData())
        draft = self._notices.draft(
            stage,
            str(self.scheme_combo.currentData()),
            self.village_combo.currentData(),
            self.period_edit.text(),
            Paper(self.paper_combo.currentData()),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            mask_names=self.mask_check.isChecked(),
        )
        self.result_draft = draft
        self.drafted.emit(draft)
        if not draft.skipped:
            return True
        self._show_skipped(draft)
        return False

    def _show_skipped(self, draft: Draft) -> None:
        """Replace the form with who was left out and why (the draft is stored already)."""
        if self.form_host is not None:
            self.form_host.hide()
        for i in range(self.layout_.count()):  # the spare room goes to the list now
            item = self.layout_.itemAt(i)
            if item is not None and item.spacerItem() is not None:
                self.layout_.setStretch(i, 0)
        self.button_box.hide()
        self.problem_label.clear_problems()
        self.result_label.setText(
            _tr(
                "已生成公示草稿 {number}，共 {count} 户。以下 {skipped} 户在公示范围内但没有列入，"
                "处理后可重新生成公示。"
            ).format(
                number=draft.notice.number,
                count=draft.notice.households,
                skipped=len(draft.skipped),
            )
        )
        self.skipped_table.setRowCount(len(draft.skipped))
        for row, s in enumerate(draft.skipped):
            self.skipped_table.setItem(row, 0, QTableWidgetItem(s.household_number))
            self.skipped_table.setItem(row, 1, QTableWidgetItem(tr_label("documents", s.reason)))
        self.skipped_table.resizeRowsToContents()
        self.result_box.show()
        self.done_button.setDefault(True)
        self.done_button.setFocus()
        self.resize(max(self.width(), 640), max(self.height(), 360))


# ================================================================================= post
class NoticePostDialog(FormDialog):
    """张贴: the day the notice went up; the objection period runs from it."""

    def __init__(
        self,
        info: NoticeInfo,
        post: Callable[[dt.date], NoticeInfo],
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_tr("张贴公示 — {number}").format(number=info.number), _tr("张贴(&T)"), parent)  # fmt: skip
        self.info = info
        self._post = post
        self.result_info: NoticeInfo | None = None
        self.heading(notice_heading(info))
        self.date_edit = date_edit(today)
        self.date_edit.setMaximumDate(qdate(today))
        add_row(self.form, _tr("张贴日期(&D)："), self.date_edit)
        hint = QLabel(
            _tr(
                "异议期按参数“公示天数”计算，含张贴当日。张贴后会存档这份公示，"
                "并打开预览以便打印张贴。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        self.form.addRow("", hint)
        self.fields.update(posted_on=self.date_edit, objection_days=self.date_edit)
        self.finish([self.date_edit])

    def submit(self) -> bool:
        self.result_info = self._post(to_date(self.date_edit.date()))
        return True


# ============================================================================ objection
class ObjectionDialog(FormDialog):
    """记录异议 against one household on a posted notice."""

    def __init__(
        self,
        info: NoticeInfo,
        entries: Sequence[EntryRow],
        record: Callable[[int, dt.date, str, str], ObjectionRow],
        today: dt.date,
        parent: QWidget | None = None,
        *,
        household_id: int | None = None,
    ) -> None:
        super().__init__(_tr("记录异议 — {number}").format(number=info.number), _tr("保存(&S)"), parent)  # fmt: skip
        self.info = info
        self._record = record
        self.result_row: ObjectionRow | None = None
        self.heading(notice_heading(info))

        self.household_combo = QComboBox()
        self.household_combo.addItem(_tr("（请选择）"), None)
        for entry in entries:
            self.household_combo.addItem(entry_text(entry), entry.household_id)
        self.household_combo.setMaxVisibleItems(20)
        if household_id is not None:
            self.household_combo.setCurrentIndex(
                max(0, self.household_combo.findData(household_id))
            )
        add_row(self.form, _tr("异议对象(&H)："), self.household_combo)
        self.date_edit = date_edit(today)
        self.date_edit.setMaximumDate(qdate(today))
        if info.posted_on is not None:
            self.date_edit.setMinimumDate(qdate(min(info.posted_on, today)))
        add_row(self.form, _tr("收到日期(&D)："), self.date_edit)
        self.channel_combo = QComboBox()
        for channel in OBJECTION_CHANNELS:
            self.channel_combo.addItem(tr_label("documents", channel), channel)
        add_row(self.form, _tr("反映方式(&C)："), self.channel_combo)
        self.summary_edit = text_box(4, self)
        self.summary_edit.setPlaceholderText(
            _tr("反映的问题，如：该户有经营性收入未申报。反映人信息不在公示中出现。")
        )
        add_row(self.form, _tr("异议内容(&Y)："), self.summary_edit)
        self.fields.update(
            household=self.household_combo,
            received_on=self.date_edit,
            channel=self.channel_combo,
            summary=self.summary_edit,
        )
        self.finish(
            [self.household_combo, self.date_edit, self.channel_combo, self.summary_edit],
            width=560,
        )

    def submit(self) -> bool:
        household = self.household_combo.currentData()
        if household is None:
            problems = [
                problem("household", QT_TRANSLATE_NOOP("fields", "异议对象"),
                        QT_TRANSLATE_NOOP("validation", "请选择异议所针对的户"))
            ]  # fmt: skip
            if not self.summary_edit.toPlainText().strip():
                problems.append(
                    problem("summary", QT_TRANSLATE_NOOP("fields", "异议内容"),
                            QT_TRANSLATE_NOOP("validation", "请简要记录异议内容，便于调查核实"))
                )  # fmt: skip
            raise ValidationError(problems)
        self.result_row = self._record(
            int(household),
            to_date(self.date_edit.date()),
            str(self.channel_combo.currentData()),
            self.summary_edit.toPlainText(),
        )
        return True


class ResolveObjectionDialog(FormDialog):
    """处理异议: upheld (the case stops) or dismissed (it goes on), with the conclusion."""

    def __init__(
        self,
        objection: ObjectionRow,
        resolve: Callable[[bool, str, dt.date], ObjectionRow],
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_tr("处理异议"), _tr("保存(&S)"), parent)
        self.objection = objection
        self._resolve = resolve
        self.result_row: ObjectionRow | None = None
        self.heading(
            _tr("{day} {channel}　对象：{name}\n{summary}").format(
                day=objection.received_on.isoformat(),
                channel=tr_label("documents", objection.channel),
                name=objection.head_name,
                summary=objection.summary,
            )
        )
        self.dismissed_radio = QRadioButton(_tr("异议不成立，继续办理(&N)"))
        self.upheld_radio = QRadioButton(_tr("异议成立，暂停办理(&U)"))
        self.outcome = QButtonGroup(self)
        self.outcome.addButton(self.dismissed_radio)
        self.outcome.addButton(self.upheld_radio)
        outcome_box = QWidget()
        outcome_layout = QVBoxLayout(outcome_box)
        outcome_layout.setContentsMargins(0, 0, 0, 0)
        outcome_layout.addWidget(self.dismissed_radio)
        outcome_layout.addWidget(self.upheld_radio)
        add_row(self.form, _tr("核查结果："), outcome_box, self.dismissed_radio)
        self.resolution_edit = text_box(4, self)
        self.resolution_edit.setPlaceholderText(
            _tr("调查核实的经过、结论和依据，如：入户核查，经营收入已计入，异议不成立")
        )
        add_row(self.form, _tr("核查结论(&R)："), self.resolution_edit)
        self.date_edit = date_edit(today)
        self.date_edit.setMinimumDate(qdate(min(objection.received_on, today)))
        self.date_edit.setMaximumDate(qdate(today))
        add_row(self.form, _tr("处理日期(&D)："), self.date_edit)
        self.fields.update(
            outcome=outcome_box, resolution=self.resolution_edit, status=self.resolution_edit
        )
        self._outcome_box = outcome_box
        self.finish(
            [self.dismissed_radio, self.upheld_radio, self.resolution_edit, self.date_edit],
            width=560,
        )

    def submit(self) -> bool:
        if self.outcome.checkedButton() is None:
            problems = [
                problem("outcome", QT_TRANSLATE_NOOP("fields", "核查结果"),
                        QT_TRANSLATE_NOOP("validation", "请选择异议是否成立"))
            ]  # fmt: skip
            if not self.resolution_edit.toPlainText().strip():
                problems.append(
                    problem("resolution", QT_TRANSLATE_NOOP("fields", "核查结论"),
                            QT_TRANSLATE_NOOP("validation", "请写明调查核实的结论和依据"))
                )  # fmt: skip
            raise ValidationError(problems)
        self.result_row = self._resolve(
            self.upheld_radio.isChecked(),
            self.resolution_edit.toPlainText(),
            to_date(self.date_edit.date()),
        )
        return True
