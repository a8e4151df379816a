"""Bringing documents in: files, folders and drops, then OCR of what needs it; each a long
write with progress and Cancel, ending with what it changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.records import ImportProgress, ImportReport, OcrProgress, OcrReport
from reader.sample import SampleReport, import_sample
from ui.changes import Changes
from ui.workers import Progress, Task, WriteOp

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

FILE_FILTER = (
    "Documents (*.pdf *.tif *.tiff *.jpg *.jpeg *.png *.txt *.md *.html *.htm *.epub);;"
    "All files (*)"
)


def import_changes(report: ImportReport) -> Changes:
    return Changes.of(documents=[d.id for d in report.imported], citations=True, catalog=True)


def ocr_changes(report: OcrReport) -> Changes:
    done = {f.doc for f in report.failures} | set(report.documents)
    return Changes.of(documents=done, texts=done, citations=True)


class Importing:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library
        self.ops = window.ops

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Import files", self._last_folder(), FILE_FILTER
        )
        if paths:
            self.window.settings.setValue("import/folder", str(Path(paths[0]).parent))
            self.import_paths([Path(p) for p in paths])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Import a folder", self._last_folder()
        )
        if folder:
            self.window.settings.setValue("import/folder", folder)
            self.import_paths([Path(folder)])

    def _last_folder(self) -> str:
        return str(self.window.settings.value("import/folder", str(Path.home())))

    def _busy(self) -> bool:
        running = self.ops.long
        if running is None:
            return False
        self.window.show_message(f"{running.title} is running; wait for it or cancel it first")
        return True

    def import_paths(
        self, paths: Sequence[Path], *, kind: str | None = None, then_ocr: bool = True
    ) -> Task | None:
        if self._busy():
            return None

        def work(progress: Progress) -> ImportReport:
            def report(p: ImportProgress) -> None:
                progress.report(p.done, p.total, Path(p.path).name if p.path else "")

            return self.library.import_paths(
                paths, kind=kind, progress=report, cancelled=progress.cancelled
            )

        def done(report: ImportReport) -> None:
            self._report_import(report)
            if then_ocr and any(d.pages_needing_ocr for d in report.imported):
                self.start_ocr()

        return self.ops.run(WriteOp("Import", work, import_changes, done, long=True))

    def import_sample(self, then: Callable[[], object] | None = None) -> Task | None:
        """The bundled sample collection, imported and read, for a first run; `then`, once it
        is in."""
        if self._busy():
            return None

        def work(progress: Progress) -> SampleReport:
            return import_sample(
                self.library,
                progress=lambda p: progress.report(p.done, p.total, Path(p.path).name),
                cancelled=progress.cancelled,
                ocr_progress=lambda p: progress.report(p.done, p.total, "pages read (OCR)"),
            )

        def done(_report: SampleReport) -> None:
            self.window.show_message(
                "The sample collection is ready: open article.html in the library"
            )
            if then is not None:
                then()

        return self.ops.run(
            WriteOp("Importing the sample collection", work, lambda _r: Changes.everything(),
                    done, long=True)
        )  # fmt: skip

    def _report_import(self, report: ImportReport) -> None:
        summary = (
            f"Imported {len(report.imported)}, skipped {len(report.skipped)}, "
            f"failed {len(report.failed)}"
        )
        if report.cancelled:
            summary += " (cancelled)"
        self.window.show_message(summary)
        problems = [f"{Path(f.path).name}: {f.error}" for f in report.failed]
        problems += [f"{Path(s.path).name}: {s.reason}" for s in report.skipped]
        if report.failed:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self.window)
            box.setInformativeText("Some files could not be imported; the rest were.")
            box.setDetailedText("\n".join(problems))
            box.open()

    def start_ocr(self) -> Task | None:
        if self._busy():
            return None

        def work(progress: Progress) -> OcrReport:
            def report(p: OcrProgress) -> None:
                progress.report(p.done, p.total, f"document {p.document_id}, page {p.page}")

            return self.library.run_ocr(progress=report, cancelled=progress.cancelled)

        def done(report: OcrReport) -> None:
            text = f"OCR: {report.pages_done} pages read"
            if report.pages_failed:
                text += f", {report.pages_failed} failed"
            if report.cancelled:
                text += " (stopped; the rest waits for the next run)"
            self.window.show_message(text)

        return self.ops.run(WriteOp("OCR", work, ocr_changes, done, long=True))
