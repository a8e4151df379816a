"""OCR of scanned pages with Tesseract: page images, recognition, worker processes, the queue."""

from reader.ocr.engine import OcrResult
from reader.ocr.pool import OcrOutcome, OcrPool, OcrTask

__all__ = ["OcrOutcome", "OcrPool", "OcrResult", "OcrTask"]
