"""Assembling a document: the page template, page numbers, and the form's building blocks.

Every builder hands a list of flowables to :func:`render_pdf`, which lays them out in
reportlab's invariant mode — no clock, no random ID, so the same content always gives the
same bytes and an archived document can be re-made exactly (issue #6: "reproducible
byte-for-byte from stored data"). The PDF creation date is the document's own date.

Looks (sizes, lines, fonts) come from :mod:`reports.styles` only.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desk_app.domain.documents import Paper, Signatory
from desk_app.domain.ids import mask_id_number
from reports import styles as st


@dataclass(frozen=True, slots=True)
class PdfMeta:
    """What the PDF says about itself (File → Properties) and in its footer."""

    title: str
    author: str
    """The issuing township or office."""
    subject: str
    """The document's number."""
    document_date: dt.date
    keywords: str = ""
    footer_left: str = ""
    """Small text at the left of every footer (the number), so loose pages can be matched."""


def _pdf_date(day: dt.date) -> str:
    # China Standard Time has no daylight saving: +08'00' is always right for a hall.
    at = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time())
    return f"D:{at:%Y%m%d%H%M%S}+08'00'"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Two-pass page numbers: pages are kept until ``save`` knows the total (第 X 页 共 Y 页)."""

    def __init__(self, *args: Any, meta: PdfMeta, paper: Paper, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._meta = meta
        self._margins = st.MARGINS[paper]
        self._footer_size = st.SMALL_SIZE * st.SCALE[paper]
        self._pages: list[dict[str, Any]] = []
        stamp = _pdf_date(meta.document_date)
        self.setDateFormatter(lambda *_parts: stamp)
        self.setTitle(meta.title)
        self.setAuthor(meta.author)
        self.setSubject(meta.subject)
        self.setCreator("desk_app")
        self.setKeywords(meta.keywords)

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFont(st.SONG, self._footer_size)
        self.setFillColor(st.NOTE_INK)
        self.drawCentredString(width / 2, st.FOOTER_OFFSET, f"第 {number} 页 共 {total} 页")
        if self._meta.footer_left:
            self.drawString(self._margins.left, st.FOOTER_OFFSET, self._meta.footer_left)
        self.restoreState()


def render_pdf(story: Sequence[Flowable], *, paper: Paper, meta: PdfMeta) -> bytes:
    """Lay out ``story`` on ``paper`` and return the PDF bytes (invariant mode)."""
    st.register_fonts()
    margins = st.MARGINS[paper]
    size = st.PAGE_SIZES[paper]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator="desk_app",
        invariant=1,
        pageCompression=1,
        # Without this the canvas starts in Helvetica and the PDF lists an unembedded font.
        initialFontName=st.SONG,
    )
    frame = Frame(
        margins.left,
        margins.bottom,
        size[0] - margins.left - margins.right,
        size[1] - margins.top - margins.bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def canvas_maker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, meta=meta, paper=paper, **kwargs)

    doc.build(list(story), canvasmaker=canvas_maker)
    return buffer.getvalue()


# ------------------------------------------------------------------------ text helpers
_IDEOGRAPHIC_SPACE = "\u3000"
_EM_OF_NBSP = "\xa0" * 4
"""Four no-break spaces are one em in the bundled faces (3.07 pt each at 12 pt)."""


def esc(text: str) -> str:
    """Plain text to Paragraph markup: escape &<>, keep line breaks and blank runs.

    A Paragraph collapses every run of whitespace, the ideographic space of blank form
    fields (　　年　　月　　日) included; no-break spaces survive, so each ideographic space
    becomes an em of them.
    """
    return escape(text).replace("\n", "<br/>").replace(_IDEOGRAPHIC_SPACE, _EM_OF_NBSP)


def para(text: str, style: Any) -> Paragraph:
    return Paragraph(esc(text), style)


def cn_date(day: dt.date) -> str:
    """2024年7月15日 — dates on Chinese forms are written out, never ISO."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def cn_datetime(at: dt.datetime) -> str:
    return f"{cn_date(at.date())} {at:%H:%M}"


def yuan(amount: Decimal) -> str:
    """Money in 元 with two decimals and thousands separators (1,064.00)."""
    return f"{amount:,.2f}"


BLANK_DATE = "　　　　年　　月　　日"
"""An empty date for the signer to fill in (年 月 日 blanks)."""
BLANK = "＿＿＿＿＿＿＿＿"
"""An empty line to write on."""


def id_text(id_number: str, full: bool) -> str:
    """An ID number as a form prints it: masked unless the form opted in (documents.py)."""
    if not id_number:
        return ""
    return id_number if full else mask_id_number(id_number)


def checkbox_line(options: Sequence[str], chosen: Sequence[str]) -> str:
    """■ for a chosen option, □ for the others: the tick boxes of a paper form."""
    return "　".join(("■" if o in chosen else "□") + o for o in options)


# ---------------------------------------------------------------------- block helpers
def title_block(s: st.Styles, title: str, number: str = "") -> list[Flowable]:
    blocks: list[Flowable] = [Paragraph(esc(title), s.title)]
    if number:
        blocks.append(Paragraph(esc(number), s.number))
    else:
        blocks.append(Spacer(1, 4))
    return blocks


Cell: TypeAlias = "str | Flowable"
"""A table cell: plain text (wrapped as needed) or a ready flowable."""


def _cell(value: Cell, style: Any) -> Flowable:
    return Paragraph(esc(value), style) if isinstance(value, str) else value


def form_table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    s: st.Styles,
    *,
    label_columns: Sequence[int] = (0,),
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A bordered label/value form: label cells centred, value cells left-aligned."""
    data = [
        [_cell(v, s.cell_label if c in label_columns else s.cell) for c, v in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=list(widths), rowHeights=row_heights)
    commands = st.form_style()
    commands.extend(("SPAN", a, b) for a, b in spans)
    table.setStyle(TableStyle(commands))
    return table


def _fits(text: str, style: Any, width: float) -> bool:
    if "\n" in text or _IDEOGRAPHIC_SPACE in text:
        return False
    return float(stringWidth(text, style.fontName, style.fontSize)) <= width - 2 * st.CELL_PAD_X


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    s: st.Styles,
    *,
    center_columns: Sequence[int] = (),
    extra: Sequence[tuple[object, ...]] = (),
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A bordered list with a head row repeated on every page (``repeatRows=1``).

    A cell whose text fits on one line is drawn as a plain string in the cell font: a
    Paragraph per cell costs about three times as much, and a 1,000-household notice has
    7,000 cells. Text that needs wrapping still becomes a CJK-wrapping Paragraph.
    """
    data: list[list[Flowable | str]] = [[Paragraph(esc(h), s.cell_head) for h in header]]
    for row in rows:
        cells: list[Flowable | str] = []
        for c, value in enumerate(row):
            style = s.cell_center if c in center_columns else s.cell
            if isinstance(value, str) and _fits(value, style, widths[c]):
                cells.append(value)
            else:
                cells.append(_cell(value, style))
        data.append(cells)
    heights = None if row_heights is None else [None, *row_heights]
    table = Table(data, colWidths=list(widths), repeatRows=1, rowHeights=heights)
    body: list[tuple[object, ...]] = [
        ("FONT", (0, 1), (-1, -1), s.cell.fontName, s.cell.fontSize, s.cell.leading),
        *(("ALIGN", (c, 1), (c, -1), "CENTER") for c in center_columns),
    ]
    table.setStyle(TableStyle([*st.grid_style(1), *body, *extra]))
    return table


def signature_table(signatories: Sequence[Signatory], s: st.Styles, width: float) -> Table:
    """One bordered row per party: capacity, name, room to sign or seal, date."""
    rows: list[list[Cell]] = [
        [p.role, p.name, "（盖章）" if p.seal else "", "　　年　月　日"] for p in signatories
    ]
    return grid_table(
        ["签约方", "姓名（名称）", "签字（按手印）或盖章", "日期"],
        rows,
        [width * f for f in (0.28, 0.26, 0.26, 0.20)],
        s,
        center_columns=(1, 2, 3),
        row_heights=[st.SIGN_ROW_HEIGHT] * len(rows),
    )


def seal_block(s: st.Styles, issuer: str, date_text: str) -> KeepTogether:
    """The issuer and date at the right, with room above for the round seal (盖章)."""
    return KeepTogether(
        [
            Spacer(1, st.SEAL_SPACE * 0.35),
            Paragraph(esc(f"{issuer}（盖章）"), s.right),
            Paragraph(esc(date_text), s.right),
        ]
    )


def sign_line(s: st.Styles, role: str, name: str = "") -> Paragraph:
    """``申请人（签字或按手印）：＿＿＿＿　　年　月　日`` at the right."""
    shown = name or BLANK
    return Paragraph(esc(f"{role}：{shown}　　{BLANK_DATE}"), s.right)


class CutLine(Flowable):  # type: ignore[misc]
    """A dashed line across the frame with a centred note: where the return slip is torn off."""

    def __init__(self, note: str, height: float = 14.0) -> None:
        super().__init__()
        self.note = note
        self.height = height
        self.width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        mid = self.height / 2
        text_width = c.stringWidth(self.note, st.SONG, st.SMALL_SIZE) + 12
        left_end = (self.width - text_width) / 2
        c.saveState()
        c.setDash(*st.CUT_DASH)
        c.setLineWidth(st.GRID_WIDTH)
        c.line(0, mid, left_end, mid)
        c.line(left_end + text_width, mid, self.width, mid)
        c.setDash()
        c.setFont(st.SONG, st.SMALL_SIZE)
        c.drawCentredString(self.width / 2, mid - st.SMALL_SIZE / 3, self.note)
        c.restoreState()
