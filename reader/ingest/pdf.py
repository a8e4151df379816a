"""PDF files, born-digital or scanned, read with PyMuPDF."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from reader.ingest.base import (
    BrokenFile,
    EncryptedFile,
    Extracted,
    ExtractedPage,
    Limits,
    TooLargeFile,
)

# A page whose text layer has fewer characters than this is treated as a scan.
MIN_TEXT_CHARS = 20

pymupdf.TOOLS.mupdf_display_errors(False)


def open_pdf(path: Path) -> pymupdf.Document:
    """The PDF at `path`, open for reading, or a clear reason why it cannot be read."""
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise BrokenFile("damaged or not a PDF: MuPDF cannot read its structure") from exc
    if document.needs_pass:
        document.close()
        raise EncryptedFile("encrypted: it needs its password to open")
    if document.page_count == 0:
        document.close()
        raise BrokenFile("damaged PDF: it has no readable pages")
    return document


def extract_pdf(path: Path, limits: Limits) -> Extracted:
    document = open_pdf(path)
    try:
        if document.page_count > limits.max_pages:
            raise TooLargeFile(
                f"too large: {document.page_count} pages (the limit is {limits.max_pages})"
            )
        pages = [_extract_page(page, limits) for page in document]
        metadata = document.metadata or {}
    except (TooLargeFile, BrokenFile):
        raise
    except Exception as exc:
        raise BrokenFile(f"damaged PDF: {exc}") from exc
    finally:
        document.close()
    return Extracted(
        media_type="application/pdf",
        title=_clean_title(metadata.get("title", "")),
        authors=[a.strip() for a in metadata.get("author", "").split(";") if a.strip()],
        # The PDF's creationDate is when it was scanned or typeset, not the document's date.
        pages=pages,
    )


def _extract_page(page: pymupdf.Page, limits: Limits) -> ExtractedPage:
    text = page.get_text()
    needs_ocr = len(text.strip()) < MIN_TEXT_CHARS and bool(page.get_images())
    for image in page.get_images():
        width, height = image[2], image[3]
        if width * height > limits.max_image_pixels:
            raise TooLargeFile(
                f"too large to decode safely: page {page.number + 1} holds a "
                f"{width}×{height} image (limit {limits.max_image_pixels // 1_000_000} megapixels)"
            )
    return ExtractedPage(
        text=text if not needs_ocr else "",
        needs_ocr=needs_ocr,
        width=page.rect.width,
        height=page.rect.height,
    )


def _clean_title(title: str) -> str:
    title = title.strip()
    # Scanner and editor defaults are not titles.
    if title.lower() in {"untitled", "adobe photoshop pdf", "microsoft word - document1"}:
        return ""
    return title
