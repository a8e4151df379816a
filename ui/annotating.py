"""Annotating in the app: each change is saved to the catalog at once and pushed on an undo
stack, so that Edit → Undo takes it back (and Redo puts it back) in the catalog too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reader.library import Library
from reader.records import AnnotationInfo

Changed = Callable[[int], None]  # told the document whose annotations changed


class _Add(QUndoCommand):
    def __init__(self, annotator: Annotator, make: Callable[[], AnnotationInfo]) -> None:
        super().__init__("Add annotation")
        self.annotator, self.make = annotator, make
        self.made: AnnotationInfo | None = None

    def redo(self) -> None:
        if self.made is None:
            self.made = self.make()
        else:  # redo after an undo: the same annotation, under its old id
            self.made = self.annotator.library.restore_annotation(self.made)
        self.setText(f"Add {self.made.kind}")
        self.annotator.changed.emit(self.made.doc)

    def undo(self) -> None:
        assert self.made is not None
        self.made = self.annotator.library.delete_annotation(self.made.id)
        self.annotator.changed.emit(self.made.doc)


class _Delete(QUndoCommand):
    def __init__(self, annotator: Annotator, annotation: AnnotationInfo) -> None:
        super().__init__(f"Delete {annotation.kind}")
        self.annotator, self.annotation = annotator, annotation

    def redo(self) -> None:
        self.annotation = self.annotator.library.delete_annotation(self.annotation.id)
        self.annotator.changed.emit(self.annotation.doc)

    def undo(self) -> None:
        self.annotation = self.annotator.library.restore_annotation(self.annotation)
        self.annotator.changed.emit(self.annotation.doc)


class _Edit(QUndoCommand):
    def __init__(self, annotator: Annotator, before: AnnotationInfo, **after: Any) -> None:
        super().__init__("Edit note" if "note" in after else "Change colour")
        self.annotator, self.before, self.after = annotator, before, after

    def redo(self) -> None:
        self.annotator.library.update_annotation(self.before.id, **self.after)
        self.annotator.changed.emit(self.before.doc)

    def undo(self) -> None:
        self.annotator.library.update_annotation(
            self.before.id, note=self.before.note, color=self.before.color
        )
        self.annotator.changed.emit(self.before.doc)


class Annotator(QObject):
    """The window's way to change annotations; views listen to `changed`."""

    changed = Signal(int)  # document id

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.undo_stack = QUndoStack(self)
        self.colour = "#ffe066"

    def add(self, make: Callable[[], AnnotationInfo]) -> AnnotationInfo | None:
        """Run `make` (a library call that adds one annotation) as an undoable step; errors
        (a passage not on the page) propagate before anything is pushed."""
        made = make()
        command = _Add(self, lambda: made)
        self.undo_stack.push(command)
        return command.made

    def delete(self, annotation: AnnotationInfo) -> None:
        self.undo_stack.push(_Delete(self, annotation))

    def edit_note(self, annotation: AnnotationInfo, note: str) -> None:
        if note != annotation.note:
            self.undo_stack.push(_Edit(self, annotation, note=note))

    def recolour(self, annotation: AnnotationInfo, colour: str) -> None:
        if colour != annotation.color:
            self.undo_stack.push(_Edit(self, annotation, color=colour))
