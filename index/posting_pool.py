"""A new segment's postings, held by word in memory and written a whole list at a time.

Whoosh's writer puts every posting of a segment into one pool of tuples, sorts the pool
(spilling runs to disk past its memory limit) and hands its codec one posting at a time, the
page's length looked up for each: at two hundred postings a page, most of an import's
indexing. Here each word (a field and a term) gathers its page numbers, weights and values as
the pages come, in page order; the segment's words are then written in sorted order, each
posting list cut into the codec's blocks (index.codec.write_posting_list) with the same
blocks, facts and term entries that Whoosh's path writes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

from whoosh.system import pack_ushort

from index.codec import write_posting_list
from index.scoring import field_lengths

# (term, frequency, weight, value): what a Whoosh field gives its writer for each word.
WordPosting = tuple[bytes, int, float, bytes | None]
# Whoosh's pool item: (field, term, page number, weight, value).
PoolItem = tuple[str, bytes, int, float, bytes | None]
# Whoosh's spelling postings carry this page number; they are no postings.
_SPELLING = -1


class _Postings:
    """One word's postings so far: page numbers and weights in arrays (a Python number per
    posting would double a rebuild's memory), values in a list."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []


class WordPool:
    """A segment's postings by field and term, in place of Whoosh's PostingPool (its
    `add` and `cleanup` are kept for Whoosh's merging, which adds other segments' postings
    one at a time). Pages come in order: new ones, then each merged segment's."""

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, _Postings]] = {}

    def add_words(self, fieldname: str, page: int, items: Iterable[WordPosting]) -> int:
        """A page's words in one field (a field's `index` output); the words counted."""
        words = self._fields.get(fieldname)
        if words is None:
            words = self._fields[fieldname] = {}
        length = 0
        for term, frequency, weight, value in items:
            postings = words.get(term)
            if postings is None:
                postings = words[term] = _Postings()
            postings.ids.append(page)
            postings.weights.append(weight)
            postings.values.append(value or b"")
            length += frequency
        return length

    def add(self, item: PoolItem) -> None:
        fieldname, term, page, weight, value = item
        if page == _SPELLING:
            return
        self.add_words(fieldname, page, [(term, 0, weight, value)])

    def write(self, fieldwriter: Any, schema: Any, lengths: Any) -> None:
        """Every word into the segment's terms and postings files, through Whoosh 3's field
        writer (`fieldwriter`), with each page's length in the field from `lengths` (the
        segment's per-document reader)."""
        terms = fieldwriter._tindex
        postfile = fieldwriter._postfile
        blocklimit = fieldwriter._codec._blocklimit
        for fieldname in sorted(self._fields):
            words = self._fields[fieldname]
            if not words:  # Whoosh gives a field without words no number in the segment
                continue
            fieldwriter.start_field(fieldname, schema[fieldname])
            prefix = pack_ushort(fieldwriter._fieldid)
            field_length = field_lengths(lengths, fieldname)
            for term in sorted(words):
                postings = words[term]
                page_lengths = [field_length[page] for page in postings.ids]
                info = write_posting_list(
                    postfile, postings.ids, postings.weights, postings.values, page_lengths,
                    blocklimit,
                )  # fmt: skip
                terms.add(prefix + term, info.to_bytes())
            fieldwriter.finish_field()

    def cleanup(self) -> None:
        self._fields.clear()
