"""The index's fields, and opening (or creating) the index folder."""

from __future__ import annotations

from pathlib import Path

from whoosh import index
from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from index.analysis import ArchiveValue, FoldingFilter, page_analyzer
from index.archive_fields import ARCHIVE_FIELDS
from index.pagetext import PageText

# Bump when fields or analysis change: an index of another version is rebuilt from the catalog.
SCHEMA_VERSION = 6
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
        # Pairs of adjacent common words, e.g. "of_the" (see index.analysis.common_pairs).
        pairs=KEYWORD(scorable=True),
        id=KEYWORD(lowercase=True, scorable=False),
        kind=ID,
        collection=TEXT(analyzer=IDTokenizer() | LowercaseFilter() | FoldingFilter()),
        author=TEXT(analyzer=analyzer, multitoken_query="phrase"),
        date=ID(sortable=True),
        source=ID,
        confidence=STORED,
        # The catalog's row id and revision of the page: what the index holds, told apart
        # from what the catalog has (index.writer.indexed_stamps).
        stamp=STORED,
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
    """A new, empty index in `folder` (an existing one of the same name is replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    return index.create_in(str(folder), page_schema(), indexname=INDEX_NAME)
