"""Where a document's date came from (file name, first page, the user), and the microfilm
frame each page shows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A date already in the catalog came from the file's metadata or an edit: source unknown.
    op.add_column(
        "documents",
        sa.Column("date_source", sa.String(16), nullable=False, server_default=""),
    )
    op.add_column("pages", sa.Column("frame", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("frame")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("date_source")
