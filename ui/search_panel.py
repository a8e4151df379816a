"""Search across every page: a query box with the full syntax and the hits with their
highlighted snippets, page numbers and OCR confidence; arrows and Enter open a hit."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QResizeEvent,
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
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.archive_order import place_label, within_query
from reader.library import Library
from reader.records import SearchHit, SearchResult
from ui.archive_tree import cut
from ui.changes import Changes
from ui.workers import Operations, QueryOp

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
SEARCH_LIMIT = 200
SCOPE_CHARS = 40  # a place named in the status line is cut to this
SYNTAX_HELP = (
    'Words, "exact phrases", AND / OR / NOT, prefix*, fuzzy~ for OCR damage,\n'
    "kind:primary, id:NOKW-1088, collection:NAME, date:1943-03, date:[1943-01 TO 1943-06],\n"
    'the archive\'s order: repository:NARA, rg:238, series:T-311, box:"Box 7/12", folder:, item:'
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


class ScopeChip(QToolButton):
    """The place in the archive that searches keep to, as a chip that removes itself when
    clicked; its text cut to the width it is given, never widening the panel."""

    CLOSE = "  ✕"
    PADDING = 24  # the button's frame and margins, with room to spare
    WIDEST = 280  # the width it asks for at most: a dock must not grow for a long place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self.updateGeometry()
        self._cut_to_width()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        wanted = metrics.horizontalAdvance(self.full[:200] + self.CLOSE) + self.PADDING + 8
        return QSize(min(wanted, self.WIDEST), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(60, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._cut_to_width()

    def _cut_to_width(self) -> None:
        metrics = self.fontMetrics()
        room = max(10, self.width() - self.PADDING - metrics.horizontalAdvance(self.CLOSE))
        self.setText(metrics.elidedText(self.full, Qt.TextElideMode.ElideMiddle, room) + self.CLOSE)


class SearchPanel(QWidget):
    """Runs its own searches; after a change to what is searchable, the shown one again."""

    hit_activated = Signal(object)  # SearchHit
    scope_cleared = Signal()  # the chip was clicked: search the whole library again

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.shown_query: tuple[str, str, str, str] | None = None  # query, kind, sort, within
        self.scope: tuple[str, ...] = ()  # the place in the archive searches keep to
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
        # A long line (a place, a notice) is cut at the panel's edge, never widening the dock.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scope_chip = ScopeChip()
        self.scope_chip.hide()
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
        chips = QHBoxLayout()
        chips.addWidget(self.scope_chip)
        chips.addStretch(1)
        layout.addLayout(chips)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.query_box.returnPressed.connect(self.request)
        self.query_box.down_pressed.connect(self.focus_results)
        self.kind_box.activated.connect(lambda _: self.request())
        self.sort_box.activated.connect(lambda _: self.request())
        self.results.activated.connect(self._on_activated)
        self.results.clicked.connect(self._on_activated)
        self.scope_chip.clicked.connect(self._clear_scope)
        ops.changed.connect(self.on_changes)

    def request(self) -> None:
        query = self.query_box.text().strip()
        if query:
            self.status.setText("Searching…")
            kind, sort = str(self.kind_box.currentData()), str(self.sort_box.currentData())
            self._search(query, kind, sort, within_query(self.scope))

    def _search(self, query: str, kind: str, sort: str, within: str = "") -> None:
        def work(_progress: object) -> SearchResult:
            return self.library.search(
                query, limit=SEARCH_LIMIT, kind=kind or None, sort=sort, within=within
            )

        self._keep_row = self.shown_query == (query, kind, sort, within)
        self.shown_query = (query, kind, sort, within)
        self.ops.run(QueryOp("Search", work, self.show_result, self.show_error))

    def set_scope(self, place: tuple[str, ...]) -> None:
        """Keep searches to a place in the archive (() for the whole library), shown as a
        chip; the search shown is run again within it."""
        if place == self.scope:
            return
        self.scope = place
        self.scope_chip.set_full_text(f"in: {place_label(place)}")
        fields = html.escape(within_query(place), quote=False)
        self.scope_chip.setToolTip(
            f"<p>Searches keep to {html.escape(cut(place_label(place), 300))}: the query gains "
            f"<code>{fields}</code>. Click to search the whole library.</p>"
        )
        self.scope_chip.setVisible(bool(place))
        if self.shown_query is not None:
            self.request()

    def _clear_scope(self) -> None:
        self.set_scope(())
        self.scope_cleared.emit()

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
        where = f" in {cut(place_label(self.scope), SCOPE_CHARS)}" if self.scope else ""
        status = f"{result.total} pages{more}{where} · {result.seconds * 1000:.0f} ms"
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
