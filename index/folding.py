"""Words as the index stores them: accent- and case-insensitive, tolerant of OCR line ends.

"Mihailović", "Mihailovic" and "Mihailovich" all fold to "mihailovic"; "Hor-\\nstenau" split
by a line end reads as "horstenau". Plain Python, no Whoosh: the reader finds and marks words
with these too, and must not pay for loading the search engine to do so.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that do not decompose into a base letter and a combining mark.
SPECIAL_FOLDS = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "ʼ": "'"}
)  # fmt: skip
_LINE_END_HYPHEN = re.compile(r"(\w)[-¬‐]\s*\n\s*(\w)")
# Slavic surnames in English transliteration: -ich/-itch for -ić (Mihailovich, Mihailović).
_TRANSLITERATED_ICH = re.compile(r"(?<=[a-z]{3})(?:itch|ich)$")
WORD_PATTERN = r"\w+"
_WORD = re.compile(WORD_PATTERN)


def join_line_end_hyphens(text: str) -> str:
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as the index stores it: lowercase, without accents, transliterations unified."""
    decomposed = unicodedata.normalize("NFKD", word.translate(SPECIAL_FOLDS))
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _TRANSLITERATED_ICH.sub("ic", base)


def terms_of(text: str) -> list[str]:
    """The indexed terms of `text`, in order (for matching hit words on a page)."""
    return list(map(fold, _WORD.findall(join_line_end_hyphens(text))))
