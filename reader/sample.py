"""The sample collection shipped in resources/sample, imported into a library for the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.library import CancelCheck, Library, ProgressCallback
from reader.records import ImportReport, OcrReport

SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "resources" / "sample"


@dataclass
class SampleReport:
    imports: list[ImportReport] = field(default_factory=list)
    ocr: OcrReport | None = None


def import_sample(
    library: Library,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> SampleReport:
    """Primaries first, then the articles, then OCR of the scans (which resolves the quotes
    the articles take from them)."""
    if not SAMPLE_FOLDER.is_dir():
        raise FileNotFoundError(f"the sample collection is missing: {SAMPLE_FOLDER}")
    report = SampleReport()
    for kind in ("primary", "secondary"):
        report.imports.append(
            library.import_paths(
                [SAMPLE_FOLDER / kind], kind=kind, progress=progress, cancelled=cancelled
            )
        )
    report.ocr = library.run_ocr(cancelled=cancelled)
    return report
