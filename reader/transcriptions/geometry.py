"""What the transcription readers share: numbers read from attributes, boxes kept inside their
page (and what was clipped counted, to be reported), and the refusal of a file with its reason."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from reader.transcriptions.model import Box

# A box of no area: an element the file gives no place for, or one wholly outside the page.
# Its text is kept; it has no box to store.
NO_BOX = Box(0.0, 0.0, 0.0, 0.0)


class TranscriptionError(ValueError):
    """A transcription file that is not read, or does not fit the document: the reason."""


def has_area(box: Box) -> bool:
    return box.width > 0 and box.height > 0


Described = str | Callable[[], str]


def number(value: str | None, what: Described) -> float | None:
    """An attribute's number (None when absent); a value that is no finite number refuses
    the file: a coordinate of "abc" or "NaN" cannot be placed. `what` names the attribute
    in the message (or makes the name, when there is one to give)."""
    if value is None:
        return None
    try:
        found = float(value)
    except ValueError:
        if not value.strip():
            return None
        found = math.nan
    if not math.isfinite(found):
        named = what if isinstance(what, str) else what()
        raise TranscriptionError(f"{named} is {value[:40]!r}, not a number")
    return found


def confidence(value: str | None) -> float | None:
    """ALTO's WC and PAGE XML's conf: 0..1. Anything else says nothing (a confidence is no
    reason to refuse a transcription)."""
    if value is None:
        return None
    try:
        found = float(value)
    except ValueError:
        return None
    return found if 0.0 <= found <= 1.0 else None  # NaN fails both


def polygon_bounds(points: str, what: Described) -> tuple[float, float, float, float] | None:
    """The bounding box of PAGE XML's points="x,y x,y ..." (None for no points); points that
    are not pairs of numbers refuse the file."""
    pairs = points.split()
    try:  # the quick way: a page has thousands of polygons
        values = [float(value) for pair in pairs for value in pair.split(",")]
    except ValueError:
        values = []
    if len(values) != 2 * len(pairs) or not math.isfinite(sum(values)):
        named = what if isinstance(what, str) else what()
        wrong = next((pair for pair in pairs if not _is_point(pair)), points)
        raise TranscriptionError(f"{named} has the point {wrong[:40]!r}, not x,y")
    if not values:
        return None
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _is_point(pair: str) -> bool:
    try:
        x, y = (float(value) for value in pair.split(","))
    except ValueError:
        return False
    return math.isfinite(x) and math.isfinite(y)


def bounds(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """The bounding box of points, or None for no points."""
    listed = list(points)
    if not listed:
        return None
    xs = [x for x, _ in listed]
    ys = [y for _, y in listed]
    return min(xs), min(ys), max(xs), max(ys)


class PageFrame:
    """One page of a file, its size in the file's units: boxes are clipped to it, and how
    many were clipped is counted for the page's warnings."""

    def __init__(self, width: float, height: float, unit: str, label: str) -> None:
        self.width = width
        self.height = height
        self.unit = unit
        self.label = label
        self.clipped = 0
        self.outside = 0
        self.unplaced = 0

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        """The box inside the page (corners in any order); NO_BOX if it lies wholly outside."""
        if 0.0 <= x0 <= x1 <= self.width and 0.0 <= y0 <= y1 <= self.height:
            return Box(x0, y0, x1, y1)  # nearly every box: inside, corners in order
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        inside = Box(
            min(max(x0, 0.0), self.width),
            min(max(y0, 0.0), self.height),
            min(max(x1, 0.0), self.width),
            min(max(y1, 0.0), self.height),
        )
        if inside == Box(x0, y0, x1, y1):
            return inside
        if not has_area(inside) and (x1 > x0 and y1 > y0):
            self.outside += 1
            return NO_BOX
        self.clipped += 1
        return inside

    def no_place(self) -> Box:
        """A line or word the file gives no coordinates for: its text is kept, with no box."""
        self.unplaced += 1
        return NO_BOX

    def warnings(self) -> tuple[str, ...]:
        size = f"{self.width:g}×{self.height:g} {self.unit}"
        found = []
        if self.clipped:
            found.append(
                f"{self.label}: {_count(self.clipped, 'box')} reached outside the page "
                f"({size}) and {'was' if self.clipped == 1 else 'were'} clipped to it"
            )
        if self.outside:
            found.append(
                f"{self.label}: {_count(self.outside, 'box')} lay wholly outside the page "
                f"({size}); the text is kept, without a box"
            )
        if self.unplaced:
            found.append(
                f"{self.label}: {_count(self.unplaced, 'line or word', 'lines or words')} "
                "had no coordinates; the text is kept, without a box"
            )
        return tuple(found)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 'es'}"
