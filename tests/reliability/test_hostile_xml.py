"""Hostile transcriptions: `import SCAN --transcription FILE.xml` given a DOCTYPE with external
entities (a local file, a server on this machine), a billion laughs, a DOCTYPE in UTF-16, a
500 MB file, a named pipe, a link loop, a file name that is not UTF-8, a file that is no XML,
XML of another kind, coordinates that are no numbers. Each is refused with a clear reason in
`failed` and a non-zero exit, the catalog and the index as they were; coordinates outside the
page are clipped and reported."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.cli import EXIT_ERROR, main
from reader.library import Library
from tests.transcription_samples import TESSERACT_ALTO_V3, catalog_state

ALTO3 = "http://www.loc.gov/standards/alto/ns-v3#"
# One word, "Gefechtsbericht", on linn.png: what a hostile file would smuggle in beside it.
BODY = (
    f'<alto xmlns="{ALTO3}"><Description><MeasurementUnit>pixel</MeasurementUnit>'
    "<sourceImageInformation><fileName>linn.png</fileName></sourceImageInformation>"
    '</Description><Layout><Page WIDTH="2550" HEIGHT="3300"><PrintSpace><TextBlock>'
    '<TextLine><String CONTENT="Gefechtsbericht {entity}" HPOS="300" VPOS="300" WIDTH="900" '
    'HEIGHT="100"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>'
)


def alto_with(doctype: str, entity: str, encoding: str = "UTF-8") -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    return declaration + doctype + "\n" + BODY.replace("{entity}", entity)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Path:
    """A library holding the real scan linn.png (no OCR yet), copied for each test."""
    folder = tmp_path_factory.mktemp("hostile") / "library"
    with Library(folder) as library:
        assert library.import_paths([realdata / "linn.png"]).imported
        library.sync_index()
    return folder


@pytest.fixture
def library_folder(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(template, folder)
    return folder


def attach(
    capsys: pytest.CaptureFixture[str], folder: Path, *files: Path
) -> tuple[int, dict[str, Any]]:
    argv = ["import", "1", "--library", str(folder), "--json"]
    for file in files:
        argv += ["--transcription", str(file)]
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def assert_refused(
    capsys: pytest.CaptureFixture[str], folder: Path, file: Path, reason: str
) -> dict[str, Any]:
    """The file refused with `reason`, a non-zero exit, and nothing changed."""
    before = catalog_state(folder)
    code, report = attach(capsys, folder, file)
    assert code == EXIT_ERROR
    assert [f["path"] for f in report["failed"]] == [str(file)]
    assert reason in report["failed"][0]["error"]
    assert report["transcription"]["pages"] == []
    assert catalog_state(folder) == before
    with Library(folder) as library:
        assert library.search("Gefechtsbericht OR root OR lol OR laughs").hits == []
        assert library.document(1).ocr["pending"] == 1
    return report


DOCTYPE_REFUSED = "declares a DOCTYPE (entities and DTDs are not read"


def test_an_external_entity_naming_a_local_file(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    doctype = '<!DOCTYPE alto [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    xml = tmp_path / "t.xml"
    xml.write_text(alto_with(doctype, "&secret;"), encoding="utf-8")
    report = assert_refused(capsys, library_folder, xml, DOCTYPE_REFUSED)
    assert "root:" not in json.dumps(report)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A server on this machine that would see any request a parser made."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE alto [<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/secret">]>',
        '<!DOCTYPE alto SYSTEM "http://127.0.0.1:{port}/alto.dtd">',
        '<!DOCTYPE alto [<!ENTITY % dtd SYSTEM "http://127.0.0.1:{port}/x.dtd"> %dtd;]>',
    ],
    ids=["entity", "external-dtd", "parameter-entity"],
)
def test_nothing_is_fetched_from_the_network(
    capsys: pytest.CaptureFixture[str],
    library_folder: Path,
    tmp_path: Path,
    listener: socket.socket,
    doctype: str,
) -> None:
    port = listener.getsockname()[1]
    xml = tmp_path / "t.xml"
    entity = "&remote;" if "remote" in doctype else ""
    xml.write_text(alto_with(doctype.format(port=port), entity), encoding="utf-8")
    assert_refused(capsys, library_folder, xml, DOCTYPE_REFUSED)
    with pytest.raises(BlockingIOError):
        listener.accept()  # no one knocked


LAUGHS = (
    '<!DOCTYPE alto [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)).replace(
        "&lol0;", "&lol;"
    )
    + "]>"
)


def test_a_billion_laughs(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    xml = tmp_path / "laughs.xml"
    xml.write_text(alto_with(LAUGHS, "&lol9;"), encoding="utf-8")
    assert_refused(capsys, library_folder, xml, DOCTYPE_REFUSED)


def test_a_billion_laughs_behind_a_long_comment(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    """A DOCTYPE past where it is looked for before parsing: the parser expands nothing."""
    xml = tmp_path / "laughs.xml"
    padded = "<!--" + "padding " * 10_000 + "-->\n" + LAUGHS
    xml.write_text(alto_with(padded, "&lol9;"), encoding="utf-8")
    before = catalog_state(library_folder)
    code, report = attach(capsys, library_folder, xml)
    assert code == EXIT_ERROR
    assert report["failed"][0]["error"].startswith(("not well-formed XML", "declares a DOCTYPE"))
    assert catalog_state(library_folder) == before


@pytest.mark.parametrize(
    ("codec", "declared"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
     ("utf-32", "UTF-32")],
    ids=["utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf32-bom"],
)  # fmt: skip
def test_a_doctype_in_a_wide_encoding(
    capsys: pytest.CaptureFixture[str],
    library_folder: Path,
    tmp_path: Path,
    codec: str,
    declared: str,
) -> None:
    doctype = '<!DOCTYPE alto [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    xml = tmp_path / "wide.xml"
    xml.write_bytes(alto_with(doctype, "&secret;", declared).encode(codec))
    assert_refused(capsys, library_folder, xml, DOCTYPE_REFUSED)


def test_a_500_mb_file_is_refused_by_its_size(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    xml = tmp_path / "huge.xml"
    with xml.open("wb") as handle:  # sparse: its blocks are never written
        handle.write(TESSERACT_ALTO_V3.encode())
        handle.truncate(500 * 1024 * 1024)
    assert xml.stat().st_blocks * 512 < 10 * 1024 * 1024
    assert_refused(capsys, library_folder, xml, "is 500 MB; XML files over 100 MB are refused")


def test_a_named_pipe(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    assert_refused(capsys, library_folder, fifo, "cannot be read: not a regular file")


def test_a_link_loop(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "a.xml").symlink_to(tmp_path / "b.xml")
    (tmp_path / "b.xml").symlink_to(tmp_path / "a.xml")
    assert_refused(capsys, library_folder, tmp_path / "a.xml", "cannot be read: Too many levels")


def test_a_file_name_that_is_not_utf8(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    """A file name's bytes as the OS gives them: the report names the file so that the name
    comes back as the same bytes, and a person sees \\xff."""
    name = os.fsdecode(b"transcription-\xff.xml")
    xml = tmp_path / name
    xml.write_text(TESSERACT_ALTO_V3.replace("linn.png", "typewriter.png"), encoding="utf-8")
    assert_refused(capsys, library_folder, xml, "the image 'typewriter.png'")
    argv = ["import", "1", "--transcription", str(xml), "--library", str(library_folder)]
    assert main(argv) == EXIT_ERROR
    out = capsys.readouterr().out
    assert "transcription-\\xff.xml" in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not well-formed XML"),
        (b"Situation report of the division.\nAll quiet.\n", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'<?xml version="1.0"?>' + b"<a>" * 300 + b"</a>" * 300, "not well-formed XML"),
    ],
    ids=["png", "text", "empty", "nested-too-deep"],
)
def test_not_xml(
    capsys: pytest.CaptureFixture[str],
    library_folder: Path,
    tmp_path: Path,
    content: bytes,
    reason: str,
) -> None:
    xml = tmp_path / "t.xml"
    xml.write_bytes(content)
    assert_refused(capsys, library_folder, xml, reason)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="ocr_page" '
            'title="bbox 0 0 2550 3300">Gefechtsbericht</div></body></html>',
            "not ALTO (v2, v3, v4) or PAGE XML (2013, 2019): its root element is <html> in "
            "the namespace http://www.w3.org/1999/xhtml",
        ),
        (
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Gefechtsbericht</p>'
            "</body></text></TEI>",
            "its root element is <TEI> in the namespace http://www.tei-c.org/ns/1.0",
        ),
        (
            '<alto xmlns="http://www.loc.gov/standards/alto/ns-v9#"/>',
            "its root element is <alto> in the namespace http://www.loc.gov/standards/alto/ns-v9#",
        ),
        (
            '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19"/>',
            "its root element is <PcGts> in the namespace",
        ),
        (f'<alto xmlns="{ALTO3}"><Layout/></alto>', "ALTO with no Layout/Page"),
        (
            BODY.replace('WIDTH="2550" HEIGHT="3300"', 'HEIGHT="3300"'),
            "page 1 gives no WIDTH and HEIGHT",
        ),
        (BODY.replace('HPOS="300"', 'HPOS="NaN"'), "HPOS is 'NaN', not a number"),
        (BODY.replace("pixel", "furlong"), "MeasurementUnit is 'furlong'"),
        (
            '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
            '<Page imageFilename="linn.png" imageWidth="2550" imageHeight="3300">'
            '<TextRegion id="r1"><TextLine id="l1"><Coords points="10,10 20,x"/>'
            "<TextEquiv><Unicode>Gefechtsbericht</Unicode></TextEquiv></TextLine></TextRegion>"
            "</Page></PcGts>",
            "TextLine l1's Coords has the point '20,x', not x,y",
        ),
    ],
    ids=["xhtml", "tei", "alto-v9", "page-2010", "no-page", "no-size", "nan", "unit", "points"],
)
def test_xml_of_another_kind_or_that_cannot_be_placed(
    capsys: pytest.CaptureFixture[str],
    library_folder: Path,
    tmp_path: Path,
    content: str,
    reason: str,
) -> None:
    xml = tmp_path / "t.xml"
    xml.write_text(content.replace("{entity}", ""), encoding="utf-8")
    assert_refused(capsys, library_folder, xml, reason)


def test_a_folder_of_hostile_files_reports_each_and_attaches_nothing(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "1.xml").write_text(TESSERACT_ALTO_V3, encoding="utf-8")
    (folder / "2.xml").write_text(alto_with(LAUGHS, "&lol9;"), encoding="utf-8")
    os.mkfifo(folder / "3.xml")
    (folder / "4.xml").symlink_to(folder / "4.xml")
    (folder / "notes.txt").write_text("not a transcription", encoding="utf-8")
    before = catalog_state(library_folder)

    code, report = attach(capsys, library_folder, folder)

    assert code == EXIT_ERROR
    assert [(Path(f["path"]).name, f["error"].split(" (")[0]) for f in report["failed"]] == [
        ("2.xml", "declares a DOCTYPE"),
        ("3.xml", "cannot be read: not a regular file"),
        ("4.xml", "cannot be read: Too many levels of symbolic links; nothing was attached "
                  "to document 1"),
    ]  # fmt: skip
    assert catalog_state(library_folder) == before


def test_coordinates_outside_the_page_are_clipped_and_reported(
    capsys: pytest.CaptureFixture[str], library_folder: Path, tmp_path: Path
) -> None:
    xml = tmp_path / "t.xml"
    outside = BODY.replace("{entity}", "").replace(
        "</TextLine>",
        '<String CONTENT="overhang" HPOS="-40" VPOS="3250" WIDTH="400" HEIGHT="100"/>'
        '<String CONTENT="beyond" HPOS="9000" VPOS="9000" WIDTH="300" HEIGHT="100"/>'
        "</TextLine>",
    )
    xml.write_text(outside, encoding="utf-8")

    code, report = attach(capsys, library_folder, xml)

    assert code == 0, report["failed"]
    assert (
        report["transcription"]["warnings"]
        == report["warnings"]
        == [
            f"{xml}, page 1 of document 1: 1 box reached outside the page (2550×3300 pixel) and "
            "was clipped to it",
            f"{xml}, page 1 of document 1: 1 box lay wholly outside the page (2550×3300 pixel); "
            "the text is kept, without a box",
        ]
    )
    with Library(library_folder) as library:
        page = library.page(1, 1)
        assert page.text == "Gefechtsbericht overhang beyond"
        assert [w[4] for w in page.words] == ["Gefechtsbericht", "overhang"]
        assert page.words[1][:4] == pytest.approx([0.0, 780.0, 86.4, 792.0])
        assert [h.page for h in library.search("beyond").hits] == [1]
