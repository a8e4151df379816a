"""The catalog as a sortable table with a live filter: kind, collection, identifiers, date,
OCR state, languages.

Every column shown is readable in the library dock at 1366×768: the title takes the room left,
the others are as wide as their header and (up to a limit) their contents, a cell too narrow
for its text is cut with "…" and shows it whole when hovered. Kind, collection, pages, OCR
state and languages start hidden; the header's context menu shows them, and the window
remembers the columns shown and their widths."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
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
    ("Language", lambda d: ", ".join(d.languages)),
]
COLUMN_TIPS = {
    "Title": "The document's title",
    "Identifiers": "Its archival identifiers (NOKW-1088, RG-238 …)",
    "Kind": "Primary source or secondary work",
    "Date": "Its date; “?”: read from the file, not yet confirmed",
    "Collection": "The collection it was imported into",
    "Pages": "Its number of pages",
    "OCR": "Whether its scanned pages are read: done, pending, failed",
    "Language": "Its languages, set on import or read from its text (search: lang:de)",
}
HIDDEN_AT_FIRST = {"Kind", "Collection", "Pages", "OCR", "Language"}  # shown from the header's menu
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


CELL_CHARACTERS = 300  # a longer field is cut in its cell (and shown whole, up to TIP_CHARACTERS,
TIP_CHARACTERS = 2000  # when hovered): a field of 10,000 characters never stretches the table
CONTENT_CHARACTERS = 16  # a column grows to its contents up to about this many characters


def cut(text: str, limit: int) -> str:
    """The text, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LibraryModel(QAbstractTableModel):
    """The documents, kept in the order the table shows: sorted here with one key a row, where
    a sorting proxy would ask data() twice a comparison (seconds for 20,000 documents)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents: list[DocumentInfo] = []
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self.documents = self._in_order(documents)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        kept = [(self.documents[i.row()].id, i.column()) for i in before]
        self.documents = self._in_order(self.documents)
        row_of = {document.id: row for row, document in enumerate(self.documents)}
        self.changePersistentIndexList(
            before, [self.index(row_of[doc], column) for doc, column in kept]
        )
        self.layoutChanged.emit()

    def _in_order(self, documents: list[DocumentInfo]) -> list[DocumentInfo]:
        if self.sorted_by is None:
            return documents
        column, order = self.sorted_by
        value = COLUMNS[column][1]
        keyed = [(value(d), d) for d in documents]
        present = [(key, d) for key, d in keyed if key not in ("", None)]
        present.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        blank = [d for key, d in keyed if key in ("", None)]
        return [d for _, d in present] + blank  # blank values last, either way

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        document = self.documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = COLUMNS[index.column()][1](document)
            return cut(value, CELL_CHARACTERS) if isinstance(value, str) else value
        if role == Qt.ItemDataRole.EditRole:  # what the table sorts by
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
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS.get(COLUMNS[section][0])
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


class CutCellTips(QStyledItemDelegate):
    """A cell cut short ("…") shows its whole text when hovered, with the file's path."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        document = index.data(DOCUMENT_ROLE)
        text = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(document, DocumentInfo) and isinstance(text, str) and text:
            shown = QStyleOptionViewItem(option)
            self.initStyleOption(shown, index)
            room = option.rect.width() - 8  # the cell's margins
            if len(text) > CELL_CHARACTERS or shown.fontMetrics.horizontalAdvance(text) > room:
                tip = f"{cut(text, TIP_CHARACTERS)}\n{document.path}"
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)


class LibraryFilter(QSortFilterProxyModel):
    """Every word typed must appear somewhere in the row; the kind box narrows further. The
    table's sorting is the source model's own (LibraryModel.sort)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = ""
        self.place: tuple[str, ...] = ()  # a place in the archive (reader.archive_order)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()  # invalidateFilter is deprecated since Qt 6.10
        self.words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()  # invalidateFilter is deprecated since Qt 6.10
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_place(self, place: tuple[str, ...]) -> None:
        self.beginFilterChange()  # invalidateFilter is deprecated since Qt 6.10
        self.place = place
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        assert isinstance(model, LibraryModel)
        model.sort(column, order)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not (self.words or self.kind or self.place):
            return True
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
        self.table.setWordWrap(False)  # one line a row: a long title is cut with "…"
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setItemDelegate(CutCellTips(self.table))
        self.columns_fitted = False  # the widths follow the contents until set or restored
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        for column, (name, _) in enumerate(COLUMNS):
            header.setSectionHidden(column, name in HIDDEN_AT_FIRST)
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
        if not self.columns_fitted:
            for column in range(1, len(COLUMNS)):
                self.fit_column(column)
            self.columns_fitted = bool(documents)  # an empty table fits its headers only
        self._reselect(selected)

    # Columns

    def fit_column(self, column: int) -> None:
        """As wide as the header's text, and as its contents up to CONTENT_CHARACTERS."""
        header = self.table.horizontalHeader()
        needed = header.sectionSizeFromContents(column).width()
        limit = self.table.fontMetrics().averageCharWidth() * CONTENT_CHARACTERS
        contents = min(self.table.sizeHintForColumn(column), limit)
        self.table.setColumnWidth(column, max(needed, contents))

    def column_menu(self) -> QMenu:
        """Every column but the title, checked when shown."""
        menu = QMenu(self)
        header = self.table.horizontalHeader()
        for column, (name, _) in enumerate(COLUMNS):
            if column == 0:
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setToolTip(COLUMN_TIPS.get(name, ""))
            action.toggled.connect(lambda shown, c=column: self.show_column(c, shown))
        return menu

    def show_column(self, column: int, shown: bool) -> None:
        header = self.table.horizontalHeader()
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) < header.sectionSizeFromContents(column).width():
            self.fit_column(column)

    def _show_column_menu(self, at: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(at))
        menu.deleteLater()

    def saved_columns(self) -> QByteArray:
        """The columns shown, their order and widths: for the window's settings."""
        return self.table.horizontalHeader().saveState()

    def restore_columns(self, state: object) -> None:
        """As saved_columns() left them; kept (not fitted again) when they fit this table."""
        if isinstance(state, QByteArray) and self.table.horizontalHeader().restoreState(state):
            self.columns_fitted = True

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
