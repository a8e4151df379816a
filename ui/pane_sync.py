"""Synced panes: the article and the primary page it cites, locked together. Zooming one zooms
the other by the same factor and a fit applies to both; scrolling the article shows, in the
right pane, the citation nearest the top of the article's view; paging the primary scrolls the
article to the first citation of that page. Off by default (View → Synced Panes).

A move the sync makes, or one the window makes on purpose (opening a document, following a
citation), happens inside `held()`: the pane it moves does not move the other one back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject

from reader.records import CitationInfo, CitationTarget
from ui.document_view import DocumentView
from ui.page_view import FitMode

AHEAD = 2  # citations below (and above) the one shown whose pages are drawn ahead
ShowCited = Callable[[CitationInfo, int | None], None]  # a citation, the page to leave shown
LookAhead = Callable[[Iterable[CitationTarget]], None]  # passages to find off the GUI thread


class PaneSync(QObject):
    def __init__(self, left: DocumentView, right: DocumentView, show_cited: ShowCited,
                 look_ahead: LookAhead, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.left, self.right = left, right
        self.show_cited = show_cited  # the citation's passage in the right pane
        self.look_ahead = look_ahead
        self.enabled = False
        self.shown: int | None = None  # the citation the two panes show together
        self._held = 0
        left.zoomed_by.connect(self._left_zoomed)
        right.zoomed_by.connect(self._right_zoomed)
        left.fit_chosen.connect(self._left_fitted)
        right.fit_chosen.connect(self._right_fitted)
        left.article.verticalScrollBar().valueChanged.connect(self._article_scrolled)
        right.page_changed.connect(self._primary_paged)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled

    @contextmanager
    def held(self) -> Iterator[None]:
        """Moves made inside move only the pane they name."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    def showing(self, citation: CitationInfo) -> None:
        """The panes show this citation now (the window followed it)."""
        self.shown = citation.id
        if self.enabled:
            self._draw_ahead(citation)

    def _following(self) -> bool:
        return self.enabled and not self._held and self.right.isVisible()

    # Zoom and fit

    def _left_zoomed(self, factor: float) -> None:
        self._zoom(self.right, factor)

    def _right_zoomed(self, factor: float) -> None:
        self._zoom(self.left, factor)

    def _zoom(self, other: DocumentView, factor: float) -> None:
        if self._following() and other.info is not None:
            with self.held():
                other.scale_zoom(factor)

    def _left_fitted(self, fit: FitMode) -> None:
        self._fit(self.right, fit)

    def _right_fitted(self, fit: FitMode) -> None:
        self._fit(self.left, fit)

    def _fit(self, other: DocumentView, fit: FitMode) -> None:
        if self._following() and other.info is not None:
            with self.held():
                other.set_fit(fit)

    # Scrolling and paging

    def _article_scrolled(self, _value: int) -> None:
        if not self._following() or self.left.info is None or self.left.is_paged():
            return
        citation = self.left.article.citation_nearest_top()
        if citation is None or citation.id == self.shown:
            return
        with self.held():
            self.left.article.mark_span(citation.start, citation.end)
            self.show_cited(citation, None)
        self.shown = citation.id
        self._draw_ahead(citation)

    def _primary_paged(self, doc: int, page: int) -> None:
        if not self._following() or self.left.info is None or self.left.is_paged():
            return
        article = self.left.article
        current = next((c for c in article.citations if c.id == self.shown), None)
        if current is not None and _cites(current, doc, page):
            return  # the article stands at a citation of this page already
        citation = next((c for c in article.citations if _cites(c, doc, page)), None)
        if citation is None:
            return
        with self.held():
            article.scroll_to_top(citation.start)
            article.mark_span(citation.start, citation.end)
            self.show_cited(citation, page)
        self.shown = citation.id

    def _draw_ahead(self, shown: CitationInfo) -> None:
        """The passages the citations just below and above this one lead to found, and their
        pages drawn, before the reader scrolls to them."""
        doc = self.right.info.id if self.right.info is not None else None
        leading = [c for c in self.left.article.citations if c.target is not None]
        at = next((n for n, c in enumerate(leading) if c.id == shown.id), None)
        if at is None or doc is None:
            return
        around = leading[at + 1 : at + 1 + AHEAD] + leading[max(0, at - AHEAD) : at][::-1]
        targets = [t for c in around for t in _targets(c)]
        self.look_ahead(targets)
        # Each page with the pages beside it: a passage shown in the middle of the view
        # shows the end of the page before and the start of the page after.
        ahead = [p for t in targets if t.doc == doc for p in (t.page, t.page - 1, t.page + 1)]
        self.right.pages.prefetch(list(dict.fromkeys(ahead)), first=True)


def _targets(citation: CitationInfo) -> list[CitationTarget]:
    """Every page a citation leads to (a passage may run on to the next page)."""
    return citation.targets or ([citation.target] if citation.target is not None else [])


def _cites(citation: CitationInfo, doc: int, page: int) -> bool:
    return any(t.doc == doc and t.page == page for t in _targets(citation))
