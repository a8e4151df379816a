"""A page whose text was attached from a transcription says so in the page-text pane, and its
words are there to read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from reader.library import Library
from tests.transcription_samples import ESCRIPTORIUM_ALTO_V4
from ui.main_window import MainWindow


def test_the_page_text_pane_names_a_transcription(
    qtbot: QtBot, tmp_path: Path, realdata: Path
) -> None:
    alto = tmp_path / "linn.xml"
    alto.write_text(ESCRIPTORIUM_ALTO_V4, encoding="utf-8")
    with Library(tmp_path / "library") as library:
        doc = library.import_paths([realdata / "linn.png"]).imported[0].id
        assert library.attach_transcriptions(doc, [alto]).pages
        window = MainWindow(library, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        view = window.open_document(doc)
        window.action("page_text").trigger()
        text = view.page_text.toPlainText()
        assert text.startswith("Transcription of page 1 (attached from ALTO or PAGE XML)")
        assert "multi-track tape recorder" in text
        assert window.wait_until_idle()
