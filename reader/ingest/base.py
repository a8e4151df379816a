"""What every format reader returns, and the errors it may raise."""

from __future__ import annotations

from dataclasses import dataclass, field


class IngestError(Exception):
    """A file that cannot be imported; the message is a one-line reason for a researcher."""

    skipped = False


class SkipFile(IngestError):
    """Deliberately not imported: unsupported, encrypted without its password, too large."""

    skipped = True


class UnsupportedFile(SkipFile):
    pass


class EncryptedFile(SkipFile):
    pass


class TooLargeFile(SkipFile):
    pass


class BrokenFile(IngestError):
    """Damaged or truncated: the reader tried and failed."""


@dataclass(frozen=True)
class Limits:
    """Budgets that keep hostile or enormous files from exhausting memory or time."""

    max_file_bytes: int = 2 * 1024**3
    max_text_bytes: int = 64 * 1024**2
    max_image_pixels: int = 120_000_000
    max_pages: int = 20_000
    max_archive_bytes: int = 512 * 1024**2


DEFAULT_LIMITS = Limits()


@dataclass
class ExtractedPage:
    text: str
    needs_ocr: bool
    width: float = 0.0
    height: float = 0.0


@dataclass
class Extracted:
    """A file read into pages, with whatever metadata the file itself carries."""

    media_type: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    languages: list[str] = field(default_factory=list)
    pages: list[ExtractedPage] = field(default_factory=list)
