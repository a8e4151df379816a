"""Resolving detected citations to documents and pages of the archive."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh.searching import Searcher

from index.folding import fold
from index.search import candidate_pages
from reader.citations.detect import Detected
from reader.citations.quotes import QUOTE_THRESHOLD, align, candidate_terms, quote_segments
from reader.citations.textmap import WordText, word_text
from reader.models import Document, Identifier, Page

WORK_THRESHOLD = 0.8
QUOTE_CANDIDATES = 6
_ORIGIN_RANK = {"filename": 0, "user": 1, "text": 2}


@dataclass(frozen=True)
class Target:
    doc: int
    page: int
    score: float
    start: int | None = None  # the passage on the target page, for quotes
    end: int | None = None


class Resolver:
    """Resolves the citations of one article; caches what several citations share."""

    def __init__(self, session: Session, searcher: Searcher, article: int) -> None:
        self.session = session
        self.searcher = searcher
        self.article = article
        self._pages: dict[tuple[int, int], WordText] = {}
        self._works: list[tuple[int, str, list[str], str]] | None = None

    def resolve(self, citation: Detected) -> Target | None:
        if citation.kind == "identifier":
            return self.identifier(citation.identifier)
        if citation.kind == "quote":
            return self.quote(citation.text)
        return self.work(citation.author, citation.title, citation.year)

    def identifier(self, canonical: str) -> Target | None:
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

    def quote(self, quote: str) -> Target | None:
        segments = quote_segments(quote)
        terms = candidate_terms(segments)
        if not terms:
            return None
        best: Target | None = None
        for doc, number in candidate_pages(
            self.searcher, terms, exclude_doc=self.article, limit=QUOTE_CANDIDATES
        ):
            found = align(segments, self._page(doc, number))
            if (
                found
                and found.score >= QUOTE_THRESHOLD
                and (best is None or found.score > best.score)
            ):
                best = Target(doc, number, found.score, found.start, found.end)
        return best

    def work(self, author: str, title: str, year: str) -> Target | None:
        surname = fold(author.split()[-1])
        wanted = _title_words(title)
        best: Target | None = None
        for doc, doc_title, authors, date in self._catalog_works():
            if not any(surname in fold(name).replace(",", " ").split() for name in authors):
                continue
            score = fuzz.token_set_ratio(wanted, _title_words(doc_title)) / 100
            if year and date.startswith(year):
                score = min(1.0, score + 0.05)
            if score >= WORK_THRESHOLD and (best is None or score > best.score):
                best = Target(doc, 1, round(score, 4))
        return best

    def _page(self, doc: int, number: int) -> WordText:
        key = (doc, number)
        if key not in self._pages:
            text = self.session.scalar(
                select(Page.text).where(Page.document_id == doc, Page.number == number)
            )
            self._pages[key] = word_text(text or "")
        return self._pages[key]

    def _catalog_works(self) -> list[tuple[int, str, list[str], str]]:
        if self._works is None:
            rows = self.session.execute(
                select(Document.id, Document.title, Document.authors, Document.date).where(
                    Document.id != self.article
                )
            )
            self._works = [(r.id, r.title, list(r.authors or []), r.date) for r in rows]
        return self._works


def _title_words(title: str) -> str:
    """A title as its folded words: "Terror in the Balkans: German Armies" and "Terror in the
    Balkans" share their words whatever the punctuation."""
    return " ".join(fold(word) for word in re.findall(r"\w+", title))
