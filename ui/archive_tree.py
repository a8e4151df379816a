"""The archive's own order beside the library table: repository › record group › series › box
› folder › item, with document counts (reader.archive_order). Choosing a place filters the
table and scopes searches; dropping documents from the table on a place files them there, an
undoable write (Edit → Undo). A value of any length is shown cut to the column, and in its
tooltip up to 1,500 characters (its length said past that)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from reader.archive_order import LEVEL_NAMES, WHOLE_LIBRARY, place_label
from reader.library import Library
from reader.records import ArchiveNode, ArchiveTree, Filing
from ui.changes import Changes
from ui.library_panel import DOCUMENTS_MIME, cut, documents_in_mime
from ui.workers import Operations, QueryOp, WriteOp

Index = QModelIndex | QPersistentModelIndex
PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Archive order", "Documents")
# Past this a value is cut before Qt elides it to the column: laying out ten thousand
# characters on every repaint is slow, and no column shows them.
SHOWN_CHARS = 120
# An undo step's name in the Edit menu, cut to this.
STEP_CHARS = 60
# A word longer than this is broken in a tooltip, so that the tip wraps.
TOOLTIP_WORD_CHARS = 60
# A tooltip shows this much of a value at most: ten thousand characters would cover the screen.
TOOLTIP_CHARS = 1500


def wrapping_tooltip(text: str) -> str:
    """The text as a rich-text tooltip, which Qt wraps; a long run without spaces is given
    break opportunities (zero-width spaces), so that it wraps too."""
    step = TOOLTIP_WORD_CHARS
    words = [
        "\u200b".join(word[i : i + step] for i in range(0, len(word), step))
        for word in text.split(" ")
    ]
    return f"<p>{html.escape(' '.join(words))}</p>"


class ArchiveTreeModel(QAbstractItemModel):
    """The tree as plain nodes, each known by its number: the first, the whole library, holds
    the repositories and Unfiled. Documents dropped on a place are handed on as a request."""

    filing_requested = Signal(list, tuple)  # document ids, place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accepts_drops = True
        self.tree = ArchiveTree(0, ())
        self._nodes: list[ArchiveNode] = []
        self._parents: list[int] = []  # -1: a top-level node
        self._rows: list[int] = []
        self._children: dict[int, list[int]] = {-1: []}
        self._numbers: dict[tuple[str, ...], int] = {}  # each place's node

    def set_tree(self, tree: ArchiveTree) -> None:
        self.beginResetModel()
        self.tree = tree
        self._nodes, self._parents, self._rows, self._children = [], [], [], {-1: []}
        self._numbers = {}
        stack = [(ArchiveNode("", WHOLE_LIBRARY, (), tree.total, tree.nodes), -1)]
        while stack:  # depth first, each node's children in order
            node, parent = stack.pop()
            number = len(self._nodes)
            siblings = self._children.setdefault(parent, [])
            self._nodes.append(node)
            self._parents.append(parent)
            self._rows.append(len(siblings))
            siblings.append(number)
            self._numbers[node.place] = number
            stack.extend((child, number) for child in reversed(node.children))
        self.endResetModel()

    def node(self, index: Index) -> ArchiveNode | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index_of(self, place: tuple[str, ...]) -> QModelIndex:
        """The index of the node at `place`; invalid if the tree has none."""
        number = self._numbers.get(tuple(place))
        return QModelIndex() if number is None else self.createIndex(self._rows[number], 0, number)

    # The tree

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self._children.get(parent.internalId() if parent.isValid() else -1, [])
        if 0 <= row < len(children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, child: Index) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        parent = self._parents[child.internalId()]
        return QModelIndex() if parent < 0 else self.createIndex(self._rows[parent], 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cut(node.label, SHOWN_CHARS) if index.column() == 0 else f"{node.count:,}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return wrapping_tooltip(_describe(node))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not node.level:
            font = QFont()
            font.setItalic(bool(node.place))  # Unfiled; the whole library in bold
            font.setBold(not node.place)
            return font
        if role == PLACE_ROLE:
            return node.place
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    # Dropping documents on a place

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        node = self.node(index)
        if node is not None and node.place and self.accepts_drops:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [DOCUMENTS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        node = self.node(parent)
        # On a place itself (row -1), not between two: the place is what is dropped on.
        return (
            self.accepts_drops and node is not None and bool(node.place) and row == -1
            and bool(documents_in_mime(data))
        )  # fmt: skip

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        node = self.node(parent)
        assert node is not None
        self.filing_requested.emit(documents_in_mime(data), node.place)
        return True


def _describe(node: ArchiveNode) -> str:
    documents = f"{node.count:,} document{'s' if node.count != 1 else ''}"
    if not node.place:
        return f"{WHOLE_LIBRARY}: {documents}"
    if not node.level:
        return f"Unfiled: {documents} with no repository, record group, series, box, folder or item"
    here = f", {node.here:,} filed at this level itself" if node.here and node.children else ""
    value = node.place[-1]
    if len(value) > TOOLTIP_CHARS:
        value = f"{value[:TOOLTIP_CHARS]}… ({len(value):,} characters)"
    return f"{LEVEL_NAMES[node.level]}: {value} ({documents}{here})"


class _File(QUndoCommand):
    """Documents filed at a place: undo puts each back where it was, redo files them again.
    Made once the first filing is written (a filing that failed is no step to undo)."""

    def __init__(self, panel: ArchiveTreePanel, filing: Filing) -> None:
        count = len(filing.documents)
        where = cut(place_label(filing.place), STEP_CHARS)
        super().__init__(f"File {count} document{'s' if count != 1 else ''} in {where}")
        self.panel, self.filing, self.place = panel, filing, filing.place
        self.documents = filing.documents
        self.done = True  # the first redo (from push) finds it written already

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.panel.write(self.text(), self._file)

    def undo(self) -> None:
        self.panel.write(f"Undo {self.text()[0].lower()}{self.text()[1:]}", self._put_back)

    def _file(self) -> Filing:
        self.filing = self.panel.library.file_documents(self.documents, self.place)
        return self.filing

    def _put_back(self) -> Filing:
        return self.panel.library.restore_filing(self.filing)


class ArchiveTreePanel(QWidget):
    """The tree, read again after each change to the documents; the place chosen is kept."""

    place_selected = Signal(tuple)  # the place chosen; () for the whole library
    message = Signal(str)  # for the status bar

    def __init__(
        self,
        library: Library,
        ops: Operations,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.ops, self.undo_stack = library, ops, undo_stack
        self.model = ArchiveTreeModel(self)
        self.model.accepts_drops = not library.read_only
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Drops land on a place, never between two.
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.view.setDragDropOverwriteMode(True)
        self.view.setDropIndicatorShown(True)
        self.view.setAcceptDrops(not library.read_only)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.view)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.filing_requested.connect(self.file_documents)
        ops.changed.connect(self.on_changes)
        self.refresh()  # off the GUI thread: a catalog of many places takes a while

    def on_changes(self, changes: Changes) -> None:
        if changes.document_list():
            self.refresh()

    def refresh(self) -> None:
        self.ops.run(QueryOp("Archive order", lambda _progress: self.library.archive_tree(),
                             self.set_tree))  # fmt: skip

    def set_tree(self, tree: ArchiveTree) -> None:
        """The new tree, with the places that were open still open and the chosen one still
        chosen (the whole library if it is gone)."""
        chosen = self.selected_place()
        opened = self._opened_places()
        scrolled = self.view.verticalScrollBar().value()
        self.model.set_tree(tree)
        self.view.expand(self.model.index(0, 0))
        for place in opened:
            self.view.expand(self.model.index_of(place))
        if chosen and not self.select_place(chosen, scroll=False):
            self.select_place(())
        self.view.verticalScrollBar().setValue(scrolled)

    def _opened_places(self) -> set[tuple[str, ...]]:
        found: set[tuple[str, ...]] = set()

        def visit(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.view.isExpanded(index):
                    found.add(tuple(index.data(PLACE_ROLE)))
                    visit(index)

        visit(QModelIndex())
        return found

    def selected_place(self) -> tuple[str, ...]:
        rows = self.view.selectionModel().selectedRows()
        return tuple(rows[0].data(PLACE_ROLE)) if rows else ()

    def select_place(self, place: tuple[str, ...], *, scroll: bool = True) -> bool:
        """Choose the node at `place` (opening its parents); False if the tree has none."""
        index = self.model.index_of(place)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        if scroll:
            self.view.scrollTo(index)
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.place_selected.emit(self.selected_place())

    # Filing

    def file_documents(self, documents: list[int], place: tuple[str, ...]) -> None:
        """File the documents at the place; once written, an undoable step."""

        def filed(filing: Filing) -> None:
            self.undo_stack.push(_File(self, filing))
            count = len(filing.documents)
            self.message.emit(
                f"Filed {count} document{'s' if count != 1 else ''} in "
                f"{cut(place_label(place), STEP_CHARS)}; Edit → Undo puts "
                f"{'them' if count != 1 else 'it'} back"
                + ("".join(f"; {line}" for line in filing.missing))
            )

        def refused(error: Exception) -> None:
            self.message.emit(f"Not filed: {error}")

        def work(_progress: object) -> Filing:
            return self.library.file_documents(documents, place)

        self.ops.run(WriteOp("File documents", work, _changed_documents, filed, refused))

    def write(self, title: str, work: Callable[[], Filing]) -> None:
        def refused(error: Exception) -> None:
            self.message.emit(f"{title}: {error}")

        self.ops.run(WriteOp(title, lambda _progress: work(), _changed_documents, failed=refused))


def _changed_documents(filing: Filing) -> Changes:
    # A record group can be what a citation names: the citations may have moved too.
    return Changes.of(documents=filing.documents, citations=True)
