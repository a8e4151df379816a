"""Searches and index rebuilds from two threads (the app's query and write operations)."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.library import Library


def test_searches_and_rebuilds_from_two_threads_never_wait_on_each_other_forever(
    tmp_path: Path,
) -> None:
    (tmp_path / "order.txt").write_text(
        "The supply columns reached Mostar under escort of two companies.", encoding="utf-8"
    )
    with Library(tmp_path / "library") as library:
        library.import_paths([tmp_path / "order.txt"], kind="primary")
        done = threading.Event()
        totals: list[int] = []
        failures: list[BaseException] = []

        def search() -> None:
            try:
                while not done.is_set():
                    totals.append(library.search("supply columns", with_boxes=False).total)
            except BaseException as exc:  # reported below, not lost in the thread
                failures.append(exc)

        def rebuild() -> None:
            try:
                for _ in range(25):
                    library.reindex(procs=1)
            except BaseException as exc:
                failures.append(exc)
            finally:
                done.set()

        threads = [threading.Thread(target=f, daemon=True) for f in (search, rebuild)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "the two threads wait on each other"
        assert not failures
        assert totals and set(totals) == {1}
