"""Whether the index's files can be read, and which state of the catalog it was last in step
with.

The index is derived data. Damaged files (overwritten, cut short, deleted) are not mended: they
are recognised here, and the caller rebuilds the index from the catalog. Damage is what Whoosh's
file-reading code raises (its storage, codec and table of contents), or ours that decodes
posting blocks (index.codec, index.posting_blocks); an error raised in the rest of our own
code, or Whoosh refusing how it was called, is a bug and stays one; and a disk that is full or
not writable is no damage a rebuild could mend.

The catalog mark is a short text the caller computes from the catalog (index/ does not read
it), kept beside the index: which catalog the index was last brought in step with.
"""

from __future__ import annotations

import errno
import os
import sysconfig
import traceback
from pathlib import Path
from types import TracebackType

import whoosh
from whoosh.index import Index, LockError

from index.schema import SCHEMA_VERSION

_WHOOSH = Path(whoosh.__file__).resolve().parent
# Where Whoosh reads and decodes the index's files.
_READING_FILES = tuple(
    _WHOOSH / part for part in ("filedb", "codec", "util", "index.py", "columns.py", "system.py")
) + tuple(
    # Ours that decode posting blocks straight from the files (index.codec's layout).
    Path(__file__).resolve().parent / name
    for name in ("codec.py", "posting_blocks.py")
)
_STANDARD_LIBRARY = Path(sysconfig.get_paths()["stdlib"]).resolve()
# Errors of the disk or the folder's permissions: a rebuild would fail on them as well.
_NOT_DAMAGE = (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM)
# Not a Whoosh index file name (clean-up after a commit deletes what looks like a segment).
MARK_FILE = f"catalog-v{SCHEMA_VERSION}.mark"
_MESSAGE_CHARS = 160


def damage_in(exc: Exception) -> str | None:
    """If Whoosh raised `exc` reading the index's files, the damage in one line; else None."""
    if isinstance(exc, LockError):  # another process writing: no damage
        return None
    if isinstance(exc, OSError) and exc.errno in _NOT_DAMAGE:
        return None
    if not _raised_reading_files(exc.__traceback__):
        return None
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"


def _raised_reading_files(tb: TracebackType | None) -> bool:
    """Whether the innermost frame outside the standard library (pickle, struct: what Whoosh
    calls to decode) is Whoosh's file-reading code. Raised in our own code, called back by
    Whoosh, it is not."""
    innermost: Path | None = None
    for frame, _ in traceback.walk_tb(tb):
        path = Path(frame.f_code.co_filename).resolve()
        if not path.is_relative_to(_STANDARD_LIBRARY):
            innermost = path
    return innermost is not None and any(innermost.is_relative_to(p) for p in _READING_FILES)


def read_through(ix: Index) -> int:
    """Read the index's files through as no single query does: every segment, its stored
    fields and its list of terms. The number of pages. Raises what Whoosh raises on damage
    (see `damage_in`). The terms' entries and postings are left to the searches that read
    them: decoding every word's would take from seconds to a minute for 20,000 pages."""
    pages = 0
    with ix.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            for docnum in reader.all_doc_ids():
                reader.stored_fields(docnum)
                pages += 1
            for _term in reader.all_terms():
                pass
    return pages


def read_catalog_mark(folder: Path) -> str | None:
    """The mark written with the index in `folder`; None if there is none (or it is
    unreadable: the index is then taken as out of step)."""
    try:
        return (folder / MARK_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def write_catalog_mark(folder: Path, mark: str) -> None:
    """Replace the mark in one step: a reader sees the old one or the new one."""
    temporary = folder / f"{MARK_FILE}.{os.getpid()}.tmp"
    temporary.write_text(mark, encoding="utf-8")
    os.replace(temporary, folder / MARK_FILE)
