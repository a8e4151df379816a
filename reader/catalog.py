"""Opening the catalog database and keeping its schema current.

The schema carries a version number. A new catalog is created at the current version; an older
one is brought forward by running, in order, the migrations written since it was made. A catalog
from a newer Archive Reader is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from reader.models import Base, SchemaInfo

Migration = Callable[[Connection], None]

# MIGRATIONS[n] brings a catalog from version n + 1 to version n + 2. Append only.
MIGRATIONS: list[Migration] = []


def current_version() -> int:
    return len(MIGRATIONS) + 1


class CatalogError(Exception):
    """The catalog cannot be opened or used as it is."""


@dataclass(frozen=True)
class Catalog:
    engine: Engine
    sessions: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that schema
    # changes are transactional too (the recipe in SQLAlchemy's SQLite dialect notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer writes; the busy timeout makes writers take turns.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


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
    return Catalog(engine, sessionmaker(engine, expire_on_commit=False))


def _ensure_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        if not inspect(conn).has_table(SchemaInfo.__tablename__):
            Base.metadata.create_all(conn)
            conn.execute(insert(SchemaInfo).values(id=1, version=current_version()))
            return
        found = conn.execute(select(SchemaInfo.version)).scalar_one()
        if found > current_version():
            raise CatalogError(
                f"this catalog was written by a newer Archive Reader (schema {found}, "
                f"this version reads up to {current_version()}); upgrade to open it"
            )
        for version in range(found, current_version()):
            MIGRATIONS[version - 1](conn)
            conn.execute(update(SchemaInfo).values(version=version + 1))
        # Tables added since (with their own migration skipped by create_all) are created here.
        Base.metadata.create_all(conn)
