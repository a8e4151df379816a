"""reader.hitboxes.selected_text: what a rectangle dragged over a page selects. Every word of
the lines it covers, in reading order, none skipped: on the sample's OCR'd scans and on
word boxes with uneven baselines."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.hitboxes import selected_text, text_lines, words_in_box
from reader.library import Library

Word = list[Any]


def texts(words: list[Word]) -> list[str]:
    return [str(w[4]) for w in words]


def around(words: list[Word]) -> list[float]:
    return [
        min(float(w[0]) for w in words),
        min(float(w[1]) for w in words),
        max(float(w[2]) for w in words),
        max(float(w[3]) for w in words),
    ]


# On the sample's scans, read by Tesseract


@pytest.fixture(scope="module")
def library(sample_library: Path) -> Iterator[Library]:
    with Library(sample_library, read_only=True) as opened:
        yield opened


def run_of(words: list[Word], line: str) -> list[Word]:
    """The consecutive words that spell `line`."""
    wanted = line.split()
    for i in range(len(words) - len(wanted) + 1):
        if texts(words[i : i + len(wanted)]) == wanted:
            return words[i : i + len(wanted)]
    raise AssertionError(f"no words spell {line!r}")


def nokw_1088_page_one(library: Library) -> list[Word]:
    return library.page("NOKW-1088", 1).words


@pytest.mark.slow
def test_the_issues_drag_keeps_the_short_word(library: Library) -> None:
    """The issue: dragged from the middle of "To" to below the end of "Croatia,", the quote
    lost "in" (and here "General"): their boxes' middles stand higher than those of words
    with descenders (g, comma), above the rectangle's top."""
    words = nokw_1088_page_one(library)
    line = run_of(words, "To the Commanding General in Croatia,")
    first, last = line[0], line[-1]
    box = [first[0] - 2, (first[1] + first[3]) / 2, last[2] + 2, last[3] + 2]
    selected, text = selected_text(words, box)
    assert text == "To the Commanding General in Croatia,"
    assert selected == line
    assert words_in_box(words, box) == line  # what the app calls


@pytest.mark.slow
def test_a_drag_over_two_lines_takes_both_in_reading_order(library: Library) -> None:
    words = nokw_1088_page_one(library)
    lines = run_of(words, "To the Commanding General in Croatia,") + run_of(
        words, "General Glaise von Horstenau, Agram."
    )
    box = around(lines)
    _, text = selected_text(words, [box[0] - 3, box[1] - 1, box[2] + 3, box[3] + 1])
    assert text == "To the Commanding General in Croatia, General Glaise von Horstenau, Agram."


@pytest.mark.slow
def test_part_of_a_line_takes_the_words_under_the_drag(library: Library) -> None:
    words = nokw_1088_page_one(library)
    part = run_of(words, "Commanding General in")
    x0, _, x1, _ = around(part)
    top, bottom = around(run_of(words, "To the Commanding General in Croatia,"))[1::2]
    middle = (top + bottom) / 2
    assert selected_text(words, [x0 + 4, middle - 1, x1 - 4, middle + 1])[1] == (
        "Commanding General in"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("doc", "number", "straight"),
    [
        ("NOKW-1088", 1, True),
        ("NOKW-1088", 2, True),
        ("NO-3012", 1, True),
        ("PS-1014", 1, True),
        ("NOKW-1080", 1, False),  # scanned 1.2 degrees askew: its lines slope
    ],
)
def test_every_line_of_a_scan_dragged_over_gives_the_line(
    library: Library, doc: str, number: int, straight: bool
) -> None:
    """Each line of the OCR text, dragged over from its first word to its last, gives exactly
    that line; on a straight scan also dragged along the lower half of the line only (where a
    hand drags, under the letters' middles)."""
    page = library.page(doc, number)
    lines = [line for line in page.text.splitlines() if line.strip()]
    assert len(lines) >= 5
    for line in lines:
        words = run_of(page.words, line)
        x0, y0, x1, y1 = around(words)
        boxes = [[x0 - 1, y0 - 0.5, x1 + 1, y1 + 0.5]]
        if straight:
            boxes.append([x0 - 1, (y0 + y1) / 2 - 0.5, x1 + 1, y1 + 1])
        for box in boxes:
            assert selected_text(page.words, box)[1] == " ".join(line.split()), (line, box)


# On word boxes with uneven baselines


def typed_line(text: str, y: float, offsets: list[float], x: float = 72.0) -> list[Word]:
    """Words on a typed line whose boxes are as uneven as a scan's: each word shifted by its
    offset, ascenders and descenders making the boxes taller or shorter."""
    words: list[Word] = []
    for word, offset in zip(text.split(), offsets, strict=True):
        width = 7.2 * len(word)
        top = (
            y
            + offset
            - (2.0 if any(c in word for c in "bdfhklt" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ") else 0.0)
        )
        bottom = y + offset + 7.0 + (2.5 if any(c in word for c in "gjpqy,;") else 0.0)
        words.append([x, top, x + width, bottom, word, 90.0])
        x += width + 7.2
    return words


ISSUE_LINE = "To the Commanding General in Croatia,"
NEXT_LINE = "General Glaise von Horstenau, Agram."


def uneven_page() -> list[Word]:
    return typed_line(ISSUE_LINE, 130.0, [0.3, -0.2, 0.0, 0.1, -0.6, 0.2]) + typed_line(
        NEXT_LINE, 148.0, [0.0, 0.5, 1.2, -0.4, 0.2]
    )


def test_a_thin_drag_along_a_line_with_uneven_baselines_takes_every_word() -> None:
    words = uneven_page()
    line = words[:6]
    x0, y0, x1, y1 = around(line)
    for top in [y0 + k * (y1 - y0) / 10 for k in range(1, 6)]:
        box = [x0, top, x1, top + 2.0]  # a drag two points high, at any height in the line
        selected, text = selected_text(words, box)
        assert text == ISSUE_LINE, top
        assert selected == line


def test_a_line_is_taken_or_left_whole_never_a_word_out_of_its_middle() -> None:
    words = uneven_page()
    x0, y0, x1, _ = around(words[:6])
    for k in range(-10, 30):
        top = y0 + k * 0.5
        _, text = selected_text(words, [x0, top, x1, top + 12.0])
        assert text in {"", ISSUE_LINE, NEXT_LINE, f"{ISSUE_LINE} {NEXT_LINE}"}, top


def test_the_order_of_the_stored_words_does_not_matter() -> None:
    words = uneven_page()
    shuffled = words[:]
    random.Random(7).shuffle(shuffled)
    box = around(words)
    assert selected_text(shuffled, box)[1] == f"{ISSUE_LINE} {NEXT_LINE}"
    assert [texts([w for w, _, _ in line]) for line in text_lines(shuffled)] == [
        ISSUE_LINE.split(),
        NEXT_LINE.split(),
    ]


def test_a_letterhead_read_as_two_blocks_is_selected_line_by_line() -> None:
    """Tesseract may read a letterhead's file number and date, far to the right, as a block of
    their own after the left-hand lines: a drag over the head reads it row by row."""
    left = typed_line("HEADQUARTERS DIVISION", 76.0, [0.0, 0.4]) + typed_line(
        "Ia No. 612/43", 94.0, [0.0, 0.3, -0.2]
    )
    right = typed_line("NOKW-1088", 75.4, [0.0], x=418.0) + typed_line(
        "12 March 1943", 93.2, [0.0, 0.5, 0.0], x=390.0
    )
    _, text = selected_text(left + right, [60, 70, 520, 106])
    assert text == "HEADQUARTERS DIVISION NOKW-1088 Ia No. 612/43 12 March 1943"
    _, text = selected_text(left + right, [380, 70, 520, 106])
    assert text == "NOKW-1088 12 March 1943"


def test_a_skewed_scan_keeps_its_lines_apart() -> None:
    """A page scanned 1.2 degrees askew: a line drops 9 points across the page, half the line
    spacing, yet each line stays one line."""
    slope = 0.021
    page: list[Word] = []
    sentences = [
        "The supply columns moved by night and without escort, against",
        "standing instructions. Until further orders no column is to",
        "leave Mostar without the consent of the regiment. The bridge at",
    ]
    for n, sentence in enumerate(sentences):
        for word in typed_line(sentence, 200.0 + 18.0 * n, [0.0] * len(sentence.split())):
            drop = slope * (float(word[0]) - 72.0)
            page.append([word[0], word[1] + drop, word[2], word[3] + drop, word[4], word[5]])
    lines = text_lines(page)
    assert [" ".join(texts([w for w, _, _ in line])) for line in lines] == sentences
    # the start of the middle line, dragged where it stands
    start = [w for w in page if w[4] in {"standing", "instructions.", "Until"}]
    _, text = selected_text(page, around(start))
    assert text == "standing instructions. Until"


def test_between_lines_or_beside_the_words_nothing_is_selected() -> None:
    words = uneven_page()
    line_bottom = around(words[:6])[3]
    next_top = around(words[6:])[1]
    assert selected_text(words, [72, line_bottom + 0.5, 400, next_top - 0.5]) == ([], "")
    assert selected_text(words, [500, 100, 600, 200]) == ([], "")
    assert selected_text([], [0, 0, 600, 800]) == ([], "")


def test_a_thin_drag_inside_one_word_selects_it() -> None:
    words = uneven_page()
    commanding = next(w for w in words if w[4] == "Commanding")
    x = (commanding[0] + commanding[2]) / 2
    y = (commanding[1] + commanding[3]) / 2
    assert selected_text(words, [x - 1, y - 1, x + 1, y + 1])[1] == "Commanding"
