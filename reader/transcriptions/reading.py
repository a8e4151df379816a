"""A transcription file read, whatever it is: ALTO or PAGE XML told apart by the namespace of
its root, anything else refused with the reason. The file is read safely (xmlsafe)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from reader.transcriptions.alto_read import ALTO_NAMESPACES, read_alto
from reader.transcriptions.geometry import TranscriptionError
from reader.transcriptions.model import TranscribedPage
from reader.transcriptions.pagexml import PAGE_NAMESPACES, read_page_xml
from reader.transcriptions.xmlsafe import MAX_XML_BYTES, read_xml

SUPPORTED = "ALTO (v2, v3, v4) or PAGE XML (2013, 2019)"


@dataclass(frozen=True)
class TranscriptionFile:
    format: str  # "ALTO v4", "PAGE XML 2013", ...
    pages: list[TranscribedPage]


def read_transcription(path: Path, max_bytes: int = MAX_XML_BYTES) -> list[TranscribedPage]:
    """The pages of an ALTO or PAGE XML file, in their units. RefusedXml (not XML, too large,
    a DOCTYPE) or TranscriptionError (another kind of XML, a page that cannot be placed) say
    why a file is not read; OSError when it cannot be opened."""
    return read_transcription_file(path, max_bytes).pages


def read_transcription_file(path: Path, max_bytes: int = MAX_XML_BYTES) -> TranscriptionFile:
    """read_transcription, and what format the file is in."""
    root = read_xml(path, max_bytes)
    return TranscriptionFile(transcription_format(root), read_transcription_root(root))


def transcription_format(root: etree._Element) -> str:
    """ "ALTO v4", "PAGE XML 2013", ...: what the root says the file is; TranscriptionError
    for anything else."""
    name = etree.QName(root)
    namespace = name.namespace or ""
    if name.localname == "alto" and namespace in ALTO_NAMESPACES:
        return ALTO_NAMESPACES[namespace]
    if name.localname == "PcGts" and namespace in PAGE_NAMESPACES:
        return PAGE_NAMESPACES[namespace]
    where = f" in the namespace {namespace[:120]}" if namespace else " (no namespace)"
    raise TranscriptionError(f"not {SUPPORTED}: its root element is <{name.localname[:60]}>{where}")


def read_transcription_root(root: etree._Element) -> list[TranscribedPage]:
    """The pages of a parsed ALTO or PAGE XML document."""
    if transcription_format(root).startswith("ALTO"):
        return read_alto(root)
    return read_page_xml(root)
