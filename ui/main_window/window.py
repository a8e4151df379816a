"""The main window: library and search on the left, the reader in the middle (an article
beside the primary page it cites), citations on the right; long work in the status bar.

The window lays things out and hands each command to the module that holds it; the panels
and views refresh themselves from the `Changes` each write ends with."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.library import Library
from ui.annotating import Annotator
from ui.archive_tree import ArchiveTreePanel
from ui.changes import Changes
from ui.citations_panel import CitationsPanel
from ui.document_view import DocumentView
from ui.hint_banner import HintBanner
from ui.library_panel import LibraryPanel
from ui.main_window.actions import ACTIONS, MENUS, TOOLBAR, allowed, build_actions
from ui.main_window.annotation_commands import AnnotationCommands
from ui.main_window.exporting import Exporting
from ui.main_window.first_run import FirstRun
from ui.main_window.importing import Importing
from ui.main_window.library_commands import LibraryCommands
from ui.main_window.navigation import Navigation
from ui.main_window.progress import LongWorkBar
from ui.renderer import PageRenderer
from ui.search_panel import SearchPanel
from ui.timeline import TimelinePanel
from ui.workers import Operations, Task

MESSAGE_MS = 8000
LIBRARY_DOCK_WIDTH = 360  # the library table's default columns, each readable at 1366×768


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.setWindowTitle(f"Archive Reader — {library.folder}")
        self.setAcceptDrops(True)
        self.ops = Operations(self)
        self.renderer = PageRenderer(library, self)
        self.annotator = Annotator(library, self.ops, self)

        self.left = DocumentView(library, self.renderer, self.ops, self)
        self.right = DocumentView(library, self.renderer, self.ops, self)
        self.active: DocumentView = self.left
        self.reading = QSplitter(Qt.Orientation.Horizontal)
        self.reading.addWidget(self.left)
        self.reading.addWidget(self.right)
        self.reading.setChildrenCollapsible(False)
        self.right.hide()
        self.hint = HintBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.hint)
        column.addWidget(self.reading, 1)
        self.setCentralWidget(central)

        self.library_panel = LibraryPanel(library, self.ops)
        self.archive_tree = ArchiveTreePanel(library, self.ops, self.annotator.undo_stack)
        self.search_panel = SearchPanel(library, self.ops)
        self.citations_panel = CitationsPanel(library, self.ops)
        # The archive's order above the flat table (View → Archive Order shows or hides it).
        self.library_split = QSplitter(Qt.Orientation.Vertical)
        self.library_split.addWidget(self.archive_tree)
        self.library_split.addWidget(self.library_panel)
        self.library_split.setChildrenCollapsible(False)
        self.library_split.setSizes([260, 420])
        self.library_dock = self._dock("Library", self.library_split)
        self.search_dock = self._dock("Search", self.search_panel)
        self.citations_dock = self._dock("Citations", self.citations_panel)
        self.timeline_panel = TimelinePanel(library, self.ops)
        self.timeline_dock = self._dock(
            "Timeline", self.timeline_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.timeline_dock.hide()  # View → Timeline; the saved layout may show it
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.resizeDocks([self.library_dock], [LIBRARY_DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.library_dock.raise_()

        self.progress: LongWorkBar = LongWorkBar(self.ops, self.statusBar(), self)
        self.navigation: Navigation = Navigation(self)
        self.importing: Importing = Importing(self)
        self.annotating: AnnotationCommands = AnnotationCommands(self)
        self.exporting: Exporting = Exporting(self)
        self.library_commands: LibraryCommands = LibraryCommands(self)
        self.first_run: FirstRun = FirstRun(self)
        self.named_actions = build_actions(self)
        for name, action in self.named_actions.items():
            setattr(self, f"{name}_action", action)  # window.search_action, for scripts
        self.undo_action = self.annotator.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.annotator.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.recent_menu = QMenu("&Recent Libraries", self)
        self._build_menus()
        self.toolbar = self._build_toolbar()
        self._connect()
        self._restore_layout()
        self._apply_permissions()
        QTimer.singleShot(0, self.citations_panel.refresh_gaps)  # once the window is up

    # Construction

    def _dock(
        self,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}-dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        menus = {title: self.menuBar().addMenu(f"&{title}") for title in MENUS}
        menus["Edit"].addActions([self.undo_action, self.redo_action])
        for spec in ACTIONS:
            menu = menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(self.named_actions[spec.name])
            if spec.name == "open_library":
                menu.addMenu(self.recent_menu)
            if spec.name == "delete_annotation":
                colours = menu.addMenu("Highlight &Colour")
                colours.addActions(self.annotating.colour_actions)
        view = menus["View"]
        view.addSeparator()
        for dock in (self.library_dock, self.search_dock, self.citations_dock):
            view.addAction(dock.toggleViewAction())

    def _build_toolbar(self) -> QToolBar:
        toolbar = self.addToolBar("View")
        toolbar.setObjectName("view-toolbar")  # its place is saved with the window's state
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in TOOLBAR:
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.named_actions[name])
        return toolbar

    def _connect(self) -> None:
        self.ops.failure.connect(self.show_error)
        self.library_panel.document_activated.connect(self.navigation.open_document)
        self.search_panel.hit_activated.connect(self.navigation.open_hit)
        panel = self.citations_panel
        panel.citation_activated.connect(self.navigation.follow_citation)
        panel.reference_activated.connect(self.navigation.open_citing)
        panel.annotation_activated.connect(self.navigation.go_to_annotation)
        panel.gap_activated.connect(self.navigation.open_gap)
        panel.message.connect(self.show_message)
        self.library_panel.message.connect(self.show_message)
        self.archive_tree.place_selected.connect(self.library_panel.set_place)
        self.archive_tree.place_selected.connect(self.search_panel.set_scope)
        self.archive_tree.message.connect(self.show_message)
        self.search_panel.scope_cleared.connect(lambda: self.archive_tree.select_place(()))
        self.timeline_panel.document_activated.connect(self.navigation.open_beside_article)
        self.timeline_panel.claim_activated.connect(self.navigation.show_article_date)
        self.timeline_dock.toggleViewAction().toggled.connect(
            self.named_actions["timeline"].setChecked
        )
        for view in (self.left, self.right):
            view.citation_clicked.connect(self.navigation.follow_citation)
            view.note_clicked.connect(self.navigation.follow_note)
            view.message.connect(self.show_message)
            view.pages.region_selected.connect(
                lambda page, box, v=view: self.annotating.annotate_region(v, page, box)
            )
            view.pages.annotation_activated.connect(self.annotating.edit_note)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._focus_changed)  # type: ignore[attr-defined]

    def _apply_permissions(self) -> None:
        """A read-only library (a public workstation) offers no import, OCR or edits; its
        annotations only when the reading room allows them."""
        writable = not self.library.read_only
        annotating = self.library.annotations_allowed
        for spec in ACTIONS:
            self.named_actions[spec.name].setEnabled(
                allowed(spec, writable=writable, annotating=annotating)
            )
        self.setAcceptDrops(writable)
        if not writable:
            self.setWindowTitle(f"{self.windowTitle()} (read-only)")

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        header = self.settings.value("library/header")
        if header is not None:
            self.library_panel.restore_columns(header)
        self.library_commands.restore()
        self.navigation.restore()

    # Compatibility with scripts and tests that drive the window

    @property
    def long_job(self) -> Task | None:
        return self.ops.long

    @property
    def jobs(self) -> Operations:
        return self.ops

    @property
    def cancel_button(self) -> QWidget:
        return self.progress.cancel_button

    def open_document(self, document: object, *, pane: DocumentView | None = None) -> DocumentView:
        return self.navigation.open_document(document, pane=pane)  # type: ignore[arg-type]

    def compare(self, article: str | int, primary: str | int) -> None:
        self.navigation.compare(article, primary)

    def import_paths(self, paths: list[Path], *, kind: str | None = None) -> Task | None:
        return self.importing.import_paths(paths, kind=kind)

    def refresh_library(self) -> None:
        """Everything read again, as after a change nobody described."""
        self.ops.announce(Changes.everything())

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # A slot of the window (a QObject), so that Qt disconnects it when the window goes.
        self.navigation.track_active_view(old, new)

    # Small commands that touch only the window's own parts

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def focus_library(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()
        self.library_panel.focus_filter()

    def show_archive_order(self, shown: bool = True, *, bring_forward: bool = True) -> None:
        """The archive tree shown above the library table (hidden: the whole library)."""
        self.named_actions["archive_order"].setChecked(shown)
        self.archive_tree.setVisible(shown)
        if shown and bring_forward:
            self.library_dock.show()
            self.library_dock.raise_()
        else:
            self.archive_tree.select_place(())

    def toggle_timeline(self) -> None:
        shown = self.named_actions["timeline"].isChecked()
        self.timeline_dock.setVisible(shown)
        if shown:
            self.timeline_dock.raise_()
            self.timeline_panel.view.setFocus()

    def toggle_page_text(self) -> None:
        self.active.show_text_pane(self.named_actions["page_text"].isChecked())

    def action(self, name: str) -> QAction:
        return self.named_actions[name]

    # Window events

    def closeEvent(self, event: QCloseEvent) -> None:
        running = self.ops.long
        if running is not None:
            answer = QMessageBox.question(
                self,
                "Work in progress",
                f"{running.title} is still running. Stop it and quit? "
                "What is finished is kept; the rest resumes next time.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.ops.cancel_all()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("library/header", self.library_panel.saved_columns())
        self.ops.wait(30_000)
        self.renderer.pool.waitForDone(5_000)
        self.search_panel.line_images.pool.waitForDone(5_000)
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importing.import_paths(paths)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def show_error(self, text: str) -> None:
        self.show_message(text)
        QMessageBox.warning(self, "Archive Reader", text)

    # For the screenshot and the tests

    def _idle(self) -> bool:
        return self.ops.idle() and not self.renderer.busy() and not self.search_panel.busy()

    def wait_until_idle(self, timeout_ms: int = 20_000) -> bool:
        """Process events until operations and page renders are done."""
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.start(timeout_ms)
        app = QApplication.instance()
        while deadline.isActive():
            assert app is not None
            app.processEvents()
            if self._idle():
                app.processEvents()
                if self._idle():
                    return True
            # Not pool.waitForDone() in a loop: each call in PySide6 6.12 drops a reference
            # to None, and enough of them crash the interpreter.
            time.sleep(0.01)
        return False
