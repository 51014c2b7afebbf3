"""打印文书 on the household panel: forms from the registry, forms the clerk fills, the archive.

Real services on SQLite (the UI conftest: 中华路街道, a fixed clock on 2026-05-01). Text
goes in with ``setText``; each form's 预览/打印… must either name every field to fix or
open the preview of what the clerk entered (read back from the PDF's text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.documents import (
    ApprovalLevel,
    AuthorisationContent,
    ChangeKind,
    DocumentKind,
    TemporaryAidContent,
)
from desk_app.domain.household import PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import Relation
from desk_app.services.dto import HouseholdDetail
from reports.pages import page_texts
from ui.dialogs import is_invalid
from ui.dialogs.agreement_dialog import (
    CareAgreementDialog,
    PairingAgreementDialog,
    PlacementAgreementDialog,
    SupportAgreementDialog,
)
from ui.dialogs.archived_documents_dialog import ArchivedDocumentsDialog
from ui.dialogs.change_notice_dialog import ChangeNoticeDialog
from ui.dialogs.document_preview import DocumentPreviewDialog, MissingGlyphsDialog
from ui.dialogs.temporary_aid_dialog import TemporaryAidDialog
from ui.pages.registry_page import RegistryPage

RARE = "\U00020000"


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def family(services: Services, household: HouseholdDetail) -> HouseholdDetail:
    """张三 (head), his wife 李梅 and their son 张小明 (a child): two adults sign forms."""
    services.context.operator.name = "王芳"
    services.households.add_member(
        household.id, PersonInput("李梅", make_id("52040219820202002")), Relation.SPOUSE
    )
    return services.households.add_member(
        household.id, PersonInput("张小明", make_id("52040220100303003")), Relation.SON
    )


@pytest.fixture
def page(qtbot: QtBot, services: Services, family: HouseholdDetail) -> Iterator[RegistryPage]:
    p = RegistryPage(services)
    qtbot.addWidget(p)
    p.resize(1300, 760)
    p.show()
    p.show_household(family.id)
    yield p
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.reject()


def text_of(preview: object) -> str:
    """The PDF's text without line breaks (table cells wrap long names)."""
    assert isinstance(preview, DocumentPreviewDialog)
    return "".join(page_texts(preview.document.pdf)).replace("\n", "")


def test_the_menu_opens_the_authorisation_and_the_archive_reprints_it(
    qtbot: QtBot, page: RegistryPage, services: Services, family: HouseholdDetail, tmp_path: Path
) -> None:
    panel = page.panel
    assert panel.documents_button.isEnabled()
    assert panel.notice_label.text() == "尚未列入公示"
    panel.documents_menu.entries["authorisation"].trigger()
    preview = panel.documents_menu.opened
    assert isinstance(preview, DocumentPreviewDialog)
    assert preview.document.kind is DocumentKind.AUTHORISATION
    assert preview.document.household_id == family.id
    text = text_of(preview)
    assert "张三" in text
    assert "李梅" in text
    assert "张小明" not in text  # a child signs nothing
    assert preview.save_to(tmp_path / "授权书.pdf") is not None
    preview.reject()

    panel.documents_menu.entries["archive"].trigger()
    archive = panel.documents_menu.opened
    assert isinstance(archive, ArchivedDocumentsDialog)
    assert archive.table.rowCount() == 1
    assert "导出PDF" in archive.table.item(0, 4).text()
    again = archive.reprint()
    assert again is not None
    assert again.document.pdf == (tmp_path / "授权书.pdf").read_bytes()
    again.reject()
    archive.reject()


def test_the_panel_menu_waits_for_a_household(qtbot: QtBot, services: Services) -> None:
    page = RegistryPage(services)
    qtbot.addWidget(page)
    assert not page.panel.documents_button.isEnabled()
    assert page.panel.documents_menu.open_document("authorisation") is None


def test_application_and_commitment_are_filled_from_the_registry(
    qtbot: QtBot, page: RegistryPage, services: Services
) -> None:
    menu = page.panel.documents_menu
    for key, title in (("application", "社会救助申请书"), ("commitment", "如实申报承诺书")):
        menu.entries[key].trigger()
        assert title in text_of(menu.opened)
        assert "张三" in text_of(menu.opened)
        menu.opened.reject()  # type: ignore[attr-defined]


def test_temporary_aid_names_the_fields_then_uses_the_parameter_set(
    qtbot: QtBot, page: RegistryPage, services: Services
) -> None:
    menu = page.panel.documents_menu
    menu.entries["temporary_aid"].trigger()
    dialog = menu.opened
    assert isinstance(dialog, TemporaryAidDialog)
    dialog.requested_edit.setText("八千")
    dialog.ok_button().click()
    lines = dialog.problem_label.text()
    for field in ("事由", "申请金额", "拟救助金额"):
        assert field in lines
    assert is_invalid(dialog.requested_edit)
    assert dialog.preview is None

    dialog.event_edit.setPlainText("住房失火，生活用品基本烧毁")
    dialog.requested_edit.setText("8000")
    dialog.proposed_edit.setText("6000")
    dialog.ok_button().click()  # no parameter set chosen yet: the service says what is missing
    assert "参数集" in dialog.problem_label.text()

    code = services.assistance.copy("anshun", "中华路街道参数集").code
    for key, value in (("temporary.township_limit", 5000), ("temporary.annual_cap", 20000)):
        services.assistance.set_value(code, key, Decimal(value), dt.date(2026, 1, 1), "县文件")
    services.assistance.choose(code)
    dialog.advance_check.setChecked(True)
    dialog.account_edit.setText("6217000000008888123")
    dialog.ok_button().click()
    preview = dialog.preview
    assert isinstance(preview, DocumentPreviewDialog)
    assert dialog.isVisible()  # the form stays under the preview
    text = text_of(preview)
    assert "住房失火" in text
    assert "8123" in text
    assert "6217000000008888123" not in text
    content = services.documents.temporary_aid(dialog.aid_input())
    assert isinstance(content, TemporaryAidContent)
    assert content.approval_level is ApprovalLevel.COUNTY  # 6000 above the 5000 limit
    preview.reject()


def test_care_agreement_asks_for_the_carer_and_prints_every_party(
    qtbot: QtBot, page: RegistryPage
) -> None:
    menu = page.panel.documents_menu
    menu.entries["care_agreement"].trigger()
    dialog = menu.opened
    assert isinstance(dialog, CareAgreementDialog)
    assert dialog.committee == "中华路街道新华村民委员会"
    dialog.ok_button().click()
    assert "照料人" in dialog.problem_label.text()
    assert "照料费" in dialog.problem_label.text()
    dialog.carer_edit.setText("张小平")
    dialog.carer_relation_edit.setText("侄子")
    dialog.pay_edit.setText("300")
    dialog.ok_button().click()
    text = text_of(dialog.preview)
    for party in ("张小平", "张三", "中华路街道办事处", "中华路街道新华村民委员会"):
        assert party in text
    dialog.preview.reject()  # type: ignore[attr-defined]


def test_a_name_the_fonts_lack_is_shown_and_the_form_keeps_it(
    qtbot: QtBot, page: RegistryPage
) -> None:
    menu = page.panel.documents_menu
    menu.entries["care_agreement"].trigger()
    dialog = menu.opened
    assert isinstance(dialog, CareAgreementDialog)
    dialog.carer_edit.setText(f"张{RARE}")
    dialog.pay_edit.setText("300")
    dialog.ok_button().click()
    asked = dialog.preview
    assert isinstance(asked, MissingGlyphsDialog)
    assert RARE in asked.chars_label.text()
    asked.back_button.click()
    assert dialog.isVisible()
    assert dialog.carer_edit.text() == f"张{RARE}"


def test_support_placement_and_pairing_agreements_take_their_rows(
    qtbot: QtBot, page: RegistryPage
) -> None:
    menu = page.panel.documents_menu
    menu.entries["support_agreement"].trigger()
    support = menu.opened
    assert isinstance(support, SupportAgreementDialog)
    support.ok_button().click()
    assert "赡养人" in support.problem_label.text()
    support.supporters_table.set_row(0, ["张大山", "长子", "13800000008", "300", "日常照料"])
    support.supporters_table.set_row(1, ["张小河", "次子", "", "200", "就医陪护"])
    support.contact_edit.setText("张大山")
    support.ok_button().click()
    text = text_of(support.preview)
    assert "张大山" in text
    assert "张小河" in text
    support.preview.reject()  # type: ignore[attr-defined]
    support.reject()

    menu.entries["placement_agreement"].trigger()
    placement = menu.opened
    assert isinstance(placement, PlacementAgreementDialog)
    placement.institution_edit.setText("中华路街道敬老院")
    placement.fee_edit.setText("1200")
    placement.ok_button().click()
    assert "意愿" in placement.problem_label.text()  # the person's wish comes first
    placement.wish_check.setChecked(True)
    placement.relatives_table.set_row(0, ["张大山", "子", ""])
    placement.ok_button().click()
    assert "中华路街道敬老院" in text_of(placement.preview)
    placement.preview.reject()  # type: ignore[attr-defined]
    placement.reject()

    menu.entries["pairing_agreement"].trigger()
    pairing = menu.opened
    assert isinstance(pairing, PairingAgreementDialog)
    pairing.helper_edit.setText("孙立新")
    pairing.unit_edit.setText("县农业农村局")
    pairing.ok_button().click()
    assert "一户一策" in pairing.problem_label.text()
    pairing.measures_table.set_row(0, ["就业", "推荐参加电工技能培训", "2026年10月"])
    pairing.cause_checks[0].setChecked(True)
    pairing.ok_button().click()
    text = text_of(pairing.preview)
    assert "推荐参加电工技能培训" in text
    assert "孙立新" in text
    pairing.preview.reject()  # type: ignore[attr-defined]


def test_a_stop_notice_pays_nothing_and_needs_a_reason(qtbot: QtBot, page: RegistryPage) -> None:
    menu = page.panel.documents_menu
    menu.entries["change_notice"].trigger()
    dialog = menu.opened
    assert isinstance(dialog, ChangeNoticeDialog)
    dialog.set_kind(ChangeKind.STOP)
    assert not dialog.new_edit.isEnabled()
    assert dialog.new_edit.text() == "0"
    dialog.old_edit.setText("420")
    dialog.ok_button().click()
    assert "变更理由" in dialog.problem_label.text()
    dialog.reason_edit.setPlainText("经复核，家庭月人均收入已达到当地低保标准的2倍以上")
    dialog.ok_button().click()
    text = text_of(dialog.preview)
    assert "停发" in text
    assert "张三" in text
    dialog.preview.reject()  # type: ignore[attr-defined]


def test_a_decrease_must_be_lower_than_before(qtbot: QtBot, page: RegistryPage) -> None:
    menu = page.panel.documents_menu
    menu.entries["change_notice"].trigger()
    dialog = menu.opened
    assert isinstance(dialog, ChangeNoticeDialog)
    dialog.set_kind(ChangeKind.DECREASE)
    dialog.reason_edit.setPlainText("家庭成员稳定就业")
    dialog.old_edit.setText("420")
    dialog.new_edit.setText("500")
    dialog.ok_button().click()
    assert "减发后的金额应低于原金额" in dialog.problem_label.text()
    assert is_invalid(dialog.new_edit)
    assert dialog.preview is None


def test_authorisation_content_is_what_the_service_gives(
    services: Services, family: HouseholdDetail
) -> None:
    content = services.documents.authorisation(family.id)
    assert isinstance(content, AuthorisationContent)
    assert [m.name for m in content.members] == ["张三", "李梅"]
