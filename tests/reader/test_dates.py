"""reader.dates: partial dates as archivists write them, as sortable ISO prefixes."""

from __future__ import annotations

import pytest

from reader.dates import partial_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("1943", "1943"),
        ("1943-03", "1943-03"),
        ("1943-03-12", "1943-03-12"),
        ("1943-3-2", "1943-03-02"),
        ("1943/03/12", "1943-03-12"),
        ("1943.03.12", "1943-03-12"),
        ("  1943-03-12T08:15:00", "1943-03-12"),  # a timestamp's date
        ("D:19430312081500+01'00'", "1943-03-12"),  # a PDF date
        ("D:194303", "1943-03"),
        ("D:1943", "1943"),
    ],
)
def test_numeric_dates_keep_only_the_parts_given(written: str, iso: str) -> None:
    assert partial_date(written) == iso


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 1943", "1943-03"),
        ("Mar. 1943", "1943-03"),
        ("March 12, 1943", "1943-03-12"),
        ("march 12 1943", "1943-03-12"),
        ("12 March 1943", "1943-03-12"),
        ("12. März 1943", "1943-03-12"),
        ("3 Okt. 1944", "1944-10-03"),
        ("1 Dezember 1942", "1942-12-01"),
        ("Sept 1941", "1941-09"),
        ("Jänner 1945", "1945-01"),
    ],
)
def test_month_names_in_english_and_german(written: str, iso: str) -> None:
    assert partial_date(written) == iso


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("1943-13", "1943"),  # no 13th month: the year is all that is sure
        ("1943-00-12", "1943"),
        ("1943-03-32", "1943-03"),  # no 32nd day: the month stands
        ("1943-03-00", "1943-03"),
        ("32 March 1943", "1943-03"),
    ],
)
def test_impossible_months_and_days_fall_back_to_what_is_sure(written: str, iso: str) -> None:
    assert partial_date(written) == iso


@pytest.mark.parametrize(
    "written",
    ["", "   ", "sometime", "spring 1943", "Brumaire 1943", "43-03-12", "n.d.", "c. 1943"],
)
def test_what_is_no_date_gives_the_empty_string(written: str) -> None:
    assert partial_date(written) == ""


def test_a_range_gives_its_start() -> None:
    assert partial_date("1943-1945") == "1943"
    assert partial_date("March 1943 - June 1943") == "1943-03"
    assert partial_date("12 March 1943 – 3 April 1943") == "1943-03-12"


def test_an_iso_interval_gives_its_start() -> None:
    assert partial_date("1943-03/1943-06") == "1943-03"


def test_partial_dates_sort_as_strings_in_time_order() -> None:
    written = ["1943-03-01", "1943", "1943-02-28", "1942-12", "1943-03", "1944"]
    ordered = sorted(partial_date(w) for w in written)
    assert ordered == ["1942-12", "1943", "1943-02-28", "1943-03", "1943-03-01", "1944"]
    # A month sorts after the last day before it and before its own first day.
    assert partial_date("1943-02-28") < partial_date("March 1943") < partial_date("1 March 1943")
