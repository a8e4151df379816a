"""Partial dates as archivists write them, stored as sortable ISO prefixes.

"1943", "1943-03" and "1943-03-12" are all valid dates of a document; they sort and compare as
strings, so "1943-03" falls between "1943-02-28" and "1943-03-01".
"""

from __future__ import annotations

import re
from typing import Any

# How precise a date is: to the day, the month or the year.
DAY, MONTH, YEAR = "day", "month", "year"
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
# A number is read whole: in "1943-03/1943-06" (an interval) the "19" after "/" is no day.
_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?!\d)(?:[-/.](\d{1,2})(?!\d))?)?")
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


# Months as written in the letterheads of the collections (Serbo-Croatian genitives, Croatian
# month names), beside the English and German names partial_date reads.
_MORE_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januara", "siječnja", "sijecnja", "janvier", "gennaio"),
            ("februara", "veljače", "veljace", "février", "fevrier", "febbraio"),
            ("marta", "ožujka", "ozujka", "mars", "marzo"),
            ("aprila", "travnja", "avril", "aprile"),
            ("maja", "svibnja", "maggio"),
            ("juna", "lipnja", "juin", "giugno"),
            ("jula", "srpnja", "juillet", "luglio"),
            ("avgusta", "augusta", "kolovoza", "août", "aout", "agosto"),
            ("septembra", "rujna", "septembre", "settembre"),
            ("oktobra", "listopada", "octobre", "ottobre"),
            ("novembra", "studenoga", "studenog", "novembre"),
            ("decembra", "prosinca", "décembre", "decembre", "dicembre"),
        ],
        start=1,
    )
    for name in names
}
_ALL_MONTHS = {**_MONTHS, **_MORE_MONTHS}
_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6,
    "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12,
}  # fmt: skip
_YEAR = r"(1[89]\d\d|20\d\d)"
_WORD = r"([^\W\d_]+)"

# In a file name: "1943-03-17", "1943_03_17", "19430317", "1943-03" standing apart from other
# digits (a year alone says too little: "NOKW-1943" is an identifier, not a date).
_FILENAME_DATE = re.compile(rf"(?<!\d){_YEAR}(?:[-_.](\d\d)(?:[-_.](\d\d))?|(\d\d)(\d\d))(?!\d)")
# In a page's text, in the order they are tried on each line.
_TEXT_DATES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?<![\w.])(\d{{1,2}})\.?\s+{_WORD}\.?,?\s+{_YEAR}(?!\d)"), "d-word-y"),
    (re.compile(rf"(?<![\w.]){_WORD}\.?\s+(\d{{1,2}}),?\s+{_YEAR}(?!\d)"), "word-d-y"),
    (
        re.compile(r"(?<![\w.])(\d{1,2})\.\s?([IVXivx]{1,4})\.\s?(1[89]\d\d|20\d\d|\d\d)(?![\d])"),
        "d-roman-y",
    ),
    (
        re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(1[89]\d\d|\d\d)(?![\d.]\d)"),
        "d-m-y",
    ),
    (re.compile(rf"(?<![\w-]){_YEAR}-(\d\d)-(\d\d)(?!\d)"), "iso"),
]
# How far into a first page a document's own date stands (its letterhead or heading).
TEXT_DATE_LINES = 15


def date_from_filename(stem: str) -> str:
    """The date a file's name gives ("report_1943-03-17", "19430317_order", "1943-03"), or ""."""
    for match in _FILENAME_DATE.finditer(stem):
        year, month, day, compact_month, compact_day = match.groups()
        month, day = month or compact_month, day or compact_day
        if month and 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31):
            return _format(year, month, day)
    return ""


def date_from_text(text: str) -> str:
    """The date a primary source's first page gives in its first lines ("11 March 1943",
    "17. März 1943", "17.3.43", "11.III.1943", "11 marta 1943."), or "". Only full dates:
    a bare year or month in a heading is as often a subject as a date."""
    lines = [line for line in text.splitlines() if line.strip()][:TEXT_DATE_LINES]
    for line in lines:
        for pattern, form in _TEXT_DATES:
            for match in pattern.finditer(line):
                date = _text_date(form, match.groups())
                if date:
                    return date
    return ""


def _text_date(form: str, groups: tuple[str | Any, ...]) -> str:
    if form == "d-word-y":
        day, month_name, year = groups
        month = _ALL_MONTHS.get(month_name.lower())
    elif form == "word-d-y":
        month_name, day, year = groups
        month = _ALL_MONTHS.get(month_name.lower())
    elif form == "d-roman-y":
        day, roman, year = groups
        month = _ROMAN.get(roman.lower())
    elif form == "d-m-y":
        day, month_text, year = groups
        month = int(month_text)
    else:
        year, month_text, day = groups
        month = int(month_text)
    if month is None or not 1 <= month <= 12 or not 1 <= int(day) <= 31:
        return ""
    if len(year) == 2:  # "17.3.43": the collections are of the twentieth century
        year = f"19{year}"
    return _format(year, str(month), day)
