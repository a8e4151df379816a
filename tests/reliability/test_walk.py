"""Walking folders and reading files the OS hands over: names that are not UTF-8, symbolic
link loops, FIFOs and devices (issue #22, defects 5-7). Each test runs the real CLI in a
child process with a timeout, so a regression that hangs fails instead of stalling CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from reader.cli import main
from reader.library import Library

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds; a reader blocked on a FIFO or reading /dev/zero never ends

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file names and file types")


def run_cli(library: Path, *argv: str, as_json: bool = True, strict_stdout: bool = False) -> Any:
    """`python -m reader.cli ARGV --library LIBRARY [--json]`: its stdout bytes (checked to
    be UTF-8), and JSON parsed when asked. `strict_stdout`: stdout encodes strictly, as when
    PYTHONIOENCODING names a codec, so a surrogate that reaches it raises."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    env.pop("PYTHONIOENCODING", None)
    if strict_stdout:
        env["PYTHONIOENCODING"] = "utf-8:strict"
    command = [sys.executable, "-m", "reader.cli", *argv, "--library", str(library)]
    result = subprocess.run(
        [*command, *(["--json"] if as_json else [])],
        cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    text = result.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    return (result.returncode, json.loads(text) if as_json else text)


def _pdf_bytes(words: str) -> bytes:
    with pymupdf.open() as pdf:
        pdf.new_page().insert_text((72, 72), words)
        return bytes(pdf.tobytes())


def _names(entries: list[dict[str, Any]]) -> set[bytes]:
    return {os.fsencode(Path(entry["path"]).name) for entry in entries}


def test_file_names_that_are_not_utf8_are_imported_kept_and_printed_as_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    raw = os.fsencode(folder)
    (Path(os.fsdecode(raw + b"/report\xff.txt"))).write_text("The report of NOKW 1088 words.")
    Image.new("L", (40, 30), 255).save(os.fsdecode(raw + b"/scan\xfe.png"))
    Path(os.fsdecode(raw + b"/paper\xfd.pdf")).write_bytes(_pdf_bytes("Findable pdf passage"))
    (folder / "plain.txt").write_text("A plain file.")
    library = tmp_path / "lib"

    status, report = run_cli(library, "import", str(folder), "--no-ocr")

    assert status == 0
    assert report["failed"] == [] and report["skipped"] == []
    assert _names(report["imported"]) == {
        b"report\xff.txt", b"scan\xfe.png", b"paper\xfd.pdf", b"plain.txt"
    }  # fmt: skip
    by_name = {os.fsencode(Path(d["path"]).name): d for d in report["imported"]}
    assert by_name[b"paper\xfd.pdf"]["pages"] == 1

    # The catalog keeps the path as the OS gave it, and reads the very same files again.
    with Library(library) as opened:
        stored = {os.fsencode(d.path): d for d in opened.documents()}
        assert set(stored) == {os.fsencode(d["path"]) for d in report["imported"]}
        assert raw + b"/report\xff.txt" in stored
        assert opened.check().ok  # every original re-read and hashed
        named = opened.resolve(os.fsdecode(b"report\xff.txt"))  # DOC as a file name
        assert named == stored[raw + b"/report\xff.txt"].id
        for name in (b"/paper\xfd.pdf", b"/scan\xfe.png"):
            assert opened.render_page(stored[raw + name].id, 1, dpi=30).width > 0
        found = opened.search("findable")
        assert [hit.doc for hit in found.hits] == [by_name[b"paper\xfd.pdf"]["id"]]
    assert main(["docs", "--json", "--library", str(library)]) == 0
    printed = capsys.readouterr().out
    printed.encode("utf-8")  # strict: no surrogate reaches stdout
    paths = [os.fsencode(d["path"]) for d in json.loads(printed)["documents"]]
    assert raw + b"/scan\xfe.png" in paths


def test_a_name_that_is_not_utf8_prints_for_a_person_on_a_strict_utf8_stdout(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.html")).write_text("")  # empty: failed

    status, text = run_cli(tmp_path / "lib", "import", str(folder), as_json=False,
                           strict_stdout=True)  # fmt: skip

    assert status == 0
    assert "bad\\xff.html: empty file" in text
    assert "0 imported, 0 skipped, 1 failed" in text


def test_a_symlink_loop_is_reported_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a_first.txt").write_text("The first file.")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "up").symlink_to("..", target_is_directory=True)
    (folder / "z_last.txt").write_text("The last file.")

    status, report = run_cli(tmp_path / "lib", "import", str(folder), "--no-ocr")

    assert status == 0
    assert _names(report["imported"]) == {b"a_first.txt", b"z_last.txt"}
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert set(failed) == {"loop_a.txt", "loop_b.txt"}
    assert all("symbolic links" in error for error in failed.values())
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"up"}
    assert "link to a folder" in skipped["up"]

    # Named on the command line, the link is there: reported as a loop, not as missing.
    assert main(["import", str(folder / "loop_a.txt"), "--library", str(tmp_path / "lib")]) == 0
    assert (
        "loop_a.txt: cannot be read: Too many levels of symbolic links" in capsys.readouterr().out
    )


def test_fifos_and_devices_are_skipped_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a_first.txt").write_text("The first file.")
    os.mkfifo(folder / "pipe.txt")  # opening it to read would wait for a writer forever
    (folder / "zero.txt").symlink_to("/dev/zero")  # a device reached from the folder
    (folder / "z_last.txt").write_text("The last file.")

    status, report = run_cli(tmp_path / "lib", "import", str(folder), "--no-ocr")

    assert status == 0
    assert _names(report["imported"]) == {b"a_first.txt", b"z_last.txt"}
    assert report["failed"] == []
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"pipe.txt", "zero.txt"}
    assert "named pipe" in skipped["pipe.txt"]
    assert "device" in skipped["zero.txt"]

    status, report = run_cli(tmp_path / "lib", "import", "/dev/zero", "/dev/null")
    assert status == 0 and report["imported"] == [] and report["failed"] == []
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"/dev/zero", "/dev/null"}
    assert all("not a regular file" in reason for reason in reasons.values())


def test_an_original_that_became_a_link_loop_does_not_stop_an_export(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    (originals / "a.txt").write_text("The order of the corps for Mostar.", encoding="utf-8")
    (originals / "b.txt").write_text("Supply columns reached Nevesinje.", encoding="utf-8")
    with Library(tmp_path / "library") as library:
        imported = library.import_paths([originals / "a.txt", originals / "b.txt"], kind="primary")
        (second,) = [d for d in imported.imported if d.path.endswith("b.txt")]
        (originals / "a.txt").unlink()
        os.symlink(originals / "a2.txt", originals / "a.txt")
        os.symlink(originals / "a.txt", originals / "a2.txt")
        report = library.export(second.id, tmp_path / "b.pdf")
    assert report.pages == 1
    with pymupdf.open(tmp_path / "b.pdf") as exported:
        assert "Supply columns reached Nevesinje." in exported[0].get_text()
