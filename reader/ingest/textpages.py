"""Cutting long reflowable text into pages, and decoding text files of unknown encoding."""

from __future__ import annotations

import re
from collections.abc import Iterator

PAGE_CHARS = 3000
# Where a page may end, best first: a paragraph break anywhere on the page; else, in its second
# half, the end of a line, of a sentence, of a word; else the page is cut where it is full.
# Each is found from the page's end backwards, so the work per page is bounded by its size.
_LAST_PARAGRAPH_BREAK = re.compile(r"(?s:.*)\n[^\S\n]*\n")  # no group: 6x faster to search
_LAST_SENTENCE_END = re.compile(r"(?s:.*)[.!?…][\"'”’»)\]]*(?=\s)")
_LAST_SPACE = re.compile(r"(?s:.*)\s")
_SPACES = re.compile(r"\s*")
_NEWLINES = re.compile(r"\n*")


def paginate(text: str, page_chars: int = PAGE_CHARS) -> list[str]:
    """Pages of at most `page_chars` characters, cut between paragraphs where they can be (see
    `_page_end`); form feeds always cut. Only whitespace is dropped, where a page is cut; the
    work is linear in the text's length."""
    pages: list[str] = []
    for start, end in _between_form_feeds(text):
        pages.extend(_pages_of(text, _past(_NEWLINES, text, start, end), end, page_chars))
    return pages or [""]


def _between_form_feeds(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while (feed := text.find("\f", start)) >= 0:
        yield start, feed
        start = feed + 1
    yield start, len(text)


def _pages_of(text: str, start: int, end: int, page_chars: int) -> Iterator[str]:
    """The pages of text[start:end], read in place: a long paragraph is never copied whole."""
    while start < end:
        cut = end if end - start <= page_chars else _page_end(text, start, page_chars)
        page = text[start:cut].rstrip()
        if page:
            yield page
        start = _past(_SPACES, text, cut, end)


def _page_end(text: str, start: int, page_chars: int) -> int:
    full = start + page_chars
    paragraph = _LAST_PARAGRAPH_BREAK.match(text, start + 1, full)
    if paragraph:
        return paragraph.end()  # the page, stripped, ends before the break
    half = start + page_chars // 2
    line = text.rfind("\n", half, full + 1)
    if line >= 0:
        return line
    sentence = _LAST_SENTENCE_END.match(text, half, full)
    if sentence:
        return sentence.end()
    space = _LAST_SPACE.match(text, half, full + 1)  # a space just past a full page will do
    return space.end() - 1 if space else full


def _past(run: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the run of `run` (a pattern that may match nothing) starting at `start` ends."""
    match = run.match(text, start, end)
    return match.end() if match else start


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: the declared encoding if it works, else UTF-8, else Windows-1252."""
    for encoding in filter(None, (declared, "utf-8-sig", "cp1252")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def first_line_title(text: str, limit: int = 160) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return ""
