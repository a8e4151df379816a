"""Alembic's environment for the catalog: migrate the connection `open_catalog` has open.

The connection comes in through `config.attributes` already inside the transaction that
opens the catalog, so every revision commits or rolls back together with the rest of the
open. There is no engine, URL, offline mode or logging set-up here: the catalog's URL is only
ever known to the running application, and opening a library must stay silent.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from reader.models import Base


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "the catalog is migrated by reader.catalog.open_catalog, on its own connection"
        )
    # transactional_ddl: reader.catalog's SQLite hooks make DDL transactional there too.
    context.configure(connection=connection, target_metadata=Base.metadata, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
