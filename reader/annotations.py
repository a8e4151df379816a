"""Annotations in the catalog: highlights on words, areas on images, notes and bookmarks.
They never touch the original file; each change is its own committed transaction."""

from __future__ import annotations

import getpass
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from reader.citations.quotes import QUOTE_THRESHOLD, align, quote_segments
from reader.citations.textmap import word_text
from reader.hitboxes import boxes_in_span
from reader.models import Annotation
from reader.records import AnnotationInfo
from reader.textfind import find_folded

KINDS = ("highlight", "area", "note", "bookmark")
DEFAULT_COLOUR = "#ffe066"
AUTHOR_ENV = "ARCHIVE_READER_AUTHOR"


class AnnotationError(ValueError):
    """An annotation that cannot be made as asked (passage not on the page, bad rectangle)."""


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    score: float


def default_author() -> str:
    try:
        return os.environ.get(AUTHOR_ENV) or getpass.getuser()
    except (KeyError, OSError):
        return ""


def find_passage(page_text: str, quote: str) -> Passage | None:
    """The quote on the page: exactly (case and accents aside), else aligned fuzzily, which
    survives OCR errors and elisions."""
    exact = next(find_folded(page_text, quote), None)
    if exact is not None:
        return Passage(exact[0], exact[1], 1.0)
    found = align(quote_segments(quote), word_text(page_text))
    if found is None or found.score < QUOTE_THRESHOLD:
        return None
    return Passage(found.start, found.end, found.score)


def quote_rects(words: list[list[Any]], page_text: str, passage: Passage) -> list[list[float]]:
    boxes = boxes_in_span(words, page_text, passage.start, passage.end)
    return merge_line_boxes(boxes)


def merge_line_boxes(boxes: list[list[float]]) -> list[list[float]]:
    """Word boxes joined into one box per line: the quads a PDF highlight wants."""
    lines: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        last = lines[-1] if lines else None
        if last is not None and last[1] <= (y0 + y1) / 2 <= last[3]:
            last[:] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            lines.append([x0, y0, x1, y1])
    return sorted(lines, key=lambda line: line[1])


def parse_rect(text: str) -> list[float]:
    """X0,Y0,X1,Y1 as written on the command line; whether it fits the page is checked where
    every annotation is made (check_rects)."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise AnnotationError(f"a rectangle is X0,Y0,X1,Y1 (four numbers), not {text!r}")
    return values


def check_rects(
    rects: Sequence[Sequence[float]], page: int, size: tuple[float, float]
) -> list[list[float]]:
    """The rectangles as floats, each finite, with X0 < X1 and Y0 < Y1, and inside the page
    (`size` is its width and height in page coordinates): what is stored must be drawable,
    exportable and printable as JSON."""
    width, height = size
    if not (width > 0 and height > 0):
        raise AnnotationError(f"page {page} is text without a page size: mark a quote instead")
    boxes = []
    for rect in rects:
        box = _as_floats(rect)
        x0, y0, x1, y1 = box if len(box) == 4 else (math.nan,) * 4
        # Written so that NaN, which fails every comparison, fails the check too.
        if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
            raise AnnotationError(
                f"a rectangle is X0,Y0,X1,Y1 with X0 < X1 and Y0 < Y1, finite and inside page "
                f"{page} ({width:g} x {height:g}), not {','.join(f'{v:g}' for v in box)}"
            )
        boxes.append(box)
    return boxes


def clip_to_page(rects: Sequence[Sequence[float]], size: tuple[float, float]) -> list[list[float]]:
    """Rectangles cut to the page (`size`: its width and height): a drag that ran past the
    page's edge, a word box that sticks out of it. Those wholly outside are left out."""
    width, height = size
    clipped = []
    for x0, y0, x1, y1 in rects:
        box = [max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1)]
        if box[0] < box[2] and box[1] < box[3]:
            clipped.append(box)
    return clipped


def _as_floats(rect: Sequence[float]) -> list[float]:
    try:
        return [float(v) for v in rect]
    except (TypeError, ValueError) as exc:
        raise AnnotationError(f"a rectangle is four numbers, not {rect!r}") from exc


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise AnnotationError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def info(annotation: Annotation) -> AnnotationInfo:
    return AnnotationInfo(
        id=annotation.id,
        doc=annotation.document_id,
        page=annotation.page,
        kind=annotation.kind,
        rects=[list(map(float, r)) for r in annotation.rects],
        text=annotation.text,
        note=annotation.note,
        color=annotation.color,
        author=annotation.author,
        created=_utc(annotation.created).isoformat(),
        updated=_utc(annotation.updated).isoformat(),
        shared=bool(annotation.shared),
        owner=annotation.owner,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the catalog writes them in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def visible_to(viewer: str) -> ColumnElement[bool]:
    """The reading room's one rule: an annotation is its owner's own (the reader who made it)
    unless shared. What the app shows, what is exported and what search finds all follow it.
    One with no owner (written by another program) is nobody's, and seen by all."""
    return or_(Annotation.shared.is_(True), Annotation.owner == viewer, Annotation.owner == "")


def annotations_of(
    session: Session,
    doc_ids: Sequence[int] | None = None,
    author: str | None = None,
    *,
    viewer: str | None = None,
) -> list[AnnotationInfo]:
    """Annotations of the documents (or all), one author's only if `author`; those `viewer`
    may see (visible_to) if given, else every one."""
    query = select(Annotation).order_by(Annotation.document_id, Annotation.page, Annotation.id)
    if viewer is not None:
        query = query.where(visible_to(viewer))
    if doc_ids is not None:
        query = query.where(Annotation.document_id.in_(list(doc_ids)))
    if author is not None:
        query = query.where(Annotation.author == author)
    return [info(a) for a in session.scalars(query)]
