"""The catalog as a sortable table with a live filter: kind, collection, identifiers, date,
OCR state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.library import Library
from reader.records import DocumentInfo
from ui.changes import Changes
from ui.workers import Operations, QueryOp

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[DocumentInfo], Any]]
COLUMNS: list[Column] = [
    ("Title", lambda d: d.title),
    ("Identifiers", lambda d: ", ".join(d.identifiers)),
    ("Kind", lambda d: d.kind),
    ("Date", lambda d: f"{d.date} ?" if d.date_guessed else d.date),  # "?": not confirmed
    ("Collection", lambda d: d.collection),
    ("Pages", lambda d: d.pages),
    ("OCR", lambda d: d.ocr_state),
]
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_COLUMN = next(n for n, (name, _) in enumerate(COLUMNS) if name == "Date")


class LibraryModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents: list[DocumentInfo] = []

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self.documents = documents
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        document = self.documents[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return COLUMNS[index.column()][1](document)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == DATE_COLUMN and document.date_guessed:
                where = "file name" if document.date_source == "filename" else "first page"
                return f"Date read from the {where}, not yet confirmed (Ctrl+E to confirm)"
            return document.path
        if role == DOCUMENT_ROLE:
            return document
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None


class LibraryFilter(QSortFilterProxyModel):
    """Every word typed must appear somewhere in the row; the kind box narrows further."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_text(self, text: str) -> None:
        self.words = text.lower().split()
        self.invalidateFilter()

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, LibraryModel)
        document = model.documents[row]
        if self.kind and document.kind != self.kind:
            return False
        haystack = " ".join(str(column(document)) for _, column in COLUMNS).lower()
        haystack += " " + " ".join(document.authors).lower()
        return all(word in haystack for word in self.words)


class LibraryPanel(QWidget):
    """The catalog's documents; it reads them again itself after each change to the list."""

    document_activated = Signal(object)  # DocumentInfo

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter the library (title, identifier, date…)")
        self.filter_box.setClearButtonEnabled(True)
        self.kind_box = QComboBox()
        for label, kind in (("All kinds", ""), ("Primary", "primary"), ("Secondary", "secondary")):
            self.kind_box.addItem(label, kind)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.kind_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        self.kind_box.currentIndexChanged.connect(
            lambda _: self.proxy.set_kind(str(self.kind_box.currentData()))
        )
        self.table.activated.connect(self._on_activated)
        ops.changed.connect(self.on_changes)
        self.set_documents(library.documents())  # the first fill, before the window shows

    def on_changes(self, changes: Changes) -> None:
        if changes.document_list():
            self.refresh()

    def refresh(self) -> None:
        self.ops.run(QueryOp("Library", lambda _progress: self.library.documents(),
                             self.set_documents))  # fmt: skip

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        selected = self.selected()
        self.model.set_documents(documents)
        for column in range(1, len(COLUMNS)):
            self.table.resizeColumnToContents(column)
        if selected is not None:
            self.select(selected.id)

    def selected(self) -> DocumentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        document = rows[0].data(DOCUMENT_ROLE)
        return document if isinstance(document, DocumentInfo) else None

    def select(self, doc: int) -> None:
        for row, document in enumerate(self.model.documents):
            if document.id == doc:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                return

    def _on_activated(self, index: QModelIndex) -> None:
        document = index.data(DOCUMENT_ROLE)
        if isinstance(document, DocumentInfo):
            self.document_activated.emit(document)
