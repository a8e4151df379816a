"""Reading a file as an import does before the catalog is asked about it: its size, its hash
and its pages. No catalog here: helper processes read files ahead of an import
(reader.readahead), and start quicker without loading the catalog's code."""

from __future__ import annotations

import os
import stat
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path

from reader.files import file_kind, resolved, sha256_of
from reader.ingest.base import DEFAULT_LIMITS, Extracted, IngestError, Limits
from reader.ingest.formats import extract
from reader.records import FailedFile, SkippedFile


@dataclass(frozen=True)
class Reading:
    """What is learnt of a file before the catalog is asked about it, anywhere (in a helper
    process too, see reader.readahead): its size, its hash, and its pages, or why they
    could not be read. A file whose hash the library already had when it was read is not
    extracted (`extracted` and `error` both empty)."""

    path: Path  # links followed
    size: int
    sha256: str
    extracted: Extracted | None = None
    error: str = ""
    error_skipped: bool = False  # the error is a deliberate skip (IngestError.skipped)
    # What the index makes of each page's text (index.page_analysis.packed), where made while
    # reading (reader.readahead).
    analyses: tuple[bytes | None, ...] = ()


FileOutcome = Reading | FailedFile | SkippedFile


def read_file(
    path: Path, limits: Limits = DEFAULT_LIMITS, known: Container[str] = (), *, shown: str = ""
) -> FileOutcome:
    """Read `path` as an import does before recording it: a regular file's size, hash and
    pages (not the pages of a file whose hash is in `known`), or why it is not read."""
    shown = shown or str(path)
    found = regular_file(path, shown)
    if not isinstance(found, tuple):
        return found
    target, size = found
    try:
        sha256 = sha256_of(target)
    except OSError as exc:
        return FailedFile(shown, f"cannot be read: {exc.strerror or exc}")
    if sha256 in known:
        return Reading(target, size, sha256)
    return extracted_reading(Reading(target, size, sha256), limits)


def extracted_reading(reading: Reading, limits: Limits) -> Reading:
    try:
        extracted = extract(reading.path, limits)
    except IngestError as exc:
        return replace(reading, error=str(exc), error_skipped=exc.skipped)
    return replace(reading, extracted=extracted)


def regular_file(path: Path, shown: str) -> tuple[Path, int] | FailedFile | SkippedFile:
    """The file `path` names (links followed) and its size, if it is a regular file; else
    the reason it is not read. Nothing is opened: opening a FIFO waits for a writer, and
    reading a device (/dev/zero) never ends."""
    try:
        target = resolved(path)
        status = target.stat()
    except OSError as exc:  # a link loop, a link to nothing, no permission to look
        return FailedFile(shown, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(status.st_mode):
        return SkippedFile(shown, _not_a_file(path, target, status.st_mode))
    return target, status.st_size


def _not_a_file(path: Path, target: Path, mode: int) -> str:
    """Why `path` (links followed: `target`) is not read, for the report."""
    link = f" (a link to {target})" if target != Path(os.path.abspath(path)) else ""
    if stat.S_ISDIR(mode) and link:
        # Links to folders are not followed when walking: one to a parent folder loops.
        return f"a link to a folder ({target}), not followed; import that folder by its path"
    return f"not a regular file{link}: {file_kind(mode)}; only regular files are read"
