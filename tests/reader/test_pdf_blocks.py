"""Block quotations in PDFs: lines set in from the body's left edge, all at one edge, become
"> " lines, as an HTML <blockquote> does, so citation detection reads them as one quotation."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from reader.citations.detect import detect_citations
from reader.ingest.base import DEFAULT_LIMITS
from reader.ingest.pdf import extract_pdf, plain_text

BODY = [
    "The division's war diary is terse about the night of 9 March. Its entry for the",
    "tenth, written after the bands had gone, records the order in full:",
]
BLOCK = [
    "No village that sheltered the bands is to be spared. The supply columns",
    "move only by day and under escort of two companies. Reports are to be",
    "forwarded to the Plenipotentiary General at once.",
]
AFTER = ["The order was repeated two days later, almost word for word, in a telegram."]


def _pdf(path: Path) -> Path:
    pdf = pymupdf.open()
    page = pdf.new_page()
    y = 72.0
    for x, lines in ((72.0, BODY), (108.0, BLOCK), (72.0, AFTER)):
        for line in lines:
            page.insert_text((x, y), line, fontsize=10)
            y += 14
        y += 6
    pdf.save(path)
    return path


def test_an_indented_block_becomes_one_block_quotation(tmp_path: Path) -> None:
    text = extract_pdf(_pdf(tmp_path / "diary.pdf"), DEFAULT_LIMITS).pages[0].text
    assert [line for line in text.splitlines() if line.startswith("> ")] == [
        "> " + line for line in BLOCK
    ]
    assert "\n\n> No village" in text and "at once.\n\nThe order was repeated" in text
    quotes = [d for d in detect_citations(text) if d.kind == "quote"]
    assert len(quotes) == 1
    assert quotes[0].text.startswith("No village") and quotes[0].text.endswith("at once.")


def test_centred_lines_and_plain_paragraphs_stay_as_they_are(tmp_path: Path) -> None:
    heading = ["HEADQUARTERS 118th JAEGER DIVISION", "War Diary, March 1943"]
    pdf = pymupdf.open()
    page = pdf.new_page()
    for n, line in enumerate(heading + BODY + AFTER):
        page.insert_text((72.0 if n >= 2 else 200.0 - 20 * n, 72.0 + 14 * n), line, fontsize=10)
    pdf.save(tmp_path / "plain.pdf")
    text = extract_pdf(tmp_path / "plain.pdf", DEFAULT_LIMITS).pages[0].text
    assert "> " not in text
    with pymupdf.open(tmp_path / "plain.pdf") as original:
        assert text == original[0].get_text()


def test_the_plain_text_made_from_the_lines_is_mupdfs_own(realdata: Path, tmp_path: Path) -> None:
    """The text is made from the "dict" lines MuPDF reads for the layout; it must be what
    get_text() reads, character for character, on real scans' text layers and typeset
    pages alike."""
    pdfs = [*sorted(realdata.glob("*.pdf")), _pdf(tmp_path / "diary.pdf"), _typeset(tmp_path)]
    compared = 0
    for path in pdfs:
        try:
            pdf = pymupdf.open(path)
        except pymupdf.FileDataError:  # the broken files among them
            continue
        with pdf:
            if pdf.needs_pass:
                continue
            for page in pdf:
                textpage = page.get_textpage(flags=pymupdf.TEXTFLAGS_TEXT)
                blocks = page.get_text("dict", textpage=textpage)["blocks"]
                assert plain_text(blocks) == page.get_text(textpage=textpage), (path, page)
                compared += bool(blocks)
    assert compared >= 5


def _typeset(tmp_path: Path) -> Path:
    """Pages set as an article is: headings, paragraphs, note numbers, a list, a table, and
    German and Serbian text."""
    html = (
        "<h1>Die Befehlshaber Südost</h1><p>The order of 9 March<sup>12</sup> was carried "
        "out at once.</p><ul><li>Straße nach Kraljevo</li><li>Миха"
        "иловић and the четниц"
        "и</li></ul><table><tr><td>NOKW 1088</td><td>T-311/175</td></tr></table>"
        "<p>" + "A long paragraph of the war diary, line after line. " * 30 + "</p>"
    )
    path = tmp_path / "article.pdf"
    with pymupdf.open() as pdf:
        for _ in range(3):
            pdf.new_page().insert_htmlbox(pymupdf.Rect(50, 50, 550, 800), html)
        pdf.save(path)
    return path
