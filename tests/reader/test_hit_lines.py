"""reader.hit_lines: the line of the page a search hit stands on, for the small image of it
under the hit; and the clipped render that draws it, checked against the whole page drawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from reader.hit_lines import MIN_MARGIN, hit_line
from reader.library import Library
from reader.records import SearchHit
from reader.render import RenderedPage, RenderError


def words_of(text: str, y: float, x: float = 10.0, height: float = 12.0) -> list[list[Any]]:
    """OCR-like words (x0, y0, x1, y1, text, confidence) along one line."""
    words: list[list[Any]] = []
    for word in text.split():
        width = 6.0 * len(word)
        words.append([x, y, x + width, y + height, word, 91])
        x += width + 6.0
    return words


LINE_ONE = words_of("No village that sheltered the bands", 100.0)
LINE_TWO = words_of("was to be spared. The village burned.", 120.0)
PAGE = LINE_ONE + LINE_TWO


def box(words: list[list[Any]], text: str) -> list[float]:
    return next([float(v) for v in w[:4]] for w in words if w[4] == text)


def extent(words: list[list[Any]]) -> tuple[float, float, float, float]:
    return (
        min(float(w[0]) for w in words),
        min(float(w[1]) for w in words),
        max(float(w[2]) for w in words),
        max(float(w[3]) for w in words),
    )


def covers(rect: list[float], inner: tuple[float, float, float, float]) -> bool:
    return (
        rect[0] <= inner[0] and rect[1] <= inner[1] and rect[2] >= inner[2] and rect[3] >= inner[3]
    )


def test_a_hit_word_is_widened_to_its_whole_line_with_a_margin() -> None:
    rect = hit_line(PAGE, [box(LINE_TWO, "spared.")])
    assert rect is not None
    x0, y0, x1, y1 = extent(LINE_TWO)
    assert covers(rect, (x0, y0, x1, y1))
    margin = min(x0 - rect[0], y0 - rect[1], rect[2] - x1, rect[3] - y1)
    assert MIN_MARGIN <= margin <= 6  # a little margin, not the next line
    assert rect[1] > extent(LINE_ONE)[1] + 6  # the line above is not taken


def test_the_line_with_most_of_the_hits_words_is_taken_the_top_one_on_a_tie() -> None:
    both_lines = [box(LINE_ONE, "village"), box(LINE_TWO, "village"), box(LINE_TWO, "burned.")]
    rect = hit_line(PAGE, both_lines)
    assert rect is not None and covers(rect, extent(LINE_TWO)) and rect[1] > 105
    tie = hit_line(PAGE, [box(LINE_TWO, "village"), box(LINE_ONE, "village")])
    assert tie is not None and covers(tie, extent(LINE_ONE)) and tie[3] < 118


def test_a_line_across_two_columns_gives_the_hits_column_only() -> None:
    left = words_of("Supply columns reached Mostar", 200.0)
    right = words_of("NOKW-1088 file copy", 200.0, x=400.0)
    rect = hit_line(left + right, [box(right, "NOKW-1088")])
    assert rect is not None
    assert covers(rect, extent(right)) and rect[0] > extent(left)[2]


def test_a_skewed_line_is_taken_whole_and_its_neighbours_are_not() -> None:
    """A scan a little askew: each word of a line stands 1.5 points lower than the last."""
    lines = [
        [[10 + 40 * i, y + 1.5 * i, 44 + 40 * i, y + 1.5 * i + 12, f"w{i}", 90] for i in range(12)]
        for y in (100.0, 130.0, 160.0)
    ]
    rect = hit_line([w for line in lines for w in line], [lines[1][6][:4]])
    assert rect is not None and covers(rect, extent(lines[1]))
    assert rect[1] > extent(lines[0])[1] and rect[3] < extent(lines[2])[3]


def test_the_rectangle_is_kept_within_the_page() -> None:
    edge = words_of("Top line of the page", 0.5, x=0.5)
    rect = hit_line(edge, [box(edge, "Top")], page_size=(120.0, 300.0))
    assert rect is not None
    assert rect[0] == 0 and rect[1] == 0 and rect[2] == 120.0


def test_no_line_without_boxes_or_words_and_none_off_the_page() -> None:
    assert hit_line(PAGE, []) is None
    assert hit_line([], [box(LINE_ONE, "village")]) is None
    far = [[5000.0, 5000.0, 5010.0, 5012.0, "ghost"]]
    assert hit_line(far, [far[0][:4]], page_size=(612.0, 792.0)) is None


def test_boxes_that_match_no_word_any_more_show_themselves() -> None:
    """The page was read again since the hit was indexed: its own boxes are still a place."""
    rect = hit_line(PAGE, [[300.0, 300.0, 340.0, 312.0]])
    assert rect is not None and covers(rect, (300.0, 300.0, 340.0, 312.0))


# On real pages: the rectangle drawn by itself is the same pixels as that part of the page.


def crop(full: RenderedPage, part: RenderedPage) -> bytes:
    """The pixels of `full` where `part` says it stands."""
    rows = []
    for y in range(part.y, part.y + part.height):
        start = y * full.stride + part.x * 3
        rows.append(full.samples[start : start + part.width * 3])
    return b"".join(rows)


def differs(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def spread(samples: bytes) -> float:
    mean = sum(samples) / len(samples)
    return (sum((v - mean) ** 2 for v in samples) / len(samples)) ** 0.5


def check_line_image(library: Library, hit: SearchHit, dpi: float) -> list[float]:
    rect = library.hit_line(hit.doc, hit.page, hit.boxes)
    assert rect is not None
    part = library.render_page(hit.doc, hit.page, dpi=dpi, clip=rect)
    scale = dpi / 72
    assert abs(part.width - (rect[2] - rect[0]) * scale) <= 2  # each edge to a whole pixel
    assert abs(part.height - (rect[3] - rect[1]) * scale) <= 2
    assert abs(part.x - rect[0] * scale) <= 1 and abs(part.y - rect[1] * scale) <= 1
    full = library.render_page(hit.doc, hit.page, dpi=dpi)
    assert differs(part.samples, crop(full, part)) < 12  # resampled alike, within a shade
    assert spread(part.samples) > 30  # ink on paper, not a blank strip
    return rect


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Iterator[Library]:
    """Real scans OCR'd: a typewritten page, and a printed one askew in a PDF with /Rotate."""
    library = Library(tmp_path_factory.mktemp("hit-lines") / "library")
    library.import_paths([realdata / "typewriter.png", realdata / "rotated_skew.pdf"])
    assert library.run_ocr().pages_failed == 0
    yield library
    library.close()


@pytest.mark.slow
def test_the_line_of_a_hit_on_a_real_scan_is_drawn_from_that_part_of_the_page(
    scanned: Library,
) -> None:
    (hit,) = scanned.search("linzen wassen").hits
    assert hit.source == "ocr" and hit.confidence is not None
    rect = check_line_image(scanned, hit, 100)
    page = scanned.page(hit.doc, hit.page)
    line = [w for w in page.words if rect[1] <= (w[1] + w[3]) / 2 <= rect[3]]
    assert {"linzen", "wassen", "kokend"} <= {str(w[4]) for w in line}
    assert all(covers(rect, (w[0], w[1], w[2], w[3])) for w in line)
    # One line: its height is about one word's, not a paragraph's.
    heights = sorted(float(w[3]) - float(w[1]) for w in page.words)
    assert rect[3] - rect[1] < 2.5 * heights[len(heights) // 2]


@pytest.mark.slow
def test_a_line_of_a_turned_scan_is_drawn_where_it_stands(scanned: Library) -> None:
    """A scanned PDF page with /Rotate, askew: its boxes, size and image all stand upright."""
    hits = scanned.search("LinnSequencer").hits
    assert [hit.title for hit in hits] == ["rotated skew"]
    check_line_image(scanned, hits[0], 100)


def test_a_line_of_a_born_digital_pdf_is_drawn_from_its_own_words(
    tmp_path: Path, library: Library
) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Headquarters Army Group E, Operations Section", fontsize=12)
    page.insert_text((72, 140), "Supply columns reached Mostar on the evening", fontsize=12)
    pdf.save(tmp_path / "report.pdf")
    pdf.close()
    library.import_paths([tmp_path / "report.pdf"])
    (hit,) = library.search("Mostar").hits
    assert hit.source == "embedded" and hit.confidence is None
    rect = check_line_image(library, hit, 100)
    assert rect[1] > 112  # the line above is not in it


def test_a_clip_outside_the_page_is_refused_clearly(tmp_path: Path, library: Library) -> None:
    pdf = pymupdf.open()
    pdf.new_page(width=200, height=200).insert_text((20, 40), "Mostar", fontsize=12)
    pdf.save(tmp_path / "small.pdf")
    pdf.close()
    (made,) = library.import_paths([tmp_path / "small.pdf"]).imported
    with pytest.raises(RenderError, match="nothing of page 1"):
        library.render_page(made.id, 1, dpi=100, clip=[300, 300, 400, 320])
