"""Relevance: Whoosh's BM25F, with a segment's field lengths read once, not page by page."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from whoosh.scoring import BM25F, BM25FScorer

# Field lengths of each open segment reader, by field: a reader's segment never changes.
_lengths: WeakKeyDictionary[Any, dict[str, list[int]]] = WeakKeyDictionary()


def field_lengths(reader: Any, fieldname: str, default: int = 0) -> list[int]:
    """Every document's length in the field, indexed by document number, read once per reader
    (Whoosh reads a length from the file for every posting it scores or writes)."""
    by_field = _lengths.setdefault(reader, {})
    found = by_field.get(fieldname)
    if found is None:
        read = reader.doc_field_length
        found = by_field[fieldname] = [
            read(docnum, fieldname, default) for docnum in range(reader.doc_count_all())
        ]
    return found


class PageWeighting(BM25F):  # type: ignore[misc]
    """BM25F as Whoosh computes it, the page lengths taken from `field_lengths`: about a third
    of the time a query matching thousands of pages spends scoring them."""

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer) and searcher.is_atomic():
            scorer.dfl = field_lengths(searcher.reader(), fieldname, 1).__getitem__
        return scorer
