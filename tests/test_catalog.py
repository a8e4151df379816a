"""Catalog behaviour: deduplication, moved files, whole-or-nothing records, schema versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, inspect, select, text

from reader import catalog as catalog_module
from reader.catalog import CatalogError, current_version
from reader.library import Library
from reader.models import Document, Page


def test_reimporting_the_same_bytes_is_skipped(
    backend_library: Library, realdata: Path, tmp_path: Path
) -> None:
    library = backend_library
    first = library.import_paths([realdata / "linn.png"])
    assert len(first.imported) == 1
    again = library.import_paths([realdata / "linn.png"])
    assert again.imported == [] and "already in the library" in again.skipped[0].reason
    copy = tmp_path / "copy-of-linn.png"
    shutil.copy(realdata / "linn.png", copy)
    twin = library.import_paths([copy])
    assert twin.imported == [] and "same content as document" in twin.skipped[0].reason
    assert len(library.documents()) == 1


def test_a_moved_file_is_recognised_and_its_path_updated(
    backend_library: Library, realdata: Path, tmp_path: Path
) -> None:
    library = backend_library
    original = tmp_path / "inbox" / "NOKW-1088.png"
    original.parent.mkdir()
    shutil.copy(realdata / "typewriter.png", original)
    doc_id = library.import_paths([original]).imported[0].id
    moved = tmp_path / "sorted" / "NOKW-1088.png"
    moved.parent.mkdir()
    original.rename(moved)
    assert not library.check().ok
    report = library.import_paths([moved])
    assert report.imported == []
    assert [(m.id, m.path) for m in report.moved] == [(doc_id, str(moved))]
    assert library.document(doc_id).path == str(moved)
    assert library.check().ok


def test_check_reports_changed_and_missing_originals(
    backend_library: Library, realdata: Path, tmp_path: Path
) -> None:
    library = backend_library
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"note {name}")
    library.import_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    (tmp_path / "a.txt").write_text("edited behind our back")
    (tmp_path / "b.txt").unlink()
    problems = {Path(p.path).name: p.problem for p in library.check().problems}
    assert problems["a.txt"].startswith("changed")
    assert problems["b.txt"].startswith("missing")


def test_a_document_is_recorded_whole_or_not_at_all(
    backend_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = backend_library
    from reader import importer

    real_new_document = importer._new_document

    def duplicate_page_numbers(*args: object, **kwargs: object) -> Document:
        document = real_new_document(*args, **kwargs)  # type: ignore[arg-type]
        for page in document.pages:
            page.number = 1  # violates the (document, number) constraint on insert
        return document

    monkeypatch.setattr(importer, "_new_document", duplicate_page_numbers)
    (tmp_path / "long.txt").write_text("\f".join(f"page {i}" for i in range(5)))
    (tmp_path / "short.txt").write_text("one page")
    report = library.import_paths([tmp_path / "long.txt", tmp_path / "short.txt"])
    assert [Path(f.path).name for f in report.failed] == ["long.txt"]
    assert "could not be recorded" in report.failed[0].error
    assert [Path(d.path).name for d in report.imported] == ["short.txt"]
    with library.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        assert session.scalar(select(func.count()).select_from(Page)) == 1


def test_a_catalog_made_today_opens_after_the_schema_grows(
    tmp_path: Path, realdata: Path, monkeypatch: pytest.MonkeyPatch, catalog_url: str | None
) -> None:
    with Library(tmp_path / "lib", catalog_url) as library:
        doc_id = library.import_paths([realdata / "linn.txt"]).imported[0].id

    def add_reading_room_column(connection: Connection) -> None:
        connection.execute(text("ALTER TABLE documents ADD COLUMN shelf VARCHAR(50) DEFAULT ''"))

    monkeypatch.setattr(
        catalog_module, "MIGRATIONS", [*catalog_module.MIGRATIONS, add_reading_room_column]
    )
    with Library(tmp_path / "lib", catalog_url) as library:
        assert library.document(doc_id).title == "The LinnSequencer"
        with library.session() as session:
            assert session.scalar(text("SELECT version FROM schema_info")) == current_version()
        columns = {c["name"] for c in inspect(library.catalog.engine).get_columns("documents")}
        assert "shelf" in columns


def test_a_catalog_from_a_newer_version_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_url: str | None
) -> None:
    monkeypatch.setattr(catalog_module, "MIGRATIONS", [lambda connection: None])
    Library(tmp_path / "lib", catalog_url).close()
    monkeypatch.setattr(catalog_module, "MIGRATIONS", [])
    with pytest.raises(CatalogError, match="newer Archive Reader"):
        Library(tmp_path / "lib", catalog_url)
