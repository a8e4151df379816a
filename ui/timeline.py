"""The chronology: the primary documents on a timeline by date, and beside it the dates of the
article open in the reader, each with the documents of that date.

Each dated document is a mark on its day; several on one day stack, and more than the height
holds are drawn as one bar with their count. A date known only to the month or the year is a
hatched bar across that month or year, above the days. Dates before 1800 or after 2100 stand
apart at the two ends; documents without a date are counted. With an article open, the
documents it cites are drawn in green, and its own dates are orange flags on the axis (filled
where a document of that date exists) and rows of the list beside.

Zoom: Ctrl+wheel at the mouse, + and - (at the middle), 0 or F to fit; the wheel and the
arrow keys move along. A click on a mark opens its document; on a bar of several, a menu.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.chronology import FIRST_YEAR, LAST_YEAR, day_span
from reader.library import Library
from reader.records import (
    ArticleChronology,
    Chronology,
    DatedClaim,
    DatedDocument,
    DocumentInfo,
)
from ui.changes import Changes
from ui.tooltips import answer_tooltip
from ui.workers import Operations, QueryOp

MARK_WIDTH = 8.0
MARK_HEIGHT = 6.0
STEP = MARK_HEIGHT + 1  # one mark above the other
LANE_ROW = 7.0  # a row of month- and year-dated bars
LANE_ROWS = 3
TOP = 4.0
COUNT_ROOM = 14.0  # above the highest mark: the count of a bar
FLAG_ROOM = 10.0  # above the axis: the article's dates
AXIS_HEIGHT = 36.0
GUTTER = 64.0  # each end: the dates outside 1800–2100
MAX_SCALE = 160.0  # pixels a day, zoomed in as far as it goes
ZOOM_STEP = 1.5
MENU_ROWS = 30
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
INDEX_ROLE = Qt.ItemDataRole.UserRole + 2

MARK = QColor(84, 104, 138)
GUESSED = QColor(150, 164, 190)  # a date read from a file name or first page, unconfirmed
CITED = QColor(46, 160, 67)
CURRENT = QColor(255, 200, 60)  # the document open in the reader
FLAG = QColor(240, 140, 40)  # a date the article names
CLAIM_BAND = QColor(255, 236, 140, 110)

LEGEND = (
    "Each mark a primary document on its day (pale: a date guessed from the file name or "
    "first page); green: cited by the open article; yellow: the document open. A hatched bar: "
    "dated to the month or year only. A dark bar with a number: more documents than the "
    "height holds. Orange flags: the article's dates, filled where documents of that date "
    "exist. Dates before 1800 or after 2100 stand at the ends."
)
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip


def readable_date(iso: str) -> str:
    """ "1943-03-17" as "17 March 1943", "1943-03" as "March 1943"."""
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso


@dataclass(frozen=True)
class Mark:
    """Something drawn that answers a click or a tooltip: one document, a bar of several, or
    a flag of the article's dates (kind: day, span, count, outside or claim)."""

    rect: QRectF
    docs: tuple[int, ...]
    kind: str
    cited: int = 0  # how many of docs the article cites
    claim: int | None = None  # a flag: the index of its claim


class TimelineView(QAbstractScrollArea):
    """The timeline itself, painted: days from left to right, documents stacked on them."""

    document_activated = Signal(int)
    claim_clicked = Signal(int)  # the index of a claim whose flag was clicked
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.setMinimumHeight(140)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.documents: dict[int, DatedDocument] = {}
        self.days: list[DatedDocument] = []  # dated to the day, 1800–2100, by day
        self.spans: list[tuple[int, int, list[DatedDocument], int]] = []  # first, last, row
        self.before: list[DatedDocument] = []
        self.after: list[DatedDocument] = []
        self.cited: set[int] = set()
        self.current: int | None = None
        self.claims: list[DatedClaim] = []
        self.selected_claim: int | None = None
        self.start_day = self.end_day = date(1943, 1, 1).toordinal()
        self.scale = 1.0
        self.fitted = True
        self.marks: list[Mark] = []  # as last painted
        self.menu: QMenu | None = None  # the last menu of several documents
        self._boxes: dict[int, tuple[QColor, list[QRectF]]] = {}  # to draw, by colour
        self._labels: list[tuple[QPointF, str]] = []
        self._day_groups: list[tuple[int, list[DatedDocument]]] = []
        self._columns: tuple[float, list[float], list[list[DatedDocument]]] | None = None

    # What is shown

    def set_documents(self, documents: Sequence[DatedDocument]) -> None:
        self.documents = {d.id: d for d in documents}
        inside = [d for d in documents if not d.outside]
        by_day_then_id = attrgetter("first_day", "id")
        self.days = sorted((d for d in inside if d.precision == "day"), key=by_day_then_id)
        by_day = groupby(self.days, key=attrgetter("first_day"))
        self._day_groups = [(day, list(docs)) for day, docs in by_day]
        self.spans = _lane_rows(d for d in inside if d.precision != "day")
        first_year = _ordinal(FIRST_YEAR)
        self.before = [d for d in documents if d.outside and d.first_day < first_year]
        self.after = [d for d in documents if d.outside and d.first_day >= first_year]
        self._set_range()

    def set_article(
        self, claims: Sequence[DatedClaim], cited: Iterable[int], *, focus: bool = False
    ) -> None:
        """An article's dates and the documents it cites. With `focus` (another article),
        or where the whole timeline was shown, it closes in on the days the article names."""
        self.claims = list(claims)
        self.cited = set(cited)
        self.selected_claim = None
        self._set_range()
        if focus and not self.fitted:
            self.show_article_days()

    def show_article_days(self) -> None:
        """The days the article names (else those of the documents it cites), across most
        of the width."""
        spans = [day_span(claim.found.date) for claim in self.claims]
        days = [(s[0], s[1]) for s in spans if s is not None]
        if not days:
            days = [(d.first_day, d.last_day) for d in self.documents.values()
                    if d.id in self.cited and not d.outside]  # fmt: skip
        days = [(first, last) for first, last in days if self.start_day <= first <= self.end_day]
        if days:
            first, last = min(f for f, _ in days), max(last for _, last in days)
            self.show_days(first, last, share=0.8)

    def set_current(self, doc: int | None) -> None:
        self.current = doc
        self.viewport().update()

    def _set_range(self) -> None:
        days = [first for first, _, _, _ in self.spans]
        ends = [last for _, last, _, _ in self.spans]
        if self._day_groups:  # by day: the first and the last
            days.append(self._day_groups[0][0])
            ends.append(self._day_groups[-1][0])
        for claim in self.claims:
            span = day_span(claim.found.date)
            if span is not None and FIRST_YEAR <= int(claim.found.date[:4]) <= LAST_YEAR:
                days.append(span[0])
                ends.append(span[1])
        if days:
            first, last = min(days), max(ends)
        else:
            first = last = date(1943, 1, 1).toordinal()
        margin = max(15, (last - first) // 20)
        self.start_day, self.end_day = first - margin, last + margin
        self._columns = None
        if self.fitted:
            self.fit()
            self.show_article_days()
        else:  # the reader's zoom stays, as far as the new range allows
            self.scale = max(self.scale, self.fit_scale())
            self._update_scrollbar()
            self.viewport().update()

    # Zoom and scroll

    def plot_left(self) -> float:
        return GUTTER if self.before else 0.0

    def plot_width(self) -> float:
        right = GUTTER if self.after else 0.0
        return max(self.viewport().width() - self.plot_left() - right, 10.0)

    def fit_scale(self) -> float:
        return self.plot_width() / max(self.end_day - self.start_day + 1, 1)

    def fit(self) -> None:
        self.scale = self.fit_scale()
        self.fitted = True
        self._columns = None
        self._update_scrollbar()
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()
        self.zoom_changed.emit(self.scale)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_by(self, factor: float, at: float | None = None) -> None:
        """Zoom by `factor`, the day under `at` (viewport x; the middle) staying put."""
        at = self.plot_left() + self.plot_width() / 2 if at is None else at
        day = self.day_at(at)
        scale = min(max(self.scale * factor, self.fit_scale()), MAX_SCALE)
        if scale == self.scale:
            return
        self.scale = scale
        self.fitted = scale <= self.fit_scale()
        self._columns = None
        self._update_scrollbar()
        self.horizontalScrollBar().setValue(
            round((day - self.start_day) * scale - (at - self.plot_left()))
        )
        self.viewport().update()
        self.zoom_changed.emit(self.scale)

    def show_days(self, first: int, last: int, share: float = 1 / 3) -> None:
        """Bring the days first..last into the middle: a day zoomed in enough to tell it from
        the next, longer spans across `share` of the width."""
        span = last - first + 1
        wanted = max(self.scale, 12.0) if span == 1 else self.plot_width() * share / span
        self.scale = min(max(wanted, self.fit_scale()), MAX_SCALE)
        self.fitted = self.scale <= self.fit_scale()
        self._columns = None
        self._update_scrollbar()
        middle = (first + last + 1) / 2
        self.horizontalScrollBar().setValue(
            round((middle - self.start_day) * self.scale - self.plot_width() / 2)
        )
        self.viewport().update()
        self.zoom_changed.emit(self.scale)

    def day_at(self, x: float) -> float:
        return self.start_day + (x - self.plot_left() + self._scroll()) / self.scale

    def x_of(self, day: float) -> float:
        return self.plot_left() + (day - self.start_day) * self.scale - self._scroll()

    def _scroll(self) -> int:
        return self.horizontalScrollBar().value()

    def _update_scrollbar(self) -> None:
        content = (self.end_day - self.start_day + 1) * self.scale
        bar = self.horizontalScrollBar()
        bar.setRange(0, max(0, math.ceil(content - self.plot_width())))
        bar.setPageStep(round(self.plot_width()))
        bar.setSingleStep(max(1, round(self.plot_width() / 20)))

    # Events

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()
        else:
            self.scale = max(self.scale, self.fit_scale())
            self._columns = None
            self._update_scrollbar()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP**steps, event.position().x())
        else:
            delta = event.angleDelta().x() or event.angleDelta().y()
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - round(delta / 120 * bar.singleStep() * 3))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        bar = self.horizontalScrollBar()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key in (Qt.Key.Key_0, Qt.Key.Key_F):
            self.fit()
        elif key == Qt.Key.Key_Left:
            bar.setValue(bar.value() - bar.singleStep())
        elif key == Qt.Key.Key_Right:
            bar.setValue(bar.value() + bar.singleStep())
        elif key == Qt.Key.Key_Home:
            bar.setValue(0)
        elif key == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        mark = self.mark_at(event.position())
        if mark is None:
            return
        if mark.claim is not None:
            self.claim_clicked.emit(mark.claim)
        elif len(mark.docs) == 1:
            self.document_activated.emit(mark.docs[0])
        elif mark.docs:
            self.menu = self.documents_menu(mark.docs)
            self.menu.popup(self.viewport().mapToGlobal(event.position().toPoint()))

    def viewportEvent(self, event: QEvent) -> bool:
        if answer_tooltip(event, self.viewport(), self.tooltip_at):
            return True
        return super().viewportEvent(event)

    def mark_at(self, point: QPointF | QPoint) -> Mark | None:
        at = QPointF(point)
        for mark in reversed(self.marks):
            if mark.rect.adjusted(-1, -1, 1, 1).contains(at):
                return mark
        return None

    def documents_menu(self, docs: Sequence[int]) -> QMenu:
        """A menu of the documents of a bar, cited first; each opens its document."""
        menu = QMenu(self)
        ordered = sorted(docs, key=lambda d: (d not in self.cited, d))
        for doc in ordered[:MENU_ROWS]:
            info = self.documents[doc]
            text = f"{info.label} — {readable_date(info.date)}"
            if info.label != info.title:
                text += f" — {_cut(info.title, 60)}"
            if doc in self.cited:
                text += "  (cited)"
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, d=doc: self.document_activated.emit(d))
        if len(ordered) > MENU_ROWS:
            more = menu.addAction(f"… and {len(ordered) - MENU_ROWS:,} more: zoom in, or search")
            more.setEnabled(False)
        return menu

    def tooltip_at(self, point: QPoint) -> str:
        mark = self.mark_at(point)
        if mark is None:
            return ""
        if mark.claim is not None:
            claim = self.claims[mark.claim]
            return f"The article: {readable_date(claim.found.date)}\n“{claim.found.context}”"
        if len(mark.docs) > 5:
            dates = sorted({self.documents[doc].date for doc in mark.docs})
            when = readable_date(dates[0])
            if len(dates) > 1:
                when = f"{when} to {readable_date(dates[-1])}"
            cited = f", {mark.cited:,} cited by the article" if mark.cited else ""
            return f"{len(mark.docs):,} documents of {when}{cited}. Click to choose one."
        return "\n".join(self._describe(self.documents[doc]) for doc in mark.docs)

    def _describe(self, doc: DatedDocument) -> str:
        text = f"{doc.label} — {readable_date(doc.date)}"
        if doc.label != doc.title:
            text += f"\n{_cut(doc.title, 100)}"
        notes = []
        if doc.precision != "day":
            notes.append(f"dated to the {doc.precision} only")
        if doc.guessed:
            notes.append("date guessed from the file or its first page")
        if doc.outside:
            notes.append(f"outside {FIRST_YEAR}–{LAST_YEAR}")
        if doc.id in self.cited:
            notes.append("cited by the article")
        return text + (f"\n({'; '.join(notes)})" if notes else "")

    # Painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        painter.fillRect(self.viewport().rect(), palette.color(QPalette.ColorRole.Base))
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        self.marks = []
        left, width = self.plot_left(), self.plot_width()
        painter.save()
        painter.setClipRect(QRectF(left, 0, width, self.viewport().height()))
        self._paint_selected_claim(painter)
        self._paint_axis(painter, palette)
        self._paint_spans(painter)
        self._paint_days(painter)
        self._flush(painter, palette)
        self._paint_flags(painter)
        painter.restore()
        self._paint_gutters(painter, palette)
        self._flush(painter, palette)
        if not self.documents and not self.claims:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, "No dated documents"
            )
        painter.end()

    def _box(self, rect: QRectF, colour: QColor) -> None:
        """A box to draw in `colour` (drawn together with the others of its colour: one call
        to Qt for all)."""
        self._boxes.setdefault(colour.rgba(), (colour, []))[1].append(rect)

    def _flush(self, painter: QPainter, palette: QPalette) -> None:
        for colour, rects in self._boxes.values():
            painter.setPen(QPen(colour.darker(150), 1))
            painter.setBrush(colour)
            painter.drawRects(rects)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        for at, text in self._labels:
            painter.drawText(at, text)
        self._boxes, self._labels = {}, []

    def _axis_y(self) -> float:
        return self.viewport().height() - AXIS_HEIGHT

    def _base_y(self) -> float:
        return self._axis_y() - FLAG_ROOM

    def _top_y(self) -> float:
        return TOP + LANE_ROWS * LANE_ROW + COUNT_ROOM

    def capacity(self) -> int:
        return max(int((self._base_y() - self._top_y()) // STEP), 1)

    def _visible_days(self) -> tuple[int, int]:
        first = math.floor(self.day_at(self.plot_left()))
        return first, math.ceil(self.day_at(self.plot_left() + self.plot_width()))

    def _paint_selected_claim(self, painter: QPainter) -> None:
        if self.selected_claim is None or self.selected_claim >= len(self.claims):
            return
        span = day_span(self.claims[self.selected_claim].found.date)
        if span is None:
            return
        x0, x1 = self.x_of(span[0]), self.x_of(span[1] + 1)
        painter.fillRect(QRectF(x0, 0, max(x1 - x0, 3), self._axis_y()), CLAIM_BAND)

    def _paint_axis(self, painter: QPainter, palette: QPalette) -> None:
        """The axis with its ticks (days, months, years: as many as there is room for) and
        their names; faint lines up from each month or year."""
        text = palette.color(QPalette.ColorRole.Text)
        faint = QColor(text)
        faint.setAlpha(40)
        axis = self._axis_y()
        ticks = [QLineF(self.plot_left(), axis, self.plot_left() + self.plot_width(), axis)]
        grid: list[QLineF] = []
        first, last = self._visible_days()
        first = max(first, 1)
        last = min(max(last, first), date(9999, 12, 31).toordinal())
        metrics = QFontMetrics(painter.font())
        row_a, row_b = axis + 3 + metrics.ascent(), axis + 5 + metrics.height() + metrics.ascent()
        painter.setPen(text)
        if self.scale >= 5:
            for day in range(first, last + 1):
                x = self.x_of(day)
                ticks.append(QLineF(x, axis, x, axis + 3))
                if self.scale >= 18:
                    painter.drawText(QPointF(x + 2, row_a), str(date.fromordinal(day).day))
        if 30.4 * self.scale >= 4:
            self._paint_months(painter, first, last, (row_a, row_b), ticks, grid)
        else:
            self._paint_years(painter, first, last, row_a, ticks, grid)
        painter.drawLines(ticks)
        painter.setPen(faint)
        painter.drawLines(grid)

    def _paint_months(
        self, painter: QPainter, first: int, last: int, rows: tuple[float, float],
        ticks: list[QLineF], grid: list[QLineF],
    ) -> None:  # fmt: skip
        axis, top = self._axis_y(), self._top_y() - COUNT_ROOM
        month_width = 30.4 * self.scale
        start = date.fromordinal(first)
        year, month = start.year, start.month
        label_end = -1e9
        named_left = False
        while year <= 9999 and (ordinal := date(year, month, 1).toordinal()) <= last:
            x = self.x_of(ordinal)
            grid.append(QLineF(x, top, x, axis))
            ticks.append(QLineF(x, axis, x, axis + (10 if month == 1 else 7)))
            at = x + 2 if named_left else max(x + 2, self.plot_left() + 2)  # the first: stays
            if self.scale >= 18:  # days are numbered in the first row: months in the second
                painter.drawText(QPointF(at, rows[1]), f"{MONTH_NAMES[month - 1]} {year}")
                named_left = True
            else:
                if month_width >= 28:
                    name = MONTH_NAMES[month - 1]
                    painter.drawText(
                        QPointF(x + 2, rows[0]), name if month_width >= 70 else name[:3]
                    )
                if (month == 1 or not named_left) and at > label_end:
                    painter.drawText(QPointF(at, rows[1]), str(year))
                    label_end = at + painter.fontMetrics().horizontalAdvance(str(year)) + 8
                    named_left = True
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def _paint_years(
        self, painter: QPainter, first: int, last: int, row: float, ticks: list[QLineF],
        grid: list[QLineF],
    ) -> None:  # fmt: skip
        axis, top = self._axis_y(), self._top_y() - COUNT_ROOM
        year_width = 365.25 * self.scale
        every = next((n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
                      if n * year_width >= 44), 1000)  # fmt: skip
        year = date.fromordinal(first).year // every * every
        while year <= date.fromordinal(last).year and year <= 9999:
            if year >= 1:
                x = self.x_of(date(year, 1, 1).toordinal())
                grid.append(QLineF(x, top, x, axis))
                ticks.append(QLineF(x, axis, x, axis + 8))
                if x >= self.plot_left() - 1:  # not a year cut in half at the left edge
                    painter.drawText(QPointF(x + 2, row), str(year))
            year += every

    def _paint_spans(self, painter: QPainter) -> None:
        """Documents dated to a month or a year: a hatched bar across it, one per row."""
        first_visible, last_visible = self._visible_days()
        for first, last, docs, row in self.spans:
            if last < first_visible or first > last_visible:
                continue
            x0, x1 = self.x_of(first), self.x_of(last + 1)
            rect = QRectF(x0 + 1, TOP + row * LANE_ROW, max(x1 - x0 - 2, 3.0), LANE_ROW - 2)
            cited = sum(1 for d in docs if d.id in self.cited)
            colour = CITED if cited else CURRENT if self._has_current(docs) else MARK
            painter.setPen(QPen(colour, 1))
            painter.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(rect)
            self.marks.append(Mark(rect, tuple(d.id for d in docs), "span", cited))

    def _columns_now(self) -> tuple[list[float], list[list[DatedDocument]]]:
        """Day-dated documents gathered into columns (their middles, their documents): one a
        day when days are wide enough for a mark, else one per mark's width. Computed again
        only after a zoom, from the days (not the documents: thousands may share one)."""
        if self._columns is not None and self._columns[0] == self.scale:
            return self._columns[1], self._columns[2]
        width = max(self.scale, MARK_WIDTH + 2)
        middles: list[float] = []
        columns: list[list[DatedDocument]] = []
        last_key: int | None = None
        for day, docs in self._day_groups:
            x = (day - self.start_day + 0.5) * self.scale
            key = int(x // width)
            if key == last_key:
                columns[-1].extend(docs)
            else:
                middles.append(x if self.scale >= width else (key + 0.5) * width)
                columns.append(list(docs))
                last_key = key
        self._columns = (self.scale, middles, columns)
        return middles, columns

    def _paint_days(self, painter: QPainter) -> None:
        middles, columns = self._columns_now()
        scroll = self._scroll()
        low = bisect.bisect_left(middles, scroll - MARK_WIDTH)
        high = bisect.bisect_right(middles, scroll + self.plot_width() + MARK_WIDTH)
        label_end = -1e9
        for middle, docs in zip(middles[low:high], columns[low:high], strict=True):
            x = self.plot_left() + middle - scroll
            label_end = self._paint_column(painter, x, docs, "day", label_end)

    def _paint_column(
        self, painter: QPainter, x: float, docs: list[DatedDocument], kind: str,
        label_end: float,
    ) -> float:  # fmt: skip
        """One column of marks, stacked up from the axis; a bar with its count when they do
        not fit. Returns where the count's label ends (labels never overlap)."""
        base = self._base_y()
        width = min(max(self.scale - 3, MARK_WIDTH), 24.0) if kind == "day" else MARK_WIDTH
        if len(docs) <= self.capacity():
            ordered = sorted(docs, key=lambda d: (d.id not in self.cited, d.id))
            for row, doc in enumerate(ordered):
                rect = QRectF(x - width / 2, base - (row + 1) * STEP + 1, width, MARK_HEIGHT)
                self._box(rect, self._fill(doc))
                cited = 1 if doc.id in self.cited else 0
                self.marks.append(Mark(rect, (doc.id,), kind, cited))
            return label_end
        top = self._top_y()
        rect = QRectF(x - width / 2, top, width, base - top)
        cited = sum(1 for d in docs if d.id in self.cited) if self.cited else 0
        self._box(rect, MARK)
        if cited:
            share = max(rect.height() * cited / len(docs), 3.0)
            self._box(QRectF(rect.left(), base - share, rect.width(), share), CITED)
        self.marks.append(Mark(rect, tuple(d.id for d in docs), "count", cited))
        label = f"{len(docs):,}"
        width = painter.fontMetrics().horizontalAdvance(label)
        left = x - width / 2
        if left > label_end:
            self._labels.append((QPointF(left, top - 3), label))
            return left + width + 4
        return label_end

    def _fill(self, doc: DatedDocument) -> QColor:
        if doc.id in self.cited:
            return CITED
        if doc.id == self.current:
            return CURRENT
        return GUESSED if doc.guessed else MARK

    def _has_current(self, docs: list[DatedDocument]) -> bool:
        return self.current is not None and any(d.id == self.current for d in docs)

    def _paint_flags(self, painter: QPainter) -> None:
        """The article's dates: a flag on the axis (filled where documents of that date
        are), a line across a month or a year."""
        axis = self._axis_y()
        for index, claim in enumerate(self.claims):
            span = day_span(claim.found.date)
            if span is None:
                continue
            x0, x1 = self.x_of(span[0]), self.x_of(span[1] + 1)
            if x1 < self.plot_left() - 8 or x0 > self.plot_left() + self.plot_width() + 8:
                continue
            if span[0] != span[1]:  # a month or a year: a bar along the axis, no one day
                bar = QRectF(x0, axis - 4, max(x1 - x0, 3.0), 3)
                painter.fillRect(bar, FLAG if claim.documents else FLAG.lighter(140))
                self.marks.append(Mark(bar, tuple(claim.documents), "claim", claim=index))
                continue
            middle = (x0 + x1) / 2
            triangle = QPolygonF([QPointF(middle - 5, axis - FLAG_ROOM + 1),
                                  QPointF(middle + 5, axis - FLAG_ROOM + 1),
                                  QPointF(middle, axis - 1)])  # fmt: skip
            painter.setPen(QPen(FLAG.darker(130), 1))
            painter.setBrush(FLAG if claim.documents else Qt.BrushStyle.NoBrush)
            painter.drawPolygon(triangle)
            self.marks.append(
                Mark(triangle.boundingRect(), tuple(claim.documents), "claim", claim=index)
            )

    def _paint_gutters(self, painter: QPainter, palette: QPalette) -> None:
        """Dates outside 1800–2100 apart at each end, with where they belong."""
        height = self.viewport().height()
        for docs, left, label in (
            (self.before, 0.0, f"before {FIRST_YEAR}"),
            (self.after, self.viewport().width() - GUTTER, f"after {LAST_YEAR}"),
        ):
            if not docs:
                continue
            area = QRectF(left, 0, GUTTER, height)
            painter.fillRect(area, palette.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            edge = left + GUTTER if left == 0 else left
            painter.drawLine(QPointF(edge, 0), QPointF(edge, height))
            self._paint_column(painter, left + GUTTER / 2, docs, "outside", -1e9)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(
                QRectF(left, self._axis_y() + 2, GUTTER, AXIS_HEIGHT - 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                label,
            )  # fmt: skip


def _lane_rows(
    documents: Iterable[DatedDocument],
) -> list[tuple[int, int, list[DatedDocument], int]]:
    """Month- and year-dated documents grouped by their span, each group given a row where it
    overlaps no other (the last row takes what no row has room for)."""
    groups: dict[tuple[int, int], list[DatedDocument]] = {}
    for doc in documents:
        groups.setdefault((doc.first_day, doc.last_day), []).append(doc)
    row_ends = [-1] * LANE_ROWS
    placed = []
    for (first, last), docs in sorted(groups.items(), key=lambda g: (g[0][0], -g[0][1])):
        row = next((r for r, end in enumerate(row_ends) if end < first), LANE_ROWS - 1)
        row_ends[row] = max(row_ends[row], last)
        placed.append((first, last, sorted(docs, key=lambda d: d.id), row))
    return placed


def _swatch(colour: QColor | None) -> QIcon:
    """A small square: green where the article cites a document of the date, blue where
    there are documents of it, hollow where there are none."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(FLAG.darker(130), 1))
    painter.setBrush(colour if colour is not None else Qt.BrushStyle.NoBrush)
    painter.drawRect(1, 1, 9, 9)
    painter.end()
    return QIcon(pixmap)


def _ordinal(year: int) -> int:
    return date(year, 1, 1).toordinal()


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def claim_label(claim: DatedClaim, labels: dict[int, str]) -> str:
    """ "17 March 1943 — article: “on March 17 …” — documents: NOKW-1088 (cited)"."""
    found = claim.found
    quoted = _snippet(found.context, found.text)
    if claim.documents:
        ordered = sorted(claim.documents, key=lambda d: (d not in claim.cited, d))
        names = [labels.get(d, f"#{d}") + (" (cited)" if d in claim.cited else "")
                 for d in ordered[:4]]  # fmt: skip
        more = f" and {len(ordered) - 4:,} more" if len(ordered) > 4 else ""
        documents = f"documents: {', '.join(names)}{more}"
    else:
        documents = "no document of that date"
    return f"{readable_date(found.date)} — article: “{quoted}” — {documents}"


def _snippet(context: str, words: str, before: int = 20, after: int = 30) -> str:
    """The words of a date with a little of what surrounds them."""
    words = " ".join(words.split())
    at = context.find(words)
    if at < 0:
        return _cut(words, before + after)
    start, end = max(at - before, 0), min(at + len(words) + after, len(context))
    if start > 0:
        start = context.find(" ", start) + 1 or start
        start = min(start, at)
    if end < len(context):
        space = context.rfind(" ", at + len(words), end)
        end = space if space > 0 else end
    text = context[start:end].strip()
    return ("… " if start > 0 else "") + text + (" …" if end < len(context) else "")


class TimelinePanel(QWidget):
    """The timeline with its counts and zoom buttons, and the open article's dates beside
    it. It reads the catalog itself (QueryOp), when shown and after each change."""

    document_activated = Signal(int)
    claim_activated = Signal(object)  # DatedClaim: show its words in the article

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.ops = ops
        self.chronology: Chronology | None = None
        self.article: DocumentInfo | None = None
        self.article_dates: ArticleChronology | None = None
        self.stale = True  # read again when next shown
        self.view = TimelineView()
        self.view.setWhatsThis(LEGEND)
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setToolTip(LEGEND)
        self.dates_list = QListWidget()
        self.dates_list.setWordWrap(True)
        self.dates_list.setAlternatingRowColors(True)
        self.zoom_out_button = self._button("−", "Zoom out (-)", self.view.zoom_out)
        self.zoom_in_button = self._button("+", "Zoom in (+, Ctrl+wheel)", self.view.zoom_in)
        self.fit_button = self._button("Fit", "Show every date (0)", self.view.fit)
        self._layout()
        self.view.document_activated.connect(self.document_activated)
        self.view.claim_clicked.connect(self._select_claim_row)
        self.dates_list.itemClicked.connect(self._on_claim_item)
        self.dates_list.itemActivated.connect(self._on_claim_item)
        ops.changed.connect(self.on_changes)
        self._show_claims()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 2)
        header.addWidget(self.summary, 1)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            header.addWidget(button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.dates_list)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # Reading

    def refresh(self) -> None:
        """Read the timeline again now if it is shown, else when it next is."""
        if not self.isVisible():
            self.stale = True
            return
        self.stale = False
        self.ops.run(QueryOp("Timeline", lambda _progress: self.library.chronology(),
                             self.set_chronology))  # fmt: skip
        self._read_article()

    def show_document(self, info: DocumentInfo | None) -> None:
        """The document now open in the reader: an article's dates are listed; a primary
        document is marked."""
        self.article = info if info is not None and info.kind == "secondary" else None
        self.view.set_current(info.id if info is not None and self.article is None else None)
        shown = self.article_dates.doc if self.article_dates is not None else None
        if self.article is None or self.article.id != shown:  # not the dates of another
            self.article_dates = None
            self.view.set_article([], [])
            self._show_claims()
            self._show_summary()
        if self.article is None:
            return
        if self.isVisible():
            self._read_article()
        else:
            self.stale = True

    def _read_article(self) -> None:
        article = self.article
        if article is None:
            return
        self.ops.run(
            QueryOp(
                "Article dates",
                lambda _progress: self.library.article_chronology(article.id),
                lambda result: self.set_article_dates(result) if self.article is article else None,
            )
        )

    def on_changes(self, changes: Changes) -> None:
        if changes.document_list():
            self.refresh()
        elif self.article is not None and changes.citations_of(self.article.id):
            if self.isVisible():
                self._read_article()
            else:
                self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    # Showing

    def set_chronology(self, chronology: Chronology) -> None:
        self.chronology = chronology
        self.view.set_documents(chronology.documents)
        self._show_claims()  # their documents' labels
        self._show_summary()

    def set_article_dates(self, dates: ArticleChronology) -> None:
        another = self.article_dates is None or self.article_dates.doc != dates.doc
        self.article_dates = dates
        self.view.set_article(dates.claims, dates.cited, focus=another)
        self._show_claims()
        self._show_summary()

    def _show_summary(self) -> None:
        if self.chronology is None:
            self.summary.setText("Reading the dates…")
            return
        documents = self.chronology.documents
        parts = [f"{len(documents):,} dated", f"{self.chronology.undated:,} undated"]
        outside = sum(1 for d in documents if d.outside)
        if outside:
            parts.append(f"{outside:,} outside {FIRST_YEAR}–{LAST_YEAR}")
        imprecise = sum(1 for d in documents if d.precision != "day")
        if imprecise:
            parts.append(f"{imprecise:,} to the month or year")
        if self.article_dates is not None:
            shown = set(self.view.documents)
            cited = sum(1 for d in self.article_dates.cited if d in shown)
            parts.append(f"{cited:,} cited by the article")
        self.summary.setText(" · ".join(parts))

    def _show_claims(self) -> None:
        self.dates_list.clear()
        if self.article is None or self.article_dates is None:
            hint = "Open an article to see its dates beside the documents of each date."
            self._hint(hint if self.article is None else "Reading the article's dates…")
            return
        if not self.article_dates.claims:
            self._hint("No dates found in this article.")
            return
        labels = {d.id: d.label for d in self.view.documents.values()}
        for index, claim in enumerate(self.article_dates.claims):
            item = QListWidgetItem(claim_label(claim, labels))
            item.setData(ITEM_ROLE, claim)
            item.setData(INDEX_ROLE, index)
            item.setToolTip(self._claim_tooltip(claim, labels))
            colour = CITED if claim.cited else MARK if claim.documents else None
            item.setIcon(_swatch(colour))
            self.dates_list.addItem(item)

    def _hint(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.dates_list.addItem(item)

    @staticmethod
    def _claim_tooltip(claim: DatedClaim, labels: dict[int, str]) -> str:
        found = claim.found
        lines = [f"“{found.context}”"]
        if found.relative:
            lines.append("Counted from the date the article names before it.")
        if found.year_from_context:
            lines.append("The year is the one the article names before it.")
        if claim.documents:
            names = ", ".join(labels.get(d, f"#{d}") for d in claim.documents[:20])
            more = f" and {len(claim.documents) - 20:,} more" if len(claim.documents) > 20 else ""
            lines.append(f"Documents of {readable_date(found.date)}: {names}{more}")
        return "\n".join(lines)

    def _on_claim_item(self, item: QListWidgetItem) -> None:
        claim = item.data(ITEM_ROLE)
        if not isinstance(claim, DatedClaim):
            return
        self.view.selected_claim = int(item.data(INDEX_ROLE))
        span = day_span(claim.found.date)
        if span is not None:
            self.view.show_days(span[0], span[1])
        self.claim_activated.emit(claim)

    def _select_claim_row(self, index: int) -> None:
        item = self.dates_list.item(index)
        if item is not None and isinstance(item.data(ITEM_ROLE), DatedClaim):
            self.dates_list.setCurrentItem(item)
            self._on_claim_item(item)
