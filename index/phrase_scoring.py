"""Exact phrases scored a posting list at a time, for index.arrays.

The same pages and scores as index.phrase's matcher: a phrase of one common word beside
another is the other word's postings where that common word stands beside it; any other phrase
is the pages holding every word, kept where the words stand one after another, scored as the
sum of the words' scores. Here the words' postings are read a block at a time and intersected
as arrays, and a word standing once on a page (most words on most pages) has its position read
straight from its posting, without unpickling it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher

from index import posting_arrays as arrays
from index.codec import BLOCK_FORMAT
from index.phrase import ExactPhrase, _positions
from index.posting_blocks import (
    block_ids,
    block_weights,
    load_block,
    raw_blocks,
    weights_array,
)  # fmt: skip

# A posting whose word stands once on the page: its count (1), then a pickled one-item list.
_ONCE = b"\x00\x00\x00\x01\x80\x02]q\x00"
# Several positions: after the count, a pickled list filled by MARK ... APPENDS.
_SEVERAL = b"\x80\x02]q\x00("
_BYTE_POSITION, _SHORT_POSITION, _APPENDS = 0x4B, 0x4D, 0x65
_KEY_BITS = 24  # (page, position) keys: a page's positions stay below 2**24


@dataclass(frozen=True)
class _Postings:
    ids: arrays.Ids
    weights: arrays.Scores
    # The values of every posting read, the kept postings' places among them.
    values: Joined
    places: arrays.Ids

    def values_at(self, at: arrays.Ids) -> Joined:
        """The values of the kept postings at `at`."""
        chosen = self.places[at]
        return Joined(self.values.data, self.values.starts[chosen], self.values.ends[chosen])


@dataclass(frozen=True)
class Joined:
    """Posting values end to end in one array of bytes, where each one starts and ends."""

    data: npt.NDArray[np.uint8]
    starts: arrays.Ids
    ends: arrays.Ids

    @classmethod
    def of(cls, values: list[bytes]) -> Joined:
        return cls.from_lengths(b"".join(values), np.fromiter(map(len, values), np.int64))

    @classmethod
    def from_lengths(cls, joined: bytes, lengths: arrays.Ids) -> Joined:
        ends = np.cumsum(lengths)
        return cls(np.frombuffer(joined, np.uint8), ends - lengths, ends)

    def value(self, index: int) -> bytes:
        return self.data[self.starts[index] : self.ends[index]].tobytes()

    def byte(self, offset: int) -> npt.NDArray[np.int64]:
        """Each value's byte at `offset` (0 past its end)."""
        at = self.starts + offset
        inside = at < self.ends
        found = np.zeros(len(at), np.int64)
        found[inside] = self.data[at[inside]]
        return found


def single_positions(joined: Joined) -> arrays.Ids:
    """index.pagetext's encoding of one position: count 1, then a pickled one-item list whose
    item is one byte (BININT1) or two (BININT2); -1 for any other value."""
    once = np.ones(len(joined.starts), bool)
    for offset, expected in enumerate(_ONCE):
        once &= joined.byte(offset) == expected
    opcode, low, high = joined.byte(len(_ONCE)), joined.byte(10), joined.byte(11)
    positions = np.where(
        opcode == _BYTE_POSITION, low, np.where(opcode == _SHORT_POSITION, low | high << 8, -1)
    )
    return np.where(once, positions, -1)


def beside_mask(joined: Joined, codes: bytes) -> npt.NDArray[np.bool_]:
    """For each value, whether its common words beside (index.pagetext.common_words_beside:
    the codes before its last byte, which counts them) include every one of `codes`."""
    if not len(joined.ends):
        return np.zeros(0, bool)
    count = joined.data[joined.ends - 1].astype(np.int64)
    first = joined.ends - 1 - count
    keep = np.ones(len(joined.ends), bool)
    for code in set(codes):
        where = np.flatnonzero(joined.data == code)
        owner = np.searchsorted(joined.ends, where, side="right")
        inside = (where >= first[owner]) & (where < joined.ends[owner] - 1)
        has = np.zeros(len(joined.ends), bool)
        has[owner[inside]] = True
        keep &= has
    return keep


def phrase_matches(searcher: Searcher, context: Any, phrase: ExactPhrase) -> arrays.Matches | None:
    """The pages of one segment holding the phrase, scored; None where index.phrase's own
    matcher is needed (words apart, a field without positions, another weighting)."""
    plan = phrase.plan(searcher)
    if plan is None:
        return None
    if plan.empty:
        return arrays.EMPTY
    fieldname, reader = phrase.fieldname, searcher.reader()
    scorers = [context.weighting.scorer(searcher, fieldname, text) for text in plan.texts]
    if not all(type(s) is BM25FScorer or type(s) is WeightScorer for s in scorers):
        return None
    place = plan.beside_place
    if place is not None:
        found = _postings(reader, fieldname, plan.texts[place], plan.needed[place])
        scores = arrays.scored(reader, fieldname, scorers[place], found.ids, found.weights)
        return arrays.boosted(arrays.Matches(found.ids, scores), phrase.boost)
    postings = [
        _postings(reader, fieldname, text, codes)
        for text, codes in zip(plan.texts, plan.needed, strict=True)
    ]
    pages = postings[0].ids
    for found in postings[1:]:
        pages = np.intersect1d(pages, found.ids, assume_unique=True)
    places = [np.searchsorted(found.ids, pages) for found in postings]
    adjacent = _adjacent_on(postings, places)
    kept = pages[adjacent]
    word_scores = [
        arrays.scored(reader, fieldname, scorer, kept, found.weights[at[adjacent]])
        for scorer, found, at in zip(scorers, postings, places, strict=True)
    ]
    return arrays.boosted(arrays.Matches(kept, _tree_sum(word_scores)), phrase.boost)


def _adjacent_on(postings: list[_Postings], places: list[arrays.Ids]) -> npt.NDArray[np.bool_]:
    """For each page (at places[w] in word w's postings), whether the words stand one after
    another there: every word's positions on the pages as one array of (page, position - w)
    keys, the keys all words share marking the pages."""
    shift = len(postings)
    shared: arrays.Ids | None = None
    for offset, (found, at) in enumerate(zip(postings, places, strict=True)):
        owners, positions = flat_positions(found.values_at(at))
        keys = owners << _KEY_BITS | (positions + shift - offset)
        shared = keys if shared is None else np.intersect1d(shared, keys, assume_unique=True)
    adjacent = np.zeros(len(places[0]), bool)
    if shared is not None:
        adjacent[shared >> _KEY_BITS] = True
    return adjacent


def flat_positions(joined: Joined) -> tuple[arrays.Ids, arrays.Ids]:
    """Every position of every value (index.pagetext's encoding): the value's index and the
    position, one pair each. Read as arrays where the value holds one position, or several
    whose gaps all fit in a byte; others are unpickled one by one."""
    single = single_positions(joined)
    owners = [np.flatnonzero(single >= 0)]
    positions = [single[owners[0]]]
    several = np.flatnonzero(single < 0)
    read, unread = _small_gaps(joined, several)
    owners.append(read[0])
    positions.append(read[1])
    for index in unread:
        found = np.fromiter(_positions(joined.value(index)), np.int64)
        owners.append(np.full(len(found), index, np.int64))
        positions.append(found)
    return np.concatenate(owners), np.concatenate(positions)


def _small_gaps(
    joined: Joined, chosen: arrays.Ids
) -> tuple[tuple[arrays.Ids, arrays.Ids], arrays.Ids]:
    """The positions of the `chosen` values written as a count, then MARK, one BININT1 per
    position (gaps under 256), APPENDS; and the values of any other shape, left unread."""
    counts = (joined.byte(0) << 24 | joined.byte(1) << 16 | joined.byte(2) << 8 | joined.byte(3))[
        chosen
    ]
    shaped = (counts >= 2) & (joined.ends[chosen] - joined.starts[chosen] >= 11 + 2 * counts)
    for offset, expected in enumerate(_SEVERAL, start=4):
        shaped &= joined.byte(offset)[chosen] == expected
    candidates, counts = chosen[shaped], counts[shaped]
    firsts = joined.starts[candidates] + len(_SEVERAL) + 4
    group = np.repeat(np.arange(len(candidates)), counts)
    within = np.arange(len(group)) - np.repeat(np.cumsum(counts) - counts, counts)
    opcodes = firsts[group] + 2 * within
    ok = np.ones(len(candidates), bool)
    if len(group):
        np.logical_and.at(ok, group, joined.data[opcodes] == _BYTE_POSITION)
        ok &= joined.data[firsts + 2 * counts] == _APPENDS
    kept = ok[group]
    gaps = joined.data[opcodes[kept] + 1].astype(np.int64)
    kept_counts = counts[ok]
    positions = np.cumsum(gaps)
    before = np.repeat(np.cumsum(kept_counts) - kept_counts, kept_counts)
    starts_at = np.concatenate(([0], np.cumsum(gaps)))[before]
    unread = np.setdiff1d(chosen, candidates[ok], assume_unique=True)
    return (candidates[group[kept]], positions - starts_at), unread


def _tree_sum(parts: list[arrays.Scores]) -> arrays.Scores:
    """Added up as Whoosh's binary tree of intersections adds its words' scores."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _postings(reader: Any, fieldname: str, text: bytes, codes: bytes) -> _Postings:
    """The word's live postings with their values; where `codes` are given, only those on
    pages where those common words stand beside it."""
    info = reader.term_info(fieldname, text)
    if info.is_inlined():  # a word on one page: its posting is kept in the word's entry
        ids, weights, values = info.inlined_postings()
        lengths = np.fromiter(map(len, values), np.int64, len(values))
        blocks = [
            (np.asarray(ids, np.int64), np.asarray(weights, np.float64), lengths, b"".join(values))
        ]
    else:
        blocks = [_block(data, count) for count, data in raw_blocks(reader, info)]
    found_ids = np.concatenate([block[0] for block in blocks])
    found_weights = np.concatenate([block[1] for block in blocks])
    values = Joined.from_lengths(
        b"".join(block[3] for block in blocks), np.concatenate([block[2] for block in blocks])
    )
    keep = ~np.isin(found_ids, arrays.deleted(reader), assume_unique=True)
    if codes:
        keep &= beside_mask(values, codes)
    return _Postings(found_ids[keep], found_weights[keep], values, np.flatnonzero(keep))


def _block(data: bytes, count: int) -> tuple[arrays.Ids, arrays.Scores, arrays.Ids, bytes]:
    """A block's page numbers, weights, and values (their lengths and the values end to end):
    index.codec's block holds them so; Whoosh's holds the values as a tuple of bytes."""
    block = load_block(data)
    if block[0] == BLOCK_FORMAT:
        lengths = np.frombuffer(block[3], "<u4").astype(np.int64)
        return block_ids(block), block_weights(block, count), lengths, block[4]
    gaps, weights, values = block
    lengths = np.fromiter(map(len, values), np.int64, len(values))
    return (
        np.cumsum(np.asarray(gaps, np.int64)),
        weights_array(weights, count),
        lengths,
        b"".join(values),
    )
