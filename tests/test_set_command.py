"""`archive-reader set DOC ...`: a document's record edited from the command line, through
Library.update_metadata, printed as `show` prints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import EXIT_ERROR, build_parser, main
from reader.identifiers import canonicalize
from reader.library import Library
from reader.records import MetadataChanges

BARCH = canonicalize("BArch RH 26-118/20") or "BArch RH 26-118/20"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A library holding one primary source whose file name and text carry identifiers."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "NOKW-1088_1943-03-17.txt").write_text(
        "HQ 118th Jäger Division\nRecord Group 238\nSituation report.\n", encoding="utf-8"
    )
    lib = ["--library", str(tmp_path / "lib")]
    run_json(capsys, "import", str(folder), "--kind", "primary", *lib)
    return lib


def test_set_the_call_number_and_archival_fields(
    capsys: pytest.CaptureFixture[str], lib: list[str]
) -> None:
    shown = run_json(
        capsys,
        "set",
        "NOKW-1088",
        "--title",
        "Situation report, 17 March 1943",
        "--repository",
        "Bundesarchiv-Militärarchiv",
        "--record-group",
        "RH 26",
        "--series",
        "118",
        "--box",
        "4",
        "--folder",
        "20",
        "--item",
        "7",
        "--identifier",
        "BArch RH 26-118/20",
        *lib,
    )
    assert shown == run_json(capsys, "show", "NOKW-1088", *lib)
    assert shown["title"] == "Situation report, 17 March 1943"
    assert shown["repository"] == "Bundesarchiv-Militärarchiv"
    assert [shown[k] for k in ("record_group", "series", "box", "folder", "item")] == [
        "RH 26",
        "118",
        "4",
        "20",
        "7",
    ]
    assert shown["archive"]["box"] == "4"  # the older grouping says the same
    # The identifiers found in the file name and text stay; the user's is added.
    assert set(shown["identifiers"]) == {"NOKW-1088", "RG-238", BARCH}
    origins = {i["canonical"]: i["origin"] for i in shown["identifier_schemes"]}
    assert origins == {"NOKW-1088": "filename", "RG-238": "text", BARCH: "user"}
    assert all(set(i) == {"canonical", "scheme", "origin"} for i in shown["identifier_schemes"])
    assert run_json(capsys, "show", BARCH, *lib)["id"] == shown["id"]


def test_identifier_replaces_the_users_own(
    capsys: pytest.CaptureFixture[str], lib: list[str]
) -> None:
    run_json(capsys, "set", "NOKW-1088", "--identifier", "Box 7/12", "--identifier", "T-1", *lib)
    shown = run_json(capsys, "set", "NOKW-1088", "--identifier", "T-2", *lib)
    assert "Box 7/12" not in shown["identifiers"] and "T-1" not in shown["identifiers"]
    assert "T-2" in shown["identifiers"] and "NOKW-1088" in shown["identifiers"]
    cleared = run_json(capsys, "set", "NOKW-1088", "--identifier", "", *lib)
    assert set(cleared["identifiers"]) == {"NOKW-1088", "RG-238"}
    # Without --identifier the identifiers stay as they are.
    assert run_json(capsys, "set", "1", "--box", "9", *lib)["identifiers"] == cleared["identifiers"]


def test_the_date_from_the_file_name_is_a_guess_until_set(
    capsys: pytest.CaptureFixture[str], lib: list[str]
) -> None:
    shown = run_json(capsys, "show", "NOKW-1088", *lib)
    assert (shown["date"], shown["date_source"]) == ("1943-03-17", "filename")
    assert main(["show", "NOKW-1088", *lib]) == 0
    assert "1943-03-17 (guessed: read from the file name)" in capsys.readouterr().out
    shown = run_json(capsys, "set", "NOKW-1088", "--date", "18 March 1943", *lib)
    assert (shown["date"], shown["date_source"]) == ("1943-03-18", "user")
    assert main(["set", "NOKW-1088", "--date", "1943-03-18", *lib]) == 0
    assert "guessed" not in capsys.readouterr().out
    assert run_json(capsys, "set", "NOKW-1088", "--date", "", *lib)["date_source"] == ""


def test_bad_values_are_refused_on_stderr(
    capsys: pytest.CaptureFixture[str], lib: list[str]
) -> None:
    assert main(["set", "NOKW-1088", "--date", "sometime", *lib]) == EXIT_ERROR
    assert "is not a date" in capsys.readouterr().err
    assert main(["set", "NOKW-1088", "--box", "x" * 101, *lib]) == EXIT_ERROR
    assert "longer than 100 characters" in capsys.readouterr().err
    assert main(["set", "NOKW-9999", "--box", "1", *lib]) == EXIT_ERROR
    assert run_json(capsys, "show", "NOKW-1088", *lib)["box"] == ""


def test_first_frame_numbers_the_pages(capsys: pytest.CaptureFixture[str], lib: list[str]) -> None:
    shown = run_json(capsys, "set", "NOKW-1088", "--first-frame", "485", *lib)
    assert shown["frames"] == {"first": 485, "last": 485 + shown["pages"] - 1}


def test_help_says_identifier_replaces() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    help_text = subparsers.choices["set"].format_help()  # type: ignore[attr-defined]
    assert "REPLACES" in help_text
    for option in ("--record-group", "--series", "--box", "--folder", "--item", "--date"):
        assert option in help_text


def test_update_metadata_takes_the_archival_fields(library: Library, tmp_path: Path) -> None:
    text = tmp_path / "memo.txt"
    text.write_text("A memo.\n", encoding="utf-8")
    [doc] = library.import_paths([text]).imported
    info = library.update_metadata(
        doc.id, MetadataChanges(repository="  NARA ", series="T-501", item="", box=None)
    )
    assert (info.repository, info.series, info.item, info.box) == ("NARA", "T-501", "", "")
    info = library.update_metadata(doc.id, MetadataChanges(record_group="RG 242"))
    assert (info.repository, info.record_group) == ("NARA", "RG 242")


def test_the_metadata_dialog_edits_the_call_number(
    qtbot: object, library: Library, tmp_path: Path
) -> None:
    from ui.metadata_dialog import MetadataDialog

    text = tmp_path / "report_1943-03-17.txt"
    text.write_text("A report.\n", encoding="utf-8")
    [doc] = library.import_paths([text], kind="primary").imported
    info = library.document(doc.id)
    assert info.date_guessed
    dialog = MetadataDialog(info)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.changes() == MetadataChanges()  # nothing edited, nothing changes
    dialog.repository.setText("NARA")
    dialog.record_group.setText("RG 242")
    dialog.series.setText("T-501")
    dialog.box.setText("264")
    dialog.identifiers.setText("T-501/264")
    changes = dialog.changes()
    assert (changes.repository, changes.record_group, changes.series) == ("NARA", "RG 242", "T-501")
    assert changes.box == "264" and changes.folder is None and changes.item is None
    assert changes.date is None and changes.title is None
    dialog.date_confirmed.setChecked(True)
    assert dialog.changes().date == "1943-03-17"
    updated = library.update_metadata(doc.id, dialog.changes())
    assert (updated.repository, updated.series, updated.box) == ("NARA", "T-501", "264")
    assert (updated.date, updated.date_source) == ("1943-03-17", "user")


def test_an_edit_is_no_alarm_that_the_index_was_out_of_step(
    capsys: pytest.CaptureFixture[str], lib: list[str]
) -> None:
    """The edit sets the pages to be indexed again before this process opens the index: the
    index is behind by design, not out of step, and nothing is said of it."""
    assert main(["set", "NOKW-1088", "--title", "Lagebericht Südost", *lib]) == 0
    assert capsys.readouterr().err == ""
    hits = run_json(capsys, "search", "Lagebericht", *lib)["hits"]
    assert [hit["title"] for hit in hits] == ["Lagebericht Südost"]
    assert capsys.readouterr().err == ""
