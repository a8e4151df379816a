"""Words as the index stores them: one loose form for every spelling a researcher meets.

The fold (`fold`, and `fold_text` for running text with offsets) is applied the same way to a
page when it is indexed and to a query when it is run, so only what two spellings fold to
decides whether they match. Its rules, in the order they apply:

1. Letters, one at a time (`SCRIPT`, `LETTERS`, then Unicode's decomposition):
   - lowercase;
   - Cyrillic is transliterated to Latin (`SCRIPT`): Serbian and Macedonian as their own
     Latin alphabets write them (Михаиловић -> mihailović, Ђилас -> đilas, љ -> lj, њ -> nj,
     џ -> dž, ј -> j, х -> h, ѓ -> ǵ, ќ -> ḱ, ѕ -> dz), the letters of the other Cyrillic
     alphabets as in ISO 9 (й -> j, ю -> ju, я -> ja, щ -> šč, ы -> y, ь and ъ dropped);
   - letters that do not decompose: ß -> ss, đ -> d, ø -> o, ł -> l, æ -> ae, œ -> oe,
     ı -> i, þ -> th, ð -> d; typographic apostrophes -> ';
   - accents are dropped: ä ö ü -> a o u, č ć -> c, š -> s, ž -> z (Südost -> sudost).
2. Serbo-Croatian dj for đ: dj -> d anywhere (Djilas, Đilas, Ђилас -> dilas).
3. German ae/oe/ue for ä/ö/ü -> a/o/u (Suedost -> sudost, Goering -> goring), where German
   writes them: at a word's start or after a consonant, not after a vowel or q (Bauer, Feuer,
   neue, Quelle and queue keep their e), and not at a word's end or before a final s or d
   (blue, due, toe, does, values, argued keep theirs: English and French, never German ä ö ü).
4. English transliterations of the Slavic -ić: -ich and -itch -> -ic after three letters
   (Mihailovich, Mihailovitch -> mihailovic; ich, sich, Reich are too short to change).

So Südost = Suedost = Sudost, Straße = Strasse, Михаиловић = Mihailović = Mihailovic =
Mihailovich, четници = četnici = cetnici, Ђилас = Đilas = Djilas = Dilas; and Bauer is not
Baur, Höss not Hess, Сава (Sava) not Cava.

What the loose form merges that a reader tells apart (schon and schön, Masse and Maße, poet
and pot) is ranked, not refused: a page also records each word's exact spelling where it
differs from the loose form (`spelling`: case and script aside, so Михаиловић and Mihailović
are one spelling and Mihailovic another), and a query ranks the pages with the spelling it
typed first (index.query). English exonyms of Yugoslav terms (Chetniks for četnici) are a
query-time table of their own: index.exonyms.

Plain Python, no Whoosh: the reader finds and marks words with these too, and must not pay for
loading the search engine to do so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Rule 1, the script: the Cyrillic alphabets in Latin letters (lowercase: the text is lowercased
# first). What a word is in Latin letters, its accents kept, is its spelling (`spelling`).
SCRIPT = str.maketrans(
    {
        # Serbian Cyrillic, as Serbian Latin writes it.
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
        "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
        "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
        # Macedonian, as Macedonian Latin writes it.
        "ѓ": "ǵ", "ќ": "ḱ", "ѕ": "dz",
        # Other Cyrillic alphabets, as ISO 9 writes them.
        "й": "j", "ё": "ë", "щ": "šč", "ъ": "", "ы": "y", "ь": "", "э": "è", "ю": "ju",
        "я": "ja", "є": "je", "і": "i", "ї": "ji", "ґ": "g", "ў": "ŭ",
    }
)  # fmt: skip
# Rule 1, letters that do not decompose into a base letter and a combining mark (accented
# letters lose their accents after this, with every other accented letter).
LETTERS = str.maketrans(
    {"ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th",
     "ð": "d", "’": "'", "ʼ": "'"}
)  # fmt: skip
# Rules 2 to 4, on the lowercased, transliterated text without accents, in this order.
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"dj"), "d"),
    (re.compile(r"(?<![aeiouq])([aou])e(?=\w)(?![sd]?\b)"), r"\1"),
    (re.compile(r"(?<=[a-z]{3})(?:itch|ich)\b"), "ic"),
)
_LINE_END_HYPHEN = re.compile(r"(\w)[-¬‐]\s*\n\s*(\w)")
_HYPHEN_AT_LINE_END = re.compile(r"[-¬‐]\s*\n")
WORD_PATTERN = r"\w+"
_WORD = re.compile(WORD_PATTERN)


def join_line_end_hyphens(text: str) -> str:
    # The search for a hyphen at a line's end alone is quick; the full pattern, which starts
    # with a letter, is tried at every letter of the page.
    if _HYPHEN_AT_LINE_END.search(text) is None:
        return text
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


def _letters(cluster: str) -> str:
    """Rule 1 for one letter with its combining marks."""
    lowered = unicodedata.normalize("NFC", cluster).lower().translate(SCRIPT).translate(LETTERS)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as the index stores it (the rules above). A word that folds to nothing (a lone
    soft sign) stays itself, lowercased: every word is some term."""
    folded = word.lower() if word.isascii() else "".join(map(_letters, _clusters(word)))
    for pattern, replacement in RULES:
        folded = pattern.sub(replacement, folded)
    return folded or word.lower()


def fold_text(text: str) -> tuple[str, list[int], list[int]]:
    """Running text folded as `fold` folds each of its words, and for each character of the
    result the span of the original text it came from (start, end): a match in the folded
    text is text[starts[first]:ends[last]] in the page."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for cluster in _clusters(text):
        folded = _letters(cluster) if not cluster.isascii() else cluster.lower()
        pieces.append(folded)
        starts.extend([offset] * len(folded))
        offset += len(cluster)
        ends.extend([offset] * len(folded))
    folded_text = "".join(pieces)
    for pattern, replacement in RULES:
        folded_text, starts, ends = _substituted(pattern, replacement, folded_text, starts, ends)
    return folded_text, starts, ends


def _substituted(
    pattern: re.Pattern[str], replacement: str, text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    """pattern.sub on `text`, each replacement standing for the whole span it replaced."""
    if pattern.search(text) is None:
        return text, starts, ends
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    cursor = 0
    for match in pattern.finditer(text):
        first, last = match.span()
        new = match.expand(replacement)
        pieces += [text[cursor:first], new]
        new_starts += starts[cursor:first] + [starts[first]] * len(new)
        new_ends += ends[cursor:first] + [ends[last - 1]] * len(new)
        cursor = last
    pieces.append(text[cursor:])
    new_starts += starts[cursor:]
    new_ends += ends[cursor:]
    return "".join(pieces), new_starts, new_ends


def _clusters(text: str) -> Iterable[str]:
    """Each character with the combining marks that follow it (a decomposed "ć" is one)."""
    if text.isascii():
        return text
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=200_000)
def spelling(word: str) -> str:
    """A word as it was written, case and script aside (Михаиловић and Mihailović are one
    spelling, Mihailovic another): what ranks an exact spelling above the others that fold to
    the same term. Script is left out because Serbian is one language in two scripts, and
    because a Cyrillic page would otherwise record every one of its words twice."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize(
        "NFC", unicodedata.normalize("NFC", word).lower().translate(SCRIPT)
    )


def words_of(text: str) -> list[str]:
    """The words of `text` as written, in order, joined across line-end hyphens."""
    return _WORD.findall(join_line_end_hyphens(text))


def terms_of(text: str) -> list[str]:
    """The indexed terms of `text`, in order (for matching hit words on a page)."""
    return list(map(fold, words_of(text)))


def spellings_of(words: Iterable[str], terms: Iterable[str]) -> list[str]:
    """The spellings of `words` that differ from their terms (`terms`, the same words folded),
    once for each time they stand: what a page records of its words' exact spellings."""
    return [
        written
        for word, term in zip(words, terms, strict=True)
        if word != term and (written := spelling(word)) != term
    ]
