"""One import of a corpus into a fresh library, timed, in a process of its own: run by
`python -m bench import` for our code and, with ARCHIVE_READER_BENCH_BASELINE naming another
checkout (an older commit's worktree), for that code on the same files in the same run.

    python bench/import_speed.py CORPUS LIBRARY     prints {"pages": N, "seconds": S, ...}
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def timed_import(corpus: Path, folder: Path) -> dict[str, float]:
    from reader.library import Library

    shutil.rmtree(folder, ignore_errors=True)
    with Library(folder) as library:
        started = time.perf_counter()
        report = library.import_paths([corpus])
        seconds = time.perf_counter() - started
        if report.failed or report.skipped:
            raise RuntimeError(f"import reported problems: {report.failed} {report.skipped}")
    shutil.rmtree(folder, ignore_errors=True)
    own = resource.getrusage(resource.RUSAGE_SELF)
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "pages": sum(d.pages for d in report.imported),
        "seconds": seconds,
        "cpu_seconds": own.ru_utime + own.ru_stime + helpers.ru_utime + helpers.ru_stime,
    }


if __name__ == "__main__":
    print(json.dumps(timed_import(Path(sys.argv[1]), Path(sys.argv[2]))))
