"""Page images for the views: rendered by PyMuPDF on worker threads, kept in a bounded cache.

PyMuPDF keeps the interpreter while it draws, so every render slows the others and the GUI
thread. A page the reader waits for (urgent) starts at once; renders nobody waits for yet
(the pages beside the one shown, thumbnails, the pages a synced pane will show next) run one
at a time, and only while no urgent page is being drawn."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from reader.library import Library
from reader.render import RenderedPage, RenderError

CACHE_BYTES = 192 * 1024 * 1024


@dataclass(frozen=True)
class PageKey:
    doc: int
    page: int
    dpi: int
    rotation: int


@dataclass(frozen=True)
class LineKey:
    """The line a search hit stands on (see Library.hit_line), drawn as a strip of its page."""

    doc: int
    page: int
    dpi: int
    boxes: tuple[tuple[float, ...], ...]  # the hit's words, PDF points


RenderKey = PageKey | LineKey


def _qimage(page: RenderedPage) -> QImage:
    # QImage (unlike QPixmap) may be made off the GUI thread; copy() owns the bytes.
    image = QImage(page.samples, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    return image.copy()


def _line_image(library: Library, key: LineKey) -> QImage:
    """The hit's line at the key's resolution: the image says where it stands on the page
    (offset, in pixels of the page at that resolution) and at what resolution (dots per
    metre), so the hit's own boxes can be marked on it. A null image when there is no line."""
    rect = library.hit_line(key.doc, key.page, key.boxes)
    if rect is None:
        return QImage()
    page = library.render_page(key.doc, key.page, dpi=key.dpi, clip=rect)
    image = _qimage(page)
    image.setOffset(QPoint(page.x, page.y))
    dots_per_metre = round(page.dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


class _RenderSignals(QObject):
    done = Signal(object, object)  # RenderKey, QImage (null when the page cannot be drawn)


class _RenderTask(QRunnable):
    def __init__(self, library: Library, key: RenderKey, signals: _RenderSignals) -> None:
        super().__init__()
        self.library = library
        self.key = key
        self.signals = signals

    def run(self) -> None:
        key = self.key
        try:
            if isinstance(key, LineKey):
                image = _line_image(self.library, key)
            else:
                image = _qimage(
                    self.library.render_page(key.doc, key.page, dpi=key.dpi, rotation=key.rotation)
                )
        except (RenderError, OSError, LookupError):
            image = QImage()
        self.signals.done.emit(self.key, image)


class PageRenderer(QObject):
    """Asks for pages; `rendered` fires on the GUI thread when one is ready."""

    rendered = Signal(object)  # RenderKey
    dropped = Signal()  # queued renders were dropped: whoever still wants one asks again

    def __init__(self, library: Library, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.library = library
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._signals = _RenderSignals(self)
        self._signals.done.connect(self._store)
        self._cache: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._cache_bytes = 0
        self._pending: set[RenderKey] = set()
        self._urgent: set[RenderKey] = set()  # started, a reader waiting for them
        self._background: set[RenderKey] = set()  # started, nobody waiting for them yet
        self._waiting: list[RenderKey] = []  # not started: after the urgent ones
        self.failed: set[RenderKey] = set()

    def image(self, key: RenderKey) -> QImage | None:
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
        return image

    def nearest(self, key: PageKey) -> QImage | None:
        """Any cached image of the page (another zoom) to show until the right one comes."""
        for cached_key in reversed(self._cache):
            if isinstance(cached_key, PageKey) and (
                cached_key.doc, cached_key.page, cached_key.rotation,
            ) == (key.doc, key.page, key.rotation):  # fmt: skip
                return self._cache[cached_key]
        return None

    def request(self, key: RenderKey, *, urgent: bool = False, first: bool = False) -> None:
        """A page to draw: `urgent`, someone waits for it; else drawn ahead, after those asked
        before it (`first`: before them)."""
        if key in self._cache or key in self.failed:
            return
        if key in self._pending:
            if key in self._waiting and (urgent or first):
                self._waiting.remove(key)
                if urgent:  # now someone waits for it
                    self._start(key, urgent=True)
                else:
                    self._waiting.insert(0, key)
            return
        self._pending.add(key)
        if urgent:
            self._start(key, urgent=True)
        else:
            self._waiting.insert(0, key) if first else self._waiting.append(key)
            self._start_waiting()

    def forget_pending(self) -> None:
        """Drop queued renders nobody looks at any more (after a jump or a zoom)."""
        self.pool.clear()
        self._pending.clear()
        self._waiting.clear()
        self._urgent.clear()
        self._background.clear()
        self.dropped.emit()

    def _start(self, key: RenderKey, *, urgent: bool) -> None:
        (self._urgent if urgent else self._background).add(key)
        self.pool.start(_RenderTask(self.library, key, self._signals), 1 if urgent else 0)

    def _start_waiting(self) -> None:
        if self._waiting and not self._urgent and not self._background:
            self._start(self._waiting.pop(0), urgent=False)

    def busy(self) -> bool:
        return bool(self._pending)

    def cache_bytes(self) -> int:
        return self._cache_bytes

    def _store(self, key: RenderKey, image: QImage) -> None:
        self._pending.discard(key)
        self._urgent.discard(key)
        self._background.discard(key)
        if image.isNull():
            self.failed.add(key)
        elif key not in self._cache:  # (asked again after a drop, it may come twice)
            self._cache[key] = image
            self._cache_bytes += image.sizeInBytes()
            while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self._cache_bytes -= old.sizeInBytes()
        self.rendered.emit(key)
        self._start_waiting()
