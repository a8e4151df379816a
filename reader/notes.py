"""Annotations as notes for a paper: Markdown grouped by document, or CSV rows
(document, identifier, page, quoted text, note)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reader.records import AnnotationInfo, DocumentInfo

CSV_FIELDS = ("document", "identifier", "page", "quoted text", "note", "kind", "author", "date")


@dataclass(frozen=True)
class NoteRow:
    document: str
    identifier: str
    page: int
    quoted: str
    note: str
    kind: str
    author: str
    date: str


def note_rows(
    documents: dict[int, DocumentInfo], annotations: list[AnnotationInfo]
) -> list[NoteRow]:
    rows = []
    for annotation in annotations:
        document = documents[annotation.doc]
        rows.append(
            NoteRow(
                document=document.title,
                identifier=", ".join(document.identifiers),
                page=annotation.page,
                quoted=" ".join(annotation.text.split()),
                note=annotation.note,
                kind=annotation.kind,
                author=annotation.author,
                date=annotation.created[:10],
            )
        )
    return rows


def as_csv(rows: list[NoteRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow(
            (row.document, row.identifier, row.page, row.quoted, row.note, row.kind, row.author,
             row.date)
        )  # fmt: skip
    return buffer.getvalue()


def as_markdown(rows: list[NoteRow]) -> str:
    lines: list[str] = []
    current = None
    for row in rows:
        if (row.document, row.identifier) != current:
            current = (row.document, row.identifier)
            heading = row.document + (f" ({row.identifier})" if row.identifier else "")
            lines += ["", f"## {heading}", ""] if lines else [f"## {heading}", ""]
        quote = f"“{row.quoted}”" if row.quoted else f"[{row.kind}]"
        note = f" — {row.note}" if row.note else ""
        lines.append(f"- p. {row.page}: {quote}{note} ({row.author}, {row.date})")
    return "\n".join(lines) + "\n"
