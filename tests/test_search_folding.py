"""Spellings that are one word for a researcher, searched through a real library: German
umlauts and their digraphs, Serbian Cyrillic and Latin, English transliterations and exonyms;
in words, phrases and titles, with snippets in the page's own script, the words marked on the
page, exact spellings first, near-misses kept apart, and bad queries answered, never raised."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf
from index.api import QueryError
from index.query import MAX_QUERY_CHARS
from index.schema import INDEX_NAME, page_schema
from reader.cli import main
from reader.library import Library
from reader.textfind import find_folded

PDFS = {
    "de-umlaut": ("Lagebericht Südost", "Die Front im Südost hielt stand. Müller meldete es."),
    "de-digraph": ("Lagebericht Suedost", "Die Front im Suedost hielt stand. Mueller meldete es."),
    "sr-cyrillic": (
        "Извештај о четницима",
        "Михаиловић и четници су ушли у Београд. Ђилас је писао о томе.",
    ),
}
TEXTS = {
    "de-plain": "Die Front im Sudost hielt stand. Muller meldete es aus der Strasse.",
    "sr-latin": "Mihailović i četnici su ušli u Beograd. Đilas je pisao o tome.",
    "hr-latin": "Ustaše su zauzele Zagreb; Pavelić je stigao.",
    "en-article": "The Chetniks of Mihailovich met Djilas; the Ustasha held Zagreb.",
    "near-hess": "Rudolf Hess flew to Scotland.",
    "near-baur": "Hans Baur flew the aircraft.",
    "near-bauer": "Der Bauer brachte das Heu.",
    "near-cava": "Cava is served cold.",
    "near-sava": "Сава тече кроз Београд.",
    "near-du": "Le rapport du colonel est arrivé.",
    "near-due": "The report was due on Monday.",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("folding")
    files = []
    for stem, (title, text) in PDFS.items():
        files.append(born_digital_pdf(folder / f"{stem}.pdf", [text], title=title))
    for stem, text in TEXTS.items():
        # The first line is a text's title: a heading of its own, as the PDFs have.
        (folder / f"{stem}.txt").write_text(f"{stem}\n\n{text}", encoding="utf-8")
        files.append(folder / f"{stem}.txt")
    with Library(folder / "library") as opened:
        opened.import_paths(files)
        yield opened


def stems(library: Library, query: str, **options: object) -> list[str]:
    """The documents a query finds, best first, by file name."""
    names = {d.id: Path(d.path).stem for d in library.documents()}
    return [names[hit.doc] for hit in library.search(query, **options).hits]  # type: ignore[arg-type]


GERMAN = {"de-umlaut", "de-digraph", "de-plain"}
SERBIAN = {"sr-cyrillic", "sr-latin"}


@pytest.mark.parametrize("query", ["Südost", "Suedost", "Sudost", "SÜDOST", "südost"])
def test_umlauts_digraphs_and_plain_vowels_are_one_word(library: Library, query: str) -> None:
    assert set(stems(library, query)) == GERMAN


@pytest.mark.parametrize("query", ["Müller", "Mueller", "Muller"])
def test_a_name_in_three_german_spellings(library: Library, query: str) -> None:
    assert set(stems(library, query)) == GERMAN


def test_the_exact_spelling_ranks_first(library: Library) -> None:
    assert stems(library, "Südost")[0] == "de-umlaut"
    assert stems(library, "Suedost")[0] == "de-digraph"
    assert stems(library, "Mueller")[0] == "de-digraph"
    assert stems(library, '"Front im Südost"')[0] == "de-umlaut"
    # Script is no spelling: Михаиловић and Mihailović rank alike, above Mihailovich.
    assert set(stems(library, "Михаиловић")[:2]) == SERBIAN
    assert set(stems(library, "Mihailović")[:2]) == SERBIAN
    assert stems(library, "Mihailovich")[0] == "en-article"
    assert set(stems(library, "Đilas")[:2]) == SERBIAN
    assert stems(library, "Djilas")[0] == "en-article"


@pytest.mark.parametrize(
    "query", ['"Front im Suedost"', '"im Südost hielt"', '"front im sudost hielt stand"']
)
def test_phrases_fold_word_by_word(library: Library, query: str) -> None:
    assert set(stems(library, query)) == GERMAN


@pytest.mark.parametrize(
    "query", ["Михаиловић", "Mihailović", "Mihailovic", "Mihailovich", "MIHAILOVIĆ"]
)
def test_serbian_cyrillic_and_latin_are_one_script(library: Library, query: str) -> None:
    assert set(stems(library, query)) == SERBIAN | {"en-article"}


@pytest.mark.parametrize("query", ["Ђилас", "Đilas", "Djilas", "Dilas"])
def test_dj_and_the_letter_it_stands_for(library: Library, query: str) -> None:
    assert set(stems(library, query)) == SERBIAN | {"en-article"}


def test_a_cyrillic_page_is_found_by_a_latin_phrase_and_the_reverse(library: Library) -> None:
    assert set(stems(library, '"Mihailovic i cetnici"')) == SERBIAN
    assert set(stems(library, '"Михаиловић и четници"')) == SERBIAN


def test_the_user_story_a_cyrillic_document_found_by_english_words(library: Library) -> None:
    found = library.search("Mihailovic").hits
    cyrillic = next(hit for hit in found if hit.title == "Извештај о четницима")
    assert "<b>Михаиловић</b>" in cyrillic.snippet  # the page's own script, its word marked
    chetniks = library.search("Chetniks").hits
    assert set(stems(library, "Chetniks")) == SERBIAN | {"en-article"}
    cyrillic = next(hit for hit in chetniks if hit.title == "Извештај о четницима")
    assert "<b>четници</b>" in cyrillic.snippet
    # The word as typed ranks above the other words of its group, the title aside (the
    # Cyrillic document's title speaks of четници: it ranks first).
    ranked = stems(library, "Chetniks")
    assert ranked[0] == "sr-cyrillic" and ranked.index("en-article") < ranked.index("sr-latin")
    # And back: the native word finds the English one.
    assert set(stems(library, "četnici")) == SERBIAN | {"en-article"}


def test_exonyms_of_croatian_terms_and_places(library: Library) -> None:
    assert set(stems(library, "Ustasha")) == {"hr-latin", "en-article"}
    assert set(stems(library, "ustaše")) == {"hr-latin", "en-article"}
    assert set(stems(library, "Belgrade")) == SERBIAN | {"near-sava"}
    assert set(stems(library, "Pavelich")) == {"hr-latin"}


def test_titles_in_either_script(library: Library) -> None:
    assert stems(library, "title:izvestaj") == ["sr-cyrillic"]
    assert stems(library, "title:cetnicima") == ["sr-cyrillic"]
    assert set(stems(library, "title:Südost")) == {"de-umlaut", "de-digraph"}
    hit = library.search("title:izvestaj").hits[0]
    assert hit.title == "Извештај о четницима"


@pytest.mark.parametrize(
    ("query", "never"),
    [
        ("Hoess", "near-hess"),
        ("Bauer", "near-baur"),
        ("Baur", "near-bauer"),
        ("Cava", "near-sava"),
        ("Сава", "near-cava"),
        ("du", "near-due"),
        ("due", "near-du"),
    ],
)
def test_near_misses_do_not_match(library: Library, query: str, never: str) -> None:
    assert never not in stems(library, query)


def test_words_are_marked_in_the_spelling_the_page_has(library: Library) -> None:
    digraph = next(
        hit for hit in library.search("Südost").hits if hit.title == "Lagebericht Suedost"
    )
    assert "<b>Suedost</b>" in digraph.snippet
    assert digraph.boxes, "the folded spelling is found among the PDF's own words"
    # What the reader marks on a text page: the hit's terms found in the page's text.
    page_text = library.page_texts(digraph.doc)[0]
    spans = [span for term in digraph.terms for span in find_folded(page_text, term)]
    assert [page_text[start:end] for start, end in spans] == ["Suedost"]
    # Find in a document (Ctrl+F) folds the same way.
    cyrillic = next(d for d in library.documents() if Path(d.path).stem == "sr-cyrillic")
    (passage,) = library.find_in_document(cyrillic.id, "Mihailovic")
    assert library.page_texts(cyrillic.id)[0][passage.start : passage.end] == "Михаиловић"
    assert passage.boxes


def test_mixed_scripts_in_one_query(library: Library) -> None:
    assert set(stems(library, "Mihailović четници")) == SERBIAN | {"en-article"}  # Chetniks
    assert set(stems(library, "Mихаиловић")) == SERBIAN | {"en-article"}  # a Latin M


def test_a_query_of_common_words_only_is_run(library: Library) -> None:
    assert "en-article" in stems(library, "the of")
    assert stems(library, "und oder") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("!!! ???", "no letters"),
        ("???", "no letters"),
        ("*", "no letters"),
        ("Mostar ???", "no letters"),
        ("... — «» ¿¡", "no words"),
        ('"" () []', "no words"),
        ("-", "no words"),
        ("x" * 10_000, "too long"),
        ("Südost " * 1_500, "too long"),
        ("Михаиловић " * 1_000, "too long"),
        ("!" * 10_000, "too long"),
        (" " * 10_000, "empty"),
    ],
)
def test_queries_without_words_or_too_long_get_a_message(
    library: Library, query: str, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        library.search(query)


def test_a_query_just_under_the_limit_runs(library: Library) -> None:
    words = ("Südost Mihailović четници Chetniks the " * 100)[: MAX_QUERY_CHARS - 10]
    library.search(words)  # every word required: no page holds them all, but it runs
    assert library.search(" OR ".join(["Südost", "Михаиловић"] * 60)).total == 6


# Pieces of queries: words in both scripts, the syntax, and characters that fold oddly.
PIECES = [
    "Südost", "Михаиловић", "Chetniks", "the", "AND", "OR", "NOT", '"', "(", ")", "*", "?",
    "~", "~2", "^2", ":", "title:", "автор:", "kind:", "date:", "[", "]", "TO", "-", "+", "/",
    "\\", "«", "»", "—", "ß", "ь", "\u0301", "\u200b", "\x00", "rg:", "*?", "ё", "ſ", "ﬁ",
    "İ", "½", "²", "_", "<b>", "&amp;", "𝔄", "😀", "\t", "\n",
]  # fmt: skip


def test_random_queries_give_a_result_or_a_message(library: Library) -> None:
    rng = random.Random(18)
    answered = refused = 0
    for _ in range(300):
        query = "".join(
            rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(1, 8))
        )
        try:
            library.search(query)
            answered += 1
        except QueryError:  # anything else fails the test
            refused += 1
    assert answered > 50 and refused > 10


def test_the_command_line_says_what_is_wrong(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "Ђилас", "--json", "--library", str(library.folder)]) == 0
    capsys.readouterr()
    for query, message in (("x" * 10_000, "too long"), ("???", "no letters"), ("!!!", "no words")):
        assert main(["search", query, "--library", str(library.folder)]) == 1
        captured = capsys.readouterr()
        assert message in captured.err and "Traceback" not in captured.err


def test_an_index_of_the_previous_schema_is_rebuilt_with_the_fold(tmp_path: Path) -> None:
    from whoosh import index

    (tmp_path / "note.txt").write_text("Die Front im Suedost hielt.", encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path / "note.txt"])
    shutil.rmtree(tmp_path / "lib" / "index")
    (tmp_path / "lib" / "index").mkdir()
    version = int(INDEX_NAME.removeprefix("pages_v"))
    old_schema = page_schema()
    old_schema.remove("exact")
    index.create_in(str(tmp_path / "lib" / "index"), old_schema, indexname=f"pages_v{version - 1}")
    with Library(tmp_path / "lib") as reopened:
        assert [hit.page for hit in reopened.search("Südost").hits] == [1]
        assert reopened.check().ok
