"""The reader's page area: every page of a document in one continuous column, drawn from the
render cache, with the hit or cited passage marked on the page."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QRubberBand, QWidget

from reader.records import AnnotationInfo
from ui.geometry import Box, rotate_box, rotated_size, unrotate_point
from ui.marks import FOCUS_COLOUR, MarkStyle, annotation_tip
from ui.renderer import PageKey, PageRenderer
from ui.tooltips import answer_tooltip

GAP = 12
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
SCREEN_SCALE = 96 / 72  # pixels per point at 100 %
NOTE_MARK = [8.0, 8.0, 26.0, 26.0]  # where a note on the whole page shows, in points


class FitMode(Enum):
    NONE = "none"
    WIDTH = "width"
    PAGE = "page"


def clamp_zoom(zoom: float) -> float:
    return min(max(zoom, ZOOM_STEPS[0]), ZOOM_STEPS[-1] * 2)


def zoom_step(zoom: float, larger: bool) -> float:
    """The next zoom of ZOOM_STEPS above (or below) a zoom, held to the first and last."""
    if larger:
        return next((z for z in ZOOM_STEPS if z > zoom + 1e-3), ZOOM_STEPS[-1])
    smaller = [z for z in ZOOM_STEPS if z < zoom - 1e-3]
    return smaller[-1] if smaller else ZOOM_STEPS[0]


def wheel_zoomed(
    event: QWheelEvent, zoom_in: Callable[[], None], zoom_out: Callable[[], None]
) -> bool:
    """Ctrl+wheel zooms by the steps of the zoom keys (Qt's own would by a point); whether it
    did (the event taken)."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    zoom_in() if event.angleDelta().y() > 0 else zoom_out()
    event.accept()
    return True


class PageView(QAbstractScrollArea):
    current_page_changed = Signal(int)
    zoom_changed = Signal(float)  # any new zoom: chosen, fitted to a new size, rotated
    zoomed_by = Signal(float)  # the reader chose a zoom: the new one over the one before
    fit_chosen = Signal(object)  # the reader chose a FitMode
    region_selected = Signal(int, list)  # page, [x0, y0, x1, y1] in PDF points
    annotation_clicked = Signal(object)  # AnnotationInfo, or None for a click beside them
    annotation_activated = Signal(object)  # AnnotationInfo (double click)

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        renderer.rendered.connect(self._on_rendered)
        self.doc = 0
        self.sizes: list[tuple[float, float]] = []
        self.zoom = 1.0
        self.fit = FitMode.WIDTH
        self.rotation = 0
        self.highlights: dict[int, list[Box]] = {}
        self.mark_style = MarkStyle.HIT
        self.focus: tuple[int, list[Box]] | None = None
        self.focus_more: dict[int, list[Box]] = {}  # where the focused passage runs on to
        self._tops: list[int] = []
        self._widest = 2 * GAP  # see _content_width
        self._current = 0
        self.annotations: dict[int, list[AnnotationInfo]] = {}
        self.selected_annotation: AnnotationInfo | None = None
        self._press: tuple[QPoint, int] | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAutoFillBackground(True)
        self.viewport().setBackgroundRole(self.palette().ColorRole.Mid)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)

    # Document and view state

    def set_document(self, doc: int, sizes: list[tuple[float, float]]) -> None:
        self.doc, self.sizes = doc, [(w or 612.0, h or 792.0) for w, h in sizes]
        self.highlights, self.focus, self._current = {}, None, 0
        self.renderer.forget_pending()
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self._on_scrolled()

    def page_count(self) -> int:
        return len(self.sizes)

    def current_page(self) -> int:
        """1-based; the page under the middle of the view."""
        return self._current + 1 if self.sizes else 0

    def set_zoom(self, zoom: float) -> None:
        self.fit = FitMode.NONE
        before = self.zoom
        self._apply_zoom(zoom)
        if abs(self.zoom - before) > 1e-6:
            self.zoomed_by.emit(self.zoom / before)

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=True))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=False))

    def set_fit(self, fit: FitMode) -> None:
        self.fit = fit
        self._apply_zoom(self._fitted_zoom())
        self.fit_chosen.emit(fit)

    def rotate(self, degrees: int) -> None:
        page = self.current_page()
        self.rotation = (self.rotation + degrees) % 360
        self.renderer.forget_pending()
        self._apply_zoom(self._fitted_zoom() if self.fit is not FitMode.NONE else self.zoom)
        self.go_to_page(page)

    def set_highlights(
        self,
        highlights: dict[int, list[Box]],
        focus: tuple[int, list[Box]] | None = None,
        focus_more: dict[int, list[Box]] | None = None,
        *,
        style: MarkStyle = MarkStyle.HIT,
    ) -> None:
        self.highlights, self.focus, self.mark_style = highlights, focus, style
        self.focus_more = focus_more or {}
        self.viewport().update()

    def set_annotations(self, annotations: list[AnnotationInfo]) -> None:
        self.annotations = {}
        for annotation in annotations:
            self.annotations.setdefault(annotation.page, []).append(annotation)
        if self.selected_annotation is not None and not any(
            a.id == self.selected_annotation.id for a in annotations
        ):
            self.selected_annotation = None
        self.viewport().update()

    def go_to_page(self, page: int, box: Box | None = None) -> None:
        """Scroll page (1-based) into view; with a box, centre the box instead."""
        if not self.sizes:
            return
        index = min(max(page, 1), len(self.sizes)) - 1
        target = self._tops[index]
        if box is not None:
            rect = self._box_in_view(index, box)
            target = int(rect.center().y() - self.viewport().height() / 2)
            self.horizontalScrollBar().setValue(
                int(rect.center().x() - self.viewport().width() / 2)
            )
        elif self.viewport().height() > self._page_pixels(index)[1]:
            target -= GAP
        self.verticalScrollBar().setValue(target)
        self._on_scrolled()

    def prefetch(self, pages: list[int], *, first: bool = False) -> None:
        """Draw these pages (1-based) ahead, at the present zoom, while nobody waits; `first`:
        before the other pages drawn ahead (those the reader is about to see)."""
        for page in reversed(pages) if first else pages:
            if 1 <= page <= len(self.sizes):
                self.renderer.request(self._key(page - 1), first=first)

    # Layout

    def scale(self) -> float:
        return self.zoom * SCREEN_SCALE

    def render_dpi(self) -> int:
        return max(24, round(72 * self.scale() * self.devicePixelRatioF()))

    def _page_pixels(self, index: int) -> tuple[int, int]:
        width, height = rotated_size(*self.sizes[index], self.rotation)
        return math.ceil(width * self.scale()), math.ceil(height * self.scale())

    def _content_width(self) -> int:
        """The widest page and its margins: measured once for each layout."""
        return self._widest

    def _relayout(self) -> None:
        self._tops = []
        y, widest = GAP, 0
        for index in range(len(self.sizes)):
            self._tops.append(y)
            width, height = self._page_pixels(index)
            y += height + GAP
            widest = max(widest, width)
        self._widest = widest + 2 * GAP
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, y - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(40)
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(0, self._content_width() - self.viewport().width()))
        hbar.setPageStep(self.viewport().width())
        self.viewport().update()

    def _apply_zoom(self, zoom: float) -> None:
        if not self.sizes:
            self.zoom = zoom
            return
        anchor_page, fraction = self._current, self._fraction_into_page()
        self.zoom = clamp_zoom(zoom)
        self._relayout()
        height = self._page_pixels(anchor_page)[1]
        self.verticalScrollBar().setValue(self._tops[anchor_page] + int(fraction * height))
        self.zoom_changed.emit(self.zoom)

    def _fraction_into_page(self) -> float:
        if not self._tops:
            return 0.0
        height = self._page_pixels(self._current)[1] or 1
        return (self.verticalScrollBar().value() - self._tops[self._current]) / height

    def _fitted_zoom(self) -> float:
        if not self.sizes:
            return self.zoom
        width, height = rotated_size(*self.sizes[self._current], self.rotation)
        room_w = max(50, self.viewport().width() - 2 * GAP) / SCREEN_SCALE
        room_h = max(50, self.viewport().height() - 2 * GAP) / SCREEN_SCALE
        if self.fit is FitMode.PAGE:
            return min(room_w / width, room_h / height)
        if self.fit is FitMode.WIDTH:
            return room_w / width
        return self.zoom

    def _page_rect(self, index: int) -> QRect:
        width, height = self._page_pixels(index)
        content = max(self._content_width(), self.viewport().width())
        x = (content - width) // 2 - self.horizontalScrollBar().value()
        y = self._tops[index] - self.verticalScrollBar().value()
        return QRect(x, y, width, height)

    def box_on_screen(self, page: int, box: Box) -> QRectF:
        """Where a box of a page (1-based) stands in the viewport now."""
        index = page - 1
        return self._on_screen(index, box, QPointF(self._page_rect(index).topLeft()), self.scale())

    def _box_in_view(self, index: int, box: Box) -> QRectF:
        """A box in PDF points as content coordinates (unscrolled)."""
        rect = rotate_box(box, *self.sizes[index], self.rotation)
        page = self._page_rect(index).translated(
            self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        )
        s = self.scale()
        return QRectF(page.x() + rect.x() * s, page.y() + rect.y() * s, rect.width() * s,
                      rect.height() * s)  # fmt: skip

    def visible_pages(self) -> range:
        if not self._tops:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        last = max(first, bisect.bisect_right(self._tops, bottom) - 1)
        return range(first, last + 1)

    # Events

    def _on_scrolled(self) -> None:
        if self._tops:
            middle = self.verticalScrollBar().value() + self.viewport().height() // 2
            current = max(0, bisect.bisect_right(self._tops, middle) - 1)
            if current != self._current:
                self._current = current
                self.current_page_changed.emit(current + 1)
        self.viewport().update()

    def _on_rendered(self, key: PageKey) -> None:
        if key.doc == self.doc and key.page - 1 in self.visible_pages():
            self.viewport().update()

    def _key(self, index: int) -> PageKey:
        return PageKey(self.doc, index + 1, self.render_dpi(), self.rotation)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        visible = self.visible_pages()
        for index in visible:
            self._paint_page(painter, index)
        painter.end()
        # Prefetch the neighbours so that scrolling on finds them ready.
        for index in (visible.start - 1, visible.stop):
            if 0 <= index < len(self.sizes):
                self.renderer.request(self._key(index))

    def _paint_page(self, painter: QPainter, index: int) -> None:
        rect = self._page_rect(index)
        key = self._key(index)
        image = self.renderer.image(key)
        if image is None:
            self.renderer.request(key, urgent=True)
            image = self.renderer.nearest(key)
        painter.fillRect(rect, Qt.GlobalColor.white)
        if image is not None:
            painter.drawImage(QRectF(rect), image)
        elif key in self.renderer.failed:
            painter.setPen(Qt.GlobalColor.darkRed)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "This page cannot be drawn")
        else:
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Page {index + 1}")
        self._paint_marks(painter, index, rect)

    def _paint_marks(self, painter: QPainter, index: int, rect: QRect) -> None:
        s = self.scale()
        origin = QPointF(rect.topLeft())
        self._paint_annotations(painter, index, origin)
        painter.setPen(Qt.PenStyle.NoPen)
        style = self.mark_style
        for box in self.highlights.get(index + 1, []):
            target = self._on_screen(index, box, origin, s)
            painter.fillRect(target, style.fill())
            pen = QPen(style.line(), 2 if style is MarkStyle.HIT else 1.5)
            painter.setPen(pen)
            if style is MarkStyle.HIT:
                painter.drawLine(target.bottomLeft(), target.bottomRight())
            else:
                painter.drawRect(target)
            painter.setPen(Qt.PenStyle.NoPen)
        focused = list(self.focus_more.get(index + 1, []))
        if self.focus is not None and self.focus[0] == index + 1:
            focused += self.focus[1]
        for box in focused:
            painter.fillRect(self._on_screen(index, box, origin, s), FOCUS_COLOUR)

    def _on_screen(self, index: int, box: Box, origin: QPointF, s: float) -> QRectF:
        r = rotate_box(box, *self.sizes[index], self.rotation)
        return QRectF(origin + QPointF(r.x() * s, r.y() * s), r.size() * s).adjusted(-1, -1, 1, 1)

    def _paint_annotations(self, painter: QPainter, index: int, origin: QPointF) -> None:
        s = self.scale()
        for annotation in self.annotations.get(index + 1, []):
            colour = QColor(annotation.color)
            selected = self.selected_annotation is not None and (
                self.selected_annotation.id == annotation.id
            )
            for box in annotation.rects or [NOTE_MARK]:
                r = rotate_box(box, *self.sizes[index], self.rotation)
                target = QRectF(origin + QPointF(r.x() * s, r.y() * s), r.size() * s)
                fill = QColor(colour)
                fill.setAlpha(70 if annotation.kind == "area" else 110)
                painter.fillRect(target, fill)
                if annotation.kind == "area" or selected or not annotation.rects:
                    painter.setPen(QPen(colour.darker(150), 2 if selected else 1))
                    painter.drawRect(target)
                    painter.setPen(Qt.PenStyle.NoPen)

    # Selecting regions and annotations with the mouse

    def _page_point(self, point: QPoint) -> tuple[int, float, float] | None:
        """The page under a viewport point and the point in the page's own PDF points."""
        for index in self.visible_pages():
            if self._page_rect(index).contains(point):
                return (index, *self._point_on_page(index, point))
        return None

    def _point_on_page(self, index: int, point: QPoint) -> tuple[float, float]:
        """A viewport point in page `index`'s own PDF points, held to the page's edges: a drag
        that runs past them selects up to them."""
        rect, s = self._page_rect(index), self.scale()
        x = min(max(point.x() - rect.x(), 0), rect.width()) / s
        y = min(max(point.y() - rect.y(), 0), rect.height()) / s
        return unrotate_point(x, y, *self.sizes[index], self.rotation)

    def annotation_at(self, point: QPoint) -> AnnotationInfo | None:
        found = self._page_point(point)
        if found is None:
            return None
        index, x, y = found
        for annotation in reversed(self.annotations.get(index + 1, [])):
            for x0, y0, x1, y1 in annotation.rects or [NOTE_MARK]:
                if x0 <= x <= x1 and y0 <= y <= y1:
                    return annotation
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            found = self._page_point(event.position().toPoint())
            if found is not None:
                self._press = (event.position().toPoint(), found[0])
                self._band.setGeometry(QRect(self._press[0], QSize()))
                self._band.show()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            self._band.setGeometry(QRect(self._press[0], event.position().toPoint()).normalized())
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        start, index = self._press
        self._press = None
        self._band.hide()
        end = event.position().toPoint()
        if (end - start).manhattanLength() < 5:
            self.selected_annotation = self.annotation_at(end)
            self.annotation_clicked.emit(self.selected_annotation)
            self.viewport().update()
            return
        (x0, y0), (x1, y1) = (self._point_on_page(index, p) for p in (start, end))
        box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
        if box[0] < box[2] and box[1] < box[3]:
            self.region_selected.emit(index + 1, box)

    def viewportEvent(self, event: QEvent) -> bool:
        return answer_tooltip(event, self.viewport(), self._tip_at) or super().viewportEvent(event)

    def _tip_at(self, point: QPoint) -> str:
        annotation = self.annotation_at(point)
        return annotation_tip(annotation) if annotation is not None else ""

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        annotation = self.annotation_at(event.position().toPoint())
        if annotation is not None:
            self.selected_annotation = annotation
            self.annotation_activated.emit(annotation)
            return
        super().mouseDoubleClickEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit is not FitMode.NONE and self.sizes:
            self._apply_zoom(self._fitted_zoom())
        else:
            self._relayout()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not wheel_zoomed(event, self.zoom_in, self.zoom_out):
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        match event.key():
            case Qt.Key.Key_Home:
                self.go_to_page(1)
            case Qt.Key.Key_End:
                self.go_to_page(len(self.sizes))
            case Qt.Key.Key_PageDown if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.go_to_page(self.current_page() + 1)
            case Qt.Key.Key_PageUp if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.go_to_page(self.current_page() - 1)
            case _:
                super().keyPressEvent(event)
