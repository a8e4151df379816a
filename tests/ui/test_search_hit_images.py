"""Search hits show the OCR confidence of their page and, under the snippet, a small image of
the hit's line on the scan, drawn off the GUI thread for the rows the list shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.models import Page
from reader.records import SearchHit
from ui.renderer import LineKey
from ui.search_panel import (
    LINE_DPI,
    LINE_GAP,
    LINE_HEIGHT,
    WARNING,
    SearchPanel,
    hit_html,
    image_dpi,
    line_key,
)
from ui.workers import Operations


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Iterator[Library]:
    """A real typewritten scan, OCR'd, beside a born-digital PDF and an HTML page."""
    folder = tmp_path_factory.mktemp("hit-images")
    born_digital_pdf(folder / "report.pdf", ["Supply columns reached the linzen depot at dusk."])
    (folder / "notes.html").write_text(
        "<html><body><h1>Notes</h1><p>The linzen of the recipe, as the diary has it.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    library = Library(folder / "library")
    library.import_paths(
        [realdata / "typewriter.png", folder / "report.pdf", folder / "notes.html"]
    )
    assert library.run_ocr().pages_failed == 0
    yield library
    library.close()


def open_panel(qtbot: QtBot, library: Library, height: int = 600) -> SearchPanel:
    panel = SearchPanel(library, Operations())
    qtbot.addWidget(panel)
    panel.resize(420, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def search(qtbot: QtBot, panel: SearchPanel, query: str) -> list[SearchHit]:
    panel.query_box.setFocus()
    panel.query_box.clear()
    qtbot.keyClicks(panel.query_box, query)
    qtbot.keyClick(panel.query_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.status.text() != "Searching…", timeout=30_000)
    hits = [panel.hit(row) for row in range(panel.model.rowCount())]
    return [hit for hit in hits if hit is not None]


def row_of(panel: SearchPanel, title: str) -> QModelIndex:
    for row in range(panel.model.rowCount()):
        hit = panel.hit(row)
        if hit is not None and hit.title == title:
            return panel.model.index(row, 0)
    raise AssertionError(f"no hit in {title}")


def grey_spread(image: QImage) -> float:
    """How much the pixels vary (standard deviation of their grey), 0 for a blank image."""
    values = [
        QColor(image.pixel(x, y)).value()
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    ]
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)


def ink(image: QImage) -> int:
    """Dark pixels: the letters of a scan (the snippet's text stands above the image)."""
    return sum(
        QColor(image.pixel(x, y)).value() < 110
        for y in range(image.height())
        for x in range(image.width())
    )


def shown_line(panel: SearchPanel, index: QModelIndex) -> QImage:
    """What the list shows in the row's image place, as a picture of the screen."""
    row = panel.results.visualRect(index)
    top = row.bottom() + 1 - LINE_GAP * 2 - LINE_HEIGHT
    shot = panel.results.viewport().grab().toImage()
    return shot.copy(row.left() + 4, top, row.width() - 8, LINE_HEIGHT)


def wait_for_line(qtbot: QtBot, panel: SearchPanel, key: LineKey) -> QImage:
    qtbot.waitUntil(lambda: panel.line_images.image(key) is not None, timeout=20_000)
    image = panel.line_images.image(key)
    assert image is not None
    return image


@pytest.mark.slow
def test_a_hit_on_a_scan_shows_its_ocr_confidence_and_its_line_once_drawn(
    qtbot: QtBot, scanned: Library
) -> None:
    panel = open_panel(qtbot, scanned)
    search(qtbot, panel, "linzen wassen")
    index = row_of(panel, "typewriter")
    hit = index.data(Qt.ItemDataRole.UserRole + 1)
    page = scanned.page(hit.doc, hit.page)
    assert page.source == "ocr" and page.confidence is not None
    confidence = f"OCR {page.confidence:.0f} %"
    assert confidence in hit_html(hit) and "⚠" not in hit_html(hit)
    assert confidence in index.data(Qt.ItemDataRole.ToolTipRole)

    key = line_key(hit)
    assert key is not None
    image = wait_for_line(qtbot, panel, key)
    rect = scanned.hit_line(hit.doc, hit.page, hit.boxes)
    assert rect is not None
    scale = LINE_DPI / 72
    assert abs(image.width() - (rect[2] - rect[0]) * scale) <= 2
    assert abs(image.height() - (rect[3] - rect[1]) * scale) <= 2
    assert image_dpi(image) == pytest.approx(LINE_DPI, abs=0.01)
    assert grey_spread(image) > 30  # typed letters on paper

    qtbot.waitUntil(lambda: ink(shown_line(panel, index)) > 100, timeout=5000)
    shown = shown_line(panel, index)
    marked = QColor("#ffe066")
    assert any(
        abs(QColor(shown.pixel(x, y)).hue() - marked.hue()) < 8
        and QColor(shown.pixel(x, y)).saturation() > 100
        for y in range(shown.height())
        for x in range(shown.width())
    ), "the hit's words are marked on the line"


@pytest.mark.slow
def test_a_low_confidence_is_marked_and_born_digital_or_html_hits_show_none(
    qtbot: QtBot, scanned: Library
) -> None:
    panel = open_panel(qtbot, scanned)
    hits = {hit.title: hit for hit in search(qtbot, panel, "linzen")}
    assert set(hits) == {"typewriter", "report", "notes"}
    for title in ("report", "notes"):
        assert hits[title].confidence is None
        assert "OCR" not in hit_html(hits[title])
        assert "OCR" not in row_of(panel, title).data(Qt.ItemDataRole.ToolTipRole)

    # The same scan read badly: the confidence stands out, in words and in colour.
    with scanned.session() as session:
        session.execute(
            update(Page).where(Page.document_id == hits["typewriter"].doc).values(ocr_confidence=41)
        )
        session.commit()
    poor = {hit.title: hit for hit in search(qtbot, panel, "linzen")}["typewriter"]
    assert "⚠ OCR 41 %" in hit_html(poor) and WARNING in hit_html(poor)
    tooltip = row_of(panel, "typewriter").data(Qt.ItemDataRole.ToolTipRole)
    assert "OCR 41 %" in tooltip and "low" in tooltip


@pytest.mark.slow
def test_an_html_hit_has_no_image_and_keeps_no_room_for_one(qtbot: QtBot, scanned: Library) -> None:
    panel = open_panel(qtbot, scanned)
    search(qtbot, panel, "linzen")
    notes, report = row_of(panel, "notes"), row_of(panel, "report")
    assert line_key(notes.data(Qt.ItemDataRole.UserRole + 1)) is None
    # The born-digital PDF's hit has its line (the PDF's own words), the HTML's has none.
    report_key = line_key(report.data(Qt.ItemDataRole.UserRole + 1))
    assert report_key is not None
    assert grey_spread(wait_for_line(qtbot, panel, report_key)) > 20

    text = QTextDocument()
    text.setDefaultFont(panel.results.font())
    text.setHtml(hit_html(notes.data(Qt.ItemDataRole.UserRole + 1)))
    row = panel.results.visualRect(notes)
    text.setTextWidth(max(100, row.width()))
    assert row.height() == int(text.size().height()) + 4  # the text and nothing under it


def test_a_long_result_draws_only_the_lines_of_the_rows_shown(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    pages = [f"Report {n}. Supply columns reached Mostar on day {n}." for n in range(1, 241)]
    born_digital_pdf(tmp_path / "daily.pdf", pages, unicode=False)
    library.import_paths([tmp_path / "daily.pdf"])
    panel = open_panel(qtbot, library, height=500)
    requested: list[object] = []
    ask = panel.line_images.request

    def counted(key: object, *, urgent: bool = False) -> None:
        requested.append(key)
        ask(key, urgent=urgent)  # type: ignore[arg-type]

    panel.line_images.request = counted  # type: ignore[method-assign]
    hits = search(qtbot, panel, "Mostar")
    assert len(hits) == 200  # the list's limit; every hit has its line on the page

    def shown_rows() -> set[int]:
        viewport = panel.results.viewport()
        return {
            panel.results.indexAt(QPoint(10, y)).row() for y in range(0, viewport.height(), 4)
        } - {-1}

    # The list asks for the rows it shows once it has come to rest after being filled.
    qtbot.waitUntil(lambda: bool(requested) and not panel.busy(), timeout=20_000)
    first = set(shown_rows())
    assert 1 < len(first) < 20
    assert {line_key(hits[row]) for row in first} <= set(requested)
    assert len(set(requested)) <= len(first) + 2  # none for the rows below

    qtbot.keyClick(panel.results, Qt.Key.Key_End)  # to the last hit
    qtbot.waitUntil(lambda: 199 in shown_rows(), timeout=5000)
    last_key = line_key(hits[199])
    assert last_key is not None
    wait_for_line(qtbot, panel, last_key)
    qtbot.waitUntil(lambda: not panel.busy(), timeout=20_000)
    assert len(set(requested)) <= len(first) + len(shown_rows()) + 4  # not the 180 between
