"""Whether a document's citations wait to be detected: an import cut short between recording
an article and citing it leaves it pending, for the next import or `check` to finish.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("citing_state", sa.String(16), nullable=False, server_default="not_needed"),
    )
    op.create_index("ix_documents_citing_state", "documents", ["citing_state"])
    # An article with no citation stored may be one whose import was cut short before it
    # was cited: it is cited (again) by the next import. The others were cited.
    op.execute(
        "UPDATE documents SET citing_state = CASE WHEN EXISTS "
        "(SELECT 1 FROM citations WHERE citations.document_id = documents.id) "
        "THEN 'done' ELSE 'pending' END WHERE kind = 'secondary'"
    )


def downgrade() -> None:
    op.drop_index("ix_documents_citing_state", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("citing_state")
