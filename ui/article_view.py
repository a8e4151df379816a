"""Articles and other text documents as reflowed text, with every detected citation marked
and clickable. The text is set as plain text, so nothing in an HTML article ever runs.

Every mark (citations, highlights, find matches, the current passage) is an extra selection
derived from data each time it changes; none is written into the document's own formats, so
no mark can outlive the article it was made for or leak into the next one."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QResizeEvent, QTextCursor, QTextFormat, QWheelEvent
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.records import ArticleNote, CitationInfo
from ui.page_view import clamp_zoom, wheel_zoomed, zoom_step
from ui.tooltips import answer_tooltip

TOP_MARGIN = 4  # pixels above a citation scrolled to the top of the view

MARK_TEXT = QColor(20, 20, 20)  # marks are light in both palettes; their text stays dark


class COLOURS:
    """The article's marks; each kind its own look (see Help → Getting Started)."""

    resolved = QColor(196, 232, 196)  # an identifier found in the archive
    quote = QColor(200, 222, 250)  # a quoted passage found in the archive
    inner_quote = QColor(150, 190, 245)  # a quotation inside a quotation, found
    gap = QColor(250, 205, 200)  # a citation that points at nothing
    note = QColor(222, 208, 250)  # a note marker: hover for the note, click to follow it
    found = QColor(255, 236, 140)  # find-in-document and search matches
    focus = QColor(255, 160, 60)  # the citation or match being shown


def utf16_offsets(text: str) -> list[int] | None:
    """Qt counts UTF-16 units: where a text has characters beyond the BMP, offset i of the
    Python string is at list[i] in the document. None when the two agree."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    offsets, position = [], 0
    for char in text:
        offsets.append(position)
        position += 2 if ord(char) >= 0x10000 else 1
    offsets.append(position)
    return offsets


def citation_colour(citation: CitationInfo) -> QColor:
    if citation.target is None:
        return COLOURS.gap
    if citation.kind != "quote":
        return COLOURS.resolved
    return COLOURS.quote if citation.parent is None else COLOURS.inner_quote


class ArticleView(QTextBrowser):
    citation_clicked = Signal(object)  # CitationInfo
    note_clicked = Signal(object)  # ArticleNote
    zoomed_by = Signal(float)  # the reader zoomed the text: the new zoom over the one before

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setMouseTracking(True)
        self.document().setDocumentMargin(14)
        self.citations: list[CitationInfo] = []
        self.notes: list[ArticleNote] = []
        self.annotation_spans: list[tuple[int, int, str]] = []
        self.found: list[tuple[int, int]] = []
        self.focus_span: tuple[int, int] | None = None
        self._offsets: list[int] | None = None
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.base_point_size = font.pointSizeF()
        self.zoom = 1.0
        self._tops: list[tuple[float, bool, int, CitationInfo]] | None = None  # see _citation_tops
        self._marks: list[QTextEdit.ExtraSelection] | None = None  # see _redraw
        self.document().documentLayout().documentSizeChanged.connect(self._forget_tops)

    # What is shown

    def set_text(self, text: str, citations: Sequence[CitationInfo] = ()) -> None:
        """A new text: every mark of the one before goes with it."""
        self._offsets = utf16_offsets(text)
        self.annotation_spans, self.found, self.focus_span, self.notes = [], [], None, []
        self.document().setPlainText(text)
        self.setTextCursor(QTextCursor(self.document()))
        self.set_citations(list(citations))

    def set_citations(self, citations: list[CitationInfo]) -> None:
        """Outer quotations first, so that what they contain is drawn over them."""
        self.citations = sorted(citations, key=lambda c: (c.start, -c.end))
        self._tops = None
        self._redraw()

    def set_notes(self, notes: list[ArticleNote]) -> None:
        self.notes = notes
        self._redraw()

    def set_annotation_marks(self, spans: Sequence[tuple[int, int, str]]) -> None:
        """Highlights as (start, end, colour); replaces the ones shown before."""
        self.annotation_spans = list(spans)
        self._redraw()

    def show_span(self, start: int, end: int, found: Sequence[tuple[int, int]] = ()) -> None:
        """Mark `found` spans, put the focus mark on start:end and scroll it into view."""
        self.found = list(found)
        self.focus_span = (start, end)
        self._redraw()
        cursor = self._cursor(start, start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        # Put the passage a third of the way down rather than at the very edge.
        bar = self.verticalScrollBar()
        rect = self.cursorRect(cursor)
        bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def mark_span(self, start: int, end: int) -> None:
        """The focus mark and the caret on start:end, the view left where it is."""
        self.focus_span = (start, end)
        self._redraw(focus_only=True)
        bars = self.verticalScrollBar(), self.horizontalScrollBar()
        kept = [bar.value() for bar in bars]
        self.setTextCursor(self._cursor(start, start))  # Qt scrolls to the caret: undone
        for bar, value in zip(bars, kept, strict=True):
            bar.setValue(value)

    def scroll_to_top(self, position: int) -> None:
        """The line of a character at the top of the view."""
        self.verticalScrollBar().setValue(round(self._top_of(position)) - TOP_MARGIN)

    def marks(self) -> list[tuple[int, int, str]]:
        """Every mark drawn, as (start, end, what): for the tests and the legend."""
        shown = [(c.start, c.end, f"citation:{c.id}") for c in self.citations]
        shown += [(s, e, "highlight") for s, e, _ in self.annotation_spans]
        shown += [(s, e, "found") for s, e in self.found]
        if self.focus_span is not None:
            shown.append((*self.focus_span, "focus"))
        return shown

    def _redraw(self, *, focus_only: bool = False) -> None:
        """Every mark as an extra selection; with `focus_only`, the others as last drawn (a
        synced scroll moves the focus mark alone, many times a second)."""
        if not focus_only or self._marks is None:
            self._marks = self._marks_but_focus()
        selections = list(self._marks)
        if self.focus_span is not None:
            selections.append(self._selection(*self.focus_span, COLOURS.focus, False))
        self.setExtraSelections(selections)

    def _marks_but_focus(self) -> list[QTextEdit.ExtraSelection]:
        selections = [self._selection(c.start, c.end, citation_colour(c), True)
                      for c in self.citations]  # fmt: skip
        selections += [
            self._selection(s, e, COLOURS.note, False)
            for note in self.notes
            for s, e in note.markers
        ]
        selections += [
            self._selection(s, e, QColor(colour), False) for s, e, colour in self.annotation_spans
        ]
        selections += [self._selection(s, e, COLOURS.found, False) for s, e in self.found]
        return selections

    def _cursor(self, start: int, end: int) -> QTextCursor:
        if self._offsets is not None:
            last = len(self._offsets) - 1
            start, end = self._offsets[min(start, last)], self._offsets[min(end, last)]
        limit = max(self.document().characterCount() - 1, 0)
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(start, limit))
        cursor.setPosition(min(end, limit), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _selection(
        self, start: int, end: int, colour: QColor, underline: bool
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(start, end)
        selection.format.setBackground(colour)
        selection.format.setForeground(MARK_TEXT)
        selection.format.setFontUnderline(underline)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
        return selection

    # Zoom: the text's size, as a page view's zoom

    def set_zoom(self, zoom: float) -> None:
        """The text at this size, the line at the top of the view kept there."""
        before, zoom = self.zoom, clamp_zoom(zoom)
        if abs(zoom - before) < 1e-6:
            return
        anchor = self.position_at(QPoint(0, 0))
        self.zoom = zoom
        font = self.font()
        font.setPointSizeF(self.base_point_size * zoom)
        self.setFont(font)
        self.scroll_to_top(anchor)
        self.zoomed_by.emit(zoom / before)

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=True))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=False))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not wheel_zoomed(event, self.zoom_in, self.zoom_out):
            super().wheelEvent(event)

    # Where citations stand

    def citation_nearest_top(self) -> CitationInfo | None:
        """Of the citations that lead somewhere, the one nearest the top of the view; of
        those on one line, the first with a passage to mark (a quotation found), else the
        first."""
        tops = self._citation_tops()
        if not tops:
            return None
        top = self.verticalScrollBar().value() + TOP_MARGIN
        at = bisect.bisect_left(tops, (top,))
        after = tops[at] if at < len(tops) else None
        before = tops[bisect.bisect_left(tops, (tops[at - 1][0],))] if at > 0 else None
        if before is None or (after is not None and after[0] - top < top - before[0]):
            assert after is not None
            return after[3]
        return before[3]

    def _citation_tops(self) -> list[tuple[float, bool, int, CitationInfo]]:
        """(y in the document, no passage, start, citation) of the citations with a target,
        in that order: kept until the text, its citations, its size or its width change."""
        if self._tops is None:
            self._tops = sorted(
                (
                    (self._top_of(c.start), c.target.start is None, c.start, c)
                    for c in self.citations
                    if c.target is not None
                ),
                key=lambda t: t[:3],
            )
        return self._tops

    def _top_of(self, position: int) -> float:
        """The top of the line of a character, in the document's own coordinates."""
        cursor = self._cursor(position, position)
        block = cursor.block()
        top = self.document().documentLayout().blockBoundingRect(block).top()
        layout = block.layout()
        if layout is not None and layout.lineCount():
            line = layout.lineForTextPosition(cursor.position() - block.position())
            if line.isValid():
                top += line.y()
        return top

    def _forget_tops(self) -> None:
        self._tops = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._tops = None  # the text flows anew

    # Citations under the mouse and near the caret

    def position_at(self, point: QPoint) -> int:
        position = self.cursorForPosition(point).position()
        if self._offsets is not None:
            position = next((i for i, o in enumerate(self._offsets) if o >= position), position)
        return position

    def note_at(self, position: int) -> ArticleNote | None:
        """The note whose marker stands at a character (a marker may stand just before it)."""
        for note in self.notes:
            if any(s <= position <= e for s, e in note.markers):
                return note
        return None

    def note_tooltip(self, note: ArticleNote) -> str:
        """The note's text, and where each of its citations leads."""
        lines = [f"Note {note.number}: {' '.join(note.text.split())[:300]}"]
        for citation in self.citations:
            if citation.id in note.citations:
                lines.append(f"  {tooltip(citation)}")
        return "\n".join(lines)

    def citation_at(self, position: int) -> CitationInfo | None:
        """The innermost citation at a character: a quotation inside a quotation wins."""
        around = [c for c in self.citations if c.start <= position < c.end]
        return min(around, key=lambda c: c.end - c.start, default=None)

    def citation_near_cursor(self, forward: bool) -> CitationInfo | None:
        """The next (or previous) citation after the caret: for next/previous citation."""
        position = self.textCursor().position()
        if self._offsets is not None:
            position = next((i for i, o in enumerate(self._offsets) if o >= position), position)
        ordered = self.citations if forward else list(reversed(self.citations))
        for citation in ordered:
            if (forward and citation.start > position) or (
                not forward and citation.start < position
            ):
                return citation
        return ordered[0] if ordered else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        position = self.position_at(event.position().toPoint())
        note = self.note_at(position)
        if note is not None:
            self.note_clicked.emit(note)
            return
        citation = self.citation_at(position)
        if citation is not None:
            self.citation_clicked.emit(citation)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        position = self.position_at(event.position().toPoint())
        over = self.citation_at(position) is not None or self.note_at(position) is not None
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def viewportEvent(self, event: QEvent) -> bool:
        return answer_tooltip(event, self.viewport(), self._tip_at) or super().viewportEvent(event)

    def _tip_at(self, point: QPoint) -> str:
        position = self.position_at(point)
        note, citation = self.note_at(position), self.citation_at(position)
        if note is not None:
            return self.note_tooltip(note)
        return tooltip(citation) if citation is not None else ""


def tooltip(citation: CitationInfo) -> str:
    if citation.target is None:
        return f"{citation.kind}: not found in the archive (a gap)"
    label = citation.identifier or citation.target.title
    return (
        f"{citation.kind}: {label}, page {citation.target.page} "
        f"(score {citation.target.score:.2f}); click to open"
    )
