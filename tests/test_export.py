"""Annotations in the catalog and the annotated PDF export, every export read back with
PyMuPDF: the annotations on the right pages and places with their notes, the OCR text layer,
page order, the footer reference, and an article followed by the pages it cites."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from reader.annotations import AnnotationError
from reader.cli import main as cli_main
from reader.library import Library

pytestmark = pytest.mark.slow  # the OCR'd sample collection

NOTE = "Mihailović's bands? Glaise-Horstenau über Nevesinje — cf. the diary"
# As a researcher copies it from a bad photocopy: two letters wrong, the case changed.
NOISY_QUOTE = "No vilage that shelterd the bands was to be spared"


@pytest.fixture
def library(sample_library: Path, tmp_path: Path) -> Iterator[Library]:
    shutil.copytree(sample_library, tmp_path / "library")
    with Library(tmp_path / "library") as opened:
        yield opened


def words_on(page: pymupdf.Page, rect: pymupdf.Rect) -> set[str]:
    return {
        w[4].strip(".,;:").lower()
        for w in page.get_text("words")
        if pymupdf.Rect(w[:4]).intersects(rect)
    }


def test_a_quote_is_found_fuzzily_on_an_ocr_page_and_exported_as_a_highlight(
    library: Library, tmp_path: Path
) -> None:
    made = library.annotate("NOKW-1088", 2, quote=NOISY_QUOTE, note=NOTE, author="Ana Čolić")
    assert made.kind == "highlight" and made.page == 2
    assert "no village that sheltered the bands was to" in " ".join(made.text.split()).lower()
    assert len(made.rects) == 2  # the passage runs over two typed lines

    out = tmp_path / "NOKW-1088.pdf"
    report = library.export("NOKW-1088", out)

    assert report.pages == 2 and report.annotations == 1
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 2
        assert list(pdf[0].annots()) == []
        page = pdf[1]  # an annotation lives as long as its page object
        (highlight,) = page.annots()
        assert highlight.type[1] == "Highlight"
        assert highlight.info["content"] == NOTE
        assert highlight.info["title"] == "Ana Čolić"
        assert highlight.info["creationDate"].startswith("D:20")
        # The quads stand over the quoted words of the scan's text layer.
        covered = words_on(page, highlight.rect)
        assert {"village", "sheltered", "bands", "spared"} <= covered


def test_the_export_of_a_scan_is_searchable_and_carries_its_reference(
    library: Library, tmp_path: Path
) -> None:
    out = tmp_path / "telegram.pdf"
    library.export("NO-3012", out)  # a two-page TIFF
    ocr_words = [page.split() for page in library.page_texts("NO-3012")]
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 2
        for number, page in enumerate(pdf, start=1):
            exported = page.get_text()
            found = sum(1 for word in ocr_words[number - 1] if word in exported)
            assert found >= 0.95 * len(ocr_words[number - 1])
            assert f"NO-3012 · page {number} of 2" in exported
        longest = max(ocr_words[0], key=len).strip(".,;:")
        assert pdf[0].search_for(longest)  # a viewer's search finds it on the scan


def test_areas_page_notes_and_bookmarks(library: Library, tmp_path: Path) -> None:
    area = library.annotate("NOKW-1088", 1, rects=[[60, 40, 300, 110]], note="letterhead",
                            color="#ff0000", author="Ivo")  # fmt: skip
    library.annotate("NOKW-1088", 1, note="Seite 1: Überblick", author="Ivo")
    library.annotate("NOKW-1088", 2, kind="bookmark", note="The order", author="Ivo")
    assert area.kind == "area"
    out = tmp_path / "marked.pdf"
    library.export("NOKW-1088", out)
    with pymupdf.open(out) as pdf:
        first = pdf[0]
        kinds = {a.type[1]: a for a in first.annots()}
        assert set(kinds) == {"Square", "Text"}
        square = kinds["Square"]
        scale = first.rect.width / library.page("NOKW-1088", 1).width
        expected = pymupdf.Rect(60, 40, 300, 110) * scale
        assert abs(square.rect.x0 - expected.x0) < 3 and abs(square.rect.y1 - expected.y1) < 3
        assert square.info["content"] == "letterhead"
        assert square.colors["stroke"] == pytest.approx((1.0, 0.0, 0.0))
        assert kinds["Text"].info["content"] == "Seite 1: Überblick"
        assert [level for level, _, _ in pdf.get_toc()] == [1, 2]
        assert pdf.get_toc()[1][1:] == ["The order", 2]


def test_an_article_with_the_pages_it_cites(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "article-with-sources.pdf"
    report = library.export("article.html", out, with_cited=True)
    citations = [c for c in library.citations("article.html").citations if c.target]
    wanted = list(dict.fromkeys((c.target.doc, c.target.page) for c in citations if c.target))
    assert report.cited_pages == wanted
    nokw = library.resolve("NOKW-1088")
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 1 + len(wanted)
        sheet = 1 + wanted.index((nokw, 2))  # the page the quotation comes from
        cited = pdf[sheet]
        assert "NOKW-1088 · page 2 of 2" in cited.get_text()
        (marked,) = [a for a in cited.annots() if "the order stood" in a.info["content"]]
        assert {"village", "sheltered", "spared"} <= words_on(cited, marked.rect)
        links = pdf[0].get_links()
        assert len(links) == report.links >= len(wanted)
        assert sheet in {link["page"] for link in links}


def test_notes_as_markdown_and_csv(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    library.annotate("NOKW-1088", 2, quote=NOISY_QUOTE, note=NOTE, author="Ana Čolić")
    library.annotate("NO-3012", 1, note="ask the archivist", author="Ivo")
    assert cli_main(["--library", str(library.folder), "annotations", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["document"], r["identifier"], r["page"], r["note"]) for r in rows] == [
        ("NO-3012", "NO-3012", "1", "ask the archivist"),
        ("NOKW-1088", "NOKW-1088", "2", NOTE),
    ]
    assert rows[1]["quoted text"].lower().startswith("no village that sheltered")
    assert cli_main(["--library", str(library.folder), "annotations", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "## NOKW-1088" in markdown and NOTE in markdown and "Ana Čolić" in markdown


def test_cli_annotate_and_export_json(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--library", str(library.folder)]
    code = cli_main([*base, "annotate", "NOKW-1088", "--page", "2", "--quote",
                     "supply columns were to move only by day", "--note", "key", "--json"])  # fmt: skip
    assert code == 0
    made = json.loads(capsys.readouterr().out)
    assert (made["doc"], made["page"], made["kind"], made["note"]) == (
        library.resolve("NOKW-1088"), 2, "highlight", "key",
    )  # fmt: skip
    out = tmp_path / "x.pdf"
    assert cli_main([*base, "export", "NOKW-1088", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annotations"] == 1

    assert cli_main([*base, "annotate", "NOKW-1088", "--page", "2", "--rect", "5,5,1,1"]) == 1
    assert "X0 < X1" in capsys.readouterr().err
    assert (
        cli_main([*base, "annotate", "NOKW-1088", "--page", "1", "--quote", "Zelengora snow"]) == 1
    )
    assert "not on page 1" in capsys.readouterr().err
    original = library.document("NOKW-1088").path
    assert cli_main([*base, "export", "NOKW-1088", "--out", original]) == 1
    assert "originals are never written" in capsys.readouterr().err
    assert library.check().ok  # every original's bytes as imported


def test_edit_delete_and_restore(library: Library) -> None:
    made = library.annotate("NOKW-1080", 1, note="first thought")
    edited = library.update_annotation(made.id, note="second thought", color="#00ff00")
    assert (edited.note, edited.color) == ("second thought", "#00ff00")
    removed = library.delete_annotation(made.id)
    assert library.annotations("NOKW-1080") == []
    restored = library.restore_annotation(removed)
    assert library.annotations("NOKW-1080") == [restored]
    assert (restored.id, restored.note, restored.created) == (
        made.id,
        "second thought",
        made.created,
    )
    with pytest.raises(AnnotationError):
        library.delete_annotation(9999)
