"""What searching the researchers' notes beside the pages costs: the same word queries on a
library with a reading room's notes (several readers, half of them shared, so every search also
masks the others' private notes) and on a copy without them, the notes' indexing, and a note
edited then found by its new word (what a search after an edit waits for)."""

from __future__ import annotations

import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import filler_text, zipf_vocabulary
from reader.library import Library
from reader.models import Annotation

Row = tuple[str, str, str, str]
READERS = 4
EDITS = 20


def note_figures(corpus: Path, folder: Path, notes: int = 2000) -> list[Row]:
    """Two copies of one library, freshly indexed (the pages in one segment): one without
    notes, the baseline, and one given `notes` notes; each query is timed on both in turn, so
    that the load of the machine weighs on both alike."""
    rng = random.Random(11)
    words = [w for w in zipf_vocabulary()[30:3000] if len(w) > 3]
    queries = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(100)]
    plain, noted = folder / "pages-only", folder / "pages-and-notes"
    with Library(plain, user="reader-0") as library:
        library.import_paths([corpus])
        library.reindex(procs=1)
        pages = {d.id: d.pages for d in library.documents()}
    shutil.copytree(plain, noted)
    with Library(plain, user="reader-0") as without, Library(noted, user="reader-0") as library:
        _add_notes(library, pages, notes, rng)
        started = time.perf_counter()
        library.sync_index()
        indexing = notes / (time.perf_counter() - started)
        before, after = [], []
        for text in ["warm up", *queries, *queries]:  # the first round warms both up
            before.append(_timed(without.search, text))
            after.append(_timed(library.search, text))
        before, after = before[-len(queries) :], after[-len(queries) :]
        edits, searches = _edit_then_find(library, rng)
    total = sum(pages.values())
    return [
        (
            f"query latency, words, {total} pages and {notes} notes of {READERS} readers, "
            f"others' private notes masked ({len(queries)} queries, top 20 + snippets)",
            _percentiles(after),
            f"{_percentiles(before)}: the same queries, alternating, on a copy of the library "
            "without notes",
            "p95 < 50 ms: " + ("met" if _p95(after) < 0.050 else "missed"),
        ),
        (
            f"notes indexed ({notes} notes, one sync)",
            f"{indexing:,.0f} notes/s",
            "",
            "none set",
        ),
        (
            f"a note edited, then found by its new word ({EDITS} edits; a sync now and then "
            "merges segments, as after any edit)",
            _percentiles(edits),
            f"{_percentiles(searches)}: the same search with nothing to index",
            "none set",
        ),
    ]


def _add_notes(library: Library, pages: dict[int, int], notes: int, rng: random.Random) -> None:
    """Notes of READERS readers on random pages, every other one shared, written to the
    catalog in one transaction (what is timed is their indexing and searching)."""
    docs = sorted(pages)
    with library.catalog.writer() as session, session.begin():
        for number in range(notes):
            doc, reader = docs[number % len(docs)], f"reader-{number % READERS}"
            session.add(
                Annotation(
                    document_id=doc, page=1 + rng.randrange(pages[doc]), kind="note",
                    note=filler_text(rng.randrange(10**6), 12 + rng.randrange(40)),
                    author=reader, owner=reader, shared=number % 2 == 0,
                )
            )  # fmt: skip


def _timed(search: Callable[..., object], text: str) -> float:
    started = time.perf_counter()
    search(text, with_boxes=False)
    return time.perf_counter() - started


def _edit_then_find(library: Library, rng: random.Random) -> tuple[list[float], list[float]]:
    mine = [a for a in library.annotations() if a.owner == library.user][:EDITS]
    edits, searches = [], []
    for number, annotation in enumerate(mine):
        word = f"zqx{number}marker"
        started = time.perf_counter()
        library.update_annotation(annotation.id, note=f"{annotation.note} {word}")
        found = library.search(word, with_boxes=False)
        edits.append(time.perf_counter() - started)
        assert [hit.annotation for hit in found.hits] == [annotation.id], word
        started = time.perf_counter()
        library.search(word, with_boxes=False)
        searches.append(time.perf_counter() - started)
    return edits, searches


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _percentiles(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:.1f} ms, p95 {_p95(values) * 1000:.1f} ms"
