"""The two search backends on the same pages in the same run (issue #20): a catalog on the
PostgreSQL server named by $ARCHIVE_READER_TEST_POSTGRES (./dev bench starts one), its pages
written into PostgreSQL's search tables and into a Whoosh index, then the same queries on
both: words, phrases and fuzzy terms, as index.backend's search (no snippets, no boxes: the
backends alone).
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_DOCUMENT = 200
WORDS_PER_PAGE = 250
SERVER_ENV = "ARCHIVE_READER_TEST_POSTGRES"


@dataclass(frozen=True)
class Measured:
    name: str
    postgres: str
    whoosh: str
    verdict: str


def _fill_catalog(url: str, pages: int) -> None:
    """`pages` pages of pseudo-archival prose, inserted in bulk (the catalog's own inserts,
    the waiting-list trigger included)."""
    from sqlalchemy import insert

    from bench.corpus import filler_text
    from reader.catalog import open_catalog
    from reader.models import Document, Page

    catalog = open_catalog(url)
    try:
        documents = (pages + PAGES_PER_DOCUMENT - 1) // PAGES_PER_DOCUMENT
        with catalog.writer() as session, session.begin():
            session.execute(
                insert(Document),
                [
                    {"id": doc, "title": f"Report {doc}", "source_path": f"/bench/{doc}.pdf",
                     "size": 1, "sha256": f"{doc:064x}", "media_type": "application/pdf",
                     "page_count": PAGES_PER_DOCUMENT, "date": f"19{40 + doc % 6}",
                     "kind": "primary" if doc % 4 else "secondary"}
                    for doc in range(1, documents + 1)
                ],
            )  # fmt: skip
        batch = []
        for n in range(pages):
            doc, number = n // PAGES_PER_DOCUMENT + 1, n % PAGES_PER_DOCUMENT + 1
            batch.append(
                {"document_id": doc, "number": number, "text": filler_text(n, WORDS_PER_PAGE),
                 "text_source": "embedded"}
            )  # fmt: skip
            if len(batch) == 5000 or n == pages - 1:
                with catalog.writer() as session, session.begin():
                    session.execute(insert(Page), batch)
                batch = []
    finally:
        catalog.close()


def _queries() -> dict[str, tuple[list[str], int]]:
    """Queries as the index bench picks them (bench.__main__._query_latencies): words a
    researcher picks, phrases that stand in the corpus, fuzzy terms; and each kind's p95
    target (ms) for PostgreSQL at 100,000 pages."""
    from bench.__main__ import _phrase
    from bench.corpus import zipf_vocabulary

    rng = random.Random(7)
    words = [w for w in zipf_vocabulary()[30:3000] if len(w) > 3]
    return {
        "words": ([f"{rng.choice(words)} {rng.choice(words)}" for _ in range(100)], 50),
        "phrases": ([f'"{_phrase(rng)}"' for _ in range(100)], 50),
        "fuzzy terms": ([f"{rng.choice(words)}~" for _ in range(60)], 200),
    }


def _latencies(search: Callable[[str], object], texts: list[str]) -> list[float]:
    values = []
    for text in texts:
        started = time.perf_counter()
        search(text)
        values.append(time.perf_counter() - started)
    return values


def _percentiles(values: list[float]) -> str:
    p50 = statistics.median(values) * 1000
    p95 = statistics.quantiles(values, n=20)[-1] * 1000
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"


def measure(pages: int, out: Path) -> list[Measured]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from index.pg_search import PostgresBackend
    from index.schema import open_index
    from index.scoring import PageWeighting
    from index.whoosh_backend import WhooshBackend
    from reader.catalog import open_catalog
    from reader.indexing import rebuild_index, sync_search_tables

    server = os.environ.get(SERVER_ENV)
    if not server:
        return [Measured("search backends", "skipped", f"no server: ${SERVER_ENV}", "")]
    name = f"bench_search_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        started = time.perf_counter()
        _fill_catalog(url, pages)
        filled = time.perf_counter() - started
        catalog = open_catalog(url)
        try:
            started = time.perf_counter()
            written = sync_search_tables(catalog.sessions)
            postgres_rate = written / (time.perf_counter() - started)
            with catalog.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                size = connection.execute(
                    text(
                        "SELECT pg_size_pretty(pg_total_relation_size('page_search') "
                        "+ pg_total_relation_size('search_terms'))"
                    )
                ).scalar_one()
            folder = out / "search-backends-whoosh"
            started = time.perf_counter()
            indexed = rebuild_index(catalog.sessions, folder, procs=1)
            whoosh_rate = indexed / (time.perf_counter() - started)
            whoosh_size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
            postgres = PostgresBackend(catalog.engine)
            ix = open_index(folder)
            with ix.searcher(weighting=PageWeighting()) as searcher:
                whoosh = WhooshBackend(ix, lambda: searcher)
                figures = [
                    Measured(
                        f"indexing {written:,} pages ({WORDS_PER_PAGE} words each; catalog "
                        f"filled in {filled:.0f} s)",
                        f"{postgres_rate:,.0f} pages/s ({size} tables)",
                        f"{whoosh_rate:,.0f} pages/s, one process ({whoosh_size:,.0f} MB)",
                        "",
                    )
                ]
                for kind, (texts, target) in _queries().items():
                    postgres.search("warm up")
                    whoosh.search("warm up")
                    ours = _latencies(lambda t: postgres.search(t), texts)
                    theirs = _latencies(lambda t: whoosh.search(t), texts)
                    p95 = statistics.quantiles(ours, n=20)[-1] * 1000
                    figures.append(
                        Measured(
                            f"query, {kind} ({len(texts)} queries, {written:,} pages, top 20)",
                            _percentiles(ours),
                            _percentiles(theirs),
                            f"PostgreSQL p95 {'<' if p95 < target else '>='} {target} ms "
                            f"({'met' if p95 < target else 'missed'})",
                        )
                    )
        finally:
            catalog.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return figures
