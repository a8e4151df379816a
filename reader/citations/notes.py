"""An article's notes: the markers in its body, the notes they point at, and what each note cites.

Pure functions over an article's text (its pages joined by blank lines); spans are offsets into it.

- Markers are numbers set as articles print them: right after a closing quote mark or punctuation
  with no space ("day.”1", "knowledge,”3", "once.3", "bands.'12", "NOKW 1088.4"), in brackets
  ("[12]") or in superscript digits ("¹²"). Years, page numbers ("p.12"), document numbers
  ("NOKW 1088", "1919-PS", "T-501"), decimals ("3.5") and dates ("12.3.1943") are none.
- Notes stand at the end under a heading (Notes, Endnotes, Footnotes, Anmerkungen, Fußnoten,
  Napomene) or at a page's foot, each a line beginning "12. ", "12 ", "[12]", "¹²" or "12)".
  Unnumbered paragraphs under a Notes heading are numbered in order; a note at a page's foot
  counts only if a marker with its number came before it (or it continues a run of notes).
- A note cites identifiers, works and pages; "Ibid." (ibid., ebd., Isto, Ibidem, op. cit.,
  loc. cit., a. a. O.) takes the sources of the note before, with the new page where it gives one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from index.folding import fold
from reader.citations.works import (
    Locator,
    WorkRef,
    find_locators,
    find_works,
    pages_after,
    parse_pages,
)
from reader.identifiers import find_identifiers

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_VALUES = str.maketrans(_SUPERSCRIPTS, "0123456789")
_CLOSERS = "”“\"’‘'»«)]"
_PUNCTUATION = ".,;:!?"
# Words a number follows without being a note: "p.12", "S.4", "No.3", "fol.12", "Nr.7".
_ABBREVIATIONS = {
    "p", "pp", "s", "bl", "str", "fol", "fols", "f", "ff", "no", "nos", "nr", "vol", "vols", "ch",
    "art", "doc", "docs", "abs", "br", "sv", "bd", "n", "nn", "fig", "tab", "anm", "kap", "par",
    "para", "sec", "app", "dok", "reg", "op", "cit", "ed", "t", "v", "ll", "l", "r",
}  # fmt: skip
_MARKER = re.compile(
    rf"(?<=[{re.escape(_CLOSERS + _PUNCTUATION)}])(?P<digits>\d{{1,3}})(?![\w]|[.,:/\-–]\d)"
    r"|(?<![\w\[])\[(?P<bracket>\d{1,3})\](?![\w\]])"
    rf"|(?<![{_SUPERSCRIPTS}])(?P<sup>[{_SUPERSCRIPTS}]{{1,3}})(?![{_SUPERSCRIPTS}])"
)
_NOTE_START = re.compile(
    r"[ \t]*(?:(?P<dot>\d{1,3})[.)](?=\s)|\[(?P<bracket>\d{1,3})\]"
    rf"|(?P<sup>[{_SUPERSCRIPTS}]{{1,3}})|(?P<bare>\d{{1,3}})(?=[ \t]+\S))[ \t]*"
)
_MONTHS_AND_UNITS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "januar", "februar", "marz", "juni", "juli", "oktober",
    "dezember", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "km", "kilometres", "kilometers", "miles", "men", "percent", "per", "mai",
    "januara", "februara", "marta", "aprila", "maja", "juna", "jula", "avgusta", "septembra",
    "oktobra", "novembra", "decembra", "and", "or", "to", "of", "und", "bis", "i", "do",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
_HEADING = re.compile(
    r"\s*(?:\d{1,2}\.?\s+)?(?:notes?|end\s?notes|foot\s?notes|notes and references"
    r"|references and notes|anmerkungen|fu(?:ß|ss)noten|endnoten|napomene|bilje(?:š|s)ke"
    r"|primjedbe)\s*:?\s*",
    re.IGNORECASE,
)
_STOP_HEADING = re.compile(
    r"\s*(?:\d{1,2}\.?\s+)?(?:bibliography|references|works cited|sources|sources and literature"
    r"|select bibliography|further reading|literatur|literaturverzeichnis|quellen"
    r"|quellen und literatur|quellen- und literaturverzeichnis|izvori|literatura"
    r"|izvori i literatura|index|appendix|appendices|anhang|acknowledge?ments|about the authors?"
    r"|abstract|zusammenfassung|summary|rezime|sa(?:ž|z)etak|danksagung)\s*:?\s*",
    re.IGNORECASE,
)
_IBID = re.compile(
    r"(?<!\w)(?P<same>ibid(?:em)?\b\.?|ebd\.|ebenda\b|isto\b)"
    r"|(?<!\w)(?P<cited>op\.\s?cit\.?|loc\.\s?cit\.?|a\.\s?a\.\s?O\.|o\.\s?c\.)",
    re.IGNORECASE,
)
_HISTORY = 500  # sources remembered for "op. cit."


@dataclass(frozen=True)
class NoteMarker:
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    number: int
    start: int  # the note's text, after its number: text == article[start:end]
    end: int
    text: str


@dataclass(frozen=True)
class NoteMap:
    markers: list[NoteMarker]
    notes: dict[int, Note]
    text: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class Source:
    """One thing a note cites: a document by its identifier, or a work; and its pages."""

    identifier: str = ""  # canonical ("NOKW-1088"); "" for a work
    work: WorkRef | None = None
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class NoteSources:
    sources: tuple[Source, ...] = ()
    ibid: bool = False  # the note repeats sources cited before ("Ibid.", "op. cit.")
    history: tuple[Source, ...] = field(default=(), repr=False)  # all cited so far, last last

    @property
    def identifiers(self) -> list[str]:
        return list(dict.fromkeys(s.identifier for s in self.sources if s.identifier))

    @property
    def works(self) -> list[WorkRef]:
        return [s.work for s in self.sources if s.work is not None]

    @property
    def pages(self) -> list[int]:
        return list(dict.fromkeys(page for s in self.sources for page in s.pages))


# ---------------------------------------------------------------- markers and notes


def find_notes(text: str) -> NoteMap:
    """The note markers of an article's body and its notes (at the end or at page feet)."""
    lines = _lines(text)
    markers = _markers(text, [start for start, _ in lines])
    heading = _notes_heading(text, lines)
    notes: list[Note] = []
    if heading is not None:
        notes = _section_notes(text, lines[heading + 1 :])
    if not notes:
        notes = _foot_notes(text, lines, markers)
    by_number: dict[int, Note] = {}
    for note in notes:
        by_number.setdefault(note.number, note)
    spans = sorted((note.start, note.end) for note in notes)
    starts = [start for start, _ in spans]
    body_end = lines[heading][0] if heading is not None and notes else len(text)
    kept = [m for m in markers if m.start < body_end and not _inside(spans, starts, m.start)]
    return NoteMap(kept, by_number, text)


def note_at(notes: NoteMap, position: int, window: int = 3) -> int | None:
    """The note a citation ending at `position` belongs to: the one whose text holds it, or the
    one whose marker follows it within `window` characters (its closing mark and punctuation)."""
    for note in notes.notes.values():
        if note.start <= position <= note.end:
            return note.number
    starts = [marker.start for marker in notes.markers]
    index = bisect.bisect_left(starts, position)
    if index < len(notes.markers):
        marker = notes.markers[index]
        between = notes.text[position : marker.start] if notes.text else ""
        if marker.start - position <= window and "\n\n" not in between:
            return marker.number
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    return lines


def _markers(text: str, line_starts: list[int]) -> list[NoteMarker]:
    identifier_ends = {found.end for found in find_identifiers(text)}
    markers = []
    for match in _MARKER.finditer(text):
        if match.group("digits"):
            if not _after_text(text, match.start(), identifier_ends):
                continue
            number = int(match.group("digits"))
        elif match.group("bracket"):
            if _at_line_start(text, line_starts, match.start()):
                continue
            number = int(match.group("bracket"))
        else:
            if _at_line_start(text, line_starts, match.start()):
                continue
            number = int(match.group("sup").translate(_SUPERSCRIPT_VALUES))
        if number > 0:
            markers.append(NoteMarker(number, match.start(), match.end()))
    return markers


def _after_text(text: str, start: int, identifier_ends: set[int]) -> bool:
    """Whether the digits at `start` follow text as a marker does ("day.”1", "once.3")."""
    mark = text[start - 1]
    before = text[start - 2] if start >= 2 else ""
    if not before or before.isspace():
        return False
    if mark in _CLOSERS:
        return not (mark in "'’" and before.isdigit())
    if before.isdigit():
        return start - 1 in identifier_ends  # "NOKW 1088.4", never "3.5" or "12.3.1943"
    if before.isalpha():
        word_start = start - 2
        while word_start > 0 and start - word_start < 30 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start : start - 1]
        return len(word) > 1 and fold(word) not in _ABBREVIATIONS
    return before in _CLOSERS or before in _PUNCTUATION


def _at_line_start(text: str, line_starts: list[int], start: int) -> bool:
    line_start = line_starts[bisect.bisect_right(line_starts, start) - 1]
    return start - line_start < 20 and not text[line_start:start].strip()


def _notes_heading(text: str, lines: list[tuple[int, int]]) -> int | None:
    """The line of the last Notes heading."""
    for index in range(len(lines) - 1, -1, -1):
        start, end = lines[index]
        if end - start <= 40 and _HEADING.fullmatch(text, start, end):
            return index
    return None


def _note_start(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The number a line begins with as a note does, and where the note's text begins."""
    first = text[start : start + 1]
    if not (first.isdigit() or first in _SUPERSCRIPTS or first in "[ \t"):
        return None
    match = _NOTE_START.match(text, start, end)
    if match is None or match.end() >= end:
        return None
    written = match.group("dot") or match.group("bracket") or match.group("bare")
    number = int(written) if written else int(match.group("sup").translate(_SUPERSCRIPT_VALUES))
    if number == 0:
        return None
    if match.group("bare") or match.group("dot"):
        word = _WORD.match(text, match.end(), min(end, match.end() + 20))
        if word and fold(word.group(0)) in _MONTHS_AND_UNITS:
            return None  # "12 March 1943", "3 km", "12. Mai"
    return number, match.end()


def _section_notes(text: str, lines: list[tuple[int, int]]) -> list[Note]:
    """The notes under a Notes heading, until the next heading (Bibliography, Index, ...)."""
    section = []
    for start, end in lines:
        if end - start <= 60 and _STOP_HEADING.fullmatch(text, start, end):
            break
        section.append((start, end))
    numbered = any(_note_start(text, start, end) for start, end in section)
    notes: list[Note] = []
    if not numbered:
        for start, end in _paragraphs(text, section):
            if not text[start:end].strip().isdigit():  # a page number
                notes.append(_note(text, len(notes) + 1, start, end))
        return notes
    current: tuple[int, int, int] | None = None  # number, start, end
    for start, end in section:
        found = _note_start(text, start, end)
        last = current[0] if current else None
        if found and (last is None or last < found[0] <= last + 20):
            if current:
                notes.append(_note(text, *current))
            current = (found[0], found[1], end)
        elif current and text[start:end].strip() and not text[start:end].strip().isdigit():
            current = (current[0], current[1], end)
    if current:
        notes.append(_note(text, *current))
    return notes


def _foot_notes(text: str, lines: list[tuple[int, int]], markers: list[NoteMarker]) -> list[Note]:
    """Notes at page feet: a numbered line whose marker came before it, and the lines of its
    paragraph after it."""
    notes: list[Note] = []
    pending: dict[int, int] = {}
    next_marker = 0
    current: tuple[int, int, int] | None = None
    for start, end in lines:
        while next_marker < len(markers) and markers[next_marker].start < start:
            if current is None or markers[next_marker].start > current[2]:
                number = markers[next_marker].number
                pending[number] = pending.get(number, 0) + 1
            next_marker += 1
        found = _note_start(text, start, end)
        continues = current is not None and found is not None and found[0] == current[0] + 1
        if found and (pending.get(found[0]) or continues):
            if current:
                notes.append(_note(text, *current))
            if pending.get(found[0]):
                pending[found[0]] -= 1
            current = (found[0], found[1], end)
        elif current and text[start:end].strip():
            current = (current[0], current[1], end)
        elif current:
            notes.append(_note(text, *current))
            current = None
    if current:
        notes.append(_note(text, *current))
    return notes


def _paragraphs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    paragraphs: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in lines:
        if text[start:end].strip():
            current = (current[0], end) if current else (start, end)
        elif current:
            paragraphs.append(current)
            current = None
    if current:
        paragraphs.append(current)
    return paragraphs


def _note(text: str, number: int, start: int, end: int) -> Note:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Note(number, start, end, text[start:end])


def _inside(spans: list[tuple[int, int]], starts: list[int], position: int) -> bool:
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


# ---------------------------------------------------------------- what a note cites


def parse_note(text: str, previous: NoteSources | None) -> NoteSources:
    """What the note `text` cites: identifiers, works and their pages; "Ibid." and its kin take
    the previous note's sources (with the page the note gives), "Roberts, op. cit." the last work
    of Roberts's cited before."""
    history = previous.history if previous else ()
    works = find_works(text)
    cited: list[tuple[int, int, Source]] = []  # start, end, source
    for work in works:
        cited.append((work.start, work.end, Source(work=work, pages=work.pages)))
    for found in find_identifiers(text):
        if not any(w.start <= found.start < w.end for w in works):
            cited.append((found.start, found.end, Source(identifier=found.canonical)))
    repeated = _IBID.search(text)
    if repeated is not None and (repeated.group("cited") or _repeats(text, repeated)):
        base = _repeated_sources(text, repeated, previous, history)
        if base:
            cited = [c for c in cited if not c[0] <= repeated.start() < c[1]]
            cited.append((repeated.start(), repeated.end(), Source(identifier="\x00")))
    cited.sort(key=lambda c: c[0])
    locators = [
        locator
        for locator in find_locators(text)
        if not any(w.start <= locator.start < w.end for w in works)
    ]
    sources: list[Source] = []
    fresh: list[Source] = []
    ibid = False
    for index, (_start, end, source) in enumerate(cited):
        following = cited[index + 1][0] if index + 1 < len(cited) else len(text)
        pages = _pages_between(text, end, following, locators)
        if source.identifier == "\x00" and repeated is not None:
            ibid = True
            for earlier in _repeated_sources(text, repeated, previous, history):
                sources.append(replace(earlier, pages=pages or earlier.pages))
            continue
        if pages and not source.pages:
            source = replace(source, pages=pages)
        sources.append(source)
        fresh.append(source)
    return NoteSources(tuple(sources), ibid, (history + tuple(fresh))[-_HISTORY:])


def _repeats(text: str, match: re.Match[str]) -> bool:
    """ "Isto" is "the same" in a sentence; as a note's reference it opens the note."""
    if fold(match.group("same")).rstrip(".") != "isto":
        return True
    return not text[: match.start()].strip(" \t\n([")


def _repeated_sources(
    text: str, match: re.Match[str], previous: NoteSources | None, history: tuple[Source, ...]
) -> list[Source]:
    if previous is None:
        return []
    if match.group("cited"):
        # "Roberts, op. cit., p. 110": the last work of Roberts's cited before.
        before = text[max(0, match.start() - 80) : match.start()]
        names = re.findall(r"[^\W\d_][\w'’-]+", before.split(";")[-1])
        if names:
            surname = fold(names[-1])
            for source in reversed(history):
                if source.work and surname in {fold(s) for s in source.work.surnames}:
                    return [source]
    if previous.sources:
        return list(previous.sources)
    return list(history[-1:])


def _pages_between(text: str, start: int, end: int, locators: list[Locator]) -> tuple[int, ...]:
    """The pages cited between a source and the next: "p. 2", or "Ibid., 45" bare."""
    for locator in locators:
        if start <= locator.start < end:
            return tuple(locator.pages)
    bare = pages_after(text, start, end)
    if bare is not None:
        return parse_pages(bare[0])
    return ()
