"""index.folding: the one table of spellings that match, word by word and in running text."""

from __future__ import annotations

import re

import pytest

from index.exonyms import exonym_group
from index.folding import fold, fold_text, spelling, spellings_of, terms_of, words_of

# Each line: spellings that must fold to one term.
SAME = [
    ["Südost", "Suedost", "Sudost", "SÜDOST", "SUEDOST"],
    ["Müller", "Mueller", "Muller", "MÜLLER"],
    ["Straße", "Strasse", "STRASSE"],
    ["Göring", "Goering", "Goring"],
    ["Übersicht", "Uebersicht", "Ubersicht"],
    ["Österreich", "Oesterreich"],
    ["Ärzte", "Aerzte", "Arzte"],
    ["Günther", "Guenther", "Gunther"],
    ["Höss", "Hoess", "Höß", "Hoss"],
    ["Михаиловић", "Mihailović", "Mihailovic", "Mihailovich", "Mihailovitch", "MIHAILOVIĆ"],
    ["четници", "četnici", "cetnici", "ČETNICI", "ЧЕТНИЦИ"],
    ["Ђилас", "Đilas", "Djilas", "Dilas", "DJILAS"],
    ["Љубљана", "Ljubljana"],
    ["Недић", "Nedić", "Nedic"],
    ["Чачак", "Čačak", "Cacak"],
    ["Ужице", "Užice", "Uzice"],
    ["Џафер", "Džafer", "Dzafer"],
    ["Павелић", "Pavelić", "Pavelic", "Pavelich"],
    ["Mihailovic\u0301", "Mihailović"],  # a decomposed accent folds as the composed one
    ["Mихаиловић", "Mihailovic"],  # a Latin M in a Cyrillic word: one word still
]
# Pairs that must stay apart: a naive fold (ue -> u everywhere, homoglyphs, dropping j)
# would merge them.
APART = [
    ("Bauer", "Baur"),  # ue after a vowel is no ü: Bauer, Feuer, neue
    ("Feuer", "Fur"),
    ("neue", "neu"),
    ("Treue", "Treu"),
    ("due", "du"),  # English and French: a final ue is no ü
    ("blue", "blu"),
    ("toe", "to"),
    ("does", "dos"),
    ("values", "valus"),
    ("argued", "argud"),
    ("queue", "queu"),
    ("Höss", "Hess"),  # Rudolf Höß and Rudolf Heß
    ("Göring", "Gering"),
    ("Müller", "Miller"),
    ("Mueller", "Mulle"),
    ("Straße", "Strase"),
    ("Сава", "Cava"),  # Cyrillic С is s, not the Latin C it looks like
    ("Рас", "Pac"),
    ("Његош", "Negos"),  # њ is nj
    ("Љотић", "Lotic"),  # љ is lj
    ("Mihailović", "Mihailo"),
    ("Reich", "Reic"),  # too short for -ich
]


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[0])
def test_spellings_of_one_word_fold_to_one_term(spellings: list[str]) -> None:
    assert len({fold(word) for word in spellings}) == 1, {word: fold(word) for word in spellings}


@pytest.mark.parametrize(("first", "second"), APART)
def test_near_misses_stay_apart(first: str, second: str) -> None:
    assert fold(first) != fold(second)


def test_the_loose_form_is_plain_latin() -> None:
    assert fold("Михаиловић") == "mihailovic"
    assert fold("Südost") == fold("Suedost") == "sudost"
    assert fold("Ђилас") == fold("Djilas") == "dilas"
    assert fold("Straße") == "strasse"
    assert fold("ь") == "ь"  # a word that folds to nothing stays a term


def test_running_text_folds_as_its_words_do() -> None:
    text = (
        "Der Bauer im Suedost, Herr Müller und Mueller; Михаиловић, Mihailovich und Đilas "
        "(Djilas) mit четници. The queue was due; Goering, Österreich, Straße, Ljotić."
    )
    folded, starts, ends = fold_text(text)
    assert re.findall(r"\w+", folded) == terms_of(text)
    assert len(starts) == len(ends) == len(folded)
    # Each folded word maps back onto the whole word it came from.
    first = folded.index("sudost")
    assert text[starts[first] : ends[first + len("sudost") - 1]] == "Suedost"
    first = folded.index("mihailovic,")
    assert text[starts[first] : ends[first + len("mihailovic") - 1]] == "Михаиловић"
    first = folded.index("mihailovic ")  # -ich folded to -ic: the match covers the whole word
    assert text[starts[first] : ends[first + len("mihailovic") - 1]] == "Mihailovich"
    first = folded.index("dilas)")
    assert text[starts[first] : ends[first + len("dilas") - 1]] == "Djilas"


def test_exact_spellings_are_kept_where_they_differ() -> None:
    words = words_of("Die Front im Südost: Mihailović, Mihailovic und Михаиловић. Hor-\nstenau")
    assert words[-1] == "Horstenau"
    # Script is no spelling: the Cyrillic word is recorded in Latin letters, accents kept.
    assert spellings_of(words, map(fold, words)) == ["südost", "mihailović", "mihailović"]
    assert spelling("Сава") == fold("Сава") == "sava"  # no accent: nothing to record
    assert spelling("SÜDOST") == "südost"
    assert spelling("Su\u0308dost") == "südost"  # one spelling, composed or not


@pytest.mark.parametrize(
    ("typed", "also"),
    [
        ("chetniks", "cetnici"),
        ("chetnik", "cetnika"),
        ("cetnici", "chetniks"),
        ("ustasha", "ustase"),
        ("ustase", "ustashe"),
        ("belgrade", "beogradu"),
        ("yugoslavia", "jugoslavije"),
    ],
)
def test_exonyms_find_the_native_words(typed: str, also: str) -> None:
    group = exonym_group(typed)
    assert group is not None
    words, stems = group
    assert also in words or also.startswith(stems)


def test_words_outside_the_table_have_no_exonyms() -> None:
    for word in ("chess", "cetina", "serbian", "partial", "bosses", "ustav"):
        assert exonym_group(word) is None, word
