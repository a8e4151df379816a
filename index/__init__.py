"""Full-text search of every page on Whoosh. Derived from the catalog; rebuildable from it."""
