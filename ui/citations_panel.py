"""Citations around the open documents: those an article makes, the articles citing a
primary document ("Cited by"), and the citations that point at nothing (gaps)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTabWidget, QWidget

from reader.records import AnnotationInfo, CitationInfo, CitingReference

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")


def citation_label(citation: CitationInfo) -> str:
    text = " ".join(citation.text.split())
    text = text if len(text) < 90 else text[:87] + "…"
    if citation.target is None:
        where = "not in the archive"
    else:
        name = citation.identifier or citation.target.title
        where = f"→ {name}, p. {citation.target.page}"
    return f"[{citation.kind}] {text}  {where}"


def annotation_label(annotation: AnnotationInfo) -> str:
    quoted = " ".join(annotation.text.split())
    quoted = f"“{quoted[:70]}”" if quoted else ""
    note = f" — {annotation.note}" if annotation.note else ""
    return f"p. {annotation.page} [{annotation.kind}] {quoted}{note}  ({annotation.author})"


class CitationsPanel(QTabWidget):
    citation_activated = Signal(object)  # CitationInfo
    reference_activated = Signal(object)  # CitingReference
    annotation_activated = Signal(object)  # AnnotationInfo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citations = QListWidget()
        self.cited_by = QListWidget()
        self.gaps = QListWidget()
        self.notes = QListWidget()
        for widget, title in (
            (self.citations, "Citations"), (self.cited_by, "Cited by"), (self.gaps, "Gaps"),
            (self.notes, "Notes"),
        ):  # fmt: skip
            widget.setWordWrap(True)
            widget.setAlternatingRowColors(True)
            widget.itemActivated.connect(self._on_item)
            widget.itemClicked.connect(self._on_item)
            self.addTab(widget, title)

    def set_citations(self, citations: list[CitationInfo]) -> None:
        self._fill(self.citations, citations, citation_label)
        self.setTabText(0, f"Citations ({len(citations)})")

    def set_cited_by(self, references: list[CitingReference]) -> None:
        self._fill(
            self.cited_by,
            references,
            lambda r: f"{r.title}: “{' '.join(r.text.split())[:80]}” → p. {r.target_page}",
        )
        self.setTabText(1, f"Cited by ({len(references)})")

    def set_gaps(self, gaps: list[CitationInfo]) -> None:
        self._fill(self.gaps, gaps, citation_label)
        self.setTabText(2, f"Gaps ({len(gaps)})")

    def set_annotations(self, annotations: list[AnnotationInfo]) -> None:
        self._fill(self.notes, annotations, annotation_label)
        self.setTabText(3, f"Notes ({len(annotations)})")

    def select_citation(self, citation_id: int) -> None:
        for row in range(self.citations.count()):
            item = self.citations.item(row)
            data = item.data(ITEM_ROLE)
            if isinstance(data, CitationInfo) and data.id == citation_id:
                self.citations.setCurrentItem(item)
                return

    @staticmethod
    def _fill(widget: QListWidget, rows: Sequence[T], label: Callable[[T], str]) -> None:
        widget.clear()
        for row in rows:
            item = QListWidgetItem(label(row))
            item.setData(ITEM_ROLE, row)
            widget.addItem(item)

    def _on_item(self, item: QListWidgetItem) -> None:
        data = item.data(ITEM_ROLE)
        if isinstance(data, CitationInfo):
            self.citation_activated.emit(data)
        elif isinstance(data, CitingReference):
            self.reference_activated.emit(data)
        elif isinstance(data, AnnotationInfo):
            self.annotation_activated.emit(data)
