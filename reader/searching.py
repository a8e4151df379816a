"""Search hits made whole for the reader: titles, identifiers, snippets and word positions;
a note's hit with its annotation (its words, where it stands on the page, its author)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload, undefer

from index.search import IndexHit, snippet
from reader.annotations import visible_to
from reader.hitboxes import boxes_in_words, pdf_words
from reader.indexing import note_text
from reader.models import Annotation, Document, Page, TextSource
from reader.records import SearchHit

NOTES = "notes"


def hits_with_details(
    sessions: Callable[[], Session],
    found: list[IndexHit],
    *,
    with_boxes: bool,
    viewer: str | None = None,
) -> list[SearchHit]:
    """`viewer`: a note hit is kept only if that reader may see its annotation (the index
    filters them already; an annotation made private since the last sync is not shown)."""
    if not found:
        return []
    with sessions() as session:
        note_ids = [hit.annotation for hit in found if hit.layer == NOTES and hit.annotation]
        query = select(Annotation).where(Annotation.id.in_(note_ids))
        if viewer is not None:
            query = query.where(visible_to(viewer))
        notes = {a.id: a for a in session.scalars(query)} if note_ids else {}
        documents = {
            d.id: d
            for d in session.scalars(
                select(Document)
                .where(Document.id.in_({hit.doc for hit in found}))
                .options(selectinload(Document.identifiers))
            )
        }
        pages = {
            (p.document_id, p.number): p
            for p in session.scalars(
                select(Page)
                # OR of (document, number) pairs: SQLite answers each from the unique index,
                # where a row-value IN list made it read the whole pages table.
                .where(
                    or_(*(and_(Page.document_id == h.doc, Page.number == h.page) for h in found))
                )
                .options(undefer(Page.text))
            )
        }
        hits = []
        for hit in found:
            document, page = documents.get(hit.doc), pages.get((hit.doc, hit.page))
            if document is None or page is None:  # removed since it was indexed
                continue
            if hit.layer == NOTES:
                annotation = notes.get(hit.annotation or 0)
                if annotation is not None:
                    hits.append(_note_hit(hit, document, page, annotation))
                continue
            hits.append(
                SearchHit(
                    doc=hit.doc,
                    title=document.title,
                    page=hit.page,
                    score=hit.score,
                    snippet=snippet(page.text, hit.terms),
                    identifiers=[i.canonical for i in document.identifiers],
                    kind=document.kind,
                    date=document.date,
                    source=page.text_source,
                    confidence=page.ocr_confidence,
                    terms=sorted(hit.terms),
                    boxes=_boxes(document, page, hit.terms) if with_boxes else [],
                )
            )
        return hits


def _note_hit(hit: IndexHit, document: Document, page: Page, annotation: Annotation) -> SearchHit:
    """A note found by its words: the snippet from the note and the text it highlights,
    its boxes the annotation's own rectangles (where it stands on the page)."""
    return SearchHit(
        doc=hit.doc,
        title=document.title,
        page=hit.page,
        score=hit.score,
        snippet=snippet(note_text(annotation.text, annotation.note), hit.terms),
        identifiers=[i.canonical for i in document.identifiers],
        kind=document.kind,
        date=document.date,
        source="note",  # the page's OCR confidence is not the note's
        confidence=None,
        terms=sorted(hit.terms),
        boxes=[list(map(float, rect)) for rect in annotation.rects],
        layer=NOTES,
        annotation=annotation.id,
        note_author=annotation.author,
    )


def _boxes(document: Document, page: Page, terms: frozenset[str]) -> list[list[float]]:
    if not terms:
        return []
    if page.text_source in (TextSource.OCR, TextSource.TRANSCRIPTION):
        return boxes_in_words(page.words, terms)
    if document.media_type == "application/pdf" and Path(document.source_path).exists():
        return boxes_in_words(pdf_words(Path(document.source_path), page.number), terms)
    return []
