"""The bundled sample collection: its documents carry the dates of their records, so the
README's `date:1943-03` finds the reports of March 1943, and every example in the README's
"Using it" section runs as it stands (the test reads them from the README)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library import Library
from reader.records import MetadataChanges
from reader.sample import SAMPLE_FOLDER, SAMPLE_RECORDS, apply_sample_records

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# The sample's pages written in March 1943: NOKW-1088 (12 March, two pages), NOKW-1080
# (9 March), NO-3012 (14 March, two pages). PS-1014 is of April, the memoir of 1961.
MARCH_1943 = {("NOKW-1088", 1), ("NOKW-1088", 2), ("NOKW-1080", 1), ("NO-3012", 1), ("NO-3012", 2)}


def readme_commands() -> list[str]:
    """The command lines of the sh block in the README's "Using it" section."""
    section = README.read_text(encoding="utf-8").split("## Using it", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_sample_documents_carry_their_records_dates(sample_library: Path) -> None:
    with Library(sample_library, read_only=True) as library:
        dates = {d.title: d.date for d in library.documents()}
        authors = {d.title: d.authors for d in library.documents()}
    assert dates["NOKW-1088"] == "1943-03-12"
    assert dates["NOKW-1080"] == "1943-03-09"
    assert dates["NO-3012"] == "1943-03-14"
    assert dates["PS-1014"] == "1943-04-02"
    assert dates["Years in the Mountains"] == "1961"
    assert dates["Orders and Their Echoes: The Nevesinje Operation of March 1943"] == "1998-05"
    assert authors["NO-3012"] == ["Glaise von Horstenau"]
    assert authors["Years in the Mountains"] == ["Marko Petrović"]  # from the PDF itself


def test_date_1943_03_finds_the_march_reports(sample_library: Path) -> None:
    with Library(sample_library, read_only=True) as library:
        found = library.search("date:1943-03", limit=50, with_boxes=False)
        assert {(h.title, h.page) for h in found.hits} == MARCH_1943
        assert found.total == len(MARCH_1943)
        ranged = library.search("date:[1943-01 TO 1943-06]", limit=50, with_boxes=False)
        assert {h.title for h in ranged.hits} == {"NOKW-1088", "NOKW-1080", "NO-3012", "PS-1014"}


def test_every_sample_record_names_a_sample_file() -> None:
    for name in SAMPLE_RECORDS:
        assert (SAMPLE_FOLDER / name).is_file(), name


def test_records_reach_a_sample_imported_file_by_file_and_keep_a_given_date(
    tmp_path: Path,
) -> None:
    with Library(tmp_path / "library") as library:
        scan = SAMPLE_FOLDER / "primary" / "PS-1014.png"
        memoir = SAMPLE_FOLDER / "primary" / "memoir-excerpt.pdf"
        library.import_paths([scan, memoir], kind="primary")
        dated = next(d for d in library.documents() if d.path.endswith("memoir-excerpt.pdf"))
        library.update_metadata(dated.id, MetadataChanges(date="1962"))
        assert apply_sample_records(library) == 1
        dates = {Path(d.path).name: d.date for d in library.documents()}
        assert dates == {"PS-1014.png": "1943-04-02", "memoir-excerpt.pdf": "1962"}


@pytest.mark.slow
def test_every_readme_example_runs_on_the_sample(tmp_path: Path) -> None:
    """The README's examples in their order, on a new library, from a folder that has the
    repository's resources/ (the exports are written there)."""
    commands = readme_commands()
    assert commands[0].startswith("archive-reader import resources/sample/primary")
    assert any("date:1943-03" in c for c in commands)
    work = tmp_path / "work"
    work.mkdir()
    (work / "resources").symlink_to(ROOT / "resources")
    environment = {
        **os.environ,
        "ARCHIVE_READER_LIBRARY": str(tmp_path / "library"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
    }
    for line in commands:
        argv = shlex.split(line, comments=True)
        if argv[0] == "python":
            argv[0] = sys.executable
        result = subprocess.run(
            argv, cwd=work, env=environment, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, (line, result.stdout[-2000:], result.stderr[-2000:])
        if "date:1943-03" in line:  # the search finds the March reports, and only them
            again = subprocess.run(
                [*argv, "--json"], cwd=work, env=environment, capture_output=True, text=True
            )
            hits = json.loads(again.stdout)["hits"]
            assert hits and {(h["title"], h["page"]) for h in hits} <= MARCH_1943
    assert (work / "nokw-1088.pdf").is_file() and (work / "article.pdf").is_file()
    assert (work / "shot.png").is_file()
