"""Starting the desktop app: the QApplication, the settings, the library and the window;
or, with --screenshot, rendering the window offscreen into a PNG and exiting."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.catalog import CatalogError
from reader.library import (
    DocumentNotFound,
    Library,
    default_library_folder,
    read_only_requested,
)
from reader.locking import WindowLock
from reader.sample import import_sample
from ui.main_window import MainWindow
from ui.main_window.first_run import article_to_compare
from ui.palette import DARK_SETTING, apply_palette

ORGANIZATION = "ArchiveReader"
APPLICATION = "Archive Reader"
SCREEN_SIZE = (1366, 768)


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    return app


def settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def library_folder(args: argparse.Namespace, saved: QSettings) -> Path:
    chosen = getattr(args, "library", None)
    if chosen is not None:
        return Path(chosen)
    last = saved.value("libraries/last")
    return Path(str(last)) if last else default_library_folder()


def run(args: argparse.Namespace) -> int:
    app = application()
    saved = settings()
    apply_palette(app, bool(saved.value(DARK_SETTING, False, type=bool)))
    folder = library_folder(args, saved)
    read_only = read_only_requested(bool(getattr(args, "read_only", False)))
    while True:
        lock = WindowLock(folder.expanduser())
        if args.screenshot is None and not lock.acquire():
            if not confirm_second_window(folder, lock.holder()):
                return 1
            read_only = True
        try:
            library = Library(
                folder, getattr(args, "catalog", None), read_only=read_only,
                search=getattr(args, "search", None),
                annotations_allowed=saved.value("reading-room/annotations", True, type=bool),  # type: ignore[arg-type]
            )  # fmt: skip
        except CatalogError as exc:
            lock.release()
            QMessageBox.critical(None, APPLICATION, f"Cannot open the library {folder}:\n{exc}")
            return 1
        with library:
            if args.screenshot is not None:
                return screenshot(library, saved, args)
            window = MainWindow(library, saved)
            window.show()
            problem = start_window(window, args)
            if problem is not None:
                window.show_error(problem)
            show_view(window, args)
            app.setProperty("switch_library", None)
            app.exec()
        lock.release()
        switched = app.property("switch_library")
        if not switched:
            return 0
        folder, args.open, args.compare, args.sample = Path(switched), None, None, False
        args.view = None


def confirm_second_window(folder: Path, holder: str) -> bool:
    """Another window has this library: say so, and offer to open it read-only here."""
    who = f" (process {holder})" if holder else ""
    answer = QMessageBox.question(
        None, APPLICATION,
        f"The library {folder} is already open in another Archive Reader window{who}.\n\n"
        "Open it here read-only? You can read, search and annotate, but not import or edit.",
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def start_window(window: MainWindow, args: argparse.Namespace) -> str | None:
    """What a start does once the window shows: on an empty library with --sample, the first
    run (the sample imported, then its article beside its source); else what was asked for.
    The message when a document is not found."""
    library = window.library
    if args.sample and not library.read_only and not library.documents():
        window.first_run.start()
        return None
    return open_requested(window, args)


def open_requested(window: MainWindow, args: argparse.Namespace) -> str | None:
    """Open --open (beside --compare), or the --view asked for; the message when a document
    is not found."""
    try:
        if getattr(args, "view", None) == "compare":
            return show_comparison(window, args)
        if args.open and args.compare:
            window.compare(args.open, args.compare)
        elif args.open:
            window.open_document(args.open)
    except DocumentNotFound as exc:
        return str(exc)
    return None


def show_view(window: MainWindow, args: argparse.Namespace) -> None:
    """The view --view asks for, brought forward."""
    if getattr(args, "view", None) == "tree":
        window.show_archive_order()
        window.archive_tree.view.expandToDepth(2)
    elif getattr(args, "view", None) == "timeline":
        window.action("timeline").setChecked(True)
        window.toggle_timeline()


def show_comparison(window: MainWindow, args: argparse.Namespace) -> str | None:
    """`--view compare`: the article (--open, else the sample's, else the first that cites
    the archive) beside its first cited page, or beside --compare; the panes synced for this
    window (the saved choice is left alone). The message when there is nothing to compare."""
    window.navigation.set_synced(True, remember=False)
    if args.open and args.compare:
        window.compare(args.open, args.compare)
        return None
    article = (
        window.library.document(args.open) if args.open else article_to_compare(window.library)
    )
    if article is None:
        return "no article in the library cites a document of the archive"
    if not window.navigation.open_beside_first_citation(article):
        return f"{article.title}: none of its citations leads to a document of the archive"
    return None


def screenshot(library: Library, saved: QSettings, args: argparse.Namespace) -> int:
    """The window at 1366×768 with the requested documents, saved as a PNG."""
    if args.sample and not library.documents():
        import_sample(library)
    window = MainWindow(library, saved)
    window.resize(*SCREEN_SIZE)
    window.show()
    problem = open_requested(window, args)
    if problem is not None:
        print(f"archive-reader: {problem}", file=sys.stderr)
        return 1
    show_view(window, args)
    window.wait_until_idle()
    path = Path(args.screenshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        print(f"archive-reader: cannot write {path}", file=sys.stderr)
        return 1
    window.hide()  # not close(): a screenshot leaves the saved window layout alone
    window.jobs.wait(30_000)
    return 0
