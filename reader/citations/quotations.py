"""Quotations as scholars print them: nested, across paragraphs, and set off as block quotes.

`find_quotations` reads a text once, left to right, with a stack of the quotations open at the
point it has reached. It visits only the quotation marks (found with a one-character class, which
cannot backtrack) and decides each from its two neighbours and the stack, so its time is linear
in the text whatever the marks do: a mark that never closes ends with its paragraph, and a closing
mark that belongs to an outer quotation ends the unclosed ones inside it.

What is a quotation:
- Pairs of marks: “ ” (with ‘ ’ inside, or the other way round), German „ “ and ‚ ‘ (“ and ‘
  close there; „ ” is the Croatian form), « » and ‹ › (and the reversed » « and › ‹), straight
  " and '. A straight mark opens after a space, the start of a line, an opening bracket or a dash,
  and closes after a word or punctuation.
- Apostrophes are not marks: ’ or ' between two letters (Mihailović’s, don't, l’armée),
  ’ after a space (the ’40s), a plural possessive (Partisans’ ) unless the innermost open
  quotation is a single one, and ‘ or ' after a letter never opens.
- Paragraphs are separated by a blank line; a single newline is a line break inside one. A
  quotation running over several paragraphs is printed with a mark opening every paragraph and a
  closing mark only after the last: each paragraph is one segment of the same quotation.
- Block quotations: paragraphs whose lines start with "> " (Markdown, and HTML's <blockquote> as
  the importer writes it). Consecutive block paragraphs are one block quotation; the quotations
  inside it have it as their parent.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quotation:
    start: int  # the quoted words, marks excluded: the first segment's start ...
    end: int  # ... to the last segment's end
    segments: tuple[tuple[int, int], ...]  # one per paragraph
    parent: int | None  # index of the enclosing quotation in the list find_quotations returns
    block: bool  # a block quotation ("> " lines)
    closed: bool  # False: its closing mark never came; it ends with its paragraph


# Opening mark -> the marks that close it.
_CLOSERS: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "‘": "’",
    "‚": "‘’",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
    '"': '"',
    "'": "'",
}
# Marks that continue an open quotation at the start of its next paragraph.
_CONTINUES: dict[str, str] = {
    "“": "“",
    "„": "„",
    "‘": "‘",
    "‚": "‚",
    "«": "«»",
    "»": "»",
    "‹": "‹›",
    "›": "›",
    '"': '"',
    "'": "'",
}

# What may stand before an opening mark besides white space.
_OPENING_BEFORE = frozenset("([{<>/—–-“„‘‚«»‹›\"'")
_BLOCK_LINE = re.compile(r" {0,3}+> ?+")
# A blank line: two line breaks with nothing but white space between them (possessive: no
# backtracking).
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*+\n)++")
_NOT_SPACE = re.compile(r"\S")
# Marks that would open a quotation deeper than this are noise (a bad scan, a table of ditto
# marks): the stack, and the time a mark takes, stay bounded.
MAX_DEPTH = 1000
# No article holds more quotations than this; past it, marks are noise too (a text of nothing but
# nested marks) and the rest of the text is not read: the scan's time and memory stay bounded.
MAX_QUOTATIONS = 50_000
_LINE_PREFIX = re.compile(r"\n {0,3}>(?: |(?=\n)|$)")


# The marks that could do something where they stand: open a quotation (an opening mark before
# a word; « and ‹ anywhere) or close one (” » › anywhere, any other after a character that is no
# space). Noise, such as marks between spaces or closing marks with nothing open, is passed over.
_CAN_OPEN = "[«‹]|[“„‘‚»›\"'](?!\\s)"
_OPENING = re.compile(_CAN_OPEN)
_OPENING_OR_CLOSING = re.compile(f"{_CAN_OPEN}|[”»›]|(?<=\\S)[“‘’«‹\"']")


@functools.cache
def _closing(awaited: str) -> re.Pattern[str]:
    """At the depth limit: the marks among `awaited` that could close where they stand."""
    anywhere = "".join(m for m in awaited if m in "”»›")
    after_a_word = "".join(m for m in awaited if m not in "”»›")
    choices = [f"[{anywhere}]"] if anywhere else []
    if after_a_word:
        choices.append(f"(?<=\\S)[{re.escape(after_a_word)}]")
    return re.compile("|".join(choices) or "(?!)")


class _Open:
    """A quotation while the scanner reads it."""

    __slots__ = ("closed", "closers", "mark", "number", "parent", "segments", "start")

    def __init__(self, number: int, mark: str, start: int, parent: int | None) -> None:
        self.number = number  # its place in the result
        self.mark = mark  # its opening mark; ">" for a block quotation
        self.closers = _CLOSERS.get(mark, "")
        self.start = start  # of the segment being read
        self.parent = parent
        self.segments: list[tuple[int, int]] = []
        self.closed = False


@dataclass
class _Paragraph:
    start: int  # its content: after the first line's "> " prefix
    end: int  # after its last non-blank character
    block: bool


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation of `text`, sorted by (start, -end): an outer one before those it holds."""
    return _Scanner(text).run()


def quotation_text(text: str, quotation: Quotation) -> str:
    """The quoted words alone: the segments joined by a blank line, the "> " prefixes of block
    quotations' lines left out."""
    parts = [_LINE_PREFIX.sub("\n", text[start:end]).strip() for start, end in quotation.segments]
    return "\n\n".join(parts)


def _paragraphs(text: str) -> list[_Paragraph]:
    """The paragraphs of `text`: runs of non-blank lines. A paragraph whose first line starts
    with ">" is part of a block quotation."""
    found: list[_Paragraph] = []
    start = 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        end = separator.start() if separator else len(text)
        first = _NOT_SPACE.search(text, start, end)
        if first is not None:
            line = max(start, text.rfind("\n", start, first.start()) + 1)
            prefix = _BLOCK_LINE.match(text, line, end)
            content = prefix.end() if prefix else line
            last = len(text[content:end].rstrip()) + content
            found.append(_Paragraph(content, last, prefix is not None))
        if separator:
            start = separator.end()
    return found


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.entries: list[_Open] = []  # in the order they opened, which is that of their starts
        self.stack: list[_Open] = []
        # How many open quotations each closing mark would close: a mark that closes none is
        # passed over without looking through the stack.
        self.waiting: dict[str, int] = dict.fromkeys("“”‘’«»‹›\"'", 0)
        self.useful: re.Pattern[str] | None = None  # the marks of use now; None: to be chosen

    def run(self) -> list[Quotation]:
        text, waiting, push, close = self.text, self.waiting, self._push, self._close
        opening_before = _OPENING_BEFORE
        previous: _Paragraph | None = None
        for paragraph in _paragraphs(text):
            if len(self.entries) >= MAX_QUOTATIONS:
                break
            position = self._enter(paragraph, previous)
            first, end = paragraph.start, paragraph.end
            while True:
                match = self._next_mark(position, end)
                if match is None or len(self.entries) >= MAX_QUOTATIONS:
                    break
                # The mark, its neighbours (a line's start and end count as spaces) and whether
                # it could open or close a quotation there.
                i = match.start()
                position = i + 1
                mark = text[i]
                before = text[i - 1] if i > first else " "
                after = text[i + 1] if i + 1 < end else " "
                space_before, space_after = before.isspace(), after.isspace()
                opening = (space_before or before in opening_before) and not space_after
                closing = not space_before and not (before in opening_before and not space_after)
                awaited = mark in waiting and waiting[mark] > 0

                if mark in "’'‘" and before.isalnum() and after.isalpha():
                    continue  # an apostrophe inside a word: don’t, Mihailović’s, l’armée
                if mark in "“‘«‹":
                    # “ and ‘ also close German „ and ‚; « and ‹ the reversed » and ›.
                    if awaited and closing:
                        close(i, mark)
                    elif opening or (mark in "«‹" and space_before):
                        push(mark, i + 1)
                elif mark in "„‚":
                    if opening or (mark == "„" and not space_after):
                        push(mark, i + 1)
                elif mark in "”»›":
                    # ” between a space and a word is taken for a misprinted opener.
                    if awaited and not (mark == "”" and space_before and not space_after):
                        close(i, mark)
                    elif opening and mark != "”":
                        push(mark, i + 1)  # the reversed » and ›
                elif mark == '"':
                    if before.isalnum() and after.isalpha():
                        continue
                    if awaited and closing:
                        close(i, mark)
                    elif opening:
                        push(mark, i + 1)
                elif mark == "'" and opening and not after.isdigit():
                    push(mark, i + 1)
                elif awaited and closing:  # ’ and '
                    possessive = before in "sS" and not after.isalpha()
                    if possessive and mark not in self.stack[-1].closers:
                        continue  # a plural possessive: the Partisans’ arms
                    close(i, mark)
            previous = paragraph
        if previous is not None:
            self._leave(previous)
        return self._result()

    def _next_mark(self, position: int, end: int) -> re.Match[str] | None:
        if self.useful is None:
            if not self.stack:
                self.useful = _OPENING
            elif len(self.stack) < MAX_DEPTH:
                self.useful = _OPENING_OR_CLOSING
            else:
                awaited = "".join(m for m, count in self.waiting.items() if count)
                self.useful = _closing(awaited)
        return self.useful.search(self.text, position, end)

    # Paragraphs

    def _enter(self, paragraph: _Paragraph, previous: _Paragraph | None) -> int:
        """Ends what the previous paragraph left open, unless this one continues it; the offset
        from which this paragraph's marks are read."""
        text = self.text
        position = paragraph.start
        if previous is not None and previous.block != paragraph.block:
            self._leave(previous)
        elif previous is not None and self.stack:
            if previous.block:
                block = self.stack[0]
                block.segments.append((block.start, previous.end))
                block.start = paragraph.start
            inline = self.stack[1:] if previous.block else self.stack[:]
            # A quotation goes on when this paragraph opens with its mark again, outermost first.
            starts: list[int] = []
            while len(starts) < len(inline):
                while position < paragraph.end and text[position].isspace():
                    position += 1
                if position == paragraph.end:
                    break
                if text[position] not in _CONTINUES[inline[len(starts)].mark]:
                    break
                position += 1
                starts.append(position)
            if len(starts) < len(inline):
                self._pop_to(inline[len(starts)], previous.end, closed=False)
            for entry, start in zip(inline, starts, strict=False):
                entry.segments.append((entry.start, previous.end))
                entry.start = start
        if paragraph.block and not self.stack:
            self._push(">", paragraph.start)
        return position

    def _leave(self, previous: _Paragraph) -> None:
        """Ends every quotation still open at the end of the paragraph before: a block quotation
        is complete there, any other has lost its closing mark."""
        if self.stack:
            bottom = self.stack[0]
            self._pop_to(bottom, previous.end, closed=bottom.mark == ">")

    # The stack

    def _push(self, mark: str, start: int) -> None:
        stack = self.stack
        if len(stack) >= MAX_DEPTH or len(self.entries) >= MAX_QUOTATIONS:
            return
        entry = _Open(len(self.entries), mark, start, stack[-1].number if stack else None)
        self.useful = None
        self.entries.append(entry)
        stack.append(entry)
        for closer in entry.closers:
            self.waiting[closer] += 1

    def _close(self, i: int, mark: str) -> None:
        """Closes the innermost quotation that `mark` closes, and the unclosed ones inside it."""
        for entry in reversed(self.stack):
            if mark in entry.closers:
                self._pop_to(entry, i, closed=True)
                return

    def _pop_to(self, target: _Open, end: int, *, closed: bool) -> None:
        """Ends `target` at `end`, closed or not, and every quotation above it, unclosed."""
        stack, waiting = self.stack, self.waiting
        self.useful = None
        while stack:
            entry = stack.pop()
            for closer in entry.closers:
                waiting[closer] -= 1
            entry.segments.append((entry.start, end))
            if entry is target:
                entry.closed = closed
                return

    # The result

    def _result(self) -> list[Quotation]:
        """The quotations with their white space trimmed. They opened in the order of their
        starts, and an enclosing one opened before what it holds, so that order is already the
        one by (start, -end): an enclosing quotation starts strictly before what it holds."""
        text = self.text
        trimmed_ends: dict[int, int] = {}
        found = []
        for entry in self.entries:
            segments = []
            for start, end in entry.segments:
                while start < end and text[start].isspace():
                    start += 1
                back = trimmed_ends.get(end)
                if back is None:
                    back = end
                    while back > 0 and text[back - 1].isspace():
                        back -= 1
                    trimmed_ends[end] = back
                segments.append((start, back if back > start else start))
            found.append(
                Quotation(
                    segments[0][0],
                    segments[-1][1],
                    tuple(segments),
                    entry.parent,
                    entry.mark == ">",
                    entry.closed,
                )
            )
        return found
