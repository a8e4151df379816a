"""Transcriptions attached to the pages of a scan already in the catalog.

The files (ALTO or PAGE XML, or folders of them) are all read and matched to the document's
pages before anything is written: by the image each names (the scan's own file name, or for a
multi-page TIFF or PDF its name and a page number, "scan-003.png") or else by order. A file
that does not fit (another image, more pages than the document, a page of another shape) is
refused with the reason, and then nothing is attached. The rest is written in one transaction
the way OCR results are (reader.ocr.queue.store_page_text): each page's text and its word
boxes in PDF points, its text source "transcription", its OCR done, its index entry due."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from reader.catalog import Catalog
from reader.models import Document, Page, TextSource
from reader.records import FailedFile
from reader.transcriptions.geometry import TranscriptionError, has_area
from reader.transcriptions.model import Box, TranscribedPage
from reader.transcriptions.reading import read_transcription_file
from reader.transcriptions.xmlsafe import RefusedXml

# Width/height of a transcribed page against the catalog's page: beyond this, another page
# (or one turned or cropped), whose boxes would land in the wrong places. A4 and US Letter
# differ by 9 %; a scan and the image made of it for transcription by well under 1 %.
MAX_SHAPE_DIFFERENCE = 0.05
XML_SUFFIX = ".xml"


@dataclass(frozen=True)
class AttachedPage:
    page: int
    file: str
    format: str
    image: str
    lines: int
    # Entries stored with a box: words, or lines stored whole where the file has no words.
    words: int


@dataclass
class TranscriptionReport:
    doc: int
    pages: list[AttachedPage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _CatalogPage:
    id: int
    number: int
    width: float
    height: float


@dataclass(frozen=True)
class _Target:
    doc: int
    file_name: str
    media_type: str
    pages: list[_CatalogPage]

    @property
    def stem(self) -> str:
        return Path(self.file_name).stem


@dataclass(frozen=True)
class _Transcribed:
    file: str
    format: str
    page: TranscribedPage


class _Mismatch(ValueError):
    def __init__(self, file: str, reason: str) -> None:
        super().__init__(reason)
        self.file = file


def attach_transcriptions(catalog: Catalog, doc_id: int, paths: list[Path]) -> TranscriptionReport:
    """Attach the transcriptions in `paths` (files, or folders of .xml files) to document
    `doc_id`, whole or not at all; the report says which pages got text, what was put right
    (coordinates clipped to the page) and, when nothing was attached, why."""
    report = TranscriptionReport(doc_id)
    files = _transcription_files(paths, report.failed)
    transcribed = _read_all(files, report.failed)
    if not report.failed and not transcribed:
        report.failed.append(FailedFile(", ".join(map(str, paths)), "no transcription given"))
    try:
        target = _target(catalog, doc_id)
        matched = [] if report.failed else _match(target, transcribed)
    except _Mismatch as exc:
        every = ", ".join(map(str, paths))  # the document does not fit any transcription
        report.failed.append(FailedFile(exc.file or every, str(exc)))
    if report.failed:
        note = f"; nothing was attached to document {doc_id}"
        report.failed[:] = [FailedFile(f.path, f.error + note) for f in report.failed]
        return report
    _store(catalog, target, matched, report)
    return report


def _transcription_files(paths: list[Path], failed: list[FailedFile]) -> list[Path]:
    """The files named, a folder standing for its .xml files (in natural order: page_2
    before page_10). Whether each is a readable regular file is for reading to tell."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        try:
            found = [p for p in path.iterdir() if p.name.casefold().endswith(XML_SUFFIX)]
        except OSError as exc:
            failed.append(FailedFile(str(path), f"cannot be read: {exc.strerror or exc}"))
            continue
        if not found:
            failed.append(FailedFile(str(path), "a folder with no .xml file in it"))
        files.extend(sorted(found, key=lambda p: _natural(p.name)))
    return files


def _natural(name: str) -> list[tuple[int, int, str]]:
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", name)
    ]


def _read_all(files: list[Path], failed: list[FailedFile]) -> list[_Transcribed]:
    transcribed: list[_Transcribed] = []
    for path in files:
        try:
            read = read_transcription_file(path)
        except (RefusedXml, TranscriptionError) as exc:
            failed.append(FailedFile(str(path), str(exc)))
            continue
        except OSError as exc:
            failed.append(FailedFile(str(path), f"cannot be read: {exc.strerror or exc}"))
            continue
        transcribed.extend(_Transcribed(str(path), read.format, page) for page in read.pages)
    return transcribed


def _target(catalog: Catalog, doc_id: int) -> _Target:
    with catalog.session() as session:
        document = session.get(Document, doc_id)
        if document is None:
            raise _Mismatch("", f"there is no document {doc_id}")
        rows = session.execute(
            select(Page.id, Page.number, Page.width, Page.height)
            .where(Page.document_id == doc_id)
            .order_by(Page.number)
        ).all()
        target = _Target(
            doc_id,
            os.path.basename(document.source_path),
            document.media_type,
            [_CatalogPage(row.id, row.number, row.width, row.height) for row in rows],
        )
    scan = target.media_type.startswith("image/") or target.media_type == "application/pdf"
    if not scan or not all(p.width > 0 and p.height > 0 for p in target.pages):
        raise _Mismatch(
            "",
            f"document {doc_id} ({target.file_name}) is {target.media_type}, not a scan: "
            "transcriptions attach to the pages of scans and PDFs",
        )
    return target


# The document's own name (order decides), or the number of its page the image shows.
_BY_ORDER = -1


def _match(
    target: _Target, transcribed: list[_Transcribed]
) -> list[tuple[_CatalogPage, _Transcribed]]:
    """Each transcribed page with the catalog page it transcribes; _Mismatch says why not."""
    if len(transcribed) > len(target.pages):
        extra = transcribed[len(target.pages)]
        raise _Mismatch(
            extra.file,
            f"{len(transcribed)} pages transcribed, but document {target.doc} "
            f"({target.file_name}) has {len(target.pages)}",
        )
    numbers = _page_numbers(target, transcribed)
    matched = []
    first_file: dict[int, str] = {}
    for number, item in zip(numbers, transcribed, strict=True):
        if not 1 <= number <= len(target.pages):
            raise _Mismatch(
                item.file,
                f"it transcribes page {number} ({item.page.image_name}), but document "
                f"{target.doc} ({target.file_name}) has {len(target.pages)} pages",
            )
        if number in first_file:
            raise _Mismatch(
                item.file, f"page {number} is transcribed twice (in {first_file[number]} too)"
            )
        first_file[number] = item.file
        page = target.pages[number - 1]
        _check_shape(page, item)
        matched.append((page, item))
    return matched


def _page_numbers(target: _Target, transcribed: list[_Transcribed]) -> list[int]:
    found = [_by_name(target, item.page.image_name) for item in transcribed]
    if all(number == _BY_ORDER for number in found):
        return list(range(1, len(transcribed) + 1))
    for number, item in zip(found, transcribed, strict=True):
        if number is None:
            pages = f" nor one of its pages ({target.stem}-N)" if len(target.pages) > 1 else ""
            raise _Mismatch(
                item.file,
                f"it transcribes the image {item.page.image_name!r}, which is not the "
                f"document's scan {target.file_name!r}{pages}",
            )
        if number == _BY_ORDER:
            raise _Mismatch(
                item.file,
                f"it names the whole scan {item.page.image_name!r} while other pages name "
                "their page's image: match them all by name or all by order",
            )
    numbered = [number for number in found if number is not None]
    # Images numbered from 0 (ImageMagick's %d) are pages numbered from 1.
    return [n + 1 for n in numbered] if min(numbered) == 0 else numbered


def _by_name(target: _Target, image: str) -> int | None:
    """_BY_ORDER when the image is the scan itself (or not named), the page number a
    multi-page scan's page image carries ("scan-003.png", "scan.pdf_page_3.jpg"), else None."""
    name, stem = image.casefold(), Path(image).stem.casefold()
    own = target.file_name.casefold(), target.stem.casefold()
    if not image or name == own[0] or stem == own[1]:
        return _BY_ORDER
    if len(target.pages) > 1 and stem.startswith(own[1]):
        numbered = re.fullmatch(r"\D*?(\d+)", stem[len(own[1]) :])
        if numbered is not None:
            return int(numbered.group(1))
    return None


def _check_shape(page: _CatalogPage, item: _Transcribed) -> None:
    transcribed = item.page.width / item.page.height
    catalog = page.width / page.height
    if abs(transcribed / catalog - 1) > MAX_SHAPE_DIFFERENCE:
        raise _Mismatch(
            item.file,
            f"its page is {item.page.width:g}×{item.page.height:g} {item.page.unit} "
            f"(width/height {transcribed:.2f}), page {page.number} of the document "
            f"{page.width:.0f}×{page.height:.0f} pt ({catalog:.2f}): not the same page "
            "(another page, or one turned or cropped)",
        )


def _store(
    catalog: Catalog,
    target: _Target,
    matched: list[tuple[_CatalogPage, _Transcribed]],
    report: TranscriptionReport,
) -> None:
    from reader.ocr.queue import store_page_text

    stored, warnings = [], []
    with catalog.writer() as session, session.begin():
        for page, item in matched:
            words = catalog_words(item.page, page.width, page.height)
            store_page_text(
                session, page.id, target.doc, page.number, text=item.page.text, words=words,
                confidence=page_confidence(item.page), source=TextSource.TRANSCRIPTION,
            )  # fmt: skip
            lines = len(item.page.lines)
            stored.append(
                AttachedPage(page.number, item.file, item.format, item.page.image_name, lines,
                             len(words))
            )  # fmt: skip
            # The reader says "page 1: ..." of its file; the report says which file and page.
            where = f"{item.file}, page {page.number} of document {target.doc}"
            warnings += [f"{where}: {w.split(': ', 1)[-1]}" for w in item.page.warnings]
    report.pages.extend(stored)
    report.warnings.extend(warnings)


def catalog_words(page: TranscribedPage, width: float, height: float) -> list[list[Any]]:
    """The page's words as the catalog keeps them: [x0, y0, x1, y1, word, confidence 0..100
    or None], in PDF points on a page of `width`×`height` points. A line the file gives no
    words for is one entry, its whole text over its box; text with no box has no entry."""
    scale_x, scale_y = width / page.width, height / page.height

    def entry(text: str, box: Box, conf: float | None) -> list[Any]:
        return [
            round(box.x0 * scale_x, 2), round(box.y0 * scale_y, 2),
            round(box.x1 * scale_x, 2), round(box.y1 * scale_y, 2),
            text, None if conf is None else round(conf * 100, 1),
        ]  # fmt: skip

    words = []
    for line in page.lines:
        if line.words:
            words += [entry(w.text, w.box, w.confidence) for w in line.words if has_area(w.box)]
        elif has_area(line.box):
            words.append(entry(line.text, line.box, line.confidence))
    return words


def page_confidence(page: TranscribedPage) -> float | None:
    """The mean confidence (0..100) of what the file gives one for; None if nothing."""
    found = [
        conf
        for line in page.lines
        for conf in ([w.confidence for w in line.words] if line.words else [line.confidence])
        if conf is not None
    ]
    return round(100 * sum(found) / len(found), 1) if found else None
