"""The sample collection shipped in resources/sample, imported into a library for the demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.library import CancelCheck, Library, ProgressCallback
from reader.records import DocumentInfo, ImportReport, MetadataChanges, OcrProgress, OcrReport

SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "resources" / "sample"
SAMPLE_ARTICLE = "secondary/article.html"  # the article a first run opens


def _nuremberg(series: str, item: str, **record: Any) -> MetadataChanges:
    return MetadataChanges(
        repository="NARA", record_group="RG 238", series=series, item=item, **record
    )


# What an archivist's record gives and the files do not: a scan has no date the importer can
# read. The dates and authors stand in the documents' own texts (resources/make_sample.py);
# the article's date and the memoir's author come from their files. The Nuremberg documents
# sit where such documents are kept, in the series of their prefix within Record Group 238 of
# the National Archives (the archive tree shows them there); the memoir is unfiled.
SAMPLE_RECORDS = {
    "primary/NOKW-1088.pdf": _nuremberg(
        "NOKW", "NOKW-1088", date="1943-03-12", authors=["118th Jaeger Division"]
    ),
    "primary/NOKW-1080.png": _nuremberg(
        "NOKW", "NOKW-1080", date="1943-03-09", authors=["118th Jaeger Division"]
    ),
    "primary/NO-3012.tif": _nuremberg(
        "NO", "NO-3012", date="1943-03-14", authors=["Glaise von Horstenau"]
    ),
    "primary/PS-1014.png": _nuremberg("PS", "PS-1014", date="1943-04-02"),
    "primary/memoir-excerpt.pdf": MetadataChanges(date="1961"),
}


@dataclass
class SampleReport:
    imports: list[ImportReport] = field(default_factory=list)
    ocr: OcrReport | None = None


def import_sample(
    library: Library,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    ocr_progress: Callable[[OcrProgress], None] | None = None,
) -> SampleReport:
    """Primaries first, then the articles, then the records' dates and authors, then OCR of
    the scans (which resolves the quotes the articles take from them); `progress` reports
    the import, `ocr_progress` the OCR."""
    if not SAMPLE_FOLDER.is_dir():
        raise FileNotFoundError(f"the sample collection is missing: {SAMPLE_FOLDER}")
    report = SampleReport()
    for kind in ("primary", "secondary"):
        report.imports.append(
            library.import_paths(
                [SAMPLE_FOLDER / kind], kind=kind, progress=progress, cancelled=cancelled
            )
        )
    apply_sample_records(library)
    report.ocr = library.run_ocr(progress=ocr_progress, cancelled=cancelled)
    return report


def apply_sample_records(library: Library) -> int:
    """The sample's records (dates, authors) given to its documents in the library, however
    they came in (import_sample, or `archive-reader import resources/sample/...`); a date
    already given is kept. The number of documents given one."""
    given = 0
    for document in library.documents():
        path = Path(document.path).resolve()
        if not path.is_relative_to(SAMPLE_FOLDER):
            continue
        record = SAMPLE_RECORDS.get(path.relative_to(SAMPLE_FOLDER).as_posix())
        if record is not None and not document.date:
            library.update_metadata(document.id, record)
            given += 1
    return given


def sample_article(library: Library) -> DocumentInfo | None:
    """The sample's article in the library, if it was imported."""
    article = (SAMPLE_FOLDER / SAMPLE_ARTICLE).resolve()
    return next(
        (
            d
            for d in library.documents()
            if Path(d.path).resolve() == article and d.kind == "secondary"
        ),
        None,
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m reader.sample [--library DIR]`: the sample collection imported, OCR'd and
    given its records, in the library the command line uses by default."""
    import argparse

    from reader.library import default_library_folder

    parser = argparse.ArgumentParser(prog="python -m reader.sample", description=main.__doc__)
    parser.add_argument("--library", type=Path, default=None, help="library folder")
    args = parser.parse_args(argv)
    with Library(args.library or default_library_folder()) as library:
        report = import_sample(library)
        imported = sum(len(r.imported) for r in report.imports)
        total = len(library.documents())
        print(f"the sample collection: {imported} documents imported, {total} in {library.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
