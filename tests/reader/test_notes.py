"""reader.notes: annotations as notes for a paper, CSV rows or Markdown by document."""

from __future__ import annotations

import csv
import io

import pytest

from reader.notes import CSV_FIELDS, NoteRow, as_csv, as_markdown, note_rows
from reader.records import AnnotationInfo, DocumentInfo


def document(doc_id: int, title: str, identifiers: list[str]) -> DocumentInfo:
    return DocumentInfo(
        id=doc_id, title=title, kind="primary", path=f"/scans/{doc_id}.pdf", sha256="0" * 64,
        size=1, media_type="application/pdf", pages=3, identifiers=identifiers, date="1943",
        authors=[], collection="", languages=["deu"], archive={}, ocr={},
        created="2026-01-01T00:00:00+00:00", updated="2026-01-01T00:00:00+00:00",
    )  # fmt: skip


def annotation(
    doc: int, page: int, *, kind: str = "highlight", text: str = "", note: str = ""
) -> AnnotationInfo:
    return AnnotationInfo(
        id=page, doc=doc, page=page, kind=kind, rects=[], text=text, note=note,
        color="#ffe066", author="Ana", created="1999-04-01T10:00:00+02:00",
        updated="1999-04-02T10:00:00+02:00",
    )  # fmt: skip


DOCUMENTS = {
    1: document(1, "Order of 12 March", ["NOKW-1088", "RG-238"]),
    2: document(2, "Memoir", []),
}


def row(**changes: object) -> NoteRow:
    fields: dict[str, object] = {
        "document": "Order of 12 March", "identifier": "NOKW-1088", "page": 2, "quoted": "",
        "note": "", "kind": "highlight", "author": "Ana", "date": "1999-04-01",
    }  # fmt: skip
    fields.update(changes)
    return NoteRow(**fields)  # type: ignore[arg-type]


def test_rows_carry_the_document_its_identifiers_and_the_day() -> None:
    rows = note_rows(
        DOCUMENTS, [annotation(1, 2, text="no village\n  that sheltered", note="cf. diary")]
    )
    assert rows == [
        NoteRow(
            document="Order of 12 March",
            identifier="NOKW-1088, RG-238",
            page=2,
            quoted="no village that sheltered",
            note="cf. diary",
            kind="highlight",
            author="Ana",
            date="1999-04-01",
        )
    ]


def test_rows_keep_the_order_of_the_annotations() -> None:
    rows = note_rows(DOCUMENTS, [annotation(2, 1), annotation(1, 3), annotation(1, 1)])
    assert [(r.document, r.page) for r in rows] == [
        ("Memoir", 1), ("Order of 12 March", 3), ("Order of 12 March", 1)
    ]  # fmt: skip
    assert rows[0].identifier == ""


@pytest.mark.parametrize(
    "awkward",
    [
        "commas, semicolons; and more",
        'a "quoted" word',
        "two\nlines",
        "CRLF\r\nline",
        "a | pipe",
        "=1+1 (a formula-like start)",
        "",
    ],
)
def test_csv_reads_back_as_written(awkward: str) -> None:
    written = row(quoted=awkward, note=awkward, document=f"Doc, {awkward}")
    parsed = list(csv.reader(io.StringIO(as_csv([written]), newline="")))
    assert parsed[0] == list(CSV_FIELDS)
    assert parsed[1] == [
        f"Doc, {awkward}", "NOKW-1088", "2", awkward, awkward, "highlight", "Ana", "1999-04-01"
    ]  # fmt: skip
    assert len(parsed) == 2


def test_csv_quotes_only_what_needs_it() -> None:
    text = as_csv([row(quoted='say "when"', note="a, b")])
    assert text.splitlines()[1] == (
        'Order of 12 March,NOKW-1088,2,"say ""when""","a, b",highlight,Ana,1999-04-01'
    )


def test_csv_of_no_rows_is_the_header() -> None:
    assert as_csv([]) == ",".join(CSV_FIELDS) + "\r\n"


def test_markdown_groups_notes_under_each_document() -> None:
    rows = [
        row(page=2, quoted="no village that sheltered", note="cf. diary"),
        row(page=3, kind="bookmark"),
        row(document="Memoir", identifier="", page=1, kind="note", note="check the date"),
    ]
    assert as_markdown(rows) == (
        "## Order of 12 March (NOKW-1088)\n"
        "\n"
        "- p. 2: “no village that sheltered” — cf. diary (Ana, 1999-04-01)\n"
        "- p. 3: [bookmark] (Ana, 1999-04-01)\n"
        "\n"
        "## Memoir\n"
        "\n"
        "- p. 1: [note] — check the date (Ana, 1999-04-01)\n"
    )


def test_markdown_starts_a_new_group_when_a_document_comes_back() -> None:
    rows = [row(page=1), row(document="Memoir", identifier=""), row(page=4)]
    headings = [line for line in as_markdown(rows).splitlines() if line.startswith("## ")]
    assert headings == ["## Order of 12 March (NOKW-1088)", "## Memoir",
                        "## Order of 12 March (NOKW-1088)"]  # fmt: skip


def test_markdown_keeps_pipes_and_puts_a_note_on_one_line() -> None:
    """A note is one list item: its line breaks would end the item, so the quote arrives
    joined (note_rows joins a quote's whitespace), and pipes are plain text outside tables."""
    rows = note_rows(DOCUMENTS, [annotation(1, 2, text="col A | col B\nnext line", note="x | y")])
    (item,) = [line for line in as_markdown(rows).splitlines() if line.startswith("- ")]
    assert item == "- p. 2: “col A | col B next line” — x | y (Ana, 1999-04-01)"


def test_markdown_keeps_a_note_of_several_lines_whole() -> None:
    text = as_markdown([row(note="first thought\nsecond, with “quotes”")])
    assert text == (
        "## Order of 12 March (NOKW-1088)\n\n"
        "- p. 2: [highlight] — first thought\nsecond, with “quotes” (Ana, 1999-04-01)\n"
    )


def test_markdown_of_no_rows_is_an_empty_line() -> None:
    assert as_markdown([]) == "\n"
