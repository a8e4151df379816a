"""OCR on real scans: quality, orientation and skew, word positions, budgets, resuming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select

from reader.library import Library
from reader.models import Page
from reader.ocr import engine
from reader.ocr.languages import available_languages, gather_tessdata, tesseract_languages
from reader.ocr.pageimage import MAX_OCR_PIXELS, PageImage, load_page_image

pytestmark = pytest.mark.slow  # OCR of real scans

SCANS = ["linn.png", "typewriter.png", "c02-22.pdf", "cardinal.pdf", "rotated_skew.pdf", "skew.pdf"]


def normalised(text: str) -> str:
    return " ".join(text.split())


def character_error_rate(found: str, truth: str) -> float:
    return Levenshtein.distance(normalised(found), normalised(truth)) / len(normalised(truth))


@pytest.fixture(scope="module")
def ocred(
    tmp_path_factory: pytest.TempPathFactory, realdata: Path
) -> Iterator[tuple[Library, dict[str, int]]]:
    library = Library(tmp_path_factory.mktemp("ocr") / "library")
    report = library.import_paths([realdata / name for name in SCANS])
    ocr = library.run_ocr()
    assert ocr.pages_failed == 0 and not ocr.cancelled
    yield library, {Path(d.path).name: d.id for d in report.imported}
    library.close()


def page_words(library: Library, doc_id: int, number: int) -> list[list[object]]:
    with library.session() as session:
        page = session.scalars(
            select(Page).where(Page.document_id == doc_id, Page.number == number)
        ).one()
        return list(page.words)


def test_linn_character_error_rate_under_three_percent(
    ocred: tuple[Library, dict[str, int]], realdata: Path
) -> None:
    library, ids = ocred
    truth = (realdata / "linn.txt").read_text()
    rate = character_error_rate(library.page_texts(ids["linn.png"])[0], truth)
    print(f"linn.png character error rate: {rate:.2%}")
    assert rate < 0.03
    info = library.document(ids["linn.png"])
    assert info.ocr == {"pending": 0, "done": 1, "failed": 0}


@pytest.mark.parametrize("name", ["cardinal.pdf", "rotated_skew.pdf", "skew.pdf"])
def test_rotated_and_skewed_pages_come_out_readable(
    ocred: tuple[Library, dict[str, int]], realdata: Path, name: str
) -> None:
    library, ids = ocred
    truth = (realdata / "linn.txt").read_text()
    for number, text in enumerate(library.page_texts(ids[name]), start=1):
        rate = character_error_rate(text, truth)
        print(f"{name} page {number}: character error rate {rate:.2%}")
        assert rate < 0.03, (name, number)


def test_typewriter_and_book_scans_give_their_words(ocred: tuple[Library, dict[str, int]]) -> None:
    library, ids = ocred
    recipe = library.page_texts(ids["typewriter.png"])[0].lower()
    for word in ("linzen", "waterman", "liter water", "kokend", "laurier"):
        assert word in recipe
    book = normalised(library.page_texts(ids["c02-22.pdf"])[0])
    for phrase in ("tip-toeing along a path", "garden, stooping down", "passing by the kitchen"):
        assert phrase in book


def test_word_boxes_sit_on_the_page_as_stored(ocred: tuple[Library, dict[str, int]]) -> None:
    library, ids = ocred
    upright = page_words(library, ids["cardinal.pdf"], 1)
    upside_down = page_words(library, ids["cardinal.pdf"], 3)
    width, height = 612.0, 792.0
    first = next(w for w in upright if w[4] == "LinnSequencer")
    turned = next(w for w in upside_down if w[4] == "LinnSequencer")
    assert 0 <= first[0] < first[2] <= width and 0 <= first[1] < first[3] <= height
    assert first[1] < 100  # the heading is at the top of the upright page
    # On the page turned by 180 degrees the same word lies mirrored through the centre.
    expected = (width - first[2], height - first[3], width - first[0], height - first[1])
    assert turned[:4] == pytest.approx(expected, abs=4)
    assert 80 < float(first[5]) <= 100


def test_orientation_is_detected_only_for_pages_that_read_badly(
    realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tessdata_dir = str(gather_tessdata(tmp_path / "tessdata"))
    upright = load_page_image(realdata / "typewriter.png", "image/png", 1, 960, 687.4)
    detections: list[int] = []
    detect = engine._orientation

    def counted(*args: object) -> int:
        detections.append(1)
        return detect(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_orientation", counted)
    read = engine.recognize(upright, "eng", tessdata_dir)
    assert "waterman" in read.text.lower() and read.orientation == 0 and not detections

    turned = PageImage(
        upright.image.rotate(180), upright.points_per_pixel_x, upright.points_per_pixel_y
    )
    read = engine.recognize(turned, "eng", tessdata_dir)
    assert detections and read.orientation == 180
    assert "waterman" in read.text.lower() and read.confidence > 80


def test_page_images_stay_within_the_pixel_budget(realdata: Path, tmp_path: Path) -> None:
    page = load_page_image(realdata / "enormous.pdf", "application/pdf", 1, 2160, 2160)
    assert page.image.width * page.image.height <= MAX_OCR_PIXELS
    assert page.points_per_pixel_x == pytest.approx(2160 / page.image.width)
    from PIL import Image

    big = tmp_path / "big.png"
    Image.new("1", (12000, 9000), 1).save(big)
    image = load_page_image(big, "image/png", 1, 2880, 2160).image
    assert image.width * image.height <= MAX_OCR_PIXELS
    assert image.width / image.height == pytest.approx(12000 / 9000, rel=0.01)


def test_language_data_from_every_source_is_gathered(tmp_path: Path) -> None:
    system = tmp_path / "system"
    system.mkdir()
    (system / "srp.traineddata").write_bytes(b"stand-in for a system language")
    folder = gather_tessdata(tmp_path / "merged", [*_wheel_folders(), system])
    languages = available_languages(folder)
    assert {"eng", "deu", "srp"} <= languages
    assert tesseract_languages(["de", "en"], languages) == "deu+eng"
    assert tesseract_languages(["sr"], languages) == "srp"
    assert tesseract_languages(["xx"], languages) == "eng"


def _wheel_folders() -> list[Path]:
    from reader.ocr.languages import source_folders

    return source_folders()[:1]


def test_a_killed_run_loses_only_pages_in_flight_and_resumes(
    tmp_path: Path, realdata: Path
) -> None:
    folder = tmp_path / "library"
    with Library(folder) as library:
        library.import_paths([realdata / "multipage.pdf", realdata / "cardinal.pdf"])
        total = sum(d.ocr["pending"] for d in library.documents())
    process = subprocess.Popen(
        [sys.executable, "-m", "reader.cli", "ocr", "--library", str(folder), "--workers", "1"],
        start_new_session=True,
    )
    try:
        with Library(folder) as library:
            deadline = time.monotonic() + 120
            while _states(library).count("done") < 2:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with Library(folder) as library:
        states = _states(library)
        assert 2 <= states.count("done") < total
        with library.session() as session:
            for page in session.scalars(select(Page)):
                recorded = (
                    page.text_source == "ocr",
                    bool(page.words),
                    page.ocr_confidence is not None,
                )
                assert recorded == ((True,) * 3 if page.ocr_state == "done" else (False,) * 3)
        report = library.run_ocr()
        assert report.pages_done == states.count("pending")
        assert _states(library) == ["done"] * total


def _states(library: Library) -> list[str]:
    with library.session() as session:
        return list(session.scalars(select(Page.ocr_state).where(Page.ocr_state != "not_needed")))
