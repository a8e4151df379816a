"""What a write changed: one `Changes` record per operation, which the panels and views
listen to and refresh themselves from (the pattern of Anki's OpChanges)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _ids(values: Iterable[int]) -> frozenset[int]:
    return frozenset(int(v) for v in values)


@dataclass(frozen=True)
class Changes:
    documents: frozenset[int] = frozenset()  # records edited: title, identifiers, dates
    texts: frozenset[int] = frozenset()  # pages' text changed (OCR read them)
    annotations: frozenset[int] = frozenset()  # highlights, notes, bookmarks added or changed
    citations: bool = False  # citations detected or resolved anywhere
    catalog: bool = False  # documents came or went, or a library was opened: all of it

    @classmethod
    def everything(cls) -> Changes:
        return cls(citations=True, catalog=True)

    @classmethod
    def of(
        cls,
        *,
        documents: Iterable[int] = (),
        texts: Iterable[int] = (),
        annotations: Iterable[int] = (),
        citations: bool = False,
        catalog: bool = False,
    ) -> Changes:
        return cls(_ids(documents), _ids(texts), _ids(annotations), citations, catalog)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.documents | other.documents,
            self.texts | other.texts,
            self.annotations | other.annotations,
            self.citations or other.citations,
            self.catalog or other.catalog,
        )

    def __bool__(self) -> bool:
        return bool(
            self.documents or self.texts or self.annotations or self.citations or self.catalog
        )

    def document_list(self) -> bool:
        """The library's list of documents (titles, OCR state) may read differently."""
        return self.catalog or bool(self.documents) or bool(self.texts)

    def record_of(self, doc: int) -> bool:
        return self.catalog or doc in self.documents

    def text_of(self, doc: int) -> bool:
        return self.catalog or doc in self.texts

    def annotations_of(self, doc: int) -> bool:
        return self.catalog or doc in self.annotations

    def citations_of(self, doc: int) -> bool:
        """An article's citations (and a primary's "cited by") may have moved."""
        return self.catalog or self.citations or doc in self.documents or doc in self.texts
