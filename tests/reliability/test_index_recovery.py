"""The search index is derived data: damaged files, an older catalog put back, and queries that
cannot mean what was typed all end in a clear line, never a traceback or another query."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index.api import QueryError
from index.schema import INDEX_NAME
from reader.library import Library

ROOT = Path(__file__).resolve().parents[2]
DOCS = {
    "mostar.txt": "The report on the bridge at Mostar was repaired by the engineers.",
    "zagreb.txt": "Minutes of the conference at Zagreb about the supply columns.",
    "livno.txt": "A second report: the road to Livno was closed in March.",
}


def cli(library: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The real command line, in its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", "--library", str(library), *argv],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip


def search_json(library: Path, query: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    done = cli(library, "search", query, "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout), done.stderr


def hits(result: dict) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return sorted((hit["doc"], hit["page"]) for hit in result["hits"])


@pytest.fixture
def texts(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text)
    return {name: folder / name for name in DOCS}


@pytest.fixture
def filled(tmp_path: Path, texts: dict[str, Path]) -> Path:
    """A library of two documents (Mostar #1, Zagreb #2), searched once."""
    with Library(tmp_path / "library") as library:
        library.import_paths([texts["mostar.txt"], texts["zagreb.txt"]])
        assert library.search("report").total == 1
    return tmp_path / "library"


# Defect 10: garbage in the index files.


def _segment(library: Path) -> Path:
    return max((library / "index").glob(f"{INDEX_NAME}_*.seg"), key=lambda p: p.stat().st_size)


def _toc(library: Path) -> Path:
    return max((library / "index").glob(f"_{INDEX_NAME}_*.toc"))


def _overwrite(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(path.stat().st_size))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


DAMAGE: dict[str, Callable[[Path], None]] = {
    "segment overwritten": lambda lib: _overwrite(_segment(lib)),
    "segment truncated": lambda lib: _truncate(_segment(lib)),
    "segment deleted": lambda lib: _segment(lib).unlink(),
    "toc overwritten": lambda lib: _overwrite(_toc(lib)),
    "toc truncated": lambda lib: _truncate(_toc(lib)),
    "toc deleted": lambda lib: _toc(lib).unlink(),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_search_on_damaged_index_files_reports_a_line_and_finds_the_pages(
    filled: Path, damage: str
) -> None:
    DAMAGE[damage](filled)
    result, stderr = search_json(filled, "report OR conference")
    assert hits(result) == [(1, 1), (2, 1)] and result["total"] == 2
    lines = stderr.splitlines()
    assert len(lines) == 1 and "search index" in lines[0] and "rebuil" in lines[0]
    assert result["notices"] or damage == "toc deleted"  # that one is reported on stderr only


@pytest.mark.parametrize("damage", ["segment overwritten", "segment truncated", "toc truncated"])
def test_check_on_damaged_index_files_reports_the_damage_and_rebuilds(
    filled: Path, damage: str
) -> None:
    DAMAGE[damage](filled)
    done = cli(filled, "check", "--json")
    assert "Traceback" not in done.stderr
    assert done.returncode == 3, done.stderr  # problems found
    report = json.loads(done.stdout)
    assert [p["problem"] for p in report["problems"]] == [
        next(p["problem"] for p in report["problems"] if "damaged" in p["problem"])
    ]
    with Library(filled) as library:
        assert library.check().ok
        assert [(h.doc, h.page) for h in library.search("Zagreb").hits] == [(2, 1)]


def test_damage_a_search_meets_inside_the_postings_is_rebuilt_through_the_library(
    filled: Path,
) -> None:
    """Garbage inside a segment (its file directory whole) shows only when a query reads it."""
    segment = _segment(filled)
    data = bytearray(segment.read_bytes())
    data[64 : len(data) // 2] = random.Random(3).randbytes(len(data) // 2 - 64)
    segment.write_bytes(bytes(data))
    with Library(filled) as library:
        result = library.search("report OR conference OR bridge~")
        assert sorted((h.doc, h.page) for h in result.hits) == [(1, 1), (2, 1)]
        assert len(result.notices) == 1 and "damaged" in result.notices[0]
        assert library.check().ok


def test_an_error_in_our_own_code_is_not_taken_for_damage() -> None:
    from index.health import damage_in

    def ours() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError) as raised:
        ours()
    assert damage_in(raised.value) is None


# Defect 11 and unknown fields: never another query than the one typed.


def test_a_fuzzy_distance_past_the_maximum_is_refused_not_read_as_another_query(
    filled: Path,
) -> None:
    done = cli(filled, "search", "report~99", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "fuzzy distance" in done.stderr
    assert "~99" in done.stderr
    with Library(filled) as library:
        for query in ("report~99", "report~1.5", "report~2x", "report~4"):
            with pytest.raises(QueryError, match="fuzzy distance"):
                library.search(query)
        assert [(h.doc, h.page) for h in library.search("raport~2").hits] == [(1, 1)]
        assert [(h.doc, h.page) for h in library.search("raport~").hits] == [(1, 1)]


def test_a_field_that_cannot_be_searched_is_named_in_a_plain_message(filled: Path) -> None:
    done = cli(filled, "search", "page:1")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert "\n" not in message and "STORED" not in message and "format" not in message
    assert '"page"' in message and "kind" in message and "date" in message
    with Library(filled) as library:
        with pytest.raises(QueryError, match='no field "shelf"'):
            library.search("shelf:NOKW")
        # Text before a colon that is no field name stays words, as before.
        assert library.search("Zagreb:").total == 1
        assert [(h.doc, h.page) for h in library.search('"page:1" OR kind:primary').hits] == [
            (1, 1),
            (2, 1),
        ]


# Defect 14: the index out of step with the catalog.


def test_an_older_catalog_put_back_is_searched_as_it_is(
    filled: Path, texts: dict[str, Path], tmp_path: Path
) -> None:
    catalog = filled / "catalog.sqlite"
    shutil.copy(catalog, tmp_path / "older.sqlite")
    with Library(filled) as library:
        library.import_paths([texts["livno.txt"]])
        assert [(h.doc, h.page) for h in library.search("Livno").hits] == [(3, 1)]
    for extra in (".sqlite-wal", ".sqlite-shm"):
        (filled / f"catalog{extra}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "older.sqlite", catalog)

    result, stderr = search_json(filled, "Livno OR report")
    assert hits(result) == [(1, 1)] and result["total"] == 1  # not "2 pages match; showing 1"
    assert "out of step" in stderr and stderr.count("\n") == 1
    with Library(filled) as library:
        assert library.search("Livno").total == 0
        assert library.check().ok


def test_a_document_imported_after_an_older_catalog_is_put_back_replaces_the_newer_one(
    filled: Path, texts: dict[str, Path], tmp_path: Path
) -> None:
    """The catalog hands the next document the id the newer catalog had given another."""
    (tmp_path / "long.txt").write_text("\f".join(f"Livno page {n}, the road." for n in range(3)))
    shutil.copy(filled / "catalog.sqlite", tmp_path / "older.sqlite")
    with Library(filled) as library:
        library.import_paths([tmp_path / "long.txt"])
        pages = library.search("Livno").total
    shutil.copy(tmp_path / "older.sqlite", filled / "catalog.sqlite")
    with Library(filled) as library:
        library.import_paths([texts["livno.txt"]])
        found = library.search("Livno OR road")
        assert [(h.doc, h.page) for h in found.hits] == [(3, 1)] and found.total == 1
        assert library.check().ok
    assert pages > 1


def test_an_older_index_put_back_gets_the_pages_it_lacks(
    filled: Path, texts: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copytree(filled / "index", tmp_path / "older-index")
    with Library(filled) as library:
        library.import_paths([texts["livno.txt"]])
    shutil.rmtree(filled / "index")
    shutil.copytree(tmp_path / "older-index", filled / "index")
    with Library(filled) as library:
        found = library.search("Livno")
        assert [(h.doc, h.page) for h in found.hits] == [(3, 1)]
        assert any("out of step" in notice for notice in found.notices)
        assert library.check().ok


def test_a_posting_block_that_cannot_be_decoded_is_damage() -> None:
    # index.codec's blocks are decoded by our own code (index.posting_blocks), not Whoosh's.
    from index.health import damage_in
    from index.posting_blocks import ids_and_weights

    for garbage in (random.Random(5).randbytes(300), pickle.dumps(42, 4)):
        with pytest.raises(Exception) as raised:
            ids_and_weights(garbage, 12)
        assert damage_in(raised.value) is not None, raised.value
