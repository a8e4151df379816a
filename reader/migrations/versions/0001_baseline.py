"""Baseline: the catalog schema as Archive Reader made it before Alembic (schema_info 1).

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Written out from reader/models.py as it stood, call for call, so later changes to the models
cannot alter what the baseline creates: a catalog made by the pre-Alembic version is stamped
at this revision and must already have exactly this schema. Note `pages.text` and
`pages.words` are nullable, as `deferred()` columns were created then.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    schema_info = op.create_table(
        "schema_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("collection", sa.String(200), nullable=False),
        sa.Column("repository", sa.String(200), nullable=False),
        sa.Column("record_group", sa.String(100), nullable=False),
        sa.Column("series", sa.String(100), nullable=False),
        sa.Column("box", sa.String(100), nullable=False),
        sa.Column("folder", sa.String(100), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_index("ix_documents_kind", "documents", ["kind"])
    op.create_index("ix_documents_date", "documents", ["date"])
    op.create_index("ix_documents_collection", "documents", ["collection"])
    op.create_table(
        "identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(20), nullable=False),
        sa.Column("value", sa.String(100), nullable=False),
        sa.Column("canonical", sa.String(120), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "canonical"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_identifiers_canonical", "identifiers", ["canonical"])
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_source", sa.String(16), nullable=False),
        sa.Column("ocr_state", sa.String(16), nullable=False),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.Column("ocr_error", sa.Text(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=True),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_pages_ocr_state", "pages", ["ocr_state"])
    op.create_index("ix_pages_indexed", "pages", ["indexed"])
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("identifier", sa.String(120), nullable=False),
        sa.Column("target_document_id", sa.Integer(), nullable=True),
        sa.Column("target_page", sa.Integer(), nullable=True),
        sa.Column("target_start", sa.Integer(), nullable=True),
        sa.Column("target_end", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_document_id"], ["documents.id"], ondelete="SET NULL"),
    )
    op.create_index("ix_citations_document_id", "citations", ["document_id"])
    op.create_index("ix_citations_target_document_id", "citations", ["target_document_id"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rects", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("color", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_annotations_doc_page", "annotations", ["document_id", "page"])
    # The one row the pre-Alembic version wrote; reader.catalog renumbers it past the baseline.
    op.bulk_insert(schema_info, [{"id": 1, "version": 1}])


def downgrade() -> None:
    # Archive Reader only moves catalogs forward; a newer catalog is refused, not downgraded.
    raise NotImplementedError("catalog migrations only go forward")
