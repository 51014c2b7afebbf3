"""The one place for fonts, sizes, margins, colours and table styles of printed documents.

Faces: the bundled Song (宋体 role) for formal text and the bundled Hei (黑体 role) for
titles and table heads — a hall PC has no CJK font of its own, and the fonts are embedded
(subset) in every PDF so the archived copy looks the same on any viewer (feasibility §2).
Sizes follow the usual 号 of Chinese forms: 小二 18 pt titles, 四号 14 pt subtitles,
小四 12 pt body, 五号 10.5 pt table cells, 小五 9 pt notes and page numbers.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A3, A4, landscape, portrait  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from desk_app.domain.documents import Paper
from resources import DOCUMENT_FONT_FILE, UI_FONT_FILE

SONG = "DeskSong"
"""reportlab name of the Song face (formal text)."""
HEI = "DeskHei"
"""reportlab name of the Hei face (titles, table heads)."""

FONT_FILES: dict[str, str] = {SONG: DOCUMENT_FONT_FILE.name, HEI: UI_FONT_FILE.name}


class FontFileMissingError(RuntimeError):
    """The installation lacks a bundled font: nothing Chinese could be printed."""


def font_path(file_name: str) -> Path:
    """Where a bundled font lives: the ``resources`` package, or a PyInstaller bundle.

    ``resources`` finds itself from its own ``__file__``, which PyInstaller also sets inside
    a one-folder build; ``sys._MEIPASS`` is the fallback when the fonts were added as data
    files next to the bundle rather than inside the package.
    """
    candidates = [DOCUMENT_FONT_FILE.parent / file_name]
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        candidates.append(Path(bundle) / "resources" / "fonts" / file_name)
    for path in candidates:
        if path.is_file():
            return path
    raise FontFileMissingError(f"bundled font {file_name} not found in {candidates}")


@functools.cache
def register_fonts() -> dict[str, TTFont]:
    """Register both faces with reportlab once per process (about 0.4 s: 22 MB of fonts)."""
    faces: dict[str, TTFont] = {}
    for name, file_name in FONT_FILES.items():
        face = TTFont(name, str(font_path(file_name)))
        pdfmetrics.registerFont(face)
        faces[name] = face
    return faces


# ----------------------------------------------------------------------------- paper
PAGE_SIZES: dict[Paper, tuple[float, float]] = {
    Paper.A4_PORTRAIT: portrait(A4),
    Paper.A4_LANDSCAPE: landscape(A4),
    Paper.A3_LANDSCAPE: landscape(A3),
}


@dataclass(frozen=True, slots=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


# Forms keep a wider left margin for the binding holes of the household file (一户一档);
# notices on a board need no binding and use the sheet.
MARGINS: dict[Paper, Margins] = {
    Paper.A4_PORTRAIT: Margins(top=20 * mm, bottom=18 * mm, left=25 * mm, right=20 * mm),
    Paper.A4_LANDSCAPE: Margins(top=15 * mm, bottom=15 * mm, left=15 * mm, right=15 * mm),
    Paper.A3_LANDSCAPE: Margins(top=20 * mm, bottom=20 * mm, left=20 * mm, right=20 * mm),
}

FOOTER_OFFSET = 8 * mm
"""Distance of the page-number line from the sheet's bottom edge."""


def frame_width(paper: Paper) -> float:
    m = MARGINS[paper]
    return float(PAGE_SIZES[paper][0] - m.left - m.right)


# ---------------------------------------------------------------------- sizes, colours
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 14.0
BODY_SIZE = 12.0
CELL_SIZE = 10.5
SMALL_SIZE = 9.0

SCALE: dict[Paper, float] = {
    Paper.A4_PORTRAIT: 1.0,
    Paper.A4_LANDSCAPE: 1.0,
    # A3 is read from a step back on a notice board: everything 1.4× (A3 is √2 × A4).
    Paper.A3_LANDSCAPE: 1.4,
}

INK = colors.black
RULE = colors.black
HEAD_FILL = colors.HexColor("#E8E8E8")
"""Table-head fill: light enough for a cheap laser printer, dark enough to tell apart."""
NOTE_INK = colors.HexColor("#333333")

GRID_WIDTH = 0.6
OUTER_WIDTH = 1.0
CELL_PAD_X = 4.0
CELL_PAD_Y = 3.0


# ----------------------------------------------------------------------- paragraphs
@dataclass(frozen=True, slots=True)
class Styles:
    """Every paragraph style a document uses, at one scale."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    number: ParagraphStyle
    """Document number under the title, right-aligned."""
    heading: ParagraphStyle
    """Section heading inside a document (一、二、…), Hei."""
    body: ParagraphStyle
    """Running text with a two-character first-line indent."""
    plain: ParagraphStyle
    """Body size, no indent."""
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    cell_label: ParagraphStyle
    """Label cell of a form (姓名、身份证号码 …), centred Song."""
    small: ParagraphStyle
    right: ParagraphStyle
    """Signature, seal and date lines at the right."""
    footer: ParagraphStyle


def _style(name: str, font: str, size: float, **kw: object) -> ParagraphStyle:
    # wordWrap='CJK' breaks lines between any two Chinese characters and keeps closing
    # punctuation off the start of a line (feasibility §2).
    settings: dict[str, object] = {
        "fontName": font,
        "fontSize": size,
        "leading": round(size * 1.5, 1),
        "textColor": INK,
        "wordWrap": "CJK",
    }
    settings.update(kw)
    return ParagraphStyle(name, **settings)


@functools.cache
def styles_for(paper: Paper) -> Styles:
    """Paragraph styles for a sheet; A3 notices get everything larger."""
    register_fonts()
    k = SCALE[paper]
    return Styles(
        title=_style("title", HEI, TITLE_SIZE * k, alignment=TA_CENTER, spaceAfter=4 * k),
        subtitle=_style("subtitle", HEI, SUBTITLE_SIZE * k, alignment=TA_CENTER, spaceAfter=2 * k),
        number=_style("number", SONG, CELL_SIZE * k, alignment=TA_RIGHT, spaceAfter=4 * k),
        heading=_style(
            "heading", HEI, BODY_SIZE * k, spaceBefore=6 * k, spaceAfter=2 * k, keepWithNext=1
        ),
        body=_style(
            "body", SONG, BODY_SIZE * k, alignment=TA_JUSTIFY, firstLineIndent=2 * BODY_SIZE * k
        ),
        plain=_style("plain", SONG, BODY_SIZE * k, alignment=TA_LEFT),
        cell=_style("cell", SONG, CELL_SIZE * k, alignment=TA_LEFT),
        cell_center=_style("cell_center", SONG, CELL_SIZE * k, alignment=TA_CENTER),
        cell_head=_style("cell_head", HEI, CELL_SIZE * k, alignment=TA_CENTER),
        cell_label=_style("cell_label", SONG, CELL_SIZE * k, alignment=TA_CENTER),
        small=_style("small", SONG, SMALL_SIZE * k, alignment=TA_LEFT, textColor=NOTE_INK),
        right=_style("right", SONG, BODY_SIZE * k, alignment=TA_RIGHT),
        footer=_style("footer", SONG, SMALL_SIZE, alignment=TA_CENTER),
    )


# ---------------------------------------------------------------------- table styles
def grid_style(header_rows: int = 1) -> list[tuple[object, ...]]:
    """A bordered table: thin inner grid, heavier outer box, shaded head rows."""
    commands: list[tuple[object, ...]] = [
        # Every cell names a bundled face, else reportlab sets Helvetica for it and the PDF
        # carries an unembedded font reference.
        ("FONT", (0, 0), (-1, -1), SONG, CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, RULE),
        ("BOX", (0, 0), (-1, -1), OUTER_WIDTH, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL))
    return commands


def form_style() -> list[tuple[object, ...]]:
    """A form grid (label | value cells): the same lines, no shaded head."""
    return grid_style(header_rows=0)


SIGN_ROW_HEIGHT = 11 * mm
"""Room for a hand signature or a fingerprint (按手印) in a signature row."""
SEAL_SPACE = 28 * mm
"""Room above a 盖章 line for a 42 mm round seal to overlap the text, as seals do."""
CUT_DASH = (4, 3)
"""Dash pattern (on, off in points) of the tear-off line of the referral slip."""
