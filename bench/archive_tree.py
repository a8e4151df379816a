"""The archive tree's figures: the tree built from the catalog (the grouped query, the tree
gathered from its rows, the Qt model filled) beside the bare SQL GROUP BY it rests on, on the
20,000-page bench library with its documents filed in an archive's order, and on a catalog of
20,000 documents, each its own item. Each is measured in a fresh process:
`python -m bench.archive_tree tree LIBRARY` prints one JSON line."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from bench.probes import probe_main, run_probe

if TYPE_CHECKING:
    from reader.records import ArchiveNode

RUNS = 7
STRESS_DOCUMENTS = 20_000
Row = tuple[str, str, str, str]


def place_of(number: int) -> tuple[str, ...]:
    """A document's place in an invented but archive-like order: three repositories, a few
    record groups, series and boxes each."""
    repository = ("NARA", "Bundesarchiv-Militärarchiv", "Vojni arhiv, Beograd")[number % 3]
    return (
        repository,
        f"RG {238 + number % 4}",
        f"T-{311 + number % 5}",
        f"Box {1 + number % 20}",
        f"Folder {1 + number % 7}",
    )


def file_library(folder: Path) -> int:
    """The bench library's documents filed (once) as `place_of` says; how many were filed."""
    from reader.archive_order import file_at
    from reader.library import Library

    with Library(folder) as library:
        if library.archive_tree().nodes[0].place != ("",) * 6:
            return 0  # filed in an earlier run
        documents = [d.id for d in library.documents()]
        by_place: dict[tuple[str, ...], list[int]] = {}
        for number, doc in enumerate(documents):
            by_place.setdefault(place_of(number), []).append(doc)
        # One transaction and one pass over the citations for every place: file_documents
        # brings every article's citations in step after each filing, hours for this library.
        with library.catalog.writer() as session, session.begin():
            for place, docs in by_place.items():
                file_at(session, docs, place, library.schemes)
        library.update_citations()
        library.sync_index()
        return len(documents)


def stress_catalog(folder: Path, documents: int = STRESS_DOCUMENTS) -> Path:
    """A library whose catalog holds `documents` filed documents and no pages: the rows
    written directly (the tree reads only the documents table)."""
    from reader.library import Library
    from reader.models import Document

    with Library(folder) as library:
        with library.session() as session:
            have = session.scalar(select(func.count()).select_from(Document)) or 0
        if have == documents:
            return folder
        rows = []
        for number in range(have, documents):
            repository, record_group, series, box, folder_name = place_of(number)
            rows.append(
                {
                    "title": f"Document {number}", "kind": "primary",
                    "source_path": f"/nowhere/{number}.pdf", "size": 1,
                    "sha256": f"{number:064x}", "media_type": "application/pdf",
                    "repository": repository, "record_group": record_group, "series": series,
                    "box": box, "folder": folder_name, "item": str(number),
                }
            )  # fmt: skip
        with library.catalog.writer() as session, session.begin():
            session.execute(insert(Document), rows)
    return folder


def tree_figures(app_library: Path, stress_folder: Path, pages_in_library: int) -> list[Row]:
    file_library(app_library)
    stress_catalog(stress_folder)
    rows = []
    for folder, what in (
        (app_library, f"{pages_in_library:,}-page library, its documents filed"),
        (stress_folder, f"catalog of {STRESS_DOCUMENTS:,} documents, each its own item"),
    ):
        result = run_probe("bench.archive_tree", "tree", folder)
        ours, bare = result["ours_ms"], result["group_by_ms"]
        rows.append(
            (
                f"archive tree builds, {what} ({int(result['nodes']):,} places; median of {RUNS})",
                f"{ours:.1f} ms",
                f"{bare:.1f} ms bare SQL GROUP BY of the six fields",
                "target < 300 ms: " + ("met" if ours < 300 else "MISSED"),
            )
        )
    return rows


def _measure(folder: Path) -> dict[str, float]:
    """In a fresh process: the tree as the app builds it (Library.archive_tree, then the
    tree's Qt model filled), and the grouped query alone, alternating, each the median."""
    from PySide6.QtWidgets import QApplication

    from reader.archive_order import LEVELS
    from reader.library import Library
    from reader.models import Document
    from ui.archive_tree import ArchiveTreeModel

    _app = QApplication(sys.argv[:1])
    model = ArchiveTreeModel()
    columns = [getattr(Document, level) for level in LEVELS]
    bare = select(*columns, func.count()).group_by(*columns)
    ours, group_by = [], []
    with Library(folder) as library:
        library.archive_tree()  # the catalog's pages read into the OS cache first
        for _run in range(RUNS):
            started = time.perf_counter()
            with library.session() as session:
                session.execute(bare).all()
            group_by.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            model.set_tree(library.archive_tree())
            ours.append((time.perf_counter() - started) * 1000)
    return {
        "ours_ms": statistics.median(ours),
        "group_by_ms": statistics.median(group_by),
        "nodes": _count(model.tree.nodes),
    }


def _count(nodes: tuple[ArchiveNode, ...]) -> int:
    return sum(1 + _count(node.children) for node in nodes)


if __name__ == "__main__":
    probe_main({"tree": lambda folder: _measure(Path(folder))}, sys.argv[1:])
