"""The main window as the UI tests open it: at 1366×768, active, its first work done."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from reader.library import Library
from ui.main_window import MainWindow


def make_window(qtbot: QtBot, library: Library, settings_file: Path) -> MainWindow:
    window = MainWindow(library, QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.wait_until_idle()
    return window
