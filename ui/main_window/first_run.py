"""The first run shows the point: once the sample collection is imported into an empty
library (off the GUI thread, with progress), the sample article opens beside the first page it
cites, the passage marked, with a one-line hint of what to try. A later start finds the library
filled and imports nothing, so the hint is not shown again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from reader.library import Library
from reader.records import DocumentInfo
from reader.sample import sample_article
from ui.workers import Task

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow


class FirstRun:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def start(self) -> Task | None:
        """The sample imported; then the article beside its first cited page."""
        return self.window.importing.import_sample(then=self.show_the_point)

    def show_the_point(self) -> bool:
        """The sample article beside the first page it cites, and the hint. False when the
        article is not in the library (the import was cancelled before it)."""
        article = sample_article(self.window.library)
        if article is None or not self.window.navigation.open_beside_first_citation(article):
            return False
        self.window.hint.show_hint(self.hint())
        return True

    def hint(self) -> str:
        """What to try, with the keys the window really has; one line at 1366×768."""
        key = self._key
        return (
            f"Try {key('next_citation')} for the next citation ({key('previous_citation')}: "
            "back) · click a marked citation to open its page · "
            f"{key('sync_panes')}: scroll both panes together"
        )

    def _key(self, name: str) -> str:
        shortcut = self.window.named_actions[name].shortcut()
        return shortcut.toString(QKeySequence.SequenceFormat.NativeText)


def article_to_compare(library: Library) -> DocumentInfo | None:
    """The article a comparison shows when none is named: the sample's, else the first
    article with a citation that leads somewhere."""
    sample = sample_article(library)
    if sample is not None:
        return sample
    for document in library.documents():
        if document.kind != "secondary":
            continue
        cited = library.citations(document.id, with_boxes=False).citations
        if any(c.target is not None for c in cited):
            return document
    return None
