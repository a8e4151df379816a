"""A metadata CSV: one row per file to import, with what the researcher knows of it.

Columns (DESIGN.md): path (relative to the CSV's own folder, or absolute), title, identifiers
(";"-separated), date, authors (";"), language, repository, record_group, series, box,
folder, item, and first_frame (the microfilm frame the file's first page shows). An empty
cell leaves what the import finds. The file is read row by row, never whole: a CSV of a
hundred thousand rows costs the memory of one.

Encodings: UTF-8 (with or without a byte-order mark) and UTF-16 with its mark are read as
such; a file that is not UTF-8 is read as Windows-1252 (Excel's "CSV" on Western Windows),
or Latin-1 if even that fails, and the report says so.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.dates import partial_date
from reader.records import MetadataChanges

COLUMNS = (
    "path",
    "title",
    "identifiers",
    "date",
    "authors",
    "language",
    "repository",
    "record_group",
    "series",
    "box",
    "folder",
    "item",
    "first_frame",
)
_CHUNK = 1 << 16
# Rows after the header are numbered as a spreadsheet shows them: the header is row 1.
FIRST_ROW = 2


class MetadataCsvError(ValueError):
    """A CSV that cannot be read at all (no `path` column, not a file)."""


@dataclass(frozen=True)
class MetadataRow:
    number: int
    path: Path
    changes: MetadataChanges


@dataclass(frozen=True)
class RowError:
    number: int
    path: str
    error: str


def detect_encoding(path: Path) -> str:
    """The encoding to read `path` with, checked over the whole file in chunks."""
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"  # every byte is a Latin-1 character


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _column_name(written: str) -> str:
    return "_".join(written.strip().lower().replace("-", " ").split())


class MetadataCsv:
    """A metadata CSV opened for reading: its encoding, what is wrong with its header, and
    its rows one at a time (`rows()`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.resolve().parent
        if not path.is_file():
            raise MetadataCsvError(f"no such file: {path}")
        try:
            self.encoding = detect_encoding(path)
        except OSError as exc:
            raise MetadataCsvError(f"cannot be read: {exc.strerror or exc}") from exc
        self.warnings: list[str] = []
        if self.encoding in ("cp1252", "latin-1"):
            name = "Windows-1252" if self.encoding == "cp1252" else "Latin-1"
            self.warnings.append(
                f"{path}: not UTF-8; read as {name}. Check accented letters, or save the "
                "CSV as UTF-8"
            )

    def rows(self) -> Iterator[MetadataRow | RowError]:
        """Each row as the metadata of one file, or what is wrong with it. Header problems
        come first, on row 1: an unknown column (reported, its cells ignored, the rest
        imports) or no `path` column (reported, nothing imports)."""
        shown = str(self.path)
        with self.path.open(encoding=self.encoding, newline="") as stream:
            reader = csv.reader(stream)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                yield RowError(1, shown, f"row 1: the header cannot be read: {exc}")
                return
            if not header:
                yield RowError(1, shown, "row 1: the CSV is empty; it needs a `path` column")
                return
            columns = [_column_name(name) for name in header]
            unknown = [
                written
                for written, name in zip(header, columns, strict=True)
                if name not in COLUMNS and name
            ]
            if "path" not in columns:
                yield RowError(1, shown, "row 1: no `path` column; nothing imported from this CSV")
                return
            if unknown:
                names = ", ".join(repr(name) for name in unknown)
                yield RowError(
                    1,
                    shown,
                    f"row 1: unknown column {names} (known: {', '.join(COLUMNS)}); "
                    "its cells are not imported",
                )
            repeated = sorted({n for n in columns if n in COLUMNS and columns.count(n) > 1})
            if repeated:
                yield RowError(
                    1, shown, f"row 1: column {', '.join(repeated)} given twice; nothing imported"
                )
                return
            number = FIRST_ROW - 1
            while True:
                number += 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield RowError(number, shown, f"row {number}: cannot be read ({exc}); stopped")
                    return
                if not any(cell.strip() for cell in cells):
                    continue
                yield self._row(number, columns, cells)

    def _row(self, number: int, columns: list[str], cells: list[str]) -> MetadataRow | RowError:
        values = {
            name: cell.strip()
            for name, cell in zip(columns, cells, strict=False)
            if name in COLUMNS
        }
        written = values.get("path", "")
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            return RowError(
                number,
                written or str(self.path),
                f"row {number}: {len(cells)} cells for {len(columns)} columns",
            )
        if not written:
            return RowError(number, str(self.path), f"row {number}: no path")
        path = Path(written).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        try:
            changes = _changes(values)
        except ValueError as exc:
            return RowError(number, str(path), f"row {number}: {exc}")
        return MetadataRow(number, path, changes)


def _split(value: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def _changes(values: dict[str, str]) -> MetadataChanges:
    """The metadata of one row; an empty cell changes nothing."""
    date = values.get("date", "")
    if date and not partial_date(date):
        raise ValueError(f"{date!r} is not a date (write 1943, 1943-03 or 1943-03-12)")
    first_frame = values.get("first_frame", "")
    if first_frame and not first_frame.isdigit():
        raise ValueError(f"first_frame {first_frame!r} is not a frame number")
    language = values.get("language", "").replace("+", ";").replace(",", ";")
    return MetadataChanges(
        title=values.get("title") or None,
        date=date or None,
        authors=_split(values["authors"]) if values.get("authors") else None,
        user_identifiers=_split(values["identifiers"]) if values.get("identifiers") else None,
        languages=_split(language) if language else None,
        first_frame=int(first_frame) if first_frame else None,
        repository=values.get("repository") or None,
        record_group=values.get("record_group") or None,
        series=values.get("series") or None,
        box=values.get("box") or None,
        folder=values.get("folder") or None,
        item=values.get("item") or None,
    )
