"""The first run as a new user meets it: `archive-reader gui --sample` on an empty library
imports the sample (off the GUI thread, with progress), then shows the sample article beside
the first page it cites, the passage marked, with a one-line hint; the second start does not.
And the library table: every column shown readable at 1366×768, long fields cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from reader.cli import parse_arguments
from reader.library import Library
from reader.records import MetadataChanges
from ui.app import start_window
from ui.library_panel import COLUMNS, HIDDEN_AT_FIRST
from ui.main_window import MainWindow

IMPORT_SECONDS = 300  # the sample's OCR on a slow two-core machine


def start(qtbot: QtBot, folder: Path, settings: Path) -> tuple[Library, MainWindow]:
    """`archive-reader --library FOLDER gui --sample`, as ./dev app starts it: the window
    shown, then what a start does (ui.app.start_window, as ui.app.run calls it)."""
    library = Library(folder)
    window = MainWindow(library, QSettings(str(settings), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    args = parse_arguments(["--library", str(folder), "gui", "--sample"])
    assert start_window(window, args) is None
    return library, window


def close(window: MainWindow, library: Library) -> None:
    assert window.wait_until_idle()
    window.close()
    library.close()


@pytest.mark.slow
def test_the_first_run_shows_the_article_beside_its_source_and_the_second_start_does_not(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder, settings = tmp_path / "library", tmp_path / "settings.ini"
    library, window = start(qtbot, folder, settings)
    job = window.long_job  # the import runs off the GUI thread, its progress shown
    assert job is not None and job.title == "Importing the sample collection"
    shown: list[str] = []
    job.signals.progress.connect(lambda *_: shown.append(window.progress.label.text()))
    qtbot.waitUntil(lambda: window.long_job is None, timeout=IMPORT_SECONDS * 1000)
    assert any("pages read (OCR)" in text for text in shown)  # the OCR shows its progress too
    qtbot.waitUntil(window.right.isVisible, timeout=15_000)

    left, right = window.left, window.right
    assert left.info is not None and left.info.title == (
        "Orders and Their Echoes: The Nevesinje Operation of March 1943"
    )
    assert right.info is not None and right.info.identifiers == ["NOKW-1088"]
    assert right.pages.current_page() == 2
    assert right.pages.focus is not None
    page, boxes = right.pages.focus
    assert page == 2 and boxes  # the passage marked on the scan
    marked = [left.article.toPlainText()[s:e] for s, e, what in left.article.marks()
              if what == "focus"]  # fmt: skip
    assert marked and marked[0].startswith("the order stood: no village")
    hint = window.hint.label
    assert window.hint.isVisible()
    assert "F8" in hint.text() and "next citation" in hint.text() and "Ctrl+Shift+L" in hint.text()
    assert hint.fontMetrics().horizontalAdvance(hint.text()) <= hint.width()  # one line
    qtbot.mouseClick(window.hint.close_button, Qt.MouseButton.LeftButton)
    assert not window.hint.isVisible()
    documents = len(library.documents())
    assert documents == 7
    close(window, library)

    library, window = start(qtbot, folder, settings)  # the second start
    assert window.long_job is None and window.library_panel.model.rowCount() == documents
    assert window.wait_until_idle()
    assert window.left.info is None and not window.right.isVisible()
    assert not window.hint.isVisible()
    assert len(library.documents()) == documents  # nothing imported again
    close(window, library)


@pytest.fixture
def long_fields_library(tmp_path: Path) -> Iterator[Library]:
    """Documents with ordinary fields and one whose title, identifiers and collection run to
    10,000 characters."""
    files = tmp_path / "files"
    files.mkdir()
    for name in ("NOKW-1088", "NO-3012", "memoir"):
        (files / f"{name}.txt").write_text(f"The text of {name} about the supply columns.")
    with Library(tmp_path / "library") as library:
        report = library.import_paths([files], kind="primary", collection="Nuremberg")
        longest = next(d for d in report.imported if d.path.endswith("memoir.txt"))
        library.update_metadata(
            longest.id,
            MetadataChanges(
                title="The supply columns " * 527,  # 10,013 characters
                collection="X" * 10_000,
                user_identifiers=[f"NOKW-{n}" for n in range(2000, 3000)],
                date="1943-03-12",
            ),
        )
        yield library


def test_every_column_shown_is_readable_at_1366_by_768_and_long_fields_are_cut(
    qtbot: QtBot, long_fields_library: Library, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(long_fields_library, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.wait_until_idle()
    table = window.library_panel.table
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    shown = [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]
    assert [COLUMNS[c][0] for c in shown] == ["Title", "Identifiers", "Date"]

    for column in shown:
        name = COLUMNS[column][0]
        assert table.columnWidth(column) >= metrics.horizontalAdvance(name) + 8, name
    assert table.columnWidth(0) >= metrics.averageCharWidth() * 12  # a dozen letters, at least
    assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width() + 1
    dock = window.library_dock.width()
    assert dock >= 340 and window.reading.width() > 800  # the reader keeps the room it needs

    # The header's menu offers the hidden columns; one shown is readable too.
    menu = window.library_panel.column_menu()
    offered = {a.text(): a for a in menu.actions()}
    assert set(offered) == {name for name, _ in COLUMNS[1:]}
    assert {name for name, a in offered.items() if not a.isChecked()} == HIDDEN_AT_FIRST
    offered["Pages"].trigger()
    pages = next(c for c, (name, _) in enumerate(COLUMNS) if name == "Pages")
    assert not header.isSectionHidden(pages)
    assert table.columnWidth(pages) >= metrics.horizontalAdvance("Pages") + 8
    assert window.library_dock.width() == dock

    # The 10,000-character fields: cut in the cell, whole (up to a limit) when hovered.
    model = window.library_panel.proxy
    row = next(r for r in range(model.rowCount())
               if len(str(model.index(r, 0).data(Qt.ItemDataRole.EditRole))) > 10_000)  # fmt: skip
    assert len(model.index(row, 0).data()) <= 300
    rect = table.visualRect(model.index(row, 0))
    other = table.visualRect(model.index((row + 1) % model.rowCount(), 0))
    assert rect.height() == other.height()  # one line, as any other row
    point = rect.center()
    QApplication.sendEvent(
        table.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, point, table.viewport().mapToGlobal(point)),
    )
    assert QToolTip.text().startswith("The supply columns The supply columns")
    assert 1000 < len(QToolTip.text()) < 3000
    assert window.library_dock.width() == dock and table.columnWidth(1) < 250

    # The columns shown and their widths are remembered.
    window.close()
    again = MainWindow(long_fields_library, settings)
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    assert not again.library_panel.table.horizontalHeader().isSectionHidden(pages)
    assert again.library_panel.table.columnWidth(pages) == table.columnWidth(pages)
