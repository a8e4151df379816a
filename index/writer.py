"""Putting pages into the index and taking them out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.query import Term
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from index.analysis import common_pairs
from index.archive_fields import ARCHIVE_FIELDS
from index.codec import PageCodec
from index.folding import fold, spellings_of, words_of
from index.schema import create_index, open_index
from index.scoring import field_lengths

WRITE_LOCK_TIMEOUT = 60.0
MAX_SEGMENTS = 8
# Past this a writer sorts its postings on disk in runs and merges them; a share of 10,000
# pages stays in memory (about 0.6 GB resident), and the rebuild runs nearly twice as fast.
REBUILD_LIMIT_MB = 512


@dataclass(frozen=True)
class PageRecord:
    """One page as the index sees it: plain data, no catalog objects."""

    doc: int
    page: int
    text: str
    title: str
    kind: str
    collection: str
    identifiers: tuple[str, ...]
    authors: tuple[str, ...]
    date: str
    source: str
    confidence: float | None
    # The page's row in the catalog and its revision there, for telling later whether the
    # index still holds what the catalog has.
    row: int = 0
    revision: int = 0
    # Where the document sits in the archive: its repository, record group, series, box,
    # folder and item, in that order (index.archive_fields); blank where it has none.
    archive: tuple[str, ...] = ()
    # The document's languages as index terms (lang:de): see the schema's `lang`.
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteRecord:
    """One annotation as the index sees it: its note and the text it highlights, searched
    as a page's words are, on the page it stands on, with its document's fields (kind:, id:,
    date:, the archive's order, lang:) so that the same filters keep to it."""

    annotation: int
    page: PageRecord  # the page it stands on; its `text` is the note's own text
    # Who may find it: everyone (shared) or only its owner.
    shared: bool
    owner: str


NOTE_PREFIX = "note:"
NOTES, PAGES = "notes", "pages"


def note_id(annotation: int) -> str:
    """A note's entry in the index, beside the pages' "doc:page" ids."""
    return f"{NOTE_PREFIX}{annotation}"


def is_note_id(entry: str) -> bool:
    return entry.startswith(NOTE_PREFIX)


# What the index holds of a page: its catalog row and revision (PageRecord.row, .revision).
Stamp = tuple[int, int]


def page_id(doc: int, page: int) -> str:
    return f"{doc}:{page}"


def _fields(record: PageRecord) -> dict[str, object]:
    written = words_of(record.text)
    words = list(map(fold, written))
    spellings = spellings_of(written, words)
    fields: dict[str, object] = {
        "pageid": page_id(record.doc, record.page),
        "doc": record.doc,
        "page": record.page,
        "content": words,
        "pairs": " ".join(common_pairs(words)),
        "id": " ".join(identifier.lower() for identifier in record.identifiers),
        "kind": record.kind,
        "collection": record.collection,
        "date": record.date or "",
        "source": record.source,
        "confidence": record.confidence,
        "stamp": (record.row, record.revision),
        "layer": PAGES,
    }
    if record.languages:
        fields["lang"] = " ".join(record.languages)
    archive = zip(ARCHIVE_FIELDS.values(), record.archive, strict=False)
    fields |= {field: value for field, value in archive if value}
    if record.page == 1:
        # A document's title and authors are searched once, on its first page: a match there
        # stands for the document, and hundreds of pages need not repeat them.
        fields |= {"title": record.title, "author": " ; ".join(record.authors)}
        title = words_of(record.title)
        spellings += spellings_of(title, map(fold, title))
    if spellings:
        fields["exact"] = spellings
    return fields


def _note_fields(note: NoteRecord) -> dict[str, object]:
    """A note's entry: its page's fields (the title and authors aside, which stand for the
    document on its first page only), under its own id."""
    fields = _fields(note.page)
    fields.pop("title", None)
    fields.pop("author", None)
    fields |= {
        "pageid": note_id(note.annotation),
        "layer": NOTES,
        "annotation": note.annotation,
        "visibility": "shared" if note.shared else "private",
        "owner": note.owner,
        "source": "note",
        "confidence": None,
    }
    return fields


def _entry_fields(record: PageRecord | NoteRecord) -> dict[str, object]:
    return _note_fields(record) if isinstance(record, NoteRecord) else _fields(record)


class _LengthsInMemory:
    """A new segment's field lengths, which Whoosh looks up from the file once for every
    posting it writes (a sixth of a rebuild's time): read once per field instead."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)  # a plain dict: this runs for every posting
        if lengths is None:
            lengths = self._lengths[fieldname] = field_lengths(self._reader, fieldname, default)
        return lengths[docnum]

    def close(self) -> None:
        self._reader.close()


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]
    def __init__(self, ix: Index, **options: Any) -> None:
        super().__init__(ix, **{"codec": PageCodec(), **options})

    def per_document_reader(self) -> _LengthsInMemory:
        return _LengthsInMemory(super().per_document_reader())


def writer_for(ix: Index, *, procs: int = 1, limitmb: int = 128) -> SegmentWriter:
    """A writer that waits its turn when another process is writing."""
    options: dict[str, Any] = {
        "limitmb": limitmb, "timeout": WRITE_LOCK_TIMEOUT, "delay": 0.05, "codec": PageCodec(),
    }  # fmt: skip
    if procs > 1:
        return ix.writer(procs=procs, multisegment=True, **options)
    return _SegmentWriter(ix, **options)


def update_pages(
    ix: Index,
    records: Iterable[PageRecord | NoteRecord],
    deleted_docs: Iterable[int] = (),
    *,
    procs: int = 1,
    merge: bool = True,
) -> int:
    """Replace the given pages and notes (and remove whole documents, their notes with
    them) in one commit. Without `merge` more segments may gather before they are merged:
    quicker, for the frequent commits while an import runs."""
    records = list(records)
    writer = writer_for(ix, procs=procs)
    with _cancelled_on_error(writer):
        # Whoosh's update_document opens a reader on every segment for each document; one
        # reader for the whole batch finds the old versions of the pages just as well.
        with writer.searcher() as searcher:
            for doc in deleted_docs:
                writer.delete_by_query(Term("doc", doc), searcher=searcher)
            for record in records:
                writer.delete_by_term("pageid", _entry_id(record), searcher=searcher)
        _add_all(writer, records)
    most = MAX_SEGMENTS if merge else 3 * MAX_SEGMENTS
    writer.commit(mergetype=partial(_merge_all_but_largest, most=most))
    return len(records)


class Rebuild:
    """A fresh index replacing everything the folder held, its segments written meanwhile by
    `write_segment`, in this process and in others, each from its own share of the catalog
    (Whoosh's multiprocess writer would have one process read, convert and pickle every page
    for its helpers). The folder's old index is gone from the start; the new one is searchable
    from `commit`."""

    def __init__(self, folder: Path) -> None:
        # Holds the index's lock; the pages go into the segments.
        self._writer = writer_for(create_index(folder))
        self._segments: list[Any] = []

    def add_segment(self, segment: Any) -> None:
        self._segments.append(segment)

    def commit(self) -> None:
        written = self._segments
        self._writer.commit(mergetype=lambda _writer, segments: [*segments, *written])

    def cancel(self) -> None:
        if not self._writer.is_closed:
            self._writer.cancel()


def _entry_id(record: PageRecord | NoteRecord) -> str:
    if isinstance(record, NoteRecord):
        return note_id(record.annotation)
    return page_id(record.doc, record.page)


def write_segment(folder: Path, records: Iterable[PageRecord | NoteRecord]) -> Any:
    """Write pages into a new segment of the index in `folder`, for a `Rebuild` (which holds
    the index's lock) to commit. Whoosh's multiprocess writer does the same in its helpers."""
    writer = _SegmentWriter(open_index(folder), _lk=False, limitmb=REBUILD_LIMIT_MB)
    with _cancelled_on_error(writer):
        _add_all(writer, records)
        return writer._finalize_segment()


def _add_all(writer: SegmentWriter, records: Iterable[PageRecord | NoteRecord]) -> int:
    count = 0
    for record in records:
        writer.add_document(**_entry_fields(record))
        count += 1
    return count


@contextmanager
def _cancelled_on_error(writer: SegmentWriter) -> Iterator[None]:
    """Nothing of a failed (or interrupted) batch reaches the index, and the lock is freed."""
    try:
        yield
    except BaseException:
        writer.cancel()
        raise


def indexed_page_ids(ix: Index) -> set[str]:
    return set(indexed_stamps(ix))


def indexed_stamps(ix: Index) -> dict[str, Stamp]:
    """Every page in the index (its page id) with the catalog row and revision it was written
    from; (0, 0) for a page written without them. Notes are there too, under their note ids
    (is_note_id), with their annotation's row and revision."""
    with ix.searcher() as searcher:
        return {
            fields["pageid"]: _stamp(fields.get("stamp")) for fields in searcher.all_stored_fields()
        }


def _stamp(stored: Any) -> Stamp:
    row, revision = stored or (0, 0)
    return int(row), int(revision)


def remove_pages(ix: Index, page_ids: Iterable[str]) -> int:
    """Take the given pages (by page id, or notes by note id) out of the index, in one
    commit; how many."""
    page_ids = list(page_ids)
    if not page_ids:
        return 0
    writer = writer_for(ix)
    with _cancelled_on_error(writer), writer.searcher() as searcher:
        for page in page_ids:
            writer.delete_by_term("pageid", page, searcher=searcher)
    writer.commit(mergetype=_merge_all_but_largest)
    return len(page_ids)


def _merge_all_but_largest(
    writer: SegmentWriter, segments: list[Any], most: int = MAX_SEGMENTS
) -> list[Any]:
    """Whoosh merge policy: past `most` segments, every segment but the largest becomes one.
    Each sync during an import adds a segment, and every search reads them all."""
    if len(segments) <= most:
        return segments
    largest = max(segments, key=lambda segment: segment.doc_count_all())
    for segment in segments:
        if segment is not largest:
            writer.add_reader(SegmentReader(writer.storage, writer.schema, segment))
    return [largest]
