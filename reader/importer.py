"""Importing one file into the catalog: hash, deduplicate, extract, record in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from reader.catalog import busy_message, is_busy
from reader.dates import date_from_filename, date_from_text
from reader.files import readable_name, sha256_of
from reader.identifiers import FoundIdentifier, find_identifiers, identifiers_in_filename
from reader.ingest.base import DEFAULT_LIMITS, Extracted, Limits
from reader.ingest.formats import SECONDARY_MEDIA_TYPES
from reader.languages import detect_languages
from reader.metadata import InvalidMetadata, apply_changes, frames_from_texts
from reader.models import (
    CitingState,
    Document,
    DocumentKind,
    Identifier,
    OcrState,
    Page,
    TextSource,
)
from reader.reading import FileOutcome, Reading, extracted_reading, regular_file
from reader.records import (
    FailedFile,
    ImportedDocument,
    ImportReport,
    MetadataChanges,
    MovedDocument,
    SkippedFile,
)
from reader.schemes import SchemeTable


@dataclass(frozen=True)
class ImportOptions:
    kind: str | None = None
    collection: str = ""
    languages: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    schemes: SchemeTable | None = None  # the library's identifier schemes (None: built in)


def import_file(
    session: Session,
    path: Path,
    options: ImportOptions,
    report: ImportReport,
    metadata: MetadataChanges | None = None,
    *,
    shown: str | None = None,
) -> int | None:
    """Import `path`, recording the outcome in `report`; the new document's id, if any.
    `metadata` (a metadata CSV's row, --identifier) is applied to the new document in the
    same transaction: a document is recorded with it or not at all. `shown`: how the report
    names the file (a row of a CSV), by default its path."""
    shown = shown or str(path)
    found = regular_file(path, shown)
    if not isinstance(found, tuple):
        return record_file(session, found, options, report, metadata, shown=shown)
    target, size = found
    try:
        sha256 = sha256_of(target)
    except OSError as exc:
        report.failed.append(FailedFile(shown, f"cannot be read: {exc.strerror or exc}"))
        return None
    # The catalog is asked before the file is read: a file already there is not extracted.
    return record_file(session, Reading(target, size, sha256), options, report, metadata,
                       shown=shown)  # fmt: skip


def record_file(
    session: Session,
    reading: FileOutcome,
    options: ImportOptions,
    report: ImportReport,
    metadata: MetadataChanges | None = None,
    *,
    shown: str,
) -> int | None:
    """Record a file read by `read_file` (here or in a helper process) in the catalog, as
    `import_file` does; the new document's id, if any."""
    if isinstance(reading, FailedFile):
        report.failed.append(reading)
        return None
    if isinstance(reading, SkippedFile):
        report.skipped.append(reading)
        return None
    path, size, sha256 = reading.path, reading.size, reading.sha256
    try:
        if _already_known(session, path, sha256, report):
            return None
    except SQLAlchemyError as exc:
        report.failed.append(FailedFile(shown, not_recorded(exc)))
        return None
    if reading.extracted is None and not reading.error:
        # Not read yet: the catalog had its hash when it was read ahead (and no longer has).
        reading = extracted_reading(reading, options.limits)
    if reading.error:
        if reading.error_skipped:
            report.skipped.append(SkippedFile(shown, reading.error))
        else:
            report.failed.append(FailedFile(shown, reading.error))
        return None
    extracted = reading.extracted
    assert extracted is not None
    document = _new_document(path, size, sha256, extracted, options)
    try:
        with session.begin():
            session.add(document)
            if metadata is not None:
                apply_changes(session, document, metadata, options.schemes)
    except InvalidMetadata as exc:
        report.failed.append(FailedFile(shown, str(exc)))
        return None
    except SQLAlchemyError as exc:
        if isinstance(exc, IntegrityError) and _sha256_known(session, sha256):
            report.skipped.append(SkippedFile(shown, "already in the library (imported meanwhile)"))
        else:
            report.failed.append(FailedFile(shown, not_recorded(exc)))
        return None
    report.imported.append(
        ImportedDocument(
            id=document.id,
            title=document.title,
            path=document.source_path,
            kind=document.kind,
            pages=document.page_count,
            identifiers=[i.canonical for i in document.identifiers],
            pages_needing_ocr=sum(p.needs_ocr for p in extracted.pages),
        )
    )
    return document.id


def not_recorded(exc: SQLAlchemyError) -> str:
    """Why a file is not in the catalog, in one line: a catalog held by another program past
    the busy timeout says so (and that importing again will do)."""
    if is_busy(exc):
        return f"could not be recorded in the catalog: {busy_message()}; import it again"
    return f"could not be recorded in the catalog: {exc}"


def _sha256_known(session: Session, sha256: str) -> bool:
    with session.begin():
        return session.scalar(select(Document.id).where(Document.sha256 == sha256)) is not None


def _already_known(session: Session, path: Path, sha256: str, report: ImportReport) -> bool:
    with session.begin():
        existing = session.scalars(select(Document).where(Document.sha256 == sha256)).first()
        if existing is None:
            return False
        if existing.source_path == str(path):
            reason = f"already in the library as document {existing.id}"
        elif not Path(existing.source_path).exists():
            report.moved.append(MovedDocument(existing.id, existing.source_path, str(path)))
            existing.source_path = str(path)
            reason = f"already in the library as document {existing.id}; moved here, path updated"
        else:
            reason = (
                f"same content as document {existing.id} ({existing.source_path}); "
                "not imported twice"
            )
    report.skipped.append(SkippedFile(str(path), reason))
    return True


def _new_document(
    path: Path, size: int, sha256: str, extracted: Extracted, options: ImportOptions
) -> Document:
    kind = options.kind or default_kind(extracted.media_type)
    document = Document(
        title=extracted.title or readable_name(path.stem).replace("_", " "),
        kind=kind,
        source_path=str(path),
        size=size,
        sha256=sha256,
        media_type=extracted.media_type,
        page_count=len(extracted.pages),
        # Set on import (--lang), else the file's own (EPUB, HTML), else read from its text;
        # a scan's is read from its text once OCR has it (guess_from_pages).
        languages=list(options.languages)
        or extracted.languages
        or detect_languages([page.text for page in extracted.pages]),
        authors=extracted.authors,
        collection=options.collection,
        citing_state=CitingState.of_new(kind),  # recorded with the document: see CitingState
    )
    document.date, document.date_source = guess_date(path, extracted, kind)
    document.identifiers = [
        Identifier(scheme=f.scheme, value=f.value, canonical=f.canonical, origin=origin)
        for f, origin in _own_identifiers(path, extracted, kind, options.schemes)
    ]
    document.pages = [
        Page(
            number=number,
            text=page.text,
            text_source=TextSource.EMBEDDED if page.text else TextSource.NONE,
            ocr_state=OcrState.PENDING if page.needs_ocr else OcrState.NOT_NEEDED,
            width=page.width,
            height=page.height,
        )
        for number, page in enumerate(extracted.pages, start=1)
    ]
    if kind == DocumentKind.PRIMARY:
        frames = frames_from_texts([page.text for page in extracted.pages])
        for page, frame in zip(document.pages, frames or [], strict=False):
            page.frame = frame
    return document


def guess_date(path: Path, extracted: Extracted, kind: str) -> tuple[str, str]:
    """A new document's date and where it came from: its file name ("1943-03-17"), the
    file's own metadata (a PDF's date, source ""), or for a primary source the first lines
    of its first page (a letterhead's "11 March 1943"). The guesses wait for confirmation."""
    from_name = date_from_filename(path.stem)
    if from_name:
        return from_name, "filename"
    if extracted.date:
        return extracted.date, ""
    if kind == DocumentKind.PRIMARY and extracted.pages:
        from_text = date_from_text(extracted.pages[0].text)
        if from_text:
            return from_text, "text"
    return "", ""


def default_kind(media_type: str) -> str:
    """Articles and books in HTML, Markdown or EPUB are secondary literature; the rest primary."""
    if media_type in SECONDARY_MEDIA_TYPES:
        return DocumentKind.SECONDARY.value
    return DocumentKind.PRIMARY.value


def _own_identifiers(
    path: Path, extracted: Extracted, kind: str, schemes: SchemeTable | None
) -> list[tuple[FoundIdentifier, str]]:
    """The document's own identifiers: from its file name, and for a primary source from its
    first page (in a secondary source, identifiers on the first page are citations)."""
    found = [(f, "filename") for f in identifiers_in_filename(path.stem, schemes=schemes)]
    if kind == DocumentKind.PRIMARY and extracted.pages:
        first = extracted.pages[0].text
        found += [(f, "text") for f in find_identifiers(first, schemes=schemes)]
    seen: set[str] = set()
    unique = []
    for item, origin in found:
        if item.canonical not in seen:
            seen.add(item.canonical)
            unique.append((item, origin))
    return unique


def guess_from_pages(session: Session, document: Document) -> bool:
    """After OCR, what a primary source's read pages tell that its file did not: the date in
    its letterhead and the microfilm frames printed on it. Nothing the user set or a guess
    already made is replaced; of any document, its languages read from the text when it has
    none. Whether anything changed."""
    if not document.pages:
        return False
    changed = False
    texts = [page.text for page in document.pages]
    if not document.languages:
        detected = detect_languages(texts)
        if detected:
            document.languages = detected
            changed = True
    if document.kind != DocumentKind.PRIMARY:
        return changed
    if not document.date and not document.date_source:
        from_text = date_from_text(texts[0])
        if from_text:
            document.date, document.date_source = from_text, "text"
            changed = True
    if all(page.frame is None for page in document.pages):
        frames = frames_from_texts(texts)
        if frames is not None:
            for page, frame in zip(document.pages, frames, strict=True):
                page.frame = frame
            changed = True
    return changed
