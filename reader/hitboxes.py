"""Where matched words stand on a page: OCR word boxes, or a born-digital PDF's own words."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from index.folding import terms_of

Rect = list[float]


def boxes_in_words(words: Iterable[list[Any]], terms: frozenset[str]) -> list[Rect]:
    """Boxes of the words (x0, y0, x1, y1, text, ...) whose indexed terms were matched."""
    return [
        [float(w[0]), float(w[1]), float(w[2]), float(w[3])]
        for w in words
        if terms.intersection(terms_of(str(w[4])))
    ]


def pdf_words(path: Path, number: int) -> list[list[Any]]:
    import pymupdf  # on first use, as in reader.render

    with pymupdf.open(path, filetype="pdf") as document:
        return [list(word[:5]) for word in document[number - 1].get_text("words")]


def boxes_in_span(words: list[list[Any]], page_text: str, start: int, end: int) -> list[Rect]:
    """Boxes of the words that stand within page_text[start:end]. The words are found in the
    text in reading order, so the same word elsewhere on the page is not taken."""
    boxes: list[Rect] = []
    cursor = 0
    for word in words:
        found = page_text.find(str(word[4]), cursor, cursor + 200 + len(str(word[4])))
        if found < 0:
            continue
        cursor = found + len(str(word[4]))
        if found < end and cursor > start:
            boxes.append([float(word[0]), float(word[1]), float(word[2]), float(word[3])])
    return boxes


def page_words(
    media_type: str, source_path: str, number: int, ocr_words: list[Any]
) -> list[list[Any]]:
    """The words of a page with their boxes: OCR's, or a born-digital PDF's own."""
    if ocr_words:
        return list(ocr_words)
    if media_type == "application/pdf" and Path(source_path).exists():
        return pdf_words(Path(source_path), number)
    return []


def words_in_box(words: Iterable[list[Any]], box: list[float]) -> list[list[Any]]:
    """The words whose middle lies inside the box: what a dragged rectangle selects."""
    x0, y0, x1, y1 = box[:4]
    return [
        w
        for w in words
        if x0 <= (float(w[0]) + float(w[2])) / 2 <= x1
        and y0 <= (float(w[1]) + float(w[3])) / 2 <= y1
    ]
