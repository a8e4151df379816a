"""Find in document: the box, "2 of 7", and stepping through the matches, which are looked
for off the GUI thread (accents and case ignored) and drawn by the view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from reader.library import Library
from reader.records import FoundPassage
from ui.workers import Operations, QueryOp

Show = Callable[[list[FoundPassage], int], None]  # every match, and the one to show


class FindBar(QWidget):
    def __init__(
        self, library: Library, ops: Operations, show: Show, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library, self.ops, self.show_found = library, ops, show
        self.doc: int | None = None
        self.found: list[FoundPassage] = []
        self.found_at = -1
        self.box = QLineEdit()
        self.box.setPlaceholderText("Find in document")
        self.box.setClearButtonEnabled(True)
        self.box.setMaximumWidth(160)
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.label)
        self.box.returnPressed.connect(self.find_next)
        self.box.textChanged.connect(self.forget)

    def set_document(self, doc: int | None) -> None:
        self.doc = doc
        self.forget()

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def forget(self) -> None:
        self.found, self.found_at = [], -1
        self.label.setText("")

    def _step(self, step: int) -> None:
        if self.doc is None or not self.box.text().strip():
            return
        if not self.found:
            self._search(step)
            return
        self.found_at = (self.found_at + step) % len(self.found)
        self._show()

    def _search(self, step: int) -> None:
        doc, text = self.doc, self.box.text()
        assert doc is not None
        self.label.setText("searching…")

        def done(found: list[FoundPassage]) -> None:
            if self.doc != doc or self.box.text() != text:
                return  # the reader moved on meanwhile
            self.found = found
            self.found_at = 0 if step > 0 else len(found) - 1
            self._show()

        self.ops.run(
            QueryOp("Find in document",
                    lambda _progress: self.library.find_in_document(doc, text), done,
                    lambda error: self.label.setText(str(error)))
        )  # fmt: skip

    def _show(self) -> None:
        if not self.found:
            self.label.setText("not found")
            return
        self.label.setText(f"{self.found_at + 1} of {len(self.found)}")
        self.show_found(self.found, self.found_at)
