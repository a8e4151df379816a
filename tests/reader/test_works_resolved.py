"""Works cited in the common styles lead to the catalog's document: an author-date reference
as well as a Chicago note and a short note; a work not in the catalog stays a gap."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import born_digital_pdf
from reader.library import Library
from reader.records import MetadataChanges

ARTICLE = (
    "The Allies hesitated for two years (Roberts 1973, 106). Djilas saw it otherwise.¹ "
    "Later accounts agree, as does Tomasevich (1975: 256).²\n\n"
    "Notes\n\n"
    "1. Milovan Djilas, Wartime (New York, 1977), 229.\n"
    "2. Roberts, Tito, 110.\n"
)


def test_works_in_three_styles_resolve_and_a_missing_one_is_a_gap(tmp_path: Path) -> None:
    born_digital_pdf(
        tmp_path / "roberts.pdf",
        ["Tito, Mihailović and the Allies, 1941–1945.", "Chapter one.", "Chapter two."],
        title="Tito, Mihailović and the Allies, 1941–1945",
        author="Walter R. Roberts",
    )
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    with Library(tmp_path / "library") as library:
        (book,) = library.import_paths([tmp_path / "roberts.pdf"], kind="secondary").imported
        library.update_metadata(book.id, MetadataChanges(date="1973"))
        library.import_paths([tmp_path / "article.txt"], kind="secondary")
        works = [
            c for c in library.cite(library.resolve("article.txt")).citations if c.kind == "work"
        ]
        to_roberts = [c for c in works if c.target is not None and c.target.doc == book.id]
        assert {c.text.split(",")[0].split()[0] for c in to_roberts} == {"Roberts"}
        assert len(to_roberts) == 2  # the author-date reference and the short note
        djilas = [c for c in works if "Djilas" in c.text or "Wartime" in c.text]
        assert djilas and all(c.target is None for c in djilas)
