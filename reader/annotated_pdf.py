"""Building the annotated PDF: every page of a document (scans with an invisible OCR text
layer), each annotation a real PDF annotation, the archival reference in the foot of every
page; and an article followed by the primary pages it cites, linked and highlighted."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf

from reader.annotations import merge_line_boxes
from reader.export import ExportError, ExportReport, ExportSource
from reader.files import open_in_mupdf
from reader.pdf_safety import make_inert
from reader.render import is_renderable
from reader.web_annotations import annotation_uri

if TYPE_CHECKING:
    from reader.records import (
        AnnotationInfo,
        CitationInfo,
        CitationTarget,
        DocumentInfo,
        PageInfo,
    )

TEXT_PAGE = (595.0, 842.0)  # A4, for articles and notes set as text
MARGIN = 56.0
FOOTER_POINTS = 7.0
CITED_COLOUR = "#8fd18f"
_FONT = pymupdf.Font("cjk")  # MuPDF's built-in Unicode font: ć, ö and the like


@dataclass(frozen=True)
class Placed:
    """A source page as it stands in the output: its index there and the scale from the
    catalog's page coordinates to the output page."""

    index: int
    scale_x: float
    scale_y: float
    label: str = ""


def write_annotated_pdf(
    library: ExportSource, info: DocumentInfo, out: Path, *, with_cited: bool
) -> ExportReport:
    try:
        return _export(library, info, out, with_cited)
    except (RuntimeError, OSError, ValueError, pymupdf.mupdf.FzErrorBase) as exc:
        raise ExportError(f"cannot export {info.title}: {exc}") from exc


def _export(library: ExportSource, info: DocumentInfo, out: Path, with_cited: bool) -> ExportReport:
    report = ExportReport(str(out))
    bookmarks: list[list[object]] = []
    with _new_pdf() as pdf:
        placed = _append_document(pdf, library, info, range(1, info.pages + 1))
        bookmarks.append([1, info.title, placed[0].index + 1])
        annotations = library.annotations(info.id)
        for number, where in zip(range(1, info.pages + 1), placed, strict=True):
            report.annotations += _annotate(
                pdf[where.index], where, annotations, number, bookmarks, info.sha256
            )
        _print_notes(pdf, placed, annotations)
        if with_cited:
            placed += _append_cited(pdf, library, info, placed, report, bookmarks)
        for where in placed:
            _footer(pdf[where.index], where.label, where.index + 1, pdf.page_count)
        pdf.set_toc(bookmarks)
        pdf.set_metadata({"title": info.title, "author": ", ".join(info.authors),
                          "producer": "Archive Reader", "subject": _reference(info)})  # fmt: skip
        make_inert(pdf)  # the originals' pages are untrusted: nothing active leaves with them
        report.pages = pdf.page_count
        out.parent.mkdir(parents=True, exist_ok=True)
        pdf.subset_fonts()
        pdf.save(out, garbage=3, deflate=True)
    return report


@contextmanager
def _new_pdf() -> Iterator[pymupdf.Document]:
    pdf = pymupdf.open()
    try:
        yield pdf
    finally:
        pdf.close()


# Pages


def _append_document(
    pdf: pymupdf.Document, library: ExportSource, info: DocumentInfo, numbers: range | list[int]
) -> list[Placed]:
    drawn = is_renderable(info.media_type)
    first = pdf.page_count
    if drawn:
        _insert_drawn_pages(pdf, info, list(numbers))
    placed = []
    for offset, number in enumerate(numbers):
        page_info = library.page(info.id, number)
        if drawn:
            placed.append(_placed_drawn_page(pdf, first + offset, page_info))
        else:
            placed.append(_append_text_page(pdf, page_info))
        placed[-1] = replace(placed[-1], label=_label(info, number))
        if page_info.source in ("ocr", "transcription"):  # words laid over a scan
            _invisible_text(pdf[placed[-1].index], page_info, placed[-1])
    return placed


def _insert_drawn_pages(pdf: pymupdf.Document, info: DocumentInfo, numbers: list[int]) -> None:
    """PDF pages copied as they are, or scan images made into pages of their catalog size;
    consecutive pages in one go, which keeps the links between them."""
    if info.media_type == "application/pdf":
        source = open_in_mupdf(Path(info.path), "pdf")
    else:
        source = pymupdf.open("pdf", _image_pdf(info.path))
    with source:
        for run in _consecutive_runs(numbers):
            pdf.insert_pdf(source, from_page=run[0] - 1, to_page=run[-1] - 1)


def _consecutive_runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def _placed_drawn_page(pdf: pymupdf.Document, index: int, page: PageInfo) -> Placed:
    rect = pdf[index].rect
    return Placed(
        index, rect.width / (page.width or rect.width), rect.height / (page.height or rect.height)
    )


@lru_cache(maxsize=2)
def _image_pdf(path: str) -> bytes:
    """A scan file (all its frames) as PDF pages; kept for the next page of the same file."""
    with open_in_mupdf(Path(path)) as source:
        return bytes(source.convert_to_pdf())


def _append_text_page(pdf: pymupdf.Document, page: PageInfo) -> Placed:
    """A page of an article or note, set as text (reflowed onto A4)."""
    new = pdf.new_page(width=TEXT_PAGE[0], height=TEXT_PAGE[1])
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in page.text.split("\n\n") if p.strip())
    box = pymupdf.Rect(MARGIN, MARGIN, TEXT_PAGE[0] - MARGIN, TEXT_PAGE[1] - MARGIN)
    new.insert_htmlbox(box, paragraphs, css="* {font-family: sans-serif; font-size: 10pt;}")
    return Placed(pdf.page_count - 1, 1.0, 1.0)


def _invisible_text(page: pymupdf.Page, info: PageInfo, where: Placed) -> None:
    """The OCR words laid over the scan, invisible (render mode 3): the export is searchable
    and its text selectable where the words stand."""
    writer = pymupdf.TextWriter(page.rect)
    for word in info.words:
        x0, y0, x1, y1 = (float(v) for v in word[:4])
        text = str(word[4])
        height = (y1 - y0) * where.scale_y
        if not text.strip() or height <= 0:
            continue
        size = height * 0.85
        natural = _FONT.text_length(text, fontsize=size) or 1.0
        size *= min(1.0, (x1 - x0) * where.scale_x / natural)
        writer.append(
            (x0 * where.scale_x, y1 * where.scale_y - height * 0.2), text, font=_FONT, fontsize=size
        )
    writer.write_text(page, render_mode=3)


def _footer(page: pymupdf.Page, label: str, number: int, count: int) -> None:
    writer = pymupdf.TextWriter(page.rect, color=(0.35, 0.35, 0.35))
    text = f"{label} · sheet {number} of {count}" if label else f"sheet {number} of {count}"
    writer.append((24, page.rect.height - 10), text[:180], font=_FONT, fontsize=FOOTER_POINTS)
    writer.write_text(page)


def _label(info: DocumentInfo, number: int) -> str:
    parts = [info.title]
    identifiers = [i for i in info.identifiers if i != info.title]
    if identifiers:
        parts.append(", ".join(identifiers[:3]))
    parts.append(f"page {number} of {info.pages}")
    reference = _reference(info)
    if reference:
        parts.append(reference)
    return " · ".join(parts)


def _reference(info: DocumentInfo) -> str:
    """Where the original sits: repository, record group, series, box, folder, item."""
    labels = {"repository": "", "record_group": "RG ", "series": "series ", "box": "box ",
              "folder": "folder ", "item": "item "}  # fmt: skip
    parts = [f"{labels[k]}{v}" for k, v in info.archive.items() if v]
    if info.collection:
        parts.insert(0, info.collection)
    return ", ".join(parts)


# Annotations


def _annotate(
    page: pymupdf.Page,
    where: Placed,
    annotations: list[AnnotationInfo],
    number: int,
    bookmarks: list[list[object]],
    sha256: str,
) -> int:
    """The page's annotations as the standard kinds every PDF reader, and Zotero's "Import
    Annotations", knows: Highlight, Square (an area) and Text (a note), each with its author
    in /T, its note in /Contents, its colour in /C, its dates, the Print flag, and its Web
    Annotation id in /NM; bookmarks go into the outline."""
    count = 0
    notes_placed = 0
    for annotation in (a for a in annotations if a.page == number):
        rects = [_scaled(r, where, page) for r in annotation.rects]
        if annotation.kind == "bookmark":
            bookmarks.append([2, annotation.note or f"Bookmark, page {number}", where.index + 1])
            continue
        if annotation.kind == "highlight":
            quads = [r.quad for r in rects] or page.search_for(annotation.text[:200], quads=True)
            if not quads:
                continue
            made = page.add_highlight_annot(quads=quads)
        elif annotation.kind == "area" and rects:
            made = page.add_rect_annot(rects[0])
        else:
            made = page.add_text_annot(_page_note_point(notes_placed), annotation.note, icon="Note")
            notes_placed += 1
        _describe(made, annotation, annotation_uri(sha256, annotation))
        count += 1
    return count


# Notes printed: a PDF viewer shows a note in a pop-up, a printer leaves it out


NOTE_POINTS = 8.0
NOTE_LEADING = 1.3  # line height, in font sizes
NOTE_COLOUR = (0.2, 0.2, 0.2)
NOTE_MARKER_COLOUR = (0.6, 0.1, 0.1)


def _print_notes(
    pdf: pymupdf.Document, placed: list[Placed], annotations: list[AnnotationInfo]
) -> None:
    """Every note also printed, so that it survives on paper: numbered through the document,
    the number printed beside its highlight (or area, or page note's icon), and the notes of a
    page printed under it, in a strip the page grows at its foot (nothing of the original is
    covered): page, the quoted text, the note."""
    number_of_note = 0
    for page_number, where in enumerate(placed, start=1):
        page = pdf[where.index]
        entries: list[list[str]] = []
        page_notes = 0
        for annotation in (a for a in annotations if a.page == page_number):
            if annotation.kind == "bookmark":
                continue
            rects = [_scaled(r, where) for r in annotation.rects]
            marker: pymupdf.Point | None = None
            if annotation.kind == "highlight" or (annotation.kind == "area" and rects):
                if rects:
                    marker = pymupdf.Point(page.rect.width - 22, rects[0].y0 + NOTE_POINTS)
            else:  # a page note, drawn as an icon at the top left (see _annotate)
                icon = _page_note_point(page_notes)
                marker = pymupdf.Point(icon.x + 22, icon.y + 10)
                page_notes += 1
            if not annotation.note.strip():
                continue
            number_of_note += 1
            if marker is not None:
                _note_marker(page, marker, number_of_note)
            entries.append(_note_entry(number_of_note, page_number, annotation))
        if entries:
            _note_strip(page, entries)


def _page_note_point(index: int) -> pymupdf.Point:
    """Where the index-th page note of a page stands (its icon)."""
    return pymupdf.Point(12, 18 + 22 * index)


def _note_marker(page: pymupdf.Page, at: pymupdf.Point, number: int) -> None:
    writer = pymupdf.TextWriter(page.rect, color=NOTE_MARKER_COLOUR)
    writer.append(at, f"[{number}]", font=_FONT, fontsize=NOTE_POINTS)
    writer.write_text(page)


def _note_entry(number: int, page_number: int, annotation: AnnotationInfo) -> list[str]:
    """A note as printed: its number, page, what it is about, its author; then its lines."""
    quoted = " ".join(annotation.text.split())
    quoted = quoted if len(quoted) <= 160 else quoted[:157] + "…"
    what = f"“{quoted}”" if quoted else {"area": "the marked area"}.get(annotation.kind, "the page")
    author = f" ({annotation.author})" if annotation.author else ""
    lines = [line.strip() for line in annotation.note.strip().splitlines() if line.strip()]
    return [f"[{number}] page {page_number}, {what}{author}: {lines[0]}", *lines[1:]]


def _note_strip(page: pymupdf.Page, entries: list[list[str]]) -> None:
    """The notes set under the page: the page grows by their height (its content stays where
    it stands), a short rule above them, the footer below them."""
    width = page.rect.width - 2 * MARGIN
    lines = [
        (wrapped, n > 0 or k > 0)
        for entry in entries
        for n, paragraph in enumerate(entry)
        for k, wrapped in enumerate(_wrap(paragraph, width - 12))
    ]
    leading = NOTE_POINTS * NOTE_LEADING
    height = 14 + leading * len(lines) + 22  # the rule, the notes, the footer's room
    top = page.rect.height
    box = page.mediabox
    page.set_mediabox(pymupdf.Rect(box.x0, box.y0 - height, box.x1, box.y1))
    page.draw_line((MARGIN, top + 6), (MARGIN + 120, top + 6), color=(0.5, 0.5, 0.5), width=0.5)
    writer = pymupdf.TextWriter(page.rect, color=NOTE_COLOUR)
    y = top + 14
    for text, indented in lines:
        y += leading
        writer.append((MARGIN + (12 if indented else 0), y), text, font=_FONT, fontsize=NOTE_POINTS)
    writer.write_text(page)


def _wrap(text: str, width: float) -> list[str]:
    """Words set in lines no wider than `width` (a word wider than that stands alone)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _FONT.text_length(candidate, fontsize=NOTE_POINTS) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _scaled(rect: list[float], where: Placed, page: pymupdf.Page | None = None) -> pymupdf.Rect:
    """A box of the catalog (the page as shown) on the output page; with `page`, for an
    annotation: a PDF page turned by its /Rotate takes those in its coordinates before the
    turn (MuPDF's)."""
    scaled = pymupdf.Rect(rect[0] * where.scale_x, rect[1] * where.scale_y,
                          rect[2] * where.scale_x, rect[3] * where.scale_y)  # fmt: skip
    return scaled * page.derotation_matrix if page is not None and page.rotation else scaled


def _describe(made: pymupdf.Annot, annotation: AnnotationInfo, name: str) -> None:
    colour = _rgb(annotation.color)
    made.set_colors(stroke=colour)
    if annotation.kind == "area":
        made.set_opacity(0.9)
    made.set_info(
        content=annotation.note,
        title=annotation.author,
        subject=annotation.text[:500] if annotation.text else annotation.kind,
        creationDate=_pdf_date(annotation.created),
        modDate=_pdf_date(annotation.updated),
    )
    _printed(made)
    made.update()
    # /NM names the annotation uniquely on its page; MuPDF's own (fitz-A0) repeats per page.
    made.parent.parent.xref_set_key(made.xref, "NM", pymupdf.get_pdf_str(name))


def _printed(made: pymupdf.Annot) -> None:
    """The Print flag (/F 4): without it a printer, and a reader importing "printable"
    annotations, leaves the annotation out."""
    made.set_flags(made.flags | pymupdf.PDF_ANNOT_IS_PRINT)


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    try:
        return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except (ValueError, IndexError):
        return (1.0, 0.88, 0.4)


def _pdf_date(iso: str) -> str:
    """A PDF date (D:YYYYMMDDHHmmSSZ) in UTC; the catalog writes UTC, naive or not."""
    moment = datetime.fromisoformat(iso)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("D:%Y%m%d%H%M%SZ")


# An article with the pages it cites


def _append_cited(
    pdf: pymupdf.Document,
    library: ExportSource,
    article: DocumentInfo,
    article_pages: list[Placed],
    report: ExportReport,
    bookmarks: list[list[object]],
) -> list[Placed]:
    citations = [c for c in library.citations(article.id).citations if c.target is not None]
    where_cited: dict[tuple[int, int], Placed] = {}
    for citation in citations:
        assert citation.target is not None
        for target in citation.targets or [citation.target]:  # a passage over a page break
            key = (target.doc, target.page)
            if key not in where_cited:
                document = library.document(target.doc)
                where_cited[key] = _append_document(pdf, library, document, [target.page])[0]
                bookmarks.append(
                    [1, f"{document.title}, page {target.page}", where_cited[key].index + 1]
                )
                report.cited_pages.append(key)
            _mark_cited_passage(pdf, citation, target, where_cited[key], article)
        first = where_cited[(citation.target.doc, citation.target.page)]
        report.links += _link_citation(pdf, citation, article_pages, first)
    return list(where_cited.values())


def _mark_cited_passage(
    pdf: pymupdf.Document,
    citation: CitationInfo,
    target: CitationTarget,
    where: Placed,
    article: DocumentInfo,
) -> None:
    if not target.boxes:
        return
    page = pdf[where.index]
    quads = [_scaled(r, where, page).quad for r in merge_line_boxes(target.boxes)]
    made = page.add_highlight_annot(quads=quads)
    made.set_colors(stroke=_rgb(CITED_COLOUR))
    made.set_info(
        content=f"Cited in “{article.title}”: {citation.text[:300]}", title="Archive Reader"
    )
    _printed(made)
    made.update()


def _link_citation(
    pdf: pymupdf.Document, citation: CitationInfo, article_pages: list[Placed], target: Placed
) -> int:
    """A link from the citation in the article to the cited page, the citation highlighted."""
    if not 1 <= citation.page <= len(article_pages):
        return 0
    page = pdf[article_pages[citation.page - 1].index]
    needle = " ".join(citation.text.split())[:80]
    quads = page.search_for(needle, quads=True) if needle else []
    if not quads:
        return 0
    page.insert_link({"kind": pymupdf.LINK_GOTO, "from": quads[0].rect, "page": target.index,
                      "to": pymupdf.Point(0, 0)})  # fmt: skip
    made = page.add_highlight_annot(quads=quads)
    made.set_colors(stroke=_rgb(CITED_COLOUR))
    assert citation.target is not None
    made.set_info(
        content=f"→ {citation.target.title}, page {citation.target.page}", title="Archive Reader"
    )
    _printed(made)
    made.update()
    return 1
