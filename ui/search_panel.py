"""Search across every page: a query box with the full syntax and the hits with their
highlighted snippets, page numbers and OCR confidence; arrows and Enter open a hit."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.library import Library
from reader.records import SearchHit, SearchResult
from ui.changes import Changes
from ui.workers import Operations, QueryOp

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
SEARCH_LIMIT = 200
SYNTAX_HELP = (
    'Words, "exact phrases", AND / OR / NOT, prefix*, fuzzy~ for OCR damage,\n'
    "kind:primary, id:NOKW-1088, collection:NAME, date:1943-03, date:[1943-01 TO 1943-06]"
)


def hit_html(hit: SearchHit, muted: str = "gray") -> str:
    """The snippet marks matches with <b>; the rest is escaped text. An identifier that is
    the title already is not printed again; `muted` is the secondary text's colour."""
    ids = ", ".join(i for i in hit.identifiers if i.casefold() != hit.title.casefold())
    confidence = f" · OCR {hit.confidence:.0f} %" if hit.confidence is not None else ""
    title = html.escape(hit.title) + (
        f" <span style='color:{muted}'>{html.escape(ids)}</span>" if ids else ""
    )
    snippet = hit.snippet.replace("<b>", '<b style="background:#ffe066; color:#111">')
    return (
        f"<div><b>{title}</b> — page {hit.page}<span style='color:{muted}'>{confidence}"
        f"{' · ' + hit.date if hit.date else ''}</span><br>{snippet}</div>"
    )


class HtmlDelegate(QStyledItemDelegate):
    """Rich text rows: the snippet's highlighting, wrapped to the list's width."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        hit = index.data(HIT_ROLE)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = option.palette.ColorRole.HighlightedText if selected else None
        muted = option.palette.color(role).name() if role is not None else "gray"
        text = hit_html(hit, muted) if isinstance(hit, SearchHit) else ""
        document.setHtml(text or str(index.data(Qt.ItemDataRole.DisplayRole)))
        document.setTextWidth(max(100, option.rect.width()))
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        painter.save()
        painter.translate(option.rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(
                context.palette.ColorRole.Text,
                option.palette.color(option.palette.ColorRole.HighlightedText),
            )
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 4)


class QueryBox(QLineEdit):
    """The query line; the Down arrow moves on into the results."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Runs its own searches; after a change to what is searchable, the shown one again."""

    hit_activated = Signal(object)  # SearchHit

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.shown_query: tuple[str, str, str] | None = None
        self._keep_row = False  # the same query run again after a change keeps its place
        self.query_box = QueryBox()
        self.query_box.setPlaceholderText('Search all pages  (e.g. Horstenau~ "supply columns")')
        self.query_box.setToolTip(SYNTAX_HELP)
        self.query_box.setClearButtonEnabled(True)
        self.kind_box = QComboBox()
        for label, kind in (("All", ""), ("Primary", "primary"), ("Secondary", "secondary")):
            self.kind_box.addItem(label, kind)
        self.sort_box = QComboBox()
        self.sort_box.addItem("Relevance", "relevance")
        self.sort_box.addItem("Date", "date")
        self.status = QLabel()
        self.model = QStandardItemModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        top = QHBoxLayout()
        top.addWidget(self.query_box, 1)
        top.addWidget(self.kind_box)
        top.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.query_box.returnPressed.connect(self.request)
        self.query_box.down_pressed.connect(self.focus_results)
        self.kind_box.activated.connect(lambda _: self.request())
        self.sort_box.activated.connect(lambda _: self.request())
        self.results.activated.connect(self._on_activated)
        self.results.clicked.connect(self._on_activated)
        ops.changed.connect(self.on_changes)

    def request(self) -> None:
        query = self.query_box.text().strip()
        if query:
            self.status.setText("Searching…")
            self._search(query, str(self.kind_box.currentData()), str(self.sort_box.currentData()))

    def _search(self, query: str, kind: str, sort: str) -> None:
        def work(_progress: object) -> SearchResult:
            return self.library.search(query, limit=SEARCH_LIMIT, kind=kind or None, sort=sort)

        self._keep_row = self.shown_query == (query, kind, sort)
        self.shown_query = (query, kind, sort)
        self.ops.run(QueryOp("Search", work, self.show_result, self.show_error))

    def on_changes(self, changes: Changes) -> None:
        if self.shown_query is not None and (changes.document_list() or changes.citations):
            self._search(*self.shown_query)

    def focus_query(self) -> None:
        self.query_box.setFocus()
        self.query_box.selectAll()

    def show_result(self, result: SearchResult) -> None:
        current = self.results.currentIndex().row() if self._keep_row else 0
        self.model.clear()
        for hit in result.hits:
            item = QStandardItem(hit.title)
            item.setData(hit, HIT_ROLE)
            item.setEditable(False)
            item.setToolTip(f"{hit.title}, page {hit.page} (score {hit.score:.1f})")
            self.model.appendRow(item)
        shown = len(result.hits)
        more = f", first {shown} shown" if result.total > shown else ""
        status = f"{result.total} pages{more} · {result.seconds * 1000:.0f} ms"
        self.status.setText(" · ".join([status, *result.notices]))
        if shown:
            self.results.setCurrentIndex(self.model.index(min(max(current, 0), shown - 1), 0))

    def show_error(self, error: Exception) -> None:
        self.model.clear()
        self.shown_query = None
        self.status.setText(f"Search: {error}")

    def focus_results(self) -> None:
        self.results.setFocus()

    def hit(self, row: int) -> SearchHit | None:
        data = self.model.index(row, 0).data(HIT_ROLE)
        return data if isinstance(data, SearchHit) else None

    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hit_activated.emit(hit)
