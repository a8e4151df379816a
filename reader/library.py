"""The library facade: the one way in for the CLI and the UI.

A library is one folder: `catalog.sqlite` (unless the catalog lives elsewhere, by URL), `index/`,
`cache/` and `exports/`. Originals stay where they are and are only ever read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from platformdirs import user_data_path
from sqlalchemy import Row, Text, func, or_, select, type_coerce
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload, undefer

from reader.annotations import (
    DEFAULT_COLOUR,
    AnnotationError,
    annotations_of,
    check_kind,
    check_rects,
    default_author,
    find_passage,
    quote_rects,
)
from reader.annotations import info as annotation_info
from reader.catalog import Catalog, CatalogError, busy_message, is_busy, open_catalog
from reader.export import ExportReport, export_target, refuse_original
from reader.files import expand_paths, is_inside, is_utf8, sha256_of
from reader.hitboxes import boxes_in_span, page_words
from reader.identifiers import canonicalize
from reader.ingest.base import DEFAULT_LIMITS, Limits
from reader.metadata import apply_changes
from reader.models import (
    Annotation,
    Citation,
    CitingState,
    Document,
    DocumentKind,
    FilePath,
    Identifier,
    Page,
)
from reader.notes import NoteRow, note_rows
from reader.ocr.languages import available_languages, gather_tessdata
from reader.records import (
    AnnotationInfo,
    ArchiveTree,
    ArticleChronology,
    ArticleNote,
    CheckProblem,
    CheckReport,
    Chronology,
    CitationInfo,
    CiteResult,
    CitingReference,
    DocumentInfo,
    FailedFile,
    Filing,
    FoundPassage,
    GapGroup,
    ImportProgress,
    ImportReport,
    MetadataChanges,
    OcrFailure,
    OcrProgress,
    OcrReport,
    PageInfo,
    SearchResult,
    SkippedFile,
)
from reader.render import RenderedPage, RenderError, is_renderable, render_page
from reader.textfind import find_folded

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from index.backend import SearchBackend
    from index.pg_search import PostgresBackend
    from reader.importer import ImportOptions
    from reader.indexing import Analyses
    from reader.reading import FileOutcome
    from reader.references import Reference, ReferenceExport
    from reader.schemes import SchemeTable
    from reader.transcriptions.attach import TranscriptionReport
    from reader.transcriptions.export import TranscriptionExport
    from reader.web_annotations import WebAnnotationExport

# Search (Whoosh), import (MuPDF, Pillow), OCR and citations are imported by the methods that
# use them: the app's window is up before they load (see bench/app_speed.py).

LIBRARY_ENV = "ARCHIVE_READER_LIBRARY"
READ_ONLY_ENV = "ARCHIVE_READER_READ_ONLY"
ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]
_T = TypeVar("_T")


# Pages become searchable this often (seconds) while an import or OCR run goes on.
INDEX_INTERVAL = 3.0


# While an import runs, the pages wait at most this share of the time it has run so far (and
# INDEX_INTERVAL at the least): each sync writes a new index segment, whose every word costs
# the same however few pages it holds, and past MAX_SEGMENTS segments they are merged, every
# page written again. Growing intervals keep a long import to a few segments and no merge.
IMPORT_INDEX_SHARE = 0.5
# Pages whose analysis (made by the reading helpers, about 11 KB each) waits for a sync at the
# most: past them the import syncs.
ANALYSES_KEPT = 10_000


class Interval:
    """True once every `seconds` when called: for periodic work inside a loop. With `growth`,
    the interval grows to that share of the time since the first call."""

    def __init__(self, seconds: float, growth: float = 0.0) -> None:
        self.seconds = seconds
        self.growth = growth
        self.started = self.last = time.monotonic()

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self.last < max(self.seconds, self.growth * (now - self.started)):
            return False
        self.last = now
        return True


class DocumentNotFound(LookupError):
    """A DOC reference that names no document in the catalog."""


class ReadOnlyLibrary(PermissionError):
    """A change asked of a library opened read-only (a public reading-room workstation)."""


def default_library_folder() -> Path:
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        return Path(configured).expanduser()
    return user_data_path("archive-reader", appauthor=False) / "library"


class Library:
    """A library folder and its catalog, open for reading and writing."""

    def __init__(
        self,
        folder: Path,
        catalog_url: str | None = None,
        *,
        read_only: bool = False,
        annotations_allowed: bool = True,
        user: str | None = None,
        search: str | None = None,
    ) -> None:
        """`read_only`: no import, OCR, metadata edits or citation runs; annotations only if
        `annotations_allowed`. The search index, derived from the catalog, is still kept.
        `user`: who reads (the owner and default author of new annotations, who sees their
        own private ones); by default ARCHIVE_READER_AUTHOR or the login name.
        `search`: which backend answers searches (index.api.SEARCH_BACKENDS); by default
        PostgreSQL for a catalog on PostgreSQL, else the Whoosh index in the folder."""
        self.read_only = read_only
        self._user = user
        self.annotations_allowed = annotations_allowed or not read_only
        self.folder = folder.expanduser().resolve()
        for sub in ("index", "cache", "exports"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.catalog_url = catalog_url or f"sqlite:///{self.folder / 'catalog.sqlite'}"
        self.catalog: Catalog = open_catalog(self.catalog_url)
        try:
            self.search_backend_name = _search_backend_name(self.catalog, search)
        except CatalogError:
            self.catalog.close()
            raise
        self._postgres: PostgresBackend | None = None
        self._index: Index | None = None
        # Taken in this order only: _search_lock, then _index_lock. Pages go into the index
        # under both, so a sync never runs into a rebuild of this library's index.
        self._index_lock = threading.RLock()
        # Reentrant: a search that finds the index damaged drops its own searcher.
        self._search_lock = threading.RLock()
        self._open_searcher: Searcher | None = None
        # What an import's reading helper made of new pages for the index, by page row, until
        # a sync writes them (reader.indexing.Analyses).
        self._analysed: Analyses = {}
        # What the library did on its own (a damaged index rebuilt): see take_notices.
        self._notices: list[str] = []

    @property
    def user(self) -> str:
        """Who reads: new annotations are theirs (whatever name they are signed with), and of
        the others' they see (and find) only the shared ones (reader.annotations.visible_to)."""
        return default_author() if self._user is None else self._user

    def _require_writable(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyLibrary(f"this library is open read-only: {what} is not allowed here")

    def _require_annotations(self) -> None:
        if not self.annotations_allowed:
            raise ReadOnlyLibrary("annotations are turned off on this read-only workstation")

    def close(self) -> None:
        self._drop_searcher()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self.catalog.session()

    @property
    def cache_folder(self) -> Path:
        return self.folder / "cache"

    @property
    def exports_folder(self) -> Path:
        return self.folder / "exports"

    @property
    def schemes(self) -> SchemeTable:
        """The identifier schemes: the built-in table and the library's own
        (identifier_schemes.toml in its folder). A bad scheme file is a clear error."""
        from reader.schemes import FILE_NAME, SchemeError, load_schemes

        try:
            return load_schemes(self.folder / FILE_NAME)
        except SchemeError as exc:
            raise CatalogError(f"the library's identifier schemes cannot be used: {exc}") from exc

    def _identifier_context(self, session: Session) -> dict[str, Any]:
        """What citation detection needs of the library: its schemes, and its catalog's
        identifiers to find in any spelling."""
        from reader.citing import catalog_identifiers

        return {"schemes": self.schemes, "known": catalog_identifiers(session)}

    # Import

    def _import_options(
        self, kind: str | None, collection: str, languages: Sequence[str], limits: Limits
    ) -> ImportOptions:
        from reader.importer import ImportOptions

        return ImportOptions(
            kind=kind, collection=collection, languages=tuple(languages), limits=limits,
            schemes=self.schemes,
        )  # fmt: skip

    def import_paths(
        self,
        paths: Sequence[Path],
        *,
        kind: str | None = None,
        collection: str = "",
        languages: Sequence[str] = (),
        limits: Limits = DEFAULT_LIMITS,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
        metadata: MetadataChanges | None = None,
    ) -> ImportReport:
        """Import files and folders (recursively); the batch always finishes or is cancelled
        between files, and each document is recorded whole or not at all. `metadata` (the
        user's identifiers of one file, say) is applied to every document imported."""
        self._require_writable("importing")
        from reader.importer import import_file, record_file
        from reader.readahead import ReadAhead, worth_reading_ahead

        # A library kept inside the folder being imported must not import itself.
        files = [p for p in expand_paths(paths) if not is_inside(p, self.folder)]
        options = self._import_options(kind, collection, languages, limits)
        report = ImportReport()
        index_due = Interval(INDEX_INTERVAL, IMPORT_INDEX_SHARE)
        # A large batch is read (hashed, extracted) by a helper process a few files ahead of
        # the one being recorded: reading and recording run on two cores.
        ahead = (
            ReadAhead(files, limits, self._known_hashes()) if worth_reading_ahead(files) else None
        )
        try:
            for done, path in enumerate(files):
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
                if progress is not None:
                    progress(ImportProgress(done, len(files), str(path)))
                with self.catalog.writer() as session:
                    if ahead is None:
                        import_file(session, path, options, report, metadata)
                    else:
                        reading = ahead.next()
                        document = record_file(
                            session, reading, options, report, metadata, shown=str(path)
                        )
                        self._keep_analyses(session, document, reading)
                if index_due() or len(self._analysed) >= ANALYSES_KEPT:
                    self.sync_index(merge=False)
        finally:
            if ahead is not None:
                ahead.close()
        try:
            self._cite_imported(report)
        finally:
            self._analysed.clear()  # those of pages a failed sync left: read again then
        if progress is not None and not report.cancelled:
            progress(ImportProgress(len(files), len(files), ""))
        return report

    def _keep_analyses(self, session: Session, document: int | None, reading: FileOutcome) -> None:
        """Keep what the reading helper made of a new document's pages for the index, until
        the next sync writes them."""
        from reader.indexing import page_analyses
        from reader.reading import Reading

        if document is not None and isinstance(reading, Reading) and reading.analyses:
            with session.begin():
                self._analysed.update(page_analyses(session, document, reading.analyses))

    def _known_hashes(self) -> frozenset[str]:
        with self.session() as session:
            return frozenset(session.scalars(select(Document.sha256)))

    def import_metadata(
        self,
        csv_path: Path,
        *,
        kind: str | None = None,
        collection: str = "",
        languages: Sequence[str] = (),
        limits: Limits = DEFAULT_LIMITS,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ImportReport:
        """Import the files a metadata CSV lists, each with its row's metadata, row by row
        (the CSV is never read whole). A row that cannot be imported (its file missing, a
        date that is no date, the same file as an earlier row) and a header problem (an
        unknown column, no `path` column) are reported in `failed`, naming the row; the
        rest imports. Progress counts rows (`total` 0: not counted beforehand)."""
        self._require_writable("importing")
        from reader.importer import import_file
        from reader.metadata_csv import MetadataCsv, MetadataCsvError, RowError

        report = ImportReport()
        try:
            sheet = MetadataCsv(csv_path)
        except MetadataCsvError as exc:
            report.failed.append(FailedFile(str(csv_path), str(exc)))
            return report
        report.warnings.extend(sheet.warnings)
        options = self._import_options(kind, collection, languages, limits)
        first_row_of: dict[str, int] = {}
        index_due = Interval(INDEX_INTERVAL)
        done = 0
        for row in sheet.rows():
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if isinstance(row, RowError):
                report.failed.append(FailedFile(row.path, row.error))
                continue
            done += 1
            if progress is not None:
                progress(ImportProgress(done, 0, str(row.path)))
            key = os.path.normcase(os.path.abspath(row.path))
            if key in first_row_of:
                report.failed.append(
                    FailedFile(
                        str(row.path),
                        f"row {row.number}: the same file as row {first_row_of[key]}; "
                        "not imported twice",
                    )
                )
                continue
            first_row_of[key] = row.number
            if not row.path.is_file():
                what = "is a folder, not a file" if row.path.is_dir() else "no such file"
                report.failed.append(FailedFile(str(row.path), f"row {row.number}: {what}"))
                continue
            failures, skips = len(report.failed), len(report.skipped)
            with self.catalog.writer() as session:
                import_file(session, row.path, options, report, row.changes)
            for index in range(failures, len(report.failed)):
                failed = report.failed[index]
                report.failed[index] = FailedFile(failed.path, f"row {row.number}: {failed.error}")
            for index in range(skips, len(report.skipped)):
                skipped = report.skipped[index]
                report.skipped[index] = SkippedFile(
                    skipped.path,
                    f"row {row.number}: {skipped.reason}"
                    + (
                        "; its metadata not applied (`archive-reader set` edits a document)"
                        if row.changes != MetadataChanges()
                        else ""
                    ),
                )
            if index_due():
                self.sync_index(merge=False)
        self._cite_imported(report)
        if progress is not None and not report.cancelled:
            progress(ImportProgress(done, done, ""))
        return report

    # Reading the catalog

    def documents(self) -> list[DocumentInfo]:
        # Plain rows, not catalog objects: the window reads every document at its start, and
        # building twenty thousand ORM objects took seconds.
        with self.session() as session:
            connection = session.connection()
            identifiers: dict[int, list[Any]] = {}
            for row in connection.execute(
                select(Identifier.document_id, Identifier.canonical, Identifier.scheme,
                       Identifier.origin).order_by(Identifier.id)
            ):  # fmt: skip
                identifiers.setdefault(row.document_id, []).append(row)
            states = _ocr_states(session, None)
            frames = _frames(session, None)
            return [
                _info(row, states.get(row.id, {}), frames.get(row.id), identifiers.get(row.id, []))
                for row in connection.execute(
                    select(*Document.__table__.columns).order_by(Document.id)
                )
            ]

    def document(self, reference: str | int) -> DocumentInfo:
        doc_id = self.resolve(reference)
        with self.session() as session:
            document = session.get(Document, doc_id, options=[selectinload(Document.identifiers)])
            assert document is not None
            return _info(
                document,
                _ocr_states(session, doc_id).get(doc_id, {}),
                _frames(session, [doc_id]).get(doc_id),
            )

    def resolve(self, reference: str | int) -> int:
        """The id of the document a DOC reference names: an id, or one of its identifiers."""
        text = str(reference).strip()
        with self.session() as session:
            if text.isdigit():
                if session.get(Document, int(text)) is None:
                    raise DocumentNotFound(f"no document with id {text}")
                return int(text)
            found = None
            if is_utf8(text):  # else a file name's bytes, as the OS gives them: no identifier
                canonical = canonicalize(text) or text
                found = session.scalars(
                    select(Identifier.document_id)
                    .where(func.lower(Identifier.canonical) == canonical.lower())
                    .order_by((Identifier.origin != "filename"), Identifier.document_id)
                ).first()
            if found is None:  # a file name, as people say "article.html"
                ending = FilePath.stored(os.sep + text).removeprefix(FilePath.URI)
                found = session.scalars(
                    select(Document.id)
                    .where(
                        type_coerce(Document.source_path, Text).endswith(ending, autoescape=True)
                    )
                    .order_by(Document.id)
                ).first()
        if found is None:
            raise DocumentNotFound(f"no document with id or identifier {text!r}")
        return found

    def page_texts(self, reference: str | int) -> list[str]:
        doc_id = self.resolve(reference)
        with self.session() as session:
            return list(
                session.scalars(
                    select(Page.text).where(Page.document_id == doc_id).order_by(Page.number)
                )
            )

    def article_text(self, reference: str | int) -> str:
        """The whole text of a document as citation spans count it (pages joined)."""
        from reader.citations.detect import article_text  # its patterns: not for the start

        return article_text(self.page_texts(reference))

    def page(self, reference: str | int, number: int) -> PageInfo:
        """One page with its size, text and word boxes (OCR's, or the PDF's own words)."""
        doc_id = self.resolve(reference)
        with self.session() as session:
            row = session.execute(
                select(Page, Document.media_type, Document.source_path)
                .join(Document, Document.id == Page.document_id)
                .where(Page.document_id == doc_id, Page.number == number)
                .options(undefer(Page.text), undefer(Page.words))
            ).first()
            if row is None:
                raise DocumentNotFound(f"document {doc_id} has no page {number}")
            page, media_type, source_path = row
            words = page_words(media_type, source_path, number, page.words or [])
            return PageInfo(
                doc_id, number, page.width, page.height, page.text or "", page.text_source,
                page.ocr_confidence, words,
            )  # fmt: skip

    def page_sizes(self, reference: str | int) -> list[tuple[float, float]]:
        """Width and height in PDF points of every page, in order: the reader's layout."""
        doc_id = self.resolve(reference)
        with self.session() as session:
            rows = session.execute(
                select(Page.width, Page.height)
                .where(Page.document_id == doc_id)
                .order_by(Page.number)
            ).all()
        return [(float(w), float(h)) for w, h in rows]

    def render_page(
        self,
        reference: str | int,
        number: int,
        *,
        dpi: float,
        rotation: int = 0,
        clip: Sequence[float] | None = None,
    ) -> RenderedPage:
        """A PDF or scan page as RGB pixels (only `clip`, in points, when given); the
        original is only read."""
        doc_id = self.resolve(reference)
        with self.session() as session:
            row = session.execute(
                select(Document.source_path, Document.media_type, Page.width, Page.height)
                .join(Page, Page.document_id == Document.id)
                .where(Document.id == doc_id, Page.number == number)
            ).first()
        if row is None:
            raise DocumentNotFound(f"document {doc_id} has no page {number}")
        if not is_renderable(row.media_type):
            raise RenderError(f"{row.media_type} documents are shown as text, not drawn")
        size = (row.width, row.height) if row.width and row.height else None
        return render_page(
            Path(row.source_path), number, dpi=dpi, rotation=rotation, size_points=size, clip=clip
        )

    def hit_line(
        self, reference: str | int, number: int, boxes: Sequence[Sequence[float]]
    ) -> list[float] | None:
        """The rectangle of the line a search hit's boxes stand on (see reader.hit_lines)."""
        from reader.hit_lines import hit_line

        page = self.page(reference, number)
        return hit_line(page.words, boxes, (page.width, page.height))

    def find_in_document(self, reference: str | int, text: str) -> list[FoundPassage]:
        """Every place the text occurs in the document, ignoring case and accents."""
        doc_id = self.resolve(reference)
        if not text.strip():
            return []
        found: list[FoundPassage] = []
        for number, page_text in enumerate(self.page_texts(doc_id), start=1):
            spans = list(find_folded(page_text, text))
            if not spans:
                continue
            words = self.page(doc_id, number).words
            found.extend(
                FoundPassage(number, start, end, boxes_in_span(words, page_text, start, end))
                for start, end in spans
            )
        return found

    def update_metadata(self, reference: str | int, changes: MetadataChanges) -> DocumentInfo:
        """Save a researcher's edits; the pages are indexed again under the new fields."""
        self._require_writable("editing metadata")
        from reader.indexing import mark_document_for_index

        doc_id = self.resolve(reference)
        with self.catalog.writer() as session, session.begin():
            document = session.get(Document, doc_id, options=[selectinload(Document.identifiers)])
            assert document is not None
            apply_changes(session, document, changes, self.schemes)
            mark_document_for_index(session, doc_id)
        self.update_citations([doc_id])
        return self.document(doc_id)

    # The archive's own order

    def archive_tree(self) -> ArchiveTree:
        """The documents as the archive orders them: repository > record group > series > box
        > folder > item, with counts; those with no archive fields under "Unfiled"
        (reader.archive_order)."""
        from reader.archive_order import archive_tree

        with self.session() as session:
            return archive_tree(session)

    def file_documents(self, references: Sequence[str | int], place: Sequence[str]) -> Filing:
        """File documents at a place of the archive tree (an ArchiveNode's place): their
        archive fields edited as update_metadata edits them, their pages indexed again. What
        each had before is returned, for `restore_filing`; a reference that names no document
        is listed in `missing`, and the others are filed."""
        self._require_writable("filing documents")
        from reader.archive_order import file_at

        ids, missing = self._resolve_each(references)
        with self.catalog.writer() as session, session.begin():
            filing = file_at(session, ids, place, self.schemes)
        self.update_citations()  # a record group can be what a citation names ("RG 238")
        return Filing(filing.place, filing.before, missing)

    def restore_filing(self, filing: Filing) -> Filing:
        """Put the documents of a filing back where they were (undo); what it replaced is
        returned, so that the undo can itself be undone."""
        self._require_writable("filing documents")
        from reader.archive_order import put_back

        with self.catalog.writer() as session, session.begin():
            restored = put_back(session, filing)
        self.update_citations()
        return restored

    def _resolve_each(self, references: Sequence[str | int]) -> tuple[list[int], list[str]]:
        ids, missing = [], []
        for reference in references:
            try:
                ids.append(self.resolve(reference))
            except DocumentNotFound as exc:
                missing.append(str(exc))
        return ids, missing

    def _guess_from_pages(self, doc_ids: Sequence[int]) -> None:
        """The date and frames read from pages that OCR has just read (see guess_from_pages)."""
        from reader.importer import guess_from_pages
        from reader.indexing import mark_document_for_index

        for doc_id in doc_ids:
            with self.catalog.writer() as session, session.begin():
                document = session.get(
                    Document, doc_id, options=[selectinload(Document.pages).undefer(Page.text)]
                )
                if document is not None and guess_from_pages(session, document):
                    mark_document_for_index(session, doc_id)

    def page_of_frame(self, reference: str | int, frame: int) -> int | None:
        """The page (1-based) of a document that shows a microfilm frame, if known."""
        doc_id = self.resolve(reference)
        with self.session() as session:
            return session.scalars(
                select(Page.number)
                .where(Page.document_id == doc_id, Page.frame == frame)
                .order_by(Page.number)
            ).first()

    # OCR

    def tessdata_folder(self) -> Path:
        return gather_tessdata(self.cache_folder / "tessdata")

    def ocr_languages(self) -> set[str]:
        return available_languages(self.tessdata_folder())

    def run_ocr(
        self,
        *,
        documents: Sequence[str | int] | None = None,
        languages: Sequence[str] = (),
        retry_failed: bool = False,
        workers: int | None = None,
        progress: Callable[[OcrProgress], None] | None = None,
        cancelled: CancelCheck | None = None,
    ) -> OcrReport:
        """OCR every page waiting for it, each page recorded as it finishes; a cancelled or
        killed run loses only the pages in flight, and the next run picks up the rest."""
        self._require_writable("OCR")
        from reader.ocr.pool import OcrPool
        from reader.ocr.queue import language_report, pending_tasks, record_outcome

        started = time.monotonic()
        tessdata_dir = self.tessdata_folder()
        document_ids = [self.resolve(d) for d in documents] if documents is not None else None
        available = available_languages(tessdata_dir)
        with self.session() as session:
            tasks = pending_tasks(
                session,
                available,
                languages=languages,
                document_ids=document_ids,
                retry_failed=retry_failed,
            )
            read_in, warnings = language_report(session, tasks, available, languages=languages)
        report = OcrReport(languages=read_in, warnings=warnings)
        if not tasks:
            return report
        index_due = Interval(INDEX_INTERVAL)
        with OcrPool(tessdata_dir, workers) as pool, self.catalog.writer() as session:
            for outcome in pool.run(tasks, cancelled):
                record_outcome(session, outcome)
                if index_due():
                    self.sync_index(merge=False)
                if outcome.result is None:
                    report.pages_failed += 1
                    report.failures.append(
                        OcrFailure(outcome.task.document_id, outcome.task.number, outcome.error)
                    )
                else:
                    report.pages_done += 1
                if outcome.task.document_id not in report.documents:
                    report.documents.append(outcome.task.document_id)
                if progress is not None:
                    progress(
                        OcrProgress(
                            report.pages_done + report.pages_failed,
                            len(tasks),
                            outcome.task.document_id,
                            outcome.task.number,
                            report.pages_failed,
                        )
                    )
        self._guess_from_pages(report.documents)
        self.update_citations()
        report.cancelled = report.pages_done + report.pages_failed < len(tasks)
        report.seconds = round(time.monotonic() - started, 2)
        return report

    # Transcriptions

    def attach_transcriptions(
        self, reference: str | int, files: Sequence[Path]
    ) -> TranscriptionReport:
        """ALTO or PAGE XML transcriptions (files, or folders of them) attached to the pages
        of a scan as its text and word boxes, searchable at once; those pages are no longer
        queued for OCR. All or nothing: a file that does not fit the document is refused
        with the reason (reader.transcriptions.attach)."""
        self._require_writable("attaching transcriptions")
        from reader.transcriptions.attach import attach_transcriptions

        doc_id = self.resolve(reference)
        report = attach_transcriptions(self.catalog, doc_id, list(files))
        if report.pages:
            # As after OCR: a date read from the letterhead, and the citations brought in step
            # (the index synced first).
            self._guess_from_pages([doc_id])
            self.update_citations([doc_id])
        return report

    def document_of_file(self, path: Path) -> int | None:
        """The document whose original has this file's content (its SHA-256), if any."""
        try:
            sha256 = sha256_of(path)
        except OSError:
            return None
        with self.session() as session:
            return session.scalars(select(Document.id).where(Document.sha256 == sha256)).first()

    # Search

    @property
    def index(self) -> Index:
        # The search lock first, always: a rebuild drops the open searcher under the index lock.
        with self._search_lock, self._index_lock:
            if self._index is None:
                self._index = self._open_index()
            return self._index

    def _open_index(self) -> Index:
        """The index as this library object first uses it: rebuilt from the catalog if its
        files are damaged, and brought in step with the catalog if it was last in step with
        another state of it (an older copy of the catalog put back)."""
        from index.health import read_catalog_mark
        from index.schema import index_exists, open_index
        from reader.indexing import forget_indexed, mark_in_step

        folder = self.folder / "index"
        sessions = self.catalog.sessions
        if not index_exists(folder):
            if read_catalog_mark(folder) is not None:
                self._notices.append("the search index was missing; rebuilding it from the catalog")
            # A new index (first use, or the schema grew): every page goes in again.
            forget_indexed(sessions)
            index = open_index(folder)
            mark_in_step(sessions, index)
            return index
        try:
            return self._in_step(open_index(folder))
        except Exception as exc:
            if not self._rebuilt_if_damaged(exc):
                raise
        return open_index(folder)  # rebuilt: in step

    def _in_step(self, index: Index) -> Index:
        from reader.indexing import bring_in_step, in_step

        if not in_step(self.catalog.sessions, index) and (
            done := bring_in_step(self.catalog.sessions, index)
        ):
            self._notices.append(done)
        return index

    def _rebuilt_if_damaged(self, exc: Exception) -> bool:
        """If `exc` is damage to the index's files, rebuild the index from the catalog (whose
        derived data it is), say so, and return True. The caller holds the index lock."""
        from index.health import damage_in

        damage = damage_in(exc)
        if damage is None:
            return False
        self._notices.append(f"the search index was damaged ({damage}); rebuilt from the catalog")
        self._rebuild()
        return True

    def _repairing_index(self, operation: Callable[[], _T]) -> _T:
        """Run an operation that reads the index; if it finds the index's files damaged, run it
        again on the index rebuilt from the catalog. On PostgreSQL search there are no files to
        mend: a server gone away is said as such (SearchServerError)."""
        if self.uses_postgres_search:
            with self._server_errors():
                return operation()
        try:
            return operation()
        except Exception as exc:
            with self._search_lock, self._index_lock:
                if not self._rebuilt_if_damaged(exc):
                    raise
        return operation()

    def take_notices(self) -> list[str]:
        """What the library did on its own since last asked, a line each: a damaged search
        index rebuilt, an index brought back in step with the catalog."""
        notices, self._notices = self._notices, []
        return notices

    def _searcher(self) -> Searcher:
        """The open searcher, moved on to the index's newest version when it changed."""
        if self._open_searcher is None:
            from index.scoring import PageWeighting

            self._open_searcher = self.index.searcher(weighting=PageWeighting())
        else:
            # refresh() closes what the new searcher does not reuse; the old one is done.
            self._open_searcher = self._open_searcher.refresh()
        return self._open_searcher

    def _drop_searcher(self) -> None:
        with self._search_lock:
            if self._open_searcher is not None:
                self._open_searcher.close()
                self._open_searcher = None

    @property
    def uses_postgres_search(self) -> bool:
        return self.search_backend_name == "postgresql"

    def search_backend(self) -> SearchBackend:
        """The backend that answers this library's searches and citations."""
        if self.uses_postgres_search:
            if self._postgres is None:
                from index.pg_search import PostgresBackend

                self._postgres = PostgresBackend(self.catalog.engine)
            return self._postgres
        from index.whoosh_backend import WhooshBackend

        return WhooshBackend(self.index, self._searcher)

    @contextmanager
    def _server_errors(self) -> Iterator[None]:
        """The PostgreSQL server gone away (mid-search, mid-sync) as the reader's error."""
        from index.api import SearchUnavailable

        try:
            yield
        except SearchUnavailable as exc:
            raise SearchServerError(str(exc)) from exc
        except OperationalError as exc:
            if not self.uses_postgres_search or is_busy(exc):
                raise
            first = (str(exc.orig or exc).strip().splitlines() or [""])[0]
            raise SearchServerError(
                f"the PostgreSQL server that answers searches cannot be reached ({first}); "
                "try again when it is back"
            ) from exc

    def sync_index(self, *, merge: bool = True) -> int:
        """Index every page added or changed since the last sync; the number indexed.
        Without `merge`, quicker: for the frequent syncs while an import or OCR runs."""
        from reader.indexing import sync_index, sync_search_tables

        if self.uses_postgres_search:
            with self._server_errors():
                return sync_search_tables(self.catalog.sessions)
        with self._search_lock, self._index_lock:
            return self._repairing_index(
                lambda: sync_index(
                    self.catalog.sessions, self.index, merge=merge, analysed=self._analysed
                )
            )

    def reindex(self, procs: int | None = None) -> int:
        """Rebuild the whole index from the catalog (by default a large catalog in two
        processes, where there are two cores); on PostgreSQL search, its tables."""
        if self.uses_postgres_search:
            from reader.indexing import rewrite_search_tables

            with self._server_errors():
                return rewrite_search_tables(self.catalog.sessions)
        with self._search_lock, self._index_lock:
            return self._rebuild(procs)

    def _rebuild(self, procs: int | None = None) -> int:
        from reader.indexing import rebuild_index

        self._index = None
        self._drop_searcher()
        return rebuild_index(
            self.catalog.sessions, self.folder / "index", procs=procs,
            catalog_url=self.catalog_url,
        )  # fmt: skip

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        kind: str | None = None,
        sort: str = "relevance",
        with_boxes: bool = True,
        within: str = "",
    ) -> SearchResult:
        """Page hits for a query (see index.query for the syntax), best first or by date;
        `within`, a query that limits the pages without scoring them (a place in the archive,
        reader.archive_order.within_query). Notes are found beside the pages (`in:notes`
        only them), each hit's `layer` saying which, those of others only when shared. The
        PostgreSQL backend searches the pages only: it refuses in:notes, and its results'
        notices say that notes were not searched."""
        from index.search import IndexResults
        from reader.searching import hits_with_details

        started = time.monotonic()
        self.sync_index()

        def run() -> IndexResults:
            # A Whoosh searcher serves one thread at a time (PostgreSQL: a connection each).
            with self._search_lock:
                return self.search_backend().search(
                    query,
                    limit=limit,
                    kind=kind,
                    sort=sort,
                    canonicalize=canonicalize,  # id:... in any spelling
                    within=within,
                    viewer=self.user,  # others' private notes are not found
                )

        with self._server_errors():
            found = self._repairing_index(run)
            hits = hits_with_details(
                self.session, found.hits, with_boxes=with_boxes, viewer=self.user
            )
        seconds = round(time.monotonic() - started, 4)
        notices = self.take_notices() + ([found.note] if found.note else [])
        return SearchResult(query, found.total, hits, seconds, notices)

    # Citations

    def cite(self, reference: str | int, *, with_boxes: bool = True) -> CiteResult:
        """Detect and resolve the citations of a document, store them and return them."""
        from reader.citing import cite_document, stored_citations

        self._require_writable("detecting citations")
        doc_id = self.resolve(reference)
        self.sync_index()
        with self.session() as session:
            context = self._identifier_context(session)

        def run() -> CiteResult:
            cite_document(self.catalog, self.search_backend(), doc_id, **context)
            with self.session() as session:
                return CiteResult(doc_id, stored_citations(session, doc_id, with_boxes=with_boxes))

        return self._repairing_index(run)

    def citations(self, reference: str | int, *, with_boxes: bool = True) -> CiteResult:
        """The citations stored for a document (as the last `cite` left them)."""
        from reader.citing import stored_citations

        doc_id = self.resolve(reference)
        with self.session() as session:
            return CiteResult(doc_id, stored_citations(session, doc_id, with_boxes=with_boxes))

    def passage_boxes(
        self, reference: str | int, page: int, start: int, end: int
    ) -> list[list[float]]:
        """Boxes (PDF points) of the words of a page's text span: to mark a cited passage."""
        from reader.citing import passage_boxes

        doc_id = self.resolve(reference)
        with self.session() as session:
            return passage_boxes(session, doc_id, page, start, end)

    def cited_by(self, reference: str | int, page: int | None = None) -> list[CitingReference]:
        """The citations in other documents that point at this document (or one of its pages)."""
        from reader.citing import citing_references

        doc_id = self.resolve(reference)
        with self.session() as session:
            return citing_references(session, doc_id, page)

    def gaps(self) -> list[CitationInfo]:
        """Citations that point at nothing in the archive."""
        from reader.citing import stored_citations

        with self.session() as session:
            articles = session.scalars(
                select(Citation.document_id).where(Citation.target_document_id.is_(None)).distinct()
            ).all()
            return [
                citation
                for article in articles
                for citation in stored_citations(session, article, with_boxes=False)
                if citation.target is None
            ]

    def article_notes(self, reference: str | int) -> list[ArticleNote]:
        """The notes of an article, each with its markers and the citations that belong to it."""
        from reader.citations.notes import find_notes

        doc_id = self.resolve(reference)
        found = find_notes(self.article_text(doc_id))
        by_note: dict[int, list[int]] = {}
        for citation in self.citations(doc_id, with_boxes=False).citations:
            if citation.note is not None:
                by_note.setdefault(citation.note, []).append(citation.id)
        notes = []
        for number, note in sorted(found.notes.items()):
            markers = [(m.start, m.end) for m in found.markers if m.number == number]
            cited = by_note.get(number, [])
            notes.append(ArticleNote(number, markers, note.start, note.end, note.text, cited))
        return notes

    def gap_groups(self) -> list[GapGroup]:
        """The gaps grouped: one entry per distinct reference of an article (its canonical
        identifier, or its folded text), with its count and every span."""
        from reader.citing import stored_citations

        with self.session() as session:
            articles = session.execute(
                select(Document.id, Document.title)
                .where(Document.id.in_(
                    select(Citation.document_id).where(Citation.target_document_id.is_(None))
                ))
                .order_by(Document.id)
            ).all()  # fmt: skip
            groups: list[GapGroup] = []
            for doc, title in articles:
                found: dict[str, list[CitationInfo]] = {}
                for gap in stored_citations(session, doc, with_boxes=False):
                    if gap.target is None:
                        key = gap.identifier or " ".join(gap.text.casefold().split())
                        found.setdefault(key, []).append(gap)
                for same in sorted(found.values(), key=lambda g: g[0].start):
                    first, spans = same[0], [(c.start, c.end) for c in same]
                    ids, pages = [c.id for c in same], [c.page for c in same]
                    groups.append(
                        GapGroup(doc, title, first.text, first.identifier, first.kind,
                                 len(same), spans, ids, pages)
                    )  # fmt: skip
            return groups

    def chronology(self) -> Chronology:
        """The primary documents by date (for the timeline), and how many have no date."""
        from reader.chronology import chronology

        with self.session() as session:
            return chronology(session)

    def article_chronology(self, reference: str | int) -> ArticleChronology:
        """An article's own dates ("on March 17", "two days later"), each beside the primary
        documents of that date, and the documents its resolved citations point at."""
        from reader.chronology import article_chronology

        doc_id = self.resolve(reference)
        cited = {
            target.doc
            for citation in self.citations(doc_id, with_boxes=False).citations
            for target in [*([citation.target] if citation.target else []), *citation.targets]
        }
        text = self.article_text(doc_id)
        with self.session() as session:
            return article_chronology(session, doc_id, text, cited)

    def update_citations(self, new_documents: Sequence[int] = ()) -> int:
        """After documents arrive or are read by OCR: cite new secondary documents and those
        still waiting (an import cut short), and try the gaps again. The number of gaps
        resolved. A catalog another program keeps locked is a CatalogError (what could not
        be cited still waits)."""
        from reader.citing import resolve_gaps

        self._require_writable("updating citations")
        self.sync_index()

        def run() -> int:
            failed = self._cite_each(self._articles_to_cite(new_documents))
            if failed:
                raise CatalogError(failed[0].error)
            return resolve_gaps(self.catalog, self.search_backend())

        return self._repairing_index(run)

    def _cite_imported(self, report: ImportReport) -> None:
        """Cite what an import brought (and any article still waiting): an article whose
        citations cannot be stored, the catalog locked too long, is a failure of its own; the
        gaps are tried again if they can be."""
        from reader.citing import resolve_gaps

        self.sync_index()
        articles = self._articles_to_cite([d.id for d in report.imported])
        report.failed.extend(self._repairing_index(lambda: self._cite_each(articles)))
        try:
            self._repairing_index(lambda: resolve_gaps(self.catalog, self.search_backend()))
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            report.warnings.append(f"the gaps were not tried again: {busy_message()}")

    def _articles_to_cite(self, new_documents: Sequence[int]) -> list[tuple[int, str]]:
        """The secondary documents named, and those whose citing is pending: id and path."""
        with self.session() as session:
            rows = session.execute(
                select(Document.id, Document.source_path)
                .where(
                    Document.kind == DocumentKind.SECONDARY.value,
                    or_(
                        Document.id.in_(list(new_documents)),
                        Document.citing_state == CitingState.PENDING.value,
                    ),
                )
                .order_by(Document.id)
            ).all()
        return [(doc_id, path) for doc_id, path in rows]

    def _cite_each(self, articles: Sequence[tuple[int, str]]) -> list[FailedFile]:
        """Cite each article in turn (on an index the caller synced: quotes are found in
        it); one whose citations cannot be stored in time (another program holding the
        catalog) is a failure, and stays pending."""
        from reader.citing import cite_document

        if not articles:
            return []
        with self.session() as session:
            context = self._identifier_context(session)
        failed = []
        for doc_id, path in articles:
            try:
                cite_document(self.catalog, self.search_backend(), doc_id, **context)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                failed.append(
                    FailedFile(
                        path,
                        f"recorded as document {doc_id}, but its citations could not be "
                        f"stored: {busy_message()}; the next import or `archive-reader check` "
                        "stores them",
                    )
                )
        return failed

    # Annotations

    def annotate(
        self,
        reference: str | int,
        page: int,
        *,
        kind: str | None = None,
        quote: str | None = None,
        rects: Sequence[Sequence[float]] = (),
        text: str = "",
        note: str = "",
        color: str = DEFAULT_COLOUR,
        author: str | None = None,
        shared: bool = False,
    ) -> AnnotationInfo:
        """Add an annotation and commit it at once. With `quote` the passage is found on the
        page (fuzzily on OCR'd pages) and highlighted; with `rects`, an area or given boxes;
        with neither, a note on the page (or a bookmark). `shared`: seen and found by every
        reader of the library, not only its author."""
        self._require_annotations()
        doc_id = self.resolve(reference)
        kind = kind or ("highlight" if quote else "area" if rects else "note")
        check_kind(kind)
        boxes: list[list[float]] = []
        if quote:
            page_info = self.page(doc_id, page)
            passage = find_passage(page_info.text, quote)
            if passage is None:
                raise AnnotationError(f"the passage is not on page {page}: {quote[:60]!r}")
            boxes = quote_rects(page_info.words, page_info.text, passage)
            text = page_info.text[passage.start : passage.end]
        else:
            sizes = self.page_sizes(doc_id)
            if not 1 <= page <= len(sizes):
                raise AnnotationError(f"document {doc_id} has no page {page}")
            boxes = check_rects(rects, page, sizes[page - 1]) if rects else []
        with self.catalog.writer() as session, session.begin():
            annotation = Annotation(
                document_id=doc_id, page=page, kind=kind, rects=boxes, text=text, note=note,
                color=color, author=self.user if author is None else author, owner=self.user,
                shared=shared,
            )  # fmt: skip
            session.add(annotation)
            session.flush()
            return annotation_info(annotation)

    def annotations(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> list[AnnotationInfo]:
        """A document's annotations (or every one) that this library's user may see (their
        own and the shared ones), optionally only one author's."""
        docs = None if reference is None else [self.resolve(reference)]
        with self.session() as session:
            return annotations_of(session, docs, author, viewer=self.user)

    def annotation(self, annotation_id: int) -> AnnotationInfo:
        """One annotation the user may see (a search hit in the notes opens it)."""
        with self.session() as session:
            return annotation_info(self._visible_annotation(session, annotation_id))

    def _visible_annotation(self, session: Session, annotation_id: int) -> Annotation:
        """The annotation, if this library's user may see it; another's private one is as
        if it were not there."""
        annotation = session.get(Annotation, annotation_id)
        if annotation is None or not (annotation.shared or annotation.owner in ("", self.user)):
            raise AnnotationError(f"no annotation {annotation_id}")
        return annotation

    def update_annotation(
        self, annotation_id: int, *, note: str | None = None, color: str | None = None
    ) -> AnnotationInfo:
        """Change an annotation's note or colour; a changed note is searchable as such at
        the next search (the index is synced as after a page's edit)."""
        self._require_annotations()
        from reader.indexing import mark_annotation_for_index

        with self.catalog.writer() as session, session.begin():
            annotation = self._visible_annotation(session, annotation_id)
            if note is not None and note != annotation.note:
                annotation.note = note
                mark_annotation_for_index(annotation)
            if color is not None:
                annotation.color = color
            session.flush()
            return annotation_info(annotation)

    def share_annotation(self, annotation_id: int, shared: bool = True) -> AnnotationInfo:
        """Let every reader of the library see and find an annotation (or, not `shared`,
        only its owner again). Only its owner, who made it, may."""
        self._require_annotations()
        from reader.indexing import mark_annotation_for_index

        with self.catalog.writer() as session, session.begin():
            annotation = self._visible_annotation(session, annotation_id)
            if annotation.owner != self.user:
                raise AnnotationError(
                    f"annotation {annotation_id} is {annotation.owner or 'nobody'}'s: only "
                    "the reader who made it shares it"
                )
            if annotation.shared != shared:
                annotation.shared = shared
                mark_annotation_for_index(annotation)
            session.flush()
            return annotation_info(annotation)

    def delete_annotation(self, annotation_id: int) -> AnnotationInfo:
        """Remove an annotation; what it was is returned, so that it can be restored. Its
        note leaves the search index at once."""
        self._require_annotations()
        from index.schema import index_exists
        from reader.indexing import remove_notes

        # PostgreSQL search holds no notes: a Whoosh index kept in the folder (--search
        # whoosh at other times) still loses the note, but none is built for it.
        whoosh = not self.uses_postgres_search or index_exists(self.folder / "index")
        if whoosh:
            self._index_ready()
        with self.catalog.writer() as session, session.begin():
            annotation = self._visible_annotation(session, annotation_id)
            removed = annotation_info(annotation)
            session.delete(annotation)
        if not whoosh:
            return removed
        with self._search_lock, self._index_lock:
            self._repairing_index(
                lambda: remove_notes(self.catalog.sessions, self.index, [annotation_id])
            )
        return removed

    def _index_ready(self) -> None:
        """The index opened (and brought in step) before a change that it follows at once:
        opened after, it would take the change for the catalog and index parting ways."""
        with self._search_lock, self._index_lock:
            self._repairing_index(lambda: self.index)

    def restore_annotation(self, removed: AnnotationInfo) -> AnnotationInfo:
        """Put back a deleted annotation (undo), under its old id."""
        self._require_annotations()
        with self.catalog.writer() as session, session.begin():
            annotation = Annotation(
                id=removed.id, document_id=removed.doc, page=removed.page, kind=removed.kind,
                rects=removed.rects, text=removed.text, note=removed.note, color=removed.color,
                author=removed.author, created=datetime.fromisoformat(removed.created),
                updated=datetime.fromisoformat(removed.updated), shared=removed.shared,
                owner=removed.owner or self.user,
            )  # fmt: skip
            session.add(annotation)
            session.flush()
            return annotation_info(annotation)

    def export(self, reference: str | int, out: Path, *, with_cited: bool = False) -> ExportReport:
        """An annotated PDF of the document (and, with_cited, the pages its citations name)."""
        from reader.annotated_pdf import write_annotated_pdf  # MuPDF loads on the first export

        info = export_target(self, reference, out)
        return write_annotated_pdf(self, info, out, with_cited=with_cited)

    def export_transcription(
        self, reference: str | int, out: Path, fmt: str = "alto"
    ) -> TranscriptionExport:
        """The document's stored words, boxes and confidences as ALTO v4 (fmt "alto") or hOCR
        ("hocr"), page by page; no OCR is run. See reader.transcriptions.export."""
        from reader.transcriptions.export import write_transcription

        info = self.document(reference)
        refuse_original(self, out)
        with self.session() as session:
            return write_transcription(session, info, out, fmt)

    def notes(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> list[NoteRow]:
        """Annotations as rows for citing in a paper: document, identifier, page, quote, note."""
        annotations = self.annotations(reference, author=author)
        documents = {d.id: d for d in self.documents() if d.id in {a.doc for a in annotations}}
        return note_rows(documents, annotations)

    def web_annotations(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> WebAnnotationExport:
        """Annotations as W3C Web Annotations (JSON-LD), for IIIF viewers and annotation
        servers: the page and rectangle as the target, the note as the body."""
        from reader.web_annotations import web_annotations

        return web_annotations(self, reference, author=author)

    # References for reference managers

    def references(
        self,
        documents: Sequence[str | int] = (),
        *,
        cited_by: str | int | None = None,
        page: int | None = None,
    ) -> list[Reference]:
        """Documents as references, with their place in the archive and their notes: those
        named, else every primary document; with `cited_by`, the documents an article's
        citations resolve to, each once, with the pages it cites; with `page`, one page of
        the one document named (and that page's notes only)."""
        from reader.references import cited_sources, gather_references, primary_documents

        if cited_by is not None and documents:
            raise ValueError("references of the documents named or of an article's sources")
        if page is not None and len(documents) != 1:
            raise ValueError("a page is a page of one document: name exactly one")
        ids = [self.resolve(d) for d in documents]
        article = None if cited_by is None else self.resolve(cited_by)
        if page is not None and not 1 <= page <= len(self.page_sizes(ids[0])):
            raise DocumentNotFound(f"document {ids[0]} has no page {page}")
        with self.session() as session:
            if article is not None:
                pages_of = cited_sources(session, article)
            else:
                pages_of = {doc: [] if page is None else [page]
                            for doc in ids or primary_documents(session)}  # fmt: skip
            return gather_references(
                session, pages_of, notes_on_pages_only=page is not None, viewer=self.user
            )

    def export_references(
        self,
        fmt: str,
        documents: Sequence[str | int] = (),
        *,
        cited_by: str | int | None = None,
        page: int | None = None,
        out: Path | None = None,
    ) -> ReferenceExport:
        """The references (see `references`) as RIS or CSL-JSON (`fmt`: ris, csljson),
        written whole to `out`, never over an original; without `out`, the text returned."""
        from reader.reference_formats import render
        from reader.references import ReferenceExport, original_paths, write_text_file

        references = self.references(documents, cited_by=cited_by, page=page)
        text = render(references, fmt)
        ids = [r.doc for r in references]
        if out is None:
            return ReferenceExport(fmt, len(references), ids, None, text)
        with self.session() as session:
            originals = original_paths(session)
        write_text_file(text, out, originals)
        return ReferenceExport(fmt, len(references), ids, str(out), None)

    # Fixity

    def check(self, progress: ProgressCallback | None = None) -> CheckReport:
        """Each original's SHA-256 against the catalog; the search index read through and
        compared with the catalog (a damaged index is rebuilt, and reported)."""
        report = CheckReport()
        with self.session() as session:
            rows = session.execute(
                select(Document.id, Document.source_path, Document.sha256).order_by(Document.id)
            ).all()
        report.documents = len(rows)
        for done, (doc_id, source_path, sha256) in enumerate(rows):
            if progress is not None:
                progress(ImportProgress(done, len(rows), source_path))
            report.problems.extend(_fixity_problems(doc_id, Path(source_path), sha256))
        report.problems.extend(self._finish_citing())
        report.problems.extend(self._index_check())
        return report

    def _finish_citing(self) -> list[CheckProblem]:
        """Articles whose citations were never stored (an import cut short): each one a
        problem, and cited now where the library can be written."""
        waiting = self._articles_to_cite([])
        problem = "citations: never detected (its import was cut short)"
        if self.read_only:
            return [
                CheckProblem(doc, path, f"{problem}; the next import on a writable library "
                             "detects them")
                for doc, path in waiting
            ]  # fmt: skip
        if waiting:
            self.sync_index()
        failed = {f.path: f.error for f in self._cite_each(waiting)}
        return [
            CheckProblem(doc, path, f"{problem}; {failed.get(path, 'detected now')}")
            for doc, path in waiting
        ]

    def _index_check(self) -> list[CheckProblem]:
        from index.health import read_through
        from reader.indexing import index_problems, search_table_problems

        if self.uses_postgres_search:
            with self._server_errors():
                found = search_table_problems(self.catalog.sessions)
            return [CheckProblem(None, "PostgreSQL search", problem) for problem in found]

        def problems() -> list[str]:
            read_through(self.index)
            return index_problems(self.catalog.sessions, self.index)

        found = self._repairing_index(problems)
        folder = str(self.folder / "index")
        done = [f"index: {notice}" for notice in self.take_notices()]
        return [CheckProblem(None, folder, problem) for problem in done + found]


class SearchServerError(CatalogError):
    """The PostgreSQL server that answers searches is gone or unreachable; the library keeps
    what it has, and the next search tries again."""


def _search_backend_name(catalog: Catalog, wanted: str | None) -> str:
    from index.api import SEARCH_BACKENDS

    on_postgres = catalog.engine.dialect.name == "postgresql"
    if wanted is None or wanted == "":
        return "postgresql" if on_postgres else "whoosh"
    if wanted not in SEARCH_BACKENDS:
        raise CatalogError(
            f'there is no search backend "{wanted}"; choose one of {", ".join(SEARCH_BACKENDS)}'
        )
    if wanted == "postgresql" and not on_postgres:
        raise CatalogError(
            "--search postgresql needs a catalog on PostgreSQL (--catalog postgresql+psycopg://…); "
            "this catalog is SQLite, searched by the Whoosh index in the library folder"
        )
    return wanted


def read_only_requested(flag: bool = False) -> bool:
    """Read-only by the option, or for every program on a workstation by the environment."""
    return flag or os.environ.get(READ_ONLY_ENV, "") not in ("", "0")


def open_library(
    folder: Path | None = None,
    catalog_url: str | None = None,
    *,
    read_only: bool = False,
    search: str | None = None,
) -> Library:
    return Library(
        folder or default_library_folder(), catalog_url, read_only=read_only_requested(read_only),
        search=search,
    )  # fmt: skip


def _fixity_problems(doc_id: int, path: Path, sha256: str) -> Iterable[CheckProblem]:
    if not path.exists():
        yield CheckProblem(doc_id, str(path), "missing: the original is no longer at this path")
        return
    try:
        actual = sha256_of(path)
    except OSError as exc:
        yield CheckProblem(doc_id, str(path), f"unreadable: {exc.strerror or exc}")
        return
    if actual != sha256:
        yield CheckProblem(doc_id, str(path), "changed: its SHA-256 differs from the catalog's")


def _ocr_states(session: Session, doc_id: int | None) -> dict[int, dict[str, int]]:
    query = select(Page.document_id, Page.ocr_state, func.count()).group_by(
        Page.document_id, Page.ocr_state
    )
    if doc_id is not None:
        query = query.where(Page.document_id == doc_id)
    states: dict[int, dict[str, int]] = {}
    for document_id, state, count in session.execute(query):
        states.setdefault(document_id, {})[state] = count
    return states


def _frames(session: Session, doc_ids: Sequence[int] | None) -> dict[int, dict[str, int]]:
    """The first and last microfilm frame of each document whose pages know theirs."""
    query = (
        select(Page.document_id, func.min(Page.frame), func.max(Page.frame))
        .where(Page.frame.is_not(None))
        .group_by(Page.document_id)
    )
    if doc_ids is not None:
        query = query.where(Page.document_id.in_(doc_ids))
    return {
        doc: {"first": first, "last": last}
        for doc, first, last in session.execute(query)
        if first is not None and last is not None
    }


def _info(
    document: Document | Row[Any],
    ocr_states: dict[str, int],
    frames: dict[str, int] | None = None,
    identifiers: Sequence[Identifier | Row[Any]] | None = None,
) -> DocumentInfo:
    """A document as plain data, from its catalog object or its row (with `identifiers`)."""
    if identifiers is None:
        assert isinstance(document, Document)
        identifiers = document.identifiers
    return DocumentInfo(
        id=document.id,
        title=document.title,
        kind=document.kind,
        path=document.source_path,
        sha256=document.sha256,
        size=document.size,
        media_type=document.media_type,
        pages=document.page_count,
        identifiers=[i.canonical for i in identifiers],
        date=document.date,
        authors=list(document.authors),
        collection=document.collection,
        languages=list(document.languages),
        archive={
            "repository": document.repository,
            "record_group": document.record_group,
            "series": document.series,
            "box": document.box,
            "folder": document.folder,
            "item": document.item,
        },
        ocr={state: ocr_states.get(state, 0) for state in ("pending", "done", "failed")},
        created=document.created.isoformat(),
        updated=document.updated.isoformat(),
        identifier_schemes=[
            {"canonical": i.canonical, "scheme": i.scheme, "origin": i.origin} for i in identifiers
        ],
        repository=document.repository,
        record_group=document.record_group,
        series=document.series,
        box=document.box,
        folder=document.folder,
        item=document.item,
        date_source=document.date_source,
        frames=frames,
    )
