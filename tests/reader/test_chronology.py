"""The chronology as plain data: the primary documents by date (a day, a month or a year, or
a date outside 1800–2100 kept apart), the undated ones counted; and an article's dates beside
the documents of each date, those it cites among them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf
from reader.chronology import day_span, is_outside
from reader.library import Library
from reader.records import MetadataChanges

ARTICLE = """<html><head><title>Reports</title></head><body>
<p>The report of 12 March 1943 (NOKW-1088) is the first. Two days later the telegram NO-3012
followed. In April the memorandum came, and in 1961 the memoir.</p></body></html>"""


@pytest.fixture
def archive(tmp_path: Path, library: Library) -> Library:
    dates = {"NOKW-1088": "1943-03-12", "NOKW-1089": "1943-03-12", "NO-3012": "1943-03-14",
             "PS-1014": "1943-04", "NOKW-2000": "1066", "NOKW-2001": "", "NOKW-2002": ""}  # fmt: skip
    files = [born_digital_pdf(tmp_path / f"{name}.pdf", [f"File {name}."]) for name in dates]
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    library.import_paths(files, kind="primary")
    library.import_paths([tmp_path / "article.html"], kind="secondary")
    for name, value in dates.items():
        if value:
            library.update_metadata(name, MetadataChanges(date=value))
    return library


def test_documents_by_date_with_the_days_they_cover(archive: Library) -> None:
    chronology = archive.chronology()
    assert chronology.undated == 2
    assert [(d.label, d.date, d.precision, d.outside) for d in chronology.documents] == [
        ("NOKW-2000", "1066", "year", True),
        ("NOKW-1088", "1943-03-12", "day", False),
        ("NOKW-1089", "1943-03-12", "day", False),
        ("NO-3012", "1943-03-14", "day", False),
        ("PS-1014", "1943-04", "month", False),
    ]
    april = chronology.documents[-1]
    assert (april.first_day, april.last_day) == (
        date(1943, 4, 1).toordinal(),
        date(1943, 4, 30).toordinal(),
    )
    assert not any(d.guessed for d in chronology.documents)  # all set by a person


def test_an_articles_dates_stand_beside_the_documents_of_that_date(archive: Library) -> None:
    article = archive.resolve("article.html")
    dated = archive.article_chronology(article)
    cited = {archive.resolve("NOKW-1088"), archive.resolve("NO-3012")}
    assert set(dated.cited) == cited
    names = {d.id: d.label for d in archive.chronology().documents}
    rows = [
        (claim.found.text, claim.found.date, [names[d] for d in claim.documents],
         [names[d] for d in claim.cited])
        for claim in dated.claims
    ]  # fmt: skip
    assert rows == [
        ("12 March 1943", "1943-03-12", ["NOKW-1088", "NOKW-1089"], ["NOKW-1088"]),
        ("Two days later", "1943-03-14", ["NO-3012"], ["NO-3012"]),
        ("April", "1943-04", ["PS-1014"], []),  # a month: the documents dated within it
        ("1961", "1961", [], []),
    ]
    text = archive.article_text(article)
    for claim in dated.claims:
        assert text[claim.found.start : claim.found.end] == claim.found.text


@pytest.mark.parametrize(
    ("value", "first", "last", "precision"),
    [
        ("1943-03-12", date(1943, 3, 12), date(1943, 3, 12), "day"),
        ("1943-02", date(1943, 2, 1), date(1943, 2, 28), "month"),
        ("1944-02", date(1944, 2, 1), date(1944, 2, 29), "month"),
        ("1943", date(1943, 1, 1), date(1943, 12, 31), "year"),
        ("1943-02-30", date(1943, 2, 28), date(1943, 2, 28), "day"),  # no such day: the last
        ("0000", date(1, 1, 1), date(1, 12, 31), "year"),  # before the calendar: its start
        ("9999-12-31", date(9999, 12, 31), date(9999, 12, 31), "day"),
    ],
)
def test_the_days_a_partial_date_covers(
    value: str, first: date, last: date, precision: str
) -> None:
    assert day_span(value) == (first.toordinal(), last.toordinal(), precision)


def test_what_is_no_date_or_outside_the_archives_years() -> None:
    assert day_span("") is None and day_span("sometime") is None
    assert is_outside("1066") and is_outside("2999-01") and is_outside("0000")
    assert not is_outside("1800") and not is_outside("2100-12-31") and not is_outside("1943-03")
