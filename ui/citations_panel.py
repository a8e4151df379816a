"""Citations around the open document: those an article makes, the articles citing a
primary document ("Cited by"), its notes, and the citations that point at nothing (gaps,
grouped by article). The panel reads them itself, and again after each change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QTabWidget, QWidget

from reader.library import Library
from reader.records import AnnotationInfo, CitationInfo, CitingReference, DocumentInfo, GapGroup
from reader.references import named_page
from ui.changes import Changes
from ui.reference_copy import COPY_TEXT, copy_references
from ui.workers import Operations, QueryOp

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")


def citation_label(citation: CitationInfo) -> str:
    text = " ".join(citation.text.split())
    text = text if len(text) < 90 else text[:87] + "…"
    if citation.target is None:
        where = "not in the archive"
    else:
        name = citation.identifier or citation.target.title
        where = f"→ {name}, p. {citation.target.page}"
    return f"[{citation.kind}] {text}  {where}"


def annotation_label(annotation: AnnotationInfo) -> str:
    quoted = " ".join(annotation.text.split())
    quoted = f"“{quoted[:70]}”" if quoted else ""
    note = f" — {annotation.note}" if annotation.note else ""
    return f"p. {annotation.page} [{annotation.kind}] {quoted}{note}  ({annotation.author})"


def gap_label(gap: GapGroup) -> str:
    text = " ".join(gap.text.split())
    text = text if len(text) < 80 else text[:77] + "…"
    times = f"  ×{gap.count}" if gap.count > 1 else ""
    return f"    [{gap.kind}] {text}{times}"


class CitationsPanel(QTabWidget):
    citation_activated = Signal(object)  # CitationInfo
    reference_activated = Signal(object)  # CitingReference
    annotation_activated = Signal(object)  # AnnotationInfo
    gap_activated = Signal(object)  # GapGroup
    message = Signal(str)  # for the status bar

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.document: DocumentInfo | None = None
        self.author_filter: str | None = None
        self.citations = QListWidget()
        self.cited_by = QListWidget()
        self.gaps = QListWidget()
        self.notes = QListWidget()
        for widget, title in (
            (self.citations, "Citations"), (self.cited_by, "Cited by"), (self.gaps, "Gaps"),
            (self.notes, "Notes"),
        ):  # fmt: skip
            widget.setWordWrap(True)
            widget.setAlternatingRowColors(True)
            widget.itemActivated.connect(self._on_item)
            widget.itemClicked.connect(self._on_item)
            self.addTab(widget, title)
        for widget in (self.citations, self.cited_by):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(
                lambda at, w=widget: self._show_context_menu(w, at)
            )
        ops.changed.connect(self.on_changes)

    # What the window asks

    def show_document(self, document: DocumentInfo) -> None:
        """The citations, citing articles and notes of the document open on the left."""
        self.document = document
        citations = self._load_citations()
        self._load_notes()
        if citations:
            self.setCurrentIndex(0)
        elif self.cited_by.count():
            self.setCurrentIndex(1)

    def set_author_filter(self, author: str | None) -> None:
        self.author_filter = author
        self._load_notes()

    def select_citation(self, citation_id: int) -> None:
        for row in range(self.citations.count()):
            item = self.citations.item(row)
            data = item.data(ITEM_ROLE)
            if isinstance(data, CitationInfo) and data.id == citation_id:
                self.citations.setCurrentItem(item)
                return

    def selected_annotation(self) -> AnnotationInfo | None:
        item = self.notes.currentItem()
        data = item.data(ITEM_ROLE) if item is not None else None
        return data if isinstance(data, AnnotationInfo) else None

    def refresh_gaps(self) -> None:
        """The gaps fill in the background: they need the citation code, which the window
        does not wait for."""
        self.ops.run(QueryOp("Gaps", lambda _progress: self.library.gap_groups(), self.set_gaps))

    def context_menu(self, widget: QListWidget, at: QPoint) -> QMenu | None:
        """The menu of the row at `at` of the Citations or Cited by list: Copy Reference of
        the document and page a citation resolves to, or of the article that cites."""
        item = widget.itemAt(at)
        reference = _referenced(item.data(ITEM_ROLE)) if item is not None else None
        if reference is None:
            return None
        doc, page = reference
        menu = QMenu(self)
        copy = menu.addAction(COPY_TEXT)
        copy.triggered.connect(
            lambda: copy_references(self.library, self.ops, [doc], page, self.message.emit)
        )
        return menu

    def _show_context_menu(self, widget: QListWidget, at: QPoint) -> None:
        menu = self.context_menu(widget, at)
        if menu is not None:
            menu.exec(widget.viewport().mapToGlobal(at))
            menu.deleteLater()

    # Listening

    def on_changes(self, changes: Changes) -> None:
        if changes.citations or changes.catalog:
            self.refresh_gaps()
        if self.document is None:
            return
        doc = self.document.id
        if changes.citations_of(doc):
            self._load_citations()
        if changes.annotations_of(doc):
            self._load_notes()

    def _load_citations(self) -> list[CitationInfo]:
        assert self.document is not None
        doc = self.document.id
        citations = self.library.citations(doc, with_boxes=False).citations
        self._fill(self.citations, citations, citation_label)
        self.setTabText(0, f"Citations ({len(citations)})")
        references = self.library.cited_by(doc)
        self._fill(
            self.cited_by,
            references,
            lambda r: f"{r.title}: “{' '.join(r.text.split())[:80]}” → p. {r.target_page}",
        )
        self.setTabText(1, f"Cited by ({len(references)})")
        return citations

    def _load_notes(self) -> None:
        if self.document is None:
            return
        annotations = self.library.annotations(self.document.id, author=self.author_filter)
        self._fill(self.notes, annotations, annotation_label)
        self.setTabText(3, f"Notes ({len(annotations)})")

    def set_gaps(self, gaps: list[GapGroup]) -> None:
        """One heading per article, then one row per distinct reference with its count."""
        self.gaps.clear()
        article: int | None = None
        bold = QFont(self.gaps.font())
        bold.setBold(True)
        for gap in gaps:
            if gap.doc != article:
                article = gap.doc
                heading = QListWidgetItem(gap.title)
                heading.setFont(bold)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.gaps.addItem(heading)
            item = QListWidgetItem(gap_label(gap))
            item.setData(ITEM_ROLE, gap)
            item.setToolTip(f"{gap.count} time(s) in {gap.title}; not found in the archive")
            self.gaps.addItem(item)
        self.setTabText(2, f"Gaps ({len(gaps)})")

    @staticmethod
    def _fill(widget: QListWidget, rows: Sequence[T], label: Callable[[T], str]) -> None:
        widget.clear()
        for row in rows:
            item = QListWidgetItem(label(row))
            item.setData(ITEM_ROLE, row)
            widget.addItem(item)

    def _on_item(self, item: QListWidgetItem) -> None:
        data = item.data(ITEM_ROLE)
        if isinstance(data, CitationInfo):
            self.citation_activated.emit(data)
        elif isinstance(data, CitingReference):
            self.reference_activated.emit(data)
        elif isinstance(data, AnnotationInfo):
            self.annotation_activated.emit(data)
        elif isinstance(data, GapGroup):
            self.gap_activated.emit(data)


def _referenced(row: object) -> tuple[int, int | None] | None:
    """The document and page a row's reference is of: where a citation leads (none for a
    gap), or the article that makes a citation, at its page (its first page says nothing)."""
    if isinstance(row, CitationInfo):
        return None if row.target is None else (row.target.doc, named_page(row.target))
    if isinstance(row, CitingReference):
        return row.doc, row.page if row.page != 1 else None
    return None
