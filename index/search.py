"""Running a query: page hits with scores and the index terms each hit matched."""

from __future__ import annotations

import bisect
import heapq
import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import query as q
from whoosh.collectors import Collector, FilterCollector, SortingCollector, TopCollector
from whoosh.searching import Searcher

from index import bulk_scoring
from index.folding import WORD_PATTERN, fold, join_line_end_hyphens
from index.postings import install as install_postings_skipping
from index.pruning import Pruned
from index.query import Canonicalize, parse_query

TEXT_FIELDS = ("content", "title", "pairs")
# Whoosh's block-quality skipping can loop forever in unions of terms (whoosh-community/whoosh
# issues 446 and 461: float comparisons that never advance); every page is scored instead.
OPTIMIZE = False
# Words of a quotation used to find the pages it may come from.
RARE_TERMS = 6
RARE_SHARE = 0.05  # a word on more pages than this does not help find one page
MIN_RARE_TERMS = 3  # a quote of common words only: its rarest few still
_WORD = re.compile(WORD_PATTERN)
install_postings_skipping()


@dataclass(frozen=True)
class IndexHit:
    doc: int
    page: int
    score: float
    # Index terms this page matched (after folding), e.g. {"horstenau", "horstenan"}.
    terms: frozenset[str]
    # "pages", or "notes" for a note (index.writer.NoteRecord), with its annotation's id.
    layer: str = "pages"
    annotation: int | None = None
    # The page's row in the catalog, where the index knows it (0: look it up by doc, page).
    row: int = 0


@dataclass(frozen=True)
class IndexResults:
    total: int
    hits: list[IndexHit]
    # What this backend left out that the query asked for (the PostgreSQL backend: notes).
    note: str = ""


def search(
    searcher: Searcher,
    text: str,
    *,
    limit: int = 20,
    kind: str | None = None,
    sort: str = "relevance",
    canonicalize: Canonicalize | None = None,
    within: str = "",
    viewer: str | None = None,
) -> IndexResults:
    """Run a query on an open searcher (kept open between queries: opening one reads every
    segment's files, which costs more than a typical query). `canonicalize`: how the caller
    writes identifiers, for id:... (see index.query). `within`: a query in the same language
    that limits the pages without scoring them (a place in the archive: `rg:238 box:7`).
    `viewer`: whose notes may be found besides the shared ones (None: every note)."""
    query = parse_query(text, searcher.schema, canonicalize=canonicalize)
    parsed = Pruned(expand_fuzzy_terms(query, searcher))
    limits = [q.Term("kind", kind.lower())] if kind else []
    if within.strip():
        limits.append(parse_query(within, searcher.schema, canonicalize=canonicalize))
    allow = (limits[0] if len(limits) == 1 else q.And(limits)) if limits else None
    hidden = others_private_notes(searcher, viewer)
    terms = _query_terms(parsed, searcher)
    ranked = (
        bulk_scoring.rank(searcher, parsed, limit, allow=allow, restrict=hidden)
        if sort == "relevance"
        else None
    )
    if ranked is not None:
        found = [(searcher.stored_fields(docnum), score) for docnum, score in ranked.best]
        return IndexResults(ranked.total, [_hit(fields, score, terms) for fields, score in found])
    collector = _collector(limit, sort)
    if allow is not None or hidden is not None:
        collector = FilterCollector(collector, allow=allow, restrict=hidden)
    searcher.search_with_collector(parsed, collector)
    results = collector.results()
    # Sorted by date, Whoosh's score is the sort key: no relevance to report.
    hits = [
        _hit(hit.fields(), float(hit.score or 0.0) if sort == "relevance" else 0.0, terms)
        for hit in results
    ]
    return IndexResults(total=len(results), hits=hits)


def _hit(fields: dict[str, Any], score: float, terms: frozenset[str]) -> IndexHit:
    layer = fields.get("layer") or "pages"
    row, _revision = fields.get("stamp") or (0, 0)
    return IndexHit(
        doc=fields["doc"],
        page=fields["page"],
        score=round(score, 4),
        terms=terms,
        layer=layer,
        annotation=fields.get("annotation"),
        row=int(row) if layer == "pages" else 0,  # a note's stamp is its annotation's
    )


_hidden_notes: dict[tuple[str, int, str], set[int]] = {}


def others_private_notes(searcher: Searcher, viewer: str | None) -> set[int] | None:
    """The notes `viewer` may not find: private ones of other owners, as the searcher's
    document numbers (a mask over the few notes, not a filter over every page), read once for
    the index generation the searcher sees: Whoosh's AND NOT matcher took longer than many a
    query. None: every note may be found."""
    if viewer is None:
        return None
    key = (str(getattr(searcher._ix, "storage", "")), searcher.reader().generation(), viewer)
    if key not in _hidden_notes:
        if len(_hidden_notes) > 16:
            _hidden_notes.clear()
        private = searcher.docs_for_query(q.Term("visibility", "private"))
        own = searcher.docs_for_query(q.Term("owner", viewer))
        # A set (Whoosh takes no other collection as a filter), never changed once made.
        _hidden_notes[key] = set(private) - set(own)
    return _hidden_notes[key]


def _collector(limit: int, sort: str) -> Collector:
    if sort == "date":
        return SortingCollector("date", limit=limit)
    # replace=0: Whoosh's top-N collector otherwise drops the parts of an OR that can no longer
    # reach the top N, and the pages only they match go uncounted (the total came out short).
    return TopCollector(limit, usequality=OPTIMIZE, replace=0)


def _query_terms(query: q.Query, searcher: Searcher) -> frozenset[str]:
    """The words the query matches, as the index has them (fuzzy and prefix terms expanded):
    what snippets and word boxes mark. Cheaper than recording matches hit by hit."""
    # Leaf by leaf: Whoosh's existing_terms on a compound query reuses its `fieldname`
    # argument as a loop variable, and past a first leaf of another field (kind:primary,
    # in:notes) it skipped every word of the text.
    reader = searcher.reader()
    words = {
        word
        for leaf in query.leaves()
        for field, term in leaf.existing_terms(reader, expand=True)
        if field in TEXT_FIELDS
        for word in _text(term).split("_" if field == "pairs" else None)
    }
    # Whoosh leaves a phrase's words out of its existing terms.
    words.update(
        str(word)
        for leaf in query.leaves()
        if isinstance(leaf, q.Phrase) and leaf.fieldname in TEXT_FIELDS
        for word in leaf.words
    )
    return frozenset(words)


def _text(term: object) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


_lexicons: dict[tuple[str, int, str], list[str]] = {}


def _lexicon(searcher: Searcher, field: str) -> list[str]:
    """The field's terms, sorted, cached for the index generation the searcher sees."""
    reader = searcher.reader()
    key = (str(getattr(searcher._ix, "storage", "")), reader.generation(), field)
    if key not in _lexicons:
        if len(_lexicons) > 16:
            _lexicons.clear()
        _lexicons[key] = [term.decode("utf-8") for term in reader.lexicon(field)]
    return _lexicons[key]


def expand_fuzzy_terms(query: q.Query, searcher: Searcher) -> q.Query:
    """Fuzzy terms as the index terms within their edit distance, found with rapidfuzz over
    the lexicon: Whoosh would compute every distance in Python."""
    if isinstance(query, q.FuzzyTerm):
        lexicon = _lexicon(searcher, query.fieldname)
        prefix = str(query.text)[: query.prefixlength]
        low = bisect.bisect_left(lexicon, prefix)
        high = bisect.bisect_left(lexicon, prefix + "\uffff")
        close = process.extract(
            str(query.text), lexicon[low:high], scorer=Levenshtein.distance,
            score_cutoff=query.maxdist, limit=None,
        )  # fmt: skip
        terms = [q.Term(query.fieldname, term, boost=query.boost) for term, _, _ in close]
        if not terms:
            return q.NullQuery
        expanded = q.Or(terms)
        # Scores gathered term by term into an array: a tree of Whoosh's pairwise unions over
        # dozens of spellings costs a few times more.
        expanded.matcher_type = q.Or.ARRAY_MATCHER
        return expanded
    if isinstance(query, q.Prefix | q.TermRange) and query.fieldname == "date":
        return _date_terms(query, searcher)
    if query.is_leaf():
        return query
    return query.apply(lambda child: expand_fuzzy_terms(child, searcher))


def _date_terms(query: q.Prefix | q.TermRange, searcher: Searcher) -> q.Query:
    """A date filter (a year: every day and month of it) as the dates the index holds, their
    pages gathered into an array: Whoosh's tree of pairwise unions over hundreds of dates
    cost half a second a query on 100,000 pages."""
    reader = searcher.reader()
    field = searcher.schema["date"]
    terms = [
        q.Term("date", field.from_bytes(text), boost=query.boost)
        for text in query._btexts(reader)
        if text
    ]
    if len(terms) < 2:
        return query
    expanded = q.Or(terms, boost=1.0)
    expanded.matcher_type = q.Or.ARRAY_MATCHER
    return expanded


def snippet(page_text: str, terms: frozenset[str], *, chars: int = 240) -> str:
    """The page's text around the first matched term, matched words in <b>…</b>, HTML-escaped;
    the page's start if no term is on it."""
    text = join_line_end_hyphens(page_text)
    first = (
        next((w for w in _WORD.finditer(text) if fold(w.group(0)) in terms), None)
        if terms
        else None
    )
    start = max(0, first.start() - chars // 3) if first else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + chars)
    parts: list[str] = []
    cursor = start
    for word in _WORD.finditer(text, start, end) if terms else ():
        if fold(word.group(0)) in terms:
            parts.append(html.escape(text[cursor : word.start()]))
            parts.append(f"<b>{html.escape(word.group(0))}</b>")
            cursor = word.end()
    parts.append(html.escape(text[cursor:end]))
    marked = " ".join("".join(parts).split())
    return ("… " if start else "") + marked + (" …" if end < len(text) else "")


class TermStats:
    """What many quotes of one article ask of the index, read once: each word's page count
    and postings, and the pages of the article itself and the notes (never a candidate)."""

    def __init__(self, searcher: Searcher, exclude_doc: int | None = None) -> None:
        from whoosh.query import NumericRange

        self.searcher = searcher
        self.exclude_doc = exclude_doc
        self.reader = searcher.reader()
        # The researchers' notes are no page a quotation can come from.
        notes = frozenset(searcher.docs_for_query(q.Term("layer", "notes")))
        self.pages = max(self.reader.doc_count() - len(notes), 1)
        self.excluded: frozenset[int] = notes | frozenset(
            searcher.docs_for_query(NumericRange("doc", exclude_doc, exclude_doc))
            if exclude_doc is not None
            else ()
        )
        self._frequencies: dict[str, int] = {}
        self._postings: dict[str, list[int]] = {}

    def frequency(self, term: str) -> int:
        if term not in self._frequencies:
            self._frequencies[term] = self.reader.doc_frequency("content", term)
        return self._frequencies[term]

    def postings(self, term: str) -> list[int]:
        if term not in self._postings:
            ids = self.reader.postings("content", term).all_ids()
            self._postings[term] = [i for i in ids if i not in self.excluded]
        return self._postings[term]


def candidate_pages(
    searcher: Searcher,
    terms: list[str],
    *,
    exclude_doc: int | None = None,
    limit: int = 6,
    stats: TermStats | None = None,
) -> list[tuple[int, int]]:
    """Pages sharing the most of the rarest of `terms` (already folded): where a quoted
    passage may stand. Common words are left out, and pages are weighed by the rarity of the
    words they hold, counted straight from the postings: a scored Whoosh search would rate
    every page holding any of the words, which a long article repeats a hundred times. `stats`
    (for `exclude_doc`) keeps what one article's quotes read again and again."""
    stats = stats or TermStats(searcher, exclude_doc)
    pages = stats.pages
    by_rarity = sorted((stats.frequency(term), term) for term in terms)
    present = [(frequency, term) for frequency, term in by_rarity if frequency > 0]
    rare = [(f, t) for f, t in present if f <= RARE_SHARE * pages] or present[:MIN_RARE_TERMS]
    rarest = rare[:RARE_TERMS]
    weights: dict[int, float] = defaultdict(float)
    for frequency, term in rarest:
        rarity = math.log(1 + pages / frequency)
        for docnum in stats.postings(term):
            weights[docnum] += rarity
    found: list[tuple[int, int]] = []
    best = heapq.nsmallest(4 * limit, weights.items(), key=lambda item: (-item[1], item[0]))
    for docnum, _ in best:
        if stats.reader.is_deleted(docnum):
            continue
        fields = searcher.stored_fields(docnum)
        if fields["doc"] != exclude_doc:
            found.append((fields["doc"], fields["page"]))
        if len(found) == limit:
            break
    return found
