"""PostgreSQL full-text search in the catalog itself (index.pg_schema): the page_search table
of tsvectors with their GIN indexes, the lexicon with its trigram index (pg_trgm), and the
list of pages waiting to be written, kept by a trigger on pages. Every existing page waits.

A catalog on SQLite is unchanged: its search stays the Whoosh index in the library folder.
On a server without pg_trgm (or where the catalog's owner may not create it) the tables are
made all the same and fuzzy terms are refused with a message saying why.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from index.pg_schema import (
    TRIGRAM_EXTENSION,
    compression_statements,
    create_statements,
    drop_statements,
    trigram_statements,
)
from reader.migrations.postgres import on_postgres, run, run_optional

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not on_postgres():
        return
    run(create_statements("pages", "documents"))
    run_optional(compression_statements())
    available = (
        op.get_bind()
        .execute(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name"),
            {"name": TRIGRAM_EXTENSION},
        )
        .first()
    )
    if available is not None:
        run_optional(trigram_statements())


def downgrade() -> None:
    if on_postgres():
        run(drop_statements("pages"))
