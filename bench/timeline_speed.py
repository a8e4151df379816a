"""The timeline's figures: built from the catalog and drawn, on the bench library (its
documents given dates first), beside the bare SQL query of the same rows; and drawn with
20,000 dated documents, 3,000 of them on one day, beside QPainter drawing as many boxes.
Measured in a fresh process (`python -m bench.timeline_speed PROBE LIBRARY`)."""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench.probes import Probe, probe_main, run_probe
from reader.indexing import mark_document_for_index
from reader.library import Library
from reader.models import Document
from reader.records import Chronology, DatedDocument

RUNS = 7
TARGET_MS = 300
SYNTHETIC = 20_000
ON_ONE_DAY = 3_000


def date_documents(library: Library) -> int:
    """Give the primary documents that have none a date between 1941 and 1945 (every tenth
    to the month only, every twenty-fifth left undated), deterministic, in one transaction
    and one sync of the index (an edit through update_metadata also brings every article's
    citations in step: a minute a document on the 20,000-page library). Returns how many
    were dated."""
    rng = random.Random(1943)
    first, last = date(1941, 4, 6).toordinal(), date(1945, 5, 8).toordinal()
    dated = 0
    with library.catalog.writer() as session, session.begin():
        for index, document in enumerate(session.scalars(select(Document).order_by(Document.id))):
            day = date.fromordinal(rng.randint(first, last))
            if document.kind != "primary" or document.date or index % 25 == 24:
                continue
            document.date = day.isoformat()[:7] if index % 10 == 9 else day.isoformat()
            document.date_source = "user"
            mark_document_for_index(session, document.id)
            dated += 1
    library.sync_index()
    return dated


def timeline_figures(library: Path, pages: int) -> list[tuple[str, str, str, str]]:
    with Library(library) as opened:
        date_documents(opened)
    result = run_probe("bench.timeline_speed", "built", library)
    built, bare = result["ours_ms"], result["bare_ms"]
    drawn = run_probe("bench.timeline_speed", "drawn", library)
    return [
        (
            f"timeline built and drawn, {pages:,}-page library "
            f"({result['dated']:.0f} dated, {result['undated']:.0f} undated; median of {RUNS})",
            f"{built:.1f} ms",
            f"{bare:.2f} ms bare SQL query of the same rows",
            f"target < {TARGET_MS} ms: " + ("met" if built < TARGET_MS else "MISSED"),
        ),
        (
            f"timeline drawn, {SYNTHETIC:,} dated documents ({ON_ONE_DAY:,} on one day): "
            "set, then 12 zoom steps, median / slowest",
            f"{drawn['ours_ms']:.1f} / {drawn['ours_max']:.1f} ms",
            f"{drawn['bare_ms']:.1f} ms QPainter.drawRects of {SYNTHETIC:,} boxes",
            f"target < {TARGET_MS} ms: " + ("met" if drawn["ours_max"] < TARGET_MS else "MISSED"),
        ),
    ]


# The probes, each in a fresh process.


def _panel(library: Library) -> object:
    from PySide6.QtWidgets import QApplication

    from ui.timeline import TimelinePanel
    from ui.workers import Operations

    app = QApplication.instance() or QApplication(sys.argv[:1])
    ops = Operations()
    panel = TimelinePanel(library, ops)
    panel.resize(1366, 260)
    panel.show()
    while panel.chronology is None:  # its own first read, on being shown
        app.processEvents()
        time.sleep(0.005)
    return panel


def _probe_built(folder: Path) -> dict[str, float]:
    """From asking the library to a painted timeline, beside sqlite3 reading the rows."""
    from ui.timeline import TimelinePanel

    with Library(folder) as library:
        panel = _panel(library)
        assert isinstance(panel, TimelinePanel)
        ours = []
        for _ in range(RUNS):
            started = time.perf_counter()
            panel.set_chronology(library.chronology())
            panel.view.viewport().repaint()
            ours.append((time.perf_counter() - started) * 1000)
        chronology = panel.chronology
        assert chronology is not None and chronology.documents
    bare = []
    connection = sqlite3.connect(folder / "catalog.sqlite")
    for _ in range(RUNS):
        started = time.perf_counter()
        connection.execute(
            "SELECT id, title, date, date_source FROM documents WHERE kind = 'primary'"
        ).fetchall()
        connection.execute("SELECT document_id, canonical FROM identifiers").fetchall()
        bare.append((time.perf_counter() - started) * 1000)
    connection.close()
    return {
        "ours_ms": statistics.median(ours),
        "bare_ms": statistics.median(bare),
        "dated": len(chronology.documents),
        "undated": chronology.undated,
    }


def synthetic_chronology() -> Chronology:
    rng = random.Random(17)
    first, last = date(1941, 4, 6).toordinal(), date(1945, 5, 8).toordinal()
    crowded = date(1943, 3, 12).toordinal()
    documents = []
    for n in range(1, SYNTHETIC + 1):
        day = crowded if n <= ON_ONE_DAY else rng.randint(first, last)
        iso = date.fromordinal(day).isoformat()
        documents.append(DatedDocument(n, f"Report {n}", f"NOKW-{n}", iso, "day", day, day, False))
    documents.sort(key=lambda d: (d.first_day, d.id))  # as Library.chronology gives them
    return Chronology(documents, undated=0)


def _probe_drawn(folder: Path) -> dict[str, float]:
    """Setting 20,000 documents and drawing them at each zoom step from the whole to a day,
    beside QPainter drawing 20,000 boxes into an image of the same size."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from ui.timeline import TimelinePanel

    chronology = synthetic_chronology()
    with Library(folder) as library:
        panel = _panel(library)
        assert isinstance(panel, TimelinePanel)
        view = panel.view
        ours = []
        started = time.perf_counter()
        panel.set_chronology(chronology)
        view.viewport().repaint()
        ours.append((time.perf_counter() - started) * 1000)
        view.show_days(date(1943, 3, 12).toordinal(), date(1943, 3, 12).toordinal())
        view.fit()
        for _ in range(12):
            started = time.perf_counter()
            view.zoom_in()
            view.viewport().repaint()
            ours.append((time.perf_counter() - started) * 1000)
    size = view.viewport().size()
    bare = []
    for _ in range(RUNS):
        image = QImage(size.width(), size.height(), QImage.Format.Format_ARGB32_Premultiplied)
        started = time.perf_counter()
        painter = QPainter(image)
        painter.setBrush(QColor(84, 104, 138))
        painter.drawRects([QRectF(n % size.width(), n % 150, 8, 6) for n in range(SYNTHETIC)])
        painter.end()
        bare.append((time.perf_counter() - started) * 1000)
    return {
        "ours_ms": statistics.median(ours),
        "ours_max": max(ours),
        "bare_ms": statistics.median(bare),
    }


PROBES: dict[str, Probe] = {
    "built": lambda folder: _probe_built(Path(folder)),
    "drawn": lambda folder: _probe_drawn(Path(folder)),
}


if __name__ == "__main__":
    probe_main(PROBES, sys.argv[1:])
