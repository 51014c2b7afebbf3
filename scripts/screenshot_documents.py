"""Screenshots of the printed-document screens (issue #6), for ``scripts/screenshots.py``.

Kept in its own module so the main script only adds one line to its list. The shots run
on the demo database after the assessment shots: a parameter set is chosen and the
receipt page still shows the last saved intake.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.registry import HouseholdCategory
from desk_app.services.assistance import HouseholdFacts, MemberFacts
from ui.dialogs.agreement_dialog import CareAgreementDialog, SupportAgreementDialog
from ui.dialogs.archived_documents_dialog import ArchivedDocumentsDialog
from ui.dialogs.change_notice_dialog import ChangeNoticeDialog
from ui.dialogs.document_preview import DocumentPreviewDialog, MissingGlyphsDialog
from ui.dialogs.notice_dialogs import (
    NoticeDraftDialog,
    NoticePostDialog,
    ObjectionDialog,
    ResolveObjectionDialog,
)
from ui.dialogs.temporary_aid_dialog import TemporaryAidDialog
from ui.main_window import MainWindow

D = TypeVar("D", bound=QDialog)
Shot = tuple[str, Callable[[], QWidget]]
DIBAO = {HouseholdCategory.DIBAO_A.value, HouseholdCategory.DIBAO_B.value,
         HouseholdCategory.DIBAO_C.value}  # fmt: skip


def document_shots(
    app: QApplication,
    window: MainWindow,
    services: Services,
    opened: Callable[[QApplication, type[Any], Callable[[], object]], Any],
    close_dialogs: Callable[[QApplication], None],
    settle: Callable[..., None],
) -> list[Shot]:
    page = window.notice_page
    registry = window.registry_page
    panel = registry.panel
    state: dict[str, Any] = {}

    def dialog_of(kind: type[D], action: Callable[[], object]) -> D:
        result: D = opened(app, kind, action)
        return result

    def decide_township() -> None:
        """Record a decided 低保 amount for the township's 低保 households (demo has none)."""
        today = services.context.today()
        households: list[int] = []
        for row in services.search.search("", limit=2000).rows:
            if row.household_id is None or row.household_id in households:
                continue
            detail = services.households.get(row.household_id)
            if any(c.category in DIBAO and c.active_on(today) for c in detail.categories):
                households.append(detail.id)
        for n, household_id in enumerate(households):
            if n in (2, 9):
                continue  # left without a decision: the draft lists them as skipped
            detail = services.households.get(household_id)
            head = detail.head or detail.members[0]
            amount = Decimal(260 + 15 * (n % 7)) * len(detail.members)
            services.assistance.record_decision(
                household_id, HouseholdFacts(members=(MemberFacts(head.id),)), "dibao.payment",
                f"{amount:.2f}", "入户调查、民主评议后确定",
            )  # fmt: skip

    def preview_receipt() -> QWidget:
        close_dialogs(app)
        site = services.site.get()
        assert site is not None
        services.site.save(
            site.township_name, site.township_code, site.window_name,
            phone="0851-33221100", address=f"{site.township_name}便民服务中心一楼",
        )  # fmt: skip
        window.show_page(window.intake_page)
        return dialog_of(DocumentPreviewDialog, window.intake_page.print_receipt)

    def notice_draft() -> QWidget:
        close_dialogs(app)
        decide_township()
        window.show_page(page)
        return dialog_of(NoticeDraftDialog, page.new_notice)  # 全乡镇（街道）

    def notice_skipped() -> QWidget:
        dialog = page.dialog
        assert isinstance(dialog, NoticeDraftDialog)
        dialog.ok_button().click()
        settle(app, 50)
        if dialog.result_draft is None or not dialog.isVisible():
            raise RuntimeError(f"draft refused: {dialog.problem_label.text()}")
        return dialog

    def notice_post() -> QWidget:
        close_dialogs(app)
        return dialog_of(NoticePostDialog, page.post)

    def preview_notice() -> QWidget:
        dialog = page.dialog
        assert isinstance(dialog, NoticePostDialog)
        dialog.ok_button().click()
        settle(app, 100)
        preview = page.dialog
        if not isinstance(preview, DocumentPreviewDialog):
            raise RuntimeError("no preview after posting")
        return preview

    def objection() -> QWidget:
        close_dialogs(app)
        page.entry_table.selectRow(1)
        dialog = dialog_of(ObjectionDialog, page.record_objection)
        dialog.channel_combo.setCurrentIndex(1)
        dialog.summary_edit.setPlainText("群众来电反映该户家中有小货车跑运输，收入未如实申报")
        return dialog

    def resolve() -> QWidget:
        dialog = page.dialog
        assert isinstance(dialog, ObjectionDialog)
        dialog.ok_button().click()
        settle(app, 50)
        # A second objection, settled, so the list shows both kinds.
        page.entry_table.selectRow(4)
        second = dialog_of(ObjectionDialog, page.record_objection)
        second.summary_edit.setPlainText("反映该户儿子在外务工收入较高")
        second.ok_button().click()
        settle(app, 50)
        page.objection_table.selectRow(1)
        resolving = dialog_of(ResolveObjectionDialog, page.resolve_objection)
        resolving.dismissed_radio.setChecked(True)
        resolving.resolution_edit.setPlainText(
            "经入户核查和向务工单位了解，其子已分户另过，收入不计入本户，异议不成立"
        )
        # A third, upheld, for the 异议成立 state.
        info = page.selected_info()
        assert info is not None
        third = page.entries[6].household_id
        row = services.notices.record_objection(
            info.id, third, services.context.today(), "来访", "反映该户在县城有商品房一套未申报"
        )
        services.notices.resolve_objection(
            row.id, True, "经不动产登记核对属实，暂停办理，按程序重新核查家庭财产"
        )
        return resolving

    def notice_page() -> QWidget:
        dialog = page.dialog
        assert isinstance(dialog, ResolveObjectionDialog)
        dialog.ok_button().click()
        settle(app, 50)
        page.entry_table.selectRow(0)
        page.objection_table.clearSelection()
        return window

    def household(kind: type[D], key: str) -> Callable[[], QWidget]:
        def shot() -> QWidget:
            close_dialogs(app)
            window.show_page(registry)
            return dialog_of(kind, lambda: panel.documents_menu.open_document(key))

        return shot

    def documents_menu() -> QWidget:
        close_dialogs(app)
        window.show_page(registry)
        settle(app, 50)
        button = panel.documents_button
        panel.documents_menu.popup(button.mapToGlobal(QPoint(0, button.height())))
        return window

    def temporary_aid() -> QWidget:
        panel.documents_menu.hide()
        dialog = household(TemporaryAidDialog, "temporary_aid")()
        assert isinstance(dialog, TemporaryAidDialog)
        dialog.event_edit.setPlainText("户主突发脑出血住院，医保报销后自付部分较大，家庭无力承担")
        dialog.requested_edit.setText("8000")
        dialog.proposed_edit.setText("5000")
        dialog.advance_check.setChecked(True)
        return dialog

    def care_agreement() -> QWidget:
        dialog = household(CareAgreementDialog, "care_agreement")()
        assert isinstance(dialog, CareAgreementDialog)
        dialog.carer_edit.setText("刘小平")
        dialog.carer_relation_edit.setText("侄子")
        dialog.carer_phone_edit.setText("13900000005")
        dialog.pay_edit.setText("300")
        state["care"] = dialog
        return dialog

    def missing_glyphs() -> QWidget:
        dialog = state["care"]
        dialog.carer_edit.setText("刘\U00020000平")
        return dialog_of(MissingGlyphsDialog, dialog.ok_button().click)

    def preview_agreement() -> QWidget:
        asked = next(
            w for w in app.allWidgets() if isinstance(w, MissingGlyphsDialog) and w.isVisible()
        )
        asked.confirm_button.click()
        settle(app, 100)
        preview = asked.preview
        assert isinstance(preview, DocumentPreviewDialog)
        preview.scroll_to_page(2)
        return preview

    def support_agreement() -> QWidget:
        dialog = household(SupportAgreementDialog, "support_agreement")()
        assert isinstance(dialog, SupportAgreementDialog)
        dialog.supporters_table.set_row(0, ["周建华", "长子", "13800000008", "300", "日常生活用品"])
        dialog.supporters_table.set_row(1, ["周建民", "次子", "", "300", "就医陪护"])
        dialog.contact_edit.setText("周建华")
        return dialog

    def change_notice() -> QWidget:
        dialog = household(ChangeNoticeDialog, "change_notice")()
        assert isinstance(dialog, ChangeNoticeDialog)
        dialog.reason_edit.setPlainText("家庭成员稳定就业，家庭月人均收入高于低保标准但低于2倍")
        dialog.kind_combo.setCurrentIndex(3)
        return dialog

    def archive() -> QWidget:
        close_dialogs(app)
        preview = household(DocumentPreviewDialog, "authorisation")()
        assert isinstance(preview, DocumentPreviewDialog)
        preview.save_to(Path(tempfile.mkdtemp()) / "a.pdf")
        close_dialogs(app)
        return household(ArchivedDocumentsDialog, "archive")()

    return [
        ("preview-receipt", preview_receipt),
        ("notice-draft-dialog", notice_draft),
        ("notice-draft-skipped", notice_skipped),
        ("notice-post-dialog", notice_post),
        ("preview-notice", preview_notice),
        ("objection-dialog", objection),
        ("resolve-objection-dialog", resolve),
        ("notice-page", notice_page),
        ("household-documents-menu", documents_menu),
        ("temporary-aid-dialog", temporary_aid),
        ("care-agreement-dialog", care_agreement),
        ("missing-glyphs-dialog", missing_glyphs),
        ("preview-agreement-confirmed", preview_agreement),
        ("support-agreement-dialog", support_agreement),
        ("change-notice-dialog", change_notice),
        ("archive-dialog", archive),
    ]
