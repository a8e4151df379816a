"""The `archive-reader` entry point: above both layers, it starts the desktop app (ui/) or runs
a command of the core (reader.cli)."""
