"""Files read ahead of an import in helper processes.

An import records its files in their order, one at a time, each in its own transaction; while
the library records one file (catalog and index writes), helper processes hash and extract the
next few and analyse their words for the index (most of an import's work), so that the work
runs on every core. Helpers are spawned, not forked: the app has threads. A helper that dies
on a file (MuPDF crashing on hostile input, the kernel ending it for its memory) costs that
file only: it is reported failed, and a new helper reads on from the next.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from index.page_analysis import analyse_page, packed
from reader.child_process import exit_with_parent
from reader.ingest.base import Limits
from reader.reading import FileOutcome, Reading, read_file
from reader.records import FailedFile

# Files read ahead of the one being recorded, by each helper: enough that a helper never
# waits for the library, few enough that a cancel wastes little.
DEPTH = 3
# Helper processes: reading a page (MuPDF's, and the index's analysis of its words) costs more
# than recording and indexing it, so one helper kept the library waiting; with two, the
# system shares both cores among the three processes as their work comes.
HELPERS = 2 if (os.cpu_count() or 1) > 1 else 1
# Below this much to read, starting a helper costs more than it saves (a spawned process
# loads MuPDF and the core: about half a second).
MIN_FILES = 2
MIN_BYTES = 1024**2

_known: frozenset[str] = frozenset()


def worth_reading_ahead(files: Sequence[Path]) -> bool:
    """Whether a batch is large enough to repay a helper process."""
    if len(files) < MIN_FILES:
        return False
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:  # reported when its turn comes
            continue
        if total >= MIN_BYTES:
            return True
    return False


def _start(known: frozenset[str]) -> None:
    global _known
    exit_with_parent()
    _known = known


def _read(path: Path, limits: Limits) -> FileOutcome:
    return _analysed(read_file(path, limits, _known))


def _analysed(outcome: FileOutcome) -> FileOutcome:
    """The reading with what the index makes of each page's text, made here: the library's
    process records the file and writes the index meanwhile, on the other core."""
    if not isinstance(outcome, Reading) or outcome.extracted is None:
        return outcome
    pages = outcome.extracted.pages
    analyses = tuple(packed(analyse_page(page.text)) if page.text else None for page in pages)
    return replace(outcome, analyses=analyses)


class _Helper:
    """One helper process and the files given to it, read one at a time in their order: the
    first file still waiting is the one it was reading when it died."""

    def __init__(self, limits: Limits, known: frozenset[str]) -> None:
        self._limits = limits
        self._known = known
        self._pending: deque[tuple[Path, Future[FileOutcome]]] = deque()
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._known,),
            )
        return self._executor

    def give(self, path: Path) -> None:
        try:
            future = self._pool().submit(_read, path, self._limits)
        except BrokenProcessPool:  # it died between two files: a new one reads on
            self._restart()
            future = self._pool().submit(_read, path, self._limits)
        self._pending.append((path, future))

    def take(self) -> FileOutcome:
        """The reading of the first file given and not yet taken."""
        path, future = self._pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
            return FailedFile(
                str(path),
                "the process reading it stopped (a damaged file can crash MuPDF, or it took "
                "more memory than the system gave); nothing of it was recorded",
            )

    def _restart(self) -> None:
        """A new process for the files still waiting (what the old one read is kept)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        waiting = list(self._pending)
        self._pending.clear()
        for path, future in waiting:
            if future.done() and not future.cancelled() and future.exception() is None:
                self._pending.append((path, future))
            else:
                self._pending.append((path, self._pool().submit(_read, path, self._limits)))

    def close(self) -> None:
        executor, self._executor = self._executor, None
        self._pending.clear()
        if executor is None:
            return
        # The processes first: shutdown forgets them.
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()


class ReadAhead:
    """The readings of `files`, in their order, each asked for once (`next`), read by HELPERS
    helper processes in turn (file k by helper k mod HELPERS), each up to DEPTH files ahead.
    `known`: the hashes of the files the library holds, whose pages are not read."""

    def __init__(self, files: Sequence[Path], limits: Limits, known: frozenset[str]) -> None:
        self._files = files
        self._given = 0
        self._taken = 0
        count = max(1, min(HELPERS, len(files)))
        self._helpers = [_Helper(limits, known) for _ in range(count)]

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _fill(self) -> None:
        while self._given < len(self._files) and self._given - self._taken < DEPTH * len(
            self._helpers
        ):
            helper = self._helpers[self._given % len(self._helpers)]
            helper.give(self._files[self._given])
            self._given += 1

    def next(self) -> FileOutcome:
        """The reading of the next file."""
        self._fill()
        outcome = self._helpers[self._taken % len(self._helpers)].take()
        self._taken += 1
        self._fill()
        return outcome

    def close(self) -> None:
        """Stop the helpers, in the middle of a file too (a cancelled import must not wait
        for a large file it will not record)."""
        for helper in self._helpers:
            helper.close()
