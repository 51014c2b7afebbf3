"""The print buttons on the intake and queue pages, and the window's phone and address.

打印受理回执 after a saved intake (button and Ctrl+P), 打印转介单 for the referral shown in
the queue; both open the preview of the document the services fill from the database.
The window's phone and address, edited in 窗口与经办人, reach the receipt.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.documents import DocumentKind
from desk_app.services.dto import HouseholdDetail
from desk_app.services.intake import IntakeInput, MatterChoice
from desk_app.services.referrals import ReferralFilter
from reports.pages import page_texts
from ui.dialogs.document_preview import DocumentPreviewDialog
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.pages.intake_page import IntakePage
from ui.pages.queue_page import QueuePage


@pytest.fixture(autouse=True)
def _close_dialogs() -> Iterator[None]:
    yield
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.reject()


def opened_preview(before: set[int]) -> DocumentPreviewDialog:
    new = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, DocumentPreviewDialog) and w.isVisible() and id(w) not in before
    ]
    assert len(new) == 1
    return new[0]


def previews() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, DocumentPreviewDialog)}


def test_the_site_phone_and_address_are_edited_and_printed_on_the_receipt(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    site = services.site.get()
    dialog = FirstStartDialog(services.site.save, existing=site, clerk_name="王芳")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.phone_edit.setText("0851-3322110")
    dialog.address_edit.setText("中华路街道便民服务中心一楼")
    dialog.save_button().click()
    assert dialog.result_site is not None
    assert dialog.result_site.phone == "0851-3322110"
    stored = services.site.get()
    assert stored is not None
    assert stored.address == "中华路街道便民服务中心一楼"

    again = FirstStartDialog(services.site.save, existing=stored, clerk_name="王芳")
    qtbot.addWidget(again)
    assert again.phone_edit.text() == "0851-3322110"
    again.phone_edit.setText("1" * 41)
    again.show()
    again.save_button().click()
    assert "咨询电话" in again.problem_label.text()


def test_print_receipt_after_saving_an_intake(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    services.site.save(
        "中华路街道", "520402102", "社会救助综合服务窗口", phone="0851-3322110", address=""
    )
    services.context.operator.name = "王芳"
    page = IntakePage(services)
    qtbot.addWidget(page)
    page.resize(1230, 680)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    assert page.print_receipt() is None  # nothing saved yet
    page.pick_household(household.id)
    page.picker.set_chosen("dibao", True)
    page.picker.set_chosen("medical_assistance", True)
    receipt = page.save()
    assert receipt is not None
    assert page.print_receipt_button.isVisible()

    before = previews()
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = opened_preview(before)
    assert preview.document.kind is DocumentKind.RECEIPT
    assert preview.document.number == receipt.number
    assert preview.document.household_id == household.id
    text = "".join(page_texts(preview.document.pdf))
    assert receipt.number in text
    assert "0851-3322110" in text
    preview.reject()

    before = previews()
    page.print_receipt_button.click()
    assert opened_preview(before).document.kind is DocumentKind.RECEIPT


def test_print_the_referral_slip_from_the_queue(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    services.context.operator.name = "王芳"
    services.intake.save(IntakeInput(household.id, (MatterChoice("medical_assistance"),)))
    referral = services.referrals.page(ReferralFilter()).rows[0]
    page = QueuePage(services)
    qtbot.addWidget(page)
    page.resize(1230, 700)
    page.show()
    page.reload()
    page.show_referral(referral.id)
    assert page.detail_panel.print_button.isEnabled()
    before = previews()
    page.detail_panel.print_button.click()
    preview = opened_preview(before)
    assert preview.document.kind is DocumentKind.REFERRAL
    assert preview.document.number == referral.number
    assert preview.document.household_id == household.id
    assert "回执联" in "".join(page_texts(preview.document.pdf))
