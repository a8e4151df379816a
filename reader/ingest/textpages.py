"""Cutting long reflowable text into pages, and decoding text files of unknown encoding."""

from __future__ import annotations

import re

PAGE_CHARS = 3000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paginate(text: str, page_chars: int = PAGE_CHARS) -> list[str]:
    """Pages of about `page_chars` characters, cut between paragraphs; form feeds always cut."""
    pages: list[str] = []
    for chunk in text.split("\f"):
        pages.extend(_cut_at_paragraphs(chunk.strip("\n"), page_chars))
    return pages or [""]


def _cut_at_paragraphs(text: str, page_chars: int) -> list[str]:
    if len(text) <= page_chars:
        return [text] if text.strip() else []
    pages = []
    current = ""
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if current and len(current) + len(paragraph) + 2 > page_chars:
            pages.append(current)
            current = ""
        while len(paragraph) > page_chars:
            cut = paragraph.rfind(" ", 0, page_chars)
            cut = cut if cut > page_chars // 2 else page_chars
            if current:
                pages.append(current)
                current = ""
            pages.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current.strip():
        pages.append(current)
    return pages


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: the declared encoding if it works, else UTF-8, else Windows-1252."""
    for encoding in filter(None, (declared, "utf-8-sig", "cp1252")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def first_line_title(text: str, limit: int = 160) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return ""
