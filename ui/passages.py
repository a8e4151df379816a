"""Where cited passages stand on their pages (boxes in PDF points), kept for the window.
Finding them reads the page's words (from the PDF, for a born-digital page), some tens of
milliseconds; a synced pane that follows a scrolled article shows one passage after another,
so the passages around the one shown are looked up ahead, off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject

from reader.library import Library
from reader.records import CitationTarget
from ui.changes import Changes
from ui.workers import Operations, Progress, QueryOp

Key = tuple[int, int, int, int]  # document, page, start and end in the page's text
Boxes = list[list[float]]


def passage_key(target: CitationTarget) -> Key | None:
    if target.start is None or target.end is None:
        return None
    return target.doc, target.page, target.start, target.end


class PassageBoxes(QObject):
    """Forgets a document's passages when its text changes (OCR, a transcription)."""

    def __init__(self, library: Library, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self._known: dict[Key, Boxes] = {}
        self._asked: set[Key] = set()
        ops.changed.connect(self._on_changes)

    def boxes(self, target: CitationTarget) -> Boxes:
        """The passage's boxes now: known, else read here."""
        key = passage_key(target)
        if target.boxes or key is None:
            return target.boxes
        if key not in self._known:
            self._known[key] = self.library.passage_boxes(*key)
        return self._known[key]

    def look_ahead(self, targets: Iterable[CitationTarget]) -> None:
        """Read these passages' boxes off the GUI thread, for when they are shown."""
        keys = {key for t in targets if not t.boxes and (key := passage_key(t)) is not None}
        keys -= self._known.keys() | self._asked
        if not keys:
            return
        self._asked |= keys

        def work(_progress: Progress) -> dict[Key, Boxes]:
            return {key: self.library.passage_boxes(*key) for key in keys}

        def done(found: dict[Key, Boxes]) -> None:
            self._asked -= keys
            self._known.update(found)

        def failed(_error: Exception) -> None:
            self._asked -= keys  # asked again when shown (the failure shows then)

        self.ops.run(QueryOp("Passages ahead", work, done, failed))

    def _on_changes(self, changes: Changes) -> None:
        for key in [k for k in self._known if changes.text_of(k[0])]:
            del self._known[key]
