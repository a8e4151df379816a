"""What the ALTO and hOCR writers share: elements written through lxml's incremental writer
(etree.xmlfile) in one namespace, text that XML can carry, coordinates as short numbers, and a
file written whole or not at all."""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

# What XML 1.0 cannot hold (lxml refuses it): control characters but tab, newline and carriage
# return; lone surrogates (a file name's bytes that are not UTF-8); U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def qualified(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def opened(namespace: str, xf: Any, name: str, attributes: dict[str, str] | None = None) -> Any:
    """An element written as it opens (its children inside the `with`), on a new line."""
    xf.write("\n")
    return xf.element(qualified(namespace, name), attributes or {})


def leaf(
    namespace: str, xf: Any, name: str, attributes: dict[str, str] | None = None, text: str = ""
) -> None:
    """An element with at most text inside."""
    with xf.element(qualified(namespace, name), attributes or {}):
        if text:
            xf.write(text)


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot carry (a form feed or NUL in an OCR word)."""
    # Printable text (no control, format, surrogate or unassigned character) is all XML's.
    return text if text.isprintable() else _NOT_XML.sub("", text)


def xml_name(name: str) -> str:
    """A file name for an XML attribute or text: bytes that are not UTF-8 (which Python holds
    as surrogates) become U+FFFD, as a file manager shows them; control characters go."""
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return xml_text(readable)


def number(value: float, decimals: int = 2) -> str:
    """A coordinate as ALTO's xsd:float: at most `decimals` decimals, no trailing zeros
    (1250, 12.5, 0.93), never "-0" and never NaN (0)."""
    if not math.isfinite(value):
        return "0"
    text = repr(round(value, decimals) + 0.0)  # + 0.0: -0.0 becomes 0.0
    return text[:-2] if text.endswith(".0") else text


@contextmanager
def written_whole(out: Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes become `out` only when the block ends without error: a
    failed export leaves no half-written file, and an existing one as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as stream:
            yield stream
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def streamed(write: Callable[[BinaryIO], object]) -> bytes:
    """What `write` writes into a stream, as bytes (the writers' one-call form)."""
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()
