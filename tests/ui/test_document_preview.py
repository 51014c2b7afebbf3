"""Preview, print and save documents in the window, against real services on SQLite.

Printing goes to a ``QPrinter`` in PDF-file mode (injected through the dialog's
``printer_factory``), never to a real printer; the printed file's pages are counted with
pypdfium2. Every print and export must leave an entry in the document log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.documents import Paper
from desk_app.domain.security import Role
from desk_app.services.context import Identity
from reports import examples
from reports.documents import build_document, file_name
from reports.pages import page_count, page_texts
from ui.dialogs.document_preview import (
    DocumentPreviewDialog,
    MissingGlyphsDialog,
    open_archived,
    open_preview,
    page_layout,
)

RARE = "\U00020000"
"""𠀀 (CJK Ext-B): not in the bundled faces, as some rare name characters are not."""


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    widget.resize(1200, 760)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    for child in widget.findChildren(QPrintDialog):
        child.reject()


def pdf_printer(path: Path, *, copies: int = 1, dpi: int = 100) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)  # low: the test checks pages, not print quality
    printer.setCopyCount(copies)
    return printer


def preview_of(
    parent: QWidget, services: Services, content: object, **kw: object
) -> DocumentPreviewDialog:
    dialog = open_preview(parent, services.documents, content, **kw)  # type: ignore[arg-type]
    assert isinstance(dialog, DocumentPreviewDialog)
    return dialog


def visible_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_a_long_notice_shows_every_page_and_renders_only_what_is_seen(
    qtbot: QtBot, parent: QWidget, services: Services
) -> None:
    content = examples.long_notice(300)
    expected = page_count(build_document(content))
    assert expected > 5
    dialog = preview_of(parent, services, content)
    qtbot.waitExposed(dialog)
    assert dialog.page_count() == expected
    assert dialog.page_label.text() == f"第 1 页 共 {expected} 页"
    qtbot.waitUntil(lambda: 0 in dialog.view.rendered())
    assert expected - 1 not in dialog.view.rendered()  # far pages wait until scrolled to
    dialog.scroll_to_page(expected)
    assert dialog.page_label.text() == f"第 {expected} 页 共 {expected} 页"
    qtbot.waitUntil(lambda: expected - 1 in dialog.view.rendered())
    # Fit width (the default) fills the view; 实际大小 is the page at the screen's DPI.
    fit = dialog.view.width()
    dialog.actual_button.click()
    assert dialog.view.scale == pytest.approx(dialog.logicalDpiX() / 72)
    dialog.fit_button.click()
    assert dialog.view.width() == fit
    dialog.reject()


def test_save_as_pdf_writes_the_previewed_bytes_and_logs_an_export(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    content = examples.receipt()
    dialog = preview_of(parent, services, content, household_id=None)
    assert dialog.document.file_name == file_name(content)
    target = tmp_path / "回执.pdf"
    info = dialog.save_to(target)
    assert info is not None
    assert target.read_bytes() == build_document(content)
    archived = services.documents.archived()
    assert [(e.action, e.copies) for e in archived[0].events] == [("pdf", 1)]
    assert archived[0].number == content.number
    assert services.documents.archived_pdf(archived[0].id) == target.read_bytes()
    dialog.reject()


def test_the_save_dialog_proposes_the_document_name_and_saves_there(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    dialog = preview_of(parent, services, examples.referral())
    files = dialog.ask_save()
    assert dialog.document.file_name in files.selectedFiles()[0]
    target = tmp_path / "转介单.pdf"
    files.selectFile(str(target))
    files.accept()
    qtbot.waitUntil(target.exists)
    assert page_count(target.read_bytes()) == dialog.page_count()
    assert [e.action for e in services.documents.archived()[0].events] == ["pdf"]
    dialog.reject()


def test_printing_paints_every_page_with_the_copies_and_logs_them(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    dialog = preview_of(parent, services, examples.result_notice(Paper.A3_LANDSCAPE))
    dialog.printer_factory = lambda: pdf_printer(out, copies=2)
    printer = dialog.make_printer()
    assert printer.pageLayout().pageSize().id() == page_layout(Paper.A3_LANDSCAPE).pageSize().id()
    info = dialog.print_to(printer)
    assert info is not None
    printed = out.read_bytes()
    # A PDF printer makes no copies itself: each copy is painted, collated.
    assert page_count(printed) == 2 * dialog.page_count()
    assert [(e.action, e.copies) for e in info.events] == [("print", 2)]
    # The sheet is A3 landscape (points), as the notice asks.
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(printed)
    try:
        width, height = doc.get_page_size(0)
    finally:
        doc.close()
    assert (round(width), round(height)) == (1191, 842)
    dialog.reject()


def test_the_print_dialog_prints_with_its_settings_and_a_receipt_is_a4_portrait(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "receipt-print.pdf"
    dialog = preview_of(parent, services, examples.receipt(), household_id=None)
    dialog.printer_factory = lambda: pdf_printer(out)
    system = dialog.ask_print()
    qtbot.waitExposed(system)
    system.accept()
    qtbot.waitUntil(out.exists)
    assert page_count(out.read_bytes()) == dialog.page_count()
    assert [e.action for e in services.documents.archived()[0].events] == ["print"]
    printer = dialog.make_printer()
    assert printer.pageLayout().orientation() == page_layout(Paper.A4_PORTRAIT).orientation()
    dialog.reject()


def test_a_missing_character_is_named_and_going_back_prints_nothing(
    qtbot: QtBot, parent: QWidget, services: Services
) -> None:
    content = dataclasses.replace(examples.receipt(), applicant_name=f"王{RARE}")
    asked = open_preview(parent, services.documents, content)
    assert isinstance(asked, MissingGlyphsDialog)
    assert RARE in asked.chars_label.text()
    assert "U+20000" in asked.where_label.text()
    assert f"王{RARE}" in asked.where_label.text()  # where it stands, to find and fix it
    assert asked.back_button.isDefault()
    asked.back_button.click()
    assert asked.preview is None
    assert services.documents.archived() == ()


def test_a_confirmed_missing_character_prints_as_the_placeholder(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    content = dataclasses.replace(examples.receipt(), applicant_name=f"王{RARE}")
    asked = open_preview(parent, services.documents, content)
    assert isinstance(asked, MissingGlyphsDialog)
    asked.confirm_button.click()
    preview = asked.preview
    assert isinstance(preview, DocumentPreviewDialog)
    text = "".join(page_texts(preview.document.pdf))
    assert "王〓" in text
    assert RARE not in text
    preview.save_to(tmp_path / "x.pdf")
    assert [e.action for e in services.documents.archived()[0].events] == ["pdf"]
    preview.reject()


def test_a_reprint_from_the_archive_is_the_same_file_and_is_logged_again(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    first = preview_of(parent, services, examples.authorisation())
    info = first.save_to(tmp_path / "a.pdf")
    assert info is not None
    first.reject()
    again = open_archived(parent, services.documents, info)
    assert again is not None
    assert again.document.pdf == (tmp_path / "a.pdf").read_bytes()
    assert again.document.paper is Paper.A4_PORTRAIT
    out = tmp_path / "reprint.pdf"
    again.print_to(pdf_printer(out))
    archived = services.documents.archived()
    assert len(archived) == 1  # one file, two events
    assert [e.action for e in archived[0].events] == ["pdf", "print"]
    again.reject()


def test_a_refused_log_entry_stops_the_export(
    qtbot: QtBot, parent: QWidget, services: Services, tmp_path: Path
) -> None:
    dialog = preview_of(parent, services, examples.receipt())
    # A role without the print right: the service refuses to record, so nothing is written.
    services.context.identity = Identity(9, "yibao", Role.DEPARTMENT, "medical_insurance")
    target = tmp_path / "never.pdf"
    assert dialog.save_to(target) is None
    assert not target.exists()
    qtbot.waitUntil(lambda: bool(visible_boxes()))
    for box in visible_boxes():
        box.close()
    dialog.reject()
