"""Preview, print and save any printed document (issue #6).

:func:`open_preview` is the one way the window shows a document: it builds the PDF with
:func:`reports.documents.build_document`; when the fonts lack a character it first opens
:class:`MissingGlyphsDialog`, which names each character (large, with its code point and
the text it stands in) so the clerk can go back and fix the text or confirm that it
prints as 〓; then :class:`DocumentPreviewDialog` shows the pages.

Pages are rasterised with pypdfium2 one at a time, when they come into view (preview) or
when they are sent to the printer (at the printer's resolution, up to
:data:`MAX_PRINT_DPI`). ``reports.pages.render_pages`` renders a whole document at once:
for a 40-page township notice at printer resolution that would hold gigabytes, so this
module opens the document once and renders page by page instead.

Every print, PDF export and posting goes through ``services.documents.record`` first —
who, what, when and how many copies (the privacy log), and the PDF archived — and only
then to the printer or the file: nothing with personal data leaves without a log line.
Printing a posted 公示 is recorded as ``publish``.

The printer is injectable (:attr:`DocumentPreviewDialog.printer_factory`, or
:meth:`DocumentPreviewDialog.print_to`), so tests print to a PDF file without a printer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.documents import AnyContent, DocumentKind, NoticeContent, Paper, kind_of
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.services.documents import ArchivedInfo, DocumentService
from ui.errors import show_error
from ui.i18n import tr_label, tr_message

if TYPE_CHECKING:
    from reports.glyphs import MissingGlyphs

log = logging.getLogger(__name__)

# reportlab, pypdfium2 and Pillow are imported when a document is first built or shown,
# not when the window starts (they cost about 0.3 s together; issue #10).
POINTS_PER_INCH = 72.0

_C = "DocumentPreview"

MAX_PRINT_DPI = 600
"""Pages go to the printer at its resolution, at most this (an A3 page at 600 dpi is
already 70 million pixels)."""
PAGE_GAP = 12
"""Grey space between and around the pages in the preview."""
PREVIEW_CACHE = 8
"""Rendered pages kept in memory while scrolling."""
PRINT_ACTION = "print"
PUBLISH_ACTION = "publish"
PDF_ACTION = "pdf"


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


@contextlib.contextmanager
def _busy() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


# ================================================================================ document
@dataclass(frozen=True, slots=True)
class PreviewDocument:
    """A built PDF and what the archive and the printer need to know about it."""

    pdf: bytes
    kind: DocumentKind
    number: str
    title: str
    file_name: str
    paper: Paper
    household_id: int | None = None
    print_action: str = PRINT_ACTION
    """``publish`` when printing puts a 公示 on the board (a posted notice)."""


def document_of(
    content: AnyContent,
    *,
    allow_missing: frozenset[str] = frozenset(),
    household_id: int | None = None,
    publish: bool = False,
) -> PreviewDocument:
    """Build ``content``; raises :class:`MissingGlyphs` for unconfirmed characters."""
    from reports.documents import build_document, file_name  # noqa: PLC0415 - see the top

    pdf = build_document(content, allow_missing=allow_missing)
    kind = kind_of(content)
    paper = content.paper if isinstance(content, NoticeContent) else Paper.A4_PORTRAIT
    return PreviewDocument(
        pdf=pdf,
        kind=kind,
        number=content.number,
        title=f"{tr_label('documents', kind.label)} {content.number}",
        file_name=file_name(content),
        paper=paper,
        household_id=household_id,
        print_action=PUBLISH_ACTION if publish else PRINT_ACTION,
    )


def archived_document(info: ArchivedInfo, pdf: bytes) -> PreviewDocument:
    """A stored PDF, to reprint exactly what was handed over, posted or signed."""
    pages = PdfPages(pdf)
    try:
        width, height = pages.size_points(0) if len(pages) else (595.0, 842.0)
    finally:
        pages.close()
    return PreviewDocument(
        pdf=pdf,
        kind=info.kind,
        number=info.number,
        title=info.title,
        file_name=f"{info.kind.code}-{info.number}-{info.created_at:%Y%m%d}.pdf",
        paper=paper_of_size(width, height),
        household_id=info.household_id,
    )


def paper_of_size(width: float, height: float) -> Paper:
    """The sheet of a page measured in points (A3 is 842 x 1191)."""
    if width <= height:
        return Paper.A4_PORTRAIT
    return Paper.A3_LANDSCAPE if width > 1000 else Paper.A4_LANDSCAPE


def page_layout(paper: Paper) -> QPageLayout:
    """A4/A3 and orientation of ``paper``, without margins (the PDF carries its own)."""
    size = QPageSize(
        QPageSize.PageSizeId.A3 if paper is Paper.A3_LANDSCAPE else QPageSize.PageSizeId.A4
    )
    orientation = (
        QPageLayout.Orientation.Portrait
        if paper is Paper.A4_PORTRAIT
        else QPageLayout.Orientation.Landscape
    )
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


# =============================================================================== pdfium
class PdfPages:
    """One open PDF rendered page by page (pypdfium2; GUI thread only)."""

    def __init__(self, pdf: bytes) -> None:
        import pypdfium2 as pdfium  # noqa: PLC0415 - see the top of the module

        self._doc = pdfium.PdfDocument(pdf)
        self._sizes = [self._doc.get_page_size(i) for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self._sizes)

    def size_points(self, index: int) -> tuple[float, float]:
        width, height = self._sizes[index]
        return float(width), float(height)

    def image(self, index: int, dpi: float, *, grayscale: bool = False) -> QImage:
        """Page ``index`` at ``dpi`` as a QImage that owns its pixels."""
        with self._bitmap(index, dpi, grayscale=grayscale) as image:
            return image.copy()

    @contextlib.contextmanager
    def _bitmap(self, index: int, dpi: float, *, grayscale: bool) -> Iterator[QImage]:
        """A QImage over pdfium's own buffer, valid inside the ``with`` only (no copy)."""
        page = self._doc[index]
        try:
            if grayscale:
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
                fmt = QImage.Format.Format_Grayscale8
            else:
                bitmap = page.render(
                    scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True
                )
                fmt = QImage.Format.Format_RGBX8888
            try:
                yield QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
            finally:
                bitmap.close()
        finally:
            page.close()

    def paint(self, painter: QPainter, index: int, target: QRect, dpi: float) -> None:
        """Draw page ``index`` into ``target`` (device pixels), rendered at ``dpi``."""
        with self._bitmap(index, dpi, grayscale=True) as image:
            painter.drawImage(target, image)

    def close(self) -> None:
        self._doc.close()


# ============================================================================== printing
class PrintError(DeskAppError):
    """The printer could not be opened (switched off, unplugged, file not writable)."""


def print_pages(
    pages: PdfPages,
    printer: QPrinter,
    progress: Callable[[int, int], bool] = lambda _done, _total: True,
) -> int:
    """Paint the pages on ``printer``; return the number of sheets sent.

    Copies: a printer that makes copies itself (CUPS) is told the count; otherwise (PDF
    output, some drivers) each copy is painted here, collated as the dialog asked.
    ``progress(done, total)`` is called before each sheet; False cancels the job.
    """
    count = len(pages)
    first, last = 1, count
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
    order = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if printer.collateCopies():
        sequence = order * copies
    else:
        sequence = [i for i in order for _ in range(copies)]
    dpi = float(min(printer.resolution(), MAX_PRINT_DPI))
    paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            Message(
                "errors",
                QT_TRANSLATE_NOOP("errors", "无法开始打印：请检查打印机是否已连接、开机，或输出文件能否写入。"),
            )
        )  # fmt: skip
    try:
        for n, index in enumerate(sequence):
            if not progress(n, len(sequence)):
                printer.abort()
                return n
            if n:
                printer.newPage()
            width, height = pages.size_points(index)
            pages.paint(painter, index, _fit(paper, width, height), dpi)
        progress(len(sequence), len(sequence))
    finally:
        painter.end()
    return len(sequence)


def _fit(area: QRect, width: float, height: float) -> QRect:
    """The largest rectangle of the page's proportions centred in ``area``."""
    scale = min(area.width() / width, area.height() / height)
    w, h = round(width * scale), round(height * scale)
    return QRect(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2, w, h)


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write through a temporary file in the same folder: never a half-written PDF."""
    fd, tmp = tempfile.mkstemp(prefix=".desk-app-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ============================================================================== the view
class PagesView(QWidget):
    """Every page one under another, rendered when it comes into view."""

    def __init__(self, pages: PdfPages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        self.scale = 96.0 / POINTS_PER_INCH  # device-independent pixels per point
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()
        self._rects: list[QRect] = []
        self.setAutoFillBackground(False)
        self._layout()

    def set_scale(self, scale: float) -> None:
        if abs(scale - self.scale) < 1e-6:
            return
        self.scale = scale
        self._cache.clear()
        self._layout()
        self.update()

    def _layout(self) -> None:
        self._rects = []
        y = PAGE_GAP
        widest = 0
        for i in range(len(self.pages)):
            w, h = self.pages.size_points(i)
            rect = QRect(0, y, round(w * self.scale), round(h * self.scale))
            self._rects.append(rect)
            widest = max(widest, rect.width())
            y += rect.height() + PAGE_GAP
        for rect in self._rects:  # centre each page on the widest
            rect.moveLeft(PAGE_GAP + (widest - rect.width()) // 2)
        self.setFixedSize(QSize(widest + 2 * PAGE_GAP, y))

    def page_rect(self, index: int) -> QRect:
        return QRect(self._rects[index])

    def page_at(self, y: int) -> int:
        """The page shown at height ``y`` (the nearer one in a gap)."""
        for i, rect in enumerate(self._rects):
            if y < rect.bottom() + PAGE_GAP // 2:
                return i
        return max(0, len(self._rects) - 1)

    def rendered(self) -> list[int]:
        """Pages held rendered now (tests; the rest render when scrolled to)."""
        return list(self._cache)

    def pixmap(self, index: int) -> QPixmap:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        ratio = self.devicePixelRatioF()
        dpi = self.scale * POINTS_PER_INCH * ratio
        pixmap = QPixmap.fromImage(self.pages.image(index, dpi))
        pixmap.setDevicePixelRatio(ratio)
        self._cache[index] = pixmap
        while len(self._cache) > PREVIEW_CACHE:
            self._cache.popitem(last=False)
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#8a8f96"))
        for i, rect in enumerate(self._rects):
            if not rect.intersects(event.rect()):
                continue
            painter.fillRect(rect.translated(3, 3), QColor("#5f646b"))  # a little shadow
            painter.drawPixmap(rect, self.pixmap(i))
        painter.end()


class DocumentPreviewDialog(QDialog):
    """Pages of one document with 打印…, 另存为 PDF… and 关闭.

    Args:
        document: the built PDF (:func:`document_of`, :func:`archived_document`).
        documents: ``services.documents``: every print and export is recorded there.
        parent: Qt parent.

    :attr:`printer_factory` makes the printer for 打印… (tests give a PDF-file printer).
    :attr:`recorded` lists the archive entries this dialog made, newest last.
    """

    def __init__(
        self,
        document: PreviewDocument,
        documents: DocumentService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._documents = documents
        self.printer_factory: Callable[[], QPrinter] = lambda: QPrinter(
            QPrinter.PrinterMode.HighResolution
        )
        self.recorded: list[ArchivedInfo] = []
        self.print_dialog: QPrintDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.pages = PdfPages(document.pdf)
        self.setWindowTitle(_tr("文书预览 — {title}").format(title=document.title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.view = PagesView(self.pages)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("previewScroll")
        self.scroll_area.setWidget(self.view)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setStyleSheet("QScrollArea { background: #8a8f96; }")
        self.scroll_area.verticalScrollBar().valueChanged.connect(
            lambda _v: self._update_page_label()
        )

        self.fit_button = QPushButton(_tr("适合宽度(&W)"))
        self.actual_button = QPushButton(_tr("实际大小(&A)"))
        zoom = QButtonGroup(self)
        for button in (self.fit_button, self.actual_button):
            button.setCheckable(True)
            button.setAutoDefault(False)
            zoom.addButton(button)
        self.fit_button.setChecked(True)
        self.fit_button.toggled.connect(lambda _on: self._apply_zoom())
        self.page_label = QLabel()
        self.page_label.setObjectName("pageLabel")
        info = QLabel(
            _tr("{kind}　{number}").format(
                kind=tr_label("documents", document.kind.label), number=document.number
            )
        )
        info.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(info)
        top.addStretch(1)
        top.addWidget(self.page_label)
        top.addSpacing(16)
        top.addWidget(self.fit_button)
        top.addWidget(self.actual_button)

        self.print_button = QPushButton(_tr("打印(&P)…"))
        self.print_button.setDefault(True)
        self.save_button = QPushButton(_tr("另存为 PDF(&S)…"))
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton(_tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.ask_print)
        self.save_button.clicked.connect(self.ask_save)
        self.close_button.clicked.connect(self.reject)
        note = QLabel(_tr("打印和导出都会登记经办人、时间和份数，并存档原件。"))
        note.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.ask_print)
        QShortcut(QKeySequence(QKeySequence.StandardKey.SaveAs), self, self.ask_save)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.ask_save)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.finished.connect(lambda _r: self.pages.close())
        self._size_to_screen()
        self._apply_zoom()

    # ------------------------------------------------------------------ view
    def _size_to_screen(self) -> None:
        screen = self.screen() or QApplication.primaryScreen()
        available = screen.availableGeometry() if screen else QRect(0, 0, 1366, 768)
        self.resize(min(1000, int(available.width() * 0.9)), int(available.height() * 0.92))

    def page_count(self) -> int:
        return len(self.pages)

    def current_page(self) -> int:
        """1-based number of the page at the top third of the viewport."""
        viewport = self.scroll_area.viewport().height()
        y = self.scroll_area.verticalScrollBar().value() + viewport // 3
        return self.view.page_at(y) + 1

    def _update_page_label(self) -> None:
        self.page_label.setText(
            _tr("第 {page} 页 共 {count} 页").format(
                page=self.current_page(), count=self.page_count()
            )
        )

    def _apply_zoom(self) -> None:
        if self.fit_button.isChecked():
            widest = max((self.pages.size_points(i)[0] for i in range(len(self.pages))), default=1)
            # From the area's own width, not the viewport's: that one changes as the
            # scroll bars come and go, and fit width must not change with them.
            room = self.scroll_area.width() - 2 * self.scroll_area.frameWidth() - 2 * PAGE_GAP
            room -= self.scroll_area.verticalScrollBar().sizeHint().width()
            self.view.set_scale(max(0.2, room / widest))
        else:
            self.view.set_scale(self.logicalDpiX() / POINTS_PER_INCH)
        self._update_page_label()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_button.isChecked():
            self._apply_zoom()

    def scroll_to_page(self, page: int) -> None:
        """Show page ``page`` (1-based) at the top."""
        rect = self.view.page_rect(max(0, min(page - 1, self.page_count() - 1)))
        self.scroll_area.verticalScrollBar().setValue(rect.top() - PAGE_GAP)
        self.scroll_area.ensureVisible(0, rect.top(), 0, 0)
        self._update_page_label()

    # ------------------------------------------------------------------ print
    def make_printer(self) -> QPrinter:
        printer = self.printer_factory()
        printer.setPageLayout(page_layout(self.document.paper))
        printer.setFullPage(True)
        printer.setDocName(self.document.file_name.removesuffix(".pdf"))
        printer.setFromTo(0, 0)
        return printer

    def ask_print(self) -> QPrintDialog:
        """打印…: the system print dialog (window-modal), then :meth:`print_to`."""
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_tr("打印 {title}").format(title=self.document.title))
        dialog.setOptions(
            QAbstractPrintDialog.PrintDialogOption.PrintToFile
            | QAbstractPrintDialog.PrintDialogOption.PrintPageRange
            | QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies
            | QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize
        )
        dialog.setMinMax(1, self.page_count())
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.finished.connect(lambda _r: setattr(self, "print_dialog", None))
        dialog.finished.connect(dialog.deleteLater)
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() wants a receiver in PySide6
        return dialog

    def print_to(self, printer: QPrinter) -> ArchivedInfo | None:
        """Record the print (with the copies asked for), then paint every page."""
        copies = max(1, printer.copyCount())
        info = self.record(self.document.print_action, copies)
        if info is None:
            return None
        bar = QProgressDialog(_tr("正在送往打印机…"), _tr("取消"), 0, 1, self)
        bar.setWindowTitle(_tr("打印"))
        bar.setWindowModality(Qt.WindowModality.WindowModal)
        bar.setMinimumDuration(500)  # a one-page receipt never flashes it

        def progress(done: int, total: int) -> bool:
            bar.setMaximum(total)
            bar.setLabelText(_tr("正在送往打印机：第 {done} 张，共 {total} 张").format(
                done=min(done + 1, total), total=total))  # fmt: skip
            bar.setValue(done)  # a window-modal bar processes events here (cancel)
            return not bar.wasCanceled()

        try:
            with _busy():
                sheets = print_pages(self.pages, printer, progress)
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        finally:
            bar.close()
            bar.deleteLater()
        log.info("document printed: %s, %d sheets", self.document.kind.value, sheets)
        return info

    # ------------------------------------------------------------------ save
    def ask_save(self) -> QFileDialog:
        """另存为 PDF…: a file dialog (window-modal), then :meth:`save_to`."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        dialog = QFileDialog(self, _tr("另存为 PDF"), str(Path(folder) / self.document.file_name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_tr("PDF 文件 (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_to(Path(path)))
        dialog.finished.connect(lambda _r: setattr(self, "file_dialog", None))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save_to(self, path: Path) -> ArchivedInfo | None:
        """Record the export, then write the very bytes that were previewed."""
        info = self.record(PDF_ACTION, 1)
        if info is None:
            return None
        try:
            write_pdf(path, self.document.pdf)
        except OSError as exc:
            show_error(self, exc)
            return None
        return info

    def record(self, action: str, copies: int) -> ArchivedInfo | None:
        """Log ``action`` (who, what, when, copies) and archive the PDF; None if refused."""
        d = self.document
        try:
            info = self._documents.record(
                d.kind, d.number, d.title, d.pdf, self.page_count(), action,
                household_id=d.household_id, copies=copies,
            )  # fmt: skip
        except DeskAppError as exc:
            show_error(self, exc)
            return None
        self.recorded.append(info)
        return info


# ========================================================================= missing glyphs
class MissingGlyphsDialog(QDialog):
    """The characters the fonts lack, each large with its code and where it occurs.

    返回修改 (reject) goes back to the form; 确认打印 (accept) builds the document with
    those characters printed as 〓 and opens the preview (:attr:`preview`).
    """

    def __init__(
        self,
        error: MissingGlyphs,
        content: AnyContent,
        open_with: Callable[[frozenset[str]], object],
        parent: QWidget | None = None,
    ) -> None:
        from reports.glyphs import PLACEHOLDER, texts_of  # noqa: PLC0415 - loaded by the build

        super().__init__(parent)
        self.chars = error.chars
        self._open_with = open_with
        self.preview: object = None
        """What confirming opened: normally the :class:`DocumentPreviewDialog`."""
        self.setWindowTitle(_tr("有字符无法打印"))
        intro = QLabel(tr_message(error.message))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.chars_label = QLabel("　".join(self.chars))
        self.chars_label.setObjectName("missingChars")
        self.chars_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.chars_label.font())
        big.setPointSizeF(big.pointSizeF() * 3)
        self.chars_label.setFont(big)
        self.chars_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chars_label.setStyleSheet(
            "background: #fff8e1; border: 1px solid #e0c070; padding: 8px;"
        )
        texts = [t for t in dict.fromkeys(texts_of(content)) if any(c in t for c in self.chars)]
        lines = [_tr("“{char}”　编码 U+{code:04X}").format(char=c, code=ord(c)) for c in self.chars]
        lines.append(_tr("出现在："))
        lines.extend(f"　{t[:60]}" for t in texts[:8])
        self.where_label = QLabel("\n".join(lines))
        self.where_label.setObjectName("missingWhere")
        self.where_label.setTextFormat(Qt.TextFormat.PlainText)
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(
            _tr(
                "上面的字如显示为方框，说明本机也没有该字的字体，请按编码核对。"
                "确认打印后该处印为“{mark}”，请在纸上手工补写。"
            ).format(mark=PLACEHOLDER)
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")

        box = QDialogButtonBox()
        self.back_button = box.addButton(
            _tr("返回修改(&B)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.confirm_button = box.addButton(
            _tr("确认，印为“{mark}”(&Y)").format(mark=PLACEHOLDER),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.back_button.setDefault(True)  # the safe choice: fix the text
        box.rejected.connect(self.reject)
        box.accepted.connect(self._on_confirm)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.chars_label)
        layout.addWidget(self.where_label)
        layout.addWidget(hint)
        layout.addWidget(box)
        self.resize(520, self.sizeHint().height())

    def _on_confirm(self) -> None:
        self.accept()
        self.preview = self._open_with(frozenset(self.chars))


# ============================================================================ entry point
Opened = DocumentPreviewDialog | MissingGlyphsDialog | None


def open_preview(
    parent: QWidget,
    documents: DocumentService,
    content: AnyContent,
    *,
    household_id: int | None = None,
    publish: bool = False,
    archive_on_open: str | None = None,
) -> Opened:
    """Build ``content`` and show it (window-modal, non-blocking).

    Returns the preview, or the :class:`MissingGlyphsDialog` asked first when the fonts
    lack a character (its :attr:`~MissingGlyphsDialog.preview` follows a confirm), or
    None when the document cannot be built. ``archive_on_open``: an action recorded as
    soon as the document is built (``publish`` when a notice is posted).
    """

    def open_with(allow: frozenset[str]) -> Opened:
        from reports.glyphs import MissingGlyphs  # noqa: PLC0415 - see the top of the module

        try:
            with _busy():
                document = document_of(
                    content, allow_missing=allow, household_id=household_id, publish=publish
                )
        except MissingGlyphs as exc:
            glyphs = MissingGlyphsDialog(exc, content, open_with, parent)
            glyphs.finished.connect(glyphs.deleteLater)
            glyphs.open()
            return glyphs
        except DeskAppError as exc:
            show_error(parent, exc)
            return None
        dialog = DocumentPreviewDialog(document, documents, parent)
        if archive_on_open is not None and dialog.record(archive_on_open, 1) is None:
            dialog.deleteLater()
            return None
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    return open_with(frozenset())


def open_archived(
    parent: QWidget, documents: DocumentService, info: ArchivedInfo
) -> DocumentPreviewDialog | None:
    """Preview a stored document to reprint it byte for byte."""
    try:
        pdf = documents.archived_pdf(info.id)
    except DeskAppError as exc:
        show_error(parent, exc)
        return None
    dialog = DocumentPreviewDialog(archived_document(info, pdf), documents, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
