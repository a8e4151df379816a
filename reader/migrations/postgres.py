"""Running DDL from the migrations on a PostgreSQL catalog only (a catalog on SQLite is left
as it is): the statements every such migration needs, and those a server may refuse."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def on_postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def run(statements: list[str]) -> None:
    connection = op.get_bind()
    for statement in statements:
        connection.execute(sa.text(statement))


def run_optional(statements: list[str]) -> None:
    """Statements a server may refuse (no privilege, built without LZ4): the rest stays."""
    connection = op.get_bind()
    try:
        with connection.begin_nested():
            run(statements)
    except sa.exc.DBAPIError:
        pass
