"""Finding text in a page the way the index matches words: ignoring case and accents."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from index.folding import SPECIAL_FOLDS


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(SPECIAL_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the offset it came from."""
    pieces: list[str] = []
    origins: list[int] = []
    for offset, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origins.extend([offset] * len(folded))
    return "".join(pieces), origins


def find_folded(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """Spans of `text` (original offsets) where the folded `needle` occurs."""
    folded_needle, _ = folded_with_offsets(" ".join(needle.split()))
    if not folded_needle:
        return
    haystack, origins = folded_with_offsets(text)
    haystack_spaced = "".join(" " if c.isspace() else c for c in haystack)
    position = haystack_spaced.find(folded_needle)
    while position >= 0:
        end = position + len(folded_needle)
        yield origins[position], origins[end - 1] + 1
        position = haystack_spaced.find(folded_needle, end)
