"""Writing a note: the passage it annotates shown above a wrapping note box; Ctrl+Return
saves, Escape cancels; placed beside the passage, not over it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

QUOTE_CHARS = 400


class NoteDialog(QDialog):
    def __init__(self, title: str, quote: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        quoted = " ".join(quote.split())
        if len(quoted) > QUOTE_CHARS:
            quoted = quoted[: QUOTE_CHARS - 1] + "…"
        self.quote = QLabel(f"“{quoted}”" if quoted else "")
        self.quote.setWordWrap(True)
        self.quote.setVisible(bool(quoted))
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.quote.font()
        font.setItalic(True)
        self.quote.setFont(font)
        self.editor = QPlainTextEdit(note)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setPlaceholderText("Your note…  (Ctrl+Return saves)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(420, 300)
        self.editor.setFocus()

    def note(self) -> str:
        return self.editor.toPlainText()

    def place_beside(self, passage: QRect, screen: QRect) -> None:
        """On whichever side of the passage has more room, level with it."""
        right_room = screen.right() - passage.right()
        left_room = passage.left() - screen.left()
        x = passage.right() + 16 if right_room >= left_room else passage.left() - 16 - self.width()
        x = min(max(x, screen.left()), screen.right() - self.width())
        y = min(max(passage.top() - 40, screen.top()), screen.bottom() - self.height())
        self.move(QPoint(x, y))
