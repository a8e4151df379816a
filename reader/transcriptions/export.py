"""A document's stored words written out as ALTO v4 or hOCR: nothing is recognized again.

The words: OCR's and a transcription's as the catalog keeps them (PDF points, confidences
0..100). A born-digital PDF page keeps none: its own words are read from the original with
MuPDF (the boxes search hits are drawn with), in MuPDF's blocks and lines, with no confidence.
A page with no words (blank, its OCR failed, its original gone) is an empty page.

The unit is the pixel. A scan's pixels are its own: the catalog's points are its pixels at
its resolution (300 dpi when the file does not say), so the image's size is read from its
header, and sourceImageInformation/fileName (hOCR: image) names the image. A PDF page's pixels
are those of the page drawn at 300 dpi, as OCR sees it, and fileName names the PDF;
PHYSICAL_IMG_NR (hOCR: ppageno + 1) is the page's number. So for either, a reader gets points
back as pixels * page points / page pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reader.export import ExportError
from reader.files import open_in_mupdf
from reader.hitboxes import shown_word
from reader.ingest.base import DEFAULT_LIMITS, BrokenFile, TooLargeFile
from reader.ingest.images import DEFAULT_DPI, open_image
from reader.models import OcrState, Page, TextSource
from reader.records import DocumentInfo
from reader.render import is_renderable
from reader.transcriptions.alto import Description, write_alto_to
from reader.transcriptions.grouping import Break, PixelFrame, breaks_from_keys, transcribed_page
from reader.transcriptions.hocr import write_hocr_to
from reader.transcriptions.model import TranscribedPage
from reader.transcriptions.xmlout import written_whole

FORMATS = ("alto", "hocr")
# Pages read from the catalog at a time: a long document never stands whole in memory.
PAGES_AT_ONCE = 50


@dataclass
class TranscriptionExport:
    """What an ALTO or hOCR export wrote: the file, its pages and words, and the pages it
    could not give their words (said in `warnings`)."""

    path: str
    format: str
    pages: int = 0
    words: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredPage:
    """One page as the catalog keeps it."""

    number: int
    width: float
    height: float
    text: str
    source: str
    ocr_state: str
    ocr_error: str
    confidence: float | None
    words: list[Any]


def write_transcription(
    session: Session, document: DocumentInfo, out: Path, fmt: str
) -> TranscriptionExport:
    """Write the document's pages to `out` as ALTO v4 (fmt "alto") or hOCR ("hocr"). The
    file is written whole or not at all."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: give one of {', '.join(FORMATS)}")
    _refuse_unexportable(document)
    report = TranscriptionExport(str(out), fmt)
    sources = set(
        session.scalars(select(Page.text_source).where(Page.document_id == document.id).distinct())
    )
    description = Description(file_name=Path(document.path).name, sources=frozenset(sources))
    with _Originals(document, report.warnings) as originals:
        pages = _transcribed(stored_pages(session, document.id), originals, report)
        try:
            with written_whole(out) as stream:
                if fmt == "alto":
                    report.words = write_alto_to(stream, pages, description)
                else:
                    report.words = write_hocr_to(stream, pages, description, document.title)
        except OSError as exc:
            raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return report


def _refuse_unexportable(document: DocumentInfo) -> None:
    name = f"#{document.id} {document.title}"
    if not is_renderable(document.media_type):
        raise ExportError(
            f"{name} is {document.media_type}: its pages are text, with no page image or word "
            "positions to write as ALTO or hOCR"
        )
    pending = document.ocr.get("pending", 0)
    if pending:
        raise ExportError(
            f"{name}: {pending} of {document.pages} pages are still waiting for OCR; run "
            f"`archive-reader ocr {document.id}` first (the export writes the stored OCR, "
            "it does not run it)"
        )


def stored_pages(session: Session, document_id: int) -> Iterator[StoredPage]:
    """The document's pages in order, read a few at a time."""
    after = 0
    while True:
        rows = session.execute(
            select(Page.number, Page.width, Page.height, Page.text, Page.text_source,
                   Page.ocr_state, Page.ocr_error, Page.ocr_confidence, Page.words)
            .where(Page.document_id == document_id, Page.number > after)
            .order_by(Page.number)
            .limit(PAGES_AT_ONCE)
        ).all()  # fmt: skip
        for row in rows:
            yield StoredPage(
                row.number, float(row.width or 0), float(row.height or 0), row.text or "",
                row.text_source, row.ocr_state, row.ocr_error or "", row.ocr_confidence,
                list(row.words or []),
            )  # fmt: skip
        if len(rows) < PAGES_AT_ONCE:
            return
        after = rows[-1].number


def _transcribed(
    pages: Iterator[StoredPage], originals: _Originals, report: TranscriptionExport
) -> Iterator[TranscribedPage]:
    for stored in pages:
        report.pages += 1
        yield originals.transcribed(stored)


class _Originals:
    """What the export reads from the original file, opened once for the document: a scan's
    size in pixels, frame by frame, and a born-digital PDF's own words."""

    def __init__(self, document: DocumentInfo, warnings: list[str]) -> None:
        self.document = document
        self.path = Path(document.path)
        self.warnings = warnings
        self.file_name = self.path.name
        self.pixel_sizes: list[tuple[int, int]] = []
        self._pdf: Any = None
        self._pdf_tried = False
        self._stack = ExitStack()

    def __enter__(self) -> _Originals:
        if self.document.media_type.startswith("image/"):
            self.pixel_sizes = self._image_sizes()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()

    def transcribed(self, stored: StoredPage) -> TranscribedPage:
        words, breaks = stored.words, None
        if not words and stored.source == TextSource.EMBEDDED:
            words, breaks = self._pdf_words(stored.number)
        self._warn_if_empty(stored, words)
        size = (stored.width, stored.height)
        if size[0] <= 0 or size[1] <= 0:  # never measured: the words' extent will do
            size = _extent(words)
        confidence = None
        if stored.source == TextSource.OCR and stored.confidence is not None:
            confidence = round(stored.confidence / 100, 3)
        return transcribed_page(
            words,
            size,
            self._frame(stored.number, size),
            text=stored.text,
            breaks=breaks,
            number=stored.number,
            image_name=self.file_name,
            source=stored.source if words else "",
            confidence=confidence,
        )

    def _warn_if_empty(self, stored: StoredPage, words: list[Any]) -> None:
        if words:
            return
        if stored.ocr_state == OcrState.FAILED:
            reason = (
                f"its OCR failed ({stored.ocr_error})" if stored.ocr_error else "its OCR failed"
            )
            self.warnings.append(f"page {stored.number}: {reason}; written as an empty page")
        elif stored.text.strip() and stored.source != TextSource.EMBEDDED:
            self.warnings.append(
                f"page {stored.number}: its text has no word positions; written as an empty page"
            )

    def _frame(self, number: int, size: tuple[float, float]) -> PixelFrame:
        width, height = size
        if 0 < number <= len(self.pixel_sizes) and width > 0 and height > 0:
            pixels_x, pixels_y = self.pixel_sizes[number - 1]
            return PixelFrame(pixels_x, pixels_y, pixels_x / width, pixels_y / height)
        scale = DEFAULT_DPI / 72
        return PixelFrame(width * scale, height * scale, scale, scale)

    def _image_sizes(self) -> list[tuple[int, int]]:
        """Each frame's size in pixels, from the image's header (no pixel is decoded)."""
        if not self.path.is_file():
            self.warnings.append(
                f"the original {self.path} is missing: pixels are counted at {DEFAULT_DPI:.0f} dpi"
            )
            return []
        try:
            with open_image(self.path, DEFAULT_LIMITS) as image:
                sizes = []
                for index in range(getattr(image, "n_frames", 1)):
                    image.seek(index)
                    sizes.append((int(image.width), int(image.height)))
                return sizes
        except (BrokenFile, TooLargeFile, OSError, EOFError) as exc:
            self.warnings.append(
                f"the original {self.path} cannot be read ({exc}): pixels are counted at "
                f"{DEFAULT_DPI:.0f} dpi"
            )
            return []

    def _pdf_words(self, number: int) -> tuple[list[Any], list[Break] | None]:
        """The page's own words and MuPDF's breaks between them; none if it cannot be read."""
        pdf = self._open_pdf()
        if pdf is None:
            return [], None
        try:
            page = pdf[number - 1]
            found = page.get_text("words")
        except Exception as exc:  # MuPDF's own errors, and a page the file no longer has
            self.warnings.append(f"page {number}: its words cannot be read ({exc})")
            return [], None
        words = [shown_word(w, page) for w in found]
        return words, breaks_from_keys([(int(w[5]), int(w[6])) for w in found])

    def _open_pdf(self) -> Any:
        if self._pdf_tried:
            return self._pdf
        self._pdf_tried = True
        if self.document.media_type != "application/pdf":
            return None
        try:
            self._pdf = self._stack.enter_context(open_in_mupdf(self.path, "pdf"))
        except Exception as exc:  # gone or damaged since it was imported; MuPDF's own errors
            reason = "is missing" if not self.path.exists() else f"cannot be read ({exc})"
            self.warnings.append(
                f"the original {self.path} {reason}: its pages with text of their own, whose "
                "words are read from it, are written as empty pages"
            )
        return self._pdf


def _extent(words: list[Any]) -> tuple[float, float]:
    """The size of a page never measured: as far as its words reach."""
    if not words:
        return 0.0, 0.0
    return max(float(w[2]) for w in words), max(float(w[3]) for w in words)
