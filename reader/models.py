"""The catalog's tables as SQLAlchemy 2 typed declarative models."""

from __future__ import annotations

import enum
import os
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote_from_bytes, unquote_to_bytes

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from reader.files import is_utf8


def utcnow() -> datetime:
    return datetime.now(UTC)


class FilePath(TypeDecorator[str]):
    """A file's path as the OS gives it, in a text column. A name that is not UTF-8 (bytes a
    POSIX file system allows, in Python a str with surrogate escapes) cannot be stored as
    text: it is stored as a file: URI of its bytes and read back as the same str. No stored
    path starts with "file:" otherwise: the catalog keeps absolute paths."""

    impl = Text
    cache_ok = True
    URI = "file://"

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.stored(value)

    @classmethod
    def stored(cls, path: str) -> str:
        """How `path` is written in the column; of a path's end (os.sep + a file name),
        how the stored path ends."""
        if is_utf8(path):
            return path
        return cls.URI + quote_from_bytes(os.fsencode(path), safe="/")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(self.URI):
            return value
        return os.fsdecode(unquote_to_bytes(value.removeprefix(self.URI)))


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DocumentKind(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class TextSource(enum.StrEnum):
    EMBEDDED = "embedded"
    OCR = "ocr"
    # Attached from an ALTO or PAGE XML file (Transkribus, eScriptorium, Tesseract).
    TRANSCRIPTION = "transcription"
    NONE = "none"


class OcrState(enum.StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class CitingState(enum.StrEnum):
    """Whether a document's citations wait to be detected: a secondary document is recorded
    pending, and is done when its citations are stored, so that an import cut short between
    the two leaves work that the next import or `check` finishes."""

    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    DONE = "done"

    @staticmethod
    def of_new(kind: str) -> str:
        """The state of a document recorded (or made) of this kind: articles wait to be cited."""
        secondary = kind == DocumentKind.SECONDARY
        return (CitingState.PENDING if secondary else CitingState.NOT_NEEDED).value


class SchemaInfo(Base):
    """One row: the schema version this catalog was last migrated to."""

    __tablename__ = "schema_info"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(16), default=DocumentKind.PRIMARY.value, index=True)
    source_path: Mapped[str] = mapped_column(FilePath)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    date: Mapped[str] = mapped_column(String(10), default="", index=True)
    # Where the date came from: "filename", "text" (first page; both guesses until
    # confirmed), "user", or "" (the file's own metadata, or no date).
    date_source: Mapped[str] = mapped_column(String(16), default="")
    authors: Mapped[list[Any]] = mapped_column(default=list)
    collection: Mapped[str] = mapped_column(String(200), default="", index=True)
    repository: Mapped[str] = mapped_column(String(200), default="")
    record_group: Mapped[str] = mapped_column(String(100), default="")
    series: Mapped[str] = mapped_column(String(100), default="")
    box: Mapped[str] = mapped_column(String(100), default="")
    folder: Mapped[str] = mapped_column(String(100), default="")
    item: Mapped[str] = mapped_column(String(100), default="")
    citing_state: Mapped[str] = mapped_column(
        String(16), default=CitingState.NOT_NEEDED.value, index=True
    )
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    identifiers: Mapped[list[Identifier]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Identifier.id"
    )
    pages: Mapped[list[Page]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Page.number"
    )


class Identifier(Base):
    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("document_id", "canonical"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(100))
    canonical: Mapped[str] = mapped_column(String(120), index=True)
    # Where it was found: "filename", "text" (first page) or "user" (metadata editor).
    origin: Mapped[str] = mapped_column(String(16), default="text")

    document: Mapped[Document] = relationship(back_populates="identifiers")


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        # What the library table reads of every page (migration 0006).
        Index("ix_pages_document_ocr_state", "document_id", "ocr_state"),
        Index("ix_pages_document_frame", "document_id", "frame"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = deferred(mapped_column(Text, default=""))
    text_source: Mapped[str] = mapped_column(String(16), default=TextSource.NONE.value)
    ocr_state: Mapped[str] = mapped_column(
        String(16), default=OcrState.NOT_NEEDED.value, index=True
    )
    ocr_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    ocr_error: Mapped[str] = mapped_column(Text, default="")
    # [[x0, y0, x1, y1, word, confidence], ...] in page coordinates (PDF points).
    words: Mapped[list[Any]] = deferred(mapped_column(JSON, default=list))
    width: Mapped[float] = mapped_column(Float, default=0.0)
    height: Mapped[float] = mapped_column(Float, default=0.0)
    # The microfilm frame the page shows (a roll imported as one document), when known.
    frame: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The search index is derived: a page whose text or document changed waits for it here.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    indexed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    document: Mapped[Document] = relationship(back_populates="pages")


class Citation(Base):
    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    # The span in the citing document's text (its pages joined by blank lines), and its page.
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    identifier: Mapped[str] = mapped_column(String(120), default="")
    target_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True, index=True
    )
    target_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Where a quoted passage stands in the target page's text.
    target_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # The note the citation belongs to (its number), and the quotation that encloses it (a
    # citation of the same document; no constraint, they are replaced together).
    note: Mapped[int | None] = mapped_column(Integer, nullable=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pages: Mapped[list[CitationPage]] = relationship(
        order_by="CitationPage.position", cascade="all, delete-orphan", passive_deletes=True
    )


class CitationPage(Base):
    """Every page a citation resolves to, the first being its target: a passage that runs
    over a page break stands on both."""

    __tablename__ = "citation_pages"
    __table_args__ = (Index("ix_citation_pages_document_page", "document_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citation_id: Mapped[int] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (Index("ix_annotations_doc_page", "document_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    # [[x0, y0, x1, y1], ...] in page coordinates.
    rects: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(16), default="#ffe066")
    author: Mapped[str] = mapped_column(String(200), default="")
    # Who made it: the reader whose workstation account (ARCHIVE_READER_AUTHOR or the login
    # name) it belongs to, whatever name it is signed with (`author`). It is theirs alone
    # unless shared: in a reading room, what the others may see and find
    # (reader.annotations.visible_to).
    owner: Mapped[str] = mapped_column(String(200), default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # The search index holds notes too (index.writer.NoteRecord): as for pages, a changed
    # annotation waits for it here.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    indexed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
