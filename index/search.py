"""Running a query: page hits with scores and the index terms each hit matched."""

from __future__ import annotations

import html
from dataclasses import dataclass

from whoosh import highlight
from whoosh import query as q
from whoosh.index import Index
from whoosh.searching import Searcher

from index.analysis import join_line_end_hyphens
from index.query import parse_query

SORTS = ("relevance", "date")


@dataclass(frozen=True)
class IndexHit:
    doc: int
    page: int
    score: float
    # Index terms this page matched (after folding), e.g. {"horstenau", "horstenan"}.
    terms: frozenset[str]


@dataclass(frozen=True)
class IndexResults:
    total: int
    hits: list[IndexHit]


def search(
    ix: Index,
    text: str,
    *,
    limit: int = 20,
    kind: str | None = None,
    sort: str = "relevance",
) -> IndexResults:
    parsed = parse_query(text, ix.schema)
    with ix.searcher() as searcher:
        results = searcher.search(
            parsed,
            limit=limit,
            filter=q.Term("kind", kind.lower()) if kind else None,
            sortedby="date" if sort == "date" else None,
            terms=True,
        )
        hits = [
            IndexHit(
                doc=hit["doc"],
                page=hit["page"],
                # Sorted by date, Whoosh's score is the sort key: no relevance to report.
                score=round(float(hit.score or 0.0), 4) if sort == "relevance" else 0.0,
                terms=frozenset(
                    term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    for field, term in (hit.matched_terms() or [])
                    if field in ("content", "title")
                ),
            )
            for hit in results
        ]
        return IndexResults(total=len(results), hits=hits)


class _BoldFormatter(highlight.Formatter):  # type: ignore[misc]
    """Matched words in <b>…</b>, everything else HTML-escaped."""

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"<b>{html.escape(highlight.get_text(text, token, replace))}</b>"

    def _text(self, text: str) -> str:
        return html.escape(text)


def snippet(ix: Index, page_text: str, terms: frozenset[str], *, chars: int = 240) -> str:
    """Where on the page the matched terms stand, marked; the page's start if none do."""
    text = join_line_end_hyphens(page_text)
    if terms:
        analyzer = ix.schema["content"].analyzer
        fragmenter = highlight.ContextFragmenter(maxchars=chars, surround=chars // 3)
        marked = highlight.highlight(text, terms, analyzer, fragmenter, _BoldFormatter(), top=2)
        if marked:
            return " ".join(marked.split())
    return html.escape(" ".join(text[:chars].split()))


def candidate_pages(
    searcher: Searcher, terms: list[str], *, exclude_doc: int | None = None, limit: int = 6
) -> list[tuple[int, int]]:
    """Pages sharing the most (and rarest) of `terms` (already folded): where a quoted
    passage may stand."""
    query = q.Or([q.Term("content", term) for term in terms])
    mask = q.Term("doc", exclude_doc) if exclude_doc is not None else None
    return [(hit["doc"], hit["page"]) for hit in searcher.search(query, limit=limit, mask=mask)]
