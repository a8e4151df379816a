"""Tooltips that depend on what is under the mouse in a view's viewport."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget


def answer_tooltip(event: QEvent, viewport: QWidget, text_at: Callable[[QPoint], str]) -> bool:
    """Show the text for the point of a ToolTip event (none: hide the tip). True when the event
    was a tooltip, and so handled."""
    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    text = text_at(event.pos())
    if text:
        QToolTip.showText(event.globalPos(), text, viewport)
    else:
        QToolTip.hideText()
    return True
