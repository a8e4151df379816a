"""Annotations private to the reader who made them unless shared, and kept in the search
index (their notes and highlighted text are searchable): `owner` and `shared`, and the
`revision` and `indexed` that pages have.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "annotations", sa.Column("owner", sa.String(200), nullable=False, server_default="")
    )
    op.add_column(
        "annotations",
        sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # Before this revision every reader saw every annotation: those already made stay seen
    # (shared, their author their owner), and only annotations made from now on are their
    # maker's own until shared.
    op.execute(sa.text("UPDATE annotations SET shared = :yes, owner = author").bindparams(yes=True))
    op.add_column(
        "annotations", sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "annotations", sa.Column("indexed", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_annotations_indexed", "annotations", ["indexed"])


def downgrade() -> None:
    op.drop_index("ix_annotations_indexed", "annotations")
    with op.batch_alter_table("annotations") as batch:
        batch.drop_column("indexed")
        batch.drop_column("revision")
        batch.drop_column("shared")
        batch.drop_column("owner")
