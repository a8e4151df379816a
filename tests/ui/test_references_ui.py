"""References from the window: Copy Reference on a document of the library and on a citation
(a readable line and RIS on the clipboard), and File → Export References of the selected
documents (else all) as RIS or CSL-JSON by the dialog's filter, read back as a consumer would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import rispy
from PySide6.QtCore import QItemSelectionModel, QMimeData, QSettings
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import CitationInfo, MetadataChanges
from reader.reference_formats import RIS_MIME
from ui.citations_panel import ITEM_ROLE, CitationsPanel
from ui.library_panel import LibraryPanel
from ui.main_window import MainWindow
from ui.main_window.exporting import CSL_FILTER, RIS_FILTER, reference_file
from ui.workers import Operations

PAGES = [
    "Befehl NOKW-1088 vom 12. März 1943.",
    "The order stood: no village that sheltered the bands was to be spared.",
]
ARTICLE = """<html><head><title>Orders</title></head><body><p>The report (NOKW 1088) says
"the order stood: no village that sheltered the bands was to be spared", and NOKW-1089 is
missing from the files.</p></body></html>"""
LINE = (
    "Warlimont, Walter, “Befehl über die Straße nach Gacko,” March 12, 1943, NOKW-1088, "
    "Record Group 238, Box 7, Národní archiv."
)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Library]:
    born_digital_pdf(tmp_path / "NOKW-1088.pdf", PAGES, title="Befehl über die Straße nach Gacko")
    born_digital_pdf(tmp_path / "NOKW-1080.pdf", ["Bericht NOKW-1080."], title="Bericht")
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    with Library(tmp_path / "library") as library:
        library.import_paths([tmp_path / "NOKW-1088.pdf", tmp_path / "NOKW-1080.pdf"],
                             kind="primary")  # fmt: skip
        library.import_paths([tmp_path / "article.html"], kind="secondary")
        library.update_metadata(
            "NOKW-1088",
            MetadataChanges(authors=["Warlimont, Walter"], date="1943-03-12",
                            repository="Národní archiv", record_group="238", box="7"),
        )  # fmt: skip
        yield library


def clipboard_after(qtbot: QtBot, trigger: object) -> QMimeData:
    """What the clipboard holds once the copy asked by `trigger` has run."""
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    trigger()  # type: ignore[operator]

    def copied() -> bool:
        mime = clipboard.mimeData()
        return mime is not None and mime.hasFormat(RIS_MIME)

    qtbot.waitUntil(copied, timeout=10_000)
    return clipboard.mimeData()


def ris_of(mime: QMimeData) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = rispy.loads(bytes(mime.data(RIS_MIME).data()).decode())
    return entries


def test_copy_reference_of_a_document_in_the_library(qtbot: QtBot, archive: Library) -> None:
    ops = Operations()
    panel = LibraryPanel(archive, ops)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    messages: list[str] = []
    panel.message.connect(messages.append)
    rows = {d.title: row for row, d in enumerate(panel.model.documents)}

    def point_at(title: str) -> object:
        index = panel.proxy.mapFromSource(panel.model.index(rows[title], 0))
        return panel.table.visualRect(index).center()

    menu = panel.context_menu(point_at("Befehl über die Straße nach Gacko"))  # type: ignore[arg-type]
    assert menu is not None
    (copy,) = menu.actions()
    assert copy.text() == "Copy &Reference"
    mime = clipboard_after(qtbot, copy.trigger)
    assert mime.text() == LINE
    (entry,) = ris_of(mime)
    assert entry["type_of_reference"] == "MANSCPT"
    assert (entry["name_of_database"], entry["accession_number"]) == (
        "Národní archiv", "Record Group 238, Box 7",
    )  # fmt: skip
    qtbot.waitUntil(lambda: messages == [f"Copied {LINE}"], timeout=5000)

    # Two rows selected, the menu of one of them: both are copied.
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for title in ("Befehl über die Straße nach Gacko", "Bericht"):
        index = panel.proxy.mapFromSource(panel.model.index(rows[title], 0))
        panel.table.selectionModel().select(index, flags)
    menu = panel.context_menu(point_at("Bericht"))  # type: ignore[arg-type]
    assert menu is not None
    mime = clipboard_after(qtbot, menu.actions()[0].trigger)
    assert {e["title"] for e in ris_of(mime)} == {"Befehl über die Straße nach Gacko", "Bericht"}
    assert len(mime.text().splitlines()) == 2


def test_copy_reference_of_a_citation_names_the_cited_page(qtbot: QtBot, archive: Library) -> None:
    ops = Operations()
    panel = CitationsPanel(archive, ops)
    qtbot.addWidget(panel)
    panel.resize(600, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_document(archive.document("article.html"))
    items = [panel.citations.item(row) for row in range(panel.citations.count())]
    by_kind: dict[str, list[object]] = {}
    for item in items:
        citation = item.data(ITEM_ROLE)
        assert isinstance(citation, CitationInfo)
        key = "gap" if citation.target is None else citation.kind
        by_kind.setdefault(key, []).append(item)

    quote = by_kind["quote"][0]
    at = panel.citations.visualItemRect(quote).center()  # type: ignore[arg-type]
    menu = panel.context_menu(panel.citations, at)
    assert menu is not None
    mime = clipboard_after(qtbot, menu.actions()[0].trigger)
    assert mime.text() == LINE.replace("Box 7,", "Box 7, p. 2,")
    (entry,) = ris_of(mime)
    assert entry["accession_number"] == "Record Group 238, Box 7, p. 2"

    # The identifier alone names no page; a gap leads nowhere and has nothing to copy.
    identifier = by_kind["identifier"][0]
    at = panel.citations.visualItemRect(identifier).center()  # type: ignore[arg-type]
    menu = panel.context_menu(panel.citations, at)
    assert menu is not None
    assert clipboard_after(qtbot, menu.actions()[0].trigger).text() == LINE
    gap = by_kind["gap"][0]
    at = panel.citations.visualItemRect(gap).center()  # type: ignore[arg-type]
    assert panel.context_menu(panel.citations, at) is None


def test_export_references_writes_the_selected_documents_or_all(
    qtbot: QtBot, archive: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(archive, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    action = window.action("export_references")
    assert action in window.menuBar().actions()[0].menu().actions()  # File
    asked: list[tuple[str, str]] = []

    def save_as(path: Path, chosen: str) -> None:
        def dialog(_parent: object, title: str, _name: str, filters: str) -> tuple[str, str]:
            asked.append((title, filters))
            return str(path), chosen

        monkeypatch.setattr("ui.main_window.exporting.QFileDialog.getSaveFileName", dialog)

    # One document selected, the CSL-JSON filter chosen, no ending typed: a .json file.
    window.library_panel.select(archive.resolve("NOKW-1080"))
    save_as(tmp_path / "out" / "selected", CSL_FILTER)
    action.trigger()
    assert window.wait_until_idle()
    items = json.loads((tmp_path / "out" / "selected.json").read_text(encoding="utf-8"))
    assert [(i["type"], i["title"], i["call-number"]) for i in items] == [
        ("manuscript", "Bericht", "NOKW-1080")
    ]
    assert asked[-1] == ("Export references (1 selected)", f"{RIS_FILTER};;{CSL_FILTER}")

    # Nothing selected: every primary document (not the article), as RIS by the file's name.
    window.library_panel.table.clearSelection()
    save_as(tmp_path / "out" / "all.ris", CSL_FILTER)
    action.trigger()
    assert window.wait_until_idle()
    entries = rispy.loads((tmp_path / "out" / "all.ris").read_text(encoding="utf-8"))
    assert {e["title"] for e in entries} == {"Befehl über die Straße nach Gacko", "Bericht"}
    assert asked[-1][0] == "Export references (every primary document)"


def test_the_file_name_then_the_filter_choose_the_format(tmp_path: Path) -> None:
    assert reference_file(tmp_path / "a.JSON", RIS_FILTER) == (tmp_path / "a.JSON", "csljson")
    assert reference_file(tmp_path / "a.ris", CSL_FILTER) == (tmp_path / "a.ris", "ris")
    assert reference_file(tmp_path / "a", RIS_FILTER) == (tmp_path / "a.ris", "ris")
    assert reference_file(tmp_path / "a.txt", CSL_FILTER) == (tmp_path / "a.txt.json", "csljson")


def test_copy_reference_shortcut_names_the_page_shown(
    qtbot: QtBot, archive: Library, tmp_path: Path
) -> None:
    """Edit → Copy Reference (Ctrl+Shift+C) copies the open document at the page shown; with
    no document open, the documents selected in the library."""
    window = MainWindow(archive, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    action = window.action("copy_reference")
    assert action.shortcut().toString() == "Ctrl+Shift+C"
    window.library_panel.select(archive.resolve("NOKW-1080"))
    (entry,) = ris_of(clipboard_after(qtbot, action.trigger))
    assert entry["title"] == "Bericht"

    view = window.open_document(archive.resolve("NOKW-1088"))
    view.go_to_page(2)
    qtbot.waitUntil(lambda: view.current_page() == 2, timeout=5000)
    mime = clipboard_after(qtbot, action.trigger)
    assert mime.text() == LINE.replace("Box 7,", "Box 7, p. 2,")
    (entry,) = ris_of(mime)
    assert entry["accession_number"] == "Record Group 238, Box 7, p. 2"
