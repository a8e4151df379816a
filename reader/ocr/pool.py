"""OCR worker processes: one Tesseract per process, single-threaded, one per core.

Tesseract's own threading helps one page a little; one page per core in separate processes
(OMP_THREAD_LIMIT=1) keeps every core busy all the time.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from reader.ocr.engine import OcrResult, recognize
from reader.ocr.pageimage import load_page_image

_tessdata_dir = ""
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass(frozen=True)
class OcrTask:
    page_id: int
    document_id: int
    number: int
    path: str
    media_type: str
    width: float
    height: float
    languages: str


@dataclass(frozen=True)
class OcrOutcome:
    task: OcrTask
    result: OcrResult | None
    error: str = ""


def default_workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def _init_worker(tessdata_dir: str) -> None:
    global _tessdata_dir
    _exit_with_parent()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _tessdata_dir = tessdata_dir


def _exit_with_parent() -> None:
    """A worker must not outlive the run that started it: killed (SIGKILL, a crash), the parent
    never shuts the pool down, and its workers would wait for pages forever, each holding a
    Tesseract (and the resource tracker, which lives as long as they do)."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing: nothing to follow
        return
    _kill_on_parent_death()
    # Everywhere, and for a parent gone before the line above: the pipe multiprocessing keeps
    # from the parent to each child (a handle to the parent on Windows) ends when it dies.
    threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()


def _kill_on_parent_death() -> None:
    """Linux: the kernel kills this process the moment its parent dies, in the middle of a page
    too. Strictly, when the parent's thread that spawned it ends: OcrPool is made, used and
    closed by one thread (run_ocr), which outlives its workers."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (an odd libc): the watch thread still works
        pass


def _exit_when_gone(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(1)


def run_task(task: OcrTask, tessdata_dir: str | None = None) -> OcrOutcome:
    try:
        page = load_page_image(
            Path(task.path), task.media_type, task.number, task.width, task.height
        )
        return OcrOutcome(task, recognize(page, task.languages, tessdata_dir or _tessdata_dir))
    except Exception as exc:
        return OcrOutcome(task, None, f"{type(exc).__name__}: {exc}")


class OcrPool:
    def __init__(self, tessdata_dir: Path, workers: int | None = None) -> None:
        self.tessdata_dir = str(tessdata_dir)
        self.workers = workers or default_workers()
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # Spawned, not forked: the worker's OpenMP runtime must start with the thread limit.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.tessdata_dir,),
            )
        return self._executor

    def run(
        self, tasks: Iterable[OcrTask], cancelled: Callable[[], bool] | None = None
    ) -> Iterator[OcrOutcome]:
        """Outcomes as pages finish; at most two pages per worker in flight, so a cancel or a
        kill loses little."""
        pending = iter(tasks)
        in_flight: dict[Future[OcrOutcome], OcrTask] = {}
        while True:
            while len(in_flight) < 2 * self.workers and not (cancelled and cancelled()):
                task = next(pending, None)
                if task is None:
                    break
                in_flight[self._pool().submit(run_task, task)] = task
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                task = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    self._executor = None
                    yield OcrOutcome(task, None, "the OCR process stopped unexpectedly")
            if cancelled and cancelled():
                for future in in_flight:
                    future.cancel()
                return
