"""The one way the window runs work off the GUI thread (after Anki's CollectionOp/QueryOp).

A `QueryOp` reads; a `WriteOp` writes and ends with one `Changes` notice that the panels and
views listen to. Writes run one at a time in the order they were asked (undo after add stays
after it); reads run beside them. A long write (import, OCR) shows its progress and can be
cancelled. A failure reaches the caller as the exception itself, so that the UI can tell a
read-only library from a locked file without reading message text.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from index.api import QueryError
from reader.annotations import AnnotationError
from reader.catalog import CatalogError
from reader.export import ExportError
from reader.library import DocumentNotFound, ReadOnlyLibrary
from reader.metadata import InvalidMetadata
from reader.render import RenderError
from ui.changes import Changes

T = TypeVar("T")

# Failures a researcher can act on are shown as their message; anything else as a short report.
EXPECTED_ERRORS = (
    CatalogError, DocumentNotFound, InvalidMetadata, RenderError, OSError, ReadOnlyLibrary,
    AnnotationError, ExportError, QueryError, ValueError,
)  # fmt: skip


def describe_failure(title: str, error: BaseException) -> str:
    if isinstance(error, EXPECTED_ERRORS):
        return f"{title}: {error}"
    return f"{title} failed unexpectedly: {error!r}"


class Progress:
    """Handed to the work: how far it has got, and whether the user asked it to stop."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._signals.progress.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class TaskSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what is being worked on
    succeeded = Signal(object)  # the work's result
    failed = Signal(object)  # the exception


@dataclass
class QueryOp(Generic[T]):
    """Work that only reads; `done` gets its result on the GUI thread."""

    title: str
    work: Callable[[Progress], T]
    done: Callable[[T], None] | None = None
    failed: Callable[[Exception], None] | None = None


@dataclass
class WriteOp(Generic[T]):
    """Work that writes; `changes` says from its result what it changed."""

    title: str
    work: Callable[[Progress], T]
    changes: Callable[[T], Changes]
    done: Callable[[T], None] | None = None
    failed: Callable[[Exception], None] | None = None
    long: bool = False  # shown with progress and Cancel in the status bar; one at a time


class Task(QRunnable):
    """One operation on its way through a thread pool."""

    def __init__(self, title: str, work: Callable[[Progress], Any], *, writes: bool) -> None:
        super().__init__()
        self.title = title
        self.work = work
        self.writes = writes
        self.signals = TaskSignals()
        self.progress = Progress(self.signals)
        self.setAutoDelete(False)  # held by Operations until its signals are delivered

    def cancel(self) -> None:
        self.progress.cancel()

    def cancelled(self) -> bool:
        return self.progress.cancelled()

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except Exception as exc:
            if not isinstance(exc, EXPECTED_ERRORS):
                traceback.print_exc()
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class Operations(QObject):
    """Runs the window's operations and tells everyone what each write changed."""

    changed = Signal(object)  # Changes: once after each write that changed something
    long_started = Signal(object)  # Task
    long_ended = Signal(object)  # Task
    failure = Signal(str)  # a message for an operation that has no failure handler of its own

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reads = QThreadPool(self)
        self.reads.setMaxThreadCount(4)
        self.writes = QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self.long_writes = QThreadPool(self)
        self.long_writes.setMaxThreadCount(1)
        self.running: list[Task] = []
        self.long: Task | None = None

    def run(self, op: QueryOp[T] | WriteOp[T]) -> Task:
        writes = isinstance(op, WriteOp)
        long = isinstance(op, WriteOp) and op.long
        if long and self.long is not None:
            raise RuntimeError(f"{self.long.title} is running")
        task = Task(op.title, op.work, writes=writes)
        task.signals.succeeded.connect(lambda result: self._succeeded(task, op, result))
        task.signals.failed.connect(lambda error: self._failed(task, op, error))
        self.running.append(task)
        if long:
            self.long = task
            self.long_started.emit(task)
        pool = self.long_writes if long else self.writes if writes else self.reads
        pool.start(task)
        return task

    def announce(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    def idle(self) -> bool:
        return not self.running

    def cancel_all(self) -> None:
        for task in self.running:
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return all(pool.waitForDone(msecs) for pool in (self.long_writes, self.writes, self.reads))

    def _succeeded(self, task: Task, op: QueryOp[Any] | WriteOp[Any], result: Any) -> None:
        self._end(task)
        if isinstance(op, WriteOp):
            self.announce(op.changes(result))
        if op.done is not None:
            op.done(result)

    def _failed(self, task: Task, op: QueryOp[Any] | WriteOp[Any], error: Exception) -> None:
        self._end(task)
        if isinstance(op, WriteOp) and op.long:
            # A long write commits as it goes: what it did before failing is there to show.
            self.announce(Changes.everything())
        if op.failed is not None:
            op.failed(error)
        else:
            self.failure.emit(describe_failure(op.title, error))

    def _end(self, task: Task) -> None:
        if task in self.running:
            self.running.remove(task)
        if task is self.long:
            self.long = None
            self.long_ended.emit(task)
