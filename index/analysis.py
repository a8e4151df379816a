"""How page text becomes search terms: accent- and case-insensitive, tolerant of OCR line ends.

"Mihailović", "Mihailovic" and "Mihailovich" all index as "mihailovic"; "Hor-\\nstenau" split
by a line end indexes as "horstenau".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, Token

# Letters that do not decompose into a base letter and a combining mark.
SPECIAL_FOLDS = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "ʼ": "'"}
)  # fmt: skip
_LINE_END_HYPHEN = re.compile(r"(\w)[-¬‐]\s*\n\s*(\w)")
# Slavic surnames in English transliteration: -ich/-itch for -ić (Mihailovich, Mihailović).
_TRANSLITERATED_ICH = re.compile(r"(?<=[a-z]{3})(?:itch|ich)$")
WORD_PATTERN = r"\w+"


def join_line_end_hyphens(text: str) -> str:
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as the index stores it: lowercase, without accents, transliterations unified."""
    decomposed = unicodedata.normalize("NFKD", word.translate(SPECIAL_FOLDS))
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _TRANSLITERATED_ICH.sub("ic", base)


class FoldingFilter(Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def page_analyzer() -> object:
    return RegexTokenizer(WORD_PATTERN) | FoldingFilter()  # folding lowercases too


def terms_of(text: str) -> list[str]:
    """The indexed terms of `text`, in order (for matching hit words on a page)."""
    return [fold(m.group(0)) for m in re.finditer(WORD_PATTERN, join_line_end_hyphens(text))]


# The commonest words of English and German archival prose. A phrase made of them ("of the")
# matches nearly every page, and checking word positions page by page is slow; pairs of two
# adjacent common words are indexed as single terms ("common grams") instead. Pairs with one
# rarer word are not needed: the rarer word already narrows the pages to check.
_COMMON = """a an the of and or to in on at by for with from as that this these those which
who is was were be been has had have it its not no but all any his her their our we they he
she i you there then than so if into over under upon after before about between during der die
das den dem des ein eine einer eines einem einen und oder zu im am auf aus bei mit von vom zur
zum fur ist war wurde sind nicht kein keine sich es er sie wir als auch nach uber unter durch"""
COMMON_WORDS = frozenset(_COMMON.split())


def common_pairs(words: list[str]) -> list[str]:
    """Adjacent folded words joined by "_" where both are common words."""
    return [
        f"{first}_{second}"
        for first, second in itertools.pairwise(words)
        if first in COMMON_WORDS and second in COMMON_WORDS
    ]
