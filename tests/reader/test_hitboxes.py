"""reader.hitboxes: where matched words, quoted spans and dragged rectangles stand on a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from index.folding import terms_of
from reader.hitboxes import boxes_in_span, boxes_in_words, page_words, pdf_words, words_in_box

# A page of OCR words (x0, y0, x1, y1, text, confidence), two lines in reading order.
LINE_ONE = "No village that sheltered the bands"
LINE_TWO = "was to be spared. The village burned."
PAGE_TEXT = f"{LINE_ONE}\n{LINE_TWO}"


def words_of(text: str, y: float, x: float = 10.0) -> list[list[Any]]:
    words: list[list[Any]] = []
    for word in text.split():
        width = 6.0 * len(word)
        words.append([x, y, x + width, y + 12.0, word, 91])
        x += width + 6.0
    return words


WORDS = words_of(LINE_ONE, 100.0) + words_of(LINE_TWO, 120.0)


def texts(words: list[list[Any]]) -> list[str]:
    return [str(w[4]) for w in words]


def box_of(word: str, occurrence: int = 0) -> list[float]:
    matches = [w for w in WORDS if w[4] == word]
    return [float(v) for v in matches[occurrence][:4]]


# boxes_in_words: the words a search matched


def test_boxes_of_the_matched_terms_as_floats() -> None:
    boxes = boxes_in_words(WORDS, frozenset({"village"}))
    assert boxes == [box_of("village"), box_of("village", 1)]
    assert all(isinstance(v, float) for box in boxes for v in box)


def test_words_match_through_case_accents_and_punctuation() -> None:
    words = [[0, 0, 10, 10, "MIHAILOVIĆ,"], [20, 0, 30, 10, "Mihailovich"], [40, 0, 50, 10, "Tito"]]
    assert boxes_in_words(words, frozenset(terms_of("Mihailović"))) == [
        [0.0, 0.0, 10.0, 10.0],
        [20.0, 0.0, 30.0, 10.0],
    ]


def test_a_word_of_two_terms_matches_on_either() -> None:
    words = [[0, 0, 40, 10, "Glaise-Horstenau"], [50, 0, 60, 10, "Glaise"]]
    assert boxes_in_words(words, frozenset({"horstenau"})) == [[0.0, 0.0, 40.0, 10.0]]


def test_no_terms_or_no_words_give_no_boxes() -> None:
    assert boxes_in_words(WORDS, frozenset()) == []
    assert boxes_in_words([], frozenset({"village"})) == []
    assert boxes_in_words(WORDS, frozenset({"partisans"})) == []


# boxes_in_span: the words of a quoted passage


def span_of(passage: str) -> tuple[int, int]:
    start = PAGE_TEXT.index(passage)
    return start, start + len(passage)


def test_a_span_takes_the_words_within_it_across_a_line_end() -> None:
    start, end = span_of("the bands\nwas to be")
    boxes = boxes_in_span(WORDS, PAGE_TEXT, start, end)
    assert boxes == [box_of(w) for w in ("the", "bands", "was", "to", "be")]


def test_the_same_word_elsewhere_on_the_page_is_not_taken() -> None:
    start, end = span_of("The village burned")
    assert boxes_in_span(WORDS, PAGE_TEXT, start, end) == [
        box_of("The"),
        box_of("village", 1),  # the second "village", not the first
        box_of("burned."),
    ]


def test_a_word_cut_by_the_span_edge_is_taken() -> None:
    start = PAGE_TEXT.index("sheltered") + 3  # "ltered the ban"
    end = PAGE_TEXT.index("bands") + 3
    assert boxes_in_span(WORDS, PAGE_TEXT, start, end) == [
        box_of("sheltered"),
        box_of("the"),
        box_of("bands"),
    ]


def test_an_empty_span_takes_only_the_word_it_is_in_and_past_the_text_nothing() -> None:
    assert boxes_in_span(WORDS, PAGE_TEXT, 2, 2) == []  # between "No" and "village"
    assert boxes_in_span(WORDS, PAGE_TEXT, 5, 5) == [box_of("village")]  # a caret in a word
    assert boxes_in_span(WORDS, PAGE_TEXT, len(PAGE_TEXT), len(PAGE_TEXT) + 40) == []
    assert boxes_in_span([], PAGE_TEXT, 0, len(PAGE_TEXT)) == []


def test_words_missing_from_the_text_are_skipped_and_the_rest_still_found() -> None:
    # OCR read a smudge as a word the page text does not hold.
    words = [*WORDS[:3], [0, 0, 5, 5, "~~", 20], *WORDS[3:]]
    start, end = span_of("that sheltered")
    assert boxes_in_span(words, PAGE_TEXT, start, end) == [box_of("that"), box_of("sheltered")]


# page_words: OCR's words, or a born-digital PDF's own


def test_ocr_words_come_first(tmp_path: Path) -> None:
    pdf = born_digital(tmp_path / "page.pdf", "Supply columns")
    assert page_words("application/pdf", str(pdf), 1, WORDS) == WORDS
    assert page_words("application/pdf", str(pdf), 1, WORDS) is not WORDS  # a copy


def test_a_born_digital_pdf_gives_its_own_words(tmp_path: Path) -> None:
    pdf = born_digital(tmp_path / "page.pdf", "Supply columns moved by day")
    words = page_words("application/pdf", str(pdf), 1, [])
    assert texts(words) == ["Supply", "columns", "moved", "by", "day"]
    assert all(len(w) == 5 for w in words)
    x0, y0, x1, y1 = (float(v) for v in words[0][:4])
    assert 0 <= x0 < x1 and 0 <= y0 < y1
    assert words == pdf_words(pdf, 1)


def test_no_words_without_ocr_for_other_files_or_a_missing_pdf(tmp_path: Path) -> None:
    assert page_words("image/png", str(tmp_path / "scan.png"), 1, []) == []
    assert page_words("text/plain", str(tmp_path / "note.txt"), 1, []) == []
    assert page_words("application/pdf", str(tmp_path / "gone.pdf"), 1, []) == []


def born_digital(path: Path, text: str) -> Path:
    with pymupdf.open() as document:
        document.new_page().insert_text((72, 72), text, fontsize=12)
        document.save(path)
    return path


# words_in_box: what a dragged rectangle selects


@pytest.mark.parametrize(
    "box",
    [
        [0, 95, 300, 135],  # both lines whole
        [50, 105, 140, 130],  # the middles of a few words on each line
        [10, 100, 40, 112],  # one word exactly
        [400, 400, 500, 500],  # nothing
    ],
)
def test_a_dragged_rectangle_selects_the_words_whose_middle_is_inside(box: list[float]) -> None:
    def middle_inside(word: list[Any]) -> bool:
        x = (float(word[0]) + float(word[2])) / 2
        y = (float(word[1]) + float(word[3])) / 2
        return box[0] <= x <= box[2] and box[1] <= y <= box[3]

    selected = words_in_box(WORDS, box)
    assert sorted(texts(selected)) == sorted(texts([w for w in WORDS if middle_inside(w)]))


def test_a_word_half_in_the_rectangle_is_selected_by_its_middle() -> None:
    word = [[100, 100, 140, 112, "column"]]
    assert texts(words_in_box(word, [119, 90, 200, 120])) == ["column"]  # middle x = 120
    assert words_in_box(word, [121, 90, 200, 120]) == []
