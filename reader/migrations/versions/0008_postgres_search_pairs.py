"""PostgreSQL search: every two adjacent words of a page as one lexeme of a new `pairs`
vector with its GIN index, and the vectors stored out of the row (index.pg_schema's
`pair_statements`), so that a phrase is found from the index without reading the vector of
every page that holds its words, and counting a query's pages reads a narrow table. Every
page waits to be written again (the next search or sync writes it).

A catalog on SQLite is unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from index.pg_schema import PAIRS, compression_statements, pair_statements, unpair_statements
from reader.migrations.postgres import on_postgres, run, run_optional

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not on_postgres():
        return
    run(pair_statements("pages"))
    run_optional(compression_statements((PAIRS,)))  # without LZ4: the default compression


def downgrade() -> None:
    if on_postgres():
        run(unpair_statements("pages"))
