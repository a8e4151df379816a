"""ALTO v4 out: pages of blocks, lines and words with their boxes and confidences, as
repositories and editions exchange OCR (https://www.loc.gov/standards/alto/).

Written as the schema (4.2) requires: Description with MeasurementUnit, the source file's
name and how the text was made (ALTO 4's Processing: its OCRProcessing is deprecated), then
Layout/Page/PrintSpace/TextBlock/TextLine/String, every element with its ID unique in the
file. Coordinates are in the page's own units (TranscribedPage.unit), with at most two
decimals; WC is the word's confidence, 0..1. A page with no text has an empty PrintSpace.
Pages are written one by one into the stream, so a long document never stands whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

from lxml import etree

from reader.transcriptions.model import Box, Line, TranscribedPage
from reader.transcriptions.xmlout import (
    leaf,
    number,
    opened,
    qualified,
    streamed,
    xml_name,
    xml_text,
)

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
SCHEMA_VERSION = "4.2"


@dataclass(frozen=True)
class Step:
    """How the text of some pages was made: one Processing element, which they point to."""

    id: str
    description: str
    software: str = ""


STEPS = {
    "ocr": Step("processing_ocr", "optical character recognition", "Tesseract (tesserocr)"),
    "embedded": Step("processing_embedded", "the words of the PDF's own text layer", "MuPDF"),
    "transcription": Step(
        "processing_transcription", "a transcription imported from ALTO or PAGE XML"
    ),
}


@dataclass(frozen=True)
class Description:
    """What the file says of itself: the source file's name (its base name), the unit, and
    how the text was made (keys of STEPS)."""

    file_name: str = ""
    unit: str = "pixel"
    sources: frozenset[str] = frozenset()

    @staticmethod
    def of(pages: Sequence[TranscribedPage]) -> Description:
        return Description(
            file_name=pages[0].image_name if pages else "",
            unit=pages[0].unit if pages else "pixel",
            sources=frozenset(p.source for p in pages if p.source),
        )


def write_alto(pages: Sequence[TranscribedPage], description: Description | None = None) -> bytes:
    """The pages as one ALTO v4 file."""
    return streamed(
        lambda stream: write_alto_to(stream, pages, description or Description.of(pages))
    )


def write_alto_to(
    stream: BinaryIO, pages: Iterable[TranscribedPage], description: Description
) -> int:
    """Write the pages as ALTO v4 into `stream`, one page at a time; the number of words."""
    words = 0
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        root = {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "SCHEMAVERSION": SCHEMA_VERSION}
        with xf.element(_q("alto"), root, nsmap={None: NS, "xsi": XSI}):
            _description(xf, description)
            with _element(xf, "Layout"):
                for index, page in enumerate(pages, start=1):
                    words += _page(xf, page, index)
            xf.write("\n")
    return words


_q = partial(qualified, NS)
_element = partial(opened, NS)
_leaf = partial(leaf, NS)


def _description(xf: Any, description: Description) -> None:
    with _element(xf, "Description"):
        _leaf(xf, "MeasurementUnit", text=description.unit)
        if description.file_name:
            with xf.element(_q("sourceImageInformation")):
                _leaf(xf, "fileName", text=xml_name(description.file_name))
        for key in sorted(description.sources & STEPS.keys()):
            step = STEPS[key]
            with xf.element(_q("Processing"), {"ID": step.id}):
                _leaf(xf, "processingCategory", text="contentGeneration")
                _leaf(xf, "processingStepDescription", text=step.description)
                if step.software:
                    with xf.element(_q("processingSoftware")):
                        _leaf(xf, "softwareName", text=step.software)


def _page(xf: Any, page: TranscribedPage, index: int) -> int:
    """Write the `index`th page of the file (IDs count in the file, so they stay unique
    whatever numbers the pages carry); its number of words."""
    n = index
    attributes = {
        "ID": f"page_{n}",
        "PHYSICAL_IMG_NR": str(page.number or n),
        "WIDTH": number(page.width),
        "HEIGHT": number(page.height),
    }
    if page.source in STEPS:
        attributes["PROCESSING"] = STEPS[page.source].id
    if page.confidence is not None:
        attributes["PC"] = number(min(max(page.confidence, 0.0), 1.0), 3)
    ids = _Ids(n)
    words = 0
    whole = _position(Box(0.0, 0.0, page.width, page.height))
    with (
        _element(xf, "Page", attributes),
        xf.element(_q("PrintSpace"), {"ID": f"printspace_{n}", **whole}),
    ):
        for block in page.blocks:
            lines = [line for line in block.lines if line.text or line.words]
            if not lines:
                continue
            box = block.box or Box.around([line.box for line in lines])
            with _element(xf, "TextBlock", {"ID": ids.next("block"), **_position(box)}):
                for line in lines:
                    words += _line(xf, line, ids)
    return words


def _line(xf: Any, line: Line, ids: _Ids) -> int:
    # A line given without its words (PAGE XML from handwriting often is) is one String.
    strings = [(w.text, w.box, w.confidence) for w in line.words] or [(line.text, line.box, None)]
    with _element(xf, "TextLine", {"ID": ids.next("line"), **_position(line.box)}):
        for i, (text, box, confidence) in enumerate(strings):
            if i:
                _leaf(xf, "SP")
            attributes = {"ID": ids.next("string"), **_position(box), "CONTENT": xml_text(text)}
            if confidence is not None:
                attributes["WC"] = number(min(max(confidence, 0.0), 1.0), 3)
            _leaf(xf, "String", attributes)
    return len(line.words)


def _position(box: Box) -> dict[str, str]:
    return {
        "HPOS": number(box.x0),
        "VPOS": number(box.y0),
        "WIDTH": number(box.x1 - box.x0),
        "HEIGHT": number(box.y1 - box.y0),
    }


class _Ids:
    """IDs unique in the file: the page's number, then a count of each kind on the page."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.counts: dict[str, int] = {}

    def next(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}_{self.page}_{self.counts[kind]}"
