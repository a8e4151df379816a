"""A quoted passage that runs over a page break in the cited document is linked to both
pages, each with its part; `cite --json` carries note, parent and every target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive_reader.main import main as cli_main
from bench.corpus import born_digital_pdf
from reader.library import Library

REPORT = [
    "HEADQUARTERS 369th INFANTRY DIVISION                NOKW-1201\n"
    "Ia No. 88/43 secret                          3 April 1943\n\n"
    "The battalion reached Foca in the evening. Its patrols found the bridges over the "
    "Drina destroyed, and the engineers reported that the crossing at Ustikolina could",
    "be restored within four days if timber were brought up from Sarajevo by lorry.\n\n"
    "Losses: two dead, five wounded. The division asks for fuel and for horseshoes.",
    "Appendix: list of villages searched on the second and third of April.",
]
ARTICLE = (
    "The report of 3 April is blunt about what the rivers meant for the operation: "
    "“the engineers reported that the crossing at Ustikolina could be restored within four "
    "days if timber were brought up from Sarajevo by lorry.” The timber never came.\n\n"
    "Its losses were small: “two dead, five wounded.”\n"
)


@pytest.fixture
def cited(tmp_path: Path) -> tuple[Library, int, int]:
    born_digital_pdf(tmp_path / "NOKW-1201.pdf", REPORT)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    library = Library(tmp_path / "library")
    report = library.import_paths([tmp_path / "NOKW-1201.pdf"], kind="primary")
    library.import_paths([tmp_path / "article.txt"], kind="secondary")
    article = library.resolve("article.txt")
    return library, article, report.imported[0].id


def test_a_passage_over_a_page_break_stands_on_both_pages(
    cited: tuple[Library, int, int],
) -> None:
    library, article, primary = cited
    with library:
        (crossing,) = [c for c in library.cite(article).citations if "Ustikolina" in c.text]
        assert crossing.target is not None and crossing.target.doc == primary
        assert [(t.doc, t.page) for t in crossing.targets] == [(primary, 1), (primary, 2)]
        first, second = crossing.targets
        page_one, page_two = library.page_texts(primary)[:2]
        assert first.start is not None and second.end is not None
        assert page_one[first.start : first.end].startswith("the engineers reported")
        assert page_two[second.start : second.end].rstrip(".").endswith("Sarajevo by lorry")
        assert first.boxes and second.boxes  # marked on both pages
        cited_on_two = library.cited_by(primary, page=2)
        assert crossing.id in {r.citation for r in cited_on_two}


def test_a_passage_on_one_page_has_that_page_alone(cited: tuple[Library, int, int]) -> None:
    library, article, primary = cited
    with library:
        (losses,) = [c for c in library.cite(article).citations if "five wounded" in c.text]
        assert [(t.doc, t.page) for t in losses.targets] == [(primary, 2)]


def test_cite_json_names_note_parent_and_every_target(
    cited: tuple[Library, int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    library, article, _primary = cited
    folder = library.folder
    library.close()
    assert cli_main(["--library", str(folder), "cite", str(article), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for citation in data["citations"]:
        assert {"note", "parent", "targets", "target"} <= citation.keys()
        if citation["target"] is not None:
            assert citation["targets"][0]["page"] == citation["target"]["page"]
    pages = [
        [t["page"] for t in c["targets"]] for c in data["citations"] if "Ustikolina" in c["text"]
    ]
    assert pages == [[1, 2]]


def test_the_export_marks_the_passage_on_both_pages(
    cited: tuple[Library, int, int], tmp_path: Path
) -> None:
    import pymupdf

    library, article, _primary = cited
    with library:
        library.cite(article)
        library.export(article, tmp_path / "out.pdf", with_cited=True)
    marked_pages = set()
    with pymupdf.open(tmp_path / "out.pdf") as pdf:
        for page in pdf:
            for annot in page.annots() or []:
                content = annot.info.get("content", "")
                quoted = content.split("”: ", 1)[-1]  # after “the article's title”
                if content.startswith("Cited in") and "Ustikolina" in quoted:
                    marked_pages.add(page.number)
                    marked = page.get_textbox(annot.rect)
                    assert "Ustikolina" in marked or "Sarajevo" in marked
    assert len(marked_pages) == 2
