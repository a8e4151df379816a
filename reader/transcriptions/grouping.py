"""A catalog page's flat list of words as a TranscribedPage: the words grouped into lines and
blocks, their boxes moved from PDF points into the export's pixels, their text fit for XML.

Where a line or a block ends is taken, in this order, from
- the breaks a source gives (a born-digital PDF's own blocks and lines, as MuPDF numbers them);
- the page's text, when the words stand in it in order with only white space between them
  (Tesseract's text has a line break after each line and a blank line after each paragraph,
  and a transcription's text its lines and blocks the same way): the lines come out as the
  OCR found them, and the page's text is what the lines and blocks give back;
- the boxes: the words come in reading order (Tesseract's), along a line and back to the
  start of the next, so a line ends where a word goes back left or leaves the height of the
  word before it, and a block where the next line starts above the last (another column) or
  further below it than a line's height (a blank line).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from reader.transcriptions.model import Block, Box, Line, TranscribedPage, Word
from reader.transcriptions.xmlout import xml_text


class Break(IntEnum):
    """What stands before a word: the line goes on, a new line, or a new block."""

    SAME_LINE = 0
    NEW_LINE = 1
    NEW_BLOCK = 2


@dataclass(frozen=True)
class PixelFrame:
    """The page in the export's units: its size in pixels, and pixels per PDF point."""

    width: float
    height: float
    scale_x: float
    scale_y: float


def transcribed_page(
    words: Sequence[Sequence[Any]],
    size_points: tuple[float, float],
    frame: PixelFrame,
    *,
    text: str = "",
    breaks: Sequence[Break] | None = None,
    number: int = 0,
    image_name: str = "",
    source: str = "",
    confidence: float | None = None,
) -> TranscribedPage:
    """The page whose `words` ([x0, y0, x1, y1, text, confidence 0..100], PDF points, in
    reading order) stand on a page of `size_points`, in the pixels of `frame`. Boxes are
    clipped to the page; characters XML cannot carry are dropped, and a word left empty too,
    as is an entry that is not a word at all (no text after its box)."""
    if not all(isinstance(w, list | tuple) and len(w) >= 5 for w in words):
        words, breaks = [w for w in words if isinstance(w, list | tuple) and len(w) >= 5], None
    if breaks is None or len(breaks) != len(words):
        breaks = breaks_from_text([str(w[4]) for w in words], text) or breaks_from_boxes(words)
    blocks: list[list[list[Word]]] = []
    pending = Break.NEW_BLOCK
    for raw, before in zip(words, breaks, strict=True):
        pending = max(pending, before)
        word = _word(raw, size_points, frame)
        if word is None:  # its break passes on to the next word
            continue
        if pending == Break.NEW_BLOCK or not blocks:
            blocks.append([[word]])
        elif pending == Break.NEW_LINE:
            blocks[-1].append([word])
        else:
            blocks[-1][-1].append(word)
        pending = Break.SAME_LINE
    return TranscribedPage(
        width=round(frame.width, 2),
        height=round(frame.height, 2),
        blocks=tuple(_block(lines) for lines in blocks),
        image_name=image_name,
        unit="pixel",
        number=number,
        source=source,
        confidence=confidence,
    )


def _block(lines: list[list[Word]]) -> Block:
    built = tuple(
        Line(" ".join(w.text for w in words), Box.around([w.box for w in words]), tuple(words))
        for words in lines
    )
    return Block(built, Box.around([line.box for line in built]))


def _word(raw: Sequence[Any], size_points: tuple[float, float], frame: PixelFrame) -> Word | None:
    text = xml_text(str(raw[4])).strip()
    if not text:
        return None
    width, height = size_points
    try:
        x0, y0, x1, y1 = float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3])
    except (TypeError, ValueError):
        x0 = y0 = x1 = y1 = 0.0
    # Clipped to the page; max(0.0, NaN) is 0.0. Corners rounded, not sizes: x + width read
    # back gives the corner exactly.
    x0, x1 = min(width, max(0.0, x0)), min(width, max(0.0, x1))
    y0, y1 = min(height, max(0.0, y0)), min(height, max(0.0, y1))
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    sx, sy = frame.scale_x, frame.scale_y
    box = Box(round(x0 * sx, 2), round(y0 * sy, 2), round(x1 * sx, 2), round(y1 * sy, 2))
    return Word(text, box, _confidence(raw))


def _finite(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _confidence(raw: Sequence[Any]) -> float | None:
    """The word's confidence as ALTO's WC (0..1), from the catalog's 0..100."""
    if len(raw) < 6 or isinstance(raw[5], bool) or not isinstance(raw[5], int | float):
        return None
    value = float(raw[5])
    return round(min(max(value, 0.0), 100.0) / 100, 3) if math.isfinite(value) else None


_SPACE = re.compile(r"\s*")


def breaks_from_text(words: Sequence[str], text: str) -> list[Break] | None:
    """The breaks the page's text makes between its words: a newline ends a line, a blank
    line a block. None unless the words are the text's own, in order, with only white space
    between them (a text edited since, or words the text leaves out)."""
    breaks: list[Break] = []
    cursor = 0
    for word in words:
        start = _SPACE.match(text, cursor).end()  # type: ignore[union-attr]  # \s* always matches
        if not word or not text.startswith(word, start):
            return None
        newlines = text.count("\n", cursor, start)
        if not breaks or newlines >= 2:
            breaks.append(Break.NEW_BLOCK)
        else:
            breaks.append(Break.NEW_LINE if newlines else Break.SAME_LINE)
        cursor = start + len(word)
    if text[cursor:].strip():
        return None
    return breaks


def breaks_from_keys(keys: Sequence[tuple[int, int]]) -> list[Break]:
    """Breaks from each word's (block, line) numbers, as MuPDF gives a PDF's own words."""
    breaks: list[Break] = []
    for i, (block, line) in enumerate(keys):
        if i == 0 or block != keys[i - 1][0]:
            breaks.append(Break.NEW_BLOCK)
        else:
            breaks.append(Break.SAME_LINE if line == keys[i - 1][1] else Break.NEW_LINE)
    return breaks


def breaks_from_boxes(words: Sequence[Sequence[Any]]) -> list[Break]:
    """Breaks from the boxes alone, the words in reading order (see the module's docstring)."""
    breaks: list[Break] = []
    line: list[float] = []  # the current line's box: x0, y0, x1, y1
    previous: list[float] = []
    for raw in words:
        box = [_finite(raw[i]) for i in range(4)]
        if not line:
            breaks.append(Break.NEW_BLOCK)
            line = list(box)
        elif box[0] >= previous[0] and _overlap_half(previous[1], previous[3], box[1], box[3]):
            breaks.append(Break.SAME_LINE)
            line = [min(line[0], box[0]), min(line[1], box[1]), max(line[2], box[2]),
                    max(line[3], box[3])]  # fmt: skip
        else:
            above = box[3] <= line[1]
            gap = box[1] - line[3]
            far_below = gap > line[3] - line[1]
            breaks.append(Break.NEW_BLOCK if above or far_below else Break.NEW_LINE)
            line = list(box)
        previous = box
    return breaks


def _overlap_half(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Whether two extents overlap by half of the shorter one."""
    overlap = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    return overlap >= shorter / 2 if shorter > 0 else overlap >= 0
