"""EPUB books and articles: the spine's chapters in reading order, and the OPF metadata."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
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


def extract_epub(path: Path, limits: Limits) -> Extracted:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_size(archive, limits)
            opf_path = _rootfile(archive)
            opf = ElementTree.fromstring(archive.read(opf_path))
            chapters = [
                html_to_text(decode_html(archive.read(name))).text
                for name in _spine(opf, posixpath.dirname(opf_path))
                if name in archive.namelist()
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


def _rootfile(archive: zipfile.ZipFile) -> str:
    container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
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
