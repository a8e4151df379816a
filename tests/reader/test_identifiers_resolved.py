"""Identifiers of every archive lead to the page they name: a microfilm frame opens the page
that shows it, a trial volume's page that page; a library's own scheme and a catalog
identifier written another way are found in an article and resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf
from reader.catalog import CatalogError
from reader.library import Library
from reader.records import CitationInfo, MetadataChanges

ARTICLE = (
    "The corps' report survives on film (T-501/264/000483), and the trial printed the order "
    "(IMT, vol. XXXVII, p. 2). The investigators' file ZStL 503 AR 1234/65 holds the "
    "interrogations, and the regiment's papers are in box 7 / 12 of the collection.\n"
)
SCHEMES = """
[[scheme]]
name = "zstl"
archive = "Zentrale Stelle Ludwigsburg"
keys = ["ZStL"]
patterns = ['''ZStL (?P<office>\\d{3}) AR (?P<number>\\d{1,5})/(?P<year>\\d{2})''']
canonical = ["ZStL-{office}-AR-{number|int}/{year}"]
examples = [{ written = "ZStL 503 AR 1234/65", canonical = "ZStL-503-AR-1234/65" }]
near_misses = ["ZStL 50 AR"]
"""


def _library(tmp_path: Path) -> tuple[Library, dict[str, int]]:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "identifier_schemes.toml").write_text(SCHEMES, encoding="utf-8")
    library = Library(folder)
    files = {
        "roll": born_digital_pdf(tmp_path / "roll.pdf", [f"Frame page {n}." for n in range(1, 6)]),
        "imt": born_digital_pdf(tmp_path / "imt.pdf", ["Volume XXXVII.", "The order.", "Index."]),
        "zstl": born_digital_pdf(tmp_path / "zstl.pdf", ["Interrogations, 1965."]),
        "box": born_digital_pdf(tmp_path / "box.pdf", ["Regimental papers."]),
    }
    ids = {}
    for name, path in files.items():
        (made,) = library.import_paths([path], kind="primary").imported
        ids[name] = made.id
    identify = {"roll": "T-501, roll 264", "imt": "IMT, vol. XXXVII",
                "zstl": "ZStL 503 AR 1234/65", "box": "Box-7/12"}  # fmt: skip
    for name, identifier in identify.items():
        library.update_metadata(ids[name], MetadataChanges(user_identifiers=[identifier]))
    library.update_metadata(ids["roll"], MetadataChanges(first_frame=480))
    return library, ids


def _by_target(citations: list[CitationInfo]) -> dict[int, CitationInfo]:
    return {c.target.doc: c for c in citations if c.kind == "identifier" and c.target}


def test_frames_volumes_own_schemes_and_variants_resolve(tmp_path: Path) -> None:
    library, ids = _library(tmp_path)
    with library:
        (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
        library.import_paths([tmp_path / "article.txt"], kind="secondary")
        cited = _by_target(library.cite(library.resolve("article.txt")).citations)
        assert cited[ids["roll"]].target.page == 4  # frame 483 of a roll starting at 480
        assert cited[ids["imt"]].target.page == 2
        assert cited[ids["zstl"]].identifier == "ZStL-503-AR-1234/65"
        assert "box 7 / 12" in cited[ids["box"]].text.lower()


def test_a_bad_library_scheme_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "identifier_schemes.toml").write_text(
        SCHEMES.replace("(?P<number>\\d{1,5})", "(?P<number>(\\d+)+)"), encoding="utf-8"
    )
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    with (
        Library(folder) as library,
        pytest.raises(CatalogError, match=r"identifier_schemes.toml:2"),
    ):
        library.import_paths([tmp_path / "article.txt"], kind="secondary")
