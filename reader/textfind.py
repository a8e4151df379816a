"""Finding text in a page the way the index matches words: the same fold (index.folding), so
"Südost" finds "Suedost", "Mihailovic" finds "Михаиловић", with spans in the page's offsets."""

from __future__ import annotations

from collections.abc import Iterator

from index.folding import fold_text


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the offset it came from."""
    folded, starts, _ends = fold_text(text)
    return folded, starts


def find_folded(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """Spans of `text` (original offsets) where the folded `needle` occurs."""
    folded_needle, _, _ = fold_text(" ".join(needle.split()))
    if not folded_needle:
        return
    haystack, starts, ends = fold_text(text)
    haystack_spaced = "".join(" " if c.isspace() else c for c in haystack)
    position = haystack_spaced.find(folded_needle)
    while position >= 0:
        end = position + len(folded_needle)
        yield starts[position], ends[end - 1]
        position = haystack_spaced.find(folded_needle, end)
