"""The desktop app (PySide6). Importing it first guards None's reference count against the
bindings' void calls (see ui.none_references)."""

from ui.none_references import keep_none_alive

keep_none_alive()
