"""Citations as scholars write them: the note a citation belongs to, the quotation that
encloses it, and every page it resolves to (a passage across a page break).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain columns, no constraint: SQLite cannot add one without rebuilding the table, and a
    # document's citations are only ever replaced together.
    op.add_column("citations", sa.Column("note", sa.Integer(), nullable=True))
    op.add_column("citations", sa.Column("parent_id", sa.Integer(), nullable=True))
    op.create_table(
        "citation_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["citation_id"], ["citations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_citation_pages_citation_id", "citation_pages", ["citation_id"])
    op.create_index("ix_citation_pages_document_page", "citation_pages", ["document_id", "page"])


def downgrade() -> None:
    op.drop_index("ix_citation_pages_document_page", "citation_pages")
    op.drop_index("ix_citation_pages_citation_id", "citation_pages")
    op.drop_table("citation_pages")
    op.drop_column("citations", "parent_id")
    op.drop_column("citations", "note")
