"""ALTO both ways: the OCR of a real scan exported as ALTO v4 and attached back to the same
scan in another library gives the same words, boxes, confidences, lines and text; exported
again, the same ALTO. A transcription without confidences goes out without WC."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import undefer

from reader.library import Library
from reader.models import OcrState, Page, TextSource
from tests.transcription_samples import ESCRIPTORIUM_ALTO_V4

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
# Written with two decimals, in pixels: a hundredth of a pixel at 300 dpi is 0.0024 points.
BOX_TOLERANCE = 0.005


def stored_page(library: Library) -> Page:
    with library.session() as session:
        page = session.scalars(select(Page).options(undefer(Page.text), undefer(Page.words))).one()
        session.expunge(page)
        return page


def strings(alto: Path) -> list[dict[str, Any]]:
    root = etree.parse(str(alto)).getroot()
    return [dict(s.attrib) for s in root.iter(f"{ALTO}String")]


def lines(alto: Path) -> list[list[str]]:
    root = etree.parse(str(alto)).getroot()
    return [[s.get("CONTENT") for s in line.iter(f"{ALTO}String")] for line in root.iter(f"{ALTO}TextLine")]  # fmt: skip


@pytest.fixture(scope="module")
def ocred(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, Path]:
    """A real typewritten scan, OCR'd, and its OCR exported as ALTO."""
    library = Library(tmp_path_factory.mktemp("ocred"))
    library.import_paths([realdata / "typewriter.png"])
    library.run_ocr()
    alto = tmp_path_factory.mktemp("alto") / "typewriter.xml"
    assert library.export_transcription(1, alto, "alto").words > 50
    return library, alto


@pytest.fixture(scope="module")
def attached(
    ocred: tuple[Library, Path], realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> Library:
    """The same scan in a second library, not OCR'd, with the exported ALTO attached."""
    library = Library(tmp_path_factory.mktemp("attached"))
    library.import_paths([realdata / "typewriter.png"])
    report = library.attach_transcriptions(1, [ocred[1]])
    assert (report.failed, report.warnings, [p.page for p in report.pages]) == ([], [], [1])
    return library


def test_the_words_boxes_and_confidences_come_back(
    ocred: tuple[Library, Path], attached: Library
) -> None:
    before, after = stored_page(ocred[0]), stored_page(attached)
    assert (before.text_source, after.text_source) == (TextSource.OCR, TextSource.TRANSCRIPTION)
    assert after.ocr_state == OcrState.DONE
    assert [w[4] for w in after.words] == [w[4] for w in before.words]
    for old, new in zip(before.words, after.words, strict=True):
        assert new[:4] == pytest.approx(old[:4], abs=BOX_TOLERANCE), old[4]
        assert new[5] == pytest.approx(old[5], abs=0.5)  # WC keeps two decimals of 0..1
    # The lines and blocks too: the page's text is Tesseract's, but for the final newline
    # Tesseract ends every page with.
    assert after.text == before.text.rstrip("\n")


def test_attached_alto_is_found_by_search(attached: Library) -> None:
    hits = attached.search("Linzensoep").hits
    assert [(hit.doc, hit.page) for hit in hits] == [(1, 1)]


def test_exported_again_it_is_the_same_alto(
    ocred: tuple[Library, Path], attached: Library, tmp_path: Path
) -> None:
    again = tmp_path / "again.xml"
    attached.export_transcription(1, again, "alto")
    assert lines(again) == lines(ocred[1])
    assert strings(again) == strings(ocred[1])


def test_a_transcription_without_confidences_goes_out_without_wc(
    realdata: Path, tmp_path: Path
) -> None:
    """eScriptorium's ALTO (a String per line) without its WC: attached, then exported, no
    confidence is made up."""
    library = Library(tmp_path / "lib")
    library.import_paths([realdata / "linn.png"])
    source = tmp_path / "linn.xml"
    source.write_text(re.sub(r' WC="[^"]*"', "", ESCRIPTORIUM_ALTO_V4), encoding="utf-8")
    assert library.attach_transcriptions(1, [source]).failed == []
    out = tmp_path / "out.xml"
    library.export_transcription(1, out, "alto")
    exported = strings(out)
    assert exported and all("WC" not in s for s in exported)
    written = " ".join(s["CONTENT"] for s in exported)
    assert written.split() == stored_page(library).text.split()
