"""The line a search hit stands on: the rectangle of the page a small image of the hit shows.

A hit's boxes are its matched words; the reader judges a noisy hit better from the whole line
around them, so the boxes are widened to the line of the page (as `text_lines` finds lines)
that holds most of them, with a little margin, in the page's own PDF points. A line that runs
across a wide gap (two columns, a letterhead's title and its file number far to the right) is
cut there: the image shows the hit's own part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from reader.hitboxes import Rect, text_lines

# The margin around a line, as a share of its height, and at least this many points.
MARGIN_SHARE = 0.25
MIN_MARGIN = 2.0
# Only words this many hit heights above or below the hit are read into lines: the line is
# among them (a skewed scan's too), and finding the lines of a whole page takes far longer.
REACH = 6.0
# A gap wider than this many of the line's word heights parts columns, not words.
COLUMN_GAP = 2.0


def hit_line(
    words: Iterable[list[Any]],
    boxes: Sequence[Sequence[float]],
    page_size: tuple[float, float] | None = None,
) -> Rect | None:
    """The rectangle (x0, y0, x1, y1) of the line that holds most of the hit's boxes (the
    first such line from the top on a tie), with a margin, kept within the page. None when
    the hit has no boxes or the page no words: a text page has no line to show."""
    hit = _likely_row([[float(v) for v in box[:4]] for box in boxes if len(box) >= 4])
    listed = list(words)
    if not hit or not listed:
        return None
    lines = [part for line in text_lines(_near(listed, hit)) for part in _parts(line)]
    counts = [sum(_holds(line, box) for box in hit) for line in lines]
    if not lines or max(counts) == 0:
        # The words changed since the hit was found (the page read again): its boxes alone.
        return _padded(_union(hit), page_size)
    line = lines[max(range(len(lines)), key=lambda i: (counts[i], -i))]
    held = [box for box in hit if _holds(line, box)]
    extent = [[float(word[0]), top, float(word[2]), bottom] for word, top, bottom in line] + held
    return _padded(_union(extent), page_size)


Line = list[tuple[list[Any], float, float]]  # words with their line's top and bottom


def _likely_row(boxes: list[list[float]]) -> list[list[float]]:
    """The boxes that stand at about one height with the most others, the topmost such group
    first: the lines are looked for only around them (a common word matches all over a page)."""
    if not boxes:
        return []
    ordered = sorted(boxes, key=lambda b: b[1] + b[3])
    rows: list[list[list[float]]] = []
    for box in ordered:
        middle = (box[1] + box[3]) / 2
        last = rows[-1][-1] if rows else None
        if last is not None and abs(middle - (last[1] + last[3]) / 2) <= (last[3] - last[1]) / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    return max(rows, key=len)


def _near(words: list[list[Any]], hit: list[list[float]]) -> list[list[Any]]:
    """The words within REACH hit heights of the hit, in their reading order."""
    reach = REACH * max(box[3] - box[1] for box in hit)
    top, bottom = min(box[1] for box in hit) - reach, max(box[3] for box in hit) + reach
    return [w for w in words if len(w) >= 5 and top <= (float(w[1]) + float(w[3])) / 2 <= bottom]


def _parts(line: Line) -> list[Line]:
    """The line cut at gaps wider than COLUMN_GAP word heights (words run left to right)."""
    heights = sorted(float(word[3]) - float(word[1]) for word, _, _ in line)
    gap = COLUMN_GAP * heights[len(heights) // 2]
    parts: list[Line] = [[line[0]]]
    for before, entry in pairwise(line):
        if float(entry[0][0]) - float(before[0][2]) > gap:
            parts.append([])
        parts[-1].append(entry)
    return parts


def _holds(line: Line, box: list[float]) -> bool:
    """Whether the box's middle lies in one of the line's words."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(
        float(word[0]) <= x <= float(word[2]) and float(word[1]) <= y <= float(word[3])
        for word, _, _ in line
    )


def _union(boxes: list[list[float]]) -> Rect:
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


def _padded(rect: Rect, page_size: tuple[float, float] | None) -> Rect | None:
    margin = max(MIN_MARGIN, MARGIN_SHARE * (rect[3] - rect[1]))
    x0, y0, x1, y1 = rect[0] - margin, rect[1] - margin, rect[2] + margin, rect[3] + margin
    if page_size is not None and page_size[0] > 0 and page_size[1] > 0:
        width, height = page_size
        x0, y0 = max(0.0, x0), max(0.0, y0)
        x1, y1 = min(width, x1), min(height, y1)
    if x1 <= x0 or y1 <= y0:  # boxes off the page (a damaged record): nothing to show
        return None
    return [round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]
