"""Opening the catalog database and keeping its schema current, through Alembic.

The schema's history is the Alembic revisions in reader/migrations/versions. Every open checks
it, in one transaction on the connection it opens (a migration that fails leaves the catalog
as it was, on SQLite and PostgreSQL alike): a new catalog is upgraded from nothing to the head;
a catalog made before Alembic (`schema_info` at 1, no `alembic_version`) is stamped at the
baseline, which is its schema, and upgraded; a catalog at a revision this version does not
know was written by a newer Archive Reader and is refused rather than guessed at.

`schema_info` stays, numbered by the head's place in the history: the versions before Alembic
read only that number, and refuse a catalog whose number is higher than theirs. Without the
table they would take a newer catalog for a new one and write into a schema they do not know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reader.models import SchemaInfo

if TYPE_CHECKING:  # Alembic costs ~0.3 s to import: only a catalog that needs it loads it
    from alembic.config import Config

# The migration environment inside the package (env.py, versions/); no alembic.ini is read.
SCRIPT_LOCATION = Path(__file__).with_name("migrations")
# The revision whose schema is what the versions before Alembic made.
BASELINE = "0001"
# The newest revision. Revision ids are their place in the history, so this is also the
# number written to `schema_info`; a test checks both against versions/.
HEAD = "0008"

Migration = Callable[[Connection], None]

# Steps in plain Python run after the Alembic head, each numbering `schema_info` one further.
# Kept only for code written against the hand-kept runner this module had; schema changes are
# Alembic revisions, and in Archive Reader itself this list stays empty.
MIGRATIONS: list[Migration] = []


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code: the script location, and the connection that
    env.py migrates."""
    from alembic.config import Config

    config = Config()
    # The value goes through ConfigParser interpolation, which reads "%" as a reference.
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_version() -> int:
    """The number this version writes to `schema_info`: the head's place in the history (the
    baseline is 1, what the versions before Alembic wrote), plus any MIGRATIONS."""
    return int(HEAD) + len(MIGRATIONS)


class CatalogError(Exception):
    """The catalog cannot be opened or used as it is."""


# How long (seconds) a writer waits for another program's write to end before giving up. Read
# when a catalog is opened; tests lower it.
BUSY_TIMEOUT = 30.0

# The execution option that makes a SQLite transaction begin as a writer (see _begin_sqlite).
_WRITER = {"archive_reader_writer": True}

# SQLite's result codes for a database another connection holds (the low byte of the extended
# code: SQLITE_BUSY_SNAPSHOT is a kind of SQLITE_BUSY).
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


@dataclass(frozen=True)
class Catalog:
    engine: Engine
    sessions: sessionmaker[Session]
    # Sessions whose every transaction writes: they take the write lock when they begin.
    writers: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()

    def writer(self) -> Session:
        """A session for transactions that write. On SQLite each begins by taking the write
        lock (BEGIN IMMEDIATE), waiting its turn behind other writers for up to BUSY_TIMEOUT:
        a transaction that read first and wrote later could not wait, as SQLite refuses at
        once a reader's upgrade once another writer has committed."""
        return self.writers()

    def close(self) -> None:
        self.engine.dispose()


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that schema
    # changes are transactional too (the recipe in SQLAlchemy's SQLite dialect notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # The busy timeout makes writers take turns; set first, so that switching a new catalog
    # to WAL waits for its turn too. WAL lets readers go on while one writer writes.
    cursor.execute(f"PRAGMA busy_timeout={round(BUSY_TIMEOUT * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    writer = connection.get_execution_options().get("archive_reader_writer", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def is_busy(exc: BaseException) -> bool:
    """Whether a database error says that another program held the catalog past the busy
    timeout (SQLite's "database is locked")."""
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


def busy_message() -> str:
    return f"the catalog stayed locked by another program for {BUSY_TIMEOUT:g} s"


def open_catalog(url: str) -> Catalog:
    """Open (creating if needed) the catalog at a SQLAlchemy URL and bring its schema current."""
    try:
        engine = create_engine(url, future=True)
    except Exception as exc:  # bad URL or missing driver
        raise CatalogError(f"cannot open catalog {url!r}: {exc}") from exc
    if make_url(url).get_backend_name() == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
    try:
        _ensure_schema(engine)
    except CatalogError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise CatalogError(f"cannot open catalog {url!r}: {exc}") from exc
    writing = engine.execution_options(**_WRITER)
    return Catalog(
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(writing, expire_on_commit=False),
    )


# Any fixed number: the key of the PostgreSQL advisory lock that workstations sharing a
# catalog take while they check its schema, so that only one of them migrates it.
_SCHEMA_LOCK = 0x41524348  # "ARCH"


def _ensure_schema(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            if _at_head(conn):
                return  # the everyday open: a reader only
        # To migrate, a writer from the start: two programs opening an old catalog at once
        # take turns, the second finding it current.
        engine = engine.execution_options(**_WRITER)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        if not _at_head(conn):
            _migrate(conn)


def _at_head(conn: Connection) -> bool:
    """Whether the catalog is current, asked without Alembic: the everyday open."""
    tables = inspect(conn)
    if not (tables.has_table("alembic_version") and tables.has_table(SchemaInfo.__tablename__)):
        return False
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    numbered = conn.execute(select(SchemaInfo.version)).scalar_one()
    return found == [HEAD] and numbered == current_version()


def _migrate(conn: Connection) -> None:
    """Bring the catalog to the head inside the caller's transaction, or refuse it."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(conn)
    scripts = ScriptDirectory.from_config(config)
    known = {script.revision for script in scripts.walk_revisions()}
    target = current_version()
    found = set(MigrationContext.configure(conn).get_current_heads())
    has_schema_info = inspect(conn).has_table(SchemaInfo.__tablename__)
    numbered = conn.execute(select(SchemaInfo.version)).scalar_one() if has_schema_info else 0
    if found - known or numbered > target:
        unknown = ", ".join(sorted(found - known))
        written = f"revision {unknown}" if unknown else f"schema {numbered}"
        raise CatalogError(
            f"this catalog was written by a newer Archive Reader ({written}; this "
            f"version knows revisions up to {HEAD}, schema {target}); upgrade Archive Reader "
            "to open it"
        )
    if not found and has_schema_info:
        # Made before Alembic: its schema is the baseline's.
        command.stamp(config, BASELINE)
        found = {BASELINE}
    if found != {HEAD}:
        command.upgrade(config, HEAD)
        numbered = conn.execute(select(SchemaInfo.version)).scalar_one()
    for version in range(max(numbered, int(HEAD)), target):
        MIGRATIONS[version - int(HEAD)](conn)
    if numbered != target:
        conn.execute(update(SchemaInfo).values(version=target))
