"""Writing pages into the PostgreSQL search tables (index.pg_schema), on a connection the
caller has open: the rows go in with whatever else its transaction does.

Vectors are written as tsvector literals of the folded terms with their positions, exactly
the words and places the Whoosh side indexes (index.writer), never re-split by the server.
Every two adjacent words are a lexeme of their own (`pairs_literal`). PostgreSQL keeps at
most 256 places of one lexeme on one page and no place past 16,383: a phrase of two words is
found wherever it stands (its pair is in the vector or not), one of three or more words
within those places of its pairs only (tests/test_search_backends.py names the difference).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from index.archive_fields import ARCHIVE_FIELDS, archive_key
from index.folding import WORD_PATTERN, fold, terms_of
from index.pg_schema import (
    ARRAY_COLUMNS,
    PAGE_SEARCH,
    PAIRS,
    SEARCH_TERMS,
    VALUE_COLUMNS,
    WAITING,
)
from index.writer import PageRecord

# PostgreSQL's limits for one lexeme (bytes) and one position.
MAX_LEXEME_BYTES = 2046
MAX_POSITION = 16383
MAX_PLACES = 256  # positions of one lexeme: PostgreSQL keeps the first 256
# Positions between the title's words and the authors' in `meta`: a phrase never spans them.
FIELD_GAP = 2
_WORD = re.compile(WORD_PATTERN)


def quoted_lexeme(term: str) -> str:
    """A term as a quoted lexeme of a tsvector or tsquery literal: taken as it stands."""
    if "'" in term or "\\" in term:
        term = term.replace("\\", "\\\\").replace("'", "''")
    return "'" + term + "'"


def _usable(term: str) -> bool:
    # Four bytes at most per character: most words need no encoding to be measured.
    return bool(term) and (
        len(term) * 4 <= MAX_LEXEME_BYTES or len(term.encode()) <= MAX_LEXEME_BYTES
    )


def content_literal(words: list[str]) -> str:
    """`vector_literal([(words, "D")])`, quicker: the page text's vector of its words."""
    if len(words) > MAX_POSITION:
        return vector_literal([(words, "D")])
    return _literal(_places(words, 1))


def pairs_literal(words: list[str]) -> str:
    """The page text's every two adjacent words as one lexeme, at the first one's place (the
    `pairs` vector, index.pg_schema): a phrase of two words is then one lexeme found from the
    GIN index, and a longer one its pairs one place apart ("a b" <-> "b c")."""
    pairs = [pair_lexeme(first, second) for first, second in itertools.pairwise(words)]
    if len(pairs) < MAX_POSITION:
        return _literal(_places(pairs, 1))
    places: dict[str, list[int]] = {}
    for position, pair in enumerate(pairs, 1):
        found = places.setdefault(pair, [])
        at = min(position, MAX_POSITION)
        if len(found) < MAX_PLACES and (not found or found[-1] != at):
            found.append(at)
    return _literal(places)


def _places(words: list[str], first: int) -> dict[str, list[int]]:
    """Each word's places (the first MAX_PLACES of them), the first word at `first`."""
    places: dict[str, list[int]] = {}
    for position, word in enumerate(words, first):
        found = places.get(word)
        if found is None:
            places[word] = [position]
        elif len(found) < MAX_PLACES:
            found.append(position)
    return places


def _literal(places: dict[str, list[int]]) -> str:
    parts = []
    for word, at in places.items():
        head = _lexeme_head(word)
        if head is not None:
            parts.append(head + (str(at[0]) if len(at) == 1 else ",".join(map(str, at))))
    return " ".join(parts)


@lru_cache(maxsize=200_000)
def _lexeme_head(word: str) -> str | None:
    """`'word':`, the start of a lexeme of a vector literal; None for a word PostgreSQL
    cannot hold."""
    return f"{quoted_lexeme(word)}:" if _usable(word) else None


def pair_lexeme(first: str, second: str) -> str:
    """Two adjacent words as one lexeme ("of the", "convoy moved"): no folded word holds a
    space."""
    return f"{first} {second}"


def vector_literal(fields: Sequence[tuple[list[str], str]]) -> str:
    """A tsvector literal of the words of each field, weighted by the field's letter, their
    positions running on through the fields with a gap between them."""
    places: dict[str, list[str]] = {}
    position = 0
    for words, weight in fields:
        suffix = "" if weight == "D" else weight
        for word in words:
            position += 1
            if _usable(word):
                found = places.setdefault(word, [])
                if len(found) < MAX_PLACES:
                    found.append(f"{min(position, MAX_POSITION)}{suffix}")
        position += FIELD_GAP
    return " ".join(f"{quoted_lexeme(word)}:{','.join(at)}" for word, at in places.items())


def _words(value: str) -> list[str]:
    """A title's or author's words as the index's analyzer reads them (no line-end joining)."""
    return [fold(word) for word in _WORD.findall(value)]


def page_row(record: PageRecord) -> dict[str, Any]:
    """What page_search holds of one page, as index.writer's fields hold it for Whoosh."""
    return _page_row(record, terms_of(record.text))


def _page_row(record: PageRecord, content: list[str]) -> dict[str, Any]:
    meta: list[tuple[list[str], str]] = []
    if record.page == 1:  # the document's title and authors, once, on its first page
        meta = [(_words(record.title), "A"), (_words(" ; ".join(record.authors)), "B")]
    row: dict[str, Any] = {
        "page_id": record.row,
        "doc": record.doc,
        "page": record.page,
        "revision": record.revision,
        "content": content_literal(content),
        "pairs": pairs_literal(content),
        "meta": vector_literal(meta),
        # Whoosh's KEYWORD field: the identifiers' words, lowercased.
        "ids": " ".join(record.identifiers).lower().split(),
        # Whoosh's KEYWORD field `lang`: the document's language codes, lowercased.
        "lang": " ".join(record.languages).lower().split(),
        "kind": record.kind or "",
        "collection": fold(record.collection or ""),
        "date": record.date or "",
        "source": record.source or "",
    }
    archive = dict(zip(ARCHIVE_FIELDS, record.archive, strict=False))
    for level, column in ARCHIVE_FIELDS.items():
        row[column] = archive_key(level, archive.get(level) or "")
    return row


def _row_terms(record: PageRecord, content: list[str]) -> set[str]:
    terms = set(content)
    if record.page == 1:
        terms.update(_words(record.title), _words(" ; ".join(record.authors)))
    return {term for term in terms if _usable(term)}


_COLUMNS = (
    "page_id", "doc", "page", "revision", "content", "meta", PAIRS, *ARRAY_COLUMNS.values(),
    *VALUE_COLUMNS,
)  # fmt: skip
_UPSERT = text(
    f"INSERT INTO {PAGE_SEARCH} ({', '.join(_COLUMNS)}) VALUES ("
    + ", ".join(
        f"CAST(:{c} AS tsvector)" if c in ("content", "meta", PAIRS) else f":{c}" for c in _COLUMNS
    )
    + ") ON CONFLICT (page_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "page_id")
)
_ADD_TERMS = text(
    f"INSERT INTO {SEARCH_TERMS} (term) SELECT unnest(CAST(:terms AS text[])) "
    "ON CONFLICT DO NOTHING"
)


def write_pages(connection: Connection, records: Iterable[PageRecord]) -> int:
    """Put the pages' rows in place of what page_search held for them; their words into the
    lexicon. The caller's transaction commits them."""
    records = list(records)
    if not records:
        return 0
    rows = []
    terms: set[str] = set()
    for record in records:
        content = terms_of(record.text)
        rows.append(_page_row(record, content))
        terms |= _row_terms(record, content)
    connection.execute(_UPSERT, rows)
    # Sorted: two workstations adding overlapping words take their locks in one order.
    ordered = sorted(terms)
    for start in range(0, len(ordered), 20_000):
        connection.execute(_ADD_TERMS, {"terms": ordered[start : start + 20_000]})
    return len(records)


def claim_waiting(connection: Connection, limit: int) -> list[int]:
    """Take up to `limit` waiting pages (catalog row ids) off the list, for this transaction
    to write; pages another transaction is writing are left to it. Rolled back, they wait
    again."""
    rows = connection.execute(
        text(
            f"DELETE FROM {WAITING} WHERE page_id IN (SELECT page_id FROM {WAITING} "
            "ORDER BY page_id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING page_id"
        ),
        {"limit": limit},
    )
    return sorted(row[0] for row in rows)


def wait_all(connection: Connection, pages: str = "pages") -> None:
    """Every catalog page waits to be written again (a rebuild: the folding changed)."""
    connection.execute(
        text(f"INSERT INTO {WAITING} (page_id) SELECT id FROM {pages} ON CONFLICT DO NOTHING")
    )


def waiting_count(connection: Connection) -> int:
    return int(connection.execute(text(f"SELECT count(*) FROM {WAITING}")).scalar_one())


def flush_pending(connection: Connection) -> None:
    """Move the rows written lately from the GIN indexes' pending lists (their fast update)
    into the indexes proper: every search reads the whole of a pending list, up to 4 MB,
    which made one take 50 ms more at 100,000 pages; only VACUUM and autovacuum empty them
    otherwise. A server that refuses it (not the indexes' owner) keeps them as they are."""
    try:
        with connection.begin_nested():
            for column in ("content", PAIRS, "meta"):
                connection.execute(
                    text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"),
                    {"index": f"ix_{PAGE_SEARCH}_{column}"},
                )
    except DBAPIError:
        pass
