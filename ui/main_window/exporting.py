"""Exports: an annotated PDF of a document (with the pages it cites), the notes as Markdown,
CSV or W3C Web Annotations (JSON-LD), and references for a reference manager (RIS or CSL-JSON).
The folder offered is the user's documents folder, then the last one used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from reader.export import ExportReport
from reader.notes import as_csv, as_markdown
from reader.reference_formats import SUFFIXES
from reader.references import ReferenceExport
from reader.web_annotations import SUFFIX as JSONLD_SUFFIX
from ui.changes import Changes
from ui.workers import WriteOp

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

FOLDER_SETTING = "export/folder"
UNSAFE = '<>:"/\\|?*'
NOTE_FORMATS = {  # the file dialog's filters, and the suffix that chooses each
    "markdown": ("Markdown (*.md)", ".md"),
    "csv": ("CSV (*.csv)", ".csv"),
    "webannotation": (f"Web Annotation, JSON-LD (*{JSONLD_SUFFIX})", JSONLD_SUFFIX),
}
RIS_FILTER = "RIS — Zotero, EndNote (*.ris)"
CSL_FILTER = "CSL-JSON — citeproc, pandoc (*.json)"


def safe_name(title: str) -> str:
    name = "".join("_" if c in UNSAFE or ord(c) < 32 else c for c in title).strip(". ")
    return name[:80] or "export"


def notes_format(path: Path, chosen_filter: str) -> str:
    """What to write: the file's suffix says, else the filter chosen in the dialog."""
    for name, (_label, suffix) in NOTE_FORMATS.items():
        if path.suffix.lower() == suffix:
            return name
    for name, (label, _suffix) in NOTE_FORMATS.items():
        if chosen_filter == label:
            return name
    return "markdown"


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class Exporting:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library

    def folder(self) -> Path:
        saved = self.window.settings.value(FOLDER_SETTING)
        return Path(str(saved)) if saved and Path(str(saved)).is_dir() else default_folder()

    def _ask(self, title: str, name: str, filters: str) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self.window, title, str(self.folder() / name), filters
        )
        if not path:
            return None
        self.window.settings.setValue(FOLDER_SETTING, str(Path(path).parent))
        return Path(path), chosen

    def export_pdf(self, *, with_cited: bool = False) -> None:
        info = self.window.active.info
        if info is None:
            self.window.show_message("Open a document to export it")
            return
        asked = self._ask("Export annotated PDF", f"{safe_name(info.title)}.pdf", "PDF (*.pdf)")
        if asked is None:
            return
        out = asked[0]

        def done(report: ExportReport) -> None:
            self.window.show_message(
                f"Exported {report.pages} pages, {report.annotations} annotations to {report.path}"
            )

        self.window.ops.run(
            WriteOp("Export", lambda _p: self.library.export(info.id, out, with_cited=with_cited),
                    lambda _r: Changes(), done)
        )  # fmt: skip

    def export_notes(self) -> None:
        filters = ";;".join(label for label, _suffix in NOTE_FORMATS.values())
        asked = self._ask("Export notes", "notes.md", filters)
        if asked is None:
            return
        path, chosen = asked
        chosen_format = notes_format(path, chosen)

        def work(_progress: object) -> tuple[int, list[str]]:
            if chosen_format == "webannotation":
                export = self.library.web_annotations()
                path.write_text(export.as_jsonld(), encoding="utf-8")
                return export.total, export.warnings
            rows = self.library.notes()
            text = as_csv(rows) if chosen_format == "csv" else as_markdown(rows)
            path.write_text(text, encoding="utf-8")
            return len(rows), []

        def done(result: tuple[int, list[str]]) -> None:
            count, warnings = result
            what = "annotation" if chosen_format == "webannotation" else "note"
            wrote = f"Wrote {counted(count, what)} to {path}"
            self.window.show_message(" ".join([wrote, *warnings]))

        self.window.ops.run(WriteOp("Export notes", work, lambda _r: Changes(), done))

    def export_references(self) -> None:
        """The documents selected in the library (else every primary document) as RIS or
        CSL-JSON, as the file's name or the dialog's filter says."""
        chosen = [d.id for d in self.window.library_panel.selected_documents()]
        what = f"{len(chosen)} selected" if chosen else "every primary document"
        asked = self._ask(
            f"Export references ({what})", "references.ris", f"{RIS_FILTER};;{CSL_FILTER}"
        )
        if asked is None:
            return
        path, fmt = reference_file(*asked)

        def done(export: ReferenceExport) -> None:
            self.window.show_message(f"Wrote {counted(export.count, 'reference')} to {export.path}")

        self.window.ops.run(
            WriteOp("Export references",
                    lambda _p: self.library.export_references(fmt, chosen, out=path),
                    lambda _r: Changes(), done)
        )  # fmt: skip


def counted(count: int, thing: str) -> str:
    """ "1 note", "2 notes"."""
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def reference_file(path: Path, chosen_filter: str) -> tuple[Path, str]:
    """The format the file's name asks for (.ris, .json), else the dialog's filter's; the
    file named for it when it has no such ending."""
    for fmt, suffix in SUFFIXES.items():
        if path.suffix.lower() == suffix:
            return path, fmt
    fmt = "csljson" if chosen_filter == CSL_FILTER else "ris"
    return path.with_name(path.name + SUFFIXES[fmt]), fmt
