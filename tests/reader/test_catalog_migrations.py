"""Catalog migrations through Alembic: adopting catalogs made before it, refusing newer ones,
one transaction per open, and a head that matches the models. On SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy import Column as C

from index.pg_schema import PAGE_SEARCH, SEARCH_TERMS, WAITING
from reader import catalog as catalog_module
from reader.catalog import BASELINE, HEAD, CatalogError, alembic_config, open_catalog
from reader.library import Library
from reader.models import Annotation, Base, Citation, Document, Identifier, Page

# The catalog as Archive Reader made it before Alembic: reader/models.py of that version, frozen
# here as plain tables. That version's open_catalog ran create_all on exactly this and wrote
# schema_info (1, 1); nothing else.
FROZEN = MetaData()
Table(
    "schema_info", FROZEN, C("id", Integer, primary_key=True), C("version", Integer, nullable=False)
)
Table(
    "documents",
    FROZEN,
    C("id", Integer, primary_key=True),
    C("title", String(1000), nullable=False),
    C("kind", String(16), nullable=False, index=True),
    C("source_path", Text, nullable=False),
    C("size", BigInteger, nullable=False),
    C("sha256", String(64), nullable=False, unique=True),
    C("media_type", String(100), nullable=False),
    C("page_count", Integer, nullable=False),
    C("languages", JSON, nullable=False),
    C("date", String(10), nullable=False, index=True),
    C("authors", JSON, nullable=False),
    C("collection", String(200), nullable=False, index=True),
    C("repository", String(200), nullable=False),
    C("record_group", String(100), nullable=False),
    C("series", String(100), nullable=False),
    C("box", String(100), nullable=False),
    C("folder", String(100), nullable=False),
    C("item", String(100), nullable=False),
    C("created", DateTime(timezone=True), nullable=False),
    C("updated", DateTime(timezone=True), nullable=False),
)
Table(
    "identifiers",
    FROZEN,
    C("id", Integer, primary_key=True),
    C("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    C("scheme", String(20), nullable=False),
    C("value", String(100), nullable=False),
    C("canonical", String(120), nullable=False, index=True),
    C("origin", String(16), nullable=False),
    UniqueConstraint("document_id", "canonical"),
)
Table(
    "pages",
    FROZEN,
    C("id", Integer, primary_key=True),
    C("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    C("number", Integer, nullable=False),
    C("text", Text, nullable=True),
    C("text_source", String(16), nullable=False),
    C("ocr_state", String(16), nullable=False, index=True),
    C("ocr_confidence", Float, nullable=True),
    C("ocr_error", Text, nullable=False),
    C("words", JSON, nullable=True),
    C("width", Float, nullable=False),
    C("height", Float, nullable=False),
    C("revision", Integer, nullable=False),
    C("indexed", Boolean, nullable=False, index=True),
    UniqueConstraint("document_id", "number"),
)
Table(
    "citations",
    FROZEN,
    C("id", Integer, primary_key=True),
    C(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    C("start", Integer, nullable=False),
    C("end", Integer, nullable=False),
    C("page", Integer, nullable=False),
    C("kind", String(16), nullable=False),
    C("text", Text, nullable=False),
    C("identifier", String(120), nullable=False),
    C(
        "target_document_id",
        Integer,
        ForeignKey("documents.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    C("target_page", Integer, nullable=True),
    C("target_start", Integer, nullable=True),
    C("target_end", Integer, nullable=True),
    C("score", Float, nullable=False),
)
Table(
    "annotations",
    FROZEN,
    C("id", Integer, primary_key=True),
    C("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    C("page", Integer, nullable=False),
    C("kind", String(16), nullable=False),
    C("rects", JSON, nullable=False),
    C("text", Text, nullable=False),
    C("note", Text, nullable=False),
    C("color", String(16), nullable=False),
    C("author", String(200), nullable=False),
    C("created", DateTime(timezone=True), nullable=False),
    C("updated", DateTime(timezone=True), nullable=False),
    Index("ix_annotations_doc_page", "document_id", "page"),
)

T0 = datetime(2026, 3, 9, 14, 30, 5, 123456, tzinfo=UTC)
T1 = datetime(2026, 4, 1, 8, 0, 0, tzinfo=UTC)

ROWS: dict[str, list[dict[str, Any]]] = {
    "documents": [
        {
            "id": 1,
            "title": "Report of the 717th Infantry Division, March 1943",
            "kind": "primary",
            "source_path": "/scans/nokw/NOKW-1088.png",
            "size": 5_123_456_789,  # past 32 bits: the BIGINT
            "sha256": "a" * 64,
            "media_type": "image/png",
            "page_count": 2,
            "languages": ["deu", "eng"],
            "date": "1943-03",
            "authors": ["Glaise von Horstenau", "Löhr"],
            "collection": "NOKW series",
            "repository": "NARA",
            "record_group": "RG 238",
            "series": "NOKW",
            "box": "12",
            "folder": "3",
            "item": "1088",
            "created": T0,
            "updated": T1,
        },
        {
            "id": 2,
            "title": "Reprisals in the Balkans (article)",
            "kind": "secondary",
            "source_path": "/articles/reprisals.html",
            "size": 20_480,
            "sha256": "b" * 64,
            "media_type": "text/html",
            "page_count": 1,
            "languages": [],
            "date": "",
            "authors": [],
            "collection": "",
            "repository": "",
            "record_group": "",
            "series": "",
            "box": "",
            "folder": "",
            "item": "",
            "created": T1,
            "updated": T1,
        },
    ],
    "identifiers": [
        {
            "id": 1,
            "document_id": 1,
            "scheme": "NOKW",
            "value": "NOKW 1088",
            "canonical": "NOKW-1088",
            "origin": "filename",
        },
        {
            "id": 2,
            "document_id": 1,
            "scheme": "RG",
            "value": "Record Group 238",
            "canonical": "RG-238",
            "origin": "user",
        },
    ],
    "pages": [
        {
            "id": 1,
            "document_id": 1,
            "number": 1,
            "text": "Horstenau reports no village that sheltered the bands was spared.",
            "text_source": "ocr",
            "ocr_state": "done",
            "ocr_confidence": 87.5,
            "ocr_error": "",
            "words": [[10.0, 20.0, 80.5, 32.25, "Horstenau", 91.0]],
            "width": 595.0,
            "height": 842.0,
            "revision": 3,
            "indexed": True,
        },
        {
            "id": 2,
            "document_id": 1,
            "number": 2,
            "text": None,
            "text_source": "none",
            "ocr_state": "failed",
            "ocr_confidence": None,
            "ocr_error": "Tesseract gave up",
            "words": None,
            "width": 612.0,
            "height": 792.0,
            "revision": 0,
            "indexed": False,
        },
        {
            "id": 3,
            "document_id": 2,
            "number": 1,
            "text": 'As NOKW 1088 has it, "no village that sheltered the bands was spared".',
            "text_source": "embedded",
            "ocr_state": "not_needed",
            "ocr_confidence": None,
            "ocr_error": "",
            "words": [],
            "width": 0.0,
            "height": 0.0,
            "revision": 1,
            "indexed": False,
        },
    ],
    "citations": [
        {
            "id": 1,
            "document_id": 2,
            "start": 3,
            "end": 12,
            "page": 1,
            "kind": "identifier",
            "text": "NOKW 1088",
            "identifier": "NOKW-1088",
            "target_document_id": 1,
            "target_page": 1,
            "target_start": 18,
            "target_end": 64,
            "score": 0.97,
        },
        {
            "id": 2,
            "document_id": 2,
            "start": 22,
            "end": 68,
            "page": 1,
            "kind": "quote",
            "text": "no village that sheltered the bands was spared",
            "identifier": "",
            "target_document_id": None,
            "target_page": None,
            "target_start": None,
            "target_end": None,
            "score": 0.0,
        },
    ],
    "annotations": [
        {
            "id": 1,
            "document_id": 1,
            "page": 1,
            "kind": "highlight",
            "rects": [[10.0, 20.0, 80.5, 32.25]],
            "text": "Horstenau",
            "note": "cf. diary, 12 March",
            "color": "#ffe066",
            "author": "mk",
            "created": T0,
            "updated": T1,
        },
        {
            "id": 2,
            "document_id": 1,
            "page": 2,
            "kind": "bookmark",
            "rects": [],
            "text": "",
            "note": "",
            "color": "#a0c4ff",
            "author": "",
            "created": T1,
            "updated": T1,
        },
    ],
}
MODELS: dict[str, type[Base]] = {
    "documents": Document,
    "identifiers": Identifier,
    "pages": Page,
    "citations": Citation,
    "annotations": Annotation,
}


@pytest.fixture
def url(tmp_path: Path, catalog_url: str | None) -> str:
    """The catalog URL a Library in `tmp_path / "lib"` uses, on each backend."""
    folder = (tmp_path / "lib").resolve()
    folder.mkdir()
    return catalog_url or f"sqlite:///{folder / 'catalog.sqlite'}"


@pytest.fixture
def engine_of(url: str) -> Iterator[Any]:
    """A plain engine on the catalog (none of open_catalog's machinery), for looking inside."""
    engine = create_engine(url)
    yield engine
    engine.dispose()


def make_pre_alembic_catalog(url: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    """What the version before Alembic left behind: create_all, schema_info (1, 1), and data."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            FROZEN.create_all(conn)
            conn.execute(insert(FROZEN.tables["schema_info"]).values(id=1, version=1))
            for name, table_rows in rows.items():
                if table_rows:
                    conn.execute(insert(FROZEN.tables[name]), table_rows)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for name in rows:
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 100)")
                    )
    finally:
        engine.dispose()


def schema(conn: Connection) -> dict[str, Any]:
    """Everything reflection tells about the catalog's tables, Alembic's own left out."""
    inspector = inspect(conn)
    found: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        found[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "pk": inspector.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    fk.get("options", {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), i["unique"])
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
    if conn.dialect.name == "sqlite":  # the exact DDL too
        found["sqlite_master"] = conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE tbl_name != 'alembic_version' ORDER BY name"
        ).all()
    return found


def revisions(conn: Connection) -> set[str]:
    return set(MigrationContext.configure(conn).get_current_heads())


def schema_number(conn: Connection) -> int:
    return int(conn.execute(text("SELECT version FROM schema_info")).scalar_one())


def dump(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read as plain rows."""
    return {
        name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
        for name, table in FROZEN.tables.items()
    }


def same_instant(found: Any, written: Any) -> bool:
    """SQLite keeps no time zone: what comes back naive was written in UTC."""
    if isinstance(written, datetime) and isinstance(found, datetime) and found.tzinfo is None:
        return found == written.replace(tzinfo=None)
    return bool(found == written)


def with_extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    """Point the catalog at a copy of its migrations with one more revision after the head,
    as a newer Archive Reader would ship it; return the new revision."""
    location = tmp_path / "migrations"
    shutil.copytree(
        catalog_module.SCRIPT_LOCATION, location, ignore=shutil.ignore_patterns("__pycache__")
    )
    extra = f"{int(HEAD) + 1:04}"
    (location / "versions" / f"{extra}_extra.py").write_text(
        f'"""An extra revision for a test."""\n\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        f"revision = {extra!r}\n"
        f"down_revision = {HEAD!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        f"def upgrade() -> None:\n{body}"
    )
    monkeypatch.setattr(catalog_module, "SCRIPT_LOCATION", location)
    monkeypatch.setattr(catalog_module, "HEAD", extra)
    return extra


def test_a_catalog_made_before_alembic_is_adopted_with_nothing_lost(
    tmp_path: Path, url: str, engine_of: Any, catalog_url: str | None
) -> None:
    make_pre_alembic_catalog(url, ROWS)
    with engine_of.connect() as conn:
        before_rows = dump(conn)

    catalog = open_catalog(url)
    try:
        with catalog.engine.connect() as conn:
            after_rows = dump(conn)
            # schema_info follows the revisions (so older versions refuse what is past them)
            del after_rows["schema_info"], before_rows["schema_info"]
            assert revisions(conn) == {HEAD} and after_rows == before_rows
            assert schema_number(conn) == catalog_module.current_version()
        with catalog.session() as session:  # every field, read back through today's models
            for name, written_rows in ROWS.items():
                model: Any = MODELS[name]
                found = session.scalars(select(model).order_by(model.id)).all()
                assert len(found) == len(written_rows), name
                for record, written in zip(found, written_rows, strict=True):
                    for field, value in written.items():
                        assert same_instant(getattr(record, field), value), (name, field)
    finally:
        catalog.close()

    with Library(tmp_path / "lib", catalog_url) as library:
        nokw = library.document("NOKW-1088")
        assert nokw.id == 1 and nokw.title.startswith("Report of the 717th")
        assert library.resolve("Record Group 238") == 1
        assert library.page_texts(1)[0].startswith("Horstenau reports")
        notes = library.annotations(1)
        assert [(a.kind, a.note) for a in notes] == [
            ("highlight", "cf. diary, 12 March"),
            ("bookmark", ""),
        ]
        assert [c.text for c in library.citations(2).citations] == [
            "NOKW 1088",
            "no village that sheltered the bands was spared",
        ]
        # The page, and the highlight on it: annotations are searchable (as notes) too, in
        # the Whoosh index; PostgreSQL search (a catalog on PostgreSQL) holds the pages only
        # and says so.
        found = library.search("Horstenau")
        if library.search_backend_name == "whoosh":
            expected = [(1, "notes"), (1, "pages")]
        else:
            expected = [(1, "pages")]
            assert any("notes were not searched" in notice for notice in found.notices)
        assert sorted((hit.doc, hit.layer) for hit in found.hits) == expected
        (tmp_path / "later.txt").write_text("A note written after the upgrade.")
        later = library.import_paths([tmp_path / "later.txt"]).imported
        assert len(later) == 1 and len(library.documents()) == 3


def test_a_new_catalog_at_the_baseline_is_exactly_the_pre_alembic_schema(
    url: str, engine_of: Any
) -> None:
    make_pre_alembic_catalog(url, {})
    with engine_of.connect() as conn:
        expected = schema(conn)
        FROZEN.drop_all(conn)
        conn.commit()
    with engine_of.begin() as conn:
        command.upgrade(alembic_config(conn), BASELINE)
    with engine_of.connect() as conn:
        assert schema(conn) == expected
        assert schema_number(conn) == 1


SEARCH_TABLES = {PAGE_SEARCH, SEARCH_TERMS, WAITING}


def _not_search_tables(obj: Any, name: str | None, kind: str, *_args: Any) -> bool:
    """The PostgreSQL search backend's tables (index.pg_schema) belong to the index, not to
    the catalog's models: its migration makes them from index.pg_schema's statements."""
    table = obj if kind == "table" else getattr(obj, "table", None)
    return getattr(table, "name", name) not in SEARCH_TABLES


def test_the_head_schema_matches_the_models(url: str) -> None:
    # A model change without its revision shows up here (and open_catalog would not make it).
    catalog = open_catalog(url)
    try:
        with catalog.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": _not_search_tables})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        catalog.close()


def test_a_catalog_at_a_revision_from_the_future_is_refused(url: str, engine_of: Any) -> None:
    open_catalog(url).close()
    with engine_of.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '7777_shelf_marks'"))
    with pytest.raises(
        CatalogError, match=r"newer Archive Reader \(revision 7777_shelf_marks"
    ) as refused:
        open_catalog(url)
    assert "upgrade Archive Reader" in str(refused.value)
    with engine_of.connect() as conn:
        assert revisions(conn) == {"7777_shelf_marks"}


def test_a_newer_catalog_is_migrated_in_place(
    tmp_path: Path, url: str, engine_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pre_alembic_catalog(url, ROWS)
    extra = with_extra_revision(
        tmp_path,
        monkeypatch,
        '    op.add_column("documents", sa.Column("shelf", sa.String(50), nullable=True))\n'
        "    op.execute(\"UPDATE documents SET shelf = 'B-' || item\")\n",
    )
    open_catalog(url).close()
    with engine_of.connect() as conn:
        assert revisions(conn) == {extra}
        # The versions before Alembic read only this, and refuse what is past their 1.
        assert schema_number(conn) == int(extra) == catalog_module.current_version() > 1
        shelves = conn.execute(text("SELECT id, shelf FROM documents ORDER BY id")).all()
        assert [tuple(row) for row in shelves] == [(1, "B-1088"), (2, "B-")]


@pytest.mark.parametrize("made_by", ["before alembic", "alembic"])
def test_a_migration_failing_midway_leaves_the_catalog_untouched(
    made_by: str, tmp_path: Path, url: str, engine_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if made_by == "alembic":
        open_catalog(url).close()
        with engine_of.begin() as conn:
            for name, table_rows in ROWS.items():
                conn.execute(insert(FROZEN.tables[name]), table_rows)
    else:
        make_pre_alembic_catalog(url, ROWS)
    with engine_of.connect() as conn:
        before_schema, before_rows = schema(conn), dump(conn)
        before_revisions, before_number = revisions(conn), schema_number(conn)
    with_extra_revision(
        tmp_path,
        monkeypatch,
        '    op.add_column("documents", sa.Column("shelf", sa.String(50), nullable=True))\n'
        '    op.create_table("shelves", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.execute("DELETE FROM annotations")\n'
        '    raise RuntimeError("the disk is full")\n',
    )
    with pytest.raises(CatalogError, match="the disk is full"):
        open_catalog(url)
    with engine_of.connect() as conn:
        assert schema(conn) == before_schema and dump(conn) == before_rows
        assert revisions(conn) == before_revisions  # not even the baseline stamp stayed
        assert inspect(conn).has_table("alembic_version") == (made_by == "alembic")
        assert schema_number(conn) == before_number


@pytest.mark.parametrize("made_by", ["new", "before alembic"])
def test_opening_twice_changes_nothing_the_second_time(
    made_by: str, url: str, engine_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if made_by == "before alembic":
        make_pre_alembic_catalog(url, ROWS)
    open_catalog(url).close()
    with engine_of.connect() as conn:
        first_schema, first_rows, first_revisions = schema(conn), dump(conn), revisions(conn)
        first_number = schema_number(conn)

    def no_migration(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a catalog at the head is migrated again")

    monkeypatch.setattr(command, "upgrade", no_migration)
    monkeypatch.setattr(command, "stamp", no_migration)
    open_catalog(url).close()
    with engine_of.connect() as conn:
        assert schema(conn) == first_schema and dump(conn) == first_rows
        assert revisions(conn) == first_revisions == {HEAD}
        assert schema_number(conn) == first_number == int(HEAD)


def test_head_names_the_newest_revision_and_revisions_are_numbered_in_order() -> None:
    # open_catalog recognises a current catalog by HEAD without loading Alembic.
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD]
    history = [script.revision for script in scripts.walk_revisions()][::-1]
    assert history[0] == BASELINE
    assert history == [f"{number:04}" for number in range(1, len(history) + 1)]


def test_opening_a_current_catalog_does_not_load_alembic(url: str) -> None:
    open_catalog(url).close()
    probe = (
        "import sys; from reader.catalog import open_catalog; "
        f"open_catalog({url!r}).close(); "
        "sys.exit('alembic' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", probe], timeout=120).returncode == 0
