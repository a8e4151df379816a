"""Which reader reads which kind of file, and `extract`, the one way in."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from reader.files import file_kind
from reader.ingest.base import (
    DEFAULT_LIMITS,
    BrokenFile,
    Extracted,
    IngestError,
    Limits,
    TooLargeFile,
    UnsupportedFile,
)
from reader.ingest.epub import extract_epub
from reader.ingest.html import extract_html
from reader.ingest.images import extract_image
from reader.ingest.pdf import extract_pdf
from reader.ingest.text import extract_text

Reader = Callable[[Path, Limits], Extracted]

READERS: dict[str, Reader] = {
    ".pdf": extract_pdf,
    ".tif": extract_image,
    ".tiff": extract_image,
    ".jpg": extract_image,
    ".jpeg": extract_image,
    ".png": extract_image,
    ".txt": extract_text,
    ".text": extract_text,
    ".md": extract_text,
    ".markdown": extract_text,
    ".html": extract_html,
    ".htm": extract_html,
    ".xhtml": extract_html,
    ".epub": extract_epub,
}
SUPPORTED_SUFFIXES = frozenset(READERS)
SECONDARY_MEDIA_TYPES = frozenset({"text/html", "text/markdown", "application/epub+zip"})


def extract(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The pages and metadata of the file at `path`; IngestError says why not."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = path.suffix.lower() or "no extension"
        raise UnsupportedFile(f"unsupported file type ({kind})")
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):  # a FIFO blocks a reader; a device never ends
        raise UnsupportedFile(f"not a regular file: {file_kind(status.st_mode)}")
    size = status.st_size
    if size > limits.max_file_bytes:
        raise TooLargeFile(
            f"too large: {size // 1024**2} MB (the limit is {limits.max_file_bytes // 1024**2} MB)"
        )
    if size == 0:
        raise BrokenFile("empty file")
    try:
        return reader(path, limits)
    except IngestError:
        raise
    except MemoryError as exc:
        raise TooLargeFile("too large to decode in the memory available") from exc
    except Exception as exc:
        raise BrokenFile(f"cannot be read: {type(exc).__name__}: {exc}") from exc
