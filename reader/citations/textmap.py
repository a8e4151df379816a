"""Text reduced to folded words for fuzzy alignment, with the way back to the original offsets."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from index.folding import fold

# A word, possibly split at a line end by a hyphen ("Hor-\nstenau").
_WORD = re.compile(r"\w+(?:[-¬‐]\s*\n\s*\w+)*")
_LINE_END_SPLIT = re.compile(r"[-¬‐]\s*\n\s*")


@dataclass(frozen=True)
class WordText:
    """`text` is the folded words joined by single spaces; word i starts at `starts[i]` in it
    and stands at `spans[i]` in the original."""

    text: str
    starts: list[int]
    spans: list[tuple[int, int]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets covering normalized text[start:end]."""
        if not self.spans:
            return 0, 0
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        last = max(first, bisect.bisect_right(self.starts, max(start, end - 1)) - 1)
        return self.spans[first][0], self.spans[last][1]


def word_text(text: str) -> WordText:
    words: list[str] = []
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _WORD.finditer(text):
        written = match.group(0)
        # Most words hold no line-end hyphen: no substitution for them.
        word = fold(_LINE_END_SPLIT.sub("", written) if "\n" in written else written)
        words.append(word)
        starts.append(position)
        spans.append((match.start(), match.end()))
        position += len(word) + 1
    return WordText(" ".join(words), starts, spans)


def folded_words(text: str) -> list[str]:
    return word_text(text).text.split()
