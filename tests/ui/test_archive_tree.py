"""The archive tree beside the library table, driven as a researcher drives it: clicking a
place lists its documents and scopes the search (a chip says where, and a click on it lifts
the scope), dropping documents from the table on a place files them there and Ctrl+Z puts
them back, both reindexed; values of ten thousand characters are cut, never widening the
panels; `gui --screenshot --view tree` shows it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage, QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from archive_reader.main import main as cli_main
from reader.cli import parse_arguments
from reader.library import Library
from tests.archive_catalog import CATALOG, LONG, make_catalog
from ui.app import show_view
from ui.archive_tree import PLACE_ROLE, SHOWN_CHARS, TOOLTIP_CHARS, ArchiveTreePanel
from ui.library_panel import DOCUMENT_ROLE, documents_mime
from ui.main_window import MainWindow
from ui.workers import Operations

RG_238 = {"nara-box2", "nara-box10", "nara-rg-box7", "nara-t311"}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive-ui")
    make_catalog(root / "library", root / "files")
    return root / "library"


@pytest.fixture
def window(qtbot: QtBot, catalog: Path, tmp_path: Path) -> Iterator[MainWindow]:
    shutil.copytree(catalog, tmp_path / "library")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    with Library(tmp_path / "library") as library:
        opened = MainWindow(library, settings)
        qtbot.addWidget(opened)
        opened.resize(1366, 768)
        opened.show()
        qtbot.waitActive(opened)
        assert opened.wait_until_idle()
        yield opened
        opened.wait_until_idle()


def find(tree: ArchiveTreePanel, *labels: str) -> QModelIndex:
    """The node reached by these labels from "All documents", opened on the way."""
    index = tree.model.index(0, 0)
    for label in labels:
        tree.view.expand(index)
        rows = range(tree.model.rowCount(index))
        index = next(
            child
            for child in (tree.model.index(row, 0, index) for row in rows)
            if tree.model.node(child) is not None and tree.model.node(child).label == label  # type: ignore[union-attr]
        )
    tree.view.scrollTo(index)
    return index


def click(qtbot: QtBot, tree: ArchiveTreePanel, index: QModelIndex) -> None:
    qtbot.mouseClick(
        tree.view.viewport(), Qt.MouseButton.LeftButton, pos=tree.view.visualRect(index).center()
    )


def listed(window: MainWindow) -> set[str]:
    proxy = window.library_panel.proxy
    return {proxy.index(row, 0).data(DOCUMENT_ROLE).title for row in range(proxy.rowCount())}


def test_the_tree_counts_documents_and_cuts_long_values(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.archive_tree
    top = tree.model.index(0, 0)
    assert (top.data(), top.siblingAtColumn(1).data()) == ("All documents", "14")
    shown = [
        (tree.model.index(row, 0, top).data(), tree.model.index(row, 1, top).data())
        for row in range(tree.model.rowCount(top))
    ]
    # Cyrillic sorts as it is transliterated (index.folding): "vojni arhiv" first.
    assert shown == [
        ("Bundesarchiv-Militärarchiv, Freiburg", "3"), ("NARA", "6"),
        ("Војни архив", "1"), ("Vojni arhiv, Beograd", "2"), ("Unfiled", "2"),
    ]  # fmt: skip
    assert find(tree, "Vojni arhiv, Beograd", "Box 12").siblingAtColumn(1).data() == "2"
    long = find(tree, "NARA", LONG)
    assert len(long.data()) <= SHOWN_CHARS
    tip = long.data(Qt.ItemDataRole.ToolTipRole).replace("\u200b", "")
    assert LONG[:TOOLTIP_CHARS] + "… (10,000 characters)" in tip
    # Cut, the value leaves the panels as wide as they were, and the tree never scrolls sideways.
    docks = window.library_dock.width()
    click(qtbot, tree, long)
    qtbot.waitUntil(lambda: window.search_panel.scope_chip.isVisibleTo(window.search_panel))
    assert window.library_dock.width() == docks
    assert tree.view.header().length() <= tree.view.viewport().width()
    chip = window.search_panel.scope_chip
    assert search_in_panel(qtbot, window, "Mostar") == {"nara-long"}  # a search in the place
    assert chip.isVisible() and chip.width() <= window.search_panel.width()
    assert chip.text().endswith("✕") and len(chip.text()) < 200
    assert window.search_dock.width() == window.library_dock.width() == docks
    # Nothing in the panels asks for more room than the dock has: a long place would widen it.
    assert window.search_panel.minimumSizeHint().width() <= docks
    assert window.library_split.minimumSizeHint().width() <= docks


def test_clicking_a_place_lists_only_its_documents(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.archive_tree
    assert len(listed(window)) == len(CATALOG)
    click(qtbot, tree, find(tree, "NARA"))
    assert listed(window) == RG_238 | {"nara-box7", "nara-long"}
    # Box 7 of NARA without a record group is not box 7 of RG 238.
    skipped = find(tree, "NARA", "Box 7")
    assert tuple(skipped.data(PLACE_ROLE)) == ("NARA", "", "", "7")
    click(qtbot, tree, skipped)
    assert listed(window) == {"nara-box7"}
    click(qtbot, tree, find(tree, "NARA", "RG 238", "Box 7"))
    assert listed(window) == {"nara-rg-box7"}
    click(qtbot, tree, find(tree, "Unfiled"))
    assert listed(window) == {"memoir", "article"}
    click(qtbot, tree, find(tree))
    assert len(listed(window)) == len(CATALOG)


def search_in_panel(qtbot: QtBot, window: MainWindow, text: str) -> set[str]:
    panel = window.search_panel
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(panel.query_box.hasFocus)
    panel.query_box.clear()
    qtbot.keyClicks(panel.query_box, text)
    qtbot.keyClick(panel.query_box, Qt.Key.Key_Return)
    assert window.wait_until_idle()
    return {panel.hit(row).title for row in range(panel.model.rowCount())}  # type: ignore[union-attr]


def test_a_chosen_place_scopes_the_search_until_its_chip_is_clicked(
    qtbot: QtBot, window: MainWindow
) -> None:
    tree, panel = window.archive_tree, window.search_panel
    assert len(search_in_panel(qtbot, window, "Mostar")) == len(CATALOG)
    click(qtbot, tree, find(tree, "NARA", "RG 238"))
    assert window.wait_until_idle()  # the search shown runs again within the place
    assert {panel.hit(row).title for row in range(panel.model.rowCount())} == RG_238  # type: ignore[union-attr]
    assert search_in_panel(qtbot, window, "bridge") == RG_238
    chip = panel.scope_chip
    assert chip.isVisible() and chip.text().startswith("in: NARA › RG 238")
    assert 'rg:"238"' in chip.toolTip()
    assert "in NARA › RG 238" in panel.status.text()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.wait_until_idle()
    assert not chip.isVisible()
    assert len({panel.hit(row).title for row in range(panel.model.rowCount())}) == len(CATALOG)
    assert tree.selected_place() == ()  # the tree shows the whole library again
    assert len(listed(window)) == len(CATALOG)


def drag_rows_onto(window: MainWindow, titles: set[str], target: QModelIndex) -> None:
    """What dragging the selected rows of the table onto a node does: the table's model gives
    the drag's data, and the tree's viewport is entered, moved over and dropped on."""
    table, proxy = window.library_panel.table, window.library_panel.proxy
    table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(DOCUMENT_ROLE).title in titles:
            table.selectionModel().select(proxy.index(row, 0), flags)
    data = proxy.mimeData(table.selectionModel().selectedIndexes())
    viewport = window.archive_tree.view.viewport()
    at = window.archive_tree.view.visualRect(target).center()
    action, button, no_keys = (
        Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    enter = QDragEnterEvent(at.toPointF(), action, data, button, no_keys)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(at.toPointF(), action, data, button, no_keys)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    drop = QDropEvent(at.toPointF(), action, data, button, no_keys)
    QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()


def series_nokw(window: MainWindow) -> set[str]:
    return {hit.title for hit in window.library.search("series:NOKW", limit=50).hits}


def test_dropping_documents_on_a_place_files_them_and_ctrl_z_puts_them_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    tree = window.archive_tree
    drag_rows_onto(window, {"memoir", "barch-20"}, find(tree, "NARA", "RG 238", "NOKW"))
    assert window.wait_until_idle()
    assert series_nokw(window) == {"nara-box2", "nara-box10", "memoir", "barch-20"}
    assert find(tree, "NARA", "RG 238", "NOKW").siblingAtColumn(1).data() == "4"
    assert find(tree, "Unfiled").siblingAtColumn(1).data() == "1"
    assert "Filed 2 documents in NARA › RG 238 › NOKW" in window.statusBar().currentMessage()
    assert window.undo_action.text().startswith("&Undo File 2 documents")

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.wait_until_idle()
    assert series_nokw(window) == {"nara-box2", "nara-box10"}
    barch = next(d for d in window.library.documents() if d.title == "barch-20")
    assert (barch.repository, barch.record_group, barch.item) == (
        CATALOG["barch-20"][0],
        "RH 26-118",
        "20",
    )
    assert find(tree, "Unfiled").siblingAtColumn(1).data() == "2"

    window.redo_action.trigger()
    assert window.wait_until_idle()
    assert series_nokw(window) == {"nara-box2", "nara-box10", "memoir", "barch-20"}


def test_a_drop_between_places_or_on_the_whole_library_files_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = window.archive_tree.model
    data = window.library_panel.proxy.mimeData([window.library_panel.proxy.index(0, 0)])
    nara = find(window.archive_tree, "NARA")
    assert model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, nara)
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, nara)
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, model.index(0, 0))


def test_a_read_only_library_takes_no_drops(qtbot: QtBot, catalog: Path) -> None:
    with Library(catalog, read_only=True) as library:
        panel = ArchiveTreePanel(library, Operations(), QUndoStack())
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0)  # read off the GUI thread
        nara = find(panel, "NARA")
        data = documents_mime([1])
        assert not panel.model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, nara)
        assert not panel.view.acceptDrops()


def test_view_tree_brings_the_tree_forward_and_the_screenshot_shows_it(
    qtbot: QtBot, window: MainWindow, catalog: Path, tmp_path: Path
) -> None:
    window.named_actions["archive_order"].trigger()  # hidden, as a reader may leave it
    assert not window.archive_tree.isVisible()
    window.focus_search()
    show_view(window, parse_arguments(["gui", "--view", "tree"]))
    assert window.archive_tree.isVisible() and window.named_actions["archive_order"].isChecked()
    tree = window.archive_tree
    assert tree.view.isExpanded(tree.model.index_of(("NARA", "RG 238")))
    assert not window.library_dock.visibleRegion().isEmpty()

    shot = tmp_path / "tree.png"
    code = cli_main(["--library", str(catalog), "gui", "--screenshot", str(shot), "--view", "tree"])
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    with pytest.raises(SystemExit):  # a view the app does not have
        parse_arguments(["gui", "--view", "map"])
