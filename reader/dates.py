"""Partial dates as archivists write them, stored as sortable ISO prefixes.

"1943", "1943-03" and "1943-03-12" are all valid dates of a document; they sort and compare as
strings, so "1943-03" falls between "1943-02-28" and "1943-03-01".
"""

from __future__ import annotations

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januar", "jänner"),
            ("feb", "february", "februar"),
            ("mar", "march", "märz", "marz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_PDF = re.compile(r"^\s*D:(\d{4})(\d{2})?(\d{2})?")
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\.?\s+([A-Za-zä]+)\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"^\s*([A-Za-zä]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})\b")


def partial_date(value: str) -> str:
    """The ISO partial date in `value` ("D:19430312", "March 1943", "12 März 1943"), or ""."""
    if not value:
        return ""
    for pattern in (_PDF, _ISO):
        match = pattern.match(value)
        if match:
            return _format(match.group(1), match.group(2), match.group(3))
    match = _DAY_MONTH_YEAR.match(value)
    if match and match.group(2).lower() in _MONTHS:
        return _format(match.group(3), str(_MONTHS[match.group(2).lower()]), match.group(1))
    match = _MONTH_DAY_YEAR.match(value)
    if match and match.group(1).lower() in _MONTHS:
        return _format(match.group(3), str(_MONTHS[match.group(1).lower()]), match.group(2))
    return ""


def _format(year: str, month: str | None, day: str | None) -> str:
    if not month or not 1 <= int(month) <= 12:
        return year
    if not day or not 1 <= int(day) <= 31:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"
