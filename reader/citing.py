"""The catalog side of citations: detecting, resolving and storing them, and reading them back."""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from index.backend import SearchBackend
from reader.catalog import Catalog
from reader.citations.detect import Detected, article_text, detect_citations
from reader.citations.notes import NoteMarker, NoteSources, find_notes, note_at, parse_note
from reader.citations.resolve import Resolver, Target
from reader.hitboxes import boxes_in_span, page_words
from reader.identifiers import KnownMatcher, variants_matcher
from reader.models import Citation, CitationPage, CitingState, Document, Identifier, Page
from reader.records import CitationInfo, CitationTarget, CitingReference
from reader.schemes import SchemeTable


def _page_texts(session: Session, doc_id: int) -> list[str]:
    query = select(Page.text).where(Page.document_id == doc_id).order_by(Page.number)
    return [text or "" for text in session.scalars(query)]


# A page's text and its words with their boxes, by (document, page).
PageWords = dict[tuple[int, int], tuple[str, list[list[Any]]]]


def _page_starts(pages: list[str]) -> list[int]:
    starts = []
    position = 0
    for text in pages:
        starts.append(position)
        position += len(text) + 2  # the blank line that joins pages
    return starts


def _page_of(starts: list[int], offset: int) -> int:
    return max(1, bisect.bisect_right(starts, offset))


def cite_document(
    catalog: Catalog,
    backend: SearchBackend,
    doc_id: int,
    *,
    schemes: SchemeTable | None = None,
    known: KnownMatcher | None = None,
) -> None:
    """Detect and resolve the citations of a document, replacing those stored before, and
    mark it cited. A citation's note, where it has one, is where it is looked for first.
    `schemes` and `known`: the library's identifier schemes and its catalog identifiers (see
    detect_citations). The catalog is read as one reader and written by one short writer:
    other programs may write meanwhile, and this waits its turn to store."""
    with catalog.session() as session:
        rows, parents = _cited_rows(session, backend, doc_id, schemes, known)
    with catalog.writer() as session, session.begin():
        session.execute(delete(Citation).where(Citation.document_id == doc_id))
        session.add_all(rows)
        session.flush()  # ids, so that a nested quotation can name the one enclosing it
        for row, parent in zip(rows, parents, strict=True):
            if parent is not None:
                row.parent_id = rows[parent].id
        session.execute(
            update(Document)
            .where(Document.id == doc_id)
            # Citing is no edit of the document's record: its time stays.
            .values(citing_state=CitingState.DONE.value, updated=Document.updated)
        )


def _cited_rows(
    session: Session,
    backend: SearchBackend,
    doc_id: int,
    schemes: SchemeTable | None,
    known: KnownMatcher | None,
) -> tuple[list[Citation], list[int | None]]:
    """A document's citations as rows to store, and the place of each one's enclosing
    quotation among them."""
    pages = _page_texts(session, doc_id)
    text = article_text(pages)
    detected = detect_citations(text, schemes=schemes, known=known)
    notes = ArticleNotes(text)
    starts = _page_starts(pages)
    with backend.quote_search() as quotes:
        resolver = Resolver(session, quotes, doc_id)
        rows = []
        for found in detected:
            note = notes.number_of(found)
            target = resolver.resolve(found, notes.sources(note))
            rows.append(_row(doc_id, starts, found, target, note))
    return rows, [found.parent for found in detected]


class ArticleNotes:
    """An article's notes: which one a citation belongs to, and what each names (an Ibid.
    the note before it)."""

    def __init__(self, text: str) -> None:
        self.map = find_notes(text)
        self._ending: dict[int, list[NoteMarker]] = {}  # markers by where they end
        for marker in self.map.markers:
            self._ending.setdefault(marker.end, []).append(marker)
        self._sources: dict[int, NoteSources] = {}
        previous: NoteSources | None = None
        for number in sorted(self.map.notes):
            previous = parse_note(self.map.notes[number].text, previous)
            self._sources[number] = previous

    def number_of(self, found: Detected) -> int | None:
        """The note a citation is made in, or whose marker follows it (or ends it: a block
        quotation runs to its paragraph's end, its marker included)."""
        inside = note_at(self.map, found.start, window=0)
        if inside is not None:
            return inside
        ending = [m for m in self._ending.get(found.end, ()) if found.start < m.start]
        return ending[0].number if ending else note_at(self.map, found.end)

    def sources(self, note: int | None) -> NoteSources | None:
        return self._sources.get(note) if note is not None else None


def _row(
    doc_id: int, starts: list[int], found: Detected, target: Target | None, note: int | None
) -> Citation:
    return Citation(
        document_id=doc_id,
        start=found.start,
        end=found.end,
        page=_page_of(starts, found.start),
        kind=found.kind,
        text=found.text,
        identifier=found.identifier,
        target_document_id=target.doc if target else None,
        target_page=target.page if target else None,
        target_start=target.start if target else None,
        target_end=target.end if target else None,
        score=target.score if target else 0.0,
        note=note,
        pages=_pages(target),
    )


def _pages(target: Target | None) -> list[CitationPage]:
    """Every page a citation resolves to, the target first."""
    if target is None:
        return []
    return [
        CitationPage(position=n, document_id=t.doc, page=t.page, start=t.start, end=t.end,
                     score=t.score)
        for n, t in enumerate(target.pages())
    ]  # fmt: skip


def resolve_gaps(catalog: Catalog, backend: SearchBackend) -> int:
    """Try again the citations that pointed at nothing; the number now resolved."""
    with catalog.session() as session:
        found = _gap_targets(session, backend)
    if not found:
        return 0
    resolved = 0
    with catalog.writer() as session, session.begin():
        for citation_id, target in found:
            citation = session.get(Citation, citation_id)
            if citation is None or citation.target_document_id is not None:
                continue  # cited again or resolved meanwhile
            citation.target_document_id = target.doc
            citation.target_page = target.page
            citation.target_start = target.start
            citation.target_end = target.end
            citation.score = target.score
            citation.pages = _pages(target)
            resolved += 1
    return resolved


def _gap_targets(session: Session, backend: SearchBackend) -> list[tuple[int, Target]]:
    """The citations that pointed at nothing and now resolve, each with its target."""
    gaps = session.scalars(select(Citation).where(Citation.target_document_id.is_(None))).all()
    by_article: dict[int, list[Citation]] = {}
    for gap in gaps:
        by_article.setdefault(gap.document_id, []).append(gap)
    found = []
    with backend.quote_search() as quotes:
        for article, citations in by_article.items():
            resolver = Resolver(session, quotes, article)
            notes = ArticleNotes(article_text(_page_texts(session, article)))
            for citation in citations:
                target = resolver.resolve(_detected(citation), notes.sources(citation.note))
                if target is not None:
                    found.append((citation.id, target))
    return found


def _detected(citation: Citation) -> Detected:
    """The detection a stored citation came from (a work's author and title parsed again)."""
    if citation.kind == "work":
        works = [d for d in detect_citations(citation.text) if d.kind == "work"]
        if works:
            return works[0]
    return Detected(
        citation.kind, citation.start, citation.end, citation.text, identifier=citation.identifier
    )


def stored_citations(
    session: Session, doc_id: int, *, with_boxes: bool = True
) -> list[CitationInfo]:
    citations = session.scalars(
        select(Citation)
        .where(Citation.document_id == doc_id)
        .order_by(Citation.start, Citation.end.desc(), Citation.id)
        .options(selectinload(Citation.pages))
    ).all()
    target_ids = {p.document_id for c in citations for p in c.pages}
    target_ids |= {c.target_document_id for c in citations if c.target_document_id}
    titles = {
        doc: title
        for doc, title in session.execute(
            select(Document.id, Document.title).where(Document.id.in_(target_ids))
        )
    }
    index = {c.id: n for n, c in enumerate(citations)}
    words: PageWords | None = {} if with_boxes else None  # each page's words read once
    infos = []
    for c in citations:
        target = _target(session, c, titles, words) if c.target_document_id else None
        parent = index.get(c.parent_id) if c.parent_id is not None else None
        targets = _targets(session, c, target, titles, words)
        info = CitationInfo(c.id, c.kind, c.text, c.start, c.end, c.page, c.identifier, target)
        infos.append(replace(info, note=c.note, parent=parent, targets=targets))
    return infos


def _targets(
    session: Session,
    c: Citation,
    target: CitationTarget | None,
    titles: dict[int, str],
    words: PageWords | None,
) -> list[CitationTarget]:
    """Every page, the target first (catalogs cited before pages were kept: the target);
    with boxes where `words` (the pages' words, kept) is given."""
    if target is None:
        return []
    more = []
    for p in c.pages[1:]:
        spanned = words is not None and p.start is not None and p.end is not None
        boxes = (
            passage_boxes(session, p.document_id, p.page, p.start or 0, p.end or 0, words)
            if spanned
            else []
        )
        title = titles.get(p.document_id, "")
        more.append(CitationTarget(p.document_id, p.page, p.score, title, p.start, p.end,
                                   boxes))  # fmt: skip
    return [target, *more]


def _target(
    session: Session, c: Citation, titles: dict[int, str], words: PageWords | None
) -> CitationTarget:
    assert c.target_document_id is not None and c.target_page is not None
    boxes: list[list[float]] = []
    if words is not None and c.target_start is not None and c.target_end is not None:
        boxes = passage_boxes(
            session, c.target_document_id, c.target_page, c.target_start, c.target_end, words
        )
    return CitationTarget(
        doc=c.target_document_id,
        page=c.target_page,
        score=c.score,
        title=titles.get(c.target_document_id, ""),
        start=c.target_start,
        end=c.target_end,
        boxes=boxes,
    )


def passage_boxes(
    session: Session,
    doc_id: int,
    number: int,
    start: int,
    end: int,
    pages: PageWords | None = None,
) -> list[list[float]]:
    """The boxes of a page's text span. `pages` keeps each page's words for the next call:
    a born-digital page's words are read from its PDF, once for all its passages."""
    key = (doc_id, number)
    if pages is None or key not in pages:
        row = session.execute(
            select(Page.text, Page.words, Document.media_type, Document.source_path)
            .join(Document, Document.id == Page.document_id)
            .where(Page.document_id == doc_id, Page.number == number)
        ).one_or_none()
        if row is None:
            return []
        words = page_words(row.media_type, row.source_path, number, row.words)
        if pages is None:
            return boxes_in_span(words, row.text or "", start, end)
        pages[key] = (row.text or "", words)
    text, words = pages[key]
    return boxes_in_span(words, text, start, end)


def citing_references(
    session: Session, doc_id: int, page: int | None = None
) -> list[CitingReference]:
    query = (
        select(Citation, Document.title)
        .join(Document, Document.id == Citation.document_id)
        .where(Citation.target_document_id == doc_id)
        .order_by(Citation.document_id, Citation.start)
    )
    if page is not None:  # the target page, or any page a passage runs on to
        on_page = select(CitationPage.citation_id).where(
            CitationPage.document_id == doc_id, CitationPage.page == page
        )
        query = query.where(or_(Citation.target_page == page, Citation.id.in_(on_page)))
    return [
        CitingReference(
            citation=c.id,
            doc=c.document_id,
            title=title,
            page=c.page,
            kind=c.kind,
            text=c.text,
            target_page=c.target_page or 1,
            score=c.score,
        )
        for c, title in session.execute(query)
    ]


def catalog_identifiers(session: Session) -> KnownMatcher:
    """Every identifier in the catalog, to be found in an article however it is written."""
    canonicals = session.scalars(select(Identifier.canonical).distinct()).all()
    return variants_matcher(canonicals)
