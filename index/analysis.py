"""How page text becomes search terms: words folded as index.folding says, and pairs of common
words joined into one term."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, RegexTokenizer, Token, Tokenizer

from index.archive_fields import archive_key
from index.folding import WORD_PATTERN, fold


class FoldingFilter(Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def page_analyzer() -> object:
    return RegexTokenizer(WORD_PATTERN) | FoldingFilter()  # folding lowercases too


# The commonest words of English and German archival prose. A phrase made of them ("of the")
# matches nearly every page, and checking word positions page by page is slow; pairs of two
# adjacent common words are indexed as single terms ("common grams") instead. A common word
# beside a rarer one ("the mountains") is recorded in the rarer word's posting instead
# (index.pagetext): a term per such pair would double the postings a page writes.
_COMMON = """a an the of and or to in on at by for with from as that this these those which
who is was were be been has had have it its not no but all any his her their our we they he
she i you there then than so if into over under upon after before about between during der die
das den dem des ein eine einer eines einem einen und oder zu im am auf aus bei mit von vom zur
zum fur ist war wurde sind nicht kein keine sich es er sie wir als auch nach uber unter durch"""
COMMON_WORDS = frozenset(_COMMON.split())
# How the index records a common word standing right before another word, and right after it:
# one byte each (1 to 127, 129 to 255), part of the schema version.
COMMON_BEFORE = {word: n for n, word in enumerate(dict.fromkeys(_COMMON.split()), start=1)}
COMMON_AFTER = {word: n + 128 for word, n in COMMON_BEFORE.items()}
assert len(COMMON_BEFORE) < 128


def common_pairs(words: list[str]) -> list[str]:
    """Adjacent folded words joined by "_" where both are common words."""
    return [
        f"{first}_{second}"
        for first, second in itertools.pairwise(words)
        if first in COMMON_WORDS and second in COMMON_WORDS
    ]


class ArchiveValue(Tokenizer):  # type: ignore[misc]
    """The whole value of one level of the archive as its single term
    (index.archive_fields.archive_key)."""

    def __init__(self, level: str) -> None:
        self.level = level

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArchiveValue) and other.level == self.level

    def __hash__(self) -> int:
        return hash(("ArchiveValue", self.level))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        key = archive_key(self.level, value)
        if not key:
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.text = key
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = value
        if positions:
            token.pos = start_pos
        if chars:
            token.startchar = start_char
            token.endchar = start_char + len(value)
        yield token
