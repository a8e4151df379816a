"""Reading rooms: read-only workstations, one window per library, several writers taking
turns, and nothing lost when a process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from bench.corpus import born_digital_pdf
from reader.cli import main as cli_main
from reader.library import Library, ReadOnlyLibrary
from reader.locking import WindowLock
from reader.models import Document, Page
from reader.records import MetadataChanges
from ui.main_window import MainWindow


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    born_digital_pdf(tmp_path / "NOKW-1088.pdf", ["The supply columns moved by day."])
    with Library(tmp_path / "library") as library:
        library.import_paths([tmp_path / "NOKW-1088.pdf"])
    return tmp_path / "library"


def test_a_read_only_library_refuses_changes_but_reads_searches_and_exports(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "new.txt").write_text("A new note.")
    with Library(filled, read_only=True) as library:
        for change in (
            lambda: library.import_paths([tmp_path / "new.txt"]),
            lambda: library.run_ocr(),
            lambda: library.update_metadata("NOKW-1088", MetadataChanges(title="x")),
            lambda: library.cite("NOKW-1088"),
        ):
            with pytest.raises(ReadOnlyLibrary, match="read-only"):
                change()
        assert [h.title for h in library.search("supply").hits] == ["NOKW-1088"]
        made = library.annotate("NOKW-1088", 1, quote="supply columns", author="reader 7")
        library.export("NOKW-1088", tmp_path / "out.pdf")
        assert (tmp_path / "out.pdf").stat().st_size > 0
        assert library.annotations(author="reader 7") == [made]
    with (
        Library(filled, read_only=True, annotations_allowed=False) as library,
        pytest.raises(ReadOnlyLibrary, match="annotations are turned off"),
    ):
        library.annotate("NOKW-1088", 1, note="no")
    code = cli_main(["--library", str(filled), "--read-only", "import", str(tmp_path / "new.txt")])
    assert code == 1 and "read-only" in capsys.readouterr().err
    with Library(filled) as library:
        assert [d.title for d in library.documents()] == ["NOKW-1088"]


def test_one_window_per_library(filled: Path) -> None:
    first, second = WindowLock(filled), WindowLock(filled)
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == str(os.getpid())
    holder = subprocess.run(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from reader.locking import WindowLock;"
         "print(WindowLock(Path(sys.argv[1])).acquire())", str(filled)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert holder.stdout.strip() == "False"  # another process is refused too
    first.release()
    assert second.acquire()
    second.release()


def test_a_read_only_window_offers_no_changes_and_can_show_only_my_marks(
    qtbot: QtBot, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_READER_AUTHOR", "me")
    with Library(filled) as library:
        library.annotate("NOKW-1088", 1, quote="supply columns", author="me")
        library.annotate("NOKW-1088", 1, quote="moved by day", author="someone else")
    with Library(filled, read_only=True) as library:
        window = MainWindow(library, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        assert window.windowTitle().endswith("(read-only)")
        assert not window.import_files_action.isEnabled() and not window.acceptDrops()
        assert not window.metadata_action.isEnabled() and window.highlight_action.isEnabled()
        view = window.open_document("NOKW-1088")
        assert len(view.pages.annotations[1]) == 2
        window.mine_action.trigger()
        assert [a.author for a in view.pages.annotations[1]] == ["me"]
        assert window.citations_panel.notes.count() == 1


ANNOTATE_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from reader.library import Library
library = Library(Path(sys.argv[1]))
made = library.annotate("NOKW-1088", 1, quote="supply columns", note="kept")
print(made.id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # right after the change was acknowledged
"""


@pytest.mark.slow
def test_an_acknowledged_annotation_survives_a_kill(filled: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", ANNOTATE_THEN_DIE, str(filled)],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    acknowledged = int(killed.stdout.strip())
    with Library(filled) as library:
        assert [(a.id, a.note) for a in library.annotations("NOKW-1088")] == [
            (acknowledged, "kept")
        ]


IMPORT = """
import sys
from pathlib import Path
from reader.library import Library
with Library(Path(sys.argv[1])) as library:
    report = library.import_paths([Path(sys.argv[2])])
print(len(report.imported), len(report.failed))
"""


def _notes(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{prefix}-{n:03}.txt").write_text(f"{prefix} note {n}: the columns moved.")
    return folder


@pytest.mark.slow
def test_two_importers_and_a_reader_at_once(filled: Path, tmp_path: Path) -> None:
    batches = [_notes(tmp_path / name, name, 60) for name in ("east", "west")]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT, str(filled), str(batch)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for batch in batches
    ]
    with Library(filled) as library:
        while any(w.poll() is None for w in writers):
            library.search("columns")  # readers keep working while the writers write
            time.sleep(0.05)
        assert [w.communicate()[0].split() for w in writers] == [["60", "0"], ["60", "0"]]
        assert len(library.documents()) == 121
        assert library.search("columns", limit=200).total == 121
        assert library.check().ok


KILLED_IMPORT = """
import sys
from pathlib import Path
from reader.library import Library
Library(Path(sys.argv[1])).import_paths([Path(sys.argv[2])])
"""


@pytest.mark.slow
def test_an_import_killed_midway_leaves_nothing_half_done_and_resumes(
    filled: Path, tmp_path: Path
) -> None:
    batch = _notes(tmp_path / "batch", "note", 400)
    process = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(filled), str(batch)])
    with Library(filled) as library:
        deadline = time.monotonic() + 120
        while len(library.documents()) < 41 and time.monotonic() < deadline:  # 40 + `filled`'s
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with library.session() as session:
            counted = dict(
                session.execute(
                    select(Document.id, func.count(Page.id))
                    .join(Page, Page.document_id == Document.id)
                    .group_by(Document.id)
                ).all()
            )
            declared = dict(session.execute(select(Document.id, Document.page_count)).all())
        assert counted == declared  # every document recorded whole
        imported_before = len(declared) - 1
        assert 40 <= imported_before < 400

        report = library.import_paths([batch])  # the work resumes where it stopped
        assert len(report.imported) == 400 - imported_before
        assert len(report.skipped) == imported_before and not report.failed
        assert library.check().ok
