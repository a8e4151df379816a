"""OCR worker processes: one Tesseract per process, single-threaded, one per core.

Tesseract's own threading helps one page a little; one page per core in separate processes
(OMP_THREAD_LIMIT=1) keeps every core busy all the time.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from reader.child_process import exit_with_parent
from reader.ocr.engine import OcrResult, recognize
from reader.ocr.pageimage import load_page_image

_tessdata_dir = ""


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
    exit_with_parent()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _tessdata_dir = tessdata_dir


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
