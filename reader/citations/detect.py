"""Finding citations in an article's text: identifiers, quoted passages and works.

Spans are character offsets into the article's text (its pages joined by blank lines).
Quotations are read by reader.citations.quotations: nested ones, ones running over several
paragraphs, block quotations. A quotation long enough to be looked for in the archive is a
"quote"; a quoted title (“The Sword and the Shield”) is a "work" known by its title alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reader.citations.quotations import Quotation, find_quotations, quotation_text
from reader.citations.works import find_works
from reader.identifiers import KnownMatcher, find_identifiers
from reader.schemes import SchemeTable

MIN_QUOTE_WORDS = 4
MIN_QUOTE_CHARS = 20
# A quoted title: at most this many words, most of those that are not little words capitalised.
MAX_TITLE_WORDS = 15
TITLE_CAPITALS = 0.7
# Words a title leaves in lower case (English, German, Serbo-Croatian, French, Italian).
_LITTLE = (
    "a an and as at but by for from in into of on or the to with against between under "
    "der die das den dem des ein eine einer und im zum zur von vom mit über unter für "
    "i u na za od do o s sa iz po pod nad kod "
    "le la les l un une du de d et en au aux à sur dans pour par "
    "il lo gli e di del della dei da nel con per"
)
_LITTLE_WORDS = frozenset(_LITTLE.split())
# A sentence ends inside a quotation: ".", "!", "?" or "…" before a space, or an elision.
_SENTENCE_END = re.compile(r"[.!?…]\s|\. ?\. ?\.")
_TITLE_WORD = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass(frozen=True)
class Detected:
    kind: str  # identifier | quote | work
    start: int
    end: int
    text: str  # a quotation's: its quoted words alone, paragraphs joined by a blank line
    identifier: str = ""
    author: str = ""
    title: str = ""
    year: str = ""
    # A quotation inside another: the index of the enclosing one in detect_citations' list.
    parent: int | None = None
    # A quotation's parts, one per paragraph (offsets in the text).
    segments: tuple[tuple[int, int], ...] = ()
    # An identifier's own locators: a page or folio ("IMT, vol. XXXVII, p. 123"), microfilm
    # frames ("T-501/264/000485").
    pages: tuple[int, ...] = ()
    frames: tuple[int, ...] = ()


def article_text(pages: list[str]) -> str:
    return "\n\n".join(pages)


def detect_citations(
    text: str, *, schemes: SchemeTable | None = None, known: KnownMatcher | None = None
) -> list[Detected]:
    """The citations of an article's text, sorted by (start, -end): a quotation comes before
    those it holds, which name it as their parent. Identifiers inside a quotation have none.
    `schemes`: the library's identifier schemes; `known`: its catalog identifiers, found in
    any spelling."""
    quoted = _quotes(text)
    found = [*_identifiers(text, schemes, known), *quoted.values(), *_works(text)]
    found.sort(key=lambda d: (d.start, -d.end))
    place = {id(d): index for index, d in enumerate(found)}
    index_of = {number: place[id(d)] for number, d in quoted.items()}
    return [replace(d, parent=index_of[d.parent]) if d.parent is not None else d for d in found]


def _identifiers(
    text: str, schemes: SchemeTable | None, known: KnownMatcher | None
) -> list[Detected]:
    return [
        Detected(
            "identifier",
            f.start,
            f.end,
            f.text,
            identifier=f.canonical,
            pages=f.pages,
            frames=f.frames,
        )
        for f in find_identifiers(text, known, schemes=schemes)
    ]


def _quotes(text: str) -> dict[int, Detected]:
    """Quoted passages, and quoted titles as works, by the number of their quotation in
    find_quotations' list; a parent is the number of the nearest enclosing quotation kept.
    Unclosed quotations and short quotes that are no titles are left out."""
    quotations = find_quotations(text)
    wrappers = _wrappers(text, quotations)
    kept: dict[int, Detected] = {}
    # Each quotation's nearest kept one, itself included; an enclosing one comes first.
    nearest: dict[int, int | None] = {}
    for number, quotation in enumerate(quotations):
        parent = None if quotation.parent is None else nearest[quotation.parent]
        found = None if number in wrappers else _quotation(text, quotation, parent)
        if found is not None:
            kept[number] = found
        nearest[number] = number if found is not None else parent
    return kept


def _wrappers(text: str, quotations: list[Quotation]) -> set[int]:
    """Quotations that hold one quotation and no words of their own (“‘…’”): the same passage
    as the one they hold, so not looked for twice. Each character is read once, however deep
    the nesting."""
    children: dict[int, list[Quotation]] = {}
    for quotation in quotations:
        if quotation.parent is not None:
            children.setdefault(quotation.parent, []).append(quotation)
    wrappers: set[int] = set()
    for number, held in children.items():
        outer, inner = quotations[number], held[0]
        if len(held) != 1 or not inner.closed:
            continue
        own_before = _WORD_CHAR.search(text, outer.start, inner.start)
        own_after = _WORD_CHAR.search(text, inner.end, outer.end)
        if own_before is None and own_after is None:
            wrappers.add(number)
    return wrappers


_WORD_CHAR = re.compile(r"\w")


def _quotation(text: str, quotation: Quotation, parent: int | None) -> Detected | None:
    if not quotation.closed or quotation.end <= quotation.start:
        return None
    words = quotation_text(text, quotation)
    if not quotation.block and reads_as_title(words):
        return Detected(
            "work",
            quotation.start,
            quotation.end,
            words,
            title=_title(words),
            parent=parent,
            segments=quotation.segments,
        )
    if len(words.split()) < MIN_QUOTE_WORDS or len(words) < MIN_QUOTE_CHARS:
        return None
    end, segments = quotation.end, quotation.segments
    if quotation.block:  # a block runs to its paragraph's end, a note marker included
        marker = _TRAILING_MARKER.search(text, quotation.start, end)
        if marker is not None:
            end = marker.start()
            words = words[: len(words) - len(marker.group(0))]
            segments = (*segments[:-1], (segments[-1][0], min(segments[-1][1], end)))
    return Detected("quote", quotation.start, end, words, parent=parent, segments=segments)


# A note number right after a block quotation's last punctuation: "…previous month.1", "…¹²".
_TRAILING_MARKER = re.compile(r"(?<=[.!?;:,”\"’)])(?:\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})\s*$")


def _title(quoted: str) -> str:
    """Quoted words without the punctuation a sentence put inside the marks (“Wartime,”)."""
    return quoted.strip().rstrip(".,;:").strip()


def reads_as_title(quoted: str) -> bool:
    """Whether quoted words read as the title of a work (“The Sword and the Shield”,
    ‘Operation Schwarz’): two to fifteen words in one paragraph, the first and most others
    capitalised (little words aside), and no sentence ending inside."""
    quoted = _title(quoted)
    if "\n\n" in quoted or _SENTENCE_END.search(quoted):
        return False
    words = _TITLE_WORD.findall(quoted)
    if not 2 <= len(words) <= MAX_TITLE_WORDS or not words[0][0].isupper():
        return False
    significant = [w for w in words[1:] if w.lower() not in _LITTLE_WORDS]
    if not significant:
        return False
    capitals = sum(1 for w in significant if w[0].isupper())
    return capitals >= TITLE_CAPITALS * len(significant)


def _works(text: str) -> list[Detected]:
    """Works in the common styles (Chicago notes and bibliography, author-date, short notes),
    parsed by reader.citations.works."""
    return [
        Detected(
            "work", ref.start, ref.end, ref.text, author=ref.author, title=ref.title, year=ref.year
        )
        for ref in find_works(text)
    ]
