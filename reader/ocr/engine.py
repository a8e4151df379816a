"""Recognition of one page with Tesseract (through tesserocr), run inside an OCR worker.

A page that reads badly as it lies has its orientation detected (Tesseract's OSD) and is turned
upright; the skew, measured from the text lines, is corrected; the word boxes are mapped
back onto the page as it is stored, so that hits and quotes can be drawn on the original scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PIL import Image

from reader.ocr.geometry import Box, Rotation, box_to_source
from reader.ocr.pageimage import PageImage

MIN_ORIENTATION_CONFIDENCE = 5.0
# Mean word confidence of a page read the right way up: real scans read upright at 84-89, the
# same pages turned by 90 or 180 degrees at 28-32 (linn, cardinal, skew, typewriter, c02-22).
UPRIGHT_CONFIDENCE = 60.0
# Even a quarter of a degree, straightened, reads better on a noisy typewritten scan.
MIN_SKEW_DEGREES = 0.2
MAX_SKEW_DEGREES = 15.0

# One API per language set, kept for the life of the worker process: loading is slow.
_apis: dict[tuple[str, str, int], Any] = {}


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float
    # [[x0, y0, x1, y1, word, confidence], ...] in page coordinates (PDF points).
    words: list[list[Any]]
    orientation: int
    skew: float


HALF_RESOLUTION_MIN_PIXELS = 800


def _api(tessdata_dir: str, languages: str, psm: int) -> Any:
    import tesserocr

    key = (tessdata_dir, languages, psm)
    if key not in _apis:
        _apis[key] = tesserocr.PyTessBaseAPI(path=tessdata_dir, lang=languages, psm=psm)
    return _apis[key]


def recognize(page: PageImage, languages: str, tessdata_dir: str) -> OcrResult:
    """The page read as it lies; only when that reads badly is its orientation detected, and
    a page found turned is read again upright. Orientation detection costs a fifth of a page's
    time, and nearly every page of a collection is upright."""
    result = _read(page, languages, tessdata_dir, orientation=0)
    if result.confidence >= UPRIGHT_CONFIDENCE:
        return result
    orientation = _orientation(page.image, tessdata_dir)
    if not orientation:
        return result
    return _read(page, languages, tessdata_dir, orientation=orientation)


def _read(page: PageImage, languages: str, tessdata_dir: str, *, orientation: int) -> OcrResult:
    """Turn by `orientation`, straighten the measured skew, recognize."""
    import tesserocr

    image = page.image
    rotations: list[Rotation] = []
    if orientation:
        image = _rotate(image, orientation, rotations)
    api = _api(tessdata_dir, languages, tesserocr.PSM.AUTO)
    skew = _skew_degrees(api, image)
    if skew:
        image = _rotate(image, skew, rotations)
    api.SetImage(image)
    api.Recognize()
    words = _words(api, rotations, page)
    return OcrResult(
        text=api.GetUTF8Text(),
        confidence=float(api.MeanTextConf()) if words else 0.0,
        words=words,
        orientation=orientation,
        skew=round(skew, 2),
    )


def _orientation(image: Image.Image, tessdata_dir: str) -> int:
    import tesserocr

    api = _api(tessdata_dir, "osd", tesserocr.PSM.OSD_ONLY)
    api.SetImage(_reduced(image))
    try:
        found = api.DetectOrientationScript()
    except RuntimeError:  # too little text to tell
        return 0
    if not found or found.get("orient_conf", 0.0) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    return int(found["orient_deg"]) % 360


def _reduced(image: Image.Image) -> Image.Image:
    """Orientation and skew show as plainly at half the resolution, for a quarter of the work
    (and a 300 dpi page of straight typing then no longer measures a false quarter degree)."""
    return image.reduce(2) if min(image.size) > HALF_RESOLUTION_MIN_PIXELS * 2 else image


def _skew_degrees(api: Any, image: Image.Image) -> float:
    api.SetImage(_reduced(image))
    layout = api.AnalyseLayout()
    if layout is None:
        return 0.0
    degrees = math.degrees(layout.Orientation()[3])
    if abs(degrees) < MIN_SKEW_DEGREES or abs(degrees) > MAX_SKEW_DEGREES:
        return 0.0
    return degrees


def _rotate(image: Image.Image, degrees: float, rotations: list[Rotation]) -> Image.Image:
    turned = image.rotate(degrees, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    rotations.append(Rotation(degrees, image.size, turned.size))
    return turned


def _words(api: Any, rotations: list[Rotation], page: PageImage) -> list[list[Any]]:
    import tesserocr

    level = tesserocr.RIL.WORD
    iterator = api.GetIterator()
    words: list[list[Any]] = []
    # A page with no words (a blank scan) has an empty iterator, which iterate_level still
    # yields once, and reading its text raises: there is simply no word to take.
    if iterator is None or iterator.Empty(level):
        return words
    for word in tesserocr.iterate_level(iterator, level):
        text = word.GetUTF8Text(level)
        box = word.BoundingBox(level)
        if not text or not text.strip() or box is None:
            continue
        x0, y0, x1, y1 = box_to_source(tuple(float(v) for v in box), rotations)  # type: ignore[arg-type]
        words.append(
            [
                round(x0 * page.points_per_pixel_x, 2),
                round(y0 * page.points_per_pixel_y, 2),
                round(x1 * page.points_per_pixel_x, 2),
                round(y1 * page.points_per_pixel_y, 2),
                text.strip(),
                round(float(word.Confidence(level)), 1),
            ]
        )
    return words


__all__ = ["Box", "OcrResult", "recognize"]
