"""Large imports are read (hashed, extracted) by a helper process ahead of the file being
recorded: the same documents, reports, order and ids as reading in the importing process,
bad files reported and skipped, cancel and progress as before, and a helper that dies costs
the file it was reading only."""

from __future__ import annotations

import multiprocessing
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

import reader.library as library_module
import reader.readahead as readahead
from index import page_analysis, writer
from reader.ingest.base import DEFAULT_LIMITS
from reader.library import Library
from reader.reading import Reading, read_file
from reader.records import FailedFile, ImportProgress

BATCH = (
    "multipage.pdf", "invalid.pdf", "trivial.pdf", "skew-encrypted.pdf", "hugemono.pdf",
    "linn.txt", "encrypted_algo4.pdf", "cardinal.pdf",
)  # fmt: skip


def _batch(realdata: Path, folder: Path) -> list[Path]:
    """The batch, and a second copy of one file (the same content twice in one batch)."""
    folder.mkdir()
    files = [shutil.copy(realdata / name, folder / name) for name in BATCH]
    return [*map(Path, files), Path(shutil.copy(realdata / "trivial.pdf", folder / "zz.pdf"))]


def _imported(library: Library, files: list[Path]) -> tuple[dict[str, Any], list[Any]]:
    report = library.import_paths(files)
    documents = [
        (d.id, Path(d.path).name, d.title, d.pages, d.identifiers, library.page_texts(d.id))
        for d in library.documents()
    ]
    outcome = {
        "imported": [(d.id, Path(d.path).name, d.pages) for d in report.imported],
        "skipped": [(Path(s.path).name, s.reason) for s in report.skipped],
        "failed": [(Path(f.path).name, f.error) for f in report.failed],
    }
    assert library.check().ok
    return outcome, documents


def test_read_ahead_records_what_reading_here_records(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _batch(realdata, tmp_path / "files")
    monkeypatch.setattr(readahead, "MIN_FILES", 10**9)
    with Library(tmp_path / "here") as library:
        here = _imported(library, files)
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    with Library(tmp_path / "ahead") as library:
        ahead = _imported(library, files)
        hits = library.search("Mihailović OR LinnSequencer", with_boxes=False)
    assert ahead == here
    outcome = ahead[0]
    assert [name for _, name, _ in outcome["imported"]] == [
        "multipage.pdf", "trivial.pdf", "linn.txt", "encrypted_algo4.pdf", "cardinal.pdf",
    ]  # fmt: skip
    reasons = dict(outcome["skipped"])
    assert "password" in reasons["skew-encrypted.pdf"]
    assert "too large to decode safely" in reasons["hugemono.pdf"]
    assert "not imported twice" in reasons["zz.pdf"]
    assert "damaged" in dict(outcome["failed"])["invalid.pdf"]
    assert hits.total >= 1
    assert not multiprocessing.active_children()


def test_pages_analysed_by_the_helper_are_indexed_as_pages_analysed_here(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper makes what the index writes of each page's text (index.page_analysis); the
    library writes it as it is, and the index holds what analysing the pages here gives."""
    files = _batch(realdata, tmp_path / "files")
    monkeypatch.setattr(readahead, "MIN_FILES", 10**9)
    with Library(tmp_path / "here") as library:
        library.import_paths(files)
        here = _postings(library)
    analysed_here: list[str] = []

    def analyse_page(text: str) -> Any:
        analysed_here.append(text)
        return page_analysis.analyse_page(text)

    monkeypatch.setattr(writer, "analyse_page", analyse_page)
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    with Library(tmp_path / "ahead") as library:
        library.import_paths(files)
        ahead = _postings(library)
    assert ahead == here
    assert len(here) > 300
    assert not [text for text in analysed_here if text]  # every page with text came analysed


def test_an_import_syncs_before_the_analyses_kept_outgrow_their_bound(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analyses wait in memory for the next sync: past ANALYSES_KEPT pages the import
    syncs, whatever the time since the last."""
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    monkeypatch.setattr(library_module, "ANALYSES_KEPT", 1)
    monkeypatch.setattr(library_module, "INDEX_INTERVAL", 3600.0)
    kept: list[int] = []
    with Library(tmp_path / "lib") as library:
        sync = library.sync_index

        def counting_sync(**options: Any) -> int:
            kept.append(len(library._analysed))
            return sync(**options)

        monkeypatch.setattr(library, "sync_index", counting_sync)
        library.import_paths(_batch(realdata, tmp_path / "files"))
        assert not library._analysed
        hits = library.search("LinnSequencer", with_boxes=False).hits
        assert sorted((hit.title, hit.page) for hit in hits) == [
            ("The LinnSequencer", 1),
            ("The LinnSequencer", 2),
        ]
    assert len(kept) >= 3 and kept[0] >= 1  # a sync after each file with text, then the last


def _postings(library: Library) -> set[tuple[Any, ...]]:
    """Every posting in the library's index: field, term, page id, weight and value."""
    library.sync_index()
    found = set()
    with library.index.reader() as reader:
        for leaf in reader.leaf_readers():
            segment = leaf[0] if isinstance(leaf, tuple) else leaf
            for field, term, docnum, weight, value in segment.iter_postings():
                if not segment.is_deleted(docnum):
                    page = segment.stored_fields(docnum)["pageid"]
                    found.add((field, term, page, weight, value))
    return found


def test_a_file_already_in_the_library_is_not_read_again(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    files = _batch(realdata, tmp_path / "files")
    with Library(tmp_path / "lib") as library:
        first = library.import_paths(files)
        again = library.import_paths(files)
        assert not again.imported
        assert {Path(s.path).name for s in again.skipped} >= {
            Path(d.path).name for d in first.imported
        }
        assert library.check().ok
    with readahead.ReadAhead(files[:1], DEFAULT_LIMITS, frozenset()) as reader:
        (reading,) = [reader.next()]
    assert isinstance(reading, Reading) and reading.extracted is not None
    with readahead.ReadAhead(files[:1], DEFAULT_LIMITS, frozenset({reading.sha256})) as reader:
        known = reader.next()
    assert isinstance(known, Reading) and known.extracted is None and not known.error


def test_cancel_and_progress_with_read_ahead(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    files = _batch(realdata, tmp_path / "files")
    seen: list[ImportProgress] = []
    with Library(tmp_path / "lib") as library:
        report = library.import_paths(files, progress=seen.append, cancelled=lambda: len(seen) >= 3)
        assert report.cancelled
        assert [Path(d.path).name for d in report.imported] == ["multipage.pdf", "trivial.pdf"]
        assert [Path(f.path).name for f in report.failed] == ["invalid.pdf"]
        assert [(p.done, p.total, Path(p.path).name) for p in seen] == [
            (0, len(files), "multipage.pdf"), (1, len(files), "invalid.pdf"),
            (2, len(files), "trivial.pdf"),
        ]  # fmt: skip
        assert library.check().ok
        assert library.search("LinnSequencer", with_boxes=False).total == 0
    # The helper was stopped with the import, in the middle of what it read ahead.
    assert not multiprocessing.active_children()


def test_a_helper_that_dies_costs_the_file_it_was_reading(tmp_path: Path, realdata: Path) -> None:
    files = _batch(realdata, tmp_path / "files") * 3
    outcomes = []
    with readahead.ReadAhead(files, DEFAULT_LIMITS, frozenset()) as reader:
        outcomes.append(reader.next())
        helpers = multiprocessing.active_children()
        assert len(helpers) == readahead.HELPERS == 2  # this machine has two cores or more
        killed = helpers[0]
        killed.kill()
        killed.join()
        outcomes += [reader.next() for _ in files[1:]]
        now = multiprocessing.active_children()
        assert len(now) == 2 and killed.pid not in {helper.pid for helper in now}
    died = [i for i, o in enumerate(outcomes) if isinstance(o, FailedFile) and "stopped" in o.error]
    assert len(died) <= 1  # the file it was reading, if it was reading one
    for index, (path, outcome) in enumerate(zip(files, outcomes, strict=True)):
        if index not in died:
            assert asdict(outcome) == asdict(readahead._analysed(read_file(path, DEFAULT_LIMITS)))
    assert not multiprocessing.active_children()
