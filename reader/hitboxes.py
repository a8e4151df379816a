"""Where matched words stand on a page: OCR word boxes, or a born-digital PDF's own words."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pymupdf

from index.analysis import terms_of

Rect = list[float]


def boxes_in_words(words: Iterable[list[Any]], terms: frozenset[str]) -> list[Rect]:
    """Boxes of the words (x0, y0, x1, y1, text, ...) whose indexed terms were matched."""
    return [
        [float(w[0]), float(w[1]), float(w[2]), float(w[3])]
        for w in words
        if terms.intersection(terms_of(str(w[4])))
    ]


def pdf_words(path: Path, number: int) -> list[list[Any]]:
    with pymupdf.open(path, filetype="pdf") as document:
        return [list(word[:5]) for word in document[number - 1].get_text("words")]
