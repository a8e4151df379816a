"""A document's date read from its file name and from its first page, and where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.dates import date_from_filename, date_from_text
from reader.library import Library
from reader.records import MetadataChanges


@pytest.mark.parametrize(
    ("stem", "iso"),
    [
        ("1943-03-17", "1943-03-17"),
        ("report_1943-03-17", "1943-03-17"),
        ("19430317", "1943-03-17"),
        ("19430317_order_engineers", "1943-03-17"),
        ("NOKW-1088 1943-03", "1943-03"),
        ("diary_1943_03_17", "1943-03-17"),
        ("1943.03.17 Lagebericht", "1943-03-17"),
    ],
)
def test_a_date_in_the_file_name(stem: str, iso: str) -> None:
    assert date_from_filename(stem) == iso


@pytest.mark.parametrize(
    "stem",
    ["NOKW-1943", "1943", "report", "T-501-264-000485", "19431317", "scan_000485", "2023410"],
)
def test_no_date_in_the_file_name(stem: str) -> None:
    assert date_from_filename(stem) == ""


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("11 March 1943\nTo the commander", "1943-03-11"),
        ("Den 17. März 1943\nBetr.: Lage", "1943-03-17"),
        ("O.U., den 17.3.43\nGeheim!", "1943-03-17"),
        ("Beograd, 11.III.1943\nKomandi", "1943-03-11"),
        ("11. III. 1943", "1943-03-11"),
        ("Beograd, 11 marta 1943.\nKomandi", "1943-03-11"),
        ("Zagreb, 3. ožujka 1943.", "1943-03-03"),
        (
            "HEADQUARTERS XV MOUNTAIN CORPS          12 March 1943\nSubject: Operation Schwarz",
            "1943-03-12",
        ),
        ("Washington\nMarch 12, 1943\nMemorandum", "1943-03-12"),
        ("Report 1943-03-14\n", "1943-03-14"),
    ],
)
def test_a_date_on_the_first_page(text: str, iso: str) -> None:
    assert date_from_text(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Situation report\nNo date was given.",
        "Order No. 12 of 1943",  # a number and a year are no date
        "NOKW 1088\nRecord Group 238",
        "In 1943 the division moved.",  # a year alone: too often the subject, not the date
        "32 March 1943",
        "17.13.43",
        "Seite 12.3",
    ],
)
def test_no_date_on_the_first_page(text: str) -> None:
    assert date_from_text(text) == ""


def test_the_first_date_in_the_first_lines_is_the_documents() -> None:
    text = "Berlin, 17. März 1943\nBezug: Befehl vom 2. Februar 1943\n"
    assert date_from_text(text) == "1943-03-17"
    far_down = "\n".join(["line"] * 30 + ["11 March 1943"])
    assert date_from_text(far_down) == ""  # a date deep in the text is about something else


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_records_where_the_date_came_from(library: Library, tmp_path: Path) -> None:
    named = _write(tmp_path / "order_1943-03-17.txt", "Berlin, 2. Februar 1943\nOrder.\n")
    texted = _write(tmp_path / "letter.txt", "Beograd, 11 marta 1943.\nKomandi.\n")
    undated = _write(tmp_path / "note.txt", "A note without a date.\n")
    report = library.import_paths([named, texted, undated], kind="primary")
    infos = {Path(d.path).name: library.document(d.id) for d in report.imported}
    assert (infos[named.name].date, infos[named.name].date_source) == ("1943-03-17", "filename")
    assert (infos[texted.name].date, infos[texted.name].date_source) == ("1943-03-11", "text")
    assert (infos[undated.name].date, infos[undated.name].date_source) == ("", "")
    assert infos[named.name].date_guessed and infos[texted.name].date_guessed
    confirmed = library.update_metadata(infos[texted.name].id, MetadataChanges(date="1943-03-11"))
    assert (confirmed.date, confirmed.date_source) == ("1943-03-11", "user")
    assert not confirmed.date_guessed
    hits = library.search("komandi date:1943-03").hits
    assert [h.doc for h in hits] == [confirmed.id]


def test_a_secondary_source_takes_no_date_from_its_text(library: Library, tmp_path: Path) -> None:
    article = _write(tmp_path / "article.txt", "On 11 March 1943 the corps ordered...\n")
    [doc] = library.import_paths([article], kind="secondary").imported
    assert library.document(doc.id).date == ""
