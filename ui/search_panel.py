"""Search across every page and note: a query box with the full syntax and the hits with their
highlighted snippets, page numbers and OCR confidence, and under a hit on a scan or a PDF a
small image of its line on the page, so that a reader judges a noisy hit before opening it.
A hit in the researchers' notes is marked as a note (✎, its author, a tinted band) and opens
the page with that annotation selected. Arrows and Enter open a hit.

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
from reader.models import TextSource
from reader.records import SearchHit, SearchResult
from ui.changes import Changes
from ui.library_panel import cut
from ui.renderer import LineKey, PageRenderer
from ui.workers import Operations, QueryOp

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
SEARCH_LIMIT = 200
SCOPE_CHARS = 40  # a place named in the status line is cut to this
SYNTAX_HELP = (
    'Words, "exact phrases", AND / OR / NOT, prefix*, fuzzy~ for OCR damage,\n'
    "kind:primary, id:NOKW-1088, collection:NAME, date:1943-03, date:[1943-01 TO 1943-06],\n"
    'the archive\'s order: repository:NARA, rg:238, series:T-311, box:"Box 7/12", folder:, item:\n'
    "lang:de (a document's language), in:notes (only the notes: yours and the shared ones), "
    "in:pages"
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
NOTE_COLOUR = "#1c7ed6"  # a note hit's mark: reads on the light and the dark palette alike
NOTE_BAND = 3  # pixels: the band down the left of a note hit's row
NOTES = "notes"


def is_note(hit: SearchHit) -> bool:
    return hit.layer == NOTES and hit.annotation is not None


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
    if is_note(hit):
        # A note, not the page's own text: said first, in its own colour, with its author.
        by = f" by {hit.note_author}" if hit.note_author else ""
        mark = _coloured(f"✎ Note{by}", NOTE_COLOUR if muted == "gray" else muted)
        snippet = f"<b>{mark}</b>: <i>{snippet}</i>"
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
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit) and is_note(hit):  # a band down a note's row
            band = QRect(option.rect.left(), option.rect.top(), NOTE_BAND, option.rect.height())
            painter.fillRect(band, QColor(NOTE_COLOUR))
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
    if is_note(hit):
        tip += f"\nA note by {hit.note_author or 'an unnamed author'}: opens on its page"
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
        self.query_box.setPlaceholderText(
            'Search all pages and notes  (e.g. Horstenau~ "supply columns", in:notes)'
        )
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
        self.results.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.line_images.rendered.connect(self._on_line_image)
        self.line_images.dropped.connect(self.results.viewport().update)
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
        # Notes are searched too: an annotation written, edited or deleted runs it again.
        searchable = changes.document_list() or changes.citations or bool(changes.annotations)
        if self.shown_query is not None and searchable:
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
        where = f" in {cut(place_label(self.scope), SCOPE_CHARS)}" if self.scope else ""
        notes = sum(1 for hit in result.hits if is_note(hit))
        total = result.total
        found = (
            f"{total} {'hit' if total == 1 else 'hits'} ({notes} in notes)"
            if notes
            else f"{total} {'page' if total == 1 else 'pages'}"
        )
        status = f"{found}{more}{where} · {result.seconds * 1000:.0f} ms"
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
