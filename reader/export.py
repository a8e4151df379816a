"""Annotated PDF export: the request and its report. The PDF itself is built by
reader.annotated_pdf, loaded on the first export (MuPDF stays out of the app's start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library import Library


class ExportError(RuntimeError):
    """An export that cannot be written (an original in the way, a file gone, no room)."""


@dataclass
class ExportReport:
    path: str
    pages: int = 0
    annotations: int = 0
    links: int = 0
    cited_pages: list[tuple[int, int]] = field(default_factory=list)


def export_pdf(
    library: Library, reference: str | int, out: Path, *, with_cited: bool = False
) -> ExportReport:
    info = library.document(reference)
    if out.suffix.lower() != ".pdf":
        raise ExportError(f"the export is a PDF: name it *.pdf, not {out.name}")
    originals = {Path(d.path).resolve() for d in library.documents()}
    if out.resolve() in originals:
        raise ExportError(f"{out} is an original in the library; originals are never written")
    from reader.annotated_pdf import write_annotated_pdf

    return write_annotated_pdf(library, info, out, with_cited=with_cited)
