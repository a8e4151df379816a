"""What the transcription readers share: numbers read from attributes, boxes kept inside their
page (and what was clipped counted, to be reported), and the refusal of a file with its reason."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from reader.transcriptions.model import Box

# A box of no area: an element the file gives no place for, or one wholly outside the page.
# Its text is kept; it has no box to store.
NO_BOX = Box(0.0, 0.0, 0.0, 0.0)


class TranscriptionError(ValueError):
    """A transcription file that is not read, or does not fit the document: the reason."""


def has_area(box: Box) -> bool:
    return box.width > 0 and box.height > 0


def number(value: str | None, what: str) -> float | None:
    """An attribute's number (None when absent); a value that is no finite number refuses
    the file: a coordinate of "abc" or "NaN" cannot be placed."""
    if value is None or not value.strip():
        return None
    try:
        found = float(value)
    except ValueError:
        raise TranscriptionError(f"{what} is {value[:40]!r}, not a number") from None
    if not math.isfinite(found):
        raise TranscriptionError(f"{what} is {value[:40]!r}, not a number")
    return found


def confidence(value: str | None, what: str) -> float | None:
    """ALTO's WC and PAGE XML's conf: 0..1. A value outside that range says nothing."""
    found = number(value, what)
    return found if found is not None and 0.0 <= found <= 1.0 else None


_PAIR = re.compile(r"^\s*(-?[\d.]+(?:[eE][-+]?\d+)?)\s*,\s*(-?[\d.]+(?:[eE][-+]?\d+)?)\s*$")


def polygon_points(points: str, what: str) -> list[tuple[float, float]]:
    """PAGE XML's points="x,y x,y ...": the pairs, in order."""
    pairs = []
    for pair in points.split():
        match = _PAIR.match(pair)
        if match is None:
            raise TranscriptionError(f"{what} has the point {pair[:40]!r}, not x,y")
        x, y = (number(value, what) for value in match.groups())
        assert x is not None and y is not None
        pairs.append((x, y))
    return pairs


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
