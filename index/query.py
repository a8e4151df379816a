"""Parsing what a researcher types into a Whoosh query.

Words (all must match), "exact phrases", AND/OR/NOT, prefix*, fuzzy~ (Horstenau~, Horstenau~2,
up to MAX_FUZZY_DISTANCE), and field filters: kind:primary, id:NOKW-1088 (any spelling of the
identifier), collection:..., author:..., title:..., date:1943-03 (a month, year or day) and
date:[1943-01 TO 1943-06], and the archive's order: repository:, rg:, series:, box:, folder:,
item:, each matching a whole value however it is written (rg:238 finds "RG 238"; quote a value
with spaces: box:"Box 7/12"; see index.archive_fields). lang:de keeps to documents in a
language (ISO 639-1 codes); in:notes keeps to the researchers' notes (their annotations' notes
and highlighted text), in:pages to the pages; without either, both are searched.

A query that cannot mean what was typed is refused with a message rather than run as another
query: a fuzzy distance out of range ("report~99" is not "report~9" and the word "9"), and a
lowercase name before a colon that is no field a person can search ("page:1", "series:NOKW").
Other text before a colon ("NOKW:1088", "10:30") stays words, as Whoosh reads it. A wildcard
without letters ("???", "*") is refused too: it would match every word.

Spellings: words are folded as index.folding says (Südost = Suedost = Sudost, Михаиловић =
Mihailović = Mihailovic), and the pages holding a word as it was typed rank first; a word of
index.exonyms' table also finds the other words of its group (Chetniks: četnici, четници).

What an identifier's written variants are is the core's knowledge, not the index's: whoever runs
a query hands in `canonicalize`, which writes an identifier in its one canonical form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import FieldsPlugin, FuzzyTermPlugin, MultifieldParser, syntax

from index.analysis import common_pairs
from index.api import QueryError
from index.exonyms import exonym_group
from index.folding import fold, spelling, words_of
from index.phrase import ExactPhrase

SEARCH_FIELDS = ["content", "title"]
# Each page's words as written, where that differs from the indexed term (index.folding).
SPELLING_FIELD = "exact"
# The other words of a query word's exonym group (index.exonyms) weigh less than the word
# as typed: "Chetniks" ranks pages that say Chetniks above those that say четници.
EXONYM_BOOST = 0.5
# The fields a person may name in a query; the schema's others are the index's bookkeeping.
QUERY_FIELDS = (
    "author", "box", "collection", "content", "date", "doc", "folder", "id", "in", "item", "kind",
    "lang", "repository", "rg", "series", "source", "title",
)  # fmt: skip
# in:notes, in:pages: the index's `layer` field under the name a person types.
LAYERS = {"notes": "notes", "note": "notes", "pages": "pages", "page": "pages"}
_RENAMED = {"in": "layer"}
# Past this a fuzzy word matches most of the lexicon: no longer a spelling of the word.
MAX_FUZZY_DISTANCE = 3
# A fuzzy word shorter than this would match most short words of the lexicon.
MIN_FUZZY_LETTERS = 3
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
    parser.remove_plugin_class(FieldsPlugin)
    parser.add_plugin(_CheckedFields())
    parser.add_plugin(_CheckedFuzziness())
    try:
        parsed = parser.parse(stripped)
    except QueryError:
        raise
    except Exception as exc:  # Whoosh's parser is lenient; anything it raises is our message
        raise QueryError(f"cannot understand the query: {exc}") from exc
    rewritten = _rewrite(parsed, canonicalize)
    if rewritten is q.NullQuery:
        raise QueryError("the query has no words to search for")
    return _spellings_first(rewritten, stripped, schema)


def _spellings_first(query: q.Query, text: str, schema: Schema) -> q.Query:
    """The query, its pages that hold a word as it was typed ranked above those that hold
    only another spelling of it (Südost above Suedost, Михаиловић above Mihailović): an
    optional clause on the words' exact spellings, for the words whose spelling differs from
    their indexed term."""
    if SPELLING_FIELD not in schema:
        return query
    typed = {spelling(word) for word in words_of(text) if spelling(word) != fold(word)}
    if not typed:
        return query
    exact = [q.Term(SPELLING_FIELD, written) for written in sorted(typed)]
    return q.AndMaybe(query, exact[0] if len(exact) == 1 else q.Or(exact))


def _identifier_term(value: str, canonicalize: Canonicalize | None) -> str:
    if canonicalize is None:
        return value.lower()
    return (canonicalize(value) or canonicalize(value.upper()) or value).lower()


def _rewrite(node: q.Query, canonicalize: Canonicalize | None) -> q.Query:
    """Field-specific meanings the generic parser does not know."""
    if isinstance(node, q.Every) and node.fieldname in (None, *SEARCH_FIELDS):
        raise QueryError(
            'a lone "*" has no letters to search for and would match every page: put letters '
            "before the *"
        )
    if isinstance(node, q.FuzzyTerm) and len(str(node.text)) < MIN_FUZZY_LETTERS:
        raise QueryError(
            f'"{node.text}~" is too short to be searched fuzzily: a fuzzy word needs at least '
            f"{MIN_FUZZY_LETTERS} letters (a shorter one matches most short words)"
        )
    if isinstance(node, q.Term) and node.fieldname == "date":
        return q.Prefix("date", str(node.text))
    if isinstance(node, q.TermRange) and node.fieldname == "date":
        # A range ends after the whole of its last month or year: "1943-06" takes in June.
        end = f"{node.end}\uffff" if node.end else None
        return q.TermRange("date", node.start, end, node.startexcl, node.endexcl)
    if isinstance(node, q.Term) and node.fieldname == "kind":
        return q.Term("kind", str(node.text).lower())
    if isinstance(node, q.Term) and node.fieldname == "layer":
        layer = LAYERS.get(str(node.text).lower())
        if layer is None:
            raise QueryError(f'"in:{node.text}" is not a layer: write in:notes or in:pages')
        return q.Term("layer", layer)
    if isinstance(node, q.Term) and node.fieldname == "id":
        return q.Term("id", _identifier_term(str(node.text), canonicalize))
    if isinstance(node, q.Phrase) and node.fieldname == "id":
        return q.Term("id", _identifier_term(" ".join(node.words), canonicalize))
    if isinstance(node, q.Phrase) and node.slop == 1:
        exact = ExactPhrase(
            node.fieldname, node.words, boost=node.boost, char_ranges=node.char_ranges
        )
        return _with_common_pairs(exact) if node.fieldname == "content" else exact
    if isinstance(node, q.Term) and node.fieldname in SEARCH_FIELDS:
        return _with_exonyms(node)
    if isinstance(node, q.Every | q.PatternQuery) and node.fieldname == "content":
        _refuse_letterless_pattern(node)
    if node.is_leaf():
        return node
    return node.apply(partial(_rewrite, canonicalize=canonicalize))


def _refuse_letterless_pattern(node: q.Query) -> None:
    """A wildcard of no letters ("???", "*"): every word of the page text, which is not
    something to search for."""
    pattern = str(getattr(node, "text", "") or "*")
    if not _LETTER.search(pattern):
        raise QueryError(
            f'"{pattern}" has no letters to search for: a word with * or ? in it needs at '
            "least one letter or digit"
        )


def _with_exonyms(term: q.Term) -> q.Query:
    """A word with the other words of its exonym group (index.exonyms), if it is in one:
    "Chetniks" as chetniks, chetnik, cetnik* or cetnic*."""
    group = exonym_group(str(term.text))
    if group is None:
        return term
    words, stems = group
    field, boost = term.fieldname, term.boost * EXONYM_BOOST
    others: list[q.Query] = [
        q.Term(field, word, boost=boost) for word in words if word != term.text
    ]
    others += [q.Prefix(field, stem, boost=boost, constantscore=False) for stem in stems]
    return q.Or([term, *others])


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


_FIELD_NAME = re.compile(r"[a-z_]+")
_LETTER = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"[0-9]+")  # str.isdigit takes "²" too, which int() refuses
_FIELDS_NAMED = ", ".join(QUERY_FIELDS)
# Whoosh checks a group again after its names were renamed (in: is layer: by then).
_SEARCHABLE = frozenset(QUERY_FIELDS) | frozenset(_RENAMED.values())


class _CheckedFields(FieldsPlugin):  # type: ignore[misc]
    """Whoosh's field syntax, refusing the names of fields that cannot be searched (Whoosh
    would fail on a stored-only field with an internal message) and lowercase names that are
    no field (Whoosh would search the name as a word)."""

    def do_fieldnames(self, parser: Any, group: Any) -> Any:
        _refuse_unsearchable_fields(group, parser.schema)
        _rename_fields(group, _RENAMED)
        return super().do_fieldnames(parser, group)


def _rename_fields(group: Any, names: dict[str, str]) -> None:
    """Field names as a person types them (in:) to the index's own (layer)."""
    for node in group:
        if isinstance(node, syntax.GroupNode):
            _rename_fields(node, names)
        elif isinstance(node, syntax.FieldnameNode) and node.fieldname in names:
            node.fieldname = names[node.fieldname]


def _refuse_unsearchable_fields(group: Any, schema: Schema) -> None:
    for node in group:
        if isinstance(node, syntax.GroupNode):
            _refuse_unsearchable_fields(node, schema)
        elif isinstance(node, syntax.FieldnameNode) and node.fieldname not in _SEARCHABLE:
            name = str(node.fieldname)
            if name in schema:
                raise QueryError(f'"{name}" cannot be searched; the fields are {_FIELDS_NAMED}')
            if _FIELD_NAME.fullmatch(name):
                raise QueryError(
                    f'there is no field "{name}"; the fields are {_FIELDS_NAMED} '
                    f'(to search for the text, put it in quotes: "{name}:...")'
                )


class _CheckedFuzziness(FuzzyTermPlugin):  # type: ignore[misc]
    """Whoosh's word~N, reading all that follows the tilde: Whoosh takes one digit and leaves
    the rest as another word, so "report~99" ran as "report~9" and a required "9"."""

    # A boost after the distance ("~2^3") is read too, and refused: Whoosh left it a word.
    expr = re.compile(r"(?<=\S)~(?P<maxdist>[^\s/()\"~*]*)(/(?P<prefix>[^\s()\"~*]*))?")

    def create(self, parser: Any, match: re.Match[str]) -> Any:
        written, prefix = match.group("maxdist"), match.group("prefix")
        if written and not _NUMBER.fullmatch(written):
            raise QueryError(
                f'"~{written}" is not a fuzzy distance: write word~ (1) or word~N, '
                f"N a whole number up to {MAX_FUZZY_DISTANCE}"
            )
        if written and int(written) > MAX_FUZZY_DISTANCE:
            raise QueryError(
                f'the fuzzy distance in "~{written}" is too large: at most '
                f"{MAX_FUZZY_DISTANCE} letters may differ"
            )
        if prefix is not None and not _NUMBER.fullmatch(prefix):
            raise QueryError(f'"/{prefix}" is not a prefix length: write word~N/P, P a number')
        maxdist = int(written) if written else 1
        return self.FuzzinessNode(maxdist, int(prefix) if prefix else 0, match.group(0))
