"""Search answered by the PostgreSQL server that holds the catalog (index.pg_schema's tables).

The query is parsed as the Whoosh side parses it (index.query: the same syntax, the same
refusals), then run as SQL (index.pg_query). Fuzzy terms are expanded through the lexicon's
trigram index (pg_trgm) to the words within their edit distance, checked with the same
Levenshtein distance as the Whoosh side; the trigram filter needs a word long enough for its
distance (a word of n letters keeps at least n + 1 - 3d of its trigrams after d edits), and a
shorter one is refused with a message rather than matched against the whole lexicon.

A server that goes away is an index.api.SearchUnavailable; a search running past
STATEMENT_TIMEOUT is stopped and refused as a QueryError.

The researchers' notes are not searched here (index.pg_schema holds pages only): in:notes is
refused, and a result that did not keep to in:pages says that notes were not searched.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection, Engine
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError, OperationalError
from whoosh import query as q
from whoosh.fields import Schema

from index.api import QueryError, SearchUnavailable
from index.pg_query import compile_filter, compile_query
from index.pg_schema import PAGE_SEARCH, PAIRS, SEARCH_TERMS, TRIGRAM_EXTENSION
from index.pg_write import quoted_lexeme
from index.query import Canonicalize, parse_query
from index.schema import page_schema
from index.search import MIN_RARE_TERMS, RARE_SHARE, RARE_TERMS, IndexHit, IndexResults

STATEMENT_TIMEOUT_MS = 30_000
# A wildcard standing for more words than this is refused: make it longer.
MAX_WILDCARD_WORDS = 1000
# A query matching more pages than this has only so many of them ranked, the first the index
# finds, and says so (the count stays exact): reading every page's vector to rank it takes
# a second on 100,000 pages. Never fewer than the hits asked for.
RANKED_PAGES = 500
# The vectors a score reads, and their weights (`meta`: the title and authors).
_SCORED = {"content": 1.0, PAIRS: 1.0, "meta": 1.5}
_INDEX_PLANS = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
)
# Spellings of a prefix marked in snippets (the search itself takes every word).
MARKED_PREFIX_WORDS = 200
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Said with every result that did not keep to in:pages: the Whoosh index finds notes too.
NOTES_NOT_SEARCHED = (
    "notes were not searched: the PostgreSQL search holds the pages only "
    "(search with --search whoosh to find notes)"
)


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word of letters and digits: padded by two blanks before and
    one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def fuzzy_threshold(word: str, distance: int) -> float | None:
    """The lowest trigram similarity a word within `distance` edits of `word` can have: each
    edit changes at most three of its trigrams, and adds at most one. None when the edits may
    leave no trigram in common (the word is too short for the distance)."""
    kept = len(trigrams(word)) - 3 * distance
    if kept <= 0:
        return None
    # A hair below the bound: the filter must never drop a word the distance allows.
    return kept / (len(word) + 1 + 4 * distance) * 0.999


class PostgresBackend:
    name = "postgresql"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @cached_property
    def schema(self) -> Schema:
        return page_schema()

    @cached_property
    def has_trigrams(self) -> bool:
        with self._connected() as connection:
            found = connection.execute(
                sql("SELECT 1 FROM pg_extension WHERE extname = :name"),
                {"name": TRIGRAM_EXTENSION},
            ).first()
        return found is not None

    @contextmanager
    def _connected(self) -> Iterator[Connection]:
        """A connection in a transaction, errors of the server made the reader's."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sql("SELECT set_config('statement_timeout', :ms, true)"),
                    {"ms": str(STATEMENT_TIMEOUT_MS)},
                )
                yield connection
        except DBAPIError as exc:
            raise _reader_error(exc) from exc

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        kind: str | None = None,
        sort: str = "relevance",
        canonicalize: Canonicalize | None = None,
        within: str = "",
        viewer: str | None = None,  # no notes here, private or shared: nothing to hide
    ) -> IndexResults:
        query = parse_query(text, self.schema, canonicalize=canonicalize)
        with self._connected() as connection:

            def expand(node: q.Query) -> list[str]:
                return self._expand(connection, node)

            compiled = compile_query(query, self.schema, expand)
            params: dict[str, object] = dict(compiled.params)
            where = [compiled.where]
            if kind:
                params["kind"] = kind.lower()
                where.append("kind = :kind")
            if within.strip():
                limiting = parse_query(within, self.schema, canonicalize=canonicalize)
                where.append(compile_filter(limiting, self.schema, expand, params))
            wanted = max(int(limit), 1)
            params["limit"] = wanted
            # The vectors are out of the row (TOAST), which the planner's costs do not count:
            # a sequential or ordered index scan would read the vector of every page it
            # passes. The GIN indexes find the pages; only those ranked are read.
            connection.execute(sql(_INDEX_PLANS))
            where_sql = " AND ".join(where)
            total = int(
                connection.execute(
                    sql(f"SELECT count(*) FROM {PAGE_SEARCH} WHERE {where_sql}"), params
                ).scalar_one()
            )
            ranked = max(RANKED_PAGES, wanted) if sort == "relevance" else 0
            if not total:
                rows = []
            elif ranked:
                params["ranked"] = ranked
                statement = self._ranking(where_sql, compiled.rank, params)
                rows = list(connection.execute(sql(statement), params))
            else:
                statement = (
                    f"SELECT page_id, doc, page, 0 AS score FROM {PAGE_SEARCH} WHERE {where_sql} "
                    'ORDER BY date COLLATE "C", doc, page LIMIT :limit'
                )
                rows = list(connection.execute(sql(statement), params))
        terms = frozenset(compiled.terms)
        hits = [
            IndexHit(
                doc=row.doc,
                page=row.page,
                score=round(float(row.score), 4),
                terms=terms,
                row=row.page_id,
            )
            for row in rows
        ]
        notes = [] if compiled.pages_only else [NOTES_NOT_SEARCHED]
        if ranked and total > ranked:
            notes.append(
                f"{total:,} pages match: the best were chosen among {ranked:,} of them, not all "
                "ranked (narrow the search to have every page ranked)"
            )
        return IndexResults(total=total, hits=hits, note="; ".join(notes))

    def _ranking(self, where: str, rank: dict[str, list[str]], params: dict[str, object]) -> str:
        """The statement that scores the first `:ranked` pages matching `where` that the
        index finds (all of them, most often), the best `:limit` first: only their vectors
        are read."""
        score = self._score(rank, params)
        vectors = "".join(f", {column}" for column in _SCORED if rank.get(column))
        return (
            f"SELECT page_id, doc, page, {score} AS score FROM ("
            f"SELECT page_id, doc, page{vectors} FROM {PAGE_SEARCH} WHERE {where} LIMIT :ranked"
            ") AS found ORDER BY score DESC, doc, page LIMIT :limit"
        )

    @staticmethod
    def _score(rank: dict[str, list[str]], params: dict[str, object]) -> str:
        parts = []
        for column, weight in _SCORED.items():
            if rank.get(column):
                params[f"rank_{column}"] = " | ".join(rank[column])
                parts.append(f"{weight} * ts_rank({column}, CAST(:rank_{column} AS tsquery))")
        return " + ".join(parts) or "0"

    def _expand(self, connection: Connection, node: q.Query) -> list[str]:
        if isinstance(node, q.FuzzyTerm):
            return self._fuzzy(connection, str(node.text), node.maxdist, node.prefixlength)
        if isinstance(node, q.Prefix):
            return self._like(connection, _escaped(str(node.text)) + "%", MARKED_PREFIX_WORDS)
        if isinstance(node, q.Wildcard):
            pattern = _escaped(str(node.text)).replace("*", "%").replace("?", "_")
            words = self._like(connection, pattern, MAX_WILDCARD_WORDS + 1)
            if len(words) > MAX_WILDCARD_WORDS:
                raise QueryError(
                    f'"{node.text}" stands for more than {MAX_WILDCARD_WORDS} words: '
                    "give more letters"
                )
            return words
        return []

    @staticmethod
    def _like(connection: Connection, pattern: str, limit: int) -> list[str]:
        return list(
            connection.execute(
                sql(f"SELECT term FROM {SEARCH_TERMS} WHERE term LIKE :p ORDER BY term LIMIT :n"),
                {"p": pattern, "n": limit},
            ).scalars()
        )

    def _fuzzy(self, connection: Connection, word: str, distance: int, prefix: int) -> list[str]:
        if not self.has_trigrams:
            raise QueryError(
                f"fuzzy terms need the {TRIGRAM_EXTENSION} extension on the PostgreSQL server, "
                "which this catalog's server lacks"
            )
        conditions = ["length(term) BETWEEN :low AND :high"]
        params: dict[str, object] = {"low": len(word) - distance, "high": len(word) + distance}
        if prefix:
            conditions.append("term LIKE :prefix")
            params["prefix"] = _escaped(word[:prefix]) + "%"
        if _ASCII_WORD.fullmatch(word):
            threshold = fuzzy_threshold(word, distance)
            if threshold is None:
                raise QueryError(
                    f'"{word}~{distance}" lets {distance} of its {len(word)} letters differ: it '
                    "would match most words of that length. Use a smaller distance or a longer "
                    "word"
                )
            connection.execute(
                sql("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
                {"t": str(threshold)},
            )
            conditions.append("term % :word")
            params["word"] = word
        # A word of other letters: pg_trgm's idea of a letter depends on the server's locale,
        # so no trigram bound holds; the words of a near length are read instead.
        found = connection.execute(
            sql(f"SELECT term FROM {SEARCH_TERMS} WHERE {' AND '.join(conditions)}"), params
        ).scalars()
        return sorted(
            term
            for term in found
            if Levenshtein.distance(word, term, score_cutoff=distance) <= distance
        )

    @contextmanager
    def quote_search(self) -> Iterator[PostgresQuotes]:
        with self._connected() as connection:
            connection.execute(sql(_INDEX_PLANS))  # as for a search: no vector read to count
            yield PostgresQuotes(connection)


class PostgresQuotes:
    """index.search.candidate_pages on page_search: each word's page count and pages read once
    per article."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._pages: int | None = None
        self._frequencies: dict[str, int] = {}
        self._exclude_doc: int | None = None
        self._postings: dict[str, list[tuple[int, int]]] = {}  # of the last article

    @property
    def pages(self) -> int:
        if self._pages is None:
            count = self.connection.execute(sql(f"SELECT count(*) FROM {PAGE_SEARCH}"))
            self._pages = max(int(count.scalar_one()), 1)
        return self._pages

    def frequency(self, terms: list[str]) -> dict[str, int]:
        missing = [term for term in dict.fromkeys(terms) if term not in self._frequencies]
        if missing:
            rows = self.connection.execute(
                sql(
                    f"SELECT t, (SELECT count(*) FROM {PAGE_SEARCH} "
                    "WHERE content @@ CAST(l AS tsquery)) "
                    "FROM unnest(CAST(:terms AS text[]), CAST(:lexemes AS text[])) AS u(t, l)"
                ),
                {"terms": missing, "lexemes": [quoted_lexeme(term) for term in missing]},
            )
            self._frequencies.update({term: int(count) for term, count in rows})
        return {term: self._frequencies[term] for term in terms}

    def postings(self, term: str, exclude_doc: int | None) -> list[tuple[int, int]]:
        if exclude_doc != self._exclude_doc:
            self._postings, self._exclude_doc = {}, exclude_doc
        if term not in self._postings:
            rows = self.connection.execute(
                sql(
                    f"SELECT doc, page FROM {PAGE_SEARCH} WHERE content @@ CAST(:q AS tsquery) "
                    "AND doc IS DISTINCT FROM :exclude"
                ),
                {"q": quoted_lexeme(term), "exclude": exclude_doc},
            )
            self._postings[term] = [(doc, page) for doc, page in rows]
        return self._postings[term]

    def candidates(
        self, terms: list[str], *, exclude_doc: int | None, limit: int
    ) -> list[tuple[int, int]]:
        """As index.search.candidate_pages: the rarest words weighed by their rarity."""
        pages = self.pages
        frequencies = self.frequency(terms)
        by_rarity = sorted((frequencies[term], term) for term in terms)
        present = [(frequency, term) for frequency, term in by_rarity if frequency > 0]
        rare = [(f, t) for f, t in present if f <= RARE_SHARE * pages] or present[:MIN_RARE_TERMS]
        weights: dict[tuple[int, int], float] = defaultdict(float)
        for frequency, term in rare[:RARE_TERMS]:
            rarity = math.log(1 + pages / frequency)
            for found in self.postings(term, exclude_doc):
                weights[found] += rarity
        best = heapq.nsmallest(limit, weights.items(), key=lambda item: (-item[1], item[0]))
        return [found for found, _ in best]


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _reader_error(exc: DBAPIError) -> Exception:
    """The server's failure said for the person searching."""
    original = getattr(exc, "orig", None)
    name = type(original).__name__
    if name == "QueryCanceled":
        return QueryError(
            f"the search ran past {STATEMENT_TIMEOUT_MS / 1000:g} s on the PostgreSQL server and "
            "was stopped: narrow it (more words, a field, fewer wildcards)"
        )
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        first = str(original or exc).strip().splitlines()[0] if str(original or exc) else ""
        return SearchUnavailable(
            f"the PostgreSQL server that answers searches cannot be reached ({first}); "
            "try again when it is back"
        )
    return exc
