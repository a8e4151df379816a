"""XML from outside, read without its dangers: no DOCTYPE (so no entity expansion, internal
or external, and no DTD fetched), no network, and no file past a size limit."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

from lxml import etree

from reader.files import NotRegularFile, file_kind

# What may stand before a DOCTYPE: a declaration, comments, processing instructions, space.
_DOCTYPE = re.compile(rb"\A(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
_PROLOG_BYTES = 64 * 1024
# One page of ALTO or PAGE XML is tens of kilobytes; a whole book in one file a few dozen MB.
MAX_XML_BYTES = 100 * 1024 * 1024


class RefusedXml(ValueError):
    """The file is not read: too large, not XML, or declaring a DOCTYPE."""


def read_xml(path: Path, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of the XML file at `path`. RefusedXml says why a file is not read;
    OSError (NotRegularFile for a FIFO or a device) when it cannot be opened."""
    data = _read_bounded(path, max_bytes)
    if _declares_doctype(data):  # refused before the parser sees it: nothing is expanded
        raise RefusedXml(_DOCTYPE_REFUSED)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise RefusedXml(f"not well-formed XML: {exc}") from None
    if root is None:
        raise RefusedXml("not XML (no root element)")
    if root.getroottree().docinfo.doctype:
        raise RefusedXml(_DOCTYPE_REFUSED)
    return root


_DOCTYPE_REFUSED = "declares a DOCTYPE (entities and DTDs are not read from transcription files)"


# How an XML document's first bytes tell its encoding (XML 1.0, appendix F), with a byte
# order mark or without one ("<?" in UTF-16 or UTF-32): UTF-32 before UTF-16, whose marks
# begin theirs.
_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\0?\0", "utf-16-le"),
    (b"\0<\0?", "utf-16-be"),
)


def _declares_doctype(data: bytes) -> bool:
    head = data[:_PROLOG_BYTES]
    for start, encoding in _WIDE_ENCODINGS:
        if head.startswith(start):
            bom = start if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else b""
            head = head[len(bom) :].decode(encoding, "replace").encode("utf-8")
            break
    return _DOCTYPE.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(
                errno.EINVAL, f"not a regular file ({file_kind(status.st_mode)})", str(path)
            )
        if status.st_size > max_bytes:
            raise RefusedXml(_too_large(status.st_size, max_bytes))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while being read
        raise RefusedXml(_too_large(len(data), max_bytes))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    mb = 1024 * 1024
    return f"is {size / mb:,.0f} MB; XML files over {max_bytes / mb:,.0f} MB are refused"


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace ("String" of "{http://...}String")."""
    return str(etree.QName(element).localname)
