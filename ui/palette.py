"""Light and dark palettes on Qt's Fusion style, the same on every platform. Each sets every
colour role (active and disabled) so that no widget keeps a colour of the other palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK_SETTING = "view/dark"
Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_DARK = {
    Role.Window: QColor(45, 45, 48),
    Role.WindowText: QColor(230, 230, 230),
    Role.Base: QColor(30, 30, 32),
    Role.AlternateBase: QColor(40, 40, 44),
    Role.ToolTipBase: QColor(60, 60, 64),
    Role.ToolTipText: QColor(230, 230, 230),
    Role.Text: QColor(230, 230, 230),
    Role.Button: QColor(50, 50, 54),
    Role.ButtonText: QColor(230, 230, 230),
    Role.BrightText: QColor(255, 90, 90),
    Role.Light: QColor(75, 75, 80),
    Role.Midlight: QColor(62, 62, 66),
    Role.Mid: QColor(70, 70, 74),
    Role.Dark: QColor(25, 25, 27),
    Role.Shadow: QColor(0, 0, 0),
    Role.Highlight: QColor(70, 130, 200),
    Role.HighlightedText: QColor(255, 255, 255),
    Role.Link: QColor(120, 170, 240),
    Role.LinkVisited: QColor(170, 140, 230),
    Role.PlaceholderText: QColor(150, 150, 150),
}
_DARK_DISABLED = {
    Role.WindowText: QColor(125, 125, 125),
    Role.Text: QColor(125, 125, 125),
    Role.ButtonText: QColor(125, 125, 125),
    Role.HighlightedText: QColor(180, 180, 180),
}


def palette(dark: bool) -> QPalette:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    chosen = QPalette(app.style().standardPalette())
    if dark:
        for role, colour in _DARK.items():
            chosen.setColor(role, colour)  # every group
        for role, colour in _DARK_DISABLED.items():
            chosen.setColor(Group.Disabled, role, colour)
    return chosen


def apply_palette(app: QApplication, dark: bool) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
