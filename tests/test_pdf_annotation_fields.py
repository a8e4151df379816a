"""The annotated PDF as Zotero's "Import Annotations" reads it: standard Highlight, Text (a
sticky note) and Square (an area) annotations, each with its author in /T, the Print flag in
/F, its note in /Contents, its colour in /C, its modification date in /M, and the same id in
/NM as in the Web Annotation export. Checked on the raw PDF objects, read back with PyMuPDF."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from bench.corpus import born_digital_pdf
from reader.cli import main
from reader.library import Library
from reader.records import AnnotationInfo
from reader.web_annotations import annotation_uri

AUTHOR = "Ана Чолић"
NOTE_SR = "Преглед: „секвенцер“ — упореди са упутством"
NOTE_DE = "Übersicht — vgl. S. 3"
PRINT = 4  # the Print bit of /F
PDF_DATE = re.compile(r"D:\d{14}Z")


def cli(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> dict[str, Any]:
    assert main([*argv, "--library", str(folder), "--json"]) == 0
    parsed: dict[str, Any] = json.loads(capsys.readouterr().out)
    return parsed


def raw(pdf: pymupdf.Document, annot: pymupdf.Annot, key: str) -> tuple[str, str]:
    kind, value = pdf.xref_get_key(annot.xref, key)
    return str(kind), str(value)


def pdf_date(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def assert_standard(
    pdf: pymupdf.Document, annot: pymupdf.Annot, made: AnnotationInfo, subtype: str, sha256: str
) -> None:
    assert raw(pdf, annot, "Subtype") == ("name", f"/{subtype}")
    assert raw(pdf, annot, "T") == ("string", made.author)
    kind, flags = raw(pdf, annot, "F")
    assert kind == "int" and int(flags) & PRINT
    assert annot.info["content"] == made.note
    assert raw(pdf, annot, "C") == ("array", "[1 .8784314 .4]")  # #ffe066
    kind, modified = raw(pdf, annot, "M")
    assert kind == "string" and PDF_DATE.fullmatch(modified)
    assert modified == pdf_date(made.updated)
    assert raw(pdf, annot, "NM") == ("string", annotation_uri(sha256, made))


def test_highlights_notes_and_areas_are_standard_annotations_with_author_and_print_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, realdata: Path
) -> None:
    folder = tmp_path / "library"
    imported = cli(capsys, folder, "import", str(realdata / "linn.png"), "--no-ocr")
    (scan,) = imported["imported"]
    cli(capsys, folder, "annotate", str(scan["id"]), "--page", "1",
        "--rect", "100,200,300,400", "--note", NOTE_SR, "--author", AUTHOR)  # fmt: skip
    cli(capsys, folder, "annotate", str(scan["id"]), "--page", "1",
        "--note", NOTE_DE, "--author", AUTHOR)  # fmt: skip
    cli(capsys, folder, "annotate", str(scan["id"]), "--page", "1", "--bookmark",
        "--note", "Sequencer", "--author", AUTHOR)  # fmt: skip
    with Library(folder) as library:
        # what a drag over the scan's words makes in the app: a highlight of two line boxes
        library.annotate(scan["id"], 1, kind="highlight", rects=[[181, 91, 384, 101],
                         [72, 104, 300, 113]], text="state-of-the-art", note="", author="Ben")  # fmt: skip
        area, page_note, _bookmark, highlight = library.annotations()
        sha256 = library.document(scan["id"]).sha256
    out = tmp_path / "linn-annotated.pdf"
    report = cli(capsys, folder, "export", str(scan["id"]), "--out", str(out))
    assert report["annotations"] == 3  # the bookmark is in the outline

    with pymupdf.open(out) as pdf:
        by_type = {annot.type[1]: annot for annot in pdf[0].annots()}
        assert set(by_type) == {"Square", "Text", "Highlight"}
        assert_standard(pdf, by_type["Square"], area, "Square", sha256)
        assert_standard(pdf, by_type["Text"], page_note, "Text", sha256)
        assert_standard(pdf, by_type["Highlight"], highlight, "Highlight", sha256)
        assert by_type["Square"].info["title"] == AUTHOR  # Cyrillic, decoded from UTF-16
        assert raw(pdf, by_type["Text"], "Name") == ("name", "/Note")
        kind, quads = raw(pdf, by_type["Highlight"], "QuadPoints")
        assert kind == "array" and len(quads.strip("[]").split()) == 16  # one quad a line
        assert pdf.get_toc()[-1][:2] == [2, "Sequencer"]


def test_a_highlight_on_a_pdfs_own_text_covers_that_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Zotero takes a highlight's text from the page under its quads: it must be there, in
    Cyrillic too. (A born-digital PDF made here: the real PDFs at hand are scans.)"""
    source = born_digital_pdf(tmp_path / "zbornik.pdf", [
        "Zbornik dokumenata, tom XII.",
        "Naređenje komandanta: Главни штаб наређује покрет јединица ка Невесињу.",
    ])  # fmt: skip
    folder = tmp_path / "library"
    (document,) = cli(capsys, folder, "import", str(source))["imported"]
    made = cli(capsys, folder, "annotate", str(document["id"]), "--page", "2",
               "--quote", "Главни штаб наређује", "--note", NOTE_SR, "--author", AUTHOR)  # fmt: skip
    assert made["kind"] == "highlight" and made["rects"]
    out = tmp_path / "zbornik-annotated.pdf"
    cli(capsys, folder, "export", str(document["id"]), "--out", str(out))
    with Library(folder) as library:
        (stored,) = library.annotations()
        sha256 = library.document(document["id"]).sha256
    with pymupdf.open(out) as pdf:
        page = pdf[1]
        (highlight,) = page.annots()
        assert_standard(pdf, highlight, stored, "Highlight", sha256)
        assert "Главни штаб наређује" in page.get_textbox(highlight.rect)
        assert highlight.info["content"] == NOTE_SR
