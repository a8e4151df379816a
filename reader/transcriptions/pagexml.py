"""PAGE XML read into plain pages: the 2013-07-15 format Transkribus exports and the 2019-07-15
one eScriptorium and OCR-D write (2017-07-15 reads the same way).

Page (imageFilename, imageWidth, imageHeight) / TextRegion (nested too, and inside tables) /
TextLine / Word, each placed by Coords points="x,y x,y ..." (a polygon: its bounding box is
kept) and read by TextEquiv/Unicode (the first by index; conf 0..1). A line of no words (what
handwriting recognition gives) is a line with its text and box; a region's or a line's
TextEquiv is read when what it holds has no text. The ReadingOrder, when the file has one,
orders the regions; Transkribus's custom="readingOrder {index:N;}" orders lines and words."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml import etree

from reader.transcriptions.geometry import (
    NO_BOX,
    PageFrame,
    TranscriptionError,
    bounds,
    confidence,
    has_area,
    number,
    polygon_bounds,
)
from reader.transcriptions.model import Block, Box, Line, TranscribedPage, Word
from reader.transcriptions.xmlsafe import local_name

_BASE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"
PAGE_NAMESPACES = {
    _BASE + "2013-07-15": "PAGE XML 2013",
    _BASE + "2017-07-15": "PAGE XML 2017",
    _BASE + "2019-07-15": "PAGE XML 2019",
}
_GROUPS = {"OrderedGroup", "UnorderedGroup", "OrderedGroupIndexed", "UnorderedGroupIndexed"}
_REFS = {"RegionRef", "RegionRefIndexed"}
_CUSTOM_ORDER = re.compile(r"readingOrder\s*\{[^}]*?index\s*:\s*(\d+)")


def read_page_xml(root: etree._Element) -> list[TranscribedPage]:
    """The page of a PAGE XML document whose root (PcGts) is `root`."""
    namespace = etree.QName(root).namespace or ""
    page = root.find(f"{{{namespace}}}Page")
    if page is None:
        raise TranscriptionError("PAGE XML with no Page element: there is no page to read")
    return [_page(page, namespace)]


def _page(page: etree._Element, namespace: str) -> TranscribedPage:
    width = number(page.get("imageWidth"), "the Page's imageWidth")
    height = number(page.get("imageHeight"), "the Page's imageHeight")
    if not width or not height or width <= 0 or height <= 0:
        raise TranscriptionError(
            "the Page gives no imageWidth and imageHeight: its coordinates cannot be placed"
        )
    frame = PageFrame(width, height, "pixel", "page 1")
    regions = _regions_in_order(page, namespace)
    blocks = [block for region in regions if (block := _block(region, frame, namespace))]
    image = (page.get("imageFilename") or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
    return TranscribedPage(
        width=width, height=height, blocks=tuple(blocks), image_name=image, unit="pixel",
        warnings=frame.warnings(),
    )  # fmt: skip


def _regions_in_order(page: etree._Element, namespace: str) -> list[etree._Element]:
    """Every TextRegion of the page, in the ReadingOrder where it names them; a region it
    does not name follows the named region that holds it, or else comes last, as written."""
    regions = list(page.iter(f"{{{namespace}}}TextRegion"))
    rank = {ref: position for position, ref in enumerate(_reading_order(page, namespace))}
    unranked = len(rank)

    def key(item: tuple[int, etree._Element]) -> tuple[int, int]:
        written, region = item
        element: etree._Element | None = region
        while element is not None and element is not page:
            if element.get("id") in rank:
                return rank[str(element.get("id"))], written
            element = element.getparent()
        return unranked, written

    return [region for _, region in sorted(enumerate(regions), key=key)]


def _reading_order(page: etree._Element, namespace: str) -> list[str]:
    """The region ids of the page's ReadingOrder, groups flattened in their order."""
    order = page.find(f"{{{namespace}}}ReadingOrder")
    found: list[str] = []
    if order is not None:
        _walk_group(order, found, ordered=False)
    return found


def _walk_group(group: etree._Element, found: list[str], *, ordered: bool) -> None:
    members = [c for c in group if isinstance(c.tag, str) and local_name(c) in _GROUPS | _REFS]
    if ordered:
        members.sort(key=lambda member: _index(member.get("index")))
    for member in members:
        reference = member.get("regionRef")
        if reference:
            found.append(reference)
        name = local_name(member)
        if name in _GROUPS:
            _walk_group(member, found, ordered=name.startswith("Ordered"))


def _index(value: str | None) -> float:
    try:
        return float(value) if value is not None else float("inf")
    except ValueError:
        return float("inf")


def _block(region: etree._Element, frame: PageFrame, namespace: str) -> Block | None:
    """A region's own lines (those of regions inside it are blocks of their own)."""
    region_box = _coords(region, frame, namespace)
    lines = [
        line
        for element in _in_custom_order(region.findall(f"{{{namespace}}}TextLine"))
        if (line := _line(element, frame, namespace)) is not None
    ]
    if not lines:
        text, conf = _text_equiv(region, namespace)
        if not text:
            return None
        lines = [Line(text, region_box or frame.no_place(), (), conf)]
    placed = [line.box for line in lines if has_area(line.box)]
    return Block(tuple(lines), region_box or (Box.around(placed) if placed else None))


def _line(element: etree._Element, frame: PageFrame, namespace: str) -> Line | None:
    words, unplaced = _words(element, frame, namespace)
    own_box = _coords(element, frame, namespace)
    if words and all(word.text for word in words):
        placed = [word.box for word in words if has_area(word.box)]
        box = own_box or (Box.around(placed) if placed else frame.no_place())
        if placed:
            frame.unplaced += unplaced  # kept in the text, without a box
            return Line(" ".join(word.text for word in words), box, tuple(words))
        return Line(" ".join(word.text for word in words), box)
    # No words, or words not transcribed (a segmentation only): the line's own text.
    text, conf = _text_equiv(element, namespace)
    if not text:
        return None
    return Line(text, own_box or frame.no_place(), (), conf)


def _words(element: etree._Element, frame: PageFrame, namespace: str) -> tuple[list[Word], int]:
    """The line's words, and how many of them the file does not place."""
    words = []
    unplaced = 0
    for word in _in_custom_order(element.findall(f"{{{namespace}}}Word")):
        text, conf = _text_equiv(word, namespace)
        box = _coords(word, frame, namespace)
        unplaced += box is None
        words.append(Word(" ".join(text.split()), box or NO_BOX, conf))
    return words, unplaced


def _in_custom_order(elements: Sequence[etree._Element]) -> list[etree._Element]:
    """Lines or words in Transkribus's readingOrder index when every one has it (sorted is
    stable: equal indexes keep the file's order)."""
    indexes = [_custom_index(element) for element in elements]
    if any(index is None for index in indexes):
        return list(elements)
    return sorted(elements, key=lambda element: _custom_index(element) or 0)


def _custom_index(element: etree._Element) -> int | None:
    found = _CUSTOM_ORDER.search(element.get("custom") or "")
    return int(found.group(1)) if found else None


def _text_equiv(element: etree._Element, namespace: str) -> tuple[str, float | None]:
    """The text of the element's own first TextEquiv (lowest index) and its confidence."""
    equivs = element.findall(f"{{{namespace}}}TextEquiv")
    if not equivs:
        return "", None
    first = min(equivs, key=lambda equiv: _index(equiv.get("index") or "0"))
    unicode = first.find(f"{{{namespace}}}Unicode")
    text = (unicode.text or "") if unicode is not None else ""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line), confidence(first.get("conf"))


def _coords(element: etree._Element, frame: PageFrame, namespace: str) -> Box | None:
    """The bounding box of the element's Coords polygon, clipped to the page; None when the
    file gives none."""
    coords = element.find(f"{{{namespace}}}Coords")
    if coords is None:
        return None
    points = coords.get("points")
    what = _described(element)
    if points is None:  # PAGE 2010 wrote <Point x= y=/> children
        found = bounds(
            (number(point.get("x"), what) or 0.0, number(point.get("y"), what) or 0.0)
            for point in coords
            if isinstance(point.tag, str) and local_name(point) == "Point"
        )
    else:
        found = polygon_bounds(points, what)
    return None if found is None else frame.box(*found)


def _described(element: etree._Element) -> Callable[[], str]:
    """How a message names an element's Coords ("TextLine r1l1's Coords"), made only when a
    message is: a page has thousands of polygons."""
    return lambda: f"{local_name(element)} {element.get('id') or ''}".rstrip() + "'s Coords"
