"""The archive's own order in the index: repository, record group, series, box, folder and
item, each searched as one whole value (`rg:"RG 238"`, `box:"Box 7/12"`, `series:T-311`).

A value matches however an archivist wrote it: case and accents aside, spaces collapsed, and
with or without the word that names its level ("RG 238", "Record Group 238", "rg-238" and
"238" are one record group; "Box 7/12" and "7/12" one box, not box 7). `archive_key` writes a
value in that one form; the index holds it as the field's only term, and a query's value is
read the same way, so `rg:238` finds "RG 238". A trailing * matches the start of the value
(`repository:bundes*`), and `NOT rg:*` the pages whose document has no record group.
Plain Python, no Whoosh: the reader groups and matches values with it too (its tokenizer is
index.analysis.ArchiveValue).
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.folding import fold

# The index's field for each level of the catalog's call number, in the archive's order.
ARCHIVE_FIELDS = {
    "repository": "repository",
    "record_group": "rg",
    "series": "series",
    "box": "box",
    "folder": "folder",
    "item": "item",
}
# Words that name a level, written before its number ("RG 238", "K. 12" for a Serbian
# kutija): a value means the same with or without them. English, German, Serbian.
LEVEL_WORDS = {
    "repository": (),
    "record_group": ("record group", "rg", "bestand"),
    "series": ("series", "serie", "reihe"),
    "box": ("box", "karton", "kutija", "k"),
    "folder": ("folder", "fascikla", "fasc", "mappe", "f"),
    "item": ("item", "dokument", "doc", "dok", "nr", "no"),
}
# Past this a value is no call number anyone types: its term is cut (the catalog keeps 200).
MAX_KEY_CHARS = 200


def _level_word(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    names = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    # The word alone ("k" in "K. 12", not in "Kraljevo"), or right before a digit ("RG238").
    return re.compile(rf"(?:{names})(?:\b|(?=[0-9]))[\s.:#-]*")


_LEVEL_WORD = {level: _level_word(words) for level, words in LEVEL_WORDS.items()}


@lru_cache(maxsize=50_000)
def archive_key(level: str, value: str) -> str:
    """`value` of the level (a catalog column name: "record_group") as the index holds it;
    "" for a blank value. Applying it again changes nothing."""
    # A double quote would end the quoted value of a query: it is no part of a call number.
    text = " ".join(fold(value.replace('"', " ")).split())
    word = _LEVEL_WORD[level]
    while word is not None and (found := word.match(text)) and found.end() < len(text):
        text = text[found.end() :]
    return text[:MAX_KEY_CHARS].rstrip()
