"""The dates an article names: absolute, with the year (or month) left to the context, and
relative ("two days later", "am nächsten Tag", "sutradan"), in English, German and
Serbo-Croatian prose; and the words that look like dates and are not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.article_dates import find_dates


def found(text: str) -> list[tuple[str, str, str]]:
    """(the words, the date, its precision) of each date found, in order."""
    return [(d.text, d.date, d.precision) for d in find_dates(text)]


def dates(text: str) -> list[str]:
    return [d.date for d in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "words", "iso", "precision"),
    [
        ("On 17 March 1943 the division attacked.", "17 March 1943", "1943-03-17", "day"),
        ("On March 17, 1943, the order came.", "March 17, 1943", "1943-03-17", "day"),
        ("March 17th, 1943: the bridge is down.", "March 17th, 1943", "1943-03-17", "day"),
        ("Am 17. März 1943 meldete die Division Verluste.", "17. März 1943", "1943-03-17", "day"),
        ("Dana 17. marta 1943. godine jedinice su krenule.", "17. marta 1943", "1943-03-17", "day"),
        ("Zagreb, 3. ožujka 1943. Zapovjedništvo javlja", "3. ožujka 1943", "1943-03-03", "day"),
        ("Депеша од 17. марта 1943. године", "17. марта 1943", "1943-03-17", "day"),
        ("The report dated 1943-03-17 lists the villages.", "1943-03-17", "1943-03-17", "day"),
        ("a telegram of 11.III.1943 from Belgrade", "11.III.1943", "1943-03-11", "day"),
        ("Bericht vom 17.3.43 an das Korps", "17.3.43", "1943-03-17", "day"),
        ("the order of 17.3.1943 was not obeyed", "17.3.1943", "1943-03-17", "day"),
        ("the 17th of March 1943 was a Wednesday", "the 17th of March 1943", "1943-03-17", "day"),
        (
            "by the twenty-first of March 1943",
            "the twenty-first of March 1943",
            "1943-03-21",
            "day",
        ),
        ("on 17 Mar. 1943 the column left", "17 Mar. 1943", "1943-03-17", "day"),
        ("Sept. 3, 1943, the Italian armistice", "Sept. 3, 1943", "1943-09-03", "day"),
        ("The operation of March 1943 failed.", "March 1943", "1943-03", "month"),
        ("In March, 1943, the bands returned.", "March, 1943", "1943-03", "month"),
        ("Anfang März 1943 begann die Operation.", "März 1943", "1943-03", "month"),
        ("U martu 1943. partizani su prešli Neretvu.", "martu 1943", "1943-03", "month"),
        ("In 1943 the division was moved to Greece.", "1943", "1943", "year"),
        ("in the summer of 1942 the camps filled", "1942", "1942", "year"),
        ("Im Jahre 1941 wurde das Korps aufgestellt.", "1941", "1941", "year"),
        ("Ustanak je počeo 1941. godine.", "1941. godine", "1941", "year"),
    ],
)
def test_an_absolute_date(text: str, words: str, iso: str, precision: str) -> None:
    assert found(text) == [(words, iso, precision)]


def test_the_year_comes_from_the_date_before() -> None:
    text = (
        "In March 1943 the division moved south. On March 17 it reached Nevesinje; by the "
        "20th it had taken Gacko, and in April it stood on the Drina."
    )
    assert found(text) == [
        ("March 1943", "1943-03", "month"),
        ("March 17", "1943-03-17", "day"),
        ("the 20th", "1943-03-20", "day"),
        ("April", "1943-04", "month"),
    ]
    flags = [(d.relative, d.year_from_context) for d in find_dates(text)]
    assert flags == [(False, False), (False, True), (False, True), (False, True)]


def test_several_years_each_carry_their_own_context() -> None:
    text = (
        "The first operation began in January 1942. On 3 February the bands withdrew into "
        "the mountains. In 1943 the pattern repeated itself: on 3 February, again, the "
        "columns were ambushed, and in 1944 it was the Germans who withdrew by 3 February."
    )
    assert dates(text) == ["1942-01", "1942-02-03", "1943", "1943-02-03", "1944", "1944-02-03"]


def test_relative_dates_count_on_from_the_date_before() -> None:
    text = (
        "On 12 March 1943 the division issued its order. The next day the first village "
        "burned. Two days later the Plenipotentiary protested; a week later Berlin asked "
        "for reports. The following month the division was relieved, and the following "
        "year it was in Greece."
    )
    assert found(text) == [
        ("12 March 1943", "1943-03-12", "day"),
        ("The next day", "1943-03-13", "day"),
        ("Two days later", "1943-03-15", "day"),
        ("a week later", "1943-03-22", "day"),
        ("The following month", "1943-04", "month"),
        ("the following year", "1944", "year"),
    ]
    assert [d.relative for d in find_dates(text)] == [False, True, True, True, True, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On 12 March 1943 the order came; the day before, the bridge had fallen.",
            ["1943-03-12", "1943-03-11"],
        ),
        (
            "On 12 March 1943 the order came. Three days earlier the columns had left.",
            ["1943-03-12", "1943-03-09"],
        ),
        (
            "On 1 March 1943 the offensive opened; a fortnight later it had stalled.",
            ["1943-03-01", "1943-03-15"],
        ),
        (
            "On 28 February 1943 the order came; after two days the columns moved.",
            ["1943-02-28", "1943-03-02"],
        ),
        (
            "On 31 December 1942 the order came. The next day the year began badly.",
            ["1942-12-31", "1943-01-01"],
        ),
        (
            "On 12 March 1943 the bridge fell. That same day the order came.",
            ["1943-03-12", "1943-03-12"],
        ),
        (
            "Am 17. März 1943 meldete die Division; am nächsten Tag brannten die Dörfer, "
            "drei Tage später kam der Befehl.",
            ["1943-03-17", "1943-03-18", "1943-03-21"],
        ),
        (
            "Am 10. April 1943 traf der Befehl ein. Tags darauf rückte das Bataillon aus, "
            "nach zwei Tagen erreichte es Foča; am Vortag war die Brücke gesprengt worden.",
            ["1943-04-10", "1943-04-11", "1943-04-13", "1943-04-12"],
        ),
        (
            "Im März 1943 begann die Operation; im folgenden Jahr wiederholte sie sich, "
            "eine Woche später nicht mehr.",
            ["1943-03", "1944"],
        ),
        (
            "Dana 17. marta 1943. brigada je krenula. Sutradan je stigla u Nevesinje, a dva "
            "dana kasnije u Gacko. Istog dana stiglo je naređenje.",
            ["1943-03-17", "1943-03-18", "1943-03-20", "1943-03-20"],
        ),
        (
            "Dana 5. maja 1943. počela je ofanziva; prethodnog dana su avioni bombardovali "
            "Nikšić, a nakon tri dana brigade su bile opkoljene. Nedelju dana kasnije "
            "proboj je uspio, a sljedeće godine rat se vratio.",
            ["1943-05-05", "1943-05-04", "1943-05-07", "1943-05-14", "1944"],
        ),
    ],
)
def test_relative_dates_in_three_languages(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


def test_a_relative_date_that_nothing_places_is_left_out() -> None:
    assert dates("Two days later the bands returned to the valley.") == []
    # A month says too little to count days from; a year too little for a month.
    assert dates("In March 1943 the bands moved. Two days later they returned.") == ["1943-03"]
    assert dates("In 1943 the bands moved. The following month they returned.") == ["1943"]
    # A date without its year, and no year before it.
    assert dates("On March 17 the division attacked; by the 20th it had lost.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The troops would march at dawn and march again at dusk.",
        "March on, the commander ordered, and the column moved.",
        "May we assume that the order was obeyed? The men may have refused.",
        "Division 17 took the town; Regiment 738 held the pass.",
        "See p. 17, pp. 1943–1945 and note 12 of the appendix.",
        "The file NOKW 1943 is missing; so is T-501-264-000485 and 1919-PS.",
        "Record Group 238, roll 1943, frames 12 to 17.",
        "By the 17th Division's own account, the 118th lost more.",
        "After the first of these reports, the second was shorter.",
        "Roberts (1973) and Tomasevich, 1975, disagree.",
        "A force of 1943 men held the valley for two days.",
        "Day by day the columns moved; for two days the town burned, and at once they left.",
        "In August Meyszner's view the measures were too mild.",
        "Section 3.2.43 of the regulations, paragraph 17.",
        "On 31 February 1943 nothing happened, for no such day exists.",
    ],
)
def test_what_looks_like_a_date_and_is_not(text: str) -> None:
    assert found(text) == []


def test_modal_may_is_no_month_but_in_may_is() -> None:
    text = "In 1943 the report may have been lost; it was last seen in May, and May we hope?"
    assert found(text) == [("1943", "1943", "year"), ("May", "1943-05", "month")]


def test_a_number_of_men_after_a_date_is_no_year() -> None:
    text = "The year 1943 began badly. On 17 March 1200 men were shot at Kragujevac."
    assert found(text) == [("1943", "1943", "year"), ("17 March", "1943-03-17", "day")]


def test_a_range_of_days_names_both() -> None:
    text = "The operation ran from 12–14 March 1943, and again on May 3–5."
    assert dates(text) == ["1943-03-12", "1943-03-14", "1943-05-03", "1943-05-05"]


def test_spans_point_at_the_words_in_the_article() -> None:
    text = (
        "Orders and Their Echoes: The Nevesinje Operation of March 1943\n\n"
        "The division's report of 12 March (NOKW 1088) is the central document.1 The "
        "order—issued, as the division later claimed, on 13 March, although the war diary, "
        "which was kept by an officer who had himself signed it, records it two days later—"
        "was never rescinded. By 17 March 1943.4 the next day was already planned.\n\n"
        "Notes\n\n1. NOKW 1088, p. 2; the report of 12 March 1943 is in Record Group 238.\n"
    )
    found_dates = find_dates(text)
    for date in found_dates:
        assert text[date.start : date.end] == date.text
        assert date.text in date.context
    assert [(d.text, d.date) for d in found_dates] == [
        ("March 1943", "1943-03"),
        ("12 March", "1943-03-12"),
        ("13 March", "1943-03-13"),
        ("two days later", "1943-03-15"),
        ("17 March 1943", "1943-03-17"),  # the footnote marker ".4" is no part of it
        ("the next day", "1943-03-18"),
        ("12 March 1943", "1943-03-12"),  # in the notes
    ]


def test_the_context_is_the_sentence_cut_to_a_readable_length() -> None:
    clause = "which the division, its staff and every battalion commander later denied, "
    text = f"The village burned {clause * 6}on 17 March 1943, {clause * 6}as the file shows."
    (date,) = find_dates(text)
    assert date.text == "17 March 1943"
    assert "17 March 1943" in date.context
    assert len(date.context) <= 170
    assert date.context.startswith("…") and date.context.endswith("…")
    assert "\n" not in find_dates("On\n17 March\n1943 it rained.")[0].context


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "On",
                "17",
                "March",
                "1943",
                "May",
                "the",
                "next",
                "day",
                "two",
                "days",
                "later",
                ".",
                ",",
                " ",
                "\n",
                "am",
                "nächsten",
                "Tag",
                "sutradan",
                "in",
                "of",
                "31",
                "February",
                "III",
                "3.",
                "–",
                "th",
                "9999",
                "0001",
                "dana",
                "kasnije",
                "by",
                "eleventh",
                "week",
                "following",
                "year",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_any_text_gives_dates_in_order_within_it(text: str) -> None:
    previous = -1
    for date in find_dates(text):
        assert 0 <= date.start < date.end <= len(text)
        assert date.start >= previous
        previous = date.start
        assert date.precision in ("day", "month", "year")
        assert len(date.date) == {"day": 10, "month": 7, "year": 4}[date.precision]
