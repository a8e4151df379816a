"""Issue #22, defect 8: an EPUB entry whose zip headers understate its size is read no
further than the size declared: refused with a clear message, its memory bounded, while
the rest of the batch imports."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from reader.ingest.base import BrokenFile
from reader.ingest.formats import extract
from reader.library import Library
from tests.epubs import ONE_CHAPTER, write_frame

T = TypeVar("T")

MB = 1024**2
CHAPTER = "OEBPS/one.xhtml"
DEFLATED = zipfile.ZIP_DEFLATED


def _epub(path: Path, chapter: bytes = b"", *, zeros: int = 0, compression: int = DEFLATED) -> Path:
    """A one-chapter EPUB; its chapter `chapter`, or `zeros` bytes of zeros written as they are
    compressed (never whole in memory)."""
    with zipfile.ZipFile(path, "w", DEFLATED) as epub:
        write_frame(epub, ONE_CHAPTER)
        if not zeros:
            epub.writestr(CHAPTER, chapter, compression)
            return path
        with epub.open(CHAPTER, "w") as entry:
            for _ in range(zeros // MB):
                entry.write(bytes(MB))
    return path


def _understate(path: Path, name: str, size: int) -> None:
    """Patch the uncompressed size the central directory and the local header record."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    for signature, size_at, name_length_at, name_at in (
        (b"PK\x01\x02", 24, 28, 46),  # central directory file header
        (b"PK\x03\x04", 22, 26, 30),  # local file header
    ):
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", data, at + name_length_at)
            if data[at + name_at : at + name_at + length] == raw:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def _peak_memory_of(action: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        return action(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_entry_larger_than_declared_is_refused_in_bounded_memory(
    library: Library, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    bomb = _epub(batch / "bomb.epub", zeros=64 * MB)  # deflated to about 64 KB
    _understate(bomb, CHAPTER, 1024)
    _epub(batch / "memoir.epub", b"<html><body><p>Chapter one: the winter.</p></body></html>")
    (batch / "notes.txt").write_text("Notes on the supply columns.", encoding="utf-8")
    report, peak = _peak_memory_of(lambda: library.import_paths([batch]))
    assert peak < 32 * MB, f"{peak // MB} MB to refuse a chapter that declares 1 KB"
    assert {Path(d.path).name for d in report.imported} == {"memoir.epub", "notes.txt"}
    [refused] = report.failed
    assert Path(refused.path).name == "bomb.epub"
    assert refused.error == (
        f"damaged EPUB: {CHAPTER} does not match the size and checksum its zip header records"
    )


def test_an_entry_compressed_in_a_way_epub_does_not_allow_is_refused(tmp_path: Path) -> None:
    # bzip2 turns a few bytes into megabytes in one step: no chunked read could bound it.
    bomb = _epub(tmp_path / "bomb.epub", bytes(MB), compression=zipfile.ZIP_BZIP2)
    with pytest.raises(BrokenFile) as refused:
        extract(bomb)
    assert str(refused.value) == (
        f"damaged EPUB: {CHAPTER} is compressed with bzip2; EPUB allows only stored or deflated"
    )
