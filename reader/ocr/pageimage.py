"""A page of a scan or PDF as a grayscale image for OCR, within a pixel budget."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image

from reader.files import open_in_mupdf

OCR_DPI = 300
MAX_OCR_PIXELS = 40_000_000


@dataclass(frozen=True)
class PageImage:
    image: Image.Image
    # PDF points per image pixel, to put word boxes into page coordinates.
    points_per_pixel_x: float
    points_per_pixel_y: float


def load_page_image(
    path: Path,
    media_type: str,
    number: int,
    page_width: float,
    page_height: float,
    *,
    max_pixels: int = MAX_OCR_PIXELS,
) -> PageImage:
    if media_type == "application/pdf":
        image = _render_pdf_page(path, number, max_pixels)
    else:
        image = _decode_image_frame(path, number, max_pixels)
    return PageImage(
        image,
        points_per_pixel_x=page_width / image.width if page_width else 72 / OCR_DPI,
        points_per_pixel_y=page_height / image.height if page_height else 72 / OCR_DPI,
    )


def _render_pdf_page(path: Path, number: int, max_pixels: int) -> Image.Image:
    with open_in_mupdf(path, "pdf") as document:
        page = document[number - 1]
        zoom = OCR_DPI / 72
        area = page.rect.width * page.rect.height * zoom * zoom
        if area > max_pixels:
            zoom *= math.sqrt(max_pixels / area) * 0.999  # MuPDF rounds sizes up
        pixmap = page.get_pixmap(
            matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False
        )
        return Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)


def _decode_image_frame(path: Path, number: int, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            image.seek(number - 1)
            pixels = image.width * image.height
            if pixels > max_pixels:
                # JPEG decodes straight to a smaller size; other formats reduce after decoding.
                scale = math.sqrt(max_pixels / pixels)
                image.draft("L", (int(image.width * scale), int(image.height * scale)))
            frame = image.convert("L")
    if frame.width * frame.height > max_pixels:
        factor = math.ceil(math.sqrt(frame.width * frame.height / max_pixels))
        frame = frame.reduce(factor)
    return frame
