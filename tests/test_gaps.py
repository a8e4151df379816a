"""The gaps: citations that point at nothing in the archive, one entry per distinct reference
of an article, named by its article, with how often and where the article makes it
(Library.gap_groups, `archive-reader gaps`)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library

pytestmark = pytest.mark.slow  # the OCR'd sample collection

# The citation fields `gaps --json` has always printed, and those it adds.
CITATION_FIELDS = {"id", "kind", "text", "start", "end", "page", "identifier", "target"}
GROUP_FIELDS = {"doc", "title", "count", "spans", "citations", "pages"}

ARTICLE = "Orders and Their Echoes: The Nevesinje Operation of March 1943"
NOTES = "Research notes: Nevesinje, March 1943"

# An article that makes the same missing references several times, in several spellings.
REPEATING = """# Further notes on the Nevesinje files

The war diary should be in Record Group 238, or else in RG 242. A later file,
NOKW-2215, is cited twice in the literature (NOKW 2215 and NOKW-2215), never seen.
Record Group 238 again: the Nuremberg copies. The film T-501, roll 255 may hold it.
"""


@pytest.fixture
def library(sample_library: Path, tmp_path: Path) -> Library:
    folder = tmp_path / "library"
    shutil.copytree(sample_library, folder)
    return Library(folder)


def key(gap_identifier: str, text: str) -> str:
    return gap_identifier or " ".join(text.casefold().split())


def test_each_reference_of_an_article_is_listed_once_under_its_article(
    library: Library,
) -> None:
    with library:
        groups = library.gap_groups()
        gaps = library.gaps()
        titles = {d.id: d.title for d in library.documents()}
    pairs = [(g.doc, key(g.identifier, g.text)) for g in groups]
    assert len(pairs) == len(set(pairs))
    # what the issue saw twice: once for each article that cites it, each named
    by_identifier: dict[str, list[str]] = {}
    for group in groups:
        assert group.title == titles[group.doc]
        if group.identifier:
            by_identifier.setdefault(group.identifier, []).append(group.title)
    assert by_identifier["RG-238"] == [ARTICLE, NOTES]
    assert by_identifier["T-501/R-255"] == [ARTICLE, NOTES]
    assert by_identifier["NOKW-2215"] == [ARTICLE]
    assert by_identifier["RG-242"] == [NOTES]
    # every gap is in exactly one group, and the counts add up
    assert sum(g.count for g in groups) == len(gaps)
    grouped = sorted(c for g in groups for c in g.citations)
    assert grouped == sorted(c.id for c in gaps)
    for group in groups:
        assert group.count == len(group.spans) == len(group.citations) == len(group.pages)


def test_a_reference_made_several_times_is_one_entry_with_its_count_and_spans(
    library: Library, tmp_path: Path
) -> None:
    article = tmp_path / "further-notes.md"
    article.write_text(REPEATING, encoding="utf-8")
    with library:
        report = library.import_paths([article], kind="secondary")
        (imported,) = report.imported
        cited = library.citations(imported.id, with_boxes=False).citations
        gaps = [c for c in cited if c.target is None]
        groups = [g for g in library.gap_groups() if g.doc == imported.id]
        text = library.page(imported.id, 1).text
    counts = {g.identifier: g.count for g in groups}
    assert counts == {"RG-238": 2, "RG-242": 1, "NOKW-2215": 3, "T-501/R-255": 1}
    nokw = next(g for g in groups if g.identifier == "NOKW-2215")
    assert nokw.text == "NOKW-2215"  # as the article first writes it
    assert [text[s:e] for s, e in nokw.spans] == ["NOKW-2215", "NOKW 2215", "NOKW-2215"]
    assert nokw.spans == sorted(nokw.spans)
    rg = next(g for g in groups if g.identifier == "RG-238")
    assert [text[s:e] for s, e in rg.spans] == ["Record Group 238", "Record Group 238"]
    assert {(g.start, g.end) for g in gaps} == {span for g in groups for span in g.spans}
    assert all(g.title == "Further notes on the Nevesinje files" for g in groups)


def test_gaps_json_names_the_article_and_counts_each_reference(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "further-notes.md"
    article.write_text(REPEATING, encoding="utf-8")
    folder = str(library.folder)
    assert main(["--library", folder, "import", str(article), "--kind", "secondary"]) == 0
    capsys.readouterr()
    assert main(["--library", folder, "gaps", "--json"]) == 0
    gaps = json.loads(capsys.readouterr().out)["gaps"]
    for gap in gaps:
        assert set(gap) >= CITATION_FIELDS | GROUP_FIELDS
        assert gap["target"] is None
        assert [gap["start"], gap["end"]] == gap["spans"][0]
        assert gap["id"] == gap["citations"][0] and gap["page"] == gap["pages"][0]
        assert gap["count"] == len(gap["spans"])
    pairs = Counter((g["doc"], key(g["identifier"], g["text"])) for g in gaps)
    assert max(pairs.values()) == 1
    further = {g["identifier"]: g["count"] for g in gaps if g["title"].startswith("Further")}
    assert further == {"RG-238": 2, "RG-242": 1, "NOKW-2215": 3, "T-501/R-255": 1}

    assert main(["--library", folder, "gaps"]) == 0
    lines = capsys.readouterr().out.splitlines()
    headings = [line for line in lines if not line.startswith(" ")]
    assert [h.split(" ", 1)[1] for h in headings] == [
        ARTICLE,
        NOTES,
        "Further notes on the Nevesinje files",
    ]
    further_lines = lines[lines.index(headings[2]) + 1 :]
    assert sum("Record Group 238" in line for line in further_lines) == 1
    assert any("NOKW-2215" in line and "(3 times)" in line for line in further_lines)
