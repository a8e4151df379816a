"""Importing with what the researcher knows: `import FILE --identifier ID` and
`import --metadata FILE.csv`, end to end through the command line with --json."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from reader.cli import EXIT_USAGE, main
from reader.identifiers import canonicalize
from reader.library import Library
from reader.metadata_csv import MetadataCsv, MetadataRow, RowError

# However the identifier schemes write a Bundesarchiv call number, it is kept.
BARCH = canonicalize("BArch RH 26-118/20") or "BArch RH 26-118/20"
HEADER = (
    "path,title,identifiers,date,authors,language,repository,record_group,series,box,folder,item"
)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lib(tmp_path: Path) -> list[str]:
    return ["--library", str(tmp_path / "lib")]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    write_text(folder / "report.txt", "Situation report of the division.\nAll quiet.\n")
    write_text(folder / "order.txt", "Order to the engineer battalion.\nBridge at Mostar.\n")
    write_text(folder / "sub" / "diary.txt", "Diary of an officer, spring.\n")
    return folder


def test_one_file_with_a_call_number(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    report = run_json(
        capsys,
        "import",
        str(files / "report.txt"),
        "--identifier",
        "BArch RH 26-118/20",
        "--identifier",
        "NOKW 1088",
        *lib,
    )
    assert set(report) >= {"imported", "skipped", "failed"}
    [doc] = report["imported"]
    assert BARCH in doc["identifiers"]
    assert "NOKW-1088" in doc["identifiers"]
    shown = run_json(capsys, "show", "NOKW-1088", *lib)
    assert shown["id"] == doc["id"]
    origins = {i["canonical"]: i["origin"] for i in shown["identifier_schemes"]}
    assert origins["NOKW-1088"] == "user" and origins[BARCH] == "user"
    assert set(shown["identifiers"]) == set(origins)


def test_an_identifier_for_several_files_is_refused(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    code = main(
        ["import", str(files / "report.txt"), str(files / "order.txt"), "--identifier", "X 1", *lib]
    )
    assert code == EXIT_USAGE
    assert "exactly one file" in capsys.readouterr().err
    assert main(["import", str(files), "--identifier", "X 1", *lib]) == EXIT_USAGE
    assert run_json(capsys, "docs", *lib)["documents"] == []


def test_metadata_csv_relative_and_absolute_paths(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path, tmp_path: Path
) -> None:
    elsewhere = write_text(tmp_path / "elsewhere" / "letter.txt", "A letter home.\n")
    sheet = write_text(
        files / "metadata.csv",
        HEADER + ",first_frame\n"
        'report.txt,Situation report,NOKW-1088; BArch RH 26-118/20,1943-03-12,"Lt. Col. Kurt; Maj. Ivo",'
        "deu,Bundesarchiv,RH 26,118,4,20,7,\n"
        f"{elsewhere},Letter home,,March 1943,,eng,,,,,,,\n"
        "sub/diary.txt,,,,,,,,,,,,485\n",
    )
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert report["failed"] == [] and report["skipped"] == []
    by_name = {Path(d["path"]).name: d for d in report["imported"]}
    assert set(by_name) == {"report.txt", "letter.txt", "diary.txt"}
    assert by_name["report.txt"]["title"] == "Situation report"
    assert by_name["report.txt"]["identifiers"] == ["NOKW-1088", BARCH]

    report_doc = run_json(capsys, "show", "NOKW-1088", *lib)
    assert report_doc["date"] == "1943-03-12" and report_doc["date_source"] == "user"
    assert report_doc["authors"] == ["Lt. Col. Kurt", "Maj. Ivo"]
    assert (report_doc["repository"], report_doc["record_group"]) == ("Bundesarchiv", "RH 26")
    assert (report_doc["series"], report_doc["box"]) == ("118", "4")
    assert (report_doc["folder"], report_doc["item"]) == ("20", "7")
    assert report_doc["frames"] is None
    letter = run_json(capsys, "show", str(by_name["letter.txt"]["id"]), *lib)
    assert letter["date"] == "1943-03" and letter["title"] == "Letter home"
    diary = run_json(capsys, "show", str(by_name["diary.txt"]["id"]), *lib)
    assert diary["title"] == "Diary of an officer, spring."  # an empty cell: as imported
    assert diary["frames"] == {"first": 485, "last": 485}


def test_unknown_column_missing_file_and_bad_date_are_reported_the_rest_imports(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    sheet = write_text(
        files / "metadata.csv",
        "path,title,shelfmark\nreport.txt,Report,A-1\ngone.txt,Gone,A-2\norder.txt,Order,A-3\n",
    )
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert [Path(d["path"]).name for d in report["imported"]] == ["report.txt", "order.txt"]
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert "unknown column 'shelfmark'" in failed["metadata.csv"]
    assert failed["metadata.csv"].startswith("row 1:")
    assert failed["gone.txt"] == "row 3: no such file"
    assert all(set(f) == {"path", "error"} for f in report["failed"])

    bad = write_text(files / "bad.csv", "path,date\nsub/diary.txt,sometime\n")
    report = run_json(capsys, "import", "--metadata", str(bad), *lib)
    assert report["imported"] == []
    [failure] = report["failed"]
    assert failure["error"].startswith("row 2: 'sometime' is not a date")


def test_a_csv_without_a_path_column_imports_nothing(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    sheet = write_text(files / "metadata.csv", "file,title\nreport.txt,Report\n")
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert report["imported"] == []
    assert ["no `path` column" in f["error"] for f in report["failed"]] == [True]


def test_duplicate_paths_the_second_is_reported_not_imported_twice(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    sheet = write_text(
        files / "metadata.csv",
        f"path,title\nreport.txt,First\n./report.txt,Second\n{files / 'report.txt'},Third\n",
    )
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert [d["title"] for d in report["imported"]] == ["First"]
    errors = [f["error"] for f in report["failed"]]
    assert errors == [
        "row 3: the same file as row 2; not imported twice",
        "row 4: the same file as row 2; not imported twice",
    ]
    assert len(run_json(capsys, "docs", *lib)["documents"]) == 1


def test_a_csv_in_windows_1252_is_read_and_said_so(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    sheet = files / "metadata.csv"
    sheet.write_bytes("path,title\nreport.txt,Brücke über die Neretva – Bericht\n".encode("cp1252"))
    assert main(["import", "--metadata", str(sheet), "--json", *lib]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert [d["title"] for d in report["imported"]] == ["Brücke über die Neretva – Bericht"]
    assert "not UTF-8; read as Windows-1252" in captured.err
    assert any("Windows-1252" in w for w in report["warnings"])


def test_a_csv_with_a_byte_order_mark_or_in_utf16(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    bom = files / "bom.csv"
    bom.write_bytes("path,title\nreport.txt,Mostar Straße\n".encode("utf-8-sig"))
    report = run_json(capsys, "import", "--metadata", str(bom), *lib)
    assert [d["title"] for d in report["imported"]] == ["Mostar Straße"]
    assert report["warnings"] == []
    utf16 = files / "utf16.csv"
    utf16.write_bytes("path,title\norder.txt,Višegrad\n".encode("utf-16"))
    report = run_json(capsys, "import", "--metadata", str(utf16), *lib)
    assert [d["title"] for d in report["imported"]] == ["Višegrad"]


def test_a_missing_csv_is_reported(
    capsys: pytest.CaptureFixture[str], lib: list[str], tmp_path: Path
) -> None:
    report = run_json(capsys, "import", "--metadata", str(tmp_path / "none.csv"), *lib)
    assert report["imported"] == []
    assert "no such file" in report["failed"][0]["error"]


@pytest.mark.slow
def test_a_hundred_thousand_rows_are_streamed_and_reported_row_by_row(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    sheet = files / "big.csv"
    rows = 100_000
    with sheet.open("w", encoding="utf-8", newline="") as out:
        out.write("path,title,identifiers\n")
        out.write("report.txt,Report,NOKW-1088\n")
        for n in range(1, rows - 1):
            out.write(f"missing/scan_{n:06d}.tif,Scan {n},\n")
        out.write("order.txt,Order,\n")
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert [d["title"] for d in report["imported"]] == ["Report", "Order"]
    assert len(report["failed"]) == rows - 2
    assert report["failed"][0]["error"] == "row 3: no such file"
    assert report["failed"][-1]["error"] == f"row {rows}: no such file"
    assert report["failed"][-1]["path"].endswith(f"scan_{rows - 2:06d}.tif")


def test_metadata_rows_are_read_one_at_a_time(tmp_path: Path) -> None:
    """The reader yields rows as it reads them: going through a large CSV holds one row."""
    sheet = tmp_path / "big.csv"
    with sheet.open("w", encoding="utf-8") as out:
        out.write("path,title\n")
        for n in range(50_000):
            out.write(f"scan_{n:06d}.tif,{'A long title of a scan ' * 16}{n}\n")
    tracemalloc.start()
    try:
        count = 0
        for row in MetadataCsv(sheet).rows():
            assert isinstance(row, MetadataRow)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_000
    assert peak < sheet.stat().st_size / 3  # far less than the file, let alone its rows


def test_a_broken_row_is_named(tmp_path: Path) -> None:
    sheet = write_text(tmp_path / "m.csv", "path,title\n,no path\na.txt,A,extra\nb.txt,B\n")
    rows = list(MetadataCsv(sheet).rows())
    assert [type(r) for r in rows] == [RowError, RowError, MetadataRow]
    assert isinstance(rows[0], RowError) and rows[0].error == "row 2: no path"
    assert isinstance(rows[1], RowError) and rows[1].error.startswith("row 3: 3 cells")


def test_library_import_metadata_progress_counts_rows(library: Library, files: Path) -> None:
    sheet = write_text(files / "m.csv", "path\nreport.txt\ngone.txt\norder.txt\n")
    seen: list[tuple[int, str]] = []
    report = library.import_metadata(sheet, progress=lambda p: seen.append((p.done, p.path)))
    assert len(report.imported) == 2 and len(report.failed) == 1
    assert [done for done, _ in seen] == [1, 2, 3, 3]


def test_a_row_whose_file_is_already_in_the_library_is_skipped_and_named(
    capsys: pytest.CaptureFixture[str], lib: list[str], files: Path
) -> None:
    run_json(capsys, "import", str(files / "report.txt"), *lib)
    sheet = write_text(files / "m.csv", "path,title\nreport.txt,Report\norder.txt,\n")
    report = run_json(capsys, "import", "--metadata", str(sheet), *lib)
    assert [Path(d["path"]).name for d in report["imported"]] == ["order.txt"]
    [skipped] = report["skipped"]
    assert skipped["reason"].startswith("row 2: already in the library as document 1")
    assert "metadata not applied" in skipped["reason"]
