"""English (and German) names of Yugoslav terms, searched together with the native word.

English-language historians write "Chetniks" for četnici, "Ustasha" for ustaše, "Belgrade" for
Beograd; folding (index.folding) cannot make these one word, since the spellings differ in
letters, not in accents or script. This table does, at query time: a query word found in a
group is searched as any word of its group.

Each group is a set of loose forms (as index.folding.fold writes them): whole words, the
English forms, and word starts (ending in "*"), the native stems, which Serbo-Croatian inflects
(četnik, četnika, četnici, četnicima, četnički all start "cetni"). A query word belongs to a
group when it is one of its words or starts with one of its stems; it is then searched as
itself or any word of the group, so "Chetniks" finds "четници" and "četnika", and "četnici"
finds "Chetniks". Only plain words are expanded: not phrases, prefixes or fuzzy words.

Why at query time and not in the index: the table costs the index nothing (a page writes no
extra term for a name it holds), a change to the table needs no rebuild, and every expansion
is visible in the query. Why a table and not a rule: these are a few dozen words, each a
historian's convention, and a rule that turned "ch" into "č" would break English.
"""

from __future__ import annotations

from functools import lru_cache

# (English and German words, native stems*): one group per line.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("chetnik", "chetniks", "cetnik*", "cetnic*"),
    ("ustasha", "ustashas", "ustashe", "ustashi", "ustas*"),
    ("partisan", "partisans", "partizan*"),
    ("yugoslavia", "yugoslav", "yugoslavs", "yugoslavian", "jugoslawien", "jugoslav*",
     "jugoslov*"),
    ("belgrade", "belgrad", "beograd*"),
    ("serbia", "serbien", "srbij*"),
    ("croatia", "kroatien", "hrvatsk*"),
    ("herzegovina", "herzegowina", "hercegovin*"),
)  # fmt: skip


@lru_cache(maxsize=4096)
def exonym_group(term: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The group of a folded query word: its words and its stems (without "*"); None if the
    word is in no group."""
    for group in GROUPS:
        words = tuple(form for form in group if not form.endswith("*"))
        stems = tuple(form[:-1] for form in group if form.endswith("*"))
        if term in words or term.startswith(stems):
            return words, stems
    return None
