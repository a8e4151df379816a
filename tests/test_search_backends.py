"""The two search backends on the same catalog: every query of the search tests answered by
Whoosh and by PostgreSQL, the page sets compared; and what only the PostgreSQL backend has to
get right (its tables in step with the catalog, a server that goes away, queries it refuses).

The library's catalog is on PostgreSQL ($ARCHIVE_READER_TEST_POSTGRES, which ./dev test
sets); one Library object searches it with Whoosh (its index in the folder), another with the
server's full-text search. Both read the same pages of the same catalog, so documents have
the same ids and the hits can be compared as they stand.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from index.api import QueryError
from reader.catalog import CatalogError
from reader.cli import main
from reader.library import Library, SearchServerError
from reader.records import MetadataChanges
from tests.conftest import POSTGRES_ENV, REQUIRE_POSTGRES_ENV
from tests.test_search import PAGES, make_pdf

# Words of the generated pages: OCR-damaged spellings and accents among them.
VOCABULARY = [
    "convoy",
    "convoys",
    "c0nvoy",
    "valley",
    "road",
    "night",
    "day",
    "bridge",
    "partisans",
    "column",
    "columns",
    "colum",
    "moved",
    "moving",
    "supply",
    "supplies",
    "officer",
    "officers",
    "Mostar",
    "Mostra",
    "Nevesinje",
    "Neretva",
    "Mihailović",
    "Mihailovic",
    "Mihailovich",
    "Horstenau",
    "Horstenan",
    "Glaise",
    "telegram",
    "report",
    "reprisal",
    "reprisals",
    "village",
    "villages",
    "Straße",
    "Strasse",
    "Kraljevo",
    "Zagreb",
    "Belgrade",
    "Ustaša",
    "Ustasa",
    "Đurić",
    "Djuric",
    "mountains",
    "spring",
    "garden",
]
COMMON = ["the", "of", "in", "and", "to", "a", "on", "at", "by", "for", "with", "from"]


def _generated_pdf(path: Path, pages: int, seed: int) -> None:
    rng = random.Random(seed)
    pdf = pymupdf.open()
    font = pymupdf.Font("cjk")
    for _ in range(pages):
        page = pdf.new_page()
        writer = pymupdf.TextWriter(page.rect)
        for line in range(12):
            words = [rng.choice(VOCABULARY if rng.random() < 0.6 else COMMON) for _ in range(9)]
            writer.append((60, 80 + 16 * line), " ".join(words), font=font, fontsize=10)
        writer.write_text(page)
    pdf.save(path)


def _server() -> str:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"no PostgreSQL server: ${POSTGRES_ENV} is not set")
        pytest.skip(f"no PostgreSQL server (set ${POSTGRES_ENV}; ./dev test starts one)")
    return server


@contextmanager
def _new_database() -> Iterator[str]:
    """A fresh database on the test server (its URL), dropped afterwards."""
    server = _server()
    name = f"archive_reader_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def catalog_on_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A library folder and a catalog database on the server holding the search tests'
    pages, two generated documents of 40 pages each, dates and places in the archive."""
    files = tmp_path_factory.mktemp("backends")
    for file_name, (pages, metadata) in PAGES.items():
        make_pdf(files / file_name, pages, metadata)
    _generated_pdf(files / "war-diary.pdf", 40, seed=1)
    _generated_pdf(files / "column-reports.pdf", 40, seed=2)
    folder = files / "library"
    with _new_database() as url:
        with Library(folder, url, search="postgresql") as library:
            library.import_paths(
                [files / "NOKW-1088.pdf", files / "NOKW-1080.pdf"], collection="Balkan files"
            )
            library.import_paths([files / "memoir.pdf"], kind="secondary")
            library.import_paths([files / "war-diary.pdf", files / "column-reports.pdf"])
            places = {
                1: MetadataChanges(date="1943-03-12", repository="NARA", record_group="RG 238",
                                   box="Box 7/12", languages=["deu"]),
                2: MetadataChanges(date="1943-05", repository="NARA", record_group="238"),
                3: MetadataChanges(date="1961"),
                4: MetadataChanges(date="1944-01", repository="Vojni arhiv", box="K. 12",
                                   languages=["srp_latn", "en"]),
                5: MetadataChanges(date="1884", series="T-311"),
            }  # fmt: skip
            for doc, changes in places.items():
                library.update_metadata(doc, changes)
        yield folder, url


@pytest.fixture(scope="module")
def both(catalog_on_server: tuple[Path, str]) -> Iterator[tuple[Library, Library]]:
    folder, url = catalog_on_server
    with (
        Library(folder, url, search="whoosh") as whoosh,
        Library(folder, url, search="postgresql") as postgres,
    ):
        yield whoosh, postgres


# Every query of tests/test_search.py and tests/test_archive_fields.py, and the query
# language's other forms, on pages where each matches something.
QUERIES = [
    "reprisals villages", '"order stood"', '"stood order"', "Mostar OR columns", "telegram",
    "officer NOT Mihailović", "(liaison OR spring) NOT came", "Nevesin*", '"in the spring"',
    '"in the town"', '"the in"', '"in the"', "Horstenau", "Horstenau~", "Mihailović",
    "Mihailovic", "Mihailovich", "MIHAILOVIĆ", "kind:primary Mihailović", "id:NOKW-1088 order",
    'id:"nokw 1080"', 'collection:"Balkan files" officer', "author:petrovic", "date:1943-03",
    "date:1943", "date:[1943-04 TO 1961]", "Mihailović OR garden", "convoy OR valley",
    "road NOT day", '"of the"', "colum~", "mov*", "convoy", "night road", '"the convoy"',
    '"of the" OR "valley of the"', '"convoy moved"', "rg:238", 'rg:"Record Group 238"', 'box:"Box 7/12"',
    "box:12", "Mostar NOT rg:*", "series:T-311", "repository:vojni*", "repository:NARA", '"convoy road"~3', "Strasse",
    "Straße", "Đurić", "Djuric", "Ustasa", "title:report", "title:telegram supplies",
    '"supply columns"', '"officer moved"~3', "Mih*ic", "c?nvoy", "convoy~2", "Mostar~1/2",
    "partisans AND (bridge OR Neretva) NOT night", "date:[TO 1943-04]", "kind:secondary",
    "situation", "NOT convoy", "doc:4 bridge", "source:embedded Zagreb", "Horstenau~2",
    "lang:de", "lang:deu order", "lang:sr convoy", "lang:en Mihailović", "Mostar NOT lang:de",
    "lang:s*", "convoy NOT lang:sr", "in:pages Horstenau", "NOT in:notes Mostar",
]  # fmt: skip

# Queries that must match nothing (words in the wrong order).
MATCH_NOTHING = {'"stood order"'}


def pages(library: Library, query: str, **options: object) -> tuple[int, set[tuple[int, int]]]:
    found = library.search(query, limit=10_000, with_boxes=False, **options)  # type: ignore[arg-type]
    return found.total, {(hit.doc, hit.page) for hit in found.hits}


@pytest.mark.parametrize("query", QUERIES)
def test_both_backends_find_the_same_pages(both: tuple[Library, Library], query: str) -> None:
    whoosh, postgres = both
    expected_total, expected = pages(whoosh, query)
    total, found = pages(postgres, query)
    assert found == expected
    assert total == expected_total
    assert bool(expected) == (query not in MATCH_NOTHING), query


def test_the_same_pages_with_kind_within_and_date_order(both: tuple[Library, Library]) -> None:
    whoosh, postgres = both
    assert pages(postgres, "Mihailović", kind="secondary") == pages(
        whoosh, "Mihailović", kind="secondary"
    )
    assert pages(postgres, "Mostar", within="rg:238") == pages(whoosh, "Mostar", within="rg:238")
    by_date = [
        [
            (h.doc, h.page)
            for h in library.search("Mihailović OR garden OR Zagreb", sort="date", limit=500).hits
        ]
        for library in both
    ]
    # Pages of one date come in the index's own order (Whoosh: its document numbers).
    dated = [[doc for doc, _ in hits] for hits in by_date]
    assert dated[0] == dated[1]


def test_hits_carry_the_same_json(both: tuple[Library, Library]) -> None:
    whoosh, postgres = both
    for query in ('"in the spring"', "Horstenau~", "Nevesin*"):
        left = whoosh.search(query, limit=500).hits
        right = postgres.search(query, limit=500).hits
        assert [
            (h.doc, h.page, h.snippet, h.title) for h in sorted(left, key=lambda h: (h.doc, h.page))
        ] == [
            (h.doc, h.page, h.snippet, h.title)
            for h in sorted(right, key=lambda h: (h.doc, h.page))
        ]
        assert all(h.score > 0 for h in right)
    hit = postgres.search('"in the spring"').hits[0]
    assert "<b>in</b> <b>the</b> <b>spring</b>" in hit.snippet


def test_the_exact_spelling_ranks_first_on_whoosh_the_pages_match_on_both(
    both: tuple[Library, Library],
) -> None:
    """Whoosh ranks the pages holding a word as typed first (index.query's `exact` field);
    the PostgreSQL backend does not (its scores are its own): the pages are the same."""
    whoosh, postgres = both
    for query in ("Mihailović", "Straße", "Đurić"):
        assert pages(postgres, query) == pages(whoosh, query)
        first = whoosh.search(query, limit=1).hits[0]
        assert query.lower() in whoosh.page(first.doc, first.page).text.lower()


def test_notes_are_searched_by_whoosh_only_and_postgres_says_so(
    catalog_on_server: tuple[Path, str], both: tuple[Library, Library]
) -> None:
    """The difference by design: the PostgreSQL backend holds the pages, not the notes. It
    refuses in:notes with the reason, and a search that does not keep to in:pages says in
    its notices (printed by the CLI, shown by the app) that notes were not searched; the
    pages it finds are those Whoosh finds in:pages."""
    whoosh, postgres = both
    made = postgres.annotate(1, 1, note="Zeppelinwerft remark about Horstenau", shared=True)
    try:
        found = whoosh.search("Zeppelinwerft")
        assert [(h.doc, h.page, h.layer) for h in found.hits] == [(1, 1, "notes")]
        assert [h.layer for h in whoosh.search("in:notes Horstenau").hits] == ["notes"]
        with pytest.raises(QueryError, match="in:notes cannot be searched on PostgreSQL"):
            postgres.search("in:notes Horstenau")
        with pytest.raises(QueryError, match="in:notes cannot be searched on PostgreSQL"):
            postgres.search("Mostar", within="in:notes")
        nothing = postgres.search("Zeppelinwerft")
        assert nothing.total == 0
        assert any("notes were not searched" in n for n in nothing.notices)
        default = postgres.search("Horstenau", limit=500)
        assert any("notes were not searched" in n for n in default.notices)
        assert {(h.doc, h.page) for h in default.hits} == pages(whoosh, "in:pages Horstenau")[1]
        assert default.total == pages(whoosh, "in:pages Horstenau")[0]
        assert pages(whoosh, "Horstenau")[0] == default.total + 1  # the note besides
        assert not postgres.search("in:pages Horstenau").notices
        assert not whoosh.search("Horstenau").notices
    finally:
        postgres.delete_annotation(made.id)
    assert whoosh.search("Zeppelinwerft").total == 0


def test_cli_says_on_stderr_that_notes_were_not_searched(
    catalog_on_server: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = catalog_on_server
    common = ["--library", str(folder), "--catalog", url, "--search", "postgresql"]
    assert main(["search", "Horstenau", *common]) == 0
    assert "notes were not searched" in capsys.readouterr().err
    assert main(["search", "in:notes Horstenau", *common]) == 1
    assert "in:notes cannot be searched on PostgreSQL" in capsys.readouterr().err


# What the PostgreSQL backend cannot answer as Whoosh does: refused there, with the reason.
DIFFERENCES = {
    # tsquery knows exact distances only: 3 words within 9 places is 81 spellings of it.
    '"convoy moved road"~9': "cannot look for 3 words within 9 places",
    # Two edits in four letters may leave no trigram in common: no index can narrow it.
    "road~2": "would match most words of that length",
    # A range of words (not of dates) has no meaning for a tsvector.
    "content:[a TO c]": "a range of words",
}


@pytest.mark.parametrize("query", DIFFERENCES)
def test_queries_postgres_cannot_express_are_refused_with_the_reason(
    both: tuple[Library, Library], query: str
) -> None:
    whoosh, postgres = both
    assert whoosh.search(query).total > 0  # Whoosh answers it
    with pytest.raises(QueryError, match=DIFFERENCES[query]):
        postgres.search(query)


@pytest.mark.parametrize(
    ("query", "message"),
    [("*", 'a lone "\\*"'), ("Mostar OR *", 'a lone "\\*"'), ("ab~", "too short"),
     ("zz~2", "too short")],
)  # fmt: skip
def test_queries_that_would_scan_everything_are_refused_by_both(
    both: tuple[Library, Library], query: str, message: str
) -> None:
    for library in both:
        with pytest.raises(QueryError, match=message):
            library.search(query)


def test_a_query_matching_more_pages_than_are_ranked_says_so_and_counts_them_all(
    both: tuple[Library, Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANKED_PAGES matches, the best hits are chosen among that many pages (reading
    every page's vector to rank it takes seconds on 100,000 pages): the count stays exact,
    the hits are pages the query matches, and the result says that not all were ranked."""
    from index import pg_search

    whoosh, postgres = both
    expected_total, expected = pages(whoosh, '"of the"')
    assert expected_total > 6
    monkeypatch.setattr(pg_search, "RANKED_PAGES", 6)
    found = postgres.search('"of the"', limit=4, with_boxes=False)
    assert found.total == expected_total
    assert len(found.hits) == 4 and {(h.doc, h.page) for h in found.hits} <= expected
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    said = [n for n in found.notices if "not all ranked" in n]
    assert said and f"{expected_total:,} pages match" in said[0] and "among 6 of them" in said[0]
    # Asking for more hits than that ranks as many: every page, here.
    assert pages(postgres, '"of the"') == (expected_total, expected)
    assert not [n for n in postgres.search('"of the"', limit=10_000).notices if "ranked" in n]
    few = postgres.search('"convoy moved"', limit=4)
    assert few.total <= 6 and not [n for n in few.notices if "ranked" in n]


def test_a_search_running_past_the_statement_timeout_is_stopped_with_a_message(
    both: tuple[Library, Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    from index import pg_search

    _, postgres = both
    monkeypatch.setattr(pg_search, "STATEMENT_TIMEOUT_MS", 100)

    def slow(conn: object, cursor: object, statement: str, *args: object) -> tuple[str, object]:
        parameters = args[0]
        if statement.startswith("SELECT count(*) FROM page_search WHERE"):
            statement += " AND pg_sleep(0.5) IS NOT NULL"
        return statement, parameters

    engine = postgres.catalog.engine
    event.listen(engine, "before_cursor_execute", slow, retval=True)
    try:
        with pytest.raises(QueryError, match=r"ran past 0\.1 s on the PostgreSQL server"):
            postgres.search("Mostar")
    finally:
        event.remove(engine, "before_cursor_execute", slow)
    assert postgres.search("Mostar").total  # the next search runs as before


def test_a_wildcard_standing_for_too_many_words_is_refused(
    both: tuple[Library, Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import pg_search

    whoosh, postgres = both
    # convoy, convoys and c0nvoy: three words of the lexicon.
    assert pages(postgres, "c?nvoy*") == pages(whoosh, "c?nvoy*")
    monkeypatch.setattr(pg_search, "MAX_WILDCARD_WORDS", 2)
    with pytest.raises(QueryError, match='"c\\?nvoy\\*" stands for more than 2 words'):
        postgres.search("c?nvoy*")
    one_word = pages(postgres, "c?nv*ys")  # convoys alone: answered
    assert one_word == pages(whoosh, "c?nv*ys") and one_word[0] > 0


def test_a_page_is_searchable_on_every_workstation_once_written(
    catalog_on_server: tuple[Path, str], tmp_path: Path
) -> None:
    """Another workstation (another library folder on the same catalog) finds a page the
    moment this one's edit is committed; a page taken out is gone for both."""
    folder, url = catalog_on_server
    with (
        Library(folder, url) as here,
        Library(tmp_path / "elsewhere", url) as there,
    ):
        assert here.search_backend_name == there.search_backend_name == "postgresql"
        note = tmp_path / "files" / "quisling.txt"
        note.parent.mkdir()
        note.write_text("The Quislingovich telegram reached Banja Luka.\n")
        doc = here.import_paths([note]).imported[0].id
        assert pages(there, "Quislingovic")[1] == {(doc, 1)}
        here.update_metadata(doc, MetadataChanges(record_group="RG 999"))
        assert pages(there, "rg:999 telegram")[1] == {(doc, 1)}
        assert not [p for p in there.check().problems if p.path == "PostgreSQL search"]
        with here.session() as session:
            from reader.models import Document

            session.delete(session.get(Document, doc))
            session.commit()
        assert pages(there, "Quislingovic") == (0, set())
    # A workstation rebuilding its own Whoosh index on the shared catalog (every page's
    # `indexed` flag cleared) leaves the server's search tables as they are.
    with Library(tmp_path / "whoosh-station", url, search="whoosh") as station:
        station.reindex()
        with station.session() as session:
            waiting = session.execute(text("SELECT count(*) FROM page_search_waiting"))
            assert waiting.scalar_one() == 0


def test_a_sync_leaves_no_pending_list_for_searches_to_read(
    catalog_on_server: tuple[Path, str], tmp_path: Path
) -> None:
    """The GIN indexes' pending lists (fast update) are read whole by every search: the
    sync that wrote pages empties them."""
    folder, url = catalog_on_server
    with Library(folder, url) as library:
        text_file = tmp_path / "pending.txt"
        text_file.write_text("The Drvar convoy moved at night.\n")
        doc = library.import_paths([text_file]).imported[0].id
        assert pages(library, '"drvar convoy"')[1] == {(doc, 1)}
        with library.catalog.engine.begin() as connection:
            for column in ("content", "pairs", "meta"):
                flushed = connection.execute(
                    text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"),
                    {"index": f"ix_page_search_{column}"},
                ).scalar_one()
                assert flushed == 0, column


def test_citations_resolve_alike_through_either_backend(
    catalog_on_server: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = catalog_on_server
    article = tmp_path / "article.txt"
    article.write_text(
        'The officer wrote that "the order stood: reprisals against the villages near '
        'Nevesinje" (NOKW-1088), and that "Mihailovich, as the English wrote his name, was '
        'never seen in the town."\n'
    )
    results: list[list[tuple[str, str, tuple[int, int] | None]]] = []
    for search in ("whoosh", "postgresql"):
        with Library(folder, url, search=search) as library:
            if not results:
                doc = library.import_paths([article], kind="secondary").imported[0].id
            cited = library.cite(doc, with_boxes=False).citations
            results.append(
                [(c.kind, c.text, c.target and (c.target.doc, c.target.page)) for c in cited]
            )
    assert results[0] == results[1]
    targets = {target for _, _, target in results[1]}
    assert (1, 2) in targets and (3, 1) in targets


def test_a_server_gone_mid_search_is_a_clear_error_and_the_library_goes_on(
    catalog_on_server: tuple[Path, str],
) -> None:
    folder, url = catalog_on_server
    with Library(folder, url) as library:
        assert library.search("Mostar").total
        engine = library.catalog.engine
        killer = create_engine(_server(), isolation_level="AUTOCOMMIT")
        from sqlalchemy import event

        def terminate(conn: object, cursor: object, statement: str, *args: object) -> None:
            if statement.startswith("SELECT count(*) FROM page_search WHERE"):
                pid = cursor.connection.info.backend_pid  # type: ignore[attr-defined]
                with killer.connect() as admin:
                    admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        event.listen(engine, "before_cursor_execute", terminate)
        try:
            with pytest.raises(SearchServerError, match="cannot be reached"):
                library.search("Mostar")
        finally:
            event.remove(engine, "before_cursor_execute", terminate)
            killer.dispose()
        assert isinstance(SearchServerError("x"), CatalogError)  # the CLI and app report it
        assert library.search("Mostar").total  # the next search runs on a new connection


def test_a_catalog_searched_before_pairs_is_written_again_with_them(tmp_path: Path) -> None:
    """Migration 0008 on a catalog whose search tables 0007 made and filled (the common
    pairs in `content`, the vector in the row): the `pairs` vector with its index, the
    vectors out of the row, every page waiting; the next search writes them and finds the
    phrase of two uncommon words from its pair."""
    from alembic import command
    from sqlalchemy import insert

    from reader.catalog import HEAD, alembic_config
    from reader.models import Document, Page

    with _new_database() as url:
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                command.upgrade(alembic_config(connection), "0007")
                connection.execute(
                    insert(Document),
                    [{"id": 1, "title": "Convoy report", "source_path": "/r.pdf", "size": 1,
                      "sha256": "0" * 64, "media_type": "application/pdf", "page_count": 1}],
                )  # fmt: skip
                connection.execute(
                    insert(Page),
                    [{"id": 1, "document_id": 1, "number": 1, "text_source": "embedded",
                      "text": "The convoy moved up the valley of the Neretva."}],
                )  # fmt: skip
                # As 0007's writer left it: written, off the waiting list.
                connection.execute(
                    text(
                        "INSERT INTO page_search (page_id, doc, page, revision, content, meta) "
                        "SELECT 1, 1, 1, revision, CAST(:content AS tsvector), '' "
                        "FROM pages WHERE id = 1"
                    ),
                    {"content": "the:1 convoy:2 moved:3 'of the':7"},
                )
                connection.execute(text("DELETE FROM page_search_waiting"))
            with Library(tmp_path / "library", url, search="postgresql") as library:
                with engine.connect() as connection:
                    assert (
                        connection.execute(
                            text("SELECT version_num FROM alembic_version")
                        ).scalar_one()
                        == HEAD
                    )
                    storage = connection.execute(
                        text(
                            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = "
                            "'page_search'::regclass AND attname IN ('content', 'pairs')"
                        )
                    ).all()
                    assert dict(storage) == {"content": "x", "pairs": "x"}
                    assert connection.execute(
                        text("SELECT page_id FROM page_search_waiting")
                    ).scalars().all() == [1]
                found = library.search('"convoy moved"')
                assert found.total == 1 and [(h.doc, h.page) for h in found.hits] == [(1, 1)]
                assert library.search('"valley of the Neretva"').total == 1
                assert library.search('"moved convoy"').total == 0
                with engine.connect() as connection:
                    pairs = connection.execute(text("SELECT pairs FROM page_search")).scalar_one()
                    assert "'convoy moved':2" in pairs and "'of the':7" in pairs
                    content = connection.execute(
                        text("SELECT content FROM page_search")
                    ).scalar_one()
                    assert "'of the'" not in content
        finally:
            engine.dispose()


def test_postgres_search_needs_a_catalog_on_postgres(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="needs a catalog on PostgreSQL"):
        Library(tmp_path / "library", search="postgresql")
    with Library(tmp_path / "library") as library:
        assert library.search_backend_name == "whoosh"


def test_cli_search_through_either_backend(
    catalog_on_server: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = catalog_on_server
    results = []
    for search in ("whoosh", "postgresql"):
        # All the pages: the best 20 differ, Whoosh ranking the spelling typed first.
        arguments = ["search", "Mihailović", "--json", "--limit", "1000", "--library", str(folder)]
        assert main([*arguments, "--catalog", url, "--search", search]) == 0
        results.append(json.loads(capsys.readouterr().out))
    assert results[0]["total"] == results[1]["total"] > 0
    for hit in results[1]["hits"]:
        assert set(hit) >= {"doc", "title", "page", "score", "snippet", "identifiers"}
    assert {(h["doc"], h["page"]) for h in results[0]["hits"]} == {
        (h["doc"], h["page"]) for h in results[1]["hits"]
    }
    sqlite = ["search", "Mostar", "--library", str(tmp_path / "plain"), "--search", "postgresql"]
    assert main(sqlite) == 1
    assert "needs a catalog on PostgreSQL" in capsys.readouterr().err


def test_vectors_hold_the_words_and_places_whoosh_indexes() -> None:
    """No server needed: the literals the PostgreSQL side writes for a page."""
    from index.folding import terms_of
    from index.pg_write import (
        MAX_PLACES,
        MAX_POSITION,
        content_literal,
        pairs_literal,
        quoted_lexeme,
        vector_literal,
    )

    words = terms_of("Report of the Hor-\nstenau war in the east; l'Ouest")
    assert words == ["report", "of", "the", "horstenau", "war", "in", "the", "east", "l", "ouest"]
    literal = content_literal(words)
    assert literal == vector_literal([(words, "D")])
    assert "'the':3,7" in literal and "'in the'" not in literal
    # Every two adjacent words, common or not, at the first one's place.
    pairs = pairs_literal(words)
    assert pairs.split() == [
        "'report", "of':1", "'of", "the':2", "'the", "horstenau':3", "'horstenau", "war':4",
        "'war", "in':5", "'in", "the':6", "'the", "east':7", "'east", "l':8", "'l", "ouest':9",
    ]  # fmt: skip
    many = content_literal(["the"] * 300)
    assert many.split()[0] == "'the':" + ",".join(str(n) for n in range(1, MAX_PLACES + 1))
    assert pairs_literal(["the"] * 300).startswith("'the the':1,2,3,")
    # A page past PostgreSQL's last place: its pairs there are all at that place, once.
    long = pairs_literal([f"w{n}" for n in range(1, MAX_POSITION + 3)] + ["x", "y", "x", "y"])
    assert f"'w{MAX_POSITION - 1} w{MAX_POSITION}':{MAX_POSITION - 1} " in long
    assert f"'w{MAX_POSITION + 2} x':{MAX_POSITION} " in long
    assert long.endswith(f"'x y':{MAX_POSITION} 'y x':{MAX_POSITION}")
    assert quoted_lexeme("o'brien\\") == "'o''brien\\\\'"
    assert content_literal(["x" * 3000, "y"]) == "'y':2"  # too long for PostgreSQL: left out
    assert pairs_literal(["x" * 3000, "y", "z"]) == "'y z':2"
