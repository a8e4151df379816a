"""Microfilm frames: which frame each page of a roll shows, read from the frame numbers printed
on the pages or given as the first frame, and the page that shows a frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf, scanned_pdf, typewritten_image
from reader.library import Library
from reader.metadata import frame_candidates, frames_from_texts
from reader.records import MetadataChanges


def _page(
    frame: int | None, body: str = "Situation report of the corps.", top: bool = False
) -> str:
    number = "" if frame is None else f"{frame:06d}"
    lines = [number, body, "Signed: Chief of Staff."] if top else [body, "Signed.", number]
    return "\n".join(lines)


def test_a_run_of_printed_frames() -> None:
    texts = [_page(485 + n) for n in range(6)]
    assert frames_from_texts(texts) == [485, 486, 487, 488, 489, 490]


def test_frames_at_the_top_and_a_few_unreadable_pages() -> None:
    texts = [_page(1200 + n, top=n % 2 == 0) for n in range(10)]
    texts[3] = "Page damaged; nothing legible."
    texts[7] = _page(None)
    assert frames_from_texts(texts) == list(range(1200, 1210))


def test_the_frame_may_be_set_in_brackets_or_beside_spaces() -> None:
    assert frame_candidates("  [004851]  \nText\n") == {4851}
    assert frame_candidates("Text\n(0486)") == {486}


@pytest.mark.parametrize(
    "texts",
    [
        [_page(485)],  # one page: no run to tell
        ["Report\n1943", "Report\n1943", "Report\n1943"],  # a year repeated is no run
        [_page(485), _page(900), _page(12000), _page(31)],  # numbers, but no sequence
        [_page(485), "x", "y", "z", "w"],  # one page of five
        ["Bericht\n12", "Bericht\n13", "Bericht\n14"],  # page numbers: fewer than 4 digits
        [_page(485), _page(486), _page(1000), _page(1001)],  # two runs, as likely each
        ["The figure 123456 in the middle\nof the text\nand more\nlines\nhere\nand here"] * 3,
    ],
)
def test_no_frames_when_the_pages_do_not_agree(texts: list[str]) -> None:
    assert frames_from_texts(texts) is None


def test_a_number_in_the_middle_of_the_page_is_no_frame() -> None:
    body = "\n".join(["Line of text"] * 4 + ["004851"] + ["Line of text"] * 4)
    assert frame_candidates(body) == set()


def test_a_roll_imported_knows_its_frames(library: Library, tmp_path: Path) -> None:
    roll = born_digital_pdf(
        tmp_path / "T-501_roll_264.pdf", [_page(485 + n, f"Report number {n}.") for n in range(5)]
    )
    [doc] = library.import_paths([roll], kind="primary").imported
    info = library.document(doc.id)
    assert info.frames == {"first": 485, "last": 489}
    assert info.as_json()["frames"] == {"first": 485, "last": 489}
    assert library.page_of_frame(doc.id, 485) == 1
    assert library.page_of_frame(doc.id, 487) == 3
    assert library.page_of_frame(doc.id, 489) == 5
    assert library.page_of_frame(doc.id, 490) is None
    assert library.page_of_frame(doc.id, 484) is None


def test_a_secondary_source_has_no_frames(library: Library, tmp_path: Path) -> None:
    article = born_digital_pdf(tmp_path / "article.pdf", [_page(485 + n) for n in range(3)])
    [doc] = library.import_paths([article], kind="secondary").imported
    assert library.document(doc.id).frames is None


def test_the_first_frame_given_numbers_the_pages(library: Library, tmp_path: Path) -> None:
    roll = born_digital_pdf(tmp_path / "roll.pdf", ["One.", "Two.", "Three."])
    [doc] = library.import_paths([roll], kind="primary").imported
    assert library.document(doc.id).frames is None
    assert library.page_of_frame(doc.id, 1) is None
    info = library.update_metadata(doc.id, MetadataChanges(first_frame=3120))
    assert info.frames == {"first": 3120, "last": 3122}
    assert library.page_of_frame(doc.id, 3121) == 2
    # A second first frame corrects the first.
    info = library.update_metadata(doc.id, MetadataChanges(first_frame=3000))
    assert library.page_of_frame(doc.id, 3121) is None
    assert library.page_of_frame(doc.id, 3002) == 3


def test_the_first_frame_from_a_metadata_csv(library: Library, tmp_path: Path) -> None:
    born_digital_pdf(tmp_path / "roll.pdf", ["One.", "Two."])
    sheet = tmp_path / "rolls.csv"
    sheet.write_text("path,identifiers,first_frame\nroll.pdf,T-501/264,485\n", encoding="utf-8")
    report = library.import_metadata(sheet)
    [doc] = report.imported
    assert report.failed == []
    assert library.page_of_frame(doc.id, 486) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("path,first_frame\nroll.pdf,frame 3\n", encoding="utf-8")
    [failure] = library.import_metadata(bad).failed
    assert failure.error == "row 2: first_frame 'frame 3' is not a frame number"


@pytest.mark.slow
def test_frames_and_date_read_from_ocr(library: Library, tmp_path: Path) -> None:
    """A scanned roll: the frame numbers and the letterhead's date come with the OCR text."""
    pages = [
        f"{485 + n:06d}\n\nHQ XV MOUNTAIN CORPS\n"
        + ("11 March 1943\n" if n == 0 else "")
        + f"Situation report, part {n + 1}.\nThe supply columns reached Mostar."
        for n in range(3)
    ]
    scan = scanned_pdf(
        tmp_path / "roll.pdf", [typewritten_image(p, seed=n) for n, p in enumerate(pages)]
    )
    [doc] = library.import_paths([scan], kind="primary").imported
    assert library.document(doc.id).date == ""
    library.run_ocr(documents=[doc.id])
    info = library.document(doc.id)
    assert (info.date, info.date_source) == ("1943-03-11", "text")
    assert info.frames == {"first": 485, "last": 487}
    assert library.page_of_frame(doc.id, 486) == 2
