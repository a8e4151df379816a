"""Citations in secondary literature: detecting them and resolving them to archive pages."""
