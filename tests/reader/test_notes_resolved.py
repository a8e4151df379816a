"""A citation's note is where it is looked for first: a quote followed by note 7 "NOKW 1088,
p. 2" opens page 2 of NOKW-1088 even where the same words stand elsewhere too; Ibid. takes the
note before; a note's page locator is the identifier's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import CitationInfo

ORDER = "no village that sheltered the bands was to be spared by the columns"
NOKW_1088 = [
    "HEADQUARTERS 118th JAEGER DIVISION   NOKW-1088\nThe bands withdrew towards Gacko.",
    f"The order stood: {ORDER}. The supply columns moved by day under escort.",
    "The railway bridge at Mostar was repaired by the engineers on the eleventh.",
]
# The same order, copied word for word into a later report: a quote alone cannot tell them apart.
NOKW_1090 = [
    f"HEADQUARTERS 118th JAEGER DIVISION   NOKW-1090\nRepeated for the record: {ORDER}.",
]
ARTICLE = f"""<html><head><title>The order and its copies</title></head><body>
<p>The division's order was plain: “{ORDER}.”<sup>1</sup> A week later the engineers
reported that “the railway bridge at Mostar was repaired by the engineers”.<sup>2</sup>
The order was repeated in a later report.<sup>3</sup></p>
<h2>Notes</h2>
<ol>
<li>NOKW 1088, p. 2.</li>
<li>Ibid., p. 3.</li>
<li>NOKW 1090.</li>
</ol>
</body></html>
"""


@pytest.fixture
def citations(tmp_path: Path) -> tuple[Library, list[CitationInfo], dict[str, int]]:
    born_digital_pdf(tmp_path / "NOKW-1088.pdf", NOKW_1088)
    born_digital_pdf(tmp_path / "NOKW-1090.pdf", NOKW_1090)
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    library = Library(tmp_path / "library")
    library.import_paths([tmp_path / "NOKW-1090.pdf", tmp_path / "NOKW-1088.pdf"], kind="primary")
    library.import_paths([tmp_path / "article.html"], kind="secondary")
    ids = {name: library.resolve(name) for name in ("NOKW-1088", "NOKW-1090", "article.html")}
    return library, library.cite(ids["article.html"]).citations, ids


def test_a_quote_opens_the_page_its_note_names(
    citations: tuple[Library, list[CitationInfo], dict[str, int]],
) -> None:
    library, found, ids = citations
    with library:
        (order,) = [c for c in found if c.kind == "quote" and "sheltered" in c.text]
        assert order.note == 1
        assert order.target is not None
        assert (order.target.doc, order.target.page) == (ids["NOKW-1088"], 2)


def test_ibid_takes_the_document_of_the_note_before_with_its_own_page(
    citations: tuple[Library, list[CitationInfo], dict[str, int]],
) -> None:
    library, found, ids = citations
    with library:
        (bridge,) = [c for c in found if c.kind == "quote" and "railway bridge" in c.text]
        assert bridge.note == 2
        assert bridge.target is not None
        assert (bridge.target.doc, bridge.target.page) == (ids["NOKW-1088"], 3)


def test_an_identifier_in_a_note_opens_the_page_the_note_gives(
    citations: tuple[Library, list[CitationInfo], dict[str, int]],
) -> None:
    library, found, _ids = citations
    with library:
        in_notes = [c for c in found if c.kind == "identifier" and c.note is not None]
        pages = {(c.identifier, c.note): c.target.page for c in in_notes if c.target}
        assert pages[("NOKW-1088", 1)] == 2
        assert pages[("NOKW-1090", 3)] == 1
