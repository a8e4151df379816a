"""Annotating in the app: each change is a write operation (off the GUI thread, ending with
its `Changes`) pushed on an undo stack, so that Edit → Undo takes it back (and Redo puts it
back) in the catalog too. Writes run one at a time in order, and each command keeps what its
last write returned, so an undo asked before the add has finished still undoes that add."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from reader.library import Library
from reader.records import AnnotationInfo
from ui.changes import Changes
from ui.workers import Operations, WriteOp

DEFAULT_COLOUR = "#ffe066"
Failed = Callable[[Exception], None]


class _Add(QUndoCommand):
    def __init__(self, annotator: Annotator, made: AnnotationInfo) -> None:
        super().__init__(f"Add {made.kind}")
        self.annotator, self.made = annotator, made
        self.done = True  # the first redo (from push) finds it made already

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.annotator.write(self.text(), self._restore)

    def undo(self) -> None:
        self.annotator.write(f"Undo {self.text().lower()}", self._delete)

    def _restore(self) -> AnnotationInfo:  # under its old id
        self.made = self.annotator.library.restore_annotation(self.made)
        return self.made

    def _delete(self) -> AnnotationInfo:
        self.made = self.annotator.library.delete_annotation(self.made.id)
        return self.made


class _Delete(QUndoCommand):
    def __init__(self, annotator: Annotator, annotation: AnnotationInfo) -> None:
        super().__init__(f"Delete {annotation.kind}")
        self.annotator, self.annotation = annotator, annotation

    def redo(self) -> None:
        self.annotator.write(self.text(), self._delete)

    def undo(self) -> None:
        self.annotator.write(f"Undo {self.text().lower()}", self._restore)

    def _delete(self) -> AnnotationInfo:
        self.annotation = self.annotator.library.delete_annotation(self.annotation.id)
        return self.annotation

    def _restore(self) -> AnnotationInfo:
        self.annotation = self.annotator.library.restore_annotation(self.annotation)
        return self.annotation


class _Edit(QUndoCommand):
    def __init__(self, annotator: Annotator, before: AnnotationInfo, **after: Any) -> None:
        super().__init__("Edit note" if "note" in after else "Change colour")
        self.annotator, self.before, self.after = annotator, before, after

    def redo(self) -> None:
        library, annotation_id = self.annotator.library, self.before.id
        self.annotator.write(
            self.text(), lambda: library.update_annotation(annotation_id, **self.after)
        )

    def undo(self) -> None:
        library, before = self.annotator.library, self.before
        self.annotator.write(
            f"Undo {self.text().lower()}",
            lambda: library.update_annotation(before.id, note=before.note, color=before.color),
        )


class Annotator(QObject):
    """The window's one way to change annotations."""

    def __init__(self, library: Library, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.undo_stack = QUndoStack(self)
        self.colour = DEFAULT_COLOUR

    def write(
        self, title: str, work: Callable[[], AnnotationInfo], failed: Failed | None = None
    ) -> None:
        self.ops.run(WriteOp(title, lambda _progress: work(), _changed_annotations, failed=failed))

    def add(self, make: Callable[[], AnnotationInfo], failed: Failed | None = None) -> None:
        """Run `make` (a library call that adds one annotation) off the GUI thread; once it
        is made, it becomes an undoable step. A failure (a passage not on the page) pushes
        nothing."""

        def made(annotation: AnnotationInfo) -> None:
            self.undo_stack.push(_Add(self, annotation))

        self.ops.run(
            WriteOp("Annotate", lambda _progress: make(), _changed_annotations, made, failed)
        )

    def delete(self, annotation: AnnotationInfo) -> None:
        self.undo_stack.push(_Delete(self, annotation))

    def edit_note(self, annotation: AnnotationInfo, note: str) -> None:
        if note != annotation.note:
            self.undo_stack.push(_Edit(self, annotation, note=note))

    def recolour(self, annotation: AnnotationInfo, colour: str) -> None:
        if colour != annotation.color:
            self.undo_stack.push(_Edit(self, annotation, color=colour))


def _changed_annotations(annotation: AnnotationInfo) -> Changes:
    return Changes.of(annotations=[annotation.doc])
