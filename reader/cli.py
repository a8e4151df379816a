"""The `archive-reader` command line: a thin shell over reader.library.

Every command takes --json for machine-readable output on stdout; errors go to stderr with a
non-zero exit code. The commands and JSON fields are a stable contract (DESIGN.md). The parser
knows `gui` too, but the desktop app is started a layer up, by archive_reader.main.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

from index.api import SEARCH_BACKENDS, SORTS, QueryError
from reader.annotations import DEFAULT_COLOUR, AnnotationError, parse_rect
from reader.catalog import CatalogError, busy_message, is_busy
from reader.export import ExportError
from reader.library import (
    DocumentNotFound,
    Library,
    ReadOnlyLibrary,
    default_library_folder,
    open_library,
)
from reader.metadata import InvalidMetadata
from reader.notes import as_csv, as_markdown
from reader.records import (
    AnnotationInfo,
    CitationInfo,
    DocumentInfo,
    GapGroup,
    ImportProgress,
    ImportReport,
    MetadataChanges,
    OcrProgress,
    OcrReport,
    SearchResult,
)

if TYPE_CHECKING:
    from reader.transcriptions.attach import TranscriptionReport

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PROBLEMS = 3
EXIT_STDOUT_CLOSED = 128 + 13  # as if ended by SIGPIPE: what a shell reports for `yes | head`

Command = Callable[[Library, argparse.Namespace], int]


class Output:
    """Where a command's results go: JSON on stdout, or lines for a person."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: dict[str, Any], lines: Callable[[], Sequence[str]]) -> None:
        if self.as_json:
            # Written piece by piece, as json.dump does: one large write into a pipe whose
            # reader has gone can end half done with no BrokenPipeError at all.
            sys.stdout.writelines([*json_pieces(data), "\n"])
        else:
            for line in lines():
                print(printable(line))


# A surrogate: in a path, a byte of a file name that is not UTF-8 (os.fsdecode's escape).
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(line: str) -> str:
    """A line for a person, printable on any UTF-8 stdout: a file name's bytes that are not
    UTF-8 shown as Python writes them (report\\xff.txt), as `ls -b` does."""
    return _SURROGATE.sub(lambda match: _escaped(match.group()), line)


def _escaped(surrogate: str) -> str:
    code = ord(surrogate)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


class NotJson(ValueError):
    """Output that JSON cannot carry (NaN or an infinity): refused, never printed half."""


def json_pieces(data: dict[str, Any]) -> list[str]:
    """`data` as strict JSON that is always valid UTF-8, whole before any of it is printed:
    Python would print NaN and Infinity, which no JSON reader takes; a file name's bytes that
    are not UTF-8 are written as JSON escapes (\\udcff), which json.loads and os.fsencode turn
    back into them."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)
    try:
        pieces = list(encoder.iterencode(data))
    except ValueError as exc:
        raise NotJson(f"cannot print the result as JSON: {exc}") from exc
    return [_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", p) for p in pieces]


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        type=Path,
        default=argparse.SUPPRESS,
        help="library folder (default: $ARCHIVE_READER_LIBRARY or the user data folder)",
    )
    common.add_argument(
        "--catalog",
        default=argparse.SUPPRESS,
        help="catalog database as a SQLAlchemy URL (default: catalog.sqlite in the library)",
    )
    common.add_argument(
        "--search",
        choices=SEARCH_BACKENDS,
        default=argparse.SUPPRESS,
        help="what answers searches (default: postgresql for a catalog on PostgreSQL, "
        "else whoosh, the index in the library folder)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )
    common.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no import, OCR or edits (a public workstation; env ARCHIVE_READER_READ_ONLY=1)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="archive-reader",
        description="Offline reader for archive research: import, OCR, search, cite, export.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", parents=[common], help="the desktop app (the default)")
    gui.add_argument("--open", metavar="DOC", help="open this document")
    gui.add_argument("--compare", metavar="DOC", help="show this document beside the first")
    gui.add_argument("--screenshot", metavar="FILE.png", type=Path, help="render and exit")
    gui.add_argument("--sample", action="store_true", help="import the sample collection first")
    gui.add_argument(
        "--view",
        choices=["tree", "compare", "timeline"],
        help="show a view first: tree (the archive's order), compare (an article beside its "
        "first cited page, the panes synced), timeline (the documents by date)",
    )

    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import files and folders",
        description="Import files and folders, or the files a metadata CSV lists "
        "(--metadata FILE.csv: columns path, title, identifiers, date, authors, language, "
        "repository, record_group, series, box, folder, item, first_frame; a relative path "
        "is relative to the CSV's folder). With --transcription FILE.xml, PATH is one scan "
        "(imported first if it is not yet in the library) or a DOC, and the ALTO or PAGE XML "
        "transcription is attached to its pages.",
    )
    imp.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    given = imp.add_mutually_exclusive_group()
    given.add_argument(
        "--identifier",
        action="append",
        default=[],
        metavar="ID",
        help='the file\'s call number or identifier, e.g. "BArch RH 26-118/20" (one file; '
        "repeat for several)",
    )
    given.add_argument(
        "--metadata", type=Path, metavar="FILE.csv", help="import the files this CSV lists"
    )
    given.add_argument(
        "--transcription",
        action="append",
        type=Path,
        default=[],
        metavar="FILE.xml",
        help="ALTO or PAGE XML (Transkribus, eScriptorium, Tesseract) to attach to the scan "
        "PATH as its text, instead of OCR; repeat it, or give a folder, for one file per page",
    )
    imp.add_argument("--kind", choices=["primary", "secondary"])
    imp.add_argument("--collection", default="", metavar="NAME")
    imp.add_argument("--no-ocr", action="store_true", help="leave scans queued for OCR")
    imp.add_argument(
        "--lang",
        metavar="LANGS",
        help="languages of the documents, e.g. de,en (or deu+eng); default: read from their "
        "text (lang:de in a search; OCR reads a scan in them where Tesseract has the data)",
    )

    ocr = commands.add_parser("ocr", parents=[common], help="finish all pending OCR")
    ocr.add_argument("docs", nargs="*", metavar="DOC", help="only these documents")
    ocr.add_argument("--lang", metavar="LANGS", help="OCR languages for this run, e.g. deu+eng")
    ocr.add_argument("--retry-failed", action="store_true", help="try failed pages again")
    ocr.add_argument("--workers", type=int, metavar="N", help="OCR processes (default: cores)")

    _set_parser(commands, common)
    commands.add_parser("docs", parents=[common], help="list the catalog")
    show = commands.add_parser("show", parents=[common], help="one document's record")
    show.add_argument("doc", metavar="DOC")
    search = commands.add_parser("search", parents=[common], help="search every page")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--kind", choices=["primary", "secondary"])
    search.add_argument("--sort", choices=SORTS, default="relevance")

    cite = commands.add_parser("cite", parents=[common], help="detect and resolve citations")
    cite.add_argument("doc", metavar="DOC")
    cited_by = commands.add_parser("cited-by", parents=[common], help="who cites a document")
    cited_by.add_argument("doc", metavar="DOC")
    cited_by.add_argument("--page", type=int, metavar="N")
    commands.add_parser("gaps", parents=[common], help="citations that point at nothing")

    annotate = commands.add_parser("annotate", parents=[common], help="highlight or note a page")
    annotate.add_argument("doc", metavar="DOC")
    annotate.add_argument("--page", type=int, required=True, metavar="N")
    where = annotate.add_mutually_exclusive_group()
    where.add_argument("--quote", metavar="TEXT", help="highlight this passage (found fuzzily)")
    where.add_argument("--rect", metavar="X0,Y0,X1,Y1", help="an area, in PDF points")
    annotate.add_argument("--note", default="", metavar="TEXT")
    annotate.add_argument("--bookmark", action="store_true", help="a bookmark on the page")
    annotate.add_argument("--color", default=DEFAULT_COLOUR, metavar="#RRGGBB")
    annotate.add_argument("--author", metavar="NAME", help="default: $ARCHIVE_READER_AUTHOR")
    annotate.add_argument(
        "--shared",
        action="store_true",
        help="seen and found by every reader of the library (else by you only)",
    )
    share = commands.add_parser(
        "share",
        parents=[common],
        help="let every reader see and find an annotation",
        description="Share your annotation with every reader of the library (a reading room's "
        "shared catalog): they see it on the page and find its note by search. Annotations "
        "are their author's own until shared.",
    )
    share.add_argument("annotation", type=int, metavar="ANNOTATION", help="its id (@N)")
    share.add_argument("--unshare", action="store_true", help="make it yours alone again")
    annotations = commands.add_parser("annotations", parents=[common], help="list annotations")
    annotations.add_argument("doc", nargs="?", metavar="DOC", help="default: every document")
    annotations.add_argument("--author", metavar="NAME", help="only this author's")
    annotations.add_argument(
        "--format",
        choices=["text", "markdown", "csv", "webannotation"],
        default="text",
        help="webannotation: W3C Web Annotations, JSON-LD (for IIIF viewers)",
    )
    export = commands.add_parser(
        "export",
        parents=[common],
        help="an annotated PDF, or the OCR as ALTO or hOCR",
        description="Export a document: an annotated PDF (the default), or its stored words "
        "with their boxes and confidences as ALTO v4 or hOCR (--format alto|hocr; no OCR is "
        "run again, and pages still waiting for OCR are refused).",
    )
    export.add_argument("doc", metavar="DOC")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--format", choices=["pdf", "alto", "hocr"], default="pdf")
    export.add_argument(
        "--with-cited",
        action="store_true",
        help="append the primary pages the article cites (PDF only)",
    )

    _refs_parser(commands, common)
    check = commands.add_parser("check", parents=[common], help="fixity and catalog consistency")
    check.add_argument("--reindex", action="store_true", help="rebuild the search index first")
    return parser


def _set_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    edit = commands.add_parser(
        "set",
        parents=[common],
        help="edit a document's record",
        description="Edit a document's record; a field not given stays as it is, an empty "
        "value (--box '') clears it. Prints the document as `show` does.",
    )
    edit.add_argument("doc", metavar="DOC")
    edit.add_argument(
        "--identifier",
        action="append",
        metavar="ID",
        help="the document's own identifier or call number (repeat for several). Given, it "
        "REPLACES the identifiers you set before; those found in the file name or text stay. "
        "--identifier '' removes yours",
    )
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--date", metavar="D", help="1943, 1943-03 or 1943-03-12 (confirms it)")
    edit.add_argument("--repository", metavar="R")
    edit.add_argument("--record-group", metavar="G")
    edit.add_argument("--series", metavar="S")
    edit.add_argument("--box", metavar="B")
    edit.add_argument("--folder", metavar="F")
    edit.add_argument("--item", metavar="I")
    edit.add_argument(
        "--first-frame",
        type=int,
        metavar="N",
        help="the microfilm frame the first page shows; page n shows frame N + n - 1",
    )
    edit.add_argument("--lang", metavar="LANGS", help="the document's languages, e.g. de,en")


def _refs_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    refs = commands.add_parser(
        "refs",
        parents=[common],
        help="references for Zotero and other reference managers",
        description="Documents as references with their place in the archive (archive, "
        "location, call number) and your notes: RIS (Zotero, EndNote) or CSL-JSON (citeproc, "
        "pandoc). No DOC: every primary document.",
    )
    refs.add_argument("docs", nargs="*", metavar="DOC")
    refs.add_argument(
        "--cited-by", metavar="ARTICLE", help="the documents the article's citations resolve to"
    )
    refs.add_argument("--page", type=int, metavar="N", help="one page of the one DOC named")
    refs.add_argument("--format", choices=["ris", "csljson"], required=True)
    refs.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed; no command means `gui`, with the options given."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args([*arguments, "gui"])
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """The commands over the library. The desktop app (`gui`) sits a layer above reader/:
    the `archive-reader` entry point, archive_reader.main, starts it."""

    def commands() -> int:
        args = parse_arguments(argv)
        if args.command == "gui":
            print(
                "archive-reader: the desktop app is started by `archive-reader gui` "
                "(python -m archive_reader gui), not by reader.cli",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return run_command(args)

    return quiet_when_stdout_closes(commands)


def run_command(args: argparse.Namespace) -> int:
    """A parsed command other than `gui`, on the library it names; errors to stderr."""
    command = args.command
    folder = getattr(args, "library", None) or default_library_folder()
    try:
        read_only = bool(getattr(args, "read_only", False))
        with open_library(
            folder, getattr(args, "catalog", None), read_only=read_only,
            search=getattr(args, "search", None),
        ) as library:  # fmt: skip
            try:
                return COMMANDS[command](library, args)
            finally:
                _print_notices(library.take_notices())
    except (
        CatalogError, DocumentNotFound, QueryError, AnnotationError, ExportError, ReadOnlyLibrary,
        InvalidMetadata, UsageError, NotJson,
    ) as exc:  # fmt: skip
        message = exc.args[0] if exc.args else str(exc)
        print(f"archive-reader: {message}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        print(f"archive-reader: {busy_message()}; try again", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("archive-reader: interrupted", file=sys.stderr)
        return 130


def quiet_when_stdout_closes(body: Callable[[], int]) -> int:
    """Run `body`; if whoever reads stdout stops early (`archive-reader docs | head -1`), end
    quietly with the exit status of a process ended by SIGPIPE, as Unix tools do, instead of
    a BrokenPipeError traceback (the recipe in Python's `signal` documentation)."""
    try:
        try:
            return body()
        finally:
            sys.stdout.flush()  # the last of the output fails here, not at interpreter exit
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_STDOUT_CLOSED


def _discard_stdout() -> None:
    """Point stdout at the null device: Python flushes it once more on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stdout without a file descriptor (tests' capture)
        pass


def _output(args: argparse.Namespace) -> Output:
    return Output(bool(getattr(args, "json", False)))


class UsageError(ValueError):
    """Options that do not go together (--identifier for several files)."""


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    if args.transcription:
        return _import_transcription(library, args)
    if args.metadata is not None and args.paths:
        raise UsageError("give either paths or --metadata FILE.csv, not both")
    if args.metadata is None and not args.paths:
        raise UsageError("import needs a PATH or --metadata FILE.csv")
    if args.identifier and (len(args.paths) != 1 or args.paths[0].is_dir()):
        raise UsageError("--identifier names one file's identifiers: give exactly one file")
    # A link that leads nowhere (a loop, a dangling one) is there: its import reports why.
    missing = [str(p) for p in args.paths if not os.path.lexists(p)]
    for path in missing:
        print(f"archive-reader: no such file or folder: {path}", file=sys.stderr)
    progress = _progress_printer() if sys.stderr.isatty() else None
    if args.metadata is not None:
        report = library.import_metadata(
            args.metadata,
            kind=args.kind,
            collection=args.collection,
            languages=_languages(args.lang),
            progress=progress,
        )
    else:
        report = library.import_paths(
            [p for p in args.paths if os.path.lexists(p)],
            kind=args.kind,
            collection=args.collection,
            languages=_languages(args.lang),
            progress=progress,
            metadata=MetadataChanges(user_identifiers=args.identifier) if args.identifier else None,
        )
    for warning in report.warnings:
        print(f"archive-reader: {warning}", file=sys.stderr)
    data = report.as_json()
    ocr_lines: list[str] = []
    new_scans = [d.id for d in report.imported if d.pages_needing_ocr]
    if new_scans and not args.no_ocr:
        ocr_report = library.run_ocr(
            documents=new_scans, progress=_progress_printer() if sys.stderr.isatty() else None
        )
        data["ocr"] = ocr_report.as_json()
        ocr_lines = _ocr_lines(ocr_report)
    _output(args).emit(data, lambda: _import_lines(report) + ocr_lines)
    return EXIT_ERROR if missing else 0


def _import_transcription(library: Library, args: argparse.Namespace) -> int:
    """`import PATH --transcription FILE.xml`: PATH is the scan (imported first if the library
    does not hold it) or a DOC; the transcription is attached to its pages, and only pages it
    leaves without text are OCR'd."""
    if len(args.paths) != 1:
        raise UsageError("--transcription attaches to one scan: give its PATH (or DOC) once")
    target, report, imported = args.paths[0], ImportReport(), False
    doc: int | str | None = str(target)
    if os.path.lexists(target):
        if target.is_dir():
            raise UsageError(f"--transcription attaches to one scan, and {target} is a folder")
        doc = library.document_of_file(target)
        if doc is None:
            report = library.import_paths(
                [target], kind=args.kind, collection=args.collection,
                languages=_languages(args.lang),
            )  # fmt: skip
            doc, imported = (report.imported[0].id if report.imported else None), True
    data = report.as_json()
    lines = _import_lines(report) if imported else []
    if doc is None:  # the scan could not be imported: its reason is in the report
        _output(args).emit(data, lambda: lines)
        return EXIT_ERROR
    attached = library.attach_transcriptions(doc, args.transcription)
    data["transcription"] = attached.as_json()
    data["failed"] += [asdict(f) for f in attached.failed]
    data["warnings"] += attached.warnings
    lines += _transcription_lines(attached)
    if report.imported and not args.no_ocr:  # a new scan: OCR what the transcription left
        ocr_report = library.run_ocr(documents=[report.imported[0].id])
        data["ocr"] = ocr_report.as_json()
        lines += _ocr_lines(ocr_report) if ocr_report.pages_done or ocr_report.failures else []
    _output(args).emit(data, lambda: lines)
    return EXIT_ERROR if attached.failed else 0


def _transcription_lines(report: TranscriptionReport) -> list[str]:
    lines = [
        f"transcribed #{report.doc} p.{p.page}: {p.lines} lines, {p.words} boxes "
        f"({p.format}, {p.file})"
        for p in report.pages
    ]
    lines += [f"warning   {w}" for w in report.warnings]
    lines += [f"failed    {f.path}: {f.error}" for f in report.failed]
    if report.pages:
        lines.append(f"{len(report.pages)} pages of document #{report.doc} transcribed")
    return lines


def _languages(value: str | None) -> list[str]:
    return [code for code in (value or "").replace(",", "+").split("+") if code]


def cmd_ocr(library: Library, args: argparse.Namespace) -> int:
    report = library.run_ocr(
        documents=args.docs or None,
        languages=_languages(args.lang),
        retry_failed=args.retry_failed,
        workers=args.workers,
        progress=_progress_printer() if sys.stderr.isatty() else None,
    )
    _output(args).emit(report.as_json(), lambda: _ocr_lines(report))
    return 0


def _ocr_lines(report: OcrReport) -> list[str]:
    lines = [f"OCR language: {warning}" for warning in report.warnings]
    lines += [f"OCR failed  #{f.doc} page {f.page}: {f.error}" for f in report.failures]
    lines.append(
        f"OCR: {report.pages_done} pages read, {report.pages_failed} failed "
        f"in {report.seconds:.1f} s" + (" (interrupted)" if report.cancelled else "")
    )
    return lines


def _progress_printer() -> Callable[[ImportProgress | OcrProgress], None]:
    def show(progress: ImportProgress | OcrProgress) -> None:
        end = "\n" if progress.done == progress.total else ""
        what = (
            progress.path[-60:]
            if isinstance(progress, ImportProgress)
            else f"OCR document #{progress.document_id}, page {progress.page}"
        )
        total = progress.total or "?"
        print(f"\r[{progress.done}/{total}] {what:<60}", end=end, file=sys.stderr)

    return show


def _import_lines(report: ImportReport) -> list[str]:
    lines = [
        f"imported  #{d.id} {d.title} ({d.kind}, {d.pages} pages"
        + (f", {', '.join(d.identifiers)}" if d.identifiers else "")
        + (f", {d.pages_needing_ocr} to OCR" if d.pages_needing_ocr else "")
        + ")"
        for d in report.imported
    ]
    lines += [f"skipped   {s.path}: {s.reason}" for s in report.skipped]
    lines += [f"failed    {f.path}: {f.error}" for f in report.failed]
    lines.append(
        f"{len(report.imported)} imported, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed" + (" (cancelled)" if report.cancelled else "")
    )
    return lines


def cmd_docs(library: Library, args: argparse.Namespace) -> int:
    documents = library.documents()
    _output(args).emit(
        {"documents": [d.as_json() for d in documents]},
        lambda: [_document_line(d) for d in documents] or ["the library is empty"],
    )
    return 0


def _document_line(d: DocumentInfo) -> str:
    ids = f" [{', '.join(d.identifiers)}]" if d.identifiers else ""
    return f"#{d.id:<5} {d.kind:<9} {d.pages:>4} p. {d.date:<10} {d.title}{ids}"


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    info = library.document(args.doc)
    _output(args).emit(info.as_json(), lambda: _show_lines(info))
    return 0


def cmd_set(library: Library, args: argparse.Namespace) -> int:
    identifiers = args.identifier
    changes = MetadataChanges(
        title=args.title,
        date=args.date,
        repository=args.repository,
        record_group=args.record_group,
        series=args.series,
        box=args.box,
        folder=args.folder,
        item=args.item,
        user_identifiers=[i for i in identifiers if i.strip()] if identifiers is not None else None,
        first_frame=args.first_frame,
        languages=_languages(args.lang) if args.lang is not None else None,
    )
    info = library.update_metadata(args.doc, changes)
    _output(args).emit(info.as_json(), lambda: _show_lines(info))
    return 0


_DATE_SOURCES = {"filename": "read from the file name", "text": "read from the first page"}


def _show_lines(d: DocumentInfo) -> list[str]:
    archive = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in d.archive.items() if v)
    guessed = f" (guessed: {_DATE_SOURCES[d.date_source]})" if d.date_guessed else ""
    frames = f"  frames:      {d.frames['first']}-{d.frames['last']}" if d.frames else ""
    return [
        f"#{d.id} {d.title}",
        f"  kind:        {d.kind}",
        f"  identifiers: {', '.join(d.identifiers) or '-'}",
        f"  date:        {d.date or '-'}{guessed}",
        f"  authors:     {'; '.join(d.authors) or '-'}",
        f"  collection:  {d.collection or '-'}",
        f"  archive:     {archive or '-'}",
        *([frames] if frames else []),
        f"  pages:       {d.pages} ({d.media_type}; OCR {d.ocr_state})",
        f"  path:        {d.path}",
        f"  sha256:      {d.sha256}",
    ]


def _print_notices(notices: Sequence[str]) -> None:
    """What the library did on its own (a damaged index rebuilt), to stderr: stdout stays the
    command's output."""
    for notice in notices:
        print(f"archive-reader: {notice}", file=sys.stderr)


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    result = library.search(args.query, limit=args.limit, kind=args.kind, sort=args.sort)
    _print_notices(result.notices)
    _output(args).emit(result.as_json(), lambda: _search_lines(result))
    return 0


def _search_lines(result: SearchResult) -> list[str]:
    lines = []
    for hit in result.hits:
        ids = f" [{', '.join(hit.identifiers)}]" if hit.identifiers else ""
        ocr = f", OCR {hit.confidence:.0f}%" if hit.confidence is not None else ""
        note = f" note @{hit.annotation} by {hit.note_author or '?'}:" if hit.annotation else ""
        lines.append(f"#{hit.doc} p.{hit.page}{note} {hit.title}{ids} (score {hit.score:.2f}{ocr})")
        plain = html.unescape(hit.snippet.replace("<b>", "[").replace("</b>", "]"))
        lines.append(f"    {plain}")
    lines.append(f"{result.total} pages and notes match; showing {len(result.hits)}")
    return lines


def cmd_cite(library: Library, args: argparse.Namespace) -> int:
    result = library.cite(args.doc)
    _output(args).emit(result.as_json(), lambda: [_citation_line(c) for c in result.citations])
    return 0


def _citation_line(citation: CitationInfo) -> str:
    quoted = " ".join(citation.text.split())
    quoted = quoted if len(quoted) <= 70 else quoted[:67] + "..."
    target = citation.target
    where = (
        f"-> #{target.doc} p.{target.page} {target.title} ({target.score:.2f})"
        if target
        else "-> gap: not in the archive"
    )
    return f"p.{citation.page} {citation.kind:<10} {quoted}  {where}"


def cmd_cited_by(library: Library, args: argparse.Namespace) -> int:
    references = library.cited_by(args.doc, args.page)
    _output(args).emit(
        {"doc": library.resolve(args.doc), "cited_by": [asdict(r) for r in references]},
        lambda: (
            [
                f"#{r.doc} {r.title} p.{r.page}: {r.kind} {' '.join(r.text.split())[:70]} "
                f"-> p.{r.target_page}"
                for r in references
            ]
            or ["no document in the library cites it"]
        ),
    )
    return 0


def cmd_gaps(library: Library, args: argparse.Namespace) -> int:
    """One entry per distinct reference of an article that points at nothing in the archive,
    under its article, with how often and where the article makes it."""
    gaps = library.gap_groups()
    _output(args).emit({"gaps": [_gap_json(g) for g in gaps]}, lambda: _gap_lines(gaps))
    return 0


def _gap_json(gap: GapGroup) -> dict[str, Any]:
    """The fields a gap always had, from its first citation (id, kind, text, start, end, page,
    identifier, target: null), then its article (doc, title), count, spans, citations, pages."""
    (start, end), page = gap.spans[0], gap.pages[0]
    first: dict[str, Any] = {"id": gap.citations[0], "kind": gap.kind, "text": gap.text}
    first.update(start=start, end=end, page=page, identifier=gap.identifier, target=None)
    return {**first, **gap.as_json()}


def _gap_lines(gaps: Sequence[GapGroup]) -> list[str]:
    lines: list[str] = []
    article = None
    for gap in gaps:
        if gap.doc != article:
            article = gap.doc
            lines.append(f"#{gap.doc} {gap.title}")
        quoted = " ".join(gap.text.split())
        quoted = quoted if len(quoted) <= 70 else quoted[:67] + "..."
        pages = ", ".join(str(p) for p in dict.fromkeys(gap.pages))
        times = f"  ({gap.count} times)" if gap.count > 1 else ""
        lines.append(f"  p.{pages} {gap.kind:<10} {quoted}{times}")
    return lines or ["every citation resolves"]


def cmd_annotate(library: Library, args: argparse.Namespace) -> int:
    made = library.annotate(
        args.doc,
        args.page,
        kind="bookmark" if args.bookmark else None,
        quote=args.quote,
        rects=[parse_rect(args.rect)] if args.rect else [],
        note=args.note,
        color=args.color,
        author=args.author,
        shared=args.shared,
    )
    _output(args).emit(made.as_json(), lambda: [_annotation_line(made)])
    return 0


def cmd_share(library: Library, args: argparse.Namespace) -> int:
    shared = library.share_annotation(args.annotation, not args.unshare)
    _output(args).emit(shared.as_json(), lambda: [_annotation_line(shared)])
    return 0


def _annotation_line(a: AnnotationInfo) -> str:
    quoted = f" “{' '.join(a.text.split())[:60]}”" if a.text else ""
    note = f" — {a.note}" if a.note else ""
    shared = ", shared" if a.shared else ""
    return f"@{a.id} #{a.doc} p.{a.page} {a.kind}{quoted}{note} ({a.author}{shared})"


def cmd_annotations(library: Library, args: argparse.Namespace) -> int:
    if args.format == "webannotation":
        export = library.web_annotations(args.doc, author=args.author)
        for warning in export.warnings:
            print(printable(f"archive-reader: {warning}"), file=sys.stderr)
        sys.stdout.writelines([*json_pieces(export.collection), "\n"])
        return 0
    if args.format != "text":
        rows = library.notes(args.doc, author=args.author)
        sys.stdout.write(as_csv(rows) if args.format == "csv" else as_markdown(rows))
        return 0
    found = library.annotations(args.doc, author=args.author)
    _output(args).emit(
        {"annotations": [a.as_json() for a in found]},
        lambda: [_annotation_line(a) for a in found] or ["no annotations"],
    )
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    if args.format != "pdf":
        return _export_transcription(library, args)
    report = library.export(args.doc, args.out, with_cited=args.with_cited)
    _output(args).emit(
        asdict(report),
        lambda: [
            f"wrote {report.path}: {report.pages} pages, {report.annotations} annotations"
            + (f", {len(report.cited_pages)} cited pages linked" if args.with_cited else "")
        ],
    )
    return 0


def cmd_refs(library: Library, args: argparse.Namespace) -> int:
    if args.cited_by is not None and (args.docs or args.page is not None):
        raise UsageError("--cited-by ARTICLE exports the article's sources: no DOC, no --page")
    if args.page is not None and len(args.docs) != 1:
        raise UsageError("--page N is a page of one document: name exactly one DOC")
    export = library.export_references(
        args.format, args.docs, cited_by=args.cited_by, page=args.page, out=args.out
    )
    output = _output(args)
    if not output.as_json and export.count == 0:
        print("archive-reader: no references to write", file=sys.stderr)
    if export.text is not None and not output.as_json:
        sys.stdout.write(export.text)
        return 0
    output.emit(
        export.as_json(),
        lambda: [f"wrote {export.count} references ({export.format}) to {export.path}"],
    )
    return 0


def _export_transcription(library: Library, args: argparse.Namespace) -> int:
    if args.with_cited:
        raise UsageError("--with-cited is for the PDF export; ALTO and hOCR hold one document")
    report = library.export_transcription(args.doc, args.out, args.format)
    for warning in report.warnings:
        print(f"archive-reader: {warning}", file=sys.stderr)
    name = {"alto": "ALTO v4", "hocr": "hOCR"}[report.format]
    _output(args).emit(
        asdict(report),
        lambda: [f"wrote {report.path} ({name}): {report.pages} pages, {report.words} words"],
    )
    return 0


def cmd_check(library: Library, args: argparse.Namespace) -> int:
    if args.reindex:
        library.reindex()
    report = library.check()
    _output(args).emit(
        report.as_json(),
        lambda: (
            [f"#{p.doc} {p.path}: {p.problem}" for p in report.problems]
            + [f"{report.documents} documents checked, {len(report.problems)} problems"]
        ),
    )
    return 0 if report.ok else EXIT_PROBLEMS


COMMANDS: dict[str, Command] = {
    "import": cmd_import,
    "ocr": cmd_ocr,
    "docs": cmd_docs,
    "show": cmd_show,
    "set": cmd_set,
    "search": cmd_search,
    "cite": cmd_cite,
    "cited-by": cmd_cited_by,
    "gaps": cmd_gaps,
    "annotate": cmd_annotate,
    "annotations": cmd_annotations,
    "share": cmd_share,
    "export": cmd_export,
    "refs": cmd_refs,
    "check": cmd_check,
}

if __name__ == "__main__":
    sys.exit(main())
