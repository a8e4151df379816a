"""ALTO read into plain pages: v2, v3 and v4 (Library of Congress namespaces) and the older
CCS-GmbH ALTO, as Tesseract, Transkribus, eScriptorium and library digitisation write them.

Layout/Page (WIDTH, HEIGHT) / PrintSpace and margins / ComposedBlock (nested) / TextBlock /
TextLine / String (HPOS, VPOS, WIDTH, HEIGHT, CONTENT, WC), in MeasurementUnit pixel, mm10 or
inch1200. A word hyphenated at a line's end (SUBS_TYPE HypPart1, or a HYP element) ends its
line with a hyphen, which the search index joins with the next line's first word; so the
whole word (its SUBS_CONTENT) is found while the page reads as printed."""

from __future__ import annotations

import math
from collections.abc import Callable

from lxml import etree

from reader.transcriptions.geometry import (
    NO_BOX,
    PageFrame,
    TranscriptionError,
    confidence,
    has_area,
    number,
)
from reader.transcriptions.model import Block, Box, Line, TranscribedPage, Word

ALTO_NAMESPACES = {
    "http://www.loc.gov/standards/alto/ns-v2#": "ALTO v2",
    "http://www.loc.gov/standards/alto/ns-v3#": "ALTO v3",
    "http://www.loc.gov/standards/alto/ns-v4#": "ALTO v4",
    "http://schema.ccs-gmbh.com/ALTO": "ALTO (CCS)",
    "": "ALTO (no namespace)",  # ALTO 1.x as some digitisation projects wrote it
}
UNITS = ("pixel", "mm10", "inch1200")
# The order a reader takes a page's parts in (the schema lists the margins first).
_PAGE_PARTS = ("TopMargin", "LeftMargin", "PrintSpace", "RightMargin", "BottomMargin")
# Line-end hyphens the index joins across a line break (index.folding); others become "-".
_HYPHENS = "-¬‐"
_HYPHEN_ENDS = tuple(_HYPHENS)


def read_alto(root: etree._Element) -> list[TranscribedPage]:
    """The pages of an ALTO document whose root is `root`."""
    namespace = etree.QName(root).namespace or ""
    description = _child(root, "Description", namespace)
    unit = _unit(description, namespace)
    image = _image_name(description, namespace)
    layout = _child(root, "Layout", namespace)
    pages = [] if layout is None else _all(layout, "Page", namespace)
    if not pages:
        raise TranscriptionError("ALTO with no Layout/Page: there is no page to read")
    return [_page(page, number, unit, image, namespace) for number, page in enumerate(pages, 1)]


def _tag(name: str, namespace: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _child(element: etree._Element | None, name: str, namespace: str) -> etree._Element | None:
    return None if element is None else element.find(_tag(name, namespace))


def _all(element: etree._Element, name: str, namespace: str) -> list[etree._Element]:
    return list(element.iterfind(_tag(name, namespace)))


def _unit(description: etree._Element | None, namespace: str) -> str:
    element = _child(description, "MeasurementUnit", namespace)
    unit = (element.text or "").strip() if element is not None else ""
    if not unit:
        return "pixel"
    if unit not in UNITS:
        raise TranscriptionError(
            f"MeasurementUnit is {unit[:40]!r}; ALTO measures in {', '.join(UNITS)}"
        )
    return unit


def _image_name(description: etree._Element | None, namespace: str) -> str:
    """The base name of the image the file describes (Tesseract writes the path it was given)."""
    info = _child(description, "sourceImageInformation", namespace)
    element = _child(info, "fileName", namespace)
    name = (element.text or "").strip() if element is not None else ""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _page(
    page: etree._Element, number_: int, unit: str, image: str, namespace: str
) -> TranscribedPage:
    label = f"page {number_}"
    width = number(page.get("WIDTH"), f"{label}'s WIDTH")
    height = number(page.get("HEIGHT"), f"{label}'s HEIGHT")
    if not width or not height or width <= 0 or height <= 0:
        raise TranscriptionError(
            f"{label} gives no WIDTH and HEIGHT: its coordinates cannot be placed on the scan"
        )
    frame = PageFrame(width, height, unit, label)
    blocks = []
    for part in _page_parts(page, namespace):
        for block in part.iter(_tag("TextBlock", namespace)):
            lines = tuple(
                line
                for element in _all(block, "TextLine", namespace)
                if (line := _line(element, frame, namespace)) is not None
            )
            placed = [line.box for line in lines if has_area(line.box)]
            if lines:
                blocks.append(Block(lines, Box.around(placed) if placed else None))
    return TranscribedPage(
        width=width, height=height, blocks=tuple(blocks), image_name=image, unit=unit,
        warnings=frame.warnings(),
    )  # fmt: skip


def _page_parts(page: etree._Element, namespace: str) -> list[etree._Element]:
    parts = [p for name in _PAGE_PARTS if (p := _child(page, name, namespace)) is not None]
    # A page whose blocks stand outside the parts the schema names (seen in older files).
    return parts or [page]


def _line(element: etree._Element, frame: PageFrame, namespace: str) -> Line | None:
    words: list[Word] = []
    pieces: list[str] = []
    last_subs = ""
    unplaced = 0
    string_tag, hyp_tag = _tag("String", namespace), _tag("HYP", namespace)
    for child in element:
        if child.tag == string_tag:
            content = " ".join((child.get("CONTENT") or "").split())
            if not content:
                continue
            pieces.append(content)
            last_subs = child.get("SUBS_TYPE") or ""
            box = _box(child, frame)
            unplaced += box is None
            words.append(Word(content, box or NO_BOX, confidence(child.get("WC"))))
        elif child.tag == hyp_tag and words and not words[-1].text.endswith(_HYPHEN_ENDS):
            hyphen = (child.get("CONTENT") or "").strip()
            words[-1] = _hyphenated(words[-1], hyphen if hyphen and hyphen in _HYPHENS else "-")
            pieces[-1] = words[-1].text
    if not words:
        return None
    if last_subs == "HypPart1" and not words[-1].text.endswith(_HYPHEN_ENDS):
        # "Kom" of "Kommandeur" with no HYP: the hyphen the index joins the next line's
        # "mandeur" on (and the hit boxes both halves).
        words[-1] = _hyphenated(words[-1], "-")
        pieces[-1] = words[-1].text
    text = " ".join(pieces)
    line_box = _line_box(element, words, frame)
    if len(words) == 1 and " " in words[0].text:
        # A line given as one String (eScriptorium): a line without words, not a long word.
        return Line(text, line_box, (), words[0].confidence)
    if not any(has_area(word.box) for word in words):
        # Words the file does not place (or gives no size): the line is stored whole.
        return Line(text, line_box)
    frame.unplaced += unplaced  # kept in the text, without a box
    return Line(text, line_box, tuple(words))


def _hyphenated(word: Word, hyphen: str) -> Word:
    return Word(word.text + hyphen, word.box, word.confidence)


def _line_box(element: etree._Element, words: list[Word], frame: PageFrame) -> Box:
    own = _box(element, frame)
    if own is not None:
        return own
    placed = [word.box for word in words if has_area(word.box)]
    return Box.around(placed) if placed else frame.no_place()


_PLACE = ("HPOS", "VPOS", "WIDTH", "HEIGHT")


def _box(element: etree._Element, frame: PageFrame) -> Box | None:
    """The element's box clipped to the page; None when the file does not place it."""
    get = element.get
    hpos, vpos, width, height = get("HPOS"), get("VPOS"), get("WIDTH"), get("HEIGHT")
    if hpos is None or vpos is None or width is None or height is None:
        return None
    try:  # the quick way: a page has thousands of boxes
        x, y, w, h = float(hpos), float(vpos), float(width), float(height)
        if math.isfinite(x + y + w + h):
            return frame.box(x, y, x + w, y + h)
    except ValueError:
        pass
    for name in _PLACE:  # the slow way, for the message: which one is no number
        number(get(name), _described(element, name))
    return None  # a blank coordinate: no place


def _described(element: etree._Element, attribute: str) -> Callable[[], str]:
    """How a message names an element's attribute ("String 'Kom''s HPOS"), made only when
    a message is: reading a page makes thousands of boxes."""

    def describe() -> str:
        name = etree.QName(element).localname
        label = element.get("ID") or repr((element.get("CONTENT") or "")[:20])
        return f"{name} {label}'s {attribute}"

    return describe
