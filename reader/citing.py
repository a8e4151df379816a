"""The catalog side of citations: detecting, resolving and storing them, and reading them back."""

from __future__ import annotations

import bisect

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from whoosh.index import Index

from reader.citations.detect import Detected, article_text, detect_citations
from reader.citations.resolve import Resolver, Target
from reader.hitboxes import boxes_in_span, page_words
from reader.models import Citation, Document, Page
from reader.records import CitationInfo, CitationTarget, CitingReference


def _page_texts(session: Session, doc_id: int) -> list[str]:
    query = select(Page.text).where(Page.document_id == doc_id).order_by(Page.number)
    return [text or "" for text in session.scalars(query)]


def _page_of(pages: list[str], offset: int) -> int:
    starts = []
    position = 0
    for text in pages:
        starts.append(position)
        position += len(text) + 2  # the blank line that joins pages
    return max(1, bisect.bisect_right(starts, offset))


def cite_document(session: Session, ix: Index, doc_id: int) -> None:
    """Detect and resolve the citations of a document, replacing those stored before."""
    pages = _page_texts(session, doc_id)
    detected = detect_citations(article_text(pages))
    with ix.searcher() as searcher:
        resolver = Resolver(session, searcher, doc_id)
        rows = [_row(doc_id, pages, found, resolver.resolve(found)) for found in detected]
    session.execute(delete(Citation).where(Citation.document_id == doc_id))
    session.add_all(rows)
    session.commit()


def _row(doc_id: int, pages: list[str], found: Detected, target: Target | None) -> Citation:
    return Citation(
        document_id=doc_id,
        start=found.start,
        end=found.end,
        page=_page_of(pages, found.start),
        kind=found.kind,
        text=found.text,
        identifier=found.identifier,
        target_document_id=target.doc if target else None,
        target_page=target.page if target else None,
        target_start=target.start if target else None,
        target_end=target.end if target else None,
        score=target.score if target else 0.0,
    )


def resolve_gaps(session: Session, ix: Index) -> int:
    """Try again the citations that pointed at nothing; the number now resolved."""
    gaps = session.scalars(select(Citation).where(Citation.target_document_id.is_(None))).all()
    resolved = 0
    by_article: dict[int, list[Citation]] = {}
    for gap in gaps:
        by_article.setdefault(gap.document_id, []).append(gap)
    with ix.searcher() as searcher:
        for article, citations in by_article.items():
            resolver = Resolver(session, searcher, article)
            for citation in citations:
                target = resolver.resolve(_detected(citation))
                if target is not None:
                    citation.target_document_id = target.doc
                    citation.target_page = target.page
                    citation.target_start = target.start
                    citation.target_end = target.end
                    citation.score = target.score
                    resolved += 1
    session.commit()
    return resolved


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
        select(Citation).where(Citation.document_id == doc_id).order_by(Citation.start)
    ).all()
    target_ids = {c.target_document_id for c in citations if c.target_document_id}
    titles = {
        doc: title
        for doc, title in session.execute(
            select(Document.id, Document.title).where(Document.id.in_(target_ids))
        )
    }
    return [
        CitationInfo(
            id=c.id,
            kind=c.kind,
            text=c.text,
            start=c.start,
            end=c.end,
            page=c.page,
            identifier=c.identifier,
            target=_target(session, c, titles, with_boxes) if c.target_document_id else None,
        )
        for c in citations
    ]


def _target(
    session: Session, c: Citation, titles: dict[int, str], with_boxes: bool
) -> CitationTarget:
    assert c.target_document_id is not None and c.target_page is not None
    boxes: list[list[float]] = []
    if with_boxes and c.target_start is not None and c.target_end is not None:
        boxes = passage_boxes(
            session, c.target_document_id, c.target_page, c.target_start, c.target_end
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
    session: Session, doc_id: int, number: int, start: int, end: int
) -> list[list[float]]:
    row = session.execute(
        select(Page.text, Page.words, Document.media_type, Document.source_path)
        .join(Document, Document.id == Page.document_id)
        .where(Page.document_id == doc_id, Page.number == number)
    ).one_or_none()
    if row is None:
        return []
    words = page_words(row.media_type, row.source_path, number, row.words)
    return boxes_in_span(words, row.text or "", start, end)


def citing_references(
    session: Session, doc_id: int, page: int | None = None
) -> list[CitingReference]:
    query = (
        select(Citation, Document.title)
        .join(Document, Document.id == Citation.document_id)
        .where(Citation.target_document_id == doc_id)
        .order_by(Citation.document_id, Citation.start)
    )
    if page is not None:
        query = query.where(Citation.target_page == page)
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
