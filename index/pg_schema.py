"""The PostgreSQL search backend's tables, in the catalog database itself.

`page_search` holds a row per catalog page: its words as a tsvector (`content`), the first
page's title and authors (`meta`: title words weighted A, author words B), and the fields the
query language filters on (the identifiers and languages as arrays of their words), each
written as the Whoosh side indexes it (index.writer). The
vectors are written from index.folding's terms, computed in Python, so both backends fold
alike and any change to the folding table applies to both (after a rebuild): the server's own
parser is never asked to split words (its word rules depend on the database's locale, and it
splits at "_", which \\w does not).

`pairs` (added by the catalog's second search migration, `pair_statements`) holds every two
adjacent words of the page text as one lexeme ("convoy moved", "of the") at the first one's
place, with its own GIN index: a phrase of two words is one exact look-up in that index, a
longer one is narrowed by its pairs to the pages holding all of them before their places are
read, and no page's vector is read only to learn that its words are not adjacent. `content`
then holds the words alone. Both vectors are stored out of the row (TOAST): a row is a few
hundred bytes, so counting the pages a query matches reads a narrow table, and a vector is
read only for the pages that are ranked or whose places are checked.

`search_terms` is every word the vectors hold (a lexicon, with a trigram index from pg_trgm):
where fuzzy~ terms and wildcards find their spellings. It only grows; a word no page holds any
longer expands to nothing.

The researchers' notes (the Whoosh index's layer "notes") are not held here: the PostgreSQL
backend searches pages only (index.pg_search).

`page_search_waiting` lists the catalog pages whose row is missing or out of date: a trigger
on the catalog's pages table adds a page whenever it is inserted or its text or revision
changes (every change to a page or its document does that: an edit of the document's record
moves its pages' revision on), in the transaction that changes it. Any workstation's next search
or sync writes the waiting pages, each in one transaction with its removal from the list.
Rows of pages that are deleted go with them.

The catalog's migrations (reader/migrations) run `create_statements`, then
`pair_statements`; the names of the catalog's tables are handed in, the index layer knowing
nothing of the catalog's models.
"""

from __future__ import annotations

from index.archive_fields import ARCHIVE_FIELDS

PAGE_SEARCH = "page_search"
SEARCH_TERMS = "search_terms"
WAITING = "page_search_waiting"
# The column of adjacent-word pairs (`pair_statements`).
PAIRS = "pairs"
# The extension that indexes words by their trigrams (shipped with PostgreSQL's contrib).
TRIGRAM_EXTENSION = "pg_trgm"
# The query language's fields that are whole values in columns of page_search.
VALUE_COLUMNS = ("kind", "collection", "date", "source", *ARCHIVE_FIELDS.values())
# Those that are several words, each a value (Whoosh's KEYWORD fields): arrays of them.
ARRAY_COLUMNS = {"id": "ids", "lang": "lang"}


def create_statements(pages: str = "pages", documents: str = "documents") -> list[str]:
    """The DDL that makes the backend's tables, indexes and trigger, for a catalog whose pages
    and documents tables are named `pages` and `documents` (each with an integer `id`; pages
    with `text`, `revision`, `number` and `document_id`). Every existing page is listed as
    waiting."""
    values = ",\n  ".join(f"{column} text NOT NULL DEFAULT ''" for column in VALUE_COLUMNS)
    return [
        f"""CREATE TABLE {PAGE_SEARCH} (
  page_id integer PRIMARY KEY REFERENCES {pages}(id) ON DELETE CASCADE,
  doc integer NOT NULL REFERENCES {documents}(id) ON DELETE CASCADE,
  page integer NOT NULL,
  revision integer NOT NULL,
  content tsvector NOT NULL,
  meta tsvector NOT NULL,
  ids text[] NOT NULL DEFAULT '{{}}',
  lang text[] NOT NULL DEFAULT '{{}}',
  {values}
)""",
        # Kept in the row at first; `pair_statements` (the next migration) moves it out of
        # the row, once a search no longer reads the vector of every page it matches.
        f"ALTER TABLE {PAGE_SEARCH} ALTER content SET STORAGE MAIN",
        f"CREATE INDEX ix_{PAGE_SEARCH}_content ON {PAGE_SEARCH} USING gin (content)",
        f"CREATE INDEX ix_{PAGE_SEARCH}_meta ON {PAGE_SEARCH} USING gin (meta)",
        f"CREATE INDEX ix_{PAGE_SEARCH}_doc ON {PAGE_SEARCH} (doc, page)",
        f'CREATE INDEX ix_{PAGE_SEARCH}_date ON {PAGE_SEARCH} (date COLLATE "C")',
        # COLLATE "C": byte order, as the Whoosh lexicon's; a LIKE 'prefix%' uses the key.
        f'CREATE TABLE {SEARCH_TERMS} (term text COLLATE "C" PRIMARY KEY)',
        f"CREATE TABLE {WAITING} (page_id integer PRIMARY KEY "
        f"REFERENCES {pages}(id) ON DELETE CASCADE)",
        f"""CREATE FUNCTION {WAITING}_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {WAITING} (page_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
        # Not on `indexed`: that flag says what a workstation's Whoosh index holds, and one
        # rebuilding its index (every flag cleared) must not have every page written again.
        f"""CREATE TRIGGER {WAITING}_on_change
AFTER INSERT OR UPDATE OF text, revision, number, document_id ON {pages}
FOR EACH ROW EXECUTE FUNCTION {WAITING}_add()""",
        f"INSERT INTO {WAITING} (page_id) SELECT id FROM {pages}",
    ]


def pair_statements(pages: str = "pages") -> list[str]:
    """The `pairs` column with its GIN index; both vectors stored out of the row (the
    default storage, compressed where that pays); every page waits to be written again
    (its words leave `content` for `pairs`, index.pg_write)."""
    return [
        f"ALTER TABLE {PAGE_SEARCH} ADD COLUMN {PAIRS} tsvector NOT NULL DEFAULT ''",
        f"ALTER TABLE {PAGE_SEARCH} ALTER content SET STORAGE EXTENDED",
        f"CREATE INDEX ix_{PAGE_SEARCH}_{PAIRS} ON {PAGE_SEARCH} USING gin ({PAIRS})",
        f"INSERT INTO {WAITING} (page_id) SELECT id FROM {pages} ON CONFLICT DO NOTHING",
    ]


def unpair_statements(pages: str = "pages") -> list[str]:
    """`pair_statements` undone: the vectors in the row again, every page waiting."""
    return [
        f"DROP INDEX IF EXISTS ix_{PAGE_SEARCH}_{PAIRS}",
        f"ALTER TABLE {PAGE_SEARCH} DROP COLUMN IF EXISTS {PAIRS}",
        f"ALTER TABLE {PAGE_SEARCH} ALTER content SET STORAGE MAIN",
        f"INSERT INTO {WAITING} (page_id) SELECT id FROM {pages} ON CONFLICT DO NOTHING",
    ]


def trigram_statements() -> list[str]:
    """The trigram index of the lexicon: for a server whose pg_trgm can be created (a
    trusted extension since PostgreSQL 13: the catalog's owner may create it)."""
    return [
        f"CREATE EXTENSION IF NOT EXISTS {TRIGRAM_EXTENSION}",
        f"CREATE INDEX ix_{SEARCH_TERMS}_trigrams ON {SEARCH_TERMS} USING gin (term gin_trgm_ops)",
    ]


def compression_statements(columns: tuple[str, ...] = ("content",)) -> list[str]:
    """LZ4 for the vectors (PostgreSQL 14 and later, built with it): quicker to read back
    than the default pglz."""
    return [f"ALTER TABLE {PAGE_SEARCH} ALTER {column} SET COMPRESSION lz4" for column in columns]


def drop_statements(pages: str = "pages") -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {WAITING}_on_change ON {pages}",
        f"DROP FUNCTION IF EXISTS {WAITING}_add()",
        f"DROP TABLE IF EXISTS {WAITING}",
        f"DROP TABLE IF EXISTS {SEARCH_TERMS}",
        f"DROP TABLE IF EXISTS {PAGE_SEARCH}",
    ]
