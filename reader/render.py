"""Page images for the reader: PDF pages and scans rendered with PyMuPDF, no Qt.

A page is drawn in its catalog size (PDF points), scaled to the requested dots per inch and
turned by the view's rotation, so that word boxes in points map onto it by the same factor.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.files import open_in_mupdf

# A rendered page never exceeds this many pixels, whatever zoom is asked for.
MAX_RENDER_PIXELS = 40_000_000
# Files each thread keeps open between pages: opening a PDF and finding its page again for
# every page drawn cost more than drawing it. Per thread, as MuPDF's documents are not to be
# shared between threads.
OPEN_FILES = 4
_open = threading.local()
RENDERABLE = ("application/pdf", "image/")


@dataclass(frozen=True)
class RenderedPage:
    """RGB pixels, row by row (`stride` bytes a row), ready for QImage or Pillow."""

    width: int
    height: int
    stride: int
    samples: bytes
    dpi: float
    # Where the pixels stand on the whole page drawn at `dpi`: (0, 0) unless clipped.
    x: int = 0
    y: int = 0


class RenderError(RuntimeError):
    """A page that cannot be drawn (file gone, damaged, or too large)."""


def is_renderable(media_type: str) -> bool:
    return media_type.startswith(RENDERABLE)


def render_page(
    path: Path,
    number: int,
    *,
    dpi: float,
    rotation: int = 0,
    size_points: tuple[float, float] | None = None,
    clip: Sequence[float] | None = None,
) -> RenderedPage:
    """Page `number` (1-based) of a PDF or image file at `dpi`, turned by `rotation` degrees;
    only the rectangle `clip` (x0, y0, x1, y1 in the catalog's points) when one is given."""
    import pymupdf  # on first use: the app's window comes up before MuPDF is loaded

    try:
        document = _opened(path)
        if not 1 <= number <= document.page_count:
            raise RenderError(f"{path.name} has no page {number}")
        page = document[number - 1]
        width, height = size_points or (page.rect.width, page.rect.height)
        area = pymupdf.Rect(0, 0, width, height)
        if clip is not None:
            area = pymupdf.Rect(*clip[:4]) & area
            if area.is_empty:
                raise RenderError(f"nothing of page {number} of {path.name} lies in {clip}")
        scale = _bounded_scale(dpi / 72.0, area.width, area.height)
        # Catalog points to the page's own units (a scan's may differ), then to pixels.
        to_page = pymupdf.Matrix(page.rect.width / width, page.rect.height / height)
        matrix = pymupdf.Matrix(
            scale * width / page.rect.width, scale * height / page.rect.height
        ).prerotate(rotation)
        pixmap = page.get_pixmap(
            matrix=matrix,
            alpha=False,
            colorspace=pymupdf.csRGB,
            clip=area * to_page if clip is not None else None,
        )
    except (pymupdf.FileDataError, pymupdf.FileNotFoundError, RuntimeError, OSError) as exc:
        if isinstance(exc, RenderError):
            raise
        _forget(path)
        raise RenderError(f"cannot draw page {number} of {path.name}: {exc}") from exc
    return RenderedPage(
        pixmap.width, pixmap.height, pixmap.stride, pixmap.samples, scale * 72.0,
        pixmap.x, pixmap.y,
    )  # fmt: skip


def _opened(path: Path) -> Any:
    """The file open in MuPDF for this thread, opened again if it changed on disk."""
    files: OrderedDict[Path, tuple[tuple[int, int], Any]] = (
        getattr(_open, "files", None) or OrderedDict()
    )
    _open.files = files
    status = path.stat()
    stamp = (status.st_mtime_ns, status.st_size)
    kept = files.get(path)
    if kept is not None and kept[0] == stamp:
        files.move_to_end(path)
        return kept[1]
    _forget(path)
    document = open_in_mupdf(path)
    files[path] = (stamp, document)
    while len(files) > OPEN_FILES:
        _, (_, oldest) = files.popitem(last=False)
        oldest.close()
    return document


def _forget(path: Path) -> None:
    files = getattr(_open, "files", None)
    if files is not None and path in files:
        files.pop(path)[1].close()


def _bounded_scale(scale: float, width: float, height: float) -> float:
    pixels = width * height * scale * scale
    if pixels <= MAX_RENDER_PIXELS:
        return scale
    return scale * math.sqrt(MAX_RENDER_PIXELS / pixels)
