"""The folding test set (issue #18): German, Serbian (Cyrillic and Latin) and Croatian words in
the spellings researchers meet, each on a page of its own among pages of filler, searched with
every spelling through reader.library; near-misses that must not match; precision and recall.

A group is one word in its spellings, each with the language its page is written in (the
sentence around it): "de", "sr" (Serbian Cyrillic), "sh" (Serbo-Croatian Latin) or "en". Each
spelling is a page, and a query; every page of the group is what each query must find, no
other page. Phrase queries put the word in its sentence ("Bericht über Südost"): they must find
the group's pages written in that language, in either script. A near-miss is a page with a word
that one of the groups' queries must not find (Hess for Höß, Baur for Bauer, Cava for Сава).
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import zipf_vocabulary
from index.exonyms import exonym_group
from index.folding import fold, spelling

Group = tuple[str, tuple[tuple[str, str], ...]]  # (language of the set, (spelling, page's))

GROUPS: tuple[Group, ...] = (
    ("German", (("Südost", "de"), ("Suedost", "de"), ("Sudost", "de"))),
    ("German", (("Müller", "de"), ("Mueller", "de"), ("Muller", "de"))),
    ("German", (("Straße", "de"), ("Strasse", "de"), ("STRASSE", "de"))),
    ("German", (("Göring", "de"), ("Goering", "de"), ("Göring", "en"))),
    ("German", (("Übersicht", "de"), ("Uebersicht", "de"))),
    ("German", (("Österreich", "de"), ("Oesterreich", "de"))),
    ("German", (("Ärzte", "de"), ("Aerzte", "de"))),
    ("German", (("Günther", "de"), ("Guenther", "de"), ("Gunther", "en"))),
    ("German", (("Höß", "de"), ("Hoess", "de"), ("Höss", "en"))),
    ("German", (("Schröder", "de"), ("Schroeder", "de"))),
    ("German", (("Führerhauptquartier", "de"), ("Fuehrerhauptquartier", "de"))),
    ("German", (("Gebäude", "de"), ("Gebaeude", "de"))),
    ("German", (("Bauer", "de"), ("BAUER", "de"))),
    ("Serbian", (("Михаиловић", "sr"), ("Mihailović", "sh"), ("Mihailovic", "sh"),
                 ("Mihailovich", "en"))),
    ("Serbian", (("четници", "sr"), ("četnici", "sh"), ("cetnici", "sh"), ("Chetniks", "en"))),
    ("Serbian", (("Ђилас", "sr"), ("Đilas", "sh"), ("Djilas", "en"), ("Dilas", "sh"))),
    ("Serbian", (("Недић", "sr"), ("Nedić", "sh"), ("Nedic", "sh"), ("Nedich", "en"))),
    ("Serbian", (("Чачак", "sr"), ("Čačak", "sh"), ("Cacak", "sh"))),
    ("Serbian", (("Ужице", "sr"), ("Užice", "sh"), ("Uzice", "en"))),
    ("Serbian", (("Љотић", "sr"), ("Ljotić", "sh"), ("Ljotic", "en"))),
    ("Serbian", (("Београд", "sr"), ("Beograd", "sh"), ("Belgrade", "en"))),
    ("Serbian", (("Сава", "sr"), ("Sava", "sh"))),
    ("Serbian", (("Његош", "sr"), ("Njegoš", "sh"), ("Njegos", "en"))),
    ("Croatian", (("Pavelić", "sh"), ("Pavelic", "sh"), ("Pavelich", "en"), ("Павелић", "sr"))),
    ("Croatian", (("ustaše", "sh"), ("ustase", "sh"), ("Ustasha", "en"), ("усташе", "sr"))),
    ("Croatian", (("Šibenik", "sh"), ("Sibenik", "en"))),
    ("Croatian", (("Đakovo", "sh"), ("Djakovo", "en"), ("Dakovo", "sh"))),
    ("Croatian", (("Gospić", "sh"), ("Gospic", "sh"), ("Gospich", "en"))),
    ("Croatian", (("Hrvatska", "sh"), ("Croatia", "en"), ("Хрватска", "sr"))),
)  # fmt: skip
# (the near-miss's page word, the spelling whose query must not find it, why)
NEAR_MISSES: tuple[tuple[str, str, str], ...] = (
    ("Hess", "Höß", "Rudolf Heß is not Rudolf Höß"),
    ("Heß", "Hoess", "Heß folds to hess, Höß to hoss"),
    ("Baur", "Bauer", "ue after a vowel is no ü"),
    ("Baür", "Bauer", "the nonsense the issue names"),
    ("Gering", "Göring", "an umlaut is not an e"),
    ("Miller", "Müller", "another vowel"),
    ("Mulle", "Mueller", "a letter short"),
    ("Strase", "Straße", "ß is ss"),
    ("Cava", "Сава", "Cyrillic С is s, not the Latin C it looks like"),
    ("Pava", "Sava", "Cyrillic and Latin homoglyphs"),
    ("Negos", "Његош", "њ is nj"),
    ("Lotic", "Љотић", "љ is lj"),
    ("Mihailo", "Mihailović", "a first name is not the surname"),
    ("Jakovo", "Đakovo", "dj is đ, not j"),
    ("usta", "Ustasha", "a word the exonym's stem must not take"),
    ("četa", "Chetniks", "a word the exonym's stem must not take"),
    ("Sudest", "Südost", "a vowel that is not an umlaut"),
    ("du", "due", "English due is not French du: a final ue is no ü"),
    ("due", "du", "the same, the other way"),
    ("toe", "to", "a final oe is no ö"),
    ("Treu", "Treue", "ue after a vowel is no ü"),
    ("does", "dos", "oe before a final s is no ö"),
)
SENTENCES = {
    "de": "Der Bericht über {} lag am Morgen vor.",
    "sr": "Извештај о {} стигао је јутрос.",
    "sh": "Izveštaj o {} stigao je jutros.",
    "en": "The report on {} arrived in the morning.",
}
# The phrase each language's page puts the word in, as a query, and the pages it must find
# (Serbian in either script).
PHRASES = {
    "de": ('"Bericht über {}"', "de"),
    "sr": ('"о {} стигао"', "sr"),
    "sh": ('"o {} stigao"', "sr"),
}
FILLER_PAGES = 300
FILLER_WORDS = 120


@dataclass
class Score:
    retrieved: int = 0
    relevant: int = 0
    right: int = 0
    queries: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.retrieved if self.retrieved else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.relevant if self.relevant else 1.0


@dataclass
class Result:
    pages: int
    by_set: dict[str, Score] = field(default_factory=dict)
    words: Score = field(default_factory=Score)
    phrases: Score = field(default_factory=Score)
    near_misses: int = 0
    near_misses_found: list[str] = field(default_factory=list)
    exact_first: int = 0
    exact_due: int = 0
    exact_missed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _filler(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(FILLER_WORDS)) + "."


def _clean_vocabulary() -> list[str]:
    """Filler words that none of the set's queries can find (the generated vocabulary holds
    Belgrade and Zagreb, and invented words such as "sava" may turn up)."""
    taken = {fold(w) for _, group in GROUPS for w, _ in group}
    taken |= {fold(word) for word, _, _ in NEAR_MISSES}
    return [
        word
        for word in zipf_vocabulary()[:4000]
        if fold(word) not in taken and exonym_group(fold(word)) is None
    ]


def write_set(folder: Path) -> dict[str, tuple[str, str]]:
    """The set's pages, one text file each: their names, and for each the word and the
    language it is written in. Filler pages hold neither."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(18)
    vocabulary = _clean_vocabulary()
    pages: dict[str, tuple[str, str]] = {}
    number = 0

    def page(word: str, language: str) -> None:
        nonlocal number
        number += 1
        name = f"page-{number:04}"
        sentence = SENTENCES[language].format(word) if word else ""
        text = f"Dokument {number}\n\n{_filler(rng, vocabulary)} {sentence} "
        (folder / f"{name}.txt").write_text(text + _filler(rng, vocabulary), encoding="utf-8")
        pages[name] = (word, language)

    for _, group in GROUPS:
        for word, language in group:
            page(word, language)
    for word, _, _ in NEAR_MISSES:
        page(word, "en" if word.isascii() else "de")
    for _ in range(FILLER_PAGES):
        page("", "en")
    return pages


def run(folder: Path, library_factory: Callable[[Path], object]) -> Result:
    """Import the set into a fresh library and run every query through its search."""
    pages = write_set(folder / "pages")
    shutil.rmtree(folder / "library", ignore_errors=True)
    library: object = library_factory(folder / "library")
    try:
        library.import_paths([folder / "pages"])  # type: ignore[attr-defined]
        names = {d.id: Path(d.path).stem for d in library.documents()}  # type: ignore[attr-defined]
        result = Result(pages=len(names))
        started = time.perf_counter()
        search: Callable[..., object] = library.search  # type: ignore[attr-defined]

        def found(query: str) -> list[str]:
            hits = search(query, limit=100, with_boxes=False).hits  # type: ignore[attr-defined]
            return [names[hit.doc] for hit in hits]

        by_word: dict[str, list[str]] = {}
        for name, (word, _) in pages.items():
            by_word.setdefault(word, []).append(name)
        for set_name, group in GROUPS:
            score = result.by_set.setdefault(set_name, Score())
            members = [(name, word, language) for word, language in group
                       for name in by_word[word] if pages[name][1] == language]  # fmt: skip
            everyone = {name for name, _, _ in members}
            for word in dict.fromkeys(word for word, _ in group):
                hits = found(word)
                _count(result, score, result.words, word, hits, everyone)
                typed = spelling(word)
                exact_pages = {name for name, w, _ in members if spelling(w) == typed}
                if typed != fold(word) and exact_pages and len(exact_pages) < len(everyone):
                    result.exact_due += 1
                    if hits and hits[0] in exact_pages:
                        result.exact_first += 1
                    else:
                        result.exact_missed.append(f"{word}: first {hits[:1]}")
            for word, language in group:
                if language not in PHRASES:
                    continue
                query, family = PHRASES[language]
                query = query.format(word)
                same = {
                    name for name, _, lang in members if PHRASES.get(lang, ("", ""))[1] == family
                }
                _count(result, score, result.phrases, query, found(query), same)
        for word, query, why in NEAR_MISSES:
            result.near_misses += 1
            if set(by_word[word]) & set(found(query)):
                result.near_misses_found.append(f"{query} found {word} ({why})")
        result.seconds = time.perf_counter() - started
        return result
    finally:
        library.close()  # type: ignore[attr-defined]


def _count(
    result: Result, score: Score, kind: Score, query: str, hits: list[str], due: set[str]
) -> None:
    right = len(due & set(hits))
    for counted in (score, kind):
        counted.queries += 1
        counted.retrieved += len(hits)
        counted.relevant += len(due)
        counted.right += right
    for name in sorted(set(hits) - due):
        result.problems.append(f"{query}: found {name}, not of its group")
    for name in sorted(due - set(hits)):
        result.problems.append(f"{query}: missed {name}")
