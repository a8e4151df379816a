"""Files on disk: hashing and walking folders, never writing to an original.

Paths are kept as the OS gives them: a name that is not UTF-8 (bytes a POSIX file system
allows) is a str with surrogate escapes, which os.fsencode turns back into the same bytes."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pymupdf

_CHUNK = 1024 * 1024
# A descriptor's own name, for a C library that takes file names as UTF-8 (Linux, macOS).
_DESCRIPTOR_FOLDERS = (Path("/proc/self/fd"), Path("/dev/fd"))


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder: nothing to read as a file."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a regular file. Opened without blocking, so a FIFO put in the file's
    place never waits for a writer, and checked to be a file, so /dev/zero is never read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({file_kind(mode)})", str(path))
        digest = hashlib.sha256()
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_kind(mode: int) -> str:
    """What a file of this st_mode is, in words."""
    kinds = (
        (stat.S_ISREG, "a file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((words for test, words in kinds if test(mode)), "a special file")


def resolved(path: Path) -> Path:
    """The absolute path with every symbolic link followed. OSError when it cannot be: a
    link loop (ELOOP: "Too many levels of symbolic links"), a missing file or target."""
    return Path(os.path.realpath(path, strict=True))


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` (links followed) lies in `folder`; a path that cannot be resolved
    does not (whoever reads it reports why)."""
    try:
        return resolved(path).is_relative_to(folder)
    except OSError:
        return False


def is_utf8(text: str) -> bool:
    """Whether `text` is valid Unicode, UTF-8-encodable (no surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable_name(text: str) -> str:
    """A file name for people: bytes that are not UTF-8 shown as U+FFFD."""
    return os.fsencode(text).decode("utf-8", "replace")


def open_in_mupdf(path: Path, filetype: str | None = None) -> pymupdf.Document:
    """pymupdf.open for any path the OS gives. MuPDF takes names as UTF-8, so a name that
    is not is opened through the name of an open descriptor (/proc/self/fd/N), with the
    file type its own name's suffix gives."""
    import pymupdf  # on first use, as in reader.render

    if is_utf8(str(path)):
        return pymupdf.open(path, filetype=filetype)
    filetype = filetype or path.suffix.lstrip(".").lower() or None
    descriptor = os.open(path, os.O_RDONLY)
    try:
        for folder in _DESCRIPTOR_FOLDERS:
            alias = folder / str(descriptor)
            if alias.exists():
                return pymupdf.open(alias, filetype=filetype)  # MuPDF opens its own
        return pymupdf.open(stream=path.read_bytes(), filetype=filetype)
    finally:
        os.close(descriptor)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every entry under named folders (sorted, hidden ones left
    out). Links to folders are not followed (one to a parent would loop); they are yielded
    like files, so whoever imports them reports them."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted(files + linked):
            if not name.startswith("."):
                yield Path(root) / name
