"""A segment's postings as arrays: document numbers, weights, scores.

What index.bulk_scoring and index.phrase_scoring share: matches as sorted arrays, a word's
live postings read a block at a time (index.posting_blocks), BM25F over arrays, and what each
segment reader holds once (its deleted pages, its field lengths).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import numpy.typing as npt
from whoosh.columns import VarBytesColumn
from whoosh.scoring import BM25FScorer

from index.posting_blocks import ids_and_weights, raw_blocks
from index.scoring import field_lengths

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Matches:
    """Pages (sorted document numbers, no repeats) and their scores."""

    ids: Ids
    scores: Scores

    def __len__(self) -> int:
        return len(self.ids)


EMPTY = Matches(np.empty(0, np.int64), np.empty(0, np.float64))


def boosted(matches: Matches, boost: float) -> Matches:
    if boost == 1 or not len(matches):
        return matches
    return Matches(matches.ids, matches.scores * boost)


def scored(reader: Any, fieldname: str, scorer: Any, ids: Ids, weights: Scores) -> Scores:
    """The postings' scores by a BM25F or weight scorer of Whoosh's."""
    if type(scorer) is not BM25FScorer:
        return weights
    lengths = lengths_of(reader, fieldname)[ids]
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    # index.scoring's BM25F (Whoosh's bm25), term for term.
    scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
    return np.asarray(scores, np.float64)


def word_postings(reader: Any, info: Any) -> tuple[Ids, Scores]:
    """A word's live postings in a segment (`info`, its entry in the segment's terms):
    document numbers and weights, read a block at a time, their values left unread
    (index.posting_blocks)."""
    if info.is_inlined():  # a word on one page: its posting is kept in the word's entry
        found_ids, found_weights, _values = info.inlined_postings()
        ids, weights = np.asarray(found_ids, np.int64), np.asarray(found_weights, np.float64)
    else:
        read = [ids_and_weights(data, count) for count, data in raw_blocks(reader, info)]
        if not read:
            return EMPTY.ids, EMPTY.scores
        ids = np.concatenate([block_ids for block_ids, _ in read])
        weights = np.concatenate([block_weights for _, block_weights in read])
    gone = deleted(reader)
    if len(gone):
        live = ~np.isin(ids, gone, assume_unique=True)
        ids, weights = ids[live], weights[live]
    return ids, weights


_deleted_pages: WeakKeyDictionary[Any, Ids] = WeakKeyDictionary()


def deleted(reader: Any) -> Ids:
    """The segment's deleted document numbers, read once per reader (Whoosh makes a set of
    them for every word it looks up)."""
    if reader not in _deleted_pages:
        gone = reader._perdoc.deleted_docs() if reader.has_deletions() else ()
        _deleted_pages[reader] = np.unique(np.fromiter(gone, np.int64))
    return _deleted_pages[reader]


_length_arrays: WeakKeyDictionary[Any, dict[str, npt.NDArray[np.float64]]] = WeakKeyDictionary()


def lengths_of(reader: Any, fieldname: str) -> npt.NDArray[np.float64]:
    by_field = _length_arrays.setdefault(reader, {})
    if fieldname not in by_field:
        by_field[fieldname] = np.asarray(field_lengths(reader, fieldname, 1), np.float64)
    return by_field[fieldname]


@dataclass(frozen=True)
class Column:
    """A sortable one-word field's values (the date): each distinct value once, sorted, and
    for each page the place of its value among them."""

    values: npt.NDArray[np.bytes_]
    codes: Ids

    def pages_with(self, wanted: list[bytes]) -> Ids:
        """The pages whose value is one of `wanted`."""
        asked = np.array(wanted, np.bytes_)
        places = np.searchsorted(self.values, asked)
        inside = places < len(self.values)
        places, asked = places[inside], asked[inside]
        chosen = np.zeros(len(self.values), bool)
        chosen[places[self.values[places] == asked]] = True
        return np.flatnonzero(chosen[self.codes]).astype(np.int64)


_columns: WeakKeyDictionary[Any, dict[str, Column | None]] = WeakKeyDictionary()


def column_of(reader: Any, fieldname: str) -> Column | None:
    """A segment's column of a sortable field, read once per segment reader; None where the
    field has no column of variable-length values (Whoosh's VarBytesColumn)."""
    by_field = _columns.setdefault(reader, {})
    if fieldname not in by_field:
        by_field[fieldname] = _read_column(reader, fieldname)
    return by_field[fieldname]


def _read_column(reader: Any, fieldname: str) -> Column | None:
    if not reader.has_column(fieldname):
        return None
    column = reader.column_reader(fieldname, translate=False)
    if not isinstance(column, VarBytesColumn.Reader):
        return None
    offsets, lengths = column._offsets, column._lengths
    end = max((o + n for o, n in zip(offsets, lengths, strict=True)), default=0)
    data = column._dbfile.get(column._basepos, end)
    each = np.array(
        [data[start : start + size] for start, size in zip(offsets, lengths, strict=True)],
        np.bytes_,
    )
    values, codes = np.unique(each, return_inverse=True)
    return Column(values, codes.astype(np.int64))
