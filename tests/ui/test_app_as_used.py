"""The app as a researcher meets it, driven through keys and clicks on the real widgets:
marks that stay true when an article is reopened, thumbnails, palettes, the status bar,
Help, writing notes, the gaps list, search results and the export folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from index.schema import INDEX_NAME
from reader.library import Library
from reader.records import SearchHit
from tests.ui.windows import make_window
from ui.article_view import COLOURS, ArticleView
from ui.document_view import DocumentView
from ui.main_window import MainWindow
from ui.main_window.exporting import default_folder
from ui.note_dialog import NoteDialog
from ui.palette import DARK_SETTING, apply_palette
from ui.search_panel import hit_html
from ui.thumbnails import ThumbnailModel

pytestmark = pytest.mark.slow  # the sample collection is OCR'd once for these
CITATION_COLOURS = (COLOURS.quote, COLOURS.inner_quote, COLOURS.resolved, COLOURS.gap)


@pytest.fixture
def window(qtbot: QtBot, sample_library: Path, tmp_path: Path) -> Iterator[MainWindow]:
    shutil.copytree(sample_library, tmp_path / "library")
    with Library(tmp_path / "library") as library:
        opened = make_window(qtbot, library, tmp_path / "settings.ini")
        yield opened
        opened.wait_until_idle()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_palette(app, False)


def open_from_library(qtbot: QtBot, window: MainWindow, name: str) -> DocumentView:
    """Type in the library filter and press Enter on the row, as a reader does."""
    panel = window.library_panel
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.filter_box.hasFocus, timeout=5000)
    panel.filter_box.clear()
    qtbot.keyClicks(panel.filter_box, name)
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.left.info is not None
    return window.left


def hover(viewport: QWidget, point: QPoint) -> None:
    """What resting the mouse there does: a ToolTip event at the point."""
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)


def formatted_backgrounds(article: ArticleView) -> int:
    """Characters that carry a background in the document's own formats."""
    count = 0
    block = article.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                count += fragment.length()
            it += 1
        block = block.next()
    return count


def focus_marks(article: ArticleView) -> list[tuple[int, int]]:
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd())
        for s in article.extraSelections()
        if s.format.background().color() == COLOURS.focus
    ]


def test_marks_come_from_the_citations_each_time_the_article_is_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = open_from_library(qtbot, window, "Orders and Their Echoes")
    article = view.article
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert len(focus_marks(article)) == 1
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    open_from_library(qtbot, window, "Years in the Mountains")
    open_from_library(qtbot, window, "Orders and Their Echoes")
    assert focus_marks(article) == []  # the new showing starts with no current mark
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert len(focus_marks(article)) == 1
    window.dark_action.trigger()
    window.dark_action.trigger()
    assert formatted_backgrounds(article) == 0  # nothing marked in the text itself
    marked = {(s.cursor.selectionStart(), s.cursor.selectionEnd())
              for s in article.extraSelections()
              if s.format.background().color() in CITATION_COLOURS}  # fmt: skip
    assert marked == {(c.start, c.end) for c in article.citations}


def test_thumbnails_show_pages_also_when_a_document_is_opened_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    def drawn(model: ThumbnailModel) -> bool:
        icon = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
        image = icon.toImage()
        return any(
            image.pixelColor(x, y).lightness() < 200
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        )

    for name in ("NO-3012", "Years in the Mountains", "NO-3012"):
        view = open_from_library(qtbot, window, name)
        view.thumbnail_list.viewport().repaint()
        qtbot.waitUntil(lambda v=view: drawn(v.thumbnails), timeout=20_000)


def test_both_palettes_are_complete_and_remembered(qtbot: QtBot, window: MainWindow) -> None:
    view = open_from_library(qtbot, window, "Orders and Their Echoes")
    window.dark_action.trigger()
    QApplication.processEvents()  # the palette reaches the widgets through events
    assert window.settings.value(DARK_SETTING, type=bool) is True  # saved at once
    base = view.article.viewport().palette().color(view.article.viewport().backgroundRole())
    title = view.title.palette().color(view.title.foregroundRole())
    assert base.lightness() < 80 and title.lightness() > 180
    window.dark_action.trigger()
    QApplication.processEvents()
    base = view.article.viewport().palette().color(view.article.viewport().backgroundRole())
    title = view.title.palette().color(view.title.foregroundRole())
    assert base.lightness() > 200 and title.lightness() < 80
    assert window.settings.value(DARK_SETTING, type=bool) is False


def test_a_finished_job_leaves_no_message_and_help_explains_the_keys(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    (tmp_path / "note.txt").write_text("A note on the supply columns.")
    window.import_paths([tmp_path / "note.txt"])
    assert window.progress.label.text().startswith("Import")
    qtbot.waitUntil(lambda: window.long_job is None, timeout=60_000)
    assert window.progress.label.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_F1)
    box = window.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    for shown in ("F8", "Shift+F8", "Ctrl+F", "Ctrl+D", "Enter", "a gap"):
        assert shown in box.text()
    box.accept()


def test_a_note_is_written_beside_its_passage_and_saved_with_ctrl_return(
    qtbot: QtBot, window: MainWindow
) -> None:
    library = window.library
    made = library.annotate("NOKW-1088", 2, quote="no village that sheltered")
    window.refresh_library()
    view = window.open_document("NOKW-1088")
    view.pages.go_to_page(2, made.rects[0])
    assert window.wait_until_idle()
    passage = view.annotation_rect(made)
    assert passage is not None
    hover(view.pages.viewport(), view.pages.box_on_screen(2, made.rects[0]).center().toPoint())
    assert "no village that sheltered" in QToolTip.text() and "double-click" in QToolTip.text()
    written: list[NoteDialog] = []

    def write_note() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, NoteDialog) and w.isVisible())  # fmt: skip
        written.append(dialog)
        assert "no village that sheltered" in dialog.quote.text()
        assert not dialog.frameGeometry().intersects(passage)
        qtbot.keyClicks(dialog.editor, "Cf. the diary, " * 12)
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(300, write_note)
    centre = view.pages.box_on_screen(2, made.rects[0]).center().toPoint()
    qtbot.mouseDClick(view.pages.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert window.wait_until_idle()
    assert written and written[0].editor.lineWrapMode().name == "WidgetWidth"
    (saved,) = library.annotations("NOKW-1088")
    assert saved.note.startswith("Cf. the diary, Cf.") and len(saved.note) > 150


def test_gaps_are_grouped_by_article_one_row_per_reference(window: MainWindow) -> None:
    gaps = window.citations_panel.gaps
    rows = [gaps.item(row) for row in range(gaps.count())]
    by_article: dict[str, list[str]] = {}
    heading = ""
    for row in rows:
        if row.data(Qt.ItemDataRole.UserRole + 1) is None:
            heading = row.text()
            by_article[heading] = []
        else:
            assert heading, "a reference row before any article heading"
            by_article[heading].append(row.text())
    assert len(by_article) == 2  # the sample's article and its research notes
    for references in by_article.values():
        assert references and len(references) == len(set(references))


def test_a_search_result_names_each_identifier_once_and_reads_when_selected(
    qtbot: QtBot, window: MainWindow
) -> None:
    hit = SearchHit(3, "NOKW-1088", 2, 1.0, "the <b>supply</b> columns", ["NOKW-1088", "RG-238"],
                    "primary", "1943-03", "ocr", 88.0, ["supply"], [])  # fmt: skip
    text = hit_html(hit)
    assert text.count("NOKW-1088") == 1 and "RG-238" in text
    selected = hit_html(hit, QColor(255, 255, 255).name())
    assert "color:#ffffff" in selected and "color:gray" not in selected
    window.search_action.trigger()
    qtbot.keyClicks(window.search_panel.query_box, "supply columns")
    qtbot.keyClick(window.search_panel.query_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search_panel.model.rowCount() > 0, timeout=30_000)


def test_export_offers_the_documents_folder_then_the_last_one(
    window: MainWindow, tmp_path: Path
) -> None:
    assert window.exporting.folder() == default_folder()
    assert not str(window.exporting.folder()).startswith(str(window.library.folder))
    window.settings.setValue("export/folder", str(tmp_path))
    assert window.exporting.folder() == tmp_path


def test_dragging_over_a_line_of_a_scan_keeps_every_word_of_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """ "To the Commanding General in Croatia," was stored without its "in"."""
    library = window.library
    view = open_from_library(qtbot, window, "NOKW-1088")
    words = library.page("NOKW-1088", 1).words
    first = next(w for w in words if w[4] == "To")
    last = next(w for w in words if w[4].startswith("Croatia") and abs(w[1] - first[1]) < 8)
    view.pages.go_to_page(1, [first[0], first[1], last[2], last[3]])
    assert window.wait_until_idle()
    pages = view.pages

    def at(x: float, y: float) -> QPoint:
        return pages.box_on_screen(1, [x, y, x, y]).center().toPoint()

    # From the middle of "To" (where a reader's drag starts) past the end of "Croatia,":
    # "in", printed a little high, has its middle above the start.
    start, end = at(first[0] - 2, (first[1] + first[3]) / 2), at(last[2] + 2, last[3] + 2)
    qtbot.mousePress(pages.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(pages.viewport(), end)
    qtbot.mouseRelease(pages.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert window.wait_until_idle()

    (made,) = library.annotations("NOKW-1088")
    assert made.kind == "highlight"
    assert made.text == "To the Commanding General in Croatia,"


def test_a_drag_that_runs_past_the_page_edge_marks_what_is_on_the_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The catalog refuses rectangles off the page; a reader's drag is cut to the page first."""
    library = window.library
    view = open_from_library(qtbot, window, "NOKW-1088")
    page = library.page("NOKW-1088", 1)
    last = max(page.words, key=lambda w: (w[3], w[2]))
    beyond = [last[0] - 1, last[1] - 1, page.width + 40, page.height + 40]
    window.annotating.annotate_region(view, 1, beyond)
    assert window.wait_until_idle()
    (made,) = library.annotations("NOKW-1088")
    assert made.kind == "highlight" and last[4] in made.text
    # The scan's blank bottom-right corner, dragged past: an area up to the page's edges.
    corner = [page.width - 30, page.height - 30, page.width + 50, page.height + 50]
    assert not [w for w in page.words if w[2] > corner[0] and w[3] > corner[1]]
    window.annotating.annotate_region(view, 1, corner)
    assert window.wait_until_idle()
    area = next(a for a in library.annotations("NOKW-1088") if a.kind == "area")
    assert area.rects == [[page.width - 30, page.height - 30, page.width, page.height]]


def test_a_drag_released_past_the_page_edge_highlights_up_to_the_edge(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Found under Xvfb: a drag whose release fell beside the page was dropped unseen."""
    library = window.library
    view = open_from_library(qtbot, window, "NOKW-1088")
    page = library.page("NOKW-1088", 1)
    first = next(w for w in page.words if w[4] == "To")
    line = [w for w in page.words if abs(w[1] - first[1]) < 8]
    view.pages.go_to_page(1, [first[0], first[1], first[2], first[3]])
    assert window.wait_until_idle()
    pages = view.pages
    middle = (first[1] + first[3]) / 2
    start = pages.box_on_screen(1, [first[0] - 2, middle, first[0] - 2, middle]).center()
    edge = pages.box_on_screen(1, [page.width, middle, page.width, middle]).center()
    beyond = QPoint(edge.toPoint().x() + 8, edge.toPoint().y() + 4)
    qtbot.mousePress(pages.viewport(), Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(pages.viewport(), beyond)
    qtbot.mouseRelease(pages.viewport(), Qt.MouseButton.LeftButton, pos=beyond)
    assert window.wait_until_idle()
    (made,) = library.annotations("NOKW-1088")
    assert made.kind == "highlight"
    assert made.text == " ".join(str(w[4]) for w in sorted(line, key=lambda w: w[0]))
    assert all(0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
               for x0, y0, x1, y1 in made.rects)  # fmt: skip


def test_a_note_marker_shows_its_note_and_opens_what_it_cites(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = open_from_library(qtbot, window, "Orders and Their Echoes")
    article = view.article
    first = next(n for n in article.notes if n.number == 1 and n.markers)
    assert "NOKW 1088" in first.text and first.citations
    start, _end = first.markers[0]
    assert "NOKW 1088" in article.note_tooltip(first)
    cursor = article.textCursor()
    cursor.setPosition(start)
    article.setTextCursor(cursor)
    article.ensureCursorVisible()
    point = article.cursorRect(cursor).center()
    point.setX(point.x() + 3)
    hover(article.viewport(), point)
    assert QToolTip.text().startswith("Note 1: NOKW 1088")
    qtbot.mouseClick(article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    right = window.right
    assert right.isVisible() and right.info is not None and "NOKW-1088" in right.info.identifiers
    assert right.pages.current_page() == 2  # the page note 1 names


def test_a_quotation_inside_a_quotation_is_marked_inside_the_outer_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    article = tmp_path / "nested.txt"
    article.write_text(
        "Roberts quotes the division's report: “the battalion reported ‘that the bands had "
        "left the villages near Nevesinje during the night’ and asked for orders.”\n",
        encoding="utf-8",
    )
    (made,) = window.library.import_paths([article], kind="secondary").imported
    window.refresh_library()
    assert window.wait_until_idle()
    view = open_from_library(qtbot, window, made.title[:30])
    outer, inner = sorted(
        (c for c in view.article.citations if c.kind == "quote"), key=lambda c: c.start
    )
    assert inner.parent is not None and view.article.citations[inner.parent].id == outer.id
    assert outer.start < inner.start < inner.end < outer.end
    colours = {
        (s.cursor.selectionStart(), s.cursor.selectionEnd()): s.format.background().color()
        for s in view.article.extraSelections()
    }
    assert colours[(inner.start, inner.end)] != colours[(outer.start, outer.end)]


def test_a_search_on_a_damaged_index_says_it_was_rebuilt_and_finds_the_pages(
    qtbot: QtBot, sample_library: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "library"
    shutil.copytree(sample_library, folder)
    segment = max((folder / "index").glob(f"{INDEX_NAME}_*.seg"), key=lambda p: p.stat().st_size)
    segment.write_bytes(bytes(segment.stat().st_size))
    with Library(folder) as library:
        window = make_window(qtbot, library, tmp_path / "settings.ini")
        window.search_action.trigger()
        qtbot.keyClicks(window.search_panel.query_box, "supply columns")
        qtbot.keyClick(window.search_panel.query_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.search_panel.model.rowCount() > 0, timeout=60_000)
        assert "rebuilt" in window.search_panel.status.text()
        assert window.wait_until_idle()
