"""A parsed query (index.query: the same parser, the same refusals) as a condition on
page_search rows (index.pg_schema), for the PostgreSQL backend.

Words of the page text become one tsquery on `content` where the query's shape allows (its
GIN index answers the whole of "a b NOT c" at once), its phrases a tsquery on `pairs` (every
two adjacent words as one lexeme); the title's and authors' words a tsquery on `meta`
(weights A and B); the other fields comparisons of their columns.
Prefixes are tsquery prefixes; fuzzy terms and wildcards are expanded first to the words of
the lexicon they stand for (`Expand`, in index.pg_search), as the Whoosh side expands them.

What PostgreSQL cannot answer as Whoosh does is refused with a QueryError saying so, never
answered as another query: a proximity of many words with a wide distance (tsquery knows only
exact distances: each combination is spelled out, up to MAX_PROXIMITY_FORMS), and a range of
words ("content:[a TO c]"), and in:notes (the notes are searched in the Whoosh index only).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product

from whoosh import query as q
from whoosh.fields import Schema

from index.api import QueryError
from index.pg_schema import ARRAY_COLUMNS, PAIRS, VALUE_COLUMNS
from index.pg_write import pair_lexeme, quoted_lexeme

# The text fields and where each lives: the column and the tsquery weights of its words.
TEXT_COLUMNS = {"content": ("content", ""), "title": ("meta", "A"), "author": ("meta", "B")}
# The pairs of common words Whoosh indexes as one term ("of_the"): lexemes of the `pairs`
# vector here ("of the", index.pg_write.pair_lexeme), which holds every adjacent pair.
MAX_PROXIMITY_FORMS = 64
# in:notes, in:pages (index.query): the index's `layer`. page_search holds pages only.
LAYER = "layer"
NOTES_REFUSED = (
    "in:notes cannot be searched on PostgreSQL: its search holds the pages only, not the "
    "notes (search with --search whoosh to find notes)"
)

Expand = Callable[[q.Query], list[str]]
"""The lexicon's words a fuzzy term or wildcard stands for (folded, as the index has them)."""


@dataclass
class Condition:
    """A compiled query: either a tsquery on one column (`column`, `tsquery`) or SQL."""

    column: str = ""
    tsquery: str = ""
    sql: str = ""

    @property
    def is_text(self) -> bool:
        return bool(self.column)


@dataclass
class Compiled:
    where: str
    params: dict[str, object]
    # The tsqueries of the words sought (not those under NOT), per column: for the score.
    rank: dict[str, list[str]]
    # The words sought, as the index has them: what snippets and word boxes mark.
    terms: set[str]
    # The query keeps to the pages (in:pages): that notes are not searched changes nothing.
    pages_only: bool = False


FALSE = Condition(sql="FALSE")
TRUE = Condition(sql="TRUE")


@dataclass
class _Compiler:
    schema: Schema
    expand: Expand
    prefix: str = "p"
    params: dict[str, object] = field(default_factory=dict)
    rank: dict[str, list[str]] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)
    pages_only: bool = False

    def param(self, value: object) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def sql(self, condition: Condition) -> str:
        if condition.is_text:
            return f"({condition.column} @@ CAST({self.param(condition.tsquery)} AS tsquery))"
        return condition.sql

    def compile(self, node: q.Query, positive: bool = True) -> Condition:
        if isinstance(node, q.And | q.Or):
            return self._combine(node, positive)
        if isinstance(node, q.AndNot):
            return self._combine(q.And([node.a, q.Not(node.b)]), positive)
        if isinstance(node, q.AndMaybe):
            return self.compile(node.a, positive)
        if isinstance(node, q.Not):
            inner = self.compile(node.query, not positive)
            if inner.is_text:
                return Condition(inner.column, f"!({inner.tsquery})")
            return Condition(sql=f"(NOT {self.sql(inner)})")
        if isinstance(node, type(q.NullQuery)):
            return FALSE
        if isinstance(node, q.WrappingQuery | q.ConstantScoreQuery):
            return self.compile(node.child, positive)
        field_name = getattr(node, "fieldname", None)
        if field_name == PAIRS and isinstance(node, q.Term):
            first, _, second = str(node.text).partition("_")
            if positive:
                self.terms.update((first, second))
            return self._leaf(PAIRS, quoted_lexeme(pair_lexeme(first, second)), positive)
        if field_name == LAYER:
            return self._layer(node, positive)
        if field_name in TEXT_COLUMNS:
            return self._text(node, str(field_name), positive)
        if field_name is not None:
            return self._value(node, str(field_name))
        raise QueryError(f"the PostgreSQL search cannot run this query ({type(node).__name__})")

    def _layer(self, node: q.Query, positive: bool) -> Condition:
        """in:pages is every row; in:notes is refused (no notes here), and under NOT
        (`-in:notes`) excludes nothing."""
        layer = str(node.text) if isinstance(node, q.Term) else ""
        if layer == "pages":
            self.pages_only = self.pages_only or positive
            return TRUE
        if layer == "notes" and not positive:
            return FALSE
        if layer == "notes":
            raise QueryError(NOTES_REFUSED)
        raise QueryError("in: takes notes or pages, written in full, on PostgreSQL")

    def _combine(self, node: q.And | q.Or, positive: bool) -> Condition:
        joiner, sql_joiner = (" & ", " AND ") if isinstance(node, q.And) else (" | ", " OR ")
        parts = [self.compile(child, positive) for child in node.subqueries]
        by_column: dict[str, list[str]] = {}
        others: list[str] = []
        for part in parts:
            if part.is_text:
                by_column.setdefault(part.column, []).append(f"({part.tsquery})")
            else:
                others.append(part.sql)
        if isinstance(node, q.And) and "FALSE" in others:
            return FALSE
        others = [sql for sql in others if sql != ("FALSE" if isinstance(node, q.Or) else "TRUE")]
        merged = [Condition(column, joiner.join(queries)) for column, queries in by_column.items()]
        if len(merged) == 1 and not others:
            return merged[0]
        pieces = [self.sql(condition) for condition in merged] + others
        if not pieces:
            return FALSE if isinstance(node, q.Or) else TRUE
        return Condition(sql="(" + sql_joiner.join(pieces) + ")")

    def _text(self, node: q.Query, field_name: str, positive: bool) -> Condition:
        column, weight = TEXT_COLUMNS[field_name]
        if isinstance(node, q.Phrase):
            return self._phrase(field_name, [str(w) for w in node.words], node.slop, positive)
        if isinstance(node, q.Every):
            raise QueryError('a lone "*" would match every page: add letters before the *')
        if isinstance(node, q.Prefix):
            prefix = str(node.text)
            if not prefix:
                raise QueryError('a lone "*" would match every page: add letters before the *')
            if positive:
                self.terms.update(self.expand(node))
            return self._leaf(column, f"{quoted_lexeme(prefix)}:*{weight}", positive)
        if isinstance(node, q.FuzzyTerm | q.Wildcard):
            words = self.expand(node)
            if not words:
                return FALSE
            if positive:
                self.terms.update(words)
            tsquery = " | ".join(f"{quoted_lexeme(word)}{_weight(weight)}" for word in words)
            return self._leaf(column, tsquery, positive)
        if isinstance(node, q.Term):
            word = str(node.text)
            if positive:
                self.terms.add(word)
            return self._leaf(column, f"{quoted_lexeme(word)}{_weight(weight)}", positive)
        if isinstance(node, q.TermRange):
            raise QueryError(f"a range of words in {field_name} cannot be searched on PostgreSQL")
        raise QueryError(f"the PostgreSQL search cannot run this query ({type(node).__name__})")

    def _phrase(self, field_name: str, words: list[str], slop: int, positive: bool) -> Condition:
        column, weight = TEXT_COLUMNS[field_name]
        words = [word for word in words if word]
        if not words:
            return FALSE
        if positive:
            self.terms.update(words)
        lexemes = [f"{quoted_lexeme(word)}{_weight(weight)}" for word in words]
        if len(words) == 1:
            return self._leaf(column, lexemes[0], positive)
        if slop <= 1:
            if column != "content":
                return self._leaf(column, " <-> ".join(lexemes), positive)
            # Every two adjacent words are a lexeme of `pairs` (index.pg_write.pairs_literal),
            # at the first one's place: two words are their pair, found from the GIN index
            # alone; more are their pairs one place apart, the index finding the pages that
            # hold them all before their places are read.
            pairs = [
                quoted_lexeme(pair_lexeme(first, second))
                for first, second in itertools.pairwise(words)
            ]
            return self._leaf(PAIRS, " <-> ".join(pairs), positive)
        # Whoosh: each word after the one before, at most `slop` places on. tsquery's <N> is
        # one exact distance: every combination of distances is spelled out.
        forms = slop ** (len(words) - 1)
        if forms > MAX_PROXIMITY_FORMS:
            raise QueryError(
                f"the PostgreSQL search cannot look for {len(words)} words within {slop} "
                "places of each other: use fewer words or a smaller distance"
            )
        alternatives = []
        for distances in product(range(1, slop + 1), repeat=len(words) - 1):
            spelled = lexemes[0]
            for distance, lexeme in zip(distances, lexemes[1:], strict=True):
                spelled = f"{spelled} <{distance}> {lexeme}"
            alternatives.append(f"({spelled})")
        return self._leaf(column, " | ".join(alternatives), positive)

    def _leaf(self, column: str, tsquery: str, positive: bool) -> Condition:
        if positive:
            self.rank.setdefault(column, []).append(f"({tsquery})")
        return Condition(column, tsquery)

    def _value(self, node: q.Query, field_name: str) -> Condition:
        if field_name == "doc":
            return self._doc(node)
        if field_name in ARRAY_COLUMNS:
            return self._array(node, field_name)
        if field_name not in VALUE_COLUMNS:
            raise QueryError(f'"{field_name}" cannot be searched on PostgreSQL')
        column = field_name
        if isinstance(node, q.Every):
            return Condition(sql=f"({column} <> '')")
        if isinstance(node, q.Term):
            return Condition(sql=f"({column} = {self.param(str(node.text))})")
        if isinstance(node, q.Phrase):
            return Condition(sql=f"({column} = {self.param(' '.join(map(str, node.words)))})")
        if isinstance(node, q.Prefix):
            pattern = _like_escaped(str(node.text)) + "%"
            return Condition(sql=f'({column} COLLATE "C" LIKE {self.param(pattern)})')
        if isinstance(node, q.Wildcard):
            pattern = _like_pattern(str(node.text))
            return Condition(sql=f'({column} COLLATE "C" LIKE {self.param(pattern)})')
        if isinstance(node, q.TermRange):
            return Condition(sql=self._range(column, node))
        raise QueryError(f"{field_name}: this kind of query cannot run on PostgreSQL")

    def _range(self, column: str, node: q.TermRange) -> str:
        bounds = []
        if node.start is not None and node.start != "":
            operator = ">" if node.startexcl else ">="
            bounds.append(f'{column} COLLATE "C" {operator} {self.param(str(node.start))}')
        if node.end is not None and node.end != "":
            operator = "<" if node.endexcl else "<="
            bounds.append(f'{column} COLLATE "C" {operator} {self.param(str(node.end))}')
        return "(" + (" AND ".join(bounds) or f"{column} <> ''") + ")"

    def _array(self, node: q.Query, field_name: str) -> Condition:
        """A KEYWORD field (id:, lang:): any one of the row's words."""
        ids = ARRAY_COLUMNS[field_name]
        if isinstance(node, q.Every):
            return Condition(sql=f"(cardinality({ids}) > 0)")
        if isinstance(node, q.Term):
            return Condition(sql=f"({self.param(str(node.text))} = ANY({ids}))")
        if isinstance(node, q.Prefix | q.Wildcard):
            text = str(node.text)
            pattern = (
                _like_escaped(text) + "%" if isinstance(node, q.Prefix) else _like_pattern(text)
            )
            return Condition(
                sql=f"(EXISTS (SELECT 1 FROM unnest({ids}) AS i "
                f"WHERE i LIKE {self.param(pattern)}))"
            )
        raise QueryError(f"{field_name}: this kind of query cannot run on PostgreSQL")

    def _doc(self, node: q.Query) -> Condition:
        doc_field = self.schema["doc"]
        if isinstance(node, q.Term):
            value = node.text
            number = doc_field.from_bytes(value) if isinstance(value, bytes) else int(value)
            return Condition(sql=f"(doc = {self.param(int(number))})")
        if isinstance(node, q.NumericRange):
            bounds = []
            if node.start is not None:
                bounds.append(f"doc {'>' if node.startexcl else '>='} {self.param(node.start)}")
            if node.end is not None:
                bounds.append(f"doc {'<' if node.endexcl else '<='} {self.param(node.end)}")
            return Condition(sql="(" + (" AND ".join(bounds) or "TRUE") + ")")
        raise QueryError("doc: this kind of query cannot run on PostgreSQL")


def _weight(weight: str) -> str:
    return f":{weight}" if weight else ""


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(wildcard: str) -> str:
    """Whoosh's wildcard (* any run, ? one character) as a LIKE pattern."""
    return _like_escaped(wildcard).replace("*", "%").replace("?", "_")


def compile_query(query: q.Query, schema: Schema, expand: Expand) -> Compiled:
    compiler = _Compiler(schema, expand)
    condition = compiler.compile(query)
    return Compiled(
        compiler.sql(condition), compiler.params, compiler.rank, compiler.terms,
        compiler.pages_only,
    )  # fmt: skip


def compile_filter(
    query: q.Query, schema: Schema, expand: Expand, params: dict[str, object]
) -> str:
    """A query that only limits the pages (`within`), its parameters added to `params`
    under names of its own."""
    compiler = _Compiler(schema, expand, prefix="w")
    where = compiler.sql(compiler.compile(query))
    params.update(compiler.params)
    return where
