"""Notes out as W3C Web Annotations (JSON-LD): a real scan annotated through the Library and
the CLI, the export parsed back and checked as a consumer reads it: the context, the types and
motivations, the page and rectangle of the target against what the catalog stores, the note as
the body, in German and Serbian Cyrillic; a highlight without a note, a bookmark, an empty
library; and File → Export Notes… writing the same file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from reader.cli import main
from reader.library import Library
from reader.records import AnnotationInfo
from reader.web_annotations import annotation_uri

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
NOTE_DE = "Übersicht der Funktionen — vgl. Handbuch, S. 3"
NOTE_SR = "Преглед могућности: „секвенцер“ — упореди са упутством"
QUOTE = "state-of-the-art composition and performance tool"
XYWH = re.compile(r"xywh=(\d+),(\d+),(\d+),(\d+)")

# Every term the Web Annotation context (http://www.w3.org/ns/anno.jsonld) defines: a key or
# a type or motivation not among them is dropped by a JSON-LD processor, silently.
_TERM_NAMES = """
    oa dc dcterms dctypes foaf rdf rdfs skos xsd iana owl as schema id type Annotation Dataset
    Image Video Audio Text TextualBody ResourceSelection SpecificResource FragmentSelector
    CssSelector XPathSelector TextQuoteSelector TextPositionSelector DataPositionSelector
    SvgSelector RangeSelector TimeState HttpRequestState CssStylesheet Choice Person Software
    Organization AnnotationCollection AnnotationPage Audience Motivation bookmarking classifying
    commenting describing editing highlighting identifying linking moderating questioning
    replying reviewing assessing tagging auto ltr rtl body target source selector state scope
    refinedBy startSelector endSelector renderedVia creator generator rights homepage via
    canonical stylesheet cached conformsTo items partOf first last next prev audience motivation
    purpose textDirection accessibility bodyValue format language processingLanguage value
    exact prefix suffix styleClass name email email_sha1 nickname label created modified
    generated sourceDate sourceDateStart sourceDateEnd start end total startIndex"""
ANNO_TERMS = frozenset(_TERM_NAMES.split())
VOCAB_VALUED = ("type", "motivation", "purpose")  # their values are terms too
SLOW = pytest.mark.slow  # the tests on the OCR'd scan (one OCR for them all)


@pytest.fixture(scope="module")
def ocred_scan(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Path:
    """linn.png (a real 300 dpi scan) imported and OCR'd once; tests copy the library."""
    folder = tmp_path_factory.mktemp("webanno") / "library"
    with Library(folder) as library:
        library.import_paths([realdata / "linn.png"])
        report = library.run_ocr()
        assert report.pages_failed == 0
    return folder


@pytest.fixture
def scan_library(ocred_scan: Path, tmp_path: Path) -> Iterator[Library]:
    shutil.copytree(ocred_scan, tmp_path / "library")
    with Library(tmp_path / "library") as opened:
        yield opened


def exported(library: Library, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The export as a consumer gets it: the file's text, parsed."""
    parsed: dict[str, Any] = json.loads(library.web_annotations(*args, **kwargs).as_jsonld())
    return parsed


def items(collection: dict[str, Any]) -> list[dict[str, Any]]:
    assert collection["first"]["type"] == "AnnotationPage"
    found: list[dict[str, Any]] = collection["first"]["items"]
    assert collection["total"] == len(found)
    return found


def selector(target: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [s for s in target["selector"] if s["type"] == kind]
    assert isinstance(found, dict)
    return found


def pixels(fragment: dict[str, Any]) -> tuple[int, int, int, int]:
    assert fragment["conformsTo"] == MEDIA_FRAGMENTS
    match = XYWH.fullmatch(fragment["value"])
    assert match is not None, fragment["value"]
    x, y, w, h = (int(v) for v in match.groups())
    return x, y, w, h


def assert_holds(xywh: tuple[int, int, int, int], rects: list[list[float]], scale: float) -> None:
    """The whole-pixel box holds the stored rectangles (to a millionth of a pixel: 384.48
    points at 300/72 are 1602 pixels, give or take a float's last bit), and is no more than a
    pixel larger."""
    x, y, w, h = xywh
    eps = 1e-6
    x0, y0 = min(r[0] for r in rects) * scale, min(r[1] for r in rects) * scale
    x1, y1 = max(r[2] for r in rects) * scale, max(r[3] for r in rects) * scale
    assert x - eps <= x0 < x + 1 and y - eps <= y0 < y + 1
    assert x + w - 1 < x1 <= x + w + eps and y + h - 1 < y1 <= y + h + eps


def utc(timestamp: str) -> datetime:
    assert timestamp.endswith("Z")
    return datetime.fromisoformat(timestamp)


@SLOW
def test_a_commented_highlight_on_a_scan_targets_its_page_and_pixels(
    scan_library: Library, realdata: Path
) -> None:
    made = scan_library.annotate("1", 1, quote=QUOTE, note=NOTE_DE, author="Ana Čolić")
    info = scan_library.document(1)
    collection = exported(scan_library)

    assert collection["@context"] == CONTEXT
    assert collection["type"] == "AnnotationCollection"
    (annotation,) = items(collection)
    assert "@context" not in annotation  # once, at the top
    assert annotation["type"] == "Annotation"
    assert annotation["id"].startswith("urn:uuid:")
    assert annotation["motivation"] == "commenting"
    assert annotation["body"] == {
        "type": "TextualBody", "value": NOTE_DE, "format": "text/plain", "purpose": "commenting",
    }  # fmt: skip
    assert annotation["creator"] == {"type": "Person", "name": "Ana Čolić"}
    assert utc(annotation["created"]) == datetime.fromisoformat(made.created).replace(microsecond=0)
    assert utc(annotation["modified"]) >= utc(annotation["created"])

    target = annotation["target"]
    assert target["type"] == "SpecificResource"
    assert target["source"]["id"] == f"urn:sha256:{info.sha256}#page=1"
    assert target["source"]["type"] == "Image"
    assert target["scope"] == {
        "id": f"urn:sha256:{info.sha256}", "type": "Image", "format": "image/png", "label": "linn",
    }  # fmt: skip
    # The rectangle in the scan's own pixels: the stored one (PDF points) times its resolution.
    with Image.open(realdata / "linn.png") as scan:
        scale = scan.width / scan_library.page_sizes(1)[0][0]
    assert made.rects  # the highlight's lines, merged into one box
    assert_holds(pixels(selector(target, "FragmentSelector")), made.rects, scale)
    quote = selector(target, "TextQuoteSelector")
    assert quote["exact"] == made.text and "composition and performance" in made.text
    page_text = scan_library.page_texts(1)[0]
    assert quote["prefix"] + quote["exact"] + quote["suffix"] in page_text
    assert target["styleClass"] == "colour-ffe066"
    assert "#ffe066" in annotation["stylesheet"]["value"]


@SLOW
def test_unicode_notes_a_highlight_without_note_an_area_a_page_note_and_a_bookmark(
    scan_library: Library,
) -> None:
    plain = scan_library.annotate(1, 1, quote="extremely powerful", author="Ана")
    area = scan_library.annotate(1, 1, rects=[[100, 200, 300, 400]], note=NOTE_SR, author="Ана")
    page_note = scan_library.annotate(1, 1, note=NOTE_DE, author="Ана")
    bookmark = scan_library.annotate(1, 1, kind="bookmark", note="Секвенцер", author="Ана")
    sha256 = scan_library.document(1).sha256
    found = items(exported(scan_library))
    for made, annotation in zip((plain, area, page_note, bookmark), found, strict=True):
        assert annotation["id"] == annotation_uri(sha256, made)  # in the order they were made
    highlight, marked, note, marked_page = found

    assert highlight["motivation"] == "highlighting"
    assert "body" not in highlight  # the highlighted text is in the target, not a body
    assert selector(highlight["target"], "TextQuoteSelector")["exact"] == "extremely powerful"

    assert marked["motivation"] == "commenting"
    assert marked["body"]["value"] == NOTE_SR
    # 300 dpi, no resolution in the file: a point is 300/72 pixels; no quote on an area
    assert [s["type"] for s in marked["target"]["selector"]] == ["FragmentSelector"]
    assert pixels(marked["target"]["selector"][0]) == (416, 833, 834, 834)

    assert note["motivation"] == "commenting" and note["body"]["value"] == NOTE_DE
    assert "selector" not in note["target"]  # the whole page

    assert marked_page["motivation"] == "bookmarking"
    assert marked_page["body"]["value"] == "Секвенцер"
    assert marked_page["body"]["purpose"] == "describing"
    assert "selector" not in marked_page["target"]
    assert marked_page["target"]["source"]["id"].endswith("#page=1")
    assert len({a["id"] for a in (highlight, marked, note, marked_page)}) == 4


@SLOW
def test_every_key_type_and_motivation_is_a_term_of_the_web_annotation_context(
    scan_library: Library,
) -> None:
    scan_library.annotate(1, 1, quote=QUOTE, note=NOTE_SR, author="Ана")
    scan_library.annotate(1, 1, kind="bookmark", note="x")
    scan_library.annotate(1, 1, rects=[[10, 10, 50, 50]])
    unknown: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "@context" and key not in ANNO_TERMS:
                    unknown.add(key)
                if key in VOCAB_VALUED and isinstance(value, str) and value not in ANNO_TERMS:
                    unknown.add(f"{key}={value}")
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(exported(scan_library))
    assert unknown == set()


def test_a_scan_at_150_dpi_is_measured_in_its_own_pixels_and_a_pdf_in_points(
    library: Library, realdata: Path, tmp_path: Path
) -> None:
    with Image.open(realdata / "linn.png") as scan:  # the same pixels, said to be 150 dpi
        scan.save(tmp_path / "linn-150.tif", dpi=(150, 150), compression="tiff_lzw")
    library.import_paths([tmp_path / "linn-150.tif", realdata / "c02-22.pdf"])
    scan_id, pdf_id = (d.id for d in library.documents())
    assert library.page_sizes(scan_id)[0] == (2550 * 72 / 150, 3300 * 72 / 150)
    library.annotate(scan_id, 1, rects=[[100, 200, 300, 400]])
    library.annotate(pdf_id, 1, rects=[[10.4, 20.6, 100.2, 200.5]])
    on_scan, on_pdf = items(exported(library))

    # 150/72 pixels a point: 208.3 → 208, 416.7 → 416, 625 → 625 (to the float's last bit),
    # 833.3 → 834; at 300 dpi, what a scan that does not say is taken for, all would double
    assert pixels(on_scan["target"]["selector"][0]) == (208, 416, 417, 418)
    assert pixels(on_pdf["target"]["selector"][0]) == (10, 20, 91, 181)  # points, held whole
    assert on_pdf["target"]["source"]["type"] == "Text"
    assert on_pdf["target"]["scope"]["format"] == "application/pdf"


@SLOW
def test_ids_stay_from_one_export_to_the_next_and_differ_between_libraries(
    scan_library: Library, ocred_scan: Path, tmp_path: Path
) -> None:
    scan_library.annotate(1, 1, quote=QUOTE, note="first")
    first = items(exported(scan_library))
    scan_library.update_annotation(first_id(scan_library), note="edited")
    again = items(exported(scan_library))
    assert [a["id"] for a in again] == [a["id"] for a in first]
    assert again[0]["body"]["value"] == "edited"

    shutil.copytree(ocred_scan, tmp_path / "other")
    with Library(tmp_path / "other") as other:  # the same scan, annotated elsewhere
        other.annotate(1, 1, quote=QUOTE, note="first")
        elsewhere = items(exported(other))
    assert elsewhere[0]["id"] != first[0]["id"]  # same number, same document: another note
    assert elsewhere[0]["target"]["source"] == first[0]["target"]["source"]  # the same page


def first_id(library: Library) -> int:
    annotation: AnnotationInfo = library.annotations()[0]
    return annotation.id


def test_an_unreadable_original_leaves_out_rectangles_and_says_so(
    library: Library, realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "moved.png"
    shutil.copy(realdata / "linn.png", copy)
    library.import_paths([copy])
    library.annotate(1, 1, rects=[[100, 200, 300, 400]], note="still here")
    copy.unlink()
    export = library.web_annotations()
    (annotation,) = items(json.loads(export.as_jsonld()))
    assert annotation["body"]["value"] == "still here"
    assert "selector" not in annotation["target"]  # no rectangle guessed at a resolution
    assert annotation["target"]["source"]["id"].endswith("#page=1")
    (warning,) = export.warnings
    assert "moved" in warning and "cannot be read" in warning
    # on the command line: the collection on stdout, the warning on stderr, success
    argv = ["annotations", "--format", "webannotation", "--library", str(library.folder)]
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert json.loads(printed.out)["total"] == 1
    assert printed.err == f"archive-reader: {warning}\n"


@SLOW
def test_cli_one_document_one_author_and_an_empty_library(
    capsys: pytest.CaptureFixture[str], scan_library: Library, tmp_path: Path
) -> None:
    scan_library.annotate(1, 1, quote=QUOTE, note=NOTE_SR, author="Ана")
    scan_library.annotate(1, 1, quote="extremely powerful", note="other", author="Ben")
    folder = str(scan_library.folder)

    def run(folder: str, *argv: str) -> dict[str, Any]:
        assert main(["annotations", *argv, "--format", "webannotation", "--library", folder]) == 0
        parsed: dict[str, Any] = json.loads(capsys.readouterr().out)
        return parsed

    everything = run(folder)
    assert everything["total"] == 2 and everything["label"] == "Annotations from Archive Reader"
    hers = run(folder, "1", "--author", "Ана")
    (only,) = items(hers)
    assert only["body"]["value"] == NOTE_SR and hers["label"] == "Annotations on linn by Ана"
    assert run(folder, "--json")["total"] == 2  # --json changes nothing: it is JSON already

    with Library(tmp_path / "empty"):
        pass
    empty = run(str(tmp_path / "empty"))
    assert empty["@context"] == CONTEXT and empty["type"] == "AnnotationCollection"
    assert empty["total"] == 0 and "first" not in empty


def test_export_notes_in_the_app_writes_web_annotations(
    qtbot: Any, library: Library, realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog

    from ui.main_window import MainWindow, exporting

    library.import_paths([realdata / "linn.png"])
    library.annotate(1, 1, rects=[[100, 200, 300, 400]], note=NOTE_SR)
    out = tmp_path / "notes.jsonld"
    chosen = exporting.NOTE_FORMATS["webannotation"][0]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(out), chosen))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, settings)
    qtbot.addWidget(window)
    window.exporting.export_notes()
    assert window.wait_until_idle()
    (annotation,) = items(json.loads(out.read_text(encoding="utf-8")))
    assert annotation["body"]["value"] == NOTE_SR
    assert pixels(annotation["target"]["selector"][0]) == (416, 833, 834, 834)
    assert exporting.notes_format(Path("n.csv"), chosen) == "csv"  # the name's suffix first
    assert exporting.notes_format(Path("n"), chosen) == "webannotation"
