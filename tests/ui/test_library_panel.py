"""The library table marks a date read from a file name or a first page as guessed until a
person confirms it, and reads the catalog again after a change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
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


def shown_titles(panel: LibraryPanel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def test_clicking_a_header_sorts_by_it_blanks_last_and_keeps_the_selection(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    for name, text in (
        ("Mostar report", "The bridge at Mostar held."),
        ("Aleksinac diary", "Rain all day at Aleksinac."),
        ("Zagreb telegram", "Columns left Zagreb by night."),
    ):
        born_digital_pdf(tmp_path / f"{name}.pdf", [text])
    library.import_paths(sorted(tmp_path.glob("*.pdf")))
    dated = {"Mostar report": "1943-03-17", "Zagreb telegram": "1941-04-10"}
    for document in library.documents():
        if document.title in dated:
            library.update_metadata(document.id, MetadataChanges(date=dated[document.title]))
    panel = LibraryPanel(library, Operations())
    qtbot.addWidget(panel)
    panel.resize(1000, 400)
    panel.show()
    header = panel.table.horizontalHeader()

    def click_header(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))  # fmt: skip

    click_header(0)
    assert shown_titles(panel) == ["Aleksinac diary", "Mostar report", "Zagreb telegram"]
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.table.visualRect(panel.proxy.index(1, 0)).center())  # fmt: skip
    assert [d.title for d in panel.selected_documents()] == ["Mostar report"]
    click_header(0)  # again: descending
    assert shown_titles(panel) == ["Zagreb telegram", "Mostar report", "Aleksinac diary"]
    click_header(DATE_COLUMN)
    assert shown_titles(panel) == ["Zagreb telegram", "Mostar report", "Aleksinac diary"]
    assert [d.title for d in panel.selected_documents()] == ["Mostar report"]
    panel.filter_box.setText("report")  # the filter keeps the order and the selection
    assert shown_titles(panel) == ["Mostar report"]
    panel.filter_box.clear()
    assert shown_titles(panel)[-1] == "Aleksinac diary"  # undated, last
    click_header(DATE_COLUMN)  # descending: undated still last
    assert shown_titles(panel) == ["Mostar report", "Zagreb telegram", "Aleksinac diary"]
