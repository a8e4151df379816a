"""Notes in the search panel: a note found by its words is marked as a note, and opening it
opens its document on its page with the annotation selected; a note edited in the app is
searched as it now is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import SearchHit
from tests.ui.windows import make_window
from ui.main_window import MainWindow
from ui.search_panel import NOTE_COLOUR, hit_html, hit_tooltip


@pytest.fixture
def library(tmp_path: Path) -> Library:
    born_digital_pdf(
        tmp_path / "NOKW-1088.pdf",
        ["The first page of the report.", "The supply columns moved by night towards Mostar."],
    )
    library = Library(tmp_path / "library", user="ana")
    library.import_paths([tmp_path / "NOKW-1088.pdf"], kind="primary")
    return library


def search(qtbot: QtBot, window: MainWindow, query: str) -> list[SearchHit]:
    panel = window.search_panel
    panel.query_box.setFocus()
    panel.query_box.clear()
    qtbot.keyClicks(panel.query_box, query)
    qtbot.keyClick(panel.query_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.status.text() != "Searching…", timeout=30_000)
    return [hit for row in range(panel.model.rowCount()) if (hit := panel.hit(row))]


def test_a_note_hit_is_marked_and_opens_its_annotation_on_its_page(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    made = library.annotate(1, 2, quote="supply columns", note="compare the Horstenau diary")
    library.annotate(1, 1, note="Horstenau: someone else's lead", author="ben")
    with Library(library.folder, user="ben") as ben:
        ben.annotate(1, 1, note="Horstenau, privately")  # ben's own: never shown to ana
    window = make_window(qtbot, library, tmp_path / "settings.ini")
    hits = search(qtbot, window, "Horstenau")
    assert sorted((h.layer, h.page, h.note_author) for h in hits) == [
        ("notes", 1, "ben"),  # signed "ben" but made by ana: hers
        ("notes", 2, "ana"),
    ]
    assert "hits (2 in notes)" in window.search_panel.status.text()
    # Both layers: the page where the words stand, and the note on it, marked as a note.
    hits = search(qtbot, window, "supply")
    assert sorted(h.layer for h in hits) == ["notes", "pages"]
    note = next(h for h in hits if h.layer == "notes")
    assert "✎ Note by ana" in hit_html(note) and NOTE_COLOUR in hit_html(note)
    assert "✎" not in hit_html(next(h for h in hits if h.layer == "pages"))
    assert "A note by ana" in hit_tooltip(note)
    # Opened from the keyboard: the document, on the note's page, the annotation selected.
    hits = search(qtbot, window, "in:notes supply")
    assert [h.annotation for h in hits] == [made.id]
    qtbot.keyClick(window.search_panel.query_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.search_panel.results, Qt.Key.Key_Return)
    view = window.active
    qtbot.waitUntil(lambda: view.info is not None and view.current_page() == 2, timeout=10_000)
    selected = view.pages.selected_annotation
    assert selected is not None and selected.id == made.id
    assert any(a.id == made.id for a in view.pages.annotations[2])


def test_a_note_edited_in_the_app_is_searched_as_it_now_is(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    made = library.annotate(1, 2, quote="supply columns", note="ask about Glaise")
    window = make_window(qtbot, library, tmp_path / "settings.ini")
    assert [h.annotation for h in search(qtbot, window, "Glaise")] == [made.id]
    window.annotator.edit_note(made, "ask about Jodl")
    # The shown search runs again after the edit's notice: the old word finds nothing.
    qtbot.waitUntil(lambda: window.search_panel.model.rowCount() == 0, timeout=10_000)
    assert [h.annotation for h in search(qtbot, window, "Jodl")] == [made.id]
    window.undo_action.trigger()  # Edit → Undo
    qtbot.waitUntil(lambda: window.search_panel.model.rowCount() == 0, timeout=10_000)
    assert [h.annotation for h in search(qtbot, window, "Glaise")] == [made.id]


def test_sharing_an_annotation_from_the_menu_lets_other_readers_find_it(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    made = library.annotate(1, 2, quote="supply columns", note="ask about Glaise")
    window = make_window(qtbot, library, tmp_path / "settings.ini")
    view = window.open_document(1)
    view.select_annotation(made)
    window.share_annotation_action.trigger()  # Annotate → Share Annotation with Everyone
    qtbot.waitUntil(lambda: library.annotation(made.id).shared, timeout=10_000)
    with Library(library.folder, user="ben") as ben:
        assert [h.annotation for h in ben.search("Glaise").hits] == [made.id]
    qtbot.waitUntil(lambda: bool(view.selected_annotation() and view.selected_annotation().shared))
    window.share_annotation_action.trigger()  # again: hers alone
    qtbot.waitUntil(lambda: not library.annotation(made.id).shared, timeout=10_000)
    with Library(library.folder, user="ben") as ben:
        assert ben.search("Glaise").hits == []
