"""Annotations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/) in JSON-LD:
one AnnotationCollection whose first (and only) AnnotationPage holds every annotation, for
IIIF viewers, annotation servers and people who read JSON.

An annotation's target is its page: a SpecificResource whose source is the page
(`urn:sha256:<the document's SHA-256>#page=N`, for a PDF its RFC 8118 fragment), whose scope
is the document (`urn:sha256:<SHA-256>`, with its title and media type), and whose selectors
are two ways to the same place, a viewer taking the one it knows: a FragmentSelector
(`xywh=x,y,w,h`, media fragments) and a TextQuoteSelector with the text it covers (exact, and
prefix and suffix from the page's text). The ids hang on the file's content, never on a path
or a library: the same scan annotated in two libraries gives the same page ids, and an
annotation keeps its id from one export to the next (and in the annotated PDF, as /NM).

The rectangle is in the pixels of the page's own raster, whole numbers holding the stored
rectangle: a scan's pixels (what a IIIF canvas made from that scan measures in), read from the
scan's header; a PDF page at 72 dpi, one pixel a point (the numbers `annotate --rect` and
`annotations --json` give). A page of reflowed text has no rectangle, only its quote.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reader.ingest.base import DEFAULT_LIMITS, BrokenFile, TooLargeFile
from reader.ingest.images import open_image

if TYPE_CHECKING:
    from reader.records import AnnotationInfo, DocumentInfo

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
SUFFIX = ".jsonld"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
GENERATOR = {"type": "Software", "name": "Archive Reader"}
QUOTE_CONTEXT = 32  # characters of prefix and suffix, as annotation tools commonly keep
# The namespace of annotation ids (urn:uuid, version 5): fixed, so that ids stay stable.
ID_NAMESPACE = uuid.UUID("1cd07dc3-c994-467e-92ed-2236f7d42ce5")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ROUNDING = 1e-6  # a product like 300 * (2550 / 612) may land a hair past a whole pixel


class AnnotationSource(Protocol):
    """What the export reads (reader.library.Library is one)."""

    def document(self, reference: str | int) -> DocumentInfo: ...

    def annotations(
        self, reference: str | int | None = None, *, author: str | None = None
    ) -> list[AnnotationInfo]: ...

    def page_sizes(self, reference: str | int) -> list[tuple[float, float]]: ...

    def page_texts(self, reference: str | int) -> list[str]: ...


@dataclass
class WebAnnotationExport:
    """The collection as JSON-ready dicts, and what could not be exported in full (an
    original that cannot be read: its annotations go out without their rectangles)."""

    collection: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return int(self.collection["total"])

    def as_jsonld(self) -> str:
        return as_jsonld(self.collection)


@dataclass(frozen=True)
class PageGrid:
    """How a page's stored coordinates (PDF points, origin top left) become the whole
    pixels of a media fragment: the scale, and the page's size in pixels."""

    scale_x: float
    scale_y: float
    width: int
    height: int

    def xywh(self, rects: Sequence[Sequence[float]]) -> str | None:
        """The smallest box of whole pixels holding every rectangle, cut to the page."""
        if not rects:
            return None
        left = max(0, math.floor(min(r[0] for r in rects) * self.scale_x + _ROUNDING))
        top = max(0, math.floor(min(r[1] for r in rects) * self.scale_y + _ROUNDING))
        right = min(self.width, math.ceil(max(r[2] for r in rects) * self.scale_x - _ROUNDING))
        bottom = min(self.height, math.ceil(max(r[3] for r in rects) * self.scale_y - _ROUNDING))
        if right <= left or bottom <= top:
            return None
        return f"xywh={left},{top},{right - left},{bottom - top}"


@dataclass(frozen=True)
class AnnotatedDocument:
    """A document as its annotations' targets need it: ids, page grids and page texts."""

    info: DocumentInfo
    grids: list[PageGrid | None]  # by page, None for a page of reflowed text
    texts: list[str]

    def grid(self, page: int) -> PageGrid | None:
        return self.grids[page - 1] if 1 <= page <= len(self.grids) else None

    def text(self, page: int) -> str:
        return self.texts[page - 1] if 1 <= page <= len(self.texts) else ""


def web_annotations(
    source: AnnotationSource, reference: str | int | None = None, *, author: str | None = None
) -> WebAnnotationExport:
    """The annotations of one document (or of every one), optionally one author's."""
    annotations = source.annotations(reference, author=author)
    warnings: list[str] = []
    documents = {
        doc_id: annotated_document(source, doc_id, warnings)
        for doc_id in dict.fromkeys(a.doc for a in annotations)
    }
    items = [annotation_jsonld(a, documents[a.doc]) for a in annotations]
    title = source.document(reference).title if reference is not None else ""
    return WebAnnotationExport(collection_jsonld(items, _label(title, author)), warnings)


def annotated_document(
    source: AnnotationSource, doc_id: int, warnings: list[str]
) -> AnnotatedDocument:
    info = source.document(doc_id)
    sizes = source.page_sizes(doc_id)
    if info.media_type.startswith("image/"):
        grids = _scan_grids(info, sizes, warnings)
    else:
        grids = [_points_grid(width, height) for width, height in sizes]
    return AnnotatedDocument(info, grids, source.page_texts(doc_id))


def _points_grid(width: float, height: float) -> PageGrid | None:
    if not (width > 0 and height > 0):
        return None
    return PageGrid(1.0, 1.0, math.ceil(width - _ROUNDING), math.ceil(height - _ROUNDING))


def _scan_grids(
    info: DocumentInfo, sizes: list[tuple[float, float]], warnings: list[str]
) -> list[PageGrid | None]:
    """A scan's pages in its own pixels, each frame's size read from the file's header (no
    pixel is decoded). A scan that cannot be read has no grid: its rectangles are left out
    (its annotations keep their page and quote) rather than guessed at a resolution."""
    try:
        pixels = scan_pixel_sizes(Path(info.path), len(sizes))
    except (BrokenFile, TooLargeFile, OSError, EOFError) as exc:
        warnings.append(
            f"{info.title}: the scan {info.path} cannot be read ({exc}); "
            "its annotations are exported without their rectangles"
        )
        return [None] * len(sizes)
    return [
        PageGrid(px / w, py / h, px, py) if w > 0 and h > 0 else None
        for (w, h), (px, py) in zip(sizes, pixels, strict=True)
    ]


def scan_pixel_sizes(path: Path, frames: int) -> list[tuple[int, int]]:
    """Width and height in pixels of each of the first `frames` frames of a scan."""
    if not path.is_file():
        raise BrokenFile("the file is missing")
    sizes = []
    with open_image(path, DEFAULT_LIMITS) as image:
        for index in range(frames):
            image.seek(index)
            sizes.append((image.width, image.height))
    return sizes


# One annotation


def annotation_uri(sha256: str, annotation: AnnotationInfo) -> str:
    """An annotation's id: the same on every export, and its own across libraries (the
    document's content, the annotation's number and the moment it was made)."""
    name = f"{sha256}/{annotation.id}/{annotation.created}"
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"


def document_uri(info: DocumentInfo) -> str:
    return f"urn:sha256:{info.sha256}"


def page_uri(info: DocumentInfo, page: int) -> str:
    return f"{document_uri(info)}#page={page}"


def annotation_jsonld(annotation: AnnotationInfo, document: AnnotatedDocument) -> dict[str, Any]:
    motivation, body = _motivation_and_body(annotation)
    made: dict[str, Any] = {
        "id": annotation_uri(document.info.sha256, annotation),
        "type": "Annotation",
        "motivation": motivation,
        "created": _utc_timestamp(annotation.created),
        "modified": _utc_timestamp(annotation.updated),
        "generator": GENERATOR,
    }
    if annotation.author:
        made["creator"] = {"type": "Person", "name": annotation.author}
    if body is not None:
        made["body"] = body
    made["target"] = _target(annotation, document)
    style = _style_class(annotation)
    if style:
        made["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{style} {{ background-color: {annotation.color}; }}",
        }
        made["target"]["styleClass"] = style
    return made


def _motivation_and_body(annotation: AnnotationInfo) -> tuple[str, dict[str, Any] | None]:
    """A bookmark is bookmarking (its note, its title, describes the page); anything with a
    note is commenting, the note its body; a highlight or area without one is highlighting,
    with no body (the model's own reading: the highlighted text is in the target)."""
    if annotation.kind == "bookmark":
        return "bookmarking", _text_body(annotation.note, "describing")
    if annotation.note:
        return "commenting", _text_body(annotation.note, "commenting")
    if annotation.kind in ("highlight", "area"):
        return "highlighting", None
    return "commenting", None  # a page note left empty


def _text_body(note: str, purpose: str) -> dict[str, Any] | None:
    if not note:
        return None
    # No language: a note's language is not recorded (it is often not the document's).
    return {"type": "TextualBody", "value": note, "format": "text/plain", "purpose": purpose}


def _target(annotation: AnnotationInfo, document: AnnotatedDocument) -> dict[str, Any]:
    info, page = document.info, annotation.page
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": {
            "id": page_uri(info, page),
            "type": _resource_type(info),
            "label": f"{info.title}, page {page}",
        },
        "scope": _document_resource(info),
    }
    selectors = []
    grid = document.grid(page)
    area = grid.xywh(annotation.rects) if grid is not None else None
    if area is not None:
        selectors.append({"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": area})
    if annotation.text:
        selectors.append(quote_selector(annotation.text, document.text(page)))
    if selectors:
        target["selector"] = selectors
    return target


def _document_resource(info: DocumentInfo) -> dict[str, Any]:
    label = " · ".join([info.title, *[i for i in info.identifiers if i != info.title]])
    return {
        "id": document_uri(info),
        "type": _resource_type(info),
        "format": info.media_type,
        "label": label,
    }


def _resource_type(info: DocumentInfo) -> str:
    return "Image" if info.media_type.startswith("image/") else "Text"


def quote_selector(exact: str, page_text: str) -> dict[str, Any]:
    """The text an annotation covers, with the page's text around it where it is found
    there (a page read again since may no longer hold it)."""
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
    at = page_text.find(exact)
    if at < 0:
        return selector
    prefix = page_text[max(0, at - QUOTE_CONTEXT) : at]
    suffix = page_text[at + len(exact) : at + len(exact) + QUOTE_CONTEXT]
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return selector


def _style_class(annotation: AnnotationInfo) -> str:
    """A CSS class for the colour of a marked region (the model's way to carry a style)."""
    if annotation.kind not in ("highlight", "area") or not annotation.rects:
        return ""
    if not _HEX_COLOUR.fullmatch(annotation.color):
        return ""
    return f"colour-{annotation.color[1:].lower()}"


def _utc_timestamp(iso: str) -> str:
    """ISO 8601 in UTC to the second, as the model's examples write it (2015-01-28T12:00:00Z)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the catalog writes UTC
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The collection


def collection_jsonld(items: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """Every annotation in one collection, embedded in its first page; an empty collection
    has no page (as the Web Annotation Protocol serves an empty container)."""
    key = "\n".join(item["id"] for item in items)
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'collection/' + key)}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
    }
    if items:
        collection["first"] = {
            "id": f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'page/' + key)}",
            "type": "AnnotationPage",
            "partOf": collection["id"],
            "startIndex": 0,
            "items": items,
        }
    return collection


def _label(title: str, author: str | None) -> str:
    label = f"Annotations on {title}" if title else "Annotations from Archive Reader"
    return f"{label} by {author}" if author else label


def as_jsonld(collection: dict[str, Any]) -> str:
    """The collection as a JSON-LD file's text: strict JSON (no NaN), UTF-8 readable (notes
    in Cyrillic stay Cyrillic), a file name's bytes that are not UTF-8 as JSON escapes."""
    text = json.dumps(collection, ensure_ascii=False, indent=2, allow_nan=False)
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
