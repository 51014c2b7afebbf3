"""Read back a built PDF: text per page and page images (pypdfium2).

The window previews documents with these images (QPdfView is not in PySide6-Essentials),
and the tests use the text to compare with golden references and to prove that a 公示
carries no private data. Qt-free: images are Pillow images the UI converts itself.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

POINTS_PER_INCH = 72.0


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, lines separated by ``\\n``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        texts: list[str] = []
        for page in doc:
            textpage = page.get_textpage()
            try:
                raw = str(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
            texts.append(raw.replace("\r\n", "\n").replace("\r", "\n"))
        return texts
    finally:
        doc.close()


def render_pages(pdf: bytes, dpi: float = 96.0) -> list[Image.Image]:
    """Every page as an RGB image at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        images: list[Image.Image] = []
        for page in doc:
            try:
                bitmap = page.render(scale=dpi / POINTS_PER_INCH)
                image: Image.Image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                page.close()
            images.append(image)
        return images
    finally:
        doc.close()


def ink_share(image: Image.Image, threshold: int = 200) -> float:
    """Share of pixels darker than ``threshold``: near 0 means a blank page."""
    grey = image.convert("L")
    histogram = grey.histogram()
    dark = sum(histogram[:threshold])
    return dark / float(grey.width * grey.height)
