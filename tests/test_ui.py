"""The desktop app driven through its real widgets, offscreen: import by dropping a folder,
search and open a hit, click a citation and see the cited page beside the article."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage, QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from archive_reader.main import main as cli_main
from bench.corpus import born_digital_pdf, save_png, typewritten_image
from reader.library import Library
from reader.records import CitationInfo, MetadataChanges
from ui.citations_panel import ITEM_ROLE
from ui.main_window import MainWindow
from ui.metadata_dialog import MetadataDialog

pytestmark = pytest.mark.slow  # the desktop app end to end, on the OCR'd sample

LONG = 180_000  # ms: OCR of a few pages on a slow two-core machine


def make_window(qtbot: QtBot, library: Library, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


@pytest.fixture
def sample_window(qtbot: QtBot, sample_library: Path, tmp_path: Path) -> Iterator[MainWindow]:
    with Library(sample_library) as library:
        window = make_window(qtbot, library, tmp_path)
        yield window
        window.jobs.wait(30_000)


def drop_paths(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)


def test_drop_a_folder_search_and_open_the_hit_on_the_scan(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    save_png(
        typewritten_image("Report of the division.\nGeneral Horstenau arrived at Mostar.", seed=3),
        folder / "NOKW-2001.png",
    )
    born_digital_pdf(folder / "minutes.pdf", ["Minutes of the staff.", "Nothing about him."])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    window = make_window(qtbot, library, tmp_path)

    drop_paths(window, [folder])
    assert window.long_job is not None and window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.long_job is None, timeout=LONG)  # import, then OCR
    assert window.wait_until_idle()  # the library panel reads the catalog again itself

    titles = sorted(d.title for d in window.library_panel.model.documents)
    assert titles == ["NOKW-2001", "minutes"]
    warning = window.findChild(QMessageBox)
    assert warning is not None and warning.text().endswith("failed 1")
    assert warning.detailedText().startswith("broken.pdf: ")
    warning.accept()
    window.activateWindow()  # offscreen, no window manager gives the focus back
    qtbot.waitActive(window)
    window.search_action.trigger()  # Ctrl+Shift+F: the search panel, its query box focused
    qtbot.waitUntil(window.search_panel.query_box.hasFocus, timeout=5000)
    window.search_panel.query_box.setText("Horstenau")
    qtbot.keyClick(window.search_panel.query_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search_panel.model.rowCount() > 0, timeout=30_000)
    hit = window.search_panel.hit(0)
    assert hit is not None and hit.title == "NOKW-2001" and hit.page == 1

    qtbot.keyClick(window.search_panel.query_box, Qt.Key.Key_Down)  # on into the results
    qtbot.waitUntil(window.search_panel.results.hasFocus, timeout=5000)
    qtbot.keyClick(window.search_panel.results, Qt.Key.Key_Return)
    view = window.left
    assert view.info is not None and view.info.id == hit.doc
    assert view.is_paged() and view.pages.current_page() == 1
    marked = view.pages.highlights[1]
    assert marked == hit.boxes and len(marked) == 1
    x0, y0, x1, y1 = marked[0]
    assert 0 < x0 < x1 and 0 < y0 < y1  # on the page, in points


def test_cancel_stops_an_import_between_files(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1500):
        (folder / f"note-{n:04}.txt").write_text(f"Note {n} on the supply columns.")
    window = make_window(qtbot, library, tmp_path)
    job = window.import_paths([folder])
    assert job is not None
    with qtbot.waitSignal(job.signals.progress, timeout=30_000):
        pass
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.long_job is None, timeout=LONG)
    imported = len(library.documents())
    assert 0 < imported < 1500
    assert "cancelled" in window.statusBar().currentMessage()
    assert library.check().ok  # what was imported is whole and indexed


def citation_to(window: MainWindow, identifier: str, kind: str) -> CitationInfo:
    target = window.library.resolve(identifier)
    return next(
        c
        for c in window.left.article.citations
        if c.kind == kind and c.target is not None and c.target.doc == target
    )


def click_citation(qtbot: QtBot, window: MainWindow, citation: CitationInfo) -> None:
    article = window.left.article
    cursor = QTextCursor(article.document())
    cursor.setPosition(citation.start + 3)
    article.setTextCursor(cursor)
    article.ensureCursorVisible()
    point = article.cursorRect(cursor).center()
    qtbot.mouseClick(article.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_clicking_a_quoted_passage_shows_the_cited_scan_page(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    window = sample_window
    window.open_document("article.html")
    assert not window.right.isVisible()
    quote = citation_to(window, "NOKW-1088", "quote")
    assert quote.target is not None and quote.target.page == 2

    click_citation(qtbot, window, quote)

    right = window.right
    assert right.isVisible() and right.info is not None
    assert "NOKW-1088" in right.info.identifiers
    assert right.pages.current_page() == 2
    assert right.pages.focus is not None
    page, boxes = right.pages.focus
    assert page == 2 and len(boxes) >= 10  # the words of the passage on the scan
    current = window.citations_panel.citations.currentItem()
    assert current is not None and "the order stood" in current.text()


def test_identifier_citation_next_previous_and_cited_by(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    window = sample_window
    window.open_document("article.html")
    identifier = citation_to(window, "NO-3012", "identifier")
    click_citation(qtbot, window, identifier)
    assert window.right.info is not None and "NO-3012" in window.right.info.identifiers
    assert window.right.pages.current_page() == 1

    qtbot.keyClick(window, Qt.Key.Key_F8)  # the next citation: the quotation that follows
    following = next(c for c in window.left.article.citations if c.start > identifier.start)
    current = window.citations_panel.citations.currentItem().data(ITEM_ROLE)
    assert current.id == following.id and following.kind == "quote"
    assert window.right.info is not None and window.right.info.id == following.target.doc

    window.open_document("NOKW-1088")
    cited_by = window.citations_panel.cited_by
    assert cited_by.count() >= 2
    texts = [cited_by.item(row).text() for row in range(cited_by.count())]
    assert any("the order stood" in text for text in texts)


def test_gaps_are_listed(sample_window: MainWindow) -> None:
    assert sample_window.wait_until_idle()  # the list fills in the background
    gaps = sample_window.citations_panel.gaps
    texts = [gaps.item(row).text() for row in range(gaps.count())]
    assert any("NOKW-2215" in text for text in texts)
    assert not any("NOKW 1088" in text for text in texts)


def test_find_in_a_scanned_document_marks_every_occurrence(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    window = sample_window
    view = window.open_document("NOKW-1088")
    view.find_box.setText("supply columns")
    qtbot.keyClick(view.find_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.found), timeout=30_000)
    assert [f.page for f in view.found] == [2]
    assert view.find_label.text() == "1 of 1"
    assert view.pages.focus is not None and len(view.pages.focus[1]) == 2


def test_zoom_rotate_and_go_to_page_render_real_pixels(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    window = sample_window
    view = window.open_document("NO-3012")
    pages = view.pages
    width_fit = pages.zoom
    window.zoom_in_action.trigger()
    assert pages.zoom > width_fit
    window.rotate_action.trigger()
    assert pages.rotation == 90
    view.go_to_page(2)
    assert pages.current_page() == 2
    assert window.wait_until_idle()
    image = window.renderer.image(pages._key(1))
    assert image is not None and not image.isNull()
    width, height = view.library.page_sizes("NO-3012")[1]
    # turned a quarter: the image is as wide as the page is high
    assert abs(image.width() / image.height() - height / width) < 0.02
    assert _dark_fraction(image) > 0.002  # typewritten text, not a blank page


def _dark_fraction(image: QImage) -> float:
    samples = [(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
    dark = sum(1 for x, y in samples if image.pixelColor(x, y).lightness() < 128)
    return dark / len(samples)


def test_metadata_edits_are_saved_and_searchable(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    born_digital_pdf(tmp_path / "report.pdf", ["A report on the railway bridge."])
    library.import_paths([tmp_path / "report.pdf"])
    info = library.documents()[0]
    dialog = MetadataDialog(info)
    qtbot.addWidget(dialog)
    dialog.title.setText("Bridge report")
    dialog.identifiers.setText("NOKW 1091, box-7/12")
    dialog.date.setText("12 March 1943")
    dialog.collection.setText("Mostar")
    dialog.authors.setText("Engineer Battalion; Ivo Horvat")
    changes = dialog.changes()
    assert changes.kind is None  # untouched fields stay as they are

    updated = library.update_metadata(info.id, changes)

    assert updated.title == "Bridge report"
    assert updated.identifiers == ["NOKW-1091", "box-7/12"]
    assert updated.date == "1943-03-12"
    assert updated.authors == ["Engineer Battalion", "Ivo Horvat"]
    hits = library.search("bridge collection:Mostar date:1943-03 id:NOKW-1091").hits
    assert [(h.doc, h.title) for h in hits] == [(info.id, "Bridge report")]
    with pytest.raises(ValueError, match="not a date"):
        library.update_metadata(info.id, MetadataChanges(date="sometime"))
    assert library.document(info.id).date == "1943-03-12"


def test_screenshot_command_renders_the_side_by_side_view(
    sample_library: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    shutil.copytree(sample_library, library)
    shot = tmp_path / "shot.png"
    code = cli_main(
        ["--library", str(library), "gui", "--open", "article.html", "--compare", "NOKW-1088",
         "--screenshot", str(shot)]
    )  # fmt: skip
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    # The cited passage is marked on the scan in the right half: orange pixels are there.
    right_half = image.copy(image.width() // 2, 0, image.width() // 2, image.height())
    assert _count_colour(right_half, (255, 160, 90)) > 200


def _count_colour(image: QImage, rgb: tuple[int, int, int], tolerance: int = 60) -> int:
    count = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            c = image.pixelColor(x, y)
            if (
                sum(abs(a - b) for a, b in zip((c.red(), c.green(), c.blue()), rgb, strict=True))
                < tolerance
            ):
                count += 1
    return count


def test_drag_over_words_highlights_them_and_undo_redo_reach_the_catalog(
    qtbot: QtBot, sample_library: Path, tmp_path: Path
) -> None:
    shutil.copytree(sample_library, tmp_path / "library")
    with Library(tmp_path / "library") as library:
        window = make_window(qtbot, library, tmp_path)
        view = window.open_document("NOKW-1088")
        view.go_to_page(2)
        assert window.wait_until_idle()
        words = library.page("NOKW-1088", 2).words
        first = next(w for w in words if w[4].startswith("village"))
        last = next(w for w in words if w[4].startswith("sheltered"))
        pages = view.pages
        page_rect = pages._page_rect(1)
        scale = pages.scale()

        def at(x: float, y: float) -> QPoint:
            return QPoint(round(page_rect.x() + x * scale), round(page_rect.y() + y * scale))

        start, end = at(first[0] - 1, first[1] - 1), at(last[2] + 1, last[3] + 1)
        qtbot.mousePress(pages.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(pages.viewport(), end)
        qtbot.mouseRelease(pages.viewport(), Qt.MouseButton.LeftButton, pos=end)
        assert window.wait_until_idle()  # every write runs off the GUI thread

        (made,) = library.annotations("NOKW-1088")
        assert (made.kind, made.page) == ("highlight", 2)
        assert made.text.split()[0].startswith("village") and "sheltered" in made.text
        assert pages.annotations[2] == [made]
        assert window.citations_panel.notes.count() == 1

        window.undo_action.trigger()
        assert window.wait_until_idle()
        assert library.annotations("NOKW-1088") == [] and not pages.annotations
        window.redo_action.trigger()
        assert window.wait_until_idle()
        assert [a.id for a in library.annotations("NOKW-1088")] == [made.id]

        qtbot.mouseClick(
            pages.viewport(),
            Qt.MouseButton.LeftButton,
            pos=at(first[0] + 2, (first[1] + first[3]) / 2),
        )
        assert pages.selected_annotation is not None and pages.selected_annotation.id == made.id
        window.annotator.edit_note(pages.selected_annotation, "Horstenau’s order — über alles")
        assert window.wait_until_idle()
        assert library.annotations("NOKW-1088")[0].note == "Horstenau’s order — über alles"
        window.delete_annotation_action.trigger()
        assert window.wait_until_idle()
        assert library.annotations("NOKW-1088") == []
        window.undo_action.trigger()  # the delete undone: back, note and all
        assert window.wait_until_idle()
        (restored,) = library.annotations("NOKW-1088")
        assert (restored.id, restored.note) == (made.id, "Horstenau’s order — über alles")
