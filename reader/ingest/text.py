"""Plain text and Markdown files."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.base import Extracted, ExtractedPage, Limits, TooLargeFile
from reader.ingest.textpages import decode_text, first_line_title, paginate

MEDIA_TYPES = {".md": "text/markdown", ".markdown": "text/markdown"}


def read_limited(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_text_bytes:
        raise TooLargeFile(
            f"too large for a text document: {size // 1024**2} MB "
            f"(the limit is {limits.max_text_bytes // 1024**2} MB)"
        )
    return path.read_bytes()


def extract_text(path: Path, limits: Limits) -> Extracted:
    text = decode_text(read_limited(path, limits)).replace("\r\n", "\n").replace("\r", "\n")
    return Extracted(
        media_type=MEDIA_TYPES.get(path.suffix.lower(), "text/plain"),
        title=first_line_title(text),
        pages=[ExtractedPage(text=page, needs_ocr=False) for page in paginate(text)],
    )
