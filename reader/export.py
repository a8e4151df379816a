"""Annotated PDF export: the request, what it reads from the library, and its report. The PDF
itself is built by reader.annotated_pdf, which the library loads on the first export (MuPDF
stays out of the app's start-up).

The export reads the catalog through ExportSource, the few library calls it makes: the
library satisfies it, and neither module needs to import reader.library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reader.notes import NoteRow
    from reader.records import AnnotationInfo, CiteResult, DocumentInfo, PageInfo


class ExportError(RuntimeError):
    """An export that cannot be written (an original in the way, a file gone, no room)."""


class ExportSource(Protocol):
    """What an export reads: documents, their pages, annotations and citations
    (reader.library.Library is one)."""

    def document(self, reference: str | int) -> DocumentInfo: ...

    def documents(self) -> list[DocumentInfo]: ...

    def page(self, reference: str | int, number: int) -> PageInfo: ...

    def page_texts(self, reference: str | int) -> list[str]: ...

    def annotations(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> list[AnnotationInfo]: ...

    def notes(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> list[NoteRow]: ...

    def citations(self, reference: str | int, *, with_boxes: bool = True) -> CiteResult: ...


@dataclass
class ExportReport:
    path: str
    pages: int = 0
    annotations: int = 0
    links: int = 0
    cited_pages: list[tuple[int, int]] = field(default_factory=list)


def export_target(source: ExportSource, reference: str | int, out: Path) -> DocumentInfo:
    """The document to export, once `out` is known to be a PDF that is not an original."""
    info = source.document(reference)
    if out.suffix.lower() != ".pdf":
        raise ExportError(
            f"the export is a PDF: name it *.pdf, not {out.name} "
            "(ALTO or hOCR: --format alto or --format hocr)"
        )
    refuse_original(source, out)
    return info


def refuse_original(source: ExportSource, out: Path) -> None:
    """ExportError if `out` is one of the library's originals, which are never written."""
    # Links followed as far as they go: an original that became a link loop stays a name.
    originals = {Path(os.path.realpath(d.path)) for d in source.documents()}
    if Path(os.path.realpath(out)) in originals:
        raise ExportError(f"{out} is an original in the library; originals are never written")
