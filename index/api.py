"""What callers of the index name without loading Whoosh (the CLI and the app at start-up)."""

from __future__ import annotations

SORTS = ("relevance", "date")


class QueryError(ValueError):
    """A query that cannot be run; the message says why, for the person who typed it."""


class SearchUnavailable(RuntimeError):
    """The search server cannot answer now (gone away, unreachable); the message says so."""


# The search backends (index.backend): the Whoosh index in the library folder, and the
# PostgreSQL server that holds the catalog.
SEARCH_BACKENDS = ("whoosh", "postgresql")
