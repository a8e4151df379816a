"""How marks on a page look: search hits, find matches and the passage being shown each in
their own style, apart from the researcher's highlights; and what hovering a mark says."""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QColor

from reader.records import AnnotationInfo

FOCUS_COLOUR = QColor(255, 120, 0, 110)  # the cited passage or the current match


class MarkStyle(Enum):
    """Search hits and find matches each have their own look, apart from the researcher's
    highlights (filled in their colour) and the passage being shown (orange)."""

    HIT = "hit"  # a search hit: blue wash, blue underline
    FIND = "find"  # find in document: violet outline

    def fill(self) -> QColor:
        return QColor(60, 140, 255, 60) if self is MarkStyle.HIT else QColor(150, 80, 255, 40)

    def line(self) -> QColor:
        return QColor(30, 100, 230) if self is MarkStyle.HIT else QColor(130, 60, 230)


def annotation_tip(annotation: AnnotationInfo) -> str:
    """What hovering a mark shows: its kind, the words it covers and its note."""
    words = " ".join(annotation.text.split())
    lines = [f"{annotation.kind.capitalize()}, page {annotation.page} ({annotation.author})"]
    if words:
        lines.append(f"“{words[:200]}”")
    lines.append(annotation.note or "No note yet: double-click to write one")
    return "\n".join(lines)
