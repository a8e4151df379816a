"""The dates an article names in its prose, resolved to the calendar.

Absolute dates ("17 March 1943", "March 17, 1943", "17. März 1943", "17. marta 1943.",
"1943-03-17", "17.III.1943", "March 1943", "in 1943"), dates whose year (or month) the article
leaves to be understood ("on March 17", "in April", "by the eleventh,"), and relative ones
("two days later", "the next day", "am nächsten Tag", "drei Tage später", "sutradan"), in
English, German and Serbo-Croatian. A date without its year takes it from the last date
before it; a relative one counts from the last date before it, absolute or itself counted (a
narrative goes on from where it stands: "On 12 March … The next day … Two days later" is the
12th, 13th and 15th).

What is no date stays out: "March" and "May" as words ("the troops would march", "May we"),
numbers beside units ("Division 17", "p. 17", "on 17 March 1200 men"), and a bare year
without a word that makes it one ("in 1943" is a date, "NOKW 1943" and "(1961)" are not).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from reader.dates import DAY, MONTH, YEAR
from reader.records import ArticleDate

# English and German month names count only capitalised ("may", "march" are words); the
# Serbo-Croatian ones (genitive "marta", locative "u martu", Croatian "ožujka", Cyrillic)
# are written in lower case.
_CAPITALISED_MONTHS = [
    ("january", "jan", "januar", "jänner", "jaenner"),
    ("february", "feb", "febr", "februar", "feber"),
    ("march", "mar", "märz", "maerz"),
    ("april", "apr"),
    ("may", "mai"),
    ("june", "jun", "juni"),
    ("july", "jul", "juli"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct", "oktober", "okt"),
    ("november", "nov"),
    ("december", "dec", "dezember", "dez"),
]
_LOWER_CASE_MONTHS = [
    ("januara", "januaru", "siječanj", "siječnja", "siječnju", "sijecanj", "sijecnja",
     "јануар", "јануара", "јануару"),
    ("februara", "februaru", "veljača", "veljače", "veljači", "veljaca", "veljace",
     "фебруар", "фебруара", "фебруару"),
    ("mart", "marta", "martu", "ožujak", "ožujka", "ožujku", "ozujak", "ozujka", "ozujku",
     "март", "марта", "марту"),
    ("aprila", "aprilu", "travanj", "travnja", "travnju", "април", "априла", "априлу"),
    ("maj", "maja", "maju", "svibanj", "svibnja", "svibnju", "мај", "маја", "мају"),
    ("juna", "junu", "lipanj", "lipnja", "lipnju", "јун", "јуна", "јуну"),
    ("jula", "julu", "srpanj", "srpnja", "srpnju", "јул", "јула", "јулу"),
    ("avgust", "avgusta", "avgustu", "augusta", "augustu", "kolovoz", "kolovoza", "kolovozu",
     "август", "августа", "августу"),
    ("septembar", "septembra", "septembru", "rujan", "rujna", "rujnu", "септембар",
     "септембра", "септембру"),
    ("oktobar", "oktobra", "oktobru", "listopad", "listopada", "listopadu", "октобар",
     "октобра", "октобру"),
    ("novembar", "novembra", "novembru", "studeni", "studenoga", "studenog", "studenom",
     "новембар", "новембра", "новембру"),
    ("decembar", "decembra", "decembru", "prosinac", "prosinca", "prosincu", "децембар",
     "децембра", "децембру"),
]  # fmt: skip
_ABBREVIATIONS = {"jan", "feb", "febr", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                  "oct", "okt", "nov", "dec", "dez"}  # fmt: skip
# Names that are words or names as well: alone ("in May") only before no capitalised word.
_AMBIGUOUS_MONTHS = {"may", "march", "august"}


def _month_table(groups: list[tuple[str, ...]]) -> dict[str, int]:
    return {name: number for number, names in enumerate(groups, start=1) for name in names}


_CAPITALISED = _month_table(_CAPITALISED_MONTHS)
_LOWER_CASE = _month_table(_LOWER_CASE_MONTHS)
_MONTHS = {**_CAPITALISED, **_LOWER_CASE}
_FULL_MONTHS = {name for name in _MONTHS if name not in _ABBREVIATIONS}


def _alternation(words: set[str] | dict[str, int]) -> str:
    """The words as one regular expression, shared beginnings written once (a trie): an
    alternation of a hundred names tried at every character of a long article is slow."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches, last_letters = [], []
    for char in sorted(key for key in node if key):
        rest = _trie_pattern(node[char])
        if rest:
            branches.append(re.escape(char) + rest)
        else:
            last_letters.append(re.escape(char))
    if last_letters:
        branches.append(last_letters[0] if len(last_letters) == 1 else f"[{''.join(last_letters)}]")
    if not branches:
        return ""
    body = "|".join(branches)
    if "" in node:
        return f"(?:{body})?"
    return body if len(branches) == 1 and len(last_letters) <= 1 else f"(?:{body})"


_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
_MONTH_WORD = (
    rf"{_LETTER_BEFORE}(?P<month>(?:{_alternation(_ABBREVIATIONS)}){_LETTER_AFTER}\.?"
    rf"|(?:{_alternation(_FULL_MONTHS)}){_LETTER_AFTER})"
)
_FULL_MONTH_WORD = rf"{_LETTER_BEFORE}(?P<month>{_alternation(_FULL_MONTHS)}){_LETTER_AFTER}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th)"
_YEAR = r"(?:1\d{3}|2[01]\d\d)"  # beside a month name, any year of the second millennium
_BARE_YEAR = r"(?:1[89]\d\d|20\d\d)"  # alone, only the years the collections are of
_NO_DIGIT = r"(?!\d)"

_ORDINALS = """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"""
_ORDINAL_WORDS = {word: number for number, word in enumerate(_ORDINALS.split(), start=1)}
_ORDINAL_WORDS |= {
    f"{tens}-{unit}": base + number
    for tens, base in (("twenty", 20), ("thirty", 30))
    for number, unit in enumerate(_ORDINALS.split()[:9], start=1)
    if base + number <= 31
}
_ORDINAL_WORDS["thirtieth"] = 30
# "17 March 1943", "17. März 1943", "the 17th of March", "17. marta 1943.", "12–14 March".
_DAY_MONTH = re.compile(
    rf"(?<![\w.,])(?:the\s+)?(?P<day>{_DAY}){_ORDINAL_SUFFIX}?\.?"
    rf"(?:\s*[-–—]\s*(?P<day2>{_DAY}){_ORDINAL_SUFFIX}?\.?)?"
    rf"\s*(?:of\s+)?{_MONTH_WORD}(?:,?\s+(?P<year>{_YEAR}){_NO_DIGIT})?",
    re.IGNORECASE,
)
# "the tenth of April", "the twenty-first of March 1943".
_ORDINAL_OF_MONTH = re.compile(
    rf"(?<!\w)(?:the\s+)?(?P<word>{_alternation(_ORDINAL_WORDS)})\s+of\s+{_MONTH_WORD}"
    rf"(?:,?\s+(?P<year>{_YEAR}){_NO_DIGIT})?",
    re.IGNORECASE,
)
# "March 17", "March 17th, 1943", "May 12–14".
_MONTH_DAY = re.compile(
    rf"{_MONTH_WORD}\s+(?P<day>{_DAY}){_ORDINAL_SUFFIX}?"
    rf"(?:\s*[-–—]\s*(?P<day2>{_DAY}){_ORDINAL_SUFFIX}?)?{_NO_DIGIT}"
    rf"(?:,?\s+(?P<year>{_YEAR}){_NO_DIGIT})?",
    re.IGNORECASE,
)
# "March 1943", "März 1943", "u martu 1943.", "in March, 1943".
_MONTH_YEAR = re.compile(rf"{_MONTH_WORD},?\s+(?P<year>{_YEAR}){_NO_DIGIT}", re.IGNORECASE)
_ISO = re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?![\w-])")
# "17.3.1943", "17. 3. 1943"; with a two-digit year only after a word that announces a date
# ("vom 17.3.43"): alone, "3.2.43" is as often a section or a document's number.
_NUMERIC_CUES = {"vom", "am", "den", "dated", "of", "from", "od", "dana"}
_NUMERIC = re.compile(
    r"(?<![\w.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>1[89]\d\d|20\d\d)(?![\d])"
    rf"|(?<!\w)(?:{_alternation(_NUMERIC_CUES)})\s+"
    r"(?P<day_s>\d{1,2})\.(?P<month_s>\d{1,2})\.(?P<year_s>\d\d)(?![\d.]\d)",
    re.IGNORECASE,
)
_ROMAN_MONTHS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
                 "ix": 9, "x": 10, "xi": 11, "xii": 12}  # fmt: skip
# "11.III.1943", "11. III. 43".
_ROMAN = re.compile(
    r"(?<![\w.])(?P<day>\d{1,2})\.\s?(?P<month>[IVX]{1,4})\.\s?(?P<year>1[89]\d\d|20\d\d|\d\d)"
    r"(?![\d])"
)
# "in April", "early May", "by the end of March", "Anfang März", "početkom marta".
_MONTH_CUES = {
    "in", "by", "since", "until", "till", "during", "through", "throughout", "early", "late",
    "from", "to", "of", "im", "anfang", "mitte", "ende", "seit", "bis", "vom", "u", "od", "do",
    "početkom", "pocetkom", "krajem", "sredinom", "tokom", "tijekom",
}  # fmt: skip
_MONTH_ALONE = re.compile(
    rf"(?<!\w)(?:(?:{_alternation(_MONTH_CUES)})\s+|mid-\s*){_FULL_MONTH_WORD}"
    rf"(?!\.?,?\s*\d)",
    re.IGNORECASE,
)
# "on the 17th", "by the eleventh," (the month and year from the date before).
_ORDINAL_DAY_CUES = {"on", "by", "until", "till", "from", "since", "after", "before", "through"}
_ORDINAL_DAY = re.compile(
    rf"(?<!\w)(?:{_alternation(_ORDINAL_DAY_CUES)})\s+(?P<the>the)\s+"
    rf"(?P<day>(?P<digits>{_DAY}){_ORDINAL_SUFFIX}|(?P<word>{_alternation(_ORDINAL_WORDS)}))"
    rf"(?!\w)(?!\s+(?:of\s+)?{_alternation(_MONTHS)})",
    re.IGNORECASE,
)
# "in 1943", "the summer of 1943", "seit 1941", "u 1943.", "1943. godine".
_YEAR_CUES = {
    "in", "since", "until", "till", "during", "by", "from", "to", "through", "throughout",
    "after", "before", "early", "late", "of", "year", "spring", "summer", "autumn", "fall",
    "winter", "im", "jahr", "jahre", "seit", "bis", "um", "nach", "vor", "von", "anfang",
    "mitte", "ende", "frühjahr", "sommer", "herbst", "u", "od", "do", "tokom", "tijekom",
    "početkom", "krajem", "sredinom", "ljeta", "leta", "jeseni", "zime",
}  # fmt: skip
_YEAR_ALONE = re.compile(
    rf"(?<!\w)(?:(?:{_alternation(_YEAR_CUES)})\s+|mid-\s*)(?P<year>{_BARE_YEAR})(?!\w|[-/.]\d{{1,2}}[-/.]\d)"
    rf"|(?<![\w.-])(?P<year_g>{_BARE_YEAR})\.?\s+(?:godine|god\.)",
    re.IGNORECASE,
)

# Relative dates: a count, a unit and a direction, or a set phrase.
_COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "fifteen": 15, "twenty": 20, "thirty": 30,
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "zwoelf": 12, "vierzehn": 14, "fünfzehn": 15, "zwanzig": 20,
    "dreißig": 30,
    "jedan": 1, "jednog": 1, "jedne": 1, "jednu": 1, "dva": 2, "dvije": 2, "dve": 2, "tri": 3,
    "četiri": 4, "cetiri": 4, "pet": 5, "šest": 6, "sest": 6, "sedam": 7, "osam": 8,
    "devet": 9, "deset": 10, "jedanaest": 11, "dvanaest": 12, "petnaest": 15,
    "dvadeset": 20, "trideset": 30,
}  # fmt: skip
_COUNT_WORDS = rf"{_alternation(_COUNTS)}|\d{{1,3}}"
_UNITS = (
    r"days?|weeks?|fortnight|months?|years?|Tage?|Tagen|Wochen?|Monate?|Monaten|Jahre?|Jahren|"
    r"dan|dana|nedelju|nedjelju|nedelje|nedjelje|sedmicu|sedmice|tjedan|tjedna|tjedana|"
    r"mjesec|mesec|mjeseca|meseca|mjeseci|meseci|godinu|godine|godina"
)
_FORWARD = (
    r"later|afterwards?|thereafter|after(?=\s*[,.;:)]|\s+(?:that|this|then)\b)|"
    r"später|danach|darauf|nachher|kasnije|poslije|posle|potom|nakon\s+toga"
)
_BACKWARD = (
    r"earlier|previously|before(?=\s*[,.;:)]|\s+(?:that|this|then)\b)|"
    r"zuvor|vorher|früher|davor|ranije|prije|pre"
)
_AFTER_WORDS = {"after", "nach", "nakon", "poslije", "posle"}
_SPANS_OF_DAYS = {"nedelju", "nedjelju", "tjedan", "sedmicu", "mjesec", "mesec", "godinu"}
_COUNTED = re.compile(
    rf"(?<!\w)(?P<count>{_COUNT_WORDS})\s+(?P<unit>{_UNITS})\s+"
    rf"(?:(?P<forward>{_FORWARD})|(?P<backward>{_BACKWARD}))(?!\w)"
    rf"|(?<!\w)(?:{_alternation(_AFTER_WORDS)})\s+(?:another\s+)?"
    rf"(?P<count_after>{_COUNT_WORDS})\s+(?P<unit_after>{_UNITS})(?!\w)"
    rf"|(?<!\w)(?P<unit_dana>{_alternation(_SPANS_OF_DAYS)})\s+dana\s+"
    rf"(?:(?P<forward_dana>{_FORWARD})|(?P<backward_dana>{_BACKWARD}))(?!\w)",
    re.IGNORECASE,
)
_NEXT = r"next|following|nächsten|naechsten|folgenden"
WEEK = "week"
_SH_NEXT = ("narednog", "sljedećeg", "slijedećeg", "sledećeg", "sljedeceg", "slijedeceg",
            "sledeceg", "idućeg", "iduceg")  # fmt: skip
_SH_NEXT_F = ("sljedeće", "slijedeće", "sledeće", "naredne", "iduće")
# (the words it begins with, what follows them, unit, how many): "the next day" is one day on.
_PHRASES: list[tuple[tuple[str, ...], str, str, int]] = [
    # English
    (("the",), rf"\s+(?:{_NEXT})\s+(?:day|morning|afternoon|evening|night)", DAY, 1),
    (("the",), r"\s+day\s+after(?=\s*[,.;:)])", DAY, 1),
    (("the", "that"), r"\s+(?:very\s+)?same\s+day", DAY, 0),
    (("the",), r"\s+(?:previous|preceding)\s+(?:day|morning|evening|night)", DAY, -1),
    (("the",), r"\s+day\s+before(?=\s*[,.;:)])", DAY, -1),
    (("the",), rf"\s+(?:{_NEXT})\s+week", WEEK, 1),
    (("the",), r"\s+(?:previous|preceding)\s+week", WEEK, -1),
    (("the",), rf"\s+(?:{_NEXT})\s+month", MONTH, 1),
    (("the",), r"\s+(?:previous|preceding)\s+month", MONTH, -1),
    (("the",), rf"\s+(?:{_NEXT})\s+year", YEAR, 1),
    (("the",), r"\s+(?:previous|preceding)\s+year", YEAR, -1),
    # German
    (("am",), rf"\s+(?:{_NEXT}|anderen)\s+(?:Tage?|Morgen|Abend)", DAY, 1),
    (("am",), r"\s+Tage?\s+darauf", DAY, 1),
    (("tags",), r"\s+darauf", DAY, 1),
    (("am",), r"\s+(?:selben|gleichen|selbigen)\s+Tage?", DAY, 0),
    (("am",), r"\s+(?:Vortage?|Tage?\s+(?:zuvor|vorher))", DAY, -1),
    (("tags",), r"\s+(?:zuvor|vorher)", DAY, -1),
    (("in",), rf"\s+der\s+(?:{_NEXT})\s+Woche", WEEK, 1),
    (("die",), r"\s+Woche\s+darauf", WEEK, 1),
    (("im",), rf"\s+(?:{_NEXT})\s+Monat", MONTH, 1),
    (("im",), r"\s+Vormonat", MONTH, -1),
    (("im",), rf"\s+(?:{_NEXT})\s+Jahre?", YEAR, 1),
    (("im",), r"\s+Vorjahr", YEAR, -1),
    # Serbo-Croatian
    (("sutradan",), r"(?:\s+ujutro)?", DAY, 1),
    (_SH_NEXT, r"\s+dana", DAY, 1),
    (("dan",), r"\s+(?:kasnije|poslije|posle|nakon\s+toga)", DAY, 1),
    (("istog", "istoga"), r"\s+dana", DAY, 0),
    (("prethodnog", "prethodnoga"), r"\s+dana", DAY, -1),
    (("dan",), r"\s+(?:ranije|prije|pre|uoči)", DAY, -1),
    (_SH_NEXT_F, r"\s+(?:nedelje|nedjelje|sedmice)", WEEK, 1),
    (_SH_NEXT, r"\s+tjedna", WEEK, 1),
    (_SH_NEXT, r"\s+(?:mjeseca|meseca)", MONTH, 1),
    (_SH_NEXT_F, r"\s+godine", YEAR, 1),
    (("prethodne", "prošle"), r"\s+godine", YEAR, -1),
]  # fmt: skip


def _phrases_by_word() -> dict[str, re.Pattern[str]]:
    """For each word a set phrase begins with, one pattern of the phrases after it (each a
    group named for its place in _PHRASES)."""
    rests: dict[str, list[str]] = {}
    for index, (words, rest, _, _) in enumerate(_PHRASES):
        for word in words:
            rests.setdefault(word, []).append(f"(?P<phrase{index}>{rest})")
    return {
        word: re.compile(rf"(?<!\w){re.escape(word)}(?:{'|'.join(parts)})(?!\w)", re.IGNORECASE)
        for word, parts in rests.items()
    }


_PHRASE_BY_WORD = _phrases_by_word()

# Words after a number that make it a count, not a day or a year ("on 17 March 1200 men").
_COUNTED_WORDS = """men soldiers troops people persons hostages prisoners civilians partisans
refugees km kilometres kilometers miles metres meters rounds rifles tons tonnes villages houses
pages dead killed wounded trucks lorries horses wagons mann soldaten geiseln gefangene tote
menschen ljudi vojnika talaca zarobljenika"""
_COUNTED_NOUNS = set(_COUNTED_WORDS.split())
# Words after "the 17th" that make it an ordinal of something else ("the 17th Division").
_ORDINAL_OF = """day days week month year century division regiment brigade battalion company
corps army infantry mountain jaeger panzer armoured armored artillery police page chapter note
time floor round session meeting report of and"""
_ORDINAL_NOUNS = set(_ORDINAL_OF.split())
CONTEXT_CHARS = 160


@dataclass(frozen=True)
class _Found:
    """A date expression as written, before the context resolves it."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    precision: str = DAY
    shift: tuple[str, int] | None = None  # relative: (unit, amount)


def find_dates(text: str) -> list[ArticleDate]:
    """Every date `text` names, in the order it names them, resolved against its context.
    An expression the context cannot place (a day with no month before it) is left out."""
    found = _without_overlaps(_candidates(text))
    dates: list[ArticleDate] = []
    anchor: _Found | None = None  # the last date placed: what follows counts from it
    for expression in found:
        placed = _resolve(expression, anchor)
        if placed is None:
            continue
        anchor, year_from_context = placed
        dates.append(
            ArticleDate(
                start=expression.start,
                end=expression.end,
                text=text[expression.start : expression.end],
                date=_iso(anchor),
                precision=anchor.precision,
                relative=expression.shift is not None,
                year_from_context=year_from_context,
                context=sentence_around(text, expression.start, expression.end),
            )
        )
    return dates


# Finding

Scan = Callable[[str, re.Match[str]], Iterator[_Found]]


def _candidates(text: str) -> Iterator[_Found]:
    """Every expression that may be a date. Each pattern is tried only where a word it can
    begin with stands (a month's name, a number, "in", "the"): far faster on a long article
    than every pattern searched through all of it."""
    for word in _STARTS.finditer(text):
        key = word.group().lower()
        scans = _DIGIT_SCANS if key[0].isdigit() else _WORD_SCANS.get(key, ())
        for pattern, scan in scans:
            match = pattern.match(text, word.start())
            if match:
                yield from scan(text, match)


def _day_month(text: str, match: re.Match[str]) -> Iterator[_Found]:
    month = _month(match)
    if month:
        end, year = _year_unless_counted(text, match)
        for day in [int(match["day"])] + ([int(match["day2"])] if match["day2"] else []):
            yield _Found(match.start(), end, year, month, day, DAY)


def _ordinal_of_month(text: str, match: re.Match[str]) -> Iterator[_Found]:
    month = _month(match)
    if month:
        end, year = _year_unless_counted(text, match)
        yield _Found(match.start(), end, year, month, _ORDINAL_WORDS[match["word"].lower()], DAY)


def _month_day(text: str, match: re.Match[str]) -> Iterator[_Found]:
    month = _month(match)
    if not month:
        return
    end, year = _year_unless_counted(text, match)
    if year is None and _next_word(text, end).lower() in _COUNTED_NOUNS:
        return  # "May 17 soldiers"
    for day in [int(match["day"])] + ([int(match["day2"])] if match["day2"] else []):
        yield _Found(match.start(), end, year, month, day, DAY)


def _month_year(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    month = _month(match)
    if month:
        yield _Found(match.start(), match.end(), int(match["year"]), month, None, MONTH)


def _year_unless_counted(text: str, match: re.Match[str]) -> tuple[int, int | None]:
    """The end of the expression and its year; a "year" that counts men is none."""
    if match["year"] is None:
        return match.end(), None
    if _next_word(text, match.end()).lower() in _COUNTED_NOUNS:
        return match.start() + len(text[match.start() : match.start("year")].rstrip(" ,")), None
    return match.end(), int(match["year"])


def _iso_date(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    yield _Found(match.start(), match.end(), int(match["year"]), int(match["month"]),
                 int(match["day"]), DAY)  # fmt: skip


def _numeric(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    if match["day"] is not None:
        day, month, year, start = match["day"], match["month"], match["year"], match.start()
    else:  # "vom 17.3.43"
        day, month, year = match["day_s"], match["month_s"], f"19{match['year_s']}"
        start = match.start("day_s")
    yield _Found(start, match.end(), int(year), int(month), int(day), DAY)


def _roman(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    year = match["year"] if len(match["year"]) == 4 else f"19{match['year']}"
    month = _ROMAN_MONTHS.get(match["month"].lower())
    if month:
        yield _Found(match.start(), match.end(), int(year), month, int(match["day"]), DAY)


def _month_alone(text: str, match: re.Match[str]) -> Iterator[_Found]:
    month = _month(match)
    if not month:
        return
    if match["month"].lower() in _AMBIGUOUS_MONTHS and _next_word(text, match.end())[:1].isupper():
        return  # "in August Meyszner's view", "in May Day parades"
    yield _Found(match.start("month"), match.end("month"), None, month, None, MONTH)


def _ordinal_day(text: str, match: re.Match[str]) -> Iterator[_Found]:
    if match["word"] is not None:
        # Spelled out, only where the clause ends: "by the eleventh, the report says".
        if not re.match(r"\s*[,.;:)]", text[match.end() : match.end() + 20]):
            return
        day = _ORDINAL_WORDS[match["word"].lower()]
    else:
        following = _next_word(text, match.end())
        if following[:1].isupper() or following.lower() in _ORDINAL_NOUNS:
            return  # "the 17th Division", "the 17th century"
        day = int(match["digits"])
    yield _Found(match.start("the"), match.end(), None, None, day, DAY)


def _year_alone(text: str, match: re.Match[str]) -> Iterator[_Found]:
    group = "year" if match["year"] is not None else "year_g"
    if _next_word(text, match.end(group)).lower() in _COUNTED_NOUNS:
        return  # "a force of 1943 men"
    end = match.end() if group == "year_g" else match.end(group)
    yield _Found(match.start(group), end, int(match[group]), None, None, YEAR)


def _counted(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    if match["count"] is not None:
        count, unit = _count(match["count"]), match["unit"]
        sign = 1 if match["forward"] is not None else -1
    elif match["count_after"] is not None:
        count, unit, sign = _count(match["count_after"]), match["unit_after"], 1
    else:  # "nedelju dana kasnije": a week's worth of days
        count, unit = 1, match["unit_dana"]
        sign = 1 if match["forward_dana"] is not None else -1
    name, size = _unit(unit)
    yield _Found(match.start(), match.end(), shift=(name, sign * count * size))


def _phrase(_text: str, match: re.Match[str]) -> Iterator[_Found]:
    assert match.lastgroup is not None
    _, _, unit, amount = _PHRASES[int(match.lastgroup.removeprefix("phrase"))]
    name, size = _unit(unit)
    yield _Found(match.start(), match.end(), shift=(name, amount * size))


_NUMBER_FIRST: list[tuple[re.Pattern[str], Scan]] = [
    (_DAY_MONTH, _day_month), (_ISO, _iso_date), (_NUMERIC, _numeric), (_ROMAN, _roman),
    (_YEAR_ALONE, _year_alone), (_COUNTED, _counted),
]  # fmt: skip
_WORD_FIRST: list[tuple[re.Pattern[str], Scan, set[str]]] = [
    (_DAY_MONTH, _day_month, {"the"}),
    (_ORDINAL_OF_MONTH, _ordinal_of_month,
     {"the", *(word.split("-")[0] for word in _ORDINAL_WORDS)}),
    (_MONTH_DAY, _month_day, set(_MONTHS)),
    (_MONTH_YEAR, _month_year, set(_MONTHS)),
    (_NUMERIC, _numeric, _NUMERIC_CUES),
    (_MONTH_ALONE, _month_alone, _MONTH_CUES | {"mid"}),
    (_ORDINAL_DAY, _ordinal_day, _ORDINAL_DAY_CUES),
    (_YEAR_ALONE, _year_alone, _YEAR_CUES | {"mid"}),
    (_COUNTED, _counted, set(_COUNTS) | _AFTER_WORDS | _SPANS_OF_DAYS),
    *((pattern, _phrase, {word}) for word, pattern in _PHRASE_BY_WORD.items()),
]  # fmt: skip
_DIGIT_SCANS = _NUMBER_FIRST
_WORD_SCANS: dict[str, list[tuple[re.Pattern[str], Scan]]] = {}
for _pattern, _scan, _starts in _WORD_FIRST:
    for _start in _starts:
        _WORD_SCANS.setdefault(_start, []).append((_pattern, _scan))
# Where any pattern may begin: a number, or a word one of them begins with.
_STARTS = re.compile(rf"(?<!\w)(?:\d|(?:{_alternation(set(_WORD_SCANS))})(?!\w))", re.IGNORECASE)


def _month(match: re.Match[str]) -> int:
    """The month a matched name means, or 0 for an English or German name not capitalised."""
    name = match["month"].rstrip(".")
    number = _LOWER_CASE.get(name.lower())
    if number is not None:
        return number
    if not name[:1].isupper():
        return 0
    return _CAPITALISED.get(name.lower(), 0)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS[word.lower()]


def _unit(word: str) -> tuple[str, int]:
    """A unit as (day, month or year) and how many of them one is: a week is seven days."""
    word = word.lower()
    if word.startswith("fortnight"):
        return DAY, 14
    for prefixes, unit, size in (
        (("day", "tag", "dan"), DAY, 1),
        (("week", "woche", "nedel", "nedjel", "sedmic", "tjed"), DAY, 7),
        (("month", "monat", "mjesec", "mesec"), MONTH, 1),
        (("year", "jahr", "godin"), YEAR, 1),
    ):
        if word.startswith(prefixes):
            return unit, size
    raise ValueError(f"no unit of time: {word}")


def _next_word(text: str, at: int) -> str:
    """The word right after `at` (on the same line), or "" when punctuation comes first."""
    match = re.match(r"[ \t\u00a0]*(\w+)", text[at : at + 40])
    return match.group(1) if match else ""


def _without_overlaps(found: Iterator[_Found]) -> list[_Found]:
    """The leftmost, then longest, of expressions that overlap; both days of a range."""
    kept: list[_Found] = []
    end = -1
    span: tuple[int, int] | None = None
    for candidate in sorted(found, key=lambda f: (f.start, -f.end)):
        if (candidate.start, candidate.end) == span:
            if candidate not in kept:
                kept.append(candidate)  # the second day of "12–14 March"
            continue
        if candidate.start < end:
            continue
        kept.append(candidate)
        end, span = candidate.end, (candidate.start, candidate.end)
    return kept


# Placing


def _resolve(found: _Found, anchor: _Found | None) -> tuple[_Found, bool] | None:
    """The expression as a date in the calendar (and whether its year came from the
    context), or None when the context does not place it or no such day exists."""
    if found.shift is not None:
        shifted = _shifted(anchor, *found.shift)
        return None if shifted is None else (shifted, False)
    year, month, from_context = found.year, found.month, False
    if year is None:
        if anchor is None or anchor.year is None:
            return None
        year, from_context = anchor.year, True
    if month is None and found.precision == DAY:  # "by the eleventh": the month before
        if anchor is None or anchor.month is None:
            return None
        month = anchor.month
    if month is not None and not 1 <= month <= 12:
        return None
    day = found.day if found.precision == DAY else None
    if day is not None and (month is None or day > calendar.monthrange(year, month)[1]):
        return None
    placed = _Found(found.start, found.end, year, month, day, found.precision)
    return placed, from_context


def _shifted(anchor: _Found | None, unit: str, amount: int) -> _Found | None:
    if anchor is None or anchor.year is None:
        return None
    if unit == DAY:
        if anchor.month is None or anchor.day is None:
            return None
        try:
            day = date(anchor.year, anchor.month, anchor.day) + timedelta(days=amount)
        except OverflowError:
            return None
        return _Found(anchor.start, anchor.end, day.year, day.month, day.day, DAY)
    if unit == MONTH:
        if anchor.month is None:
            return None
        months = anchor.year * 12 + anchor.month - 1 + amount
        return _Found(anchor.start, anchor.end, months // 12, months % 12 + 1, None, MONTH)
    if not 1 <= anchor.year + amount <= 9999:
        return None
    return _Found(anchor.start, anchor.end, anchor.year + amount, None, None, YEAR)


def _iso(placed: _Found) -> str:
    if placed.precision == YEAR or placed.month is None:
        return f"{placed.year:04d}"
    if placed.precision == MONTH or placed.day is None:
        return f"{placed.year:04d}-{placed.month:02d}"
    return f"{placed.year:04d}-{placed.month:02d}-{placed.day:02d}"


def sentence_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> str:
    """The sentence a span stands in, on one line, cut around the span to `limit`."""
    # Only so far around: a text without full stops is no reason to read all of it.
    floor, ceiling = max(start - 4 * limit, 0), min(end + 4 * limit, len(text))
    left = max(text.rfind(mark, floor, start) for mark in (". ", "! ", "? ", "\n"))
    left = floor if left < 0 else left + 1
    stops = [i for i in (text.find(mark, end, ceiling) for mark in (". ", "! ", "? ", "\n"))]
    right = min((i for i in stops if i >= 0), default=ceiling - 1) + 1
    before = " ".join(text[left:start].split())
    after = " ".join(text[end:right].split())
    span = " ".join(text[start:end].split())
    room = max(limit - len(span), 20)
    if len(before) + len(after) > room:
        keep_before = min(len(before), room // 3)
        keep_after = room - keep_before
        if len(before) > keep_before:
            before = "…" + before[-keep_before:].split(" ", 1)[-1]
        if len(after) > keep_after:
            after = after[:keep_after].rsplit(" ", 1)[0] + "…"
    pad_before = " " if before and text[start - 1 : start].isspace() else ""
    pad_after = " " if after and text[end : end + 1].isspace() else ""
    return f"{before}{pad_before}{span}{pad_after}{after}".strip()
