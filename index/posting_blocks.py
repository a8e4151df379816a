"""A word's posting blocks, and their page numbers and weights read without their values.

index.codec's blocks hold the numbers as arrays. Whoosh's own blocks (indexes written before
index.codec, read as before) are a pickle of three tuples: the page numbers' gaps, the weights,
and the values (each word's positions on the page, as bytes), which scoring never reads. The
gaps and the weights come first in the stream, in fixed-size opcodes, and are read straight
from the bytes (protocol 2, or 4); a block in any other shape (gaps over 255 after the first,
a handful of postings) is unpickled whole.
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

_PROTO2, _PROTO4_FRAMED = b"\x80\x02", b"\x80\x04\x95"
_MARK, _TUPLE, _BINPUT, _MEMOIZE, _NONE, _BINFLOAT = 0x28, 0x74, 0x71, 0x94, 0x4E, 0x47
_FRAME_HEADER = 11  # PROTO 4, FRAME and the frame's 8-byte length
_BININT1, _BININT2, _BININT = 0x4B, 0x4D, 0x4A
_FIRST_INT = {_BININT1: (1, "<B"), _BININT2: (2, "<H"), _BININT: (4, "<i")}
_FLOAT_OPCODE = np.frombuffer(b"G", np.uint8)[0]
_INT1_OPCODE = np.frombuffer(b"K", np.uint8)[0]


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
    fast = _read_directly(raw, count)
    if fast is not None:
        return fast
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


def _read_directly(raw: bytes, count: int) -> tuple[Ids, Weights] | None:
    """The gaps as MARK, one int opcode of any size, `count` - 1 one-byte ints, TUPLE and the
    memo's opcode (protocol 4: MEMOIZE; 2: BINPUT and its number); then the weights as None,
    one float, or MARK, `count` floats, TUPLE. None: another shape."""
    if count < 4:
        return None
    if raw.startswith(_PROTO4_FRAMED):
        at, memo, memo_size = _FRAME_HEADER, _MEMOIZE, 1
    elif raw.startswith(_PROTO2):
        at, memo, memo_size = 2, _BINPUT, 2
    else:
        return None
    if len(raw) < at + 2 or raw[at] != _MARK:
        return None
    first = _FIRST_INT.get(raw[at + 1])
    if first is None:
        return None
    size, layout = first
    (base,) = struct.unpack_from(layout, raw, at + 2)
    start = at + 2 + size
    end = start + 2 * (count - 1)
    if len(raw) < end + 1 + memo_size or raw[end] != _TUPLE or raw[end + 1] != memo:
        return None
    pairs = np.frombuffer(raw, np.uint8, 2 * (count - 1), start).reshape(-1, 2)
    if not np.all(pairs[:, 0] == _INT1_OPCODE):
        return None
    gaps = np.empty(count, np.int64)
    gaps[0] = base
    gaps[1:] = pairs[:, 1]
    weights = _read_weights(raw, end + 1 + memo_size, count)
    if weights is None:
        return None
    return np.cumsum(gaps), weights


def _read_weights(raw: bytes, at: int, count: int) -> Weights | None:
    if at >= len(raw):
        return None
    if raw[at] == _NONE:
        return np.ones(count, np.float64)
    if raw[at] == _BINFLOAT:
        (weight,) = struct.unpack_from(">d", raw, at + 1)
        return np.full(count, weight, np.float64)
    end = at + 1 + 9 * count
    if raw[at] != _MARK or len(raw) <= end or raw[end] != _TUPLE:
        return None
    records = np.frombuffer(raw, np.uint8, 9 * count, at + 1).reshape(-1, 9)
    if not np.all(records[:, 0] == _FLOAT_OPCODE):
        return None
    return np.ascontiguousarray(records[:, 1:]).view(">f8").ravel().astype(np.float64)
