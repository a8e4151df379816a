"""The catalog as a sortable table with a live filter: kind, collection, identifiers, date,
OCR state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
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
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.archive_order import fields_of, in_place
from reader.library import Library
from reader.records import DocumentInfo
from ui.changes import Changes
from ui.reference_copy import COPY_TEXT, copy_references
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
# What a drag of rows carries: the documents' ids, one a line (dropped on the archive tree).
DOCUMENTS_MIME = "application/x-archive-reader-documents"


def documents_mime(documents: list[int]) -> QMimeData:
    data = QMimeData()
    data.setData(DOCUMENTS_MIME, QByteArray("\n".join(map(str, documents)).encode()))
    return data


def documents_in_mime(data: QMimeData) -> list[int]:
    """The documents a drag carries; none if it carries something else."""
    if not data.hasFormat(DOCUMENTS_MIME):
        return []
    text = bytes(data.data(DOCUMENTS_MIME).data()).decode("ascii", "replace")
    return [int(line) for line in text.split() if line.isascii() and line.isdigit()]


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

    # Rows dragged onto a place of the archive tree (ui.archive_tree)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [DOCUMENTS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = dict.fromkeys(index.row() for index in indexes if index.isValid())
        return documents_mime([self.documents[row].id for row in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction  # the rows stay where they are


class LibraryFilter(QSortFilterProxyModel):
    """Every word typed must appear somewhere in the row; the kind box narrows further."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = ""
        self.place: tuple[str, ...] = ()  # a place in the archive (reader.archive_order)
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_text(self, text: str) -> None:
        self.words = text.lower().split()
        self.invalidateFilter()

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.invalidateFilter()

    def set_place(self, place: tuple[str, ...]) -> None:
        self.place = place
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, LibraryModel)
        document = model.documents[row]
        if self.kind and document.kind != self.kind:
            return False
        if self.place and not in_place(fields_of(document), self.place):
            return False
        haystack = " ".join(str(column(document)) for _, column in COLUMNS).lower()
        haystack += " " + " ".join(document.authors).lower()
        return all(word in haystack for word in self.words)


class LibraryPanel(QWidget):
    """The catalog's documents; it reads them again itself after each change to the list."""

    document_activated = Signal(object)  # DocumentInfo
    message = Signal(str)  # for the status bar

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
        # Several rows: File → Export References exports those selected.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Rows are dragged onto a place of the archive tree to file them there.
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
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
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        ops.changed.connect(self.on_changes)
        self.set_documents(library.documents())  # the first fill, before the window shows

    def on_changes(self, changes: Changes) -> None:
        if changes.document_list():
            self.refresh()

    def refresh(self) -> None:
        self.ops.run(QueryOp("Library", lambda _progress: self.library.documents(),
                             self.set_documents))  # fmt: skip

    def set_place(self, place: tuple[str, ...]) -> None:
        """Only the documents filed at or below this place of the archive; () for all."""
        self.proxy.set_place(place)

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        selected = {d.id for d in self.selected_documents()}
        self.model.set_documents(documents)
        for column in range(1, len(COLUMNS)):
            self.table.resizeColumnToContents(column)
        self._reselect(selected)

    def _reselect(self, docs: set[int]) -> None:
        """The rows of these documents selected again (the model was reset); one of them as
        before, the current row too."""
        if len(docs) == 1:
            self.select(next(iter(docs)))
            return
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row, document in enumerate(self.model.documents):
            if document.id in docs:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectionModel().select(index, flags)

    def selected(self) -> DocumentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        document = rows[0].data(DOCUMENT_ROLE)
        return document if isinstance(document, DocumentInfo) else None

    def selected_documents(self) -> list[DocumentInfo]:
        """The selected rows' documents, in the table's order."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        found = [row.data(DOCUMENT_ROLE) for row in rows]
        return [d for d in found if isinstance(d, DocumentInfo)]

    def context_menu(self, at: QPoint) -> QMenu | None:
        """The menu of the row at `at` (viewport coordinates): Copy Reference, of the
        selected documents if the row is one of them, else of its own."""
        document = self.table.indexAt(at).data(DOCUMENT_ROLE)
        if not isinstance(document, DocumentInfo):
            return None
        selected = self.selected_documents()
        chosen = selected if document.id in {d.id for d in selected} else [document]
        menu = QMenu(self)
        copy = menu.addAction(COPY_TEXT)
        copy.triggered.connect(lambda: self.copy_references([d.id for d in chosen]))
        return menu

    def copy_references(self, documents: list[int]) -> None:
        copy_references(self.library, self.ops, documents, done=self.message.emit)

    def _show_context_menu(self, at: QPoint) -> None:
        menu = self.context_menu(at)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(at))
            menu.deleteLater()

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
