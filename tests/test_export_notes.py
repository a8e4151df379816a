"""An exported PDF keeps every note on paper too: a viewer shows a highlight's note in a
pop-up, but a printer leaves pop-ups out. So each note is numbered beside its mark and printed
under its page (page, quoted text, note), while the annotations stay real PDF annotations."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from reader.library import Library

pytestmark = pytest.mark.slow  # the OCR'd sample collection

NOTE = "Mihailović's bands? Glaise-Horstenau über Nevesinje — cf. the diary"
QUOTE = "no village that sheltered the bands was to be spared"


@pytest.fixture
def library(sample_library: Path, tmp_path: Path) -> Iterator[Library]:
    shutil.copytree(sample_library, tmp_path / "library")
    with Library(tmp_path / "library") as opened:
        yield opened


def printed(page: pymupdf.Page) -> str:
    """The page's text as a printer puts it on paper: its content, not its annotations'
    pop-ups, in one line."""
    return " ".join(page.get_text().split())


def test_a_highlights_note_is_printed_under_its_page(library: Library, tmp_path: Path) -> None:
    library.annotate("NOKW-1088", 2, quote=QUOTE, note=NOTE, author="Ana Čolić")
    original = library.page("NOKW-1088", 2)
    out = tmp_path / "NOKW-1088.pdf"
    report = library.export("NOKW-1088", out)
    assert report.pages == 2 and report.annotations == 1
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 2
        assert NOTE not in printed(pdf[0])
        page = pdf[1]
        text = printed(page)
        assert NOTE in text  # in the page's own text, not only in the pop-up
        assert "[1] page 2, “" in text and "sheltered the bands" in text and "Ana Čolić" in text
        # the note is printed below the scan, which keeps its size and place
        (note_block,) = [b for b in page.get_text("blocks") if "[1] page 2" in b[4]]
        scale = page.rect.width / original.width
        assert note_block[1] >= original.height * scale
        # and still a real highlight annotation, with its note as its content
        (highlight,) = page.annots()
        assert highlight.type[1] == "Highlight"
        assert highlight.info["content"] == NOTE
        # the number beside the highlight, at the height of its first line
        marker, _ = page.search_for("[1]")  # beside the highlight, and before the note
        assert marker.y0 < note_block[1]
        (end_of_note,) = page.search_for("the diary")
        (footer,) = page.search_for("sheet 2 of 2")
        assert end_of_note.y1 + 2 <= footer.y0  # the footer stands apart, under the notes
        assert abs(marker.y1 - highlight.rect.y0) < 20


def test_notes_are_numbered_through_the_document_and_every_kind_is_printed(
    library: Library, tmp_path: Path
) -> None:
    library.annotate("NOKW-1088", 1, rects=[[60, 40, 300, 110]], note="the letterhead")
    library.annotate("NOKW-1088", 1, note="Seite 1: Überblick")  # a page note
    library.annotate("NOKW-1088", 1, quote="Commanding General in Croatia")  # no note
    library.annotate("NOKW-1088", 2, kind="bookmark", note="The order")  # a bookmark's title
    library.annotate("NOKW-1088", 2, quote=QUOTE, note="first line\nsecond line")
    out = tmp_path / "marked.pdf"
    library.export("NOKW-1088", out)
    with pymupdf.open(out) as pdf:
        first, second = printed(pdf[0]), printed(pdf[1])
        assert "[1] page 1, the marked area" in first and "the letterhead" in first
        assert "[2] page 1, the page" in first and "Seite 1: Überblick" in first
        assert "[3]" not in first  # the highlight without a note
        assert "[3] page 2" in second and "first line" in second and "second line" in second
        assert "[4]" not in second  # a bookmark is in the outline, not among the notes
        assert {a.type[1] for a in pdf[0].annots()} == {"Square", "Text", "Highlight"}
        assert pdf.get_toc()[1][1:] == ["The order", 2]


def test_an_article_with_a_note_and_the_pages_it_cites(library: Library, tmp_path: Path) -> None:
    library.annotate("article.html", 1, quote="central document", note="check the date")
    out = tmp_path / "article.pdf"
    report = library.export("article.html", out, with_cited=True)
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 1 + len(report.cited_pages)
        assert "check the date" in printed(pdf[0])
        assert any(a.type[1] == "Highlight" and a.info["content"] == "check the date"
                   for a in pdf[0].annots())  # fmt: skip
        assert len(pdf[0].get_links()) == report.links  # the citations' links still work
