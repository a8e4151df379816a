"""reader.citations.notes: note markers, notes at the end and at page feet, Ibid. chains, locators."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations.notes import NoteSources, find_notes, note_at, parse_note
from reader.citations.works import find_locators, parse_pages
from reader.ingest.html import html_to_text

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "secondary" / "article.html"


def numbers(text: str) -> list[int]:
    return [marker.number for marker in find_notes(text).markers]


# ---------------------------------------------------------------- markers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the supply columns were to move only by day.”1 The order", [1]),
        ("without [his] knowledge,”3 and asked for the reports", [3]),
        ("The columns had moved by night once.3 Then the order changed.", [3]),
        ("drives the men to the bands.'12 Berlin took note.", [12]),
        ("„Wer die Dörfer niederbrennt, treibt die Männer zu den Banden.“7 So Glaise.", [7]),
        ("die Kolonnen marschierten nur bei Tag.¹² Der Befehl galt weiter.", [12]),
        ("kolone su se kretale samo danju.[4] Naredba je ostala na snazi.", [4]),
        ("as the division reported (NOKW 1088).5 Nothing else survives.", [5]),
        ("the report, NOKW 1088.6 The second report", [6]),
        ("he was sure of it;9 the others were not", [9]),
    ],
)
def test_markers_as_articles_print_them(text: str, expected: list[int]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The division reached Nevesinje in 1943. In 1944 it moved north.",
        "See p.12 of the report and S.4 of the German text; fol.12 is missing.",
        "The file NOKW 1088 and the document 1919-PS were filmed on T-501, roll 255.",
        "Losses rose by 3.5 per cent; the report of 12.3.1943 gives 1,250 men.",
        "The meeting began at 10:30 and ended at 12.45, on 3/4 March.",
        "Record Group 238 holds Doc. NO-3012 and PS-1014a.",
        "He wrote in ’43 that the 118th Division, with 2 regiments, was ready.",
        "Nos.12 and Nr.7 of the series, vol.3, ch.7.",
        "The U.S. Army, the 7th SS Division and the 369th (Croatian) Division.",
    ],
)
def test_no_markers_in_years_pages_identifiers_decimals_or_dates(text: str) -> None:
    assert numbers(text) == []


def test_marker_spans_cover_the_digits() -> None:
    text = "by day.”12 Then [3] and once.¹⁴"
    markers = find_notes(text).markers
    assert [(m.number, text[m.start : m.end]) for m in markers] == [
        (12, "12"),
        (3, "[3]"),
        (14, "¹⁴"),
    ]


# ---------------------------------------------------------------- notes at the end

ENDNOTES = """The order stood: no village was to be spared.”1 The Plenipotentiary protested,2 and
Berlin asked for a report (NOKW 1088).3

Notes

1. NOKW 1088, p. 2.

2. Ibid., p. 3.

3. Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick, 1973),
106; see also NOKW 1080.

Bibliography

Roberts, Walter R. Tito, Mihailović and the Allies. New Brunswick: Rutgers UP, 1973."""


def test_notes_at_the_end_under_a_heading() -> None:
    notes = find_notes(ENDNOTES)
    assert [m.number for m in notes.markers] == [1, 2, 3]
    assert sorted(notes.notes) == [1, 2, 3]
    assert notes.notes[1].text == "NOKW 1088, p. 2."
    assert notes.notes[2].text == "Ibid., p. 3."
    assert notes.notes[3].text.startswith("Walter R. Roberts")
    assert notes.notes[3].text.endswith("see also NOKW 1080.")  # its second line kept
    assert "Bibliography" not in notes.notes[3].text
    for note in notes.notes.values():
        assert ENDNOTES[note.start : note.end] == note.text


@pytest.mark.parametrize("heading", ["Notes", "NOTES", "Endnotes", "Anmerkungen", "Fußnoten",
                                     "Napomene", "Footnotes", "Notes:"])  # fmt: skip
@pytest.mark.parametrize("form", ["{n}. ", "{n} ", "[{n}] ", "{n}) ", "{sup} "])
def test_note_headings_and_number_forms(heading: str, form: str) -> None:
    sup = {1: "¹", 2: "²"}
    body = (
        "Der Befehl blieb bestehen.¹ Glaise protestierte.²\n\n"
        if "sup" in form
        else ("Der Befehl blieb bestehen.1 Glaise protestierte.2\n\n")
    )
    notes_text = "\n\n".join(
        form.format(n=n, sup=sup[n]) + line
        for n, line in ((1, "NOKW 1088, S. 2."), (2, "Ebd., S. 4."))
    )
    text = f"{body}{heading}\n\n{notes_text}"
    found = find_notes(text)
    assert {n: note.text for n, note in found.notes.items()} == {
        1: "NOKW 1088, S. 2.",
        2: "Ebd., S. 4.",
    }
    assert [m.number for m in found.markers] == [1, 2]


def test_unnumbered_paragraphs_under_notes_are_numbered_in_order() -> None:
    text = (
        "the supply columns were to move only by day.”1 Later the bridge was repaired.”2\n\n"
        "Notes\n\nNOKW 1088, p. 2.\n\nIbid.\n\n17\n\n12 March report, NOKW 1080."
    )
    notes = find_notes(text).notes
    assert {n: note.text for n, note in notes.items()} == {
        1: "NOKW 1088, p. 2.",
        2: "Ibid.",
        3: "12 March report, NOKW 1080.",  # the bare "17" is a page number; "12 March" a date
    }


def test_the_sample_article_numbers_its_ordered_list_of_notes() -> None:
    text = html_to_text(SAMPLE.read_text(encoding="utf-8")).text
    assert "\n\n1. NOKW 1088, p. 2.\n\n2. Ibid.\n\n" in text
    notes = find_notes(text)
    assert [m.number for m in notes.markers] == [1, 2, 3, 4]
    assert [notes.notes[n].text for n in (1, 2)] == ["NOKW 1088, p. 2.", "Ibid."]
    assert notes.notes[4].text == "Petrović, Years in the Mountains (1961), ch. 7."
    # Each citation of the body belongs to the note whose marker follows it.
    quote_end = text.index("only by day.") + len("only by day.")
    assert note_at(notes, quote_end) == 1
    knowledge = text.index("knowledge,") + len("knowledge,")
    assert note_at(notes, knowledge) is None  # its marker stands at the sentence's end
    assert note_at(notes, text.index("at once.") + len("at once.")) == 3
    assert note_at(notes, text.index("NOKW 1088") + len("NOKW 1088")) is None
    # A citation inside a note belongs to that note.
    in_note = notes.notes[3].start + notes.notes[3].text.index("NO-3012") + len("NO-3012")
    assert note_at(notes, in_note) == 3


def test_html_ordered_lists_honour_start_and_superscripts_join_their_text() -> None:
    markup = (
        "<p>Die Kolonnen marschierten nur bei Tag. <sup>12</sup> Dann, <sup>[13]</sup> so.</p>"
        "<h2>Anmerkungen</h2><ol start='12'><li><p>NOKW 1088, S. 2.</p></li>"
        "<li>Ebd., S. 4.</li></ol>"
    )
    text = html_to_text(markup).text
    assert "Tag.12 Dann,13 so." in text
    assert "12. NOKW 1088, S. 2.\n\n13. Ebd., S. 4." in text
    notes = find_notes(text)
    assert sorted(notes.notes) == [12, 13]
    assert [m.number for m in notes.markers] == [12, 13]


# ---------------------------------------------------------------- notes at page feet

PAGES = [
    "The division's report leaves little doubt. Its author wrote that the supply columns were\n"
    "to move only by day.”1 The Plenipotentiary protested within two days.”2\n\n"
    "1 NOKW 1088, p. 2.\n2 Doc. NO-3012, fol. 4; the telegram\nis filed with the reports.",
    "Berlin took note; the memorandum asked for a report by the tenth of April.3 Whether\n"
    "it was written is unknown.\n\n3 Ibid., p. 5.",
]


def test_notes_at_page_feet() -> None:
    text = "\n\n".join(PAGES)
    notes = find_notes(text)
    assert [m.number for m in notes.markers] == [1, 2, 3]
    assert {n: note.text for n, note in notes.notes.items()} == {
        1: "NOKW 1088, p. 2.",
        2: "Doc. NO-3012, fol. 4; the telegram\nis filed with the reports.",
        3: "Ibid., p. 5.",
    }
    third = text.index("tenth of April.") + len("tenth of April.")
    assert note_at(notes, third) == 3


def test_numbered_lines_without_a_marker_are_body_text() -> None:
    text = (
        "The order had three parts.\n\n1 The villages were to be spared.\n\n"
        "2 The columns moved by day.\n\n12 March was the day the bridge opened."
    )
    assert find_notes(text).notes == {}


def test_note_at_respects_the_window_and_paragraphs() -> None:
    text = "He cited NOKW 1088 in the report.4 Then\n\nagain.5"
    notes = find_notes(text)
    end = text.index("NOKW 1088") + len("NOKW 1088")
    assert note_at(notes, end) is None
    assert note_at(notes, end, window=20) == 4
    assert note_at(notes, text.index("Then") + 4, window=10) is None  # across a paragraph


# ---------------------------------------------------------------- what a note cites


def chain(*notes: str) -> list[NoteSources]:
    result: list[NoteSources] = []
    previous: NoteSources | None = None
    for note in notes:
        previous = parse_note(note, previous)
        result.append(previous)
    return result


def test_ibid_chain_takes_the_previous_note_with_its_new_page() -> None:
    first, same, later, roberts, other, back = chain(
        "NOKW 1088, p. 2.",
        "Ibid.",
        "Ibid., p. 3.",
        "Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick, 1973), 106.",
        "Doc. NO-3012, fols. 12–13.",
        "Roberts, op. cit., p. 110.",
    )
    assert (first.identifiers, first.pages, first.ibid) == (["NOKW-1088"], [2], False)
    assert (same.identifiers, same.pages, same.ibid) == (["NOKW-1088"], [2], True)
    assert (later.identifiers, later.pages) == (["NOKW-1088"], [3])
    assert [w.surnames for w in roberts.works] == [("Roberts",)]
    assert roberts.pages == [106]
    assert (other.identifiers, other.pages) == (["NO-3012"], [12, 13])
    assert back.ibid and [w.title for w in back.works] == [
        "Tito, Mihailović and the Allies, 1941–1945"
    ]
    assert back.pages == [110]


def test_ibid_variants_in_german_and_serbo_croatian() -> None:
    _, ebd, ebd_page, _, isto = chain(
        "Bericht der 118. Jäger-Division, NOKW 1088, S. 2.",
        "Ebd.",
        "ebd., S. 4.",
        "Izveštaj, NOKW 1080, str. 45.",
        "Isto, str. 46.",
    )
    assert (ebd.identifiers, ebd.pages) == (["NOKW-1088"], [2])
    assert (ebd_page.identifiers, ebd_page.pages) == (["NOKW-1088"], [4])
    assert (isto.identifiers, isto.pages, isto.ibid) == (["NOKW-1080"], [46], True)


@pytest.mark.parametrize(
    "note", ["ibid.", "Ibidem.", "Loc. cit.", "op. cit., p. 9", "A. a. O., S. 9", "Ibid., 9."]
)
def test_every_ibid_form_repeats_the_document(note: str) -> None:
    _, repeated = chain("Doc. NO-3012, p. 8.", note)
    assert repeated.identifiers == ["NO-3012"] and repeated.ibid
    assert repeated.pages == ([8] if "9" not in note else [9])


def test_ibid_after_two_documents_takes_both_and_new_sources_are_added() -> None:
    _, both = chain("NOKW 1088, p. 2; NOKW 1080, p. 7.", "Ibid.; see also PS-1014, p. 1.")
    assert both.identifiers == ["NOKW-1088", "NOKW-1080", "PS-1014"]
    assert [s.pages for s in both.sources] == [(2,), (7,), (1,)]


def test_isto_in_a_sentence_is_no_ibid_and_a_first_ibid_cites_nothing() -> None:
    (first,) = chain("Ibid.")
    assert first.sources == ()
    _, sentence = chain("NOKW 1088.", "O tome govori isto i NOKW 1080, str. 3.")
    assert (sentence.identifiers, sentence.ibid) == (["NOKW-1080"], False)


@pytest.mark.parametrize(
    ("written", "pages"),
    [
        ("p. 2", (2,)),
        ("pp. 2–3", (2, 3)),
        ("pp. 2-3", (2, 3)),
        ("pp. 456–57", (456, 457)),
        ("fol. 12", (12,)),
        ("fols. 12–13", (12, 13)),
        ("fol. 12r", (12,)),
        ("S. 4", (4,)),
        ("S. 4f.", (4, 5)),
        ("S. 4 ff.", (4,)),
        ("Bl. 7", (7,)),
        ("str. 45", (45,)),
        ("f. 3", (3,)),
        ("pp. 12, 15–16", (12, 15, 16)),
        ("pages 12–14", (12, 13, 14)),
    ],
)
def test_every_locator_form(written: str, pages: tuple[int, ...]) -> None:
    text = f"Bericht, {written}, 1943."
    found = find_locators(text)
    assert len(found) == 1
    assert found[0].pages == pages
    assert text[found[0].start : found[0].end].startswith(written.split()[0])


def test_locators_are_not_years_or_huge_ranges() -> None:
    assert [loc.pages for loc in find_locators("p. 2, 1943")] == [(2,)]
    assert parse_pages("1–99999") == (1,)
    assert parse_pages("12v–13r") == (12, 13)
    assert find_locators("Sp. 4 and pp.") == []


# ---------------------------------------------------------------- robustness

_PIECES = st.sampled_from(
    [
        "day.”1", " [12] ", "¹²", "\n\n", "\n", "Notes", "12. ", "3 ", "Ibid., p. 3.", "NOKW 1088",
        "p. 2", "pp. 456–57", "(Roberts 1973, 106)", ", ", ".", "”", "(", ")", "1943", "Ebd.",
        "Walter R. Roberts, Tito (New Brunswick, 1973), 106", "x", " ", "[", "]", "¹", "S. 4f.",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=40).map("".join))
def test_find_notes_never_raises_and_spans_stay_inside(text: str) -> None:
    notes = find_notes(text)
    for marker in notes.markers:
        assert 0 <= marker.start < marker.end <= len(text)
    for note in notes.notes.values():
        assert 0 <= note.start <= note.end <= len(text)
        assert text[note.start : note.end] == note.text
        note_at(notes, note.end)
    previous = None
    for note in notes.notes.values():
        previous = parse_note(note.text, previous)
    parse_note(text, previous)


def test_hostile_text_is_read_in_linear_time() -> None:
    for piece in ("day.”1 ", "1. ", ".1", "[1]", "¹", "Notes\n", "1 x\n", "Ibid., p. 3. "):
        text = piece * (200_000 // len(piece))
        notes = find_notes(text)  # a runaway pattern would not finish
        assert isinstance(notes.notes, dict)
