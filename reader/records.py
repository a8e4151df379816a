"""Plain data handed across the facade to the CLI and the UI (never ORM objects)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    kind: str
    path: str
    sha256: str
    size: int
    media_type: str
    pages: int
    identifiers: list[str]
    date: str
    authors: list[str]
    collection: str
    languages: list[str]
    archive: dict[str, str]
    ocr: dict[str, int]
    created: str
    updated: str
    # Added to the contract (issue #15): identifiers with their scheme and where they came
    # from, the call number's parts, where the date came from, the microfilm frames shown.
    identifier_schemes: list[dict[str, str]] = field(default_factory=list)
    repository: str = ""
    record_group: str = ""
    series: str = ""
    box: str = ""
    folder: str = ""
    item: str = ""
    date_source: str = ""
    frames: dict[str, int] | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def date_guessed(self) -> bool:
        """A date read from the file name or the first page, not yet confirmed by a person."""
        return bool(self.date) and self.date_source in ("filename", "text")

    @property
    def ocr_state(self) -> str:
        """One word for the library table: done, pending, failed or not needed."""
        if self.ocr.get("failed"):
            return "failed"
        if self.ocr.get("pending"):
            return "pending"
        if self.ocr.get("done"):
            return "done"
        return "not needed"


@dataclass(frozen=True)
class ImportedDocument:
    id: int
    title: str
    path: str
    kind: str
    pages: int
    identifiers: list[str]
    pages_needing_ocr: int = 0


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class FailedFile:
    path: str
    error: str


@dataclass(frozen=True)
class MovedDocument:
    id: int
    old_path: str
    path: str


@dataclass
class ImportReport:
    imported: list[ImportedDocument] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    moved: list[MovedDocument] = field(default_factory=list)
    cancelled: bool = False
    # What a reader of the report should know that is no failure (a CSV read as cp1252).
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    path: str


@dataclass(frozen=True)
class CheckProblem:
    doc: int | None
    path: str
    problem: str


@dataclass
class CheckReport:
    documents: int = 0
    problems: list[CheckProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


@dataclass(frozen=True)
class OcrProgress:
    done: int
    total: int
    document_id: int
    page: int
    failed: int = 0


@dataclass(frozen=True)
class OcrFailure:
    doc: int
    page: int
    error: str


@dataclass
class OcrReport:
    pages_done: int = 0
    pages_failed: int = 0
    failures: list[OcrFailure] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)  # whose pages were read, in order
    cancelled: bool = False
    seconds: float = 0.0
    # The languages each document was read in ("deu+eng"), and where its own languages had
    # no Tesseract data installed, what was read instead (a line each).
    languages: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchHit:
    doc: int
    title: str
    page: int
    score: float
    snippet: str
    identifiers: list[str]
    kind: str
    date: str
    source: str
    confidence: float | None
    terms: list[str]
    # Where the matched words are on the page, [[x0, y0, x1, y1], ...] in PDF points;
    # empty for reflowed text documents (their terms are found in the text itself).
    boxes: list[list[float]]
    # "pages", or "notes": a note, highlight or page note found by its own words; then the
    # annotation's id (open it on its page) and its author.
    layer: str = "pages"
    annotation: int | None = None
    note_author: str = ""


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    seconds: float = 0.0
    # What the library did on its own first, a line each (a damaged index rebuilt), and
    # what the search left out (the PostgreSQL backend: notes are not searched).
    notices: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CitationTarget:
    doc: int
    page: int
    score: float
    title: str
    # The cited passage on the target page: its span in the page text and its boxes (PDF points).
    start: int | None = None
    end: int | None = None
    boxes: list[list[float]] = field(default_factory=list)


@dataclass(frozen=True)
class CitationInfo:
    id: int
    kind: str
    text: str
    start: int
    end: int
    page: int
    identifier: str
    target: CitationTarget | None
    note: int | None = None  # the number of the note it belongs to
    parent: int | None = None  # the index of the enclosing quotation in the document's list
    targets: list[CitationTarget] = field(default_factory=list)  # every page, target first


@dataclass(frozen=True)
class ArticleNote:
    """A note of an article: where its markers stand in the body, its own text and span, and
    the citations that belong to it (made in it, or followed by its marker)."""

    number: int
    markers: list[tuple[int, int]]
    start: int
    end: int
    text: str
    citations: list[int]


@dataclass(frozen=True)
class GapGroup:
    """One distinct reference of an article that points at nothing in the archive, with
    every place the article makes it."""

    doc: int  # the citing article
    title: str
    text: str  # as the article first writes it
    identifier: str  # canonical, or "" for a quotation or a work
    kind: str
    count: int
    spans: list[tuple[int, int]]
    citations: list[int]  # the ids of its citations, one for each span
    pages: list[int] = field(default_factory=list)  # the page of each span

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CiteResult:
    doc: int
    citations: list[CitationInfo]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CitingReference:
    """A citation that points at a document: who cites it, where, and which page."""

    citation: int
    doc: int
    title: str
    page: int
    kind: str
    text: str
    target_page: int
    score: float


@dataclass(frozen=True)
class PageInfo:
    """One page for the reader: its size in PDF points, its text and its words with boxes."""

    doc: int
    number: int
    width: float
    height: float
    text: str
    source: str
    confidence: float | None
    words: list[list[Any]]


@dataclass(frozen=True)
class FoundPassage:
    """Where a piece of text stands in a document: page, span in the page text, boxes."""

    page: int
    start: int
    end: int
    boxes: list[list[float]]


@dataclass(frozen=True)
class MetadataChanges:
    """The fields a researcher edits; None leaves a field as it is."""

    title: str | None = None
    kind: str | None = None
    date: str | None = None
    authors: list[str] | None = None
    collection: str | None = None
    # Every identifier of the document, as the editor lists them (the others are dropped).
    identifiers: list[str] | None = None
    # The user's own identifiers only (`set --identifier`, import metadata): those found in
    # the file name or text stay.
    user_identifiers: list[str] | None = None
    languages: list[str] | None = None
    repository: str | None = None
    record_group: str | None = None
    series: str | None = None
    box: str | None = None
    folder: str | None = None
    item: str | None = None
    # The microfilm frame the first page shows; the pages after it follow one frame each.
    first_frame: int | None = None


@dataclass(frozen=True)
class AnnotationInfo:
    """A highlight, area, note or bookmark on a page; rects in PDF points of the page."""

    id: int
    doc: int
    page: int
    kind: str
    rects: list[list[float]]
    text: str
    note: str
    color: str
    author: str
    created: str
    updated: str
    # Seen and found by everyone in the reading room; else by its owner only, the reader who
    # made it (whatever name it is signed with).
    shared: bool = False
    owner: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArchiveNode:
    """A place in the archive's own order (reader.archive_order) and what is filed there."""

    level: str  # repository, record_group, series, box, folder or item; "" for Unfiled
    label: str  # as shown: "RG 238", "Box 7", "Unfiled"
    # The values of the levels down to this one, in the archive's order, blank for a level
    # its documents skip: ("NARA", "", "", "7") is box 7 of NARA with no record group.
    place: tuple[str, ...]
    count: int  # documents here and below
    children: tuple[ArchiveNode, ...] = ()
    here: int = 0  # documents filed at this place itself, at no deeper level


@dataclass(frozen=True)
class ArchiveTree:
    total: int  # documents in the library
    nodes: tuple[ArchiveNode, ...]  # repositories (or the first level a document has), Unfiled last

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleDate:
    """A date an article names: "on March 17", "17. März 1943", "two days later". `date` is
    an ISO partial date ("1943", "1943-03", "1943-03-17") to the expression's `precision`
    (day, month or year); `relative` when it was counted from the date written before it,
    `year_from_context` when the article left the year to be understood."""

    start: int  # the span in the article's text (the pages joined, as citations count them)
    end: int
    text: str
    date: str
    precision: str
    relative: bool = False
    year_from_context: bool = False
    context: str = ""  # the sentence it stands in, cut to a readable length

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Filing:
    """Documents filed at a place in the archive (or put back where they were): what each
    one's archive fields were before, so that it can be undone."""

    place: tuple[str, ...]  # where they were filed; () when each went back to its own place
    # Each document's repository, record group, series, box, folder and item before.
    before: dict[int, tuple[str, ...]]
    missing: list[str] = field(default_factory=list)  # what named no document, a line each

    @property
    def documents(self) -> list[int]:
        return list(self.before)


@dataclass(frozen=True)
class DatedDocument:
    """A primary document on the timeline: its date as stored and the days it covers
    (proleptic ordinals, `datetime.date.toordinal`): one day, a month or a whole year."""

    id: int
    title: str
    label: str  # its first identifier, else its title
    date: str
    precision: str  # day, month or year
    first_day: int
    last_day: int
    guessed: bool  # read from the file name or the first page, not confirmed
    # Outside 1800–2100 (or a year no calendar holds): drawn apart, at the timeline's ends.
    outside: bool = False


@dataclass
class Chronology:
    """The primary documents by date, and how many have no date."""

    documents: list[DatedDocument]  # by date, then id
    undated: int
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DatedClaim:
    """A date of an article beside the primary documents of that date (of its day, month or
    year, as precisely as the article names it); `cited`, those of them the article cites."""

    found: ArticleDate
    documents: list[int]
    cited: list[int]


@dataclass
class ArticleChronology:
    """An article's own dates and the documents it cites, for the timeline."""

    doc: int
    claims: list[DatedClaim]
    cited: list[int]  # every primary document its resolved citations point at

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
