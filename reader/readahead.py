"""Files read ahead of an import in a helper process.

An import records its files in their order, one at a time, each in its own transaction; while
the library records one file (catalog and index writes), a helper process hashes and extracts
the next few (MuPDF's reading, most of an import's work), so that the two run on two cores.
The helper is spawned, not forked: the app has threads. A helper that dies on a file (MuPDF
crashing on hostile input, the kernel ending it for its memory) costs that file only: it is
reported failed, and a new helper reads on from the next.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from reader.child_process import exit_with_parent
from reader.importer import FileOutcome, read_file
from reader.ingest.base import Limits
from reader.records import FailedFile

# Files read ahead of the one being recorded: enough that the helper never waits for the
# library, few enough that a cancel wastes little.
DEPTH = 3
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
    return read_file(path, limits, _known)


class ReadAhead:
    """The readings of `files`, in their order, each asked for once (`next`), read by a helper
    process up to DEPTH files ahead. `known`: the hashes of the files the library holds,
    whose pages are not read."""

    def __init__(self, files: Sequence[Path], limits: Limits, known: frozenset[str]) -> None:
        self._files = files
        self._limits = limits
        self._known = known
        self._submitted = 0
        self._pending: deque[tuple[Path, Future[FileOutcome]]] = deque()
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._known,),
            )
        return self._executor

    def _fill(self) -> None:
        while len(self._pending) < DEPTH and self._submitted < len(self._files):
            path = self._files[self._submitted]
            try:
                future = self._pool().submit(_read, path, self._limits)
            except BrokenProcessPool:  # it died between two next(): a new one reads on
                self._restart()
                continue
            self._pending.append((path, future))
            self._submitted += 1

    def next(self) -> FileOutcome:
        """The reading of the next file."""
        self._fill()
        path, future = self._pending.popleft()
        try:
            outcome = future.result()
        except BrokenProcessPool:
            # One helper reads one file at a time, in order: this is the file it died on.
            self._restart()
            return FailedFile(
                str(path),
                "the process reading it stopped (a damaged file can crash MuPDF, or it took "
                "more memory than the system gave); nothing of it was recorded",
            )
        self._fill()
        return outcome

    def _restart(self) -> None:
        """A new helper for the files still waiting (what the old one read is kept)."""
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
        """Stop the helper, in the middle of a file too (a cancelled import must not wait
        for a large file it will not record)."""
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
