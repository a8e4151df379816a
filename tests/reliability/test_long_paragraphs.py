"""Issue #22, defect 4: a long paragraph is cut into pages in time linear in its length, and
nothing of it is lost (whole pages, cut at paragraph, line, sentence or word boundaries)."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.formats import extract
from reader.ingest.textpages import PAGE_CHARS, paginate
from tests.epubs import ONE_CHAPTER, write_frame

MB = 1024**2


def _one_line(chars: int) -> str:
    """Sentences on one line, words apart by single spaces: no paragraph or line break."""
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(f"Report {len(parts)} of the supply columns moving toward Mostar.")
        size += len(parts[-1]) + 1
    return " ".join(parts)


def _epub(path: Path, chapter: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as epub:
        write_frame(epub, ONE_CHAPTER)
        epub.writestr("OEBPS/one.xhtml", f"<html><body><p>{chapter}</p></body></html>")
    return path


def _cpu_seconds(action: Callable[[], object], repeat: int = 2) -> float:
    """The best of `repeat` runs in this process's CPU time: other processes' load left out."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def _page_texts(path: Path) -> list[str]:
    return [page.text for page in extract(path).pages]


def test_a_long_line_of_text_is_paged_whole_in_linear_time(tmp_path: Path) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(_one_line(1 * MB), encoding="utf-8")
    large.write_text(_one_line(8 * MB), encoding="utf-8")
    pages = _page_texts(large)
    assert " ".join(pages) == large.read_text(encoding="utf-8")  # cut at spaces, none lost
    assert all(0 < len(page) <= PAGE_CHARS for page in pages)
    assert all(page.endswith(".") for page in pages)  # at the end of a sentence
    # Eight times the text in about eight times the time (18 allows for noise); quadratic: 64.
    ratio = _cpu_seconds(lambda: extract(large)) / _cpu_seconds(lambda: extract(small))
    assert ratio < 18, f"8x the text took {ratio:.1f}x the time"


def test_a_one_paragraph_epub_is_paged_whole_in_linear_time(tmp_path: Path) -> None:
    paragraph = _one_line(8 * MB)
    small = _epub(tmp_path / "small.epub", _one_line(1 * MB))
    large = _epub(tmp_path / "large.epub", paragraph)
    pages = _page_texts(large)
    assert " ".join(pages) == paragraph
    assert all(0 < len(page) <= PAGE_CHARS for page in pages)
    ratio = _cpu_seconds(lambda: extract(large)) / _cpu_seconds(lambda: extract(small))
    assert ratio < 18, f"8x the paragraph took {ratio:.1f}x the time"


def test_a_run_without_any_break_is_cut_hard_and_kept_whole() -> None:
    run = "0123456789abcdef" * 2000  # a pasted hash or base64 block: no space to cut at
    pages = paginate(f"Before it.\n\n{run}")
    assert pages[0] == "Before it."
    assert "".join(pages[1:]) == run
    assert {len(page) for page in pages[1:-1]} == {PAGE_CHARS}


def test_pages_end_at_paragraphs_then_lines_then_sentences_then_words() -> None:
    sentence = "The column moved on. "
    paragraphs = [(sentence * 100).strip()] * 3
    assert paginate("\n\n".join(paragraphs), page_chars=4000) == paragraphs
    lines = [
        f"Entry {n}: one line of a typed list, no blank line between. And more" for n in range(200)
    ]
    by_line = paginate("\n".join(lines))
    assert "\n".join(by_line) == "\n".join(lines)
    assert all(page.endswith("And more") for page in by_line)
    by_sentence = paginate(sentence * 500)
    assert " ".join(by_sentence) == (sentence * 500).strip()
    assert all(page.endswith("on.") for page in by_sentence)
    words = "word " * 2000
    by_word = paginate(words)
    assert " ".join(by_word) == words.strip()
    assert all(len(page) > PAGE_CHARS - len("word ") for page in by_word[:-1])


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab. \n\f\t!”"), max_size=400),
    st.integers(min_value=4, max_value=40),
)
def test_any_text_is_paged_whole_losing_only_whitespace(text: str, page_chars: int) -> None:
    pages = paginate(text, page_chars)
    assert all(len(page) <= page_chars for page in pages)
    position = 0
    for page in filter(None, pages):
        while not text.startswith(page, position):
            assert text[position].isspace(), (text, pages)  # only whitespace between pages
            position += 1
        position += len(page)
    assert not text[position:].strip()
