"""Long work in the status bar: what runs, how far it has got, and a Cancel button; cleared
as soon as the work ends, so that no finished job's message stays behind."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from ui.workers import Operations, Task


class LongWorkBar:
    def __init__(self, ops: Operations, bar: QStatusBar, parent: QWidget) -> None:
        self.ops = ops
        self.label = QLabel(parent)
        self.progress = QProgressBar(parent)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel", parent)
        self.cancel_button.setToolTip("Stop the import or OCR; what is done stays done")
        bar.addWidget(self.label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self.cancel)
        ops.long_started.connect(self._started)
        ops.long_ended.connect(self._ended)
        self._show(False)

    def cancel(self) -> None:
        task = self.ops.long
        if task is not None:
            task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{task.title}: stopping after the current item…")

    def _started(self, task: Task) -> None:
        self._show(True)
        self.progress.setRange(0, 0)
        self.label.setText(f"{task.title}…")
        task.signals.progress.connect(
            lambda done, total, text: self._progressed(task, done, total, text)
        )

    def _progressed(self, task: Task, done: int, total: int, text: str) -> None:
        if task is not self.ops.long:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.label.setText(f"{task.title}: {done} of {total}  {text}".rstrip())

    def _ended(self, _task: Task) -> None:
        self._show(False)
        self.label.clear()

    def _show(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)
        self.cancel_button.setEnabled(shown)
