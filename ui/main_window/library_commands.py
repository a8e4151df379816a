"""Commands about the library and the app: metadata, switching libraries, the palette,
whose annotations show, and Help."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from reader.records import DocumentInfo
from ui.about import about_text
from ui.changes import Changes
from ui.help import getting_started_html
from ui.metadata_dialog import MetadataDialog
from ui.palette import DARK_SETTING, apply_palette
from ui.reference_copy import copy_references
from ui.workers import WriteOp

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

MAX_RECENT = 8
ARCHIVE_ORDER_SETTING = "view/archive-order"


class LibraryCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library
        self.settings = window.settings

    def restore(self) -> None:
        self.window.named_actions["dark"].setChecked(
            bool(self.settings.value(DARK_SETTING, False, type=bool))
        )
        self.remember_library(self.library.folder)
        shown = bool(self.settings.value(ARCHIVE_ORDER_SETTING, True, type=bool))
        self.window.show_archive_order(shown, bring_forward=False)

    # References

    def copy_reference(self) -> None:
        """The open document's reference at the page shown; else the documents selected in
        the library."""
        w = self.window
        if w.active.info is not None:
            documents, page = [w.active.info.id], w.active.current_page()
        else:
            documents, page = [d.id for d in w.library_panel.selected_documents()], None
        if not documents:
            w.show_message("Open or select a document first")
            return
        copy_references(self.library, w.ops, documents, page, done=w.show_message)

    # Metadata

    def edit_metadata(self) -> None:
        w = self.window
        info = w.active.info or w.library_panel.selected()
        if info is None:
            w.show_message("Open or select a document first")
            return
        dialog = MetadataDialog(info, w)
        if dialog.exec() != MetadataDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()

        def saved(updated: DocumentInfo) -> None:
            w.show_message(f"Saved the metadata of “{updated.title}”")

        def refused(error: Exception) -> None:
            w.show_error(f"Metadata not saved: {error}")

        w.ops.run(
            WriteOp(
                "Save metadata",
                lambda _progress: self.library.update_metadata(info.id, changes),
                lambda updated: Changes.of(documents=[updated.id], citations=True),
                saved,
                refused,
            )
        )

    # Libraries

    def recent_libraries(self) -> list[str]:
        value = self.settings.value("libraries/recent", [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []

    def remember_library(self, folder: Path) -> None:
        recent = [str(folder)] + [p for p in self.recent_libraries() if p != str(folder)]
        self.settings.setValue("libraries/recent", recent[:MAX_RECENT])
        menu = self.window.recent_menu
        menu.clear()
        for path in recent[:MAX_RECENT]:
            action = menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.switch_library(Path(p)))

    def choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Open a library folder", str(self.library.folder)
        )
        if folder:
            self.switch_library(Path(folder))

    def switch_library(self, folder: Path) -> None:
        """A library is opened in a fresh window so that no view holds the old one; the new
        window's panels read it whole, as after a catalog-wide change."""
        if self.window.ops.long is not None:
            self.window.show_message("Wait for the running work to finish first")
            return
        self.settings.setValue("libraries/last", str(folder))
        self.remember_library(folder)
        app = QApplication.instance()
        if app is not None:
            app.setProperty("switch_library", str(folder))
        self.window.close()

    # View

    def toggle_only_mine(self) -> None:
        """A shared workstation: this user's marks alone, or everyone's."""
        w = self.window
        author = w.library.user if w.named_actions["mine"].isChecked() else None
        for view in (w.left, w.right):
            view.set_author_filter(author)
        w.citations_panel.set_author_filter(author)

    def toggle_archive_order(self) -> None:
        shown = self.window.named_actions["archive_order"].isChecked()
        self.window.show_archive_order(shown)
        self.settings.setValue(ARCHIVE_ORDER_SETTING, shown)

    def toggle_dark(self) -> None:
        """Applied at once and remembered at once (not only when the window closes)."""
        dark = self.window.named_actions["dark"].isChecked()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, dark)
        self.settings.setValue(DARK_SETTING, dark)
        self.settings.sync()

    # Help

    def show_getting_started(self) -> None:
        box = QMessageBox(self.window)
        box.setWindowTitle("Getting Started")
        box.setText(getting_started_html())
        box.setIcon(QMessageBox.Icon.NoIcon)
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About Archive Reader", about_text(self.library))
