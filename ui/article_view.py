"""Articles and other text documents as reflowed text, with every detected citation marked
and clickable. The text is set as plain text, so nothing in an HTML article ever runs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.records import CitationInfo

RESOLVED = QColor(196, 232, 196)
QUOTE = QColor(214, 230, 250)
GAP = QColor(250, 205, 200)
FOUND = QColor(255, 226, 90)
FOCUS = QColor(255, 160, 60)


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


class ArticleView(QTextBrowser):
    citation_clicked = Signal(object)  # CitationInfo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.citations: list[CitationInfo] = []
        self._offsets: list[int] | None = None
        self._found: list[tuple[int, int]] = []
        self._annotation_spans: list[tuple[int, int]] = []
        self.setStyleSheet("QTextBrowser { padding: 12px; }")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)

    def set_text(self, text: str, citations: Sequence[CitationInfo] = ()) -> None:
        self._offsets = utf16_offsets(text)
        self._found, self._annotation_spans = [], []
        self.setPlainText(text)
        self.set_citations(list(citations))

    def set_citations(self, citations: list[CitationInfo]) -> None:
        self.citations = sorted(citations, key=lambda c: (c.start, -c.end))
        end_of_last = -1
        for citation in self.citations:
            if citation.start < end_of_last:
                continue  # an identifier inside a marked quotation keeps the outer mark
            self._mark(citation)
            end_of_last = citation.end

    def _cursor(self, start: int, end: int) -> QTextCursor:
        if self._offsets is not None:
            start, end = self._offsets[start], self._offsets[min(end, len(self._offsets) - 1)]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _mark(self, citation: CitationInfo) -> None:
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"cite:{citation.id}")
        colour = GAP if citation.target is None else QUOTE if citation.kind == "quote" else RESOLVED
        fmt.setBackground(colour)
        fmt.setForeground(QColor(20, 20, 20))
        fmt.setFontUnderline(True)
        fmt.setToolTip(_tooltip(citation))
        self._cursor(citation.start, citation.end).mergeCharFormat(fmt)

    def set_annotation_marks(self, spans: Sequence[tuple[int, int, str]]) -> None:
        """Highlights (start, end, colour) laid under the text; earlier marks are cleared."""
        for start, end in self._annotation_spans:
            clear = QTextCharFormat()
            clear.setBackground(QColor(0, 0, 0, 0))
            self._cursor(start, end).mergeCharFormat(clear)
        self.set_citations(self.citations)  # citation colours come back where they were
        self._annotation_spans = []
        for start, end, colour in spans:
            mark = QTextCharFormat()
            mark.setBackground(QColor(colour))
            self._cursor(start, end).mergeCharFormat(mark)
            self._annotation_spans.append((start, end))

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() != "cite":
            return
        wanted = int(url.path())
        for citation in self.citations:
            if citation.id == wanted:
                self.citation_clicked.emit(citation)
                return

    def show_span(self, start: int, end: int, found: Sequence[tuple[int, int]] = ()) -> None:
        """Mark `found` spans, put the focus mark on start:end and scroll it into view."""
        self._found = list(found)
        selections = [self._selection(s, e, FOUND) for s, e in self._found]
        selections.append(self._selection(start, end, FOCUS))
        self.setExtraSelections(selections)
        cursor = self._cursor(start, start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        # Put the passage a third of the way down rather than at the very edge.
        bar = self.verticalScrollBar()
        rect = self.cursorRect(cursor)
        bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def _selection(self, start: int, end: int, colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(start, end)
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
        return selection

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


def _tooltip(citation: CitationInfo) -> str:
    if citation.target is None:
        return f"{citation.kind}: not found in the archive (a gap)"
    label = citation.identifier or citation.target.title
    return (
        f"{citation.kind}: {label}, page {citation.target.page} "
        f"(score {citation.target.score:.2f}); click to open"
    )
