"""The timeline as a reader uses it: View → Timeline shows the primary documents by date
(undated ones counted), a click on a mark opens the document, keys and Ctrl+wheel zoom; with
an article open its cited documents are green and its own dates are listed beside the
documents of each date; bad dates and thousands of documents on one day draw."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from archive_reader.main import main as cli_main
from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import Chronology, DatedDocument, MetadataChanges
from ui.changes import Changes
from ui.main_window import MainWindow
from ui.none_references import SPARE_REFERENCES
from ui.timeline import CITED, FLAG, ITEM_ROLE, MENU_ROWS, Mark, TimelinePanel, TimelineView
from ui.workers import Operations

DATES = {
    "NOKW-1080": "1943-03-09",
    "NOKW-1088": "1943-03-12",
    "NO-3012": "1943-03-14",
    "PS-1014": "1943-04-02",
    "NOKW-1100": "1943-03",  # known to the month only
}
UNDATED = ["NOKW-2001", "NOKW-2002"]
ARTICLE = """<html><head><title>The Nevesinje operation</title></head><body>
<p>In March 1943 the 118th Jaeger Division moved on Nevesinje. Its report of 12 March
(NOKW 1088) records the order; the Plenipotentiary protested two days later in a telegram
(NO-3012). By the tenth of April, Berlin asked for reports, and the division may have
sent one.</p></body></html>"""
LATER = """<html><head><title>Berlin's answer</title></head><body>
<p>Berlin answered on 2 April 1943 with the memorandum PS-1014.</p></body></html>"""


def make_archive(folder: Path) -> Library:
    """Primary documents (five dated, two not) and an article that cites two of them."""
    files = []
    for name in [*DATES, *UNDATED]:
        files.append(born_digital_pdf(folder / f"{name}.pdf", [f"Document {name}."]))
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    (folder / "later.html").write_text(LATER, encoding="utf-8")
    library = Library(folder / "library")
    library.import_paths(files, kind="primary")
    library.import_paths([folder / "article.html", folder / "later.html"], kind="secondary")
    for name, value in DATES.items():
        library.update_metadata(name, MetadataChanges(date=value))
    return library


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Library]:
    with make_archive(tmp_path) as library:
        yield library


@pytest.fixture
def window(qtbot: QtBot, archive: Library, tmp_path: Path) -> Iterator[MainWindow]:
    shown = MainWindow(
        archive, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitActive(shown)
    assert shown.wait_until_idle()
    yield shown
    shown.wait_until_idle()


def show_timeline(qtbot: QtBot, window: MainWindow) -> TimelinePanel:
    """View → Timeline, by its shortcut, as a reader does; once its dates are read."""
    assert not window.timeline_dock.isVisible()
    qtbot.keyClick(
        window,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = window.timeline_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.chronology is not None, timeout=5000)
    assert window.action("timeline").isChecked()
    return panel


def painted(view: TimelineView) -> list[Mark]:
    view.viewport().repaint()
    return view.marks


def mark_of(view: TimelineView, doc: int) -> Mark:
    return next(m for m in painted(view) if m.docs == (doc,) and m.kind != "claim")


def test_dated_documents_are_marks_and_undated_ones_are_counted(
    qtbot: QtBot, window: MainWindow, archive: Library
) -> None:
    panel = show_timeline(qtbot, window)
    ids = {name: archive.resolve(name) for name in [*DATES, *UNDATED]}
    assert "5 dated · 2 undated" in panel.summary.text()
    marks = painted(panel.view)
    by_day = {m.docs[0] for m in marks if m.kind == "day"}
    assert by_day == {ids[name] for name, value in DATES.items() if len(value) == 10}
    (month,) = [m for m in marks if m.kind == "span"]
    assert month.docs == (ids["NOKW-1100"],)
    # The month-dated document is drawn across March: from its first day to its last.
    view = panel.view
    march_1, march_31 = date(1943, 3, 1).toordinal(), date(1943, 3, 31).toordinal()
    assert month.rect.left() == pytest.approx(view.x_of(march_1) + 1, abs=1)
    assert month.rect.right() == pytest.approx(view.x_of(march_31 + 1) - 1, abs=1)
    # Each day's mark stands over its day, in date order.
    lefts = [
        mark_of(view, ids[name]).rect.center().x()
        for name in ("NOKW-1080", "NOKW-1088", "NO-3012", "PS-1014")
    ]
    assert lefts == sorted(lefts)
    middle = view.x_of(date(1943, 3, 12).toordinal() + 0.5)
    assert mark_of(view, ids["NOKW-1088"]).rect.center().x() == pytest.approx(middle, abs=1)


def test_a_click_on_a_mark_opens_the_document(
    qtbot: QtBot, window: MainWindow, archive: Library
) -> None:
    panel = show_timeline(qtbot, window)
    doc = archive.resolve("NO-3012")
    mark = mark_of(panel.view, doc)
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=mark.rect.center().toPoint()
    )
    assert window.left.info is not None and window.left.info.id == doc
    assert "NO-3012" in window.statusBar().currentMessage()
    # The open primary document is marked on the timeline.
    assert panel.view.current == doc


def test_keys_and_ctrl_wheel_zoom_and_fit(qtbot: QtBot, window: MainWindow) -> None:
    view = show_timeline(qtbot, window).view
    view.setFocus()
    fitted = view.scale
    assert view.fitted
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale == pytest.approx(fitted * 1.5**2)
    assert view.horizontalScrollBar().maximum() > 0  # more than the width: it scrolls
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale == pytest.approx(fitted * 1.5)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.scale == pytest.approx(fitted) and view.fitted
    qtbot.keyClick(view, Qt.Key.Key_Minus)  # never further out than the whole
    assert view.scale == pytest.approx(fitted)
    # Ctrl+wheel zooms in where the mouse is: the day under it stays under it.
    at = QPointF(view.viewport().width() * 0.3, 40)
    day = view.day_at(at.x())
    wheel = QWheelEvent(at, view.viewport().mapToGlobal(at), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.scale == pytest.approx(fitted * 1.5**2)
    assert view.day_at(at.x()) == pytest.approx(day, abs=0.5)
    # The buttons do the same.
    window.timeline_panel.fit_button.click()
    assert view.scale == pytest.approx(fitted)


def test_an_open_article_shows_its_citations_and_dates(
    qtbot: QtBot, window: MainWindow, archive: Library
) -> None:
    panel = show_timeline(qtbot, window)
    article = archive.resolve("article.html")
    window.open_document(article)
    qtbot.waitUntil(lambda: panel.article_dates is not None, timeout=5000)
    cited = {archive.resolve("NOKW-1088"), archive.resolve("NO-3012")}
    assert set(panel.article_dates.cited) == cited  # type: ignore[union-attr]
    marks = painted(panel.view)
    green = {m.docs[0] for m in marks if m.kind == "day" and m.cited}
    assert green == cited
    assert "2 cited by the article" in panel.summary.text()
    rows = [panel.dates_list.item(i).text() for i in range(panel.dates_list.count())]
    assert rows == [
        "March 1943 — article: “In March 1943 the 118th Jaeger Division …” — "
        "documents: NOKW-1088 (cited), NO-3012 (cited), NOKW-1080, NOKW-1100",
        "12 March 1943 — article: “Its report of 12 March (NOKW 1088) records the …” — "
        "documents: NOKW-1088 (cited)",
        "14 March 1943 — article: “… protested two days later in a telegram (NO-3012).” — "
        "documents: NO-3012 (cited)",
        "10 April 1943 — article: “By the tenth of April, Berlin asked for reports, …” — "
        "no document of that date",
    ]
    # The article's dates are flags on the axis: filled where documents of the date exist.
    flags = [m for m in marks if m.kind == "claim"]
    assert [m.claim for m in flags] == [0, 1, 2, 3]
    # A row shows its words in the article and its day in the middle of the timeline.
    item = panel.dates_list.item(2)
    panel.dates_list.scrollToItem(item)
    rect = panel.dates_list.visualItemRect(item)
    qtbot.mouseClick(panel.dates_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    claim = item.data(ITEM_ROLE)
    assert window.left.article.focus_span == (claim.found.start, claim.found.end)
    assert claim.found.text == "two days later"
    view = panel.view
    middle = view.plot_left() + view.plot_width() / 2
    assert view.day_at(middle) == pytest.approx(date(1943, 3, 14).toordinal() + 0.5, abs=1)
    # A mark clicked beside the article opens beside it, the article staying.
    doc = archive.resolve("NOKW-1080")
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=mark_of(view, doc).rect.center().toPoint()
    )
    assert (
        window.right.isVisible() and window.right.info is not None and window.right.info.id == doc
    )
    assert window.left.info is not None and window.left.info.id == article
    # The timeline follows the reader to another article, its days brought into view.
    for _ in range(6):
        qtbot.keyClick(view, Qt.Key.Key_Plus)  # a few days across: 2 April is out of view
    assert view.x_of(date(1943, 4, 2).toordinal()) > view.plot_left() + view.plot_width()
    window.open_document("later.html", pane=window.left)
    qtbot.waitUntil(lambda: panel.dates_list.item(0).text().startswith("2 April"), timeout=5000)
    assert [panel.dates_list.item(i).text() for i in range(panel.dates_list.count())] == [
        "2 April 1943 — article: “Berlin answered on 2 April 1943 with the memorandum PS-1014.” — "
        "documents: PS-1014 (cited)"
    ]
    april_2 = view.x_of(date(1943, 4, 2).toordinal())
    assert view.plot_left() < april_2 < view.plot_left() + view.plot_width() - view.scale
    # And back to a primary document: no article's dates.
    window.open_document("NOKW-1088", pane=window.left)
    assert panel.article_dates is None and not panel.view.claims
    assert "Open an article" in panel.dates_list.item(0).text()


def test_it_reads_the_catalog_again_after_a_change(
    qtbot: QtBot, window: MainWindow, archive: Library
) -> None:
    panel = show_timeline(qtbot, window)
    doc = archive.resolve("NOKW-2001")
    archive.update_metadata(doc, MetadataChanges(date="1943-03-20"))
    window.ops.announce(Changes.of(documents=[doc]))
    qtbot.waitUntil(lambda: "6 dated · 1 undated" in panel.summary.text(), timeout=5000)
    assert any(m.docs == (doc,) for m in painted(panel.view))


def test_bad_dates_draw_apart_without_error(
    qtbot: QtBot, window: MainWindow, archive: Library
) -> None:
    for name, value in (("NOKW-2001", "1066"), ("NOKW-2002", "2999-12-31"), ("PS-1014", "0000"),
                        ("NOKW-1080", "1943-02-30")):  # fmt: skip
        archive.update_metadata(name, MetadataChanges(date=value))
    panel = show_timeline(qtbot, window)
    assert "3 outside 1800–2100" in panel.summary.text()
    marks = painted(panel.view)
    outside = {d for m in marks if m.kind == "outside" for d in m.docs}
    assert outside == {archive.resolve(n) for n in ("NOKW-2001", "NOKW-2002", "PS-1014")}
    # The timeline spans the archive's own years, not a thousand: a day is still wide.
    assert panel.view.fit_scale() > 0.5
    # "30 February" stands on the last day of February.
    feb = mark_of(panel.view, archive.resolve("NOKW-1080"))
    assert feb.rect.center().x() == pytest.approx(
        panel.view.x_of(date(1943, 2, 28).toordinal() + 0.5), abs=1
    )
    for _ in range(12):  # zoomed all the way in and out again
        qtbot.keyClick(panel.view, Qt.Key.Key_Plus)
        panel.grab()
    qtbot.keyClick(panel.view, Qt.Key.Key_End)
    assert not panel.grab().isNull()
    qtbot.keyClick(panel.view, Qt.Key.Key_0)
    assert not panel.grab().isNull()


def many_on_one_day(count: int) -> Chronology:
    day = date(1943, 3, 12).toordinal()
    documents = [
        DatedDocument(n, f"Report {n}", f"NOKW-{n}", "1943-03-12", "day", day, day, n % 7 == 0)
        for n in range(1, count + 1)
    ]
    documents.append(DatedDocument(count + 1, "Memoir", "Memoir", "1961", "year",
                                   date(1961, 1, 1).toordinal(), date(1961, 12, 31).toordinal(), False))  # fmt: skip
    return Chronology(documents, undated=12)


def test_three_thousand_documents_on_one_day_are_one_bar_with_their_count(
    qtbot: QtBot, library: Library
) -> None:
    panel = TimelinePanel(library, Operations())
    qtbot.addWidget(panel)
    panel.resize(1000, 260)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.chronology is not None)  # the empty library's, read on show
    panel.set_chronology(many_on_one_day(3000))
    assert "3,001 dated · 12 undated" in panel.summary.text()
    view = panel.view
    marks = painted(view)
    (bar,) = [m for m in marks if m.kind == "count"]
    assert len(bar.docs) == 3000
    assert "3,000 documents of 12 March 1943" in view.tooltip_at(bar.rect.center().toPoint())
    # A click offers the documents to choose from; choosing one opens it.
    opened: list[int] = []
    view.document_activated.connect(opened.append)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=bar.rect.center().toPoint())
    assert view.menu is not None
    actions = view.menu.actions()
    assert len(actions) == MENU_ROWS + 1
    assert (
        actions[-1].text() == "… and 2,970 more: zoom in, or search" and not actions[-1].isEnabled()
    )
    actions[0].trigger()
    assert opened == [1]
    view.menu.close()
    # Zoomed in to the day, they are still one bar: the height holds a few dozen at most.
    view.show_days(date(1943, 3, 12).toordinal(), date(1943, 3, 12).toordinal())
    assert [len(m.docs) for m in painted(view) if m.kind == "count"] == [3000]
    # As many as the height holds are marks, one above the other.
    capacity = view.capacity()
    assert capacity >= 10
    panel.set_chronology(many_on_one_day(capacity))
    stacked = [m for m in painted(view) if m.kind == "day"]
    assert len(stacked) == capacity
    assert len({m.rect.center().x() for m in stacked}) == 1
    assert len({m.rect.top() for m in stacked}) == capacity


def test_the_screenshot_command_shows_the_timeline(tmp_path: Path) -> None:
    make_archive(tmp_path).close()
    shot = tmp_path / "shot.png"
    code = cli_main(["--library", str(tmp_path / "library"), "gui", "--open", "article.html",
                     "--view", "timeline", "--screenshot", str(shot)])  # fmt: skip
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    # The timeline at the bottom: the cited documents' green marks, the article's orange flags.
    bottom = image.copy(0, image.height() // 2, image.width(), image.height() // 2)
    assert count_colour(bottom, CITED) > 40
    assert count_colour(bottom, FLAG) > 20
    top = image.copy(0, 0, image.width(), image.height() // 2)
    assert count_colour(top, CITED) == 0


def count_colour(image: QImage, colour: QColor) -> int:
    """Pixels of exactly this colour (each pixel of RGB32 is the bytes B, G, R, 255)."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())
    return data.count(bytes([colour.blue(), colour.green(), colour.red(), 255]))


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_painting_many_marks_never_exhausts_none(qtbot: QtBot, library: Library) -> None:
    """PySide6 drops a reference to None at each Qt call that returns nothing; a timeline
    scrolled for a while would bring None's count to zero and abort Python (before 3.12). The
    ui package gives None spare references once (ui.none_references); painting keeps far
    from zero."""
    panel = TimelinePanel(library, Operations())
    qtbot.addWidget(panel)
    panel.resize(1000, 260)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.chronology is not None)
    panel.set_chronology(many_on_one_day(40))
    view = panel.view
    view.show_days(date(1943, 3, 1).toordinal(), date(1943, 3, 31).toordinal())
    for _ in range(50):
        view.viewport().repaint()  # each paint makes some hundred calls to Qt
    if sys.version_info < (3, 12):
        assert sys.getrefcount(None) > SPARE_REFERENCES // 2
