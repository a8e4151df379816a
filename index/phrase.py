"""Exact phrases: words standing next to each other, in order, checked from their positions.

Whoosh checks a phrase with its general span machinery, a Span object per occurrence of every
word and a search through them; on pages where "the" stands thirty times that is most of a
phrase query's time. Here each word's positions are decoded into a set, shifted by the word's
place in the phrase, and the sets intersected: the same pages, two to three times faster.

A phrase that puts a common word next to a rarer one ("the mountains", "valley of the") is
narrowed first by the common words each page records beside the rarer word (index.pagetext):
no positions are decoded for the pages where they never meet, and for two words that record
is the answer (scored as the rarer word's hits are).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pickle import loads
from typing import Any

from whoosh import matching
from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.spans import Span, SpanNear2
from whoosh.system import _INT_SIZE

from index.analysis import COMMON_AFTER, COMMON_BEFORE
from index.pagetext import PageText, common_words_beside


@dataclass(frozen=True)
class PhrasePlan:
    """How a phrase is matched in one segment: its words as the field's terms, and for each
    the codes of the common words it must have beside it (index.pagetext)."""

    texts: list[bytes]
    needed: list[bytes]
    # A word of the phrase is in no page of the segment: nothing matches.
    empty: bool = False

    @property
    def beside_place(self) -> int | None:
        """For two words, one common: which word's record of its neighbours is the answer."""
        if len(self.texts) != 2 or not any(self.needed):
            return None
        return 0 if self.needed[0] else 1


class ExactPhrase(q.Phrase):  # type: ignore[misc]
    """Whoosh's Phrase with slop 1 (the words adjacent), matched by `_AdjacentWords`."""

    def plan(self, searcher: Any) -> PhrasePlan | None:
        """The phrase's plan in the searcher's segment; None: Whoosh's own phrase matches it
        (words apart, or a field without positions)."""
        if self.slop != 1 or self.fieldname not in searcher.schema:
            return None
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            return None
        reader = searcher.reader()
        texts = []
        for word in self.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return PhrasePlan([], [], empty=True)
            if (self.fieldname, text) not in reader:
                return PhrasePlan([], [], empty=True)
            texts.append(text)
        words = [str(word) for word in self.words]
        needed = (
            _common_words_needed(words)
            if isinstance(field, PageText) and searcher.is_atomic()
            else [b""] * len(words)
        )
        return PhrasePlan(texts, needed)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        plan = self.plan(searcher)
        if plan is None:
            return super().matcher(searcher, context)  # which says why it cannot, if so
        if plan.empty:
            return matching.NullMatcher()
        terms = [q.Term(self.fieldname, text) for text in plan.texts]
        place = plan.beside_place
        if place is not None:
            found = _beside_common_words(searcher, context, terms[place], plan.needed[place])
            return _boosted(found, self.boost) if found.is_active() else found
        matchers = [
            _beside_common_words(searcher, context, term, codes)
            if codes
            else term.matcher(searcher, context)
            for term, codes in zip(terms, plan.needed, strict=True)
        ]
        if not all(matcher.is_active() for matcher in matchers):
            return matching.NullMatcher()
        return _boosted(_AdjacentWords(matchers), self.boost)


def _boosted(matcher: Any, boost: float) -> Any:
    return matching.WrappingMatcher(matcher, boost=boost) if boost != 1 else matcher


def _common_words_needed(words: list[str]) -> list[bytes]:
    """For each word of a phrase that is not itself common, the codes of the common words the
    phrase puts right before and after it (index.pagetext.common_words_beside)."""
    needed = []
    for place, word in enumerate(words):
        codes = []
        if word not in COMMON_BEFORE:
            if place and words[place - 1] in COMMON_BEFORE:
                codes.append(COMMON_BEFORE[words[place - 1]])
            if place + 1 < len(words) and words[place + 1] in COMMON_AFTER:
                codes.append(COMMON_AFTER[words[place + 1]])
        needed.append(bytes(codes))
    return needed


def _beside_common_words(searcher: Any, context: Any, term: q.Term, codes: bytes) -> Any:
    """The word's postings on the pages where the common words of `codes` stand beside it
    somewhere: read a block at a time, no positions decoded."""
    reader = searcher.reader()
    fieldname, text = term.fieldname, term.text
    wanted = set(codes)
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for block_ids, block_weights, block_values in _posting_blocks(
        reader, reader.postings(fieldname, text)
    ):
        kept = [i for i, v in enumerate(block_values) if wanted.issubset(common_words_beside(v))]
        ids += [block_ids[i] for i in kept]
        weights += [block_weights[i] for i in kept]
        values += [block_values[i] for i in kept]
    if not ids:
        return matching.NullMatcher()
    weighting = context.weighting if context is not None else searcher.weighting
    return matching.ListMatcher(
        ids,
        weights=weights,
        values=values,
        format=searcher.schema[fieldname].format,
        scorer=weighting.scorer(searcher, fieldname, text),
        terminfo=reader.term_info(fieldname, text),
    )


Block = tuple[Sequence[int], Sequence[float], Sequence[bytes]]


def _posting_blocks(reader: Any, postings: Any) -> Iterator[Block]:
    """The page numbers, weights and values of the postings, a block at a time where they are
    Whoosh's on-disk ones (its matcher would step through them one by one); none deleted."""
    if isinstance(postings, FilterMatcher):  # the segment has deleted pages
        for block_ids, block_weights, block_values in _posting_blocks(reader, postings.child):
            live = [i for i, docnum in enumerate(block_ids) if not reader.is_deleted(docnum)]
            yield (
                [block_ids[i] for i in live],
                [block_weights[i] for i in live],
                [block_values[i] for i in live],
            )
        return
    if isinstance(postings, W3LeafMatcher):
        while postings.is_active():
            postings._read_ids()
            postings._read_weights()
            postings._read_values()
            yield postings._ids, postings._weights, postings._values
            postings._next_block()
        return
    ids, weights, values = [], [], []
    while postings.is_active():
        ids.append(postings.id())
        weights.append(postings.weight())
        values.append(postings.value())
        postings.next()
    yield ids, weights, values


class _AdjacentWords(SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    """Matches where word i stands at position p + i, for some p, for every word of the
    phrase; scored like Whoosh's phrase (the words' scores on the page)."""

    def _get_spans(self) -> list[Span]:
        starts: set[int] | None = None
        for offset, word in enumerate(self.ms):
            at = {position - offset for position in _positions(word.value())}
            starts = at if starts is None else starts & at
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(start, start + last) for start in sorted(starts or ())]


def _positions(value: bytes) -> itertools.accumulate[int]:
    """A Positions-format value: a count, then the pickled gaps (its final stop byte may have
    been trimmed when the block was written)."""
    pickled = value[_INT_SIZE:]
    return itertools.accumulate(loads(pickled if pickled.endswith(b".") else pickled + b"."))
