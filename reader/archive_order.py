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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from index.archive_fields import ARCHIVE_FIELDS, archive_key
from index.folding import fold
from reader.metadata import apply_changes
from reader.models import Document
from reader.records import ArchiveNode, ArchiveTree, DocumentInfo, Filing, MetadataChanges
from reader.schemes import SchemeTable

LEVELS = tuple(ARCHIVE_FIELDS)  # repository, record_group, series, box, folder, item
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
    rows = session.execute(select(*columns, func.count()).group_by(*columns)).all()
    return tree_of_groups((tuple(row[: len(LEVELS)]), row[len(LEVELS)]) for row in rows)


@dataclass
class _Branch:
    """A place while the tree is gathered: its spellings and counts so far."""

    level: int
    spellings: Counter[str] = field(default_factory=Counter)
    count: int = 0
    here: int = 0
    children: dict[tuple[int, str], _Branch] = field(default_factory=dict)


def tree_of_groups(groups: Iterable[tuple[Sequence[str | None], int]]) -> ArchiveTree:
    """The tree from documents counted by their six archive fields."""
    root, total, unfiled = _Branch(-1), 0, 0
    for values, count in groups:
        total += count
        branch = root
        for index, (level, value) in enumerate(zip(LEVELS, values, strict=True)):
            key = archive_key(level, value or "")
            if not key:
                continue
            branch = branch.children.setdefault((index, key), _Branch(index))
            branch.spellings[value or ""] += count
            branch.count += count
        if branch is root:
            unfiled += count
        else:
            branch.here += count
    nodes = _nodes(root, ())
    if unfiled:
        nodes.append(ArchiveNode("", UNFILED_LABEL, UNFILED, unfiled, (), unfiled))
    return ArchiveTree(total, tuple(nodes))


def _nodes(branch: _Branch, place: Place) -> list[ArchiveNode]:
    made = []
    for child in branch.children.values():
        # The spelling most documents use; of equals, the first in order.
        value = min(child.spellings.items(), key=lambda item: (-item[1], item[0]))[0]
        level = LEVELS[child.level]
        at = place + ("",) * (child.level - len(place)) + (value,)
        children = tuple(_nodes(child, at))
        made.append(ArchiveNode(level, label_of(level, value), at, child.count, children,
                                child.here))  # fmt: skip
    made.sort(key=lambda node: (LEVELS.index(node.level), natural_key(node.label)))
    return made


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Numbers by their value ("Box 2" before "Box 10"), letters without case or accents."""
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
