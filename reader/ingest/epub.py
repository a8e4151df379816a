"""EPUB books and articles: the spine's chapters in reading order, and the OPF metadata."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from reader.dates import partial_date
from reader.ingest.base import BrokenFile, Extracted, ExtractedPage, Limits, TooLargeFile
from reader.ingest.html import decode_html, html_to_text
from reader.ingest.textpages import paginate

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}


# EPUB (OCF) allows only these two; bzip2 and LZMA entries inflate in one step, past any limit.
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_COMPRESSION_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
_READ_CHUNK = 1024**2


def extract_epub(path: Path, limits: Limits) -> Extracted:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_size(archive, limits)
            entries = _Entries(archive)
            opf_path = _rootfile(entries)
            opf = ElementTree.fromstring(entries.read(opf_path))
            chapters = [
                html_to_text(decode_html(entries.read(name))).text
                for name in _spine(opf, posixpath.dirname(opf_path))
                if name in entries
            ]
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError) as exc:
        raise BrokenFile(f"damaged EPUB: {exc}") from exc
    pages = [
        ExtractedPage(text=page, needs_ocr=False)
        for chapter in chapters
        for page in paginate(chapter)
        if page.strip()
    ]
    return Extracted(
        media_type="application/epub+zip",
        title=_dc(opf, "title"),
        authors=[a.text.strip() for a in opf.iterfind(".//dc:creator", _NS) if a.text],
        date=partial_date(_dc(opf, "date")),
        languages=[lang.text.strip() for lang in opf.iterfind(".//dc:language", _NS) if lang.text],
        pages=pages or [ExtractedPage(text="", needs_ocr=False)],
    )


def _check_size(archive: zipfile.ZipFile, limits: Limits) -> None:
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_archive_bytes:
        raise TooLargeFile(
            f"too large to unpack safely: {unpacked // 1024**2} MB "
            f"(limit {limits.max_archive_bytes // 1024**2} MB)"
        )


class _Entries:
    """An EPUB's entries, each read no further than the size its header declares (sizes whose
    sum `_check_size` holds to the budget): a header that understates an entry (1 KB said,
    1 GB inside) costs a chunk of memory, not the gigabyte."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._names = set(archive.namelist())

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        info = self._archive.getinfo(name)
        if info.compress_type not in _ALLOWED_COMPRESSION:
            method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise BrokenFile(
                f"damaged EPUB: {name} is compressed with {method}; "
                "EPUB allows only stored or deflated"
            )
        with self._archive.open(info) as entry:
            return _read_declared(entry, name, info.file_size)


def _read_declared(entry: IO[bytes], name: str, declared: int) -> bytes:
    """The entry in chunks, each inflated no larger than asked for, never past `declared`:
    zipfile stops there itself (and then finds the checksum wrong); the count makes sure."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := entry.read(min(_READ_CHUNK, declared - size + 1)):
            size += len(chunk)
            if size > declared:
                raise zipfile.BadZipFile(f"{name} is larger than declared")
            chunks.append(chunk)
    except zipfile.BadZipFile as exc:
        raise BrokenFile(
            f"damaged EPUB: {name} does not match the size and checksum its zip header records"
        ) from exc
    return b"".join(chunks)


def _rootfile(entries: _Entries) -> str:
    container = ElementTree.fromstring(entries.read("META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", _NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise BrokenFile("damaged EPUB: its container names no package file")
    return str(rootfile.get("full-path"))


def _spine(opf: ElementTree.Element, base: str) -> list[str]:
    hrefs = {
        item.get("id"): item.get("href", "")
        for item in opf.iterfind(".//opf:manifest/opf:item", _NS)
    }
    return [
        posixpath.normpath(posixpath.join(base, hrefs[ref.get("idref")]))
        for ref in opf.iterfind(".//opf:spine/opf:itemref", _NS)
        if ref.get("idref") in hrefs
    ]


def _dc(opf: ElementTree.Element, name: str) -> str:
    element = opf.find(f".//dc:{name}", _NS)
    return (element.text or "").strip() if element is not None else ""
