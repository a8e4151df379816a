"""The page-text field: written from the page's words folded once, searched through the analyzer.

Each word's posting holds its positions as Whoosh's Positions format does (the count, then the
pickled gaps between positions), followed by the common words that stand right before or right
after it somewhere on the page, one byte each, and their count. Whoosh's decoding stops at the
end of the pickle, so its position readers are unaffected; a phrase such as "the mountains" is
answered from the postings of "mountains" alone.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from pickle import dumps
from typing import Any

from whoosh.fields import KEYWORD, TEXT
from whoosh.system import pack_uint

from index.analysis import COMMON_AFTER, COMMON_BEFORE
from index.folding import terms_of

# (term, frequency, weight, encoded positions): what Whoosh's fields give its writer.
Posting = tuple[bytes, int, float, bytes]


class PageText(TEXT):  # type: ignore[misc]
    """Indexed from a page's folded words in order (index.folding.terms_of), it writes the terms
    and positions the analyzer would give, without a token object per word; the writer reuses
    the same words for the common pairs. Query text still goes through the analyzer, which folds
    the same way."""

    def index(self, value: str | Sequence[str], **kwargs: Any) -> Iterator[Posting]:
        words = terms_of(value) if isinstance(value, str) else value
        return word_postings(words, self.format.field_boost)


class Spellings(KEYWORD):  # type: ignore[misc]
    """A page's words as written (index.folding.spellings_of), where that differs from their
    term: counted, without positions, searched only to rank an exact spelling first."""

    def __init__(self) -> None:
        super().__init__(scorable=True)

    def index(self, value: str | Sequence[str], **kwargs: Any) -> Iterator[Posting]:
        words = value.split() if isinstance(value, str) else value
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        boost = self.format.field_boost
        for word, count in counts.items():
            yield word.encode("utf-8"), count, count * boost, pack_uint(count)


def word_postings(words: Sequence[str], boost: float = 1.0) -> Iterator[Posting]:
    """One posting per distinct word: its positions, then the common words beside it."""
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        found = positions.get(word)
        if found is None:
            positions[word] = [position]
        else:
            found.append(position)
    beside = _common_words_beside(words)
    for word, places in positions.items():
        count = len(places)
        if count == 1 and places[0] < len(_ONCE):
            encoded = _ONCE[places[0]]
        else:
            encoded = pack_uint(count) + dumps(
                [places[0], *map(operator.sub, places[1:], places)], 2
            )
        yield word.encode("utf-8"), count, count * boost, encoded + beside.get(word, NONE_BESIDE)


NONE_BESIDE = b"\x00"
# Most words stand once on a page: their encoded positions, made once.
_ONCE = [pack_uint(1) + dumps([position], 2) for position in range(4096)]


def _common_words_beside(words: Sequence[str]) -> dict[str, bytearray]:
    """For each word with a common word right before or after it somewhere in `words`, those
    common words (index.analysis.COMMON_BEFORE and COMMON_AFTER), then how many there are."""
    # Adjacent pairs, once each, found without a Python step per word: a page has hundreds.
    as_before = list(map(COMMON_BEFORE.get, words[:-1], repeat(0)))  # 0: not a common word
    as_after = list(map(COMMON_AFTER.get, words[1:], repeat(0)))
    pairs = set(compress(zip(words[1:], as_before, strict=True), as_before))
    pairs.update(compress(zip(words[:-1], as_after, strict=True), as_after))
    codes: defaultdict[str, bytearray] = defaultdict(bytearray)
    for word, code in sorted(pairs):  # in one order in every process (a set's is not)
        codes[word].append(code)
    for found in codes.values():
        found.append(len(found))
    return codes


def common_words_beside(value: bytes) -> bytes:
    """From a word's posting value: the codes of the common words right before it somewhere
    on the page (index.analysis.COMMON_BEFORE) and right after it (COMMON_AFTER)."""
    return value[-1 - value[-1] : -1]
