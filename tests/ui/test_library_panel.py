"""The library table marks a date read from a file name or a first page as guessed until a
person confirms it, and reads the catalog again after a change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import MetadataChanges
from ui.changes import Changes
from ui.library_panel import DATE_COLUMN, LibraryPanel
from ui.workers import Operations


def test_a_guessed_date_is_marked_until_confirmed(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    born_digital_pdf(tmp_path / "1943-03-17 report.pdf", ["A report on the bridge at Mostar."])
    (made,) = library.import_paths([tmp_path / "1943-03-17 report.pdf"]).imported
    ops = Operations()
    panel = LibraryPanel(library, ops)
    qtbot.addWidget(panel)
    cell = panel.model.index(0, DATE_COLUMN)
    assert cell.data() == "1943-03-17 ?"
    assert "file name" in cell.data(Qt.ItemDataRole.ToolTipRole)

    library.update_metadata(made.id, MetadataChanges(date="1943-03-17"))
    ops.announce(Changes.of(documents=[made.id]))
    qtbot.waitUntil(lambda: panel.model.index(0, DATE_COLUMN).data() == "1943-03-17", timeout=5000)
