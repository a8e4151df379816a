"""The catalog's Alembic migration environment, run by `reader.catalog.open_catalog`.

Each schema change is a revision in `versions/`, written by hand with `op` calls (never
derived from the models at run time, so a revision means the same thing in every release).
A new one starts from `script.py.mako`:

    .venv/bin/python -c "from alembic import command; from reader.catalog import alembic_config;
        command.revision(alembic_config(), 'what changes', rev_id='0002')"

then set `reader.catalog.HEAD` to it (a current catalog is recognised by HEAD without loading
Alembic). tests/reader/test_catalog_migrations.py checks HEAD, the numbering, and that the
head's schema matches reader/models.py.
"""
