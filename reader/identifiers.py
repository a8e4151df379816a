"""Archival identifiers: finding them in text and writing them in one canonical form.

Nuremberg document codes ("NOKW 1088", "Doc. NO-3012", "1919-PS"), record groups ("Record
Group 238", "USHMM, RG-49.006M"), captured-records microfilm ("T-501, roll 255"), Bundesarchiv
signatures, the Foreign Office's files, trial volumes and the Zbornik are written many ways; the
canonical form ("NOKW-1088", "RG-238", "T-501/R-255") is what the catalog stores and matches.
The schemes are data (reader/identifier_schemes.toml, read by reader.schemes); a library may add
its own. `variants_matcher` finds identifiers a catalog already knows in their written variants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reader.schemes import (
    REACH_BEFORE,
    Scheme,
    SchemeTable,
    builtin_schemes,
    format_canonical,
    key_regex,
    load_schemes,
)

__all__ = [
    "FoundIdentifier",
    "KnownMatcher",
    "canonicalize",
    "find_identifiers",
    "identifiers_in_filename",
    "load_schemes",
    "unique_canonical",
    "variants_matcher",
]

# A range ("NOKW-1088 to 1091") names at most this many documents; a longer one is no range.
MAX_RANGE = 50
# A locator range ("F. 480–89", "pp. 456–57") is spelled out up to this many numbers;
# a longer one is kept as its first and last.
MAX_LOCATORS = 500


@dataclass(frozen=True)
class FoundIdentifier:
    """One document named in text. `start`/`end`/`text`: the written part that names it: the
    whole reference ("NOKW-1088", "T-501, roll 264, frame 485"), or in a list the part that names
    this document ("NOKW-1088, -1090": "NOKW-1088", then "1090"); the documents of a range
    ("NOKW-1088 to 1091") all carry the span of the whole range. Locators written with it:
    `pages` (page or folio), `frames` (microfilm frames), `items` (a numbered document in an
    edition: "dok. 45"); ranges are spelled out."""

    scheme: str
    value: str
    canonical: str
    start: int
    end: int
    text: str
    archive: str = ""
    pages: tuple[int, ...] = ()
    frames: tuple[int, ...] = ()
    items: tuple[int, ...] = ()


KnownMatcher = Callable[[str], list[FoundIdentifier]]


def find_identifiers(
    text: str, known: KnownMatcher | None = None, *, schemes: SchemeTable | None = None
) -> list[FoundIdentifier]:
    """Every identifier in `text`, in order of appearance. Of overlapping references the one
    starting first is kept, at the same start the longer; a range or list gives one
    FoundIdentifier per document. `known` (from variants_matcher) adds the catalog's own
    identifiers in any spelling; `schemes` defaults to the built-in table."""
    table = schemes if schemes is not None else builtin_schemes()
    candidates = _scheme_references(text, table)
    if known is not None:
        order = len(table.schemes)
        for found in known(text):
            candidates.append(_Reference(found.start, found.end, order, (found,)))
    candidates.sort(key=lambda r: (r.start, -(r.end - r.start), r.order))
    result: list[FoundIdentifier] = []
    last_end = -1
    for reference in candidates:
        if reference.start < last_end:
            continue
        result.extend(reference.found)
        last_end = reference.end
    return result


def unique_canonical(found: list[FoundIdentifier]) -> list[FoundIdentifier]:
    seen: set[str] = set()
    result = []
    for item in found:
        if item.canonical not in seen:
            seen.add(item.canonical)
            result.append(item)
    return result


def canonicalize(reference: str, *, schemes: SchemeTable | None = None) -> str | None:
    """The canonical form of a reference typed by a user ("nokw 1088" -> "NOKW-1088")."""
    cleaned = reference.strip()
    for candidate in (cleaned, cleaned.upper()):
        found = find_identifiers(candidate, schemes=schemes)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate):
            return found[0].canonical
    return None


def identifiers_in_filename(
    stem: str, *, schemes: SchemeTable | None = None
) -> list[FoundIdentifier]:
    """Identifiers in a file name: "nokw_1088_p1" and "NOKW-1088" both give NOKW-1088."""
    spaced = re.sub(r"[_+]+", " ", stem)
    return unique_canonical(find_identifiers(spaced.upper(), schemes=schemes))


# ---------------------------------------------------------------- schemes


@dataclass(frozen=True)
class _Reference:
    start: int
    end: int
    order: int  # the scheme's place in the table: the earlier wins a tie
    found: tuple[FoundIdentifier, ...]


_START = re.compile(r"\b\w")


def _scheme_references(text: str, table: SchemeTable) -> list[_Reference]:
    """The matches of every scheme whose keys occur: its patterns tried at each start of a
    word up to `REACH_BEFORE` characters before a key, a match kept if
    it holds the key (see reader.schemes). Keyless schemes are searched everywhere."""
    references: list[_Reference] = []
    tried: set[tuple[int, int]] = set()  # (scheme, start)
    for key_start, key_end, owners in table.key_hits(text):
        starts = [
            m.start()
            for m in _START.finditer(text, max(0, key_start - REACH_BEFORE), key_start + 1)
        ]
        for index in owners:
            scheme = table.schemes[index]
            for start in starts:
                if (index, start) in tried:
                    continue
                if scheme.probe is not None and scheme.probe.match(text, start) is None:
                    continue
                for pattern in scheme.patterns:
                    match = pattern.match(text, start)
                    if match is not None and match.end() >= key_end:
                        tried.add((index, start))
                        reference = _reference(text, scheme, index, match)
                        if reference is not None:
                            references.append(reference)
    for index in table.keyless:
        scheme = table.schemes[index]
        for pattern in scheme.patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    reference = _reference(text, scheme, index, match)
                    if reference is not None:
                        references.append(reference)
    return references


_TAIL = re.compile(
    r"(?P<list>\s?/\s?(?P<slash>\d{2,5})(?![\w/])|,\s?[-‐‑–—](?P<item>\d{1,5})(?!\w)"
    r"|\s(?:and|und|i|et)\s[-‐‑–—](?P<and>\d{1,5})(?!\w))"
    r"|(?P<range>(?:\s(?:to|bis|do|through|thru)\s|\s?[-‐‑–—]\s?)(?P<last>\d{1,5})(?![\w/.,-]\d|\w))"
)


def _reference(text: str, scheme: Scheme, order: int, match: re.Match[str]) -> _Reference | None:
    groups = match.groupdict()
    canonical = _canonical(scheme, groups)
    if canonical is None:
        return None
    pages = _locators(groups, "page")
    frames = _locators(groups, "frame")
    items = _locators(groups, "item")
    first = _identifier(scheme, canonical, groups, match.start(), match.end(), text)
    first = _with(first, pages, frames, items)
    found = [first]
    end = match.end()
    number = groups.get("number")
    if scheme.ranges and number is not None and match.end("number") >= match.end() - 1:
        end = _continued(text, scheme, groups, match, found)
    return _Reference(match.start(), end, order, tuple(found))


def _continued(
    text: str,
    scheme: Scheme,
    groups: dict[str, str | None],
    match: re.Match[str],
    found: list[FoundIdentifier],
) -> int:
    """The documents a range or list adds after its first ("/1090", " to 1091", ", -1092");
    where the reference ends."""
    position = match.end()
    previous = int(groups["number"] or "0")
    whole_start = match.start()
    while True:
        tail = _TAIL.match(text, position)
        if tail is None:
            return position
        if tail.group("list"):
            written = tail.group("slash") or tail.group("item") or tail.group("and")
            value = _abbreviated(previous, written)
            if value is None or value == previous:
                return position
            number_start = tail.end() - len(written)
            canonical = _canonical(scheme, {**groups, "number": str(value), "suffix": ""})
            if canonical is None:
                return position
            found.append(_identifier(scheme, canonical, groups, number_start, tail.end(), text))
            previous = value
        else:
            last = _abbreviated(previous, tail.group("last"))
            if last is None or not previous < last <= previous + MAX_RANGE:
                return position
            members = []
            for value in range(previous + 1, last + 1):
                canonical = _canonical(scheme, {**groups, "number": str(value), "suffix": ""})
                if canonical is None:
                    return position
                members.append(canonical)
            # The whole range names each of its documents, the first included.
            head = found[-1]
            span_start = head.start if len(found) > 1 else whole_start
            found[-1] = _identifier(scheme, head.canonical, groups, span_start, tail.end(), text)
            found[-1] = _with(found[-1], head.pages, head.frames, head.items)
            for canonical in members:
                found.append(_identifier(scheme, canonical, groups, span_start, tail.end(), text))
            previous = last
        position = tail.end()


def _abbreviated(previous: int, written: str) -> int | None:
    """ "1088–91" ends at 1091: a shorter number replaces the last digits of the one before."""
    if not written.isdigit():
        return None
    before = str(previous)
    if len(written) < len(before):
        return int(before[: len(before) - len(written)] + written)
    return int(written)


def _canonical(scheme: Scheme, groups: dict[str, str | None]) -> str | None:
    for template in scheme.canonical:
        canonical = format_canonical(template, groups)
        if canonical is not None:
            return canonical
    return None


def _identifier(
    scheme: Scheme,
    canonical: str,
    groups: dict[str, str | None],
    start: int,
    end: int,
    text: str,
) -> FoundIdentifier:
    label = scheme.label
    if "{" in label:
        label = format_canonical(label, groups) or scheme.name
    value = canonical[len(label) + 1 :] if canonical.startswith(f"{label}-") else canonical
    return FoundIdentifier(
        label, value, canonical, start, end, text[start:end], archive=scheme.archive
    )


def _with(
    found: FoundIdentifier,
    pages: tuple[int, ...],
    frames: tuple[int, ...],
    items: tuple[int, ...],
) -> FoundIdentifier:
    if not (pages or frames or items):
        return found
    return FoundIdentifier(
        found.scheme,
        found.value,
        found.canonical,
        found.start,
        found.end,
        found.text,
        found.archive,
        pages,
        frames,
        items,
    )


def _locators(groups: dict[str, str | None], name: str) -> tuple[int, ...]:
    first = groups.get(name)
    if first is None or not first.isdigit():
        return ()
    start = int(first)
    last_written = groups.get(f"{name}_end")
    if last_written is None:
        return (start,)
    last = _abbreviated(start, last_written)
    if last is None or last <= start:
        return (start,)
    if last - start >= MAX_LOCATORS:
        return (start, last)
    return tuple(range(start, last + 1))


# ---------------------------------------------------------------- identifiers the catalog knows

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# What may stand between two parts of a known identifier as written: spaces, dashes, dots,
# slashes, a colon; at most a few characters of them.
_SEPARATOR = re.compile(r"[\s.\-‐‑–—_/:]{0,3}")
_NUMBER_WORDS = frozenset({"nr", "no", "n"})


def _tokens(text: str) -> list[str]:
    return [_token_key(token) for token in _TOKEN.findall(text)]


def _token_key(token: str) -> str:
    return str(int(token)) if token.isdigit() else token.casefold()


def variants_matcher(canonicals: Iterable[str]) -> KnownMatcher:
    """A function finding every identifier of `canonicals` in a text, however it is written:
    its letters in any case, its parts run together or apart by spaces, dashes, dots or
    slashes, numbers with leading zeros, "Nr."/"No." before a number ("Box 7/12", "box 7-12",
    "ZStL 503 AR 1234/65", "ZStL 503 AR Nr. 1234/65"). A match must begin and end between words.
    One scan of the text for the identifiers' first words (a trie-shaped expression), then at
    each the words that follow compared with those of the identifiers starting so: linear in
    the text, whatever the size of the catalog."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for canonical in dict.fromkeys(canonicals):
        tokens = tuple(_tokens(canonical))
        if tokens:
            table.setdefault(tokens[0], []).append((tokens, canonical))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))  # the longest first
    longest = max((len(tokens) for e in table.values() for tokens, _ in e), default=0)
    words = [key for key in table if not key.isdigit()]
    numbers = [key for key in table if key.isdigit()]
    alternatives = []
    if words:
        alternatives.append(f"(?:{key_regex(words)})(?![^\\W\\d_])")
    if numbers:
        alternatives.append(f"0*(?:{key_regex(numbers)})(?!\\d)")
    pattern = "|".join(alternatives)
    # Scanned in the text in lower case (a case-sensitive scan is the fast one), or where
    # lower-casing changes the text's length, in any case.
    first = re.compile(pattern) if alternatives else None
    first_any_case = re.compile(pattern, re.IGNORECASE) if alternatives else None

    def match(text: str) -> list[FoundIdentifier]:
        if first is None or first_any_case is None:
            return []
        result: list[FoundIdentifier] = []
        done = 0
        lowered = text.lower()
        hits = (
            first.finditer(lowered) if len(lowered) == len(text) else first_any_case.finditer(text)
        )
        for hit in hits:
            start = hit.start()
            if start < done or _glued(text, start, before=True):
                continue
            # The words from here on, as many as the longest identifier (and its "Nr.") needs.
            words = []
            for word in _TOKEN.finditer(text, start):
                words.append((word.start(), word.end(), _token_key(word.group())))
                if len(words) >= 2 * longest:
                    break
            for tokens, canonical in table.get(words[0][2], ()) if words else ():
                last = _match_tokens(text, words, 0, tokens)
                if last is not None and not _glued(text, words[last][1], before=False):
                    end = words[last][1]
                    result.append(
                        FoundIdentifier("known", canonical, canonical, start, end, text[start:end])
                    )
                    done = end
                    break
        return result

    return match


def _match_tokens(
    text: str, words: list[tuple[int, int, str]], index: int, tokens: tuple[str, ...]
) -> int | None:
    """The index of the last word of `tokens` written from words[index] on, or None."""
    position = index
    for number, token in enumerate(tokens):
        if number:
            position += 1
            # "Nr." or "No." may stand before a number.
            if (
                position < len(words)
                and words[position][2] in _NUMBER_WORDS
                and token.isdigit()
                and not words[position - 1][2].isdigit()
                and _between(text, words[position - 1][1], words[position][0])
            ):
                position += 1
            if position >= len(words):
                return None
            if not _between(text, words[position - 1][1], words[position][0]):
                return None
        if words[position][2] != token:
            return None
    return position


def _between(text: str, end: int, start: int) -> bool:
    return start - end <= 3 and _SEPARATOR.fullmatch(text, end, start) is not None


def _glued(text: str, position: int, before: bool) -> bool:
    """Whether a letter or digit touches `position` from outside the match."""
    if before:
        return position > 0 and text[position - 1].isalnum()
    return position < len(text) and text[position].isalnum()
