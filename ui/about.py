"""The About box: what this is and the versions of everything it runs on."""

from __future__ import annotations

import html
import platform
from importlib.metadata import PackageNotFoundError, version

from reader.library import Library

PACKAGES = ("archive-reader", "PySide6-Essentials", "PyMuPDF", "Whoosh", "SQLAlchemy", "Pillow",
            "tesserocr", "rapidfuzz")  # fmt: skip


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    found = {package: _version(package) for package in PACKAGES}
    found["Python"] = platform.python_version()
    try:
        import tesserocr

        found["Tesseract"] = str(tesserocr.tesseract_version()).split()[1]
    except (ImportError, IndexError):
        pass
    return found


def about_text(library: Library) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(value)}</td></tr>"
        for name, value in versions().items()
    )
    return (
        "<h3>Archive Reader</h3>"
        "<p>An offline reader for archive research: import scans and texts, OCR them, search "
        "every page, and read an article beside the primary pages it cites.</p>"
        f"<p>Library: {html.escape(str(library.folder))}</p>"
        f"<table>{rows}</table>"
    )
