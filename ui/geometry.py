"""Page geometry for the views: rotating boxes given in PDF points with the view."""

from __future__ import annotations

from PySide6.QtCore import QRectF

Box = list[float]


def rotated_size(width: float, height: float, rotation: int) -> tuple[float, float]:
    return (height, width) if rotation % 180 else (width, height)


def rotate_box(box: Box, width: float, height: float, rotation: int) -> QRectF:
    """A box on an unrotated page of width × height points, as it stands on the turned page
    (PyMuPDF turns clockwise)."""
    x0, y0, x1, y1 = box[:4]
    match rotation % 360:
        case 90:
            return QRectF(height - y1, x0, y1 - y0, x1 - x0)
        case 180:
            return QRectF(width - x1, height - y1, x1 - x0, y1 - y0)
        case 270:
            return QRectF(y0, width - x1, y1 - y0, x1 - x0)
        case _:
            return QRectF(x0, y0, x1 - x0, y1 - y0)


def unrotate_point(
    x: float, y: float, width: float, height: float, rotation: int
) -> tuple[float, float]:
    """A point on the turned page back on the unrotated page (the inverse of rotate_box)."""
    match rotation % 360:
        case 90:
            return y, height - x
        case 180:
            return width - x, height - y
        case 270:
            return width - y, x
        case _:
            return x, y
