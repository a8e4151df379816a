"""OCR out as ALTO v4 and hOCR: real scans OCR'd once, exported, and read back with lxml as a
consumer would: the structure ALTO 4 requires, the words and boxes the catalog stores (and
the way back from pixels to points), hOCR's titles, a born-digital PDF's own words, a document
not yet OCR'd refused, and words that XML cannot carry as they are."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pymupdf
import pytest
from lxml import etree
from PIL import Image
from sqlalchemy import select, update

from reader.cli import main as cli_main
from reader.export import ExportError
from reader.library import Library
from reader.models import OcrState, Page, TextSource
from reader.transcriptions.alto import write_alto
from reader.transcriptions.grouping import PixelFrame, transcribed_page
from reader.transcriptions.hocr import write_hocr

slow = pytest.mark.slow  # real scans OCR'd

NS = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
BOX = ("HPOS", "VPOS", "WIDTH", "HEIGHT")
TIFF_DPI = 200  # not the 300 assumed when a scan does not say: pixels come from the image
BLANK_PIXELS = (240, 180)


@pytest.fixture(scope="module")
def ocred(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Iterator[dict[str, Any]]:
    """A real scan PDF (francais.pdf) and a two-page TIFF (the baiona.png map, then a blank
    page), both OCR'd, in one library."""
    folder = tmp_path_factory.mktemp("altout")
    tiff = folder / "baiona-roll.tif"
    with Image.open(realdata / "baiona.png") as scan:
        first = scan.convert("L")
    blank = Image.new("L", BLANK_PIXELS, 255)
    first.save(tiff, save_all=True, append_images=[blank], dpi=(TIFF_DPI, TIFF_DPI))
    library = Library(folder / "library")
    report = library.import_paths([realdata / "francais.pdf", tiff])
    ocr = library.run_ocr()
    assert ocr.pages_failed == 0 and ocr.pages_done == 3
    ids = {Path(d.path).name: d.id for d in report.imported}
    yield {"library": library, "folder": folder, "pdf": ids["francais.pdf"], "tiff": ids[tiff.name]}
    library.close()


def stored_pages(library: Library, doc_id: int) -> list[Page]:
    with library.session() as session:
        pages = session.scalars(
            select(Page).where(Page.document_id == doc_id).order_by(Page.number)
        ).all()
        for page in pages:  # loaded while the session is open
            _ = (page.words, page.text)
        session.expunge_all()
        return list(pages)


def alto_of(library: Library, doc_id: int, out: Path) -> etree._Element:
    report = library.export_transcription(doc_id, out, "alto")
    assert report.path == str(out) and report.format == "alto"
    return etree.parse(str(out)).getroot()


def floats(element: etree._Element, names: tuple[str, ...] = BOX) -> list[float]:
    return [float(element.get(name)) for name in names]


@slow
def test_an_ocred_scan_exports_the_structure_alto_4_requires(
    ocred: dict[str, Any], tmp_path: Path, realdata: Path
) -> None:
    library = ocred["library"]
    root = alto_of(library, ocred["tiff"], tmp_path / "roll.xml")

    assert root.tag == "{http://www.loc.gov/standards/alto/ns-v4#}alto"
    assert root.xpath("a:Description/a:MeasurementUnit/text()", namespaces=NS) == ["pixel"]
    file_name = "a:Description/a:sourceImageInformation/a:fileName/text()"
    assert root.xpath(file_name, namespaces=NS) == ["baiona-roll.tif"]
    software = root.xpath("a:Description/a:Processing//a:softwareName/text()", namespaces=NS)
    assert any("Tesseract" in name for name in software)

    # One Page per page, numbered, each as large as its frame in pixels.
    pages = root.xpath("a:Layout/a:Page", namespaces=NS)
    assert [p.get("PHYSICAL_IMG_NR") for p in pages] == ["1", "2"]
    with Image.open(realdata / "baiona.png") as scan:
        assert floats(pages[0], ("WIDTH", "HEIGHT")) == [scan.width, scan.height]
    assert floats(pages[1], ("WIDTH", "HEIGHT")) == list(BLANK_PIXELS)
    # The blank page has an empty PrintSpace; the map's words stand in the required chain.
    assert pages[1].xpath("a:PrintSpace/*", namespaces=NS) == []
    assert len(pages[1].xpath("a:PrintSpace", namespaces=NS)) == 1
    strings = pages[0].xpath("a:PrintSpace/a:TextBlock/a:TextLine/a:String", namespaces=NS)
    stored = stored_pages(library, ocred["tiff"])[0].words
    assert len(stored) >= 10
    assert [s.get("CONTENT") for s in strings] == [w[4] for w in stored]

    width, height = floats(pages[0], ("WIDTH", "HEIGHT"))
    for string in strings:
        assert all(string.get(name) is not None for name in (*BOX, "CONTENT", "WC"))
        assert 0.0 <= float(string.get("WC")) <= 1.0
        x, y, w, h = floats(string)
        assert min(x, y, w, h) >= 0
        assert x + w <= width + 0.01 and y + h <= height + 0.01
    ids = root.xpath("//@ID")
    assert len(ids) == len(set(ids)) > len(strings)


@slow
def test_the_words_map_back_onto_the_stored_boxes_and_confidences(
    ocred: dict[str, Any], tmp_path: Path
) -> None:
    """Pixels to points by the page's own ratio give the catalog's boxes to the hundredth,
    and WC * 100 its confidences: what an import of this file back would need."""
    library = ocred["library"]
    for doc_id in (ocred["tiff"], ocred["pdf"]):
        root = alto_of(library, doc_id, tmp_path / f"{doc_id}.xml")
        page = root.xpath("a:Layout/a:Page", namespaces=NS)[0]
        stored = stored_pages(library, doc_id)[0]
        to_x = stored.width / float(page.get("WIDTH"))
        to_y = stored.height / float(page.get("HEIGHT"))
        strings = page.xpath(".//a:String", namespaces=NS)
        assert len(strings) == len(stored.words) > 0
        for string, word in zip(strings, stored.words, strict=True):
            x, y, w, h = floats(string)
            back = [round(x * to_x, 2), round(y * to_y, 2),
                    round((x + w) * to_x, 2), round((y + h) * to_y, 2)]  # fmt: skip
            assert back == [round(float(v), 2) for v in word[:4]], word
            assert round(float(string.get("WC")) * 100, 1) == word[5]


@slow
def test_a_pdf_scan_is_measured_in_pixels_at_300_dpi_and_keeps_tesseracts_lines(
    ocred: dict[str, Any], tmp_path: Path
) -> None:
    library = ocred["library"]
    root = alto_of(library, ocred["pdf"], tmp_path / "francais.xml")
    (page,) = root.xpath("a:Layout/a:Page", namespaces=NS)
    stored = stored_pages(library, ocred["pdf"])[0]
    assert floats(page, ("WIDTH", "HEIGHT")) == [stored.width * 300 / 72, stored.height * 300 / 72]
    assert root.xpath("a:Description//a:fileName/text()", namespaces=NS) == ["francais.pdf"]
    assert 0 < float(page.get("PC")) <= 1

    blocks = page.xpath(".//a:TextBlock", namespaces=NS)
    text = "\n\n".join(
        "\n".join(
            " ".join(line.xpath("a:String/@CONTENT", namespaces=NS))
            for line in block.xpath("a:TextLine", namespaces=NS)
        )
        for block in blocks
    )
    # Tesseract's own lines and paragraphs: the page's text comes back as it was read.
    assert text == stored.text.strip()
    assert len(page.xpath(".//a:TextLine", namespaces=NS)) == stored.text.strip().count("\n") + 1


@slow
def test_hocr_gives_pages_lines_and_words_with_bboxes_and_confidences(
    ocred: dict[str, Any], tmp_path: Path
) -> None:
    library = ocred["library"]
    out = tmp_path / "roll.hocr"
    report = library.export_transcription(ocred["tiff"], out, "hocr")
    html = lxml.html.parse(str(out)).getroot()

    metas = {m.get("name"): m.get("content") for m in html.xpath("//meta[@name]")}
    assert "Tesseract" in metas["ocr-system"]
    assert {"ocr_page", "ocr_line", "ocrx_word"} <= set(metas["ocr-capabilities"].split())
    pages = html.xpath("//div[@class='ocr_page']")
    assert len(pages) == report.pages == 2
    titles = [p.get("title") for p in pages]
    assert titles[0] == 'image "baiona-roll.tif"; bbox 0 0 640 682; ppageno 0'
    assert titles[1] == 'image "baiona-roll.tif"; bbox 0 0 240 180; ppageno 1'
    assert pages[1].xpath(".//*[@class='ocrx_word']") == []

    words = pages[0].xpath(
        ".//p[@class='ocr_par']/span[@class='ocr_line']/span[@class='ocrx_word']"
    )
    stored = stored_pages(library, ocred["tiff"])[0].words
    assert [w.text_content() for w in words] == [w[4] for w in stored]
    assert report.words == len(stored)
    for word, (*_, confidence) in zip(words, stored, strict=True):
        match = re.fullmatch(r"bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)", word.get("title"))
        assert match, word.get("title")
        x0, y0, x1, y1, wconf = (int(v) for v in match.groups())
        assert 0 <= x0 <= x1 <= 640 and 0 <= y0 <= y1 <= 682
        assert wconf == round(confidence)
    for line in pages[0].xpath(".//span[@class='ocr_line']"):
        assert re.fullmatch(r"bbox \d+ \d+ \d+ \d+", line.get("title"))


@slow
def test_the_cli_writes_alto_and_hocr_and_reports_them_in_json(
    ocred: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--library", str(ocred["library"].folder)]
    out = tmp_path / "out" / "francais.alto.xml"
    doc = str(ocred["pdf"])
    assert cli_main([*base, "export", doc, "--format", "alto", "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    words = len(stored_pages(ocred["library"], ocred["pdf"])[0].words)
    assert data == {"path": str(out), "format": "alto", "pages": 1, "words": words, "warnings": []}
    assert len(etree.parse(str(out)).xpath("//a:String", namespaces=NS)) == words

    assert (
        cli_main([*base, "export", doc, "--format", "hocr", "--out", str(tmp_path / "f.hocr")]) == 0
    )
    assert f"1 pages, {words} words" in capsys.readouterr().out

    # The PDF export is unchanged; --with-cited belongs to it alone.
    code = cli_main([*base, "export", doc, "--format", "alto", "--with-cited", "--out", str(out)])
    assert code == 2 and "--with-cited is for the PDF export" in capsys.readouterr().err
    assert cli_main([*base, "export", doc, "--out", str(tmp_path / "f.xml")]) == 1
    assert "--format alto" in capsys.readouterr().err
    assert cli_main([*base, "export", doc, "--out", str(tmp_path / "f.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    with pymupdf.open(tmp_path / "f.pdf") as pdf:
        assert pdf.page_count == 1


@slow
def test_an_original_is_never_written(ocred: dict[str, Any]) -> None:
    library = ocred["library"]
    original = Path(library.document(ocred["tiff"]).path)
    before = original.read_bytes()
    with pytest.raises(ExportError, match="original"):
        library.export_transcription(ocred["pdf"], original, "alto")
    assert original.read_bytes() == before


# Without OCR: a born-digital PDF, a scan still waiting, and words stored by hand.


def make_born_digital_pdf(path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page(width=400, height=300)
    page.insert_text((40, 50), "Headquarters Army Group E", fontsize=12)
    page.insert_text((40, 64), "Operations Section, 12 March 1943", fontsize=12)
    page.insert_textbox(pymupdf.Rect(40, 150, 360, 260), "Supply columns reached Mostar "
                        "on the evening of the eleventh.", fontsize=11)  # fmt: skip
    pdf.save(path)
    pdf.close()


def test_a_born_digital_pdf_exports_its_own_words_in_its_own_blocks(
    library: Library, tmp_path: Path
) -> None:
    source = tmp_path / "report.pdf"
    make_born_digital_pdf(source)
    (doc,) = library.import_paths([source]).imported
    assert doc.pages_needing_ocr == 0

    root = alto_of(library, doc.id, tmp_path / "report.xml")
    (page,) = root.xpath("a:Layout/a:Page", namespaces=NS)
    assert floats(page, ("WIDTH", "HEIGHT")) == [1666.67, 1250]  # 300 dpi, two decimals
    with pymupdf.open(source) as pdf:
        mupdf_words = pdf[0].get_text("words")
    strings = page.xpath(".//a:String", namespaces=NS)
    assert [s.get("CONTENT") for s in strings] == [w[4] for w in mupdf_words]
    assert all(s.get("WC") is None for s in strings)  # no OCR, no confidence
    first = floats(strings[0])
    assert first[0] == pytest.approx(mupdf_words[0][0] * 300 / 72, abs=0.01)
    # MuPDF's blocks: the heading's two lines, then the paragraph apart from them.
    blocks = page.xpath(".//a:TextBlock", namespaces=NS)
    assert len(blocks) == len({w[5] for w in mupdf_words}) >= 2
    lines = page.xpath(".//a:TextLine", namespaces=NS)
    assert " ".join(lines[0].xpath("a:String/@CONTENT", namespaces=NS)) == (
        "Headquarters Army Group E"
    )
    processing = root.xpath("a:Description/a:Processing/@ID", namespaces=NS)
    assert page.get("PROCESSING") in processing


def test_a_scan_not_yet_ocred_is_refused_with_the_reason(
    library: Library, tmp_path: Path, realdata: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (doc,) = library.import_paths([realdata / "baiona.png"]).imported  # OCR not run
    out = tmp_path / "baiona.xml"
    base = ["--library", str(library.folder)]
    assert cli_main([*base, "export", str(doc.id), "--format", "alto", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "1 of 1 pages are still waiting for OCR" in error
    assert f"archive-reader ocr {doc.id}" in error
    assert [p.name for p in tmp_path.iterdir()] == ["library"]  # nothing written


def test_a_text_document_has_no_page_layout_to_export(library: Library, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A typed note with no page image.\n")
    (doc,) = library.import_paths([note]).imported
    with pytest.raises(ExportError, match="text/plain: its pages are text"):
        library.export_transcription(doc.id, tmp_path / "note.xml", "hocr")


# A page's words as a transcription or OCR might store them: XML's special characters,
# control characters, a box past the page's edge, confidences out of range.
HOSTILE_WORDS = [
    [10, 10, 30, 20, "Tom", 95.0],
    [35, 10, 40, 20, "&", 91.5],
    [45, 10, 70, 20, "<Jerry>", 88.0],
    [75, 10, 90, 20, "\x0c\x00", 50.0],  # nothing left: dropped
    [10, 30, 40, 40, "page\x0c", 120.0],
    [45, 30, 500, 40, "edge]]>", -1],  # past the right edge (144 points)
    [10, 60, 40, 70, 'say "hi"\x1b', None],
    [80, 60, 90],  # not a word: no text
]
EXPECTED = ["Tom", "&", "<Jerry>", "page", "edge]]>", 'say "hi"']


@pytest.fixture
def hostile(library: Library, tmp_path: Path) -> int:
    scan = tmp_path / "blank.png"
    Image.new("L", (600, 800), 255).save(scan, dpi=(300, 300))  # 144 x 192 points
    (doc,) = library.import_paths([scan]).imported
    with library.session() as session, session.begin():
        session.execute(
            update(Page)
            .where(Page.document_id == doc.id)
            .values(words=HOSTILE_WORDS, text="Tom & <Jerry>\npage edge]]>\n\nsay \"hi\"",
                    text_source=TextSource.OCR.value, ocr_state=OcrState.DONE.value,
                    ocr_confidence=83.0)
        )  # fmt: skip
    return doc.id


def test_words_xml_cannot_carry_as_they_are_do_not_break_the_file(
    library: Library, hostile: int, tmp_path: Path
) -> None:
    root = alto_of(library, hostile, tmp_path / "hostile.xml")
    strings = root.xpath("//a:String", namespaces=NS)
    assert [s.get("CONTENT") for s in strings] == EXPECTED
    assert [s.get("WC") for s in strings] == ["0.95", "0.915", "0.88", "1", "0", None]
    edge = floats(strings[4])
    assert edge[0] + edge[2] == 600  # clipped at the page's right edge, in pixels
    # Two lines close together, then one a blank line below: two blocks.
    blocks = root.xpath("//a:TextBlock", namespaces=NS)
    assert [len(b.xpath("a:TextLine", namespaces=NS)) for b in blocks] == [2, 1]

    html = lxml.html.parse(str(_hocr(library, hostile, tmp_path))).getroot()
    words = html.xpath("//span[@class='ocrx_word']")
    assert [w.text_content() for w in words] == EXPECTED
    assert words[-1].get("title") == "bbox 42 250 167 292"  # no x_wconf: none was stored


def test_a_file_that_cannot_be_written_leaves_nothing_behind(
    library: Library, hostile: int, tmp_path: Path
) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    with pytest.raises(ExportError, match="cannot write"):
        library.export_transcription(hostile, folder, "alto")
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder", "blank.png", "library"]


def _hocr(library: Library, doc_id: int, tmp_path: Path) -> Path:
    out = tmp_path / "hostile.hocr"
    library.export_transcription(doc_id, out, "hocr")
    return out


def test_the_writers_take_any_transcribed_page() -> None:
    """The writers on their own, as the round trip will call them: a page whose words carry
    control characters everywhere, and a line given with no words (PAGE XML's lines)."""
    frame = PixelFrame(1000, 500, 2.0, 2.0)
    page = transcribed_page(
        [[1, 1, 20, 9, "a\x00b", 50], [25, 1, 40, 9, "\ud800c", 60]],
        (500, 250),
        frame,
        image_name="scan\udcff.tif",  # a file name's byte that is not UTF-8
        number=7,
    )
    alto = etree.fromstring(write_alto([page]))
    assert alto.xpath("//a:String/@CONTENT", namespaces=NS) == ["ab", "c"]
    assert alto.xpath("//a:fileName/text()", namespaces=NS) == ["scan\ufffd.tif"]
    assert alto.xpath("//a:Page/@PHYSICAL_IMG_NR", namespaces=NS) == ["7"]
    hocr = lxml.html.fromstring(write_hocr([page], title="t\x00"))
    assert hocr.xpath("//div[@class='ocr_page']/@title") == [
        'image "scan\ufffd.tif"; bbox 0 0 1000 500; ppageno 6'
    ]


def test_lines_and_blocks_follow_the_page_text_when_the_words_are_its_own() -> None:
    """Tesseract's text says where its lines and paragraphs end, which boxes alone may not
    (here every word stands on one row); a text edited since is not followed."""
    row = [[10 + 20 * i, 10, 25 + 20 * i, 20, word, 90] for i, word in enumerate("abcdef")]
    frame = PixelFrame(1000, 1000, 1.0, 1.0)

    def shape(text: str) -> list[list[str]]:
        page = transcribed_page(row, (1000, 1000), frame, text=text)
        return [[line.text for line in block.lines] for block in page.blocks]

    assert shape("a b\nc d\n\ne f\n") == [["a b", "c d"], ["e f"]]
    assert shape("a b c\nd e f") == [["a b c", "d e f"]]
    assert shape("a b X\nd e f") == [["a b c d e f"]]  # not its words: the boxes decide
    assert shape("") == [["a b c d e f"]]
