"""What the index makes of a page's text, as plain data: made once, anywhere (an import's
reading helper makes it on the other core, beside MuPDF's reading), and written with the page.

Most of the time of indexing a page is spent on its words: finding them, folding them, their
positions and the common words beside them, the common pairs. None of it depends on which
document or catalog row the page becomes, so it need not wait for the catalog.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import cache
from typing import Any

from whoosh.system import pack_uint

from index.analysis import common_pairs
from index.folding import fold, spellings_of, words_of
from index.pagetext import Posting
from index.schema import page_schema


@dataclass(frozen=True)
class Postings:
    """A field's postings made beforehand: what the field's `index` gives for its value
    (index.writer hands them to the segment as they are)."""

    items: tuple[Posting, ...]


@dataclass(frozen=True)
class PageAnalysis:
    """A page's text as the index writes it: the postings of its words (the `content` field)
    and of its pairs of common words (`pairs`), and the spellings of its words where they
    differ from their terms (`exact`, joined by the title's on a first page)."""

    content: Postings
    pairs: Postings
    spellings: tuple[str, ...]


def analyse_page(text: str) -> PageAnalysis:
    written = words_of(text)
    words = list(map(fold, written))
    schema = _schema()
    return PageAnalysis(
        content=Postings(tuple(schema["content"].index(words))),
        pairs=Postings(_counted(common_pairs(words), schema["pairs"].format.field_boost)),
        spellings=tuple(spellings_of(written, words)),
    )


def packed(analysis: PageAnalysis) -> bytes:
    """An analysis as bytes, to be kept until its page is written: a quarter of the memory
    of its objects (the postings of thousands of pages may wait for an import's next sync)."""
    return pickle.dumps(analysis, pickle.HIGHEST_PROTOCOL)


def unpacked(data: bytes) -> PageAnalysis:
    """An analysis `packed` made (in this program: a helper process of its own)."""
    analysis = pickle.loads(data)
    if not isinstance(analysis, PageAnalysis):
        raise TypeError(f"not a page analysis: {type(analysis).__name__}")
    return analysis


def _counted(terms: list[str], boost: float) -> tuple[Posting, ...]:
    """Postings of terms counted, as a field of Whoosh's Frequency format gives them for the
    terms joined by spaces (a posting's value: its count)."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return tuple(
        (term.encode("utf-8"), count, float(count) * boost, pack_uint(count))
        for term, count in counts.items()
    )


@cache
def _schema() -> Any:
    return page_schema()
