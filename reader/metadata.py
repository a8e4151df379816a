"""A researcher's edits of a document's record, checked before they reach the catalog."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reader.dates import partial_date
from reader.identifiers import find_identifiers
from reader.models import Document, DocumentKind, Identifier
from reader.records import MetadataChanges

KINDS = tuple(kind.value for kind in DocumentKind)


class InvalidMetadata(ValueError):
    """An edit the catalog cannot take (an unknown kind, a date that is no date)."""


def apply_changes(session: Session, document: Document, changes: MetadataChanges) -> None:
    if changes.title is not None:
        if not changes.title.strip():
            raise InvalidMetadata("a document needs a title")
        document.title = changes.title.strip()
    if changes.kind is not None:
        if changes.kind not in KINDS:
            raise InvalidMetadata(f"kind must be one of {', '.join(KINDS)}, not {changes.kind!r}")
        document.kind = changes.kind
    if changes.date is not None:
        document.date = _checked_date(changes.date)
    if changes.authors is not None:
        document.authors = [a.strip() for a in changes.authors if a.strip()]
    if changes.collection is not None:
        document.collection = changes.collection.strip()
    if changes.identifiers is not None:
        _replace_identifiers(session, document, changes.identifiers)


def _checked_date(value: str) -> str:
    if not value.strip():
        return ""
    date = partial_date(value)
    if not date:
        raise InvalidMetadata(f"{value!r} is not a date (write 1943, 1943-03 or 1943-03-12)")
    return date


def _replace_identifiers(session: Session, document: Document, written: list[str]) -> None:
    """Keep the identifiers still listed, drop the others, add new ones as the user's own.
    Text that is no known archival code is kept as the collection's own identifier."""
    wanted: dict[str, tuple[str, str]] = {}
    for text in (w.strip() for w in written):
        if not text:
            continue
        found = find_identifiers(text)
        exact = found[0] if len(found) == 1 and found[0].text.strip() == text else None
        if exact is not None:
            wanted[exact.canonical] = (exact.scheme, exact.value)
        else:
            wanted[text] = ("local", text)
    for identifier in list(document.identifiers):
        if identifier.canonical not in wanted:
            document.identifiers.remove(identifier)
            session.delete(identifier)
    known = {identifier.canonical for identifier in document.identifiers}
    document.identifiers.extend(
        Identifier(scheme=scheme, value=value, canonical=canonical, origin="user")
        for canonical, (scheme, value) in wanted.items()
        if canonical not in known
    )
