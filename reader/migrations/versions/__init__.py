"""Alembic revisions of the catalog schema, oldest first (Alembic skips this file)."""
