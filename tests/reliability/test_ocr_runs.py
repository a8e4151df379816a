"""OCR runs that end badly or read nothing: a killed `ocr` leaves no process behind, and a blank
scan is a page without text, not a failure."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from reader.cli import main
from reader.library import Library
from reader.models import Document, Page

ROOT = Path(__file__).resolve().parents[2]
PROC = Path("/proc")


def _typed_scan(path: Path, words: str, lines: int = 1) -> None:
    image = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    for line in range(lines):
        draw.text((120, 150 + 60 * line), words, fill=0, font=font)
    image.save(path, dpi=(150, 150))


def _blank_scan(path: Path) -> None:
    Image.new("L", (1275, 1650), 255).save(path, dpi=(150, 150))


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main([*argv, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


# A blank page


def test_a_blank_scan_is_a_page_without_text_not_an_ocr_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    _blank_scan(files / "blank.png")
    _blank_scan(files / "blank.tif")
    _typed_scan(files / "words.png", "Supply column reached Mostar")
    lib = ["--library", str(tmp_path / "lib")]

    report = run_json(capsys, "import", str(files), *lib)
    assert len(report["imported"]) == 3
    assert report["ocr"]["failures"] == []
    assert report["ocr"]["pages_done"] == 3

    docs = run_json(capsys, "docs", *lib)["documents"]
    assert [d["ocr"] for d in docs] == [{"pending": 0, "done": 1, "failed": 0}] * 3
    assert run_json(capsys, "check", *lib)["problems"] == []

    with Library(tmp_path / "lib") as library, library.session() as session:
        pages = {
            Path(path).name: (page.ocr_state, page.text, page.words, page.ocr_error,
                              page.text_source, page.ocr_confidence)
            for page, path in session.execute(select(Page, Document.source_path).join(Document))
        }  # fmt: skip
    for name in ("blank.png", "blank.tif"):
        state, text, words, error, source, confidence = pages[name]
        assert (state, text.strip(), words, error, source) == ("done", "", [], "", "ocr")
        assert confidence is not None
    state, text, words, *_ = pages["words.png"]
    assert state == "done" and "Mostar" in text
    assert [w[4] for w in words] == ["Supply", "column", "reached", "Mostar"]


# A killed run


def _workers(pid: int) -> list[int]:
    """The OCR worker processes a process has spawned."""
    return [
        int(entry.name)
        for entry in PROC.iterdir()
        if entry.name.isdigit()
        and _stat(int(entry.name))[1] == pid
        and b"spawn_main" in _cmdline(int(entry.name))
    ]


def _cmdline(pid: int) -> bytes:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return b""


def _stat(pid: int) -> tuple[str, int, int]:
    """State, parent and process group of a live process; ("", 0, 0) once it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return "", 0, 0
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    members = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            state, _parent, group = _stat(int(entry.name))
            if group == pgid and state not in ("Z", "X", ""):
                members.append(int(entry.name))
    return members


def _wait_for(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _pages_done(library: Library) -> int:
    with library.session() as session:
        return len(session.scalars(select(Page.id).where(Page.ocr_state == "done")).all())


@pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("moment", ["as the workers start", "in the middle of a page"])
def test_a_killed_ocr_run_leaves_no_worker_or_helper_running(tmp_path: Path, moment: str) -> None:
    """The parent SIGKILLed just as it spawned its workers (before they could arrange to follow
    it) or while they read pages: the workers and the resource tracker all go with it."""
    files = tmp_path / "files"
    files.mkdir()
    for number in range(8):
        _typed_scan(files / f"scan{number}.png", f"Report {number} of the supply column", 8)
    folder = tmp_path / "lib"
    with Library(folder) as library:
        assert len(library.import_paths([files]).imported) == 8  # their OCR waits for `ocr`

    process = subprocess.Popen(
        [sys.executable, "-m", "reader.cli", "ocr", "--library", str(folder), "--workers", "2"],
        start_new_session=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: len(_workers(process.pid)) == 2, 60)
        if moment == "in the middle of a page":
            with Library(folder) as library:
                assert _wait_for(lambda: _pages_done(library) >= 1, 60)
        assert process.poll() is None
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # A worker killed as it starts follows its parent once started: seconds on a busy machine.
        assert _wait_for(lambda: not _group(process.pid), 30), [
            _cmdline(pid) for pid in _group(process.pid)
        ]
    finally:
        with contextlib.suppress(ProcessLookupError):  # what the run left, if anything
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
