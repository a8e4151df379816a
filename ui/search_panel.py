"""Search across every page: a query box with the full syntax and the hits with their
highlighted snippets, page numbers and OCR confidence, and under a hit on a scan or a PDF a
small image of its line on the page, so that a reader judges a noisy hit before opening it.
Arrows and Enter open a hit.

The line images are drawn off the GUI thread by a page renderer of the panel's own, only for
the rows the list shows, and kept in its cache; a row keeps the image's place from the start,
so the list does not move when they come.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QImage,
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
from reader.models import TextSource
from reader.records import SearchHit, SearchResult
from ui.changes import Changes
from ui.renderer import LineKey, PageRenderer
from ui.workers import Operations, QueryOp

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
SEARCH_LIMIT = 200
SYNTAX_HELP = (
    'Words, "exact phrases", AND / OR / NOT, prefix*, fuzzy~ for OCR damage,\n'
    "kind:primary, id:NOKW-1088, collection:NAME, date:1943-03, date:[1943-01 TO 1943-06]"
)
# Below this OCR confidence a hit is marked: its words may well be misread.
LOW_CONFIDENCE = 60.0
WARNING = "#d9480f"  # reads on the light and the dark palette alike
# A hit's line is drawn at LINE_DPI and shown at most LINE_HEIGHT pixels high under the
# snippet; a line wider than the list shows the part around the hit's words.
LINE_DPI = 100
LINE_HEIGHT = 32
LINE_GAP = 3  # pixels above and below the image
SETTLE_MS = 120  # a list still this long after a scroll is read, not flicked through
HIT_MARK = QColor("#ffe066")


def confidence_text(hit: SearchHit) -> str:
    """ "OCR 87 %" for a page whose text was read from its scan, "" for a page that has its
    own text (a born-digital PDF, an HTML or a text file)."""
    if hit.confidence is None or hit.source not in (TextSource.OCR, TextSource.TRANSCRIPTION):
        return ""
    name = "OCR" if hit.source == TextSource.OCR else "transcription"
    return f"{name} {hit.confidence:.0f} %"


def is_low_confidence(hit: SearchHit) -> bool:
    return bool(confidence_text(hit)) and (hit.confidence or 0.0) < LOW_CONFIDENCE


def hit_html(hit: SearchHit, muted: str = "gray", warning: str = WARNING) -> str:
    """The snippet marks matches with <b>; the rest is escaped text. An identifier that is
    the title already is not printed again; `muted` is the secondary text's colour, `warning`
    the colour of a low OCR confidence, marked with ⚠ too."""
    ids = ", ".join(i for i in hit.identifiers if i.casefold() != hit.title.casefold())
    title = html.escape(hit.title) + (f" {_coloured(ids, muted)}" if ids else "")
    details = []
    confidence = confidence_text(hit)
    if confidence and is_low_confidence(hit):
        details.append(f"<b>{_coloured(f'⚠ {confidence}', warning)}</b>")
    elif confidence:
        details.append(_coloured(confidence, muted))
    if hit.date:
        details.append(_coloured(hit.date, muted))
    snippet = hit.snippet.replace("<b>", '<b style="background:#ffe066; color:#111">')
    return (
        f"<div><b>{title}</b> — page {hit.page}"
        f"{''.join(_coloured(' · ', muted) + detail for detail in details)}<br>{snippet}</div>"
    )


def _coloured(text: str, colour: str) -> str:
    return f"<span style='color:{colour}'>{html.escape(text)}</span>"


def line_key(hit: SearchHit) -> LineKey | None:
    """The hit's line image, for a hit whose words have boxes on a drawn page; None for a
    page of text (HTML, EPUB, plain text), which shows no image and keeps no room for one."""
    if not hit.boxes:
        return None
    return LineKey(hit.doc, hit.page, LINE_DPI, tuple(tuple(box[:4]) for box in hit.boxes))


def image_dpi(image: QImage) -> float:
    return image.dotsPerMeterX() * 0.0254 or float(LINE_DPI)


class HtmlDelegate(QStyledItemDelegate):
    """Rich text rows: the snippet's highlighting, wrapped to the list's width, and under it
    the image of the hit's line once the renderer has it (asked for when the row is drawn)."""

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        # While the list scrolls, rows only show what is drawn already: a render holds the
        # interpreter (MuPDF keeps the GIL), and the rows a flick passes need no image.
        self.deferring = False

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        hit = index.data(HIT_ROLE)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = option.palette.ColorRole.HighlightedText if selected else None
        muted = option.palette.color(role).name() if role is not None else "gray"
        warning = muted if selected else WARNING
        text = hit_html(hit, muted, warning) if isinstance(hit, SearchHit) else ""
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
        hit = index.data(HIT_ROLE)
        key = line_key(hit) if isinstance(hit, SearchHit) else None
        if key is not None:
            top = option.rect.top() + int(document.size().height()) + LINE_GAP
            slot = QRect(option.rect.left() + 4, top, option.rect.width() - 8, LINE_HEIGHT)
            self._paint_line(painter, option, slot, key)

    def _paint_line(
        self, painter: QPainter, option: QStyleOptionViewItem, slot: QRect, key: LineKey
    ) -> None:
        image = self.renderer.image(key)
        if image is None:
            if key in self.renderer.failed:
                painter.save()
                painter.setPen(option.palette.color(option.palette.ColorRole.PlaceholderText))
                painter.drawText(slot, Qt.AlignmentFlag.AlignVCenter, "(no image of this line)")
                painter.restore()
            else:
                if not self.deferring:
                    self.renderer.request(key)
                painter.fillRect(slot, option.palette.color(option.palette.ColorRole.Midlight))
            return
        scale = min(1.0, slot.height() / max(1, image.height()))
        shown = min(float(image.width()), slot.width() / scale)  # image pixels that fit
        marks = _marks(image, key)
        middle = sum(m.center().x() for m in marks) / len(marks) if marks else shown / 2
        left = min(max(0.0, middle - shown / 2), image.width() - shown)
        source = QRectF(left, 0, shown, image.height())
        target = QRectF(slot.left(), slot.top(), shown * scale, image.height() * scale)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image, source)
        # The hit's own words, marked as the snippet marks them; the ink shows through.
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.setClipRect(target)
        for mark in marks:
            painter.fillRect(
                QRectF(
                    target.left() + (mark.left() - left) * scale,
                    target.top() + mark.top() * scale,
                    mark.width() * scale,
                    mark.height() * scale,
                ),
                HIT_MARK,
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        hit = index.data(HIT_ROLE)
        line = LINE_HEIGHT + 2 * LINE_GAP if isinstance(hit, SearchHit) and hit.boxes else 0
        return QSize(int(document.idealWidth()), int(document.size().height()) + 4 + line)


def _marks(image: QImage, key: LineKey) -> list[QRectF]:
    """The hit's boxes that stand on the line image, in the image's pixels."""
    scale = image_dpi(image) / 72.0
    offset = image.offset()
    bounds = QRectF(0, 0, image.width(), image.height())
    marks = []
    for x0, y0, x1, y1 in (box[:4] for box in key.boxes):
        mark = QRectF(
            x0 * scale - offset.x(), y0 * scale - offset.y(), (x1 - x0) * scale, (y1 - y0) * scale
        )
        if bounds.contains(mark.center()):
            marks.append(mark)
    return marks


def hit_tooltip(hit: SearchHit) -> str:
    tip = f"{hit.title}, page {hit.page} (score {hit.score:.1f})"
    if confidence_text(hit):
        tip += f"\n{confidence_text(hit)} confidence of the page's text"
        if is_low_confidence(hit):
            tip += ": low, its words may be misread; compare the line's image"
    return tip


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
        # Its own renderer, one thread: dropping the line images a scroll went past leaves
        # the reader's page renders alone.
        self.line_images = PageRenderer(library, self, threads=1)
        self.results = QListView()
        self.results.setModel(self.model)
        self.delegate = HtmlDelegate(self.line_images, self.results)
        self.results.setItemDelegate(self.delegate)
        self._settling = QTimer(self)
        self._settling.setSingleShot(True)
        self._settling.setInterval(SETTLE_MS)
        self._settling.timeout.connect(self._on_settled)
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
        self.results.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.line_images.rendered.connect(self._on_line_image)
        self.line_images.dropped.connect(self.results.viewport().update)
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
        self.line_images.forget_pending()  # the lines of the last result's rows
        self.model.clear()
        for hit in result.hits:
            item = QStandardItem(hit.title)
            item.setData(hit, HIT_ROLE)
            item.setEditable(False)
            item.setToolTip(hit_tooltip(hit))
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

    def busy(self) -> bool:
        """Whether line images the list asked for are still being drawn."""
        return self.line_images.busy()

    def _on_scrolled(self) -> None:
        """The line images still queued are for rows the list may no longer show: drop
        them; the rows shown when the list comes to rest ask again."""
        if self.line_images.busy():
            self.line_images.forget_pending()
        self.delegate.deferring = True
        self._settling.start()

    def _on_settled(self) -> None:
        self.delegate.deferring = False
        self.results.viewport().update()

    def _on_line_image(self, key: object) -> None:
        if isinstance(key, LineKey):
            self.results.viewport().update()

    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hit_activated.emit(hit)
