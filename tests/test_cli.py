"""The command-line contract: commands, --json shapes, exit codes, errors on stderr."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import EXIT_STDOUT_CLOSED, main

SHOW_FIELDS = {"id", "title", "kind", "path", "sha256", "pages", "identifiers", "date", "authors"}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_import_docs_show_check_in_the_documented_shapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, realdata: Path
) -> None:
    lib = ["--library", str(tmp_path / "lib")]
    files = tmp_path / "files"
    files.mkdir()
    for name in ("typewriter.png", "invalid.pdf", "skew-encrypted.pdf", "linn.txt"):
        shutil.copy(realdata / name, files / name)
    shutil.copy(realdata / "typewriter.png", files / "NOKW-1088.png")

    report = run_json(capsys, "import", str(files), "--collection", "Test", *lib)
    assert set(report) >= {"imported", "skipped", "failed"}
    assert {Path(d["path"]).name for d in report["imported"]} == {"NOKW-1088.png", "linn.txt"}
    for item in report["imported"]:
        assert set(item) >= {"id", "title", "path", "kind", "pages", "identifiers"}
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    # Files are taken in name order, so the identical typewriter.png is the twin skipped.
    assert set(skipped) == {"skew-encrypted.pdf", "typewriter.png"}
    assert skipped["typewriter.png"].startswith("same content as document")
    assert [Path(f["path"]).name for f in report["failed"]] == ["invalid.pdf"]
    assert set(report["failed"][0]) == {"path", "error"}

    docs = run_json(capsys, "docs", *lib)["documents"]
    assert len(docs) == 2 and all(set(d) >= SHOW_FIELDS for d in docs)
    scan = next(d for d in docs if d["path"].endswith(".png"))
    shown = run_json(capsys, "show", str(scan["id"]), *lib)
    assert set(shown) >= SHOW_FIELDS
    assert shown == scan
    assert run_json(capsys, *lib, "check") == {"ok": True, "documents": 2, "problems": []}


@pytest.mark.slow
def test_doc_by_identifier_and_clear_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, realdata: Path
) -> None:
    lib = ["--library", str(tmp_path / "lib")]
    shutil.copy(realdata / "typewriter.png", tmp_path / "nokw_1088.png")
    run_json(capsys, "import", str(tmp_path / "nokw_1088.png"), *lib)
    assert run_json(capsys, "show", "NOKW 1088", *lib)["identifiers"] == ["NOKW-1088"]

    assert main(["show", "NOKW-1080", *lib]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no document with id or identifier 'NOKW-1080'" in captured.err

    assert main(["import", str(tmp_path / "nowhere.pdf"), *lib]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_check_exits_non_zero_on_a_changed_original(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lib = ["--library", str(tmp_path / "lib")]
    note = tmp_path / "note.txt"
    note.write_text("original words")
    run_json(capsys, "import", str(note), *lib)
    note.write_text("altered words")
    assert main(["check", "--json", *lib]) == 3
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert result["problems"][0]["problem"].startswith("changed")


def test_the_console_script_and_library_from_the_environment(
    tmp_path: Path, realdata: Path
) -> None:
    env = {"ARCHIVE_READER_LIBRARY": str(tmp_path / "envlib"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "reader.cli", "import", str(realdata / "linn.txt"), "--json"],
        capture_output=True, text=True, env=env, check=True, timeout=60,
    )  # fmt: skip
    assert json.loads(result.stdout)["imported"][0]["title"] == "The LinnSequencer"
    assert (tmp_path / "envlib" / "catalog.sqlite").exists()


def archive_reader_command() -> list[str]:
    """The installed `archive-reader` script beside this Python, or its module."""
    script = Path(sys.executable).parent / "archive-reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "archive_reader"]


def test_output_into_a_pipe_closed_early_ends_quietly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`archive-reader docs --json | head -c 10`: the reader stops early, and the command
    ends as Unix tools do, with the status of SIGPIPE and no traceback."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for number in range(100):  # titles of 160 characters: `docs --json` past 90 KB
        (notes / f"column-{number:02}.txt").write_text(f"{number:02} " + "Column moved. " * 12)
    lib = ["--library", str(tmp_path / "lib")]
    assert len(run_json(capsys, "import", str(notes), *lib)["imported"]) == 100

    command = " ".join(shlex.quote(part) for part in [*archive_reader_command(), *lib])
    pipeline = f"{command} docs --json | head -c 10; exit ${{PIPESTATUS[0]}}"
    into_head = subprocess.Popen(pipeline, shell=True, executable="/bin/bash", text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    # A reader gone before the first byte: whatever the size, the first write fails.
    gone = subprocess.Popen(
        [*archive_reader_command(), *lib, "search", "column", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert gone.stdout is not None
    gone.stdout.close()

    out, errors = into_head.communicate(timeout=60)
    assert (len(out), errors, into_head.returncode) == (10, "", EXIT_STDOUT_CLOSED)
    errors = gone.communicate(timeout=60)[1]
    assert (errors, gone.returncode) == ("", EXIT_STDOUT_CLOSED)
