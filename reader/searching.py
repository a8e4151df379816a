"""Search hits made whole for the reader: titles, identifiers, snippets and word positions;
a note's hit with its annotation (its words, where it stands on the page, its author)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, select
from sqlalchemy.orm import Session

from index.search import IndexHit, snippet
from reader.annotations import visible_to
from reader.hitboxes import boxes_in_words, pdf_words
from reader.indexing import note_text
from reader.models import Annotation, Document, Identifier, Page, TextSource
from reader.records import SearchHit

NOTES = "notes"


@dataclass(frozen=True)
class _DocumentRow:
    title: str
    kind: str
    date: str
    media_type: str
    source_path: str
    identifiers: list[str]


@dataclass(frozen=True)
class _PageRow:
    text: str
    text_source: str
    ocr_confidence: float | None
    words: list[Any]


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
        connection = session.connection()
        documents = _documents(connection, {hit.doc for hit in found})
        pages = _pages(connection, found, with_boxes=with_boxes)
    hits = []
    for hit in found:
        document, page = documents.get(hit.doc), pages.get((hit.doc, hit.page))
        if document is None or page is None:  # removed since it was indexed
            continue
        if hit.layer == NOTES:
            annotation = notes.get(hit.annotation or 0)
            if annotation is not None:
                hits.append(_note_hit(hit, document, annotation))
            continue
        hits.append(
            SearchHit(
                doc=hit.doc,
                title=document.title,
                page=hit.page,
                score=hit.score,
                snippet=snippet(page.text, hit.terms),
                identifiers=document.identifiers,
                kind=document.kind,
                date=document.date,
                source=page.text_source,
                confidence=page.ocr_confidence,
                terms=sorted(hit.terms),
                boxes=_boxes(document, hit.page, page, hit.terms) if with_boxes else [],
            )
        )
    return hits


# Plain rows through statements compiled once (IN lists of any length are one statement):
# building ORM objects, and an OR of (document, number) pairs made anew for every search, took
# most of the time between a search's hits and their display.
def _documents(connection: Connection, ids: set[int]) -> dict[int, _DocumentRow]:
    identifiers: dict[int, list[str]] = {doc: [] for doc in ids}
    query = (
        select(Identifier.document_id, Identifier.canonical)
        .where(Identifier.document_id.in_(ids))
        .order_by(Identifier.id)
    )
    for doc, canonical in connection.execute(query):
        identifiers[doc].append(canonical)
    columns = (Document.title, Document.kind, Document.date, Document.media_type)
    rows = select(Document.id, *columns, Document.source_path).where(Document.id.in_(ids))
    return {
        row.id: _DocumentRow(row.title, row.kind, row.date or "", row.media_type,
                             row.source_path, identifiers[row.id])
        for row in connection.execute(rows)
    }  # fmt: skip


def _pages(
    connection: Connection, found: list[IndexHit], *, with_boxes: bool
) -> dict[tuple[int, int], _PageRow]:
    """The hits' pages by (document, number): read by the rows the index gave, and any page
    whose row it did not give (or that is another page now) by its document and number."""
    columns = [Page.id, Page.document_id, Page.number, Page.text, Page.text_source,
               Page.ocr_confidence, *([Page.words] if with_boxes else [])]  # fmt: skip
    wanted = {(hit.doc, hit.page) for hit in found}
    pages: dict[tuple[int, int], _PageRow] = {}

    def read(condition: ColumnElement[bool]) -> None:
        for row in connection.execute(select(*columns).where(condition)):
            key = (row.document_id, row.number)
            if key in wanted:
                words = row.words if with_boxes else []
                pages[key] = _PageRow(row.text or "", row.text_source, row.ocr_confidence, words)

    read(Page.id.in_({hit.row for hit in found if hit.row}))
    missing: dict[int, set[int]] = {}
    for doc, number in wanted - pages.keys():
        missing.setdefault(doc, set()).add(number)
    for doc, numbers in missing.items():
        read(and_(Page.document_id == doc, Page.number.in_(numbers)))
    return pages


def _note_hit(hit: IndexHit, document: _DocumentRow, annotation: Annotation) -> SearchHit:
    """A note found by its words: the snippet from the note and the text it highlights,
    its boxes the annotation's own rectangles (where it stands on the page)."""
    return SearchHit(
        doc=hit.doc,
        title=document.title,
        page=hit.page,
        score=hit.score,
        snippet=snippet(note_text(annotation.text, annotation.note), hit.terms),
        identifiers=document.identifiers,
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


def _boxes(
    document: _DocumentRow, number: int, page: _PageRow, terms: frozenset[str]
) -> list[list[float]]:
    if not terms:
        return []
    if page.text_source in (TextSource.OCR, TextSource.TRANSCRIPTION):
        return boxes_in_words(page.words, terms)
    if document.media_type == "application/pdf" and Path(document.source_path).exists():
        return boxes_in_words(pdf_words(Path(document.source_path), number), terms)
    return []
