"""From a secondary article to the primary pages it cites, on a realistic set made here:
noisy typewritten scans, born-digital PDFs, distractors with neighbouring identifiers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf, scanned_pdf, typewritten_image
from reader.citations.detect import detect_citations
from reader.library import Library
from reader.records import CitationInfo

NOKW_1088 = [
    "HEADQUARTERS 118th JAEGER DIVISION              NOKW-1088\n"
    "Ia No. 612/43 secret                        12 March 1943\n\n"
    "To the Commanding General in Croatia.\n\n"
    "Subject: Situation in the Nevesinje sector.\n\n"
    "The battalions reported the roads to Gacko open again after the thaw.",
    "The bands withdrew from the villages near Nevesinje during the night. "
    "The order stood: no village that sheltered the bands was to be spared, "
    "and the supply columns were to move only by day under escort of two companies.",
    "Losses of the second battalion: four dead, eleven wounded. The railway bridge at "
    "Mostar was repaired by the engineers and opened to traffic on the morning of the tenth.",
]
NOKW_1080 = [
    "HEADQUARTERS 118th JAEGER DIVISION              NOKW-1080\n"
    "Ia No. 598/43 secret                         9 March 1943\n\n"
    "The bands were reported near the villages south of Nevesinje. The supply columns "
    "moved by night without escort, and the order to spare no village was not received.",
]
NO_3012 = [
    "Office of the Plenipotentiary General. Document NO-3012. Conference minutes.",
    "The plenipotentiary declared that he could not answer for measures taken without "
    "his knowledge, and asked that the reports be forwarded to Zagreb at once.",
]
ARTICLE = """<html><head><title>Orders and their echoes</title>
<meta name="author" content="Jane Roe"><meta name="date" content="2001-06"></head><body>
<p>The division's report (NOKW 1088) leaves little doubt. Its author wrote that "the order
stood: No village that sheltered the bands was to be spared . . . and the supply columns were
to move only by day."<sup>1</sup> The neighbouring report, NOKW-1080, tells another story,
and NOKW-1089 is missing from the files.</p>
<p>At the conference (Doc. NO-3012) the plenipotentiary “declared that he could not answer
for measures taken without [General Roatta's] knowledge.” Nothing of the kind appears in
PS-1014a.</p>
<blockquote><p>The railway bridge at Mostar was repaired by the engineers and opened to
traffic on the morning of the tenth.</p></blockquote>
<p>A witness remembered “the snow on the Zelengora lay deeper than any man could walk
through in a day,” a line found in no file.</p>
<p>See Roberts, Tito, Mihailovic and the Allies, 1973; Petrović, Years in the Mountains
(1961); and Djilas, Wartime (1977).</p></body></html>"""
BOOK = """<html><head><title>Tito, Mihailovic and the Allies</title>
<meta name="author" content="Walter R. Roberts"><meta name="date" content="1973"></head>
<body><p>A study of wartime diplomacy.</p></body></html>"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, int]]]:
    folder = tmp_path_factory.mktemp("archive")
    scans = folder / "scans"
    scans.mkdir()
    scanned_pdf(
        scans / "NOKW-1088.pdf",
        [typewritten_image(t, seed=i, noise=1.0) for i, t in enumerate(NOKW_1088)],
    )
    scanned_pdf(scans / "NOKW-1080.pdf", [typewritten_image(NOKW_1080[0], seed=9, noise=1.0)])
    born_digital_pdf(folder / "NO-3012.pdf", NO_3012, title="Conference minutes")
    born_digital_pdf(folder / "memoir.pdf", ["The mountains in winter.", "Spring came late."],
                     title="Years in the Mountains", author="Marko Petrović")  # fmt: skip
    (folder / "roberts.html").write_text(BOOK, encoding="utf-8")
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    library = Library(folder / "library")
    library.import_paths([scans, folder / "NO-3012.pdf", folder / "memoir.pdf"])
    library.import_paths([folder / "roberts.html", folder / "article.html"])
    library.run_ocr()
    ids = {d.title: d.id for d in library.documents()}
    yield library, ids
    library.close()


def by_text(citations: list[CitationInfo], fragment: str) -> CitationInfo:
    return next(c for c in citations if fragment in " ".join(c.text.split()))


def test_every_identifier_is_found_in_canonical_form() -> None:
    text = "NOKW 1088, NOKW-1080, Doc. NO-3012, PS-1014a, Record Group 238, RG 242, T-501, roll 255"
    assert [c.identifier for c in detect_citations(text) if c.kind == "identifier"] == [
        "NOKW-1088", "NOKW-1080", "NO-3012", "PS-1014a", "RG-238", "RG-242", "T-501/R-255",
    ]  # fmt: skip


@pytest.mark.slow
def test_identifiers_resolve_exactly_and_gaps_stay_gaps(
    archive: tuple[Library, dict[str, int]],
) -> None:
    library, ids = archive
    citations = library.cite(ids["Orders and their echoes"]).citations
    resolved = {
        c.identifier: c.target.doc if c.target else None
        for c in citations
        if c.kind == "identifier"
    }
    assert resolved == {
        "NOKW-1088": ids["NOKW-1088"],
        "NOKW-1080": ids["NOKW-1080"],
        "NOKW-1089": None,
        "NO-3012": ids["Conference minutes"],
        "PS-1014a": None,
    }
    article_text = "\n\n".join(library.page_texts(ids["Orders and their echoes"]))
    for citation in citations:
        assert article_text[citation.start : citation.end] == citation.text


@pytest.mark.slow
def test_elided_quote_is_found_on_the_right_page_of_a_noisy_scan(
    archive: tuple[Library, dict[str, int]],
) -> None:
    library, ids = archive
    citations = library.cite(ids["Orders and their echoes"]).citations
    quote = by_text(citations, "the order stood")
    assert quote.kind == "quote" and quote.target is not None
    assert (quote.target.doc, quote.target.page) == (ids["NOKW-1088"], 2)
    assert quote.target.score >= 0.8
    page_text = library.page_texts(ids["NOKW-1088"])[1]
    passage = " ".join(page_text[quote.target.start : quote.target.end].split()).lower()
    assert passage.startswith("the order stood") or passage.startswith("order stood")
    assert "by day" in passage
    assert quote.target.boxes, "the passage can be drawn on the scan"
    for x0, y0, x1, y1 in quote.target.boxes:
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 792


@pytest.mark.slow
def test_bracketed_insertion_block_quote_and_born_digital_page(
    archive: tuple[Library, dict[str, int]],
) -> None:
    library, ids = archive
    citations = library.cite(ids["Orders and their echoes"]).citations
    minutes = by_text(citations, "declared that he could not answer")
    assert minutes.target is not None
    assert (minutes.target.doc, minutes.target.page) == (ids["Conference minutes"], 2)
    assert minutes.target.boxes
    bridge = by_text(citations, "railway bridge at Mostar")
    assert bridge.target is not None
    assert (bridge.target.doc, bridge.target.page) == (ids["NOKW-1088"], 3)
    invented = by_text(citations, "snow on the Zelengora")
    assert invented.target is None


@pytest.mark.slow
def test_no_false_links_to_the_distractor(archive: tuple[Library, dict[str, int]]) -> None:
    library, ids = archive
    citations = library.cite(ids["Orders and their echoes"]).citations
    to_distractor = [c for c in citations if c.target and c.target.doc == ids["NOKW-1080"]]
    assert [c.text for c in to_distractor] == ["NOKW-1080"]


@pytest.mark.slow
def test_works_resolve_by_author_and_title(archive: tuple[Library, dict[str, int]]) -> None:
    library, ids = archive
    citations = library.cite(ids["Orders and their echoes"]).citations
    works = {
        c.text.split(",")[0]: c.target.doc if c.target else None
        for c in citations
        if c.kind == "work"
    }
    assert works == {
        "Roberts": ids["Tito, Mihailovic and the Allies"],
        "Petrović": ids["Years in the Mountains"],
        "Djilas": None,
    }


@pytest.mark.slow
def test_reverse_direction_and_gap_list(archive: tuple[Library, dict[str, int]]) -> None:
    library, ids = archive
    library.cite(ids["Orders and their echoes"])
    citing = library.cited_by("NOKW-1088")
    assert {r.doc for r in citing} == {ids["Orders and their echoes"]}
    assert sorted(r.target_page for r in citing) == [1, 2, 3]
    assert [r.kind for r in library.cited_by("NOKW-1088", page=2)] == ["quote"]
    gap_texts = {" ".join(g.text.split())[:24] for g in library.gaps()}
    assert {"NOKW-1089", "PS-1014a", "Djilas, Wartime (1977)"} <= gap_texts


@pytest.mark.slow
def test_a_gap_resolves_when_its_document_arrives(
    archive: tuple[Library, dict[str, int]], tmp_path: Path
) -> None:
    library, ids = archive
    library.cite(ids["Orders and their echoes"])
    born_digital_pdf(
        tmp_path / "NOKW-1089.pdf", ["Document NOKW-1089. A late find."], title="Late find"
    )
    new = library.import_paths([tmp_path / "NOKW-1089.pdf"]).imported[0].id
    stored = library.citations(ids["Orders and their echoes"]).citations
    assert by_text(stored, "NOKW-1089").target is not None
    assert by_text(stored, "NOKW-1089").target.doc == new  # type: ignore[union-attr]
