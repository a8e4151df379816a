"""reader.citations.works: references in the common styles and matching them to the catalog."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations.works import CatalogWork, WorkRef, find_works, match_work

ROBERTS = (
    "Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick, 1973), 106."
)


def only(text: str) -> WorkRef:
    works = find_works(text)
    assert len(works) == 1, works
    work = works[0]
    assert text[work.start : work.end] == work.text
    return work


def fields(work: WorkRef) -> tuple[str, tuple[str, ...], str, str, str]:
    return work.author, work.surnames, work.title, work.year, work.page


# ---------------------------------------------------------------- the Roberts example


def test_roberts_is_one_work_by_roberts_of_1973() -> None:
    work = only(ROBERTS)
    assert fields(work) == (
        "Walter R. Roberts",
        ("Roberts",),
        "Tito, Mihailović and the Allies, 1941–1945",
        "1973",
        "106",
    )
    assert work.style == "note" and work.pages == (106,)


@pytest.mark.parametrize(
    "sentence",
    [
        "On the Allies' shifting support in Yugoslavia, see " + ROBERTS,
        "12. For the British missions to Yugoslavia, cf. " + ROBERTS,
        "On British policy toward Yugoslavia, Mihailović and Tito, see " + ROBERTS,
        "The standard account remains " + ROBERTS[:-1] + "; it is silent on Nevesinje.",
    ],
)
def test_roberts_in_a_sentence_is_never_by_yugoslavia_nor_titled_mihailovic(
    sentence: str,
) -> None:
    works = find_works(sentence)
    assert [w.surnames for w in works] == [("Roberts",)]
    assert works[0].title == "Tito, Mihailović and the Allies, 1941–1945"
    assert works[0].year == "1973"


# ---------------------------------------------------------------- each style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jozo Tomasevich, The Chetniks (Stanford, 1975), pp. 256–59.",
            ("Jozo Tomasevich", ("Tomasevich",), "The Chetniks", "1975", "256–59"),
        ),
        (
            "Milovan Djilas, Wartime, trans. Michael B. Petrovich (New York: Harcourt Brace "
            "Jovanovich, 1977), 229–31.",
            ("Milovan Djilas", ("Djilas",), "Wartime", "1977", "229–31"),
        ),
        (
            "Jane Roe, “Orders and Echoes: The Nevesinje Operation,” Balkan Studies 12, no. 3 "
            "(1990): 45–67.",
            ("Jane Roe", ("Roe",), "Orders and Echoes: The Nevesinje Operation", "1990", "45–67"),
        ),
        (
            "Ladislaus Hory and Martin Broszat, Der kroatische Ustascha-Staat 1941–1945 "
            "(Stuttgart, 1964), S. 45.",
            (
                "Ladislaus Hory and Martin Broszat",
                ("Hory", "Broszat"),
                "Der kroatische Ustascha-Staat 1941–1945",
                "1964",
                "45",
            ),
        ),
        (
            "Usp. Fikreta Jelić-Butić, Ustaše i Nezavisna Država Hrvatska 1941–1945 (Zagreb, "
            "1977), str. 106.",
            (
                "Fikreta Jelić-Butić",
                ("Jelić-Butić",),
                "Ustaše i Nezavisna Država Hrvatska 1941–1945",
                "1977",
                "106",
            ),
        ),
        (
            "Petrović, Years in the Mountains (1961), ch. 7.",
            ("Petrović", ("Petrović",), "Years in the Mountains", "1961", ""),
        ),
        (
            "Edmund Glaise von Horstenau, Ein General im Zwielicht, ed. Peter Broucek "
            "(Wien: Böhlau, 1988), Bd. 3, S. 12.",
            ("Edmund Glaise von Horstenau", ("Horstenau",), "Ein General im Zwielicht", "1988", ""),
        ),
    ],
)
def test_chicago_notes(text: str, expected: tuple[str, tuple[str, ...], str, str, str]) -> None:
    work = only(text)
    assert fields(work) == expected
    assert work.style == "note"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Roberts, Walter R. Tito, Mihailović and the Allies, 1941–1945. New Brunswick: "
            "Rutgers University Press, 1973.",
            (
                "Roberts, Walter R.",
                ("Roberts",),
                "Tito, Mihailović and the Allies, 1941–1945",
                "1973",
                "",
            ),
        ),
        (
            "Tomasevich, Jozo. The Chetniks. Stanford: Stanford University Press, 1975.",
            ("Tomasevich, Jozo", ("Tomasevich",), "The Chetniks", "1975", ""),
        ),
        (
            "Hory, Ladislaus, und Martin Broszat. Der kroatische Ustascha-Staat 1941–1945. "
            "Stuttgart: Deutsche Verlags-Anstalt, 1964.",
            (
                "Hory, Ladislaus, und Martin Broszat",
                ("Hory", "Broszat"),
                "Der kroatische Ustascha-Staat 1941–1945",
                "1964",
                "",
            ),
        ),
        (
            "Roe, Jane. “Orders and Echoes.” Balkan Studies 12, no. 3 (1990): 45–67.",
            ("Roe, Jane", ("Roe",), "Orders and Echoes", "1990", ""),
        ),
    ],
)
def test_chicago_bibliography(
    text: str, expected: tuple[str, tuple[str, ...], str, str, str]
) -> None:
    work = only(text)
    assert fields(work) == expected
    assert work.style == "bibliography"


def test_a_bibliography_of_several_lines() -> None:
    text = (
        "Bibliography\n\n"
        "Djilas, Milovan. Wartime. New York: Harcourt Brace Jovanovich, 1977.\n"
        "Roberts, Walter R. Tito, Mihailović and the Allies, 1941–1945. New Brunswick: "
        "Rutgers University Press, 1973.\n"
        "Tomasevich, Jozo. The Chetniks. Stanford: Stanford University Press, 1975."
    )
    works = find_works(text)
    assert [(w.surnames, w.year) for w in works] == [
        (("Djilas",), "1977"),
        (("Roberts",), "1973"),
        (("Tomasevich",), "1975"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The order was never rescinded (Roberts 1973, 106).", [("Roberts", "1973", "106")]),
        ("The order was never rescinded (Roberts 1973: 106).", [("Roberts", "1973", "106")]),
        ("As Roberts (1973: 106) shows, it was never rescinded.", [("Roberts", "1973", "106")]),
        ("as Roberts (1973, 106) and Djilas (1977) agree", [
            ("Roberts", "1973", "106"), ("Djilas", "1977", "")]),
        ("(Roberts 1973; Tomasevich 1975: 256–59)", [
            ("Roberts", "1973", ""), ("Tomasevich", "1975", "256–59")]),
        ("(see Hory and Broszat 1964, S. 45)", [("Hory and Broszat", "1964", "45")]),
        ("(Roberts, 1973, p. 106)", [("Roberts", "1973", "106")]),
        ("Kako pokazuje Jelić-Butić (1977: 106), ustaše su ...", [("Jelić-Butić", "1977", "106")]),
    ],
)  # fmt: skip
def test_author_date(text: str, expected: list[tuple[str, str, str]]) -> None:
    works = find_works(text)
    assert [(w.author, w.year, w.page) for w in works] == expected
    assert all(w.style == "author-date" and w.title == "" for w in works)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12. Roberts, Tito, p. 106.", ("Roberts", ("Roberts",), "Tito", "", "106")),
        ("13. Djilas, Wartime, 229.", ("Djilas", ("Djilas",), "Wartime", "", "229")),
        (
            "14 Tomasevich, Chetniks, 256–59.",
            ("Tomasevich", ("Tomasevich",), "Chetniks", "", "256–59"),
        ),
        (
            "Hory/Broszat, Der kroatische Ustascha-Staat, S. 45.",
            ("Hory/Broszat", ("Hory", "Broszat"), "Der kroatische Ustascha-Staat", "", "45"),
        ),
        (
            "Vgl. Glaise von Horstenau, General im Zwielicht, S. 12f.",
            ("Glaise von Horstenau", ("Horstenau",), "General im Zwielicht", "", "12f."),
        ),
        ("Roe, “Orders and Echoes,” 47.", ("Roe", ("Roe",), "Orders and Echoes", "", "47")),
        (
            "See Roberts, Tito, Mihailovic and the Allies, 1973.",
            ("Roberts", ("Roberts",), "Tito, Mihailovic and the Allies", "1973", ""),
        ),
        (
            "Jelić-Butić, Ustaše i NDH, str. 106.",
            ("Jelić-Butić", ("Jelić-Butić",), "Ustaše i NDH", "", "106"),
        ),
    ],
)
def test_short_notes(text: str, expected: tuple[str, tuple[str, ...], str, str, str]) -> None:
    work = only(text)
    assert fields(work) == expected
    assert work.style == "short"


def test_several_works_in_one_note() -> None:
    text = (
        "See Roberts, Tito, Mihailovic and the Allies, 1973; Petrović, Years in the Mountains "
        "(1961); and Djilas, Wartime (1977)."
    )
    works = find_works(text)
    assert [(w.surnames, w.title, w.year) for w in works] == [
        (("Roberts",), "Tito, Mihailovic and the Allies", "1973"),
        (("Petrović",), "Years in the Mountains", "1961"),
        (("Djilas",), "Wartime", "1977"),
    ]


def test_a_quoted_title_alone() -> None:
    work = only("The classic account, “The Sword and the Shield” (1999), says nothing of it.")
    assert (work.author, work.surnames, work.title, work.year) == (
        "",
        (),
        "The Sword and the Shield",
        "1999",
    )
    assert work.style == "title"


@pytest.mark.parametrize(
    "text",
    [
        "The report of 12 March (NOKW 1088) and the meeting (Berlin, 1943) decided nothing.",
        "NOKW 1088, p. 2; Doc. NO-3012, fol. 4.",
        "In Mostar, Nevesinje and Gacko, 1943 was the worst year.",
        "Ibid., p. 3.",
        "Roberts, op. cit., p. 110.",
        "The columns moved by day (March 1943) and by night (April 1943).",
        "Tito, Mihailović and the Allies, 1941–1945 was reviewed widely.",
        "The division lost 1,250 men (12 per cent).",
        "Bericht der 118. Jäger-Division, NOKW 1088, S. 2.",
        "Belgrade, Zagreb, 1943: the year of Operation Schwarz (May–June 1943).",
        "General Löhr, Commander Southeast, 1943, reported 3,000 dead.",
        "Churchill, Roosevelt, and Stalin met at Tehran (November 1943).",
        "On support in Yugoslavia, Tito, Mihailović and the Allies (1973) is silent.",
    ],
)
def test_no_work_where_there_is_none(text: str) -> None:
    assert find_works(text) == []


# ---------------------------------------------------------------- matching

CATALOG = [
    CatalogWork(1, "Tito, Mihailović and the Allies, 1941–1945", ["Walter R. Roberts"], "1973"),
    CatalogWork(2, "The Chetniks: War and Revolution in Yugoslavia, 1941–1945",
                ["Tomasevich, Jozo"], "1975"),
    CatalogWork(3, "Wartime", ["Milovan Djilas"], "1977"),
    CatalogWork(4, "Conversations with Stalin", ["Milovan Djilas"], "1962"),
    CatalogWork(5, "Der kroatische Ustascha-Staat 1941–1945",
                ["Ladislaus Hory", "Martin Broszat"], "1964"),
    CatalogWork(6, "The Sword and the Shield", [], "1999"),
    CatalogWork(7, "NOKW 1088: report of the 118th Jaeger Division", [], "1943-03-12"),
    CatalogWork(8, "Tito and His Comrades", ["Jože Pirjevec"], "2018"),
]  # fmt: skip


def matched(text: str) -> tuple[int, float] | None:
    return match_work(only(text), CATALOG)


def test_full_references_match_their_book() -> None:
    assert matched(ROBERTS) == (1, 1.0)
    doc, score = matched("Jozo Tomasevich, The Chetniks (Stanford, 1975), 256.") or (0, 0)
    assert doc == 2 and score >= 0.95


@pytest.mark.parametrize(
    ("text", "doc"),
    [
        ("Roberts, Tito, p. 106.", 1),  # a shortened title
        ("Tomasevich, Chetniks, 256–59.", 2),  # the article dropped too
        ("Jozo Tomasevich, The Chetniks (Stanford, 1975), 256.", 2),  # the subtitle dropped
        ("Djilas, Wartime, 229.", 3),
        ("Djilas, Conversations, 12.", 4),  # the author's other book
        ("Hory/Broszat, Der kroatische Ustascha-Staat, S. 45.", 5),
        ("Broszat, Ustascha-Staat, S. 45.", 5),  # the second author, a word of the title
        ("Walter Roberts, Tito, Mihailovic and the Allies (New Brunswick, 1973), 106.", 1),
        ("Roberts, Walter R. Tito, Mihailovich and the Allies. New Brunswick: RUP, 1973.", 1),
        ("The decision came late (Roberts 1973, 106).", 1),  # author and year, no title
    ],
)
def test_shortened_titles_dropped_subtitles_and_spellings(text: str, doc: int) -> None:
    found = matched(text)
    assert found is not None and found[0] == doc
    assert 0.8 <= found[1] <= 1.0


def test_the_year_boosts_and_a_wrong_year_costs() -> None:
    right = matched("Walter R. Roberts, Tito, Mihailović and the Allies (New Brunswick, 1973), 1.")
    reprint = matched("Walter R. Roberts, Tito, Mihailović and the Allies (Durham, 1987), 1.")
    unknown = matched("Roberts, Tito, Mihailović and the Allies, 106.")
    assert right and reprint and unknown
    assert right[1] > unknown[1] > reprint[1]
    assert right[0] == unknown[0] == reprint[0] == 1  # a reprint is still the book
    typo = matched("Djilas, Wartim, 229.")  # OCR took a letter
    assert typo is not None and typo[0] == 3
    # A fuzzy title with the wrong year falls under the threshold.
    assert matched("Milovan Djilas, Wartime Memoirs (London, 1990), 12.") is None
    # An author and a wrong year alone are nothing.
    assert matched("(Roberts 1980, 106)") is None


def test_wrong_author_or_title_is_no_match() -> None:
    assert matched("Pavlowitch, Tito, p. 106.") is None  # the title of a book by someone else
    assert matched("Roberts, Conversations with Stalin, 12.") is None
    assert matched("Djilas, Land without Justice, 12.") is None


def test_a_title_alone_matches_only_an_almost_exact_title() -> None:
    assert matched("the classic “The Sword and the Shield” (1999) says nothing.") == (6, 1.0)
    assert matched("in “Sword and Shield” (1999) nothing.") is None
    assert matched("in “The Sword and the Shields” (1999) nothing.") is not None  # a typo
    assert matched("in “Tito and the Allies” (1973) nothing.") is None  # Roberts's has authors


def test_author_date_is_ambiguous_between_two_books_of_a_year() -> None:
    catalog = [
        CatalogWork(1, "Wartime", ["Milovan Djilas"], "1977"),
        CatalogWork(2, "Tito: The Story from Inside", ["Milovan Djilas"], "1977"),
    ]
    assert match_work(only("(Djilas 1977, 229)"), catalog) is None
    assert match_work(only("Djilas, Wartime, 229."), catalog) == (1, 1.0)


def test_catalog_authors_written_surname_first_or_with_accents() -> None:
    catalog = [CatalogWork(9, "Ustaše i NDH", ["Jelic-Butic, Fikreta"], "1977")]
    assert match_work(only("Jelić-Butić, Ustaše i NDH, str. 106."), catalog) == (9, 1.0)


# ---------------------------------------------------------------- robustness

_PIECES = st.sampled_from(
    [
        ROBERTS, "Roberts, ", "Walter R. ", "Tito, ", "(", ")", "(New Brunswick, 1973)", ", 106",
        "; ", ". ", "\n", "“", "”", "see ", "Roberts (1973: 106)", "S. 45f.", "pp. 456–57",
        "Hory/Broszat", ", and ", "1941–1945", " ", "x", "Ibid.", "NOKW 1088",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=40).map("".join))
def test_find_works_never_raises_and_spans_stay_inside(text: str) -> None:
    previous_end = 0
    for work in find_works(text):
        assert previous_end <= work.start < work.end <= len(text)
        assert text[work.start : work.end] == work.text
        previous_end = work.end
        match_work(work, CATALOG)


@pytest.mark.parametrize(
    "piece",
    [
        "(", "((((((((((1973)", "Roberts, ", "see ", "Walter R. Roberts, Tito, ", "“", "1. ",
        "(Roberts 1973; ", "Roberts (1973) ", ", 106, ", "Aa Bb, ", ". A", "p. 1, ",
        "Roberts, Walter R. Tito. ", "; and ", "a" * 50 + " ", ROBERTS,
    ],
)  # fmt: skip
def test_a_megabyte_of_hostile_text_is_read(piece: str) -> None:
    # Every pattern is anchored and bounded: a runaway one would not finish. (Speed itself is
    # the benchmarks' business; these take well under a few seconds each.)
    text = piece * (1_000_000 // len(piece))
    for work in find_works(text):
        assert text[work.start : work.end] == work.text


def test_an_author_and_year_match_an_undated_catalog_work_at_the_threshold() -> None:
    """An author and a year, where the catalog's work has no date to confirm it: taken."""
    (ref,) = find_works("(Shepherd 2012)")
    catalog = [CatalogWork(7, "Terror in the Balkans", ["Ben Shepherd"], "")]
    assert match_work(ref, catalog) == (7, 0.81)
