"""Scoring a query's whole posting lists at once, with numpy, instead of page by page.

Whoosh scores a query one page at a time, through a tree of Python matchers: on 100,000 pages
a pair of everyday words matches tens of thousands of them, and a date filter a fifth of the
collection, each page costing several method calls. Here each word's postings are read a
block at a time into arrays, scored by the same BM25F formula in one vectorised step, and
combined by the query's shape (AND: intersection, OR: union, AND MAYBE, AND NOT, NOT) with
the same score sums; the best pages come out in Whoosh's order (score, then page number).
Exact phrases are index.phrase_scoring's; a date filter is read from the date column.

Other leaves (ranges, wildcards) are run by their own Whoosh matcher and their matches read
into arrays. `rank` returns None only for what it leaves to Whoosh's collector: queries whose
matchers Whoosh combines in ways not mirrored here (minimum-match ORs, scaled ORs, requirement
matchers). tests/index/test_bulk_scoring.py holds both to the same pages, totals and scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as q
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

from index.phrase import ExactPhrase
from index.phrase_scoring import phrase_matches
from index.posting_arrays import (
    EMPTY,
    Ids,
    Matches,
    Scores,
    boosted,
    column_of,
    deleted,
    scored,
    word_postings,
)  # fmt: skip
from index.pruning import Pruned

DATE = "date"


class NotMirrored(Exception):
    """A part of the query whose scoring is left to Whoosh's own matchers."""


@dataclass(frozen=True)
class Ranked:
    total: int
    # (document number, score), best first.
    best: list[tuple[int, float]]


def rank(
    searcher: Searcher,
    query: q.Query,
    limit: int,
    *,
    allow: q.Query | None = None,
    restrict: set[int] | None = None,
) -> Ranked | None:
    """The `limit` best pages of `query` and how many match, in the order Whoosh's top-N
    collector gives them; `allow` a query the pages must also match (unscored), `restrict`
    document numbers left out. None: the query is left to Whoosh."""
    context = searcher.context()
    found: list[Matches] = []
    try:
        for leaf, offset in searcher.leaf_searchers():
            matches = _evaluate(leaf, context, query)
            if allow is not None and len(matches):
                allowed = _evaluate(leaf, context, allow).ids
                matches = _kept(matches, np.isin(matches.ids, allowed, assume_unique=True))
            if len(matches):
                found.append(Matches(matches.ids + offset, matches.scores))
    except NotMirrored:
        return None
    if not found:
        return Ranked(0, [])
    ids = np.concatenate([m.ids for m in found])
    scores = np.concatenate([m.scores for m in found])
    if restrict:
        keep = ~np.isin(ids, np.fromiter(restrict, np.int64, len(restrict)))
        ids, scores = ids[keep], scores[keep]
    return Ranked(len(ids), _best(ids, scores, limit))


def _best(ids: Ids, scores: Scores, limit: int) -> list[tuple[int, float]]:
    """Highest scores first, a tie going to the lower document number (as Whoosh's heap)."""
    if len(ids) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        contenders = scores >= threshold
        ids, scores = ids[contenders], scores[contenders]
    order = np.lexsort((ids, -scores))[:limit]
    return [(int(ids[i]), float(scores[i])) for i in order]


def _kept(matches: Matches, mask: npt.NDArray[np.bool_]) -> Matches:
    return Matches(matches.ids[mask], matches.scores[mask])


def _evaluate(searcher: Searcher, context: Any, node: q.Query) -> Matches:
    """The pages of one segment (`searcher` a leaf searcher) that `node` matches, scored."""
    kind = type(node)
    if kind is Pruned or kind is q.WrappingQuery:
        return _evaluate(searcher, context, node.child)
    if kind is q.Term:
        return _term(searcher, context, node)
    if kind is q.Or:
        if node.minmatch or node.scale:
            raise NotMirrored
        by_column = _values_in_column(searcher, node)
        if by_column is not None:
            return _compound_boost(node, by_column)
        parts = [_evaluate(searcher, context, child) for child in node.subqueries]
        return _compound_boost(node, _union([p for p in parts if len(p)]))
    if kind is q.And:
        return _compound_boost(node, _intersection(searcher, context, node.subqueries))
    if kind is q.Not:
        return _complement(searcher, _evaluate(searcher, context, node.query).ids)
    if kind is q.AndMaybe:
        required = _evaluate(searcher, context, node.a)
        if not len(required):
            return EMPTY
        return _with_optional(required, _evaluate(searcher, context, node.b))
    if kind is q.AndNot:
        positive = _evaluate(searcher, context, node.a)
        if not len(positive):
            return EMPTY
        negative = _evaluate(searcher, context, node.b).ids
        return _kept(positive, ~np.isin(positive.ids, negative, assume_unique=True))
    if isinstance(node, q.Require | q.Otherwise):
        raise NotMirrored
    if kind is ExactPhrase:
        found = phrase_matches(searcher, context, node)
        if found is not None:
            return found
    return _by_matcher(searcher, context, node)


def _values_in_column(searcher: Searcher, node: q.Or) -> Matches | None:
    """An OR of values of the date (index.search expands a date filter to every date it
    covers, hundreds for a year) found in the date column: each page holds one date, so it
    matches one of the values and scores as that value's word would alone (its weight, 1,
    times its boost). None: not such an OR."""
    terms = node.subqueries
    if not terms or any(type(t) is not q.Term or t.fieldname != DATE for t in terms):
        return None
    boosts = {t.boost for t in terms}
    if len(boosts) != 1 or searcher.schema[DATE].scorable:
        return None
    column = column_of(searcher.reader(), DATE)
    if column is None:
        return None
    wanted = [t.text if isinstance(t.text, bytes) else str(t.text).encode() for t in terms]
    ids = column.pages_with(wanted)
    gone = deleted(searcher.reader())
    if len(gone):
        ids = ids[~np.isin(ids, gone, assume_unique=True)]
    return Matches(ids.astype(np.int64), np.full(len(ids), boosts.pop(), np.float64))


def _compound_boost(node: q.CompoundQuery, matches: Matches) -> Matches:
    """Whoosh boosts an AND's or OR's matches only when it has more than one part."""
    return boosted(matches, node.boost) if len(node.subqueries) > 1 else matches


def _complement(searcher: Searcher, ids: Ids) -> Matches:
    """The segment's live pages not in `ids`, each scoring 1 (Whoosh's InverseMatcher)."""
    reader = searcher.reader()
    every = np.arange(reader.doc_count_all(), dtype=np.int64)
    left = every[~np.isin(every, np.union1d(ids, deleted(reader)), assume_unique=True)]
    return Matches(left, np.ones(len(left), np.float64))


def _union(parts: list[Matches]) -> Matches:
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, where = np.unique(ids, return_inverse=True)
    return Matches(unique, _sums(where, scores, len(unique)))


def _intersection(searcher: Searcher, context: Any, children: list[q.Query]) -> Matches:
    result: Matches | None = None
    for child in children:
        part = _evaluate(searcher, context, child)
        if not len(part):
            return EMPTY
        if result is None:
            result = part
            continue
        _, mine, theirs = np.intersect1d(
            result.ids, part.ids, assume_unique=True, return_indices=True
        )
        result = Matches(result.ids[mine], result.scores[mine] + part.scores[theirs])
        if not len(result):
            return EMPTY
    return result if result is not None else EMPTY


def _with_optional(required: Matches, optional: Matches) -> Matches:
    if not len(optional):
        return required
    _, mine, theirs = np.intersect1d(
        required.ids, optional.ids, assume_unique=True, return_indices=True
    )
    scores = required.scores.copy()
    scores[mine] += optional.scores[theirs]
    return Matches(required.ids, scores)


def _term(searcher: Searcher, context: Any, term: q.Term) -> Matches:
    """A word's postings, scored as Whoosh's weighting scores them (its entry in the terms
    looked up once: Whoosh's matcher and scorer look it up three times)."""
    fieldname = term.fieldname
    if fieldname not in searcher.schema:
        return EMPTY
    field = searcher.schema[fieldname]
    text = term.text if isinstance(term.text, bytes) else field.to_bytes(term.text)
    reader = searcher.reader()
    try:
        info = reader.term_info(fieldname, text)
    except TermNotFound:
        return EMPTY
    if not isinstance(context.weighting, BM25F):
        return _by_matcher(searcher, context, term)
    # BM25F scores a field without lengths by the posting's weight alone (WeightScorer).
    scorer = context.weighting.scorer(searcher, fieldname, text) if field.scorable else None
    if scorer is not None and type(scorer) is not BM25FScorer:
        return _by_matcher(searcher, context, term)
    ids, weights = word_postings(reader, info)
    scores = weights if scorer is None else scored(reader, fieldname, scorer, ids, weights)
    return boosted(Matches(ids, scores), term.boost)


def _by_matcher(searcher: Searcher, context: Any, node: q.Query) -> Matches:
    """Any other query (a phrase, a range) run by its own Whoosh matcher to the end."""
    matcher = node.matcher(searcher, context)
    ids: list[int] = []
    scores: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    if not ids:
        return EMPTY
    found_ids = np.asarray(ids, np.int64)
    found_scores = np.asarray(scores, np.float64)
    if len(found_ids) > 1 and np.any(found_ids[1:] <= found_ids[:-1]):
        unique, where = np.unique(found_ids, return_inverse=True)
        return Matches(unique, _sums(where, found_scores, len(unique)))
    return Matches(found_ids, found_scores)


def _sums(where: npt.NDArray[np.intp], scores: Scores, count: int) -> Scores:
    """The scores added up by the place `where` gives each."""
    return np.bincount(where, weights=scores, minlength=count).astype(np.float64, copy=False)
