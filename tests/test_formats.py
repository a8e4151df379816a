"""Each supported format, made here, comes in with its pages, text and metadata."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw

from reader.library import Library
from tests.epubs import write_frame


def _scan(size: tuple[int, int] = (850, 1100), label: str = "page") -> Image.Image:
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((100, 100), label, fill=0)
    return image


def _only(library: Library, path: Path, **options: str) -> int:
    report = library.import_paths([path], **options)  # type: ignore[arg-type]
    assert not report.failed and not report.skipped, (report.failed, report.skipped)
    assert len(report.imported) == 1
    return report.imported[0].id


def test_multipage_tiff_gives_one_page_per_frame(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "NO-3012.tif"
    frames = [_scan(label=f"frame {i}") for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    info = library.document(_only(library, path))
    assert info.pages == 3
    assert info.media_type == "image/tiff"
    assert info.identifiers == ["NO-3012"]
    assert info.ocr == {"pending": 3, "done": 0, "failed": 0}
    assert info.kind == "primary"


def test_jpeg_and_png_scans_await_ocr(library: Library, tmp_path: Path) -> None:
    _scan().convert("RGB").save(tmp_path / "telegram.jpg", dpi=(150, 150))
    _scan().save(tmp_path / "nokw_1088.png")
    report = library.import_paths([tmp_path], collection="Balkans")
    by_name = {Path(d.path).name: d for d in report.imported}
    assert by_name["telegram.jpg"].pages_needing_ocr == 1
    assert by_name["nokw_1088.png"].identifiers == ["NOKW-1088"]
    jpeg = library.document(by_name["telegram.jpg"].id)
    assert jpeg.media_type == "image/jpeg"
    assert jpeg.collection == "Balkans"


def test_born_digital_pdf_text_metadata_and_first_page_identifiers(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    pdf = pymupdf.open()
    for text in ("Document NOKW-1088\nReport of the 12th March.", "Second page, Horstenau."):
        pdf.new_page().insert_text((72, 72), text)
    pdf.set_metadata({"title": "Situation report", "author": "Staff; Clerk"})
    pdf.save(path)
    doc_id = _only(library, path)
    info = library.document(doc_id)
    assert (info.title, info.authors, info.pages) == ("Situation report", ["Staff", "Clerk"], 2)
    assert info.identifiers == ["NOKW-1088"]
    assert info.ocr == {"pending": 0, "done": 0, "failed": 0}
    assert "Horstenau" in library.page_texts(doc_id)[1]
    assert library.document("NOKW 1088").id == doc_id


def test_plain_text_and_markdown_are_paginated(library: Library, tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {i} about the supply columns near Mostar." * 5 for i in range(60)]
    (tmp_path / "notes.md").write_text("# Field notes\n\n" + "\n\n".join(paragraphs))
    (tmp_path / "latin1.txt").write_bytes(
        "Mihailović? No: Müller, Straße.\n".encode("cp1252", "replace")
    )
    report = library.import_paths([tmp_path])
    by_name = {Path(d.path).name: d for d in report.imported}
    notes = library.document(by_name["notes.md"].id)
    assert notes.title == "Field notes"
    assert notes.kind == "secondary"
    assert notes.pages > 3
    pages = library.page_texts(notes.id)
    assert all(len(p) <= 3000 for p in pages)
    assert "Paragraph 59" in pages[-1]
    assert "Müller, Straße" in library.page_texts(by_name["latin1.txt"].id)[0]


def test_html_metadata_and_visible_text_only(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(
        """<html><head><title>Fallback title</title>
        <meta name="citation_title" content="Reprisals in the Balkans">
        <meta name="author" content="Jane Roe"><meta name="date" content="1998-05-02">
        <script>document.write('evil')</script><style>p {color: red}</style></head>
        <body><h1>Reprisals</h1><p>As NOKW 1088 shows, &ldquo;the order stood&rdquo;.</p>
        <img src="http://example.org/tracker.png"></body></html>""",
        encoding="utf-8",
    )
    doc_id = _only(library, path)
    info = library.document(doc_id)
    assert (info.title, info.authors, info.date) == (
        "Reprisals in the Balkans",
        ["Jane Roe"],
        "1998-05-02",
    )
    text = library.page_texts(doc_id)[0]
    assert "“the order stood”" in text
    assert "evil" not in text and "color" not in text
    assert info.identifiers == []  # a secondary source's first-page identifiers are citations


def test_epub_chapters_in_spine_order(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "memoir.epub"
    with zipfile.ZipFile(path, "w") as epub:
        write_frame(
            epub,
            '<package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<metadata><dc:title>Years in the Mountains</dc:title><dc:creator>Marko Petrović</dc:creator>"
            "<dc:date>1961</dc:date><dc:language>sr</dc:language></metadata>"
            '<manifest><item id="b" href="two.xhtml"/><item id="a" href="one.xhtml"/></manifest>'
            '<spine><itemref idref="a"/><itemref idref="b"/></spine></package>',
        )
        epub.writestr(
            "OEBPS/one.xhtml", "<html><body><p>Chapter one: the winter.</p></body></html>"
        )
        epub.writestr(
            "OEBPS/two.xhtml", "<html><body><p>Chapter two: the spring.</p></body></html>"
        )
    doc_id = _only(library, path)
    info = library.document(doc_id)
    assert (info.title, info.authors, info.date, info.languages) == (
        "Years in the Mountains", ["Marko Petrović"], "1961", ["sr"],
    )  # fmt: skip
    assert [p.split(":")[0] for p in library.page_texts(doc_id)] == ["Chapter one", "Chapter two"]


def test_unsupported_and_broken_files_are_reported(library: Library, tmp_path: Path) -> None:
    (tmp_path / "letter.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (tmp_path / "broken.epub").write_bytes(b"not a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("A good note.")
    report = library.import_paths([tmp_path])
    assert [Path(d.path).name for d in report.imported] == ["good.txt"]
    assert {Path(s.path).name: s.reason for s in report.skipped} == {
        "letter.docx": "unsupported file type (.docx)"
    }
    errors = {Path(f.path).name: f.error for f in report.failed}
    assert set(errors) == {"broken.png", "broken.epub", "empty.txt"}
    assert errors["broken.png"].startswith("damaged image")
    assert errors["broken.epub"].startswith("damaged EPUB")
    assert errors["empty.txt"] == "empty file"
