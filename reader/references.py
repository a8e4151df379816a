"""Documents as references for a reference manager (Zotero and the others): what each one is,
where it sits in the archive, the pages it is for and the researcher's notes on it, gathered
from the catalog as plain data. reader.reference_formats writes them as RIS or CSL-JSON."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from reader.annotations import annotations_of
from reader.models import Citation, Document, DocumentKind
from reader.records import AnnotationInfo, CitationTarget

# The parts of an archival place, and the name a part is given when its value is a bare
# number ("238" is "Record Group 238"); a value that names itself ("RG 238", "Box 7", "RH 26-118",
# "K. 12", "NOKW") is written as the archive writes it.
_PLACE_LABELS = (
    ("record_group", "Record Group"),
    ("series", "Series"),
    ("box", "Box"),
    ("folder", "Folder"),
    ("item", "Item"),
)


@dataclass(frozen=True)
class Reference:
    """One document as a reference manager's item."""

    doc: int
    kind: str  # primary (a manuscript in an archive) or secondary
    title: str
    authors: list[str]
    date: str  # as the catalog keeps it: "1943", "1943-03" or "1943-03-12"; "" for none
    languages: list[str]
    archive: str  # the repository
    archive_location: str  # record group, series, box, folder and item, readably joined
    call_number: str  # the document's identifiers
    identifiers: list[str]
    # The pages the reference is for (one exported, or those an article cites); empty: the
    # document as a whole.
    pages: list[int] = field(default_factory=list)
    # The researcher's notes, a line each, page by page: "p. 2: “quoted words” — the note".
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceExport:
    """What `refs` wrote: the format, how many references, of which documents, and where
    (`path`), or the text itself when it went to no file."""

    format: str
    count: int
    documents: list[int]
    path: str | None
    text: str | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def archive_location(parts: Mapping[str, str]) -> str:
    """The archival place as a researcher writes it: "Record Group 238, Series NOKW, Box 7"."""
    written = []
    for key, label in _PLACE_LABELS:
        value = " ".join(parts.get(key, "").split())
        if value:
            written.append(f"{label} {value}" if value[0].isdigit() else value)
    return ", ".join(written)


def page_label(pages: Sequence[int], dash: str = "–") -> str:
    """Pages as a locator: "5", "3, 5–7"."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}{dash}{r[-1]}" for r in runs)


def primary_documents(session: Session) -> list[int]:
    """Every primary document, in catalog order: what `refs` exports when no DOC is named."""
    query = select(Document.id).where(Document.kind == DocumentKind.PRIMARY.value)
    return list(session.scalars(query.order_by(Document.id)))


def cited_sources(session: Session, article: int) -> dict[int, list[int]]:
    """The documents an article's citations resolve to, in the order it first cites them,
    each with the pages it cites where a page was really named: a quoted passage found on
    its pages, or a locator. An identifier alone resolves to the document's first page,
    which says nothing, and gives no page."""
    citations = session.scalars(
        select(Citation)
        .where(Citation.document_id == article, Citation.target_document_id.is_not(None))
        .options(selectinload(Citation.pages))
        .order_by(Citation.start, Citation.id)
    )
    sources: dict[int, list[int]] = {}
    for citation in citations:
        assert citation.target_document_id is not None
        pages = sources.setdefault(citation.target_document_id, [])
        pages.extend(
            page for doc, page in _cited_pages(citation) if doc == citation.target_document_id
        )
    return {doc: sorted(set(pages)) for doc, pages in sources.items()}


def _cited_pages(citation: Citation) -> list[tuple[int, int]]:
    """The (document, page) pairs a citation names, or none if it names no page."""
    passage = citation.target_start is not None
    if not passage and (citation.target_page or 1) == 1:
        return []
    if citation.pages:
        return [(p.document_id, p.page) for p in citation.pages]
    assert citation.target_document_id is not None and citation.target_page is not None
    return [(citation.target_document_id, citation.target_page)]


def gather_references(
    session: Session,
    pages_of: Mapping[int, list[int]],
    *,
    notes_on_pages_only: bool = False,
    viewer: str | None = None,
) -> list[Reference]:
    """A reference for each document of `pages_of` (in its order), for the pages given. With
    `notes_on_pages_only`, a reference for pages carries only the notes on those pages;
    `viewer`: only the notes that reader may see (reader.annotations.visible_to)."""
    doc_ids = list(pages_of)
    documents = {
        d.id: d
        for d in session.scalars(
            select(Document)
            .where(Document.id.in_(doc_ids))
            .options(selectinload(Document.identifiers))
        )
    }
    annotations: dict[int, list[AnnotationInfo]] = {}
    for annotation in annotations_of(session, doc_ids, viewer=viewer):
        annotations.setdefault(annotation.doc, []).append(annotation)
    references = []
    for doc_id in doc_ids:
        pages = pages_of[doc_id]
        notes = annotations.get(doc_id, [])
        if notes_on_pages_only and pages:
            notes = [a for a in notes if a.page in pages]
        references.append(_reference(documents[doc_id], pages, notes))
    return references


def _reference(document: Document, pages: list[int], notes: list[AnnotationInfo]) -> Reference:
    identifiers = [i.canonical for i in document.identifiers]
    return Reference(
        doc=document.id,
        kind=document.kind,
        title=" ".join(document.title.split()),
        authors=[" ".join(str(a).split()) for a in document.authors if str(a).strip()],
        date=document.date,
        languages=list(document.languages),
        archive=" ".join(document.repository.split()),
        archive_location=archive_location({k: getattr(document, k) for k, _ in _PLACE_LABELS}),
        call_number="; ".join(identifiers),
        identifiers=identifiers,
        pages=list(pages),
        notes=[line for line in map(note_line, notes) if line],
    )


def note_line(annotation: AnnotationInfo) -> str:
    """An annotation as one line of a reference's notes: its page, the words it marks and
    its note ("" for a bookmark that says nothing)."""
    quoted = " ".join(annotation.text.split())
    note = " ".join(annotation.note.split())
    if not quoted and not note:
        return ""
    said = " — ".join(part for part in (f"“{quoted}”" if quoted else "", note) if part)
    return f"p. {annotation.page}: {said}"


def write_text_file(text: str, out: Path, originals: Iterable[str]) -> None:
    """Write an export whole (a temporary file renamed over `out`, so a reader never finds
    half of it), never over an original of the library."""
    from reader.export import ExportError

    # Links followed as far as they go: an original that became a link loop stays a name.
    if os.path.realpath(out) in {os.path.realpath(p) for p in originals}:
        raise ExportError(f"{out} is an original in the library; originals are never written")
    partial = out.with_name(f".{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8", newline="")
        os.replace(partial, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc


def original_paths(session: Session) -> list[str]:
    """Every original's path: no export is ever written over one."""
    return list(session.scalars(select(Document.source_path)))


def named_page(target: CitationTarget) -> int | None:
    """The page a resolved citation names, or None where it names none (an identifier alone
    resolves to the first page): the page its reference is for."""
    return target.page if target.start is not None or target.page != 1 else None
