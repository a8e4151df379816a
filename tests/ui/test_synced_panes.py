"""Synced panes, driven as a reader does: the toggle by its key, zoom keys on one pane, the
article scrolled with Page Down, the primary paged with Ctrl+Page Down; on an article that
quotes each page of a six-page report, so that every page is cited somewhere in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from archive_reader.main import main as cli_main
from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import CitationInfo
from tests.ui.windows import make_window
from ui.article_view import TOP_MARGIN, ArticleView
from ui.citations_panel import ITEM_ROLE
from ui.main_window import MainWindow
from ui.main_window.navigation import SYNC_SETTING
from ui.marks import FOCUS_COLOUR
from ui.page_view import FitMode
from ui.renderer import PageKey, PageRenderer

REPORT = [
    "the supply column reached Mostar at dawn",
    "the bridge at Konjic was blown in the night",
    "two companies were sent toward Nevesinje",
    "the bands left the villages near Gacko",
    "the railway to Sarajevo was repaired by the engineers",
    "losses were four dead and eleven wounded",
]
SYNC = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture(scope="module")
def quoting_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A six-page born-digital report (NOKW-5001) and an article whose paragraph n quotes
    page n, each paragraph long enough that the article scrolls."""
    root = tmp_path_factory.mktemp("synced")
    pages = [f"Report of the division, page {n}. The weather was poor. {line}. The staff "
             "reported nothing else." for n, line in enumerate(REPORT, 1)]  # fmt: skip
    born_digital_pdf(root / "NOKW-5001.pdf", pages, title="NOKW-5001")
    paragraphs = [
        f"Paragraph {n}. " + "The historian weighs the evidence at some length here. " * 14
        + f"The report says that “{line}.” " + "The argument goes on from there. " * 12
        for n, line in enumerate(REPORT, 1)
    ]  # fmt: skip
    (root / "essay.txt").write_text("An essay on the operation\n\n" + "\n\n".join(paragraphs))
    with Library(root / "library") as library:
        library.import_paths([root / "NOKW-5001.pdf"], kind="primary")
        (article,) = library.import_paths([root / "essay.txt"], kind="secondary").imported
        quotes = [c for c in library.citations(article.id).citations if c.kind == "quote"]
        assert [c.target.page for c in quotes if c.target] == [1, 2, 3, 4, 5, 6]
    return root / "library"


@pytest.fixture
def library(quoting_library: Path) -> Iterator[Library]:
    with Library(quoting_library) as opened:
        yield opened


@pytest.fixture
def window(qtbot: QtBot, library: Library, tmp_path: Path) -> Iterator[MainWindow]:
    opened = make_window(qtbot, library, tmp_path / "settings.ini")
    yield opened
    opened.wait_until_idle()


def compare_as_a_reader(qtbot: QtBot, window: MainWindow) -> ArticleView:
    """The essay opened from the library, F8 to its first citation: the report beside it."""
    panel = window.library_panel
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.filter_box, "essay")
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.right.isVisible() and window.right.info is not None
    assert window.wait_until_idle()
    return window.left.article


def sync_by_key(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, SYNC)


def line_top(article: ArticleView, citation: CitationInfo) -> int:
    cursor = article.textCursor()
    cursor.setPosition(citation.start)
    return article.cursorRect(cursor).top()


def nearest_top_pages(article: ArticleView) -> set[int]:
    """The pages of the citations whose line stands nearest the top of the article's view,
    measured on the screen (an oracle apart from the view's own bookkeeping)."""
    leading = [c for c in article.citations if c.target is not None]
    distance = {c.id: abs(line_top(article, c) - TOP_MARGIN) for c in leading}
    best = min(distance.values())
    return {c.target.page for c in leading if c.target and distance[c.id] <= best + 1}


def page_down(qtbot: QtBot, article: ArticleView) -> None:
    article.setFocus()
    qtbot.keyClick(article, Qt.Key.Key_PageDown)
    QApplication.processEvents()


def wheel(widget: QWidget, notches: int, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    """The mouse wheel turned over a widget (negative: towards the reader, scrolling down)."""
    at = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def test_the_toggle_is_off_at_first_on_by_its_key_and_remembered(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.ini"
    window = make_window(qtbot, library, settings)
    action = window.action("sync_panes")
    assert action.isCheckable() and not action.isChecked()
    assert action in window.menuBar().actions()[3].menu().actions()  # View
    toolbar = window.findChild(QToolBar)
    assert toolbar is not None and action in toolbar.actions() and toolbar.isVisible()
    sync_by_key(qtbot, window)
    assert action.isChecked() and window.navigation.sync.enabled
    window.close()

    again = make_window(qtbot, library, settings)
    assert again.action("sync_panes").isChecked() and again.navigation.sync.enabled
    sync_by_key(qtbot, again)
    again.close()
    third = make_window(qtbot, library, settings)
    assert not third.action("sync_panes").isChecked() and not third.navigation.sync.enabled
    third.close()


def test_zoom_keys_on_one_pane_zoom_the_other_by_the_same_factor(
    qtbot: QtBot, window: MainWindow
) -> None:
    article = compare_as_a_reader(qtbot, window)
    pages = window.right.pages
    sync_by_key(qtbot, window)
    pages.setFocus()
    before_page, before_text = pages.zoom, article.zoom
    font_before = article.font().pointSizeF()
    qtbot.keyClick(pages, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    factor = pages.zoom / before_page
    assert factor > 1.05
    assert article.zoom == pytest.approx(before_text * factor)
    assert article.font().pointSizeF() == pytest.approx(font_before * factor)

    article.setFocus()  # the other way: the article zoomed out, the page follows
    qtbot.keyClick(article, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    text_factor = article.zoom / (before_text * factor)
    assert text_factor < 0.95
    assert pages.zoom == pytest.approx(before_page * factor * text_factor)

    zoom = pages.zoom  # Ctrl+wheel over the article zooms both too
    wheel(article.viewport(), 1, Qt.KeyboardModifier.ControlModifier)
    assert pages.zoom > zoom * 1.05

    qtbot.keyClick(pages, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Fit Page
    assert pages.fit is FitMode.PAGE and article.zoom == 1.0
    article.setFocus()
    qtbot.keyClick(article, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert pages.fit is FitMode.NONE and article.zoom > 1.0
    window.right.zoom_box.setFocus()  # Fit width from the pane's own zoom box
    qtbot.keyClick(window.right.zoom_box, Qt.Key.Key_Home)
    assert pages.fit is FitMode.WIDTH and article.zoom == 1.0


def test_scrolling_the_article_moves_the_right_pane_to_the_nearest_citation(
    qtbot: QtBot, window: MainWindow
) -> None:
    article = compare_as_a_reader(qtbot, window)
    right = window.right
    sync_by_key(qtbot, window)
    bar = article.verticalScrollBar()
    seen = [right.pages.current_page()]
    while bar.value() < bar.maximum():
        value = bar.value()
        wheel(article.viewport(), -1)
        assert bar.value() > value  # the right pane's move did not scroll the article back
        assert right.pages.current_page() in nearest_top_pages(article)
        focus = right.pages.focus
        assert focus is not None and focus[0] == right.pages.current_page() and focus[1]
        listed = window.citations_panel.citations.currentItem().data(ITEM_ROLE)
        assert listed.target.page == right.pages.current_page()  # the Citations list follows
        seen.append(right.pages.current_page())
    assert seen == sorted(seen) and set(seen) >= {1, 2, 3, 4, 5}
    page_down(qtbot, article)  # the keys scroll it too: back up by pages
    article.setFocus()
    qtbot.keyClick(article, Qt.Key.Key_PageUp)
    assert right.pages.current_page() in nearest_top_pages(article)
    assert right.pages.current_page() < seen[-1]


def test_paging_the_primary_scrolls_the_article_to_the_first_citation_of_that_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    article = compare_as_a_reader(qtbot, window)
    right = window.right
    sync_by_key(qtbot, window)
    right.pages.setFocus()
    for page in (2, 3, 4):
        qtbot.keyClick(right.pages, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
        assert right.pages.current_page() == page  # not bounced back by the article's move
        quote = next(c for c in article.citations if c.target and c.target.page == page)
        assert 0 <= line_top(article, quote) < article.fontMetrics().lineSpacing()
        assert (quote.start, quote.end, "focus") in article.marks()
    scrolled = article.verticalScrollBar().value()
    right.page_box.setFocus()  # typing a page number pages the primary too
    right.page_box.selectAll()
    qtbot.keyClicks(right.page_box, "6")
    qtbot.keyClick(right.page_box, Qt.Key.Key_Return)
    assert right.pages.current_page() == 6
    assert article.verticalScrollBar().value() > scrolled
    assert window.wait_until_idle()
    assert right.pages.current_page() == 6 and right.pages.focus is not None


def test_switched_off_each_pane_moves_alone(qtbot: QtBot, window: MainWindow) -> None:
    article = compare_as_a_reader(qtbot, window)
    right = window.right
    sync_by_key(qtbot, window)
    sync_by_key(qtbot, window)  # on, then off again
    assert not window.action("sync_panes").isChecked()
    page, text_zoom = right.pages.current_page(), article.zoom
    for _ in range(6):
        wheel(article.viewport(), -2)
    assert right.pages.current_page() == page
    scrolled = article.verticalScrollBar().value()
    right.pages.setFocus()
    qtbot.keyClick(right.pages, Qt.Key.Key_End)
    assert right.pages.current_page() == 6
    assert article.verticalScrollBar().value() == scrolled
    qtbot.keyClick(right.pages, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert article.zoom == text_zoom


def test_following_a_citation_while_synced_leaves_both_panes_on_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A click on a citation moves both panes on purpose: neither answers the other's move."""
    article = compare_as_a_reader(qtbot, window)
    sync_by_key(qtbot, window)
    quote = next(c for c in article.citations if c.target and c.target.page == 4)
    cursor = article.textCursor()
    cursor.setPosition(quote.start + 3)
    article.setTextCursor(cursor)
    article.ensureCursorVisible()
    qtbot.mouseClick(
        article.viewport(), Qt.MouseButton.LeftButton, pos=article.cursorRect(cursor).center()
    )
    assert window.wait_until_idle()
    assert window.right.pages.current_page() == 4
    assert 0 <= line_top(article, quote) < article.fontMetrics().lineSpacing()
    assert article.textCursor().position() == quote.start


def test_the_compare_view_screenshot_shows_the_article_beside_its_first_cited_page(
    quoting_library: Path, tmp_path: Path
) -> None:
    """`gui --view compare --screenshot`: the article that cites the archive, beside the page
    its first quotation is from, the passage marked; synced for the picture only."""
    settings = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    shot = tmp_path / "compare.png"
    code = cli_main(["--library", str(quoting_library), "gui", "--view", "compare",
                     "--screenshot", str(shot)])  # fmt: skip
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    right = image.copy(image.width() * 2 // 3, 0, image.width() // 3, image.height())
    alpha = FOCUS_COLOUR.alphaF()  # drawn over the white page
    focus = QColor(*(round(c * alpha + 255 * (1 - alpha)) for c in FOCUS_COLOUR.getRgb()[:3]))
    marked = sum(
        1
        for x in range(0, right.width(), 2)
        for y in range(0, right.height(), 2)
        if _near(right.pixelColor(x, y), focus)
    )
    assert marked > 40  # the quoted passage, marked on the page
    for saved in settings.rglob("*.ini"):  # the choice of the reader's is left alone
        assert QSettings(str(saved), QSettings.Format.IniFormat).value(SYNC_SETTING) is None
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


def _near(colour: QColor, other: QColor, tolerance: int = 60) -> bool:
    return (
        abs(colour.red() - other.red())
        + abs(colour.green() - other.green())
        + abs(colour.blue() - other.blue())
        < tolerance
    )


def test_a_page_someone_waits_for_is_drawn_before_the_pages_drawn_ahead(
    qtbot: QtBot, library: Library
) -> None:
    """Drawing holds the interpreter: pages drawn ahead go one at a time, and a page the
    reader waits for starts at once, not after them."""
    renderer = PageRenderer(library)
    doc = library.resolve("NOKW-5001")
    order: list[PageKey] = []
    renderer.rendered.connect(order.append)
    ahead = [PageKey(doc, page, 40, 0) for page in range(1, 7)]
    for key in ahead:
        renderer.request(key)
    waited_for = PageKey(doc, 6, 80, 0)
    renderer.request(waited_for, urgent=True)
    qtbot.waitUntil(lambda: len(order) == 7, timeout=30_000)
    assert order.index(waited_for) <= 1  # at most the one page already being drawn before it
    assert order[2:] == [k for k in ahead if k in order[2:]]  # the rest in the order asked
    renderer.pool.waitForDone(5_000)
