"""The one way the window runs work: results, failures as exceptions, cancel, the order of
writes, and one Changes notice per write."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from reader.library import ReadOnlyLibrary
from ui.changes import Changes
from ui.workers import Operations, Progress, QueryOp, WriteOp, describe_failure


@pytest.fixture
def ops(qtbot: QtBot) -> Operations:
    return Operations()


def test_a_query_delivers_its_result_on_the_gui_thread(qtbot: QtBot, ops: Operations) -> None:
    got: list[tuple[int, bool]] = []
    main = threading.get_ident()
    ran_on: list[int] = []

    def work(_p: Progress) -> int:
        ran_on.append(threading.get_ident())
        return 42

    ops.run(QueryOp("Answer", work, lambda r: got.append((r, threading.get_ident() == main))))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [(42, True)] and ran_on[0] != main and ops.idle()


def test_a_failure_arrives_as_the_exception_itself(qtbot: QtBot, ops: Operations) -> None:
    errors: list[Exception] = []

    def work(_p: Progress) -> None:
        raise ReadOnlyLibrary("this library is open read-only")

    ops.run(WriteOp("Import", work, lambda _r: Changes.everything(), failed=errors.append))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ReadOnlyLibrary)
    assert describe_failure("Import", errors[0]) == "Import: this library is open read-only"
    assert "unexpectedly" in describe_failure("Import", KeyError("x"))


def test_an_unhandled_failure_goes_to_the_window_as_a_message(
    qtbot: QtBot, ops: Operations
) -> None:
    def work(_p: Progress) -> None:
        raise PermissionError("locked")

    with qtbot.waitSignal(ops.failure, timeout=5000) as signal:
        ops.run(QueryOp("Search", work))
    assert signal.args == ["Search: locked"]


def test_each_write_ends_with_one_changes_notice(qtbot: QtBot, ops: Operations) -> None:
    notices: list[Changes] = []
    ops.changed.connect(notices.append)
    done: list[int] = []
    ops.run(WriteOp("Note", lambda _p: 7, lambda doc: Changes.of(annotations=[doc]), done.append))
    ops.run(QueryOp("Read", lambda _p: 1, done.append))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert notices == [Changes.of(annotations=[7])]
    ops.run(WriteOp("Nothing", lambda _p: 0, lambda _r: Changes(), done.append))
    qtbot.waitUntil(lambda: len(done) == 3, timeout=5000)
    assert len(notices) == 1  # a write that changed nothing says nothing


def test_writes_run_one_at_a_time_in_the_order_asked(qtbot: QtBot, ops: Operations) -> None:
    order: list[int] = []

    def write(n: int) -> WriteOp[int]:
        def work(_p: Progress) -> int:
            time.sleep(0.02 if n == 0 else 0)  # the first is the slowest
            order.append(n)
            return n

        return WriteOp(f"w{n}", work, lambda _r: Changes())

    for n in range(5):
        ops.run(write(n))
    qtbot.waitUntil(ops.idle, timeout=5000)
    assert order == [0, 1, 2, 3, 4]


def test_a_long_write_reports_progress_and_stops_when_cancelled(
    qtbot: QtBot, ops: Operations
) -> None:
    results: list[int] = []
    notices: list[Changes] = []
    ops.changed.connect(notices.append)

    def work(progress: Progress) -> int:
        done = 0
        while not progress.cancelled() and done < 10_000:
            done += 1
            progress.report(done, 10_000, f"item {done}")
            time.sleep(0.001)
        return done

    task = ops.run(WriteOp("Import", work, lambda _r: Changes.everything(), results.append,
                           long=True))  # fmt: skip
    assert ops.long is task
    with pytest.raises(RuntimeError, match="Import is running"):
        ops.run(WriteOp("OCR", work, lambda _r: Changes(), long=True))
    with qtbot.waitSignal(task.signals.progress, timeout=5000):
        pass
    task.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert 0 < results[0] < 10_000 and ops.long is None
    assert notices == [Changes.everything()]


def test_changes_merge_and_say_what_they_touch() -> None:
    first = Changes.of(annotations=[1])
    both = first | Changes.of(texts=[2], citations=True)
    assert both.annotations_of(1) and not both.annotations_of(2)
    assert both.text_of(2) and both.citations_of(5) and both.document_list()
    assert not first.document_list() and not first.record_of(1)
    assert not Changes() and Changes.everything().record_of(99)
