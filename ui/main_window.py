"""The main window: library and search on the left, the reader in the middle (an article
beside the primary page it cites), citations on the right; long work in the status bar."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QWidget,
)

from reader.annotations import AnnotationError, default_author, merge_line_boxes
from reader.export import ExportReport
from reader.hitboxes import words_in_box
from reader.library import Library, ReadOnlyLibrary
from reader.notes import as_csv, as_markdown
from reader.records import (
    AnnotationInfo,
    CitationInfo,
    CitingReference,
    DocumentInfo,
    ImportProgress,
    ImportReport,
    OcrProgress,
    OcrReport,
    SearchHit,
    SearchResult,
)
from ui.about import about_text
from ui.annotating import Annotator
from ui.citations_panel import ITEM_ROLE, CitationsPanel
from ui.document_view import DocumentView
from ui.library_panel import LibraryPanel
from ui.metadata_dialog import MetadataDialog
from ui.page_view import FitMode
from ui.palette import apply_palette
from ui.renderer import PageRenderer
from ui.search_panel import SearchPanel
from ui.workers import Job, JobRunner

MAX_RECENT = 8
HIGHLIGHT_COLOURS = [("Yellow", "#ffe066"), ("Green", "#8fd18f"), ("Blue", "#8fc1ff"),
                     ("Pink", "#ff9ecf")]  # fmt: skip
SEARCH_LIMIT = 200
FILE_FILTER = (
    "Documents (*.pdf *.tif *.tiff *.jpg *.jpeg *.png *.txt *.md *.html *.htm *.epub);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.setWindowTitle(f"Archive Reader — {library.folder}")
        self.setAcceptDrops(True)
        self.renderer = PageRenderer(library, self)
        self.jobs = JobRunner(parent=self)
        self.jobs.pool.setMaxThreadCount(4)
        self.long_job: Job | None = None
        self.article_citations: dict[int, CitationInfo] = {}
        self.annotator = Annotator(library, self)

        self.left = DocumentView(library, self.renderer, self.jobs, self)
        self.right = DocumentView(library, self.renderer, self.jobs, self)
        self.active = self.left
        self.reading = QSplitter(Qt.Orientation.Horizontal)
        self.reading.addWidget(self.left)
        self.reading.addWidget(self.right)
        self.reading.setChildrenCollapsible(False)
        self.right.hide()
        self.setCentralWidget(self.reading)

        self.library_panel = LibraryPanel()
        self.search_panel = SearchPanel()
        self.citations_panel = CitationsPanel()
        self.library_dock = self._dock(
            "Library", self.library_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.search_dock = self._dock(
            "Search", self.search_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.citations_dock = self._dock(
            "Citations", self.citations_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.resizeDocks([self.library_dock], [300], Qt.Orientation.Horizontal)
        self.library_dock.raise_()

        self.status_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the import or OCR; what is done stays done")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._show_progress(False)

        self._build_actions()
        self._build_menus()
        self._connect()
        self._restore_layout()
        self._apply_permissions()
        self.library_panel.set_documents(self.library.documents())
        QTimer.singleShot(0, self.refresh_gaps)  # once the window is up

    # Construction

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}-dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.import_files_action = self._action("&Import Files…", self.choose_files, "Ctrl+I")
        self.import_folder_action = self._action(
            "Import &Folder…", self.choose_folder, "Ctrl+Shift+I"
        )
        self.ocr_action = self._action("Run &OCR on Pending Pages", self.start_ocr, "Ctrl+Shift+O")
        self.open_library_action = self._action("&Open Library…", self.choose_library, key.Open)
        self.quit_action = self._action("&Quit", self.close, key.Quit)
        self.find_action = self._action("&Find in Document", self.focus_find, key.Find)
        self.find_next_action = self._action(
            "Find &Next", lambda: self.active.find_next(), key.FindNext
        )
        self.find_previous_action = self._action(
            "Find &Previous", lambda: self.active.find_previous(), key.FindPrevious
        )
        self.search_action = self._action("&Search All Pages", self.focus_search, "Ctrl+Shift+F")
        self.metadata_action = self._action("Document &Metadata…", self.edit_metadata, "Ctrl+E")
        self.zoom_in_action = self._action(
            "Zoom &In", lambda: self.active.pages.zoom_in(), key.ZoomIn
        )
        self.zoom_out_action = self._action(
            "Zoom &Out", lambda: self.active.pages.zoom_out(), key.ZoomOut
        )
        self.fit_width_action = self._action(
            "Fit &Width", lambda: self.active.pages.set_fit(FitMode.WIDTH), "Ctrl+2"
        )
        self.fit_page_action = self._action(
            "Fit &Page", lambda: self.active.pages.set_fit(FitMode.PAGE), "Ctrl+1"
        )
        self.rotate_action = self._action(
            "&Rotate View", lambda: self.active.pages.rotate(90), "Ctrl+]"
        )
        self.rotate_back_action = self._action(
            "Rotate View &Back", lambda: self.active.pages.rotate(-90), "Ctrl+["
        )
        self.goto_action = self._action("&Go to Page…", self.go_to_page, "Ctrl+G")
        self.page_text_action = self._action(
            "Page &Text", self.toggle_page_text, "Ctrl+T", checkable=True
        )
        self.next_citation_action = self._action(
            "Next &Citation", lambda: self.step_citation(True), "F8"
        )
        self.previous_citation_action = self._action(
            "Previous Cita&tion", lambda: self.step_citation(False), "Shift+F8"
        )
        self.close_compare_action = self._action("&Close Comparison", self.close_compare, "Ctrl+W")
        self.dark_action = self._action("&Dark Palette", self.toggle_dark, checkable=True)
        self.mine_action = self._action(
            "Only &My Annotations", self.toggle_only_mine, "Ctrl+Shift+M", checkable=True
        )
        self.about_action = self._action("&About Archive Reader", self.show_about)
        self.undo_action = self.annotator.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.redo_action = self.annotator.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(key.Redo))
        self.highlight_action = self._action(
            "&Highlight Selected Text", self.highlight_selection, "Ctrl+H"
        )
        self.page_note_action = self._action(
            "Add &Note to Page…", self.add_page_note, "Ctrl+Shift+N"
        )
        self.bookmark_action = self._action("&Bookmark Page", self.bookmark_page, "Ctrl+D")
        self.edit_note_action = self._action("&Edit Note…", self.edit_selected_note, "Ctrl+Return")
        self.delete_annotation_action = self._action(
            "&Delete Annotation", self.delete_selected_annotation, key.Delete
        )
        self.export_action = self._action("&Export Annotated PDF…", self.export_pdf, "Ctrl+Shift+E")
        self.export_cited_action = self._action(
            "Export with &Cited Pages…", lambda: self.export_pdf(with_cited=True)
        )
        self.export_notes_action = self._action("Export &Notes…", self.export_notes)
        self.colour_actions = [
            self._action(name, partial(self._set_colour, colour), checkable=True)
            for name, colour in HIGHLIGHT_COLOURS
        ]
        self.colour_actions[0].setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.import_files_action, self.import_folder_action, self.ocr_action])
        file_menu.addSeparator()
        file_menu.addActions(
            [self.export_action, self.export_cited_action, self.export_notes_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.open_library_action)
        self.recent_menu = QMenu("&Recent Libraries", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [self.find_action, self.find_next_action, self.find_previous_action, self.search_action]
        )
        edit_menu.addSeparator()
        edit_menu.addAction(self.metadata_action)
        annotate_menu = bar.addMenu("&Annotate")
        annotate_menu.addActions(
            [self.highlight_action, self.page_note_action, self.bookmark_action,
             self.edit_note_action, self.delete_annotation_action]
        )  # fmt: skip
        colours = annotate_menu.addMenu("Highlight &Colour")
        colours.addActions(self.colour_actions)
        view_menu = bar.addMenu("&View")
        view_menu.addActions(
            [
                self.zoom_in_action,
                self.zoom_out_action,
                self.fit_width_action,
                self.fit_page_action,
                self.rotate_action,
                self.rotate_back_action,
                self.goto_action,
                self.page_text_action,
            ]
        )
        view_menu.addSeparator()
        view_menu.addActions(
            [self.next_citation_action, self.previous_citation_action, self.close_compare_action]
        )
        view_menu.addSeparator()
        for dock in (self.library_dock, self.search_dock, self.citations_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.mine_action)
        view_menu.addAction(self.dark_action)
        bar.addMenu("&Help").addAction(self.about_action)

    def _connect(self) -> None:
        self.cancel_button.clicked.connect(self.cancel_long_job)
        self.library_panel.document_activated.connect(self.open_document)
        self.search_panel.search_requested.connect(self.search)
        self.search_panel.hit_activated.connect(self.open_hit)
        self.citations_panel.citation_activated.connect(self.follow_citation)
        self.citations_panel.reference_activated.connect(self.open_citing)
        self.citations_panel.annotation_activated.connect(self.go_to_annotation)
        self.annotator.changed.connect(self._annotations_changed)
        for view in (self.left, self.right):
            view.citation_clicked.connect(self.follow_citation)
            view.message.connect(self.show_message)
            view.pages.region_selected.connect(
                lambda page, box, v=view: self.annotate_region(v, page, box)
            )
            view.pages.annotation_activated.connect(self.edit_note)
        QApplication.instance().focusChanged.connect(self._track_active_view)  # type: ignore[union-attr]

    def _apply_permissions(self) -> None:
        """A read-only library (a public workstation) offers no import, OCR or edits; its
        annotations only when the reading room allows them."""
        writable = not self.library.read_only
        for action in (self.import_files_action, self.import_folder_action, self.ocr_action,
                       self.metadata_action):  # fmt: skip
            action.setEnabled(writable)
        self.setAcceptDrops(writable)
        annotating = self.library.annotations_allowed
        for action in (self.highlight_action, self.page_note_action, self.bookmark_action,
                       self.edit_note_action, self.delete_annotation_action):  # fmt: skip
            action.setEnabled(annotating)
        if not writable:
            self.setWindowTitle(f"{self.windowTitle()} (read-only)")

    # Settings

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.dark_action.setChecked(self.settings.value("view/dark", False, type=bool))  # type: ignore[arg-type]
        self._remember_library(self.library.folder)

    def _remember_library(self, folder: Path) -> None:
        recent = [str(folder)] + [p for p in self.recent_libraries() if p != str(folder)]
        self.settings.setValue("libraries/recent", recent[:MAX_RECENT])
        self.recent_menu.clear()
        for path in recent[:MAX_RECENT]:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.switch_library(Path(p)))

    def recent_libraries(self) -> list[str]:
        value = self.settings.value("libraries/recent", [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.long_job is not None:
            answer = QMessageBox.question(
                self,
                "Work in progress",
                f"{self.long_job.title} is still running. Stop it and quit? "
                "What is finished is kept; the rest resumes next time.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.jobs.cancel_all()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("view/dark", self.dark_action.isChecked())
        self.jobs.wait(30_000)
        self.renderer.pool.waitForDone(5_000)
        super().closeEvent(event)

    # Library

    def refresh_library(self) -> None:
        self.library_panel.set_documents(self.library.documents())
        self.refresh_gaps()

    def refresh_gaps(self) -> None:
        """The gaps list fills in the background: it needs the citation code and the index,
        which the window does not wait for."""

        def work(_job: Job) -> list[CitationInfo]:
            return self.library.gaps()

        self.jobs.start(Job("Gaps", work), self.citations_panel.set_gaps, self.show_error)

    def open_document(
        self, document: DocumentInfo | int | str, *, pane: DocumentView | None = None
    ) -> DocumentView:
        info = document if isinstance(document, DocumentInfo) else self.library.document(document)
        view = pane or (
            self.right if self.right.isVisible() and self.active is self.right else self.left
        )
        view.open(info)
        if view is self.left:
            self._show_citations_of(info)
        self.active = view
        self.library_panel.select(info.id)
        return view

    def _show_citations_of(self, info: DocumentInfo) -> None:
        self.citations_panel.set_annotations(
            self.library.annotations(info.id, author=self.left.author_filter)
        )
        citations = self.library.citations(info.id, with_boxes=False).citations
        self.article_citations = {c.id: c for c in citations}
        self.citations_panel.set_citations(citations)
        self.citations_panel.set_cited_by(self.library.cited_by(info.id))
        if citations:
            self.citations_panel.setCurrentIndex(0)
        elif self.citations_panel.cited_by.count():
            self.citations_panel.setCurrentIndex(1)

    def compare(self, article: str | int, primary: str | int) -> None:
        """The article on the left, the primary on the right at its first cited passage."""
        self.open_document(article, pane=self.left)
        target_id = self.library.resolve(primary)
        cited = [
            c for c in self.article_citations.values() if c.target and c.target.doc == target_id
        ]
        quotes = [c for c in cited if c.kind == "quote"]
        if quotes or cited:
            self.follow_citation((quotes or cited)[0])
        else:
            self.right.show()
            self.open_document(primary, pane=self.right)

    def follow_citation(self, citation: CitationInfo) -> None:
        """Mark the citation in the article; show its target page beside it, passage marked."""
        self.left.show_citation_in_article(citation)
        self.citations_panel.select_citation(citation.id)
        if citation.target is None:
            self.show_message(f"“{citation.text[:60]}” points at nothing in the archive (a gap)")
            return
        target = citation.target
        self.right.show()
        if self.right.info is None or self.right.info.id != target.doc:
            self.right.open(self.library.document(target.doc))
        boxes = target.boxes
        if not boxes and target.start is not None and target.end is not None:
            boxes = self.library.passage_boxes(target.doc, target.page, target.start, target.end)
        self.right.show_passage(target.page, target.start, target.end, boxes)
        self.show_message(
            f"{citation.kind} → {citation.identifier or target.title}, page {target.page} "
            f"(score {target.score:.2f})"
        )

    def open_citing(self, reference: CitingReference) -> None:
        """From a primary's "Cited by" list: the citing article left, this primary right."""
        primary = self.left.info
        self.open_document(reference.doc, pane=self.left)
        citation = self.article_citations.get(reference.citation)
        if citation is not None:
            self.follow_citation(citation)
        elif primary is not None:
            self.right.show()
            self.right.open(primary)

    def step_citation(self, forward: bool) -> None:
        citation = self.left.article.citation_near_cursor(forward)
        if citation is not None:
            self.follow_citation(citation)

    def close_compare(self) -> None:
        self.right.hide()
        self.active = self.left

    def _track_active_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        for view in (self.left, self.right):
            if new is not None and view.isAncestorOf(new):
                self.active = view

    # Search

    def search(self, query: str, kind: str, sort: str) -> None:
        def work(_job: Job) -> SearchResult:
            return self.library.search(query, limit=SEARCH_LIMIT, kind=kind or None, sort=sort)

        self.jobs.start(
            Job("Search", work), self.search_panel.show_result, self.search_panel.show_error
        )

    def open_hit(self, hit: SearchHit) -> None:
        view = self.open_document(
            hit.doc, pane=self.active if self.right.isVisible() else self.left
        )
        view.show_hit(hit)
        self.show_message(f"{hit.title}, page {hit.page}")

    # Import and OCR

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import files",
            self.settings.value("import/folder", str(Path.home())),  # type: ignore[arg-type]
            FILE_FILTER,
        )
        if paths:
            self.settings.setValue("import/folder", str(Path(paths[0]).parent))
            self.import_paths([Path(p) for p in paths])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            "Import a folder",
            self.settings.value("import/folder", str(Path.home())),  # type: ignore[arg-type]
        )
        if folder:
            self.settings.setValue("import/folder", folder)
            self.import_paths([Path(folder)])

    def import_paths(
        self, paths: Sequence[Path], *, kind: str | None = None, then_ocr: bool = True
    ) -> Job | None:
        if self._busy():
            return None

        def work(job: Job) -> ImportReport:
            def progress(p: ImportProgress) -> None:
                job.report(p.done, p.total, Path(p.path).name if p.path else "")

            return self.library.import_paths(
                paths, kind=kind, progress=progress, cancelled=job.cancelled
            )

        def done(report: ImportReport) -> None:
            self.refresh_library()
            self._report_import(report)
            if then_ocr and any(d.pages_needing_ocr for d in report.imported):
                self.start_ocr()

        return self._start_long(Job("Import", work), done)

    def _report_import(self, report: ImportReport) -> None:
        summary = (
            f"Imported {len(report.imported)}, skipped {len(report.skipped)}, "
            f"failed {len(report.failed)}"
        )
        if report.cancelled:
            summary += " (cancelled)"
        self.show_message(summary)
        problems = [f"{Path(f.path).name}: {f.error}" for f in report.failed]
        problems += [f"{Path(s.path).name}: {s.reason}" for s in report.skipped]
        if report.failed:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self)
            box.setInformativeText("Some files could not be imported; the rest were.")
            box.setDetailedText("\n".join(problems))
            box.open()

    def start_ocr(self) -> Job | None:
        if self._busy():
            return None

        def work(job: Job) -> OcrReport:
            def progress(p: OcrProgress) -> None:
                job.report(p.done, p.total, f"document {p.document_id}, page {p.page}")

            return self.library.run_ocr(progress=progress, cancelled=job.cancelled)

        def done(report: OcrReport) -> None:
            self.refresh_library()
            text = f"OCR: {report.pages_done} pages read"
            if report.pages_failed:
                text += f", {report.pages_failed} failed"
            if report.cancelled:
                text += " (stopped; the rest waits for the next run)"
            self.show_message(text)
            for view in (self.left, self.right):
                if view.info is not None and view.page_text.isVisible():
                    view._load_page_text(view.current_page())

        return self._start_long(Job("OCR", work), done)

    def _busy(self) -> bool:
        if self.long_job is None:
            return False
        self.show_message(f"{self.long_job.title} is running; wait for it or cancel it first")
        return True

    def _start_long(self, job: Job, done: Callable[[Any], None]) -> Job:
        self.long_job = job
        self._show_progress(True)
        self.progress.setRange(0, 0)
        self.status_label.setText(f"{job.title}…")
        job.signals.progress.connect(self._on_progress)

        def finished(result: Any) -> None:
            self._end_long()
            done(result)

        def failed(message: str) -> None:
            self._end_long()
            self.show_error(message)

        self.jobs.start(job, finished, failed)
        return job

    def _end_long(self) -> None:
        self.long_job = None
        self._show_progress(False)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.long_job is None:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(f"{self.long_job.title}: {done} of {total}  {text}")

    def _show_progress(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)
        self.cancel_button.setEnabled(shown)

    def cancel_long_job(self) -> None:
        if self.long_job is not None:
            self.long_job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(f"{self.long_job.title}: stopping after the current item…")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # Annotations

    def _set_colour(self, colour: str) -> None:
        self.annotator.colour = colour
        for action, (_, value) in zip(self.colour_actions, HIGHLIGHT_COLOURS, strict=True):
            action.setChecked(value == colour)

    def _annotate(self, make: Callable[[], AnnotationInfo]) -> AnnotationInfo | None:
        try:
            return self.annotator.add(make)
        except (AnnotationError, LookupError, ReadOnlyLibrary) as exc:
            self.show_message(f"Not annotated: {exc}")
            return None

    def annotate_region(self, view: DocumentView, page: int, box: list[float]) -> None:
        """A dragged rectangle: the words in it highlighted, or, on a picture, the area."""
        if view.info is None:
            return
        doc, colour = view.info.id, self.annotator.colour
        words = words_in_box(self.library.page(doc, page).words, box)
        if words:
            rects = merge_line_boxes([[float(v) for v in w[:4]] for w in words])
            text = " ".join(str(w[4]) for w in words)
            self._annotate(
                lambda: self.library.annotate(
                    doc, page, kind="highlight", rects=rects, text=text, color=colour
                )
            )
        else:
            self._annotate(
                lambda: self.library.annotate(doc, page, kind="area", rects=[box], color=colour)
            )

    def highlight_selection(self) -> None:
        view = self.active
        selection = view.text_selection()
        if view.info is None or selection is None:
            self.show_message("Select text in an article to highlight it, or drag over a page")
            return
        doc, (page, text), colour = view.info.id, selection, self.annotator.colour
        self._annotate(lambda: self.library.annotate(doc, page, quote=text, color=colour))

    def add_page_note(self) -> None:
        view = self.active
        if view.info is None:
            return
        note, ok = QInputDialog.getMultiLineText(
            self, "Note", f"Note on page {view.current_page()}:"
        )
        if ok and note.strip():
            doc, page = view.info.id, view.current_page()
            self._annotate(lambda: self.library.annotate(doc, page, kind="note", note=note))

    def bookmark_page(self) -> None:
        view = self.active
        if view.info is None:
            return
        doc, page = view.info.id, view.current_page()
        self._annotate(
            lambda: self.library.annotate(doc, page, kind="bookmark", note=f"Page {page}")
        )

    def selected_annotation(self) -> AnnotationInfo | None:
        selected = self.active.pages.selected_annotation
        if selected is None:
            item = self.citations_panel.notes.currentItem()
            data = item.data(ITEM_ROLE) if item is not None else None
            selected = data if isinstance(data, AnnotationInfo) else None
        return selected

    def edit_selected_note(self) -> None:
        annotation = self.selected_annotation()
        if annotation is not None:
            self.edit_note(annotation)

    def edit_note(self, annotation: AnnotationInfo) -> None:
        current = next(
            (a for a in self.library.annotations(annotation.doc) if a.id == annotation.id),
            annotation,
        )
        note, ok = QInputDialog.getMultiLineText(
            self, "Note", f"Note ({current.kind}, page {current.page}):", current.note
        )
        if ok:
            self.annotator.edit_note(current, note)

    def delete_selected_annotation(self) -> None:
        annotation = self.selected_annotation()
        if annotation is None:
            self.show_message("Click an annotation first")
            return
        self.annotator.delete(annotation)
        self.active.pages.selected_annotation = None
        self.show_message(f"Deleted the {annotation.kind}; Undo brings it back")

    def go_to_annotation(self, annotation: AnnotationInfo) -> None:
        view = self.left
        if view.info is None or view.info.id != annotation.doc:
            view = self.open_document(annotation.doc)
        view.pages.selected_annotation = annotation
        view.go_to_page(annotation.page)
        if view.is_paged() and annotation.rects:
            view.pages.go_to_page(annotation.page, annotation.rects[0])

    def _annotations_changed(self, doc: int) -> None:
        for view in (self.left, self.right):
            if view.info is not None and view.info.id == doc:
                view.reload_annotations()
        if self.left.info is not None and self.left.info.id == doc:
            self.citations_panel.set_annotations(
                self.library.annotations(doc, author=self.left.author_filter)
            )

    def export_pdf(self, *, with_cited: bool = False) -> None:
        info = self.active.info
        if info is None:
            self.show_message("Open a document to export it")
            return
        suggested = self.library.exports_folder / f"{info.title[:80]}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export annotated PDF", str(suggested), "PDF (*.pdf)"
        )
        if not path:
            return

        def work(_job: Job) -> ExportReport:
            return self.library.export(info.id, Path(path), with_cited=with_cited)

        def done(report: ExportReport) -> None:
            self.show_message(
                f"Exported {report.pages} pages, {report.annotations} annotations to {report.path}"
            )

        self.jobs.start(Job("Export", work), done, self.show_error)

    def export_notes(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export notes", str(self.library.exports_folder / "notes.md"),
            "Markdown (*.md);;CSV (*.csv)",
        )  # fmt: skip
        if not path:
            return
        rows = self.library.notes()
        text = as_csv(rows) if path.endswith(".csv") or "CSV" in chosen else as_markdown(rows)
        Path(path).write_text(text, encoding="utf-8")
        self.show_message(f"Wrote {len(rows)} notes to {path}")

    # Other commands

    def focus_find(self) -> None:
        self.active.find_box.setFocus()
        self.active.find_box.selectAll()

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.query_box.setFocus()
        self.search_panel.query_box.selectAll()

    def go_to_page(self) -> None:
        view = self.active
        if view.info is None:
            return
        page, ok = QInputDialog.getInt(
            self,
            "Go to page",
            f"Page (1–{view.info.pages}):",
            view.current_page(),
            1,
            max(view.info.pages, 1),
        )
        if ok:
            view.go_to_page(page)

    def toggle_page_text(self) -> None:
        self.active.text_button.setChecked(self.page_text_action.isChecked())

    def edit_metadata(self) -> None:
        info = self.active.info or self.library_panel.selected()
        if info is None:
            self.show_message("Open or select a document first")
            return
        dialog = MetadataDialog(info, self)
        if dialog.exec() != MetadataDialog.DialogCode.Accepted:
            return
        try:
            updated = self.library.update_metadata(info.id, dialog.changes())
        except ValueError as exc:
            self.show_error(f"Metadata not saved: {exc}")
            return
        self.refresh_library()
        for view in (self.left, self.right):
            if view.info is not None and view.info.id == updated.id:
                view.open(updated)
        self.show_message(f"Saved the metadata of “{updated.title}”")

    def choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Open a library folder", str(self.library.folder)
        )
        if folder:
            self.switch_library(Path(folder))

    def switch_library(self, folder: Path) -> None:
        """A library is opened in a fresh window so that no view holds the old one."""
        if self.long_job is not None:
            self.show_message("Wait for the running work to finish before switching libraries")
            return
        self.settings.setValue("libraries/last", str(folder))
        self._remember_library(folder)
        app = QApplication.instance()
        if app is not None:
            app.setProperty("switch_library", str(folder))
        self.close()

    def toggle_only_mine(self) -> None:
        """A shared workstation: this user's marks alone, or everyone's."""
        author = default_author() if self.mine_action.isChecked() else None
        for view in (self.left, self.right):
            view.author_filter = author
            view.reload_annotations()
        if self.left.info is not None:
            self.citations_panel.set_annotations(
                self.library.annotations(self.left.info.id, author=author)
            )

    def toggle_dark(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, self.dark_action.isChecked())

    def show_about(self) -> None:
        QMessageBox.about(self, "About Archive Reader", about_text(self.library))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_error(self, text: str) -> None:
        self.show_message(text)
        QMessageBox.warning(self, "Archive Reader", text)

    # For the screenshot and the tests

    def wait_until_idle(self, timeout_ms: int = 20_000) -> bool:
        """Process events until background jobs and page renders are done."""
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.start(timeout_ms)
        app = QApplication.instance()
        while deadline.isActive():
            assert app is not None
            app.processEvents()
            if not self.jobs.running and not self.renderer.busy():
                app.processEvents()
                if not self.jobs.running and not self.renderer.busy():
                    return True
            # Not pool.waitForDone() in a loop: each call in PySide6 6.12 drops a reference
            # to None, and enough of them crash the interpreter.
            time.sleep(0.01)
        return False
