"""The chronology: the primary documents by date, and an article's own dates beside the
documents of each date.

A document's date is an ISO partial date ("1943", "1943-03", "1943-03-12"); on the timeline
it covers the days it can mean: one day, a month or a year. A date the calendar cannot hold
("0000", "1943-02-30" is taken as the 28th) or one outside 1800–2100 is kept, marked
`outside`, so that the timeline shows it apart instead of stretching to the year 1000.
"""

from __future__ import annotations

import bisect
import calendar
import time
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reader.dates import DAY, MONTH, YEAR, partial_date
from reader.models import Document, DocumentKind, Identifier
from reader.records import (
    ArticleChronology,
    ArticleDate,
    Chronology,
    DatedClaim,
    DatedDocument,
)

FIRST_YEAR, LAST_YEAR = 1800, 2100  # the years a collection's documents are expected in
_GUESSED_SOURCES = ("filename", "text")


def day_span(value: str) -> tuple[int, int, str] | None:
    """The first and last day (proleptic ordinals) an ISO partial date covers, and its
    precision; None when `value` is no date. Years beyond the calendar's 1–9999 are taken
    at its ends, a day beyond its month's end as the month's last day."""
    iso = partial_date(value.strip())
    if not iso:
        return None
    parts = [int(part) for part in iso.split("-")]
    year = min(max(parts[0], 1), 9999)
    if len(parts) == 1:
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal(), YEAR
    month = parts[1]
    last = calendar.monthrange(year, month)[1]
    if len(parts) == 2:
        return date(year, month, 1).toordinal(), date(year, month, last).toordinal(), MONTH
    day = date(year, month, min(parts[2], last)).toordinal()
    return day, day, DAY


def is_outside(value: str) -> bool:
    """A date before 1800 or after 2100: not where an archive's documents stand."""
    iso = partial_date(value.strip())
    return bool(iso) and not FIRST_YEAR <= int(iso[:4]) <= LAST_YEAR


def chronology(session: Session) -> Chronology:
    """Every primary document with a date, by date; how many have none."""
    started = time.perf_counter()
    rows = session.execute(
        select(Document.id, Document.title, Document.date, Document.date_source).where(
            Document.kind == DocumentKind.PRIMARY.value
        )
    ).all()
    labels = _first_identifiers(session)
    documents, undated = [], 0
    for doc, title, value, source in rows:
        dated = _dated(doc, title, labels.get(doc, ""), value or "", source or "")
        if dated is None:
            undated += 1
        else:
            documents.append(dated)
    documents.sort(key=lambda d: (d.first_day, d.last_day, d.id))
    return Chronology(documents, undated, time.perf_counter() - started)


def _first_identifiers(session: Session) -> dict[int, str]:
    """Each document's first identifier (as the library lists them), for its label."""
    labels: dict[int, str] = {}
    for doc, canonical in session.execute(
        select(Identifier.document_id, Identifier.canonical).order_by(Identifier.id.desc())
    ):
        labels[doc] = canonical  # the last written is the lowest id: the first
    return labels


def _dated(doc: int, title: str, label: str, value: str, source: str) -> DatedDocument | None:
    span = day_span(value) if value else None
    if span is None:
        return None
    first, last, precision = span
    return DatedDocument(
        id=doc,
        title=title,
        label=label or title,
        date=value,
        precision=precision,
        first_day=first,
        last_day=last,
        guessed=source in _GUESSED_SOURCES,
        outside=is_outside(value),
    )


def claims(
    dates: Sequence[ArticleDate], documents: Sequence[DatedDocument], cited: Iterable[int]
) -> list[DatedClaim]:
    """Each date of an article beside the documents of that date: of that day for a day,
    dated within the month (or to the month) for a month, within the year for a year."""
    by_day = sorted(documents, key=lambda d: (d.first_day, d.id))
    firsts = [d.first_day for d in by_day]
    cited_ids = set(cited)
    result = []
    for found in dates:
        span = day_span(found.date)
        if span is None:
            continue
        first, last, _ = span
        low, high = bisect.bisect_left(firsts, first), bisect.bisect_right(firsts, last)
        # A document's span lies inside the claim's: a month-dated document is no document
        # of a day, but it is of its month.
        of_date = [d.id for d in by_day[low:high] if d.last_day <= last]
        result.append(DatedClaim(found, of_date, [d for d in of_date if d in cited_ids]))
    return result


def article_chronology(
    session: Session, doc: int, text: str, cited: Iterable[int]
) -> ArticleChronology:
    """An article's dates, each beside the documents of its date; and what it cites."""
    cited_ids = sorted(set(cited))
    documents = chronology(session).documents
    from reader.article_dates import find_dates  # its patterns take a while to compile

    return ArticleChronology(doc, claims(find_dates(text), documents, cited_ids), cited_ids)
