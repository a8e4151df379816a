"""ALTO out and back in at scale: scans whose pages hold OCR'd words (typewritten lines, laid
out as Tesseract reports them) exported as ALTO v4, then attached to the same scans in a
second library; pages per second each way, beside lxml parsing and writing the same files
alone, and whether every word, box and page text came back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import undefer

from bench.corpus import filler_text
from reader.library import Library
from reader.models import Page, TextSource
from reader.ocr.queue import store_page_text

DPI = 300
PAGE_PIXELS = (2550, 3300)  # US Letter at 300 dpi: 612 × 792 points
LINES_PER_PAGE, WORDS_PER_LINE, LINES_PER_PARAGRAPH = 36, 9, 6
CHAR_WIDTH, RIGHT_MARGIN = 6.0, 540.0  # 10 characters an inch; the line ends an inch in
BOX_TOLERANCE = 0.005  # points: ALTO written in pixels with two decimals


@dataclass(frozen=True)
class RoundTrip:
    pages: int
    words: int
    export_seconds: float
    import_seconds: float
    parse_seconds: float
    write_seconds: float
    megabytes: float
    words_differing: int
    texts_differing: int


def scans(folder: Path, documents: int, pages_each: int) -> list[Path]:
    """Multi-page TIFFs of blank letter pages, each file one pixel apart (so none is a
    duplicate of another)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(documents):
        page = Image.new("1", PAGE_PIXELS, 1)
        page.putpixel((number, 0), 0)
        path = folder / f"roll-{number + 1:02d}.tif"
        page.save(path, save_all=True, append_images=[page] * (pages_each - 1), dpi=(DPI, DPI),
                  compression="group4")  # fmt: skip
        paths.append(path)
    return paths


def typed_page(seed: int) -> tuple[str, list[list[Any]]]:
    """A page of typewritten lines (10-pitch, one-inch margins) as OCR stores it: its text
    (lines, paragraphs) and its words with boxes in points and confidences."""
    words = iter(filler_text(seed, LINES_PER_PAGE * WORDS_PER_LINE * 2).split())
    lines: list[list[str]] = []
    boxes: list[list[Any]] = []
    for row in range(LINES_PER_PAGE):
        top = 72 + row * 18 + (row // LINES_PER_PARAGRAPH) * 9
        x = 72.0
        line: list[str] = []
        while (word := next(words)) and x + CHAR_WIDTH * len(word) <= RIGHT_MARGIN:
            right = x + CHAR_WIDTH * len(word)
            boxes.append([x, top, right, top + 11.5, word, 60 + (seed + row + len(line)) % 40])
            line.append(word)
            x = right + CHAR_WIDTH
        lines.append(line)
    step = LINES_PER_PARAGRAPH
    paragraphs = [lines[i : i + step] for i in range(0, len(lines), step)]
    text = "\n\n".join("\n".join(" ".join(line) for line in p) for p in paragraphs)
    return text, boxes


def ocred_library(folder: Path, files: list[Path]) -> Library:
    """The scans imported, every page given its OCR (stored as OCR stores it), indexed."""
    library = Library(folder)
    library.import_paths(files)
    with library.catalog.writer() as session, session.begin():
        for page in session.scalars(select(Page).order_by(Page.id)):
            text, words = typed_page(page.id)
            store_page_text(session, page.id, page.document_id, page.number, text=text,
                            words=words, confidence=80.0, source=TextSource.OCR)  # fmt: skip
    library.sync_index()
    return library


def stored(library: Library) -> list[tuple[str, list[list[Any]]]]:
    with library.session() as session:
        pages = session.scalars(
            select(Page).options(undefer(Page.text), undefer(Page.words)).order_by(Page.id)
        )
        return [(page.text, page.words) for page in pages]


def words_differing(before: list[list[Any]], after: list[list[Any]]) -> int:
    if len(before) != len(after):
        return max(len(before), len(after))
    return sum(
        old[4] != new[4]
        or any(abs(a - b) > BOX_TOLERANCE for a, b in zip(old[:4], new[:4], strict=True))
        or abs(old[5] - new[5]) > 0.5
        for old, new in zip(before, after, strict=True)
    )


def round_trip(out: Path, documents: int = 10, pages_each: int = 100) -> RoundTrip:
    files = scans(out / "scans", documents, pages_each)
    source = ocred_library(out / "ocred", files)
    exported = [out / "alto" / f"{path.stem}.xml" for path in files]
    exported[0].parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for doc, path in enumerate(exported, start=1):
        source.export_transcription(doc, path, "alto")
    export_seconds = time.perf_counter() - started

    target = Library(out / "attached")
    target.import_paths(files)
    started = time.perf_counter()
    for doc, path in enumerate(exported, start=1):
        report = target.attach_transcriptions(doc, [path])
        assert not report.failed, report.failed
    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    trees = [etree.parse(str(path)) for path in exported]
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for tree in trees:
        etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    write_seconds = time.perf_counter() - started

    before, after = stored(source), stored(target)
    return RoundTrip(
        pages=len(before),
        words=sum(len(words) for _text, words in before),
        export_seconds=export_seconds,
        import_seconds=import_seconds,
        parse_seconds=parse_seconds,
        write_seconds=write_seconds,
        megabytes=sum(path.stat().st_size for path in exported) / 1e6,
        words_differing=sum(
            words_differing(b[1], a[1]) for b, a in zip(before, after, strict=True)
        ),
        texts_differing=sum(b[0] != a[0] for b, a in zip(before, after, strict=True)),
    )
