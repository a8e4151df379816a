"""Scanned images: TIFF (one page per frame), JPEG, PNG, read with Pillow within a pixel budget."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from reader.ingest.base import BrokenFile, Extracted, ExtractedPage, Limits, TooLargeFile

MEDIA_TYPES = {"TIFF": "image/tiff", "JPEG": "image/jpeg", "PNG": "image/png"}
DEFAULT_DPI = 300.0


def open_image(path: Path, limits: Limits) -> Image.Image:
    """The image at `path`, header read but pixels not yet decoded."""
    try:
        with warnings.catch_warnings():
            # The budget is ours (Limits), checked per frame; Pillow's own limit still stops
            # images so large that even their header is suspect.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise TooLargeFile(f"too large to decode safely: {exc}") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise BrokenFile("damaged image: it cannot be decoded") from exc
    return image


def frame_size_points(image: Image.Image) -> tuple[float, float]:
    """Page size in PDF points, from the scan's resolution (300 dpi when it does not say)."""
    dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
    x_dpi = float(dpi[0]) if dpi[0] and float(dpi[0]) > 1 else DEFAULT_DPI
    y_dpi = float(dpi[1]) if dpi[1] and float(dpi[1]) > 1 else DEFAULT_DPI
    return image.width * 72.0 / x_dpi, image.height * 72.0 / y_dpi


def extract_image(path: Path, limits: Limits) -> Extracted:
    image = open_image(path, limits)
    with image:
        media_type = MEDIA_TYPES.get(image.format or "", f"image/{(image.format or '').lower()}")
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise TooLargeFile(f"too large: {frames} pages (the limit is {limits.max_pages})")
        pages = []
        for index in range(frames):
            image.seek(index)
            if image.width * image.height > limits.max_image_pixels:
                raise TooLargeFile(
                    f"too large to decode safely: page {index + 1} is "
                    f"{image.width}×{image.height} pixels "
                    f"(limit {limits.max_image_pixels // 1_000_000} megapixels)"
                )
            _decode_or_fail(image, index)
            width, height = frame_size_points(image)
            pages.append(ExtractedPage(text="", needs_ocr=True, width=width, height=height))
    return Extracted(media_type=media_type, pages=pages)


def _decode_or_fail(image: Image.Image, index: int) -> None:
    try:
        image.load()
    except Exception as exc:
        raise BrokenFile(f"damaged image: page {index + 1} cannot be decoded ({exc})") from exc
