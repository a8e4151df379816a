"""Transcriptions in: `archive-reader import SCAN --transcription FILE.xml` attaches ALTO (v2,
v3, v4, in pixels, mm10 or inch1200) and PAGE XML (2013, 2019) as Tesseract, Transkribus and
eScriptorium write them to the pages of a real scan. The words are found by search at once,
their boxes stand where the file puts them on the catalog's page, the pages are no longer
queued for OCR; a file that does not fit the document is refused whole, nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from reader.cli import EXIT_ERROR, main
from reader.library import Library
from reader.ocr.queue import pending_tasks
from tests.transcription_samples import (
    ESCRIPTORIUM_ALTO_V4,
    ESCRIPTORIUM_PAGE_2019,
    LINN_POINTS_PER_PIXEL,
    TESSERACT_ALTO_V3,
    TRANSKRIBUS_ALTO_V2,
    TRANSKRIBUS_PAGE_2013,
    catalog_state,
    physical_alto,
)

P = LINN_POINTS_PER_PIXEL


def px(*values: float) -> list[float]:
    """Pixel coordinates of linn.png as points on its catalog page."""
    return [round(v * P, 2) for v in values]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


@pytest.fixture
def linn(tmp_path: Path, realdata: Path) -> tuple[Path, int]:
    """A library holding the real scan linn.png, imported without OCR: its folder and id."""
    folder = tmp_path / "library"
    with Library(folder) as library:
        report = library.import_paths([realdata / "linn.png"])
        assert report.imported[0].pages_needing_ocr == 1
        return folder, report.imported[0].id


def test_tesseract_alto_through_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, realdata: Path, linn: tuple[Path, int]
) -> None:
    folder, doc = linn
    xml = write(tmp_path / "linn.xml", TESSERACT_ALTO_V3)
    lib = ["--library", str(folder)]

    code, report, err = run(
        capsys, "import", str(realdata / "linn.png"), "--transcription", str(xml), *lib
    )

    assert code == 0, err
    assert report["imported"] == [] and report["failed"] == []
    assert report["transcription"]["pages"] == [
        {"page": 1, "file": str(xml), "format": "ALTO v3", "image": "linn.png", "lines": 2,
         "words": 6}
    ]  # fmt: skip
    _, found, _ = run(capsys, "search", "LinnSequencer", *lib)
    assert [(h["doc"], h["page"], h["source"]) for h in found["hits"]] == [
        (doc, 1, "transcription")
    ]
    assert found["hits"][0]["boxes"] == [px(600, 250, 1800, 360)]
    assert found["hits"][0]["confidence"] == pytest.approx(92.2, abs=0.1)
    _, shown, _ = run(capsys, "show", str(doc), *lib)
    assert shown["ocr"] == {"pending": 0, "done": 1, "failed": 0}
    with Library(folder) as library:
        page = library.page(doc, 1)
        assert page.text == "The LinnSequencer\n32 Track MIDI Sequence"
        assert page.source == "transcription"
        assert page.words[0] == [*px(300, 250, 550, 360), "The", 96.0]
        with library.session() as session:
            assert pending_tasks(session, {"eng"}) == []


@pytest.mark.parametrize(
    ("sample", "query", "word", "box", "text"),
    [
        pytest.param(
            TESSERACT_ALTO_V3, "sequence", "Sequence", px(1040, 400, 1700, 500),
            "The LinnSequencer\n32 Track MIDI Sequence", id="alto3-tesseract",
        ),
        pytest.param(
            TRANSKRIBUS_ALTO_V2, "composition", "compo¬", px(1110, 700, 1510, 800),
            "The performance compo¬\nsition tool", id="alto2-transkribus",
        ),
        pytest.param(
            ESCRIPTORIUM_ALTO_V4, "recorder",
            "Operation is similar to multi-track tape recorder", px(210, 1000, 2280, 1110),
            "Operation is similar to multi-track tape recorder\n"
            "with PLAY, STOP, RECORD controls.",
            id="alto4-escriptorium-lines",
        ),
        pytest.param(
            physical_alto("mm10", 254), "polyphonic", "polyphonic", [72.0, 144.0, 144.0, 156.0],
            "polyphonic", id="alto2-mm10",
        ),
        pytest.param(
            physical_alto("inch1200", 1200), "polyphonic", "polyphonic",
            [72.0, 144.0, 144.0, 156.0], "polyphonic", id="alto2-inch1200",
        ),
        pytest.param(
            TRANSKRIBUS_PAGE_2013, "polyphonic", "polyphonic", px(480, 1415, 1010, 1525),
            "Remarkable features\n\nEach polyphonic track\nsynthesizers", id="page2013-transkribus",
        ),
        pytest.param(
            ESCRIPTORIUM_PAGE_2019, "notes", "and holds over 110,000 notes per disk",
            px(210, 2150, 1400, 2250),
            "Ultra-fast disk drive stores complex songs in seconds\n"
            "and holds over 110,000 notes per disk\n\nsic\n\nTRANSPOSED at the touch of a key",
            id="page2019-escriptorium-lines",
        ),
    ],
)  # fmt: skip
def test_each_format_is_attached_searchable_and_in_place(
    tmp_path: Path,
    linn: tuple[Path, int],
    sample: str,
    query: str,
    word: str,
    box: list[float],
    text: str,
) -> None:
    folder, doc = linn
    xml = write(tmp_path / "transcription.xml", sample)
    with Library(folder) as library:
        report = library.attach_transcriptions(doc, [xml])
        assert report.failed == [] and [p.page for p in report.pages] == [1]

        page = library.page(doc, 1)
        assert page.text == text
        assert page.source == "transcription"
        entries = {str(entry[4]): [float(v) for v in entry[:4]] for entry in page.words}
        assert entries[word] == pytest.approx(box, abs=0.01)
        assert all(0 <= e[0] <= e[2] <= 612 and 0 <= e[1] <= e[3] <= 792 for e in page.words)
        hits = library.search(query).hits
        assert [(h.doc, h.page, h.source) for h in hits] == [(doc, 1, "transcription")]
        assert hits[0].boxes, "the hit is marked where the word stands"
        assert library.document(doc).ocr == {"pending": 0, "done": 1, "failed": 0}


def test_clipped_coordinates_are_reported(tmp_path: Path, linn: tuple[Path, int]) -> None:
    """Transkribus's layout analysis drew the heading past the page's top-left corner."""
    folder, doc = linn
    xml = write(tmp_path / "r.xml", TRANSKRIBUS_PAGE_2013)
    with Library(folder) as library:
        report = library.attach_transcriptions(doc, [xml])
        assert report.warnings == [
            f"{xml}, page 1 of document {doc}: 4 boxes reached outside the page "
            "(2550×3300 pixel) and were clipped to it"
        ]
        first = library.page(doc, 1).words[0]
        assert first == [0.0, 0.0, *px(900, 150), "Remarkable", 97.0]


def test_a_word_hyphenated_at_a_line_end_is_found_and_marked_whole(
    tmp_path: Path, linn: tuple[Path, int]
) -> None:
    """Transkribus's "compo" + HYP "¬" / "sition" (SUBS_CONTENT "composition"): the page reads
    as printed, the whole word is found, and its hit marks both halves."""
    folder, doc = linn
    with Library(folder) as library:
        library.attach_transcriptions(doc, [write(tmp_path / "t.xml", TRANSKRIBUS_ALTO_V2)])
        hits = library.search("composition").hits
        assert [h.page for h in hits] == [1]
        assert hits[0].boxes == [px(1110, 700, 1510, 800), px(150, 830, 530, 930)]
        assert library.search("compo").hits == []


def test_page_order_and_hyphenation_read_as_printed(tmp_path: Path) -> None:
    from reader.transcriptions.reading import read_transcription

    page = read_transcription(write(tmp_path / "a.xml", TRANSKRIBUS_PAGE_2013))[0]
    # The ReadingOrder puts the heading (written last) first; Transkribus's line index puts
    # "Each polyphonic track" (written second) before "synthesizers".
    assert [line.text for line in page.lines] == [
        "Remarkable features", "Each polyphonic track", "synthesizers"
    ]  # fmt: skip
    assert [w.confidence for w in page.lines[1].words] == [0.95, 0.91, 0.93]
    alto = read_transcription(write(tmp_path / "b.xml", TRANSKRIBUS_ALTO_V2))[0]
    assert [[w.text for w in line.words] for line in alto.lines] == [
        ["The", "performance", "compo¬"], ["sition", "tool"]
    ]  # fmt: skip
    assert alto.image_name == "linn.png" and (alto.width, alto.height) == (2550, 3300)


def test_what_a_file_does_not_give_is_read_sensibly(tmp_path: Path) -> None:
    """Words a file gives no place for, or no text: the line is kept whole, its text and box.
    ALTO of the old CCS namespace and of none are ALTO too."""
    from reader.transcriptions.reading import read_transcription_file

    page_ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15"
    segmented = write(
        tmp_path / "segmented.xml",
        f'<PcGts xmlns="{page_ns}"><Page imageFilename="linn.png" imageWidth="2550" '
        'imageHeight="3300"><TextRegion id="r"><TextLine id="l"><Coords points="10,10 900,10 '
        '900,90 10,90"/><Word id="w1"><Coords points="10,10 90,10 90,90 10,90"/></Word>'
        "<TextEquiv><Unicode>Gefechtsbericht der Division</Unicode></TextEquiv></TextLine>"
        "</TextRegion></Page></PcGts>",
    )
    read = read_transcription_file(segmented)
    line = read.pages[0].lines[0]
    assert (read.format, line.words) == ("PAGE XML 2013", ())
    assert line.text == "Gefechtsbericht der Division" and line.box.x1 == 900

    for namespace, name in (("http://schema.ccs-gmbh.com/ALTO", "ALTO (CCS)"),
                            ("", "ALTO (no namespace)")):  # fmt: skip
        xmlns = f' xmlns="{namespace}"' if namespace else ""
        unplaced = write(
            tmp_path / "unplaced.xml",
            f'<alto{xmlns}><Layout><Page WIDTH="2550" HEIGHT="3300"><PrintSpace><TextBlock>'
            '<TextLine HPOS="100" VPOS="100" WIDTH="800" HEIGHT="90"><String CONTENT="Bericht"/>'
            '<String CONTENT="vom"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>',
        )
        read = read_transcription_file(unplaced)
        line = read.pages[0].lines[0]
        assert (read.format, line.text, line.words) == (name, "Bericht vom", ())
        assert (line.box.x0, line.box.y0, line.box.x1, line.box.y1) == (100, 100, 900, 190)


def make_bundle(folder: Path, realdata: Path) -> Path:
    """A three-page TIFF made of real scans, each at 100 dpi and of its own shape: the
    brochure (612 × 792 pt), the typed recipe (720 × 515.52) and the 1871 page (360 × 547.2)."""
    frames = []
    for name, size in (("linn.png", (850, 1100)), ("typewriter.png", (1000, 716)),
                       ("congress.jpg", (500, 760))):  # fmt: skip
        with Image.open(realdata / name) as image:
            frames.append(image.convert("L").resize(size))
    path = folder / "bundle.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
    return path


BUNDLE_PIXELS = [(850, 1100), (1000, 716), (500, 760)]


def page_xml(image: str, size: tuple[int, int], words: list[str]) -> str:
    """PAGE XML 2019 of one page: a line of `words`, each 100 pixels wide."""
    ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    root = etree.Element(f"{{{ns}}}PcGts", nsmap={None: ns})
    page = etree.SubElement(
        root, f"{{{ns}}}Page", imageFilename=image, imageWidth=str(size[0]),
        imageHeight=str(size[1]),
    )  # fmt: skip
    region = etree.SubElement(page, f"{{{ns}}}TextRegion", id="r1")
    line = etree.SubElement(region, f"{{{ns}}}TextLine", id="l1")
    etree.SubElement(line, f"{{{ns}}}Coords", points=f"10,10 {10 + 100 * len(words)},10 10,60")
    for n, text in enumerate(words):
        word = etree.SubElement(line, f"{{{ns}}}Word", id=f"w{n}")
        x = 10 + 100 * n
        etree.SubElement(word, f"{{{ns}}}Coords", points=f"{x},10 {x + 90},10 {x + 90},60 {x},60")
        etree.SubElement(
            etree.SubElement(word, f"{{{ns}}}TextEquiv"), f"{{{ns}}}Unicode"
        ).text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


def alto_pages(file_name: str, sizes: list[tuple[int, int]], words: list[str]) -> str:
    """ALTO v4 of several pages (a multi-page TIFF through Tesseract), one word on each."""
    ns = "http://www.loc.gov/standards/alto/ns-v4#"
    root = etree.Element(f"{{{ns}}}alto", nsmap={None: ns})
    description = etree.SubElement(root, f"{{{ns}}}Description")
    etree.SubElement(description, f"{{{ns}}}MeasurementUnit").text = "pixel"
    info = etree.SubElement(description, f"{{{ns}}}sourceImageInformation")
    etree.SubElement(info, f"{{{ns}}}fileName").text = file_name
    layout = etree.SubElement(root, f"{{{ns}}}Layout")
    for n, ((width, height), text) in enumerate(zip(sizes, words, strict=True)):
        page = etree.SubElement(
            layout, f"{{{ns}}}Page", WIDTH=str(width), HEIGHT=str(height), ID=f"page_{n}"
        )
        space = etree.SubElement(page, f"{{{ns}}}PrintSpace")
        block = etree.SubElement(space, f"{{{ns}}}TextBlock", ID=f"block_{n}")
        line = etree.SubElement(block, f"{{{ns}}}TextLine", ID=f"line_{n}")
        etree.SubElement(
            line, f"{{{ns}}}String", CONTENT=text, HPOS="100", VPOS="100", WIDTH="200",
            HEIGHT="50", WC="0.9",
        )  # fmt: skip
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


@pytest.fixture
def bundle(tmp_path: Path, realdata: Path) -> tuple[Path, Path, int]:
    """A library holding a three-page TIFF scan: library folder, the scan, its id."""
    scan = make_bundle(tmp_path, realdata)
    folder = tmp_path / "library"
    with Library(folder) as library:
        report = library.import_paths([scan])
        assert report.imported[0].pages == 3
        return folder, scan, report.imported[0].id


def test_a_folder_of_page_files_matched_by_image_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundle: tuple[Path, Path, int]
) -> None:
    """Transkribus exports one PAGE file per page image; the names, not the files' order,
    say which page each is (pages numbered from 0, as ImageMagick's %d writes them)."""
    folder, scan, doc = bundle
    pages = tmp_path / "page"
    for file_name, image, number in (("0001.xml", "bundle-2.png", 2),
                                     ("0002.xml", "bundle-0.png", 0),
                                     ("0003.xml", "bundle-1.png", 1)):  # fmt: skip
        size = BUNDLE_PIXELS[number]
        write(pages / file_name, page_xml(image, size, ["sheet", f"marker{number + 1}"]))

    code, report, err = run(
        capsys, "import", str(scan), "--transcription", str(pages), "--library", str(folder)
    )

    assert code == 0, (err, report["failed"])
    assert sorted((p["page"], Path(p["file"]).name) for p in report["transcription"]["pages"]) == [
        (1, "0002.xml"), (2, "0003.xml"), (3, "0001.xml")
    ]  # fmt: skip
    with Library(folder) as library:
        for number in (1, 2, 3):
            page = library.page(doc, number)
            assert page.text == f"sheet marker{number}"
            width, height = BUNDLE_PIXELS[number - 1]
            # 100 dpi: a pixel is 0.72 pt, whatever the page's shape.
            assert page.words[1][:4] == pytest.approx([79.2, 7.2, 144.0, 43.2])
            assert (page.width, page.height) == pytest.approx((width * 0.72, height * 0.72))
        assert [h.page for h in library.search("marker3").hits] == [3]


def test_several_transcriptions_given_and_one_alto_of_many_pages_go_by_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundle: tuple[Path, Path, int]
) -> None:
    folder, _, doc = bundle
    lib = ["--library", str(folder)]
    one = write(tmp_path / "one.xml", alto_pages("bundle.tif", BUNDLE_PIXELS[:1], ["first"]))
    two = write(tmp_path / "two.xml", alto_pages("", BUNDLE_PIXELS[1:], ["second", "third"]))

    code, report, err = run(
        capsys, "import", str(doc), "--transcription", str(one), "--transcription", str(two), *lib
    )

    assert code == 0, err
    assert [(p["page"], p["file"]) for p in report["transcription"]["pages"]] == [
        (1, str(one)), (2, str(two)), (3, str(two))
    ]  # fmt: skip
    with Library(folder) as library:
        assert library.page_texts(doc) == ["first", "second", "third"]
        assert library.document(doc).ocr["pending"] == 0


def test_a_new_scan_imported_with_its_transcription_is_not_ocrd(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, realdata: Path
) -> None:
    scan = tmp_path / "scans" / "linn.png"
    scan.parent.mkdir()
    shutil.copyfile(realdata / "linn.png", scan)
    xml = write(tmp_path / "linn.xml", ESCRIPTORIUM_PAGE_2019)
    lib = ["--library", str(tmp_path / "library")]

    # No --no-ocr: the import OCRs what the transcription leaves, which is nothing.
    code, report, err = run(capsys, "import", str(scan), "--transcription", str(xml), *lib)

    assert code == 0, err
    assert [d["path"] for d in report["imported"]] == [str(scan)]
    assert report["ocr"]["pages_done"] == 0 and report["ocr"]["documents"] == []
    assert [p["page"] for p in report["transcription"]["pages"]] == [1]
    _, found, _ = run(capsys, "search", '"110,000 notes"', *lib)
    assert [h["source"] for h in found["hits"]] == ["transcription"]


def test_a_transcription_replaces_an_earlier_one(tmp_path: Path, linn: tuple[Path, int]) -> None:
    folder, doc = linn
    with Library(folder) as library:
        library.attach_transcriptions(doc, [write(tmp_path / "a.xml", TESSERACT_ALTO_V3)])
        library.attach_transcriptions(doc, [write(tmp_path / "b.xml", ESCRIPTORIUM_ALTO_V4)])
        assert library.search("LinnSequencer").hits == []
        assert [h.page for h in library.search("recorder").hits] == [1]


TURNED = TESSERACT_ALTO_V3.replace(
    'WIDTH="2550" HEIGHT="3300" PHYSICAL', 'WIDTH="3300" HEIGHT="2550" PHYSICAL'
)
TWO_PAGES = TESSERACT_ALTO_V3.replace("</Page>", "</Page><Page WIDTH='2550' HEIGHT='3300'/>")


@pytest.mark.parametrize(
    ("sample", "reason"),
    [
        pytest.param(
            TRANSKRIBUS_PAGE_2013.replace('imageFilename="linn.png"',
                                          'imageFilename="typewriter.png"'),
            "it transcribes the image 'typewriter.png', which is not the document's scan "
            "'linn.png'",
            id="another-image",
        ),
        pytest.param(
            TWO_PAGES, "2 pages transcribed, but document {doc} (linn.png) has 1", id="more-pages"
        ),
        pytest.param(
            TURNED,
            "its page is 3300×2550 pixel (width/height 1.29), page 1 of the document 612×792 pt "
            "(0.77): not the same page",
            id="page-turned",
        ),
    ],
)  # fmt: skip
def test_a_transcription_that_does_not_fit_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    linn: tuple[Path, int],
    sample: str,
    reason: str,
) -> None:
    folder, doc = linn
    xml = write(tmp_path / "wrong.xml", sample)
    before = catalog_state(folder)

    code, report, _ = run(
        capsys, "import", str(doc), "--transcription", str(xml), "--library", str(folder)
    )

    assert code == EXIT_ERROR
    assert [f["path"] for f in report["failed"]] == [str(xml)]
    assert reason.format(doc=doc) in report["failed"][0]["error"]
    assert report["failed"][0]["error"].endswith(f"nothing was attached to document {doc}")
    assert report["transcription"]["pages"] == []
    assert catalog_state(folder) == before
    with Library(folder) as library:
        assert library.search("LinnSequencer OR polyphonic").hits == []


def test_one_bad_page_file_and_nothing_of_the_scan_is_attached(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundle: tuple[Path, Path, int]
) -> None:
    """Pages 1 and 3 fit; page 2's file describes a page of the first page's shape."""
    folder, scan, _ = bundle
    files = [
        write(tmp_path / f"p{n}.xml", page_xml(f"bundle-{n}.png", size, [f"word{n}"]))
        for n, size in ((1, BUNDLE_PIXELS[0]), (2, BUNDLE_PIXELS[0]), (3, BUNDLE_PIXELS[2]))
    ]
    before = catalog_state(folder)
    argv = ["import", str(scan), "--library", str(folder)]
    for file in files:
        argv += ["--transcription", str(file)]

    code, report, _ = run(capsys, *argv)

    assert code == EXIT_ERROR
    assert [f["path"] for f in report["failed"]] == [str(files[1])]
    assert "page 2 of the document 720×516 pt" in report["failed"][0]["error"]
    assert catalog_state(folder) == before


def test_a_document_that_is_no_scan_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = write(tmp_path / "memoir.txt", "Spring 1943. The column reached Mostar.\n")
    xml = write(tmp_path / "t.xml", TESSERACT_ALTO_V3)
    lib = ["--library", str(tmp_path / "library")]
    assert main(["import", str(text), *lib]) == 0
    capsys.readouterr()

    code, report, _ = run(capsys, "import", str(text), "--transcription", str(xml), *lib)

    assert code == EXIT_ERROR
    assert "is text/plain, not a scan" in report["failed"][0]["error"]
    with Library(tmp_path / "library") as library:
        assert library.page_texts(1) == ["Spring 1943. The column reached Mostar."]


def test_usage_one_scan_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    xml = write(tmp_path / "t.xml", TESSERACT_ALTO_V3)
    code = main(["import", "a.png", "b.png", "--transcription", str(xml),
                 "--library", str(tmp_path / "lib")])  # fmt: skip
    assert code == 2
    assert "--transcription attaches to one scan" in capsys.readouterr().err


def test_an_exported_pdf_carries_the_transcription_as_its_text_layer(
    tmp_path: Path, linn: tuple[Path, int]
) -> None:
    import pymupdf

    folder, doc = linn
    with Library(folder) as library:
        library.attach_transcriptions(doc, [write(tmp_path / "t.xml", TESSERACT_ALTO_V3)])
        library.export(doc, tmp_path / "linn.pdf")
    with pymupdf.open(tmp_path / "linn.pdf") as pdf:
        words = {w[4]: w[:4] for w in pdf[0].get_text("words")}
        width, height = pdf[0].rect.width, pdf[0].rect.height
    assert "LinnSequencer" in words
    # Laid where the scan shows the word, at whatever size the export draws the page.
    x0, y0, x1, y1 = words["LinnSequencer"]
    assert (x0 / width, y0 / height) == pytest.approx((600 / 2550, 250 / 3300), abs=0.01)
    assert x1 / width <= 1800 / 2550 and y1 / height == pytest.approx(360 / 3300, abs=0.01)


def test_a_doc_that_is_neither_a_file_nor_a_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    xml = write(tmp_path / "t.xml", TESSERACT_ALTO_V3)
    code = main(["import", "NOKW-9999", "--transcription", str(xml),
                 "--library", str(tmp_path / "lib")])  # fmt: skip
    assert code == EXIT_ERROR
    assert "no document with id or identifier 'NOKW-9999'" in capsys.readouterr().err


def test_a_transcribed_first_page_tells_the_identifier_and_date_as_ocr_would(
    tmp_path: Path, linn: tuple[Path, int]
) -> None:
    """The page goes the way OCR results go: the number typed at a primary's head and the
    date in its letterhead are recorded (guessed, until confirmed)."""
    folder, doc = linn
    sample = ESCRIPTORIUM_PAGE_2019.replace(
        "Ultra-fast disk drive stores complex songs in seconds", "NOKW-1088 Belgrade, 11 March 1943"
    )
    with Library(folder) as library:
        library.attach_transcriptions(doc, [write(tmp_path / "t.xml", sample)])
        info = library.document(doc)
        assert "NOKW-1088" in info.identifiers
        assert (info.date, info.date_source) == ("1943-03-11", "text")
        assert [h.doc for h in library.search("id:NOKW-1088").hits] == [doc]
