"""The archive's own order: the tree of repository > record group > series > box > folder >
item built from the catalog, the search fields repository:, rg:, series:, box:, folder:, item:
(from the command line, and as the scope of a place), and filing documents at a place and
putting them back, each reindexed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.archive_fields import MAX_KEY_CHARS, archive_key
from index.schema import INDEX_NAME, page_schema
from reader.archive_order import UNFILED, fields_of, in_place, place_label, within_query
from reader.cli import main
from reader.library import Library
from reader.metadata import InvalidMetadata
from reader.records import ArchiveNode, ArchiveTree
from tests.archive_catalog import BARCH, CATALOG, LONG, make_catalog

# The tree, depth first: (depth, label, documents).
OUTLINE = [
    (0, BARCH, 3),
    (1, "RH 26-118", 3),
    (2, "Item 20", 1),
    (2, "Item 21", 1),
    (2, "Item 22", 1),
    (0, "NARA", 6),
    (1, LONG, 1),  # a record group of ten thousand characters, whole in the data
    (1, "RG 238", 4),  # "RG 238", "238" and "Record Group 238" are one record group
    (2, "NOKW", 2),
    (3, "Box 2", 1),  # numbers in order: Box 2 before Box 10
    (3, "Box 10", 1),
    (2, "T-311", 1),
    (3, "Box 7/12", 1),
    (4, "Mappe 4", 1),
    (2, "Box 7", 1),  # a box of RG 238 without a series
    (1, "Box 7", 1),  # a box of NARA without a record group: another place
    # Cyrillic sorts among Latin as it is transliterated (index.folding): "vojni arhiv" first.
    (0, "Војни архив", 1),
    (1, "Box 1", 1),  # no record group or series: the box right under the repository
    (2, "Item 4", 1),
    (0, "Vojni arhiv, Beograd", 2),
    (1, "Box 12", 2),  # "K. 12" and "12": one kutija
    (0, "Unfiled", 2),
]


def outline(nodes: tuple[ArchiveNode, ...], depth: int = 0) -> Iterator[tuple[int, str, int]]:
    for node in nodes:
        yield depth, node.label, node.count
        yield from outline(node.children, depth + 1)


def every_node(tree: ArchiveTree) -> Iterator[ArchiveNode]:
    stack = list(tree.nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("archive")
    return root / "library", make_catalog(root / "library", root / "files")


@pytest.fixture
def writable(catalog: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[Library]:
    shutil.copytree(catalog[0], tmp_path / "library")
    with Library(tmp_path / "library") as library:
        yield library


def test_the_tree_shows_the_archive_order_with_counts(
    catalog: tuple[Path, dict[str, int]],
) -> None:
    with Library(catalog[0], read_only=True) as library:
        tree = library.archive_tree()
    assert tree.total == len(CATALOG)
    assert list(outline(tree.nodes)) == OUTLINE
    nara = tree.nodes[1]
    skipped = nara.children[-1]
    assert (skipped.level, skipped.place) == ("box", ("NARA", "", "", "7"))
    assert tree.nodes[-1].place == UNFILED
    # The spelling most documents use names the place, and a place counts what is filed at
    # it itself apart from what lies below.
    assert tree.nodes[0].place == (BARCH,)
    assert (nara.count, nara.here) == (6, 0)
    assert json.loads(json.dumps(tree.as_json()))["total"] == len(CATALOG)


def test_each_place_lists_and_searches_exactly_its_documents(
    catalog: tuple[Path, dict[str, int]],
) -> None:
    """What the table shows for a place (in_place), what a search scoped to it finds
    (within_query) and the count the tree gives agree, skipped levels and Unfiled included."""
    with Library(catalog[0], read_only=True) as library:
        documents = library.documents()
        for node in every_node(library.archive_tree()):
            listed = {d.title for d in documents if in_place(fields_of(d), node.place)}
            assert len(listed) == node.count, place_label(node.place)
            found = library.search("Mostar", within=within_query(node.place), limit=100)
            assert {hit.title for hit in found.hits} == listed, within_query(node.place)
    assert within_query(("NARA", "", "", "7")) == 'repository:"nara" NOT rg:* NOT series:* box:"7"'


def search_titles(capsys: pytest.CaptureFixture[str], folder: Path, query: str) -> set[str]:
    assert main(["--library", str(folder), "search", query, "--limit", "50", "--json"]) == 0
    return {hit["title"] for hit in json.loads(capsys.readouterr().out)["hits"]}


RG_238 = {"nara-box2", "nara-box10", "nara-rg-box7", "nara-t311"}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ('rg:"RG 238"', RG_238),
        ("rg:238", RG_238),  # with or without the level's word
        ('rg:"record group 238"', RG_238),
        ("rg:rg-238", RG_238),
        ("series:T-311", {"nara-t311"}),
        ('box:"Box 7/12"', {"nara-t311"}),
        ("box:7/12", {"nara-t311"}),
        ("box:7", {"nara-rg-box7", "nara-box7"}),  # box 7, not box 7/12
        ("box:12", {"va-k12", "va-12"}),  # a kutija written "K. 12"
        ('folder:"Mappe 4"', {"nara-t311"}),
        ("item:20", {"barch-20"}),
        ('repository:"Војни архив"', {"va-cyrillic"}),
        # Cyrillic and Latin are one script for search: Војни архив starts with "vojni".
        ("repository:vojni*", {"va-k12", "va-12", "va-cyrillic"}),
        ('repository:"Vojni arhiv"', {"va-cyrillic"}),
        ('repository:"bundesarchiv-militärarchiv, freiburg"', {"barch-20", "barch-21", "barch-22"}),
        ('repository:"BUNDESARCHIV-MILITARARCHIV, FREIBURG" item:22', {"barch-22"}),
        ("Mostar NOT rg:* NOT repository:*", {"memoir", "article"}),
        (f"rg:{LONG[:300]}", {"nara-long"}),  # an overlong value by its first characters
    ],
)
def test_search_by_the_archive_fields_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
    catalog: tuple[Path, dict[str, int]],
    query: str,
    titles: set[str],
) -> None:
    assert search_titles(capsys, catalog[0], query) == titles


def test_a_field_that_is_no_field_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], catalog: tuple[Path, dict[str, int]]
) -> None:
    assert main(["--library", str(catalog[0]), "search", "shelf:3", "--json"]) != 0
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and 'no field "shelf"' in error and "rg" in error


@pytest.mark.parametrize(
    ("level", "one", "other"),
    [
        ("record_group", "RG 238", "238"),
        ("record_group", "Record Group 238", "rg238"),
        ("box", "Box 7/12", "7/12"),
        ("box", "K. 12", "12"),
        ("repository", "Vojni arhiv, Beograd", "VOJNI ARHIV,  BEOGRAD"),
        ("repository", "Bundesarchiv-Militärarchiv", "bundesarchiv-militararchiv"),
        ("series", "Series NOKW", "nokw"),
    ],
)
def test_spellings_of_one_value_have_one_key(level: str, one: str, other: str) -> None:
    assert archive_key(level, one) == archive_key(level, other) != ""
    assert archive_key(level, archive_key(level, one)) == archive_key(level, one)


def test_keys_keep_what_tells_values_apart() -> None:
    assert archive_key("box", "Box 7") != archive_key("box", "Box 7/12")
    assert archive_key("box", "Kraljevo") == "kraljevo"  # "k" is a level word only alone
    assert archive_key("box", "Box") == "box"  # nothing left without it: the word is the value
    assert archive_key("repository", "RG 238") == "rg 238"  # no level words for a repository
    assert archive_key("box", '"A"') == "a"  # a quote would end a quoted query value
    assert len(archive_key("record_group", LONG)) == MAX_KEY_CHARS


def test_filing_at_a_place_and_putting_back_are_reindexed(
    writable: Library, catalog: tuple[Path, dict[str, int]]
) -> None:
    ids = catalog[1]
    place = ("NARA", "238", "NOKW")
    filing = writable.file_documents([ids["memoir"], ids["barch-20"], 999_999], place)
    assert filing.before[ids["memoir"]] == UNFILED
    assert filing.missing == ["no document with id 999999"]  # the rest is filed
    memoir, barch = writable.document(ids["memoir"]), writable.document(ids["barch-20"])
    assert fields_of(memoir) == ("NARA", "238", "NOKW", "", "", "")
    assert fields_of(barch) == ("NARA", "238", "NOKW", "", "", "20")  # its own item kept
    titles = {hit.title for hit in writable.search("series:NOKW", limit=50).hits}
    assert titles == {"nara-box2", "nara-box10", "memoir", "barch-20"}
    assert "memoir" not in {h.title for h in writable.search("Mostar NOT rg:*", limit=50).hits}

    restored = writable.restore_filing(filing)
    assert restored.before[ids["barch-20"]] == ("NARA", "238", "NOKW", "", "", "20")
    assert fields_of(writable.document(ids["barch-20"])) == CATALOG["barch-20"]
    assert fields_of(writable.document(ids["memoir"])) == UNFILED
    titles = {hit.title for hit in writable.search("series:NOKW", limit=50).hits}
    assert titles == {"nara-box2", "nara-box10"}


def test_filing_as_unfiled_clears_every_level_and_a_long_value_moves_whole(
    writable: Library, catalog: tuple[Path, dict[str, int]]
) -> None:
    ids = catalog[1]
    writable.file_documents([ids["va-cyrillic"]], UNFILED)
    assert fields_of(writable.document(ids["va-cyrillic"])) == UNFILED
    # A document whose record group no edit would accept still moves, and comes back whole.
    filing = writable.file_documents([ids["nara-long"]], ("Vojni arhiv, Beograd",))
    assert writable.document(ids["nara-long"]).record_group == ""
    writable.restore_filing(filing)
    assert writable.document(ids["nara-long"]).record_group == LONG
    assert {h.title for h in writable.search(f"rg:{LONG[:50]}*").hits} == {"nara-long"}


def test_a_place_the_catalog_cannot_keep_is_refused_and_nothing_moves(
    writable: Library, catalog: tuple[Path, dict[str, int]]
) -> None:
    ids = catalog[1]
    with pytest.raises(InvalidMetadata, match="the record group is longer than 100 characters"):
        writable.file_documents([ids["memoir"], ids["article"]], ("NARA", "9" * 101))
    assert fields_of(writable.document(ids["memoir"])) == UNFILED
    with pytest.raises(ValueError, match="not the whole library"):
        writable.file_documents([ids["memoir"]], ())


def test_an_index_from_before_the_archive_fields_is_rebuilt_with_them(
    writable: Library, catalog: tuple[Path, dict[str, int]]
) -> None:
    """An index the previous schema wrote (no archive fields) and a catalog whose pages are
    all marked indexed: the new version indexes every page again."""
    from whoosh import index

    folder = writable.folder
    writable.close()
    shutil.rmtree(folder / "index")
    (folder / "index").mkdir()
    version = int(INDEX_NAME.removeprefix("pages_v"))
    old_schema = page_schema()
    for name in ("repository", "rg", "series", "box", "folder", "item"):
        old_schema.remove(name)
    index.create_in(str(folder / "index"), old_schema, indexname=f"pages_v{version - 1}")
    with Library(folder) as reopened:
        assert {h.title for h in reopened.search("rg:238", limit=50).hits} == RG_238


def test_the_tree_and_filing_on_each_catalog_backend(
    backend_library: Library, tmp_path: Path
) -> None:
    """SQLite and PostgreSQL group, order and write the archive fields alike."""
    files = tmp_path / "files"
    files.mkdir()
    for name in ("a", "b", "c"):
        (files / f"{name}.txt").write_text(f"Report {name} on the bridge at Mostar.\n")
    ids = {Path(d.path).stem: d.id for d in backend_library.import_paths([files]).imported}
    backend_library.file_documents([ids["a"], ids["b"]], ("Vojni arhiv, Beograd", "", "", "K. 12"))
    backend_library.file_documents([ids["b"]], ("Vojni arhiv, Beograd", "", "", "12"))
    tree = backend_library.archive_tree()
    assert list(outline(tree.nodes)) == [
        (0, "Vojni arhiv, Beograd", 2), (1, "Box 12", 2), (0, "Unfiled", 1)
    ]  # fmt: skip
    assert {h.doc for h in backend_library.search("box:12").hits} == {ids["a"], ids["b"]}
