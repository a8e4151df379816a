"""Identifier schemes as data: the table shipped in reader/identifier_schemes.toml and a
library's own `identifier_schemes.toml`, in the same format.

A scheme is one `[[scheme]]` table:

    [[scheme]]
    name = "nuremberg"                  # unique over the built-in and the library's schemes
    archive = "Nuremberg trials"        # who holds what it names
    label = "{series|upper}"            # optional: FoundIdentifier.scheme (default: the name)
    keys = ["NOKW", "NO"]               # optional: words one of which every match contains
    ignore_case = false                 # optional: patterns and keys in any case
    ranges = false                      # optional: "NOKW-1088/1090", "... to 1091", ", -1092"
    patterns = ['''(?P<series>NOKW)[- ](?P<number>\\d{1,5})''']
    canonical = ["{series}-{number|int}"]   # one format, or several: the first whose groups
                                            # all took part in the match is used
    examples = [{ written = "NOKW 1088", canonical = "NOKW-1088" }]
    near_misses = ["NOKW1088"]

Canonical formats name the patterns' groups as `{group}` or `{group|filter|...}`; the filters
are `int` (leading zeros dropped), `upper`, `lower`, `roman` (a volume in upper-case roman
numerals, from roman or arabic), `arabic` (a volume in arabic numerals, from roman or arabic)
and `dash` (spaces after a dot dropped, other runs of spaces made one "-").
Groups with a meaning of their own: `number` (what a range continues), `page`/`page_end`,
`frame`/`frame_end`, `item`/`item_end` (the locators written with an identifier).

Keys make detection fast: one scan of the text finds the keys (case-sensitively; with
`ignore_case` also in upper case and capitalised, not in lower case), and a scheme's patterns
are tried only at the starts of words from `REACH_BEFORE` characters before one of its keys
up to the key. So a match must contain one of its scheme's keys as a word of its own (no
letter on either side) and start at the beginning of a word (a letter, digit or "_" with none
before it) at most `REACH_BEFORE` characters before the key. A scheme without keys is searched
through the whole text, which costs a pass over the text per pattern.

Patterns are checked for unbounded backtracking, conservatively: a group repeated more than
once (`*`, `+`, `{2,}`, `{1,5}`) may hold neither another such repeat (`(a+)+`, `(\\w*)*`,
`(?:\\s\\w+)*`) nor an alternation (`(?:a|ab)+`); `?` and `{0,1}` are no repeats. Write
`(?:-\\d+)?(?:-\\d+)?` instead of `(?:-\\d+){0,2}`. Back-references are refused too.

Errors in a scheme file are `SchemeError`s naming the file and the line of the scheme's
`[[scheme]]` header (tomllib gives no line numbers for values, so the headers are counted in
the file's text).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

REACH_BEFORE = 24

FILE_NAME = "identifier_schemes.toml"
FILTERS = ("int", "upper", "lower", "roman", "arabic", "dash")
_REQUIRED = ("name", "archive", "patterns", "canonical")
_OPTIONAL = ("label", "keys", "ignore_case", "ranges", "examples", "near_misses")
_FIELD = re.compile(r"\{(\w+)((?:\|\w+)*)\}")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*scheme[ \t]*\]\]", re.MULTILINE)
_NAME = re.compile(r"^[^\W\d_][\w.-]*$")


class SchemeError(ValueError):
    """A scheme file that cannot be used: `path`, `line` (1-based; 0 if unknown), message."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Example:
    written: str
    canonicals: tuple[str, ...]
    pages: tuple[int, ...] | None = None
    frames: tuple[int, ...] | None = None
    items: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Scheme:
    name: str
    archive: str
    patterns: tuple[re.Pattern[str], ...]
    canonical: tuple[str, ...]
    label: str = ""
    keys: tuple[str, ...] = ()
    ignore_case: bool = False
    ranges: bool = False
    examples: tuple[Example, ...] = ()
    near_misses: tuple[str, ...] = ()
    source: str = ""  # the file it comes from
    line: int = 0  # the line of its [[scheme]] header
    builtin: bool = False
    # All patterns in one, without their group names: where it fails to match, none would.
    probe: re.Pattern[str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SchemeTable:
    """The compiled table: schemes in order (built-in first) and where their keys lead."""

    schemes: tuple[Scheme, ...]
    # Every spelling of every key, searched case-sensitively, to the schemes it belongs to.
    keys: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    # Schemes with no keys: their patterns run over the whole text.
    keyless: tuple[int, ...] = field(init=False, repr=False, compare=False)
    key_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys: dict[str, list[int]] = {}
        keyless = []
        for index, scheme in enumerate(self.schemes):
            if not scheme.keys:
                keyless.append(index)
            for key in scheme.keys:
                spellings = {key}
                if scheme.ignore_case:
                    # Not in lower case: a key of small letters ("t") would stop the scan at
                    # nearly every letter. A scheme lists such spellings itself if it must.
                    spellings |= {key.upper(), key.title(), key.capitalize()}
                for spelling in spellings:
                    owners = keys.setdefault(spelling, [])
                    if index not in owners:
                        owners.append(index)
        object.__setattr__(self, "keys", {k: tuple(v) for k, v in keys.items()})
        object.__setattr__(self, "keyless", tuple(keyless))
        # One trie of literals: re finds their first letters by a character set, so the scan
        # costs about one pass over the text.
        pattern = re.compile(key_regex(list(keys))) if keys else None
        object.__setattr__(self, "key_pattern", pattern)

    def by_name(self, name: str) -> Scheme:
        for scheme in self.schemes:
            if scheme.name == name:
                return scheme
        raise KeyError(name)

    def key_hits(self, text: str) -> Iterator[tuple[int, int, tuple[int, ...]]]:
        """(start, end, scheme indexes) of every key standing as a word of its own."""
        if self.key_pattern is None:
            return
        for match in self.key_pattern.finditer(text):
            start, end = match.span()
            if start and text[start - 1].isalpha():
                continue
            if end < len(text) and text[end].isalpha():
                # "NOKW" in "NOKWA": a longer key at the same place may still stand alone.
                continue
            yield start, end, self.keys[match.group()]


@cache
def builtin_schemes() -> SchemeTable:
    """The table shipped with the app."""
    source = resources.files("reader").joinpath(FILE_NAME)
    text = source.read_text(encoding="utf-8")
    return SchemeTable(tuple(_parse(text, f"reader/{FILE_NAME}", builtin=True)))


def load_schemes(extra: Path | None = None) -> SchemeTable:
    """The built-in table, with a library's own schemes from `extra` (a scheme file; a path
    that does not exist adds nothing). Raises SchemeError naming the file and line for a bad
    pattern, a missing or unknown field, a duplicate name or a name of a built-in scheme."""
    table = builtin_schemes()
    if extra is None or not extra.exists():
        return table
    try:
        text = extra.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemeError(extra, 0, f"cannot read the scheme file: {error}") from error
    added = _parse(text, str(extra), builtin=False)
    builtin = {scheme.name.lower(): scheme for scheme in table.schemes}
    for scheme in added:
        clash = builtin.get(scheme.name.lower())
        if clash is not None:
            raise SchemeError(
                extra,
                scheme.line,
                f"scheme {scheme.name!r} has the name of a built-in scheme "
                f"({clash.source}:{clash.line}); choose another name",
            )
    return SchemeTable(table.schemes + tuple(added))


def check_pattern(pattern: str) -> str | None:
    """Why `pattern` is refused (a message), or None: it does not compile, or it could
    backtrack without bound (see the module's documentation)."""
    try:
        parsed = sre_parse.parse(pattern)
        re.compile(pattern)
    except re.error as error:
        return f"pattern {pattern!r} is no regular expression: {error}"
    problem = _backtracking(parsed, inside_repeat=False)
    if problem is not None:
        return f"pattern {pattern!r} could backtrack without bound: {problem}"
    return None


def _backtracking(items: Any, inside_repeat: bool) -> str | None:
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, body = av
            repeats = high is sre_parse.MAXREPEAT or high > 1
            if repeats and inside_repeat:
                return "a repeated group holds another repeat (like (a+)+ or (\\w*)*)"
            if repeats and _has_branch(body):
                return "a repeated group holds an alternation (like (a|ab)+)"
            found = _backtracking(body, inside_repeat or repeats)
            if found:
                return found
        elif name == "SUBPATTERN":
            found = _backtracking(av[-1], inside_repeat)
            if found:
                return found
        elif name == "BRANCH":
            for branch in av[1]:
                found = _backtracking(branch, inside_repeat)
                if found:
                    return found
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _backtracking(av[1], inside_repeat)
            if found:
                return found
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "back-references are not allowed"
    return None


def _has_branch(items: Any) -> bool:
    for op, av in items:
        name = str(op)
        if name == "BRANCH":
            return True
        if name == "SUBPATTERN" and _has_branch(av[-1]):
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and _has_branch(av[2]):
            return True
    return False


def template_groups(template: str) -> list[str]:
    return [m.group(1) for m in _FIELD.finditer(template)]


@cache
def _template_parts(template: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(literal text before, group, filters) for each {group|filter} of a template; the text
    after the last one as a last part with no group."""
    parts = []
    position = 0
    for match in _FIELD.finditer(template):
        filters = tuple(match.group(2).split("|")[1:])
        parts.append((template[position : match.start()], match.group(1), filters))
        position = match.end()
    parts.append((template[position:], "", ()))
    return tuple(parts)


def format_canonical(template: str, groups: dict[str, str | None]) -> str | None:
    """`template` filled from `groups`; None if a group it names took no part in the match."""
    result: list[str] = []
    for literal, group, filters in _template_parts(template):
        result.append(literal)
        if not group:
            continue
        value = groups.get(group)
        if value is None:
            return None
        for name in filters:
            value = _FILTER_FUNCTIONS[name](value)
        result.append(value)
    return "".join(result)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int | None:
    """An arabic or (well-formed) roman numeral's value."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    upper = text.upper()
    if not upper or any(c not in _ROMAN for c in upper):
        return None
    total = 0
    for index, char in enumerate(upper):
        value = _ROMAN[char]
        following = _ROMAN[upper[index + 1]] if index + 1 < len(upper) else 0
        total += -value if value < following else value
    return total if total > 0 and _to_roman(total) == upper else None


def _to_roman(value: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    result = []
    for amount, numeral in numerals:
        while value >= amount:
            result.append(numeral)
            value -= amount
    return "".join(result)


def _roman(text: str) -> str:
    value = roman_value(text)
    return _to_roman(value) if value else text.upper()


def _arabic(text: str) -> str:
    value = roman_value(text)
    return str(value) if value is not None else text


def _int(text: str) -> str:
    return (text.lstrip("0") or "0") if text.isdigit() else text


def _dash(text: str) -> str:
    return re.sub(r"\s+", "-", re.sub(r"\.\s+", ".", text.strip()))


_FILTER_FUNCTIONS = {
    "int": _int,
    "upper": str.upper,
    "lower": str.lower,
    "roman": _roman,
    "arabic": _arabic,
    "dash": _dash,
}


# ---------------------------------------------------------------- reading a scheme file


def _header_lines(text: str) -> list[int]:
    return [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]


def _parse(text: str, source: str, builtin: bool) -> list[Scheme]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SchemeError(source, _error_line(str(error)), f"not valid TOML: {error}") from None
    unknown = set(data) - {"scheme"}
    if unknown:
        raise SchemeError(
            source, 0, f"unknown top-level key(s) {', '.join(sorted(unknown))}: only [[scheme]]"
        )
    tables = data.get("scheme", [])
    if not isinstance(tables, list):
        raise SchemeError(source, 0, "schemes are written as [[scheme]] tables")
    lines = _header_lines(text)
    schemes: list[Scheme] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else 0
        scheme = _scheme(table, source, line, builtin)
        lowered = scheme.name.lower()
        if lowered in seen:
            raise SchemeError(
                source,
                line,
                f"scheme {scheme.name!r} is defined twice (first at line {seen[lowered]})",
            )
        seen[lowered] = line
        schemes.append(scheme)
    return schemes


def _error_line(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 0


def _scheme(table: Any, source: str, line: int, builtin: bool) -> Scheme:
    def fail(message: str) -> SchemeError:
        name = table.get("name") if isinstance(table, dict) else None
        prefix = f"scheme {name!r}: " if isinstance(name, str) else "scheme: "
        return SchemeError(source, line, prefix + message)

    if not isinstance(table, dict):
        raise fail("a [[scheme]] must be a table")
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}")
    unknown = set(table) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}")
    name = _string(table, "name", fail)
    if not _NAME.match(name):
        raise fail("a name starts with a letter and holds letters, digits, '.', '_', '-'")
    archive = _string(table, "archive", fail)
    label = _string(table, "label", fail) if "label" in table else name
    ignore_case = _bool(table, "ignore_case", fail)
    ranges = _bool(table, "ranges", fail)
    sources = _strings(table, "patterns", fail)
    if not sources:
        raise fail("no patterns")
    patterns = []
    groups: set[str] = set()
    for pattern in sources:
        problem = check_pattern(pattern)
        if problem is not None:
            raise fail(problem)
        compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        if compiled.match(""):
            raise fail(f"pattern {pattern!r} matches the empty string")
        groups |= set(compiled.groupindex)
        patterns.append(compiled)
    canonical = _strings(table, "canonical", fail)
    if not canonical:
        raise fail("no canonical format")
    for template in [*canonical, label]:
        for match in _FIELD.finditer(template):
            if match.group(1) not in groups:
                raise fail(f"format {template!r} names a group no pattern has: {match.group(1)}")
            for filter_name in match.group(2).split("|")[1:]:
                if filter_name not in FILTERS:
                    raise fail(
                        f"format {template!r}: unknown filter {filter_name!r} "
                        f"(known: {', '.join(FILTERS)})"
                    )
        if "{" in _FIELD.sub("", template) or "}" in _FIELD.sub("", template):
            raise fail(f"format {template!r}: a brace that opens no {{group}}")
    keys = _strings(table, "keys", fail) if "keys" in table else []
    if any(not key.strip() for key in keys):
        raise fail("an empty key")
    examples = tuple(_example(item, fail) for item in table.get("examples", []))
    near_misses = tuple(_strings(table, "near_misses", fail)) if "near_misses" in table else ()
    return Scheme(
        probe=_probe(sources, ignore_case),
        name=name,
        archive=archive,
        patterns=tuple(patterns),
        canonical=tuple(canonical),
        label=label,
        keys=tuple(keys),
        ignore_case=ignore_case,
        ranges=ranges,
        examples=examples,
        near_misses=near_misses,
        source=source,
        line=line,
        builtin=builtin,
    )


def _probe(patterns: list[str], ignore_case: bool) -> re.Pattern[str] | None:
    if len(patterns) < 2:
        return None
    unnamed = [re.sub(r"\(\?P<\w+>", "(?:", pattern) for pattern in patterns]
    try:
        return re.compile(
            "|".join(f"(?:{p})" for p in unnamed), re.IGNORECASE if ignore_case else 0
        )
    except re.error:  # inline flags in a pattern, say: the patterns are tried one by one
        return None


def key_regex(keys: list[str]) -> str:
    """The keys as one regular expression shaped like a trie ("B(?:A\\-MA|Arch)"), longest
    first at each branch, so that the scan tries few alternatives at each letter."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(trie)


def _string(table: dict[str, Any], key: str, fail: Any) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{key} must be a non-empty string")
    return value


def _bool(table: dict[str, Any], key: str, fail: Any) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise fail(f"{key} must be true or false")
    return value


def _strings(table: dict[str, Any], key: str, fail: Any) -> list[str]:
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{key} must be a string or a list of strings")
    return list(value)


def _ints(value: Any, key: str, fail: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise fail(f"an example's {key} must be a list of numbers")
    return tuple(value)


def _example(item: Any, fail: Any) -> Example:
    if not isinstance(item, dict) or "written" not in item or "canonical" not in item:
        raise fail("an example is a table { written = ..., canonical = ... }")
    written = item["written"]
    canonical = item["canonical"]
    if isinstance(canonical, str):
        canonical = [canonical]
    if not isinstance(written, str) or not all(isinstance(c, str) for c in canonical):
        raise fail("an example's written and canonical are strings")
    return Example(
        written,
        tuple(canonical),
        pages=_ints(item.get("pages"), "pages", fail),
        frames=_ints(item.get("frames"), "frames", fail),
        items=_ints(item.get("items"), "items", fail),
    )
