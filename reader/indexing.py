"""Keeping the search index in step with the catalog, which is the source of truth."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, true, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from whoosh.index import Index

from index.writer import (
    PageRecord,
    Rebuild,
    indexed_page_ids,
    page_id,
    update_pages,
    write_segment,
)
from reader.catalog import is_busy
from reader.models import Document, Identifier, Page

SYNC_BATCH = 5000
PARALLEL_BATCH = 1000
_PAGES = cast(Table, Page.__table__)
_MARK_INDEXED = (
    update(_PAGES)
    .where(_PAGES.c.id == bindparam("pid"), _PAGES.c.revision == bindparam("rev"))
    .values(indexed=True)
)


def _records(session: Session, page_filter: Any) -> list[tuple[PageRecord, int, int]]:
    rows = session.execute(
        select(
            Page.id, Page.revision, Page.number, Page.text, Page.text_source,
            Page.ocr_confidence, Document.id.label("doc"), Document.title, Document.kind,
            Document.collection, Document.authors, Document.date,
        )
        .join(Document, Document.id == Page.document_id)
        .where(page_filter)
        .order_by(Page.document_id, Page.number)
    ).all()  # fmt: skip
    identifiers = _identifiers(session, {row.doc for row in rows})
    return [
        (
            PageRecord(
                doc=row.doc,
                page=row.number,
                text=row.text or "",
                title=row.title,
                kind=row.kind,
                collection=row.collection,
                identifiers=identifiers.get(row.doc, ()),
                authors=tuple(row.authors or ()),
                date=row.date,
                source=row.text_source,
                confidence=row.ocr_confidence,
            ),
            row.id,
            row.revision,
        )
        for row in rows
    ]


def _identifiers(session: Session, docs: set[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for chunk in _chunks(sorted(docs), 900):
        query = select(Identifier.document_id, Identifier.canonical).where(
            Identifier.document_id.in_(chunk)
        )
        for doc, canonical in session.execute(query):
            found.setdefault(doc, []).append(canonical)
    return {doc: tuple(values) for doc, values in found.items()}


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def sync_index(
    sessions: sessionmaker[Session], ix: Index, batch: int = SYNC_BATCH, *, merge: bool = True
) -> int:
    """Index the pages waiting for it; the number indexed. Idempotent and safe after a crash:
    a page is marked indexed only after the index committed it, and only at the revision
    that was written."""
    total = 0
    while True:
        with sessions() as session:
            waiting = select(Page.id).where(Page.indexed.is_(False)).limit(batch)
            records = _records(session, Page.id.in_(waiting.scalar_subquery()))
        if not records:
            return total
        # Large batches (a folder of PDFs) are worth a second process; small ones are not.
        procs = 2 if len(records) >= PARALLEL_BATCH and (os.cpu_count() or 1) > 1 else 1
        update_pages(ix, [record for record, _, _ in records], procs=procs, merge=merge)
        try:
            with sessions() as session, session.begin():
                session.connection().execute(
                    _MARK_INDEXED, [{"pid": pid, "rev": rev} for _, pid, rev in records]
                )
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            # Another program holds the catalog past the timeout: the pages are in the index
            # but not marked so, and the next sync writes them again. Nothing is lost.
            return total
        total += len(records)
        if len(records) < batch:
            return total


def rebuild_index(
    sessions: sessionmaker[Session],
    folder: Path,
    *,
    procs: int | None = None,
    catalog_url: str = "",
) -> int:
    """A fresh index of every page in the catalog, written by `procs` processes: this one and
    helpers that open the catalog at `catalog_url`, each indexing its share of the pages."""
    if procs is None:
        procs = _rebuild_processes(sessions)
    # Until the new index is committed no page is in it: a rebuild cut short leaves the pages
    # to the next sync.
    forget_indexed(sessions)
    shares = procs if catalog_url and procs > 1 else 1
    # Spawned, not forked: a rebuild started from the app must not fork its threads.
    helpers = (
        ProcessPoolExecutor(shares - 1, mp_context=multiprocessing.get_context("spawn"))
        if shares > 1
        else None
    )
    rebuild = Rebuild(folder)
    try:
        helped = [
            helpers.submit(_index_share, catalog_url, str(folder), share, shares)
            for share in range(1, shares)
            if helpers is not None
        ]
        written = [_write_share(sessions, folder, 0, shares)]
        written += [future.result() for future in helped]
        for segment, count, _ in written:
            if count:  # an empty segment's files go when the commit cleans up
                rebuild.add_segment(segment)
        rebuild.commit()
    except BaseException:
        rebuild.cancel()
        raise
    finally:
        if helpers is not None:
            helpers.shutdown(cancel_futures=True)
    with sessions() as session, session.begin():
        session.connection().execute(
            _MARK_INDEXED,
            [{"pid": pid, "rev": rev} for _, _, revisions in written for pid, rev in revisions],
        )
    return sum(count for _, count, _ in written)


Share = tuple[Any, int, list[tuple[int, int]]]  # segment, pages, (page id, revision) of each


def _rebuild_processes(sessions: sessionmaker[Session]) -> int:
    """Two processes for a catalog large enough to repay starting the second, as syncs do."""
    if (os.cpu_count() or 1) < 2:
        return 1
    with sessions() as session:
        pages = session.scalar(select(func.count()).select_from(Page)) or 0
    return 2 if pages >= PARALLEL_BATCH else 1


def _write_share(sessions: sessionmaker[Session], folder: Path, share: int, shares: int) -> Share:
    with sessions() as session:
        records = _records(session, true() if shares == 1 else Page.id % shares == share)
    segment = write_segment(folder, (record for record, _, _ in records))
    return segment, len(records), [(pid, rev) for _, pid, rev in records]


def _index_share(catalog_url: str, folder: str, share: int, shares: int) -> Share:
    """In a helper process: one share of the catalog's pages into a new index segment."""
    from reader.catalog import open_catalog

    catalog = open_catalog(catalog_url)
    try:
        return _write_share(catalog.sessions, Path(folder), share, shares)
    finally:
        catalog.close()


def forget_indexed(sessions: sessionmaker[Session]) -> None:
    """No page is in the index any more (a fresh index): the next sync indexes them all."""
    with sessions() as session, session.begin():
        session.execute(update(Page).where(Page.indexed.is_(True)).values(indexed=False))


def mark_document_for_index(session: Session, document_id: int) -> None:
    """After a document's metadata changed, all its pages are indexed again."""
    session.execute(
        update(Page)
        .where(Page.document_id == document_id)
        .values(indexed=False, revision=Page.revision + 1)
    )


def index_problems(sessions: sessionmaker[Session], ix: Index) -> list[str]:
    """Where the index and the catalog disagree (pages missing from or extra in the index)."""
    with sessions() as session:
        in_catalog = {
            page_id(doc, number)
            for doc, number in session.execute(select(Page.document_id, Page.number))
        }
        waiting = session.scalar(select(Page.id).where(Page.indexed.is_(False)).limit(1))
    in_index = indexed_page_ids(ix)
    problems = []
    missing = len(in_catalog - in_index)
    extra = len(in_index - in_catalog)
    if missing:
        problems.append(f"index: {missing} catalog pages are not in the search index")
    if extra:
        problems.append(f"index: {extra} indexed pages are no longer in the catalog")
    if waiting is not None and not missing:
        problems.append("index: some pages changed since they were indexed")
    return problems
