"""A library of 100,000 pages made straight in its catalog (no import: the import is not what is
measured here), its index built by the library's own rebuild, and searched by a fresh process
whose resident memory is read when its queries are done (issue #18)."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGES_PER_DOCUMENT = 200
WORDS_PER_PAGE = 300  # as the born-digital corpus (bench.corpus.large_pdf_corpus)
LANGUAGES = ("de", "en", "fr", "sr")
INSERT_CHUNK = 5_000


def page_text(document: int, number: int) -> str:
    """The text of one page, as the born-digital corpus writes it."""
    from bench.corpus import filler_text

    text = filler_text(document * 1009 + number, WORDS_PER_PAGE)
    return f"Document NOKW-{1000 + document}. {text}" if number == 0 else text


def document_date(document: int) -> str:
    """Dates over 1941-1945, some to the day, some to the month, some the year alone."""
    rng = random.Random(document)
    year, month, day = rng.randint(1941, 1945), rng.randint(1, 12), rng.randint(1, 28)
    return (f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}")[document % 3]


def make_library(folder: Path, pages: int) -> float:
    """The catalog of `pages` pages (documents of PAGES_PER_DOCUMENT pages, each with a date,
    a language and an identifier) written by bulk inserts; the seconds it took. The index is
    left to the caller."""
    from sqlalchemy import Table, insert

    from reader.library import Library
    from reader.models import CitingState, Document, Identifier, OcrState, Page, TextSource

    started = time.perf_counter()
    documents = max(1, pages // PAGES_PER_DOCUMENT)
    with Library(folder) as library:
        engine = library.catalog.engine
        with engine.begin() as connection:
            connection.execute(
                insert(Document.__table__),  # type: ignore[arg-type]
                [
                    {
                        "id": doc + 1,
                        "title": f"NOKW {1000 + doc}",
                        "kind": "primary",
                        "source_path": str(folder / "originals" / f"NOKW-{1000 + doc}.pdf"),
                        "size": 0,
                        "sha256": f"{doc:064x}",
                        "media_type": "application/pdf",
                        "page_count": PAGES_PER_DOCUMENT,
                        "languages": [LANGUAGES[doc % len(LANGUAGES)]],
                        "date": document_date(doc),
                        "date_source": "filename",
                        "authors": [],
                        "collection": "",
                        "citing_state": CitingState.NOT_NEEDED.value,
                    }
                    for doc in range(documents)
                ],
            )
            connection.execute(
                insert(Identifier.__table__),  # type: ignore[arg-type]
                [
                    {
                        "document_id": doc + 1,
                        "scheme": "NOKW",
                        "value": str(1000 + doc),
                        "canonical": f"NOKW-{1000 + doc}",
                        "origin": "filename",
                    }
                    for doc in range(documents)
                ],
            )
            table: Table = Page.__table__  # type: ignore[assignment]
            rows: list[dict[str, Any]] = []
            for doc in range(documents):
                for number in range(PAGES_PER_DOCUMENT):
                    rows.append(
                        {
                            "document_id": doc + 1,
                            "number": number + 1,
                            "text": page_text(doc, number),
                            "text_source": TextSource.EMBEDDED.value,
                            "ocr_state": OcrState.NOT_NEEDED.value,
                            "ocr_error": "",
                            "words": [],
                            "width": 612.0,
                            "height": 792.0,
                            "revision": 0,
                            "indexed": False,
                        }
                    )
                    if len(rows) >= INSERT_CHUNK:
                        connection.execute(insert(table), rows)
                        rows = []
            if rows:
                connection.execute(insert(table), rows)
    return time.perf_counter() - started


def catalog_texts(folder: Path) -> Iterator[tuple[int, int, str]]:
    """Every page's document, number and text, in the catalog's order."""
    from sqlalchemy import select

    from reader.library import Library
    from reader.models import Page

    with Library(folder) as library, library.session() as session:
        query = select(Page.document_id, Page.number, Page.text).order_by(Page.id)
        for doc, number, text in session.execute(query.execution_options(yield_per=5000)):
            yield doc, number, text or ""


# Bare Whoosh's settings tried: processes and posting pool (MB). One process is tried only on
# one core: on two it ran at a third of two processes' rate (387 against 1,054 pages/s at
# 20,000 pages), and at 100,000 pages it would take most of the bench's time.
BARE_CONFIGS = ((2, 256), (2, 512)) if (os.cpu_count() or 1) > 1 else ((1, 256), (1, 512))


def bare_whoosh_rates(
    texts: list[tuple[int, int, str]], scratch: Path, configs: tuple[tuple[int, int], ...]
) -> dict[tuple[int, int], float]:
    """Bare Whoosh (its default analyzer, one text field and an id) on the same pages, in
    each of the configurations (processes, posting pool MB): pages per second."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    rates: dict[tuple[int, int], float] = {}
    for procs, limitmb in configs:
        target = scratch / f"bare-whoosh-{procs}-{limitmb}"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        ix = whoosh_index.create_in(str(target), Schema(id=ID(stored=True), content=TEXT))
        started = time.perf_counter()
        writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=limitmb)
        for doc, number, text in texts:
            writer.add_document(id=f"{doc}:{number}", content=text)
        writer.commit()
        rates[procs, limitmb] = len(texts) / (time.perf_counter() - started)
        shutil.rmtree(target, ignore_errors=True)
    return rates


def queries(schema_fields: set[str], documents: int) -> dict[str, tuple[list[str], int]]:
    """The queries of each kind and their p95 targets (ms): words and phrases as a researcher
    picks them, fuzzy words, and date (and language, where the index has the field) filters,
    alone and beside words."""
    from bench.corpus import zipf_vocabulary

    rng = random.Random(7)
    words = [w for w in zipf_vocabulary()[30:3000] if len(w) > 3]
    found: dict[str, tuple[list[str], int]] = {
        "words": ([f"{rng.choice(words)} {rng.choice(words)}" for _ in range(100)], 50),
        "phrases": ([f'"{_phrase(rng)}"' for _ in range(100)], 50),
        "fuzzy terms": ([f"{rng.choice(words)}~" for _ in range(60)], 200),
    }
    dates = []
    for index in range(60):
        year = rng.randint(1941, 1945)
        month = f"{year}-{rng.randint(1, 12):02d}"
        dates.append(
            (
                f"date:{year}",
                f"date:{month}",
                f"{rng.choice(words)} date:{month}",
                f"{rng.choice(words)} date:[{year}-01 TO {year}-06]",
            )[index % 4]
        )
    found["date: filters"] = (dates, 50)
    if "lang" in schema_fields:
        langs = [
            f"lang:{LANGUAGES[index % len(LANGUAGES)]}"
            if index % 2
            else f"{rng.choice(words)} lang:{LANGUAGES[index % len(LANGUAGES)]}"
            for index in range(60)
        ]
        found["lang: filters"] = (langs, 50)
    return found


def _phrase(rng: random.Random) -> str:
    """Two words that stand together somewhere in the corpus."""
    from bench.corpus import filler_text

    words = filler_text(rng.randrange(10**6), 40).split()
    start = rng.randrange(len(words) - 2)
    return " ".join(w.strip(".").lower() for w in words[start : start + 2])


def run_queries(folder: Path, documents: int) -> dict[str, Any]:
    """In this (fresh) process: open the library, run every query (top 20 with snippets, as
    the app asks), and report the latencies and the process's peak resident memory."""
    from reader.library import Library

    with Library(folder) as library:
        started = time.perf_counter()
        library.search("warm up", with_boxes=False)
        first = time.perf_counter() - started
        fields = set(library.index.schema.names())
        latencies: dict[str, Any] = {}
        for kind, (texts, target) in queries(fields, documents).items():
            values, totals = [], []
            for text in texts:
                started = time.perf_counter()
                result = library.search(text, with_boxes=False)
                values.append(time.perf_counter() - started)
                totals.append(result.total)
            latencies[kind] = {"target": target, "seconds": values, "totals": totals}
    return {"first": first, "latencies": latencies, "rss_mb": peak_resident_kb() / 1024}


def peak_resident_kb() -> int:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec: a process
    started by the bench (which holds 100,000 pages' texts) began with the bench's own peak,
    so the peak of this address space (VmHWM) is read where there is one."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@dataclass(frozen=True)
class ScaleRun:
    pages: int
    made_seconds: float
    ours_rate: float
    procs: int
    bare: dict[tuple[int, int], float]
    searched: dict[str, Any]


def scale_run(out: Path, pages: int) -> ScaleRun:
    """Make the library (kept between runs), then in the same run: bare Whoosh in its
    configurations and our rebuild on the same pages, and the queries in a fresh process."""
    folder = out / "libraries" / f"scale-{pages}"
    made_seconds = 0.0
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"making a {pages}-page catalog in {folder} ...", file=sys.stderr)
        made_seconds = make_library(folder, pages)
        (folder / ".complete").touch()
        print(f"  catalog made in {made_seconds:.0f} s", file=sys.stderr)
    texts = list(catalog_texts(folder))
    print(f"bare Whoosh on {len(texts)} pages ...", file=sys.stderr)
    bare = bare_whoosh_rates(texts, out / "scratch", BARE_CONFIGS)
    del texts
    best = max(bare, key=lambda config: bare[config])
    from reader.library import Library

    print(f"our rebuild, procs={best[0]} ...", file=sys.stderr)
    with Library(folder) as library:
        started = time.perf_counter()
        count = library.reindex(procs=best[0])
        ours = count / (time.perf_counter() - started)
    print("queries in a fresh process ...", file=sys.stderr)
    command = [sys.executable, "-m", "bench.scale", str(folder), str(pages // PAGES_PER_DOCUMENT)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=root)
    searched = json.loads(done.stdout)
    return ScaleRun(count, made_seconds, ours, best[0], bare, searched)


def scale_figures(out: Path, pages: int) -> list[tuple[str, str, str, str]]:
    run = scale_run(out, pages)
    best = max(run.bare, key=lambda config: run.bare[config])
    tried = " / ".join(f"{p}/{m}" for p, m in run.bare)
    rates = " / ".join(f"{rate:,.0f}" for rate in run.bare.values())
    share = run.ours_rate / run.bare[best]
    rows = [
        (
            f"indexing from the catalog ({run.pages:,} pages, procs={run.procs})",
            f"{run.ours_rate:,.0f} pages/s",
            f"{run.bare[best]:,.0f} pages/s bare Whoosh, best of procs/MB {tried} ({rates})",
            f"{share:.0%} (target 90%): {'met' if share >= 0.9 else 'missed'}",
        )
    ]
    for kind, found in run.searched["latencies"].items():
        values = found["seconds"]
        p50 = statistics.median(values) * 1000
        p95 = statistics.quantiles(values, n=20)[-1] * 1000
        rows.append(
            (
                f"query latency, {kind} ({len(values)} queries, {run.pages:,} pages, "
                "top 20 + snippets)",
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                f"target p95 < {found['target']} ms",
                "met" if p95 < found["target"] else "missed",
            )
        )
    if "lang: filters" not in run.searched["latencies"]:
        rows.append(("query latency, lang: filters", "-", "no lang field in the index", ""))
    rss = run.searched["rss_mb"]
    rows.append(
        (
            f"resident memory of a fresh search process after {_count(run.searched)} queries "
            f"({run.pages:,} pages; peak RSS)",
            f"{rss:,.0f} MB",
            "target < 600 MB",
            "met" if rss < 600 else "missed",
        )
    )
    return rows


def _count(searched: dict[str, Any]) -> int:
    return 1 + sum(len(found["seconds"]) for found in searched["latencies"].values())


if __name__ == "__main__":
    print(json.dumps(run_queries(Path(sys.argv[1]), int(sys.argv[2]))))
