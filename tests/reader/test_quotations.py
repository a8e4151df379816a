"""Quotations as historians print them: nested both ways in four languages, apostrophes that are
no marks, straight quotes, quotations over several paragraphs, block quotations; and what
detect_citations makes of them (passages, quoted titles as works, parents)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.citations.detect import Detected, detect_citations, reads_as_title
from reader.citations.quotations import (
    MAX_DEPTH,
    MAX_QUOTATIONS,
    Quotation,
    find_quotations,
    quotation_text,
)
from reader.ingest.base import Limits
from reader.ingest.epub import extract_epub
from reader.ingest.html import html_to_text
from tests.epubs import write_frame

Row = tuple[str, int | None, bool, bool]  # words, parent, block, closed


def quoted(text: str) -> list[Row]:
    return [(quotation_text(text, q), q.parent, q.block, q.closed) for q in find_quotations(text)]


def words(text: str) -> list[str]:
    return [quotation_text(text, q) for q in find_quotations(text)]


# Nesting, every pairing, both ways


def test_english_double_outside_single_inside() -> None:
    text = (
        "Löhr's chief of staff wrote that “the Italians ‘have no intention of fighting’ "
        "for Mostar,” and left it there."
    )
    assert quoted(text) == [
        ("the Italians ‘have no intention of fighting’ for Mostar,", None, False, True),
        ("have no intention of fighting", 0, False, True),
    ]


def test_british_single_outside_double_inside() -> None:
    text = (
        "Deakin recalled that ‘the word “Chetnik” meant something different in every valley "
        "we crossed’, and he was right."
    )
    assert quoted(text) == [
        ("the word “Chetnik” meant something different in every valley we crossed", None, False,
         True),
        ("Chetnik", 0, False, True),
    ]  # fmt: skip


def test_german_low_high_with_single_inside() -> None:
    # “ is the German closing mark, and ‘ closes ‚.
    text = (
        "Im Kriegstagebuch heißt es: „Die Division meldet, die ‚Säuberung‘ des Raumes "
        "Foča sei abgeschlossen.“ Das war nicht der Fall."
    )
    assert quoted(text) == [
        ("Die Division meldet, die ‚Säuberung‘ des Raumes Foča sei abgeschlossen.", None, False,
         True),
        ("Säuberung", 0, False, True),
    ]  # fmt: skip


def test_croatian_low_opening_with_english_closing() -> None:
    text = "Pavelić je izjavio da „Hrvatska neće popustiti ni pred kim” i otišao."
    assert words(text) == ["Hrvatska neće popustiti ni pred kim"]


def test_serbian_low_high_with_single_inside() -> None:
    text = (
        "Mihailović je poručio: „Ne smemo dozvoliti da nas ‚saveznici‘ napuste u Srbiji“, "
        "ali odgovora nije bilo."
    )
    assert quoted(text) == [
        ("Ne smemo dozvoliti da nas ‚saveznici‘ napuste u Srbiji", None, False, True),
        ("saveznici", 0, False, True),
    ]


def test_french_guillemets_with_english_marks_inside() -> None:
    text = (
        "Le rapport précise : « les troupes italiennes, dites “d’occupation”, ne quittent "
        "plus leurs casernes » depuis mars."
    )
    assert quoted(text) == [
        ("les troupes italiennes, dites “d’occupation”, ne quittent plus leurs casernes", None,
         False, True),
        ("d’occupation", 0, False, True),
    ]  # fmt: skip


def test_french_guillemets_with_single_guillemets_inside() -> None:
    text = "Selon l’attaché, « le maréchal parle de ‹ pacification › sans y croire »."
    assert quoted(text) == [
        ("le maréchal parle de ‹ pacification › sans y croire", None, False, True),
        ("pacification", 0, False, True),
    ]


def test_reversed_guillemets_as_german_and_croatian_printers_set_them() -> None:
    text = "Der Bericht nennt die Lage »ernst, aber ›nicht hoffnungslos‹« und schweigt dann."
    assert quoted(text) == [
        ("ernst, aber ›nicht hoffnungslos‹", None, False, True),
        ("nicht hoffnungslos", 0, False, True),
    ]


def test_three_levels_each_with_its_own_parent() -> None:
    text = (
        "Roberts quotes the cable: “Maclean reports that the Partisans call the Chetniks "
        "‘the men of the “London” government’ and nothing else.” The Foreign Office agreed."
    )
    rows = quoted(text)
    assert [r[0] for r in rows] == [
        "Maclean reports that the Partisans call the Chetniks ‘the men of the “London” "
        "government’ and nothing else.",
        "the men of the “London” government",
        "London",
    ]
    assert [r[1] for r in rows] == [None, 0, 1]


def test_siblings_inside_one_quotation_share_their_parent() -> None:
    text = (
        "Tomasevich cites “the ‘Ravna Gora’ movement and the ‘Dinara’ division” as one force, "
        "and then “a second, separate quotation” as well."
    )
    assert quoted(text) == [
        ("the ‘Ravna Gora’ movement and the ‘Dinara’ division", None, False, True),
        ("Ravna Gora", 0, False, True),
        ("Dinara", 0, False, True),
        ("a second, separate quotation", None, False, True),
    ]


def test_a_closing_outer_mark_ends_an_inner_quote_left_open() -> None:
    text = "He said “the ‘column moved at dawn” and nothing more."
    rows = quoted(text)
    assert rows == [
        ("the ‘column moved at dawn", None, False, True),
        ("column moved at dawn", 0, False, False),
    ]


# Apostrophes are not quotation marks


@pytest.mark.parametrize(
    "text",
    [
        "Mihailović’s headquarters and Tito’s staff never met at Ravna Gora.",
        "The Partisans’ losses at the Sutjeska exceeded the Chetniks’ by far.",
        "The Partisans' losses at the Sutjeska exceeded the Chetniks' by far.",
        "It didn’t matter, and the commander couldn't say why; it wasn’t his order.",
        "Le rapport de l’armée d’occupation arrive à six o’clock, dit l’officier.",
        "Đurišić’s men and Lašić’s detachment joined Jevđević’s at Kalinovik.",
        "The ’40s saw the files dispersed; rock ’n’ roll came later.",
        "The battalion’s 1940’s issue rifles and the Ustaše’s own.",
    ],
)
def test_apostrophes_are_not_quotation_marks(text: str) -> None:
    assert find_quotations(text) == []


def test_possessives_and_elisions_inside_a_quotation() -> None:
    text = (
        "The report says “Mihailović’s men and the Partisans’ rearguard didn’t meet at "
        "l’Ivan sedlo,” which is wrong."
    )
    assert words(text) == [
        "Mihailović’s men and the Partisans’ rearguard didn’t meet at l’Ivan sedlo,"
    ]


def test_a_plural_possessive_closes_a_single_quotation_only_when_one_is_open() -> None:
    closing = "The envoy called them ‘the Partisans’ and no one objected."
    assert words(closing) == ["the Partisans"]
    possessive = "The envoy wrote “the Partisans’ arms came from Italian depots” in May."
    assert quoted(possessive) == [
        ("the Partisans’ arms came from Italian depots", None, False, True)
    ]


def test_an_opening_single_mark_after_a_letter_is_no_opener() -> None:
    # Mis-set apostrophes (‘ instead of ’) inside or after words.
    assert find_quotations("Mihailovic‘s order and the Chetniks‘ reply were lost.") == []


# Straight quotes


def test_straight_double_quotes_open_and_close_by_context() -> None:
    text = (
        'The diary reads "no orders came from Belgrade", while the cable says "the orders '
        '(sent twice) were ignored." Both cannot be right.'
    )
    assert words(text) == [
        "no orders came from Belgrade",
        "the orders (sent twice) were ignored.",
    ]


def test_straight_single_inside_straight_double() -> None:
    text = (
        "Shepherd quotes the order: \"all men of the 'bandit' villages are to be shot\", "
        "and the Partisans' reply."
    )
    assert quoted(text) == [
        ("all men of the 'bandit' villages are to be shot", None, False, True),
        ("bandit", 0, False, True),
    ]


def test_straight_quote_after_an_opening_bracket_and_a_dash() -> None:
    text = 'The line ("no village was to be spared") and the echo—"spare nothing"—agree.'
    assert words(text) == ["no village was to be spared", "spare nothing"]


def test_inch_marks_and_stray_straight_quotes_open_nothing_unclosed_forever() -> None:
    text = 'The map, 12" by 18", lies in box 4.\n\nA new paragraph "with a quote" here.'
    assert [q for q in quoted(text) if q[3]] == [("with a quote", None, False, True)]


# Note numbers, ellipses, brackets


def test_a_note_number_after_the_closing_mark() -> None:
    text = (
        "Löhr ordered that “the bands are to be destroyed”12 and later that “no prisoners "
        'are to be taken”.13 Straight: "the column moved by night"14 too.'
    )
    assert words(text) == [
        "the bands are to be destroyed",
        "no prisoners are to be taken",
        "the column moved by night",
    ]


def test_ellipses_and_bracketed_insertions_stay_inside() -> None:
    text = (
        "The order stood: “[N]o village that sheltered the bands . . . was to be spared… and "
        "[General Roatta’s] columns were to move only by day [sic].”4 Then peace."
    )
    assert words(text) == [
        "[N]o village that sheltered the bands . . . was to be spared… and [General Roatta’s] "
        "columns were to move only by day [sic]."
    ]


# Quotations over several paragraphs


def test_three_paragraphs_each_opened_only_the_last_closed() -> None:
    text = (
        "The commander’s report is worth quoting at length:\n\n"
        "“The bands withdrew from the villages near Nevesinje during the night.\n\n"
        "“The order stood: no village that sheltered the bands was to be spared.\n\n"
        "“The supply columns were to move only by day.”\n\n"
        "Nothing in the file suggests it was obeyed."
    )
    found = find_quotations(text)
    assert len(found) == 1
    (quotation,) = found
    assert quotation.closed and not quotation.block and quotation.parent is None
    assert [text[s:e] for s, e in quotation.segments] == [
        "The bands withdrew from the villages near Nevesinje during the night.",
        "The order stood: no village that sheltered the bands was to be spared.",
        "The supply columns were to move only by day.",
    ]
    assert (quotation.start, quotation.end) == (quotation.segments[0][0], quotation.segments[2][1])


def test_german_quotation_over_two_paragraphs_with_a_nested_one() -> None:
    text = (
        "„Die Banden haben sich zurückgezogen.\n\n"
        "„Der Befehl lautet: ‚kein Dorf wird geschont‘, und er gilt.“ Soweit der Bericht."
    )
    rows = find_quotations(text)
    assert len(rows) == 2
    assert len(rows[0].segments) == 2 and rows[0].closed
    assert rows[1].parent == 0 and quotation_text(text, rows[1]) == "kein Dorf wird geschont"


def test_an_unclosed_mark_ends_at_its_paragraph() -> None:
    text = (
        "Tomasevich writes that “the Chetnik commanders never agreed among themselves\n\n"
        "In the next paragraph the author speaks for himself, and “this one closes” here."
    )
    assert quoted(text) == [
        ("the Chetnik commanders never agreed among themselves", None, False, False),
        ("this one closes", None, False, True),
    ]


def test_a_line_break_is_not_a_paragraph_break() -> None:
    text = "The report says “the bands withdrew\nfrom the villages near Nevesinje” that night."
    assert quoted(text) == [
        ("the bands withdrew\nfrom the villages near Nevesinje", None, False, True)
    ]


# Block quotations


def test_block_quotation_with_a_nested_quote() -> None:
    text = (
        "The division put it plainly:\n\n"
        "> Owing to the snow, the garrisons at Foča and Kalinovik are supplied by\n"
        "> pack animals only; the men call the road “the staircase” and curse it.\n\n"
        "> Each column must be escorted by at least one company.\n\n"
        "So much for the winter."
    )
    rows = quoted(text)
    assert rows == [
        (
            "Owing to the snow, the garrisons at Foča and Kalinovik are supplied by\n"
            "pack animals only; the men call the road “the staircase” and curse it.\n\n"
            "Each column must be escorted by at least one company.",
            None,
            True,
            True,
        ),
        ("the staircase", 0, False, True),
    ]
    (block, _) = find_quotations(text)
    assert len(block.segments) == 2


def test_html_blockquote_becomes_a_block_quotation() -> None:
    markup = (
        "<p>Löhr wrote:</p><blockquote><p>The railway bridge at Mostar was repaired by the "
        "engineers; the Italians called it „il ponte tedesco“ after that.</p></blockquote>"
        "<p>Then the Neretva rose.</p>"
    )
    text = html_to_text(markup).text
    rows = quoted(text)
    assert rows[0][1:] == (None, True, True)
    assert rows[0][0].startswith("The railway bridge at Mostar")
    assert rows[1] == ("il ponte tedesco", 0, False, True)


def test_an_epub_blockquote_goes_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "article.epub"
    with zipfile.ZipFile(path, "w") as epub:
        write_frame(
            epub,
            '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
            '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
            '<spine><itemref idref="c1"/></spine></package>',
        )
        epub.writestr(
            "OEBPS/c1.xhtml",
            "<html><body><p>The corps answered:</p><blockquote><p>All measures are to be taken "
            "only with the knowledge of “the corps headquarters at Belgrade”.</p></blockquote>"
            "<p>Zagreb did not reply.</p></body></html>",
        )
    (page,) = extract_epub(path, Limits()).pages
    rows = quoted(page.text)
    assert rows[0][1:] == (None, True, True)
    assert rows[0][0].startswith("All measures are to be taken")
    assert rows[1] == ("the corps headquarters at Belgrade", 0, False, True)


def test_a_quotation_left_open_inside_a_block_ends_with_it() -> None:
    text = "> The order read “no village was to be spared\n\nAfter the block, “a new one”."
    assert quoted(text) == [
        ("The order read “no village was to be spared", None, True, True),
        ("no village was to be spared", 0, False, False),
        ("a new one", None, False, True),
    ]


# What detect_citations makes of them


def test_detected_passages_nest_and_titles_become_works() -> None:
    text = (
        "In “The Sword and the Shield” the authors quote NOKW-1088: “the commander insisted "
        "that ‘no village that sheltered the bands was to be spared’ and said so twice.” "
        "The ‘Operation Schwarz’ files and the “liberated” areas are another story."
    )
    found = detect_citations(text)
    assert [(d.kind, d.text, d.parent) for d in found] == [
        ("work", "The Sword and the Shield", None),
        ("identifier", "NOKW-1088", None),
        ("quote", "the commander insisted that ‘no village that sheltered the bands was to be "
         "spared’ and said so twice.", None),
        ("quote", "no village that sheltered the bands was to be spared", 2),
        ("work", "Operation Schwarz", None),
    ]  # fmt: skip
    works = [d for d in found if d.kind == "work"]
    assert [(w.title, w.author, w.year) for w in works] == [
        ("The Sword and the Shield", "", ""),
        ("Operation Schwarz", "", ""),
    ]
    assert found[3].segments == ((found[3].start, found[3].end),)


def test_identifiers_inside_a_quotation_have_no_parent() -> None:
    text = "The clerk noted “see NOKW 1080 and NO-3012 for the earlier orders” in pencil."
    found = detect_citations(text)
    assert [d.kind for d in found] == ["quote", "identifier", "identifier"]
    assert [d.parent for d in found] == [None, None, None]


def test_a_multi_paragraph_quotation_is_one_passage_of_its_words_alone() -> None:
    text = (
        "“The bands withdrew from the villages near Nevesinje during the night.\n\n"
        "“The order stood: no village that sheltered the bands was to be spared.”"
    )
    (found,) = detect_citations(text)
    assert found.kind == "quote"
    assert found.text == (
        "The bands withdrew from the villages near Nevesinje during the night.\n\n"
        "The order stood: no village that sheltered the bands was to be spared."
    )
    assert len(found.segments) == 2


def test_a_block_quotation_passage_has_no_line_prefixes() -> None:
    text = "> The railway bridge at Mostar was repaired\n> by the engineers.\n\nAfter."
    (found,) = detect_citations(text)
    assert found.text == "The railway bridge at Mostar was repaired\nby the engineers."


def test_unclosed_quotations_are_no_citations() -> None:
    text = "He wrote that “the bands withdrew from the villages near Nevesinje at night\n\nNext."
    assert detect_citations(text) == []


def test_a_nested_quote_whose_parent_is_dropped_points_at_the_next_kept_one() -> None:
    text = (
        "The file says “the colonel repeated ‘the bridges at Konjic are to be blown at once’ "
        "twice” and then “a witness heard “the officer say ‘the bridges at Jablanica are to be "
        "held’” in the night"
    )
    found = detect_citations(text)
    assert [(d.text, d.parent) for d in found] == [
        ("the colonel repeated ‘the bridges at Konjic are to be blown at once’ twice", None),
        ("the bridges at Konjic are to be blown at once", 0),
        # The quotation around this one never closes: no citation, and no parent.
        ("the officer say ‘the bridges at Jablanica are to be held’", None),
        ("the bridges at Jablanica are to be held", 2),
    ]


@pytest.mark.parametrize(
    ("quoted_words", "title"),
    [
        ("The Sword and the Shield", True),
        ("Operation Schwarz", True),
        ("Tito, Mihailović and the Allies,", True),
        ("Terror in the Balkans: German Armies and Partisan Warfare", True),
        ("Die Lage im Raum Foča ist unverändert ernst", False),
        ("no village was to be spared", False),
        ("The order stood. No village was spared", False),
        ("liberated", False),
        ("Chetniks", False),
        ("Rations for the Italian garrison at Gacko were to be drawn from the depot…", False),
    ],
)
def test_what_reads_as_a_title(quoted_words: str, title: bool) -> None:
    assert reads_as_title(quoted_words) is title


def test_short_quotes_that_are_no_titles_are_dropped_as_before() -> None:
    text = "The so-called “liberated territory” and the “bandit” label stuck."
    assert detect_citations(text) == []


# Any text at all


MARKS_AND_TEXT = st.text(
    alphabet=st.sampled_from(list("“”„‘’‚«»‹›\"'abS s.,([—\n>12")),
    max_size=400,
)


def check_quotations(text: str, found: list[Quotation]) -> None:
    assert found == sorted(found, key=lambda q: (q.start, -q.end))
    for index, q in enumerate(found):
        assert 0 <= q.start <= q.end <= len(text)
        assert q.segments and (q.start, q.end) == (q.segments[0][0], q.segments[-1][1])
        previous_end = q.start
        for start, end in q.segments:
            assert previous_end <= start <= end <= q.end
            previous_end = end
        if q.parent is not None:
            parent = found[q.parent]
            assert q.parent < index
            assert parent.start <= q.start and q.end <= parent.end


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MARKS_AND_TEXT, st.text(max_size=200)))
def test_any_sequence_of_marks_letters_spaces_and_newlines(text: str) -> None:
    check_quotations(text, find_quotations(text))
    for found in detect_citations(text):
        assert 0 <= found.start < found.end <= len(text)
        assert found.parent is None or isinstance(found.parent, int)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "‘", "’", "„", "\n\n", "> ", "word ", "s’ "])))
def test_any_arrangement_of_marks_and_paragraphs(parts: list[str]) -> None:
    text = "".join(parts)
    found = find_quotations(text)
    check_quotations(text, found)
    detected = detect_citations(text)
    for item in detected:
        if item.parent is not None:
            assert isinstance(detected[item.parent], Detected)
            assert detected[item.parent].start <= item.start


# Bad input: bounded time, no exception


UNBALANCED = (
    "The order stood: “no village that sheltered the bands was to be spared, and the supply "
    "columns were to move ‘only by day under escort of two companies. Mihailović’s men, the "
    "Partisans’ rearguard and „die Banden were reported near the villages « south of "
    "Nevesinje, \"said the report, and 'the Italians’ garrison did not ” move.’ "
)


def test_a_five_megabyte_article_whose_marks_never_balance() -> None:
    paragraph = UNBALANCED * 6
    text = "\n\n".join([paragraph] * (5_000_000 // (len(paragraph) + 2) + 1))
    assert len(text) >= 5_000_000
    started = time.perf_counter()
    found = find_quotations(text)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{seconds:.1f} s"
    assert found and not all(q.closed for q in found)
    check_quotations(text[:20_000], find_quotations(text[:20_000]))


def test_a_quotation_nested_a_thousand_deep() -> None:
    text = "“‘" * 500 + "the innermost words" + "’”" * 500
    started = time.perf_counter()
    found = find_quotations(text)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{seconds:.1f} s"
    check_quotations(text, found)
    assert len(found) == 1000 and all(q.closed for q in found)
    assert found[0].parent is None
    assert all(q.parent == index for index, q in enumerate(found[1:]))
    assert quotation_text(text, found[-1]) == "the innermost words"


def test_opening_marks_beyond_the_depth_limit_are_noise() -> None:
    text = "“a ‘b „c " * 1_000
    found = find_quotations(text)
    assert len(found) == MAX_DEPTH and not any(q.closed for q in found)
    check_quotations(text, found)


def test_a_block_quotation_ends_before_the_note_marker_that_closes_it() -> None:
    text = (
        "The order read:\n\n> The wireless station at Trebinje will transmit the daily report "
        "at six, as in the previous month.12\n\nThen the war went on."
    )
    (quote,) = [d for d in detect_citations(text) if d.kind == "quote"]
    assert text[quote.start : quote.end].endswith("previous month.")
    assert quote.text.endswith("previous month.")
    assert text[quote.end :].startswith("12")


def test_a_quotation_of_nothing_but_a_quotation_is_one_passage() -> None:
    text = (
        "Pavelić's order was cited whole: “‘The wireless station at Trebinje will transmit the "
        "daily report at six.’” Nothing else was said."
    )
    (quote,) = detect_citations(text)
    assert quote.text == "The wireless station at Trebinje will transmit the daily report at six."
    assert quote.parent is None


def test_a_passage_held_through_wrappers_names_the_quotation_with_words_as_parent() -> None:
    text = (
        "The diary says “the major read out ‘„die Banden sind restlos zu vernichten, "
        "ohne Rücksicht“’ to the assembled officers” that evening."
    )
    outer, inner = detect_citations(text)
    assert outer.text.startswith("the major read out") and outer.parent is None
    assert inner.text == "die Banden sind restlos zu vernichten, ohne Rücksicht"
    assert inner.parent == 0


def test_five_megabytes_of_thousand_deep_nests_stay_bounded() -> None:
    nest = "“‘" * 500 + "words in the middle of it all" + "’”" * 500 + "\n\n"
    text = (nest * (5_000_000 // len(nest) + 1))[:5_000_000]
    started = time.perf_counter()
    detected = detect_citations(text)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{seconds:.1f} s"
    assert len(find_quotations(text)) == MAX_QUOTATIONS
    assert {d.text for d in detected} == {"words in the middle of it all"}
    assert len(detected) == MAX_QUOTATIONS // MAX_DEPTH - 1  # the last nest is cut off
    assert all(d.parent is None for d in detected)


def test_pure_noise_of_marks_is_passed_over() -> None:
    for noise in ("” ’ » › ", "“a ‘b „c «d "):
        text = (noise * 700_000)[:5_000_000]
        started = time.perf_counter()
        found = find_quotations(text)
        seconds = time.perf_counter() - started
        assert seconds < 10, f"{noise!r}: {seconds:.1f} s"
        check_quotations(text[:10_000], find_quotations(text[:10_000]))
        assert not any(q.closed for q in found)
