"""Exports: an annotated PDF of a document (with the pages it cites), the notes as Markdown
or CSV, and references for a reference manager (RIS or CSL-JSON). The folder offered is the
user's documents folder, then the last one used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from reader.export import ExportReport
from reader.notes import as_csv, as_markdown
from reader.reference_formats import SUFFIXES
from reader.references import ReferenceExport
from ui.changes import Changes
from ui.workers import WriteOp

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

FOLDER_SETTING = "export/folder"
UNSAFE = '<>:"/\\|?*'
RIS_FILTER = "RIS — Zotero, EndNote (*.ris)"
CSL_FILTER = "CSL-JSON — citeproc, pandoc (*.json)"


def safe_name(title: str) -> str:
    name = "".join("_" if c in UNSAFE or ord(c) < 32 else c for c in title).strip(". ")
    return name[:80] or "export"


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
        asked = self._ask("Export notes", "notes.md", "Markdown (*.md);;CSV (*.csv)")
        if asked is None:
            return
        path, chosen = asked
        as_table = path.suffix.lower() == ".csv" or "CSV" in chosen

        def work(_progress: object) -> int:
            rows = self.library.notes()
            text = as_csv(rows) if as_table else as_markdown(rows)
            path.write_text(text, encoding="utf-8")
            return len(rows)

        self.window.ops.run(
            WriteOp("Export notes", work, lambda _r: Changes(),
                    lambda count: self.window.show_message(f"Wrote {count} notes to {path}"))
        )  # fmt: skip

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
            self.window.show_message(f"Wrote {export.count} references to {export.path}")

        self.window.ops.run(
            WriteOp("Export references",
                    lambda _p: self.library.export_references(fmt, chosen, out=path),
                    lambda _r: Changes(), done)
        )  # fmt: skip


def reference_file(path: Path, chosen_filter: str) -> tuple[Path, str]:
    """The format the file's name asks for (.ris, .json), else the dialog's filter's; the
    file named for it when it has no such ending."""
    for fmt, suffix in SUFFIXES.items():
        if path.suffix.lower() == suffix:
            return path, fmt
    fmt = "csljson" if chosen_filter == CSL_FILTER else "ris"
    return path.with_name(path.name + SUFFIXES[fmt]), fmt
