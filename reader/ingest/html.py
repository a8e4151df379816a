"""HTML articles: visible text (no scripts, styles or remote content) and their metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from reader.dates import partial_date
from reader.ingest.base import Extracted, ExtractedPage, Limits
from reader.ingest.text import read_limited
from reader.ingest.textpages import decode_text, paginate

_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "blockquote", "li", "ul",
    "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "pre", "figure", "figcaption",
    "dd", "dt", "dl", "hr", "nav", "main", "address", "body",
}  # fmt: skip
_TITLE_KEYS = ("citation_title", "dc.title", "og:title", "title")
_AUTHOR_KEYS = ("citation_author", "dc.creator", "author", "article:author")
_DATE_KEYS = (
    "citation_publication_date", "citation_date", "dc.date", "date",
    "article:published_time", "dcterms.created",
)  # fmt: skip
# Block quotes are written as Markdown writes them, each line "> ", so citations can find them.
_QUOTE_OPEN, _QUOTE_CLOSE = "\x02", "\x03"
_BLANK_LINES = re.compile(r"\n\n\n+")
_COLLAPSE_PIECE = 64 * 1024
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
# A note marker set as a superscript ("<sup>12</sup>", "<sup>[12]</sup>") is written as the bare
# number right after the text it follows ("day.”12"), as printed articles show it.
_SUP_NUMBER = re.compile(r"\[?(\d{1,4})\]?")


@dataclass
class HtmlText:
    title: str = ""
    text: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)

    def first(self, keys: tuple[str, ...]) -> str:
        for key in keys:
            if self.meta.get(key):
                return self.meta[key][0]
        return ""

    def authors(self) -> list[str]:
        for key in _AUTHOR_KEYS:
            if self.meta.get(key):
                return self.meta[key]
        return []


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self._hidden_depth = 0
        self._in_title = False
        self._in_pre = 0
        # Ordered lists number their items ("1. ", honouring <ol start>, <li value>); None for <ul>.
        self._lists: list[int | None] = []
        self._item_number = ""  # the number of the current item, written before its first words
        self._sup: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._sup is not None and (tag in _BLOCKS or tag in _INVISIBLE or tag == "br"):
            self._end_sup()  # a superscript left open
        if tag == "meta":
            self._record_meta(dict(attrs))
        elif tag == "title":
            self._in_title = True
        elif tag in _INVISIBLE:
            self._hidden_depth += 1
        elif tag == "blockquote":
            self.parts.append(f"\n\n{_QUOTE_OPEN}")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "sup" and self._hidden_depth == 0 and not self._in_title:
            self._sup = []
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._in_pre += 1
            elif tag in ("ol", "ul"):
                self._lists.append(_number(dict(attrs).get("start"), 1) if tag == "ol" else None)
            elif tag == "li" and self._lists and self._lists[-1] is not None:
                number = _number(dict(attrs).get("value"), self._lists[-1])
                self._lists[-1] = number + 1
                self._item_number = f"{number}. "

    def handle_endtag(self, tag: str) -> None:
        if self._sup is not None and (tag == "sup" or tag in _BLOCKS):
            self._end_sup()
        if tag == "blockquote":
            self.parts.append(f"{_QUOTE_CLOSE}\n\n")
        elif tag == "title":
            self._in_title = False
        elif tag in _INVISIBLE:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre" and self._in_pre:
                self._in_pre -= 1
            elif tag in ("ol", "ul") and self._lists:
                self._lists.pop()
            elif tag == "li":
                self._item_number = ""

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif self._hidden_depth == 0:
            if self._sup is not None:
                self._sup.append(data)
                return
            data = data if self._in_pre else _collapse_whitespace(data)
            if self._item_number and data.strip():
                data = self._item_number + data.lstrip()
                self._item_number = ""
            self.parts.append(data)

    def finish(self) -> None:
        if self._sup is not None:
            self._end_sup()

    def _end_sup(self) -> None:
        assert self._sup is not None
        content = re.sub(r"\s+", " ", "".join(self._sup))
        self._sup = None
        marker = _SUP_NUMBER.fullmatch(content.strip())
        if marker is None:
            self.parts.append(content)
            return
        # The marker follows its text with no space, as printed ("knowledge,”3").
        while self.parts and self.parts[-1].endswith((" ", "\t")):
            self.parts[-1] = self.parts[-1].rstrip(" \t")
            if not self.parts[-1]:
                self.parts.pop()
        self.parts.append(marker.group(1))

    def _record_meta(self, attrs: dict[str, str | None]) -> None:
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        content = (attrs.get("content") or "").strip()
        if key and content:
            self.meta.setdefault(key, []).append(content)


def html_to_text(markup: str) -> HtmlText:
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    collector.finish()
    text = "".join(collector.parts)
    # Lines trimmed and blank lines squeezed by plain string methods and a literal-led pattern:
    # a pattern tried at every character costs seconds on a 100 MB paragraph.
    text = "\n".join(line.strip(" \t") for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    text = _marked_quotes_as_blocks(text).replace(_QUOTE_OPEN, "").replace(_QUOTE_CLOSE, "")
    title = re.sub(r"\s+", " ", "".join(collector.title_parts)).strip()
    return HtmlText(title=title, text=text, meta=collector.meta)


def _collapse_whitespace(data: str) -> str:
    """Each run of whitespace as one space, as `re.sub(r"\\s+", " ", data)` but five times
    faster; a piece at a time, so that a 100 MB paragraph is not 17 million words at once."""
    pieces: list[str] = []
    for start in range(0, len(data), _COLLAPSE_PIECE):
        piece = _collapse_piece(data[start : start + _COLLAPSE_PIECE])
        if pieces and pieces[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]  # a run across the cut between two pieces
        if piece:
            pieces.append(piece)
    return "".join(pieces)


def _collapse_piece(data: str) -> str:
    words = data.split()
    if not words:
        return " " if data else ""
    before = " " if data[0].isspace() else ""
    after = " " if data[-1].isspace() else ""
    return f"{before}{' '.join(words)}{after}"


def _number(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _marked_quotes_as_blocks(text: str) -> str:
    """Each quotation marked open ... close written as a block quote. Once an opening has no
    close after it, no later one has: the search stops there (a pattern would try them all,
    each to the end: minutes for a page of unclosed <blockquote>s)."""
    parts: list[str] = []
    position = 0
    while (opening := text.find(_QUOTE_OPEN, position)) >= 0:
        closing = text.find(_QUOTE_CLOSE, opening)
        if closing < 0:
            break
        parts += [text[position:opening], _as_block_quote(text[opening + 1 : closing])]
        position = closing + 1
    parts.append(text[position:])
    return "".join(parts)


def _as_block_quote(quoted: str) -> str:
    lines = [line.strip() for line in quoted.strip().split("\n")]
    return "\n".join(f"> {line}" for line in lines if line)


def decode_html(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    return decode_text(data, declared.group(1).decode("ascii") if declared else None)


def extract_html(path: Path, limits: Limits) -> Extracted:
    parsed = html_to_text(decode_html(read_limited(path, limits)))
    return Extracted(
        media_type="text/html",
        title=parsed.first(_TITLE_KEYS) or parsed.title,
        authors=parsed.authors(),
        date=partial_date(parsed.first(_DATE_KEYS)),
        languages=[],
        pages=[ExtractedPage(text=page, needs_ocr=False) for page in paginate(parsed.text)],
    )
