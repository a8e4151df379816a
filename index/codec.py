"""Whoosh 3's codec with posting blocks laid out as arrays.

Whoosh pickles each block of postings as three tuples (page numbers, weights, values) at
pickle protocol 2, where Python 3 writes every bytes value (a word's positions on a page) as
a call to `_codecs.encode`, and compresses the pickle: reading a word on most of 100,000 pages
spent its time decompressing and making an object per posting. Here a block is

    (BLOCK_FORMAT, page numbers, weights or None for all 1, value lengths, values end to end)

each a run of little-endian numbers (uint32, float32, uint32) or bytes, pickled at protocol 4
and not compressed: numpy reads the numbers and the values straight from the bytes
(index.posting_blocks, index.phrase_scoring), at several times the disk space of Whoosh's
compressed blocks. Whoosh's own readers get the block through `PageBlockMatcher`, which gives
its page numbers, weights and values as W3LeafMatcher does. Each segment records the codec that
wrote it, so indexes written by Whoosh's own codec are read as before.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.matching import ListMatcher
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte

BLOCK_FORMAT = "pages-1"
BLOCK_PROTOCOL = 4

# A block's greatest weight, and the lengths of its shortest page (None: every page of
# length 0) and longest page.
BlockFacts = tuple[float, int | None, int]


class PageCodec(W3Codec):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(compression=0)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _BlockWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids,
            compression=self._compression, inlinelimit=self._inlinelimit,
        )  # fmt: skip

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return PageBlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def block_data(ids: Any, weights: Any, values: Sequence[bytes | None]) -> tuple[Any, ...]:
    """A block's data in BLOCK_FORMAT (`ids` absolute page numbers). Made with the array
    module: most words have a block of one or two postings, where numpy's calls cost more
    than the work."""
    weight_array = _little_endian(array("f", weights))
    all_ones = weight_array.count(1.0) == len(weight_array)
    weight_bytes = None if all_ones else weight_array.tobytes()
    if any(value is None for value in values):  # a format without values (Existence)
        lengths, joined = None, None
    else:
        lengths = _little_endian(array("I", map(len, values))).tobytes()  # type: ignore[arg-type]
        joined = b"".join(values)  # type: ignore[arg-type]
    return (BLOCK_FORMAT, _little_endian(array("I", ids)).tobytes(), weight_bytes, lengths, joined)


def _little_endian(numbers: array[Any]) -> array[Any]:
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers


def block_record(
    ids: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    facts: BlockFacts,
    *,
    last: bool,
) -> bytes:
    """One block as the postings file holds it: its length (negative for a word's last
    block), its facts pickled as Whoosh's do (postings, last page, greatest weight,
    compression, shortest and longest page as length bytes), then its data."""
    maxweight, minlength, maxlength = facts
    databytes = dumps(block_data(ids, weights, values), BLOCK_PROTOCOL)
    info = (
        len(ids), ids[-1], maxweight, 0, length_to_byte(minlength), length_to_byte(maxlength)
    )  # fmt: skip
    infobytes = dumps(info, 2)
    blocklength = len(infobytes) + len(databytes)
    length: bytes = pack_int(-blocklength if last else blocklength)
    return length + infobytes + databytes


def write_posting_list(
    postfile: Any,
    ids: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    lengths: Sequence[int],
    blocklimit: int,
) -> W3TermInfo:
    """A word's whole posting list (`lengths`: each page's length in the field), in blocks of
    `blocklimit`, written as _BlockWriter writes it a posting at a time; its term entry."""
    info = W3TermInfo()
    records = [WHOOSH3_HEADER_MAGIC]
    count = len(ids)
    for begin in range(0, count, blocklimit):
        end = begin + blocklimit
        if begin == 0 and end >= count:  # most words: one block, taken whole
            block_ids, block_weights, block_values = ids, weights, values
            block_lengths = lengths
        else:
            block_ids, block_weights = ids[begin:end], weights[begin:end]
            block_values, block_lengths = values[begin:end], lengths[begin:end]
        facts = _block_facts(block_weights, block_lengths)
        _add_block(info, block_ids, block_weights, facts)
        given = block_values if all(block_values) else [v for v in block_values if v]
        records.append(block_record(block_ids, block_weights, given, facts, last=end >= count))
    written = b"".join(records)
    info.set_extent(postfile.tell(), len(written))
    postfile.write(written)
    return info


def _block_facts(weights: Sequence[float], lengths: Sequence[int]) -> BlockFacts:
    """A block's facts as Whoosh's postings writer tracks them, a posting at a time."""
    greatest = max(weights)
    given = [length for length in lengths if length]
    return (greatest if greatest > 0 else 0, min(given) if given else None, max(0, *lengths))


def _add_block(
    info: W3TermInfo, ids: Sequence[int], weights: Sequence[float], facts: BlockFacts
) -> None:
    """W3TermInfo.add_block, from a block's numbers."""
    maxweight, minlength, maxlength = facts
    info._weight += sum(array("f", weights))
    info._df += len(ids)
    if info._minlength is None:
        info._minlength = minlength
    elif minlength is not None:
        info._minlength = min(info._minlength, minlength)
    info._maxlength = max(info._maxlength, maxlength)
    info._maxweight = max(info._maxweight, maxweight)
    if info._minid is None:
        info._minid = ids[0]
    info._maxid = ids[-1]


class _BlockWriter(W3PostingsWriter):  # type: ignore[misc]
    def _write_block(self, last: bool = False) -> None:
        """Whoosh 2.7.4's W3PostingsWriter._write_block, its data in BLOCK_FORMAT."""
        if self._byteids:  # page numbers as bytes (term vectors): Whoosh's own block
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        facts = (self._maxweight, self._minlength, self._maxlength)
        self._postfile.write(block_record(self._ids, self._weights, self._values, facts, last=last))
        self._blockcount += 1
        self._new_block()


class PageBlockMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh's block matcher over BLOCK_FORMAT blocks (Whoosh's own blocks as before)."""

    def _ours(self) -> bool:
        if self._data is None:
            self._read_data()
        return bool(self._data[0] == BLOCK_FORMAT)

    def _read_ids(self) -> None:
        if not self._ours():
            super()._read_ids()
            return
        self._ids = np.frombuffer(self._data[1], "<u4").tolist()

    def _read_weights(self) -> None:
        if not self._ours():
            super()._read_weights()
            return
        weights = self._data[2]
        self._weights = (
            array("f", [1.0]) * self._blocklength
            if weights is None
            else array("f", np.frombuffer(weights, "<f4").astype("=f4").tobytes())
        )

    def _read_values(self) -> None:
        if not self._ours():
            super()._read_values()
            return
        lengths, joined = self._data[3], self._data[4]
        if lengths is None or self._fixedsize == 0:
            self._values = (None,) * self._blocklength
            return
        ends = np.cumsum(np.frombuffer(lengths, "<u4")).tolist()
        starts = [0, *ends[:-1]]
        self._values = tuple(joined[start:end] for start, end in zip(starts, ends, strict=True))
