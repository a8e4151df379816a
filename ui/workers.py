"""Background work for the window: each job runs a library call on a QThreadPool thread,
reports progress through signals and can be cancelled; the GUI thread never waits on it."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from reader.catalog import CatalogError
from reader.library import DocumentNotFound
from reader.metadata import InvalidMetadata
from reader.render import RenderError

# Failures a researcher can act on are shown as their message; anything else as a short report.
EXPECTED_ERRORS = (CatalogError, DocumentNotFound, InvalidMetadata, RenderError, OSError)


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what is being worked on
    finished = Signal(object)  # the work's result
    failed = Signal(str)  # a message for the researcher


class Job(QRunnable):
    """`work(job)` runs off the GUI thread; it may call job.report() and job.cancelled()."""

    def __init__(self, title: str, work: Callable[[Job], Any]) -> None:
        super().__init__()
        self.title = title
        self.work = work
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the window holds the job until its signals are delivered

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, text: str = "") -> None:
        self.signals.progress.emit(done, total, text)

    def run(self) -> None:
        try:
            result = self.work(self)
        except EXPECTED_ERRORS as exc:
            self.signals.failed.emit(f"{self.title}: {exc}")
        except Exception as exc:
            traceback.print_exc()
            self.signals.failed.emit(f"{self.title} failed unexpectedly: {exc!r}")
        else:
            self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts jobs on a pool and keeps them alive until they end."""

    started = Signal(object)
    ended = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.running: list[Job] = []

    def start(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> Job:
        if on_done is not None:
            job.signals.finished.connect(on_done)
        if on_error is not None:
            job.signals.failed.connect(on_error)
        job.signals.finished.connect(lambda _result: self._end(job))
        job.signals.failed.connect(lambda _message: self._end(job))
        self.running.append(job)
        self.started.emit(job)
        self.pool.start(job)
        return job

    def _end(self, job: Job) -> None:
        if job in self.running:
            self.running.remove(job)
        self.ended.emit(job)

    def cancel_all(self) -> None:
        for job in self.running:
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
