"""hOCR out: the pages as XHTML that OCR tools and viewers read (hOCR 1.2): ocr_page (its
image, bbox and ppageno), ocr_carea and ocr_par for each block, ocr_line, and ocrx_word with
its bbox and x_wconf. Boxes are whole pixels, as hOCR has them; ppageno counts from 0, as
Tesseract writes it. Pages are written one by one into the stream."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, BinaryIO

from lxml import etree

from reader.transcriptions.alto import STEPS, Description
from reader.transcriptions.model import Box, Line, TranscribedPage
from reader.transcriptions.xmlout import leaf, opened, qualified, streamed, xml_name, xml_text

XHTML = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"


def write_hocr(
    pages: Sequence[TranscribedPage], description: Description | None = None, title: str = ""
) -> bytes:
    """The pages as one hOCR file."""
    head = description or Description.of(pages)
    return streamed(lambda stream: write_hocr_to(stream, pages, head, title))


def write_hocr_to(
    stream: BinaryIO, pages: Iterable[TranscribedPage], description: Description, title: str = ""
) -> int:
    """Write the pages as hOCR into `stream`, one page at a time; the number of words."""
    words = 0
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype("<!DOCTYPE html>")
        with xf.element(_q("html"), nsmap={None: XHTML}):
            _head(xf, description, title)
            with _element(xf, "body"):
                for index, page in enumerate(pages, start=1):
                    words += _page(xf, page, index, description.file_name)
                xf.write("\n")
            xf.write("\n")
    return words


_q = partial(qualified, XHTML)
_element = partial(opened, XHTML)
_leaf = partial(leaf, XHTML)


def _head(xf: Any, description: Description, title: str) -> None:
    software = [STEPS[s].software for s in sorted(description.sources) if s in STEPS]
    system = ", ".join(["Archive Reader", *(s for s in software if s)])
    with _element(xf, "head"):
        _leaf(xf, "title", {}, xml_text(title))
        _leaf(xf, "meta", {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"})
        _leaf(xf, "meta", {"name": "ocr-system", "content": system})
        # Word confidences come with OCR (and some transcriptions), not with a PDF's own text.
        confident = description.sources & {"ocr", "transcription"}
        capabilities = CAPABILITIES if confident else CAPABILITIES.replace(" ocrp_wconf", "")
        _leaf(xf, "meta", {"name": "ocr-capabilities", "content": capabilities})


def _page(xf: Any, page: TranscribedPage, index: int, file_name: str) -> int:
    image = xml_name(page.image_name or file_name).replace("\\", "\\\\").replace('"', '\\"')
    ppageno = (page.number or index) - 1
    bbox = _bbox(Box(0, 0, page.width, page.height))
    title = f'image "{image}"; bbox {bbox}; ppageno {ppageno}'
    counts = {"block": 0, "par": 0, "line": 0, "word": 0}

    def next_id(kind: str) -> str:
        counts[kind] += 1
        return f"{kind}_{index}_{counts[kind]}"

    words = 0
    with _element(xf, "div", {"class": "ocr_page", "id": f"page_{index}", "title": title}):
        for block in page.blocks:
            lines = [line for line in block.lines if line.text or line.words]
            if not lines:
                continue
            box = {"title": f"bbox {_bbox(block.box or Box.around([ln.box for ln in lines]))}"}
            area = {"class": "ocr_carea", "id": next_id("block"), **box}
            with (
                _element(xf, "div", area),
                _element(xf, "p", {"class": "ocr_par", "id": next_id("par"), **box}),
            ):
                for line in lines:
                    words += _line(xf, line, next_id)
    return words


def _line(xf: Any, line: Line, next_id: Callable[[str], str]) -> int:
    attributes = {"class": "ocr_line", "id": next_id("line"), "title": f"bbox {_bbox(line.box)}"}
    with _element(xf, "span", attributes):
        if not line.words:  # a line given without its words
            xf.write(xml_text(line.text))
        for i, word in enumerate(line.words):
            if i:
                xf.write(" ")
            title = f"bbox {_bbox(word.box)}"
            if word.confidence is not None:
                title += f"; x_wconf {round(min(max(word.confidence, 0.0), 1.0) * 100)}"
            _leaf(xf, "span", {"class": "ocrx_word", "id": next_id("word"), "title": title},
                  xml_text(word.text))  # fmt: skip
    return len(line.words)


def _bbox(box: Box) -> str:
    """hOCR's bbox: whole pixels, left top right bottom."""
    return " ".join(str(round(v)) for v in (box.x0, box.y0, box.x1, box.y1))
