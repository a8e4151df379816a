"""The catalog side of OCR: which pages wait for it, and recording each page's result whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reader.identifiers import find_identifiers
from reader.models import Document, DocumentKind, Identifier, OcrState, Page, TextSource
from reader.ocr.languages import missing_languages, tesseract_languages
from reader.ocr.pool import OcrOutcome, OcrTask


def pending_tasks(
    session: Session,
    available_languages: set[str],
    *,
    languages: Sequence[str] = (),
    document_ids: Sequence[int] | None = None,
    retry_failed: bool = False,
) -> list[OcrTask]:
    states = [OcrState.PENDING.value] + ([OcrState.FAILED.value] if retry_failed else [])
    query = (
        select(Page.id, Page.document_id, Page.number, Page.width, Page.height,
               Document.source_path, Document.media_type, Document.languages)
        .join(Document, Document.id == Page.document_id)
        .where(Page.ocr_state.in_(states))
        .order_by(Page.document_id, Page.number)
    )  # fmt: skip
    if document_ids is not None:
        query = query.where(Page.document_id.in_(document_ids))
    return [
        OcrTask(
            page_id=row.id,
            document_id=row.document_id,
            number=row.number,
            path=row.source_path,
            media_type=row.media_type,
            width=row.width,
            height=row.height,
            languages=tesseract_languages(languages or row.languages, available_languages),
        )
        for row in session.execute(query)
    ]


def language_report(
    session: Session,
    tasks: Sequence[OcrTask],
    available_languages: set[str],
    *,
    languages: Sequence[str] = (),
) -> tuple[dict[int, str], list[str]]:
    """What each document of `tasks` is read in ("deu+eng"), and a line for each whose own
    languages (or those asked for the run) have no Tesseract data installed: what is read
    instead, so that a fallback is never silent."""
    chosen = {task.document_id: task.languages for task in tasks}
    own: dict[int, list[str]] = {
        doc: codes
        for doc, codes in session.execute(
            select(Document.id, Document.languages).where(Document.id.in_(list(chosen)))
        )
    }
    warnings = []
    for doc, read_in in chosen.items():
        requested = list(languages) or list(own.get(doc) or [])
        missing = missing_languages(requested, available_languages)
        if missing:
            names = ", ".join(missing)
            warnings.append(
                f"document {doc}: no Tesseract language data installed for {names}; "
                f"read with {read_in} instead"
            )
    return chosen, warnings


def record_outcome(session: Session, outcome: OcrOutcome) -> None:
    """Store one page's OCR in one transaction: a page is either pending, done or failed."""
    task, result = outcome.task, outcome.result
    with session.begin():
        if result is None:
            session.execute(
                update(Page)
                .where(Page.id == task.page_id)
                .values(ocr_state=OcrState.FAILED.value, ocr_error=outcome.error)
            )
            return
        store_page_text(
            session, task.page_id, task.document_id, task.number,
            text=result.text, words=result.words, confidence=result.confidence,
            source=TextSource.OCR,
        )  # fmt: skip


def store_page_text(
    session: Session,
    page_id: int,
    document_id: int,
    number: int,
    *,
    text: str,
    words: list[list[Any]],
    confidence: float | None,
    source: TextSource,
) -> None:
    """A page's text read by OCR or attached from a transcription, in the caller's
    transaction: the page is done (no longer waits for OCR) and waits to be indexed again."""
    session.execute(
        update(Page)
        .where(Page.id == page_id)
        .values(
            text=text,
            text_source=source.value,
            ocr_state=OcrState.DONE.value,
            ocr_confidence=confidence,
            ocr_error="",
            words=words,
            revision=Page.revision + 1,
            indexed=False,
        )
    )
    if number == 1:
        _add_first_page_identifiers(session, document_id, text)


def _add_first_page_identifiers(session: Session, document_id: int, text: str) -> None:
    """A scanned primary's own number is often typed at its head: record it once read."""
    document = session.get(Document, document_id)
    if document is None or document.kind != DocumentKind.PRIMARY:
        return
    known = {i.canonical for i in document.identifiers}
    for found in find_identifiers(text):
        if found.canonical not in known:
            known.add(found.canonical)
            document.identifiers.append(
                Identifier(
                    scheme=found.scheme, value=found.value, canonical=found.canonical, origin="text"
                )
            )
