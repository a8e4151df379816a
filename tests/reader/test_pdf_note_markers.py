"""Note numbers set as superscripts in a PDF are kept as superscript digits, which the citation
code reads as note markers; a quote followed by one belongs to that note."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from reader.citations.notes import find_notes, note_at
from reader.ingest.base import DEFAULT_LIMITS
from reader.ingest.pdf import extract_pdf

LINES = [
    ('The order was plain: "no village that sheltered the bands was to be spared."', "1"),
    ("The engineers reported the bridge at Mostar repaired on the eleventh.", "2"),
]


def _pdf(path: Path) -> Path:
    pdf = pymupdf.open()
    page = pdf.new_page()
    y = 90.0
    for text, number in LINES:
        page.insert_text((72, y), text, fontsize=10)
        x = 72 + pymupdf.get_text_length(text, fontsize=10)
        page.insert_text((x + 0.5, y - 4), number, fontsize=6)  # raised and small
        y += 18
    page.insert_text((72, 700), "1 NOKW 1088, p. 2.", fontsize=8)
    page.insert_text((72, 712), "2 Ibid., p. 3.", fontsize=8)
    pdf.save(path)
    return path


def test_superscript_note_numbers_become_markers(tmp_path: Path) -> None:
    text = extract_pdf(_pdf(tmp_path / "article.pdf"), DEFAULT_LIMITS).pages[0].text
    assert 'spared."¹' in text and "eleventh.²" in text
    notes = find_notes(text)
    assert [m.number for m in notes.markers] == [1, 2]
    quote_end = text.index("spared.") + len("spared.")
    assert note_at(notes, quote_end) == 1
    assert notes.notes[1].text.startswith("NOKW 1088")


def test_a_number_in_the_line_itself_is_left_alone(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 90), "The B17 crews flew 1943 sorties in 12 weeks.", fontsize=10)
    pdf.save(tmp_path / "plain.pdf")
    text = extract_pdf(tmp_path / "plain.pdf", DEFAULT_LIMITS).pages[0].text
    assert "B17" in text and "1943" in text and "12 weeks" in text
