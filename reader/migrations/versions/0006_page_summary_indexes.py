"""Indexes for what the library table reads of every page at start: each document's OCR
states and microfilm frames. Without them each read went through the whole pages table, text
and all (a tenth of a second on 20,000 pages; the indexes answer in a few milliseconds).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_pages_document_ocr_state", "pages", ["document_id", "ocr_state"])
    op.create_index("ix_pages_document_frame", "pages", ["document_id", "frame"])


def downgrade() -> None:
    op.drop_index("ix_pages_document_frame", "pages")
    op.drop_index("ix_pages_document_ocr_state", "pages")
