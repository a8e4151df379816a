"""The embedded Whoosh index as a search backend (index.backend)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from whoosh.index import Index
from whoosh.searching import Searcher

from index.query import Canonicalize
from index.search import IndexResults, TermStats, candidate_pages, search


class WhooshQuotes:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._stats: TermStats | None = None  # read on an article's first quote

    def candidates(
        self, terms: list[str], *, exclude_doc: int | None, limit: int
    ) -> list[tuple[int, int]]:
        stats = self._stats
        if stats is None or stats.exclude_doc != exclude_doc:
            stats = self._stats = TermStats(self.searcher, exclude_doc)
        return candidate_pages(
            self.searcher, terms, exclude_doc=exclude_doc, limit=limit, stats=stats
        )


class WhooshBackend:
    """Searches on the searcher `searcher()` gives (the caller keeps one open between
    searches, and serves it to one thread at a time); quotes on a searcher of their own."""

    name = "whoosh"

    def __init__(self, index: Index, searcher: Callable[[], Searcher]) -> None:
        self.index = index
        self._searcher = searcher

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        kind: str | None = None,
        sort: str = "relevance",
        canonicalize: Canonicalize | None = None,
        within: str = "",
        viewer: str | None = None,
    ) -> IndexResults:
        return search(
            self._searcher(), text, limit=limit, kind=kind, sort=sort,
            canonicalize=canonicalize, within=within, viewer=viewer,
        )  # fmt: skip

    @contextmanager
    def quote_search(self) -> Iterator[WhooshQuotes]:
        with self.index.searcher() as searcher:
            yield WhooshQuotes(searcher)
