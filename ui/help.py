"""Help → Getting Started: the few keys that do most of the work, and what the colours mean.
The shortcuts and colours are read from the action table and the views, so the page cannot
drift from what the app does."""

from __future__ import annotations

import html

from PySide6.QtGui import QColor, QKeySequence

from ui.article_view import COLOURS
from ui.main_window.actions import spec
from ui.marks import FOCUS_COLOUR, MarkStyle

STEPS = [
    ("Open a document", "double-click it in the Library, or select it and press Enter"),
    ("Step through an article's citations", "next_citation", "previous_citation"),
    ("Scroll and zoom the two panes together", "sync_panes"),
    ("Find in the document", "find", "find_next"),
    ("Search every page", "search"),
    (
        "Browse the archive's order",
        "choose a place in the tree above the Library: the table "
        "and searches keep to it; drag documents onto a place to file them there",
    ),
    ("Highlight", "drag over words on a page, or select text and press", "highlight"),
    ("Write a note on a mark", "double-click it, or select it and press", "edit_note"),
    ("Bookmark the page", "bookmark"),
    ("Close the comparison", "close_compare"),
    ("See the documents by date, an article's dates beside them", "timeline"),
]


def _keys(name: str) -> str:
    shortcut = spec(name).shortcut
    if shortcut is None:
        return ""
    text = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    return f"<b>{html.escape(text)}</b>"


def _row(step: tuple[str, ...]) -> str:
    what, *how = step
    parts = [_keys(h) if not h[0].isupper() and " " not in h else html.escape(h) for h in how]
    return f"<tr><td>{html.escape(what)}</td><td>{' / '.join(p for p in parts if p)}</td></tr>"


def _swatch(colour: QColor, label: str, meaning: str) -> str:
    return (
        f"<tr><td><span style='background:{colour.name()}; color:#141414'>&nbsp;{label}&nbsp;"
        f"</span></td><td>{html.escape(meaning)}</td></tr>"
    )


def getting_started_html() -> str:
    steps = "".join(_row(step) for step in STEPS)
    legend = "".join([
        _swatch(COLOURS.resolved, "NOKW 1088", "an identifier found in the archive"),
        _swatch(COLOURS.quote, "“quoted words”", "a quotation found on a primary page"),
        _swatch(COLOURS.inner_quote, "‘inner words’",
                "a quotation inside a quotation (often the primary's own words)"),
        _swatch(COLOURS.gap, "RG 238", "a citation that points at nothing here (a gap)"),
        _swatch(COLOURS.note, "12", "a note marker: hover for the note, click to follow it"),
        _swatch(COLOURS.focus, "shown", "the citation or match being shown"),
        _swatch(COLOURS.found, "match", "find-in-document matches in an article"),
        _swatch(MarkStyle.HIT.line(), "hit", "search hits on a page: blue, underlined"),
        _swatch(MarkStyle.FIND.line(), "found", "find matches on a page: violet outline"),
        _swatch(QColor(FOCUS_COLOUR.red(), FOCUS_COLOUR.green(), FOCUS_COLOUR.blue()),
                "passage", "the cited passage on the primary page"),
    ])  # fmt: skip
    return (
        "<h3>Getting started</h3>"
        "<p>Open an article (a secondary document): its citations are marked. Choose one, "
        "and the page it cites opens beside it with the passage marked.</p>"
        f"<table cellpadding='3'>{steps}</table>"
        "<h4>Citation colours</h4>"
        f"<table cellpadding='3'>{legend}</table>"
        "<p>Your own highlights keep the colour you chose (Annotate → Highlight Colour); "
        "hovering one shows its note.</p>"
    )
