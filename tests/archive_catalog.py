"""A varied catalog of the archive's order for tests: German and Serbian names (Latin and
Cyrillic), spellings of one value, levels left out, unfiled documents and a record group of ten
thousand characters."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import update

from reader.indexing import mark_document_for_index
from reader.library import Library
from reader.models import Document

LONG = "L" * 10_000
BARCH = "Bundesarchiv-Militärarchiv, Freiburg"
# name: repository, record group, series, box, folder, item (the catalog's columns, in order)
CATALOG = {
    "barch-20": (BARCH, "RH 26-118", "", "", "", "20"),
    "barch-21": (BARCH, "RH 26-118", "", "", "", "21"),
    "barch-22": ("BUNDESARCHIV-MILITARARCHIV, FREIBURG", "RH 26-118", "", "", "", "22"),
    "va-cyrillic": ("Војни архив", "", "", "1", "", "4"),
    "va-k12": ("Vojni arhiv, Beograd", "", "", "K. 12", "", ""),
    "va-12": ("Vojni arhiv, Beograd", "", "", "12", "", ""),
    "nara-box2": ("NARA", "RG 238", "NOKW", "Box 2", "", ""),
    "nara-box10": ("NARA", "238", "NOKW", "Box 10", "", ""),
    "nara-rg-box7": ("NARA", "RG 238", "", "7", "", ""),
    "nara-t311": ("NARA", "Record Group 238", "T-311", "Box 7/12", "Mappe 4", ""),
    "nara-box7": ("NARA", "", "", "7", "", ""),
    "nara-long": ("NARA", "", "", "", "", ""),  # its record group is set to LONG below
    "memoir": ("", "", "", "", "", ""),
    "article": ("", "", "", "", "", ""),
}
COLUMNS = ["repository", "record_group", "series", "box", "folder", "item"]


def make_catalog(folder: Path, files: Path) -> dict[str, int]:
    """The catalog above, imported from a metadata CSV as a researcher would; the overlong
    record group written into the catalog directly (no edit accepts it), reindexed."""
    files.mkdir(parents=True)
    sheet = files / "records.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["path", "title", *COLUMNS])
        for name, fields in CATALOG.items():
            (files / f"{name}.txt").write_text(f"Report {name}: the bridge at Mostar.\n")
            writer.writerow([f"{name}.txt", name, *fields])
    with Library(folder) as library:
        report = library.import_metadata(sheet, kind="primary")
        assert not report.failed, report.failed
        ids = {d.title: d.id for d in library.documents()}
        with library.catalog.writer() as session, session.begin():
            session.execute(
                update(Document).where(Document.id == ids["nara-long"]).values(record_group=LONG)
            )
            mark_document_for_index(session, ids["nara-long"])
        library.sync_index()
    return ids
