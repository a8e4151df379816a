"""Full-text search over every page: syntax, OCR tolerance, filters, positions, crash safety."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from whoosh.fields import TEXT
from whoosh.query import Phrase

from index.analysis import COMMON_AFTER, COMMON_BEFORE, page_analyzer
from index.folding import join_line_end_hyphens, terms_of
from index.pagetext import PageText, common_words_beside
from index.phrase import ExactPhrase
from index.query import QueryError, parse_query
from index.schema import SCHEMA_VERSION, create_index
from index.scoring import PageWeighting
from index.search import expand_fuzzy_terms, search
from index.writer import PageRecord, update_pages
from reader import library as library_module
from reader.cli import main
from reader.library import Library

PAGES = {
    "NOKW-1088.pdf": (
        ["Report to General Glaise von Hor-\nstenau on the situation at Mostar.",
         "The order stood: reprisals against the villages near Nevesinje."],
        {"title": "Situation report", "author": "Staff officer"},
    ),
    "NOKW-1080.pdf": (
        ["Horstenan was informed of the supply columns by telegram.",
         "Mihailović and his officers met the liaison officer."],
        {"title": "Telegram on supplies"},
    ),
    "memoir.pdf": (
        ["Mihailovich, as the English wrote his name, was never seen in the town.",
         "Mihailovic came down from the mountains in the spring."],
        {"title": "Years in the Mountains", "author": "Marko Petrović"},
    ),
}  # fmt: skip


def make_pdf(path: Path, pages: list[str], metadata: dict[str, str]) -> None:
    pdf = pymupdf.open()
    font = pymupdf.Font("cjk")  # MuPDF's built-in Unicode font: base-14 fonts lack "ć"
    for text in pages:
        page = pdf.new_page()
        writer = pymupdf.TextWriter(page.rect)
        for line_number, line in enumerate(text.split("\n")):
            writer.append((72, 100 + 14 * line_number), line, font=font, fontsize=11)
        writer.write_text(page)
    pdf.set_metadata(metadata)
    pdf.subset_fonts()
    pdf.save(path)


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("search")
    for name, (pages, metadata) in PAGES.items():
        make_pdf(folder / name, pages, metadata)
    library = Library(folder / "library")
    library.import_paths(
        [folder / "NOKW-1088.pdf", folder / "NOKW-1080.pdf"], collection="Balkan files"
    )
    library.import_paths([folder / "memoir.pdf"], kind="secondary")
    library.import_paths([realdata / "c02-22.pdf"], collection="Twain")
    library.run_ocr()
    with library.session() as session:
        from reader.models import Document

        for doc, date in ((1, "1943-03-12"), (2, "1943-05"), (3, "1961"), (4, "1884")):
            session.get(Document, doc).date = date  # type: ignore[union-attr]
        session.commit()
    library.reindex()
    yield library
    library.close()


def found(library: Library, query: str, **options: object) -> list[tuple[int, int]]:
    return [(hit.doc, hit.page) for hit in library.search(query, **options).hits]  # type: ignore[arg-type]


@pytest.mark.slow
def test_words_phrases_and_operators(searchable: Library) -> None:
    assert found(searchable, "reprisals villages") == [(1, 2)]
    assert found(searchable, '"order stood"') == [(1, 2)]
    assert found(searchable, '"stood order"') == []
    assert sorted(found(searchable, "Mostar OR columns")) == [(1, 1), (2, 1)]
    assert sorted(found(searchable, "telegram")) == [(2, 1)]  # the title: the first page
    assert found(searchable, "officer NOT Mihailović") == []
    assert sorted(found(searchable, "(liaison OR spring) NOT came")) == [(2, 2)]
    assert sorted(found(searchable, "Nevesin*")) == [(1, 2)]


@pytest.mark.slow
def test_phrases_of_common_words_are_exact(searchable: Library) -> None:
    # "in the" is indexed as one term; "the town" is checked word by word after it.
    assert found(searchable, '"in the spring"') == [(3, 2)]
    assert found(searchable, '"in the town"') == [(3, 1)]
    assert found(searchable, '"the in"') == []
    in_the = found(searchable, '"in the"')
    assert {(3, 1), (3, 2)} <= set(in_the)
    assert (1, 2) not in in_the  # "against the villages near": both words, not the phrase
    hit = searchable.search('"in the spring"').hits[0]
    assert "<b>in</b> <b>the</b> <b>spring</b>" in hit.snippet


def test_page_text_is_written_as_the_analyzer_reads_it() -> None:
    # Pages are indexed from their folded words; queries go through the analyzer. Both must
    # give the same terms, counts and positions, or phrases would stop matching.
    text = (
        "Mihailović's men met Glaise von Hor-\nstenau; the Straße, the STRASSE and the "
        "Mihailovich of the report: the the the. Ø 1943-03 ½ naïve\tcafé."
    )
    analyzed = TEXT(analyzer=page_analyzer())
    written = PageText(analyzer=page_analyzer())

    def readable(postings: Iterator[tuple[bytes, int, float, bytes]]) -> list[object]:
        decode = analyzed.format.decode_positions
        return sorted(
            (term, count, weight, decode(value)) for term, count, weight, value in postings
        )

    expected = readable(analyzed.index(join_line_end_hyphens(text)))
    assert readable(written.index(terms_of(text))) == expected
    assert (b"the", 7, 7.0, [7, 9, 12, 15, 17, 18, 19]) in expected
    assert b"horstenau" in [posting[0] for posting in expected]


def test_each_word_records_the_common_words_beside_it() -> None:
    postings = PageText().index(terms_of("The column of the valley road; road of the valley"))
    beside = {term: sorted(common_words_beside(value)) for term, _, _, value in postings}
    assert beside[b"valley"] == [COMMON_BEFORE["the"]]
    assert beside[b"road"] == [COMMON_AFTER["of"]]
    assert beside[b"column"] == sorted([COMMON_BEFORE["the"], COMMON_AFTER["of"]])
    assert beside[b"of"] == sorted([COMMON_AFTER["the"]])


@pytest.mark.slow
def test_exact_phrases_match_the_pages_whoosh_phrases_match(tmp_path: Path) -> None:
    # Few words, many repeats: phrases that occur, overlap ("the the the") or only nearly occur.
    rng = random.Random(5)
    words = ["the", "of", "convoy", "night", "road", "the", "column", "moved", "by", "day"]
    texts = [" ".join(rng.choices(words, k=rng.randint(3, 60))) for _ in range(400)]
    records = [
        PageRecord(doc=number + 1, page=1, text=text, title="", kind="primary", collection="",
                   identifiers=(), authors=(), date="", source="embedded", confidence=None)
        for number, text in enumerate(texts)
    ]  # fmt: skip
    ix = create_index(tmp_path / "index")
    update_pages(ix, records)
    # Rewritten pages leave deleted ones behind in the first segment; those must not match.
    rewritten = [replace(record, text=" ".join(rng.choices(words, k=30))) for record in records]
    update_pages(ix, rewritten[::3], merge=False)
    checked = 0
    with ix.searcher() as searcher:
        assert searcher.reader().has_deletions()
        for _ in range(150):
            phrase = rng.choices(words, k=rng.randint(2, 4))
            theirs = {hit.docnum for hit in searcher.search(Phrase("content", phrase), limit=None)}
            ours = {
                hit.docnum for hit in searcher.search(ExactPhrase("content", phrase), limit=None)
            }
            assert ours == theirs, phrase
            checked += bool(theirs)
    assert checked > 50  # most phrases matched somewhere


def test_pages_are_scored_and_counted_as_plain_whoosh_would(tmp_path: Path) -> None:
    # Searches take field lengths from memory and drop empty branches (index.scoring,
    # index.pruning): the same pages with the same scores as Whoosh's own run of the query,
    # over segments with deleted pages and titles on first pages only.
    rng = random.Random(9)
    words = ["the", "of", "convoy", "night", "road", "column", "moved", "by", "day", "valley"]
    records = [
        PageRecord(doc=doc, page=page, text=" ".join(rng.choices(words, k=rng.randint(3, 80))),
                   title=" ".join(rng.choices(words, k=3)), kind="primary", collection="",
                   identifiers=(), authors=(), date="", source="embedded", confidence=None)
        for doc in range(1, 120) for page in range(1, 4)
    ]  # fmt: skip
    ix = create_index(tmp_path / "index")
    update_pages(ix, records)
    update_pages(ix, [replace(r, text="the road by day") for r in records[::4]], merge=False)
    queries = ["convoy", "night road", '"the convoy"', '"valley of the"', '"convoy moved"',
               "convoy OR valley", "road NOT day", '"of the"', "colum~", "mov*"]  # fmt: skip
    with ix.searcher() as plain, ix.searcher(weighting=PageWeighting()) as ours:
        assert len(ours.reader().leaf_readers()) == 2
        for text in queries:
            query = expand_fuzzy_terms(parse_query(text, plain.schema), plain)
            expected = {
                (hit["doc"], hit["page"]): round(hit.score, 4)
                for hit in plain.search(query, limit=None)
            }
            found = search(ours, text, limit=len(records))
            assert found.total == len(expected) > 0, text
            assert {(hit.doc, hit.page): hit.score for hit in found.hits} == expected, text


def test_an_index_of_an_older_schema_is_rebuilt_from_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("The columns moved only by day.")
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path / "note.txt"])
    for old in (tmp_path / "lib" / "index").iterdir():  # as if written by another version
        old.unlink()
    with Library(tmp_path / "lib") as library:
        assert found(library, '"by day"') == [(1, 1)]
        assert library.check().ok


def test_the_files_of_an_older_index_version_are_removed_when_it_is_rebuilt(
    tmp_path: Path,
) -> None:
    (tmp_path / "note.txt").write_text("The columns moved only by day.")
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path / "note.txt"])
    folder = tmp_path / "lib" / "index"
    older, ours = f"v{SCHEMA_VERSION - 1}", f"v{SCHEMA_VERSION}"
    for path in list(folder.iterdir()):  # the same files, as an older version named them
        path.rename(path.with_name(path.name.replace(ours, older)))
    (folder / "notes-of-mine.txt").write_text("not the index's")
    left_behind = sorted(p.name for p in folder.iterdir() if older in p.name)
    assert any(name.endswith(".seg") for name in left_behind)
    with Library(tmp_path / "lib") as library:
        assert found(library, '"by day"') == [(1, 1)]
    names = {p.name for p in folder.iterdir()}
    assert not names & set(left_behind)
    assert "notes-of-mine.txt" in names
    assert any(ours in name for name in names)


@pytest.mark.slow
def test_totals_count_every_page_an_or_matches(tmp_path: Path) -> None:
    # Pages that match only the weak side of an OR cannot reach the top hits; they still count.
    # Over 5,000 pages, where Whoosh unions spellings pairwise and prunes weak branches.
    filler = "The supply column moved on by night along the valley road. " * 15
    texts = ["Partisans partisans partisans."] * 30
    texts += [f"{filler} Convoy. {filler}"] * 30 + [f"{filler} Convoi. {filler}"] * 30
    texts += ["Nothing of interest on this page."] * 5000
    records = [
        PageRecord(doc=number + 1, page=1, text=text, title="", kind="primary", collection="",
                   identifiers=(), authors=(), date="", source="embedded", confidence=None)
        for number, text in enumerate(texts)
    ]  # fmt: skip
    ix = create_index(tmp_path / "index")
    update_pages(ix, records)
    with ix.searcher() as searcher:
        assert search(searcher, "partisans OR convoy", limit=5).total == 60
        assert search(searcher, "partisans OR convoy~", limit=5).total == 90
        assert search(searcher, "convoy~", limit=5).total == 60
        assert search(searcher, "convoy~", limit=5, kind="secondary").total == 0


@pytest.mark.slow
def test_a_rebuild_in_two_processes_agrees_with_the_catalog(tmp_path: Path) -> None:
    for number in range(40):
        (tmp_path / f"note-{number:02}.txt").write_text(f"Column {number} moved only by day.")
    with Library(tmp_path / "lib") as library:
        library.import_paths(sorted(tmp_path.glob("*.txt")))
        before = library.search('"by day"', limit=100)
        assert library.reindex(procs=2) == 40
        after = library.search('"by day"', limit=100)
        assert after.total == before.total == 40
        assert {(h.doc, h.page) for h in after.hits} == {(h.doc, h.page) for h in before.hits}
        assert library.check().ok


@pytest.mark.slow
def test_ocr_damage_and_line_end_hyphens_are_found_fuzzily(searchable: Library) -> None:
    assert found(searchable, "Horstenau") == [(1, 1)]  # "Hor-\nstenau" joined at the line end
    assert sorted(found(searchable, "Horstenau~")) == [(1, 1), (2, 1)]  # and "Horstenan"


@pytest.mark.slow
def test_accents_and_transliterations_are_one_name(searchable: Library) -> None:
    expected = [(2, 2), (3, 1), (3, 2)]
    for spelling in ("Mihailović", "Mihailovic", "Mihailovich", "MIHAILOVIĆ"):
        assert sorted(found(searchable, spelling)) == expected, spelling


@pytest.mark.slow
def test_field_filters_and_date_sorting(searchable: Library) -> None:
    assert sorted(found(searchable, "kind:primary Mihailović")) == [(2, 2)]
    assert sorted(found(searchable, "Mihailović", kind="secondary")) == [(3, 1), (3, 2)]
    assert found(searchable, "id:NOKW-1088 order") == [(1, 2)]
    assert sorted(found(searchable, 'id:"nokw 1080"')) == [(2, 1), (2, 2)]
    assert sorted(found(searchable, 'collection:"Balkan files" officer')) == [(2, 2)]
    assert sorted(found(searchable, "author:petrovic")) == [(3, 1)]
    assert sorted(found(searchable, "date:1943-03")) == [(1, 1), (1, 2)]
    assert sorted(found(searchable, "date:1943")) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert sorted(found(searchable, "date:[1943-04 TO 1961]")) == [(2, 1), (2, 2), (3, 1), (3, 2)]
    by_date = found(searchable, "Mihailović OR garden", sort="date")
    assert [doc for doc, _ in by_date] == [4, 2, 3, 3]


@pytest.mark.slow
def test_hits_carry_snippets_confidence_and_positions(searchable: Library) -> None:
    scan = searchable.search("garden").hits[0]
    assert (scan.doc, scan.page, scan.source) == (4, 1, "ocr")
    assert scan.confidence is not None and scan.confidence > 70
    assert "<b>garden</b>" in scan.snippet
    assert scan.boxes, "an OCR'd page gives the word boxes of the hit"
    with searchable.session() as session:
        from reader.models import Page

        words = session.query(Page).filter_by(document_id=4, number=1).one().words
    garden = [w[:4] for w in words if "garden" in str(w[4]).lower()]
    assert scan.boxes == garden

    digital = searchable.search("Nevesinje").hits[0]
    assert digital.source == "embedded" and digital.confidence is None
    with pymupdf.open(searchable.document(1).path) as pdf:
        expected = pdf[1].search_for("Nevesinje")[0]
    # The PDF's word is "Nevesinje." with its full stop, a few points wider.
    assert digital.boxes[0] == pytest.approx(list(expected), abs=4)
    assert digital.title == "Situation report" and digital.identifiers == ["NOKW-1088"]


@pytest.mark.slow
def test_clear_errors_for_queries_that_cannot_run(
    searchable: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(QueryError, match="empty"):
        searchable.search("   ")
    assert main(["search", "", "--library", str(searchable.folder)]) == 1
    assert "the query is empty" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_search_json_shape(searchable: Library, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["search", "Mihailović", "--limit", "2", "--json", "--library", str(searchable.folder)]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["query"] == "Mihailović" and result["total"] == 3 and len(result["hits"]) == 2
    for hit in result["hits"]:
        assert set(hit) >= {"doc", "title", "page", "score", "snippet", "identifiers"}
        assert hit["page"] >= 1


def test_documents_become_searchable_as_they_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_module, "INDEX_INTERVAL", 0.0)
    for number in range(4):
        (tmp_path / f"note{number}.txt").write_text(f"Field note {number}: word{number}unique.")
    seen_during_import: list[int] = []
    with Library(tmp_path / "lib") as library, Library(tmp_path / "lib") as reader:

        def look(progress: object) -> None:
            if getattr(progress, "done", 0) == 3:
                seen_during_import.append(len(reader.search("word0unique").hits))

        library.import_paths(sorted(tmp_path.glob("*.txt")), progress=look)  # type: ignore[arg-type]
    assert seen_during_import == [1]


KILL_MID_WRITE = """
import os, signal, sys
from pathlib import Path
import index.writer as writer
from reader.library import Library

real = writer.update_pages
def add_then_die(ix, records, deleted_docs=(), procs=1, merge=True):
    w = writer.writer_for(ix)
    for record in records:
        w.update_document(**writer._fields(record))
    os.kill(os.getpid(), signal.SIGKILL)  # dies holding the write lock, before the commit
writer.update_pages = add_then_die
import reader.indexing
reader.indexing.update_pages = add_then_die
lib = Library(Path(sys.argv[1]))
lib.import_paths([Path(sys.argv[2])])
"""


@pytest.mark.slow
def test_an_index_killed_mid_write_is_usable_and_agrees_after_restart(tmp_path: Path) -> None:
    (tmp_path / "first.txt").write_text("The first note mentions Glamoč.")
    (tmp_path / "second.txt").write_text("The second note mentions Livno.")
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path / "first.txt"])
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MID_WRITE, str(tmp_path / "lib"), str(tmp_path / "second.txt")],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert killed.returncode == -9
    with Library(tmp_path / "lib") as library:
        report = library.check()
        assert [p.problem for p in report.problems] == [
            "index: 1 catalog pages are not in the search index"
        ]
        assert found(library, "Livno") == [(2, 1)]  # the search catches up first
        assert found(library, "Glamoč") == [(1, 1)]
        assert library.check().ok
