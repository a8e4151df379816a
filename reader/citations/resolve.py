"""Resolving detected citations to documents and pages of the archive."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from index.backend import QuoteSearch
from index.folding import fold
from reader.citations.detect import Detected
from reader.citations.notes import NoteSources
from reader.citations.quotes import QUOTE_THRESHOLD, align, candidate_terms, quote_segments
from reader.citations.textmap import WordText, word_text
from reader.citations.works import CatalogWork, WorkRef, find_works, match_work
from reader.models import Document, Identifier, Page

# A note naming a document without its page: a document this short is searched whole.
WHOLE_DOCUMENT_PAGES = 40
QUOTE_CANDIDATES = 6
_ORIGIN_RANK = {"filename": 0, "user": 1, "text": 2}


# A quote matched this well on one page is whole there; below it, the next page may hold the rest.
WHOLE_ON_PAGE = 0.97
# Joined with a neighbour, the alignment must gain this much to be taken as across the break.
ACROSS_BREAK_GAIN = 0.03
ACROSS_BREAK_TRIES = 2  # the best-aligned pages tried with their neighbours


@dataclass(frozen=True)
class Target:
    doc: int
    page: int
    score: float
    start: int | None = None  # the passage on the target page, for quotes
    end: int | None = None
    more: tuple[Target, ...] = ()  # the pages after the first a passage runs on to

    def pages(self) -> list[Target]:
        return [self, *self.more]


class Resolver:
    """Resolves the citations of one article; caches what several citations share."""

    def __init__(self, session: Session, quotes: QuoteSearch, article: int) -> None:
        self.session = session
        self.quotes = quotes
        self.article = article
        self._pages: dict[tuple[int, int], WordText] = {}
        self._works: list[CatalogWork] | None = None
        self._counts: dict[int, int] = {}
        self._searched: dict[tuple[str, ...], Target | None] = {}  # a quote's best page

    def resolve(self, citation: Detected, note: NoteSources | None = None) -> Target | None:
        """`note`: what the citation's note names, the first place to look."""
        if citation.kind == "identifier":
            found = self.identifier(citation.identifier, note)
            return self._located(found, citation) if found is not None else None
        if citation.kind == "quote":
            return self.quote(citation.text, note)
        return self.work(citation)

    def identifier(self, canonical: str, note: NoteSources | None = None) -> Target | None:
        """The document; in a note that gives its page ("NOKW 1088, p. 2"), that page."""
        found = self._identifier(canonical)
        if found is None or note is None:
            return found
        pages = [p for s in note.sources if s.identifier == canonical for p in s.pages]
        if pages and pages[0] <= self._page_count(found.doc):
            return Target(found.doc, pages[0], found.score)
        return found

    def _located(self, found: Target, citation: Detected) -> Target:
        """The page an identifier's own locator names: a microfilm frame the document knows,
        or a page or folio it has."""
        for frame in citation.frames[:1]:
            page = self.session.scalar(
                select(Page.number)
                .where(Page.document_id == found.doc, Page.frame == frame)
                .order_by(Page.number)
            )
            if page is not None:
                return Target(found.doc, page, found.score)
        pages = [p for p in citation.pages if 1 <= p <= self._page_count(found.doc)]
        return Target(found.doc, pages[0], found.score) if pages else found

    def _identifier(self, canonical: str) -> Target | None:
        query = (
            select(Identifier.document_id, Identifier.origin)
            .where(func.lower(Identifier.canonical) == canonical.lower())
            .where(Identifier.document_id != self.article)
        )
        rows = sorted(self.session.execute(query), key=lambda r: (_ORIGIN_RANK.get(r[1], 3), r[0]))
        if rows:
            return Target(rows[0][0], 1, 1.0)
        if canonical.startswith("RG-"):
            holder = self.session.scalar(
                select(Document.id)
                .where(Document.record_group == canonical[3:], Document.id != self.article)
                .order_by(Document.id)
            )
            if holder is not None:
                return Target(holder, 1, 1.0)
        return None

    def quote(self, quote: str, note: NoteSources | None = None) -> Target | None:
        segments = quote_segments(quote)
        if note is not None:
            named = self._in_named_pages(segments, note)
            if named is not None:
                return named
        key = tuple(segments)
        if key not in self._searched:
            self._searched[key] = self._searched_for(segments)
        return self._searched[key]

    def _searched_for(self, segments: list[str]) -> Target | None:
        """The page the whole library offers for a quote: the best aligned candidate of a
        search, or a passage joined across a page break."""
        terms = candidate_terms(segments)
        if not terms:
            return None
        aligned: list[Target] = []
        for doc, number in self.quotes.candidates(
            terms, exclude_doc=self.article, limit=QUOTE_CANDIDATES
        ):
            found = align(segments, self._page(doc, number))
            if found is not None:
                aligned.append(Target(doc, number, found.score, found.start, found.end))
        aligned.sort(key=lambda t: -t.score)
        if aligned and aligned[0].score >= WHOLE_ON_PAGE:
            return aligned[0]
        # Below that, the best pages may each hold a part of a passage across a page break.
        for partial in aligned[:ACROSS_BREAK_TRIES]:
            joined = self._across_break(segments, partial)
            if joined is not partial:
                return joined
        return aligned[0] if aligned and aligned[0].score >= QUOTE_THRESHOLD else None

    def _in_named_pages(self, segments: list[str], note: NoteSources) -> Target | None:
        """The quote looked for first where its note points: the pages it names, or the whole
        of a short named document; even where the same words stand elsewhere too."""
        best: Target | None = None
        for doc, pages in self._note_documents(note):
            for number in pages:
                found = align(segments, self._page(doc, number))
                if found is not None and (best is None or found.score > best.score):
                    best = Target(doc, number, found.score, found.start, found.end)
        if best is None:
            return None
        if best.score < WHOLE_ON_PAGE:
            best = self._across_break(segments, best)
        return best if best.score >= QUOTE_THRESHOLD else None

    def _note_documents(self, note: NoteSources) -> list[tuple[int, list[int]]]:
        named: list[tuple[int, list[int]]] = []
        for source in note.sources:
            target = (
                self._identifier(source.identifier)
                if source.identifier
                else self._work_target(source.work)
                if source.work is not None
                else None
            )
            if target is None:
                continue
            count = self._page_count(target.doc)
            pages = [p for p in source.pages if 1 <= p <= count]
            if not pages and count <= WHOLE_DOCUMENT_PAGES:
                pages = list(range(1, count + 1))
            named.append((target.doc, pages))
        return named

    def _page_count(self, doc: int) -> int:
        if doc not in self._counts:
            self._counts[doc] = int(
                self.session.scalar(select(func.count()).where(Page.document_id == doc)) or 0
            )
        return self._counts[doc]

    def _across_break(self, segments: list[str], best: Target) -> Target:
        """A passage that runs over a page break: aligned on the page joined with the next
        (or the one before), it stands on both, each with its part."""
        for first in (best.page, best.page - 1):
            pages = [self._page_text(best.doc, first), self._page_text(best.doc, first + 1)]
            if first < 1 or pages[0] is None or pages[1] is None:
                continue
            joined = f"{pages[0]}\n{pages[1]}"
            found = align(segments, word_text(joined))
            if (
                found is None
                or found.score < QUOTE_THRESHOLD
                or found.score < best.score + ACROSS_BREAK_GAIN
            ):
                continue
            second_starts = len(pages[0]) + 1
            if not found.start < second_starts <= found.end:
                continue  # the better match lies on one page after all
            score = found.score
            tail = Target(best.doc, first + 1, score, 0, found.end - second_starts)
            return Target(best.doc, first, score, found.start, len(pages[0]), (tail,))
        return best

    def _page_text(self, doc: int, number: int) -> str | None:
        if number < 1:
            return None
        text: str | None = self.session.scalar(
            select(Page.text).where(Page.document_id == doc, Page.number == number)
        )
        return text

    def work(self, citation: Detected) -> Target | None:
        """A work by author, title and year (the reference parsed again from its text), or a
        quoted title alone."""
        # An author-date reference is detected inside its brackets: parse it with them again.
        refs = find_works(citation.text) or find_works(f"({citation.text})")
        ref = refs[0] if refs else WorkRef(
            citation.start, citation.end, citation.text, citation.author,
            citation.title or citation.text, citation.year, "", style="title",
        )  # fmt: skip
        return self._work_target(ref)

    def _work_target(self, ref: WorkRef) -> Target | None:
        matched = match_work(ref, self._catalog_works())
        if matched is None:
            return None
        doc, score = matched
        pages = [p for p in ref.pages if 1 <= p <= self._page_count(doc)]
        return Target(doc, pages[0] if pages else 1, score)

    def _page(self, doc: int, number: int) -> WordText:
        key = (doc, number)
        if key not in self._pages:
            text = self.session.scalar(
                select(Page.text).where(Page.document_id == doc, Page.number == number)
            )
            self._pages[key] = word_text(text or "")
        return self._pages[key]

    def _catalog_works(self) -> list[CatalogWork]:
        if self._works is None:
            rows = self.session.execute(
                select(Document.id, Document.title, Document.authors, Document.date).where(
                    Document.id != self.article
                )
            )
            self._works = [CatalogWork(r.id, r.title, list(r.authors or []), r.date) for r in rows]
        return self._works


def _title_words(title: str) -> str:
    """A title as its folded words: "Terror in the Balkans: German Armies" and "Terror in the
    Balkans" share their words whatever the punctuation."""
    return " ".join(fold(word) for word in re.findall(r"\w+", title))
