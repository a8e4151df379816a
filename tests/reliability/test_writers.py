"""Writers that are cut short or kept waiting: an import killed between recording an article
and citing it, and an article import while another program writes to the catalog."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import reader.catalog
import reader.citing
from reader.cli import main
from reader.library import Library
from reader.records import MetadataChanges

ROOT = Path(__file__).resolve().parents[2]

PRIMARY = "NOKW-1088\nThe bridge at Mostar was repaired by the engineers on 3 May 1943.\n"


def article(number: int) -> str:
    """An article citing the primary source (found) and a file the archive lacks (a gap)."""
    return (
        f"<html><head><title>Article {number}</title></head><body><p>The report (NOKW 1088) says that "
        f"“the bridge at Mostar was repaired by the engineers.” See also NOKW {9000 + number}."
        "</p></body></html>"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    files = tmp_path / "in"
    files.mkdir()
    (files / "NOKW-1088.txt").write_text(PRIMARY)
    for number in (1, 2, 3):
        (files / f"article{number}.html").write_text(article(number))
    return files


@pytest.fixture
def library(tmp_path: Path, folder: Path) -> Iterator[Library]:
    with Library(tmp_path / "library") as opened:
        assert len(opened.import_paths([folder / "NOKW-1088.txt"]).imported) == 1
        yield opened


def gap_identifiers(library: Library) -> set[str]:
    return {gap.identifier for gap in library.gaps()}


def cited(library: Library, name: str) -> dict[str, int | None]:
    """An article's identifier citations, each with the document it was resolved to."""
    found = library.citations(name, with_boxes=False).citations
    return {c.identifier: c.target.doc if c.target else None for c in found if c.identifier}


# 1. A killed import loses an article's citations.

# The CLI in a child process that SIGKILLs itself the moment it starts citing: the article is
# recorded, its citations are not.
KILLED_WHILE_CITING = """
import os, signal, sys
import reader.citing

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

reader.citing.cite_document = killed
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def killed_import(library: Library, folder: Path) -> Library:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_CITING, "--library", str(library.folder), "import",
         str(folder / "article1.html"), "--json"],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert library.resolve("article1.html")  # recorded before the kill
    return library


def test_an_article_recorded_before_a_kill_is_cited_by_the_next_import(
    killed_import: Library, folder: Path
) -> None:
    report = killed_import.import_paths([folder / "article1.html"])
    assert [s.reason for s in report.skipped] == ["already in the library as document 2"]
    assert gap_identifiers(killed_import) == {"NOKW-9001"}
    assert cited(killed_import, "article1.html") == {"NOKW-1088": 1, "NOKW-9001": None}


def test_check_reports_an_article_never_cited_and_cites_it(
    killed_import: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(killed_import.folder)
    killed_import.close()
    assert main(["--library", folder, "check", "--json"]) != 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["doc"], "citations" in p["problem"]) for p in problems] == [(2, True)]
    assert main(["--library", folder, "gaps", "--json"]) == 0
    gaps = json.loads(capsys.readouterr().out)["gaps"]
    assert [(g["doc"], g["identifier"]) for g in gaps] == [(2, "NOKW-9001")]
    assert main(["--library", folder, "check", "--json"]) == 0  # nothing left to finish
    assert json.loads(capsys.readouterr().out)["problems"] == []


# 2. A second writer breaks article imports.


class LockHolder:
    """Another connection to the catalog that takes the write lock and writes (as an
    `annotate` or a PDF import would), until released."""

    def __init__(self, catalog: Path) -> None:
        self.connection = sqlite3.connect(catalog, isolation_level=None, check_same_thread=False)
        self.held = False

    def take(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("UPDATE documents SET title = title || '.' WHERE id = 1")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.connection.execute("COMMIT")
            self.held = False

    def close(self) -> None:
        self.release()
        self.connection.close()


@pytest.fixture
def holder(library: Library) -> Iterator[LockHolder]:
    holding = LockHolder(library.folder / "catalog.sqlite")
    yield holding
    holding.close()


def on_call(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, actions: dict[int, Callable[[], None]]
) -> None:
    """Run actions[n] when module.name is called the n-th time (from 1), then the call."""
    original = getattr(module, name)
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls in actions:
            actions[calls]()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)


def test_an_article_import_waits_for_another_writer_and_cites(
    library: Library, folder: Path, holder: LockHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While the article's citations are being detected another program writes, holding the
    # lock for a second: the import waits its turn, then stores them.
    def hold_for_a_second() -> None:
        holder.take()
        threading.Timer(1.0, holder.release).start()

    on_call(monkeypatch, reader.citing, "detect_citations", {1: hold_for_a_second})
    report = library.import_paths([folder / "article1.html"])
    assert report.failed == [] and [d.title for d in report.imported] == ["Article 1"]
    assert not holder.held
    assert cited(library, "article1.html") == {"NOKW-1088": 1, "NOKW-9001": None}


def test_a_lock_held_past_the_timeout_fails_that_article_and_the_batch_goes_on(
    library: Library, folder: Path, holder: LockHolder, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    # The lock is taken while the second article's citations are detected and let go only
    # when the third's are: the second cannot store them in time.
    monkeypatch.setattr(reader.catalog, "BUSY_TIMEOUT", 0.2)
    on_call(monkeypatch, reader.citing, "detect_citations", {2: holder.take, 3: holder.release})
    folder_name = str(library.folder)
    library.close()
    paths = [str(folder / f"article{n}.html") for n in (1, 2, 3)]
    assert main(["--library", folder_name, "import", *paths, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [d["title"] for d in report["imported"]] == ["Article 1", "Article 2", "Article 3"]
    (failed,) = report["failed"]
    assert failed["path"] == paths[1]
    assert "locked" in failed["error"] and "\n" not in failed["error"]
    with Library(Path(folder_name)) as reopened:
        assert gap_identifiers(reopened) == {"NOKW-9001", "NOKW-9003"}
        reopened.import_paths([])  # the next import finishes what the lock kept back
        assert gap_identifiers(reopened) == {"NOKW-9001", "NOKW-9002", "NOKW-9003"}


def test_a_lock_held_past_the_timeout_while_recording_fails_only_that_file(
    library: Library, folder: Path, holder: LockHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.importer
    import reader.reading

    monkeypatch.setattr(reader.catalog, "BUSY_TIMEOUT", 0.2)
    library.close()
    with Library(library.folder) as reopened:
        # Taken as the second file is read, let go as the third is hashed.
        on_call(monkeypatch, reader.reading, "extract", {2: holder.take})
        on_call(monkeypatch, reader.importer, "sha256_of", {3: holder.release})
        report = reopened.import_paths([folder / f"article{n}.html" for n in (1, 2, 3)])
        assert [d.title for d in report.imported] == ["Article 1", "Article 3"]
        (failed,) = report.failed
        assert failed.path == str(folder / "article2.html")
        assert "locked" in failed.error and "\n" not in failed.error
        assert gap_identifiers(reopened) == {"NOKW-9001", "NOKW-9003"}


def test_an_edit_that_reads_before_it_writes_waits_for_another_writer(
    library: Library, holder: LockHolder
) -> None:
    # `set` reads the document, then writes: begun as a reader, SQLite would refuse its
    # upgrade at once while another program holds the lock, whatever the timeout.
    holder.take()
    threading.Timer(1.0, holder.release).start()
    edited = library.update_metadata("NOKW-1088", MetadataChanges(title="Bridge report"))
    assert not holder.held
    assert edited.title == library.document("NOKW-1088").title == "Bridge report"


def test_a_command_kept_waiting_past_the_timeout_says_so_in_one_line(
    library: Library, holder: LockHolder, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(reader.catalog, "BUSY_TIMEOUT", 0.2)
    folder = str(library.folder)
    library.close()
    holder.take()
    assert main(["--library", folder, "set", "NOKW-1088", "--title", "Bridge report"]) == 1
    assert capsys.readouterr().err == (
        "archive-reader: the catalog stayed locked by another program for 0.2 s; try again\n"
    )
    holder.release()
    with Library(Path(folder)) as reopened:
        assert reopened.document("NOKW-1088").title != "Bridge report"


def test_a_catalog_from_before_the_citing_state_cites_its_uncited_articles(
    tmp_path: Path, folder: Path
) -> None:
    # A catalog as the version before revision 0004 left it, with an article whose import
    # was killed before it was cited: upgraded, the article waits; the next import cites it.
    catalog = tmp_path / "library" / "catalog.sqlite"
    with Library(catalog.parent) as library:
        library.import_paths([folder / n for n in ("NOKW-1088.txt", "article1.html")])
    with sqlite3.connect(catalog, isolation_level=None) as older:
        older.execute("DELETE FROM citations")
        older.execute("DROP INDEX ix_documents_citing_state")
        older.execute("ALTER TABLE documents DROP COLUMN citing_state")
        older.execute("DROP INDEX ix_annotations_indexed")  # and what revision 0005 added
        for column in ("owner", "shared", "revision", "indexed"):
            older.execute(f"ALTER TABLE annotations DROP COLUMN {column}")
        older.execute("DROP INDEX ix_pages_document_ocr_state")  # and revision 0006's
        older.execute("DROP INDEX ix_pages_document_frame")
        older.execute("UPDATE alembic_version SET version_num = '0003'")
        older.execute("UPDATE schema_info SET version = 3")
    older.close()
    with Library(catalog.parent) as library:
        assert gap_identifiers(library) == set()
        library.import_paths([])
        assert gap_identifiers(library) == {"NOKW-9001"}
        assert cited(library, "article1.html") == {"NOKW-1088": 1, "NOKW-9001": None}
