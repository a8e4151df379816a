"""Moving between documents: opening one, an article beside the primary page it cites,
stepping through citations, search hits, notes and gaps; the two panes moving together.

Each move made here happens inside the sync's `held()`: it moves what it names, and the
synced pane does not answer it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

from reader.annotations import AnnotationError
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
from ui.pane_sync import PaneSync
from ui.passages import PassageBoxes

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

SYNC_SETTING = "view/synced-panes"


class Navigation:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library
        self.passages = PassageBoxes(window.library, window.ops, window)
        self.sync = PaneSync(
            window.left, window.right, self._show_synced, self.passages.look_ahead, window
        )

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
        with self.sync.held():
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
            with self.sync.held():
                self.right.show()
                self.open_document(primary, pane=self.right)

    def open_beside_first_citation(self, article: DocumentInfo | int | str) -> bool:
        """The article on the left, beside the first page it cites (its first quotation found
        in the archive, whose passage can be marked; else its first citation that leads
        somewhere). False when no citation of it leads anywhere."""
        self.open_document(article, pane=self.left)
        leading = [c for c in self.left.article.citations if c.target is not None]
        quotes = [c for c in leading if c.kind == "quote"]
        first = min(quotes or leading, key=lambda c: c.start, default=None)
        if first is None:
            return False
        self.follow_citation(first)
        return True

    def follow_citation(self, citation: CitationInfo) -> None:
        """Mark the citation in the article; show its target page beside it, passage marked.
        With the panes synced the citation goes to the top of the article's view, where the
        sync looks for the citation the right pane shows."""
        w = self.window
        with self.sync.held():
            self.left.show_citation_in_article(citation, at_top=self.sync.enabled)
            w.citations_panel.select_citation(citation.id)
            if citation.target is None:
                w.show_message(f"“{citation.text[:60]}” points at nothing in the archive (a gap)")
                return
            self.show_cited_page(citation)
        self.sync.showing(citation)

    def _show_synced(self, citation: CitationInfo, stay_on: int | None) -> None:
        """The citation the sync brought the panes to: chosen in the Citations list too."""
        self.window.citations_panel.select_citation(citation.id)
        self.show_cited_page(citation, stay_on)

    def show_cited_page(self, citation: CitationInfo, stay_on: int | None = None) -> None:
        """A citation's target page in the right pane, the passage marked and scrolled into
        view; with `stay_on`, marked while the pane stays on that page."""
        target = citation.target
        if target is None:
            return
        w = self.window
        with self.sync.held():
            self.right.show()
            if self.right.info is None or self.right.info.id != target.doc:
                self.right.open(self.library.document(target.doc))
                if stay_on is not None:
                    self.right.go_to_page(stay_on)
            boxes = self.passages.boxes(target)
            more = {
                t.page: self.passages.boxes(t) for t in citation.targets[1:] if t.doc == target.doc
            }
            self.right.show_passage(target.page, target.start, target.end, boxes, more,
                                    scroll=stay_on is None)  # fmt: skip
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
            with self.sync.held():
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
            with self.sync.held():
                self.right.show()
                self.right.open(primary)

    def open_gap(self, gap: GapGroup) -> None:
        """A gap's article, at the first place the missing reference stands."""
        self.open_document(gap.doc, pane=self.left)
        if gap.spans:
            start, end = gap.spans[0]
            with self.sync.held():
                self.left.article.show_span(start, end, [(s, e) for s, e in gap.spans])
        self.window.show_message(f"{gap.text}: cited {gap.count} time(s), not in the archive")

    def step_citation(self, forward: bool) -> None:
        citation = self.left.article.citation_near_cursor(forward)
        if citation is not None:
            self.follow_citation(citation)

    def close_compare(self) -> None:
        self.right.hide()
        self.window.active = self.left

    def set_synced(self, synced: bool, *, remember: bool = True) -> None:
        """The two panes locked together, or each on its own; remembered at once."""
        self.sync.set_enabled(synced)
        action = self.window.named_actions["sync_panes"]
        if action.isChecked() != synced:
            action.setChecked(synced)
        if remember:
            self.window.settings.setValue(SYNC_SETTING, synced)
            self.window.settings.sync()

    def restore(self) -> None:
        synced = self.window.settings.value(SYNC_SETTING, False, type=bool)
        self.set_synced(bool(synced), remember=False)

    def track_active_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        for view in (self.left, self.right):
            if new is not None and view.isAncestorOf(new):
                self.window.active = view

    def open_hit(self, hit: SearchHit) -> None:
        if hit.annotation is not None:
            self._open_note_hit(hit)
            return
        pane = self.window.active if self.right.isVisible() else self.left
        view = self.open_document(hit.doc, pane=pane)
        with self.sync.held():
            view.show_hit(hit)
        self.window.show_message(f"{hit.title}, page {hit.page}")

    def _open_note_hit(self, hit: SearchHit) -> None:
        """A note found by search: its page, the annotation selected (its words marked, if
        it highlights any)."""
        try:
            annotation = self.library.annotation(hit.annotation or 0)
        except AnnotationError:  # deleted (or made private) since the search ran
            self.window.show_message(f"That note is no longer there ({hit.title}, p. {hit.page})")
            return
        self.go_to_annotation(annotation)
        by = f" by {annotation.author}" if annotation.author else ""
        self.window.show_message(f"Note{by}: {hit.title}, page {hit.page}")

    def go_to_annotation(self, annotation: AnnotationInfo) -> None:
        view = self.left
        if view.info is None or view.info.id != annotation.doc:
            view = self.open_document(annotation.doc)
        with self.sync.held():
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
