"""Importing one file into the catalog: hash, deduplicate, extract, record in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from reader.files import sha256_of
from reader.identifiers import FoundIdentifier, find_identifiers, identifiers_in_filename
from reader.ingest.base import DEFAULT_LIMITS, Extracted, IngestError, Limits
from reader.ingest.formats import SECONDARY_MEDIA_TYPES, extract
from reader.models import Document, DocumentKind, Identifier, OcrState, Page, TextSource
from reader.records import (
    FailedFile,
    ImportedDocument,
    ImportReport,
    MovedDocument,
    SkippedFile,
)


@dataclass(frozen=True)
class ImportOptions:
    kind: str | None = None
    collection: str = ""
    languages: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS


def import_file(
    session: Session, path: Path, options: ImportOptions, report: ImportReport
) -> int | None:
    """Import `path`, recording the outcome in `report`; the new document's id, if any."""
    shown = str(path)
    try:
        path = path.resolve()
        size = path.stat().st_size
        sha256 = sha256_of(path)
    except OSError as exc:
        report.failed.append(FailedFile(shown, f"cannot be read: {exc.strerror or exc}"))
        return None
    if _already_known(session, path, sha256, report):
        return None
    try:
        extracted = extract(path, options.limits)
    except IngestError as exc:
        if exc.skipped:
            report.skipped.append(SkippedFile(shown, str(exc)))
        else:
            report.failed.append(FailedFile(shown, str(exc)))
        return None
    document = _new_document(path, size, sha256, extracted, options)
    try:
        with session.begin():
            session.add(document)
    except SQLAlchemyError as exc:
        if isinstance(exc, IntegrityError) and _sha256_known(session, sha256):
            report.skipped.append(SkippedFile(shown, "already in the library (imported meanwhile)"))
        else:
            report.failed.append(FailedFile(shown, f"could not be recorded in the catalog: {exc}"))
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
        title=extracted.title or path.stem.replace("_", " "),
        kind=kind,
        source_path=str(path),
        size=size,
        sha256=sha256,
        media_type=extracted.media_type,
        page_count=len(extracted.pages),
        languages=list(options.languages) or extracted.languages,
        date=extracted.date,
        authors=extracted.authors,
        collection=options.collection,
    )
    document.identifiers = [
        Identifier(scheme=f.scheme, value=f.value, canonical=f.canonical, origin=origin)
        for f, origin in _own_identifiers(path, extracted, kind)
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
    return document


def default_kind(media_type: str) -> str:
    """Articles and books in HTML, Markdown or EPUB are secondary literature; the rest primary."""
    if media_type in SECONDARY_MEDIA_TYPES:
        return DocumentKind.SECONDARY.value
    return DocumentKind.PRIMARY.value


def _own_identifiers(
    path: Path, extracted: Extracted, kind: str
) -> list[tuple[FoundIdentifier, str]]:
    """The document's own identifiers: from its file name, and for a primary source from its
    first page (in a secondary source, identifiers on the first page are citations)."""
    found = [(f, "filename") for f in identifiers_in_filename(path.stem)]
    if kind == DocumentKind.PRIMARY and extracted.pages:
        found += [(f, "text") for f in find_identifiers(extracted.pages[0].text)]
    seen: set[str] = set()
    unique = []
    for item, origin in found:
        if item.canonical not in seen:
            seen.add(item.canonical)
            unique.append((item, origin))
    return unique
