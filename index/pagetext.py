"""The page-text field: written from the page's words folded once, searched through the analyzer."""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from pickle import dumps
from typing import Any

from whoosh.fields import TEXT
from whoosh.system import pack_uint

# (term, frequency, weight, encoded positions): what Whoosh's fields give its writer.
Posting = tuple[bytes, int, float, bytes]


class PageText(TEXT):  # type: ignore[misc]
    """Indexed from a page's folded words in order (index.folding.terms_of), it writes the terms
    and positions the analyzer would give, without a token object per word; the writer reuses
    the same words for the common pairs. Query text still goes through the analyzer, which folds
    the same way."""

    def index(self, value: str | Sequence[str], **kwargs: Any) -> Iterator[Posting]:
        if isinstance(value, str):
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        return word_postings(value, self.format.field_boost)


def word_postings(words: Sequence[str], boost: float = 1.0) -> Iterator[Posting]:
    """One posting per distinct word, its positions encoded as Whoosh's Positions format does:
    the count, then the pickled gaps between positions."""
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        found = positions.get(word)
        if found is None:
            positions[word] = [position]
        else:
            found.append(position)
    for word, places in positions.items():
        count = len(places)
        gaps = [places[0], *map(operator.sub, places[1:], places)]
        yield word.encode("utf-8"), count, count * boost, pack_uint(count) + dumps(gaps, 2)
