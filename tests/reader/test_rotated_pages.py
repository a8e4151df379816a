"""A born-digital PDF page turned by its /Rotate: MuPDF gives its words' boxes on the page as
stored, while the page is drawn turned. Hits, passages and highlights are marked where the
words are shown, and an exported highlight covers the same words in a PDF reader."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from reader.library import Library

WORD_AT = (100, 100)


def rotated_pdf(path: Path, rotation: int) -> Path:
    with pymupdf.open() as pdf:
        page = pdf.new_page(width=600, height=800)
        page.insert_text(WORD_AT, "The supply columns moved by day.", fontsize=12)
        page.set_rotation(rotation)
        pdf.save(path)
    return path


def shown_box(path: Path, word: str) -> pymupdf.Rect:
    """Where the word stands on the page as drawn (turned), from a rendering's view."""
    with pymupdf.open(path) as pdf:
        page = pdf[0]
        found = next(w for w in page.get_text("words") if w[4] == word)
        return pymupdf.Rect(found[:4]) * page.rotation_matrix


def centre(box: list[float] | pymupdf.Rect) -> pymupdf.Point:
    rect = pymupdf.Rect(box)
    return (rect.tl + rect.br) / 2


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_hits_and_highlights_stand_on_the_words_as_the_turned_page_shows_them(
    tmp_path: Path, rotation: int
) -> None:
    pdf = rotated_pdf(tmp_path / "turned.pdf", rotation)
    with Library(tmp_path / "library") as library:
        library.import_paths([pdf])
        (hit,) = library.search("supply").hits
        assert len(hit.boxes) == 1
        assert shown_box(pdf, "supply").contains(centre(hit.boxes[0]))
        page = library.page(hit.doc, 1)
        assert (page.width, page.height) == ((800, 600) if rotation % 180 else (600, 800))

        annotation = library.annotate(hit.doc, 1, quote="supply columns")
        assert any(shown_box(pdf, "columns").contains(centre(r)) for r in annotation.rects)

        out = tmp_path / "exported.pdf"
        library.export(hit.doc, out)
    with pymupdf.open(out) as exported:
        page = exported[0]
        assert page.rotation == rotation
        (highlight,) = [a for a in page.annots() if a.type[1] == "Highlight"]
        # A PDF reader shows the highlight over the words it marks.
        assert "supply columns" in page.get_textbox(highlight.rect)
