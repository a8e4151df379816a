"""Putting pages into the index and taking them out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.query import Term
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from index.archive_fields import ARCHIVE_FIELDS
from index.codec import PageCodec
from index.folding import fold, spellings_of, words_of
from index.page_analysis import PageAnalysis, Postings, analyse_page
from index.posting_pool import WordPool
from index.schema import create_index, open_index

WRITE_LOCK_TIMEOUT = 60.0
MAX_SEGMENTS = 8
# A rebuild's segment holds this many pages at most: its postings stay in memory until it is
# written (about 150 MB for 10,000 pages).
SEGMENT_PAGES = 25_000


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
    # What the index makes of `text`, when it was made beforehand (index.page_analysis).
    analysis: PageAnalysis | None = None


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
    analysis = record.analysis or analyse_page(record.text)
    spellings = list(analysis.spellings)
    fields: dict[str, object] = {
        "pageid": page_id(record.doc, record.page),
        "doc": record.doc,
        "page": record.page,
        "content": analysis.content,
        "pairs": analysis.pairs,
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


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, its postings held by word (index.posting_pool) and written a
    whole posting list at a time."""

    def __init__(self, ix: Index, **options: Any) -> None:
        super().__init__(ix, **{"codec": PageCodec(), **options})
        self.pool = WordPool()
        if any(field.vector or field.separate_spelling() for _, field in self.schema.items()):
            raise ValueError("the index's fields keep term vectors or a separate spelling")

    def add_document(self, **fields: Any) -> None:
        """Whoosh 2.7.4's add_document for this schema's fields (none keeps term vectors or a
        separate spelling; no boosts), each field's words handed to the pool together; a
        field's `Postings` made beforehand are taken as they are."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                postings = value.items if isinstance(value, Postings) else field.index(value)
                counted = self.pool.add_words(fieldname, docnum, postings)
                length = counted if field.scorable else 0
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type:
                perdocwriter.add_column_value(
                    fieldname, field.column_type, field.to_column_value(value)
                )
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        try:
            self.pool.write(self.fieldwriter, self.schema, lengths)
        finally:
            lengths.close()
        self.fieldwriter.close()


def writer_for(ix: Index) -> SegmentWriter:
    """A writer that waits its turn when another process is writing."""
    return _SegmentWriter(ix, timeout=WRITE_LOCK_TIMEOUT, delay=0.05)


def update_pages(
    ix: Index,
    records: Iterable[PageRecord | NoteRecord],
    deleted_docs: Iterable[int] = (),
    *,
    merge: bool = True,
) -> int:
    """Replace the given pages and notes (and remove whole documents, their notes with
    them) in one commit. Without `merge` more segments may gather before they are merged:
    quicker, for the frequent commits while an import runs."""
    records = list(records)
    writer = writer_for(ix)
    with _cancelled_on_error(writer):
        # Whoosh's update_document opens a reader on every segment for each document; one
        # reader for the whole batch finds the old versions of the pages just as well.
        with writer.searcher() as searcher:
            for doc in deleted_docs:
                writer.delete_by_query(Term("doc", doc), searcher=searcher)
            # Only a document the index has can have a page there to replace: looking up
            # every new page of an import in every segment took a tenth of its indexing.
            indexed_docs = set(searcher.reader().field_terms("doc"))
            for record in records:
                if _entry_doc(record) in indexed_docs:
                    writer.delete_by_term("pageid", _entry_id(record), searcher=searcher)
        _add_all(writer, records)
    most = MAX_SEGMENTS if merge else 3 * MAX_SEGMENTS
    writer.commit(mergetype=partial(_merge_all_but_largest, most=most))
    return len(records)


class Rebuild:
    """A fresh index replacing everything the folder held, its segments written meanwhile by
    `write_segments`, in this process and in others, each from its own share of the catalog
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


def _entry_doc(record: PageRecord | NoteRecord) -> int:
    return record.page.doc if isinstance(record, NoteRecord) else record.doc


def _entry_id(record: PageRecord | NoteRecord) -> str:
    if isinstance(record, NoteRecord):
        return note_id(record.annotation)
    return page_id(record.doc, record.page)


def write_segments(folder: Path, records: Iterable[PageRecord | NoteRecord]) -> list[Any]:
    """Write pages into new segments of the index in `folder`, for a `Rebuild` (which holds
    the index's lock) to commit; none for no pages. A segment's postings are held in memory
    until it is written: a segment takes SEGMENT_PAGES pages at most."""
    segments = []
    pages = iter(records)
    while chunk := list(islice(pages, SEGMENT_PAGES)):
        writer = _SegmentWriter(open_index(folder), _lk=False)
        with _cancelled_on_error(writer):
            _add_all(writer, chunk)
            segments.append(writer._finalize_segment())
    return segments


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
