from __future__ import annotations

import pytest

from reader.identifiers import canonicalize, find_identifiers, identifiers_in_filename


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("NOKW-1088", "NOKW-1088"),
        ("NOKW 1088", "NOKW-1088"),
        ("NOKW–1088", "NOKW-1088"),
        ("Doc. NO-3012", "NO-3012"),
        ("Document No. NO 3012", "NO-3012"),
        ("PS-1014", "PS-1014"),
        ("PS-1014a", "PS-1014a"),
        ("Record Group 238", "RG-238"),
        ("RG 242", "RG-242"),
        ("T-501, roll 255", "T-501/R-255"),
        ("T-311, reel 191", "T-311/R-191"),
        ("D-728", "D-728"),
        ("Doc. D 728", "D-728"),
        ("USSR-35", "USSR-35"),
        ("UK-81", "UK-81"),
        ("NOKW-01088", "NOKW-1088"),
    ],
)
def test_written_forms_give_the_canonical_identifier(written: str, canonical: str) -> None:
    found = find_identifiers(f"As shown in {written}, the order stood.")
    assert [f.canonical for f in found] == [canonical]
    assert found[0].text == written


def test_neighbouring_numbers_stay_distinct() -> None:
    found = find_identifiers("Compare NOKW-1080 with NOKW 1088 and NOKW-10880.")
    assert [f.canonical for f in found] == ["NOKW-1080", "NOKW-1088", "NOKW-10880"]


@pytest.mark.parametrize(
    "prose",
    [
        "In 1943 the division had 12 D 4 tanks.",
        "He said NO. 5 times over.",
        "Page 12, line 4; C 12 was missing.",
        "NOKW1088 glued to a word is not a citation of this form? NOKWA-1088",
        "The UK 1943 campaign",
    ],
)
def test_prose_is_not_mistaken_for_identifiers(prose: str) -> None:
    assert [f.canonical for f in find_identifiers(prose)] == []


def test_spans_point_at_the_text() -> None:
    text = "See Doc. NO-3012 and Record Group 238."
    for found in find_identifiers(text):
        assert text[found.start : found.end] == found.text


def test_user_references_and_file_names() -> None:
    assert canonicalize("nokw 1088") == "NOKW-1088"
    assert canonicalize("rg 238") == "RG-238"
    assert canonicalize("not an identifier") is None
    assert [f.canonical for f in identifiers_in_filename("nokw_1088_page1")] == ["NOKW-1088"]
    assert [f.canonical for f in identifiers_in_filename("NO-3012")] == ["NO-3012"]
