"""The search backend: what the core asks of whichever engine answers its searches.

Two implement it: index.whoosh_backend (the embedded index in the library folder, the
default) and index.pg_search (PostgreSQL full-text search in the catalog database). Both take
the same query language (index.query) and give the same results: pages (doc, page), a score
(each engine its own), and the folded words that matched, for snippets and word boxes. The
researchers' notes (layer "notes") are in the Whoosh index only: PostgreSQL searches the
pages, refuses in:notes, and says in each result that notes were not searched.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from index.query import Canonicalize
from index.search import IndexResults


class QuoteSearch(Protocol):
    """Finding the pages a quoted passage may come from, for articles' citations (what the
    many quotes of an article ask of the index is kept between them)."""

    def candidates(
        self, terms: list[str], *, exclude_doc: int | None, limit: int
    ) -> list[tuple[int, int]]:
        """Pages (doc, page) sharing the most of the rarest of `terms` (folded words), the
        pages of `exclude_doc` (the article) left out: as index.search.candidate_pages."""
        ...


class SearchBackend(Protocol):
    name: str

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
        """Run a query: the best `limit` pages (and notes) and how many match; `viewer`, whose
        private notes may be found besides the shared ones (None: every note). A query the
        backend cannot answer as written is an index.api.QueryError saying why; what it
        leaves out that the other would search is said in the results' `note`."""
        ...

    def quote_search(self) -> AbstractContextManager[QuoteSearch]:
        """What resolves quotes, open while citations are resolved."""
        ...
