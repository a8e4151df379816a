"""What callers of the index name without loading Whoosh (the CLI and the app at start-up)."""

from __future__ import annotations

SORTS = ("relevance", "date")


class QueryError(ValueError):
    """A query that cannot be run; the message says why, for the person who typed it."""
