"""Finding citations in an article's text: identifiers, quoted passages and works.

Spans are character offsets into the article's text (its pages joined by blank lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.identifiers import find_identifiers

MIN_QUOTE_WORDS = 4
MIN_QUOTE_CHARS = 20

# Opening mark -> closing mark. Straight double quotes pair with themselves.
_QUOTES = re.compile(
    r"“(?P<curly>[^”]{10,3000}?)”"
    r"|\"(?P<straight>[^\"\n]{10,3000}?)\""
    r"|„(?P<german>[^“”]{10,3000}?)[“”]"
    r"|«(?P<guillemets>[^»]{10,3000}?)»"
    r"|(?<!\w)‘(?P<single>[^’]{10,1500}?)’(?!\w)",
    re.DOTALL,
)
# Block quotes: paragraphs marked "> " (Markdown, and HTML <blockquote> as the importer writes it).
_BLOCK_QUOTE = re.compile(r"(?m)^> ?(?P<block>.+(?:\n> ?.+)*)")
_WORK = re.compile(
    r"(?P<author>(?:(?:von|van|de|del|di|da|du|le|la) )?(?<![\w'’-])[A-Z][\w'’-]+),\s"
    r"(?P<title>[A-Z][^;()\n\"“”]{2,150}?)"
    r"(?:,\s|\s\()(?P<year>1[5-9]\d\d|20\d\d)\)?"
)


@dataclass(frozen=True)
class Detected:
    kind: str  # identifier | quote | work
    start: int
    end: int
    text: str
    identifier: str = ""
    author: str = ""
    title: str = ""
    year: str = ""


def article_text(pages: list[str]) -> str:
    return "\n\n".join(pages)


def detect_citations(text: str) -> list[Detected]:
    found = [*_identifiers(text), *_quotes(text), *_works(text)]
    return sorted(found, key=lambda d: (d.start, d.end))


def _identifiers(text: str) -> list[Detected]:
    return [
        Detected("identifier", f.start, f.end, f.text, identifier=f.canonical)
        for f in find_identifiers(text)
    ]


def _quotes(text: str) -> list[Detected]:
    found = []
    for match in _QUOTES.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value is not None)
        found.append((match.start(group), match.end(group)))
    for match in _BLOCK_QUOTE.finditer(text):
        found.append((match.start("block"), match.end("block")))
    return [
        Detected("quote", start, end, text[start:end])
        for start, end in found
        if len(text[start:end].split()) >= MIN_QUOTE_WORDS and end - start >= MIN_QUOTE_CHARS
    ]


def _works(text: str) -> list[Detected]:
    return [
        Detected(
            "work",
            match.start(),
            match.end(),
            match.group(0),
            author=match.group("author"),
            title=match.group("title").strip().rstrip(","),
            year=match.group("year"),
        )
        for match in _WORK.finditer(text)
    ]
