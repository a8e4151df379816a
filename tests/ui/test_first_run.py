"""The first run as a new user meets it: `archive-reader gui --sample` on an empty library
imports the sample (off the GUI thread, with progress), then shows the sample article beside
the first page it cites, the passage marked, with a one-line hint; the second start does not.
And the library table: every column shown readable at 1366×768, long fields cut."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from reader.cli import parse_arguments
from reader.library import Library
from reader.records import MetadataChanges
from ui.app import run
from ui.library_panel import COLUMNS, HIDDEN_AT_FIRST
from ui.main_window import MainWindow

IMPORT_SECONDS = 300  # the sample's OCR on a slow two-core machine


@pytest.fixture
def user_settings(tmp_path: Path) -> Iterator[Path]:
    """The app's own settings (QSettings in the user's scope) in a folder of the test's."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder.parent))


def start_app(folder: Path, look: Callable[[MainWindow], bool]) -> int:
    """`archive-reader --library FOLDER gui --sample`, as ./dev app starts it; `look` is
    asked every 200 ms whether it has seen what it waits for, and the window is closed then."""
    deadline = time.monotonic() + IMPORT_SECONDS

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]  # fmt: skip
        if windows and (look(windows[0]) or time.monotonic() > deadline):
            windows[0].close()
            QApplication.quit()
            return
        QTimer.singleShot(200, poll)

    QTimer.singleShot(0, poll)
    return run(parse_arguments(["--library", str(folder), "gui", "--sample"]))


@pytest.mark.slow
def test_the_first_run_shows_the_article_beside_its_source_and_the_second_start_does_not(
    qtbot: QtBot, tmp_path: Path, user_settings: Path
) -> None:
    folder = tmp_path / "library"
    seen: dict[str, Any] = {}

    def first_look(window: MainWindow) -> bool:
        if window.long_job is not None:  # the import runs while the window answers
            seen["job"] = window.long_job.title
            seen.setdefault("progress", []).append(window.progress.label.text())
            return False
        if not window.right.isVisible():
            imported = seen.setdefault("imported", time.monotonic())
            return time.monotonic() - imported > 15  # long enough to open two documents
        left, right = window.left, window.right
        seen["article"] = left.info.title if left.info else None
        seen["primary"] = right.info.identifiers if right.info else None
        seen["page"] = right.pages.current_page()
        seen["passage"] = right.pages.focus
        seen["marked"] = [left.article.toPlainText()[s:e] for s, e, what in
                          left.article.marks() if what == "focus"]  # fmt: skip
        seen["hint"] = window.hint.isVisible(), window.hint.label.text()
        label = window.hint.label
        seen["hint fits"] = label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        qtbot.mouseClick(window.hint.close_button, Qt.MouseButton.LeftButton)
        seen["dismissed"] = not window.hint.isVisible()
        return True

    assert start_app(folder, first_look) == 0
    assert seen["job"] == "Importing the sample collection"
    assert any("pages read (OCR)" in text for text in seen["progress"])  # the OCR is shown too
    assert "article" in seen, "the import ended, and no article was shown beside its source"
    assert seen["article"] == "Orders and Their Echoes: The Nevesinje Operation of March 1943"
    assert seen["primary"] == ["NOKW-1088"] and seen["page"] == 2
    page, boxes = seen["passage"]
    assert page == 2 and boxes  # the passage marked on the scan
    assert seen["marked"] and seen["marked"][0].startswith("the order stood: no village")
    shown, hint = seen["hint"]
    assert shown and seen["hint fits"] and seen["dismissed"]
    assert "F8" in hint and "next citation" in hint and "Ctrl+Shift+L" in hint
    with Library(folder) as library:
        documents = len(library.documents())
    assert documents == 7

    again: dict[str, Any] = {}

    def second_look(window: MainWindow) -> bool:
        if window.library_panel.model.rowCount() == 0:
            return False
        assert window.wait_until_idle()
        again["job"] = window.long_job
        again["left"], again["right"] = window.left.info, window.right.isVisible()
        again["hint"] = window.hint.isVisible()
        return True

    assert start_app(folder, second_look) == 0
    assert again == {"job": None, "left": None, "right": False, "hint": False}
    with Library(folder) as library:
        assert len(library.documents()) == documents  # nothing imported again


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
