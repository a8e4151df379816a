"""Every command of the window in one table (after Picard's action table): its text,
shortcut, menu, what it needs of the library, and its handler; built by one function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui.page_view import FitMode

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

Key = QKeySequence.StandardKey
Shortcut = QKeySequence.StandardKey | str | None


class Needs(Enum):
    NOTHING = "nothing"
    WRITING = "writing"  # a library open for writing: import, OCR, metadata
    ANNOTATING = "annotating"  # annotations allowed (also on some read-only workstations)


@dataclass(frozen=True)
class ActionSpec:
    name: str  # the action is window.actions[name], and window.<name>_action
    text: str
    menu: str  # File, Edit, Annotate, View, Help
    handler: Callable[[MainWindow], object]
    shortcut: Shortcut = None
    needs: Needs = Needs.NOTHING
    checkable: bool = False
    tip: str = ""
    separator_before: bool = False


ACTIONS: list[ActionSpec] = [
    # File
    ActionSpec("import_files", "&Import Files…", "File", lambda w: w.importing.choose_files(),
               "Ctrl+I", Needs.WRITING),
    ActionSpec("import_folder", "Import &Folder…", "File",
               lambda w: w.importing.choose_folder(), "Ctrl+Shift+I", Needs.WRITING),
    ActionSpec("ocr", "Run &OCR on Pending Pages", "File", lambda w: w.importing.start_ocr(),
               "Ctrl+Shift+O", Needs.WRITING),
    ActionSpec("export", "&Export Annotated PDF…", "File", lambda w: w.exporting.export_pdf(),
               "Ctrl+Shift+E", separator_before=True),
    ActionSpec("export_cited", "Export with &Cited Pages…", "File",
               lambda w: w.exporting.export_pdf(with_cited=True)),
    ActionSpec("export_notes", "Export &Notes…", "File", lambda w: w.exporting.export_notes()),
    ActionSpec("export_references", "Export &References…", "File",
               lambda w: w.exporting.export_references(),
               tip="The selected documents (else every primary document) as RIS or CSL-JSON "
                   "for Zotero and other reference managers"),
    ActionSpec("open_library", "&Open Library…", "File",
               lambda w: w.library_commands.choose_library(), Key.Open, separator_before=True),
    ActionSpec("quit", "&Quit", "File", lambda w: w.close(), Key.Quit, separator_before=True),
    # Edit
    ActionSpec("find", "&Find in Document", "Edit", lambda w: w.active.focus_find(), Key.Find,
               separator_before=True),
    ActionSpec("find_next", "Find &Next", "Edit", lambda w: w.active.find_next(), Key.FindNext),
    ActionSpec("find_previous", "Find &Previous", "Edit", lambda w: w.active.find_previous(),
               Key.FindPrevious),
    ActionSpec("search", "&Search All Pages", "Edit", lambda w: w.focus_search(), "Ctrl+Shift+F"),
    ActionSpec("filter_library", "Filter the &Library", "Edit", lambda w: w.focus_library(),
               "Ctrl+L"),
    ActionSpec("copy_reference", "Copy &Reference", "Edit",
               lambda w: w.library_commands.copy_reference(), "Ctrl+Shift+C",
               tip="The open document at the page shown (else the selected documents), as a "
                   "readable line and as RIS for a reference manager",
               separator_before=True),
    ActionSpec("metadata", "Document &Metadata…", "Edit",
               lambda w: w.library_commands.edit_metadata(), "Ctrl+E", Needs.WRITING),
    # Annotate
    ActionSpec("highlight", "&Highlight Selected Text", "Annotate",
               lambda w: w.annotating.highlight_selection(), "Ctrl+H", Needs.ANNOTATING),
    ActionSpec("page_note", "Add &Note to Page…", "Annotate",
               lambda w: w.annotating.add_page_note(), "Ctrl+Shift+N", Needs.ANNOTATING),
    ActionSpec("bookmark", "&Bookmark Page", "Annotate", lambda w: w.annotating.bookmark_page(),
               "Ctrl+D", Needs.ANNOTATING),
    ActionSpec("edit_note", "&Edit Note…", "Annotate",
               lambda w: w.annotating.edit_selected_note(), "Ctrl+Return", Needs.ANNOTATING),
    ActionSpec("delete_annotation", "&Delete Annotation", "Annotate",
               lambda w: w.annotating.delete_selected(), Key.Delete, Needs.ANNOTATING),
    ActionSpec("share_annotation", "S&hare Annotation with Everyone", "Annotate",
               lambda w: w.annotating.share_selected(), None, Needs.ANNOTATING,
               tip="Every reader of this library sees the selected annotation and finds its "
               "note by search (again: yours alone)"),
    # View
    ActionSpec("zoom_in", "Zoom &In", "View", lambda w: w.active.zoom_in(), Key.ZoomIn),
    ActionSpec("zoom_out", "Zoom &Out", "View", lambda w: w.active.zoom_out(), Key.ZoomOut),
    ActionSpec("fit_width", "Fit &Width", "View", lambda w: w.active.set_fit(FitMode.WIDTH),
               "Ctrl+2"),
    ActionSpec("fit_page", "Fit &Page", "View", lambda w: w.active.set_fit(FitMode.PAGE),
               "Ctrl+1"),
    ActionSpec("rotate", "&Rotate View", "View", lambda w: w.active.rotate(90), "Ctrl+]"),
    ActionSpec("rotate_back", "Rotate View &Back", "View", lambda w: w.active.rotate(-90),
               "Ctrl+["),
    ActionSpec("goto", "&Go to Page…", "View", lambda w: w.navigation.go_to_page(), "Ctrl+G"),
    ActionSpec("page_text", "Page &Text", "View", lambda w: w.toggle_page_text(), "Ctrl+T",
               checkable=True),
    ActionSpec("next_citation", "Next &Citation", "View",
               lambda w: w.navigation.step_citation(True), "F8", separator_before=True),
    ActionSpec("previous_citation", "Previous Cita&tion", "View",
               lambda w: w.navigation.step_citation(False), "Shift+F8"),
    ActionSpec("sync_panes", "S&ynced Panes", "View",
               lambda w: w.navigation.set_synced(w.action("sync_panes").isChecked()),
               "Ctrl+Shift+L", checkable=True,
               tip="Lock the two panes together: zoom one, the other follows; scroll the "
                   "article, the cited page follows; page the primary, the article follows"),
    ActionSpec("close_compare", "&Close Comparison", "View",
               lambda w: w.navigation.close_compare(), "Ctrl+W"),
    ActionSpec("archive_order", "&Archive Order", "View",
               lambda w: w.library_commands.toggle_archive_order(), checkable=True,
               tip="The library as the archive orders it: repository, record group, series, "
                   "box, folder; choose a place to list and search only its documents, drop "
                   "documents on one to file them there", separator_before=True),
    ActionSpec("timeline", "Time&line", "View", lambda w: w.toggle_timeline(), "Ctrl+Shift+T",
               checkable=True, separator_before=True,
               tip="The primary documents by date; with an article open, its dates beside "
                   "the documents of each date"),
    ActionSpec("mine", "Only &My Annotations", "View",
               lambda w: w.library_commands.toggle_only_mine(), "Ctrl+Shift+M", checkable=True,
               separator_before=True),
    ActionSpec("dark", "&Dark Palette", "View", lambda w: w.library_commands.toggle_dark(),
               checkable=True),
    # Help
    ActionSpec("getting_started", "&Getting Started", "Help",
               lambda w: w.library_commands.show_getting_started(), Key.HelpContents),
    ActionSpec("about", "&About Archive Reader", "Help",
               lambda w: w.library_commands.show_about()),
]  # fmt: skip

MENUS = ["File", "Edit", "Annotate", "View", "Help"]
# The toolbar's buttons, in order; None: a separator.
TOOLBAR = ["zoom_out", "zoom_in", "fit_width", "fit_page", None, "previous_citation",
           "next_citation", "sync_panes"]  # fmt: skip


def build_action(window: MainWindow, spec: ActionSpec) -> QAction:
    action = QAction(spec.text, window)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    action.setCheckable(spec.checkable)
    if spec.tip:
        action.setStatusTip(spec.tip)
    if spec.shortcut is not None:  # a toolbar button names its key
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{action.iconText()} ({key})")
    action.triggered.connect(lambda _checked=False, s=spec: s.handler(window))
    return action


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """Every action of the table, added to the window so that its shortcut works anywhere."""
    actions = {spec.name: build_action(window, spec) for spec in ACTIONS}
    window.addActions(list(actions.values()))
    return actions


def allowed(spec: ActionSpec, *, writable: bool, annotating: bool) -> bool:
    return {
        Needs.NOTHING: True,
        Needs.WRITING: writable,
        Needs.ANNOTATING: annotating,
    }[spec.needs]


def spec(name: str) -> ActionSpec:
    return next(s for s in ACTIONS if s.name == name)
