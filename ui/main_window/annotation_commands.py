"""Annotating from the window: highlight what is selected or dragged over, notes on a page
or a mark, bookmarks, deleting; every one a write, undoable."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QAction

from reader.annotations import AnnotationError, clip_to_page, merge_line_boxes
from reader.hitboxes import selected_text
from reader.records import AnnotationInfo
from ui.changes import Changes
from ui.document_view import DocumentView
from ui.note_dialog import NoteDialog
from ui.workers import WriteOp

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

HIGHLIGHT_COLOURS = [("Yellow", "#ffe066"), ("Green", "#8fd18f"), ("Blue", "#8fc1ff"),
                     ("Pink", "#ff9ecf")]  # fmt: skip


class AnnotationCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.library = window.library
        self.annotator = window.annotator
        self.colour_actions: list[QAction] = []
        for name, colour in HIGHLIGHT_COLOURS:
            action = QAction(name, window, checkable=True)
            action.triggered.connect(partial(self.set_colour, colour))
            self.colour_actions.append(action)
        self.colour_actions[0].setChecked(True)

    def set_colour(self, colour: str) -> None:
        self.annotator.colour = colour
        for action, (_, value) in zip(self.colour_actions, HIGHLIGHT_COLOURS, strict=True):
            action.setChecked(value == colour)

    def _not_annotated(self, error: Exception) -> None:
        self.window.show_message(f"Not annotated: {error}")

    def annotate_region(self, view: DocumentView, page: int, box: list[float]) -> None:
        """A dragged rectangle: the words in it highlighted, or, on a picture, the area."""
        if view.info is None:
            return
        doc, colour, library = view.info.id, self.annotator.colour, self.library

        def make() -> AnnotationInfo:
            info = library.page(doc, page)
            size = (info.width, info.height)
            words, text = selected_text(info.words, box)
            if not words:
                area = clip_to_page([box], size)
                if not area:
                    raise AnnotationError("the rectangle is outside the page")
                return library.annotate(doc, page, kind="area", rects=area, color=colour)
            rects = clip_to_page(merge_line_boxes([[float(v) for v in w[:4]] for w in words]), size)
            return library.annotate(
                doc, page, kind="highlight", rects=rects, text=text, color=colour
            )

        self.annotator.add(make, self._not_annotated)

    def highlight_selection(self) -> None:
        view = self.window.active
        selection = view.text_selection()
        if view.info is None or selection is None:
            self.window.show_message(
                "Select text in an article to highlight it, or drag over a page"
            )
            return
        doc, (page, text), colour = view.info.id, selection, self.annotator.colour
        self.annotator.add(
            lambda: self.library.annotate(doc, page, quote=text, color=colour),
            self._not_annotated,
        )

    def add_page_note(self) -> None:
        view = self.window.active
        if view.info is None:
            return
        doc, page = view.info.id, view.current_page()
        dialog = NoteDialog(f"Note on page {page}", "", "", self.window)
        if dialog.exec() == NoteDialog.DialogCode.Accepted and dialog.note().strip():
            note = dialog.note()
            self.annotator.add(
                lambda: self.library.annotate(doc, page, kind="note", note=note),
                self._not_annotated,
            )

    def bookmark_page(self) -> None:
        view = self.window.active
        if view.info is None:
            return
        doc, page = view.info.id, view.current_page()
        self.annotator.add(
            lambda: self.library.annotate(doc, page, kind="bookmark", note=f"Page {page}"),
            self._not_annotated,
        )

    def selected_annotation(self) -> AnnotationInfo | None:
        return (
            self.window.active.selected_annotation()
            or self.window.citations_panel.selected_annotation()
        )

    def edit_selected_note(self) -> None:
        annotation = self.selected_annotation()
        if annotation is None:
            self.window.show_message("Click a highlight or a note first")
            return
        self.edit_note(annotation)

    def edit_note(self, annotation: AnnotationInfo) -> None:
        current = next(
            (a for a in self.library.annotations(annotation.doc) if a.id == annotation.id),
            annotation,
        )
        dialog = NoteDialog(
            f"Note ({current.kind}, page {current.page})", current.text, current.note, self.window
        )
        view = self.window.active
        passage = view.annotation_rect(current) if view.info is not None else None
        centre = self.window.geometry().center()
        dialog.place_beside(passage or QRect(centre, QSize(1, 1)),
                            self.window.screen().availableGeometry())  # fmt: skip
        if dialog.exec() == NoteDialog.DialogCode.Accepted:
            self.annotator.edit_note(current, dialog.note())

    def share_selected(self) -> None:
        """The selected annotation shared with every reader of the library, or (shared
        already) made its maker's own again; only its maker may."""
        annotation = self.selected_annotation()
        if annotation is None:
            self.window.show_message("Click an annotation first")
            return
        shared, library = not annotation.shared, self.library

        def done(changed: AnnotationInfo) -> None:
            self.window.active.select_annotation(changed)
            self.window.show_message(
                f"The {changed.kind} is shared: every reader sees it and finds its note"
                if changed.shared
                else f"The {changed.kind} is yours alone again"
            )

        self.window.ops.run(
            WriteOp(
                "Share annotation",
                lambda _progress: library.share_annotation(annotation.id, shared),
                lambda changed: Changes.of(annotations=[changed.doc]),
                done,
                lambda error: self.window.show_message(f"Not shared: {error}"),
            )
        )

    def delete_selected(self) -> None:
        annotation = self.selected_annotation()
        if annotation is None:
            self.window.show_message("Click an annotation first")
            return
        self.annotator.delete(annotation)
        self.window.active.select_annotation(None)
        self.window.show_message(f"Deleted the {annotation.kind}; Undo brings it back")
