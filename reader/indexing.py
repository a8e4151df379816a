"""Keeping the search index in step with the catalog, which is the source of truth."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, text, true, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from whoosh.index import Index

from index.health import read_catalog_mark, write_catalog_mark
from index.page_analysis import PageAnalysis, unpacked
from index.writer import (
    NoteRecord,
    PageRecord,
    Rebuild,
    Stamp,
    indexed_stamps,
    is_note_id,
    note_id,
    page_id,
    remove_pages,
    update_pages,
    write_segments,
)
from reader.catalog import is_busy
from reader.languages import index_terms
from reader.models import Annotation, Document, Identifier, Page

SYNC_BATCH = 5000
PARALLEL_BATCH = 1000
_PAGES = cast(Table, Page.__table__)
_MARK_INDEXED = (
    update(_PAGES)
    .where(_PAGES.c.id == bindparam("pid"), _PAGES.c.revision == bindparam("rev"))
    .values(indexed=True)
)
_ANNOTATIONS = cast(Table, Annotation.__table__)
_MARK_NOTES_INDEXED = (
    update(_ANNOTATIONS)
    .where(_ANNOTATIONS.c.id == bindparam("aid"), _ANNOTATIONS.c.revision == bindparam("rev"))
    .values(indexed=True)
)
# The document fields every entry of the index carries (pages and notes alike).
_DOCUMENT_COLUMNS = (
    Document.id.label("doc"), Document.title, Document.kind, Document.collection,
    Document.authors, Document.date, Document.repository, Document.record_group,
    Document.series, Document.box, Document.folder, Document.item, Document.languages,
)  # fmt: skip


# What the index makes of pages' text, made beforehand (an import's reading helper makes it,
# index.page_analysis, packed): by the page's catalog row, with the revision of the text it
# was made from.
Analyses = dict[int, tuple[int, bytes]]


def page_analyses(session: Session, document: int, analyses: Sequence[bytes | None]) -> Analyses:
    """The analyses of a new document's pages (`analyses`, in page order), by page row."""
    rows = session.execute(
        select(Page.id, Page.number, Page.revision).where(Page.document_id == document)
    ).all()
    return {
        row.id: (row.revision, analysis)
        for row in rows
        if row.number <= len(analyses) and (analysis := analyses[row.number - 1]) is not None
    }


def _records(
    session: Session, page_filter: Any, analysed: Analyses | None = None
) -> list[tuple[PageRecord, int, int]]:
    """The pages matching `page_filter` as index entries, with their row and revision; their
    analyses taken out of `analysed` where made from the text they have."""
    rows = session.execute(
        select(
            Page.id, Page.revision, Page.number, Page.text, Page.text_source,
            Page.ocr_confidence, *_DOCUMENT_COLUMNS,
        )
        .join(Document, Document.id == Page.document_id)
        .where(page_filter)
        .order_by(Page.document_id, Page.number)
    ).all()  # fmt: skip
    identifiers = _identifiers(session, {row.doc for row in rows})
    return [
        (
            _page_record(
                row, row.number, row.text or "", identifiers.get(row.doc, ()),
                source=row.text_source, confidence=row.ocr_confidence,
                analysis=_analysis(analysed, row.id, row.revision),
            ),
            row.id,
            row.revision,
        )
        for row in rows
    ]  # fmt: skip


def _analysis(analysed: Analyses | None, page: int, revision: int) -> PageAnalysis | None:
    found = analysed.pop(page, None) if analysed else None
    return unpacked(found[1]) if found is not None and found[0] == revision else None


def _page_record(
    row: Any,
    number: int,
    text: str,
    identifiers: tuple[str, ...],
    *,
    source: str,
    confidence: float | None,
    analysis: PageAnalysis | None = None,
) -> PageRecord:
    """A page (or the place of a note) with its document's fields from a row of
    _DOCUMENT_COLUMNS and its own `id` and `revision`."""
    return PageRecord(
        doc=row.doc,
        page=number,
        text=text,
        title=row.title,
        kind=row.kind,
        collection=row.collection,
        identifiers=identifiers,
        authors=tuple(row.authors or ()),
        date=row.date,
        source=source,
        confidence=confidence,
        row=row.id,
        revision=row.revision,
        archive=(row.repository, row.record_group, row.series, row.box, row.folder, row.item),
        languages=index_terms(row.languages or ()),
        analysis=analysis,
    )


def note_text(text: str, note: str) -> str:
    """What of an annotation is searched: its note and the text it highlights."""
    return "\n".join(part for part in (note, text) if part.strip())


def _note_records(session: Session, note_filter: Any) -> list[tuple[NoteRecord, int, int]]:
    """The annotations matching `note_filter` as index entries, with their row and
    revision: every one, a bookmark without a note too (in:notes lists it)."""
    rows = session.execute(
        select(
            Annotation.id, Annotation.revision, Annotation.page, Annotation.text,
            Annotation.note, Annotation.owner, Annotation.shared, *_DOCUMENT_COLUMNS,
        )
        .join(Document, Document.id == Annotation.document_id)
        .where(note_filter)
        .order_by(Annotation.id)
    ).all()  # fmt: skip
    identifiers = _identifiers(session, {row.doc for row in rows})
    return [
        (
            NoteRecord(
                annotation=row.id,
                page=_page_record(
                    row, row.page, note_text(row.text, row.note), identifiers.get(row.doc, ()),
                    source="note", confidence=None,
                ),
                shared=bool(row.shared) or not row.owner,  # nobody's: seen by all
                owner=row.owner,
            ),
            row.id,
            row.revision,
        )
        for row in rows
    ]  # fmt: skip


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
    sessions: sessionmaker[Session],
    ix: Index,
    batch: int = SYNC_BATCH,
    *,
    merge: bool = True,
    analysed: Analyses | None = None,
) -> int:
    """Index the pages waiting for it; the number indexed. Idempotent and safe after a crash:
    a page is marked indexed only after the index committed it, and only at the revision
    that was written. `analysed`: pages' analyses made beforehand, taken out as used."""
    if nothing_waits(sessions):
        return 0
    total = 0
    while True:
        with sessions() as session:
            waiting = select(Page.id).where(Page.indexed.is_(False)).limit(batch)
            records = _records(session, Page.id.in_(waiting.scalar_subquery()), analysed)
        if not records:
            break
        update_pages(ix, [record for record, _, _ in records], merge=merge)
        if not _marked(sessions, _MARK_INDEXED, [{"pid": p, "rev": r} for _, p, r in records]):
            return total
        total += len(records)
        if len(records) < batch:
            break
    notes = _sync_notes(sessions, ix, batch, merge=merge)
    if total or notes:
        mark_in_step(sessions, ix)
    return total


# Built once: every search asks first whether anything waits (making the statements anew each
# time cost more than running them).
_PAGE_WAITING = select(Page.id).where(Page.indexed.is_(False)).limit(1)
_NOTE_WAITING = select(Annotation.id).where(Annotation.indexed.is_(False)).limit(1)


def nothing_waits(sessions: sessionmaker[Session]) -> bool:
    """Whether every page and note is indexed as the catalog has it."""
    with sessions() as session:
        connection = session.connection()
        return all(
            connection.execute(query).first() is None for query in (_PAGE_WAITING, _NOTE_WAITING)
        )


def _sync_notes(sessions: sessionmaker[Session], ix: Index, batch: int, *, merge: bool) -> int:
    """Index the annotations waiting for it (new, edited, shared, or their document's
    fields changed), as sync_index does pages; the number indexed."""
    total = 0
    while True:
        with sessions() as session:
            waiting = select(Annotation.id).where(Annotation.indexed.is_(False)).limit(batch)
            records = _note_records(session, Annotation.id.in_(waiting.scalar_subquery()))
        if not records:
            return total
        update_pages(ix, [record for record, _, _ in records], merge=merge)
        marks = [{"aid": aid, "rev": rev} for _, aid, rev in records]
        if not _marked(sessions, _MARK_NOTES_INDEXED, marks):
            return total
        total += len(records)
        if len(records) < batch:
            return total


def _marked(sessions: sessionmaker[Session], statement: Any, rows: list[dict[str, int]]) -> bool:
    """Record what the index has just committed as indexed, at the revision written; False
    when another program holds the catalog past the timeout: the rows are in the index but
    not marked so, and the next sync writes them again. Nothing is lost."""
    try:
        with sessions() as session, session.begin():
            session.connection().execute(statement, rows)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        return False
    return True


def remove_notes(sessions: sessionmaker[Session], ix: Index, annotations: Sequence[int]) -> int:
    """Take deleted annotations out of the index at once (pages go with their document;
    a note goes alone), and record the index in step with the catalog again."""
    removed = remove_pages(ix, [note_id(annotation) for annotation in annotations])
    mark_in_step(sessions, ix)
    return removed


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
        note_segments, _, notes = _write_notes(sessions, folder)
        for segment in [*(seg for segments, _, _ in written for seg in segments), *note_segments]:
            rebuild.add_segment(segment)
        rebuild.commit()
    except BaseException:
        rebuild.cancel()
        raise
    finally:
        if helpers is not None:
            helpers.shutdown(cancel_futures=True)
    marks = [{"pid": pid, "rev": rev} for _, _, revisions in written for pid, rev in revisions]
    if marks or notes:  # an empty catalog: executing with no rows is an error
        with sessions() as session, session.begin():
            if marks:
                session.connection().execute(_MARK_INDEXED, marks)
            if notes:
                session.connection().execute(
                    _MARK_NOTES_INDEXED, [{"aid": aid, "rev": rev} for aid, rev in notes]
                )
    write_catalog_mark(folder, catalog_mark(sessions))
    return sum(count for _, count, _ in written)


def _write_notes(sessions: sessionmaker[Session], folder: Path) -> Share:
    """Every annotation into a segment of its own: a few hundred notes beside the pages."""
    with sessions() as session:
        records = _note_records(session, true())
    segments = write_segments(folder, (record for record, _, _ in records))
    return segments, len(records), [(aid, rev) for _, aid, rev in records]


# Segments written, pages, (page id, revision) of each.
Share = tuple[list[Any], int, list[tuple[int, int]]]


def _rebuild_processes(sessions: sessionmaker[Session]) -> int:
    """Two processes for a catalog large enough to repay starting the second."""
    if (os.cpu_count() or 1) < 2:
        return 1
    with sessions() as session:
        pages = session.scalar(select(func.count()).select_from(Page)) or 0
    return 2 if pages >= PARALLEL_BATCH else 1


def _write_share(sessions: sessionmaker[Session], folder: Path, share: int, shares: int) -> Share:
    with sessions() as session:
        records = _records(session, true() if shares == 1 else Page.id % shares == share)
    segments = write_segments(folder, (record for record, _, _ in records))
    return segments, len(records), [(pid, rev) for _, pid, rev in records]


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
        session.execute(
            update(Annotation).where(Annotation.indexed.is_(True)).values(indexed=False)
        )


def mark_document_for_index(session: Session, document_id: int) -> None:
    """After a document's metadata changed, all its pages (and notes) are indexed again."""
    session.execute(
        update(Page)
        .where(Page.document_id == document_id)
        .values(indexed=False, revision=Page.revision + 1)
    )
    session.execute(
        update(Annotation)
        .where(Annotation.document_id == document_id)
        .values(indexed=False, revision=Annotation.revision + 1)
    )


def mark_annotation_for_index(annotation: Annotation) -> None:
    """An annotation whose note, sharing or place changed waits for the next sync."""
    annotation.indexed = False
    annotation.revision = (annotation.revision or 0) + 1


def catalog_mark(sessions: sessionmaker[Session]) -> str:
    """The catalog's indexed pages in a few numbers: how many, their highest row, and sums of
    their rows, documents and revisions. What the index holds changes it; so does an older
    copy of the catalog put back, or another catalog."""
    with sessions() as session:
        numbers = session.execute(
            select(
                func.count(), func.max(Page.id), func.sum(Page.id),
                func.sum(Page.document_id), func.sum(Page.revision),
            ).where(Page.indexed.is_(True))
        ).one()  # fmt: skip
        notes = session.execute(
            select(
                func.count(), func.max(Annotation.id), func.sum(Annotation.id),
                func.sum(Annotation.revision),
            ).where(Annotation.indexed.is_(True))
        ).one()  # fmt: skip
    mark = "pages " + " ".join(str(number or 0) for number in numbers)
    if notes[0]:  # a catalog without notes keeps the mark it had
        mark += " notes " + " ".join(str(number or 0) for number in notes)
    return mark


def mark_in_step(sessions: sessionmaker[Session], ix: Index) -> None:
    """Record beside the index that it holds what the catalog's indexed pages are now."""
    write_catalog_mark(_folder(ix), catalog_mark(sessions))


def _folder(ix: Index) -> Path:
    return Path(ix.storage.folder)


def in_step(sessions: sessionmaker[Session], ix: Index) -> bool:
    """Whether the index was last brought in step with the catalog as it is: not so after an
    older copy of the catalog is put back, or another catalog or an older index."""
    return read_catalog_mark(_folder(ix)) == catalog_mark(sessions)


def bring_in_step(sessions: sessionmaker[Session], ix: Index) -> str | None:
    """Make the index hold only what the catalog has: pages the catalog no longer has (or
    has under another row) are taken out, and catalog pages the index lacks or holds at
    another revision wait for the next sync. What was done, in one line; None when nothing
    was (the mark moved only because pages were set to be indexed again, as an edit does
    before this process first opened the index)."""
    found = _out_of_step(sessions, ix)
    removed = remove_pages(ix, found.extra)
    if found.stale or found.stale_notes:
        with sessions() as session, session.begin():
            for chunk in _chunks(sorted(found.stale), 900):
                session.execute(update(Page).where(Page.id.in_(chunk)).values(indexed=False))
            for chunk in _chunks(sorted(found.stale_notes), 900):
                session.execute(
                    update(Annotation).where(Annotation.id.in_(chunk)).values(indexed=False)
                )
    mark_in_step(sessions, ix)
    if not removed and not found.stale and not found.stale_notes:
        return None
    return (
        f"the search index was out of step with the catalog: {removed} pages taken out, "
        f"{len(found.stale) + len(found.stale_notes)} to index again"
    )


@dataclass(frozen=True)
class Disagreement:
    """Where the index and the catalog disagree."""

    # Page ids in the index that the catalog lacks, or has as another row (a document
    # imported after an older catalog was put back).
    extra: list[str]
    # Catalog rows marked indexed that the index lacks, or holds at another revision.
    stale: set[int]
    # Catalog pages (indexed or waiting) whose page id is not in the index.
    missing: int
    # Catalog pages marked indexed that the index holds as another revision or row.
    outdated: int
    # Annotations marked indexed that the index lacks, or holds at another revision.
    stale_notes: set[int] = field(default_factory=set)


def _out_of_step(sessions: sessionmaker[Session], ix: Index) -> Disagreement:
    # The index first: a page a sync in another process writes meanwhile is in the catalog
    # before it is in the index, so it is never taken for one the catalog lacks.
    everything: dict[str, Stamp] = indexed_stamps(ix)
    held = {entry: stamp for entry, stamp in everything.items() if not is_note_id(entry)}
    held_notes = {entry: stamp for entry, stamp in everything.items() if is_note_id(entry)}
    with sessions() as session:
        catalog = {
            page_id(doc, number): (row, revision, indexed)
            for row, doc, number, revision, indexed in session.execute(
                select(Page.id, Page.document_id, Page.number, Page.revision, Page.indexed)
            )
        }
        notes = {
            note_id(row): (row, revision, indexed)
            for row, revision, indexed in session.execute(
                select(Annotation.id, Annotation.revision, Annotation.indexed)
            )
        }
    indexed = {page: (row, revision) for page, (row, revision, flag) in catalog.items() if flag}
    indexed_notes = {note: (row, rev) for note, (row, rev, flag) in notes.items() if flag}
    return Disagreement(
        extra=[page for page, (row, _) in held.items() if catalog.get(page, (0,))[0] != row]
        + [note for note in held_notes if note not in notes],
        stale={stamp[0] for page, stamp in indexed.items() if held.get(page) != stamp},
        missing=len(catalog.keys() - held.keys()),
        outdated=sum(1 for page, stamp in indexed.items() if page in held and held[page] != stamp),
        stale_notes={
            stamp[0] for note, stamp in indexed_notes.items() if held_notes.get(note) != stamp
        },
    )


def index_problems(sessions: sessionmaker[Session], ix: Index) -> list[str]:
    """Where the index and the catalog disagree (pages missing from or extra in the index,
    or held as another revision of the catalog had them)."""
    found = _out_of_step(sessions, ix)
    with sessions() as session:
        waiting = session.scalar(select(Page.id).where(Page.indexed.is_(False)).limit(1))
    problems = []
    if found.missing:
        problems.append(f"index: {found.missing} catalog pages are not in the search index")
    if found.extra:
        problems.append(f"index: {len(found.extra)} indexed pages are no longer in the catalog")
    if found.outdated:
        problems.append(
            f"index: {found.outdated} pages are in the search index as another catalog had them"
        )
    if found.stale_notes:
        problems.append(
            f"index: {len(found.stale_notes)} notes are not in the search index as the "
            "catalog has them"
        )
    if waiting is not None and not found.missing:
        problems.append("index: some pages changed since they were indexed")
    return problems


def sync_search_tables(sessions: sessionmaker[Session], batch: int = SYNC_BATCH) -> int:
    """PostgreSQL search: write the pages waiting for it (index.pg_schema) into the catalog's
    search tables, each batch in one transaction with taking it off the waiting list. Pages
    another workstation is writing at the same time are left to it. The number written.
    The catalog's `indexed` flags are left alone: they say what the Whoosh index of a
    workstation holds, and one sharing this catalog keeps its own."""
    from index.pg_write import claim_waiting, flush_pending, write_pages

    total = 0
    while True:
        with sessions() as session, session.begin():
            connection = session.connection()
            waiting = claim_waiting(connection, batch)
            if not waiting:
                break
            records = _records(session, Page.id.in_(waiting))
            write_pages(connection, [record for record, _, _ in records])
        total += len(waiting)
        if len(waiting) < batch:
            break
    if total:
        with sessions() as session, session.begin():
            flush_pending(session.connection())
    return total


def rewrite_search_tables(sessions: sessionmaker[Session]) -> int:
    """PostgreSQL search: every page written again (as a rebuild of the Whoosh index)."""
    from index.pg_write import wait_all

    with sessions() as session, session.begin():
        wait_all(session.connection(), Page.__tablename__)
    return sync_search_tables(sessions)


def search_table_problems(sessions: sessionmaker[Session]) -> list[str]:
    """PostgreSQL search: catalog pages its tables lack or hold at another revision."""
    from index.pg_schema import PAGE_SEARCH

    with sessions() as session:
        stale = session.execute(
            text(
                f"SELECT count(*) FROM {Page.__tablename__} AS p LEFT JOIN {PAGE_SEARCH} AS s "
                "ON s.page_id = p.id WHERE s.page_id IS NULL OR s.revision <> p.revision"
            )
        ).scalar_one()
    if not stale:
        return []
    return [f"index: {stale} catalog pages are not in the PostgreSQL search tables as they are"]
