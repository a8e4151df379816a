"""The index's fields, and opening (or creating) the index folder."""

from __future__ import annotations

import re
from pathlib import Path

from whoosh import index
from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from index.analysis import ArchiveValue, FoldingFilter, page_analyzer
from index.archive_fields import ARCHIVE_FIELDS
from index.pagetext import PageText, Spellings

# Bump when fields or analysis change: an index of another version is rebuilt from the catalog.
SCHEMA_VERSION = 8
INDEX_NAME = f"pages_v{SCHEMA_VERSION}"


def page_schema() -> Schema:
    analyzer = page_analyzer()
    # The call number's parts, each one whole value (index.archive_fields): rg, box, ...
    archive = {field: ID(analyzer=ArchiveValue(level)) for level, field in ARCHIVE_FIELDS.items()}
    return Schema(
        pageid=ID(unique=True, stored=True),
        # Looked up by exact value only: one term per value (no range tiers) keeps writing fast.
        doc=NUMERIC(int, bits=64, stored=True, signed=False, shift_step=0),
        page=STORED,
        title=TEXT(analyzer=analyzer, multitoken_query="phrase", field_boost=1.5),
        # Written from the folded words (index.pagetext), searched through the analyzer.
        content=PageText(analyzer=analyzer, multitoken_query="phrase"),
        # The words of the page (and title) whose spelling differs from their term, as written
        # ("südost", "михаиловић"): a query ranks its own spelling first (index.query).
        exact=Spellings(),
        # Pairs of adjacent common words, e.g. "of_the" (see index.analysis.common_pairs).
        pairs=KEYWORD(scorable=True),
        # Lowercased when written (index.writer), not by the field: a query's identifier
        # keeps its case until it is made canonical ("BArch RH 26-118/20").
        id=KEYWORD(scorable=False),
        kind=ID,
        collection=TEXT(analyzer=IDTokenizer() | LowercaseFilter() | FoldingFilter()),
        author=TEXT(analyzer=analyzer, multitoken_query="phrase"),
        date=ID(sortable=True),
        source=ID,
        confidence=STORED,
        # The catalog's row id and revision of the page: what the index holds, told apart
        # from what the catalog has (index.writer.indexed_stamps).
        stamp=STORED,
        # What an entry is: "pages" (a page's text) or "notes" (one annotation: its note and
        # the text it highlights, index.writer.NoteRecord); `in:notes` in a query.
        layer=ID(stored=True),
        # A note's annotation id, and who may find it: "shared", or "private" to its owner.
        annotation=STORED,
        visibility=ID,
        owner=ID,
        # The document's languages: ISO 639-1 codes and the codes as the catalog has them.
        lang=KEYWORD(lowercase=True, scorable=False),
        **archive,
    )


def index_exists(folder: Path) -> bool:
    return bool(index.exists_in(str(folder), indexname=INDEX_NAME))


def open_index(folder: Path) -> Index:
    if index_exists(folder):
        return _storage(folder).open_index(INDEX_NAME)
    return create_index(folder)


def _storage(folder: Path) -> FileStorage:
    """The index folder, its segments read from their files as needed. Whoosh would map each
    segment into memory and then copy its terms and postings whole into a buffer of its own
    (BufferFile's BytesIO): at 100,000 pages, 700 MB resident for a search process, most of
    it a copy of the index, and 0.4 s before the first hit."""
    return FileStorage(str(folder), supports_mmap=False)


def create_index(folder: Path) -> Index:
    """A new, empty index in `folder` (an existing one of the same name is replaced, and the
    files of older versions are removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    created = index.create_in(str(folder), page_schema(), indexname=INDEX_NAME)
    remove_older_versions(folder)
    return created


# An index's files ("_pages_v5_12.toc", "pages_v5_x1y2.seg", "pages_v5_WRITELOCK") and the
# mark of the catalog it was built from ("catalog-v5.mark", index.health).
_VERSIONED_FILE = re.compile(r"_?pages_v(?P<version>[0-9]+)[_.].*|catalog-v(?P<mark>[0-9]+)\.mark")


def remove_older_versions(folder: Path) -> list[str]:
    """Delete what indexes of earlier schema versions left in `folder` (a schema change
    rebuilds the index beside them: without this each version's gigabytes stayed); the
    names removed. A file another process still holds open goes once it is closed."""
    removed = []
    for path in folder.iterdir():
        found = _VERSIONED_FILE.fullmatch(path.name)
        if found is None or int(found["version"] or found["mark"]) >= SCHEMA_VERSION:
            continue
        try:
            path.unlink()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            continue
        removed.append(path.name)
    return sorted(removed)
