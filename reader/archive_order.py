"""The archive's own order: the catalog's documents as a tree of repository > record group >
series > box > folder > item with document counts, and filing documents at a place in it.

A level a document leaves blank is skipped, not shown as an empty level: a document with a
repository and a box but no record group or series sits under repository > box. Two spellings
of one value are one place, told apart as the search index tells them
(index.archive_fields.archive_key: "RG 238" and "238" are one record group, shown as most of
its documents write it). Documents with none of the six fields sit under "Unfiled".

A place is the values of the first levels, in the archive's order, blank for a level skipped:
("NARA", "RG 238") is that record group; ("NARA", "", "", "7") box 7 of NARA without a record
group or series; six blanks are Unfiled; () is the whole library. The tree is built from one
grouped query over the documents, whatever their pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from index.archive_fields import ARCHIVE_FIELDS, archive_key
from index.folding import fold
from reader.metadata import apply_changes
from reader.models import Document
from reader.records import ArchiveNode, ArchiveTree, DocumentInfo, Filing, MetadataChanges
from reader.schemes import SchemeTable

LEVELS = tuple(ARCHIVE_FIELDS)  # repository, record_group, series, box, folder, item
_LEVEL_INDEX = {level: index for index, level in enumerate(LEVELS)}
Place = tuple[str, ...]
UNFILED: Place = ("",) * len(LEVELS)
UNFILED_LABEL = "Unfiled"
WHOLE_LIBRARY = "All documents"
LEVEL_NAMES = {
    "repository": "Repository", "record_group": "Record group", "series": "Series",
    "box": "Box", "folder": "Folder", "item": "Item",
}  # fmt: skip
# A bare number is shown with its level's word: record group "238" reads "RG 238".
_NUMBER_WORDS = {"record_group": "RG", "box": "Box", "folder": "Folder", "item": "Item"}
_DIGITS = re.compile(r"([0-9]+)")


def label_of(level: str, value: str) -> str:
    word = _NUMBER_WORDS.get(level)
    return f"{word} {value}" if word and value[:1].isascii() and value[:1].isdigit() else value


def place_label(place: Sequence[str]) -> str:
    """A place as a reader says it: "NARA › RG 238 › Box 7"."""
    if not place:
        return WHOLE_LIBRARY
    if tuple(place) == UNFILED:
        return UNFILED_LABEL
    return " › ".join(
        label_of(level, value) for level, value in zip(LEVELS, place, strict=False) if value
    )


def fields_of(document: DocumentInfo | Document) -> Place:
    """A document's six archive fields, in the archive's order."""
    return tuple(getattr(document, level) or "" for level in LEVELS)


def in_place(fields: Sequence[str], place: Sequence[str]) -> bool:
    """Whether a document with these archive fields is filed at or below `place`."""
    return all(
        archive_key(level, have) == archive_key(level, want)
        for level, have, want in zip(LEVELS, fields, place, strict=False)
    )


def within_query(place: Sequence[str]) -> str:
    """The search that keeps to a place, in the query language (index.query): its values,
    and NOT field:* for a level it skips; "" for the whole library."""
    terms = []
    for level, value in zip(LEVELS, place, strict=False):
        field_name, key = ARCHIVE_FIELDS[level], archive_key(level, value)
        terms.append(f'{field_name}:"{key}"' if key else f"NOT {field_name}:*")
    return " ".join(terms)


# Building the tree


def archive_tree(session: Session) -> ArchiveTree:
    columns = [getattr(Document, level) for level in LEVELS]
    # In order, so that rows of one place come together (SQLite's GROUP BY sorts anyway).
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    return tree_of_groups(session.connection().execute(query).all())


class _Branch:
    """A place while the tree is gathered: its spellings and counts so far."""

    __slots__ = ("children", "count", "here", "level", "spellings")

    def __init__(self, level: int) -> None:
        self.level = level
        self.spellings: dict[str, int] = {}
        self.count = 0
        self.here = 0
        self.children: dict[tuple[int, str], _Branch] = {}

    def close(self, value: str, documents: int) -> None:
        """The documents counted while `value` was its spelling in the rows read."""
        self.spellings[value] = self.spellings.get(value, 0) + documents
        self.count += documents


def tree_of_groups(rows: Iterable[Sequence[Any]]) -> ArchiveTree:
    """The tree from rows of the six archive fields and the number of documents that have
    them. A catalog of twenty thousand documents, each its own item, is that many rows: a
    row is gathered from the first level where it differs from the row before, and a place
    counts the documents read while it was open (rows in order make that once a place)."""
    levels = len(LEVELS)
    keys: list[dict[str, str]] = [{} for _ in LEVELS]  # each level's values and their keys
    root, read, unfiled = _Branch(-1), 0, 0
    previous: list[Any] = [None] * levels  # the row before's values
    open_at: list[_Branch | None] = [None] * levels  # the place open at each level, if any
    opened = [0] * levels  # documents read when it was opened
    # The deepest place open at each level or above it: where a place of the next level goes.
    deepest: list[_Branch] = [root] * levels
    for row in rows:
        first = 0
        while first < levels and row[first] == previous[first]:
            first += 1
        for index in range(first, levels):
            was = open_at[index]
            if was is not None:
                was.close(previous[index] or "", read - opened[index])
            value = previous[index] = row[index] or ""
            key = keys[index].get(value)
            if key is None:
                key = keys[index][value] = archive_key(LEVELS[index], value)
            parent = deepest[index - 1] if index else root
            branch = None
            if key:
                branch = parent.children.get((index, key))
                if branch is None:
                    branch = parent.children[(index, key)] = _Branch(index)
            open_at[index], opened[index] = branch, read
            deepest[index] = branch or parent
        count = row[levels]
        read += count
        if deepest[-1] is root:
            unfiled += count
        else:
            deepest[-1].here += count
    for index, branch in enumerate(open_at):
        if branch is not None:
            branch.close(previous[index], read - opened[index])
    nodes = _nodes(root, ())
    if unfiled:
        nodes.append(ArchiveNode("", UNFILED_LABEL, UNFILED, unfiled, (), unfiled))
    return ArchiveTree(read, tuple(nodes))


def _nodes(branch: _Branch, place: Place) -> list[ArchiveNode]:
    made = []
    for child in branch.children.values():
        spellings = child.spellings
        # The spelling most documents use; of equals, the first in order.
        value = (
            next(iter(spellings))
            if len(spellings) == 1
            else min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
        )
        level = LEVELS[child.level]
        at = place + ("",) * (child.level - len(place)) + (value,)
        children = tuple(_nodes(child, at)) if child.children else ()
        made.append(ArchiveNode(level, label_of(level, value), at, child.count, children,
                                child.here))  # fmt: skip
    if len(made) > 1:
        # By level, then by value: "Box 2" before "Box 10".
        made.sort(key=lambda node: (_LEVEL_INDEX[node.level], natural_key(node.place[-1])))
    return made


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Numbers by their value ("Box 2" before "Box 10"), letters without case or accents."""
    if text.isascii() and text.isdigit():
        return [(0, int(text))]
    return [
        (0, int(part)) if part.isdigit() else (1, fold(part))
        for part in _DIGITS.split(text)
        if part
    ]


# Filing


def filed_fields(current: Sequence[str], place: Sequence[str]) -> Place:
    """A document's six fields once filed at `place`: the place's levels set, the levels below
    it cleared, except the document's own item, which it keeps unless the place names one
    (Unfiled names all six, blank)."""
    if not place:
        raise ValueError("documents are filed at a place in the archive, not the whole library")
    fields = list(place) + [""] * (len(LEVELS) - len(place))
    if len(place) < len(LEVELS):
        fields[-1] = current[-1]
    return tuple(fields)


def file_at(
    session: Session, documents: Sequence[int], place: Sequence[str], schemes: SchemeTable
) -> Filing:
    """File the documents at `place`: their archive fields written as a metadata edit
    (checked as one, InvalidMetadata refusing them all), their pages indexed again."""
    from reader.indexing import mark_document_for_index  # Whoosh: not for the app's start

    before: dict[int, Place] = {}
    for doc_id in dict.fromkeys(documents):
        document = session.get(Document, doc_id)
        if document is None:
            continue
        old = fields_of(document)
        new = filed_fields(old, place)
        apply_changes(session, document, _archive_changes(new, old), schemes)
        if new != old:
            mark_document_for_index(session, doc_id)
        before[doc_id] = old
    return Filing(tuple(place), before)


def _archive_changes(new: Sequence[str], old: Sequence[str]) -> MetadataChanges:
    """The fields that change (those kept are neither written nor checked again: a
    document's own overlong item does not stop it from moving)."""
    changed = [value if value != was else None for value, was in zip(new, old, strict=True)]
    repository, record_group, series, box, folder, item = changed
    return MetadataChanges(
        repository=repository, record_group=record_group, series=series, box=box,
        folder=folder, item=item,
    )  # fmt: skip


def put_back(session: Session, filing: Filing) -> Filing:
    """Each document of a filing back at the place it had before (undo). The values are put
    back as the catalog had them, unchecked: they were its own."""
    from reader.indexing import mark_document_for_index

    replaced: dict[int, Place] = {}
    for doc_id, fields in filing.before.items():
        document = session.get(Document, doc_id)
        if document is None:
            continue
        replaced[doc_id] = fields_of(document)
        for level, value in zip(LEVELS, fields, strict=True):
            setattr(document, level, value)
        if replaced[doc_id] != tuple(fields):
            mark_document_for_index(session, doc_id)
    return Filing((), replaced)
