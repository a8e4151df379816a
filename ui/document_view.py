"""One document in the reader: pages (PDF and scans) or reflowed text (articles), with page
navigation, zoom, rotation, thumbnails, find-in-document and the OCR text of the page."""

from __future__ import annotations

import bisect

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.library import Library
from reader.models import TextSource
from reader.records import AnnotationInfo, CitationInfo, DocumentInfo, FoundPassage, SearchHit
from reader.render import is_renderable
from reader.textfind import find_folded
from ui.article_view import ArticleView
from ui.changes import Changes
from ui.find_bar import FindBar
from ui.marks import MarkStyle
from ui.page_view import ZOOM_STEPS, FitMode, PageView
from ui.renderer import PageRenderer
from ui.thumbnails import ThumbnailList, ThumbnailModel
from ui.workers import Operations

FIT_CHOICES = [("Fit width", FitMode.WIDTH), ("Fit page", FitMode.PAGE)]


class DocumentView(QWidget):
    """Listens to the window's `Changes` and redraws what they touch of its document."""

    citation_clicked = Signal(object)  # CitationInfo, from an article's marks
    note_clicked = Signal(object)  # ArticleNote, from a note marker
    page_changed = Signal(int, int)  # document id, 1-based page
    zoomed_by = Signal(float)  # the reader zoomed this view: the new zoom over the one before
    fit_chosen = Signal(object)  # the reader chose a FitMode for this view
    message = Signal(str)

    def __init__(
        self, library: Library, renderer: PageRenderer, ops: Operations, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.info: DocumentInfo | None = None
        self.page_starts: list[int] = []  # where each page begins in the article text
        self.author_filter: str | None = None  # show only this author's annotations

        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_font = self.title.font()
        title_font.setBold(True)
        self.title.setFont(title_font)  # a font, not a style sheet: it follows the palette
        self.title.setContentsMargins(4, 2, 4, 2)
        self.page_box = QSpinBox()
        self.page_box.setKeyboardTracking(False)
        self.page_box.setToolTip("Go to page (Ctrl+G)")
        self.page_count = QLabel()
        self.zoom_box = QComboBox()
        for label, fit in FIT_CHOICES:
            self.zoom_box.addItem(label, fit)
        for step in ZOOM_STEPS:
            self.zoom_box.addItem(f"{round(step * 100)} %", step)
        self.find_bar = FindBar(library, ops, self._show_found)
        self.find_box, self.find_label = self.find_bar.box, self.find_bar.label
        self.rotate_button = QToolButton()
        self.rotate_button.setText("⟳")
        self.rotate_button.setToolTip("Rotate view clockwise")
        self.text_button = QToolButton()
        self.text_button.setText("Text")
        self.text_button.setCheckable(True)
        self.text_button.setToolTip("Show the page's text (OCR or embedded)")

        self.pages = PageView(renderer)
        self.article = ArticleView()
        self.thumbnails = ThumbnailModel(renderer, self)
        self.thumbnail_list = ThumbnailList(self.thumbnails)
        self.page_text = QPlainTextEdit(readOnly=True)
        self.page_text.setVisible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pages)
        self.stack.addWidget(self.article)
        self._layout()
        self._connect()

    def _layout(self) -> None:
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        tools = QHBoxLayout()
        tools.setContentsMargins(4, 0, 4, 2)
        for widget in (
            QLabel("Page"), self.page_box, self.page_count, self.zoom_box, self.rotate_button,
            self.text_button,
        ):  # fmt: skip
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(self.find_bar)
        reading = QSplitter(Qt.Orientation.Vertical)
        reading.addWidget(self.stack)
        reading.addWidget(self.page_text)
        reading.setStretchFactor(0, 4)
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.thumbnail_list)
        body.addWidget(reading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addLayout(tools)
        layout.addLayout(body, 1)

    def _connect(self) -> None:
        self.page_box.valueChanged.connect(self._on_page_box)
        self.zoom_box.activated.connect(self._on_zoom_choice)
        self.rotate_button.clicked.connect(lambda: self.pages.rotate(90))
        self.text_button.toggled.connect(self._show_page_text)
        self.pages.current_page_changed.connect(self._on_current_page)
        self.pages.zoom_changed.connect(self._on_zoom_changed)
        self.pages.zoomed_by.connect(self.zoomed_by)
        self.pages.fit_chosen.connect(self.fit_chosen)
        self.article.zoomed_by.connect(self.zoomed_by)
        self.article.citation_clicked.connect(self.citation_clicked)
        self.article.note_clicked.connect(self.note_clicked)
        self.thumbnail_list.clicked.connect(lambda index: self.go_to_page(index.row() + 1))
        self.ops.changed.connect(self.on_changes)

    # Opening

    def open(self, info: DocumentInfo) -> None:
        self.info = info
        label = ", ".join(i for i in info.identifiers[:2] if i != info.title)
        self.title.setText(f"{info.title}" + (f"  ·  {label}" if label else ""))
        self.title.setToolTip(info.path)
        self.find_bar.set_document(info.id)
        renderable = is_renderable(info.media_type)
        self.thumbnail_list.setVisible(renderable)
        self.rotate_button.setVisible(renderable)
        self.zoom_box.setVisible(renderable)
        self.text_button.setVisible(renderable)
        self.pages.set_highlights({}, None)  # marks belong to the document they were made for
        if renderable:
            sizes = self.library.page_sizes(info.id)
            self.pages.set_document(info.id, sizes)
            self.thumbnails.set_document(info.id, len(sizes))
            self.stack.setCurrentWidget(self.pages)
        else:
            self._open_text(info)
        count = max(info.pages, 1)
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, count)
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_count.setText(f"of {count}")
        self._show_page_text(self.text_button.isChecked())
        self.reload_annotations()

    def reload_annotations(self) -> None:
        """Draw the document's annotations again (after an edit, an undo or a redo)."""
        if self.info is None:
            return
        annotations = self.library.annotations(self.info.id, author=self.author_filter)
        if self.is_paged():
            self.pages.set_annotations(annotations)
        else:
            spans = []
            text = self.article.toPlainText()
            for annotation in annotations:
                if not annotation.text:
                    continue
                base = self.page_starts[min(annotation.page, len(self.page_starts)) - 1]
                end = (
                    self.page_starts[annotation.page]
                    if annotation.page < len(self.page_starts)
                    else len(text)
                )
                found = next(find_folded(text[base:end], annotation.text), None)
                if found is not None:
                    spans.append((base + found[0], base + found[1], annotation.color))
            self.article.set_annotation_marks(spans)

    def text_selection(self) -> tuple[int, str] | None:
        """The page and text selected in an article, for highlighting it."""
        cursor = self.article.textCursor()
        if self.is_paged() or not cursor.hasSelection() or not self.page_starts:
            return None
        start = min(cursor.selectionStart(), cursor.selectionEnd())
        page = max(1, bisect.bisect_right(self.page_starts, start))
        return page, cursor.selectedText().replace("\u2029", "\n")

    def _open_text(self, info: DocumentInfo) -> None:
        pages = self.library.page_texts(info.id)
        self.page_starts = []
        position = 0
        for text in pages:
            self.page_starts.append(position)
            position += len(text) + 2
        self.article.set_text("\n\n".join(pages), self._citations(info.id))
        self.article.set_notes(self.library.article_notes(info.id))
        self.stack.setCurrentWidget(self.article)

    def _citations(self, doc: int) -> list[CitationInfo]:
        return self.library.citations(doc, with_boxes=False).citations

    def is_paged(self) -> bool:
        return self.stack.currentWidget() is self.pages

    def current_page(self) -> int:
        if self.is_paged():
            return self.pages.current_page()
        return self.page_box.value()

    # Navigation

    def go_to_page(self, page: int) -> None:
        if self.info is None:
            return
        if self.is_paged():
            self.pages.go_to_page(page)
        elif self.page_starts:
            start = self.page_starts[min(max(page, 1), len(self.page_starts)) - 1]
            self.article.show_span(start, start)
            self._on_current_page(page)

    def show_hit(self, hit: SearchHit) -> None:
        """The page of a search hit, its matched words marked."""
        if self.is_paged():
            self.pages.set_highlights({hit.page: hit.boxes})
            first = min(hit.boxes, key=lambda b: (b[1], b[0])) if hit.boxes else None
            self.pages.go_to_page(hit.page, first)
        else:
            self._show_terms_in_text(hit.page, hit.terms)

    def show_passage(
        self,
        page: int,
        start: int | None,
        end: int | None,
        boxes: list[list[float]],
        more: dict[int, list[list[float]]] | None = None,
        *,
        scroll: bool = True,
    ) -> None:
        """A cited passage: its words marked on the scan, or its span in the text; `more`,
        the boxes on the pages it runs on to. Not `scroll`: marked where it is."""
        if self.is_paged():
            self.pages.set_highlights({}, (page, boxes), more)
            if scroll:
                self.pages.go_to_page(page, _union(boxes))
        elif self.page_starts:
            base = self.page_starts[min(page, len(self.page_starts)) - 1]
            span = base + (start or 0), base + (end or start or 0)
            if scroll:
                self.article.show_span(*span)
                self._on_current_page(page)
            else:
                self.article.mark_span(*span)

    def show_citation_in_article(self, citation: CitationInfo, *, at_top: bool = False) -> None:
        """The citation marked and scrolled into view: a third of the way down, or at the
        top of the view."""
        self.article.show_span(citation.start, citation.end)
        if at_top:
            self.article.scroll_to_top(citation.start)

    def _show_terms_in_text(self, page: int, terms: list[str]) -> None:
        text = self.article.toPlainText()
        base = self.page_starts[min(page, len(self.page_starts)) - 1] if self.page_starts else 0
        page_end = self.page_starts[page] if page < len(self.page_starts) else len(text)
        page_text = text[base:page_end]
        spans = [(base + s, base + e) for term in terms for s, e in find_folded(page_text, term)]
        first = min(spans, default=(base, base))
        self.article.show_span(first[0], first[1], spans)
        self._on_current_page(page)

    # Find in document

    def find_next(self) -> None:
        self.find_bar.find_next()

    def find_previous(self) -> None:
        self.find_bar.find_previous()

    @property
    def found(self) -> list[FoundPassage]:
        return self.find_bar.found

    def _show_found(self, found: list[FoundPassage], at: int) -> None:
        passage = found[at]
        if self.is_paged():
            marks: dict[int, list[list[float]]] = {}
            for other in found:
                marks.setdefault(other.page, []).extend(other.boxes)
            self.pages.set_highlights(marks, (passage.page, passage.boxes), style=MarkStyle.FIND)
            self.pages.go_to_page(passage.page, _union(passage.boxes))
        else:
            starts = self.page_starts
            spans = [(starts[f.page - 1] + f.start, starts[f.page - 1] + f.end) for f in found]
            base = starts[passage.page - 1]
            self.article.show_span(base + passage.start, base + passage.end, spans)

    # What the window asks of a view

    def zoom_in(self) -> None:
        self.pages.zoom_in() if self.is_paged() else self.article.zoom_in()

    def zoom_out(self) -> None:
        self.pages.zoom_out() if self.is_paged() else self.article.zoom_out()

    def zoom(self) -> float:
        return self.pages.zoom if self.is_paged() else self.article.zoom

    def scale_zoom(self, factor: float) -> None:
        """Zoom by a factor (as the other pane was, when the panes move together)."""
        if self.is_paged():
            self.pages.set_zoom(self.pages.zoom * factor)
        else:
            self.article.set_zoom(self.article.zoom * factor)

    def set_fit(self, fit: FitMode) -> None:
        """Pages fitted to the view; reflowed text, which always fits, at its own size."""
        if self.is_paged():
            self.pages.set_fit(fit)
        else:
            self.article.set_zoom(1.0)
            self.fit_chosen.emit(fit)

    def rotate(self, degrees: int) -> None:
        self.pages.rotate(degrees)

    def focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def show_text_pane(self, shown: bool) -> None:
        self.text_button.setChecked(shown)

    def selected_annotation(self) -> AnnotationInfo | None:
        return self.pages.selected_annotation if self.is_paged() else None

    def annotation_rect(self, annotation: AnnotationInfo) -> QRect | None:
        """Where an annotation shows on the screen (global coordinates), if it does."""
        if self.info is None or self.info.id != annotation.doc:
            return None
        if self.is_paged():
            box = _union(annotation.rects)
            if box is None:
                return None
            rect = self.pages.box_on_screen(annotation.page, box).toAlignedRect()
            return QRect(self.pages.viewport().mapToGlobal(rect.topLeft()), rect.size())
        rect = self.article.cursorRect(self.article.textCursor())
        return QRect(self.article.viewport().mapToGlobal(rect.topLeft()), rect.size())

    def select_annotation(self, annotation: AnnotationInfo | None) -> None:
        self.pages.selected_annotation = annotation
        self.pages.viewport().update()

    def set_author_filter(self, author: str | None) -> None:
        self.author_filter = author
        self.reload_annotations()

    def on_changes(self, changes: Changes) -> None:
        """Redraw what a write changed of this document, where the reader is."""
        if self.info is None:
            return
        doc = self.info.id
        if changes.record_of(doc):
            try:
                info = self.library.document(doc)
            except LookupError:
                self.close_document()
                return
            if info != self.info:
                self._reopen(info)
                return
        if changes.citations_of(doc) and not self.is_paged():
            self.article.set_citations(self._citations(doc))
            self.article.set_notes(self.library.article_notes(doc))
        if changes.annotations_of(doc):
            self.reload_annotations()
        if changes.text_of(doc) and self.page_text.isVisible():
            self._load_page_text(self.current_page())

    def _reopen(self, info: DocumentInfo) -> None:
        page = self.current_page()
        scroll = self.article.verticalScrollBar().value()
        self.open(info)
        if self.is_paged():
            self.go_to_page(page)
        else:
            self.article.verticalScrollBar().setValue(scroll)

    def close_document(self) -> None:
        self.info = None
        self.title.setText("")
        self.pages.set_document(0, [])
        self.thumbnails.set_document(0, 0)
        self.article.set_text("")

    # Reactions

    def _on_page_box(self, page: int) -> None:
        if page != self.current_page():
            self.go_to_page(page)

    def _on_current_page(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page)
        self.page_box.blockSignals(False)
        if self.is_paged():
            self.thumbnail_list.setCurrentIndex(self.thumbnails.index(page - 1))
        if self.info is not None:
            self.page_changed.emit(self.info.id, page)
        if self.page_text.isVisible():
            self._load_page_text(page)

    def _on_zoom_choice(self, row: int) -> None:
        choice = self.zoom_box.itemData(row)
        if isinstance(choice, FitMode):
            self.pages.set_fit(choice)
        else:
            self.pages.set_zoom(float(choice))

    def _on_zoom_changed(self, zoom: float) -> None:
        if self.pages.fit is FitMode.NONE:
            row = self.zoom_box.findData(zoom)
            self.zoom_box.setCurrentIndex(row if row >= 0 else self._other_zoom_row(zoom))
        else:
            self.zoom_box.setCurrentIndex(0 if self.pages.fit is FitMode.WIDTH else 1)

    def _other_zoom_row(self, zoom: float) -> int:
        """A zoom between the steps (the other pane's, scaled): one extra row says it."""
        row = len(FIT_CHOICES) + len(ZOOM_STEPS)
        if self.zoom_box.count() <= row:
            self.zoom_box.addItem("")
        self.zoom_box.setItemText(row, f"{round(zoom * 100)} %")
        self.zoom_box.setItemData(row, zoom)
        return row

    def _show_page_text(self, shown: bool) -> None:
        self.page_text.setVisible(shown and self.is_paged())
        if shown and self.info is not None:
            self._load_page_text(self.current_page())

    def _load_page_text(self, page: int) -> None:
        if self.info is None or not self.is_paged():
            return
        info = self.library.page(self.info.id, page)
        if info.source == TextSource.OCR and info.confidence is not None:
            header = f"OCR text, page {page} (mean confidence {info.confidence:.0f} %)"
        elif info.source == TextSource.TRANSCRIPTION:
            header = f"Transcription of page {page} (attached from ALTO or PAGE XML)"
        elif info.text:
            header = f"Text of page {page}"
        else:
            header = f"Page {page} has no text yet (waiting for OCR)"
        self.page_text.setPlainText(f"{header}\n\n{info.text}")


def _union(boxes: list[list[float]]) -> list[float] | None:
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes)]  # fmt: skip
