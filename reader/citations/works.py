"""Works cited in an article: references in the common styles parsed into author, title, year and
page, page locators ("pp. 456–57", "S. 4", "fol. 12"), and matching a reference to the catalog.

Styles read:
- Chicago notes: "Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick,
  1973), 106." and articles: 'Jane Roe, “Orders and Echoes,” Balkan Studies 12 (1990): 45–67.'
- Chicago bibliography: "Roberts, Walter R. Tito, Mihailović and the Allies, 1941–1945. New
  Brunswick: Rutgers University Press, 1973."
- author-date: "(Roberts 1973, 106)", "(Roberts 1973; Djilas 1977: 229)", "Roberts (1973: 106)".
- short notes: "Roberts, Tito, p. 106", "Djilas, Wartime, 229", "Hory/Broszat, Der kroatische
  Ustascha-Staat, S. 45", and "Author, Title, 1973".

The text is read line by line and each line clause by clause (clauses end at ";" and at sentence
ends outside brackets); every pattern is simple and each look at a reference is bounded to a few
hundred characters, so any text is read in time proportional to its length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from index.folding import fold
from reader.identifiers import find_identifiers

WORK_THRESHOLD = 0.8
_REACH = 300  # the most characters a reference takes before its anchor (a bracket, a locator)
# A year that agrees adds; one that differs takes away more than a shortened title's margin
# (0.95 - 0.16 misses the threshold); an author and year against an undated catalog work is
# just taken (0.85 - 0.04).
_YEAR_BONUS, _YEAR_PENALTY, _UNCONFIRMED = 0.05, 0.16, 0.04


@dataclass(frozen=True)
class WorkRef:
    start: int
    end: int
    text: str
    author: str  # as written: "Walter R. Roberts", "Roberts, Walter R.", "Hory/Broszat"
    title: str  # "" for an author-date reference
    year: str  # "1973", or ""
    page: str  # the cited page(s) as written without their prefix: "106", "256–59", or ""
    surnames: tuple[str, ...] = ()  # ("Roberts",), ("Hory", "Broszat"); () for a title alone
    style: str = ""  # note | bibliography | author-date | short | title

    @property
    def pages(self) -> tuple[int, ...]:
        return parse_pages(self.page)


@dataclass(frozen=True)
class CatalogWork:
    doc: int
    title: str
    authors: Sequence[str]
    date: str


@dataclass(frozen=True)
class Locator:
    start: int
    end: int
    text: str
    pages: tuple[int, ...]


# ---------------------------------------------------------------- page locators

_DASH = r"\-–—‐‑"
_PAGE = r"\d{1,5}[rv]?"
_RANGE = rf"{_PAGE}(?:\s?[{_DASH}]\s?{_PAGE})?"
# A later page of a list, never a year: "pp. 12, 15–16" but not "p. 2, 1943".
_MORE = rf"(?:,\s?(?!(?:1[5-9]|20)\d\d(?!\d)){_RANGE})"
_LOCATOR_RE = re.compile(
    r"(?<![\w.])(?P<prefix>pp?\.|fols?\.|ff?\.|S\.|s\.|Bl\.|str\.|pages?\b|Seiten?\b)\s?"
    rf"(?P<pages>{_RANGE}{_MORE}{{0,8}}(?:\s?ff?\.?(?!\w))?)(?![\d{_DASH}])"
)
_BARE_PAGES = re.compile(rf"{_RANGE}(?:\s?ff?\.?)?")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_YEAR_RANGE = re.compile(rf"(?:1[5-9]|20)\d\d\s?[{_DASH}/]\s?(?:(?:1[5-9]|20)\d\d|\d\d)")
_MAX_RANGE = 500


def find_locators(text: str) -> list[Locator]:
    """The page locators of `text`: "p. 2", "pp. 456–57", "fols. 12–13", "S. 4f.", "str. 45"."""
    return [
        Locator(m.start(), m.end(), m.group(0), parse_pages(m.group("pages")))
        for m in _LOCATOR_RE.finditer(text)
    ]


def parse_pages(written: str) -> tuple[int, ...]:
    """The pages a locator names, first page first: "456–57" -> (456, 457), "4f." -> (4, 5),
    "12r–13v" -> (12, 13), "12, 15–16" -> (12, 15, 16), "4 ff." -> (4,)."""
    pages: list[int] = []
    for item in written.split(","):
        item = item.strip()
        following = bool(re.search(r"\d\s?f\.?$", item))  # "4f." is 4 and the page after
        numbers = re.findall(r"\d+", item)
        if not numbers:
            continue
        first = int(numbers[0])
        last = first
        if len(numbers) > 1:
            end = numbers[1]
            if len(end) < len(numbers[0]):  # "456–57" is 456–457
                end = numbers[0][: len(numbers[0]) - len(end)] + end
            last = int(end)
        elif following:
            last = first + 1
        if last < first or last - first > _MAX_RANGE:
            span = [first]
        else:
            span = list(range(first, last + 1))
        pages.extend(page for page in span if page not in pages)
    return tuple(pages)


def _as_pages(part: str) -> str | None:
    """The pages of a reference's last part ("p. 106", "S. 45", "256–59"), or None."""
    part = part.strip()
    locator = _LOCATOR_RE.fullmatch(part)
    if locator:
        return locator.group("pages")
    if _BARE_PAGES.fullmatch(part) and not _is_year(part) and not _YEAR_RANGE.fullmatch(part):
        return part
    return None


def _is_year(part: str) -> bool:
    return bool(re.fullmatch(r"(?:1[5-9]|20)\d\d[a-z]?", part.strip()))


# ---------------------------------------------------------------- names

_PARTICLES = {
    "von", "van", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la", "ten", "ter",
    "zu", "vom", "zur", "dos", "das", "y", "al", "bin", "ibn", "d'",
}  # fmt: skip
_AND = ("and", "und", "i", "&")
_NAME_GLUE = {"et", "al.", "and", "&", "und"}
_CONNECTOR = re.compile(r"\s*/\s*|\s+(?:and|&|und|i|y|et)\s+")
_ROLES = re.compile(
    r"(?:,?\s+(?:et\s+al\.?|ed\.|eds\.|Hrsg\.|Hg\.|ur\.|prir\.|\((?:eds?|Hrsg|Hg|ur|prir)\.?\)))+$"
)
_INITIAL = re.compile(r"[A-ZÀ-ÞČĆŠŽĐ][a-z]?\.(?:-[A-ZÀ-ÞČĆŠŽĐ][a-z]?\.)?")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))+")
# Capitalised words that begin sentences and name places, months or series, never an author.
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "as", "for", "from", "with", "this", "that", "these",
    "those", "it", "he", "she", "they", "we", "but", "and", "or", "if", "when", "while", "after",
    "before", "during", "since", "until", "his", "her", "their", "our", "its", "there", "here",
    "what", "which", "who", "how", "why", "all", "some", "both", "no", "not", "one", "two",
    "der", "die", "das", "ein", "eine", "im", "am", "zum", "zur", "mit", "nach", "bei", "auf",
    "aus", "und", "oder", "auch", "wie", "als", "u", "na", "za", "od", "do", "iz", "kao",
    "ibid", "ibidem", "ebd", "ebenda", "isto", "op", "loc", "cit", "see", "cf", "vgl", "siehe",
    "also", "compare", "vidi", "usp", "idem", "id", "ders", "dies", "page", "pages", "vol",
    "chapter", "part", "book", "document", "documents", "doc", "record", "group", "file",
    "report", "note", "notes", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "januar", "februar", "marz",
    "juni", "juli", "oktober", "dezember", "spring", "summer", "autumn", "fall", "winter",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "circa",
    "ca", "early", "late", "mid", "between", "by", "to", "of", "about", "against",
    "general", "colonel", "major", "captain", "lieutenant", "marshal", "field", "admiral",
    "commander", "president", "king", "minister", "generaloberst", "oberst", "hauptmann",
    "leutnant", "sir", "lord", "mr", "mrs", "dr", "professor", "prof", "pope", "bishop", "saint",
    "st", "kapetan", "pukovnik", "vojvoda", "ban", "poglavnik", "herr", "frau",
}  # fmt: skip
_NOT_NAMES = {fold(word) for word in _NOT_NAMES}  # as words are compared: "tuesday" is "tusday"


@lru_cache(maxsize=8192)
def _surnames(author: str) -> tuple[str, ...] | None:
    """The surnames of an author part written in natural order ("Walter R. Roberts", "Hory/
    Broszat", "Ladislaus Hory and Martin Broszat", "Roberts et al."), or None if it is no name."""
    if not author or len(author) > 120:
        return None
    author = _ROLES.sub("", author.strip())
    groups = _CONNECTOR.split(author)
    if not 1 <= len(groups) <= 4:
        return None
    surnames = []
    for group in groups:
        tokens = group.split()
        if not 1 <= len(tokens) <= 5 or not _name_word(tokens[-1]):
            return None
        for token in tokens[:-1]:
            if not (_name_word(token) or _INITIAL.fullmatch(token) or token in _PARTICLES):
                return None
        surnames.append(tokens[-1])
    return tuple(surnames)


@lru_cache(maxsize=8192)
def _name_word(token: str) -> bool:
    return (
        len(token) >= 2
        and token[0].isupper()
        and not token.isupper()
        and bool(_NAME_WORD.fullmatch(token))
        and fold(token) not in _NOT_NAMES
    )


# ---------------------------------------------------------------- finding references

_OPENING_QUOTES = {"“": "”", "„": "“”", '"': '"', "«": "»", "‘": "’", "»": "«"}
_CLOSING_QUOTES = '”“"»’«'
_BRACKET = re.compile(r"\(([^()\n]{1,200})\)")
_PUB_YEAR = re.compile(r"(?:^|[\s,:;\[])((?:1[4-9]|20)\d\d)[a-z]?\]?\s*$")
_INTRO = re.compile(
    r"(?<!\w)(?=[SsCcVvUuEeZz])(?:[Ss]ee(?:\s+also)?|[Cc]f\.|[Cc]ompare|[Vv]gl\.(?:\s+auch)?|[Ss]iehe(?:\s+auch)?"
    r"|[Vv]idi|[Uu]sp\.|[Ee]\.\s?g\.,?|[Zz]\.\s?B\.)\s+"
)
_LEADING = re.compile(
    r"(?:(?:and|und|i|also|auch|or|oder)\s+)?(?:(?:[Ss]ee(?:\s+also)?|[Cc]f\.|[Vv]gl\.(?:\s+auch)?"
    r"|[Ss]iehe(?:\s+auch)?|[Vv]idi|[Uu]sp\.|[Cc]ompare)\s+)?"
)
_NOTE_NUMBER = re.compile(r"\s*(?:\[\d{1,3}\]|\d{1,3}[.)]|\d{1,3}(?=\s)|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*")
_TITLE_CUT = re.compile(
    r",\s+(?:ed\.|eds\.|edited|trans\.|tr\.|transl\.|hrsg\.|Hrsg\.|hg\.|vol\.|Bd\.|\d+(?:st|nd|rd|th)"
    r"\s+ed\.|ur\.|prir\.|prev\.)"
)
_NOT_TITLES = {"op cit", "loc cit", "ibid", "ibidem", "ebd", "ebenda", "isto", "a a o", "idem"}
_SENTENCE_ABBREVIATIONS = {
    "p", "pp", "s", "bl", "str", "fol", "fols", "f", "ff", "ed", "eds", "trans", "tr", "vol",
    "vols", "no", "nos", "nr", "ch", "cf", "vgl", "hrsg", "hg", "repr", "rev", "st", "dr", "mr",
    "mrs", "ms", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "jr", "sr", "dept", "bd", "jg",
    "op", "loc", "al", "ca", "c", "u", "doc", "docs", "art", "abs", "vs", "ur", "prir", "sv",
    "usp", "v", "d", "h", "br", "mss", "n", "nn", "fig", "ibid", "ebd", "id",
}  # fmt: skip


def find_works(text: str) -> list[WorkRef]:
    """The works cited in `text`, in order; spans are offsets into `text`."""
    works: list[WorkRef] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if len(line.strip()) < 6 or _DIGIT.search(line) is None:
            continue  # every reference gives a year or a page
        entry = _bibliography(text, start, end)
        if entry is not None:
            works.append(entry)
            continue
        for clause_start, clause_end in _clauses(text, start, end):
            works.extend(_clause_works(text, clause_start, clause_end, clause_start == start))
    works.sort(key=lambda w: (w.start, -w.end))
    result: list[WorkRef] = []
    for work in works:
        if not result or work.start >= result[-1].end:
            result.append(work)
    return result


_DIGIT = re.compile(r"\d")
_CLAUSE_MARK = re.compile(r";|\.(?= )|,(?= and [A-Z])")


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A line cut at ";", ", and" and at sentence ends, never inside brackets or curly quotes
    opened in the last few hundred characters."""
    clause = start
    for mark in _CLAUSE_MARK.finditer(text, start, end):
        at = mark.start()
        if text[at] == "." and not _sentence_end(text, at, end):
            continue
        low = max(clause, at - _REACH)
        if text.count("(", low, at) > text.count(")", low, at):
            continue
        if text.count("“", low, at) > text.count("”", low, at):
            continue
        yield clause, at
        clause = at + 1
    yield clause, end


def _sentence_end(text: str, dot: int, end: int) -> bool:
    """Whether the full stop at `dot` ends a sentence: the next word is capitalised and the word
    before is no initial ("R. Roberts") or abbreviation ("p. 12", "ed. by")."""
    following = text[dot + 2 : dot + 3]
    if dot + 2 >= end or not (following.isupper() or following in _OPENING_QUOTES):
        return False
    word_start = dot
    while word_start > 0 and dot - word_start < 20 and text[word_start - 1].isalnum():
        word_start -= 1
    word = text[word_start:dot]
    if not word:
        return text[dot - 1 : dot] in _CLOSING_QUOTES or text[dot - 1 : dot] == ")"
    if word.isdigit():
        return True
    return len(word) > 1 and fold(word) not in _SENTENCE_ABBREVIATIONS


def _clause_works(text: str, start: int, end: int, line_start: bool) -> list[WorkRef]:
    if _DIGIT.search(text, start, end) is None:
        return []  # every reference gives a year or a page
    if line_start:
        number = _NOTE_NUMBER.match(text, start, end)
        if number:
            start = number.end()
    while start < end and text[start].isspace():
        start += 1
    start = _LEADING.match(text, start, end).end()  # type: ignore[union-attr]
    found: list[WorkRef] = []
    cursor = start
    intros = [m.end() for m in _INTRO.finditer(text, start, end)]
    for bracket in _BRACKET.finditer(text, start, end):
        if bracket.start() < cursor:
            continue
        work = _note_style(text, intros, cursor, bracket, end)
        if work is not None:
            found.append(work)
            cursor = work.end
            continue
        cited = _author_date(text, cursor, bracket)
        if not cited:
            inner = _short_note(text, intros, bracket.start(1), bracket.end(1))
            cited = [inner] if inner else []
        if cited:
            found.extend(cited)
            cursor = bracket.end()
    if not found or cursor < end:
        short = _short_note(text, intros, cursor, end)
        if short is not None:
            found.append(short)
    return found


def _starts(intros: list[int], cursor: int, anchor: int) -> list[int]:
    """Where a reference ending at `anchor` may begin: the clause's start, or after "see" (the
    ends of the clause's introducing words are `intros`)."""
    low = max(cursor, anchor - _REACH)
    starts = [cursor] if cursor == low else []
    first, last = bisect.bisect_left(intros, low), bisect.bisect_left(intros, anchor)
    return starts + intros[max(first, last - 3) : last]


def _note_style(
    text: str, intros: list[int], cursor: int, bracket: re.Match[str], end: int
) -> WorkRef | None:
    """A Chicago note: "Author, Title (Place: Publisher, Year), page"."""
    published = _PUB_YEAR.search(bracket.group(1))
    if published is None or not _publication(bracket.group(1)):
        return None
    year = published.group(1)
    page, after = "", bracket.end()
    cited = pages_after(text, after, end)
    if cited is not None:
        page, after = cited
    low = max(cursor, bracket.start() - _REACH)
    comma = text.find(", ", low, bracket.start()) != -1
    for start in _starts(intros, cursor, bracket.start()) if comma else ():
        parsed = _author_title(text[start : bracket.start()])
        if parsed is not None:
            author, surnames, title, offset = parsed
            return _ref(text, start + offset, after, author, title, year, page, surnames, "note")
    quoted = _quoted_before(text, max(cursor, bracket.start() - _REACH), bracket.start())
    if quoted is not None:
        title, start = quoted
        return _ref(text, start, after, "", title, year, page, (), "title")
    return None


def _publication(content: str) -> bool:
    """Whether a bracket ending in a year names a publication ("New Brunswick, 1973", "1961"),
    not a date ("12 March 1943", "May–June 1943", "spring 1943")."""
    first = _WORD_RE.match(content.strip())
    if first is None:
        return bool(re.fullmatch(r"\s*(?:1[4-9]|20)\d\d[a-z]?\]?\s*", content))
    return fold(first.group(0)) not in _NOT_NAMES


_WORD_RE = re.compile(r"[^\W\d_]+")
_PAGES_LEAD = re.compile(r"\s?[,:]\s?")


def pages_after(text: str, position: int, end: int) -> tuple[str, int] | None:
    """The pages cited after a reference (", 106", ": 45–67", ", S. 45f.") and where they end."""
    lead = _PAGES_LEAD.match(text, position, end)
    if lead is None:
        return None
    locator = _LOCATOR_RE.match(text, lead.end(), end)
    if locator is not None:
        return locator.group("pages"), locator.end()
    bare = _BARE_PAGES.match(text, lead.end(), end)
    if bare is None or (bare.end() < end and text[bare.end()].isalnum()):
        return None
    pages = bare.group(0).strip()
    if _is_year(pages) or _YEAR_RANGE.fullmatch(pages):
        return None
    return pages, bare.end()


def _author_title(prefix: str) -> tuple[str, tuple[str, ...], str, int] | None:
    """ "Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945" -> its author, surnames,
    title (keeping its dates; an article's title is the quoted one) and where the author begins
    in `prefix` ("The standard account remains Walter R. Roberts, Tito ..." too)."""
    comma = prefix.find(", ")
    if comma <= 0:
        return None
    offset = len(prefix) - len(prefix.lstrip())
    author = prefix[offset:comma]
    surnames = _surnames(author)
    if surnames is None:
        tail = _name_tail(author)
        if tail is None:
            return None
        offset = comma - len(tail)
        author, surnames = tail, _surnames(tail)
        if surnames is None:
            return None
    rest = prefix[comma + 2 :].strip().rstrip(",").strip()
    if rest[:1] in _OPENING_QUOTES:
        closing = _closing(rest, 0, len(rest))
        if closing is None:
            return None
        title = rest[1:closing].strip().rstrip(",.").strip()
    else:
        cut = _TITLE_CUT.search(rest)
        title = (rest[: cut.start()] if cut else rest).strip().rstrip(",").strip()
    if not _title_like(title):
        return None
    return author, surnames, title, offset


_PREPOSITIONS = {
    "in", "on", "at", "of", "from", "to", "for", "with", "by", "about", "across", "through",
    "into", "between", "under", "over", "against", "during", "after", "before", "within",
    "near", "toward", "towards", "throughout", "and", "or", "the", "a", "an", "u", "na", "iz",
    "im", "aus", "bei", "nach", "von", "zu", "mit", "und", "der", "die", "das",
}  # fmt: skip


def _name_tail(words: str) -> str | None:
    """A full name closing a phrase ("remains Walter R. Roberts"): a given name and a surname
    after a lower-case word that is no preposition (never "in Yugoslavia")."""
    tokens = words.split()
    for size in (4, 3, 2):
        if len(tokens) <= size:
            continue
        before, name = tokens[-size - 1], tokens[-size:]
        if before.islower() and before not in _PREPOSITIONS and _name_word(name[0]):
            surnames = _surnames(" ".join(name))
            if surnames is not None and len(surnames) == 1:
                return " ".join(name)
    return None


def _closing(text: str, opening: int, end: int) -> int | None:
    closers = _OPENING_QUOTES.get(text[opening], "")
    for index in range(opening + 1, min(end, opening + _REACH)):
        if text[index] in closers:
            return index
    return None


@lru_cache(maxsize=8192)
def _title_like(title: str) -> bool:
    if not title or len(title) > 250 or len(title.split()) > 40:
        return False
    if not (title[0].isupper() or title[0].isdigit()):
        return False
    if sum(f.end - f.start for f in find_identifiers(title)) * 2 >= len(title):
        return False  # "NOKW 1088" is a document, not a title
    return " ".join(fold(w) for w in re.findall(r"\w+", title)) not in _NOT_TITLES


def _quoted_before(text: str, low: int, anchor: int) -> tuple[str, int] | None:
    """A quoted title right before `anchor` (“The Sword and the Shield” (1999)): its title and
    where its opening mark stands."""
    end = anchor
    while end > low and text[end - 1] in " ,":
        end -= 1
    if end <= low or text[end - 1] not in _CLOSING_QUOTES:
        return None
    for opening in range(end - 2, low - 1, -1):
        if text[opening] in _OPENING_QUOTES and text[end - 1] in _OPENING_QUOTES[text[opening]]:
            title = text[opening + 1 : end - 1].strip().rstrip(",.").strip()
            words = title.split()
            capitalised = sum(1 for w in words if w[:1].isupper())
            if _title_like(title) and len(words) <= 15 and capitalised * 2 >= len(words):
                return title, opening
            return None
    return None


def _author_date(text: str, cursor: int, bracket: re.Match[str]) -> list[WorkRef]:
    """ "(Roberts 1973, 106)", "(Roberts and Smith 1973; Djilas 1977: 229)" and the narrative
    "Roberts (1973: 106)"."""
    content_start = bracket.start(1)
    narrative = re.fullmatch(
        r"\s*((?:1[5-9]|20)\d\d)[a-z]?(?:\s?[,:]\s?(.{1,40}))?\s*", bracket.group(1)
    )
    if narrative:
        pages = _as_pages(narrative.group(2)) if narrative.group(2) else ""
        named = _name_before(text, cursor, bracket.start())
        if pages is None or named is None:
            return []
        author, start = named
        surnames = _surnames(author) or ()
        year = narrative.group(1)
        return [_ref(text, start, bracket.end(), author, "", year, pages, surnames, "author-date")]
    found = []
    offset = content_start
    for item in bracket.group(1).split(";"):
        item_start = offset + len(item) - len(item.lstrip())
        offset += len(item) + 1
        work = _author_date_item(text, item_start, item_start + len(item.strip()))
        if work is not None:
            found.append(work)
    return found


def _author_date_item(text: str, start: int, end: int) -> WorkRef | None:
    start = _LEADING.match(text, start, end).end()  # type: ignore[union-attr]
    year = _YEAR.search(text, start, end)
    if year is None:
        return None
    names = text[start : year.start()]
    comma = names.rstrip().endswith(",")
    author = names.strip().rstrip(",").strip()
    surnames = _surnames(author)
    if surnames is None:
        return None
    after = text[year.end() : end]
    after = after[1:] if after[:1].isalpha() and after[1:2] in ("", ",", ":", " ") else after
    page = ""
    rest = re.fullmatch(r"\s?[,:]\s?(.{1,40})", after)
    if rest:
        pages = _as_pages(rest.group(1))
        if pages is None:
            return None
        page = pages
    elif after.strip():
        return None
    # "(New Brunswick, 1973)" is a publisher's place: with a comma only if a page says "p.".
    if comma and not (rest and _LOCATOR_RE.fullmatch(rest.group(1).strip())):
        return None
    return _ref(text, start, end, author, "", year.group(1), page, surnames, "author-date")


def _name_before(text: str, cursor: int, anchor: int) -> tuple[str, int] | None:
    """The author's name written right before a bracket ("as Roberts and Smith (1973) show")."""
    low = max(cursor, anchor - 80)
    window = text[low:anchor].rstrip()
    if not window or not (window[-1].isalpha() or window[-1] == "."):
        return None
    tokens = window.split()
    taken: list[str] = []
    for token in reversed(tokens[-7:]):
        if not (
            _name_word(token)
            or token in _NAME_GLUE
            or token in _PARTICLES
            or _INITIAL.fullmatch(token)
        ):
            break
        taken.append(token)
    while taken and not _name_word(taken[-1]) and taken[-1] not in _PARTICLES:
        taken.pop()
    if not taken:
        return None
    author = " ".join(reversed(taken))
    if _surnames(author) is None:
        return None
    if len(tokens) > len(taken) and fold(tokens[-len(taken) - 1]) in _ARTICLES:
        return None  # "the Allies (1973)" names no author
    position = len(window)
    for token in taken:
        position = window.rfind(token, 0, position)
    return author, low + position


def _short_note(text: str, intros: list[int], cursor: int, end: int) -> WorkRef | None:
    if text.find(", ", cursor, min(end, cursor + _REACH)) == -1:
        return None
    """ "Roberts, Tito, p. 106", "Djilas, Wartime, 229", "Roberts, Tito, Mihailović and the Allies,
    1973", 'Roe, “Orders,” 47'."""
    for start in _starts(intros, cursor, min(end, cursor + _REACH)):
        work = _short_at(text, start, min(end, start + _REACH))
        if work is not None:
            return work
    return None


def _short_at(text: str, start: int, end: int) -> WorkRef | None:
    parts = _parts(text, start, end)
    if len(parts) < 3:
        return None
    author = text[parts[0][0] : parts[0][1]]
    surnames = _surnames(author)
    if surnames is None:
        return None
    title_end = 0
    year = page = ""
    finish = 0
    for index, (part_start, part_end) in enumerate(parts[1:], start=1):
        part = text[part_start:part_end]
        if index >= 2 and not year and _is_year(part):
            year, title_end, finish = part[:4], parts[index - 1][1], part_end
            continue
        pages = _as_pages(part) if index >= 2 else None
        if pages is not None:
            page, finish = pages, part_end
            title_end = title_end or parts[index - 1][1]
            break
        if year:
            break
    if not finish:
        return None
    if year and not page and text[finish:end].strip(" .,;)]"):
        return None  # "General Löhr, Commander Southeast, 1943, reported": prose, not a note
    title_text = text[parts[1][0] : title_end].strip()
    if title_text[:1] in _OPENING_QUOTES:
        closing = _closing(title_text, 0, len(title_text))
        if closing is None:
            return None
        title_text = title_text[1:closing]
    title = title_text.strip().rstrip(",.").strip()
    if not _title_like(title):
        return None
    return _ref(text, start, finish, author, title, year, page, surnames, "short")


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause's comma-separated parts (a quoted title's own commas kept in it)."""
    parts: list[tuple[int, int]] = []
    position = start
    while position < end and len(parts) < 12:
        if text[position] in _OPENING_QUOTES:
            closing = _closing(text, position, end)
            if closing is not None:
                parts.append((position, closing + 1))
                position = closing + 1
                while position < end and text[position] in " ,":
                    position += 1
                continue
        comma = text.find(", ", position, end)
        part_end = comma if comma != -1 else end
        parts.append((position, _trimmed_end(text, position, part_end)))
        if comma == -1:
            break
        position = comma + 2
    return parts


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .":
        if text[end - 1] == "." and not _ends_with_full_stop(text, start, end):
            break
        end -= 1
    return end


def _ends_with_full_stop(text: str, start: int, end: int) -> bool:
    """Whether the "." ending text[start:end] is a full stop (not "p." or "4f." or "et al.")."""
    word = text[start : end - 1].split()[-1:] or [""]
    return not word[0] or word[0][-1].isdigit() or len(word[0]) > 3


def _bibliography(text: str, start: int, end: int) -> WorkRef | None:
    """A bibliography entry filling its line: "Roberts, Walter R. Title. Place: Press, 1973."."""
    if end - start > 600:
        return None
    number = _NOTE_NUMBER.match(text, start, end)
    if number:
        start = number.end()
    line = text[start:end].rstrip()
    comma = line.find(", ")
    if comma <= 0 or len(line.split(", ")[0].split()) > 4:
        return None
    family = line[:comma]
    if _surnames(family) is None or any(_INITIAL.fullmatch(t) for t in family.split()):
        return None
    surnames = [family.split()[-1]]
    tokens = [(m.start() + comma + 2, m.group(0)) for m in re.finditer(r"\S+", line[comma + 2 :])]
    given_end = _given_names_end(tokens, surnames)
    if given_end is None:
        return None
    rest_start = given_end
    while rest_start < len(line) and line[rest_start] == " ":
        rest_start += 1
    rest = line[rest_start:]
    if not rest or not (rest[0].isupper() or rest[0] in _OPENING_QUOTES):
        return None
    if rest[0] in _OPENING_QUOTES:
        closing = _closing(rest, 0, len(rest))
        if closing is None:
            return None
        title = rest[1:closing].strip().rstrip(",.").strip()
        published = rest[closing + 1 :]
    else:
        stop = _first_sentence_end(rest)
        if stop is None:
            return None
        title, published = rest[:stop], rest[stop + 1 :]
    years = _YEAR.findall(published)
    if not years or not _title_like(title):
        return None
    final = len(line.rstrip("."))
    author = line[:given_end]
    if not _INITIAL.fullmatch(author.split()[-1]):
        author = author.rstrip(".")
    return _ref(
        text, start, start + final, author,
        title, years[-1] if rest[0] not in _OPENING_QUOTES else years[0], "",
        tuple(surnames), "bibliography",
    )  # fmt: skip


def _given_names_end(tokens: list[tuple[int, str]], surnames: list[str]) -> int | None:
    """Where the given names after "Surname, " end ("Walter R." / "Jozo." / "Ladislaus, und
    Martin Broszat."), adding a co-author's surname; None if they are no given names."""
    for index, (position, token) in enumerate(tokens[:8]):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if _INITIAL.fullmatch(token):
            if not _INITIAL.fullmatch(following):
                return position + len(token)
        elif token.endswith(".") and _name_word(token[:-1]):
            return position + len(token)
        elif token.endswith(",") and following in _AND:
            if not (_name_word(token[:-1]) or _INITIAL.fullmatch(token[:-1])):
                return None
            return _co_author_end(tokens[index + 2 : index + 8], surnames)
        elif not (_name_word(token) or token in _PARTICLES):
            return None
    return None


def _co_author_end(tokens: list[tuple[int, str]], surnames: list[str]) -> int | None:
    for position, token in tokens:
        if token.endswith(".") and _name_word(token[:-1]):
            surnames.append(token[:-1])
            return position + len(token)
        if not (_name_word(token) or _INITIAL.fullmatch(token) or token in _PARTICLES):
            return None
    return None


def _first_sentence_end(rest: str) -> int | None:
    for match in re.finditer(r"\.(?= )", rest):
        if _sentence_end(rest, match.start(), len(rest)):
            return match.start()
    return None


def _ref(
    text: str,
    start: int,
    end: int,
    author: str,
    title: str,
    year: str,
    page: str,
    surnames: tuple[str, ...],
    style: str,
) -> WorkRef:
    while end > start and text[end - 1] in " ,;.":
        if text[end - 1] == "." and not _ends_with_full_stop(text, start, end):
            break
        end -= 1
    return WorkRef(start, end, text[start:end], author, title, year, page, surnames, style)


# ---------------------------------------------------------------- matching the catalog

_ARTICLES = {"the", "a", "an", "der", "die", "das", "le", "la", "les", "il", "el"}
_TITLE_STOP = _ARTICLES | {"and", "of", "in", "on", "und", "im", "i", "u", "de", "du", "des"}


def match_work(ref: WorkRef, catalog: Sequence[CatalogWork]) -> tuple[int, float] | None:
    """The catalog work `ref` cites and the score (0..1) of the match, or None under
    WORK_THRESHOLD. An author's surname and the title (shortened, subtitle dropped, spelled with
    or without accents) decide; the year adds when equal and takes away when both are known and
    differ. A title without an author matches only an (almost) exact title."""
    surnames = [_words(name) for name in ref.surnames]  # "Jelić-Butić" is two words
    year = ref.year[:4]
    best: tuple[int, float] | None = None
    tied = False
    for work in catalog:
        authors = {word for name in work.authors for word in _words(name)}
        if surnames and authors and not any(set(name) <= authors for name in surnames if name):
            continue
        if surnames and authors:
            score = _title_score(ref.title, work.title) if ref.title else 0.85
        elif ref.title:
            score = _exact_title_score(ref.title, work.title)
        else:
            continue
        if year and work.date[:4].isdigit():
            score += _YEAR_BONUS if work.date[:4] == year else -_YEAR_PENALTY
        elif not ref.title:
            score -= _UNCONFIRMED  # an author alone, no year to confirm it
        score = round(max(0.0, min(1.0, score)), 4)  # no float dust at the threshold
        if score < WORK_THRESHOLD:
            continue
        if best is None or score > best[1]:
            best, tied = (work.doc, round(score, 4)), False
        elif score == best[1] and work.doc != best[0]:
            tied = True
    if best is not None and tied and not ref.title:
        return None  # "(Roberts 1973)" with two works of Roberts's of 1973
    return best


def _words(text: str) -> list[str]:
    return [fold(word) for word in re.findall(r"\w+", text)]


def _title_score(cited: str, catalogued: str) -> float:
    ours, theirs = _words(cited), _words(catalogued)
    if not ours or not theirs:
        return 0.0
    if ours == theirs:
        return 1.0
    ours_bare, theirs_bare = _without_article(ours), _without_article(theirs)
    if theirs_bare[: len(ours_bare)] == ours_bare:
        return 0.97  # a shortened title, or the subtitle dropped
    if ours_bare[: len(theirs_bare)] == theirs_bare:
        return 0.95  # the catalog has the short title
    ours_content = [w for w in ours if w not in _TITLE_STOP]
    theirs_content = [w for w in theirs if w not in _TITLE_STOP]
    if not ours_content or not theirs_content:
        return 0.0
    return 0.95 * fuzz.token_set_ratio(" ".join(ours_content), " ".join(theirs_content)) / 100


def _exact_title_score(cited: str, catalogued: str) -> float:
    ours = " ".join(_without_article(_words(cited)))
    full = " ".join(_without_article(_words(catalogued)))
    main = " ".join(_without_article(_words(catalogued.split(":")[0])))
    if not ours:
        return 0.0
    if ours in (full, main):
        return 1.0 if ours == full else 0.95
    ratio = fuzz.ratio(ours, full) / 100
    return ratio if ratio >= 0.95 else 0.0


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in _ARTICLES else words
