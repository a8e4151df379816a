"""Moving between documents: opening one, an article beside the primary page it cites,
stepping through citations, search hits, notes and gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

from reader.records import (
    AnnotationInfo,
    ArticleNote,
    CitationInfo,
    CitingReference,
    DatedClaim,
    DocumentInfo,
    GapGroup,
    SearchHit,
)
from ui.document_view import DocumentView

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow


class Navigation:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library

    @property
    def left(self) -> DocumentView:
        return self.window.left

    @property
    def right(self) -> DocumentView:
        return self.window.right

    def open_document(
        self, document: DocumentInfo | int | str, *, pane: DocumentView | None = None
    ) -> DocumentView:
        w = self.window
        info = document if isinstance(document, DocumentInfo) else self.library.document(document)
        view = pane or (
            self.right if self.right.isVisible() and w.active is self.right else self.left
        )
        view.open(info)
        if view is self.left:
            w.citations_panel.show_document(info)
            w.timeline_panel.show_document(info)
        w.active = view
        w.library_panel.select(info.id)
        return view

    def open_beside_article(self, doc: int) -> None:
        """A document chosen on the timeline: beside the article open on the left (as a
        citation opens), else where documents open."""
        article = self.left.info
        if article is not None and article.kind == "secondary" and article.id != doc:
            self.right.show()
            view = self.open_document(doc, pane=self.right)
        else:
            view = self.open_document(doc)
        if view.info is not None:
            self.window.show_message(f"{view.info.title}, {view.info.date or 'undated'}")

    def show_article_date(self, claim: DatedClaim) -> None:
        """A date of the article, chosen beside the timeline: its words in the article."""
        article = self.left.info
        if article is not None and article.kind == "secondary":
            self.left.article.show_span(claim.found.start, claim.found.end)

    def compare(self, article: str | int, primary: str | int) -> None:
        """The article on the left, the primary on the right at its first cited passage."""
        self.open_document(article, pane=self.left)
        target_id = self.library.resolve(primary)
        cited = [c for c in self.left.article.citations if c.target and c.target.doc == target_id]
        quotes = [c for c in cited if c.kind == "quote"]
        if quotes or cited:
            self.follow_citation((quotes or cited)[0])
        else:
            self.right.show()
            self.open_document(primary, pane=self.right)

    def follow_citation(self, citation: CitationInfo) -> None:
        """Mark the citation in the article; show its target page beside it, passage marked."""
        w = self.window
        self.left.show_citation_in_article(citation)
        w.citations_panel.select_citation(citation.id)
        if citation.target is None:
            w.show_message(f"“{citation.text[:60]}” points at nothing in the archive (a gap)")
            return
        target = citation.target
        self.right.show()
        if self.right.info is None or self.right.info.id != target.doc:
            self.right.open(self.library.document(target.doc))
        boxes = target.boxes
        if not boxes and target.start is not None and target.end is not None:
            boxes = self.library.passage_boxes(target.doc, target.page, target.start, target.end)
        more = {t.page: t.boxes for t in citation.targets[1:] if t.doc == target.doc}
        self.right.show_passage(target.page, target.start, target.end, boxes, more)
        pages = "–".join(str(t.page) for t in citation.targets[:2]) or str(target.page)
        w.show_message(
            f"{citation.kind} → {citation.identifier or target.title}, page {pages} "
            f"(score {target.score:.2f})"
        )

    def follow_note(self, note: ArticleNote) -> None:
        """A note marker: the note's first citation that leads somewhere, opened beside the
        article; else the note itself, in the article."""
        cited = [c for c in self.left.article.citations if c.id in note.citations]
        leading = [c for c in cited if c.target is not None]
        if leading:
            self.follow_citation(min(leading, key=lambda c: (c.kind != "quote", c.start)))
        else:
            self.left.article.show_span(note.start, note.end)
        text = " ".join(note.text.split())
        self.window.show_message(f"Note {note.number}: {text[:120]}")

    def open_citing(self, reference: CitingReference) -> None:
        """From a primary's "Cited by" list: the citing article left, this primary right."""
        primary = self.left.info
        self.open_document(reference.doc, pane=self.left)
        citation = next(
            (c for c in self.left.article.citations if c.id == reference.citation), None
        )
        if citation is not None:
            self.follow_citation(citation)
        elif primary is not None:
            self.right.show()
            self.right.open(primary)

    def open_gap(self, gap: GapGroup) -> None:
        """A gap's article, at the first place the missing reference stands."""
        self.open_document(gap.doc, pane=self.left)
        if gap.spans:
            start, end = gap.spans[0]
            self.left.article.show_span(start, end, [(s, e) for s, e in gap.spans])
        self.window.show_message(f"{gap.text}: cited {gap.count} time(s), not in the archive")

    def step_citation(self, forward: bool) -> None:
        citation = self.left.article.citation_near_cursor(forward)
        if citation is not None:
            self.follow_citation(citation)

    def close_compare(self) -> None:
        self.right.hide()
        self.window.active = self.left

    def track_active_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        for view in (self.left, self.right):
            if new is not None and view.isAncestorOf(new):
                self.window.active = view

    def open_hit(self, hit: SearchHit) -> None:
        pane = self.window.active if self.right.isVisible() else self.left
        view = self.open_document(hit.doc, pane=pane)
        view.show_hit(hit)
        self.window.show_message(f"{hit.title}, page {hit.page}")

    def go_to_annotation(self, annotation: AnnotationInfo) -> None:
        view = self.left
        if view.info is None or view.info.id != annotation.doc:
            view = self.open_document(annotation.doc)
        view.select_annotation(annotation)
        view.go_to_page(annotation.page)
        if view.is_paged() and annotation.rects:
            view.pages.go_to_page(annotation.page, annotation.rects[0])

    def go_to_page(self) -> None:
        view = self.window.active
        if view.info is None:
            return
        page, ok = QInputDialog.getInt(
            self.window, "Go to page", f"Page (1–{view.info.pages}):", view.current_page(), 1,
            max(view.info.pages, 1),
        )  # fmt: skip
        if ok:
            view.go_to_page(page)
