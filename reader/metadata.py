"""A researcher's edits of a document's record, checked before they reach the catalog."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from reader.dates import partial_date
from reader.identifiers import find_identifiers
from reader.models import CitingState, Document, DocumentKind, Identifier
from reader.records import MetadataChanges
from reader.schemes import SchemeTable

KINDS = tuple(kind.value for kind in DocumentKind)


class InvalidMetadata(ValueError):
    """An edit the catalog cannot take (an unknown kind, a date that is no date)."""


def apply_changes(
    session: Session,
    document: Document,
    changes: MetadataChanges,
    schemes: SchemeTable | None = None,
) -> None:
    """`schemes`: the library's identifier schemes, which write the identifiers given in
    their canonical form (None: the built-in table)."""
    if changes.title is not None:
        if not changes.title.strip():
            raise InvalidMetadata("a document needs a title")
        document.title = changes.title.strip()
    if changes.kind is not None:
        if changes.kind not in KINDS:
            raise InvalidMetadata(f"kind must be one of {', '.join(KINDS)}, not {changes.kind!r}")
        if changes.kind != document.kind:
            document.kind = changes.kind
            document.citing_state = CitingState.of_new(changes.kind)
    if changes.date is not None:
        document.date = _checked_date(changes.date)
        document.date_source = "user" if document.date else ""
    if changes.authors is not None:
        document.authors = [a.strip() for a in changes.authors if a.strip()]
    if changes.collection is not None:
        document.collection = changes.collection.strip()
    if changes.languages is not None:
        document.languages = [code.strip() for code in changes.languages if code.strip()]
    for name, limit in ARCHIVE_FIELDS.items():
        value = getattr(changes, name)
        if value is not None:
            value = " ".join(value.split())
            if len(value) > limit:
                label = name.replace("_", " ")
                raise InvalidMetadata(f"the {label} is longer than {limit} characters")
            setattr(document, name, value)
    if changes.identifiers is not None:
        _replace_identifiers(session, document, changes.identifiers, schemes=schemes)
    if changes.user_identifiers is not None:
        _replace_identifiers(
            session, document, changes.user_identifiers, only_user=True, schemes=schemes
        )
    if changes.first_frame is not None:
        if changes.first_frame < 0:
            raise InvalidMetadata(f"a frame number is not negative: {changes.first_frame}")
        for page in document.pages:
            page.frame = changes.first_frame + page.number - 1


# The call number's parts, each with the longest text the catalog keeps.
ARCHIVE_FIELDS = {
    "repository": 200,
    "record_group": 100,
    "series": 100,
    "box": 100,
    "folder": 100,
    "item": 100,
}


def _checked_date(value: str) -> str:
    if not value.strip():
        return ""
    date = partial_date(value)
    if not date:
        raise InvalidMetadata(f"{value!r} is not a date (write 1943, 1943-03 or 1943-03-12)")
    return date


def _replace_identifiers(
    session: Session,
    document: Document,
    written: list[str],
    *,
    only_user: bool = False,
    schemes: SchemeTable | None = None,
) -> None:
    """Keep the identifiers still listed, drop the others, add new ones as the user's own.
    Text that is no known archival code is kept as the collection's own identifier.
    `only_user`: the identifiers found in the file name or text are kept, listed or not."""
    wanted: dict[str, tuple[str, str]] = {}
    for text in (w.strip() for w in written):
        if not text:
            continue
        found = find_identifiers(text, schemes=schemes)
        exact = found[0] if len(found) == 1 and found[0].text.strip() == text else None
        if exact is not None:
            wanted[exact.canonical] = (exact.scheme, exact.value)
        else:
            text = " ".join(text.split())
            if len(text) > 100:
                raise InvalidMetadata(f"an identifier is longer than 100 characters: {text!r}")
            wanted[text] = ("local", text)
    for identifier in list(document.identifiers):
        if only_user and identifier.origin != "user":
            continue
        if identifier.canonical not in wanted:
            document.identifiers.remove(identifier)
            session.delete(identifier)
    known = {identifier.canonical for identifier in document.identifiers}
    document.identifiers.extend(
        Identifier(scheme=scheme, value=value, canonical=canonical, origin="user")
        for canonical, (scheme, value) in wanted.items()
        if canonical not in known
    )


# A frame number printed on a microfilmed page: 4 to 6 digits alone on a line.
_FRAME_LINE = re.compile(r"^\s*[\[(]?(\d{4,6})[\])]?\s*$")
# How many lines from the top and bottom of a page's text a frame number is looked for on.
FRAME_EDGE_LINES = 3
# The share of pages that must show the same run of frames for the run to be believed.
FRAME_AGREEMENT = 0.6


def frame_candidates(text: str) -> set[int]:
    """The numbers standing alone on the first or last lines of a page's text."""
    lines = [line for line in text.splitlines() if line.strip()]
    edges = lines[:FRAME_EDGE_LINES] + lines[-FRAME_EDGE_LINES:]
    return {int(m.group(1)) for line in edges if (m := _FRAME_LINE.match(line))}


def frames_from_texts(texts: Sequence[str]) -> list[int] | None:
    """The frame each page shows, when the pages' printed frame numbers make one run (page n
    shows frame first + n - 1) on most pages; None when they do not, or too few pages to
    tell. Conservative: a page number or a year in a heading is no run."""
    if len(texts) < 2:
        return None
    firsts: Counter[int] = Counter()
    for index, text in enumerate(texts):
        for number in frame_candidates(text):
            if number - index >= 0:
                firsts[number - index] += 1
    if not firsts:
        return None
    (first, agreeing), *rest = firsts.most_common(2)
    if rest and rest[0][1] == agreeing:
        return None  # two runs as likely as each other: no telling which
    if agreeing < 2 or agreeing < FRAME_AGREEMENT * len(texts):
        return None
    return [first + index for index in range(len(texts))]
