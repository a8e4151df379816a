"""Archival identifiers: finding them in text and writing them in one canonical form.

Nuremberg document codes ("NOKW 1088", "Doc. NO-3012", "PS-1014a"), record groups ("Record
Group 238", "RG 242") and captured-records microfilm ("T-501, roll 255") are written many ways;
the canonical form ("NOKW-1088", "RG-238", "T-501/R-255") is what the catalog stores and matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Series with a name of two or more letters may be written with a space ("NOKW 1088").
LONG_SCHEMES = ("NOKW", "USSR", "NO", "NG", "NI", "PS", "EC", "TC")
# Series easily confused with prose ("the UK 1943 campaign"): only "D-728" or "Doc. D 728" count.
SHORT_SCHEMES = ("UK", "D", "L", "R", "C")

_DASH = r"[-‐‑–—]"
_NUMBER = r"(?P<number>\d{1,5})(?P<suffix>[a-z]?)(?![\w])"
_DOC_PREFIX = r"(?:Doc(?:ument)?s?\.?\s*(?:No\.?\s*)?)"
_NUREMBERG = re.compile(
    r"(?<![\w-])(?:"
    rf"{_DOC_PREFIX}?(?P<long>{'|'.join(LONG_SCHEMES)})(?:\s?{_DASH}\s?|\s)"
    rf"|{_DOC_PREFIX}(?P<short_doc>{'|'.join(SHORT_SCHEMES)})(?:\s?{_DASH}\s?|\s)"
    rf"|(?P<short>{'|'.join(SHORT_SCHEMES)}){_DASH})"
    rf"{_NUMBER}"
)
_RECORD_GROUP = re.compile(
    r"(?<![\w-])(?:Record\s+Group|RG)(?:\s?[-‐‑–—]\s?|\s|\.\s?)(?P<number>\d{1,4})(?![\w])",
    re.IGNORECASE,
)
_MICROFILM = re.compile(
    rf"(?<![\w-])T\s?{_DASH}?\s?(?P<publication>\d{{2,4}})"
    r"(?:,?\s*(?:roll|reel|R\.?)\s*(?P<roll>\d{1,5}))?(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundIdentifier:
    scheme: str
    value: str
    canonical: str
    start: int
    end: int
    text: str


def find_identifiers(text: str) -> list[FoundIdentifier]:
    """Every identifier in `text`, in order of appearance, overlapping matches removed."""
    found = [*_nuremberg_codes(text), *_record_groups(text), *_microfilm_rolls(text)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    result: list[FoundIdentifier] = []
    for item in found:
        if result and item.start < result[-1].end:
            continue
        result.append(item)
    return result


def unique_canonical(found: list[FoundIdentifier]) -> list[FoundIdentifier]:
    seen: set[str] = set()
    result = []
    for item in found:
        if item.canonical not in seen:
            seen.add(item.canonical)
            result.append(item)
    return result


def canonicalize(reference: str) -> str | None:
    """The canonical form of a reference typed by a user ("nokw 1088" -> "NOKW-1088")."""
    cleaned = reference.strip()
    for candidate in (cleaned, cleaned.upper()):
        found = find_identifiers(candidate)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate):
            return found[0].canonical
    return None


def identifiers_in_filename(stem: str) -> list[FoundIdentifier]:
    """Identifiers in a file name: "nokw_1088_p1" and "NOKW-1088" both give NOKW-1088."""
    spaced = re.sub(r"[_+]+", " ", stem)
    return unique_canonical(find_identifiers(spaced.upper()))


def _nuremberg_codes(text: str) -> list[FoundIdentifier]:
    result = []
    for match in _NUREMBERG.finditer(text):
        scheme = match.group("long") or match.group("short_doc") or match.group("short")
        value = match.group("number").lstrip("0") or "0"
        value += match.group("suffix")
        result.append(_found(scheme, value, f"{scheme}-{value}", match))
    return result


def _record_groups(text: str) -> list[FoundIdentifier]:
    result = []
    for match in _RECORD_GROUP.finditer(text):
        value = match.group("number").lstrip("0") or "0"
        result.append(_found("RG", value, f"RG-{value}", match))
    return result


def _microfilm_rolls(text: str) -> list[FoundIdentifier]:
    result = []
    for match in _MICROFILM.finditer(text):
        roll = match.group("roll")
        publication = match.group("publication")
        if roll is None:
            # "T 12" alone is too often something else; only "T-501" with its dash counts.
            if not re.search(_DASH, match.group(0)):
                continue
            result.append(_found("T", publication, f"T-{publication}", match))
        else:
            value = f"{publication}/{roll.lstrip('0') or '0'}"
            result.append(_found("T", value, f"T-{publication}/R-{roll.lstrip('0') or '0'}", match))
    return result


def _found(scheme: str, value: str, canonical: str, match: re.Match[str]) -> FoundIdentifier:
    return FoundIdentifier(scheme, value, canonical, match.start(), match.end(), match.group(0))
