"""“Copy Reference” on a document or a citation: the reference on the clipboard as a readable
line for a text (text/plain) and as RIS for a reference manager
(application/x-research-info-systems)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from reader.library import Library
from reader.reference_formats import RIS_MIME, as_ris, readable
from reader.references import Reference
from ui.workers import Operations, QueryOp

COPY_TEXT = "Copy &Reference"


def reference_mime(references: Sequence[Reference]) -> QMimeData:
    mime = QMimeData()
    mime.setText("\n".join(readable(r) for r in references))
    mime.setData(RIS_MIME, as_ris(references).encode("utf-8"))
    return mime


def copy_references(
    library: Library,
    ops: Operations,
    documents: Sequence[int],
    page: int | None = None,
    done: Callable[[str], None] | None = None,
) -> None:
    """Read the references in the background and put them on the clipboard; `done` is told
    what was copied, in a line for the status bar."""
    docs = list(dict.fromkeys(documents))

    def put(references: list[Reference]) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setMimeData(reference_mime(references))
        if done is not None:
            one = readable(references[0]) if len(references) == 1 else ""
            done(f"Copied {one}" if one else f"Copied {len(references)} references")

    ops.run(QueryOp("Copy reference", lambda _progress: library.references(docs, page=page), put))
