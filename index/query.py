"""Parsing what a researcher types into a Whoosh query.

Words (all must match), "exact phrases", AND/OR/NOT, prefix*, fuzzy~ (Horstenau~, Horstenau~2),
and field filters: kind:primary, id:NOKW-1088 (any spelling of the identifier), collection:...,
author:..., title:..., date:1943-03 (a month, year or day) and date:[1943-01 TO 1943-06].

What an identifier's written variants are is the core's knowledge, not the index's: whoever runs
a query hands in `canonicalize`, which writes an identifier in its one canonical form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

from index.analysis import common_pairs
from index.api import QueryError
from index.phrase import ExactPhrase

SEARCH_FIELDS = ["content", "title"]
# Past this many characters a query is not something a person typed.
MAX_QUERY_CHARS = 2000

Canonicalize = Callable[[str], str | None]
"""An identifier as written ("nokw 1088") in its canonical form ("NOKW-1088"); None if the
text is no identifier the caller knows."""


def parse_query(text: str, schema: Schema, *, canonicalize: Canonicalize | None = None) -> q.Query:
    """`canonicalize` makes id:... match any spelling of an identifier; without it, id:...
    matches the canonical form only (case aside)."""
    stripped = text.strip()
    if not stripped:
        raise QueryError("the query is empty")
    if len(stripped) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long (over {MAX_QUERY_CHARS} characters)")
    parser = MultifieldParser(SEARCH_FIELDS, schema, fieldboosts={"title": 1.5})
    parser.add_plugin(FuzzyTermPlugin())
    try:
        parsed = parser.parse(stripped)
    except Exception as exc:  # Whoosh's parser is lenient; anything it raises is our message
        raise QueryError(f"cannot understand the query: {exc}") from exc
    rewritten = _rewrite(parsed, canonicalize)
    if rewritten is q.NullQuery:
        raise QueryError("the query has no words to search for")
    return rewritten


def _identifier_term(value: str, canonicalize: Canonicalize | None) -> str:
    if canonicalize is None:
        return value.lower()
    return (canonicalize(value) or canonicalize(value.upper()) or value).lower()


def _rewrite(node: q.Query, canonicalize: Canonicalize | None) -> q.Query:
    """Field-specific meanings the generic parser does not know."""
    if isinstance(node, q.Term) and node.fieldname == "date":
        return q.Prefix("date", str(node.text))
    if isinstance(node, q.TermRange) and node.fieldname == "date":
        # A range ends after the whole of its last month or year: "1943-06" takes in June.
        end = f"{node.end}\uffff" if node.end else None
        return q.TermRange("date", node.start, end, node.startexcl, node.endexcl)
    if isinstance(node, q.Term) and node.fieldname == "kind":
        return q.Term("kind", str(node.text).lower())
    if isinstance(node, q.Term) and node.fieldname == "id":
        return q.Term("id", _identifier_term(str(node.text), canonicalize))
    if isinstance(node, q.Phrase) and node.fieldname == "id":
        return q.Term("id", _identifier_term(" ".join(node.words), canonicalize))
    if isinstance(node, q.Phrase) and node.slop == 1:
        exact = ExactPhrase(
            node.fieldname, node.words, boost=node.boost, char_ranges=node.char_ranges
        )
        return _with_common_pairs(exact) if node.fieldname == "content" else exact
    if node.is_leaf():
        return node
    return node.apply(partial(_rewrite, canonicalize=canonicalize))


def _with_common_pairs(phrase: q.Phrase) -> q.Query:
    """A phrase with common words first narrowed to the pages holding its common pairs: only
    those pages need their word positions checked, and a two-word phrase is its pair."""
    words = [str(word) for word in phrase.words]
    pairs = [q.Term("pairs", pair, boost=phrase.boost) for pair in common_pairs(words)]
    if not pairs:
        return phrase
    if len(words) == 2:
        return pairs[0]
    return q.And([*pairs, phrase])
