"""Where matched words stand on a page: OCR word boxes, or a born-digital PDF's own words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from index.folding import terms_of
from reader.files import open_in_mupdf

Rect = list[float]


def boxes_in_words(words: Iterable[list[Any]], terms: frozenset[str]) -> list[Rect]:
    """Boxes of the words (x0, y0, x1, y1, text, ...) whose indexed terms were matched; both
    halves of a word hyphenated at a line's end ("compo-", "sition") when it was."""
    listed = list(words)
    matched = [bool(terms.intersection(terms_of(str(w[4])))) for w in listed]
    for i, (first, second) in enumerate(pairwise(str(w[4]) for w in listed)):
        if _HYPHENATED.search(first) and _joined_match(first, second, terms):
            matched[i] = matched[i + 1] = True
    return [
        [float(w[0]), float(w[1]), float(w[2]), float(w[3])]
        for w, m in zip(listed, matched, strict=True)
        if m
    ]


_HYPHENATED = re.compile(r"\w[-¬‐]$")


def _joined_match(first: str, second: str, terms: frozenset[str]) -> bool:
    """Whether a matched term is the two words joined at a line-end hyphen, not either."""
    halves = set(terms_of(first)) | set(terms_of(second))
    return bool(terms.intersection(set(terms_of(f"{first}\n{second}")) - halves))


def pdf_words(path: Path, number: int) -> list[list[Any]]:
    with open_in_mupdf(path, "pdf") as document:
        page = document[number - 1]
        return [shown_word(word, page) for word in page.get_text("words")]


def shown_word(word: Sequence[Any], page: Any) -> list[Any]:
    """A word of MuPDF's get_text("words") as the page is shown: MuPDF gives the boxes on the
    page as stored, before its /Rotate turns it; the page is drawn (and its size catalogued)
    turned, and so are the boxes here. The box first, then the rest of the word's fields."""
    if not page.rotation:
        return [*word[:5]]
    import pymupdf  # with the page: MuPDF is loaded already

    shown = pymupdf.Rect(word[:4]) * page.rotation_matrix
    return [shown.x0, shown.y0, shown.x1, shown.y1, word[4]]


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
    """The words a dragged rectangle selects, in reading order (see selected_text)."""
    return selected_text(words, box)[0]


def selected_text(words: Iterable[list[Any]], box: list[float]) -> tuple[list[list[Any]], str]:
    """What a rectangle dragged over a page selects, as a reader expects: the words (x0, y0,
    x1, y1, text, ...) of every line the rectangle covers enough, in reading order (lines top
    to bottom, words left to right), none skipped in between, and their text.

    A line is taken or left whole: whether the rectangle covers it is measured on the line's
    own height, not on each word's box, whose height depends on its letters ("in" has no
    descender, "Commanding" has one) and on the scan (a word printed a little high), so a short
    word is not dropped from the middle of a line. Across the line, a word is taken when the
    rectangle covers half of it (or it covers half of the rectangle, a thin drag inside one
    word), and every word between the first and the last taken on a line is taken too."""
    x0, y0, x1, y1 = (float(v) for v in box[:4])
    selected: list[list[Any]] = []
    texts: list[str] = []
    for line in text_lines(words):
        taken = [
            i
            for i, (word, top, bottom) in enumerate(line)
            if _covers(y0, y1, top, bottom) and _covers(x0, x1, float(word[0]), float(word[2]))
        ]
        if taken:
            chosen = [word for word, _, _ in line[taken[0] : taken[-1] + 1]]
            selected.extend(chosen)
            texts.append(" ".join(str(word[4]) for word in chosen))
    return selected, " ".join(texts)


def text_lines(words: Iterable[list[Any]]) -> list[list[tuple[list[Any], float, float]]]:
    """The words of a page as the lines a reader sees, top to bottom, each left to right; every
    word with the top and bottom of its line where it stands (a skewed line slopes).

    The words come in the OCR's reading order (Tesseract's, or a PDF's own), which runs along
    a line and back to the start of the next: a run ends where a word goes back left or leaves
    the height of the word before it. Runs side by side at the same height (a letterhead's
    title and, far to the right, its file number) are one line."""
    runs: list[list[list[Any]]] = []
    for word in words:
        if runs and _same_run(runs[-1][-1], word):
            runs[-1].append(word)
        else:
            runs.append([word])
    slope = _page_slope(runs)
    bands = [_band(run, slope) for run in runs]
    rows: list[list[int]] = []  # runs by index, rows top to bottom
    for i in sorted(range(len(runs)), key=lambda i: bands[i].top + bands[i].bottom):
        for row in rows:
            if all(_beside(runs[i], bands[i], runs[j], bands[j]) for j in row):
                row.append(i)
                break
        else:
            rows.append([i])
    lines: list[list[tuple[list[Any], float, float]]] = []
    for row in rows:
        line = sorted((word for i in row for word in runs[i]), key=lambda w: float(w[0]))
        band = _band(line, slope)  # one band for the whole line: it is taken or left whole
        lines.append([(word, *band.at(_middle_x(word))) for word in line])
    return lines


class _Band:
    """A line's top and bottom, sloping with the scan: top + slope * x, bottom + slope * x."""

    def __init__(self, top: float, bottom: float, slope: float) -> None:
        self.top, self.bottom, self.slope = top, bottom, slope

    def at(self, x: float) -> tuple[float, float]:
        return self.top + self.slope * x, self.bottom + self.slope * x


_MAX_SLOPE = 0.1  # about 6 degrees: more skew than that is noise in a short line's boxes


def _page_slope(runs: list[list[list[Any]]]) -> float:
    """How the page's lines slope (a scan a little askew; OCR straightens the image, but the
    boxes are given on the page as scanned): the median of the slopes fitted to the middles of
    runs of three words or more. A slope that moves the widest run by less than half a word's
    height is the noise of ascenders and descenders, not skew: the lines are level."""
    slopes: list[float] = []
    for run in runs:
        if len(run) < 3:
            continue
        xs = [_middle_x(w) for w in run]
        ys = [(float(w[1]) + float(w[3])) / 2 for w in run]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread > 0:
            fitted = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
            slopes.append(max(-_MAX_SLOPE, min(_MAX_SLOPE, fitted)))
    if not slopes:
        return 0.0
    slope = sorted(slopes)[len(slopes) // 2]
    heights = sorted(float(w[3]) - float(w[1]) for run in runs for w in run)
    widest = max(_right(run) - _left(run) for run in runs)
    return slope if abs(slope) * widest >= heights[len(heights) // 2] / 2 else 0.0


def _band(words: list[list[Any]], slope: float) -> _Band:
    """The band words stand in along the slope: from the highest top to the lowest bottom."""
    top = min(float(w[1]) - slope * _middle_x(w) for w in words)
    bottom = max(float(w[3]) - slope * _middle_x(w) for w in words)
    return _Band(top, bottom, slope)


def _same_run(before: list[Any], word: list[Any]) -> bool:
    """Whether `word` goes on along the line of the word before it."""
    return float(word[0]) >= float(before[0]) and _covers(
        float(before[1]), float(before[3]), float(word[1]), float(word[3])
    )


def _beside(run: list[list[Any]], band: _Band, other: list[list[Any]], other_band: _Band) -> bool:
    """Whether two runs are parts of one line: no word of one over a word of the other, at one
    height where they meet."""
    if any(_covers(float(a[0]), float(a[2]), float(b[0]), float(b[2])) for a in run for b in other):
        return False
    x = (max(_left(run), _left(other)) + min(_right(run), _right(other))) / 2
    return _covers(*band.at(x), *other_band.at(x))


def _covers(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Whether two extents on one axis overlap by half of the shorter one (a point: lies in the
    other)."""
    overlap = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    if shorter <= 0:
        return overlap >= 0
    return overlap >= shorter / 2


def _middle_x(word: list[Any]) -> float:
    return (float(word[0]) + float(word[2])) / 2


def _left(run: list[list[Any]]) -> float:
    return min(float(w[0]) for w in run)


def _right(run: list[list[Any]]) -> float:
    return max(float(w[2]) for w in run)
