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

from array import array
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
)
from whoosh.matching import ListMatcher
from whoosh.util.numeric import length_to_byte

BLOCK_FORMAT = "pages-1"
BLOCK_PROTOCOL = 4


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


def block_data(ids: Any, weights: Any, values: list[bytes | None]) -> tuple[Any, ...]:
    """A block's data in BLOCK_FORMAT (`ids` absolute page numbers)."""
    weight_array = np.asarray(weights, "<f4")
    weight_bytes = None if bool(np.all(weight_array == 1.0)) else weight_array.tobytes()
    if any(value is None for value in values):  # a format without values (Existence)
        lengths, joined = None, None
    else:
        lengths = np.fromiter(map(len, values), "<u4", len(values)).tobytes()  # type: ignore[arg-type]
        joined = b"".join(values)  # type: ignore[arg-type]
    return (BLOCK_FORMAT, np.asarray(ids, "<u4").tobytes(), weight_bytes, lengths, joined)


class _BlockWriter(W3PostingsWriter):  # type: ignore[misc]
    def _write_block(self, last: bool = False) -> None:
        """Whoosh 2.7.4's W3PostingsWriter._write_block, its data in BLOCK_FORMAT."""
        if self._byteids:  # page numbers as bytes (term vectors): Whoosh's own block
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps(block_data(self._ids, self._weights, self._values), BLOCK_PROTOCOL)
        ids = self._ids
        info = (
            len(ids), ids[-1], self._maxweight, 0,
            length_to_byte(self._minlength), length_to_byte(self._maxlength),
        )  # fmt: skip
        infobytes = dumps(info, 2)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
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
