"""A word's posting blocks, read from the file in one go, and their page numbers and weights.

index.codec's blocks hold the numbers as arrays, read without their values. A block in
Whoosh's own layout (three pickled tuples: the page numbers' gaps, the weights, the values)
is unpickled whole.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from index.codec import BLOCK_FORMAT

# A word's postings on disk: this tag, then blocks, each its length (negative for the last),
# a pickled tuple of facts about it (first its number of postings; fourth its compression)
# and the pickled postings.
_POSTINGS_TAG = WHOOSH3_HEADER_MAGIC

Ids = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


def raw_blocks(reader: Any, info: Any) -> Iterator[tuple[int, bytes]]:
    """Each block of a word's postings in a segment (`info`, its entry in the segment's
    terms, not inlined): its number of postings and its pickled data, read from the file in
    one go (Whoosh's matcher reads a block's facts by unpickling them from the file, a read
    call per opcode)."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7.4 reads it back as struct.unpack's tuple
        (length,) = length
    return _blocks(reader._terms._postfile.get(offset, length))


def _blocks(raw: bytes) -> Iterator[tuple[int, bytes]]:
    if not raw.startswith(_POSTINGS_TAG):
        raise ValueError("not a Whoosh 3 posting list")
    stream = io.BytesIO(raw)
    stream.seek(len(_POSTINGS_TAG))
    last = False
    while not last:
        (length,) = struct.unpack(">i", stream.read(4))
        last = length < 0
        start = stream.tell()
        facts = pickle.load(stream)
        data = raw[stream.tell() : start + abs(length)]
        yield facts[0], zlib.decompress(data) if facts[3] else data
        stream.seek(start + abs(length))


def load_block(raw: bytes) -> tuple[Any, ...]:
    """A block's pickled data (in index.codec's layout or Whoosh's), unpickled."""
    block = pickle.loads(raw)
    if not isinstance(block, tuple) or not block:
        raise ValueError(f"a posting block holds {type(block).__name__}, not a tuple")
    return block


def ids_and_weights(raw: bytes, count: int) -> tuple[Ids, Weights]:
    """The page numbers (absolute) and weights of a block of `count` postings."""
    block = load_block(raw)
    if block[0] == BLOCK_FORMAT:
        return block_ids(block), block_weights(block, count)
    gaps, weights, _values = block
    ids = np.cumsum(np.asarray(gaps, np.int64))
    return ids, weights_array(weights, len(ids))


def block_ids(block: tuple[Any, ...]) -> Ids:
    """A BLOCK_FORMAT block's page numbers (index.codec)."""
    return np.frombuffer(block[1], "<u4").astype(np.int64)


def block_weights(block: tuple[Any, ...], count: int) -> Weights:
    weights = block[2]
    if weights is None:
        return np.ones(count, np.float64)
    return np.frombuffer(weights, "<f4").astype(np.float64)


def weights_array(weights: object, count: int) -> Weights:
    if weights is None:
        return np.ones(count, np.float64)
    if isinstance(weights, float):
        return np.full(count, weights, np.float64)
    return np.asarray(weights, np.float64)
