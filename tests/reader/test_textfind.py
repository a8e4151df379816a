"""reader.textfind: finding text in a page as the index matches words, case and accents aside,
with spans in the page's own offsets."""

from __future__ import annotations

from reader.textfind import find_folded, folded_with_offsets


def found(text: str, needle: str) -> list[str]:
    return [text[start:end] for start, end in find_folded(text, needle)]


def test_case_and_accents_are_ignored_both_ways() -> None:
    text = "Mihailović met MIHAILOVIC; mihailovic stayed."
    assert found(text, "Mihailovic") == ["Mihailović", "MIHAILOVIC", "mihailovic"]
    assert found(text, "MIHAILOVIĆ") == ["Mihailović", "MIHAILOVIC", "mihailovic"]


def test_spans_are_offsets_in_the_original_text() -> None:
    text = "Über Nevesinje zogen die Kolonnen"
    (span,) = find_folded(text, "uber nevesinje")
    assert span == (0, 14)
    assert text[slice(*span)] == "Über Nevesinje"


def test_a_letter_that_folds_to_two_keeps_the_spans_right() -> None:
    text = "die Straße nach Mostar, die Strasse zurück"
    assert found(text, "strasse") == ["Straße", "Strasse"]
    assert found(text, "Straße nach") == ["Straße nach"]
    # Half of "ß" is not a match boundary inside the original: the span covers the letter.
    assert found(text, "stras") == ["Straß", "Stras"]
    assert found(text, "mostar") == ["Mostar"]


DECOMPOSED = "Mihailovic\u0301 and Mihailović"  # c + combining acute, then the composed ć


def test_decomposed_accents_in_the_page_fold_like_composed_ones() -> None:
    spans = list(find_folded(DECOMPOSED, "mihailovic"))
    assert [start for start, _ in spans] == [0, DECOMPOSED.index("Mihailović")]
    assert DECOMPOSED[slice(*spans[1])] == "Mihailović"


def test_a_match_ending_on_a_decomposed_letter_takes_its_accent() -> None:
    # A letter and its combining marks fold as one (index.folding.fold_text).
    assert found(DECOMPOSED, "mihailovic")[0] == "Mihailovic\u0301"


def test_whitespace_of_any_kind_matches_one_space() -> None:
    text = "no village\nthat   sheltered\tthe bands"
    assert found(text, "village that") == ["village\nthat"]
    assert found(text, "  the   bands ") == ["the bands"]
    # Runs of spaces in the page are not collapsed: the needle's one space meets one.
    assert found(text, "that sheltered") == []


def test_matches_do_not_overlap() -> None:
    assert list(find_folded("aaaa", "aa")) == [(0, 2), (2, 4)]
    assert list(find_folded("ananas", "ana")) == [(0, 3)]


def test_matches_inside_words_are_found() -> None:
    assert found("Horstenau, Glaise-Horstenau", "stenau") == ["stenau", "stenau"]


def test_an_empty_or_blank_needle_finds_nothing() -> None:
    assert list(find_folded("some text", "")) == []
    assert list(find_folded("some text", " \n\t")) == []
    assert list(find_folded("", "text")) == []


def test_folded_text_keeps_an_origin_for_each_character() -> None:
    folded, origins = folded_with_offsets("Aß É")
    assert folded == "ass e"
    assert origins == [0, 1, 1, 2, 3]
    assert folded_with_offsets("") == ("", [])
