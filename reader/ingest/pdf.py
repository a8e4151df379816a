"""PDF files, born-digital or scanned, read with PyMuPDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from reader.files import open_in_mupdf
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
        document = open_in_mupdf(path, "pdf")
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
    # MuPDF reads the page's text once, as its lines with their layout (block quotations,
    # superscript note numbers), and the plain text is made from those lines: each reading
    # is a large share of an import's time. The flags are those of get_text()'s plain text;
    # the layout wants the text lines only, so the images that "dict" would add are not read.
    textpage = page.get_textpage(flags=pymupdf.TEXTFLAGS_TEXT)
    blocks = page.get_text("dict", textpage=textpage)["blocks"]
    text = with_block_quotes(plain_text(blocks), _indented_lines(blocks))
    text = with_note_markers(text, _superscript_numbers(blocks))
    images = page.get_images()
    needs_ocr = len(text.strip()) < MIN_TEXT_CHARS and bool(images)
    for image in images:
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


def plain_text(blocks: list[dict[str, Any]]) -> str:
    """A page's text as get_text() gives it, from its "dict" blocks: each line's characters
    and a line break, none after a line that is empty or ends in one (PyMuPDF's
    JM_print_stext_page_as_text)."""
    lines = ("".join(span["text"] for span in line["spans"]) for block in blocks
             for line in block.get("lines", ()))  # fmt: skip
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines if line)


# A block quotation's lines stand at least this far right of the body's left edge (points),
# all at one left edge (a centred heading's lines do not), two lines at the least.
BLOCK_INDENT = 15.0
SAME_EDGE = 2.5
MIN_BLOCK_LINES = 2
MIN_LINE_WORDS = 6


def _indented_lines(blocks: list[dict[str, Any]]) -> list[list[str]]:
    """The runs of lines set as block quotations, each line's text as MuPDF reads it, among a
    page's text blocks (MuPDF's "dict")."""
    lines: list[tuple[float, str]] = []
    for block in blocks:
        for line in block.get("lines", []):
            words = "".join(span["text"] for span in line["spans"])
            if words.strip():
                lines.append((float(line["bbox"][0]), words))
    if len(lines) < MIN_BLOCK_LINES + 1:
        return []
    edges = sorted(round(x) for x, _ in lines)
    body = max(set(edges), key=edges.count)  # the left edge most lines share
    runs: list[list[tuple[float, str]]] = []
    for x, words in lines:
        indented = x >= body + BLOCK_INDENT
        if indented and runs and runs[-1] and abs(runs[-1][0][0] - x) <= SAME_EDGE:
            runs[-1].append((x, words))
        elif indented:
            runs.append([(x, words)])
        elif not runs or runs[-1]:
            runs.append([])
    return [[w for _, w in run] for run in runs if _reads_as_prose(run)]


def _reads_as_prose(run: list[tuple[float, str]]) -> bool:
    """Lines of sentences, not a table's column or scraps of a scan's text layer."""
    if len(run) < MIN_BLOCK_LINES:
        return False
    full = [words for _, words in run[:-1]]  # the last line of a paragraph may be short
    return all(len(words.split()) >= MIN_LINE_WORDS for words in full)


def with_block_quotes(text: str, blocks: list[list[str]]) -> str:
    """The page text with each block quotation's lines marked "> ", as the HTML importer
    writes a <blockquote>, set apart by blank lines. Where a block's lines cannot be found
    in order, the text is left as it is."""
    if not blocks:
        return text
    out: list[str] = []
    cursor = 0
    for block in blocks:
        found: list[tuple[int, int]] = []
        position = cursor
        for line in block:
            at = text.find(line, position)
            if at < 0:
                return text
            found.append((at, at + len(line)))
            position = at + len(line)
        before = text[cursor : found[0][0]]
        out.append(before.rstrip("\n") + "\n\n" if before.strip() else before)
        out.append("\n".join("> " + text[a:b].strip() for a, b in found))
        cursor = found[-1][1]
        out.append("\n\n")
        while cursor < len(text) and text[cursor] == "\n":
            cursor += 1
    out.append(text[cursor:])
    return "".join(out)


SUPERSCRIPT_FLAG = 1  # MuPDF's span flag for superscript text
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript_numbers(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Note numbers set as superscripts: (the line's text before the number, the number),
    among a page's text blocks (MuPDF's "dict")."""
    found: list[tuple[str, str]] = []
    for block in blocks:
        for line in block.get("lines", []):
            before = ""
            for span in line["spans"]:
                text = span["text"]
                if span["flags"] & SUPERSCRIPT_FLAG and text.strip().isdigit() and before.strip():
                    found.append((before, text.strip()))
                before += text
    return found


def with_note_markers(text: str, numbers: list[tuple[str, str]]) -> str:
    """The page text with each superscript note number written in superscript digits, which
    citation detection takes for note markers ("day.¹") where a plain digit after a word is
    ambiguous ("B17"). A number not found right after its line's text is left as it is."""
    cursor = 0
    for before, number in numbers:
        tail = before[-30:]
        at = text.find(tail + number, cursor)
        if at < 0:
            continue
        start = at + len(tail)
        text = text[:start] + number.translate(SUPERSCRIPT_DIGITS) + text[start + len(number) :]
        cursor = start + len(number)
    return text


def _clean_title(title: str) -> str:
    title = title.strip()
    # Scanner and editor defaults are not titles.
    if title.lower() in {"untitled", "adobe photoshop pdf", "microsoft word - document1"}:
        return ""
    return title
